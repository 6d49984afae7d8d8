#![recursion_limit = "512"]
use std::io::Read;
use std::process::ExitCode;

use clap::Parser;
use leptos::config::get_configuration;
use tracing_subscriber::EnvFilter;

use app::reference::Role;
use app::state::{AppState, Clock};
use server::config::{Cli, Command, ServeArgs};
use server::{accounts, db, demo};

fn main() -> ExitCode {
    return_freed_memory();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("the Tokio runtime starts")
        .block_on(start())
}

/// glibc's malloc, told to give freed memory back to the system: by default each thread may
/// get its own arena (up to 8 per core) and big freed blocks stay resident, so after rendering
/// a 35,000-event edition's JSON once (59 MB) the server stayed at ≈ 300 MB. Two arenas, big
/// blocks mapped on their own and trimmed early: ≈ 115 MB (bench/README.md). Set before any
/// thread starts.
fn return_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes the allocator's parameters; no other thread runs yet.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 64 * 1024);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 128 * 1024);
    };
}

async fn start() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=warn")),
        )
        .init();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("erreur : {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error>> {
    let pool = db::connect(&cli.database_url)
        .await
        .map_err(|e| format!("base de données {} : {e}", cli.database_url))?;
    let clock = cli.now.map(Clock::Fixed).unwrap_or(Clock::System);
    match cli
        .command
        .unwrap_or_else(|| Command::Serve(cli.serve.clone()))
    {
        // `server --demo serve` as `server serve --demo`.
        Command::Serve(mut args) if cli.serve.demo || cli.serve.demo_credentials.is_some() => {
            args.demo |= cli.serve.demo;
            args.demo_credentials = args.demo_credentials.or(cli.serve.demo_credentials);
            serve(pool, clock, args, cli.public_url, &cli.database_url).await
        }
        Command::Serve(args) => serve(pool, clock, args, cli.public_url, &cli.database_url).await,
        Command::LoadDemo {
            seed,
            events,
            demo_credentials,
        } => {
            let path = server::config::demo_credentials_path(
                demo_credentials.as_deref(),
                &cli.database_url,
            );
            let credentials = demo::DemoCredentials::random();
            let summary = demo::load_with(&pool, seed, events, &credentials).await?;
            credentials
                .save(&path)
                .map_err(|e| format!("{} : {e}", path.display()))?;
            println!("{summary}");
            credentials.print(&path);
            Ok(())
        }
        Command::CreateAdmin {
            email,
            name,
            structure,
        } => {
            let password = match std::env::var("MIP_ADMIN_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    let mut p = String::new();
                    std::io::stdin().read_to_string(&mut p)?;
                    p.trim_end_matches(['\r', '\n']).to_string()
                }
            };
            if password.chars().count() < 12 {
                return Err("le mot de passe doit compter au moins 12 caractères".into());
            }
            let hash = accounts::hash_password(&password).map_err(|e| e.to_string())?;
            let id = accounts::insert(
                &pool,
                &accounts::NewAccount {
                    email: &email,
                    password_hash: &hash,
                    name: &name,
                    structure: &structure,
                    organizer_type_id: None,
                    region_code: None,
                    role: Role::Admin,
                },
                clock.now(),
            )
            .await?;
            println!("Compte administrateur n° {id} créé pour {email}.");
            Ok(())
        }
    }
}

async fn serve(
    pool: sqlx::SqlitePool,
    clock: Clock,
    args: ServeArgs,
    public_url: Option<String>,
    database_url: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let empty = demo::is_empty(&pool).await?;
    if args.demo {
        let path =
            server::config::demo_credentials_path(args.demo_credentials.as_deref(), database_url);
        if empty {
            let credentials = demo::DemoCredentials::random();
            let summary = demo::load_with(&pool, demo::DEFAULT_SEED, None, &credentials).await?;
            credentials
                .save(&path)
                .map_err(|e| format!("{} : {e}", path.display()))?;
            tracing::info!("{summary}");
            credentials.print(&path);
        } else {
            println!(
                "Démonstration déjà chargée : les mots de passe de ses comptes sont dans {}.",
                path.display()
            );
        }
    } else if empty {
        let admins: i64 = sqlx::query_scalar("SELECT count(*) FROM accounts WHERE role = 'admin'")
            .fetch_one(&pool)
            .await?;
        if admins == 0 {
            println!(
                "Base vide, aucun compte administrateur. Créez le premier avec :\n  \
                 MIP_ADMIN_PASSWORD='…' server create-admin --email prenom.nom@exemple.gouv.fr --name \"Prénom Nom\"\n\
                 (ou relancez avec --demo pour des données de démonstration)."
            );
        }
    }
    let conf = get_configuration(None)?;
    let leptos_options = conf.leptos_options;
    let addr = leptos_options.site_addr;
    let public_url = public_url
        .map(|u| u.trim_end_matches('/').to_string())
        .unwrap_or_else(|| format!("http://{addr}"));
    let state = AppState {
        leptos_options,
        pool,
        clock,
        catalogs: Default::default(),
        public_url,
        mailer: mailer()?,
        kept_input: Default::default(),
    };
    let app = server::router(state);
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    tracing::info!("à l'écoute sur http://{addr}");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(())
}

/// SMTP when `MIP_SMTP_URL` is set; otherwise `.eml` files in `MIP_OUTBOX_DIR`
/// (default `data/outbox`). Every message is also in the `outbox` table.
fn mailer() -> Result<app::accounts::mail::Mailer, Box<dyn std::error::Error>> {
    use app::accounts::mail::{Mailer, DEFAULT_FROM};
    let from = std::env::var("MIP_MAIL_FROM").unwrap_or_else(|_| DEFAULT_FROM.to_string());
    let mailer = match std::env::var("MIP_SMTP_URL") {
        Ok(url) if !url.is_empty() => {
            tracing::info!("courriels envoyés par SMTP");
            Mailer::smtp(&url, &from)?
        }
        _ => {
            let dir = std::env::var("MIP_OUTBOX_DIR").unwrap_or_else(|_| "data/outbox".to_string());
            tracing::info!("courriels écrits dans {dir} (aucun MIP_SMTP_URL)");
            Mailer::files(dir.into(), &from)?
        }
    };
    Ok(mailer)
}

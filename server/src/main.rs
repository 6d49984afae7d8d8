#![recursion_limit = "512"]
use std::future::IntoFuture;
use std::io::Read;
use std::process::ExitCode;

use axum::serve::ListenerExt;
use clap::Parser;
use leptos::config::get_configuration;
use tracing_subscriber::EnvFilter;

use app::reference::Role;
use app::state::{AppState, Clock};
use server::config::{Cli, Command, ConfigError, ServeArgs};
use server::{accounts, backup, db, demo};

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
    // Logs are a stream on standard output: one line per request (`mip::request`, with its
    // id) and per event; JSON lines when MIP_LOG_FORMAT=json (for a log collector).
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    if std::env::var("MIP_LOG_FORMAT").is_ok_and(|f| f == "json") {
        tracing_subscriber::fmt()
            .json()
            .flatten_event(true)
            .with_env_filter(filter)
            .init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return server::config::exit_on_bad_arguments(error),
    };
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One line, whatever the message carries (SQLite's integrity reports have several).
            let message = error.to_string().replace(['\r', '\n'], " ");
            eprintln!("erreur : {message}");
            if error.downcast_ref::<ConfigError>().is_some() {
                ExitCode::from(server::config::CONFIG_EXIT_CODE)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

async fn connect(database_url: &str) -> Result<sqlx::SqlitePool, Box<dyn std::error::Error>> {
    Ok(db::connect(database_url)
        .await
        .map_err(|e| format!("base de données {database_url} : {e}"))?)
}

async fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error>> {
    let clock = cli.now.map(Clock::Fixed).unwrap_or(Clock::System);
    let command = match cli.command {
        // `server --demo serve` as `server serve --demo`.
        Some(Command::Serve(args)) => Command::Serve(args.or(cli.serve)),
        Some(command) => command,
        None => Command::Serve(cli.serve),
    };
    match command {
        Command::Serve(args) => serve(clock, args, cli.public_url, &cli.database_url).await,
        Command::Backup { file, force } => {
            let pool = backup::open_existing(&cli.database_url).await?;
            let written = backup::backup_to(&pool, &file, force).await;
            pool.close().await;
            let written = written?;
            println!(
                "Sauvegarde écrite : {} ({} octets, intégrité vérifiée).",
                written.file.display(),
                written.bytes
            );
            Ok(())
        }
        Command::Restore { file } => {
            let target = backup::database_file(&cli.database_url)?;
            let restored = backup::restore(&file, &target).await?;
            println!(
                "Sauvegarde {} restaurée dans {} ({} migrations{}).",
                file.display(),
                target.display(),
                restored.applied,
                if restored.pending > 0 {
                    format!(
                        " ; {} nouvelles seront appliquées au prochain démarrage",
                        restored.pending
                    )
                } else {
                    String::new()
                }
            );
            Ok(())
        }
        Command::LoadDemo {
            seed,
            events,
            demo_credentials,
        } => {
            let pool = connect(&cli.database_url).await?;
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
            pool.close().await;
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
            let pool = connect(&cli.database_url).await?;
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
            pool.close().await;
            println!("Compte administrateur n° {id} créé pour {email}.");
            Ok(())
        }
    }
}

/// How long requests in flight may take to finish after SIGTERM or Ctrl-C.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(20);

async fn serve(
    clock: Clock,
    args: ServeArgs,
    public_url: Option<String>,
    database_url: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    // Everything the environment says is checked before anything is opened or created.
    let conf = get_configuration(None).map_err(|e| ConfigError(format!("LEPTOS_… : {e}")))?;
    let leptos_options = conf.leptos_options;
    let addr = leptos_options.site_addr;
    let production = leptos_options.env == leptos::config::Env::PROD;
    if production && !args.demo && public_url.is_none() {
        return Err(Box::new(ConfigError(
            "MIP_PUBLIC_URL est obligatoire en production (LEPTOS_ENV=PROD) : l'adresse publique \
             du site, ex. MIP_PUBLIC_URL=https://mois-innovation.example.gouv.fr (ou --demo pour \
             une démonstration)"
                .into(),
        )));
    }
    let public_url = public_url.unwrap_or_else(|| format!("http://{addr}"));
    if production && public_url.starts_with("http://") && !args.demo {
        tracing::warn!(
            "MIP_PUBLIC_URL en http:// : les cookies de session ne sont pas marqués Secure"
        );
    }
    let mailer = mailer().map_err(|e| ConfigError(e.to_string()))?;
    let proconnect = args.proconnect(&public_url)?.map(std::sync::Arc::new);
    let schedule = backup_schedule(&args)?;

    let pool = connect(database_url).await?;
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
    let state = AppState {
        leptos_options,
        pool: pool.clone(),
        clock,
        catalogs: Default::default(),
        public_url,
        mailer,
        kept_input: Default::default(),
        audience: app::audience::counter::Counter::new(args.audience.unwrap_or(true)),
        proconnect,
    };
    // The outbox's sender: delivers queued mail outside the requests.
    app::accounts::mail::spawn_sender(state.clone());
    let audience = server::audience::Writer::spawn(&state);
    let app = server::router(state);
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .map_err(|e| format!("LEPTOS_SITE_ADDR {addr} : {e}"))?;
    let local = listener.local_addr()?;
    let termination = termination_signal()?;
    tracing::info!("à l'écoute sur http://{local}");

    let (stop, stopped) = tokio::sync::watch::channel(false);
    let backups = schedule.map(|schedule| {
        tracing::info!(
            dir = %schedule.dir.display(),
            interval = ?schedule.interval,
            keep = schedule.keep,
            "sauvegardes programmées"
        );
        tokio::spawn(backup::run_schedule(
            pool.clone(),
            schedule,
            stopped.clone(),
        ))
    });
    tokio::spawn(async move {
        termination.await;
        tracing::info!("arrêt demandé : plus de nouvelles connexions, fin des requêtes en cours");
        let _ = stop.send(true);
    });
    let until_stopped = |mut stopped: tokio::sync::watch::Receiver<bool>| async move {
        let _ = stopped.wait_for(|stopped| *stopped).await;
    };
    // At the signal, the listener takes the connections already queued and closes (new ones
    // are refused); once those have sent their request, axum lets the requests in flight
    // (streamed bodies included) finish and closes the idle keep-alive connections…
    let listener = server::shutdown::DrainingListener::new(listener, stopped.clone());
    let unread = listener.unread();
    let serving = axum::serve(
        listener.tap_io(|_| {}),
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown({
        let stopped = stopped.clone();
        async move {
            until_stopped(stopped).await;
            server::shutdown::settled(&unread, server::shutdown::SETTLE).await;
        }
    });
    // …for SHUTDOWN_GRACE at most.
    let deadline = {
        let stopped = stopped.clone();
        async move {
            until_stopped(stopped).await;
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        }
    };
    tokio::select! {
        served = serving.into_future() => served?,
        () = deadline => tracing::warn!(
            "des requêtes duraient encore {SHUTDOWN_GRACE:?} après la demande d'arrêt : interrompues"
        ),
    }
    if let Some(backups) = backups {
        // A scheduled backup under way is finished; none starts any more.
        let _ = backups.await;
    }
    // The audience counts of the last requests are written.
    audience.finish().await;
    // Checkpoints the WAL into the database file and closes it.
    if tokio::time::timeout(std::time::Duration::from_secs(10), pool.close())
        .await
        .is_err()
    {
        tracing::warn!("la base n'a pas pu être fermée proprement en 10 s");
    }
    tracing::info!("arrêté");
    Ok(())
}

/// The scheduled backups' settings (`MIP_BACKUP_DIR` and its companions), its folder created.
fn backup_schedule(args: &ServeArgs) -> Result<Option<backup::Schedule>, ConfigError> {
    let Some(dir) = &args.backup_dir else {
        return Ok(None);
    };
    std::fs::create_dir_all(dir)
        .map_err(|e| ConfigError(format!("MIP_BACKUP_DIR : {} : {e}", dir.display())))?;
    Ok(Some(backup::Schedule {
        dir: dir.clone(),
        interval: args
            .backup_interval
            .unwrap_or(server::config::DEFAULT_BACKUP_INTERVAL),
        keep: args
            .backup_keep
            .unwrap_or(server::config::DEFAULT_BACKUP_KEEP),
    }))
}

/// SIGTERM (systemd, containers) or Ctrl-C, listened to from the call on: a signal that
/// comes as soon as the server says it listens is not the default "terminate at once".
fn termination_signal(
) -> Result<std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>, std::io::Error> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut terminate = signal(SignalKind::terminate())?;
        let mut interrupt = signal(SignalKind::interrupt())?;
        Ok(Box::pin(async move {
            tokio::select! {
                _ = terminate.recv() => {}
                _ = interrupt.recv() => {}
            }
        }))
    }
    #[cfg(not(unix))]
    Ok(Box::pin(async {
        let _ = tokio::signal::ctrl_c().await;
    }))
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

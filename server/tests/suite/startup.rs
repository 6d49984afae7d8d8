//! The binary's start: a production start on an empty database creates nothing (no account
//! with a known password); the demo is loaded only when asked, with random passwords kept in
//! a file readable by the owner only.
use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sqlx::sqlite::SqlitePoolOptions;

/// A fresh folder under the system's temporary one.
fn temp_dir(name: &str) -> std::path::PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let dir = std::env::temp_dir().join(format!("mip-{name}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn server() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    command
        .env_remove("MIP_DEMO")
        .env_remove("MIP_DEMO_CREDENTIALS")
        .env("RUST_LOG", "warn")
        .env("LEPTOS_OUTPUT_NAME", "mip")
        .env("LEPTOS_SITE_ROOT", "target/site")
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env(
            "MIP_OUTBOX_DIR",
            std::env::temp_dir().join("mip-startup-outbox"),
        );
    command
}

async fn count(url: &str, sql: &'static str) -> i64 {
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
        .unwrap();
    let n = sqlx::query_scalar(sql).fetch_one(&pool).await.unwrap();
    pool.close().await;
    n
}

/// Starts `serve` with `args`, reads its output until `until` appears (or 60 s), stops it.
fn serve_until(url: &str, args: &[&str], until: &str) -> String {
    let mut child = server()
        .env("DATABASE_URL", url)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut seen = String::new();
    for line in stdout.lines() {
        let line = line.unwrap();
        seen.push_str(&line);
        seen.push('\n');
        if line.contains(until) || Instant::now() > deadline {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    seen
}

#[tokio::test]
async fn a_production_start_on_an_empty_database_creates_no_account() {
    let dir = temp_dir("prod");
    let url = format!("sqlite://{}/prod.sqlite", dir.display());
    let output = serve_until(&url, &["serve"], "create-admin");
    assert!(
        output.contains("create-admin"),
        "says how to create the first admin: {output}"
    );
    assert_eq!(count(&url, "SELECT count(*) FROM accounts").await, 0);
    assert_eq!(count(&url, "SELECT count(*) FROM editions").await, 0);
    assert!(!dir.join("demo-accounts.json").exists());
}

#[tokio::test]
async fn the_demo_gets_random_passwords_kept_for_the_owner_only() {
    let dir = temp_dir("demo");
    let url = format!("sqlite://{}/demo.sqlite", dir.display());
    let output = serve_until(&url, &["--demo"], "admin@example.org");
    let file = dir.join("demo-accounts.json");
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "readable by the owner only");
    let accounts: Vec<server::demo::DemoCredential> =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(accounts.len(), 3);
    for account in &accounts {
        assert!(account.password.len() >= 20, "{account:?}");
        assert!(
            output.contains(&account.password),
            "printed once at start-up"
        );
        // The stored hash is of that password.
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect(&url)
            .await
            .unwrap();
        let hash: String = sqlx::query_scalar("SELECT password_hash FROM accounts WHERE email = ?")
            .bind(&account.email)
            .fetch_one(&pool)
            .await
            .unwrap();
        assert!(
            app::accounts::password::verify(account.password.clone(), hash)
                .await
                .unwrap()
        );
        pool.close().await;
    }
    // Two demos never share a password.
    let other = server::demo::DemoCredentials::random();
    assert!(other
        .0
        .iter()
        .all(|o| accounts.iter().all(|a| a.password != o.password)));
    // A second start keeps the data and does not print the passwords again.
    let again = serve_until(&url, &["--demo"], "demo-accounts.json");
    assert!(
        accounts.iter().all(|a| !again.contains(&a.password)),
        "{again}"
    );
}

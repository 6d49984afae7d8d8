//! The deterministic demo: three editions (2024–2026), ~850 events, ~75 labs and the demo
//! accounts. Same seed → same rows (apart from password salts). Everything is written in one
//! transaction: a failure leaves the database as it was.
//!
//! - `generator.rs`: the generator, the editions' plan, the accounts, organizers and labs;
//! - `events.rs`: the events of an edition, drawn one by one;
//! - `content.rs`: the words the demo draws from (names, titles, descriptions).
mod content;
mod events;
mod generator;

use std::collections::BTreeMap;
use std::fmt;

use rand::Rng;
use sqlx::SqlitePool;

use app::reference::Role;

use crate::accounts;
use generator::Generator;

pub const DEFAULT_SEED: u64 = 2026;

/// The demo accounts that can sign in: role, address, name. Their passwords are drawn at
/// random when the demo is loaded ([`DemoCredentials::random`]), never written in the source.
pub const DEMO_ACCOUNTS: [(Role, &str, &str); 3] = [
    (
        Role::Organizer,
        "organisatrice@example.org",
        "Camille Martin",
    ),
    (Role::Moderator, "moderation@example.org", "Nadia Benali"),
    (Role::Admin, "admin@example.org", "Julien Moreau"),
];

/// One demo account's sign-in, as kept in the credentials file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DemoCredential {
    pub role: String,
    pub email: String,
    pub password: String,
    /// Moderators and administrators sign in with a second factor: the secret (base32) to
    /// type into an authenticator app, the demo's accounts being enrolled already.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub totp_secret: Option<String>,
}

/// The passwords of the demo accounts ([`DEMO_ACCOUNTS`], in the same order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoCredentials(pub Vec<DemoCredential>);

impl DemoCredentials {
    /// Random passwords: 24 characters from an alphabet without look-alikes (≈ 135 bits),
    /// drawn from the thread's cryptographic generator (ChaCha, seeded by the system).
    pub fn random() -> Self {
        const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        let mut rng = rand::rng();
        let mut credentials = Self::with_passwords(
            DEMO_ACCOUNTS.map(|_| {
                (0..24)
                    .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
                    .collect()
            }),
            "",
        );
        for credential in &mut credentials.0 {
            if credential.totp_secret.is_some() {
                credential.totp_secret = Some(app::accounts::second_factor::new_secret());
            }
        }
        credentials
    }

    /// Given passwords, in the order of [`DEMO_ACCOUNTS`], and the staff's second factor
    /// secret (tests).
    pub fn with_passwords(passwords: [String; 3], totp_secret: &str) -> Self {
        DemoCredentials(
            DEMO_ACCOUNTS
                .iter()
                .zip(passwords)
                .map(|((role, email, _), password)| DemoCredential {
                    role: role.as_str().to_string(),
                    email: email.to_string(),
                    password,
                    totp_secret: (*role != Role::Organizer).then(|| totp_secret.to_string()),
                })
                .collect(),
        )
    }

    /// Writes them to `path`, readable and writable by the owner only (mode 0600, set when
    /// the file is created, before anything is written), replacing an older file.
    pub fn save(&self, path: &std::path::Path) -> std::io::Result<()> {
        use std::io::Write;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let _ = std::fs::remove_file(path);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(path)?;
        let json = serde_json::to_string_pretty(&self.0).map_err(std::io::Error::other)?;
        file.write_all(json.as_bytes())?;
        file.write_all(b"\n")?;
        file.sync_all()
    }

    pub fn print(&self, path: &std::path::Path) {
        println!(
            "Comptes de démonstration (données fictives ; mots de passe tirés au hasard, \
             affichés cette fois seulement et gardés dans {}, lisible par vous seul) :",
            path.display()
        );
        for account in &self.0 {
            println!(
                "  {:<10} {:<28} mot de passe : {}",
                account.role, account.email, account.password
            );
            if let Some(secret) = &account.totp_secret {
                println!(
                    "  {:<10} {:<28} double authentification, clé à saisir dans une application \
                     d'authentification : {secret}",
                    "", ""
                );
            }
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(
        "la base contient déjà des éditions : la démonstration ne se charge que dans une base vide"
    )]
    NotEmpty,
    #[error("base de données : {0}")]
    Database(#[from] sqlx::Error),
    #[error("données de démonstration invalides : {0}")]
    Data(String),
}

/// What was loaded, for the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    /// Per edition year: (published events, all events).
    pub events: BTreeMap<i32, (usize, usize)>,
    pub labs: usize,
    pub accounts: usize,
}

impl fmt::Display for DemoSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Démonstration chargée :")?;
        for (year, (published, all)) in &self.events {
            write!(f, " {year} : {published} événements publiés sur {all} ;")?;
        }
        write!(f, " {} labs ; {} comptes.", self.labs, self.accounts)
    }
}

pub async fn is_empty(pool: &SqlitePool) -> Result<bool, sqlx::Error> {
    let editions: i64 = sqlx::query_scalar("SELECT count(*) FROM editions")
        .fetch_one(pool)
        .await?;
    Ok(editions == 0)
}

/// The demo with random passwords, which are not kept (tests that do not sign in).
pub async fn load(pool: &SqlitePool, seed: u64) -> Result<DemoSummary, DemoError> {
    load_sized(pool, seed, None).await
}

/// The demo, with `current_events` events in the current edition instead of the usual
/// ~385 (benchmarks generate editions of 3,500 and 35,000 events this way), and random
/// passwords that are not kept.
pub async fn load_sized(
    pool: &SqlitePool,
    seed: u64,
    current_events: Option<usize>,
) -> Result<DemoSummary, DemoError> {
    load_with(pool, seed, current_events, &DemoCredentials::random()).await
}

/// The demo, its accounts signing in with `credentials`.
pub async fn load_with(
    pool: &SqlitePool,
    seed: u64,
    current_events: Option<usize>,
    credentials: &DemoCredentials,
) -> Result<DemoSummary, DemoError> {
    // Hash the demo passwords before taking the write lock (argon2 is deliberately slow).
    let mut demo_hashes = Vec::new();
    for credential in &credentials.0 {
        demo_hashes.push(
            accounts::hash_password(&credential.password)
                .map_err(|e| DemoError::Data(e.to_string()))?,
        );
    }
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let editions: i64 = sqlx::query_scalar("SELECT count(*) FROM editions")
        .fetch_one(&mut *tx)
        .await?;
    if editions > 0 {
        return Err(DemoError::NotEmpty);
    }
    let summary = Generator::new(&mut tx, seed)
        .await?
        .run(&mut tx, &demo_hashes, current_events)
        .await?;
    // The staff accounts are enrolled in the second factor with their printed secret.
    for credential in &credentials.0 {
        if let Some(secret) = &credential.totp_secret {
            sqlx::query(
                "UPDATE accounts SET totp_secret = ?, totp_enabled_at = created_at WHERE email = ?",
            )
            .bind(secret)
            .bind(&credential.email)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    Ok(summary)
}

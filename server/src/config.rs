//! Configuration: command-line flags, each with an environment variable. A bad value is a
//! one-line message naming its variable and exit code 2 (see [`exit_on_bad_arguments`] and
//! [`ConfigError`]), never a panic.
use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};

/// The embedded default: a SQLite file under `data/`, created on first start.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/mip.sqlite";

#[derive(Debug, Parser)]
#[command(
    name = "server",
    about = "Plateforme du Mois de l'innovation publique : serveur web et tâches d'administration."
)]
pub struct Cli {
    /// SQLite database (sqlx URL). Created with its folder when missing.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true,
          value_parser = parse_database_url)]
    pub database_url: String,

    /// A fixed "now" (RFC 3339), for previews and tests; the system clock otherwise.
    #[arg(long, env = "MIP_NOW", global = true, value_parser = parse_now)]
    pub now: Option<DateTime<Utc>>,

    /// The site's public address (`https://…`, no path, query or fragment): absolute links in
    /// feeds and mail, and cookie security (`Secure` and `__Host-` under https). Required to
    /// serve in production (LEPTOS_ENV=PROD) without `--demo`; otherwise
    /// http://LEPTOS_SITE_ADDR.
    #[arg(long, env = "MIP_PUBLIC_URL", global = true, value_parser = parse_public_url)]
    pub public_url: Option<String>,

    /// Serving without a subcommand takes the same flags as `serve`.
    #[command(flatten)]
    pub serve: ServeArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the site (the default). The address comes from LEPTOS_SITE_ADDR.
    Serve(ServeArgs),
    /// Load the deterministic demo (editions 2024–2026, events, labs, accounts) into an
    /// empty database; the demo accounts' random passwords are printed and kept in a file
    /// readable by the owner only (see `serve --demo-credentials`).
    LoadDemo {
        /// Seed of the generator: the same seed gives the same data.
        #[arg(long, env = "MIP_DEMO_SEED", default_value_t = crate::demo::DEFAULT_SEED)]
        seed: u64,
        /// Events in the current edition (default: about 385), e.g. 35000 for benchmarks.
        #[arg(long)]
        events: Option<usize>,
        /// Where to keep the demo accounts' passwords (default: beside the database).
        #[arg(long, env = "MIP_DEMO_CREDENTIALS")]
        demo_credentials: Option<std::path::PathBuf>,
    },
    /// Create an admin account (the password is read from MIP_ADMIN_PASSWORD or standard input).
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "DITP")]
        structure: String,
    },
    /// Write a consistent copy of the database to FILE, while the server serves and writes
    /// (SQLite's `VACUUM INTO`, checked with `PRAGMA integrity_check`, then renamed into place).
    Backup {
        /// The backup to write; refused when it exists, unless --force.
        file: PathBuf,
        /// Replace FILE when it exists.
        #[arg(long)]
        force: bool,
    },
    /// Put a backup back in place of DATABASE_URL's file. Stop the server first. Refused for
    /// a file that is not a sound SQLite database or not a backup of this application's
    /// schema; a backup older than this binary is migrated at the next start.
    Restore {
        /// The backup to restore.
        file: PathBuf,
    },
}

#[derive(Debug, Clone, clap::Args, Default)]
#[command(next_help_heading = "Serve")]
pub struct ServeArgs {
    /// Audience figures per event (views, saves, calendar downloads, registration clicks),
    /// counted in memory and written in batches: `on` (the default) or `off`.
    #[arg(long, env = "MIP_AUDIENCE", value_parser = parse_on_off)]
    pub audience: Option<bool>,

    /// Load the demo (fictitious data and three demo accounts with random passwords) into an
    /// empty database. Without it, an empty database stays empty: a production start never
    /// creates an account by itself.
    #[arg(long, env = "MIP_DEMO")]
    pub demo: bool,

    /// Where the demo accounts' passwords are kept (readable by the owner only); by default
    /// `demo-accounts.json` beside the SQLite file.
    #[arg(long, env = "MIP_DEMO_CREDENTIALS")]
    pub demo_credentials: Option<std::path::PathBuf>,

    /// Folder of the scheduled backups, written by the server itself (none when unset).
    #[arg(long, env = "MIP_BACKUP_DIR")]
    pub backup_dir: Option<PathBuf>,

    /// Time between two scheduled backups, e.g. `6h`, `30m`, `1h30m`, `1d` (default 6h).
    #[arg(long, env = "MIP_BACKUP_INTERVAL", value_parser = parse_interval)]
    pub backup_interval: Option<Duration>,

    /// Scheduled backups kept: the oldest beyond it are deleted (default 28: a week at 6h).
    #[arg(long, env = "MIP_BACKUP_KEEP", value_parser = parse_keep)]
    pub backup_keep: Option<usize>,

    /// ProConnect's issuer, e.g. `https://auth.agentconnect.gouv.fr/api/v2` (its discovery
    /// document is read from `{issuer}/.well-known/openid-configuration`). The « S'identifier
    /// avec ProConnect » button shows when the issuer, the client id and the secret are set.
    /// Register `{MIP_PUBLIC_URL}/connexion/proconnect/retour` as the redirect URI and
    /// `{MIP_PUBLIC_URL}/connexion/proconnect/deconnecte` as the post-logout redirect URI.
    #[arg(long, env = "MIP_PROCONNECT_ISSUER")]
    pub proconnect_issuer: Option<String>,

    /// The client id ProConnect gave the platform.
    #[arg(long, env = "MIP_PROCONNECT_CLIENT_ID")]
    pub proconnect_client_id: Option<String>,

    /// The client secret ProConnect gave the platform.
    #[arg(long, env = "MIP_PROCONNECT_CLIENT_SECRET", hide_env_values = true)]
    pub proconnect_client_secret: Option<String>,
}

/// Scheduled backups' interval when MIP_BACKUP_DIR is set without MIP_BACKUP_INTERVAL.
pub const DEFAULT_BACKUP_INTERVAL: Duration = Duration::from_secs(6 * 3600);
/// Scheduled backups kept when MIP_BACKUP_KEEP is unset.
pub const DEFAULT_BACKUP_KEEP: usize = 28;

impl ServeArgs {
    /// `server --demo serve …`: the flags given before the subcommand complete those after it.
    pub fn or(self, outer: ServeArgs) -> ServeArgs {
        ServeArgs {
            audience: self.audience.or(outer.audience),
            demo: self.demo || outer.demo,
            demo_credentials: self.demo_credentials.or(outer.demo_credentials),
            backup_dir: self.backup_dir.or(outer.backup_dir),
            backup_interval: self.backup_interval.or(outer.backup_interval),
            backup_keep: self.backup_keep.or(outer.backup_keep),
            proconnect_issuer: self.proconnect_issuer.or(outer.proconnect_issuer),
            proconnect_client_id: self.proconnect_client_id.or(outer.proconnect_client_id),
            proconnect_client_secret: self
                .proconnect_client_secret
                .or(outer.proconnect_client_secret),
        }
    }

    /// Sign-in with ProConnect: `None` when none of its three settings is given, an error
    /// naming the missing ones when only some are.
    pub fn proconnect(
        &self,
        public_url: &str,
    ) -> Result<Option<app::accounts::proconnect::ProConnect>, ConfigError> {
        let given = [
            ("MIP_PROCONNECT_ISSUER", &self.proconnect_issuer),
            ("MIP_PROCONNECT_CLIENT_ID", &self.proconnect_client_id),
            (
                "MIP_PROCONNECT_CLIENT_SECRET",
                &self.proconnect_client_secret,
            ),
        ];
        let missing: Vec<&str> = given
            .iter()
            .filter(|(_, value)| value.as_deref().is_none_or(|v| v.trim().is_empty()))
            .map(|(name, _)| *name)
            .collect();
        match (missing.len(), &given) {
            (3, _) => Ok(None),
            (0, [(_, Some(issuer)), (_, Some(id)), (_, Some(secret))]) => {
                if !(issuer.starts_with("https://") || issuer.starts_with("http://127.0.0.1")) {
                    return Err(ConfigError(format!(
                        "MIP_PROCONNECT_ISSUER : une adresse https:// est attendue (reçu « {issuer} »)"
                    )));
                }
                app::accounts::proconnect::ProConnect::new(issuer, id, secret, public_url)
                    .map(Some)
                    .map_err(ConfigError)
            }
            _ => Err(ConfigError(format!(
                "ProConnect à moitié configuré : il manque {}",
                missing.join(", ")
            ))),
        }
    }
}

/// A configuration that cannot work (a bad variable, a missing one in production): the binary
/// says so in one line and exits with code 2, before touching anything.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

/// The exit code of a bad configuration (as clap's own usage errors).
pub const CONFIG_EXIT_CODE: u8 = 2;

/// Help and version go to standard output with code 0; a bad argument or variable is one line
/// on standard error (the value parsers' messages name the variable) and code 2.
pub fn exit_on_bad_arguments(error: clap::Error) -> std::process::ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) {
        let _ = error.print();
        return std::process::ExitCode::SUCCESS;
    }
    let message = match std::error::Error::source(&error) {
        Some(source) if error.kind() == ErrorKind::ValueValidation => source.to_string(),
        // Clap's first paragraph, on one line (the usage and the hint to --help dropped).
        _ => error
            .to_string()
            .lines()
            .take_while(|line| !line.trim().is_empty())
            .map(str::trim)
            .collect::<Vec<_>>()
            .join(" ")
            .trim_start_matches("error: ")
            .to_string(),
    };
    eprintln!("erreur : {message}");
    std::process::ExitCode::from(CONFIG_EXIT_CODE)
}

fn parse_database_url(value: &str) -> Result<String, String> {
    use std::str::FromStr;
    if !value.starts_with("sqlite:") {
        return Err(format!(
            "DATABASE_URL : « {value} » n'est pas une adresse SQLite (ex. sqlite://data/mip.sqlite)"
        ));
    }
    sqlx::sqlite::SqliteConnectOptions::from_str(value)
        .map(|_| value.to_string())
        .map_err(|e| {
            format!("DATABASE_URL : « {value} » n'est pas une adresse SQLite (ex. sqlite://data/mip.sqlite) : {e}")
        })
}

fn parse_now(value: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(value)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            format!("MIP_NOW : « {value} » n'est pas une date RFC 3339 (ex. 2026-11-10T08:00:00Z) : {e}")
        })
}

/// An absolute `http(s)://host[:port]` address, kept without its final `/`.
pub fn parse_public_url(value: &str) -> Result<String, String> {
    let refuse = |why: &str| {
        Err(format!(
            "MIP_PUBLIC_URL : « {value} » {why} (attendu : l'adresse publique du site, ex. https://mois-innovation.example.gouv.fr)"
        ))
    };
    let trimmed = value.trim_end_matches('/');
    let Some((scheme, rest)) = trimmed.split_once("://") else {
        return refuse("n'est pas une adresse absolue");
    };
    if !matches!(scheme, "http" | "https") {
        return refuse("doit commencer par https:// ou http://");
    }
    if rest.contains(['?', '#']) {
        return refuse("ne doit avoir ni paramètres (?) ni fragment (#)");
    }
    if rest.contains('/') {
        return refuse("ne doit pas avoir de chemin : le site est servi à la racine");
    }
    if rest.contains('@') {
        return refuse("ne doit pas contenir d'identifiants");
    }
    match trimmed.parse::<http::Uri>() {
        Ok(uri) if uri.host().is_some_and(|h| !h.is_empty()) => Ok(trimmed.to_string()),
        _ => refuse("n'est pas une adresse valide"),
    }
}

/// `on` or `off` (as MIP_AUDIENCE takes it).
fn parse_on_off(value: &str) -> Result<bool, String> {
    match value.trim() {
        "on" => Ok(true),
        "off" => Ok(false),
        other => Err(format!("« on » ou « off » attendu (reçu « {other} »)")),
    }
}

/// A duration written `6h`, `30m`, `1h30m`, `45s`, `1d`: at least one second.
pub fn parse_interval(value: &str) -> Result<Duration, String> {
    let refuse = || {
        format!("MIP_BACKUP_INTERVAL : « {value} » n'est pas une durée d'au moins une seconde (ex. 6h, 30m, 1h30m, 1d)")
    };
    let mut total: u64 = 0;
    let mut number = String::new();
    let mut unit = String::new();
    let mut parts = Vec::new();
    for c in value.trim().chars() {
        if c.is_ascii_digit() {
            if !unit.is_empty() {
                parts.push((std::mem::take(&mut number), std::mem::take(&mut unit)));
            }
            number.push(c);
        } else if c.is_ascii_alphabetic() && !number.is_empty() {
            unit.push(c);
        } else {
            return Err(refuse());
        }
    }
    if number.is_empty() || unit.is_empty() {
        return Err(refuse());
    }
    parts.push((number, unit));
    for (number, unit) in parts {
        let n: u64 = number.parse().map_err(|_| refuse())?;
        let seconds = match unit.as_str() {
            "s" => 1,
            "m" | "min" => 60,
            "h" => 3600,
            "d" | "j" => 86_400,
            _ => return Err(refuse()),
        };
        total = n
            .checked_mul(seconds)
            .and_then(|s| total.checked_add(s))
            .ok_or_else(refuse)?;
    }
    if total == 0 {
        return Err(refuse());
    }
    Ok(Duration::from_secs(total))
}

fn parse_keep(value: &str) -> Result<usize, String> {
    match value.trim().parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!(
            "MIP_BACKUP_KEEP : « {value} » n'est pas un nombre de sauvegardes à garder (1 ou plus)"
        )),
    }
}

/// The file of the demo accounts' passwords: `path`, or `demo-accounts.json` beside the
/// database file (`data/` for an in-memory database).
pub fn demo_credentials_path(
    path: Option<&std::path::Path>,
    database_url: &str,
) -> std::path::PathBuf {
    if let Some(path) = path {
        return path.to_path_buf();
    }
    let file = database_url
        .strip_prefix("sqlite://")
        .or_else(|| database_url.strip_prefix("sqlite:"))
        .map(|rest| rest.split('?').next().unwrap_or_default())
        .filter(|file| !file.is_empty() && !file.starts_with(":memory:"));
    let dir = file
        .and_then(|file| std::path::Path::new(file).parent().map(|p| p.to_path_buf()))
        .filter(|dir| !dir.as_os_str().is_empty())
        .unwrap_or_else(|| std::path::PathBuf::from("data"));
    dir.join("demo-accounts.json")
}

#[cfg(test)]
mod tests {
    use super::{demo_credentials_path, parse_interval, parse_public_url};
    use std::path::{Path, PathBuf};
    use std::time::Duration;

    #[test]
    fn intervals_are_read_as_operators_write_them() {
        assert_eq!(parse_interval("6h"), Ok(Duration::from_secs(6 * 3600)));
        assert_eq!(parse_interval("30m"), Ok(Duration::from_secs(1800)));
        assert_eq!(parse_interval("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_interval("1d"), Ok(Duration::from_secs(86_400)));
        assert_eq!(parse_interval("1s"), Ok(Duration::from_secs(1)));
        for junk in [
            "",
            "6",
            "h",
            "0s",
            "6 heures",
            "-1h",
            "1.5h",
            "6x",
            "99999999999999999999d",
        ] {
            let error = parse_interval(junk).unwrap_err();
            assert!(error.starts_with("MIP_BACKUP_INTERVAL"), "{junk}: {error}");
        }
    }

    #[test]
    fn the_public_url_is_an_absolute_address_of_the_site_root() {
        assert_eq!(
            parse_public_url("https://mip.example.gouv.fr/").as_deref(),
            Ok("https://mip.example.gouv.fr")
        );
        assert_eq!(
            parse_public_url("http://127.0.0.1:3000").as_deref(),
            Ok("http://127.0.0.1:3000")
        );
        for junk in [
            "mip.example.gouv.fr",
            "ftp://mip.example.gouv.fr",
            "https://mip.example.gouv.fr/?a=1",
            "https://mip.example.gouv.fr#x",
            "https://mip.example.gouv.fr/site",
            "https://user:pw@mip.example.gouv.fr",
            "https://",
            "https://exa mple.fr",
        ] {
            let error = parse_public_url(junk).unwrap_err();
            assert!(error.starts_with("MIP_PUBLIC_URL"), "{junk}: {error}");
        }
    }

    #[test]
    fn demo_credentials_sit_beside_the_database() {
        assert_eq!(
            demo_credentials_path(None, "sqlite://data/mip.sqlite"),
            PathBuf::from("data/demo-accounts.json")
        );
        assert_eq!(
            demo_credentials_path(None, "sqlite:///tmp/x/e2e.sqlite?mode=rwc"),
            PathBuf::from("/tmp/x/demo-accounts.json")
        );
        assert_eq!(
            demo_credentials_path(None, "sqlite::memory:"),
            PathBuf::from("data/demo-accounts.json")
        );
        assert_eq!(
            demo_credentials_path(Some(Path::new("/run/c.json")), "sqlite://a.db"),
            PathBuf::from("/run/c.json")
        );
    }
}

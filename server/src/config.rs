//! Configuration: command-line flags, each with an environment variable.
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
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    pub database_url: String,

    /// A fixed "now" (RFC 3339), for previews and tests; the system clock otherwise.
    #[arg(long, env = "MIP_NOW", global = true)]
    pub now: Option<DateTime<Utc>>,

    /// The site's public address, for absolute links in feeds (default: http://LEPTOS_SITE_ADDR).
    #[arg(long, env = "MIP_PUBLIC_URL", global = true)]
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
}

#[derive(Debug, Clone, clap::Args, Default)]
pub struct ServeArgs {
    /// Load the demo (fictitious data and three demo accounts with random passwords) into an
    /// empty database. Without it, an empty database stays empty: a production start never
    /// creates an account by itself.
    #[arg(long, env = "MIP_DEMO")]
    pub demo: bool,

    /// Where the demo accounts' passwords are kept (readable by the owner only); by default
    /// `demo-accounts.json` beside the SQLite file.
    #[arg(long, env = "MIP_DEMO_CREDENTIALS")]
    pub demo_credentials: Option<std::path::PathBuf>,
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
    use super::demo_credentials_path;
    use std::path::{Path, PathBuf};

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

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

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the site (the default). The address comes from LEPTOS_SITE_ADDR.
    Serve(ServeArgs),
    /// Load the deterministic demo (editions 2024–2026, events, labs, accounts) into an
    /// empty database.
    LoadDemo {
        /// Seed of the generator: the same seed gives the same data.
        #[arg(long, env = "MIP_DEMO_SEED", default_value_t = crate::demo::DEFAULT_SEED)]
        seed: u64,
        /// Events in the current edition (default: about 385), e.g. 35000 for benchmarks.
        #[arg(long)]
        events: Option<usize>,
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
    /// Do not load the demo into an empty database.
    #[arg(long, env = "MIP_NO_DEMO")]
    pub no_demo: bool,
}

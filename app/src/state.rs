//! Server state shared by the routes and the server functions (both see it through context).
use axum::extract::FromRef;
use chrono::{DateTime, Utc};
use leptos::config::LeptosOptions;
use leptos::prelude::use_context;
use sqlx::SqlitePool;

use crate::error::AppError;
use crate::programme::db::CatalogCache;

/// Where "now" comes from: the system clock, or a fixed instant (tests, demos, previews),
/// so that nothing depends on the time of day the code runs.
#[derive(Clone, Copy, Debug)]
pub enum Clock {
    System,
    Fixed(DateTime<Utc>),
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(at) => *at,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: SqlitePool,
    pub clock: Clock,
    /// Edition catalogues, rebuilt when the data changes.
    pub catalogs: CatalogCache,
    /// The site's public address (no trailing slash), for absolute links in feeds.
    pub public_url: String,
    /// Where e-mail goes (outbox table, plus files or SMTP).
    pub mailer: crate::accounts::mail::Mailer,
    /// What was typed in forms that came back with an error (`forms::kept`).
    pub kept_input: crate::forms::KeptInputs,
    /// Audience counts not yet written (`audience::counter`; off with `MIP_AUDIENCE=off`).
    pub audience: crate::audience::counter::Counter,
    /// Sign-in with ProConnect, when configured.
    pub proconnect: Option<std::sync::Arc<crate::accounts::proconnect::ProConnect>>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The application state, from the server function's or the render's context.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>()
        .ok_or_else(|| AppError::internal("state", "AppState missing from the context"))
}

/// Begins a write transaction: `BEGIN IMMEDIATE` takes the database's write lock at once, so
/// that a transaction never fails half-way on a busy database. Counted, with the time spent
/// waiting for a connection and the lock, for the operator (`/metrics`: at the referencing
/// deadline, this wait is what grows first).
pub async fn begin_write(
    pool: &SqlitePool,
) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
    let started = std::time::Instant::now();
    let tx = pool.begin_with("BEGIN IMMEDIATE").await;
    metrics::histogram!("mip_db_write_lock_wait_seconds").record(started.elapsed().as_secs_f64());
    let outcome = if tx.is_ok() { "begun" } else { "failed" };
    metrics::counter!("mip_db_write_transactions_total", "outcome" => outcome).increment(1);
    tx
}

pub fn now() -> Result<DateTime<Utc>, AppError> {
    app_state().map(|state| state.clock.now())
}

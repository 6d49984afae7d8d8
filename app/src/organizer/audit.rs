//! The audit log (server only): one row per state change or edit of an event.
use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use crate::error::AppError;
use crate::time::timestamp;

pub async fn record(
    conn: &mut SqliteConnection,
    event_id: i64,
    account_id: i64,
    action: &'static str,
    detail: &str,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO audit_log (event_id, account_id, at, action, detail) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(event_id)
    .bind(account_id)
    .bind(timestamp(at))
    .bind(action)
    .bind(detail)
    .execute(conn)
    .await?;
    Ok(())
}

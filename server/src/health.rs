//! `/healthz`: what a load balancer, systemd or a monitoring probe asks before sending traffic.
use std::time::Duration;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use app::state::AppState;

/// Longer than this, the database is as good as unavailable to a visitor.
pub const HEALTH_TIMEOUT: Duration = Duration::from_secs(2);

/// 200 `ok` when the database answers a read of a real table within [`HEALTH_TIMEOUT`]
/// (a pool exhausted by a stuck writer counts as unavailable); 503 with the reason otherwise.
/// Plain text, never cached.
pub async fn healthz(State(state): State<AppState>) -> Response {
    let read = sqlx::query_scalar::<_, i64>("SELECT count(*) FROM _sqlx_migrations")
        .fetch_one(&state.pool);
    let (status, body) = match tokio::time::timeout(HEALTH_TIMEOUT, read).await {
        Ok(Ok(_)) => (StatusCode::OK, "ok"),
        Ok(Err(error)) => {
            tracing::error!(%error, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
        Err(_) => {
            tracing::error!("health check: no answer from the database within {HEALTH_TIMEOUT:?}");
            (StatusCode::SERVICE_UNAVAILABLE, "database timeout")
        }
    };
    (
        status,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

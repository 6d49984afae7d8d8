//! Sessions (server only): a random token in an HttpOnly cookie, its SHA-256 in the
//! `sessions` table. Renewed at sign-in, ended at sign-out, password change and account
//! disable, after inactivity and at an absolute expiry. Also: single-use e-mail tokens and
//! sign-in throttling.
use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use http::header::{COOKIE, SET_COOKIE};
use http::request::Parts;
use http::HeaderValue;
use leptos::prelude::use_context;
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::{FromRow, SqlitePool};

use super::model::CurrentAccount;
use crate::error::AppError;
use crate::reference::Role;
use crate::state::AppState;

pub const COOKIE_NAME: &str = "mip_session";
/// A session ends after this long without a request…
pub const INACTIVITY: Duration = Duration::hours(8);
/// …and in any case this long after sign-in.
pub const ABSOLUTE: Duration = Duration::days(7);
/// Failed sign-ins allowed per address, and per client address, within the window.
pub const FAILURES_PER_ACCOUNT: i64 = 5;
pub const FAILURES_PER_IP: i64 = 20;
pub const FAILURE_WINDOW: Duration = Duration::minutes(15);

pub fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// 256 random bits, hex-encoded: what goes in cookies and links.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// What the database keeps of a token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn request_parts() -> Option<Parts> {
    use_context::<Parts>()
}

/// The value of a cookie in the request, if any.
pub fn cookie(parts: &Parts, name: &str) -> Option<String> {
    cookie_in(&parts.headers, name)
}

/// The value of a cookie in request headers, if any.
pub fn cookie_in(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// The client's address, for throttling (the TCP peer; put a proxy's header here if one
/// is added in front).
pub fn client_ip() -> String {
    request_parts()
        .and_then(|p| {
            p.extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip().to_string())
        })
        .unwrap_or_else(|| "inconnue".to_string())
}

fn set_cookie(state: &AppState, value: &str, max_age: i64) {
    let secure = if state.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let cookie =
        format!("{COOKIE_NAME}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}");
    if let (Some(options), Ok(header)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&cookie),
    ) {
        options.append_header(SET_COOKIE, header);
        // Pages that depend on who is signed in are never stored by shared caches.
        options.insert_header(
            http::header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
}

/// Starts a new session for `account_id` (a fresh id, whatever the browser had before) and
/// sets its cookie.
pub async fn start(state: &AppState, account_id: i64) -> Result<(), AppError> {
    let now = state.clock.now();
    if let Some(old) = request_parts().and_then(|p| cookie(&p, COOKIE_NAME)) {
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
            .bind(token_hash(&old))
            .execute(&state.pool)
            .await?;
    }
    let token = new_token();
    sqlx::query(
        "INSERT INTO sessions (token_hash, account_id, created_at, last_seen_at, expires_at) \
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(token_hash(&token))
    .bind(account_id)
    .bind(timestamp(now))
    .bind(timestamp(now))
    .bind(timestamp(now + ABSOLUTE))
    .execute(&state.pool)
    .await?;
    set_cookie(state, &token, ABSOLUTE.num_seconds());
    Ok(())
}

/// Ends this browser's session.
pub async fn end(state: &AppState) -> Result<(), AppError> {
    if let Some(token) = request_parts().and_then(|p| cookie(&p, COOKIE_NAME)) {
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
            .bind(token_hash(&token))
            .execute(&state.pool)
            .await?;
    }
    set_cookie(state, "", 0);
    Ok(())
}

/// Ends every session of an account (password change, disable).
pub async fn end_all(pool: &SqlitePool, account_id: i64) -> Result<(), AppError> {
    sqlx::query("DELETE FROM sessions WHERE account_id = ?")
        .bind(account_id)
        .execute(pool)
        .await?;
    Ok(())
}

#[derive(FromRow)]
struct SessionRow {
    id: i64,
    email: String,
    name: String,
    structure: String,
    role: String,
    organizer_type_id: Option<i64>,
    region_code: Option<String>,
    last_seen_at: String,
}

/// The signed-in account of this request, if its session is alive.
pub async fn current() -> Result<Option<CurrentAccount>, AppError> {
    let Some(token) = request_parts().and_then(|p| cookie(&p, COOKIE_NAME)) else {
        return Ok(None);
    };
    let state = crate::state::app_state()?;
    account_for_token(&state, &token).await
}

/// The signed-in account of a plain axum request (exports, files), from its cookie.
pub async fn account_for_headers(
    state: &AppState,
    headers: &http::HeaderMap,
) -> Result<Option<CurrentAccount>, AppError> {
    match cookie_in(headers, COOKIE_NAME) {
        Some(token) => account_for_token(state, &token).await,
        None => Ok(None),
    }
}

async fn account_for_token(
    state: &AppState,
    token: &str,
) -> Result<Option<CurrentAccount>, AppError> {
    let now = state.clock.now();
    let hash = token_hash(token);
    let row = sqlx::query_as::<_, SessionRow>(
        "SELECT a.id, a.email, a.name, a.structure, a.role, a.organizer_type_id, a.region_code, \
            s.last_seen_at \
         FROM sessions s JOIN accounts a ON a.id = s.account_id \
         WHERE s.token_hash = ? AND s.expires_at > ? AND s.last_seen_at > ? \
           AND a.disabled_at IS NULL AND a.email_confirmed_at IS NOT NULL",
    )
    .bind(&hash)
    .bind(timestamp(now))
    .bind(timestamp(now - INACTIVITY))
    .fetch_optional(&state.pool)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    // Keep the session alive, at most one write a minute.
    if row.last_seen_at < timestamp(now - Duration::minutes(1)) {
        sqlx::query("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?")
            .bind(timestamp(now))
            .bind(&hash)
            .execute(&state.pool)
            .await?;
    }
    let role = Role::parse(&row.role)
        .ok_or_else(|| AppError::internal("session", format!("unknown role {}", row.role)))?;
    Ok(Some(CurrentAccount {
        id: row.id,
        email: row.email,
        name: row.name,
        structure: row.structure,
        role,
        organizer_type_id: row.organizer_type_id,
        region_code: row.region_code,
    }))
}

/// The signed-in account, or 401.
pub async fn require() -> Result<CurrentAccount, AppError> {
    current().await?.ok_or(AppError::Unauthenticated)
}

/// Whether sign-in attempts for this address or from this client are suspended.
pub async fn throttled(
    pool: &SqlitePool,
    email: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let since = timestamp(now - FAILURE_WINDOW);
    let (per_account, per_ip): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM sign_in_failures WHERE email = ? AND at > ?), \
                (SELECT count(*) FROM sign_in_failures WHERE ip = ? AND at > ?)",
    )
    .bind(email)
    .bind(&since)
    .bind(ip)
    .bind(&since)
    .fetch_one(pool)
    .await?;
    Ok(per_account >= FAILURES_PER_ACCOUNT || per_ip >= FAILURES_PER_IP)
}

pub async fn record_failure(
    pool: &SqlitePool,
    email: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    sqlx::query("INSERT INTO sign_in_failures (email, ip, at) VALUES (?, ?, ?)")
        .bind(email)
        .bind(ip)
        .bind(timestamp(now))
        .execute(pool)
        .await?;
    // Old failures are of no use: keep the table small.
    sqlx::query("DELETE FROM sign_in_failures WHERE at < ?")
        .bind(timestamp(now - Duration::days(1)))
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn clear_failures(pool: &SqlitePool, email: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM sign_in_failures WHERE email = ?")
        .bind(email)
        .execute(pool)
        .await?;
    Ok(())
}

/// Purposes of single-use links.
pub const CONFIRM_EMAIL: &str = "confirm_email";
pub const RESET_PASSWORD: &str = "reset_password";

/// Creates a single-use link token; returns the token to put in the link.
pub async fn new_link_token(
    pool: &SqlitePool,
    account_id: i64,
    purpose: &'static str,
    new_email: Option<&str>,
    now: DateTime<Utc>,
    valid_for: Duration,
) -> Result<String, AppError> {
    let token = new_token();
    sqlx::query(
        "INSERT INTO account_tokens (token_hash, account_id, purpose, new_email, created_at, expires_at) \
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(token_hash(&token))
    .bind(account_id)
    .bind(purpose)
    .bind(new_email)
    .bind(timestamp(now))
    .bind(timestamp(now + valid_for))
    .execute(pool)
    .await?;
    Ok(token)
}

/// Uses a link token once: its account and new e-mail, or a clear refusal.
pub async fn use_link_token(
    tx: &mut sqlx::SqliteConnection,
    token: &str,
    purpose: &'static str,
    now: DateTime<Utc>,
) -> Result<(i64, Option<String>), AppError> {
    let row: Option<(i64, Option<String>, String, Option<String>)> = sqlx::query_as(
        "SELECT account_id, new_email, expires_at, used_at FROM account_tokens \
         WHERE token_hash = ? AND purpose = ?",
    )
    .bind(token_hash(token.trim()))
    .bind(purpose)
    .fetch_optional(&mut *tx)
    .await?;
    let invalid = || {
        AppError::field(
            "jeton",
            "Ce lien n'est pas valide ou a déjà servi. Demandez-en un nouveau.",
        )
    };
    let (account_id, new_email, expires_at, used_at) = row.ok_or_else(invalid)?;
    if used_at.is_some() {
        return Err(invalid());
    }
    if expires_at <= timestamp(now) {
        return Err(AppError::field(
            "jeton",
            "Ce lien a expiré. Demandez-en un nouveau.",
        ));
    }
    sqlx::query("UPDATE account_tokens SET used_at = ? WHERE token_hash = ?")
        .bind(timestamp(now))
        .bind(token_hash(token.trim()))
        .execute(&mut *tx)
        .await?;
    Ok((account_id, new_email))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_only_their_hash_is_kept() {
        let a = new_token();
        let b = new_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
        assert_eq!(token_hash(&a), token_hash(&a));
    }

    #[test]
    fn cookies_are_read_by_name() {
        let request = http::Request::get("/")
            .header(COOKIE, "a=1; mip_session=abc; b=2")
            .body(())
            .unwrap();
        let (parts, _) = request.into_parts();
        assert_eq!(cookie(&parts, COOKIE_NAME).as_deref(), Some("abc"));
        assert_eq!(cookie(&parts, "c"), None);
    }
}

//! Sessions (server only): a random token in an HttpOnly cookie, its SHA-256 in the
//! `sessions` table. Renewed at sign-in, ended at sign-out, password change and account
//! disable, after inactivity and at an absolute expiry. Also: single-use e-mail tokens and
//! sign-in throttling.
use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use chrono::{DateTime, Duration, Utc};
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
use crate::time::timestamp;

/// The session cookie's name on a plain-HTTP site (development, tests)…
pub const COOKIE_NAME: &str = "mip_session";
/// …and under HTTPS: the `__Host-` prefix makes the browser refuse it unless it is `Secure`,
/// set by this host itself and for the whole site (no `Domain`), so that a neighbouring
/// subdomain cannot plant a session on it.
pub const SECURE_COOKIE_NAME: &str = "__Host-mip_session";

/// The session cookie's name for this site.
pub fn cookie_name(state: &AppState) -> &'static str {
    if state.public_url.starts_with("https://") {
        SECURE_COOKIE_NAME
    } else {
        COOKIE_NAME
    }
}

/// The session token this request carries, if any.
fn request_token(state: &AppState) -> Option<String> {
    request_parts().and_then(|p| cookie(&p, cookie_name(state)))
}
/// A session ends after this long without a request…
pub const INACTIVITY: Duration = Duration::hours(8);
/// …and in any case this long after sign-in.
pub const ABSOLUTE: Duration = Duration::days(7);
/// Sign-in: wrong passwords allowed per account and client address before delays start…
pub const FAILURES_PER_ACCOUNT: i64 = 5;
/// …then the next attempt from that client address for that account waits this long after
/// the last failure, twice as long after each further failure…
pub const FIRST_DELAY: Duration = Duration::minutes(15);
/// …at most this long; failures are forgotten after this long too. Another client address
/// (the real owner's) is not slowed by these failures.
pub const MAX_DELAY: Duration = Duration::hours(24);
/// Wrong passwords allowed per client address, whatever the accounts, within the window.
pub const FAILURES_PER_IP: i64 = 20;
pub const FAILURE_WINDOW: Duration = Duration::minutes(15);
/// The other account forms (sign-up, reset, changes): requests per client address and
/// form within [`REQUEST_WINDOW`]…
pub const REQUESTS_PER_IP: i64 = 20;
pub const REQUEST_WINDOW: Duration = Duration::minutes(15);
/// …requests per signed-in account and form (those that check its password) within the
/// hour…
pub const REQUESTS_PER_ACCOUNT: i64 = 10;
/// …and e-mails sent on a visitor's request to one recipient within the hour.
pub const MAILS_PER_RECIPIENT: i64 = 5;
pub const PER_HOUR: Duration = Duration::hours(1);
/// Requests are remembered this long (longer than every window).
const REQUEST_MEMORY: Duration = Duration::days(1);

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

pub fn request_parts() -> Option<Parts> {
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

/// The session cookie's `Set-Cookie` value.
pub fn cookie_value(state: &AppState, value: &str, max_age: i64) -> String {
    let secure = if state.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let name = cookie_name(state);
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

fn set_cookie(state: &AppState, value: &str, max_age: i64) {
    let cookie = cookie_value(state, value, max_age);
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
    start_with(state, account_id, false, None).await
}

/// How long a session whose second factor is still to come may wait for it.
pub const SECOND_FACTOR_WAIT: Duration = Duration::minutes(10);

/// Starts a session; `second_factor_pending`: the password was right, the code is to come
/// (a staff account): such a session signs nobody in, and lasts [`SECOND_FACTOR_WAIT`].
/// `id_token`: the session comes from ProConnect, whose session sign-out ends too; the
/// session it replaces passes its own on when it was the same account's (the second factor
/// after ProConnect).
pub async fn start_with(
    state: &AppState,
    account_id: i64,
    second_factor_pending: bool,
    id_token: Option<&str>,
) -> Result<(), AppError> {
    let old = request_token(state);
    let (token, lasts) = create(
        state,
        account_id,
        second_factor_pending,
        id_token,
        old.as_deref(),
    )
    .await?;
    set_cookie(state, &token, lasts.num_seconds());
    Ok(())
}

/// The session of [`start_with`], written; its token and lifetime, for the cookie (see
/// [`cookie_value`]). `old`: the browser's previous session token, ended here.
pub async fn create(
    state: &AppState,
    account_id: i64,
    second_factor_pending: bool,
    id_token: Option<&str>,
    old: Option<&str>,
) -> Result<(String, Duration), AppError> {
    let now = state.clock.now();
    let mut id_token = id_token.map(str::to_string);
    if let Some(old) = old {
        let previous: Option<(i64, Option<String>)> = sqlx::query_as(
            "DELETE FROM sessions WHERE token_hash = ? RETURNING account_id, id_token",
        )
        .bind(token_hash(old))
        .fetch_optional(&state.pool)
        .await?;
        if let Some((previous_account, Some(previous_token))) = previous {
            if previous_account == account_id && id_token.is_none() {
                id_token = Some(previous_token);
            }
        }
    }
    let token = new_token();
    let lasts = if second_factor_pending {
        SECOND_FACTOR_WAIT
    } else {
        ABSOLUTE
    };
    sqlx::query(
        "INSERT INTO sessions (token_hash, account_id, created_at, last_seen_at, expires_at, \
            second_factor_pending, id_token) VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(token_hash(&token))
    .bind(account_id)
    .bind(timestamp(now))
    .bind(timestamp(now))
    .bind(timestamp(now + lasts))
    .bind(second_factor_pending)
    .bind(id_token)
    .execute(&state.pool)
    .await?;
    Ok((token, lasts))
}

/// The ProConnect ID token of this browser's session, if it came from ProConnect.
pub async fn id_token(state: &AppState) -> Result<Option<String>, AppError> {
    let Some(token) = request_token(state) else {
        return Ok(None);
    };
    Ok(sqlx::query_scalar::<_, Option<String>>(
        "SELECT id_token FROM sessions WHERE token_hash = ?",
    )
    .bind(token_hash(&token))
    .fetch_optional(&state.pool)
    .await?
    .flatten())
}

/// The account of this browser's session waiting for its second factor, if any.
pub async fn pending_second_factor(state: &AppState) -> Result<Option<i64>, AppError> {
    let Some(token) = request_token(state) else {
        return Ok(None);
    };
    Ok(sqlx::query_scalar(
        "SELECT s.account_id FROM sessions s JOIN accounts a ON a.id = s.account_id \
         WHERE s.token_hash = ? AND s.second_factor_pending = 1 AND s.expires_at > ? \
           AND a.disabled_at IS NULL",
    )
    .bind(token_hash(&token))
    .bind(timestamp(state.clock.now()))
    .fetch_optional(&state.pool)
    .await?)
}

/// Ends this browser's session.
pub async fn end(state: &AppState) -> Result<(), AppError> {
    if let Some(token) = request_token(state) {
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
    let state = crate::state::app_state()?;
    let Some(token) = request_token(&state) else {
        return Ok(None);
    };
    account_for_token(&state, &token).await
}

/// The signed-in account of a plain axum request (exports, files), from its cookie.
pub async fn account_for_headers(
    state: &AppState,
    headers: &http::HeaderMap,
) -> Result<Option<CurrentAccount>, AppError> {
    match cookie_in(headers, cookie_name(state)) {
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
           AND s.second_factor_pending = 0 \
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

/// « 3 minutes », « 1 minute », « 5 heures »: how long to wait, rounded up.
pub fn wait_text(wait: Duration) -> String {
    let minutes = ((wait.num_seconds() + 59) / 60).max(1);
    if minutes < 120 {
        format!("{minutes} minute{}", if minutes > 1 { "s" } else { "" })
    } else {
        format!("{} heures", (minutes + 59) / 60)
    }
}

fn parse_timestamp(at: &str) -> Result<DateTime<Utc>, AppError> {
    DateTime::parse_from_rfc3339(at)
        .map(|at| at.with_timezone(&Utc))
        .map_err(|e| AppError::internal("throttling timestamp", e))
}

/// How long the next attempt waits after `failures` failures of one account from one client
/// address (none before [`FAILURES_PER_ACCOUNT`]).
pub fn delay_after(failures: i64) -> Duration {
    if failures < FAILURES_PER_ACCOUNT {
        return Duration::zero();
    }
    let doublings = (failures - FAILURES_PER_ACCOUNT).min(20) as u32;
    let minutes = FIRST_DELAY.num_minutes().saturating_mul(1 << doublings);
    Duration::minutes(minutes.min(MAX_DELAY.num_minutes()))
}

/// The moment the oldest of the rows that put a count at its limit leaves the window:
/// `ats` are the times in the window, oldest first, `max` the limit.
fn retry_at(ats: &[String], max: i64, window: Duration) -> Result<DateTime<Utc>, AppError> {
    let index = (ats.len() as i64 - max).max(0) as usize;
    match ats.get(index) {
        Some(at) => Ok(parse_timestamp(at)? + window),
        None => Err(AppError::internal("throttling", "no row in a full window")),
    }
}

/// A sign-in attempt, recorded (and counted) before its password is checked.
pub struct SignInAttempt {
    id: i64,
    email: String,
    ip: String,
}

/// Records a sign-in attempt for `email` from `ip`, or refuses it (429 with how long to wait)
/// when this client address has failed too often for this account (growing delays) or for
/// any account (a cap per window). The count and the record are one `BEGIN IMMEDIATE`
/// transaction, so that parallel attempts all count: of a burst, only the first
/// [`FAILURES_PER_ACCOUNT`] get to the password. (A read first, outside the transaction,
/// refuses most of a flood without taking the database's write lock.)
pub async fn begin_sign_in(
    pool: &SqlitePool,
    email: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<SignInAttempt, AppError> {
    if let Some(refusal) = sign_in_refusal(&mut *pool.acquire().await?, email, ip, now).await? {
        return Err(refusal);
    }
    let mut tx = crate::state::begin_write(pool).await?;
    if let Some(refusal) = sign_in_refusal(&mut tx, email, ip, now).await? {
        tx.rollback().await?;
        return Err(refusal);
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO sign_in_attempts (email, ip, at) VALUES (?, ?, ?) RETURNING id",
    )
    .bind(email)
    .bind(ip)
    .bind(timestamp(now))
    .fetch_one(&mut *tx)
    .await?;
    // Forgotten failures are of no use: keep the table small.
    sqlx::query("DELETE FROM sign_in_attempts WHERE at <= ?")
        .bind(timestamp(now - MAX_DELAY))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(SignInAttempt {
        id,
        email: email.to_string(),
        ip: ip.to_string(),
    })
}

/// Why a sign-in attempt of `email` from `ip` must wait, if it must.
async fn sign_in_refusal(
    db: &mut sqlx::SqliteConnection,
    email: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<Option<AppError>, AppError> {
    // Pending attempts count as failures: they are being checked right now.
    let (failures, last): (i64, Option<String>) = sqlx::query_as(
        "SELECT count(*), max(at) FROM sign_in_attempts WHERE email = ? AND ip = ? AND at > ?",
    )
    .bind(email)
    .bind(ip)
    .bind(timestamp(now - MAX_DELAY))
    .fetch_one(&mut *db)
    .await?;
    if let (true, Some(last)) = (failures >= FAILURES_PER_ACCOUNT, last) {
        let retry = parse_timestamp(&last)? + delay_after(failures);
        if retry > now {
            return Ok(Some(AppError::Throttled(format!(
                "Trop de tentatives de connexion à ce compte : réessayez dans {}, ou choisissez \
                 un nouveau mot de passe avec « Mot de passe oublié ».",
                wait_text(retry - now)
            ))));
        }
    }
    let from_ip: Vec<String> =
        sqlx::query_scalar("SELECT at FROM sign_in_attempts WHERE ip = ? AND at > ? ORDER BY at")
            .bind(ip)
            .bind(timestamp(now - FAILURE_WINDOW))
            .fetch_all(&mut *db)
            .await?;
    if from_ip.len() as i64 >= FAILURES_PER_IP {
        let retry = retry_at(&from_ip, FAILURES_PER_IP, FAILURE_WINDOW)?;
        return Ok(Some(AppError::Throttled(format!(
            "Trop de tentatives de connexion depuis votre adresse réseau : réessayez dans {}.",
            wait_text(retry - now)
        ))));
    }
    Ok(None)
}

impl SignInAttempt {
    /// The password was wrong, or the address unknown: the attempt stays a failure.
    pub async fn failed(self, pool: &SqlitePool) -> Result<(), AppError> {
        sqlx::query("UPDATE sign_in_attempts SET state = 'failed' WHERE id = ?")
            .bind(self.id)
            .execute(pool)
            .await?;
        Ok(())
    }

    /// The password was right: the failures of this account from this client address are
    /// forgotten (those from other addresses stay).
    pub async fn succeeded(self, pool: &SqlitePool) -> Result<(), AppError> {
        forget_sign_in_failures(pool, &self.email, &self.ip).await
    }

    /// The password could not be checked (the server was saturated): the attempt does not
    /// count.
    pub async fn not_checked(self, pool: &SqlitePool) -> Result<(), AppError> {
        sqlx::query("DELETE FROM sign_in_attempts WHERE id = ?")
            .bind(self.id)
            .execute(pool)
            .await?;
        Ok(())
    }
}

/// Forgets the failed sign-ins of `email` from `ip` (a right password, a new one set from the
/// e-mailed link).
pub async fn forget_sign_in_failures(
    pool: &SqlitePool,
    email: &str,
    ip: &str,
) -> Result<(), AppError> {
    sqlx::query("DELETE FROM sign_in_attempts WHERE email = ? AND ip = ?")
        .bind(email)
        .bind(ip)
        .execute(pool)
        .await?;
    Ok(())
}

/// One limit of the account forms: at most `max` requests of `action` for `subject` (a
/// client address, an account, a recipient) within `window`.
#[derive(Debug, Clone)]
pub struct Limit<'a> {
    pub action: &'static str,
    pub subject: &'a str,
    pub max: i64,
    pub window: Duration,
    /// The start of the refusal, followed by « : réessayez dans … ».
    pub refusal: &'static str,
}

impl<'a> Limit<'a> {
    /// [`REQUESTS_PER_IP`] requests of one form from one client address.
    pub fn per_client(action: &'static str, ip: &'a str) -> Self {
        Limit {
            action,
            subject: ip,
            max: REQUESTS_PER_IP,
            window: REQUEST_WINDOW,
            refusal: "Trop de demandes depuis votre adresse réseau",
        }
    }

    /// [`REQUESTS_PER_ACCOUNT`] requests of one form by one account (`account`: its id).
    pub fn per_account(action: &'static str, account: &'a str) -> Self {
        Limit {
            action,
            subject: account,
            max: REQUESTS_PER_ACCOUNT,
            window: PER_HOUR,
            refusal: "Trop de demandes pour ce compte",
        }
    }

    /// [`MAILS_PER_RECIPIENT`] messages to one address, whatever the form that sends them.
    pub fn mails_to(recipient: &'a str) -> Self {
        Limit {
            action: "mail",
            subject: recipient,
            max: MAILS_PER_RECIPIENT,
            window: PER_HOUR,
            refusal: "Trop de messages ont été envoyés à cette adresse",
        }
    }
}

/// Counts this request against every limit and records it, or refuses it (429, with how long
/// to wait) when one of them is reached — then nothing is recorded. One `BEGIN IMMEDIATE`
/// transaction, so that parallel requests all count. (A read first, outside the transaction,
/// refuses most of a flood without taking the database's write lock.)
pub async fn throttle(
    pool: &SqlitePool,
    limits: &[Limit<'_>],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if let Some(refusal) = request_refusal(&mut *pool.acquire().await?, limits, now).await? {
        return Err(refusal);
    }
    let mut tx = crate::state::begin_write(pool).await?;
    if let Some(refusal) = request_refusal(&mut tx, limits, now).await? {
        tx.rollback().await?;
        return Err(refusal);
    }
    for limit in limits {
        sqlx::query("INSERT INTO request_log (action, subject, at) VALUES (?, ?, ?)")
            .bind(limit.action)
            .bind(limit.subject)
            .bind(timestamp(now))
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("DELETE FROM request_log WHERE at <= ?")
        .bind(timestamp(now - REQUEST_MEMORY))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The refusal of the first limit that this request would pass, if any.
async fn request_refusal(
    db: &mut sqlx::SqliteConnection,
    limits: &[Limit<'_>],
    now: DateTime<Utc>,
) -> Result<Option<AppError>, AppError> {
    for limit in limits {
        debug_assert!(limit.window <= REQUEST_MEMORY);
        let ats: Vec<String> = sqlx::query_scalar(
            "SELECT at FROM request_log WHERE action = ? AND subject = ? AND at > ? ORDER BY at",
        )
        .bind(limit.action)
        .bind(limit.subject)
        .bind(timestamp(now - limit.window))
        .fetch_all(&mut *db)
        .await?;
        if ats.len() as i64 >= limit.max {
            let retry = retry_at(&ats, limit.max, limit.window)?;
            return Ok(Some(AppError::Throttled(format!(
                "{} : réessayez dans {}.",
                limit.refusal,
                wait_text(retry - now)
            ))));
        }
    }
    Ok(None)
}

/// One committed write of one row: done by the branch of a form that would otherwise write
/// less than the other (an unknown address against a known one), so that both branches take
/// as long and nobody learns from the time of the answer whether an address has an account.
pub async fn balance_write(pool: &SqlitePool, now: DateTime<Utc>) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO timing_balance (id, at) VALUES (1, ?) \
         ON CONFLICT (id) DO UPDATE SET at = excluded.at",
    )
    .bind(timestamp(now))
    .execute(pool)
    .await?;
    Ok(())
}

/// Purposes of single-use links.
pub const CONFIRM_EMAIL: &str = "confirm_email";
pub const RESET_PASSWORD: &str = "reset_password";

/// Creates a single-use link token; returns the token to put in the link.
pub async fn new_link_token<'e>(
    db: impl sqlx::SqliteExecutor<'e>,
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
    .execute(db)
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
    let (account_id, new_email) = valid_link_token(&mut *tx, token, purpose, now).await?;
    sqlx::query("UPDATE account_tokens SET used_at = ? WHERE token_hash = ?")
        .bind(timestamp(now))
        .bind(token_hash(token.trim()))
        .execute(&mut *tx)
        .await?;
    Ok((account_id, new_email))
}

/// Checks a link token without using it (a cheap read, done before any expensive work):
/// its account and new e-mail, or the same refusal as [`use_link_token`].
pub async fn valid_link_token<'e>(
    db: impl sqlx::SqliteExecutor<'e>,
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
    .fetch_optional(db)
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
    fn delays_start_after_five_failures_and_double() {
        assert_eq!(delay_after(0), Duration::zero());
        assert_eq!(delay_after(FAILURES_PER_ACCOUNT - 1), Duration::zero());
        assert_eq!(delay_after(FAILURES_PER_ACCOUNT), FIRST_DELAY);
        assert_eq!(delay_after(FAILURES_PER_ACCOUNT + 1), FIRST_DELAY * 2);
        assert_eq!(delay_after(FAILURES_PER_ACCOUNT + 2), FIRST_DELAY * 4);
        assert_eq!(delay_after(FAILURES_PER_ACCOUNT + 30), MAX_DELAY);
        assert_eq!(delay_after(i64::MAX), MAX_DELAY);
    }

    #[test]
    fn waits_read_in_french() {
        assert_eq!(wait_text(Duration::seconds(1)), "1 minute");
        assert_eq!(wait_text(Duration::seconds(61)), "2 minutes");
        assert_eq!(wait_text(Duration::minutes(15)), "15 minutes");
        assert_eq!(wait_text(Duration::minutes(119)), "119 minutes");
        assert_eq!(wait_text(Duration::minutes(121)), "3 heures");
        assert_eq!(wait_text(Duration::hours(24)), "24 heures");
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

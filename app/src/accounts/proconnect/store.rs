//! What a ProConnect sign-in keeps between its requests (server only): the flows sent to
//! ProConnect, the identities waiting for the person's next step, the links between
//! identities and accounts, and the sign-outs on their way to ProConnect. Every secret is
//! stored as its SHA-256; every row expires.
use chrono::{DateTime, Duration, Utc};
use sqlx::SqlitePool;

use super::Identity;
use crate::accounts::session::{new_token, token_hash};
use crate::error::AppError;
use crate::state::AppState;
use crate::time::timestamp;

/// The cookie that binds a flow, then a pending identity, to its browser.
pub const COOKIE_NAME: &str = "mip_proconnect";
/// Its name under HTTPS (see `session::SECURE_COOKIE_NAME`).
pub const SECURE_COOKIE_NAME: &str = "__Host-mip_proconnect";

/// How long a sign-in may stay at ProConnect.
pub const FLOW_LIFETIME: Duration = Duration::minutes(10);
/// How long a verified identity waits for its profile or its password.
pub const PENDING_LIFETIME: Duration = Duration::minutes(30);
/// How long a sign-out waits for its way to ProConnect.
const LOGOUT_LIFETIME: Duration = Duration::minutes(5);

pub fn cookie_name(state: &AppState) -> &'static str {
    if state.public_url.starts_with("https://") {
        SECURE_COOKIE_NAME
    } else {
        COOKIE_NAME
    }
}

/// The `Set-Cookie` value of the binding cookie (`Lax`: ProConnect's redirect back is a
/// top-level navigation from another site, which must carry it).
pub fn set_cookie_value(state: &AppState, value: &str, max_age: Duration) -> String {
    let secure = if state.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        cookie_name(state),
        max_age.num_seconds()
    )
}

/// Keeps a flow sent to ProConnect; returns the browser's binding token (for its cookie).
pub async fn save_flow(
    pool: &SqlitePool,
    started: &super::oidc::Started,
    return_path: Option<&str>,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let browser = new_token();
    let mut tx = crate::state::begin_write(pool).await?;
    // Expired rows of the three tables go with each new sign-in.
    for expired in [
        "DELETE FROM proconnect_flows WHERE expires_at <= ?",
        "DELETE FROM proconnect_pending WHERE expires_at <= ?",
        "DELETE FROM proconnect_logouts WHERE expires_at <= ?",
    ] {
        sqlx::query(expired)
            .bind(timestamp(now))
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query(
        "INSERT INTO proconnect_flows (state_hash, browser_hash, pkce_verifier, nonce, \
            return_path, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(token_hash(&started.state))
    .bind(token_hash(&browser))
    .bind(&started.pkce_verifier)
    .bind(&started.nonce)
    .bind(return_path)
    .bind(timestamp(now + FLOW_LIFETIME))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(browser)
}

/// A flow kept for this `state` and this browser, taken (a `state` serves once).
pub struct Flow {
    pub pkce_verifier: String,
    pub nonce: String,
    pub return_path: Option<String>,
}

pub async fn take_flow(
    pool: &SqlitePool,
    state: &str,
    browser: &str,
    now: DateTime<Utc>,
) -> Result<Option<Flow>, AppError> {
    // Taken whoever brings it: an answer brought by another browser (a stolen redirect)
    // is spent, and signs nobody in.
    let row: Option<(String, String, Option<String>, String, String)> = sqlx::query_as(
        "DELETE FROM proconnect_flows WHERE state_hash = ? \
         RETURNING pkce_verifier, nonce, return_path, expires_at, browser_hash",
    )
    .bind(token_hash(state))
    .fetch_optional(pool)
    .await?;
    Ok(row
        .filter(|row| row.3 > timestamp(now) && row.4 == token_hash(browser))
        .map(|(pkce_verifier, nonce, return_path, _, _)| Flow {
            pkce_verifier,
            nonce,
            return_path,
        }))
}

/// The account an identity signs in, by its link or its address.
pub enum Known {
    /// Linked already: the account, its role, whether it is disabled.
    Linked {
        account_id: i64,
        role: String,
        disabled: bool,
    },
    /// Not linked, but its address has an account.
    SameAddress,
    /// Nobody.
    New,
}

pub async fn known(pool: &SqlitePool, identity: &Identity) -> Result<Known, AppError> {
    let linked: Option<(i64, String, Option<String>)> = sqlx::query_as(
        "SELECT a.id, a.role, a.disabled_at FROM proconnect_identities p \
         JOIN accounts a ON a.id = p.account_id WHERE p.sub = ?",
    )
    .bind(&identity.sub)
    .fetch_optional(pool)
    .await?;
    if let Some((account_id, role, disabled)) = linked {
        return Ok(Known::Linked {
            account_id,
            role,
            disabled: disabled.is_some(),
        });
    }
    let same: Option<i64> = sqlx::query_scalar("SELECT id FROM accounts WHERE email = ?")
        .bind(&identity.email)
        .fetch_optional(pool)
        .await?;
    Ok(if same.is_some() {
        Known::SameAddress
    } else {
        Known::New
    })
}

/// Keeps a verified identity for the person's next step; returns its token (for the cookie).
pub async fn save_pending(
    pool: &SqlitePool,
    identity: &Identity,
    return_path: Option<&str>,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let token = new_token();
    sqlx::query(
        "INSERT INTO proconnect_pending (token_hash, sub, email, name, siret, id_token, \
            return_path, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(token_hash(&token))
    .bind(&identity.sub)
    .bind(&identity.email)
    .bind(&identity.name)
    .bind(&identity.siret)
    .bind(&identity.id_token)
    .bind(return_path)
    .bind(timestamp(now + PENDING_LIFETIME))
    .execute(pool)
    .await?;
    Ok(token)
}

/// A pending identity, with the path to go back to afterwards.
pub struct Pending {
    pub identity: Identity,
    pub return_path: Option<String>,
}

/// The pending identity of this browser's cookie, if alive.
pub async fn pending(state: &AppState) -> Result<Option<Pending>, AppError> {
    let Some(token) = crate::accounts::session::request_parts()
        .and_then(|parts| crate::accounts::session::cookie(&parts, cookie_name(state)))
    else {
        return Ok(None);
    };
    type Row = (
        String,
        String,
        String,
        Option<String>,
        String,
        Option<String>,
    );
    let row: Option<Row> = sqlx::query_as(
        "SELECT sub, email, name, siret, id_token, return_path FROM proconnect_pending \
         WHERE token_hash = ? AND expires_at > ?",
    )
    .bind(token_hash(&token))
    .bind(timestamp(state.clock.now()))
    .fetch_optional(&state.pool)
    .await?;
    Ok(
        row.map(|(sub, email, name, siret, id_token, return_path)| Pending {
            identity: Identity {
                sub,
                email,
                name,
                siret,
                id_token,
            },
            return_path,
        }),
    )
}

/// How long a pending identity is kept once linked: a double click's second post (a browser
/// without JavaScript sends both and shows the second's answer, the first's session cookie
/// lost) finds it linked and signs in as the first did; then it is gone.
pub const LINKED_GRACE: Duration = Duration::minutes(2);

/// Links an identity to an account, in one transaction; its pending rows end
/// [`LINKED_GRACE`] later.
pub async fn link(
    tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
    identity: &Identity,
    account_id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO proconnect_identities (sub, account_id, siret, linked_at) VALUES (?, ?, ?, ?)",
    )
    .bind(&identity.sub)
    .bind(account_id)
    .bind(&identity.siret)
    .bind(timestamp(now))
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE proconnect_pending SET expires_at = min(expires_at, ?) WHERE sub = ?")
        .bind(timestamp(now + LINKED_GRACE))
        .bind(&identity.sub)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Keeps a signed-out session's ID token for the way to ProConnect; returns its token.
pub async fn save_logout(
    pool: &SqlitePool,
    id_token: &str,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let token = new_token();
    sqlx::query(
        "INSERT INTO proconnect_logouts (token_hash, id_token, expires_at) VALUES (?, ?, ?)",
    )
    .bind(token_hash(&token))
    .bind(id_token)
    .bind(timestamp(now + LOGOUT_LIFETIME))
    .execute(pool)
    .await?;
    Ok(token)
}

/// The ID token of a sign-out on its way, taken (it serves once).
pub async fn take_logout(
    pool: &SqlitePool,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<String>, AppError> {
    let row: Option<(String, String)> = sqlx::query_as(
        "DELETE FROM proconnect_logouts WHERE token_hash = ? RETURNING id_token, expires_at",
    )
    .bind(token_hash(token))
    .fetch_optional(pool)
    .await?;
    Ok(row
        .filter(|(_, expires)| *expires > timestamp(now))
        .map(|(id_token, _)| id_token))
}

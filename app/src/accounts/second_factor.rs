//! Staff's second factor (server only): time-based codes (RFC 6238: HMAC-SHA1, 6 digits,
//! 30-second steps, one step of clock drift either way) from any authenticator app, through
//! the `totp-rs` crate, and single-use recovery codes. A code is accepted once: its step must
//! come after the last one accepted for the account.
use chrono::{DateTime, Utc};
use rand::RngCore;
use sqlx::SqliteConnection;
use totp_rs::{Builder, Secret, Totp};

use super::session::token_hash;
use crate::error::AppError;
use crate::time::timestamp;

/// The name authenticator apps show beside the code (no colon: the otpauth URL's separator).
pub const ISSUER: &str = "Mois de l'innovation publique";
/// Recovery codes given at enrolment.
pub const RECOVERY_CODES: usize = 10;

/// A new secret: 160 random bits (RFC 4226's recommendation), in base32.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::rng().fill_bytes(&mut bytes);
    Secret::from(bytes).to_base32()
}

/// The generator of an account's codes.
pub fn totp(secret: &str, email: &str) -> Result<Totp, AppError> {
    let secret =
        Secret::try_from_base32(secret).map_err(|e| AppError::internal("totp secret", e))?;
    Builder::new()
        .with_secret(secret)
        .with_issuer(Some(ISSUER))
        .with_account_name(email.replace(':', ""))
        .build()
        .map_err(|e| AppError::internal("totp", e))
}

/// The code of `secret` at `at` (tests and the demo's documentation).
pub fn code_at(secret: &str, at: DateTime<Utc>) -> Result<String, AppError> {
    Ok(totp(secret, "x")?
        .generate(at.timestamp().max(0) as u64)
        .to_string())
}

/// The `otpauth://` address an authenticator app reads from the QR code.
pub fn otpauth_url(secret: &str, email: &str) -> Result<String, AppError> {
    totp(secret, email)?
        .to_url()
        .map_err(|e| AppError::internal("totp url", e))
}

/// The QR code of `url` as an SVG element (inline in the page: no script, no request).
pub fn qr_svg(url: &str) -> Result<crate::html::Html, AppError> {
    let code = qrcode::QrCode::new(url.as_bytes()).map_err(|e| AppError::internal("qr", e))?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .dark_color(qrcode::render::svg::Color("#000000"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .build();
    // The XML declaration has no place inside an HTML page.
    // Made from the address alone: no outside text in its markup.
    Ok(crate::html::Html::from_sanitized(match svg.find("<svg") {
        Some(start) => svg[start..].to_string(),
        None => svg,
    }))
}

/// Ten codes of two groups of five characters, without look-alikes (« 7KX3M-P9QRT »).
pub fn new_recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; 10];
            rng.fill_bytes(&mut bytes);
            let chars: String = bytes
                .iter()
                .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
                .collect();
            format!("{}-{}", &chars[..5], &chars[5..])
        })
        .collect()
}

/// How a recovery code is compared: upper case, without spaces or dashes.
fn normalized(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Replaces the account's recovery codes with `codes` (only their hashes are kept).
pub async fn store_recovery_codes(
    conn: &mut SqliteConnection,
    account_id: i64,
    codes: &[String],
) -> Result<(), AppError> {
    sqlx::query("DELETE FROM recovery_codes WHERE account_id = ?")
        .bind(account_id)
        .execute(&mut *conn)
        .await?;
    for code in codes {
        sqlx::query("INSERT INTO recovery_codes (account_id, code_hash) VALUES (?, ?)")
            .bind(account_id)
            .bind(token_hash(&normalized(code)))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// What a typed code proved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checked {
    /// A code of the authenticator app, for this time step (now used).
    Code,
    /// A recovery code (now used).
    Recovery,
    Wrong,
}

/// Checks `typed` for the account (inside the caller's transaction), and uses it up: a code's
/// step is remembered, a recovery code marked used.
pub async fn check(
    conn: &mut SqliteConnection,
    account_id: i64,
    typed: &str,
    now: DateTime<Utc>,
) -> Result<Checked, AppError> {
    let (email, secret, last_step): (String, Option<String>, Option<i64>) =
        sqlx::query_as("SELECT email, totp_secret, totp_last_step FROM accounts WHERE id = ?")
            .bind(account_id)
            .fetch_one(&mut *conn)
            .await?;
    let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit()) {
        let Some(secret) = secret else {
            return Ok(Checked::Wrong);
        };
        let step = totp(&secret, &email)?.check(&digits, now.timestamp().max(0) as u64);
        return Ok(match step {
            Some(step) if last_step.is_none_or(|last| (step as i64) > last) => {
                sqlx::query("UPDATE accounts SET totp_last_step = ? WHERE id = ?")
                    .bind(step as i64)
                    .bind(account_id)
                    .execute(&mut *conn)
                    .await?;
                Checked::Code
            }
            _ => Checked::Wrong,
        });
    }
    let used = sqlx::query(
        "UPDATE recovery_codes SET used_at = ? WHERE account_id = ? AND code_hash = ? AND used_at IS NULL",
    )
    .bind(timestamp(now))
    .bind(account_id)
    .bind(token_hash(&normalized(typed)))
    .execute(&mut *conn)
    .await?;
    Ok(if used.rows_affected() == 1 {
        Checked::Recovery
    } else {
        Checked::Wrong
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_rfc_6238() {
        // RFC 6238, appendix B: the SHA-1 secret "12345678901234567890", T = 59 s → 94287082
        // (8 digits); its last six digits are the 6-digit code.
        let secret = Secret::from(b"12345678901234567890".to_vec()).to_base32();
        let at = DateTime::<Utc>::from_timestamp(59, 0).unwrap();
        assert_eq!(code_at(&secret, at).unwrap(), "287082");
        let at = DateTime::<Utc>::from_timestamp(1111111109, 0).unwrap();
        assert_eq!(code_at(&secret, at).unwrap(), "081804");
    }

    #[test]
    fn secrets_and_recovery_codes_are_random_and_readable() {
        let (a, b) = (new_secret(), new_secret());
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        assert!(codes
            .iter()
            .all(|c| c.len() == 11 && c.as_bytes()[5] == b'-'));
        assert_eq!(normalized(" 7kx3m-p9qrt "), "7KX3MP9QRT");
        let url = otpauth_url(&a, "nadia@example.org").unwrap();
        assert!(url.starts_with("otpauth://totp/"), "{url}");
        assert!(qr_svg(&url).unwrap().starts_with("<svg"));
    }
}

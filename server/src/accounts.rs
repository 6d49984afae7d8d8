//! Account creation from the command line and the demo (the web flows come with sign-up).
use chrono::{DateTime, Utc};
use sqlx::SqliteExecutor;

use app::reference::Role;
use app::time::timestamp;

/// The PHC string of a password hashed with argon2id (one implementation, shared with the
/// web flows).
pub use app::accounts::password::hash_sync as hash_password;

/// Stored for accounts that cannot sign in (the demo's many organizers): not a PHC string,
/// so no password ever matches it.
pub const NO_PASSWORD: &str = "!";

pub struct NewAccount<'a> {
    pub email: &'a str,
    pub password_hash: &'a str,
    pub name: &'a str,
    pub structure: &'a str,
    pub organizer_type_id: Option<i64>,
    pub region_code: Option<&'a str>,
    pub role: Role,
}

pub async fn insert(
    db: impl SqliteExecutor<'_>,
    account: &NewAccount<'_>,
    at: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    let at = timestamp(at);
    let id = sqlx::query_scalar::<_, i64>(
        "INSERT INTO accounts (email, password_hash, name, structure, organizer_type_id, \
            region_code, role, email_confirmed_at, created_at, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(account.email)
    .bind(account.password_hash)
    .bind(account.name)
    .bind(account.structure)
    .bind(account.organizer_type_id)
    .bind(account.region_code)
    .bind(account.role.as_str())
    .bind(&at)
    .bind(&at)
    .bind(&at)
    .fetch_one(db)
    .await?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::{Argon2, PasswordHash, PasswordVerifier};

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let hash = hash_password("une phrase de passe assez longue").unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        let parsed = PasswordHash::new(&hash).unwrap();
        assert!(Argon2::default()
            .verify_password(b"une phrase de passe assez longue", &parsed)
            .is_ok());
        assert!(Argon2::default()
            .verify_password(b"autre chose", &parsed)
            .is_err());
        assert!(PasswordHash::new(NO_PASSWORD).is_err());
    }
}

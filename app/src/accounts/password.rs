//! Password hashing (server only): argon2id with the crate's defaults (19 MiB, 2 passes),
//! on a blocking thread so that hashing never stalls the async workers.
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;

use crate::error::AppError;

/// The PHC string of a password hashed with argon2id.
pub fn hash_sync(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

pub async fn hash(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || hash_sync(&password))
        .await
        .map_err(|e| AppError::internal("password hash task", e))?
        .map_err(|e| AppError::internal("password hash", e))
}

/// Whether `password` matches the stored hash (`false` for accounts without a password).
pub async fn verify(password: String, stored: String) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || match PasswordHash::new(&stored) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    })
    .await
    .map_err(|e| AppError::internal("password verify task", e))
}

/// A hash to verify against when the account does not exist, so that an unknown address
/// takes as long as a wrong password (no account enumeration by timing).
pub fn dummy_hash() -> &'static str {
    use std::sync::OnceLock;
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        hash_sync("mot de passe factice pour le temps constant").unwrap_or_default()
    })
}

/// Refused even when long enough: in the list of the most common passwords.
pub fn is_common(password: &str) -> bool {
    passwords::analyzer::is_common_password(password)
        || passwords::analyzer::is_common_password(password.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let hash = hash_sync("une phrase de passe").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        assert!(rt
            .block_on(verify("une phrase de passe".into(), hash.clone()))
            .unwrap());
        assert!(!rt
            .block_on(verify("une autre phrase".into(), hash))
            .unwrap());
        assert!(!rt.block_on(verify("x".into(), "!".into())).unwrap());
    }

    #[test]
    fn common_passwords_are_known() {
        assert!(is_common("password1234"));
        assert!(is_common("PASSWORD1234"));
        assert!(is_common("qwertyuiopasdfghjkl"));
        assert!(!is_common("trois chats sur le toit de la mairie"));
    }
}

//! Password hashing (server only): argon2id with the crate's defaults (19 MiB, 2 passes),
//! on a blocking thread so that hashing never stalls the async workers.
//!
//! The argon2 work of the web flows is capped: at most [`CONCURRENT`] computations at once
//! (each holds 19 MiB and a core for tens of milliseconds), the others wait their turn at
//! most [`QUEUE_WAIT`] and are then refused with a 429 ([`BUSY`]). Without the cap, a flood
//! of requests that hash (sign-up, reset, sign-in) would take the memory and every core.
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use tokio::sync::Semaphore;

use crate::error::AppError;

/// Argon2 computations (hashes and verifications) run at once, at most: twice the cores of
/// the server this runs on, so that sign-ins do not queue behind one another in normal use.
pub const CONCURRENT: usize = 4;
/// How long a request waits for its turn before it is refused.
pub const QUEUE_WAIT: Duration = Duration::from_secs(2);
/// The refusal when every turn is taken for longer than [`QUEUE_WAIT`].
pub const BUSY: &str = "Le service est très sollicité, réessayez dans un instant.";

static SLOTS: Semaphore = Semaphore::const_new(CONCURRENT);
static DONE: AtomicU64 = AtomicU64::new(0);

/// How many argon2 computations the web flows have started since the process started
/// ([`hash`], [`verify`], [`verify_nothing`]; not [`hash_sync`]): what the tests count to
/// check that a refused request never reached the expensive part.
pub fn hashes_done() -> u64 {
    DONE.load(Ordering::Relaxed)
}

/// Runs one argon2 computation on a blocking thread once a turn is free. The turn is held by
/// the computation itself, so that a request abandoned by its client does not free a turn
/// while its computation still runs.
async fn capped<T: Send + 'static>(
    what: &'static str,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let permit = match tokio::time::timeout(QUEUE_WAIT, SLOTS.acquire()).await {
        Ok(Ok(permit)) => permit,
        Ok(Err(closed)) => return Err(AppError::internal(what, closed)),
        Err(_) => {
            tracing::warn!("{what}: every argon2 turn taken, request refused");
            return Err(AppError::Throttled(BUSY.to_string()));
        }
    };
    tokio::task::spawn_blocking(move || {
        let _turn = permit;
        DONE.fetch_add(1, Ordering::Relaxed);
        work()
    })
    .await
    .map_err(|e| AppError::internal(what, e))
}

/// The PHC string of a password hashed with argon2id (uncapped: for the command line and the
/// demo; the web flows use [`hash`]).
pub fn hash_sync(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// Hashes a password, within the cap (429 [`BUSY`] when the server is saturated).
pub async fn hash(password: String) -> Result<String, AppError> {
    capped("password hash", move || hash_sync(&password))
        .await?
        .map_err(|e| AppError::internal("password hash", e))
}

fn verify_sync(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Whether `password` matches the stored hash (`false` for accounts without a password),
/// within the cap (429 [`BUSY`] when the server is saturated).
pub async fn verify(password: String, stored: String) -> Result<bool, AppError> {
    capped("password verify", move || verify_sync(&password, &stored)).await
}

/// The work of [`verify`] for an address without an account, so that an unknown address
/// takes as long as a wrong password (no account enumeration by timing). Always `false`.
pub async fn verify_nothing(password: String) -> Result<bool, AppError> {
    capped("password verify", move || {
        let _ = verify_sync(&password, dummy_hash());
        false
    })
    .await
}

/// A hash to verify against when the account does not exist (see [`verify_nothing`]).
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

    /// The tests that take argon2 turns run one at a time (the turns are process-wide).
    static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

    fn serial() -> std::sync::MutexGuard<'static, ()> {
        SERIAL
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let _serial = serial();
        let hash = hash_sync("une phrase de passe").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        assert!(rt
            .block_on(verify("une phrase de passe".into(), hash.clone()))
            .unwrap());
        assert!(!rt
            .block_on(verify("une autre phrase".into(), hash))
            .unwrap());
        assert!(!rt.block_on(verify("x".into(), "!".into())).unwrap());
        assert!(!rt.block_on(verify_nothing("x".into())).unwrap());
    }

    #[test]
    fn argon2_work_is_capped_and_refused_after_the_wait() {
        let _serial = serial();
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_time()
            .build()
            .unwrap();
        rt.block_on(async {
            // Every turn taken (as by long computations): the next request waits
            // QUEUE_WAIT, then gets the French 429.
            let turns = SLOTS.acquire_many(CONCURRENT as u32).await.unwrap();
            let before = hashes_done();
            let started = std::time::Instant::now();
            let refused = hash("une phrase de passe".into()).await.unwrap_err();
            assert!(started.elapsed() >= QUEUE_WAIT);
            assert_eq!(refused, AppError::Throttled(BUSY.into()));
            assert_eq!(refused.status_code(), http::StatusCode::TOO_MANY_REQUESTS);
            assert_eq!(hashes_done(), before, "nothing computed");
            // A turn freed within the wait: the request is served.
            let waiting = tokio::spawn(verify("x".into(), "!".into()));
            tokio::time::sleep(Duration::from_millis(100)).await;
            drop(turns);
            assert!(!waiting.await.unwrap().unwrap());
        });
    }

    #[test]
    fn common_passwords_are_known() {
        assert!(is_common("password1234"));
        assert!(is_common("PASSWORD1234"));
        assert!(is_common("qwertyuiopasdfghjkl"));
        assert!(!is_common("trois chats sur le toit de la mairie"));
    }
}

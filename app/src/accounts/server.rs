//! Server functions of accounts. Every one answers with a French message on the field at
//! fault (4xx), never a 500 for bad input.
use leptos::prelude::*;

use super::model::CurrentAccount;
use crate::error::AppError;

#[cfg(feature = "ssr")]
mod imp {
    pub use super::super::rules::SignUpInput;
    pub use super::super::rules::{check_new_password, PASSWORD_MAX};
    pub use super::super::session::Limit;
    pub use super::super::{mail::texts, password, second_factor, session};
    pub use crate::checks::{check_email, field, EMAIL_MAX};
    pub use crate::error::{form_status, with_status, AppError, FieldError};
    pub use crate::state::app_state;
    pub use chrono::Duration;

    pub const COMMON_PASSWORD: &str =
        "Ce mot de passe fait partie des plus courants : choisissez-en un autre, par exemple une phrase de plusieurs mots.";

    pub fn check_password(password: &str) -> Result<(), AppError> {
        check_new_password(password).map_err(|m| AppError::field(field::PASSWORD, m))?;
        if password::is_common(password) {
            return Err(AppError::field(field::PASSWORD, COMMON_PASSWORD));
        }
        Ok(())
    }

    /// The cheap check of a password typed to prove who one is: empty or longer than any
    /// password can be is `message` on `field` at once, without hashing anything.
    pub fn check_given_password(given: &str, field: &str, message: &str) -> Result<(), AppError> {
        if given.is_empty() || given.chars().count() > PASSWORD_MAX {
            return Err(AppError::field(field, message));
        }
        Ok(())
    }

    /// Checks the signed-in account's current password; a wrong one is a message on `field`.
    pub async fn check_own_password(
        pool: &sqlx::SqlitePool,
        account_id: i64,
        given: String,
        field: &str,
        message: &str,
    ) -> Result<(), AppError> {
        check_given_password(&given, field, message)?;
        let stored: String = sqlx::query_scalar("SELECT password_hash FROM accounts WHERE id = ?")
            .bind(account_id)
            .fetch_one(pool)
            .await?;
        if password::verify(given, stored).await? {
            Ok(())
        } else {
            Err(AppError::field(field, message))
        }
    }

    /// Sends `to` to a local path after the action (without JavaScript, the browser follows).
    pub fn redirect_to(path: &str) {
        leptos_axum::redirect(path);
    }

    /// A form's success shown by the page it sends to (`?fait=…`): the forms are posted by
    /// the browser itself (no JavaScript on these pages), which follows the redirect.
    pub fn then_show<T>(path: &str, result: Result<T, AppError>) -> Result<T, AppError> {
        if result.is_ok() {
            redirect_to(path);
        }
        result
    }

    /// The messages sent where the other branch of a form sends its own, so that the answer
    /// (and its time) does not tell whether an address has an account.
    pub mod enumeration_safe_texts {
        /// A reset asked for an address without an active account.
        pub fn reset_without_account(site: &str) -> (String, String) {
            (
                "Demande de nouveau mot de passe – Mois de l'innovation publique".into(),
                format!(
                    "Bonjour,\n\n\
                     Un nouveau mot de passe a été demandé pour cette adresse sur la plateforme du Mois de l'innovation publique, \
                     mais elle n'est celle d'aucun compte actif : rien n'a été changé.\n\
                     Votre compte utilise peut-être une autre adresse. Pour créer un compte : {site}/inscription\n\n\
                     Si vous n'avez rien demandé, ignorez ce message.\n\n\
                     L'équipe du Mois de l'innovation publique (DITP)\n"
                ),
            )
        }

        /// Another account asked to take an address that already has an account.
        pub fn address_already_used(site: &str) -> (String, String) {
            (
                "Cette adresse a déjà un compte – Mois de l'innovation publique".into(),
                format!(
                    "Bonjour,\n\n\
                     Quelqu'un a demandé à utiliser cette adresse pour un autre compte organisateur de la plateforme \
                     du Mois de l'innovation publique. Elle est déjà celle d'un compte : rien n'a été changé.\n\
                     Pour vous connecter : {site}/connexion\n\
                     Mot de passe oublié : {site}/mot-de-passe-oublie\n\n\
                     Si vous n'êtes pas à l'origine de cette demande, ignorez ce message.\n\n\
                     L'équipe du Mois de l'innovation publique (DITP)\n"
                ),
            )
        }
    }
}

/// Who is signed in (`None` for visitors).
#[server(endpoint = "compte/moi")]
pub async fn signed_in_account() -> Result<Option<CurrentAccount>, AppError> {
    use imp::*;
    with_status(session::current().await)
}

/// Creates an organizer account and sends the confirmation link. An address that already
/// has an account gets a message saying so (and the page says the same as for a new one,
/// so that nobody learns who has an account: both branches hash the password, write once
/// and send one message). Throttled per client address and per recipient.
#[server(endpoint = "compte/inscription")]
pub async fn sign_up(
    email: String,
    name: String,
    structure: String,
    organizer_type: String,
    region: String,
    password: String,
) -> Result<(), AppError> {
    use imp::*;
    then_show(
        "/inscription?fait=inscription",
        form_status(
            async {
                let state = app_state()?;
                let now = state.clock.now();
                let input = SignUpInput {
                    email: email.trim().to_string(),
                    name,
                    structure,
                    organizer_type_id: organizer_type.trim().parse().ok(),
                    region_code: region,
                    password,
                };
                let options = crate::organizer::db::form_options(&state.pool, now).await?;
                let type_ids: Vec<i64> = options.organizer_types.iter().map(|t| t.id).collect();
                let region_codes: Vec<String> =
                    options.regions.iter().map(|r| r.code.clone()).collect();
                let mut errors = input.validate(&type_ids, &region_codes);
                if !errors.iter().any(|e| e.field == field::PASSWORD)
                    && password::is_common(&input.password)
                {
                    errors.push(FieldError::new(field::PASSWORD, COMMON_PASSWORD));
                }
                if !errors.is_empty() {
                    return Err(AppError::Invalid(errors));
                }
                let ip = session::client_ip();
                session::throttle(
                    &state.pool,
                    &[
                        Limit::per_client("sign_up", &ip),
                        Limit::mails_to(&input.email),
                    ],
                    now,
                )
                .await?;
                // Hashed whether or not the address has an account: the same work either way.
                let hash = password::hash(input.password.clone()).await?;
                let existing: Option<i64> =
                    sqlx::query_scalar("SELECT id FROM accounts WHERE email = ?")
                        .bind(&input.email)
                        .fetch_optional(&state.pool)
                        .await?;
                let token = match existing {
                    Some(_) => {
                        session::balance_write(&state.pool, now).await?;
                        None
                    }
                    None => create_account(&state.pool, &input, &hash, now).await?,
                };
                let (subject, body) = match &token {
                    Some(token) => {
                        let link = format!("{}/confirmation?jeton={token}", state.public_url);
                        texts::confirm_email(input.name.trim(), &link)
                    }
                    None => texts::already_registered(&state.public_url),
                };
                state
                    .mailer
                    .send(&state.pool, &input.email, &subject, &body, now)
                    .await?;
                Ok(())
            }
            .await,
        ),
    )
}

/// Inserts the account and its confirmation token in one transaction (one write, as the
/// other branch's): the token, or `None` when a parallel sign-up took the address meanwhile.
#[cfg(feature = "ssr")]
async fn create_account(
    pool: &sqlx::SqlitePool,
    input: &super::rules::SignUpInput,
    hash: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<String>, AppError> {
    use imp::*;
    let at = crate::time::timestamp(now);
    let mut tx = pool.begin().await?;
    let inserted = sqlx::query_scalar(
        "INSERT INTO accounts (email, password_hash, name, structure, organizer_type_id, \
            region_code, role, created_at, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?, 'organizer', ?, ?) RETURNING id",
    )
    .bind(&input.email)
    .bind(hash)
    .bind(input.name.trim())
    .bind(input.structure.trim())
    .bind(input.organizer_type_id)
    .bind(input.region_code.trim())
    .bind(&at)
    .bind(&at)
    .fetch_one(&mut *tx)
    .await;
    let id: i64 = match inserted {
        Ok(id) => id,
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let token = session::new_link_token(
        &mut *tx,
        id,
        session::CONFIRM_EMAIL,
        None,
        now,
        Duration::hours(48),
    )
    .await?;
    tx.commit().await?;
    Ok(Some(token))
}

/// Confirms an address from the e-mailed link (a new account's, or a changed one).
#[server(endpoint = "compte/confirmation")]
pub async fn confirm_email(jeton: String) -> Result<(), AppError> {
    use imp::*;
    then_show(
        "/confirmation?fait=confirmation",
        form_status(
        async {
            let state = app_state()?;
            let now = state.clock.now();
            let mut tx = crate::state::begin_write(&state.pool).await?;
            let (account_id, new_email) =
                session::use_link_token(&mut tx, &jeton, session::CONFIRM_EMAIL, now).await?;
            let at = crate::time::timestamp(now);
            match new_email {
                Some(email) => {
                    sqlx::query("UPDATE accounts SET email = ?, email_confirmed_at = ?, updated_at = ? WHERE id = ?")
                        .bind(&email)
                        .bind(&at)
                        .bind(&at)
                        .bind(account_id)
                        .execute(&mut *tx)
                        .await
                        .map_err(|e| match AppError::from(e) {
                            AppError::Conflict(_) => AppError::field(
                                "jeton",
                                "Cette adresse est déjà celle d'un autre compte.",
                            ),
                            other => other,
                        })?;
                }
                None => {
                    sqlx::query("UPDATE accounts SET email_confirmed_at = coalesce(email_confirmed_at, ?), updated_at = ? WHERE id = ?")
                        .bind(&at)
                        .bind(&at)
                        .bind(account_id)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            tx.commit().await?;
            Ok(())
        }
        .await,
    ),
    )
}

/// Counts a sign-in step's outcome for the operator (`/metrics`: `mip_sign_in_total`, by
/// step and outcome: succeeded, refused, throttled), then hands the result back.
#[cfg(feature = "ssr")]
fn count_sign_in<T>(step: &'static str, result: Result<T, AppError>) -> Result<T, AppError> {
    let outcome = match &result {
        Ok(_) => "succeeded",
        Err(AppError::Throttled(_)) => "throttled",
        Err(_) => "refused",
    };
    metrics::counter!("mip_sign_in_total", "step" => step, "outcome" => outcome).increment(1);
    result
}

/// Signs in. Throttled: the attempt is recorded before the password is checked, and
/// refused (429, with how long to wait) after 5 failures for this account from this client
/// address (15 minutes, then twice as long after each further failure, up to a day: the
/// owner elsewhere is not slowed), or after 20 failures from this client address within
/// 15 minutes, whatever the accounts.
#[server(endpoint = "compte/connexion")]
pub async fn sign_in(
    email: String,
    password: String,
    retour: Option<String>,
) -> Result<(), AppError> {
    use imp::*;
    count_sign_in(
        "password",
        form_status(
        async {
            let state = app_state()?;
            let now = state.clock.now();
            let email = email.trim().to_string();
            const WRONG: &str = "Adresse électronique ou mot de passe incorrect.";
            if email.is_empty() {
                return Err(AppError::field(field::EMAIL, "Indiquez votre adresse électronique."));
            }
            if password.is_empty() {
                return Err(AppError::field(field::PASSWORD, "Indiquez votre mot de passe."));
            }
            if password.chars().count() > PASSWORD_MAX || email.chars().count() > EMAIL_MAX {
                return Err(AppError::field(field::PASSWORD, WRONG));
            }
            let ip = session::client_ip();
            let attempt = session::begin_sign_in(&state.pool, &email, &ip, now).await?;
            // id, password hash, e-mail confirmed at, disabled at, role.
            type Row = (i64, String, Option<String>, Option<String>, String);
            let account: Option<Row> = sqlx::query_as(
                "SELECT id, password_hash, email_confirmed_at, disabled_at, role FROM accounts WHERE email = ?",
            )
            .bind(&email)
            .fetch_optional(&state.pool)
            .await?;
            // An unknown address takes as long as a wrong password.
            let checked = match &account {
                Some(account) => password::verify(password, account.1.clone()).await,
                None => password::verify_nothing(password).await,
            };
            let matches = match checked {
                Ok(matches) => matches,
                Err(error) => {
                    attempt.not_checked(&state.pool).await?;
                    return Err(error);
                }
            };
            let Some((id, _, confirmed, disabled, role)) = account.filter(|_| matches) else {
                attempt.failed(&state.pool).await?;
                return Err(AppError::field(field::PASSWORD, WRONG));
            };
            attempt.succeeded(&state.pool).await?;
            if disabled.is_some() {
                return Err(AppError::field(
                    field::EMAIL,
                    "Ce compte a été désactivé. Écrivez à l'équipe du Mois pour le réactiver.",
                ));
            }
            if confirmed.is_none() {
                return Err(AppError::field(
                    field::EMAIL,
                    "Confirmez d'abord votre adresse avec le lien reçu par courriel lors de l'inscription.",
                ));
            }
            let target = retour
                .as_deref()
                .and_then(super::model::safe_return_path)
                .unwrap_or("/organisateur");
            if role != "organizer" {
                // Moderators and administrators confirm with their second factor: until
                // then the session signs nobody in.
                session::start_with(&state, id, true, None).await?;
                let back: String = form_urlencoded::byte_serialize(target.as_bytes()).collect();
                redirect_to(&format!("{}?retour={back}", super::model::SECOND_FACTOR_PATH));
                return Ok(());
            }
            session::start(&state, id).await?;
            redirect_to(target);
            Ok(())
        }
        .await,
    ))
}

/// The second factor's page: for a session whose password was right, either the code to
/// type (enrolled), or the enrolment: a new secret as a QR code and as text, and recovery
/// codes shown this once (each view draws new ones, until a first code confirms them).
#[server(endpoint = "compte/code/etat")]
pub async fn second_factor_setup() -> Result<super::model::SecondFactorSetup, AppError> {
    use imp::*;
    with_status(
        async {
            let state = app_state()?;
            let account_id = session::pending_second_factor(&state)
                .await?
                .ok_or(AppError::Unauthenticated)?;
            let (email, enabled): (String, Option<String>) =
                sqlx::query_as("SELECT email, totp_enabled_at FROM accounts WHERE id = ?")
                    .bind(account_id)
                    .fetch_one(&state.pool)
                    .await?;
            if enabled.is_some() {
                return Ok(super::model::SecondFactorSetup::default());
            }
            let secret = second_factor::new_secret();
            let codes = second_factor::new_recovery_codes();
            let url = second_factor::otpauth_url(&secret, &email)?;
            let mut tx = crate::state::begin_write(&state.pool).await?;
            sqlx::query("UPDATE accounts SET totp_secret = ?, totp_last_step = NULL WHERE id = ? AND totp_enabled_at IS NULL")
                .bind(&secret)
                .bind(account_id)
                .execute(&mut *tx)
                .await?;
            second_factor::store_recovery_codes(&mut tx, account_id, &codes).await?;
            tx.commit().await?;
            Ok(super::model::SecondFactorSetup {
                enrolling: true,
                qr_svg: second_factor::qr_svg(&url)?,
                secret,
                recovery_codes: codes,
            })
        }
        .await,
    )
}

/// Confirms a sign-in with the authenticator's code (or a recovery code): the waiting session
/// is replaced by a signed-in one. At enrolment, the first code confirms the app. Throttled
/// like passwords: 5 wrong codes for the account from this address, then growing waits.
#[server(endpoint = "compte/code")]
pub async fn verify_second_factor(code: String, retour: Option<String>) -> Result<(), AppError> {
    use imp::*;
    count_sign_in(
        "second_factor",
        form_status(
        async {
            let state = app_state()?;
            let now = state.clock.now();
            let account_id = session::pending_second_factor(&state)
                .await?
                .ok_or(AppError::Unauthenticated)?;
            let code = code.trim().to_string();
            if code.is_empty() || code.chars().count() > 32 {
                return Err(AppError::field(
                    "code",
                    "Indiquez le code à 6 chiffres de votre application, ou un code de secours.",
                ));
            }
            let subject = format!("code:{account_id}");
            let ip = session::client_ip();
            let attempt = session::begin_sign_in(&state.pool, &subject, &ip, now).await?;
            let mut tx = crate::state::begin_write(&state.pool).await?;
            let checked = second_factor::check(&mut tx, account_id, &code, now).await?;
            if checked == second_factor::Checked::Wrong {
                tx.rollback().await?;
                attempt.failed(&state.pool).await?;
                return Err(AppError::field(
                    "code",
                    "Ce code n'est pas le bon, ou il a déjà servi : attendez le suivant dans votre application.",
                ));
            }
            sqlx::query(
                "UPDATE accounts SET totp_enabled_at = coalesce(totp_enabled_at, ?) WHERE id = ?",
            )
            .bind(crate::time::timestamp(now))
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            attempt.succeeded(&state.pool).await?;
            session::start(&state, account_id).await?;
            let target = retour
                .as_deref()
                .and_then(super::model::safe_return_path)
                .unwrap_or("/moderation");
            redirect_to(target);
            Ok(())
        }
        .await,
    ))
}

#[server(endpoint = "compte/deconnexion")]
pub async fn sign_out() -> Result<(), AppError> {
    use imp::*;
    form_status(
        async {
            let state = app_state()?;
            // A session from ProConnect ends there too: its ID token goes, as the hint, to
            // ProConnect's end-session endpoint (by way of a page of this site: a form may
            // only send to this site, see the Content-Security-Policy's `form-action`).
            let id_token = session::id_token(&state).await?;
            session::end(&state).await?;
            match id_token.filter(|_| state.proconnect.is_some()) {
                Some(id_token) => {
                    let now = state.clock.now();
                    let token =
                        super::proconnect::store::save_logout(&state.pool, &id_token, now).await?;
                    redirect_to(&format!("{}?jeton={token}", super::proconnect::END_PATH));
                }
                None => redirect_to("/"),
            }
            Ok(())
        }
        .await,
    )
}

/// Sends a reset link if the address has an active account, and a message saying that it
/// has none otherwise: the same answer, the same work (one write, one message) either way.
/// Throttled per client address and per recipient.
#[server(endpoint = "compte/mot-de-passe-oublie")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    use imp::*;
    then_show(
        "/mot-de-passe-oublie?fait=envoi",
        form_status(
            async {
                let state = app_state()?;
                let now = state.clock.now();
                let email = email.trim().to_string();
                check_email(&email).map_err(|m| AppError::field(field::EMAIL, m))?;
                let ip = session::client_ip();
                session::throttle(
                    &state.pool,
                    &[
                        Limit::per_client("reset_request", &ip),
                        Limit::mails_to(&email),
                    ],
                    now,
                )
                .await?;
                let account: Option<(i64, String)> = sqlx::query_as(
                    "SELECT id, name FROM accounts WHERE email = ? AND disabled_at IS NULL",
                )
                .bind(&email)
                .fetch_optional(&state.pool)
                .await?;
                let (subject, body) = match account {
                    Some((id, name)) => {
                        let token = session::new_link_token(
                            &state.pool,
                            id,
                            session::RESET_PASSWORD,
                            None,
                            now,
                            Duration::hours(1),
                        )
                        .await?;
                        let link =
                            format!("{}/mot-de-passe/nouveau?jeton={token}", state.public_url);
                        texts::reset_password(&name, &link)
                    }
                    None => {
                        session::balance_write(&state.pool, now).await?;
                        enumeration_safe_texts::reset_without_account(&state.public_url)
                    }
                };
                state
                    .mailer
                    .send(&state.pool, &email, &subject, &body, now)
                    .await?;
                Ok(())
            }
            .await,
        ),
    )
}

/// Sets a new password from a reset link; ends every session of the account. The cheap
/// checks come first (the password's rules, the throttle, the link, read without using it),
/// so that a made-up link never costs a hash.
#[server(endpoint = "compte/nouveau-mot-de-passe")]
pub async fn reset_password(jeton: String, password: String) -> Result<(), AppError> {
    use imp::*;
    then_show(
        "/mot-de-passe/nouveau?fait=mot-de-passe",
        form_status(
            async {
                let state = app_state()?;
                let now = state.clock.now();
                check_password(&password)?;
                let ip = session::client_ip();
                session::throttle(&state.pool, &[Limit::per_client("reset", &ip)], now).await?;
                session::valid_link_token(&state.pool, &jeton, session::RESET_PASSWORD, now)
                    .await?;
                let hash = password::hash(password).await?;
                let mut tx = crate::state::begin_write(&state.pool).await?;
                // Checked again, and used, atomically: a parallel use of the same link fails.
                let (account_id, _) =
                    session::use_link_token(&mut tx, &jeton, session::RESET_PASSWORD, now).await?;
                let at = crate::time::timestamp(now);
                sqlx::query(
                    "UPDATE accounts SET password_hash = ?, email_confirmed_at = coalesce(email_confirmed_at, ?), \
                        updated_at = ? WHERE id = ?",
                )
                .bind(&hash)
                .bind(&at)
                .bind(&at)
                .bind(account_id)
                .execute(&mut *tx)
                .await?;
                // Other reset links of this account die with this one.
                sqlx::query("UPDATE account_tokens SET used_at = ? WHERE account_id = ? AND purpose = 'reset_password' AND used_at IS NULL")
                    .bind(&at)
                    .bind(account_id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("DELETE FROM sessions WHERE account_id = ?")
                    .bind(account_id)
                    .execute(&mut *tx)
                    .await?;
                let email: String = sqlx::query_scalar("SELECT email FROM accounts WHERE id = ?")
                    .bind(account_id)
                    .fetch_one(&mut *tx)
                    .await?;
                tx.commit().await?;
                // The owner proved they read the mailbox: their own failed sign-ins from
                // here are forgotten (an attacker's, from elsewhere, are not).
                session::forget_sign_in_failures(&state.pool, &email, &ip).await?;
                Ok(())
            }
            .await,
        ),
    )
}

/// Changes the password (asks the current one); every other session ends. Throttled per
/// account and per client address.
#[server(endpoint = "compte/changer-mot-de-passe")]
pub async fn change_password(actuel: String, nouveau: String) -> Result<(), AppError> {
    use imp::*;
    then_show(
        "/compte?fait=mot-de-passe",
        form_status(
            async {
                let state = app_state()?;
                let now = state.clock.now();
                let account = session::require().await?;
                const WRONG: &str = "Mot de passe actuel incorrect.";
                check_given_password(&actuel, "actuel", WRONG)?;
                check_password(&nouveau).map_err(|e| match e {
                    AppError::Invalid(mut v) => {
                        v.iter_mut().for_each(|f| f.field = "nouveau".into());
                        AppError::Invalid(v)
                    }
                    other => other,
                })?;
                let ip = session::client_ip();
                let id = account.id.to_string();
                session::throttle(
                    &state.pool,
                    &[
                        Limit::per_account("change_password", &id),
                        Limit::per_client("change_password", &ip),
                    ],
                    now,
                )
                .await?;
                check_own_password(&state.pool, account.id, actuel, "actuel", WRONG).await?;
                let hash = password::hash(nouveau).await?;
                sqlx::query("UPDATE accounts SET password_hash = ?, updated_at = ? WHERE id = ?")
                    .bind(&hash)
                    .bind(crate::time::timestamp(now))
                    .bind(account.id)
                    .execute(&state.pool)
                    .await?;
                session::end_all(&state.pool, account.id).await?;
                session::start(&state, account.id).await?;
                let (subject, body) = texts::password_changed(&account.name);
                state
                    .mailer
                    .send(&state.pool, &account.email, &subject, &body, now)
                    .await?;
                Ok(())
            }
            .await,
        ),
    )
}

/// Asks to change the address (asks the password); takes effect when the new address is
/// confirmed from the link sent to it. An address that already has an account gets a
/// message saying so instead of the link, and the answer is the same (nobody learns who has
/// an account). Throttled per account, per client address and per recipient.
#[server(endpoint = "compte/changer-adresse")]
pub async fn change_email(mot_de_passe: String, email: String) -> Result<(), AppError> {
    use imp::*;
    then_show(
        "/compte?fait=adresse",
        form_status(
            async {
                let state = app_state()?;
                let now = state.clock.now();
                let account = session::require().await?;
                let email = email.trim().to_string();
                const WRONG: &str = "Mot de passe incorrect.";
                check_email(&email).map_err(|m| AppError::field(field::EMAIL, m))?;
                check_given_password(&mot_de_passe, "mot_de_passe", WRONG)?;
                let ip = session::client_ip();
                let id = account.id.to_string();
                session::throttle(
                    &state.pool,
                    &[
                        Limit::per_account("change_email", &id),
                        Limit::per_client("change_email", &ip),
                        Limit::mails_to(&email),
                    ],
                    now,
                )
                .await?;
                check_own_password(&state.pool, account.id, mot_de_passe, "mot_de_passe", WRONG)
                    .await?;
                let taken: Option<i64> =
                    sqlx::query_scalar("SELECT id FROM accounts WHERE email = ?")
                        .bind(&email)
                        .fetch_optional(&state.pool)
                        .await?;
                let (subject, body) = match taken {
                    Some(_) => {
                        session::balance_write(&state.pool, now).await?;
                        enumeration_safe_texts::address_already_used(&state.public_url)
                    }
                    None => {
                        let token = session::new_link_token(
                            &state.pool,
                            account.id,
                            session::CONFIRM_EMAIL,
                            Some(&email),
                            now,
                            Duration::hours(48),
                        )
                        .await?;
                        let link = format!("{}/confirmation?jeton={token}", state.public_url);
                        texts::confirm_new_email(&account.name, &link)
                    }
                };
                state
                    .mailer
                    .send(&state.pool, &email, &subject, &body, now)
                    .await?;
                let (subject, body) = texts::email_change_requested(&account.name, &email);
                state
                    .mailer
                    .send(&state.pool, &account.email, &subject, &body, now)
                    .await?;
                Ok(())
            }
            .await,
        ),
    )
}

//! Server functions of accounts. Every one answers with a French message on the field at
//! fault (4xx), never a 500 for bad input.
use leptos::prelude::*;

use super::model::CurrentAccount;
use crate::error::AppError;

#[cfg(feature = "ssr")]
mod imp {
    pub use super::super::{mail::texts, password, session};
    pub use crate::error::{with_status, AppError, FieldError};
    pub use crate::organizer::validation::{check_email, check_new_password, field, SignUpInput};
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

    /// Checks the signed-in account's current password; a wrong one is a message on `field`.
    pub async fn check_own_password(
        pool: &sqlx::SqlitePool,
        account_id: i64,
        given: String,
        field: &str,
        message: &str,
    ) -> Result<(), AppError> {
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
}

/// Who is signed in (`None` for visitors).
#[server(endpoint = "compte/moi")]
pub async fn signed_in_account() -> Result<Option<CurrentAccount>, AppError> {
    use imp::*;
    with_status(session::current().await)
}

/// Creates an organizer account and sends the confirmation link. An address that already
/// has an account gets a message saying so (and the page says the same as for a new one,
/// so that nobody learns who has an account).
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
        with_status(
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
                let existing: Option<i64> =
                    sqlx::query_scalar("SELECT id FROM accounts WHERE email = ?")
                        .bind(&input.email)
                        .fetch_optional(&state.pool)
                        .await?;
                if existing.is_some() {
                    let (subject, body) = texts::already_registered(&state.public_url);
                    state
                        .mailer
                        .send(&state.pool, &input.email, &subject, &body, now)
                        .await?;
                    return Ok(());
                }
                let hash = password::hash(input.password.clone()).await?;
                let at = session::timestamp(now);
                let mut tx = state.pool.begin().await?;
                let id: i64 = sqlx::query_scalar(
                "INSERT INTO accounts (email, password_hash, name, structure, organizer_type_id, \
                    region_code, role, created_at, updated_at) \
                 VALUES (?, ?, ?, ?, ?, ?, 'organizer', ?, ?) RETURNING id",
            )
            .bind(&input.email)
            .bind(&hash)
            .bind(input.name.trim())
            .bind(input.structure.trim())
            .bind(input.organizer_type_id)
            .bind(input.region_code.trim())
            .bind(&at)
            .bind(&at)
            .fetch_one(&mut *tx)
            .await?;
                tx.commit().await?;
                let token = session::new_link_token(
                    &state.pool,
                    id,
                    session::CONFIRM_EMAIL,
                    None,
                    now,
                    Duration::hours(48),
                )
                .await?;
                let link = format!("{}/confirmation?jeton={token}", state.public_url);
                let (subject, body) = texts::confirm_email(input.name.trim(), &link);
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

/// Confirms an address from the e-mailed link (a new account's, or a changed one).
#[server(endpoint = "compte/confirmation")]
pub async fn confirm_email(jeton: String) -> Result<(), AppError> {
    use imp::*;
    then_show(
        "/confirmation?fait=confirmation",
        with_status(
        async {
            let state = app_state()?;
            let now = state.clock.now();
            let mut tx = state.pool.begin_with("BEGIN IMMEDIATE").await?;
            let (account_id, new_email) =
                session::use_link_token(&mut tx, &jeton, session::CONFIRM_EMAIL, now).await?;
            let at = session::timestamp(now);
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

/// Signs in. Throttled: after 5 failures for one address, or 20 from one client, within 15
/// minutes, answers 429 until the window has passed.
#[server(endpoint = "compte/connexion")]
pub async fn sign_in(
    email: String,
    password: String,
    retour: Option<String>,
) -> Result<(), AppError> {
    use imp::*;
    with_status(
        async {
            let state = app_state()?;
            let now = state.clock.now();
            let email = email.trim().to_string();
            if email.is_empty() {
                return Err(AppError::field(field::EMAIL, "Indiquez votre adresse électronique."));
            }
            if password.is_empty() {
                return Err(AppError::field(field::PASSWORD, "Indiquez votre mot de passe."));
            }
            if password.chars().count() > crate::organizer::validation::PASSWORD_MAX {
                return Err(AppError::field(field::PASSWORD, "Adresse électronique ou mot de passe incorrect."));
            }
            let ip = session::client_ip();
            if session::throttled(&state.pool, &email, &ip, now).await? {
                return Err(AppError::TooManyRequests);
            }
            let account: Option<(i64, String, Option<String>, Option<String>)> = sqlx::query_as(
                "SELECT id, password_hash, email_confirmed_at, disabled_at FROM accounts WHERE email = ?",
            )
            .bind(&email)
            .fetch_optional(&state.pool)
            .await?;
            let stored = account
                .as_ref()
                .map(|a| a.1.clone())
                .unwrap_or_else(|| password::dummy_hash().to_string());
            let matches = password::verify(password, stored).await?;
            let Some((id, _, confirmed, disabled)) = account.filter(|_| matches) else {
                session::record_failure(&state.pool, &email, &ip, now).await?;
                return Err(AppError::field(
                    field::PASSWORD,
                    "Adresse électronique ou mot de passe incorrect.",
                ));
            };
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
            session::clear_failures(&state.pool, &email).await?;
            session::start(&state, id).await?;
            let target = retour
                .as_deref()
                .and_then(super::model::safe_return_path)
                .unwrap_or("/organisateur");
            redirect_to(target);
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "compte/deconnexion")]
pub async fn sign_out() -> Result<(), AppError> {
    use imp::*;
    with_status(
        async {
            let state = app_state()?;
            session::end(&state).await?;
            redirect_to("/");
            Ok(())
        }
        .await,
    )
}

/// Sends a reset link if the address has an account; says the same either way.
#[server(endpoint = "compte/mot-de-passe-oublie")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    use imp::*;
    then_show(
        "/mot-de-passe-oublie?fait=envoi",
        with_status(
            async {
                let state = app_state()?;
                let now = state.clock.now();
                let email = email.trim().to_string();
                check_email(&email).map_err(|m| AppError::field(field::EMAIL, m))?;
                let account: Option<(i64, String)> = sqlx::query_as(
                    "SELECT id, name FROM accounts WHERE email = ? AND disabled_at IS NULL",
                )
                .bind(&email)
                .fetch_optional(&state.pool)
                .await?;
                if let Some((id, name)) = account {
                    let token = session::new_link_token(
                        &state.pool,
                        id,
                        session::RESET_PASSWORD,
                        None,
                        now,
                        Duration::hours(1),
                    )
                    .await?;
                    let link = format!("{}/mot-de-passe/nouveau?jeton={token}", state.public_url);
                    let (subject, body) = texts::reset_password(&name, &link);
                    state
                        .mailer
                        .send(&state.pool, &email, &subject, &body, now)
                        .await?;
                }
                Ok(())
            }
            .await,
        ),
    )
}

/// Sets a new password from a reset link; ends every session of the account.
#[server(endpoint = "compte/nouveau-mot-de-passe")]
pub async fn reset_password(jeton: String, password: String) -> Result<(), AppError> {
    use imp::*;
    then_show(
        "/mot-de-passe/nouveau?fait=mot-de-passe",
        with_status(
        async {
            let state = app_state()?;
            let now = state.clock.now();
            check_password(&password)?;
            let hash = password::hash(password).await?;
            let mut tx = state.pool.begin_with("BEGIN IMMEDIATE").await?;
            let (account_id, _) =
                session::use_link_token(&mut tx, &jeton, session::RESET_PASSWORD, now).await?;
            let at = session::timestamp(now);
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
            tx.commit().await?;
            Ok(())
        }
        .await,
    ),
    )
}

/// Changes the password (asks the current one); every other session ends.
#[server(endpoint = "compte/changer-mot-de-passe")]
pub async fn change_password(actuel: String, nouveau: String) -> Result<(), AppError> {
    use imp::*;
    then_show(
        "/compte?fait=mot-de-passe",
        with_status(
            async {
                let state = app_state()?;
                let now = state.clock.now();
                let account = session::require().await?;
                check_own_password(
                    &state.pool,
                    account.id,
                    actuel,
                    "actuel",
                    "Mot de passe actuel incorrect.",
                )
                .await?;
                check_password(&nouveau).map_err(|e| match e {
                    AppError::Invalid(mut v) => {
                        v.iter_mut().for_each(|f| f.field = "nouveau".into());
                        AppError::Invalid(v)
                    }
                    other => other,
                })?;
                let hash = password::hash(nouveau).await?;
                sqlx::query("UPDATE accounts SET password_hash = ?, updated_at = ? WHERE id = ?")
                    .bind(&hash)
                    .bind(session::timestamp(now))
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
/// confirmed from the link sent to it.
#[server(endpoint = "compte/changer-adresse")]
pub async fn change_email(mot_de_passe: String, email: String) -> Result<(), AppError> {
    use imp::*;
    then_show(
        "/compte?fait=adresse",
        with_status(
            async {
                let state = app_state()?;
                let now = state.clock.now();
                let account = session::require().await?;
                let email = email.trim().to_string();
                check_email(&email).map_err(|m| AppError::field(field::EMAIL, m))?;
                check_own_password(
                    &state.pool,
                    account.id,
                    mot_de_passe,
                    "mot_de_passe",
                    "Mot de passe incorrect.",
                )
                .await?;
                let taken: Option<i64> =
                    sqlx::query_scalar("SELECT id FROM accounts WHERE email = ?")
                        .bind(&email)
                        .fetch_optional(&state.pool)
                        .await?;
                if taken.is_some() {
                    return Err(AppError::field(
                        field::EMAIL,
                        "Cette adresse est déjà celle d'un compte.",
                    ));
                }
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
                let (subject, body) = texts::confirm_new_email(&account.name, &link);
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

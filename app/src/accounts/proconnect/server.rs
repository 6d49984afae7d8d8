//! The server functions of the steps after ProConnect: the profile of a first sign-in, and
//! the password that links an identity to the existing account of its address.
use leptos::prelude::*;

use super::PendingIdentity;
use crate::error::AppError;

#[cfg(feature = "ssr")]
mod imp {
    pub use super::super::store;
    pub use crate::accounts::rules::PASSWORD_MAX;
    pub use crate::accounts::{password, session};
    pub use crate::checks::field;
    pub use crate::error::{form_status, AppError};
    pub use crate::server_fn::{public, Reply};
    pub use crate::state::{app_state, AppState};

    pub const EXPIRED: &str =
        "Cette connexion avec ProConnect a expiré : recommencez avec le bouton « S'identifier avec ProConnect ».";

    /// The identity is used: its cookie goes.
    pub fn forget_cookie(state: &AppState) {
        if let (Some(options), Ok(value)) = (
            leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
            http::HeaderValue::from_str(&store::set_cookie_value(
                state,
                "",
                chrono::Duration::zero(),
            )),
        ) {
            options.append_header(http::header::SET_COOKIE, value);
        }
    }

    /// Signs the account in with the identity's ID token (staff type their second factor
    /// first) and sends the browser on.
    pub async fn sign_in(
        state: &AppState,
        account_id: i64,
        role: &str,
        pending: &store::Pending,
    ) -> Result<(), AppError> {
        forget_cookie(state);
        let target = pending
            .return_path
            .as_deref()
            .and_then(crate::accounts::model::safe_return_path)
            .unwrap_or("/organisateur")
            .to_string();
        let id_token = Some(pending.identity.id_token.as_str());
        if role != "organizer" {
            session::start_with(state, account_id, true, id_token).await?;
            let back: String = form_urlencoded::byte_serialize(target.as_bytes()).collect();
            leptos_axum::redirect(&format!(
                "{}?retour={back}",
                crate::accounts::model::SECOND_FACTOR_PATH
            ));
        } else {
            session::start_with(state, account_id, false, id_token).await?;
            leptos_axum::redirect(&target);
        }
        Ok(())
    }

    /// The pending identity is already an account's: this browser's previous post linked it
    /// (a double click), or another tab did. Signs in as that post did and answers `true`;
    /// `false` when the identity is not linked yet.
    pub async fn signed_in_if_linked(
        state: &AppState,
        pending: &store::Pending,
        field: &'static str,
    ) -> Result<bool, AppError> {
        match store::known(&state.pool, &pending.identity).await? {
            store::Known::Linked { disabled: true, .. } => Err(AppError::field(
                field,
                super::super::Failure::Disabled.message(),
            )),
            store::Known::Linked {
                account_id, role, ..
            } => {
                sign_in(state, account_id, &role, pending).await?;
                Ok(true)
            }
            store::Known::SameAddress | store::Known::New => Ok(false),
        }
    }
}

/// The identity of this browser waiting for its next step, if any.
#[server(endpoint = "compte/proconnect/identite")]
pub async fn pending_proconnect_identity() -> Result<Option<PendingIdentity>, AppError> {
    use imp::*;
    public(Reply::Data, async |state| {
        Ok(store::pending(&state).await?.map(|p| PendingIdentity {
            name: p.identity.name,
            email: p.identity.email,
        }))
    })
    .await
}

/// A first sign-in with ProConnect: the account is created with the name and the address
/// ProConnect gave (confirmed by it), and the structure typed here; then signed in.
#[server(endpoint = "compte/proconnect/inscription")]
pub async fn complete_proconnect_sign_up(
    structure: String,
    organizer_type: String,
    region: String,
) -> Result<(), AppError> {
    use imp::*;
    public(Reply::Form, async |state| {
        let now = state.clock.now();
        let pending = store::pending(&state)
            .await?
            .ok_or_else(|| AppError::field(field::ACCOUNT_STRUCTURE, EXPIRED))?;
        if signed_in_if_linked(&state, &pending, field::ACCOUNT_STRUCTURE).await? {
            return Ok(());
        }
        let input = crate::accounts::rules::StructureInput {
            structure,
            organizer_type_id: organizer_type.trim().parse().ok(),
            region_code: region,
        };
        let options = crate::organizer::db::form_options(&state.pool, now).await?;
        let type_ids: Vec<i64> = options.organizer_types.iter().map(|t| t.id).collect();
        let region_codes: Vec<String> = options.regions.iter().map(|r| r.code.clone()).collect();
        let errors = input.validate(&type_ids, &region_codes);
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let ip = session::client_ip();
        session::throttle(
            &state.pool,
            &[session::Limit::per_client("sign_up", &ip)],
            now,
        )
        .await?;
        let at = crate::time::timestamp(now);
        let identity = &pending.identity;
        let mut tx = crate::state::begin_write(&state.pool).await?;
        // No password (`!` is no hash): « mot de passe oublié » gives one if wanted.
        let inserted = sqlx::query_scalar::<_, i64>(
            "INSERT INTO accounts (email, password_hash, name, structure, organizer_type_id, \
                    region_code, role, email_confirmed_at, created_at, updated_at) \
                 VALUES (?, '!', ?, ?, ?, ?, 'organizer', ?, ?, ?) RETURNING id",
        )
        .bind(&identity.email)
        .bind(&identity.name)
        .bind(input.structure.trim())
        .bind(input.organizer_type_id)
        .bind(input.region_code.trim())
        .bind(&at)
        .bind(&at)
        .bind(&at)
        .fetch_one(&mut *tx)
        .await;
        let account_id = match inserted {
            Ok(id) => id,
            // The address got an account meanwhile: this very identity's (a double click's
            // first post, committed while this one waited for the write lock), or another
            // one's, which its password links.
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                tx.rollback().await?;
                if !signed_in_if_linked(&state, &pending, field::ACCOUNT_STRUCTURE).await? {
                    leptos_axum::redirect(super::LINK_PATH);
                }
                return Ok(());
            }
            Err(e) => return Err(e.into()),
        };
        if let Err(error) = store::link(&mut tx, identity, account_id, now).await {
            tx.rollback().await?;
            return Err(error);
        }
        tx.commit().await?;
        imp::sign_in(&state, account_id, "organizer", &pending).await
    })
    .await
}

/// Links the pending identity to the account of its address, once that account's password
/// is given (throttled as the sign-in: the same failures count); then signs in.
#[server(endpoint = "compte/proconnect/lier")]
pub async fn link_proconnect(mot_de_passe: String) -> Result<(), AppError> {
    use imp::*;
    form_status(
        async {
            const FIELD: &str = "mot_de_passe";
            const WRONG: &str = "Mot de passe incorrect. Si vous ne le connaissez pas, choisissez-en un avec « Mot de passe oublié », puis revenez par ProConnect.";
            let state = app_state()?;
            let now = state.clock.now();
            let pending = store::pending(&state)
                .await?
                .ok_or_else(|| AppError::field(FIELD, EXPIRED))?;
            if signed_in_if_linked(&state, &pending, FIELD).await? {
                return Ok(());
            }
            if mot_de_passe.is_empty() || mot_de_passe.chars().count() > PASSWORD_MAX {
                return Err(AppError::field(FIELD, WRONG));
            }
            let email = pending.identity.email.clone();
            let ip = session::client_ip();
            let attempt = session::begin_sign_in(&state.pool, &email, &ip, now).await?;
            type Row = (i64, String, Option<String>, String);
            let account: Option<Row> = sqlx::query_as(
                "SELECT id, password_hash, disabled_at, role FROM accounts WHERE email = ?",
            )
            .bind(&email)
            .fetch_optional(&state.pool)
            .await?;
            let checked = match &account {
                Some(account) => password::verify(mot_de_passe, account.1.clone()).await,
                None => password::verify_nothing(mot_de_passe).await,
            };
            let matches = match checked {
                Ok(matches) => matches,
                Err(error) => {
                    attempt.not_checked(&state.pool).await?;
                    return Err(error);
                }
            };
            let Some((account_id, _, disabled, role)) = account.filter(|_| matches) else {
                attempt.failed(&state.pool).await?;
                return Err(AppError::field(FIELD, WRONG));
            };
            attempt.succeeded(&state.pool).await?;
            if disabled.is_some() {
                return Err(AppError::field(FIELD, super::Failure::Disabled.message()));
            }
            let mut tx = crate::state::begin_write(&state.pool).await?;
            // ProConnect vouches for the address.
            sqlx::query(
                "UPDATE accounts SET email_confirmed_at = coalesce(email_confirmed_at, ?) \
                 WHERE id = ?",
            )
            .bind(crate::time::timestamp(now))
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
            // An account has one ProConnect identity: a new one replaces the old link.
            sqlx::query("DELETE FROM proconnect_identities WHERE account_id = ?")
                .bind(account_id)
                .execute(&mut *tx)
                .await?;
            store::link(&mut tx, &pending.identity, account_id, now).await?;
            tx.commit().await?;
            imp::sign_in(&state, account_id, &role, &pending).await
        }
        .await,
    )
}

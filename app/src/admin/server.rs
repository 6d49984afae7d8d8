//! Server functions of the admin area: admins only (anonymous → 401, others → 403).
// Server functions take one argument per field of their form, which also posts without
// JavaScript; the macro generates the client stubs with the same arguments.
#![allow(clippy::too_many_arguments)]
use leptos::prelude::*;

use super::model::{AccountLine, AdminHome, ImportReport, VocabularyEntry};
use crate::error::AppError;

#[cfg(feature = "ssr")]
pub mod imp {
    pub use super::super::{db, import, model::EditionInput};
    pub use crate::accounts::session;
    pub use crate::accounts::CurrentAccount;
    pub use crate::error::{with_status, AppError};
    pub use crate::reference::Role;
    pub use crate::state::app_state;

    /// Plain HTML forms get their error back on their page (see `error::form_status`).
    pub use crate::error::form_status as form_answer;

    pub async fn require_admin() -> Result<CurrentAccount, AppError> {
        let account = session::require().await?;
        if account.role == Role::Admin {
            Ok(account)
        } else {
            Err(AppError::Forbidden)
        }
    }
}

#[server(endpoint = "admin/accueil")]
pub async fn admin_overview() -> Result<AdminHome, AppError> {
    use imp::*;
    with_status(
        async {
            require_admin().await?;
            let state = app_state()?;
            let themes = db::vocabulary(&state.pool, "themes").await?;
            // Versions first: a form may then carry an older version than its values (a
            // needless conflict), never a newer one (a lost update).
            let versions = db::edition_versions(&state.pool).await?;
            Ok(AdminHome {
                versions,
                editions: db::all_editions(&state.pool).await?,
                themes: themes
                    .into_iter()
                    .filter(|t| !t.retired)
                    .map(|t| t.item)
                    .collect(),
            })
        }
        .await,
    )
}

/// Creates the edition of `year` (no `version`: the form was for a new edition; 409 if it
/// exists) or updates it if it still has `version` (409 otherwise); `is_current` makes it the
/// edition of the site.
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "admin/edition")]
pub async fn save_edition(
    year: String,
    ordinal: String,
    theme_of_year: String,
    tagline: String,
    starts_on: String,
    ends_on: String,
    referencing_opens_on: String,
    referencing_closes_on: String,
    is_current: Option<String>,
    version: Option<i64>,
) -> Result<(), AppError> {
    use imp::*;
    form_answer(
        async {
            require_admin().await?;
            let state = app_state()?;
            let themes: Vec<i64> = db::vocabulary(&state.pool, "themes")
                .await?
                .into_iter()
                .filter(|t| !t.retired)
                .map(|t| t.item.id)
                .collect();
            let input = EditionInput {
                year,
                ordinal,
                theme_of_year,
                tagline,
                starts_on,
                ends_on,
                referencing_opens_on,
                referencing_closes_on,
                is_current: is_current.is_some_and(|v| !v.is_empty()),
            };
            let valid = input.validate(&themes).map_err(AppError::Invalid)?;
            db::save_edition(&state.pool, &valid, version, state.clock.now()).await?;
            leptos_axum::redirect(&format!("/admin?fait=edition-{}", valid.year));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "admin/vocabulaire")]
pub async fn admin_vocabulary(kind: String) -> Result<Vec<VocabularyEntry>, AppError> {
    use imp::*;
    with_status(
        async {
            require_admin().await?;
            db::vocabulary(&app_state()?.pool, &kind).await
        }
        .await,
    )
}

/// `action`: « ajouter » (with `libelle`), « renommer » (`id`, `libelle`), « monter »,
/// « descendre », « retirer » (deleted if unused), « retablir ». Every action but « ajouter »
/// needs the `version` of the value the form was rendered with (409 if it changed since).
#[server(endpoint = "admin/vocabulaire/modifier")]
pub async fn change_vocabulary(
    kind: String,
    action: String,
    id: Option<i64>,
    libelle: Option<String>,
    version: Option<i64>,
) -> Result<(), AppError> {
    use imp::*;
    form_answer(
        async {
            require_admin().await?;
            let pool = app_state()?.pool;
            let label = libelle.unwrap_or_default();
            let need_id = || id.ok_or_else(|| AppError::field("id", "Valeur manquante."));
            let done = match action.as_str() {
                "ajouter" => db::add_value(&pool, &kind, &label)
                    .await
                    .map(|_| "ajoutee")?,
                "renommer" => db::rename_value(&pool, &kind, need_id()?, &label, version)
                    .await
                    .map(|_| "renommee")?,
                "monter" => db::move_value(&pool, &kind, need_id()?, true, version)
                    .await
                    .map(|_| "deplacee")?,
                "descendre" => db::move_value(&pool, &kind, need_id()?, false, version)
                    .await
                    .map(|_| "deplacee")?,
                "retirer" => db::retire_value(&pool, &kind, need_id()?, true, version).await?,
                "retablir" => db::retire_value(&pool, &kind, need_id()?, false, version).await?,
                _ => return Err(AppError::field("action", "Action inconnue.")),
            };
            leptos_axum::redirect(&format!("/admin/vocabulaires?v={kind}&fait={done}"));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "admin/comptes")]
pub async fn admin_accounts(q: String) -> Result<Vec<AccountLine>, AppError> {
    use imp::*;
    with_status(
        async {
            require_admin().await?;
            // SQLite refuses LIKE patterns over 50,000 bytes: a search is a few words.
            if q.chars().count() > crate::programme::filters::MAX_TEXT {
                return Err(AppError::field(
                    "q",
                    format!(
                        "La recherche ne doit pas dépasser {} caractères.",
                        crate::programme::filters::MAX_TEXT
                    ),
                ));
            }
            db::search_accounts(&app_state()?.pool, &q).await
        }
        .await,
    )
}

/// Sets an account's role, and disables (ending its sessions) or re-enables it, if the
/// account still has `version` (409 otherwise).
#[server(endpoint = "admin/compte")]
pub async fn update_account(
    id: i64,
    role: String,
    disabled: Option<String>,
    version: Option<i64>,
) -> Result<(), AppError> {
    use imp::*;
    form_answer(
        async {
            let admin = require_admin().await?;
            let state = app_state()?;
            let role = Role::parse(&role).ok_or_else(|| {
                AppError::field("role", "Rôle inconnu : organizer, moderator ou admin.")
            })?;
            let disabled = disabled.is_some_and(|v| !v.is_empty());
            db::update_account(
                &state.pool,
                admin.id,
                id,
                role,
                disabled,
                version,
                state.clock.now(),
            )
            .await?;
            leptos_axum::redirect("/admin/comptes?fait=compte");
            Ok(())
        }
        .await,
    )
}

/// Checks a CSV file of events (`dry_run`), or imports it: all rows or none.
#[server(endpoint = "admin/import")]
pub async fn import_events(csv: String, dry_run: Option<String>) -> Result<ImportReport, AppError> {
    use imp::*;
    form_answer(
        async {
            let admin = require_admin().await?;
            let state = app_state()?;
            let dry_run = dry_run.is_some_and(|v| !v.is_empty() && v != "non");
            import::import(&state.pool, admin.id, &csv, dry_run, state.clock.now()).await
        }
        .await,
    )
}

/// The choices of the lab form, and the version of the lab of slug `lab` when one is edited.
#[server(endpoint = "admin/labs")]
pub async fn admin_lab_options(lab: Option<String>) -> Result<super::model::LabOptions, AppError> {
    use imp::*;
    with_status(
        async {
            require_admin().await?;
            let pool = app_state()?.pool;
            // Read before the lab's values (the page asks for them next): a form may then
            // carry an older version than its values, never a newer one.
            let version = match lab.as_deref().filter(|s| !s.is_empty()) {
                Some(slug) => db::lab_version(&pool, slug).await?,
                None => None,
            };
            let lab_types = db::vocabulary(&pool, "lab_types")
                .await?
                .into_iter()
                .filter(|t| !t.retired)
                .map(|t| t.item)
                .collect();
            let regions: Vec<(String, String)> = sqlx::query_as(
                "SELECT code, name FROM regions WHERE code <> 'NAT' ORDER BY sort_order",
            )
            .fetch_all(&pool)
            .await?;
            let labs: Vec<(String, String)> =
                sqlx::query_as("SELECT slug, name FROM labs ORDER BY name")
                    .fetch_all(&pool)
                    .await?;
            Ok(super::model::LabOptions {
                lab_types,
                regions,
                labs,
                version,
            })
        }
        .await,
    )
}

/// Creates a lab (empty `slug`) or updates the lab of `slug` if it still has `version` (409
/// otherwise).
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "admin/lab")]
pub async fn save_lab(
    slug: String,
    name: String,
    host_structure: String,
    lab_type: String,
    region: String,
    city: String,
    latitude: String,
    longitude: String,
    website: String,
    description: String,
    created_year: String,
    version: Option<i64>,
) -> Result<(), AppError> {
    use imp::*;
    form_answer(
        async {
            require_admin().await?;
            let state = app_state()?;
            let types: Vec<i64> = db::vocabulary(&state.pool, "lab_types")
                .await?
                .into_iter()
                .filter(|t| !t.retired)
                .map(|t| t.item.id)
                .collect();
            let regions: Vec<String> =
                sqlx::query_scalar("SELECT code FROM regions WHERE code <> 'NAT'")
                    .fetch_all(&state.pool)
                    .await?;
            let input = super::model::LabInput {
                name,
                host_structure,
                lab_type,
                region,
                city,
                latitude,
                longitude,
                website,
                description,
                created_year,
            };
            let valid = input
                .validate(&types, &regions)
                .map_err(AppError::Invalid)?;
            let slug = db::save_lab(
                &state.pool,
                Some(slug.as_str()),
                &valid,
                version,
                state.clock.now(),
            )
            .await?;
            leptos_axum::redirect(&format!("/labs/{slug}"));
            Ok(())
        }
        .await,
    )
}

//! Server functions of the admin area: admins only (anonymous → 401, others → 403).
// Server functions take one argument per field of their form, which also posts without
// JavaScript; the macro generates the client stubs with the same arguments.
#![allow(clippy::too_many_arguments)]
use leptos::prelude::*;

use leptos::server_fn::codec::{MultipartData, MultipartFormData};

use super::model::{
    AccountLine, AdminHome, ImportChecked, ImportPageData, ImportSummary, VocabularyEntry,
};
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

    pub use crate::server_fn::{admin, require_admin, Reply};
}

#[server(endpoint = "admin/accueil")]
pub async fn admin_overview() -> Result<AdminHome, AppError> {
    use imp::*;
    admin(Reply::Data, async |_, state| {
        let themes = db::vocabulary(&state.pool, "themes").await?;
        // Versions first: a form may then carry an older version than its values (a
        // needless conflict), never a newer one (a lost update).
        let versions = db::edition_versions(&state.pool).await?;
        let frozen_reports: Vec<(i32, String)> =
            sqlx::query_as("SELECT year, frozen_at FROM edition_reports ORDER BY year")
                .fetch_all(&state.pool)
                .await?;
        Ok(AdminHome {
            versions,
            frozen_reports,
            editions: db::all_editions(&state.pool).await?,
            themes: themes
                .into_iter()
                .filter(|t| !t.retired)
                .map(|t| t.item)
                .collect(),
        })
    })
    .await
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
    theme_of_year_text: Option<String>,
    archive: Option<String>,
    version: Option<i64>,
) -> Result<(), AppError> {
    use imp::*;
    admin(Reply::Form, async |_, state| {
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
            theme_of_year_text: theme_of_year_text.unwrap_or_default(),
            archive: archive.is_some_and(|v| !v.is_empty()),
        };
        let valid = input.validate(&themes).map_err(AppError::Invalid)?;
        db::save_edition(&state.pool, &valid, version, state.clock.now()).await?;
        leptos_axum::redirect(&format!("/admin?fait=edition-{}", valid.year));
        Ok(())
    })
    .await
}

/// The report of an edition: « figer » freezes its figures as they are now (again:
/// « recalculer »), « suivre » lets it follow the data again. Reports are never frozen
/// otherwise.
#[server(endpoint = "admin/bilan")]
pub async fn freeze_report(year: String, action: String) -> Result<(), AppError> {
    use imp::*;
    admin(Reply::Form, async |_, state| {
        let year: i32 = year
            .trim()
            .parse()
            .map_err(|_| AppError::field("year", "Indiquez l'année d'une édition."))?;
        match action.as_str() {
            "figer" => {
                crate::editions::report::ssr::freeze(&state.pool, year, state.clock.now()).await?
            }
            "suivre" => crate::editions::report::ssr::unfreeze(&state.pool, year).await?,
            _ => {
                return Err(AppError::field(
                    "action",
                    "Action inconnue : « figer » ou « suivre ».",
                ))
            }
        }
        leptos_axum::redirect(&format!("/admin?fait=bilan-{year}"));
        Ok(())
    })
    .await
}

#[server(endpoint = "admin/vocabulaire")]
pub async fn admin_vocabulary(kind: String) -> Result<Vec<VocabularyEntry>, AppError> {
    use imp::*;
    admin(Reply::Data, async |_, _| {
        db::vocabulary(&app_state()?.pool, &kind).await
    })
    .await
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
    admin(Reply::Form, async |_, _| {
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
    })
    .await
}

#[server(endpoint = "admin/comptes")]
pub async fn admin_accounts(q: String) -> Result<Vec<AccountLine>, AppError> {
    use imp::*;
    admin(Reply::Data, async |_, _| {
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
    })
    .await
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
    admin(Reply::Form, async |admin, state| {
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
    })
    .await
}

/// The first step of the CSV import (a multipart form, so that a file can be sent without
/// JavaScript): the file (`fichier`) or the pasted text (`csv`) is checked and kept with its
/// report, shown at `/admin/import?essai=ID` (the browser is sent there). Nothing is imported
/// before [`confirm_import`].
#[server(endpoint = "admin/import", input = MultipartFormData)]
pub async fn import_events(data: MultipartData) -> Result<ImportChecked, AppError> {
    use imp::*;
    form_answer(
        async {
            // Who asks, before reading a byte of the file.
            let admin = require_admin().await?;
            let state = app_state()?;
            let upload = read_import_form(data).await?;
            let (id, report) = import::dry_run(
                &state.pool,
                admin.id,
                &upload.file_name,
                &upload.text,
                upload.field,
                state.clock.now(),
            )
            .await?;
            leptos_axum::redirect(&format!("/admin/import?essai={id}"));
            Ok(ImportChecked { id, report })
        }
        .await,
    )
}

/// The fields of the import form, read from the multipart body.
#[cfg(feature = "ssr")]
struct ImportUpload {
    file_name: String,
    text: String,
    /// The field the text came from (`fichier` or `csv`), for errors about the whole file.
    field: &'static str,
}

#[cfg(feature = "ssr")]
async fn read_import_form(data: MultipartData) -> Result<ImportUpload, AppError> {
    use super::model::IMPORT_MAX_BYTES;
    fn unreadable(e: impl std::fmt::Display) -> AppError {
        AppError::BadRequest(format!("le formulaire n'a pas pu être lu ({e})."))
    }
    let too_large = |field: &str| {
        AppError::field(
            field,
            format!(
                "Le fichier dépasse {} Mo : coupez-le en plusieurs fichiers (une édition ou une région par fichier).",
                IMPORT_MAX_BYTES / (1024 * 1024)
            ),
        )
    };
    let mut data = data
        .into_inner()
        .ok_or_else(|| AppError::BadRequest("formulaire attendu.".into()))?;
    let (mut file, mut file_name, mut pasted) = (Vec::new(), String::new(), Vec::new());
    while let Some(mut part) = data.next_field().await.map_err(unreadable)? {
        let name = part.name().unwrap_or_default().to_string();
        let target = match name.as_str() {
            "fichier" => {
                file_name = part.file_name().unwrap_or_default().to_string();
                &mut file
            }
            "csv" => &mut pasted,
            // Other fields (the button's) carry nothing to read.
            _ => continue,
        };
        while let Some(chunk) = part.chunk().await.map_err(unreadable)? {
            if target.len() + chunk.len() > IMPORT_MAX_BYTES {
                return Err(too_large(if name == "csv" { "csv" } else { "fichier" }));
            }
            target.extend_from_slice(&chunk);
        }
    }
    let pasted_text = String::from_utf8_lossy(&pasted).trim().to_string();
    match (file.is_empty(), pasted_text.is_empty()) {
        (false, false) => Err(AppError::field(
            "fichier",
            "Choisissez un fichier ou collez son contenu, pas les deux : videz la zone de texte pour envoyer le fichier.",
        )),
        (true, true) => Err(AppError::field(
            "fichier",
            if file_name.is_empty() {
                "Choisissez un fichier CSV, ou collez son contenu dans la zone de texte."
            } else {
                "Ce fichier est vide."
            },
        )),
        (false, true) => Ok(ImportUpload {
            text: imp::import::decode(&file, "fichier")?,
            file_name,
            field: "fichier",
        }),
        (true, false) => Ok(ImportUpload {
            text: imp::import::decode(&pasted, "csv")?,
            file_name: String::new(),
            field: "csv",
        }),
    }
}

/// The import page: the checked run `essai` of this administrator, if any (another's is not
/// found).
#[server(endpoint = "admin/import/essai")]
pub async fn import_page(essai: Option<i64>) -> Result<ImportPageData, AppError> {
    use imp::*;
    admin(Reply::Data, async |admin, state| {
        let run = match essai {
            Some(id) => match import::load_run(&state.pool, admin.id, id).await {
                Ok(run) => Some(Ok(run)),
                Err(AppError::NotFound(_)) => Some(Err(())),
                Err(other) => return Err(other),
            },
            None => None,
        };
        let run_missing = matches!(run, Some(Err(())));
        let run = run.and_then(Result::ok);
        let edition_year = crate::organizer::db::form_options(&state.pool, state.clock.now())
            .await?
            .edition
            .year;
        Ok(ImportPageData {
            run,
            run_missing,
            edition_year,
        })
    })
    .await
}

/// The second step: imports the checked run `essai`, as checked (all rows or none), then
/// shows its summary on the run's page.
#[server(endpoint = "admin/import/confirmer")]
pub async fn confirm_import(essai: i64) -> Result<ImportSummary, AppError> {
    use imp::*;
    admin(Reply::Form, async |admin, state| {
        let summary = import::confirm(&state.pool, admin.id, essai, state.clock.now()).await?;
        leptos_axum::redirect(&format!("/admin/import?essai={essai}&importe=1"));
        Ok(summary)
    })
    .await
}

/// The choices of the lab form, and the version of the lab of slug `lab` when one is edited.
#[server(endpoint = "admin/labs")]
pub async fn admin_lab_options(lab: Option<String>) -> Result<super::model::LabOptions, AppError> {
    use imp::*;
    admin(Reply::Data, async |_, _| {
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
    })
    .await
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
    admin(Reply::Form, async |_, state| {
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
    })
    .await
}

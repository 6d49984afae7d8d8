//! Server functions of the organizer's side. Each checks who calls: anonymous → 401,
//! someone else's event → 404; stale versions → 409; bad input → 422 with field messages.
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::model::{Dashboard, EditableEvent, FormOptions, SavedEvent};
use super::validation::{EventFormPost, EventInput};
use crate::error::AppError;
use crate::reference::EventStatus;

#[cfg(feature = "ssr")]
mod imp {
    pub use super::super::db::{self, Transition};
    pub use crate::accounts::session;
    pub use crate::error::{with_status, AppError};
    pub use crate::server_fn::{public, signed_in, Reply};
    pub use crate::state::app_state;

    use super::super::model::SavedEvent;
    use super::super::validation::EventInput;

    /// The signed-in account, which must be `expected` when given (401 otherwise).
    pub async fn signed_in_as(
        expected: Option<i64>,
    ) -> Result<crate::accounts::model::CurrentAccount, AppError> {
        let account = session::require().await?;
        match expected {
            Some(id) if id != account.id => Err(AppError::Unauthenticated),
            _ => Ok(account),
        }
    }

    /// What a save writes: a new event (with its form's key) or an edit of `version`.
    pub enum Target<'a> {
        New { key: Option<&'a str> },
        Edit { id: i64, version: i64 },
    }

    /// The one save of the event form, whichever way it was posted (JSON from the island, or
    /// the plain form): the shared rules, then the write, as the signed-in `account`.
    pub async fn save(
        account: &crate::accounts::model::CurrentAccount,
        target: Target<'_>,
        input: &EventInput,
        submit: bool,
    ) -> Result<SavedEvent, AppError> {
        let state = app_state()?;
        let now = state.clock.now();
        let options = db::form_options(&state.pool, now).await?;
        let valid = input
            .validate(&options.rules())
            .map_err(AppError::Invalid)?;
        match target {
            Target::New { key } => {
                db::create(&state.pool, account, &options, &valid, submit, key, now).await
            }
            Target::Edit { id, version } => {
                db::update(
                    &state.pool,
                    account,
                    &options,
                    id,
                    version,
                    &valid,
                    submit,
                    now,
                )
                .await
            }
        }
    }
}

/// The event form's choices and rules (public: vocabularies and regions are public data).
#[server(endpoint = "organisateur/options")]
pub async fn event_form_options() -> Result<FormOptions, AppError> {
    use imp::*;
    public(Reply::Data, async |state| {
        db::form_options(&state.pool, state.clock.now()).await
    })
    .await
}

#[server(endpoint = "organisateur/tableau-de-bord")]
pub async fn organizer_dashboard() -> Result<Dashboard, AppError> {
    use imp::*;
    signed_in(Reply::Data, async |account, state| {
        db::dashboard(&state.pool, &account, state.clock.now()).await
    })
    .await
}

#[server(endpoint = "organisateur/evenement")]
pub async fn event_for_edit(id: i64) -> Result<EditableEvent, AppError> {
    use imp::*;
    signed_in(Reply::Data, async |account, state| {
        db::editable(&state.pool, &account, id).await
    })
    .await
}

/// Creates an event (draft, or submitted for review when `submit`). `key`, made when the form
/// opened, makes a replay the same event (see `db::create`). `account`, when given, is the
/// account the form was opened by: a save queued offline and sent once another account has
/// signed in on the same browser is refused (401) rather than saved under that account.
#[server(endpoint = "organisateur/creer", input = Json)]
pub async fn create_event(
    input: EventInput,
    submit: bool,
    #[server(default)] key: Option<String>,
    #[server(default)] account: Option<i64>,
) -> Result<SavedEvent, AppError> {
    use imp::*;
    with_status(
        async {
            let account = signed_in_as(account).await?;
            let target = Target::New {
                key: key.as_deref(),
            };
            save(&account, target, &input, submit).await
        }
        .await,
    )
}

/// Saves an edit made on `version` of the event (`account`: as for [`create_event`]).
#[server(endpoint = "organisateur/enregistrer", input = Json)]
pub async fn update_event(
    id: i64,
    version: i64,
    input: EventInput,
    submit: bool,
    #[server(default)] account: Option<i64>,
) -> Result<SavedEvent, AppError> {
    use imp::*;
    with_status(
        async {
            let account = signed_in_as(account).await?;
            save(&account, Target::Edit { id, version }, &input, submit).await
        }
        .await,
    )
}

/// The page an organizer lands on after a save, with its notice (`etat`) and the version
/// saved (`v`, which makes the form page load it again).
pub fn saved_page(saved: &SavedEvent) -> String {
    let what = match saved.status {
        EventStatus::Submitted => "soumis",
        EventStatus::Draft => "brouillon",
        _ => "enregistre",
    };
    format!(
        "/organisateur/evenements/{}?etat={what}&v={}",
        saved.id, saved.version
    )
}

/// The event form posted by a browser without JavaScript (a plain HTML form: one pair per
/// field, see [`EventFormPost`]): the same rules and the same writes as [`create_event`] and
/// [`update_event`]. Success leads to the saved event's page; an error comes back to the
/// form, as typed, with its messages.
#[server(endpoint = "organisateur/formulaire")]
pub async fn save_event_form(#[server(flatten)] form: EventFormPost) -> Result<(), AppError> {
    use imp::*;
    signed_in(Reply::Form, async |account, _| {
        let number = |name: &str, text: &str| -> Result<Option<i64>, AppError> {
            let text = text.trim();
            if text.is_empty() {
                return Ok(None);
            }
            text.parse::<i64>().map(Some).map_err(|_| {
                AppError::BadRequest(format!("le champ « {name} » n'est pas un nombre."))
            })
        };
        let id = number("id", &form.id)?;
        let version = number("version", &form.version)?;
        let submit = form.submit == "true";
        let target = match id {
            None => Target::New {
                key: Some(form.cle.as_str()).filter(|k| !k.is_empty()),
            },
            Some(id) => Target::Edit {
                id,
                version: version.ok_or_else(|| {
                    AppError::BadRequest("la version de l'événement manque.".into())
                })?,
            },
        };
        let saved = save(&account, target, &form.input(), submit).await?;
        leptos_axum::redirect(&saved_page(&saved));
        Ok(())
    })
    .await
}

/// « soumettre », « annuler » or « supprimer ».
#[server(endpoint = "organisateur/statut")]
pub async fn change_event_status(
    id: i64,
    version: i64,
    action: String,
) -> Result<Option<SavedEvent>, AppError> {
    use imp::*;
    signed_in(Reply::Form, async |account, state| {
        let now = state.clock.now();
        let transition = match action.as_str() {
            "soumettre" => Transition::Submit,
            "annuler" => Transition::Cancel,
            "supprimer" => Transition::Delete,
            _ => {
                return Err(AppError::field(
                    "action",
                    "Action inconnue : soumettre, annuler ou supprimer.",
                ))
            }
        };
        let options = db::form_options(&state.pool, now).await?;
        let saved = db::transition(
            &state.pool,
            &account,
            &options,
            id,
            version,
            transition,
            now,
        )
        .await?;
        // Without JavaScript the browser follows; with it, the router does.
        leptos_axum::redirect(&match &saved {
            Some(saved) => format!(
                "/organisateur/evenements/{}?etat=enregistre&v={}",
                saved.id, saved.version
            ),
            None => "/organisateur?etat=supprime".to_string(),
        });
        Ok(saved)
    })
    .await
}

/// Copies an event (of any edition) into the current one, as a draft.
#[server(endpoint = "organisateur/dupliquer")]
pub async fn duplicate_event(id: i64) -> Result<SavedEvent, AppError> {
    use imp::*;
    signed_in(Reply::Form, async |account, state| {
        let now = state.clock.now();
        let options = db::form_options(&state.pool, now).await?;
        let saved = db::duplicate(&state.pool, &account, &options, id, now).await?;
        leptos_axum::redirect(&format!(
            "/organisateur/evenements/{}?etat=duplique&v={}",
            saved.id, saved.version
        ));
        Ok(saved)
    })
    .await
}

/// Keeps what is typed, whatever its state (`key`: the event id, or `new`).
#[server(endpoint = "organisateur/sauvegarde-auto", input = Json)]
pub async fn autosave_event(key: String, input: EventInput) -> Result<(), AppError> {
    use imp::*;
    signed_in(Reply::Data, async |account, state| {
        db::autosave(&state.pool, &account, &key, &input, state.clock.now()).await
    })
    .await
}

#[server(endpoint = "organisateur/sauvegarde-auto/lire")]
pub async fn autosaved_event(key: String) -> Result<Option<EventInput>, AppError> {
    use imp::*;
    signed_in(Reply::Data, async |account, state| {
        db::autosaved(&state.pool, &account, &key).await
    })
    .await
}

/// The description as it will be shown (sanitised HTML), for the preview.
#[server(endpoint = "organisateur/apercu", input = Json)]
pub async fn preview_description(markdown: String) -> Result<crate::html::Html, AppError> {
    use imp::*;
    signed_in(Reply::Data, async |_, _| {
        if markdown.chars().count() > super::validation::DESCRIPTION_MAX {
            return Err(AppError::field(
                "description",
                "La description est trop longue pour être prévisualisée.",
            ));
        }
        Ok(super::markdown::to_safe_html(&markdown))
    })
    .await
}

//! The organizer's pages: the dashboard (`/organisateur`) and the event form's page
//! (`/organisateur/evenements/nouveau`, `/organisateur/evenements/{id}`), which loads what the
//! form (the island in `organizer::form`) starts from.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::form::EventForm;
use super::model::{referencing_label, Dashboard, DashboardEvent, EditableEvent, FormOptions};
use super::server::{
    autosaved_event, event_for_edit, event_form_options, organizer_dashboard, DuplicateEvent,
    SaveEventForm,
};
use super::validation::{is_create_key, EventFormPost, EventInput};
use crate::accounts::server::SignOut;
use crate::error::AppError;
use crate::fr;
use crate::pages::ErrorNotice;
use crate::reference::{EventStatus, NATIONAL_REGION};

pub(super) fn status_badge(status: EventStatus) -> impl IntoView {
    let class = match status {
        EventStatus::Published => "fr-badge fr-badge--success",
        EventStatus::Submitted => "fr-badge fr-badge--info",
        EventStatus::ChangesRequested => "fr-badge fr-badge--warning",
        EventStatus::Rejected | EventStatus::Cancelled => "fr-badge fr-badge--error",
        EventStatus::Draft => "fr-badge",
    };
    view! { <p class=class data-status=status.as_str()>{status.label()}</p> }
}

/// Statuses in the order an organizer acts on them.
const DASHBOARD_ORDER: [EventStatus; 6] = [
    EventStatus::ChangesRequested,
    EventStatus::Draft,
    EventStatus::Submitted,
    EventStatus::Published,
    EventStatus::Rejected,
    EventStatus::Cancelled,
];

#[component]
pub fn DashboardPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| organizer_dashboard());
    view! {
        <Title text="Espace organisateur" />
        <Suspense fallback=|| view! { <div class="fr-container fr-py-6w"><p>"Chargement…"</p></div> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(dashboard) => view! { <DashboardView dashboard /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DashboardView(dashboard: Dashboard) -> impl IntoView {
    let duplicate = ServerAction::<DuplicateEvent>::new();
    let sign_out = ServerAction::<SignOut>::new();
    let (open, window) = referencing_label(&dashboard.edition, dashboard.today);
    let year = dashboard.edition.year;
    let counts: Vec<_> = DASHBOARD_ORDER
        .iter()
        .map(|status| {
            (
                *status,
                dashboard
                    .events
                    .iter()
                    .filter(|e| e.status == *status)
                    .count(),
            )
        })
        .collect();
    let sections = DASHBOARD_ORDER
        .iter()
        .filter_map(|status| {
            let events: Vec<DashboardEvent> = dashboard
                .events
                .iter()
                .filter(|e| e.status == *status)
                .cloned()
                .collect();
            (!events.is_empty()).then(|| {
                view! {
                    <section class="fr-mb-4w" data-section=status.as_str()>
                        <h2 class="fr-h4">{format!("{} ({})", status.label(), events.len())}</h2>
                        <ul class="mip-organizer-list">
                            {events.into_iter().map(|e| view! { <EventLine event=e /> }).collect_view()}
                        </ul>
                    </section>
                }
            })
        })
        .collect_view();
    let past = dashboard.past.clone();
    let past_keys: Vec<String> = past.iter().map(|e| e.id.to_string()).collect();
    view! {
        <div class="fr-container fr-py-6w">
            <h1>"Espace organisateur"</h1>
            // The account this private page belongs to, for the offline copy.
            <div hidden data-mip-compte=dashboard.account></div>
            <super::offline::QueuedDrafts account=dashboard.account />
            <crate::forms::UnclaimedFormError action=duplicate keys=past_keys />
            <p>
                "Bonjour " {dashboard.name.clone()} ". "
                <a class="fr-link" href="/compte">"Mon compte"</a>
                {dashboard.is_staff.then(|| view! { " · " <a class="fr-link" href="/moderation">"Modération"</a> })}
            </p>
            // Kept in the offline copy (other forms hidden there): it empties the private copy.
            <crate::forms::PageForm action=sign_out attr:class="mip-deconnexion fr-mb-3w" attr:aria-label="Déconnexion">
                <button class="fr-btn fr-btn--sm fr-btn--tertiary fr-icon-logout-box-r-line fr-btn--icon-left" type="submit">
                    "Se déconnecter"
                </button>
            </crate::forms::PageForm>
            <div class=if open { "fr-callout fr-mb-4w" } else { "fr-callout fr-callout--brown-caramel fr-mb-4w" }>
                <h2 class="fr-callout__title fr-h5">
                    {format!("Mois de l'innovation publique {year} – {}", dashboard.edition.ordinal_label())}
                </h2>
                <p class="fr-callout__text" data-referencing=if open { "ouvert" } else { "clos" }>{window}</p>
                <a class="fr-btn fr-icon-add-line fr-btn--icon-left" href="/organisateur/evenements/nouveau">
                    "Référencer un événement"
                </a>
            </div>
            <h2 class="fr-h3">{format!("Mes événements {year}")}</h2>
            <ul class="fr-badges-group fr-mb-3w" aria-label="Nombre d'événements par statut">
                {counts
                    .into_iter()
                    .map(|(status, n)| {
                        view! {
                            <li>
                                <p class="fr-badge fr-badge--no-icon" data-count=status.as_str()>
                                    {format!("{} : {n}", status.label())}
                                </p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            {if dashboard.events.is_empty() {
                view! {
                    <p>"Vous n'avez pas encore référencé d'événement pour cette édition."</p>
                }
                    .into_any()
            } else {
                sections.into_any()
            }}
            <crate::audience::pages::DashboardAudience />
            {(!past.is_empty())
                .then(|| {
                    view! {
                        <h2 class="fr-h3 fr-mt-6w">"Mes événements des éditions précédentes"</h2>
                        <p>
                            {format!(
                                "Reprenez un événement passé : il est copié en brouillon dans l'édition {year}, aux mêmes jour de la semaine et heure."
                            )}
                        </p>
                        <div class="fr-table">
                            <table>
                                <caption class="fr-sr-only">"Événements des éditions précédentes"</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">"Événement"</th>
                                        <th scope="col">"Date"</th>
                                        <th scope="col">"Action"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {past
                                        .into_iter()
                                        .map(|e| {
                                            view! {
                                                <tr data-past-event=e.id>
                                                    <td>{e.title.clone()}</td>
                                                    <td>{fr::date_time(e.starts_local)}</td>
                                                    <td>
                                                        <crate::forms::PageForm action=duplicate key=e.id.to_string()>
                                                            <input type="hidden" name="id" value=e.id />
                                                            <button class="fr-btn fr-btn--sm fr-btn--secondary" type="submit">
                                                                {format!("Dupliquer dans l'édition {year}")}
                                                                <span class="fr-sr-only">{format!(" : {}", e.title)}</span>
                                                            </button>
                                                        </crate::forms::PageForm>
                                                    </td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                })}
        </div>
    }
}

#[component]
fn EventLine(event: DashboardEvent) -> impl IntoView {
    let href = format!("/organisateur/evenements/{}", event.id);
    let public = event
        .status
        .is_public()
        .then(|| format!("/evenements/{}", event.slug));
    view! {
        <li class="mip-organizer-line" data-event-id=event.id>
            <div>
                <a class="fr-link" href=href>{event.title.clone()}</a>
                <p class="fr-text--sm fr-mb-0">{fr::date_time(event.starts_local)}</p>
                {event
                    .needs_review
                    .then(|| view! { <p class="fr-badge fr-badge--sm fr-badge--new">"Modifié, en relecture"</p> })}
                {event
                    .moderation_note
                    .clone()
                    .map(|note| {
                        view! {
                            <p class="fr-text--sm mip-moderation-note">
                                <strong>"Message de l'équipe du Mois : "</strong>
                                {note}
                            </p>
                        }
                    })}
            </div>
            <div class="mip-organizer-line__end">
                {status_badge(event.status)}
                {public
                    .map(|href| {
                        let poster = format!("{href}/affiche");
                        view! {
                            <a class="fr-link fr-text--sm" href=href>"Voir la page publique"</a>
                            <a class="fr-link fr-text--sm" href=poster>"Kit de communication : affiche"</a>
                        }
                    })}
            </div>
        </li>
    }
}

/// What the form page loads: the options, the event (when editing) and a kept, unsaved
/// version of the form (autosave), if any.
/// The form's choices, the event (when editing), its autosave, the form's starting input and
/// the signed-in account's id.
type FormData = (
    FormOptions,
    Option<EditableEvent>,
    Option<EventInput>,
    EventInput,
    i64,
);

async fn load_form(id: Option<i64>) -> Result<FormData, AppError> {
    let options = event_form_options().await?;
    let key = id.map(|i| i.to_string()).unwrap_or_else(|| "new".into());
    // Anonymous visitors get the 401 here, before seeing an empty form.
    let account = crate::accounts::server::signed_in_account()
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let account_id = account.id;
    let (event, initial) = match id {
        Some(id) => {
            let event = event_for_edit(id).await?;
            let initial = event.input.clone();
            (Some(event), initial)
        }
        None => {
            // A new event starts with the organizer's structure.
            let initial = EventInput {
                structure_name: account.structure,
                organizer_type_id: account.organizer_type_id,
                region_code: account
                    .region_code
                    .filter(|r| r != NATIONAL_REGION)
                    .unwrap_or_default(),
                ..Default::default()
            };
            (None, initial)
        }
    };
    let autosaved = autosaved_event(key).await?;
    Ok((options, event, autosaved, initial, account_id))
}

#[component]
pub fn EventFormPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || {
        params
            .with(|p| p.get("id"))
            .and_then(|v| v.parse::<i64>().ok())
    };
    // `v` (the saved version, set after each save) reloads the event from the server.
    let key = move || (id(), query.with(|q| q.get("v")));
    let data = Resource::new(key, |(id, _)| load_form(id));
    // A plain form come back with its error: what was typed, fields' messages, any other.
    let came_back = ServerAction::<SaveEventForm>::new()
        .value()
        .get_untracked()
        .and_then(Result::err);
    let kept = crate::forms::kept_submission::<SaveEventForm>();
    view! {
        <Suspense fallback=|| view! { <div class="fr-container fr-py-6w"><p>"Chargement…"</p></div> }>
            {move || {
                let came_back = came_back.clone();
                let kept = kept.clone();
                Suspend::new(async move {
                match data.await {
                    Ok((options, event, autosaved, mut initial, account)) => {
                        let etat = query.with_untracked(|q| q.get("etat"));
                        // A kept submission is this form's only if it was for this event.
                        let this_event = event.as_ref().map(|e| e.id.to_string()).unwrap_or_default();
                        let kept = kept.filter(|k| k.value("id").unwrap_or_default() == this_event);
                        // A new event's key: the one the form came back with, or a new one.
                        let create_key = match (&event, &kept) {
                            (Some(_), _) => String::new(),
                            (None, Some(kept)) => kept
                                .value("cle")
                                .filter(|k| is_create_key(k))
                                .map(str::to_string)
                                .unwrap_or_else(new_create_key),
                            (None, None) => new_create_key(),
                        };
                        if let Some(kept) = kept {
                            initial = EventFormPost::from_pairs(&kept.pairs).input();
                        }
                        let errors = match &came_back {
                            Some(AppError::Invalid(errors)) => errors.clone(),
                            _ => Vec::new(),
                        };
                        let general = came_back.clone().filter(|e| !matches!(e, AppError::Invalid(_)));
                        view! {
                            {general.map(|error| view! { <CameBackError error /> })}
                            // The account this private page belongs to, for the offline copy.
                            <div hidden data-mip-compte=account></div>
                            <EventForm options event autosaved initial etat errors create_key account />
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}}
        </Suspense>
    }
}

/// A new event's key (see `organizer::db::create`), made on the server when the form is
/// rendered: the form sends it with every create, so that a replay is the same event.
fn new_create_key() -> String {
    #[cfg(feature = "ssr")]
    {
        crate::accounts::session::new_token()
    }
    #[cfg(not(feature = "ssr"))]
    String::new()
}

/// An error about no field of the form posted without JavaScript (a version conflict, a
/// closed window, an expired session…), above the form that holds what was typed.
#[component]
fn CameBackError(error: AppError) -> impl IntoView {
    let conflict = matches!(error, AppError::Conflict(_));
    let location = leptos_router::hooks::use_location();
    let reload = location.pathname.get_untracked();
    view! {
        <div class="fr-container fr-pt-4w">
            <div class="fr-alert fr-alert--error fr-alert--sm" role="alert"
                data-form-error=error.status_code().as_u16() data-conflict=conflict.then_some("version")>
                <p>{error.to_string()}</p>
                {conflict.then(|| view! {
                    <p>
                        "Votre saisie est gardée dans le formulaire ci-dessous : l'enregistrer remplacera la version enregistrée entre-temps. "
                        <a class="fr-link" href=reload>"Voir la version enregistrée"</a>
                        " (votre saisie sera alors abandonnée)."
                    </p>
                })}
            </div>
        </div>
    }
}

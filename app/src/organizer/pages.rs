//! The organizer's pages: the dashboard (`/organisateur`) and the event form
//! (`/organisateur/evenements/nouveau`, `/organisateur/evenements/{id}`).
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::model::{
    changed_fields, referencing_label, Dashboard, DashboardEvent, EditableEvent, FormOptions,
};
use super::offline::{self, QueueNotice, QueueState, QueuedDraft};
use super::server::{
    autosave_event, autosaved_event, create_event, event_for_edit, event_form_options,
    organizer_dashboard, preview_description, saved_page, update_event, ChangeEventStatus,
    DuplicateEvent, SaveEventForm,
};
use super::validation::{field, is_create_key, EventFormPost, EventInput, THEMES_MAX};
use crate::accounts::server::SignOut;
use crate::error::{AppError, FieldError};
use crate::forms::{Field, FormAlert, SelectField};
use crate::fr;
use crate::pages::ErrorNotice;
use crate::reference::{EventStatus, Mode, NATIONAL_REGION};

fn status_badge(status: EventStatus) -> impl IntoView {
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

/// Every field of the form as its own signal (inputs bind to them), read back as one
/// `EventInput` for validation and saving.
#[derive(Clone, Copy)]
struct FormSignals {
    title: RwSignal<String>,
    summary: RwSignal<String>,
    description: RwSignal<String>,
    themes: RwSignal<Vec<i64>>,
    format: RwSignal<String>,
    mode: RwSignal<String>,
    audience: RwSignal<String>,
    structure_name: RwSignal<String>,
    organizer_type: RwSignal<String>,
    lab: RwSignal<String>,
    region: RwSignal<String>,
    department: RwSignal<String>,
    city: RwSignal<String>,
    venue_name: RwSignal<String>,
    venue_address: RwSignal<String>,
    postal_code: RwSignal<String>,
    online_url: RwSignal<String>,
    starts: RwSignal<String>,
    ends: RwSignal<String>,
    out_of_period: RwSignal<bool>,
    out_of_period_reason: RwSignal<String>,
    registration_url: RwSignal<String>,
    capacity: RwSignal<String>,
    contact_name: RwSignal<String>,
    contact_email: RwSignal<String>,
    accessibility: RwSignal<String>,
}

fn id_text(id: Option<i64>) -> String {
    id.map(|i| i.to_string()).unwrap_or_default()
}

impl FormSignals {
    fn new(input: &EventInput) -> Self {
        FormSignals {
            title: RwSignal::new(input.title.clone()),
            summary: RwSignal::new(input.summary.clone()),
            description: RwSignal::new(input.description.clone()),
            themes: RwSignal::new(input.themes.clone()),
            format: RwSignal::new(id_text(input.format_id)),
            mode: RwSignal::new(
                input
                    .mode
                    .map(|m| m.as_str().to_string())
                    .unwrap_or_default(),
            ),
            audience: RwSignal::new(id_text(input.audience_id)),
            structure_name: RwSignal::new(input.structure_name.clone()),
            organizer_type: RwSignal::new(id_text(input.organizer_type_id)),
            lab: RwSignal::new(id_text(input.lab_id)),
            region: RwSignal::new(input.region_code.clone()),
            department: RwSignal::new(input.department_code.clone()),
            city: RwSignal::new(input.city.clone()),
            venue_name: RwSignal::new(input.venue_name.clone()),
            venue_address: RwSignal::new(input.venue_address.clone()),
            postal_code: RwSignal::new(input.postal_code.clone()),
            online_url: RwSignal::new(input.online_url.clone()),
            starts: RwSignal::new(input.starts_local.clone()),
            ends: RwSignal::new(input.ends_local.clone()),
            out_of_period: RwSignal::new(input.out_of_period),
            out_of_period_reason: RwSignal::new(input.out_of_period_reason.clone()),
            registration_url: RwSignal::new(input.registration_url.clone()),
            capacity: RwSignal::new(input.capacity.clone()),
            contact_name: RwSignal::new(input.contact_name.clone()),
            contact_email: RwSignal::new(input.contact_email.clone()),
            accessibility: RwSignal::new(input.accessibility.clone()),
        }
    }

    fn set(&self, input: &EventInput) {
        let other = FormSignals::new(input);
        self.title.set(other.title.get_untracked());
        self.summary.set(other.summary.get_untracked());
        self.description.set(other.description.get_untracked());
        self.themes.set(other.themes.get_untracked());
        self.format.set(other.format.get_untracked());
        self.mode.set(other.mode.get_untracked());
        self.audience.set(other.audience.get_untracked());
        self.structure_name
            .set(other.structure_name.get_untracked());
        self.organizer_type
            .set(other.organizer_type.get_untracked());
        self.lab.set(other.lab.get_untracked());
        self.region.set(other.region.get_untracked());
        self.department.set(other.department.get_untracked());
        self.city.set(other.city.get_untracked());
        self.venue_name.set(other.venue_name.get_untracked());
        self.venue_address.set(other.venue_address.get_untracked());
        self.postal_code.set(other.postal_code.get_untracked());
        self.online_url.set(other.online_url.get_untracked());
        self.starts.set(other.starts.get_untracked());
        self.ends.set(other.ends.get_untracked());
        self.out_of_period.set(other.out_of_period.get_untracked());
        self.out_of_period_reason
            .set(other.out_of_period_reason.get_untracked());
        self.registration_url
            .set(other.registration_url.get_untracked());
        self.capacity.set(other.capacity.get_untracked());
        self.contact_name.set(other.contact_name.get_untracked());
        self.contact_email.set(other.contact_email.get_untracked());
        self.accessibility.set(other.accessibility.get_untracked());
    }

    /// The form as typed (tracked: re-runs whoever reads it when a field changes).
    fn input(&self) -> EventInput {
        EventInput {
            title: self.title.get(),
            summary: self.summary.get(),
            description: self.description.get(),
            themes: self.themes.get(),
            format_id: self.format.get().parse().ok(),
            mode: Mode::parse(&self.mode.get()),
            audience_id: self.audience.get().parse().ok(),
            structure_name: self.structure_name.get(),
            organizer_type_id: self.organizer_type.get().parse().ok(),
            lab_id: self.lab.get().parse().ok(),
            region_code: self.region.get(),
            department_code: self.department.get(),
            city: self.city.get(),
            venue_name: self.venue_name.get(),
            venue_address: self.venue_address.get(),
            postal_code: self.postal_code.get(),
            online_url: self.online_url.get(),
            starts_local: self.starts.get(),
            ends_local: self.ends.get(),
            out_of_period: self.out_of_period.get(),
            out_of_period_reason: self.out_of_period_reason.get(),
            registration_url: self.registration_url.get(),
            capacity: self.capacity.get(),
            contact_name: self.contact_name.get(),
            contact_email: self.contact_email.get(),
            accessibility: self.accessibility.get(),
        }
    }

    fn input_untracked(&self) -> EventInput {
        untrack(|| self.input())
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

/// Moves the focus (and the view) to the error summary once it is drawn: the button that
/// was pressed is at the bottom of a long form, and the summary at its top says what to fix.
fn focus_error_summary() {
    #[cfg(feature = "hydrate")]
    request_animation_frame(|| {
        use wasm_bindgen::JsCast;
        if let Some(summary) = document()
            .query_selector("[data-error-summary]")
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = summary.focus();
        }
    });
}

/// Loads another page (the saved event's, with its notice).
fn go_to(href: &str) {
    #[cfg(feature = "hydrate")]
    let _ = window().location().set_href(href);
    #[cfg(not(feature = "hydrate"))]
    let _ = href;
}

#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn local_key(key: &str) -> String {
    format!("mip-saisie-{key}")
}

/// The form kept in this browser (offline too), if any.
fn read_local(key: &str) -> Option<EventInput> {
    #[cfg(feature = "hydrate")]
    {
        let storage = web_sys::window()?.local_storage().ok()??;
        let json = storage.get_item(&local_key(key)).ok()??;
        serde_json::from_str(&json).ok()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = key;
        None
    }
}

fn write_local(key: &str, input: Option<&EventInput>) {
    #[cfg(feature = "hydrate")]
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        match input.and_then(|i| serde_json::to_string(i).ok()) {
            Some(json) => {
                let _ = storage.set_item(&local_key(key), &json);
            }
            None => {
                let _ = storage.remove_item(&local_key(key));
            }
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (key, input);
}

/// Where the autosave stands with the server.
#[derive(Clone, Copy, PartialEq, Eq)]
enum DraftSync {
    /// Received (or nothing to send yet).
    Sent,
    /// Not received for want of a network: kept in this browser, sent when back online.
    Waiting,
    /// Received once the network came back.
    SentOnReconnect,
}

/// The event form: an island whose code is split out of the main wasm (`lazy`), fetched
/// when an organizer opens the form. `etat` is the URL's « saved » notice (`?etat=soumis`…).
#[island(lazy)]
fn EventForm(
    options: FormOptions,
    event: Option<EditableEvent>,
    autosaved: Option<EventInput>,
    initial: EventInput,
    etat: Option<String>,
    /// The fields' messages of a form posted without JavaScript that came back.
    errors: Vec<FieldError>,
    /// A new event's key (empty when editing): sent with every create of this form.
    create_key: String,
    /// The signed-in account (its drafts queued offline are sent as this account only).
    account: i64,
) -> impl IntoView {
    let mounted = crate::my_programme::use_mounted();
    let signals = FormSignals::new(&initial);
    let event_id = event.as_ref().map(|e| e.id);
    // The event saves go to: this one, or the new event once the server has received it.
    let saved_id = RwSignal::new(event_id);
    let key = event_id
        .map(|i| i.to_string())
        .unwrap_or_else(|| "new".into());
    let version = RwSignal::new(event.as_ref().map(|e| e.version).unwrap_or(0));
    let status = event.as_ref().map(|e| e.status);
    let year = options.edition.year;
    let rules = options.rules();
    let options = StoredValue::new(options);

    // Validation: the shared rules, on every change; shown per field once it was left, and
    // everywhere after a save attempt. The server's answer is authoritative.
    let client_errors =
        Memo::new(move |_| signals.input().validate(&rules).err().unwrap_or_default());
    let touched = RwSignal::new(Vec::<&'static str>::new());
    let show_all = RwSignal::new(!errors.is_empty());
    let server_errors = RwSignal::new(errors);
    let general_error = RwSignal::new(None::<String>);
    let conflict = RwSignal::new(None::<EditableEvent>);
    let restored = RwSignal::new(None::<EventInput>);
    let error_for = move |name: &'static str| {
        Signal::derive(move || {
            if let Some(m) = server_errors.with(|v| {
                v.iter()
                    .find(|e| e.field == name)
                    .map(|e| e.message.clone())
            }) {
                return Some(m);
            }
            if show_all.get() || touched.with(|t| t.contains(&name)) {
                client_errors.with(|v| {
                    v.iter()
                        .find(|e| e.field == name)
                        .map(|e| e.message.clone())
                })
            } else {
                None
            }
        })
    };
    let blur = move |name: &'static str| {
        Callback::new(move |_: ()| {
            touched.update(|t| {
                if !t.contains(&name) {
                    t.push(name)
                }
            })
        })
    };

    // A kept version of the form that differs from the saved one is offered back.
    {
        let key = key.clone();
        let initial = initial.clone();
        Effect::new(move |_| {
            if !mounted.get() {
                return;
            }
            let kept = autosaved.clone().or_else(|| read_local(&key));
            if let Some(kept) = kept.filter(|k| *k != initial) {
                restored.set(Some(kept));
            }
        });
    }

    // Autosave: 1.5 s after the last change, in this browser and on the server. What the
    // server could not receive (no network) waits in this browser, and is sent once, as soon
    // as the browser is back online (the `online` event), if the form is still open; if it
    // was closed, the next opening offers it back (above).
    let offline_draft = RwSignal::new(DraftSync::Sent);
    let send_autosave = {
        let key = key.clone();
        move |input: EventInput| {
            let key = key.clone();
            leptos::task::spawn_local(async move {
                match autosave_event(key, input).await {
                    Ok(()) => offline_draft.update(|s| {
                        if *s == DraftSync::Waiting {
                            *s = DraftSync::SentOnReconnect;
                        }
                    }),
                    Err(AppError::Network) => offline_draft.set(DraftSync::Waiting),
                    Err(_) => {}
                }
            });
        }
    };
    #[cfg(feature = "hydrate")]
    {
        let send_autosave = send_autosave.clone();
        let handle = window_event_listener(leptos::ev::online, move |_| {
            if offline_draft.get_untracked() == DraftSync::Waiting {
                send_autosave(signals.input_untracked());
            }
        });
        on_cleanup(move || handle.remove());
    }
    {
        let key = key.clone();
        let handle = StoredValue::new(None::<leptos::prelude::TimeoutHandle>);
        let first = StoredValue::new(true);
        Effect::new(move |_| {
            let input = signals.input();
            if first.get_value() {
                first.set_value(false);
                return;
            }
            server_errors.set(Vec::new());
            if let Some(h) = handle.get_value() {
                h.clear();
            }
            let key = key.clone();
            let send_autosave = send_autosave.clone();
            let h = set_timeout_with_handle(
                move || {
                    write_local(&key, Some(&input));
                    send_autosave(input);
                },
                std::time::Duration::from_millis(1500),
            )
            .ok();
            handle.set_value(h);
        });
    }

    let form_key = create_key.clone();
    let create_key = StoredValue::new(create_key);

    // Saves made without a network wait in the service worker's queue (`offline`), one entry
    // per event, which sends them when the network returns, even if this page was closed.
    // A new event's form makes its key in the browser (a form opened from the offline copy is
    // the same page each time), or takes the queued draft's (`?brouillon=`) it reopens.
    let queue_state = RwSignal::new(None::<QueueState>);
    let draft_id = StoredValue::new(String::new());
    // The server's refusal of a save (sent now, or from the queue): on the fields, or above
    // the form with the version saved meanwhile (a conflict).
    let show_error = move |error: AppError| match error {
        AppError::Invalid(errors) => {
            show_all.set(true);
            server_errors.set(errors);
            focus_error_summary();
        }
        AppError::Conflict(message) => {
            general_error.set(Some(message));
            if let Some(id) = saved_id.get_untracked() {
                leptos::task::spawn_local(async move {
                    if let Ok(other) = event_for_edit(id).await {
                        conflict.set(Some(other));
                    }
                });
            }
        }
        error => general_error.set(Some(error.to_string())),
    };
    let apply_queued = move |draft: QueuedDraft| {
        signals.set(&draft.input);
        if let Some(refusal) = draft.refusal() {
            queue_state.set(None);
            show_error(refusal);
        }
    };
    Effect::new(move |_| {
        if !mounted.get() {
            return;
        }
        if event_id.is_none() {
            let reopened = offline::query_param("brouillon").filter(|k| is_create_key(k));
            if let Some(key) = reopened.or_else(offline::new_key) {
                create_key.set_value(key);
            }
        }
        draft_id.set_value(QueuedDraft::id_for(event_id, &create_key.get_value()));
        leptos::task::spawn_local(async move {
            if let Some(draft) = offline::get(&draft_id.get_value()).await {
                let waiting = draft.is_pending();
                apply_queued(draft);
                if waiting {
                    let n = offline::list(account)
                        .await
                        .iter()
                        .filter(|d| d.is_pending())
                        .count();
                    queue_state.set(Some(if offline::online() {
                        QueueState::Waiting(n)
                    } else {
                        QueueState::Offline
                    }));
                }
            }
        });
    });
    offline::on_news(move |news| {
        let id = draft_id.get_value();
        if let Some(sent) = news.sent.iter().find(|s| s.id == id) {
            saved_id.set(Some(sent.saved.id));
            version.set(sent.saved.version);
            draft_id.set_value(QueuedDraft::id_for(Some(sent.saved.id), ""));
            queue_state.set(Some(QueueState::Sent(sent.saved.clone())));
        } else if let Some(draft) = news.queue.iter().find(|d| d.id == id) {
            if draft.is_pending() {
                let n = news
                    .queue
                    .iter()
                    .filter(|d| d.account == account && d.is_pending())
                    .count();
                queue_state.set(Some(QueueState::Waiting(n)));
            } else {
                apply_queued(draft.clone());
            }
        }
    });
    #[cfg(feature = "hydrate")]
    {
        let handle = window_event_listener(leptos::ev::online, move |_| {
            if let Some(QueueState::Offline) = queue_state.get_untracked() {
                leptos::task::spawn_local(async move {
                    let n = offline::list(account)
                        .await
                        .iter()
                        .filter(|d| d.is_pending())
                        .count();
                    if n > 0 {
                        queue_state.set(Some(QueueState::Waiting(n)));
                    }
                });
            }
        });
        on_cleanup(move || handle.remove());
    }

    // Unsync: the queue is reached through the browser's promises, which stay on its thread.
    let save = Action::new_unsync(move |submit: &bool| {
        let submit = *submit;
        let input = signals.input_untracked();
        let v = version.get_untracked();
        let key = Some(create_key.get_value()).filter(|k| !k.is_empty());
        let id = saved_id.get_untracked();
        async move {
            let result = match id {
                None => create_event(input.clone(), submit, key.clone(), Some(account)).await,
                Some(id) => update_event(id, v, input.clone(), submit, Some(account)).await,
            };
            match result {
                // No network: the save waits in this browser's queue, if it has one.
                Err(AppError::Network) => {
                    let draft = QueuedDraft {
                        id: draft_id.get_value(),
                        account,
                        event_id: id,
                        create_key: key,
                        version: v,
                        input,
                        submit,
                        state: "pending".into(),
                        answer: None,
                        saved_at: None,
                    };
                    match offline::put(&draft).await {
                        Some(n) => Ok(Err(n)),
                        None => Err(AppError::Network),
                    }
                }
                other => other.map(Ok),
            }
        }
    });
    let pending = save.pending();
    {
        let key = key.clone();
        Effect::new(move |_| {
            let Some(result) = save.value().get() else {
                return;
            };
            match result {
                Ok(Ok(saved)) => {
                    write_local(&key, None);
                    // A draft of this form still queued (refused, or waiting) is superseded
                    // (the worker gets the message before the page goes).
                    leptos::task::spawn_local(async move {
                        offline::forget(&draft_id.get_value()).await
                    });
                    go_to(&saved_page(&saved));
                }
                Ok(Err(waiting)) => {
                    write_local(&key, None);
                    queue_state.set(Some(if offline::online() {
                        QueueState::Waiting(waiting)
                    } else {
                        QueueState::Offline
                    }));
                }
                Err(error) => show_error(error),
            }
        });
    }
    let attempt = move |submit: bool| {
        general_error.set(None);
        if !client_errors.get_untracked().is_empty() {
            show_all.set(true);
            focus_error_summary();
            return;
        }
        save.dispatch(submit);
    };

    let errors_summary = move || {
        let mut errors = server_errors.get();
        if show_all.get() {
            for e in client_errors.get() {
                if !errors.iter().any(|x| x.field == e.field) {
                    errors.push(e);
                }
            }
        }
        errors
            .into_iter()
            .map(|e| (Some(e.field), e.message))
            .collect::<Vec<_>>()
    };

    let saved_notice = move || {
        etat.clone().map(|etat| {
            let text = match etat.as_str() {
                "soumis" => "Événement soumis : l'équipe du Mois va le relire avant publication. Vous pouvez encore le modifier.",
                "brouillon" => "Brouillon enregistré. Soumettez-le quand il est prêt.",
                "duplique" => "Événement dupliqué en brouillon dans l'édition en cours : vérifiez les dates et le lieu, puis soumettez-le.",
                _ => "Modifications enregistrées.",
            };
            view! {
                <div class="fr-alert fr-alert--success fr-alert--sm fr-mb-3w" role="status">
                    <p>{text}</p>
                </div>
            }
        })
    };

    let vocab = |items: &[crate::reference::VocabularyItem]| -> Vec<(String, String)> {
        items
            .iter()
            .map(|t| (t.id.to_string(), t.label.clone()))
            .collect()
    };
    let (formats, audiences, types) = options.with_value(|o| {
        (
            vocab(&o.formats),
            vocab(&o.audiences),
            vocab(&o.organizer_types),
        )
    });
    let labs: Vec<(String, String)> = options.with_value(|o| {
        o.labs
            .iter()
            .map(|l| (l.id.to_string(), l.name.clone()))
            .collect()
    });
    let regions: Vec<(String, String)> = options.with_value(|o| {
        o.regions
            .iter()
            .filter(|r| r.code != NATIONAL_REGION)
            .map(|r| (r.code.clone(), r.name.clone()))
            .collect()
    });
    let themes = options.with_value(|o| o.themes.clone());
    let has_venue = move || Mode::parse(&signals.mode.get()).is_none_or(Mode::has_venue);
    let is_online = move || Mode::parse(&signals.mode.get()).is_some_and(Mode::is_online);
    let time_kind: &'static str = if signals.starts.get_untracked().trim().len() == 10 {
        "date"
    } else {
        "datetime-local"
    };
    let zone_hint = Signal::derive(move || {
        let region = signals.region.get();
        options.with_value(|o| {
            match o
                .regions
                .iter()
                .find(|r| r.code == region && r.code != NATIONAL_REGION)
            {
                Some(r) if has_venue() => {
                    format!("Heure locale du lieu ({}, fuseau {}).", r.name, r.time_zone)
                }
                _ if !has_venue() => "Heure de Paris.".to_string(),
                _ => "Heure locale du lieu : choisissez d'abord la région.".to_string(),
            }
        })
    });
    let departments = move || {
        let region = signals.region.get();
        let list: Vec<(String, String)> = options.with_value(|o| {
            o.departments
                .iter()
                .filter(|d| d.region_code == region)
                .map(|d| (d.code.clone(), format!("{} – {}", d.code, d.name)))
                .collect()
        });
        view! {
            <SelectField
                id=field::DEPARTMENT
                label="Département"
                options=list
                value=signals.department
                error=error_for(field::DEPARTMENT)
                on_blur=blur(field::DEPARTMENT)
            />
        }
    };

    let preview = RwSignal::new(None::<String>);
    let show_preview = move |_| {
        let text = signals.description.get_untracked();
        leptos::task::spawn_local(async move {
            match preview_description(text).await {
                Ok(html) => preview.set(Some(html)),
                Err(error) => preview.set(Some(format!("<p>{}</p>", error))),
            }
        });
    };

    let form_action = <SaveEventForm as leptos::server_fn::ServerFn>::PATH;
    let title = if event_id.is_some() {
        "Modifier l'événement"
    } else {
        "Référencer un événement"
    };
    let can_draft = matches!(status, None | Some(EventStatus::Draft));
    let can_submit = matches!(
        status,
        None | Some(EventStatus::Draft)
            | Some(EventStatus::ChangesRequested)
            | Some(EventStatus::Rejected)
    );
    let theme_count = move || signals.themes.with(Vec::len);

    let event_info = event.clone().map(|e| {
        view! {
            <div class="fr-mb-2w mip-status-line">
                {status_badge(e.status)}
                {e.status
                    .is_public()
                    .then(|| view! { <a class="fr-link" href=format!("/evenements/{}", e.slug)>"Voir la page publique"</a> })}
            </div>
            {(e.edition_year != year)
                .then(|| view! {
                    <div class="fr-notice fr-notice--info fr-mb-2w">
                        <div class="fr-container"><div class="fr-notice__body"><p class="fr-notice__title">
                            {format!("Cet événement appartient à l'édition {}.", e.edition_year)}
                        </p></div></div>
                    </div>
                })}
            {e.moderation_note.clone().map(|note| view! {
                <div class="fr-alert fr-alert--warning fr-mb-3w">
                    <h2 class="fr-alert__title">"Message de l'équipe du Mois"</h2>
                    <p class="mip-moderation-note">{note}</p>
                </div>
            })}
            {(e.status == EventStatus::Published)
                .then(|| view! {
                    <div class="fr-alert fr-alert--info fr-alert--sm fr-mb-3w">
                        <p>
                            "Cet événement est publié. Vos modifications sont visibles tout de suite ; l'équipe du Mois les relira."
                            {(!e.changed_since_review.is_empty()).then(|| format!(" Modifié depuis la dernière relecture : {}.", e.changed_since_review.join(", ")))}
                        </p>
                    </div>
                })}
        }
    });

    let status_action = ServerAction::<ChangeEventStatus>::new();
    let status_error = crate::forms::action_general_error(status_action.value());
    let conflict_view = move || {
        conflict.get().map(|other| {
            let mine = signals.input_untracked();
            let changed = changed_fields(&other.input, &mine);
            let theirs = other.input.clone();
            let other_version = other.version;
            view! {
                <div class="fr-alert fr-alert--warning fr-mb-3w" role="alert" id="conflit">
                    <h2 class="fr-alert__title">"Cet événement a été modifié entre-temps"</h2>
                    <p>
                        "Votre saisie n'a pas été perdue : elle est toujours dans le formulaire ci-dessous. La version enregistrée diffère sur : "
                        <strong>{if changed.is_empty() { "aucun champ".to_string() } else { changed.join(", ") }}</strong>
                        "."
                    </p>
                    <dl class="mip-conflict">
                        <dt>"Titre enregistré"</dt>
                        <dd data-conflict-title>{theirs.title.clone()}</dd>
                        <dt>"Résumé enregistré"</dt>
                        <dd>{theirs.summary.clone()}</dd>
                        <dt>"Dates enregistrées"</dt>
                        <dd>{format!("{} → {}", theirs.starts_local.replace('T', " "), theirs.ends_local.replace('T', " "))}</dd>
                    </dl>
                    <ul class="fr-btns-group fr-btns-group--inline-md fr-mt-2w">
                        <li>
                            <button class="fr-btn" type="button" on:click=move |_| {
                                version.set(other_version);
                                conflict.set(None);
                                general_error.set(None);
                                save.dispatch(false);
                            }>"Enregistrer ma version à la place"</button>
                        </li>
                        <li>
                            <button class="fr-btn fr-btn--secondary" type="button" on:click=move |_| {
                                version.set(other_version);
                                signals.set(&theirs);
                                conflict.set(None);
                                general_error.set(None);
                            }>"Reprendre la version enregistrée"</button>
                        </li>
                    </ul>
                </div>
            }
        })
    };

    let offline_notice = move || {
        match offline_draft.get() {
        DraftSync::Sent => None,
        DraftSync::Waiting => Some(view! {
            <div class="fr-alert fr-alert--warning fr-alert--sm fr-mb-3w" id="saisie-hors-connexion">
                <p>"Hors connexion : votre saisie est gardée dans ce navigateur. Elle sera envoyée dès le retour du réseau si cette page reste ouverte ; « Enregistrer » la garde sur cet appareil jusqu'à son envoi, même page fermée."</p>
            </div>
        }.into_any()),
        DraftSync::SentOnReconnect => Some(view! {
            <div class="fr-alert fr-alert--success fr-alert--sm fr-mb-3w" id="saisie-hors-connexion">
                <p>"Connexion rétablie : votre saisie a été envoyée. Enregistrez ou soumettez l'événement quand il est prêt."</p>
            </div>
        }.into_any()),
    }
    };

    let restore_view = move || {
        restored.get().map(|kept| {
            let key = key.clone();
            view! {
                <div class="fr-alert fr-alert--info fr-mb-3w" role="status" id="saisie-retrouvee">
                    <h2 class="fr-alert__title">"Une saisie non enregistrée a été retrouvée"</h2>
                    <p>"Vous aviez commencé des modifications sans les enregistrer."</p>
                    <ul class="fr-btns-group fr-btns-group--inline-sm fr-mt-1w">
                        <li>
                            <button class="fr-btn fr-btn--sm" type="button" on:click=move |_| {
                                signals.set(&kept);
                                restored.set(None);
                            }>"Reprendre cette saisie"</button>
                        </li>
                        <li>
                            <button class="fr-btn fr-btn--sm fr-btn--secondary" type="button" on:click=move |_| {
                                write_local(&key, None);
                                restored.set(None);
                            }>"Ignorer"</button>
                        </li>
                    </ul>
                </div>
            }
        })
    };

    view! {
        <Title text=title />
        <div class="fr-container fr-py-6w">
            <nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
                <ol class="fr-breadcrumb__list">
                    <li><a class="fr-breadcrumb__link" href="/organisateur">"Espace organisateur"</a></li>
                    <li><a class="fr-breadcrumb__link" aria-current="page">{title}</a></li>
                </ol>
            </nav>
            <h1>{title}</h1>
            {saved_notice}
            {event_info}
            <div role="status">{offline_notice}</div>
            <div role="status" id="envoi-brouillon"><QueueNotice state=queue_state /></div>
            {restore_view}
            {conflict_view}
            <FormAlert message=general_error />
            <FormAlert message=status_error />
            <crate::forms::ErrorSummary errors=Signal::derive(errors_summary) />
            <p class="fr-text--sm">"Les champs marqués « obligatoire » doivent être remplis pour enregistrer."</p>
            // A plain HTML form too: without JavaScript (or before this island's code has
            // arrived) it posts to `save_event_form`, which applies the same rules.
            <form method="post" action=form_action novalidate=true aria-label=title
                on:submit=move |ev| ev.prevent_default()>
                {event_id.map(|id| view! { <input type="hidden" name="id" value=id /> })}
                {event_id.is_none().then(|| view! { <input type="hidden" name="cle" value=form_key.clone() /> })}
                {event_id.map(|_| view! { <input type="hidden" name="version" value=move || version.get() /> })}
                // The form's default button (the first in the page's order): Enter in a field
                // saves, it never submits for publication.
                <button type="submit" name="submit" value="false" class="fr-sr-only" tabindex="-1"
                    aria-hidden="true" disabled=move || pending.get() on:click=move |_| attempt(false)>
                    "Enregistrer"
                </button>
                <fieldset class="fr-fieldset mip-form-section">
                    <legend class="fr-fieldset__legend"><h2 class="fr-h4 fr-mb-0">"1. L'événement"</h2></legend>
                    <div class="fr-fieldset__element">
                        <Field id=field::TITLE label="Titre" required=true value=signals.title
                            hint="200 caractères au plus. Dites ce qui va se passer : « Atelier : simplifier la demande de logement social »."
                            error=error_for(field::TITLE) on_blur=blur(field::TITLE) />
                    </div>
                    <div class="fr-fieldset__element">
                        <Field id=field::SUMMARY label="Résumé" required=true value=signals.summary rows=3
                            hint="600 caractères au plus. Il apparaît sur la carte de l'événement dans le programme."
                            error=error_for(field::SUMMARY) on_blur=blur(field::SUMMARY) />
                    </div>
                    <div class="fr-fieldset__element">
                        <Field id=field::DESCRIPTION label="Description" value=signals.description rows=8
                            hint="Programme, intervenants, déroulé… Mise en forme Markdown : **gras**, listes avec « - », liens [texte](https://…)."
                            error=error_for(field::DESCRIPTION) on_blur=blur(field::DESCRIPTION) />
                        <Show when=move || mounted.get()>
                            <button class="fr-btn fr-btn--sm fr-btn--tertiary" type="button" on:click=show_preview>
                                "Aperçu de la description"
                            </button>
                        </Show>
                        {move || preview.get().map(|html| view! {
                            <div class="mip-preview fr-mt-2w" aria-label="Aperçu de la description" role="region" inner_html=html></div>
                        })}
                    </div>
                    <div class="fr-fieldset__element">
                        <fieldset
                            class=move || if error_for(field::THEMES).get().is_some() { "fr-fieldset fr-fieldset--error" } else { "fr-fieldset" }
                            id=field::THEMES
                            aria-labelledby="themes-legend themes-messages"
                        >
                            <legend class="fr-fieldset__legend fr-fieldset__legend--regular" id="themes-legend">
                                "Thèmes (obligatoire)"
                                <span class="fr-hint-text">
                                    {move || format!("Un à trois thèmes ({} choisi{}).", theme_count(), if theme_count() > 1 { "s" } else { "" })}
                                </span>
                            </legend>
                            {themes.into_iter().map(|t| {
                                let id = format!("theme-{}", t.id);
                                let tid = t.id;
                                view! {
                                    <div class="fr-fieldset__element">
                                        <div class="fr-checkbox-group">
                                            <input type="checkbox" id=id.clone() name="themes[]" value=tid
                                                checked=signals.themes.with_untracked(|v| v.contains(&tid))
                                                prop:checked=move || signals.themes.with(|v| v.contains(&tid))
                                                disabled=move || signals.themes.with(|v| v.len() >= THEMES_MAX && !v.contains(&tid))
                                                on:change=move |ev| {
                                                    let on = event_target_checked(&ev);
                                                    signals.themes.update(|v| {
                                                        v.retain(|x| *x != tid);
                                                        if on { v.push(tid) }
                                                    });
                                                    touched.update(|t| if !t.contains(&field::THEMES) { t.push(field::THEMES) });
                                                } />
                                            <label class="fr-label" for=id>{t.label.clone()}</label>
                                        </div>
                                    </div>
                                }
                            }).collect_view()}
                            <div class="fr-messages-group" id="themes-messages" aria-live="polite">
                                {move || error_for(field::THEMES).get().map(|m| view! { <p class="fr-message fr-message--error">{m}</p> })}
                            </div>
                        </fieldset>
                    </div>
                    <div class="fr-fieldset__element">
                        <SelectField id=field::FORMAT label="Format" required=true options=formats value=signals.format
                            error=error_for(field::FORMAT) on_blur=blur(field::FORMAT) />
                    </div>
                    <div class="fr-fieldset__element">
                        <SelectField id=field::AUDIENCE label="Public visé" required=true options=audiences value=signals.audience
                            error=error_for(field::AUDIENCE) on_blur=blur(field::AUDIENCE) />
                    </div>
                </fieldset>

                <fieldset class="fr-fieldset mip-form-section">
                    <legend class="fr-fieldset__legend"><h2 class="fr-h4 fr-mb-0">"2. L'organisation"</h2></legend>
                    <div class="fr-fieldset__element">
                        <Field id=field::STRUCTURE label="Structure organisatrice" required=true value=signals.structure_name
                            hint="Le nom affiché dans le programme, par exemple « Préfecture de la Gironde »."
                            error=error_for(field::STRUCTURE) on_blur=blur(field::STRUCTURE) />
                    </div>
                    <div class="fr-fieldset__element">
                        <SelectField id=field::ORGANIZER_TYPE label="Type de structure" required=true options=types
                            value=signals.organizer_type error=error_for(field::ORGANIZER_TYPE) on_blur=blur(field::ORGANIZER_TYPE) />
                    </div>
                    <div class="fr-fieldset__element">
                        <SelectField id=field::LAB label="Laboratoire d'innovation associé" options=labs value=signals.lab
                            hint="Facultatif : si un laboratoire de l'Atlas des labs co-organise l'événement."
                            placeholder="Aucun" error=error_for(field::LAB) />
                    </div>
                </fieldset>

                <fieldset class="fr-fieldset mip-form-section">
                    <legend class="fr-fieldset__legend"><h2 class="fr-h4 fr-mb-0">"3. Modalité et lieu"</h2></legend>
                    <div class="fr-fieldset__element">
                        <fieldset
                            class=move || if error_for(field::MODE).get().is_some() { "fr-fieldset fr-fieldset--error" } else { "fr-fieldset" }
                            id=field::MODE
                            aria-labelledby="mode-legend mode-messages"
                            role="radiogroup"
                        >
                            <legend class="fr-fieldset__legend fr-fieldset__legend--regular" id="mode-legend">
                                "Comment y participer ? (obligatoire)"
                            </legend>
                            {Mode::ALL.into_iter().map(|m| {
                                let id = format!("mode-{}", m.as_str());
                                view! {
                                    <div class="fr-fieldset__element fr-fieldset__element--inline">
                                        <div class="fr-radio-group">
                                            <input type="radio" id=id.clone() name="mode" value=m.as_str()
                                                checked=signals.mode.with_untracked(|v| v == m.as_str())
                                                prop:checked=move || signals.mode.get() == m.as_str()
                                                on:change=move |_| {
                                                    signals.mode.set(m.as_str().to_string());
                                                    touched.update(|t| if !t.contains(&field::MODE) { t.push(field::MODE) });
                                                } />
                                            <label class="fr-label" for=id>{m.label()}</label>
                                        </div>
                                    </div>
                                }
                            }).collect_view()}
                            <div class="fr-messages-group" id="mode-messages" aria-live="polite">
                                {move || error_for(field::MODE).get().map(|m| view! { <p class="fr-message fr-message--error">{m}</p> })}
                            </div>
                        </fieldset>
                    </div>
                    <Show when=has_venue>
                        <div class="fr-fieldset__element">
                            <SelectField id=field::REGION label="Région du lieu" required=true options=regions.clone()
                                value=signals.region error=error_for(field::REGION) on_blur=blur(field::REGION)
                                hint="Elle fixe le fuseau horaire des dates (outre-mer compris)." />
                        </div>
                        <div class="fr-fieldset__element">{departments}</div>
                        <div class="fr-fieldset__element">
                            <Field id=field::VENUE_NAME label="Nom du lieu" value=signals.venue_name
                                hint="Facultatif, par exemple « Salle du conseil »." error=error_for(field::VENUE_NAME) />
                        </div>
                        <div class="fr-fieldset__element">
                            <Field id=field::VENUE_ADDRESS label="Adresse" required=true value=signals.venue_address
                                autocomplete="address-line1" error=error_for(field::VENUE_ADDRESS) on_blur=blur(field::VENUE_ADDRESS) />
                        </div>
                        <div class="fr-fieldset__element fr-fieldset__element--inline">
                            <Field id=field::POSTAL_CODE label="Code postal" value=signals.postal_code
                                autocomplete="postal-code" error=error_for(field::POSTAL_CODE) on_blur=blur(field::POSTAL_CODE) />
                        </div>
                        <div class="fr-fieldset__element">
                            <Field id=field::CITY label="Commune" required=true value=signals.city
                                autocomplete="address-level2" error=error_for(field::CITY) on_blur=blur(field::CITY) />
                        </div>
                    </Show>
                    <Show when=is_online>
                        <div class="fr-fieldset__element">
                            <Field id=field::ONLINE_URL label="Lien pour suivre l'événement en ligne" required=true kind="url"
                                value=signals.online_url hint="Adresse complète, https://…"
                                error=error_for(field::ONLINE_URL) on_blur=blur(field::ONLINE_URL) />
                        </div>
                    </Show>
                    // What was typed in a field the chosen mode hides is not saved: say so, so
                    // that nothing typed disappears without a word (it comes back if the mode
                    // changes again before saving).
                    {move || {
                        let typed = |s: RwSignal<String>| !s.with(|v| v.trim().is_empty());
                        let mut lost = Vec::new();
                        if !has_venue()
                            && (typed(signals.venue_name) || typed(signals.venue_address) || typed(signals.postal_code))
                        {
                            lost.push("l'adresse du lieu (un événement en ligne n'en a pas)");
                        }
                        if !is_online() && typed(signals.online_url) {
                            lost.push("le lien pour suivre en ligne (un événement en présentiel n'en a pas)");
                        }
                        (!lost.is_empty()).then(|| view! {
                            <div class="fr-fieldset__element">
                                <div class="fr-alert fr-alert--info fr-alert--sm" data-not-kept="">
                                    <p>{format!("Avec cette modalité, ne sera pas enregistré : {}. Changez de modalité pour le garder.", lost.join(" ; "))}</p>
                                </div>
                            </div>
                        })
                    }}
                    // Online only: no venue, but the organizers' commune is kept when given.
                    <Show when=move || !has_venue()>
                        <div class="fr-fieldset__element">
                            <Field id=field::CITY label="Commune des organisateurs" value=signals.city
                                hint="Facultatif : elle sert à la recherche et au bilan de l'édition."
                                autocomplete="address-level2" error=error_for(field::CITY) />
                        </div>
                    </Show>
                </fieldset>

                <fieldset class="fr-fieldset mip-form-section">
                    <legend class="fr-fieldset__legend"><h2 class="fr-h4 fr-mb-0">"4. Date et heure"</h2></legend>
                    <div class="fr-fieldset__element">
                        <p class="fr-text--sm">
                            {options.with_value(|o| format!("Le Mois {} a lieu {}.", o.edition.year, fr::date_range(o.edition.starts_on, o.edition.ends_on)))}
                        </p>
                    </div>
                    // An event known by its dates only (all day, often from the archives) keeps
                    // date fields: a date-and-time field would show it empty and lose it.
                    {(time_kind == "date").then(|| view! {
                        <div class="fr-fieldset__element">
                            <p class="fr-text--sm" data-all-day="">"Événement sans horaires : indiquez le premier et le dernier jour."</p>
                        </div>
                    })}
                    <div class="fr-fieldset__element fr-fieldset__element--inline">
                        <Field id=field::STARTS label="Début" required=true kind=time_kind value=signals.starts
                            hint_dynamic=zone_hint error=error_for(field::STARTS) on_blur=blur(field::STARTS) />
                    </div>
                    <div class="fr-fieldset__element fr-fieldset__element--inline">
                        <Field id=field::ENDS label="Fin" required=true kind=time_kind value=signals.ends
                            hint_dynamic=zone_hint error=error_for(field::ENDS) on_blur=blur(field::ENDS) />
                    </div>
                    <div class="fr-fieldset__element">
                        <div class="fr-checkbox-group">
                            <input type="checkbox" id="hors-periode" name="out_of_period" value="1"
                                checked=signals.out_of_period.get_untracked()
                                prop:checked=move || signals.out_of_period.get()
                                on:change=move |ev| signals.out_of_period.set(event_target_checked(&ev)) />
                            <label class="fr-label" for="hors-periode">
                                "Hors période : l'événement a lieu en dehors du Mois"
                            </label>
                        </div>
                    </div>
                    {move || (!signals.out_of_period.get()
                        && !signals.out_of_period_reason.with(|v| v.trim().is_empty()))
                        .then(|| view! {
                            <div class="fr-fieldset__element">
                                <div class="fr-alert fr-alert--info fr-alert--sm" data-not-kept="">
                                    <p>"La raison « hors période » déjà écrite ne sera pas enregistrée tant que la case n'est pas cochée."</p>
                                </div>
                            </div>
                        })}
                    <Show when=move || signals.out_of_period.get()>
                        <div class="fr-fieldset__element">
                            <Field id=field::OUT_OF_PERIOD_REASON label="Pourquoi hors période ?" required=true rows=2
                                value=signals.out_of_period_reason error=error_for(field::OUT_OF_PERIOD_REASON)
                                on_blur=blur(field::OUT_OF_PERIOD_REASON) />
                        </div>
                    </Show>
                </fieldset>

                <fieldset class="fr-fieldset mip-form-section">
                    <legend class="fr-fieldset__legend"><h2 class="fr-h4 fr-mb-0">"5. Inscription, contact et accessibilité"</h2></legend>
                    <div class="fr-fieldset__element">
                        <Field id=field::REGISTRATION_URL label="Lien d'inscription" kind="url" value=signals.registration_url
                            hint="Facultatif, https://…" error=error_for(field::REGISTRATION_URL) on_blur=blur(field::REGISTRATION_URL) />
                    </div>
                    <div class="fr-fieldset__element fr-fieldset__element--inline">
                        <Field id=field::CAPACITY label="Nombre de places" value=signals.capacity
                            hint="Facultatif." error=error_for(field::CAPACITY) on_blur=blur(field::CAPACITY) />
                    </div>
                    <div class="fr-fieldset__element">
                        <Field id=field::CONTACT_NAME label="Contact : nom" value=signals.contact_name
                            error=error_for(field::CONTACT_NAME) on_blur=blur(field::CONTACT_NAME) />
                    </div>
                    <div class="fr-fieldset__element">
                        <Field id=field::CONTACT_EMAIL label="Contact : adresse électronique" kind="email" value=signals.contact_email
                            hint="Publiée sur la page de l'événement." error=error_for(field::CONTACT_EMAIL) on_blur=blur(field::CONTACT_EMAIL) />
                    </div>
                    <div class="fr-fieldset__element">
                        <Field id=field::ACCESSIBILITY label="Accessibilité" rows=3 value=signals.accessibility
                            hint="Accès en fauteuil roulant, boucle magnétique, interprétation LSF, sous-titres…"
                            error=error_for(field::ACCESSIBILITY) on_blur=blur(field::ACCESSIBILITY) />
                    </div>
                </fieldset>

                <ul class="fr-btns-group fr-btns-group--inline-md fr-mt-4w">
                    {can_submit.then(|| view! {
                        <li>
                            <button class="fr-btn" type="submit" name="submit" value="true" disabled=move || pending.get() on:click=move |_| attempt(true)>
                                "Soumettre pour publication"
                            </button>
                        </li>
                    })}
                    {can_draft.then(|| view! {
                        <li>
                            <button class="fr-btn fr-btn--secondary" type="submit" name="submit" value="false" disabled=move || pending.get() on:click=move |_| attempt(false)>
                                "Enregistrer le brouillon"
                            </button>
                        </li>
                    })}
                    {(!can_draft).then(|| view! {
                        <li>
                            <button class="fr-btn fr-btn--secondary" type="submit" name="submit" value="false" disabled=move || pending.get() on:click=move |_| attempt(false)>
                                "Enregistrer les modifications"
                            </button>
                        </li>
                    })}
                </ul>
                <p class="fr-text--xs" aria-live="polite">
                    {move || pending.get().then_some("Enregistrement…")}
                </p>
            </form>

            {event.map(|e| {
                let v = e.version;
                let can_cancel = matches!(e.status, EventStatus::Published | EventStatus::Submitted);
                let can_delete = e.status == EventStatus::Draft;
                (can_cancel || can_delete).then(|| view! {
                    <section class="fr-mt-6w mip-danger-zone">
                        <h2 class="fr-h5">{if can_delete { "Supprimer le brouillon" } else { "Annuler l'événement" }}</h2>
                        <p class="fr-text--sm">
                            {if can_delete {
                                "Le brouillon sera définitivement supprimé."
                            } else {
                                "L'événement reste affiché dans le programme, marqué « Annulé », et les agendas abonnés sont prévenus."
                            }}
                        </p>
                        <ActionForm action=status_action>
                            <input type="hidden" name="id" value=e.id />
                            <input type="hidden" name="version" value=move || version.get().max(v) />
                            <input type="hidden" name="action" value=if can_delete { "supprimer" } else { "annuler" } />
                            <button class="fr-btn fr-btn--tertiary mip-btn-danger" type="submit">
                                {if can_delete { "Supprimer le brouillon" } else { "Annuler l'événement" }}
                            </button>
                        </ActionForm>
                    </section>
                })
            })}
        </div>
    }
}

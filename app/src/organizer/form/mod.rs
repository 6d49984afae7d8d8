//! The event form (`/organisateur/evenements/nouveau`, `/organisateur/evenements/{id}`): a lazy
//! island. Its state (`state`), the kept, unsaved form (`draft`), saving (`save`) and the
//! offline queue (`queue`), the conflict screen (`conflict`), and its sections: the event and
//! its organizer (`identity`), the place and time (`place`), registration, contact and
//! accessibility (`audience`); the event's status around them (`status`).
use leptos::prelude::*;
use leptos_meta::Title;

use super::model::{EditableEvent, FormOptions};
use super::offline::QueueNotice;
use super::server::{ChangeEventStatus, SaveEventForm};
use super::validation::EventInput;
use crate::error::FieldError;
use crate::forms::FormAlert;
use crate::reference::EventStatus;

mod audience;
mod conflict;
mod draft;
mod identity;
mod place;
mod queue;
mod save;
mod state;
mod status;

use save::{SaveAction, Saving};
use state::{Checks, FormSignals};

/// The event form: an island whose code is split out of the main wasm (`lazy`), fetched
/// when an organizer opens the form. `etat` is the URL's « saved » notice (`?etat=soumis`…).
#[island(lazy)]
pub fn EventForm(
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
    let key = event_id
        .map(|i| i.to_string())
        .unwrap_or_else(|| "new".into());
    let status = event.as_ref().map(|e| e.status);
    let year = options.edition.year;
    let checks = Checks::new(signals, options.rules(), errors);
    let options = StoredValue::new(options);
    let saving = Saving::new(event.as_ref(), checks);

    let restored = draft::offer_kept(mounted, key.clone(), initial, autosaved);
    let offline_draft = draft::autosave(key.clone(), signals, checks);
    let form_key = create_key.clone();
    let queue = queue::follow_queue(mounted, event_id, create_key, account, signals, saving);
    let save = save::save_action(key.clone(), account, signals, saving, queue);

    let title = if event_id.is_some() {
        "Modifier l'événement"
    } else {
        "Référencer un événement"
    };
    let status_action = ServerAction::<ChangeEventStatus>::new();
    let status_error = crate::forms::action_general_error(status_action.value());
    let version = saving.version;

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
            <status::SavedNotice etat />
            <status::EventInfo event=event.clone() year />
            <div role="status"><draft::OfflineNotice state=offline_draft /></div>
            <div role="status" id="envoi-brouillon"><QueueNotice state=queue.state /></div>
            <draft::RestoreNotice restored signals key />
            <conflict::ConflictNotice signals saving save />
            <FormAlert message=saving.general_error />
            <FormAlert message=status_error />
            <crate::forms::ErrorSummary errors=Signal::derive(move || checks.summary()) />
            <p class="fr-text--sm">"Les champs marqués « obligatoire » doivent être remplis pour enregistrer."</p>
            <FormBody signals checks saving save mounted options event_id form_key status title />
            <status::StatusZone event action=status_action version />
        </div>
    }
}

/// The form itself. A plain HTML form too: without JavaScript (or before this island's code
/// has arrived) it posts to `save_event_form`, which applies the same rules.
#[component]
fn FormBody(
    signals: FormSignals,
    checks: Checks,
    saving: Saving,
    save: SaveAction,
    mounted: ReadSignal<bool>,
    options: StoredValue<FormOptions>,
    event_id: Option<i64>,
    /// A new event's key as the server made it (see `pages::new_create_key`).
    form_key: String,
    status: Option<EventStatus>,
    title: &'static str,
) -> impl IntoView {
    let form_action = <SaveEventForm as leptos::server_fn::ServerFn>::PATH;
    let version = saving.version;
    let pending = save.pending();
    let attempt = move |submit: bool| save::attempt(save, saving, submit);
    view! {
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
            <identity::EventSection signals checks mounted options />
            <identity::OrganisationSection signals checks options />
            <place::PlaceSection signals checks options />
            <place::TimeSection signals checks options />
            <audience::AudienceSection signals checks />
            <SaveButtons status pending save saving />
            <p class="fr-text--xs" aria-live="polite">
                {move || pending.get().then_some("Enregistrement…")}
            </p>
        </form>
    }
}

/// Submit for publication (a new event, a draft, or one sent back) and save (a draft, or the
/// changes of an event already submitted).
#[component]
fn SaveButtons(
    status: Option<EventStatus>,
    pending: Memo<bool>,
    save: SaveAction,
    saving: Saving,
) -> impl IntoView {
    let attempt = move |submit: bool| save::attempt(save, saving, submit);
    let can_draft = matches!(status, None | Some(EventStatus::Draft));
    let can_submit = matches!(
        status,
        None | Some(EventStatus::Draft)
            | Some(EventStatus::ChangesRequested)
            | Some(EventStatus::Rejected)
    );
    view! {
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
    }
}

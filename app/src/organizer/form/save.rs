//! Saving the form: sent now, or queued in this browser without a network, and the server's
//! answer shown on the fields, above the form, or as the saved event's page.
use leptos::prelude::*;

use super::draft::write_local;
use super::queue::Queue;
use super::state::{Checks, FormSignals};
use crate::error::AppError;
use crate::organizer::model::{EditableEvent, SavedEvent};
use crate::organizer::offline::{self, QueuedDraft};
use crate::organizer::server::{create_event, event_for_edit, saved_page, update_event};

/// Where saves go and what the page says of their refusals.
#[derive(Clone, Copy)]
pub(super) struct Saving {
    /// The event saves go to: this one, or the new event once the server has received it.
    pub(super) saved_id: RwSignal<Option<i64>>,
    /// The version the next save replaces.
    pub(super) version: RwSignal<i64>,
    /// A refusal about no field, above the form.
    pub(super) general_error: RwSignal<Option<String>>,
    /// The version saved meanwhile by someone else (the conflict screen).
    pub(super) conflict: RwSignal<Option<EditableEvent>>,
    pub(super) checks: Checks,
}

impl Saving {
    pub(super) fn new(event: Option<&EditableEvent>, checks: Checks) -> Self {
        Saving {
            saved_id: RwSignal::new(event.map(|e| e.id)),
            version: RwSignal::new(event.map(|e| e.version).unwrap_or(0)),
            general_error: RwSignal::new(None),
            conflict: RwSignal::new(None),
            checks,
        }
    }

    /// The server's refusal of a save (sent now, or from the queue): on the fields, or above
    /// the form with the version saved meanwhile (a conflict).
    pub(super) fn show_error(self, error: AppError) {
        match error {
            AppError::Invalid(errors) => {
                self.checks.show_all.set(true);
                self.checks.server.set(errors);
                focus_error_summary();
            }
            AppError::Conflict(message) => {
                self.general_error.set(Some(message));
                if let Some(id) = self.saved_id.get_untracked() {
                    leptos::task::spawn_local(async move {
                        if let Ok(other) = event_for_edit(id).await {
                            self.conflict.set(Some(other));
                        }
                    });
                }
            }
            error => self.general_error.set(Some(error.to_string())),
        }
    }
}

/// A save: `Ok(Ok(saved))`, or `Ok(Err(n))` when it waits in this browser's queue (`n`: the
/// account's drafts waiting there).
pub(super) type SaveAction = Action<bool, Result<Result<SavedEvent, usize>, AppError>>;

/// The save action (its input: submit for publication), and what follows its answer: the
/// saved event's page, the queue's notice, or the refusal.
pub(super) fn save_action(
    key: String,
    account: i64,
    signals: FormSignals,
    saving: Saving,
    queue: Queue,
) -> SaveAction {
    // Unsync: the queue is reached through the browser's promises, which stay on its thread.
    let save = Action::new_unsync(move |submit: &bool| {
        let submit = *submit;
        let input = signals.input_untracked();
        let v = saving.version.get_untracked();
        let key = Some(queue.create_key.get_value()).filter(|k| !k.is_empty());
        let id = saving.saved_id.get_untracked();
        async move {
            let result = match id {
                None => create_event(input.clone(), submit, key.clone(), Some(account)).await,
                Some(id) => update_event(id, v, input.clone(), submit, Some(account)).await,
            };
            match result {
                // No network: the save waits in this browser's queue, if it has one.
                Err(AppError::Network) => {
                    let draft = QueuedDraft {
                        id: queue.draft_id.get_value(),
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
                    offline::forget(&queue.draft_id.get_value()).await
                });
                go_to(&saved_page(&saved));
            }
            Ok(Err(waiting)) => {
                write_local(&key, None);
                queue.queued(waiting);
            }
            Err(error) => saving.show_error(error),
        }
    });
    save
}

/// A save asked for by a button (`submit`: for publication), unless the form's own checks
/// fail: then every error is shown.
pub(super) fn attempt(save: SaveAction, saving: Saving, submit: bool) {
    saving.general_error.set(None);
    if !saving.checks.client.get_untracked().is_empty() {
        saving.checks.show_all.set(true);
        focus_error_summary();
        return;
    }
    save.dispatch(submit);
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

//! The unsaved form: kept in this browser and on the server as it is typed (autosave), and
//! offered back when the form is opened again.
use leptos::prelude::*;

use super::state::{Checks, FormSignals};
use crate::error::AppError;
use crate::organizer::server::autosave_event;
use crate::organizer::validation::EventInput;

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

pub(super) fn write_local(key: &str, input: Option<&EventInput>) {
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
pub(super) enum DraftSync {
    /// Received (or nothing to send yet).
    Sent,
    /// Not received for want of a network: kept in this browser, sent when back online.
    Waiting,
    /// Received once the network came back.
    SentOnReconnect,
}

/// A kept version of the form that differs from the saved one is offered back: the server's
/// autosave, else this browser's copy. `key`: the event's id, or `new`.
pub(super) fn offer_kept(
    mounted: ReadSignal<bool>,
    key: String,
    initial: EventInput,
    autosaved: Option<EventInput>,
) -> RwSignal<Option<EventInput>> {
    let restored = RwSignal::new(None::<EventInput>);
    Effect::new(move |_| {
        if !mounted.get() {
            return;
        }
        let kept = autosaved.clone().or_else(|| read_local(&key));
        if let Some(kept) = kept.filter(|k| *k != initial) {
            restored.set(Some(kept));
        }
    });
    restored
}

/// Autosave: 1.5 s after the last change, in this browser and on the server. What the
/// server could not receive (no network) waits in this browser, and is sent once, as soon
/// as the browser is back online (the `online` event), if the form is still open; if it
/// was closed, the next opening offers it back ([`offer_kept`]). A change also clears the
/// server's refusal of the last save.
pub(super) fn autosave(key: String, signals: FormSignals, checks: Checks) -> RwSignal<DraftSync> {
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
    let handle = StoredValue::new(None::<leptos::prelude::TimeoutHandle>);
    let first = StoredValue::new(true);
    Effect::new(move |_| {
        let input = signals.input();
        if first.get_value() {
            first.set_value(false);
            return;
        }
        checks.server.set(Vec::new());
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
    offline_draft
}

/// What became of the autosave without a network.
#[component]
pub(super) fn OfflineNotice(state: RwSignal<DraftSync>) -> impl IntoView {
    move || {
        match state.get() {
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
    }
}

/// The offer of a kept, unsaved version ([`offer_kept`]): taken back into the form, or
/// forgotten.
#[component]
pub(super) fn RestoreNotice(
    restored: RwSignal<Option<EventInput>>,
    signals: FormSignals,
    key: String,
) -> impl IntoView {
    move || {
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
    }
}

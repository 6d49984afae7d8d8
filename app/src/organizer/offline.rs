//! The organizer's work without a network: the drafts' queue that the service worker keeps
//! (`server/src/sw.js`, IndexedDB) and sends when the network returns, as the pages see it
//! through `window.mipDrafts` (`layout::OFFLINE_DRAFTS`), and the list of queued drafts on the
//! dashboard.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::SavedEvent;
use super::validation::EventInput;

/// A save of the event form waiting in this browser for the network: one per event (a new
/// event's is named after its form's key), the last input typed, a submission asked for or not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueuedDraft {
    pub id: String,
    pub account: i64,
    pub event_id: Option<i64>,
    pub create_key: Option<String>,
    pub version: i64,
    pub input: EventInput,
    pub submit: bool,
    /// `pending`, or why the server refused it: `conflict` (409), `invalid` (422), `refused`.
    #[serde(default = "pending")]
    pub state: String,
    /// The server's answer to a refusal (an `AppError` as JSON).
    #[serde(default)]
    pub answer: Option<String>,
    /// When it was queued (ISO 8601, the browser's clock).
    #[serde(default)]
    pub saved_at: Option<String>,
}

fn pending() -> String {
    "pending".into()
}

impl QueuedDraft {
    /// The queue's name of a form's draft: the event's id, or a new event's form key.
    pub fn id_for(event_id: Option<i64>, create_key: &str) -> String {
        match event_id {
            Some(id) => format!("e-{id}"),
            None => format!("n-{create_key}"),
        }
    }

    pub fn is_pending(&self) -> bool {
        self.state == "pending"
    }

    /// Where the draft opens again: its event's form, or a new event's form with its key.
    pub fn form_href(&self) -> String {
        match (self.event_id, &self.create_key) {
            (Some(id), _) => format!("/organisateur/evenements/{id}"),
            (None, Some(key)) => format!("/organisateur/evenements/nouveau?brouillon={key}"),
            (None, None) => "/organisateur/evenements/nouveau".into(),
        }
    }

    /// The server's refusal, as the error the form shows.
    pub fn refusal(&self) -> Option<crate::error::AppError> {
        if self.is_pending() {
            return None;
        }
        let answer = self.answer.as_deref().unwrap_or_default();
        Some(
            serde_json::from_str::<crate::error::AppError>(answer).unwrap_or_else(|_| {
                if self.state == "conflict" {
                    crate::error::AppError::Conflict(
                        "L'événement a été modifié entre-temps.".into(),
                    )
                } else {
                    crate::error::AppError::Internal
                }
            }),
        )
    }
}

/// What the worker says after sending: the drafts received (with the server's answer) and the
/// queue as it now is.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct QueueNews {
    #[serde(default)]
    pub sent: Vec<SentDraft>,
    #[serde(default)]
    pub queue: Vec<QueuedDraft>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SentDraft {
    pub id: String,
    pub saved: SavedEvent,
}

/// Where a save made without a network stands, as the form says it.
#[derive(Clone, PartialEq)]
pub enum QueueState {
    /// Kept in this browser's queue, no network.
    Offline,
    /// Network back, `n` saves of this account not sent yet.
    Waiting(usize),
    /// Received by the server.
    Sent(SavedEvent),
}

/// Where this form's save made without a network stands (`QueueState`).
#[component]
pub fn QueueNotice(state: RwSignal<Option<QueueState>>) -> impl IntoView {
    move || {
        state.get().map(|state| match state {
        QueueState::Offline => view! {
            <div class="fr-alert fr-alert--info fr-alert--sm fr-mb-3w" data-envoi="hors-connexion">
                <p><strong>"Hors connexion — enregistré sur cet appareil"</strong></p>
                <p>"Votre enregistrement sera envoyé dès le retour du réseau, même si vous fermez cette page."</p>
            </div>
        }.into_any(),
        QueueState::Waiting(n) => view! {
            <div class="fr-alert fr-alert--info fr-alert--sm fr-mb-3w" data-envoi="en-attente">
                <p><strong>{format!("En attente d'envoi ({n})")}</strong></p>
            </div>
        }.into_any(),
        QueueState::Sent(saved) => view! {
            <div class="fr-alert fr-alert--success fr-alert--sm fr-mb-3w" data-envoi="envoye">
                <p><strong>"Envoyé"</strong></p>
                <p>
                    {if saved.status == crate::reference::EventStatus::Submitted {
                        "L'événement a été soumis : l'équipe du Mois va le relire avant publication. "
                    } else {
                        "L'événement est enregistré. "
                    }}
                    <a class="fr-link" href=super::server::saved_page(&saved)>"Voir l'événement enregistré"</a>
                </p>
            </div>
        }.into_any(),
    })
    }
}

/// One request to the queue (`{drafts: …}`); `None` when there is no worker or no answer.
#[cfg(feature = "hydrate")]
async fn call(message: serde_json::Value) -> Option<serde_json::Value> {
    use wasm_bindgen::JsCast;
    let window = web_sys::window()?;
    let bridge = js_sys::Reflect::get(&window, &"mipDrafts".into())
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    let message = js_sys::JSON::parse(&message.to_string()).ok()?;
    let promise = bridge
        .call1(&window, &message)
        .ok()?
        .dyn_into::<js_sys::Promise>()
        .ok()?;
    let answer = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?;
    let text: String = js_sys::JSON::stringify(&answer).ok()?.into();
    serde_json::from_str(&text).ok()
}

/// Queues a save; the number of this account's drafts waiting, or `None` when the browser
/// cannot keep it (no worker).
pub async fn put(draft: &QueuedDraft) -> Option<usize> {
    #[cfg(feature = "hydrate")]
    {
        let entry = serde_json::to_value(draft).ok()?;
        let answer = call(serde_json::json!({ "drafts": "put", "entry": entry })).await?;
        answer.as_u64().map(|n| n as usize)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = draft;
        None
    }
}

/// The queued draft named `id`, if any.
pub async fn get(id: &str) -> Option<QueuedDraft> {
    #[cfg(feature = "hydrate")]
    {
        let answer = call(serde_json::json!({ "drafts": "get", "id": id })).await?;
        serde_json::from_value(answer).ok()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = id;
        None
    }
}

/// The drafts queued by `account`, in the order they will be sent.
pub async fn list(account: i64) -> Vec<QueuedDraft> {
    #[cfg(feature = "hydrate")]
    {
        call(serde_json::json!({ "drafts": "list", "account": account }))
            .await
            .and_then(|answer| serde_json::from_value(answer).ok())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = account;
        Vec::new()
    }
}

/// Drops a queued draft (the organizer chose the server's version over it).
pub async fn forget(id: &str) {
    #[cfg(feature = "hydrate")]
    let _ = call(serde_json::json!({ "drafts": "forget", "id": id })).await;
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

/// Asks the worker to send the queue now.
pub async fn flush() {
    #[cfg(feature = "hydrate")]
    let _ = call(serde_json::json!({ "drafts": "flush" })).await;
}

/// A new event's key, made in this browser (so that a form opened from the offline copy twice
/// makes two events); `None` without a worker's page script.
pub fn new_key() -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let window = web_sys::window()?;
        let make = js_sys::Reflect::get(&window, &"mipNewKey".into())
            .ok()?
            .dyn_into::<js_sys::Function>()
            .ok()?;
        make.call0(&window).ok()?.as_string()
    }
    #[cfg(not(feature = "hydrate"))]
    None
}

/// Whether the browser says it is online.
pub fn online() -> bool {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .map(|w| w.navigator().on_line())
            .unwrap_or(true)
    }
    #[cfg(not(feature = "hydrate"))]
    true
}

/// Calls `on_news` with each piece of news of the queue, while the calling island lives.
pub fn on_news(on_news: impl Fn(QueueNews) + 'static) {
    #[cfg(feature = "hydrate")]
    {
        let handle = window_event_listener_untyped("mip-drafts", move |event| {
            use wasm_bindgen::JsCast;
            let Some(detail) = event.dyn_ref::<web_sys::CustomEvent>().map(|e| e.detail()) else {
                return;
            };
            let Some(text) = js_sys::JSON::stringify(&detail)
                .ok()
                .and_then(|t| t.as_string())
            else {
                return;
            };
            if let Ok(news) = serde_json::from_str::<QueueNews>(&text) {
                on_news(news);
            }
        });
        on_cleanup(move || handle.remove());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = on_news;
}

/// The dashboard's list of the drafts this browser holds for `account` and has not sent yet
/// (typed without a network), each with the way back to its form. Empty (and invisible) when
/// there are none.
#[island(lazy)]
pub fn QueuedDrafts(account: i64) -> impl IntoView {
    let queue = RwSignal::new(Vec::<QueuedDraft>::new());
    let mounted = crate::my_programme::use_mounted();
    Effect::new(move |_| {
        if mounted.get() {
            leptos::task::spawn_local(async move { queue.set(list(account).await) });
        }
    });
    on_news(move |news| {
        queue.set(
            news.queue
                .into_iter()
                .filter(|d| d.account == account)
                .collect(),
        )
    });
    move || {
        let drafts = queue.get();
        (!drafts.is_empty()).then(|| {
            let waiting = drafts.iter().filter(|d| d.is_pending()).count();
            let count = drafts.len();
            view! {
                <section class="fr-callout fr-callout--yellow-moutarde fr-mb-4w" data-queued-drafts=count>
                    <h2 class="fr-callout__title fr-h5">{format!("Sur cet appareil : en attente d'envoi ({waiting})")}</h2>
                    <p class="fr-callout__text">
                        "Ces enregistrements ont été faits sans réseau. Ils seront envoyés dès que la connexion sera revenue, dans l'ordre où vous les avez faits."
                    </p>
                    <ul>
                        {drafts
                            .into_iter()
                            .map(|d| {
                                let title = if d.input.title.trim().is_empty() {
                                    "Événement sans titre".to_string()
                                } else {
                                    d.input.title.clone()
                                };
                                let state = match d.state.as_str() {
                                    "pending" if d.submit => "soumission en attente d'envoi",
                                    "pending" => "enregistrement en attente d'envoi",
                                    "conflict" => "refusé : l'événement a été modifié entre-temps",
                                    "invalid" => "refusé : des champs sont à corriger",
                                    _ => "refusé",
                                };
                                view! {
                                    <li data-queued-draft=d.id.clone()>
                                        <a class="fr-link" href=d.form_href()>{title}</a>
                                        {format!(" — {state}")}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </section>
            }
        })
    }
}

/// The value of `name` in this page's address, if any.
pub fn query_param(name: &str) -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        let search = web_sys::window()?.location().search().ok()?;
        form_urlencoded::parse(search.trim_start_matches('?').as_bytes())
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = name;
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The queue's entries are read and written by `server/src/sw.js` under these names.
    #[test]
    fn a_queued_draft_has_the_service_workers_field_names() {
        let draft = QueuedDraft {
            id: QueuedDraft::id_for(None, "0f8fad5b-d9cb-469f-a165-70867728950e"),
            account: 7,
            event_id: None,
            create_key: Some("0f8fad5b-d9cb-469f-a165-70867728950e".into()),
            version: 0,
            input: EventInput::default(),
            submit: true,
            state: "pending".into(),
            answer: None,
            saved_at: None,
        };
        let json = serde_json::to_value(&draft).unwrap();
        for name in [
            "id",
            "account",
            "eventId",
            "createKey",
            "version",
            "input",
            "submit",
            "state",
        ] {
            assert!(json.get(name).is_some(), "{name} in {json}");
        }
        assert_eq!(json["id"], "n-0f8fad5b-d9cb-469f-a165-70867728950e");
        assert_eq!(
            draft.form_href(),
            "/organisateur/evenements/nouveau?brouillon=0f8fad5b-d9cb-469f-a165-70867728950e"
        );
        // What the worker writes back after a refusal reads as the form's error.
        let refused: QueuedDraft = serde_json::from_value(serde_json::json!({
            "id": "e-12", "account": 7, "eventId": 12, "createKey": null, "version": 3,
            "input": serde_json::to_value(EventInput::default()).unwrap(), "submit": false,
            "state": "conflict", "status": 409, "answer": "not json", "tries": 2,
            "title": "", "seq": 1, "savedAt": "2026-11-10T08:00:00.000Z"
        }))
        .unwrap();
        assert_eq!(refused.form_href(), "/organisateur/evenements/12");
        assert!(matches!(
            refused.refusal(),
            Some(crate::error::AppError::Conflict(_))
        ));
    }
}

//! Saves made without a network wait in the service worker's queue (`offline`), one entry
//! per event, which sends them when the network returns, even if this page was closed.
use leptos::prelude::*;

use super::save::Saving;
use super::state::FormSignals;
use crate::organizer::offline::{self, QueueState, QueuedDraft};
use crate::organizer::validation::is_create_key;

/// This form's place in the queue.
#[derive(Clone, Copy)]
pub(super) struct Queue {
    /// What the page says of the queue (`QueueNotice`).
    pub(super) state: RwSignal<Option<QueueState>>,
    /// This form's entry in the queue.
    pub(super) draft_id: StoredValue<String>,
    /// A new event's key (empty when editing), sent with every create of this form.
    pub(super) create_key: StoredValue<String>,
}

impl Queue {
    /// A queued draft of this form (refused, or still waiting) back in the form.
    fn apply(self, draft: QueuedDraft, signals: FormSignals, saving: Saving) {
        signals.set(&draft.input);
        if let Some(refusal) = draft.refusal() {
            self.state.set(None);
            saving.show_error(refusal);
        }
    }

    /// What the page says once a save went to the queue: `waiting` saves of this account not
    /// sent yet.
    pub(super) fn queued(self, waiting: usize) {
        self.state.set(Some(if offline::online() {
            QueueState::Waiting(waiting)
        } else {
            QueueState::Offline
        }));
    }
}

/// Follows this form's entry in the queue. A new event's form makes its key in the browser
/// (a form opened from the offline copy is the same page each time), or takes the queued
/// draft's (`?brouillon=`) it reopens.
pub(super) fn follow_queue(
    mounted: ReadSignal<bool>,
    event_id: Option<i64>,
    create_key: String,
    account: i64,
    signals: FormSignals,
    saving: Saving,
) -> Queue {
    let queue = Queue {
        state: RwSignal::new(None),
        draft_id: StoredValue::new(String::new()),
        create_key: StoredValue::new(create_key),
    };
    Effect::new(move |_| {
        if !mounted.get() {
            return;
        }
        if event_id.is_none() {
            let reopened = offline::query_param("brouillon").filter(|k| is_create_key(k));
            if let Some(key) = reopened.or_else(offline::new_key) {
                queue.create_key.set_value(key);
            }
        }
        queue
            .draft_id
            .set_value(QueuedDraft::id_for(event_id, &queue.create_key.get_value()));
        leptos::task::spawn_local(async move {
            if let Some(draft) = offline::get(&queue.draft_id.get_value()).await {
                let waiting = draft.is_pending();
                queue.apply(draft, signals, saving);
                if waiting {
                    let n = pending_of(account).await;
                    queue.queued(n);
                }
            }
        });
    });
    offline::on_news(move |news| {
        let id = queue.draft_id.get_value();
        if let Some(sent) = news.sent.iter().find(|s| s.id == id) {
            saving.saved_id.set(Some(sent.saved.id));
            saving.version.set(sent.saved.version);
            queue
                .draft_id
                .set_value(QueuedDraft::id_for(Some(sent.saved.id), ""));
            queue.state.set(Some(QueueState::Sent(sent.saved.clone())));
        } else if let Some(draft) = news.queue.iter().find(|d| d.id == id) {
            if draft.is_pending() {
                let n = news
                    .queue
                    .iter()
                    .filter(|d| d.account == account && d.is_pending())
                    .count();
                queue.state.set(Some(QueueState::Waiting(n)));
            } else {
                queue.apply(draft.clone(), signals, saving);
            }
        }
    });
    #[cfg(feature = "hydrate")]
    {
        let handle = window_event_listener(leptos::ev::online, move |_| {
            if let Some(QueueState::Offline) = queue.state.get_untracked() {
                leptos::task::spawn_local(async move {
                    let n = pending_of(account).await;
                    if n > 0 {
                        queue.state.set(Some(QueueState::Waiting(n)));
                    }
                });
            }
        });
        on_cleanup(move || handle.remove());
    }
    queue
}

/// The saves of this account still waiting in the queue.
async fn pending_of(account: i64) -> usize {
    offline::list(account)
        .await
        .iter()
        .filter(|d| d.is_pending())
        .count()
}

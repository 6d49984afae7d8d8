//! « Mon programme »: the events a visitor saves, kept in this browser (no account needed),
//! with what is needed to list them offline.
use chrono::NaiveDateTime;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use crate::events::model::{when_label, EventCard};
use crate::fr;

pub(crate) const STORAGE_KEY: &str = "mip.mon-programme.v1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedEvent {
    pub slug: String,
    pub title: String,
    #[serde(with = "crate::iso::date_time")]
    pub start: NaiveDateTime,
    #[serde(with = "crate::iso::date_time")]
    pub end: NaiveDateTime,
    pub place: String,
    pub cancelled: bool,
    /// No longer in its edition's programme (withdrawn since it was saved).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub withdrawn: bool,
}

impl SavedEvent {
    pub fn from_card(card: &EventCard) -> Self {
        SavedEvent {
            slug: card.slug.clone(),
            title: card.title.clone(),
            start: card.starts_local,
            end: card.ends_local,
            place: card.place(),
            cancelled: card.status == crate::reference::EventStatus::Cancelled,
            withdrawn: false,
        }
    }
}

/// The saved events brought up to date with their edition's catalogue (fetched when the page
/// is online): a moved event gets its new time and place, a cancelled one « Annulé », one that
/// left the programme is marked withdrawn (kept, so that the visitor sees what happened). An
/// event of another edition is left as it is.
pub fn refreshed(
    list: &[SavedEvent],
    catalog: &crate::programme::catalog::Catalog,
) -> Vec<SavedEvent> {
    use chrono::Datelike;
    list.iter()
        .map(
            |saved| match catalog.events.iter().find(|e| e.slug == saved.slug) {
                Some(event) => SavedEvent::from_card(&catalog.card(event)),
                None if saved.start.year() == catalog.year => SavedEvent {
                    withdrawn: true,
                    ..saved.clone()
                },
                None => saved.clone(),
            },
        )
        .collect()
}

/// When online, brings the saved events up to date with the current edition's catalogue
/// (through the browser's HTTP cache, revalidated), and stores them if anything changed.
#[cfg(feature = "hydrate")]
async fn refresh_from_catalogue() -> Option<Vec<SavedEvent>> {
    if !web_sys::window()?.navigator().on_line() {
        return None;
    }
    let catalog = crate::programme::shared::load(None).await.ok()?;
    let list = load();
    let fresh = refreshed(&list, &catalog.0);
    if fresh == list {
        return None;
    }
    store(&fresh);
    Some(load())
}

/// The saved events, by start. Empty on the server (it never sees the browser's storage).
pub fn load() -> Vec<SavedEvent> {
    #[cfg(feature = "hydrate")]
    {
        let stored = web_sys::window()
            .and_then(|w| w.local_storage().ok().flatten())
            .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
        let mut list: Vec<SavedEvent> = stored
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default();
        list.sort_by(|a, b| a.start.cmp(&b.start).then(a.title.cmp(&b.title)));
        list
    }
    #[cfg(not(feature = "hydrate"))]
    {
        Vec::new()
    }
}

/// The slugs of the saved events.
pub fn saved_slugs() -> std::collections::HashSet<String> {
    load().into_iter().map(|e| e.slug).collect()
}

fn store(list: &[SavedEvent]) {
    #[cfg(feature = "hydrate")]
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        if let Ok(json) = serde_json::to_string(list) {
            let _ = storage.set_item(STORAGE_KEY, &json);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (list, STORAGE_KEY);
}

/// Adds or removes an event; returns whether it is saved now.
pub fn toggle(event: SavedEvent) -> bool {
    let event_slug = event.slug.clone();
    let mut list = load();
    let saved = if let Some(at) = list.iter().position(|e| e.slug == event.slug) {
        list.remove(at);
        false
    } else {
        list.push(event);
        true
    };
    store(&list);
    if saved {
        ask_persistent_storage();
        count_save(&event_slug);
    }
    saved
}

/// Tells the server that an event was added (never removed), for its organizer's figures: a
/// beacon with the event's address and nothing else (`/api/audience`, server/src/audience.rs).
fn count_save(slug: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let body: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("slug", slug)
            .append_pair("kind", crate::audience::Kind::Save.as_str())
            .finish();
        let _ = window
            .navigator()
            .send_beacon_with_opt_str(AUDIENCE_BEACON, Some(&body));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (slug, AUDIENCE_BEACON);
}

/// Where the browser counts a save.
pub const AUDIENCE_BEACON: &str = "/api/audience";

/// Asks the browser to keep this site's storage (the saved events, the offline copy) when the
/// phone runs short of space (`navigator.storage.persist()`): asked when the visitor first
/// shows they care, by saving an event. The browser decides, often without a prompt.
fn ask_persistent_storage() {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().storage().persist();
    }
}

/// The .ics of a list of saved events (generated by the server from their slugs).
pub fn ics_href(list: &[SavedEvent]) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for e in list {
        query.append_pair("e", &e.slug);
    }
    format!("/mon-programme.ics?{}", query.finish())
}

/// True once the page runs in the browser (an Effect never runs on the server), so that
/// browser-only controls render the same as the server's HTML at hydration, then appear.
pub fn use_mounted() -> ReadSignal<bool> {
    #[cfg(feature = "hydrate")]
    let hydrating = Owner::current_shared_context().is_some_and(|sc| sc.get_is_hydrating());
    #[cfg(not(feature = "hydrate"))]
    let hydrating = true;
    let (mounted, set_mounted) = signal(!hydrating);
    if hydrating {
        Effect::new(move |_| set_mounted.set(true));
    }
    mounted
}

#[component]
pub fn MyProgrammePage() -> impl IntoView {
    view! {
        <Title text="Mon programme" />
        <MyProgramme />
    }
}

/// The saved events, read from this browser's storage: all of it is an island.
#[island(lazy)]
fn MyProgramme() -> impl IntoView {
    let mounted = use_mounted();
    let (list, set_list) = signal(Vec::<SavedEvent>::new());
    Effect::new(move |_| {
        set_list.set(load());
        // Then, online, what changed since they were saved (times, cancellations).
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            if let Some(fresh) = refresh_from_catalogue().await {
                set_list.set(fresh);
            }
        });
    });
    // Saved or removed in another tab of this browser (the browser tells the other tabs, never
    // the one that wrote).
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let handle = window_event_listener(leptos::ev::storage, move |e| {
            if e.key().is_none_or(|key| key == STORAGE_KEY) {
                set_list.set(load());
            }
        });
        on_cleanup(move || handle.remove());
    });
    let remove = move |event: SavedEvent| {
        toggle(event);
        set_list.set(load());
    };
    view! {
        <div class="fr-container fr-py-4w mip-empty-main">
            <h1>"Mon programme"</h1>
            <p class="fr-text--lead">
                "Les événements que vous avez ajoutés, jour par jour. Ils sont gardés dans ce \
                navigateur, sans compte, et restent consultables hors connexion."
            </p>
            // In the server's HTML; gone once the page runs in the browser.
            <Show when=move || !mounted.get()>
                <div class="fr-alert fr-alert--info fr-mb-3w">
                    <p>
                        "« Mon programme » est enregistré dans votre navigateur : activez JavaScript \
                        pour ajouter des événements et les retrouver ici."
                    </p>
                </div>
            </Show>
            <Show when=move || mounted.get()>
                {move || {
                    let events = list.get();
                    if events.is_empty() {
                        return view! {
                            <div class="fr-callout">
                                <p class="fr-callout__text">
                                    "Votre programme est vide. Depuis le programme ou la page d'un \
                                    événement, choisissez « Ajouter à mon programme »."
                                </p>
                                <a class="fr-btn" href="/programme">"Parcourir le programme"</a>
                            </div>
                        }
                            .into_any();
                    }
                    let href = ics_href(&events);
                    let count = fr::count(events.len() as i64, "événement", "événements");
                    let mut days: Vec<(chrono::NaiveDate, Vec<SavedEvent>)> = Vec::new();
                    for e in events {
                        match days.last_mut() {
                            Some((day, list)) if *day == e.start.date() => list.push(e),
                            _ => days.push((e.start.date(), vec![e])),
                        }
                    }
                    view! {
                        <p id="mon-programme-nombre" role="status">{count}</p>
                        <p>
                            <a class="fr-btn fr-btn--secondary fr-icon-calendar-line fr-btn--icon-left" href=href download="mon-programme.ics">
                                "Exporter dans mon agenda (.ics)"
                            </a>
                        </p>
                        {days
                            .into_iter()
                            .map(|(day, events)| {
                                view! {
                                    <section class="mip-day">
                                        <h2 class="fr-h5 mip-day__title">{fr::date_long(day)}</h2>
                                        <ul class="mip-saved-list">
                                            {events
                                                .into_iter()
                                                .map(|e| {
                                                    let to_remove = e.clone();
                                                    view! {
                                                        <li class="mip-saved">
                                                            <p class="fr-mb-0">
                                                                <a class="fr-link" href=format!("/evenements/{}", e.slug)>{e.title.clone()}</a>
                                                                {e.cancelled.then(|| view! { " " <span class="fr-badge fr-badge--sm fr-badge--error">"Annulé"</span> })}
                                                                {e.withdrawn.then(|| view! { " " <span class="fr-badge fr-badge--sm fr-badge--warning" data-withdrawn="">"Retiré du programme"</span> })}
                                                            </p>
                                                            <p class="fr-text--sm fr-mb-1w">{format!("{} · {}", when_label(e.start, e.end), e.place)}</p>
                                                            <button
                                                                type="button"
                                                                class="fr-btn fr-btn--sm fr-btn--tertiary-no-outline"
                                                                on:click=move |_| remove(to_remove.clone())
                                                            >
                                                                {format!("Retirer « {} »", e.title)}
                                                            </button>
                                                        </li>
                                                    }
                                                })
                                                .collect_view()}
                                        </ul>
                                    </section>
                                }
                            })
                            .collect_view()}
                    }
                        .into_any()
                }}
            </Show>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(start: &str) -> SavedEvent {
        let at = NaiveDateTime::parse_from_str(start, "%Y-%m-%dT%H:%M:%S").unwrap();
        SavedEvent {
            slug: "atelier".into(),
            title: "Atelier".into(),
            start: at,
            end: at + chrono::Duration::minutes(90),
            place: "Lyon".into(),
            cancelled: false,
            withdrawn: false,
        }
    }

    #[test]
    fn saved_events_are_stored_as_chrono_writes_them() {
        let saved = event("2026-11-10T09:30:00");
        let json = serde_json::to_string(&saved).unwrap();
        assert!(
            json.contains(r#""start":"2026-11-10T09:30:00","end":"2026-11-10T11:00:00""#),
            "{json}"
        );
        // What chrono's own serde wrote (the storage of earlier versions) reads back the same.
        let chrono_json = serde_json::json!({
            "slug": "atelier", "title": "Atelier", "place": "Lyon", "cancelled": false,
            "start": saved.start, "end": saved.end,
        });
        assert_eq!(
            serde_json::from_value::<SavedEvent>(chrono_json).unwrap(),
            saved
        );
        assert_eq!(serde_json::from_str::<SavedEvent>(&json).unwrap(), saved);
    }

    #[test]
    fn a_stored_time_is_read_strictly() {
        assert_eq!(
            crate::iso::date_time::parse("2026-11-10T09:30:00.250"),
            Some(event("2026-11-10T09:30:00").start)
        );
        for bad in [
            "",
            "2026-11-10",
            "2026-11-10 09:30:00",
            "2026-13-10T09:30:00",
            "2026-11-10T24:00:00",
            "2026-11-10T09:30:00Z",
            "+026-11-10T09:30:00",
            "2026-11-1xT09:30:00",
        ] {
            assert_eq!(crate::iso::date_time::parse(bad), None, "{bad}");
        }
    }
}

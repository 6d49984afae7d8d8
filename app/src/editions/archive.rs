//! `/editions`: every edition, and a search across all of them (SQLite FTS5 on the server).
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::events::model::EventCard;
use crate::events::pages::EventCardView;
use crate::fr;
use crate::pages::ErrorNotice;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditionSummary {
    pub edition: super::Edition,
    pub events: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub year: i32,
    pub card: EventCard,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArchiveData {
    pub editions: Vec<EditionSummary>,
    pub query: String,
    pub hits: Vec<SearchHit>,
}

/// The most results a search shows.
pub const MAX_HITS: i64 = 60;

#[server]
pub async fn get_archive(query: String) -> Result<ArchiveData, AppError> {
    crate::error::with_status(ssr::archive(query).await)
}

/// An FTS5 query from free text: each folded term as a quoted prefix, all required.
/// Quoting keeps FTS5's operators out of users' hands.
pub fn fts_query(text: &str) -> Option<String> {
    let terms = crate::programme::fold::query_terms(text);
    (!terms.is_empty()).then(|| {
        terms
            .iter()
            .map(|t| format!("\"{}\"*", t.replace('"', "")))
            .collect::<Vec<_>>()
            .join(" AND ")
    })
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::state::app_state;

    pub async fn archive(query: String) -> Result<ArchiveData, AppError> {
        let state = app_state()?;
        let years: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT e.year, (SELECT count(*) FROM events v WHERE v.edition_year = e.year \
                AND v.status = 'published') FROM editions e ORDER BY e.year DESC",
        )
        .fetch_all(&state.pool)
        .await?;
        let mut editions = Vec::new();
        for (year, events) in years {
            if let Some(edition) = crate::editions::db::by_year(&state.pool, year as i32).await? {
                editions.push(EditionSummary { edition, events });
            }
        }
        let query: String = query.trim().chars().take(200).collect();
        let hits = match fts_query(&query) {
            Some(fts) => crate::events::db::search(&state.pool, &fts, MAX_HITS).await?,
            None => Vec::new(),
        };
        Ok(ArchiveData {
            editions,
            query,
            hits: hits
                .into_iter()
                .map(|(year, card)| SearchHit { year, card })
                .collect(),
        })
    }
}

#[component]
pub fn ArchivePage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(
        move || query.read().get("q").unwrap_or_default(),
        get_archive,
    );
    view! {
        <Title text="Éditions précédentes" />
        <div class="fr-container fr-py-4w">
            <h1>"Toutes les éditions"</h1>
            <form method="get" action="/editions" role="search" class="fr-mb-4w">
                <div class="fr-search-bar" id="recherche-editions">
                    <label class="fr-label" for="q-editions">
                        "Rechercher un événement dans toutes les éditions"
                    </label>
                    <input
                        class="fr-input"
                        type="search"
                        id="q-editions"
                        name="q"
                        placeholder="Ex. : simplification, Guadeloupe, atelier…"
                        value=move || query.read().get("q").unwrap_or_default()
                    />
                    <button class="fr-btn" type="submit" title="Rechercher">"Rechercher"</button>
                </div>
            </form>
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(data) => view! { <Archive data /> }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn Archive(data: ArchiveData) -> impl IntoView {
    let searched = !data.query.is_empty();
    let n = data.hits.len() as i64;
    view! {
        {searched
            .then(|| {
                view! {
                    <section aria-labelledby="titre-resultats" class="fr-mb-6w">
                        <div role="status">
                            <h2 id="titre-resultats">
                                {format!("{} pour « {} »", fr::count(n, "résultat", "résultats"), data.query)}
                            </h2>
                        </div>
                        <ul class="mip-card-list">
                            {data
                                .hits
                                .clone()
                                .into_iter()
                                .map(|hit| {
                                    view! {
                                        <li>
                                            <p class="fr-badge fr-badge--sm fr-mb-1w">{format!("Édition {}", hit.year)}</p>
                                            <EventCardView card=hit.card heading_level=3 />
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    </section>
                }
            })}
        <section aria-labelledby="titre-editions">
            <h2 id="titre-editions">"Les éditions"</h2>
            <p class="fr-mb-2w">
                "Les bilans chiffrés : "
                {data.editions.iter().map(|s| {
                    let y = s.edition.year;
                    view! { <a class="fr-link fr-mr-2w" href=format!("/editions/{y}/bilan")>{format!("bilan {y}")}</a> }
                }).collect_view()}
            </p>
            <ul class="mip-card-list">
                {data
                    .editions
                    .into_iter()
                    .map(|s| {
                        let e = s.edition;
                        view! {
                            <li>
                                <div class="fr-card fr-enlarge-link">
                                    <div class="fr-card__body">
                                        <div class="fr-card__content">
                                            <h3 class="fr-card__title">
                                                <a href=format!("/editions/{}", e.year)>{format!("Édition {}", e.year)}</a>
                                            </h3>
                                            <p class="fr-card__desc">
                                                {format!(
                                                    "{}, {}. Thème de l'année : {}.",
                                                    e.ordinal_label(),
                                                    fr::date_range(e.starts_on, e.ends_on),
                                                    e.theme_of_year.clone().unwrap_or_else(|| "—".into()),
                                                )}
                                            </p>
                                            <div class="fr-card__end">
                                                <p class="fr-card__detail">{fr::count(s.events, "événement publié", "événements publiés")}</p>
                                            </div>
                                        </div>
                                    </div>
                                </div>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn search_text_becomes_a_safe_prefix_query() {
        assert_eq!(
            fts_query("Égalité ateliers").as_deref(),
            Some("\"egalite\"* AND \"atelier\"*")
        );
        assert_eq!(fts_query("  "), None);
        // FTS5 syntax typed by a user stays plain words.
        assert_eq!(
            fts_query("a OR b NEAR(\"x\")").as_deref(),
            Some("\"or\"* AND \"near\"*")
        );
    }
}

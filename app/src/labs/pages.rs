//! `/labs` (the atlas: filters, map, list) and `/labs/{slug}` (a lab and its events).
//! Server-rendered with GET filters: complete without JavaScript, cacheable.
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use super::server::{get_lab, labs_atlas};
use super::{Atlas, LabCard, LabDetail};
use crate::events::pages::EventCardView;
use crate::fr;
use crate::pages::ErrorNotice;
use crate::programme::map_data::{shape, METRO_REGIONS, OVERSEAS_REGIONS, SPRITE_URL, VIEW_BOX};

#[component]
pub fn AtlasPage() -> impl IntoView {
    let query = use_query_map();
    let params = move || {
        query.with(|q| {
            (
                q.get("region").unwrap_or_default(),
                q.get("type").unwrap_or_default(),
            )
        })
    };
    let data = Resource::new(params, |(region, lab_type)| labs_atlas(region, lab_type));
    view! {
        <Title text="Atlas des labs" />
        <Meta
            name="description"
            content="L'Atlas des laboratoires d'innovation publique : leur structure, leur région, leur site et leurs événements."
        />
        <Suspense fallback=|| view! { <div class="fr-container fr-py-6w"><p>"Chargement…"</p></div> }>
            {move || Suspend::new(async move {
                let (region, lab_type) = params();
                match data.await {
                    Ok(atlas) => view! { <AtlasView atlas region lab_type /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AtlasView(atlas: Atlas, region: String, lab_type: String) -> impl IntoView {
    let shown = atlas.labs.len();
    let heading = if shown == atlas.total {
        fr::count(shown as i64, "laboratoire", "laboratoires")
    } else {
        format!(
            "{} sur {}",
            fr::count(shown as i64, "laboratoire", "laboratoires"),
            atlas.total
        )
    };
    let filtered = !region.is_empty() || !lab_type.is_empty();
    view! {
        <div class="fr-container fr-py-6w">
            <h1>"Atlas des labs"</h1>
            <p class="fr-text--lead">
                "Les laboratoires d'innovation publique : ministériels, territoriaux, hospitaliers, universitaires… Ils accompagnent les services publics dans leurs projets et organisent une partie du programme du Mois."
            </p>
            <form method="get" action="/labs" class="mip-queue-filters fr-mb-4w" aria-label="Filtrer les laboratoires">
                <div class="fr-select-group">
                    <label class="fr-label" for="region">"Région"</label>
                    <select class="fr-select" id="region" name="region">
                        <option value="" selected=region.is_empty()>"Toutes les régions"</option>
                        {atlas.regions.iter().map(|(code, name, n)| {
                            let selected = *code == region;
                            view! { <option value=code.clone() selected=selected>{format!("{name} ({n})")}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="fr-select-group">
                    <label class="fr-label" for="type">"Type de laboratoire"</label>
                    <select class="fr-select" id="type" name="type">
                        <option value="" selected=lab_type.is_empty()>"Tous les types"</option>
                        {atlas.types.iter().map(|(slug, label, n)| {
                            let selected = *slug == lab_type;
                            view! { <option value=slug.clone() selected=selected>{format!("{label} ({n})")}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <button class="fr-btn fr-btn--secondary" type="submit">"Filtrer"</button>
                {filtered.then(|| view! { <a class="fr-link" href="/labs">"Tout afficher"</a> })}
            </form>
            // The count changes with the filters: announced (a live region around the
            // heading; a heading cannot be one itself).
            <div role="status"><h2 class="fr-h4" id="labs-titre">{heading}</h2></div>
            <div class="fr-grid-row fr-grid-row--gutters">
                <div class="fr-col-12 fr-col-lg-5">
                    <LabsMap labs=atlas.labs.clone() />
                </div>
                <div class="fr-col-12 fr-col-lg-7">
                    <ul class="mip-lab-list" aria-labelledby="labs-titre">
                        {atlas.labs.into_iter().map(|lab| view! { <li><LabSummary lab /></li> }).collect_view()}
                    </ul>
                </div>
            </div>
        </div>
    }
}

#[component]
fn LabSummary(lab: LabCard) -> impl IntoView {
    view! {
        <div class="fr-card fr-card--horizontal fr-enlarge-link fr-mb-2w" data-lab=lab.slug.clone()>
            <div class="fr-card__body">
                <div class="fr-card__content">
                    <h3 class="fr-card__title">
                        <a href=format!("/labs/{}", lab.slug)>{lab.name.clone()}</a>
                    </h3>
                    <p class="fr-card__desc">{lab.description.clone()}</p>
                    <div class="fr-card__start">
                        <p class="fr-badge fr-badge--no-icon fr-badge--sm">{lab.lab_type.clone()}</p>
                    </div>
                    <div class="fr-card__end">
                        <p class="fr-card__detail fr-icon-building-line">{lab.host.clone()}</p>
                        <p class="fr-card__detail fr-icon-map-pin-2-line">{format!("{} ({})", lab.city, lab.region)}</p>
                        {lab.website.clone().map(|w| view! { <p class="fr-card__detail fr-icon-global-line">{w}</p> })}
                    </div>
                </div>
            </div>
        </div>
    }
}

/// The regions map with one point per lab (metropolitan labs placed by their coordinates;
/// overseas ones counted in the insets).
#[component]
fn LabsMap(labs: Vec<LabCard>) -> impl IntoView {
    let parts: Vec<f32> = VIEW_BOX.split(' ').filter_map(|p| p.parse().ok()).collect();
    let (w, h) = (
        parts.get(2).copied().unwrap_or(613.0),
        parts.get(3).copied().unwrap_or(585.0),
    );
    let inset_w = w / OVERSEAS_REGIONS.len() as f32;
    let placed = labs.iter().filter(|l| l.point.is_some()).count();
    view! {
        <figure class="mip-map">
            <svg viewBox=format!("0 0 {w} {}", h + 80.0) class="mip-map__svg" role="img" aria-labelledby="carte-labs-titre">
                <title id="carte-labs-titre">
                    {format!("Carte des laboratoires : {placed} placés en métropole, les autres en outre-mer (liste à côté)")}
                </title>
                {METRO_REGIONS.iter().map(|s| view! {
                    <use href=format!("{SPRITE_URL}#r-{}", s.code) class="mip-map__land"></use>
                }).collect_view()}
                {labs.iter().filter_map(|l| l.point.map(|(x, y)| view! {
                    <circle cx=x cy=y r="5" class="mip-map__lab"><title>{l.name.clone()}</title></circle>
                })).collect_view()}
                {OVERSEAS_REGIONS.iter().enumerate().map(|(i, code)| {
                    let n = labs.iter().filter(|l| l.region_code == *code).count();
                    let x = i as f32 * inset_w;
                    let name = labs.iter().find(|l| l.region_code == *code).map(|l| l.region.clone())
                        .unwrap_or_else(|| overseas_name(code).to_string());
                    view! {
                        <g>
                            <rect x=x + 4.0 y=h + 4.0 width=inset_w - 8.0 height="70" rx="4" class="mip-map__inset"></rect>
                            <text x=x + inset_w / 2.0 y=h + 30.0 text-anchor="middle" class="mip-map__inset-name">{name}</text>
                            <text x=x + inset_w / 2.0 y=h + 58.0 text-anchor="middle" class="mip-map__count">{n}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
        </figure>
    }
}

fn overseas_name(code: &str) -> &'static str {
    match code {
        "01" => "Guadeloupe",
        "02" => "Martinique",
        "03" => "Guyane",
        "04" => "La Réunion",
        "06" => "Mayotte",
        _ => "",
    }
}

#[component]
pub fn LabPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.with(|p| p.get("slug")).unwrap_or_default();
    let data = Resource::new(slug, get_lab);
    view! {
        <Suspense fallback=|| view! { <div class="fr-container fr-py-6w"><p>"Chargement…"</p></div> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(detail) => view! { <LabView detail /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn LabView(detail: LabDetail) -> impl IntoView {
    let lab = detail.lab;
    let _ = shape;
    let events = detail.events;
    view! {
        <Title text=lab.name.clone() />
        <Meta name="description" content=lab.description.clone() />
        <div class="fr-container fr-py-6w">
            <nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
                <ol class="fr-breadcrumb__list">
                    <li><a class="fr-breadcrumb__link" href="/labs">"Atlas des labs"</a></li>
                    <li><a class="fr-breadcrumb__link" aria-current="page">{lab.name.clone()}</a></li>
                </ol>
            </nav>
            <h1>{lab.name.clone()}</h1>
            <p class="fr-badge fr-badge--no-icon">{lab.lab_type.clone()}</p>
            <p class="fr-text--lead fr-mt-2w">{lab.description.clone()}</p>
            <dl class="mip-lab-facts">
                <dt>"Structure porteuse"</dt><dd>{lab.host.clone()}</dd>
                <dt>"Lieu"</dt><dd>{format!("{} ({})", lab.city, lab.region)}</dd>
                {lab.created_year.map(|y| view! { <dt>"Création"</dt><dd>{y}</dd> })}
                {lab.website.clone().map(|u| view! {
                    <dt>"Site"</dt>
                    <dd><a class="fr-link" href=u.clone() rel="noopener">{u.clone()}</a></dd>
                })}
            </dl>
            <h2 class="fr-h4 fr-mt-4w">"Ses événements du Mois"</h2>
            {if events.is_empty() {
                view! { <p>"Aucun événement publié n'est encore rattaché à ce laboratoire."</p> }.into_any()
            } else {
                view! {
                    <ul class="mip-card-list">
                        {events.into_iter().map(|(year, card)| view! {
                            <li data-edition=year><EventCardView card heading_level=3 /></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </div>
    }
}

//! The audience figures as pages show them: the dashboard's table, an event's page (a chart
//! with its data table and a CSV), and the edition report's section for staff.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::model::*;
use crate::error::AppError;
use crate::fr;
use crate::pages::ErrorNotice;

/// What the figures count and what they never keep, as the pages say it.
const PRIVACY_NOTE: &str = "Ces chiffres sont des compteurs agrégés par jour : aucun cookie, \
    aucun identifiant ni adresse IP n'est conservé. Les robots d'indexation ne sont pas comptés.";

fn figure_cells(figures: Figures) -> impl IntoView {
    Kind::ALL
        .into_iter()
        .map(|kind| view! { <td data-kind=kind.as_str()>{fr::number(figures.get(kind))}</td> })
        .collect_view()
}

fn kind_headers() -> impl IntoView {
    Kind::ALL
        .into_iter()
        .map(|kind| view! { <th scope="col">{kind.label()}</th> })
        .collect_view()
}

/// The dashboard's lines, read directly on the server (a failure hides the table and leaves
/// the dashboard's status alone).
async fn dashboard_lines() -> Result<Vec<AudienceLine>, AppError> {
    #[cfg(feature = "ssr")]
    return super::server::imp::lines().await;
    #[cfg(not(feature = "ssr"))]
    return super::server::organizer_audience().await;
}

/// « Audience de mes événements » on the dashboard: a total per public event.
#[component]
pub fn DashboardAudience() -> impl IntoView {
    let lines = Resource::new(|| (), |_| dashboard_lines());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                lines.await.ok().filter(|l| !l.is_empty()).map(|lines| view! { <DashboardTable lines /> })
            })}
        </Suspense>
    }
}

#[component]
fn DashboardTable(lines: Vec<AudienceLine>) -> impl IntoView {
    view! {
        <section class="fr-mb-4w" id="audience">
            <h2 class="fr-h4">"Audience de mes événements publiés"</h2>
            <p class="fr-text--sm">{PRIVACY_NOTE}</p>
            <div class="fr-table fr-table--sm">
                <table>
                    <caption class="fr-sr-only">"Audience de mes événements publiés, depuis leur publication"</caption>
                    <thead><tr><th scope="col">"Événement"</th>{kind_headers()}</tr></thead>
                    <tbody>
                        {lines.into_iter().map(|line| view! {
                            <tr data-audience-event=line.id>
                                <th scope="row">
                                    <a class="fr-link" href=format!("/organisateur/evenements/{}/audience", line.id)>
                                        {line.title.clone()}<span class="fr-sr-only">" : audience jour par jour"</span>
                                    </a>
                                </th>
                                {figure_cells(line.totals)}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// `/organisateur/evenements/{id}/audience`: one event's figures day by day.
#[component]
pub fn EventAudiencePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .with(|p| p.get("id"))
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let data = Resource::new(id, super::server::event_audience_figures);
    view! {
        <Suspense fallback=|| view! { <div class="fr-container fr-py-6w"><p>"Chargement…"</p></div> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(audience) => view! { <EventAudienceView audience /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EventAudienceView(audience: EventAudience) -> impl IntoView {
    let csv = format!("/organisateur/evenements/{}/audience.csv", audience.id);
    let totals = audience.totals;
    view! {
        <Title text=format!("Audience – {}", audience.title) />
        <div class="fr-container fr-py-6w">
            <nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
                <ol class="fr-breadcrumb__list">
                    <li><a class="fr-breadcrumb__link" href="/organisateur">"Espace organisateur"</a></li>
                    <li><a class="fr-breadcrumb__link" href=format!("/organisateur/evenements/{}", audience.id)>{audience.title.clone()}</a></li>
                    <li><a class="fr-breadcrumb__link" aria-current="page">"Audience"</a></li>
                </ol>
            </nav>
            <h1>{format!("Audience : {}", audience.title)}</h1>
            <p>{PRIVACY_NOTE}</p>
            <p><a class="fr-link" href=format!("/evenements/{}", audience.slug)>"Voir la page publique de l'événement"</a></p>
            <ul class="mip-report-figures">
                {Kind::ALL.into_iter().map(|kind| view! {
                    <li><strong data-total=kind.as_str()>{fr::number(totals.get(kind))}</strong>" "{kind.phrase()}</li>
                }).collect_view()}
            </ul>
            {if audience.days.is_empty() {
                view! { <p>"Aucune visite n'a encore été comptée pour cet événement."</p> }.into_any()
            } else {
                view! { <DaysChart days=audience.days.clone() /> }.into_any()
            }}
            <p>
                <a class="fr-link fr-icon-download-line fr-link--icon-left" href=csv download=format!("audience-{}.csv", audience.slug)>
                    "Télécharger les chiffres par jour (CSV)"
                </a>
            </p>
        </div>
    }
}

/// The page views per day as vertical bars (SVG with its title), then every figure per day
/// in its data table.
#[component]
fn DaysChart(days: Vec<DayFigures>) -> impl IntoView {
    let max = days
        .iter()
        .map(|d| d.figures.views)
        .max()
        .unwrap_or(1)
        .max(1);
    let col = 24i64;
    let height = 160i64;
    // A month's width at least: a few days keep narrow bars, not one bar the page's width.
    let width = (days.len() as i64).max(30) * col;
    let bars = days
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let h = ((d.figures.views as f64 / max as f64) * (height - 30) as f64).round() as i64;
            let x = i as i64 * col;
            view! {
                <g>
                    <rect x=x + 3 y=height - 20 - h width=col - 6 height=h.max(0) class="mip-chart__bar"></rect>
                    <text x=x + col / 2 y=height - 5 text-anchor="middle" class="mip-chart__axis">{d.day.format("%d").to_string()}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="mip-chart fr-mb-4w" id="graphique-audience">
            <h2 class="fr-h4" id="graphique-audience-titre">"Vues de la page par jour"</h2>
            <svg role="img" aria-labelledby="graphique-audience-titre" viewBox=format!("0 0 {width} {height}") class="mip-chart__svg">
                {bars}
            </svg>
            <div class="fr-table fr-table--sm fr-mt-2w">
                <table>
                    <caption>"Chiffres par jour (heure de Paris)"</caption>
                    <thead><tr><th scope="col">"Jour"</th>{kind_headers()}</tr></thead>
                    <tbody>
                        {days.iter().map(|d| view! {
                            <tr data-day=d.day.to_string()><th scope="row">{fr::date_long(d.day)}</th>{figure_cells(d.figures)}</tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </figure>
    }
}

/// The report's figures, read directly on the server: nothing for visitors and organizers
/// (and no status set on the public page).
async fn report_audience(year: i32) -> Option<EditionAudience> {
    #[cfg(feature = "ssr")]
    return super::server::imp::edition(year).await.ok();
    #[cfg(not(feature = "ssr"))]
    return super::server::edition_audience_figures(year).await.ok();
}

/// The edition report's audience section, for moderators and administrators only.
#[component]
pub fn ReportAudience(year: i32) -> impl IntoView {
    let data = Resource::new(move || year, report_audience);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move { data.await.map(|audience| view! { <ReportAudienceView audience /> }) })}
        </Suspense>
    }
}

#[component]
fn ReportAudienceView(audience: EditionAudience) -> impl IntoView {
    let totals = audience.totals;
    view! {
        <section class="fr-mt-6w" id="audience">
            <h2>"Audience des événements"</h2>
            <p class="fr-text--sm">"Visible des modérateurs et des administrateurs. " {PRIVACY_NOTE}</p>
            <ul class="mip-report-figures">
                {Kind::ALL.into_iter().map(|kind| view! {
                    <li><strong data-audience-total=kind.as_str()>{fr::number(totals.get(kind))}</strong>" "{kind.phrase()}</li>
                }).collect_view()}
            </ul>
            <RowsTable id="plus-vus" title="Les événements les plus vus" rows=audience.most_viewed first="Événement" />
            <RowsTable id="plus-enregistres" title="Les événements les plus ajoutés à « Mon programme »" rows=audience.most_saved first="Événement" />
            <RowsChart id="audience-themes" title="Vues par thème" rows=audience.by_theme first="Thème" />
            <RowsChart id="audience-regions" title="Vues par région" rows=audience.by_region first="Région" />
        </section>
    }
}

#[component]
fn RowsTable(
    id: &'static str,
    title: &'static str,
    rows: Vec<Row>,
    first: &'static str,
) -> impl IntoView {
    view! {
        <div class="fr-table fr-table--sm fr-mb-4w" id=id>
            <table>
                <caption>{title}</caption>
                <thead><tr><th scope="col">{first}</th>{kind_headers()}</tr></thead>
                <tbody>
                    {rows.into_iter().map(|row| view! {
                        <tr data-audience-row=row.slug.clone().unwrap_or_else(|| row.label.clone())>
                            <th scope="row">
                                {match row.slug.clone() {
                                    Some(slug) => view! { <a href=format!("/evenements/{slug}")>{row.label.clone()}</a> }.into_any(),
                                    None => row.label.clone().into_any(),
                                }}
                            </th>
                            {figure_cells(row.figures)}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Views by theme or region as horizontal bars (SVG with its title), then the data table.
#[component]
fn RowsChart(
    id: &'static str,
    title: &'static str,
    rows: Vec<Row>,
    first: &'static str,
) -> impl IntoView {
    let max = rows
        .iter()
        .map(|r| r.figures.views)
        .max()
        .unwrap_or(1)
        .max(1);
    let (row_height, label_width, bar_width) = (28i64, 300i64, 360i64);
    let height = (rows.len() as i64 * row_height).max(row_height);
    let title_id = format!("graphique-{id}-titre");
    let bars = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let y = i as i64 * row_height;
            let w = ((r.figures.views as f64 / max as f64) * bar_width as f64).round() as i64;
            view! {
                <g>
                    <text x=label_width - 8 y=y + 18 text-anchor="end" class="mip-chart__label">{r.label.clone()}</text>
                    <rect x=label_width y=y + 5 width=w.max(1) height=row_height - 10 class="mip-chart__bar"></rect>
                    <text x=label_width + w + 6 y=y + 18 class="mip-chart__value">{r.figures.views}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="mip-chart fr-mb-6w" id=format!("graphique-{id}")>
            <h3 class="fr-h5" id=title_id.clone()>{title}</h3>
            <svg role="img" aria-labelledby=title_id viewBox=format!("0 0 {} {height}", label_width + bar_width + 60) preserveAspectRatio="xMinYMin meet" class="mip-chart__svg">
                {bars}
            </svg>
            <RowsTable id=id title=title rows=rows first=first />
        </figure>
    }
}

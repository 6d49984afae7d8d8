//! The edition report (`/editions/{annee}/bilan`): events by theme, region, format, mode,
//! organizer type, audience and day; organizers and structures. Charts are SVG with a title,
//! and each comes with its data table; the figures are downloadable as CSV.
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use super::Edition;
use crate::error::AppError;
use crate::fr;
use crate::pages::ErrorNotice;

/// One count of a breakdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    pub label: String,
    pub events: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breakdown {
    /// Stable key (`themes`, `regions`…), used in the CSV and in ids.
    pub key: String,
    pub title: String,
    pub counts: Vec<Count>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub edition: Edition,
    /// Published events (cancelled ones are not counted: they did not take place).
    pub events: i64,
    /// Organizer accounts with at least one published event.
    pub organizers: i64,
    /// Distinct organizing structures.
    pub structures: i64,
    pub breakdowns: Vec<Breakdown>,
    /// Events per day of the month (by their start, in Paris time).
    pub by_day: Vec<(NaiveDate, i64)>,
    /// Published events whose organizing structure is not known (archive editions).
    #[serde(default)]
    pub unknown_structures: i64,
    /// When an administrator froze the figures (« Figer le bilan »), RFC 3339.
    pub frozen_at: Option<String>,
}

impl Report {
    /// The figures as CSV rows: `dimension;valeur;evenements` (French spreadsheet style).
    pub fn csv_rows(&self) -> Vec<[String; 3]> {
        let mut rows = vec![
            [
                "total".to_string(),
                "événements publiés".to_string(),
                self.events.to_string(),
            ],
            [
                "total".to_string(),
                "organisateurs".to_string(),
                self.organizers.to_string(),
            ],
            [
                "total".to_string(),
                "structures".to_string(),
                self.structures.to_string(),
            ],
        ];
        for b in &self.breakdowns {
            for c in &b.counts {
                rows.push([b.key.clone(), c.label.clone(), c.events.to_string()]);
            }
        }
        for (day, n) in &self.by_day {
            rows.push(["jours".to_string(), day.to_string(), n.to_string()]);
        }
        rows
    }
}

#[server(endpoint = "editions/bilan")]
pub async fn edition_report(year: i32) -> Result<Report, AppError> {
    crate::server_fn::public(crate::server_fn::Reply::Data, async |state| {
        ssr::report(&state.pool, year).await
    })
    .await
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::*;
    use chrono::{DateTime, Utc};
    use sqlx::SqlitePool;

    macro_rules! breakdown {
        ($join:literal, $label:literal, $order:literal) => {
            concat!(
                "SELECT ",
                $label,
                " AS label, count(DISTINCT e.id) AS events FROM events e ",
                $join,
                " WHERE e.edition_year = ? AND e.status = 'published' GROUP BY ",
                $label,
                " ORDER BY events DESC, ",
                $order
            )
        };
    }

    async fn counts(
        pool: &SqlitePool,
        sql: &'static str,
        year: i32,
    ) -> Result<Vec<Count>, AppError> {
        let rows: Vec<(String, i64)> = sqlx::query_as(sql).bind(year).fetch_all(pool).await?;
        Ok(rows
            .into_iter()
            .map(|(label, events)| Count { label, events })
            .collect())
    }

    /// The figures as the database holds them now.
    pub async fn compute(pool: &SqlitePool, edition: Edition) -> Result<Report, AppError> {
        let year = edition.year;
        let (events, organizers, structures): (i64, i64, i64) = sqlx::query_as(
            "SELECT count(*), count(DISTINCT organizer_id), \
                count(DISTINCT nullif(lower(trim(structure_name)), '')) \
             FROM events WHERE edition_year = ? AND status = 'published'",
        )
        .bind(year)
        .fetch_one(pool)
        .await?;
        // Archive events whose structure history does not tell: not a structure.
        let unknown_structures: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM events \
             WHERE edition_year = ? AND status = 'published' AND trim(structure_name) = ''",
        )
        .bind(year)
        .fetch_one(pool)
        .await?;
        let mut breakdowns = Vec::new();
        let specs: [(&str, &str, &'static str); 6] = [
            ("themes", "Par thème", breakdown!("JOIN event_themes et ON et.event_id = e.id JOIN themes t ON t.id = et.theme_id", "t.label", "min(t.position)")),
            ("regions", "Par région", breakdown!("JOIN regions r ON r.code = e.region_code", "r.name", "min(r.sort_order)")),
            ("formats", "Par format", breakdown!("JOIN formats f ON f.id = e.format_id", "f.label", "min(f.position)")),
            ("modes", "Par modalité", breakdown!("", "CASE e.mode WHEN 'presentiel' THEN 'Présentiel' WHEN 'en_ligne' THEN 'En ligne' ELSE 'Hybride' END", "1")),
            ("types", "Par type de structure", breakdown!("JOIN organizer_types o ON o.id = e.organizer_type_id", "o.label", "min(o.position)")),
            // An archive event's unknown audience is counted apart, last: « Non renseigné ».
            ("publics", "Par public", "SELECT coalesce(a.label, 'Non renseigné') AS label, count(DISTINCT e.id) AS events \
                FROM events e LEFT JOIN audiences a ON a.id = e.audience_id \
                WHERE e.edition_year = ? AND e.status = 'published' \
                GROUP BY a.id ORDER BY a.id IS NULL, events DESC, min(a.position)"),
        ];
        for (key, title, sql) in specs {
            breakdowns.push(Breakdown {
                key: key.into(),
                title: title.into(),
                counts: counts(pool, sql, year).await?,
            });
        }
        let starts: Vec<DateTime<Utc>> = sqlx::query_scalar(
            "SELECT starts_at FROM events WHERE edition_year = ? AND status = 'published'",
        )
        .bind(year)
        .fetch_all(pool)
        .await?;
        let mut by_day: Vec<(NaiveDate, i64)> = Vec::new();
        let mut day = edition.starts_on;
        while day <= edition.ends_on {
            by_day.push((day, 0));
            day = day.succ_opt().expect("dates");
        }
        for at in starts {
            let d = crate::events::tz::paris_date(at);
            match by_day.iter_mut().find(|(day, _)| *day == d) {
                Some(entry) => entry.1 += 1,
                None => by_day.push((d, 1)),
            }
        }
        by_day.sort();
        Ok(Report {
            edition,
            events,
            organizers,
            structures,
            breakdowns,
            by_day,
            unknown_structures,
            frozen_at: None,
        })
    }

    /// The report of `year`: computed from the data, unless an administrator froze it
    /// (« Figer le bilan »): then the figures as they were at that moment.
    pub async fn report(pool: &SqlitePool, year: i32) -> Result<Report, AppError> {
        let edition = crate::editions::db::by_year(pool, year)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("Il n'y a pas d'édition {year}.")))?;
        let frozen: Option<String> =
            sqlx::query_scalar("SELECT report_json FROM edition_reports WHERE year = ?")
                .bind(year)
                .fetch_optional(pool)
                .await?;
        if let Some(json) = frozen {
            if let Ok(mut report) = serde_json::from_str::<Report>(&json) {
                // The edition itself (its dates, its theme) is today's.
                report.edition = edition;
                return Ok(report);
            }
        }
        compute(pool, edition).await
    }

    /// Freezes the report of `year` with the figures of `now` (again: « Recalculer »
    /// replaces the frozen figures with today's).
    pub async fn freeze(pool: &SqlitePool, year: i32, now: DateTime<Utc>) -> Result<(), AppError> {
        let edition = crate::editions::db::by_year(pool, year)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("Il n'y a pas d'édition {year}.")))?;
        let at = crate::time::timestamp(now);
        let mut report = compute(pool, edition).await?;
        report.frozen_at = Some(at.clone());
        let json = serde_json::to_string(&report).map_err(|e| AppError::internal("report", e))?;
        sqlx::query(
            "INSERT INTO edition_reports (year, report_json, frozen_at) VALUES (?, ?, ?) \
             ON CONFLICT (year) DO UPDATE SET report_json = excluded.report_json, frozen_at = excluded.frozen_at",
        )
        .bind(year)
        .bind(json)
        .bind(at)
        .execute(pool)
        .await?;
        Ok(())
    }

    /// The report of `year` follows the data again.
    pub async fn unfreeze(pool: &SqlitePool, year: i32) -> Result<(), AppError> {
        sqlx::query("DELETE FROM edition_reports WHERE year = ?")
            .bind(year)
            .execute(pool)
            .await?;
        Ok(())
    }
}

/// A horizontal bar chart (SVG) with its title, then its data table.
#[component]
fn BarChart(breakdown: Breakdown) -> impl IntoView {
    let max = breakdown
        .counts
        .iter()
        .map(|c| c.events)
        .max()
        .unwrap_or(1)
        .max(1);
    let row_height = 28;
    let label_width = 300;
    let bar_width = 360;
    let height = (breakdown.counts.len() as i32 * row_height).max(row_height);
    let id = format!("graphique-{}", breakdown.key);
    let title_id = format!("{id}-titre");
    let bars = breakdown
        .counts
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let y = i as i32 * row_height;
            let w = ((c.events as f64 / max as f64) * bar_width as f64).round() as i64;
            view! {
                <g>
                    <text x=label_width - 8 y=y + 18 text-anchor="end" class="mip-chart__label">{c.label.clone()}</text>
                    <rect x=label_width y=y + 5 width=w.max(1) height=row_height - 10 class="mip-chart__bar"></rect>
                    <text x=label_width as i64 + w + 6 y=y + 18 class="mip-chart__value">{c.events}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="mip-chart fr-mb-6w" id=id.clone()>
            <h2 class="fr-h4" id=title_id.clone()>{breakdown.title.clone()}</h2>
            <svg
                role="img"
                aria-labelledby=title_id
                viewBox=format!("0 0 {} {}", label_width + bar_width + 60, height)
                preserveAspectRatio="xMinYMin meet"
                class="mip-chart__svg"
            >
                {bars}
            </svg>
            <details class="fr-mt-1w">
                <summary>"Données du graphique"</summary>
                <div class="fr-table fr-table--sm">
                    <table>
                        <caption class="fr-sr-only">{breakdown.title.clone()}</caption>
                        <thead><tr><th scope="col">"Valeur"</th><th scope="col">"Événements"</th></tr></thead>
                        <tbody>
                            {breakdown.counts.iter().map(|c| view! {
                                <tr><th scope="row">{c.label.clone()}</th><td>{c.events}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        </figure>
    }
}

/// Events per day: vertical bars.
#[component]
fn DayChart(days: Vec<(NaiveDate, i64)>) -> impl IntoView {
    let max = days.iter().map(|d| d.1).max().unwrap_or(1).max(1);
    let col = 24;
    let height = 160;
    let width = days.len() as i64 * col;
    let bars = days
        .iter()
        .enumerate()
        .map(|(i, (day, n))| {
            let h = ((*n as f64 / max as f64) * (height - 30) as f64).round() as i64;
            let x = i as i64 * col;
            view! {
                <g>
                    <rect x=x + 3 y=height - 20 - h width=col - 6 height=h.max(0) class="mip-chart__bar"></rect>
                    <text x=x + col / 2 y=height - 5 text-anchor="middle" class="mip-chart__axis">{day.format("%d").to_string()}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="mip-chart fr-mb-6w" id="graphique-jours">
            <h2 class="fr-h4" id="graphique-jours-titre">"Par jour"</h2>
            <svg role="img" aria-labelledby="graphique-jours-titre" viewBox=format!("0 0 {width} {height}") class="mip-chart__svg">
                {bars}
            </svg>
            <details class="fr-mt-1w">
                <summary>"Données du graphique"</summary>
                <div class="fr-table fr-table--sm">
                    <table>
                        <caption class="fr-sr-only">"Événements par jour"</caption>
                        <thead><tr><th scope="col">"Jour"</th><th scope="col">"Événements"</th></tr></thead>
                        <tbody>
                            {days.iter().map(|(d, n)| view! { <tr><th scope="row">{fr::date_long(*d)}</th><td>{*n}</td></tr> }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        </figure>
    }
}

#[component]
pub fn ReportPage() -> impl IntoView {
    let params = use_params_map();
    let year = move || {
        params
            .with(|p| p.get("annee"))
            .and_then(|y| y.parse::<i32>().ok())
            .unwrap_or(0)
    };
    let data = Resource::new(year, edition_report);
    view! {
        <Suspense fallback=|| view! { <div class="fr-container fr-py-6w"><p>"Chargement…"</p></div> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(report) => view! { <ReportView report /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ReportView(report: Report) -> impl IntoView {
    let year = report.edition.year;
    let title = format!("Bilan du Mois de l'innovation publique {year}");
    let top = report
        .breakdowns
        .iter()
        .find(|b| b.key == "themes")
        .and_then(|b| b.counts.first().cloned());
    view! {
        <Title text=title.clone() />
        <Meta name="description" content=format!("Les chiffres du Mois de l'innovation publique {year} : événements par thème, région, format, public et jour.") />
        <div class="fr-container fr-py-6w">
            <nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
                <ol class="fr-breadcrumb__list">
                    <li><a class="fr-breadcrumb__link" href="/editions">"Éditions"</a></li>
                    <li><a class="fr-breadcrumb__link" href=format!("/editions/{year}")>{year.to_string()}</a></li>
                    <li><a class="fr-breadcrumb__link" aria-current="page">"Bilan"</a></li>
                </ol>
            </nav>
            <h1>{title}</h1>
            <p class="fr-text--lead">
                {format!("{}, {}.", report.edition.ordinal_label(), fr::date_range(report.edition.starts_on, report.edition.ends_on))}
                {report.edition.theme_of_year.clone().map(|t| format!(" Thème de l'année : {t}."))}
            </p>
            <ul class="mip-report-figures">
                <li><strong data-figure="events">{fr::number(report.events)}</strong>" "{fr::noun(report.events, "événement publié", "événements publiés")}</li>
                <li>
                    <strong data-figure="structures">{fr::number(report.structures)}</strong>" "{fr::noun(report.structures, "structure organisatrice", "structures organisatrices")}
                    {(report.unknown_structures > 0).then(|| view! {
                        <span class="fr-text--sm" data-figure="unknown-structures">{format!(" (et {} dont la structure n'est pas renseignée)", fr::count(report.unknown_structures, "événement", "événements"))}</span>
                    })}
                </li>
                <li><strong data-figure="organizers">{fr::number(report.organizers)}</strong>" "{fr::noun(report.organizers, "compte organisateur", "comptes organisateurs")}</li>
            </ul>
            {top.map(|c| view! {
                <p>{format!("Le thème le plus traité : « {} », avec {}.", c.label, fr::count(c.events, "événement", "événements"))}</p>
            })}
            <p>
                <a class="fr-link fr-icon-download-line fr-link--icon-left" href=format!("/editions/{year}/bilan.csv") download=format!("bilan-{year}.csv")>
                    "Télécharger les chiffres (CSV)"
                </a>
                {report.frozen_at.clone().map(|at| view! { <span class="fr-text--sm">{format!(" · Chiffres arrêtés le {}.", NaiveDate::parse_from_str(at.get(..10).unwrap_or(""), "%Y-%m-%d").map(fr::date_long).unwrap_or_default())}</span> })}
            </p>
            {report.breakdowns.into_iter().map(|b| view! { <BarChart breakdown=b /> }).collect_view()}
            <DayChart days=report.by_day />
            <crate::audience::pages::ReportAudience year />
        </div>
    }
}

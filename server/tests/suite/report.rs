//! The edition report: its counts equal what the database holds (over the demo and over a
//! generated edition), its CSV, and a past edition's figures that stay as they were.
use crate::common;

use axum::http::StatusCode;
use sqlx::SqlitePool;

use app::editions::report::{ssr, Report};
use common::{app, get};
use server::db::MIGRATOR;
use server::demo;

async fn sql_counts(pool: &SqlitePool, sql: &'static str, year: i32) -> Vec<(String, i64)> {
    let mut rows: Vec<(String, i64)> = sqlx::query_as(sql)
        .bind(year)
        .fetch_all(pool)
        .await
        .unwrap();
    rows.sort();
    rows
}

fn report_counts(report: &Report, key: &str) -> Vec<(String, i64)> {
    let mut rows: Vec<(String, i64)> = report
        .breakdowns
        .iter()
        .find(|b| b.key == key)
        .unwrap()
        .counts
        .iter()
        .map(|c| (c.label.clone(), c.events))
        .collect();
    rows.sort();
    rows
}

/// Every figure of the report, recomputed with independent SQL.
async fn check_against_sql(pool: &SqlitePool, year: i32) {
    let report = ssr::compute(
        pool,
        app::editions::db::by_year(pool, year)
            .await
            .unwrap()
            .unwrap(),
    )
    .await
    .unwrap();
    let events: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM events WHERE edition_year = ? AND status = 'published'",
    )
    .bind(year)
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(report.events, events);
    assert!(events > 0);
    let organizers: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (SELECT DISTINCT organizer_id FROM events WHERE edition_year = ? AND status = 'published')",
    )
    .bind(year)
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(report.organizers, organizers);
    let themes = sql_counts(
        pool,
        "SELECT t.label, count(*) FROM event_themes et JOIN themes t ON t.id = et.theme_id \
         JOIN events e ON e.id = et.event_id WHERE e.edition_year = ? AND e.status = 'published' GROUP BY t.label",
        year,
    )
    .await;
    assert_eq!(report_counts(&report, "themes"), themes);
    let regions = sql_counts(
        pool,
        "SELECT r.name, count(*) FROM events e JOIN regions r ON r.code = e.region_code \
         WHERE e.edition_year = ? AND e.status = 'published' GROUP BY r.name",
        year,
    )
    .await;
    assert_eq!(report_counts(&report, "regions"), regions);
    let formats = sql_counts(
        pool,
        "SELECT f.label, count(*) FROM events e JOIN formats f ON f.id = e.format_id \
         WHERE e.edition_year = ? AND e.status = 'published' GROUP BY f.label",
        year,
    )
    .await;
    assert_eq!(report_counts(&report, "formats"), formats);
    for key in ["modes", "types", "publics"] {
        let total: i64 = report_counts(&report, key).iter().map(|(_, n)| n).sum();
        assert_eq!(total, events, "{key} adds up");
    }
    let per_day: i64 = report.by_day.iter().map(|(_, n)| n).sum();
    assert_eq!(per_day, events, "days add up");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn report_counts_equal_the_database_over_the_demo(pool: SqlitePool) {
    demo::load(&pool, demo::DEFAULT_SEED).await.unwrap();
    for year in [2024, 2025, 2026] {
        check_against_sql(&pool, year).await;
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn report_counts_equal_the_database_over_a_generated_edition(pool: SqlitePool) {
    demo::load_sized(&pool, 7, Some(1200)).await.unwrap();
    check_against_sql(&pool, 2026).await;
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_report_page_and_its_csv(pool: SqlitePool) {
    demo::load(&pool, demo::DEFAULT_SEED).await.unwrap();
    let app = app(pool.clone());
    let page = get(&app, "/editions/2026/bilan").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Bilan du Mois de l"));
    assert!(page.body.contains(r#"role="img""#));
    assert!(page.body.contains("Données du graphique"));
    let csv = get(&app, "/editions/2026/bilan.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv
        .headers
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let events: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM events WHERE edition_year = 2026 AND status = 'published'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(
        csv.body
            .contains(&format!("total,événements publiés,{events}")),
        "{}",
        &csv.body[..200]
    );
    assert_eq!(
        get(&app, "/editions/1999/bilan").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&app, "/editions/deux/bilan.csv").await.status.as_u16() / 100,
        4
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_past_editions_report_follows_its_data_until_frozen(pool: SqlitePool) {
    demo::load(&pool, demo::DEFAULT_SEED).await.unwrap();
    let app = app(pool.clone());
    let first = get(&app, "/editions/2025/bilan.csv").await.body;
    // Reading it froze nothing (issue 24: an edition still being brought in kept 0 events).
    let frozen: i64 = sqlx::query_scalar("SELECT count(*) FROM edition_reports")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(frozen, 0);
    // Its events change afterwards: the figures follow.
    sqlx::query("UPDATE events SET status = 'cancelled' WHERE edition_year = 2025 AND status = 'published' AND id IN (SELECT id FROM events WHERE edition_year = 2025 LIMIT 10)")
        .execute(&pool)
        .await
        .unwrap();
    let second = get(&app, "/editions/2025/bilan.csv").await.body;
    assert_ne!(first, second);
    // Frozen by an administrator (`ssr::freeze`, « Figer » on /admin), they stay.
    app::editions::report::ssr::freeze(&pool, 2025, common::test_now())
        .await
        .unwrap();
    sqlx::query("UPDATE events SET status = 'cancelled' WHERE edition_year = 2025 AND status = 'published' AND id IN (SELECT id FROM events WHERE edition_year = 2025 AND status = 'published' LIMIT 10)")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(get(&app, "/editions/2025/bilan.csv").await.body, second);
    // The current edition's report is live.
    let before = get(&app, "/editions/2026/bilan.csv").await.body;
    sqlx::query("UPDATE events SET status = 'cancelled' WHERE id = (SELECT id FROM events WHERE edition_year = 2026 AND status = 'published' LIMIT 1)")
        .execute(&pool)
        .await
        .unwrap();
    assert_ne!(get(&app, "/editions/2026/bilan.csv").await.body, before);
}

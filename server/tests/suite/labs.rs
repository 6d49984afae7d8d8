//! The Atlas des labs: filters, map points, a lab's page with its events.
use crate::common;

use axum::http::StatusCode;
use sqlx::SqlitePool;

use common::{app, get};
use server::db::MIGRATOR;
use server::demo;

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_atlas_lists_filters_and_maps_the_labs(pool: SqlitePool) {
    demo::load(&pool, demo::DEFAULT_SEED).await.unwrap();
    let app = app(pool.clone());
    let all: i64 = sqlx::query_scalar("SELECT count(*) FROM labs")
        .fetch_one(&pool)
        .await
        .unwrap();
    let page = get(&app, "/labs").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.body.matches("data-lab=").count() as i64, all);
    let metro: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM labs WHERE region_code NOT IN ('01','02','03','04','06') AND latitude IS NOT NULL",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        page.body.matches(r#"class="mip-map__lab""#).count() as i64,
        metro,
        "one point per mainland lab"
    );
    // By region, then by region and type.
    let in_idf: i64 = sqlx::query_scalar("SELECT count(*) FROM labs WHERE region_code = '11'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let page = get(&app, "/labs?region=11").await;
    assert_eq!(page.body.matches("data-lab=").count() as i64, in_idf);
    let (type_slug, n): (String, i64) = sqlx::query_as(
        "SELECT t.slug, count(*) FROM labs l JOIN lab_types t ON t.id = l.lab_type_id WHERE l.region_code = '11' GROUP BY t.slug ORDER BY 2 DESC LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let page = get(&app, &format!("/labs?region=11&type={type_slug}")).await;
    assert_eq!(page.body.matches("data-lab=").count() as i64, n);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_lab_page_shows_its_events_across_editions(pool: SqlitePool) {
    demo::load(&pool, demo::DEFAULT_SEED).await.unwrap();
    let app = app(pool.clone());
    let (lab_id, slug): (i64, String) =
        sqlx::query_as("SELECT id, slug FROM labs ORDER BY id LIMIT 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    // Link two public events of different editions to it.
    sqlx::query(
        "UPDATE events SET lab_id = ? WHERE id IN (SELECT min(id) FROM events WHERE status = 'published' GROUP BY edition_year LIMIT 2)",
    )
    .bind(lab_id)
    .execute(&pool)
    .await
    .unwrap();
    let page = get(&app, &format!("/labs/{slug}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.body.matches("data-edition=").count(),
        2,
        "two editions' events"
    );
    assert_eq!(
        get(&app, "/labs/pas-un-lab").await.status,
        StatusCode::NOT_FOUND
    );
}

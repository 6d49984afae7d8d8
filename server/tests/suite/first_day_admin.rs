//! Issue 24, the administrator's first day: a new edition is not made the current one by
//! default, and two editions never share an ordinal.
use crate::common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use leptos::server_fn::ServerFn;
use sqlx::SqlitePool;

use common::{Client, ADMIN};
use server::db::MIGRATOR;

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_new_edition_is_not_current_by_default_and_ordinals_are_unique(pool: SqlitePool) {
    common::load_demo(&pool).await;
    let app = common::app(pool.clone());
    let mut admin = Client::new(&app);
    admin.sign_in(ADMIN.0, ADMIN.1).await;
    let page = common::send(
        &app,
        Request::get("/admin")
            .header(header::COOKIE, admin.cookie.clone().unwrap())
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    let checkbox_start = page.body.find(r#"id="is_current""#).expect("the checkbox");
    let tag_start = page.body[..checkbox_start].rfind('<').unwrap();
    let tag_end = checkbox_start + page.body[checkbox_start..].find('>').unwrap();
    let tag = &page.body[tag_start..=tag_end];
    assert!(
        !tag.contains("checked"),
        "a new edition's form: not current ({tag})"
    );

    // Edition 2023 as the « 9e », the ordinal of 2025.
    let taken: i64 = sqlx::query_scalar("SELECT ordinal FROM editions WHERE year = 2025")
        .fetch_one(&pool)
        .await
        .unwrap();
    let before: i64 = sqlx::query_scalar("SELECT count(*) FROM editions")
        .fetch_one(&pool)
        .await
        .unwrap();
    let reply = admin
        .form(
            <app::admin::server::SaveEdition as ServerFn>::PATH,
            &[
                ("year", "2023"),
                ("ordinal", &taken.to_string()),
                ("theme_of_year", ""),
                ("tagline", ""),
                ("starts_on", "2023-11-02"),
                ("ends_on", "2023-11-30"),
                ("referencing_opens_on", "2023-09-01"),
                ("referencing_closes_on", "2023-10-20"),
            ],
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert!(
        reply.body.contains(r#""field":"ordinal""#),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("2025"), "{}", reply.body);
    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM editions")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(after, before, "nothing written");
    // With its own ordinal, 2023 is created, and 2026 stays the current edition.
    let reply = admin
        .form(
            <app::admin::server::SaveEdition as ServerFn>::PATH,
            &[
                ("year", "2023"),
                ("ordinal", "7"),
                ("theme_of_year", ""),
                ("tagline", ""),
                ("starts_on", "2023-11-02"),
                ("ends_on", "2023-11-30"),
                ("referencing_opens_on", "2023-09-01"),
                ("referencing_closes_on", "2023-10-20"),
            ],
        )
        .await;
    assert!(!reply.status.is_client_error(), "{}", reply.body);
    let current: i64 = sqlx::query_scalar("SELECT year FROM editions WHERE is_current = 1")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(current, 2026);
}

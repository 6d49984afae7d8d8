//! HTTP tests: requests through the real axum router (pages, server functions, health).
use crate::common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use sqlx::SqlitePool;

use common::{app, get, send};
use server::db::MIGRATOR;

/// The text of the home page counter named `name`.
fn counter(html: &str, name: &str) -> String {
    let start = html
        .find(&format!(r#"data-counter="{name}""#))
        .unwrap_or_else(|| panic!("no counter {name}"));
    let rest = &html[start..];
    let open = rest.find('>').unwrap() + 1;
    let close = rest.find('<').unwrap();
    rest[open..close].to_string()
}

async fn demo_app(pool: &SqlitePool) -> axum::Router {
    common::load_demo(pool).await;
    app(pool.clone())
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_home_page_is_french_and_counts_what_the_database_holds(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let reply = get(&app, "/").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.contains(r#"<html lang="fr""#), "html lang");
    assert!(reply.body.contains(r#"class="fr-header""#));
    assert!(
        reply
            .body
            .contains("<title>Mois de l&#39;innovation publique</title>")
            || reply
                .body
                .contains("<title>Mois de l'innovation publique</title>")
    );
    assert!(
        reply
            .body
            .contains("Mois de l&#x27;innovation publique 2026")
            || reply.body.contains("Mois de l'innovation publique 2026")
    );
    assert!(reply.body.contains("Coproduction"));
    let published: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM events WHERE edition_year = 2026 AND status = 'published'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        counter(&reply.body, "événement publié"),
        app::fr::number(published)
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn counters_follow_the_database(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    sqlx::query("UPDATE events SET status = 'cancelled' WHERE edition_year = 2026 AND status = 'published' AND id IN (SELECT id FROM events WHERE edition_year = 2026 AND status = 'published' ORDER BY id LIMIT 5)")
        .execute(&pool)
        .await
        .unwrap();
    let published: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM events WHERE edition_year = 2026 AND status = 'published'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let reply = get(&app, "/").await;
    assert_eq!(
        counter(&reply.body, "événement publié"),
        app::fr::number(published)
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn an_empty_database_says_so_instead_of_failing(pool: SqlitePool) {
    let app = app(pool);
    let reply = get(&app, "/").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.body.contains("Aucune édition n"));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn unknown_pages_answer_404_in_french(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let reply = get(&app, "/cette-page-n-existe-pas").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.body.contains("Page non trouvée"));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn event_pages_show_public_events_only(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let (slug, title): (String, String) = sqlx::query_as(
        "SELECT slug, title FROM events WHERE status = 'published' AND region_code = '04' ORDER BY id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let reply = get(&app, &format!("/evenements/{slug}")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.contains("La Réunion"));
    assert!(
        reply.body.contains("à Paris."),
        "overseas events show the Paris time"
    );
    let first_word = title.split_whitespace().next().unwrap();
    assert!(reply.body.contains(first_word));

    for status in ["draft", "submitted", "rejected"] {
        let slug: String =
            sqlx::query_scalar("SELECT slug FROM events WHERE status = ? ORDER BY id LIMIT 1")
                .bind(status)
                .fetch_one(&pool)
                .await
                .unwrap();
        let reply = get(&app, &format!("/evenements/{slug}")).await;
        assert_eq!(
            reply.status,
            StatusCode::NOT_FOUND,
            "{status} event is not public"
        );
    }
    let cancelled: String = sqlx::query_scalar(
        "SELECT slug FROM events WHERE status = 'cancelled' ORDER BY id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let reply = get(&app, &format!("/evenements/{cancelled}")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.contains("Événement annulé"));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_health_check_reports_the_database(pool: SqlitePool) {
    let app = app(pool.clone());
    let reply = get(&app, "/healthz").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body, "ok");
    pool.close().await;
    let reply = get(&app, "/healthz").await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn responses_are_compressed_for_browsers(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let reply = send(
        &app,
        Request::get("/")
            .header(header::ACCEPT_ENCODING, "gzip, deflate, br, zstd")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.headers.get(header::CONTENT_ENCODING).unwrap(), "br");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn server_functions_answer_json_errors_with_their_status(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    // The event page's server function, called as the browser does, for a missing event.
    let path = <app::events::server::GetEvent as leptos::server_fn::ServerFn>::PATH;
    let reply = send(
        &app,
        Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .body(Body::from("slug=pas-un-evenement"))
            .unwrap(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
    assert!(reply.body.contains("n'existe pas"), "{}", reply.body);
    // A malformed body is the caller's fault: 4xx, never 500.
    let reply = send(
        &app,
        Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from("%%%"))
            .unwrap(),
    )
    .await;
    assert!(
        reply.status.is_client_error(),
        "{} {}",
        reply.status,
        reply.body
    );
}

/// Leptos lists the routes with resource loading suppressed for the whole process, and a
/// resource first polled meanwhile never loads (leptos issue #4773): a page rendered while
/// another router was being built used to stall forever (a CI run hung on `/labs`). Routers
/// are built on another thread the whole time these pages render; each must complete.
#[sqlx::test(migrator = "MIGRATOR")]
async fn building_routers_never_stalls_a_rendering(pool: SqlitePool) {
    common::load_demo(&pool).await;
    let app = app(pool.clone());
    use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
    let stop = std::sync::Arc::new(AtomicBool::new(false));
    let built = std::sync::Arc::new(AtomicU32::new(0));
    let builder = {
        let (stop, built) = (stop.clone(), built.clone());
        let pool = pool.clone();
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                drop(common::app(pool.clone()));
                built.fetch_add(1, Ordering::Relaxed);
            }
        })
    };
    // Ten rounds at least, and on until routers were built meanwhile (a busy machine may
    // render the ten rounds before the first router is done).
    let mut round = 0;
    while round < 10 || (built.load(Ordering::Relaxed) < 2 && round < 2_000) {
        for uri in ["/labs", "/", "/programme", "/editions/2025/bilan"] {
            // Rendered each time (no query string: a junk one is redirected, not rendered).
            let page = get(&app, uri).await;
            assert_eq!(page.status, StatusCode::OK, "{uri} (round {round})");
        }
        round += 1;
    }
    stop.store(true, Ordering::Relaxed);
    builder.join().unwrap();
    assert!(
        built.load(Ordering::Relaxed) > 0,
        "routers were built meanwhile"
    );
}

/// The app's code is requested only once the page has loaded: no preload of the wasm or of
/// its JavaScript in the head (they would share a phone's slow link with the stylesheet and
/// the fonts of the first render), and one module script that starts it after `load`.
#[sqlx::test(migrator = "MIGRATOR")]
async fn the_wasm_is_fetched_after_the_page_has_loaded(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    for uri in ["/", "/programme", "/mon-programme"] {
        let reply = get(&app, uri).await;
        assert_eq!(reply.status, StatusCode::OK, "{uri}");
        let head = &reply.body[..reply.body.find("</head>").expect("a head")];
        assert!(
            !head.contains("modulepreload"),
            "{uri}: the JavaScript is preloaded"
        );
        assert!(
            !head.contains(".wasm\" as=\"fetch\""),
            "{uri}: the wasm is preloaded"
        );
        let script = head
            .split("<script type=\"module\"")
            .nth(1)
            .unwrap_or_else(|| panic!("{uri}: no module script"));
        let script = &script[..script.find("</script>").unwrap()];
        assert!(
            script.contains("addEventListener(\"load\""),
            "{uri}: {script}"
        );
        assert!(
            script.contains("/pkg/mip") && script.contains(".wasm"),
            "{uri}: {script}"
        );
        assert_eq!(head.matches("<script type=\"module\"").count(), 1, "{uri}");
    }
}

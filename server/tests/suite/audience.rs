//! Audience figures (issue 28): page views, saves to « Mon programme » (the browser's
//! beacon), calendar downloads and registration clicks, counted per event and Paris day in
//! memory, written in batches, and shown to the event's organizer (dashboard, event page,
//! CSV) and to staff (the edition report). Nothing but event, day, kind and count is kept.
use crate::common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use sqlx::SqlitePool;

use app::state::Clock;
use common::{Client, Reply};
use server::db::MIGRATOR;

const BROWSER: &str =
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36";
const REGISTRATION: &str = "https://inscription.example.org/atelier?source=mip";

/// A router and its state at `at` (the day counted), on the shared database.
fn app_at(pool: &SqlitePool, at: &str) -> (axum::Router, app::state::AppState) {
    common::app_and_state_at(
        pool.clone(),
        server::page_cache::PageCache::new(std::time::Duration::ZERO),
        common::SITE,
        Clock::Fixed(at.parse().unwrap()),
    )
}

/// A browser's GET, from `ip`, with a session cookie when given.
async fn browse(app: &axum::Router, uri: &str, ip: [u8; 4], cookie: Option<&str>) -> Reply {
    let mut request = Request::get(uri)
        .header(header::USER_AGENT, BROWSER)
        .header(header::ACCEPT, "text/html")
        .header("sec-fetch-dest", "document")
        .body(Body::empty())
        .unwrap();
    if let Some(cookie) = cookie {
        request
            .headers_mut()
            .insert(header::COOKIE, cookie.parse().unwrap());
    }
    request
        .extensions_mut()
        .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
            ip, 40000,
        ))));
    common::send(app, request).await
}

/// The beacon « Mon programme » sends (`navigator.sendBeacon`: text/plain).
async fn beacon(app: &axum::Router, body: &str) -> Reply {
    let client = Client::new(app);
    let mut request = client.request("/api/audience", "text/plain;charset=UTF-8", body.into());
    request
        .headers_mut()
        .insert(header::USER_AGENT, BROWSER.parse().unwrap());
    common::send(app, request).await
}

/// A published event of 2026, given to the demo organizer, with a registration link.
async fn event(pool: &SqlitePool) -> (i64, String) {
    let (id, slug): (i64, String) = sqlx::query_as(
        "SELECT id, slug FROM events WHERE edition_year = 2026 AND status = 'published' \
         AND starts_at > '2026-11-14' ORDER BY id LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .expect("the demo has published events");
    sqlx::query(
        "UPDATE events SET registration_url = ?, \
            organizer_id = (SELECT id FROM accounts WHERE email = ?) WHERE id = ?",
    )
    .bind(REGISTRATION)
    .bind(common::ORGANIZER.0)
    .bind(id)
    .execute(pool)
    .await
    .unwrap();
    (id, slug)
}

/// `n` of each kind on one day, plus what must not count.
async fn one_day(app: &axum::Router, slug: &str, n: usize) {
    for i in 0..n {
        let ip = [10, 0, 0, i as u8 + 1];
        let page = browse(app, &format!("/evenements/{slug}"), ip, None).await;
        assert_eq!(page.status, StatusCode::OK);
        let ics = browse(app, &format!("/evenements/{slug}/agenda.ics"), ip, None).await;
        assert_eq!(ics.status, StatusCode::OK);
        let click = browse(app, &format!("/evenements/{slug}/inscription"), ip, None).await;
        assert_eq!(click.status, StatusCode::SEE_OTHER);
        assert_eq!(click.headers[header::LOCATION], REGISTRATION);
        assert_eq!(click.headers[header::CACHE_CONTROL], "no-store");
        let saved = beacon(app, &format!("slug={slug}&kind=programme")).await;
        assert_eq!(saved.status, StatusCode::NO_CONTENT, "{}", saved.body);
    }
    // Not counted: HEAD, a robot, a prefetch, another page of the event.
    let head = Request::head(format!("/evenements/{slug}"))
        .header(header::USER_AGENT, BROWSER)
        .body(Body::empty())
        .unwrap();
    assert_eq!(common::send(app, head).await.status, StatusCode::OK);
    let robot = Request::get(format!("/evenements/{slug}"))
        .header(
            header::USER_AGENT,
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        )
        .body(Body::empty())
        .unwrap();
    assert_eq!(common::send(app, robot).await.status, StatusCode::OK);
    let prefetch = Request::get(format!("/evenements/{slug}"))
        .header(header::USER_AGENT, BROWSER)
        .header("sec-purpose", "prefetch")
        .body(Body::empty())
        .unwrap();
    assert_eq!(common::send(app, prefetch).await.status, StatusCode::OK);
    // The service worker keeping the page for offline use: a fetch, not a page opened.
    let copy = Request::get(format!("/evenements/{slug}"))
        .header(header::USER_AGENT, BROWSER)
        .header("sec-fetch-dest", "empty")
        .header("sec-fetch-mode", "same-origin")
        .body(Body::empty())
        .unwrap();
    assert_eq!(common::send(app, copy).await.status, StatusCode::OK);
    let poster = browse(
        app,
        &format!("/evenements/{slug}/affiche"),
        [10, 9, 9, 9],
        None,
    )
    .await;
    assert_eq!(poster.status, StatusCode::OK);
}

fn csv_rows(body: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(body.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn every_kind_counted_n_times_a_day_shows_n_per_day_to_its_organizer_and_staff(
    pool: SqlitePool,
) {
    common::load_demo(&pool).await;
    let (id, slug) = event(&pool).await;
    // 10 November (09:00 in Paris): 3 of each; 11 November, 23:30 UTC: the 12th in Paris, 2.
    let (app, state) = app_at(&pool, "2026-11-10T08:00:00Z");
    one_day(&app, &slug, 3).await;
    // The event page links to the counted registration, which leads to the organizer's link.
    let page = browse(&app, &format!("/evenements/{slug}"), [10, 1, 1, 1], None).await;
    assert!(page
        .body
        .contains(&format!("href=\"/evenements/{slug}/inscription\"")));
    assert!(!page.body.contains(&format!("href=\"{REGISTRATION}\"")));
    // Revisit: a 304 is a view too.
    let etag = page.headers[header::ETAG].to_str().unwrap().to_string();
    let mut revisit = Request::get(format!("/evenements/{slug}"))
        .header(header::USER_AGENT, BROWSER)
        .header(header::IF_NONE_MATCH, etag)
        .body(Body::empty())
        .unwrap();
    revisit
        .extensions_mut()
        .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
            [10, 1, 1, 2],
            40000,
        ))));
    assert_eq!(
        common::send(&app, revisit).await.status,
        StatusCode::NOT_MODIFIED
    );
    // Nothing is written before the flush.
    let before: i64 = sqlx::query_scalar("SELECT count(*) FROM audience")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(before, 0);
    server::audience::flush(&state).await.unwrap();
    let (app2, state2) = app_at(&pool, "2026-11-11T23:30:00Z");
    one_day(&app2, &slug, 2).await;
    server::audience::flush(&state2).await.unwrap();
    // Flushing again adds nothing.
    assert_eq!(server::audience::flush(&state2).await.unwrap(), 0);

    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT day, kind, count FROM audience WHERE event_id = ? ORDER BY day, kind",
    )
    .bind(id)
    .fetch_all(&pool)
    .await
    .unwrap();
    let expect = |day: &str, views: i64, n: i64| {
        vec![
            (day.to_string(), "agenda".to_string(), n),
            (day.to_string(), "inscription".to_string(), n),
            (day.to_string(), "programme".to_string(), n),
            (day.to_string(), "vue".to_string(), views),
        ]
    };
    let mut expected = expect("2026-11-10", 3 + 2, 3);
    expected.extend(expect("2026-11-12", 2, 2));
    assert_eq!(rows, expected);

    // The dashboard: totals of the event.
    let organizer = common::session_for(&app, &pool, common::ORGANIZER.0).await;
    let cookie = organizer.cookie.clone().unwrap();
    let dashboard = browse(&app, "/organisateur", [10, 2, 0, 1], Some(&cookie)).await;
    assert_eq!(dashboard.status, StatusCode::OK);
    let line = dashboard
        .body
        .split(&format!("data-audience-event=\"{id}\""))
        .nth(1)
        .expect("the event's line in the dashboard's audience table");
    let line = line.split("</tr>").next().unwrap();
    for (kind, n) in [
        ("vue", 7),
        ("programme", 5),
        ("agenda", 5),
        ("inscription", 5),
    ] {
        assert!(
            line.contains(&format!("data-kind=\"{kind}\">{n}<")),
            "{kind} = {n} in {line}"
        );
    }
    // The event's page: the chart and its table, day by day.
    let figures = browse(
        &app,
        &format!("/organisateur/evenements/{id}/audience"),
        [10, 2, 0, 1],
        Some(&cookie),
    )
    .await;
    assert_eq!(figures.status, StatusCode::OK);
    assert!(figures.body.contains("<svg role=\"img\""));
    assert!(
        figures.body.contains("data-day=\"2026-11-11\""),
        "a day without counts shows as 0"
    );
    let day = figures
        .body
        .split("data-day=\"2026-11-12\"")
        .nth(1)
        .unwrap();
    assert!(day
        .split("</tr>")
        .next()
        .unwrap()
        .contains("data-kind=\"vue\">2<"));
    // Its CSV.
    let csv = browse(
        &app,
        &format!("/organisateur/evenements/{id}/audience.csv"),
        [10, 2, 0, 1],
        Some(&cookie),
    )
    .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert_eq!(
        csv_rows(&csv.body),
        vec![
            vec!["jour", "vue", "programme", "agenda", "inscription"],
            vec!["2026-11-10", "5", "3", "3", "3"],
            vec!["2026-11-11", "0", "0", "0", "0"],
            vec!["2026-11-12", "2", "2", "2", "2"],
        ]
    );
    // Another organizer: 404, as for an event that does not exist; a visitor: 401.
    let other = other_organizer(&app, &pool).await;
    for uri in [
        format!("/organisateur/evenements/{id}/audience.csv"),
        format!("/organisateur/evenements/{id}/audience"),
    ] {
        let reply = browse(&app, &uri, [10, 3, 0, 1], Some(&other)).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(!reply.body.contains("data-day="));
        let reply = browse(&app, &uri, [10, 3, 0, 2], None).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{uri}");
    }

    // The edition report: staff see the audience; visitors and organizers do not.
    let moderator = common::session_for(&app, &pool, common::MODERATOR.0).await;
    let report = browse(
        &app,
        "/editions/2026/bilan",
        [10, 4, 0, 1],
        moderator.cookie.as_deref(),
    )
    .await;
    assert_eq!(report.status, StatusCode::OK);
    for (kind, n) in [
        ("vue", 7),
        ("programme", 5),
        ("agenda", 5),
        ("inscription", 5),
    ] {
        assert!(
            report
                .body
                .contains(&format!("data-audience-total=\"{kind}\">{n}<")),
            "report: {kind} = {n}"
        );
    }
    let most_viewed = report.body.split("id=\"plus-vus\"").nth(1).unwrap();
    let first = most_viewed.split("</tr>").nth(1).unwrap();
    assert!(
        first.contains(&format!("data-audience-row=\"{slug}\"")),
        "{first}"
    );
    assert!(report.body.contains("id=\"plus-enregistres\""));
    assert!(report.body.contains("Vues par thème") && report.body.contains("Vues par région"));
    for cookie in [None, Some(cookie.as_str())] {
        let public = browse(&app, "/editions/2026/bilan", [10, 4, 0, 2], cookie).await;
        assert_eq!(public.status, StatusCode::OK);
        assert!(!public.body.contains("data-audience-total"));
    }
}

async fn other_organizer(app: &axum::Router, pool: &SqlitePool) -> String {
    let hash = server::accounts::hash_password("un autre mot de passe sûr").unwrap();
    server::accounts::insert(
        pool,
        &server::accounts::NewAccount {
            email: "autre@example.org",
            password_hash: &hash,
            name: "Autre",
            structure: "Mairie",
            organizer_type_id: None,
            region_code: None,
            role: app::reference::Role::Organizer,
        },
        common::test_now(),
    )
    .await
    .unwrap();
    common::session_for(app, pool, "autre@example.org")
        .await
        .cookie
        .unwrap()
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_counter_table_holds_nothing_but_event_day_kind_and_count(pool: SqlitePool) {
    let columns: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT name, type, pk FROM pragma_table_info('audience') ORDER BY cid")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(
        columns,
        vec![
            ("event_id".to_string(), "INTEGER".to_string(), 1),
            ("day".to_string(), "TEXT".to_string(), 2),
            ("kind".to_string(), "TEXT".to_string(), 3),
            ("count".to_string(), "INTEGER".to_string(), 0),
        ]
    );
    // And a row written through the real path holds exactly that: counted from an address,
    // with a browser's agent and a cookie, none of which is kept.
    common::load_demo(&pool).await;
    let (id, slug) = event(&pool).await;
    let (app, state) = app_at(&pool, "2026-11-10T08:00:00Z");
    let page = browse(
        &app,
        &format!("/evenements/{slug}"),
        [192, 0, 2, 77],
        Some("suivi=abc"),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    server::audience::flush(&state).await.unwrap();
    let rows: Vec<(i64, String, String, i64)> =
        sqlx::query_as("SELECT event_id, day, kind, count FROM audience")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(rows, vec![(id, "2026-11-10".into(), "vue".into(), 1)]);
    let dump: String = sqlx::query_scalar(
        "SELECT group_concat(event_id || '|' || day || '|' || kind || '|' || count) FROM audience",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(!dump.contains("192.0.2.77") && !dump.contains("Mozilla") && !dump.contains("abc"));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn bad_input_gets_a_clear_4xx_and_is_never_counted(pool: SqlitePool) {
    common::load_demo(&pool).await;
    let (_, slug) = event(&pool).await;
    let unpublished: String = sqlx::query_scalar(
        "SELECT slug FROM events WHERE status NOT IN ('published', 'cancelled') LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let (app, state) = app_at(&pool, "2026-11-10T08:00:00Z");
    for (body, expected) in [
        (format!("slug={slug}&kind=vue"), StatusCode::BAD_REQUEST),
        (
            format!("slug={slug}&kind=inscription"),
            StatusCode::BAD_REQUEST,
        ),
        (format!("slug={slug}&kind=autre"), StatusCode::BAD_REQUEST),
        (format!("slug={slug}"), StatusCode::BAD_REQUEST),
        ("kind=programme".to_string(), StatusCode::BAD_REQUEST),
        (
            format!("slug={slug}&kind=programme&ip=1"),
            StatusCode::BAD_REQUEST,
        ),
        (
            format!("slug={slug}&slug={slug}&kind=programme"),
            StatusCode::BAD_REQUEST,
        ),
        (
            "slug=%3Cscript%3E&kind=programme".to_string(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "slug=inconnu-2026&kind=programme".to_string(),
            StatusCode::NOT_FOUND,
        ),
        (
            format!("slug={unpublished}&kind=programme"),
            StatusCode::NOT_FOUND,
        ),
        (
            format!("slug={slug}&kind=programme&x={}", "a".repeat(2000)),
            StatusCode::PAYLOAD_TOO_LARGE,
        ),
        ("\u{0}\u{ff}".to_string(), StatusCode::BAD_REQUEST),
    ] {
        let reply = beacon(&app, &body).await;
        assert_eq!(reply.status, expected, "{body}: {}", reply.body);
        let error: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
        assert!(
            error["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{}",
            reply.body
        );
    }
    // From another site: refused.
    let mut cross = Client::new(&app).request(
        "/api/audience",
        "text/plain",
        format!("slug={slug}&kind=programme"),
    );
    cross
        .headers_mut()
        .insert(header::ORIGIN, "https://ailleurs.example".parse().unwrap());
    assert_eq!(
        common::send(&app, cross).await.status,
        StatusCode::FORBIDDEN
    );
    // Registration: an unknown, unpublished or link-less event is a 404 page, never a redirect.
    sqlx::query(
        "UPDATE events SET registration_url = NULL WHERE slug <> ? AND status = 'published'",
    )
    .bind(&slug)
    .execute(&pool)
    .await
    .unwrap();
    let without_link: String = sqlx::query_scalar(
        "SELECT slug FROM events WHERE status = 'published' AND registration_url IS NULL LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    for target in [
        "inconnu-2026",
        unpublished.as_str(),
        without_link.as_str(),
        "A%20B",
    ] {
        let reply = browse(
            &app,
            &format!("/evenements/{target}/inscription"),
            [10, 5, 0, 1],
            None,
        )
        .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{target}");
        assert!(reply.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
    }
    // Pages that are not found are not counted; nor is an unpublished event's.
    for target in ["inconnu-2026", unpublished.as_str()] {
        let reply = browse(&app, &format!("/evenements/{target}"), [10, 5, 0, 2], None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{target}");
    }
    // The CSV: a malformed id is a 404, signed out a 401.
    let organizer = common::session_for(&app, &pool, common::ORGANIZER.0).await;
    for id in ["abc", "-1", "99999999999999999999", "1.5"] {
        let uri = format!("/organisateur/evenements/{id}/audience.csv");
        let reply = browse(&app, &uri, [10, 5, 0, 3], organizer.cookie.as_deref()).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{uri}");
    }
    server::audience::flush(&state).await.unwrap();
    let counted: i64 = sqlx::query_scalar("SELECT coalesce(sum(count), 0) FROM audience")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(counted, 0);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn one_address_cannot_inflate_the_counts_beyond_its_allowance(pool: SqlitePool) {
    common::load_demo(&pool).await;
    let (id, slug) = event(&pool).await;
    let (app, state) = app_at(&pool, "2026-11-10T08:00:00Z");
    let burst = app::audience::counter::BURST as i64;
    let started = std::time::Instant::now();
    for _ in 0..burst + 50 {
        let reply = browse(
            &app,
            &format!("/evenements/{slug}/agenda.ics"),
            [10, 6, 0, 1],
            None,
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK);
    }
    let seconds = started.elapsed().as_secs() as i64 + 1;
    // Another address still counts.
    browse(
        &app,
        &format!("/evenements/{slug}/agenda.ics"),
        [10, 6, 0, 2],
        None,
    )
    .await;
    server::audience::flush(&state).await.unwrap();
    let counted: i64 =
        sqlx::query_scalar("SELECT count FROM audience WHERE event_id = ? AND kind = 'agenda'")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(
        counted > burst && counted <= burst + 1 + seconds,
        "{counted} counted for {} requests",
        burst + 51
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn with_counting_off_nothing_is_counted(pool: SqlitePool) {
    common::load_demo(&pool).await;
    let (_, slug) = event(&pool).await;
    let (_, mut state) = app_at(&pool, "2026-11-10T08:00:00Z");
    state.audience = app::audience::counter::Counter::new(false);
    let app = server::router::router_with_cache(
        state.clone(),
        server::page_cache::PageCache::new(std::time::Duration::ZERO),
    );
    one_day(&app, &slug, 2).await;
    server::audience::flush(&state).await.unwrap();
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM audience")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows, 0);
}

//! The programme over HTTP: SSR follows the URL's filters, and so do the feeds.
use crate::common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use sqlx::SqlitePool;

use common::{app, get, send};
use server::db::MIGRATOR;
use server::demo;

async fn demo_app(pool: &SqlitePool) -> axum::Router {
    demo::load(pool, demo::DEFAULT_SEED).await.unwrap();
    app(pool.clone())
}

/// Public 2026 events with a theme and in a region, by slug, in the database.
async fn expected_slugs(pool: &SqlitePool, theme: &str, region: &str) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT e.slug FROM events e WHERE e.edition_year = 2026 \
         AND e.status IN ('published', 'cancelled') AND e.region_code = ? \
         AND EXISTS (SELECT 1 FROM event_themes et JOIN themes t ON t.id = et.theme_id \
                     WHERE et.event_id = e.id AND t.slug = ?) ORDER BY e.slug",
    )
    .bind(region)
    .bind(theme)
    .fetch_all(pool)
    .await
    .unwrap()
}

/// The number of events in an iCalendar body (which must parse).
fn calendar_events(ics: &str) -> usize {
    let calendar: icalendar::Calendar = ics.parse().unwrap();
    calendar
        .components
        .iter()
        .filter(|c| c.as_event().is_some())
        .count()
}

fn event_links(html: &str) -> Vec<String> {
    let mut slugs: Vec<String> = html
        .split(r#"href="/evenements/"#)
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_string())
        .collect();
    slugs.sort();
    slugs.dedup();
    slugs
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_server_renders_only_matching_events(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let expected = expected_slugs(&pool, "coproduction", "84").await;
    assert!(
        !expected.is_empty() && expected.len() <= app::programme::render::PAGE_SIZE,
        "{} events",
        expected.len()
    );
    let reply = get(&app, "/programme?theme=coproduction&region=84").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(event_links(&reply.body), expected);
    assert!(reply.body.contains(&format!(
        "{} sur ",
        app::fr::count(expected.len() as i64, "événement", "événements")
    )));
    // The filters show as removable tags and as checked boxes.
    assert!(reply.body.contains("Retirer le filtre Coproduction"));
    assert!(
        reply.body.contains(r#"value="coproduction" checked"#)
            || reply.body.contains(r#"checked value="coproduction""#)
            || reply.body.contains("checked")
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn free_text_is_accent_insensitive_on_the_server_too(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let with_accents = get(&app, "/programme?q=Pr%C3%A9fecture+Guadeloupe").await;
    let without = get(&app, "/programme?q=prefecture+guadeloupe").await;
    let links = event_links(&without.body);
    assert!(!links.is_empty());
    assert_eq!(event_links(&with_accents.body), links);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_malformed_url_still_shows_the_programme(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let reply = get(&app, "/programme?du=hier&mode=%FF%FE&theme=&vue=3d").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "to the canonical URL");
    assert_eq!(reply.headers[header::LOCATION], "/programme");
    let reply = get(&app, "/programme").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.contains("événements"));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn json_follows_the_filters_and_its_schema(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let expected = expected_slugs(&pool, "coproduction", "84").await;
    let reply = get(&app, "/api/v1/events.json?theme=coproduction&region=84").await;
    assert_eq!(reply.status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../../../docs/api/events.schema.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&json)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let mut slugs: Vec<String> = json["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["slug"].as_str().unwrap().to_string())
        .collect();
    slugs.sort();
    assert_eq!(slugs, expected);
    assert_eq!(json["count"], expected.len());

    // The whole edition also validates (overseas offsets, cancelled events…).
    let all = get(&app, "/api/v1/events.json").await;
    let json: serde_json::Value = serde_json::from_str(&all.body).unwrap();
    assert!(validator.is_valid(&json));
    let public: i64 = sqlx::query_scalar("SELECT count(*) FROM events WHERE edition_year = 2026 AND status IN ('published', 'cancelled')")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(json["count"], public);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_calendar_feed_is_valid_icalendar_and_follows_the_filters(pool: SqlitePool) {
    use icalendar::Component;
    let app = demo_app(&pool).await;
    // A cancelled event must say so, and its SEQUENCE is its version.
    let (slug, version, region): (String, i64, String) = sqlx::query_as(
        "SELECT slug, version, region_code FROM events WHERE edition_year = 2026 AND status = 'cancelled' ORDER BY id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let reply = get(&app, &format!("/programme.ics?region={region}")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    for line in reply.body.split("\r\n") {
        assert!(line.len() <= 75, "line of {} octets", line.len());
    }
    let calendar: icalendar::Calendar = reply.body.parse().unwrap();
    let events: Vec<&icalendar::Event> = calendar
        .components
        .iter()
        .filter_map(|c| c.as_event())
        .collect();
    let in_region: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM events WHERE edition_year = 2026 AND status IN ('published', 'cancelled') AND region_code = ?",
    )
    .bind(&region)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(events.len() as i64, in_region);
    let uid = format!("{slug}@mois-innovation-publique");
    let cancelled = events
        .iter()
        .find(|e| e.get_uid() == Some(uid.as_str()))
        .expect("cancelled event listed");
    assert_eq!(
        cancelled.get_status(),
        Some(icalendar::EventStatus::Cancelled)
    );
    assert_eq!(cancelled.get_sequence(), Some(version as u32));
    assert!(cancelled.get_start().is_some() && cancelled.get_end().is_some());
    assert!(cancelled.get_timestamp().is_some(), "DTSTAMP");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn csv_and_rss_follow_the_filters(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let expected = expected_slugs(&pool, "coproduction", "84").await;
    let reply = get(&app, "/api/v1/events.csv?theme=coproduction&region=84").await;
    assert_eq!(reply.status, StatusCode::OK);
    let mut reader = csv::Reader::from_reader(reply.body.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        server::feeds::CSV_COLUMNS
    );
    let mut slugs: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[0].to_string())
        .collect();
    slugs.sort();
    assert_eq!(slugs, expected);

    let reply = get(&app, "/programme.rss?theme=coproduction&region=84").await;
    assert_eq!(reply.status, StatusCode::OK);
    let channel = rss::Channel::read_from(reply.body.as_bytes()).unwrap();
    assert_eq!(channel.items().len(), expected.len());
    assert_eq!(channel.language(), Some("fr-FR"));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn feeds_are_cacheable_and_revalidate(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let first = get(&app, "/api/v1/events.json?region=04").await;
    let etag = first.headers[header::ETAG].to_str().unwrap().to_string();
    assert!(first.headers[header::CACHE_CONTROL]
        .to_str()
        .unwrap()
        .contains("public"));
    let again = send(
        &app,
        Request::get("/api/v1/events.json?region=04")
            .header(header::IF_NONE_MATCH, &etag)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    // Any change to the data makes a new version.
    sqlx::query("UPDATE events SET title = title || ' (modifié)' WHERE id = (SELECT min(id) FROM events WHERE edition_year = 2026 AND region_code = '04' AND status = 'published')")
        .execute(&pool)
        .await
        .unwrap();
    let changed = send(
        &app,
        Request::get("/api/v1/events.json?region=04")
            .header(header::IF_NONE_MATCH, &etag)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(changed.status, StatusCode::OK);
    assert!(changed.body.contains("(modifié)"));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn form_urls_redirect_to_the_canonical_url(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let reply = get(
        &app,
        "/programme?q=&du=&au=&theme=coproduction&region=84&vue=liste",
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(
        reply.headers[header::LOCATION],
        "/programme?theme=coproduction&region=84"
    );
    let reply = get(&app, "/programme?theme=coproduction&region=84").await;
    assert_eq!(reply.status, StatusCode::OK);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn event_pages_carry_json_ld(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let (slug, title): (String, String) = sqlx::query_as(
        "SELECT slug, title FROM events WHERE edition_year = 2026 AND status = 'cancelled' ORDER BY id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let reply = get(&app, &format!("/evenements/{slug}")).await;
    let start = reply
        .body
        .find(r#"<script type="application/ld+json">"#)
        .expect("JSON-LD")
        + 35;
    let end = start + reply.body[start..].find("</script>").unwrap();
    let ld: serde_json::Value = serde_json::from_str(&reply.body[start..end]).unwrap();
    assert_eq!(ld["@type"], "Event");
    assert_eq!(ld["name"], title);
    assert_eq!(ld["eventStatus"], "https://schema.org/EventCancelled");
    assert_eq!(
        ld["url"],
        format!("http://127.0.0.1:3000/evenements/{slug}")
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn calendar_files_for_one_event_and_for_my_programme(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let slugs: Vec<String> = sqlx::query_scalar(
        "SELECT slug FROM events WHERE status = 'published' ORDER BY id LIMIT 3",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let one = get(&app, &format!("/evenements/{}/agenda.ics", slugs[0])).await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(calendar_events(&one.body), 1);

    let query: Vec<String> = slugs.iter().map(|s| format!("e={s}")).collect();
    let mine = get(
        &app,
        &format!("/mon-programme.ics?{}&e=pas-un-evenement", query.join("&")),
    )
    .await;
    assert_eq!(mine.status, StatusCode::OK);
    assert_eq!(calendar_events(&mine.body), 3);

    let draft: String =
        sqlx::query_scalar("SELECT slug FROM events WHERE status = 'draft' LIMIT 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        get(&app, &format!("/evenements/{draft}/agenda.ics"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&app, "/mon-programme.ics").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

/// One error response for every route (issue 27): the feeds, the catalogue, the kit and the
/// exports answer a program with the server functions' JSON body, and a browser that followed
/// a link with the site's own page in words (header and footer), never plain text or JSON shown
/// to a person.
#[sqlx::test(migrator = "MIGRATOR")]
async fn feeds_and_downloads_answer_errors_like_every_other_route(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    for (path, status, message) in [
        (
            "/mon-programme.ics",
            StatusCode::UNPROCESSABLE_ENTITY,
            "Aucun événement à exporter.",
        ),
        (
            "/editions/deux-mille/bilan.csv",
            StatusCode::UNPROCESSABLE_ENTITY,
            "L'année doit être un nombre",
        ),
        (
            "/evenements/pas-un-evenement/affiche",
            StatusCode::NOT_FOUND,
            "Cet événement n'existe pas",
        ),
        (
            "/evenements/pas-un-evenement/agenda.ics",
            StatusCode::NOT_FOUND,
            "Cet événement n'existe pas",
        ),
    ] {
        let program = get(&app, path).await;
        assert_eq!(program.status, status, "{path}");
        assert!(
            program.headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("application/json"),
            "{path}: {:?}",
            program.headers
        );
        let body: serde_json::Value = serde_json::from_str(&program.body).unwrap();
        assert!(body.to_string().contains(message), "{path}: {body}");

        let browser = send(
            &app,
            Request::get(path)
                .header(header::ACCEPT, "text/html,application/xhtml+xml,*/*;q=0.8")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(browser.status, status, "{path}");
        assert!(
            browser.headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/html"),
            "{path}"
        );
        assert!(
            browser.body.contains("<h1>La demande n'a pas abouti</h1>"),
            "{path}"
        );
        assert!(browser.body.contains(message), "{path}: {}", browser.body);
        // The site's own page: its header and footer around the message, and no JSON.
        assert!(browser.body.contains("id=\"pied-de-page\""), "{path}");
        assert!(browser.body.contains("fr-header"), "{path}");
        let main = &browser.body[browser.body.find("<main").unwrap()..];
        let main = &main[..main.find("</main>").unwrap()];
        assert!(!main.contains('{'), "{path}: no JSON shown: {main}");
        assert!(!browser.body.contains(&program.body), "{path}");
        assert_eq!(browser.headers[header::CACHE_CONTROL], "no-store", "{path}");
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_archive_searches_every_edition_without_accents(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let reply = get(&app, "/editions?q=Guadeloupe").await;
    assert_eq!(reply.status, StatusCode::OK);
    let expected: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM events WHERE status IN ('published', 'cancelled') \
         AND (title || summary || structure_name || coalesce(city, '')) LIKE '%guadeloupe%'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(expected > 0);
    let shown = event_links(&reply.body).len() as i64;
    assert_eq!(shown, expected.min(app::editions::archive::MAX_HITS));
    // Without accents: « Préfecture ».
    let reply = get(&app, "/editions?q=prefecture").await;
    assert!(reply.body.contains("Préfecture"));
    assert!(!event_links(&reply.body).is_empty());
    for year in ["2024", "2025", "2026"] {
        assert!(
            reply.body.contains(&format!("Édition {year}")),
            "edition {year} listed"
        );
    }
    // Operators typed by a user are plain words, never an error (the query as the search
    // form sends it: `(` encoded; written another way, it is redirected there).
    assert_eq!(
        get(&app, "/editions?q=%22a%22+OR+NEAR%28").await.status,
        StatusCode::OK
    );
    assert_eq!(
        get(&app, "/editions?q=%22a%22+OR+NEAR(").await.status,
        StatusCode::SEE_OTHER
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_past_edition_has_the_same_programme_page(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let public_2024: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM events WHERE edition_year = 2024 AND status IN ('published', 'cancelled') AND region_code = '11'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let reply = get(&app, "/editions/2024?region=11").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.contains("Programme 2024"));
    assert!(reply.body.contains(&format!(
        "{} sur ",
        app::fr::count(public_2024, "événement", "événements")
    )));
    assert_eq!(
        get(&app, "/editions/1999").await.status,
        StatusCode::NOT_FOUND
    );
    let redirect = get(&app, "/editions/2024?q=&region=11").await;
    assert_eq!(redirect.status, StatusCode::SEE_OTHER);
    assert_eq!(
        redirect.headers[header::LOCATION],
        "/editions/2024?region=11"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_catalogue_is_one_cacheable_payload(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let reply = get(&app, "/api/v1/editions/2026/catalogue.json").await;
    assert_eq!(reply.status, StatusCode::OK);
    let catalog: app::programme::catalog::Catalog = serde_json::from_str(&reply.body).unwrap();
    let public: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM events WHERE edition_year = 2026 AND status IN ('published', 'cancelled')",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(catalog.events.len() as i64, public);
    assert!(reply.headers.contains_key(header::ETAG));
    assert_eq!(
        get(&app, "/api/v1/editions/1999/catalogue.json")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&app, "/api/v1/editions/deux-mille/catalogue.json")
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_programme_names_its_catalogue_instead_of_carrying_it(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let catalog: app::programme::catalog::Catalog =
        serde_json::from_str(&get(&app, "/api/v1/editions/2026/catalogue.json").await.body)
            .unwrap();
    let page = get(&app, "/programme").await;
    assert_eq!(page.status, StatusCode::OK);
    // The page names this very version of the catalogue…
    let named = format!(
        "data-mip-catalogue=\"/api/v1/editions/2026/catalogue.json?v={}\"",
        catalog.version
    );
    assert!(page.body.contains(&named), "{named} not in the page");
    // …and does not carry it: no compact event record (`"s":` its slug) in the page, which
    // weighs less than the catalogue although it shows its first cards.
    assert!(catalog.events.len() > app::programme::render::PAGE_SIZE);
    assert!(!page.body.contains("\"s\":") && !page.body.contains("\\\"s\\\":"));
    let catalogue_size = serde_json::to_string(&catalog).unwrap().len();
    assert!(
        page.body.len() < catalogue_size,
        "page {} bytes, catalogue {catalogue_size}",
        page.body.len()
    );

    // That URL names its content: cached for good.
    let versioned = get(
        &app,
        &format!("/api/v1/editions/2026/catalogue.json?v={}", catalog.version),
    )
    .await;
    assert_eq!(versioned.status, StatusCode::OK);
    assert!(versioned.headers[header::CACHE_CONTROL]
        .to_str()
        .unwrap()
        .contains("immutable"));
    // Another version, or none, gets the current one, revalidated on each use.
    for url in [
        format!(
            "/api/v1/editions/2026/catalogue.json?v={}",
            catalog.version - 1
        ),
        "/api/v1/editions/2026/catalogue.json".to_string(),
        "/api/v1/catalogue.json".to_string(),
    ] {
        let reply = get(&app, &url).await;
        assert_eq!(reply.status, StatusCode::OK, "{url}");
        let cache_control = reply.headers[header::CACHE_CONTROL].to_str().unwrap();
        assert!(
            !cache_control.contains("immutable"),
            "{url}: {cache_control}"
        );
        let served: app::programme::catalog::Catalog = serde_json::from_str(&reply.body).unwrap();
        assert_eq!(served.version, catalog.version, "{url}");
        assert_eq!(served.year, 2026, "{url}");
    }
    // A version that is not a number is refused on its field.
    let bad = get(&app, "/api/v1/editions/2026/catalogue.json?v=hier").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("version du catalogue"), "{}", bad.body);
}

/// The open data is written as its rows are read, 500 at a time: an edition larger than one
/// batch lists each public event once, in programme order (start, title), in JSON and CSV.
#[sqlx::test(migrator = "MIGRATOR")]
async fn open_data_larger_than_a_batch_lists_every_event_once_in_programme_order(pool: SqlitePool) {
    demo::load_sized(&pool, demo::DEFAULT_SEED, Some(1_200))
        .await
        .unwrap();
    let app = app(pool.clone());
    let expected: Vec<String> = sqlx::query_scalar(
        "SELECT slug FROM events WHERE edition_year = 2026 \
         AND status IN ('published', 'cancelled') ORDER BY starts_at, title, id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(expected.len() > 1_000, "{} public events", expected.len());

    let reply = get(&app, "/api/v1/events.json").await;
    assert_eq!(reply.status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    let slugs: Vec<&str> = json["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, expected);
    assert_eq!(json["count"], expected.len());

    let reply = get(&app, "/api/v1/events.csv").await;
    assert_eq!(reply.status, StatusCode::OK);
    let slugs: Vec<String> = csv::Reader::from_reader(reply.body.as_bytes())
        .records()
        .map(|r| r.unwrap()[0].to_string())
        .collect();
    assert_eq!(slugs, expected);

    // The calendar reads its rows the same way.
    let reply = get(&app, "/programme.ics").await;
    assert_eq!(calendar_events(&reply.body), expected.len());
}

/// A GET that follows the redirect to the canonical URL (a parameter dropped as malformed).
async fn get_canonical(app: &axum::Router, uri: &str) -> common::Reply {
    let reply = get(app, uri).await;
    if reply.status != StatusCode::SEE_OTHER {
        return reply;
    }
    let location = reply.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    get(app, &location).await
}

/// The first page of the programme for `query`.
async fn programme_page(app: &axum::Router, query: &str) -> String {
    let reply = get_canonical(app, &format!("/programme?{query}")).await;
    assert_eq!(reply.status, StatusCode::OK, "{query}");
    reply.body
}

/// The count of results the page writes (`#nombre-resultats`).
fn results_count(html: &str) -> String {
    html.split(r#"id="nombre-resultats">"#)
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap()
        .to_string()
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_partial_or_absurd_date_is_ignored_and_crossed_dates_say_so(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let public: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM events WHERE edition_year = 2026 AND status IN ('published', 'cancelled')",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let whole = programme_page(&app, "").await;
    let everything = app::fr::count(public, "événement", "événements");
    assert_eq!(results_count(&whole), everything);
    // What a date field half typed gives (year 2, year 0), what a URL may carry.
    for query in [
        "du=0002-11-24",
        "au=0000-11-24",
        "du=0202-11-24&au=0020-11-30",
        "du=2026-11-2",
        "du=24%2F11%2F2026",
        "du=2026-02-30&au=9999-12-31",
    ] {
        let html = programme_page(&app, query).await;
        assert_eq!(results_count(&html), everything, "{query}");
        assert_eq!(event_links(&html), event_links(&whole), "{query}");
        assert!(
            !html.contains("mip-active-filters"),
            "{query}: no filter shown"
        );
        assert!(
            html.contains(r#"id="date-du" name="du" min="2026-11-02" max="2026-11-30" value="""#),
            "{query}: {html}"
        );
        let json = get_canonical(&app, &format!("/api/v1/events.json?{query}")).await;
        assert_eq!(json.status, StatusCode::OK, "{query}");
        let json: serde_json::Value = serde_json::from_str(&json.body).unwrap();
        assert_eq!(json["count"], public, "{query}");
    }

    // Crossed: kept as given (no redirect to swapped dates), said beside the fields, and no
    // date filters the events.
    let reply = get(&app, "/programme?du=2026-11-20&au=2026-11-10").await;
    assert_eq!(reply.status, StatusCode::OK);
    let html = reply.body;
    assert!(html.contains(
        "« Du » (20 novembre 2026) est après « Au » (10 novembre 2026) : les dates ne filtrent pas le programme."
    ), "{html}");
    assert!(html.contains(r#"<fieldset class="fr-fieldset mip-dates fr-fieldset--error""#));
    assert!(html
        .contains(r#"value="2026-11-20" aria-describedby="dates-messages" aria-invalid="true">"#));
    assert!(html
        .contains(r#"value="2026-11-10" aria-describedby="dates-messages" aria-invalid="true">"#));
    assert_eq!(results_count(&html), everything);
    assert_eq!(event_links(&html), event_links(&whole));
    let json = get(&app, "/api/v1/events.json?du=2026-11-20&au=2026-11-10").await;
    let json: serde_json::Value = serde_json::from_str(&json.body).unwrap();
    assert_eq!(json["count"], public);
    // In order, no message and the range applies.
    let html = programme_page(&app, "du=2026-11-10&au=2026-11-20").await;
    assert!(!html.contains("est après"));
    assert!(!html.contains("fr-fieldset--error") && !html.contains("aria-invalid"));
    assert!(html.contains("Du 10 novembre 2026 au 20 novembre 2026"));
    assert_ne!(results_count(&html), everything);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn out_of_period_events_are_in_the_date_range_and_the_calendar(pool: SqlitePool) {
    demo::load(&pool, demo::DEFAULT_SEED).await.unwrap();
    // Two published events of Paris moved out of the month, with their reason: one from 1 to
    // 3 December, one on 28 October.
    let slugs: Vec<String> = sqlx::query_scalar(
        "SELECT slug FROM events WHERE edition_year = 2026 AND status = 'published' \
         AND time_zone = 'Europe/Paris' ORDER BY id LIMIT 2",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    for (slug, starts, ends) in [
        (&slugs[0], "2026-12-01T08:00:00Z", "2026-12-03T16:00:00Z"),
        (&slugs[1], "2026-10-28T17:00:00Z", "2026-10-28T19:00:00Z"),
    ] {
        sqlx::query(
            "UPDATE events SET starts_at = ?, ends_at = ?, \
             out_of_period_reason = 'Un rendez-vous hors du mois, annoncé ainsi' WHERE slug = ?",
        )
        .bind(starts)
        .bind(ends)
        .bind(slug)
        .execute(&pool)
        .await
        .unwrap();
    }
    let app = app(pool.clone());

    // The fields reach them, and so does the filter.
    let html = programme_page(&app, "").await;
    assert!(
        html.contains(r#"id="date-au" name="au" min="2026-10-28" max="2026-12-03""#),
        "{html}"
    );
    assert_eq!(
        event_links(&programme_page(&app, "du=2026-12-01").await),
        [slugs[0].clone()]
    );
    assert_eq!(
        event_links(&programme_page(&app, "du=2026-12-03&au=2026-12-03").await),
        [slugs[0].clone()]
    );
    assert_eq!(
        event_links(&programme_page(&app, "au=2026-10-31").await),
        [slugs[1].clone()]
    );
    let json = get(&app, "/api/v1/events.json?du=2026-12-02&au=2026-12-02").await;
    let json: serde_json::Value = serde_json::from_str(&json.body).unwrap();
    assert_eq!(json["count"], 1);
    assert_eq!(json["events"][0]["slug"], slugs[0].as_str());

    // The calendar shows those days, in the same weeks as the month's.
    let html = programme_page(&app, "vue=calendrier").await;
    assert!(
        html.contains("<caption>Événements par jour, du 28 octobre au 3 décembre 2026</caption>"),
        "{html}"
    );
    for day in [
        "mardi 1er décembre 2026",
        "mercredi 2 décembre 2026",
        "jeudi 3 décembre 2026",
        "mercredi 28 octobre 2026",
    ] {
        assert!(
            html.contains(&format!(r#"aria-label="{day} : 1 événement""#)),
            "{day}: {html}"
        );
    }
    assert!(html.contains(r#"href="/programme?du=2026-12-01&amp;au=2026-12-01""#));
    assert!(html.contains(r#"<span class="mip-calendar__date">1 déc.</span>"#));
    assert!(html.contains(r#"<span class="mip-calendar__date">28 oct.</span>"#));
    // Days of the grid after the last event's are not days of the programme.
    assert!(!html.contains("vendredi 4 décembre 2026"));
    assert!(html.contains(r#"<td class="mip-calendar__off"><span>4</span></td>"#));
    // Each week has its seven days.
    let rows: Vec<&str> = html.split("<tr>").skip(2).collect();
    assert!(rows.iter().all(|row| row.matches("<td").count() == 7));
    assert_eq!(rows.len(), 6, "26 October – 6 December");
}

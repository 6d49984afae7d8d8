//! Issue 24: out-of-period events shown whole, reports that stay true while an edition's
//! events are brought in (frozen only on purpose), and archive editions whose unknown
//! fields are shown as unknown and counted apart, never invented.
use crate::common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use leptos::server_fn::ServerFn;
use serde_json::json;
use sqlx::SqlitePool;

use app::organizer::validation::EventInput;
use app::reference::{EventStatus, Mode};
use common::{Client, Reply, ADMIN, MODERATOR, ORGANIZER};
use server::db::MIGRATOR;

fn path<T: ServerFn>() -> &'static str {
    T::PATH
}

async fn get_as(app: &axum::Router, client: &Client, uri: &str) -> Reply {
    let mut request = Request::get(uri);
    if let Some(cookie) = &client.cookie {
        request = request.header(header::COOKIE, cookie.clone());
    }
    common::send(app, request.body(Body::empty()).unwrap()).await
}

async fn first_id(pool: &SqlitePool, table: &str) -> i64 {
    let sql = match table {
        "themes" => "SELECT id FROM themes WHERE retired = 0 ORDER BY position, id LIMIT 1",
        "formats" => "SELECT id FROM formats ORDER BY position, id LIMIT 1",
        "audiences" => "SELECT id FROM audiences ORDER BY position, id LIMIT 1",
        _ => "SELECT id FROM organizer_types ORDER BY position, id LIMIT 1",
    };
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn an_out_of_period_event_of_five_weeks_with_its_reason_is_accepted_and_its_reason_shown(
    pool: SqlitePool,
) {
    common::load_demo(&pool).await;
    common::open_referencing(&pool, true).await;
    let app = common::app(pool.clone());
    let mut organizer = Client::new(&app);
    organizer.sign_in(ORGANIZER.0, ORGANIZER.1).await;
    let theme = first_id(&pool, "themes").await;
    let format = first_id(&pool, "formats").await;
    let audience = first_id(&pool, "audiences").await;
    let kind = first_id(&pool, "organizer_types").await;
    let reason = "Exposition itinérante prolongée jusqu'aux fêtes";
    // From 20 November to 25 December: five weeks, past the month's end.
    let input = json!({
        "title": "Exposition : les services publics de demain",
        "summary": "Une exposition des prototypes des laboratoires.",
        "themes": [theme], "format_id": format, "mode": "presentiel",
        "audience_id": audience, "structure_name": "Préfecture de la Gironde",
        "organizer_type_id": kind, "region_code": "75", "department_code": "33",
        "city": "Bordeaux", "venue_address": "2 esplanade Charles-de-Gaulle",
        "starts_local": "2026-11-20T09:00", "ends_local": "2026-12-25T17:00",
        "out_of_period": true, "out_of_period_reason": reason,
    });
    let reply = organizer
        .json(
            path::<app::organizer::server::CreateEvent>(),
            json!({ "input": input, "submit": true }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let (id, version, slug): (i64, i64, String) = sqlx::query_as(
        "SELECT id, version, slug FROM events WHERE title = 'Exposition : les services publics de demain'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();

    // The moderation queue and the review show the reason, for the moderator to judge it.
    let mut moderator = Client::new(&app);
    moderator.sign_in(MODERATOR.0, MODERATOR.1).await;
    let queue = get_as(&app, &moderator, "/moderation").await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(
        queue.body.contains(&format!(
            "Hors période : {}",
            reason.replace('\'', "&#x27;")
        )) || queue.body.contains(&format!("Hors période : {reason}")),
        "queue"
    );
    let review = get_as(&app, &moderator, &format!("/moderation/evenements/{id}")).await;
    assert!(review.body.contains("data-out-of-period"), "review page");
    assert!(review.body.contains("aux fêtes"));
    let reply = moderator
        .form(
            path::<app::moderation::server::ModerateEvent>(),
            &[
                ("id", &id.to_string()),
                ("version", &version.to_string()),
                ("decision", "publier"),
            ],
        )
        .await;
    assert!(
        reply.status.is_success() || reply.status.is_redirection(),
        "{}",
        reply.body
    );

    // The event page and its card in the programme.
    let page = common::get(&app, &format!("/evenements/{slug}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("data-out-of-period"), "event page");
    assert!(page.body.contains("aux fêtes"));
    let programme = common::get(&app, "/programme?q=services+publics+de+demain").await;
    assert_eq!(programme.status, StatusCode::OK);
    let card = programme
        .body
        .find(&slug)
        .expect("the card in the programme");
    assert!(
        programme.body[card..].contains("Hors période"),
        "the card says it is out of period"
    );
}

async fn freeze(admin: &mut Client, action: &str) -> Reply {
    admin
        .form(
            path::<app::admin::server::FreezeReport>(),
            &[("year", "2025"), ("action", action)],
        )
        .await
}

/// The count of published events a report page shows.
fn figure(body: &str) -> String {
    let at = body.find(r#"data-figure="events">"#).expect("the figure") + 21;
    body[at..at + body[at..].find('<').unwrap()].to_string()
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_past_editions_report_follows_its_events_until_an_administrator_freezes_it(
    pool: SqlitePool,
) {
    common::load_demo(&pool).await;
    let app = common::app(pool.clone());
    let before = common::get(&app, "/editions/2025/bilan").await;
    assert_eq!(before.status, StatusCode::OK);
    let n: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM events WHERE edition_year = 2025 AND status = 'published'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(figure(&before.body), n.to_string().replace(' ', ""));
    // Events of 2025 are still being brought in after the first view (here: one more).
    let publish_one = || async {
        sqlx::query(
            "UPDATE events SET status = 'published', published_at = '2025-10-01T00:00:00Z' \
             WHERE id = (SELECT id FROM events WHERE edition_year = 2025 AND status <> 'published' \
                         ORDER BY id LIMIT 1)",
        )
        .execute(&pool)
        .await
        .unwrap()
        .rows_affected()
    };
    assert_eq!(publish_one().await, 1);
    let after = common::get(&app, "/editions/2025/bilan").await;
    assert_eq!(
        figure(&after.body),
        (n + 1).to_string(),
        "the new count, not frozen"
    );

    // An administrator freezes it: the figures stay, and the page says since when.
    let mut admin = Client::new(&app);
    admin.sign_in(ADMIN.0, ADMIN.1).await;
    let reply = freeze(&mut admin, "figer").await;
    assert!(
        reply.status.is_success() || reply.status.is_redirection(),
        "{}",
        reply.body
    );
    assert_eq!(publish_one().await, 1);
    let frozen = common::get(&app, "/editions/2025/bilan").await;
    assert_eq!(figure(&frozen.body), (n + 1).to_string(), "frozen");
    assert!(frozen.body.contains("Chiffres arrêtés le"));
    // « Recalculer »: today's figures, frozen again.
    freeze(&mut admin, "figer").await;
    let again = common::get(&app, "/editions/2025/bilan").await;
    assert_eq!(figure(&again.body), (n + 2).to_string(), "recalculated");
    // « Ne plus figer »: it follows the data again.
    freeze(&mut admin, "suivre").await;
    assert_eq!(publish_one().await, 1);
    let live = common::get(&app, "/editions/2025/bilan").await;
    assert_eq!(figure(&live.body), (n + 3).to_string());
    assert!(!live.body.contains("Chiffres arrêtés le"));
    // Only administrators may freeze: an anonymous visitor gets 401 and nothing changes.
    let mut visitor = Client::new(&app);
    let reply = visitor
        .form(
            path::<app::admin::server::FreezeReport>(),
            &[("year", "2025"), ("action", "figer")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    let frozen: i64 = sqlx::query_scalar("SELECT count(*) FROM edition_reports")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(frozen, 0);
    // A junk action or year: the field's message, nothing written.
    let reply = freeze(&mut admin, "effacer").await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    let reply = admin
        .form(
            path::<app::admin::server::FreezeReport>(),
            &[("year", "deux mille"), ("action", "figer")],
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    let reply = admin
        .form(
            path::<app::admin::server::FreezeReport>(),
            &[("year", "1999"), ("action", "figer")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn an_archive_editions_unknown_fields_are_shown_unknown_and_counted_apart(pool: SqlitePool) {
    common::load_demo(&pool).await;
    let app = common::app(pool.clone());
    let mut admin = Client::new(&app);
    admin.sign_in(ADMIN.0, ADMIN.1).await;
    // 2019 comes in from the archives, with its theme of the year as written then.
    let reply = admin
        .form(
            path::<app::admin::server::SaveEdition>(),
            &[
                ("year", "2019"),
                ("ordinal", "3"),
                ("theme_of_year", ""),
                (
                    "theme_of_year_text",
                    "L'innovation au service des territoires",
                ),
                ("tagline", ""),
                ("starts_on", "2019-11-01"),
                ("ends_on", "2019-11-30"),
                ("referencing_opens_on", "2019-09-01"),
                ("referencing_closes_on", "2019-10-25"),
                ("archive", "oui"),
            ],
        )
        .await;
    assert!(
        reply.status.is_success() || reply.status.is_redirection(),
        "{}",
        reply.body
    );
    let (archive, text): (bool, String) =
        sqlx::query_as("SELECT archive, theme_of_year_text FROM editions WHERE year = 2019")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(archive);
    assert_eq!(text, "L'innovation au service des territoires");

    // One event as history knows it: a title, a format, a theme, a region and a day.
    let mut options = app::organizer::db::form_options(&pool, common::test_now())
        .await
        .unwrap();
    options.edition = app::editions::db::by_year(&pool, 2019)
        .await
        .unwrap()
        .unwrap();
    let input = EventInput {
        title: "Atelier de la préfecture (archive)".into(),
        themes: vec![options.themes[0].id],
        format_id: Some(options.formats[0].id),
        mode: Some(Mode::Presentiel),
        organizer_type_id: Some(options.organizer_types[0].id),
        region_code: "53".into(),
        starts_local: "2019-11-14".into(),
        ..EventInput::default()
    };
    // Outside an archive this would be refused; here it is kept as it is known.
    assert!(input
        .validate(&{
            let mut rules = options.rules();
            rules.archive = false;
            rules
        })
        .is_err());
    let valid = input
        .validate(&options.rules())
        .expect("an archive accepts the unknown");
    let organizer: i64 = sqlx::query_scalar("SELECT id FROM accounts WHERE email = ?")
        .bind(ADMIN.0)
        .fetch_one(&pool)
        .await
        .unwrap();
    let mut conn = pool.acquire().await.unwrap();
    let (_, slug) = app::organizer::db::insert_event(
        &mut conn,
        organizer,
        2019,
        &valid,
        "Europe/Paris",
        EventStatus::Published,
        common::test_now(),
    )
    .await
    .unwrap();
    drop(conn);
    let stored: (Option<i64>, String, Option<String>, bool) = sqlx::query_as(
        "SELECT audience_id, structure_name, city, all_day FROM events WHERE slug = ?",
    )
    .bind(&slug)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        stored,
        (None, String::new(), None, true),
        "nothing invented"
    );

    let page = common::get(&app, &format!("/evenements/{slug}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for shown in [
        "Public : non renseigné",
        "Adresse non renseignée",
        "horaires non précisés",
        "Structure organisatrice non renseignée",
    ] {
        assert!(page.body.contains(shown), "« {shown} » on the event page");
    }
    assert!(!page.body.contains("Non communiqué"));
    // A whole-day entry in calendars.
    let ics = common::get(&app, &format!("/evenements/{slug}/agenda.ics")).await;
    assert_eq!(ics.status, StatusCode::OK);
    assert!(
        ics.body.contains("DTSTART;VALUE=DATE:20191114"),
        "{}",
        ics.body
    );
    assert!(
        ics.body.contains("DTEND;VALUE=DATE:20191115"),
        "{}",
        ics.body
    );

    // The report counts the unknown apart: no structure, audience « Non renseigné ».
    let report = common::get(&app, "/editions/2019/bilan").await;
    assert_eq!(report.status, StatusCode::OK);
    assert_eq!(figure(&report.body), "1");
    assert!(
        report.body.contains(r#"data-figure="structures">0<"#),
        "no invented structure"
    );
    assert!(report.body.contains("data-figure=\"unknown-structures\""));
    assert!(report.body.contains("Non renseigné"));
    assert!(
        report
            .body
            .contains("L&#x27;innovation au service des territoires")
            || report
                .body
                .contains("L'innovation au service des territoires")
    );
    // The edition's pages and feeds read it without a fault.
    for uri in [
        "/editions/2019".to_string(),
        "/editions/2019/bilan.csv".to_string(),
        "/api/v1/editions/2019/catalogue.json".to_string(),
    ] {
        let reply = common::get(&app, &uri).await;
        assert!(reply.status.is_success(), "{uri}: {}", reply.status);
    }
}

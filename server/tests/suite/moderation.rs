//! HTTP tests of moderation: who may call it (401 / 403, nothing written), decisions,
//! messages to organizers, bulk publishing, the audit log.
use crate::common;

use axum::http::StatusCode;
use leptos::server_fn::ServerFn;
use serde_json::{json, Value};
use sqlx::SqlitePool;

use app::moderation::server as moderation;
use app::organizer::server as organizer;
use common::{app, get, Client, Reply, MODERATOR, ORGANIZER};
use server::db::MIGRATOR;

fn path<T: ServerFn>() -> &'static str {
    T::PATH
}

async fn demo_app(pool: &SqlitePool) -> axum::Router {
    common::load_demo(pool).await;
    // Organizers create and submit here: the window is open (it has its own tests).
    common::open_referencing(pool, true).await;
    app(pool.clone())
}

fn body_json(reply: &Reply) -> Value {
    serde_json::from_str(&reply.body).unwrap_or_else(|_| panic!("not JSON: {}", reply.body))
}

async fn submitted(pool: &SqlitePool, n: i64) -> Vec<(i64, i64)> {
    sqlx::query_as("SELECT id, version FROM events WHERE status = 'submitted' ORDER BY id LIMIT ?")
        .bind(n)
        .fetch_all(pool)
        .await
        .unwrap()
}

async fn status_of(pool: &SqlitePool, id: i64) -> String {
    sqlx::query_scalar("SELECT status FROM events WHERE id = ?")
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn snapshot(pool: &SqlitePool) -> (i64, i64, i64) {
    sqlx::query_as("SELECT sum(version), (SELECT count(*) FROM audit_log), (SELECT count(*) FROM outbox) FROM events")
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn visitors_get_401_and_organizers_403_with_nothing_changed(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let (id, version) = submitted(&pool, 1).await[0];
    let (id, version) = (id.to_string(), version.to_string());
    let before = snapshot(&pool).await;
    let mut visitor = Client::new(&app);
    let mut organizer = Client::new(&app);
    organizer.sign_in(ORGANIZER.0, ORGANIZER.1).await;
    assert!(organizer.cookie.is_some());
    let selection = format!("{id}:{version}");
    let calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
        (
            path::<moderation::ModerationQueue>(),
            vec![("q", ""), ("region", ""), ("kind", ""), ("theme", "")],
        ),
        (path::<moderation::ModerationReview>(), vec![("id", &id)]),
        (
            path::<moderation::ModerateEvent>(),
            vec![("id", &id), ("version", &version), ("decision", "publier")],
        ),
        (
            path::<moderation::BulkPublish>(),
            vec![("selection[]", &selection)],
        ),
    ];
    for (path, form) in &calls {
        let reply = visitor.form(path, form).await;
        assert_eq!(
            reply.status,
            StatusCode::UNAUTHORIZED,
            "{path}: {}",
            reply.body
        );
        let reply = organizer.form(path, form).await;
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "{path}: {}",
            reply.body
        );
        assert!(reply.body.contains("droits"), "{}", reply.body);
    }
    assert_eq!(snapshot(&pool).await, before, "database unchanged");
    assert_eq!(
        get(&app, "/moderation").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_refusal_needs_a_reason_and_is_sent_to_the_organizer(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let (id, version) = submitted(&pool, 1).await[0];
    let mut moderator = Client::new(&app);
    moderator.sign_in(MODERATOR.0, MODERATOR.1).await;
    let before = snapshot(&pool).await;
    for decision in ["refuser", "modifications"] {
        let reply = moderator
            .form(
                path::<moderation::ModerateEvent>(),
                &[
                    ("id", &id.to_string()),
                    ("version", &version.to_string()),
                    ("decision", decision),
                    ("message", "  "),
                ],
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            reply.body
        );
        let error = body_json(&reply);
        assert_eq!(error["fields"][0]["field"], "message");
        assert!(error["fields"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("Indiquez"));
    }
    assert_eq!(snapshot(&pool).await, before, "nothing written");
    let reply = moderator
        .form(
            path::<moderation::ModerateEvent>(),
            &[
                ("id", &id.to_string()),
                ("version", &version.to_string()),
                ("decision", "refuser"),
                ("message", "Hors du champ de l'innovation publique."),
            ],
        )
        .await;
    assert!(
        reply.status.is_success() || reply.status.is_redirection(),
        "{}",
        reply.body
    );
    assert_eq!(status_of(&pool, id).await, "rejected");
    let (recipient, body): (String, String) =
        sqlx::query_as("SELECT o.recipient, o.body FROM outbox o ORDER BY o.id DESC LIMIT 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    let owner: String = sqlx::query_scalar(
        "SELECT a.email FROM events e JOIN accounts a ON a.id = e.organizer_id WHERE e.id = ?",
    )
    .bind(id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(recipient, owner);
    assert!(body.contains("Hors du champ de l'innovation publique."));
    let log: Vec<(String, String)> =
        sqlx::query_as("SELECT action, detail FROM audit_log WHERE event_id = ?")
            .bind(id)
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(
        log,
        vec![(
            "reject".to_string(),
            "Hors du champ de l'innovation publique.".to_string()
        )]
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_whole_cycle_is_logged_once_per_change(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let mut organizer_client = Client::new(&app);
    organizer_client.sign_in(ORGANIZER.0, ORGANIZER.1).await;
    let mut moderator = Client::new(&app);
    moderator.sign_in(MODERATOR.0, MODERATOR.1).await;
    let (id, version): (i64, i64) = sqlx::query_as(
        "SELECT e.id, e.version FROM events e JOIN accounts a ON a.id = e.organizer_id WHERE a.email = ? AND e.status = 'submitted'",
    )
    .bind(ORGANIZER.0)
    .fetch_one(&pool)
    .await
    .unwrap();
    // Changes requested: the organizer sees the message on the dashboard.
    let reply = moderator
        .form(
            path::<moderation::ModerateEvent>(),
            &[
                ("id", &id.to_string()),
                ("version", &version.to_string()),
                ("decision", "modifications"),
                ("message", "Précisez l'adresse exacte."),
            ],
        )
        .await;
    assert!(
        reply.status.is_success() || reply.status.is_redirection(),
        "{}",
        reply.body
    );
    let dashboard = organizer_client
        .form(path::<organizer::OrganizerDashboard>(), &[])
        .await;
    assert!(
        dashboard.body.contains("Précisez l'adresse exacte."),
        "{}",
        dashboard.body
    );
    // The organizer edits and submits again; the moderator publishes.
    let editable = body_json(
        &organizer_client
            .form(
                path::<organizer::EventForEdit>(),
                &[("id", &id.to_string())],
            )
            .await,
    );
    let mut input = editable["input"].clone();
    input["venue_address"] = json!("12 rue des Lilas");
    let saved = body_json(
        &organizer_client
            .json(
                path::<organizer::UpdateEvent>(),
                json!({"id": id, "version": editable["version"], "input": input, "submit": true}),
            )
            .await,
    );
    assert_eq!(saved["status"], "submitted");
    let reply = moderator
        .form(
            path::<moderation::ModerateEvent>(),
            &[
                ("id", &id.to_string()),
                ("version", &saved["version"].to_string()),
                ("decision", "publier"),
            ],
        )
        .await;
    assert!(
        reply.status.is_success() || reply.status.is_redirection(),
        "{}",
        reply.body
    );
    assert_eq!(status_of(&pool, id).await, "published");
    // A later edit by the organizer: back in the queue, with a readable diff.
    let editable = body_json(
        &organizer_client
            .form(
                path::<organizer::EventForEdit>(),
                &[("id", &id.to_string())],
            )
            .await,
    );
    let mut input = editable["input"].clone();
    input["title"] = json!("Titre corrigé après publication");
    organizer_client
        .json(
            path::<organizer::UpdateEvent>(),
            json!({"id": id, "version": editable["version"], "input": input, "submit": false}),
        )
        .await;
    let queue = body_json(
        &moderator
            .form(
                path::<moderation::ModerationQueue>(),
                &[
                    ("q", "titre corrige"),
                    ("region", ""),
                    ("kind", "modifies"),
                    ("theme", ""),
                ],
            )
            .await,
    );
    assert_eq!(queue["items"].as_array().unwrap().len(), 1, "{queue}");
    assert_eq!(queue["items"][0]["id"], id);
    let theme: i64 =
        sqlx::query_scalar("SELECT theme_id FROM event_themes WHERE event_id = ? LIMIT 1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    let other: i64 = sqlx::query_scalar("SELECT id FROM themes WHERE id NOT IN (SELECT theme_id FROM event_themes WHERE event_id = ?) LIMIT 1").bind(id).fetch_one(&pool).await.unwrap();
    for (t, expected) in [(theme, 1), (other, 0)] {
        let queue = body_json(
            &moderator
                .form(
                    path::<moderation::ModerationQueue>(),
                    &[
                        ("q", "titre corrige"),
                        ("region", ""),
                        ("kind", ""),
                        ("theme", &t.to_string()),
                    ],
                )
                .await,
        );
        assert_eq!(
            queue["items"].as_array().unwrap().len(),
            expected,
            "theme {t}"
        );
    }
    let review = body_json(
        &moderator
            .form(
                path::<moderation::ModerationReview>(),
                &[("id", &id.to_string())],
            )
            .await,
    );
    assert_eq!(review["changes"][0]["label"], "Titre");
    assert_eq!(
        review["changes"][0]["after"],
        "Titre corrigé après publication"
    );
    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE event_id = ? ORDER BY id")
            .bind(id)
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(
        actions,
        vec!["request_changes", "edit", "submit", "publish", "edit"]
    );
    // Until a moderator publishes the edit, the public reads the approved text.
    let slug: String = sqlx::query_scalar("SELECT slug FROM events WHERE id = ?")
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap();
    let public = get(&app, &format!("/evenements/{slug}")).await;
    assert!(!public.body.contains("Titre corrigé après publication"));
    let reply = moderator
        .form(
            path::<moderation::ModerateEvent>(),
            &[
                ("id", &id.to_string()),
                ("version", &review["version"].to_string()),
                ("decision", "publier"),
            ],
        )
        .await;
    assert!(
        reply.status.is_redirection() || reply.status.is_success(),
        "{}",
        reply.body
    );
    let public = get(&app, &format!("/evenements/{slug}")).await;
    assert!(public.body.contains("Titre corrigé après publication"));
    assert_eq!(status_of(&pool, id).await, "published");
    let page = get(&app, "/moderation").await;
    assert_eq!(
        page.status,
        StatusCode::UNAUTHORIZED,
        "the page needs a session too"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn bulk_publishing_is_all_or_nothing(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let mut moderator = Client::new(&app);
    moderator.sign_in(MODERATOR.0, MODERATOR.1).await;
    let events = submitted(&pool, 3).await;
    let selection: Vec<String> = events.iter().map(|(id, v)| format!("{id}:{v}")).collect();
    // One stale version: nothing is published.
    let mut stale = selection.clone();
    stale[2] = format!("{}:{}", events[2].0, events[2].1 + 7);
    let fields: Vec<(&str, &str)> = stale.iter().map(|s| ("selection[]", s.as_str())).collect();
    let reply = moderator
        .form(path::<moderation::BulkPublish>(), &fields)
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    for (id, _) in &events {
        assert_eq!(status_of(&pool, *id).await, "submitted");
    }
    let fields: Vec<(&str, &str)> = selection
        .iter()
        .map(|s| ("selection[]", s.as_str()))
        .collect();
    let reply = moderator
        .form(path::<moderation::BulkPublish>(), &fields)
        .await;
    assert!(
        reply.status.is_success() || reply.status.is_redirection(),
        "{}",
        reply.body
    );
    for (id, _) in &events {
        assert_eq!(status_of(&pool, *id).await, "published");
    }
    let logged: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'publish'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(logged, 3);
    // Nothing selected: a message on the selection.
    let reply = moderator.form(path::<moderation::BulkPublish>(), &[]).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    // The queue page, signed in.
    let mut request = moderator.request("/moderation", "text/html", String::new());
    *request.method_mut() = axum::http::Method::GET;
    let page = common::send(&app, request).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("à relire"));
}

/// A long queue is shown a page at a time (3,500 submitted events rendered at once took over a
/// second): the heading counts them all, the page lists the oldest 100, the next page the rest,
/// the filters kept in the pages' links.
#[sqlx::test(migrator = "MIGRATOR")]
async fn a_long_queue_is_paged(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    sqlx::query(
        "UPDATE events SET status = 'submitted', needs_review = 0, pending_input = NULL, \
            published_at = NULL, cancelled_at = NULL WHERE edition_year = 2026 AND status <> 'submitted' \
            AND id IN (SELECT id FROM events WHERE edition_year = 2026 ORDER BY id LIMIT 150)",
    )
    .execute(&pool)
    .await
    .unwrap();
    let queued: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM events WHERE status = 'submitted' \
            OR (status IN ('published', 'cancelled') AND needs_review = 1)",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(queued > 100, "{queued}");
    let mut moderator = Client::new(&app);
    moderator.sign_in(MODERATOR.0, MODERATOR.1).await;
    let page = |path: &'static str| {
        let mut request = moderator.request(path, "text/html", String::new());
        *request.method_mut() = axum::http::Method::GET;
        common::send(&app, request)
    };
    let first = page("/moderation").await;
    assert_eq!(first.status, StatusCode::OK);
    let rows = |body: &str| body.matches("data-queue-event=").count() as i64;
    assert_eq!(rows(&first.body), 100);
    assert!(
        first.body.contains(&app::fr::count(
            queued,
            "événement à relire",
            "événements à relire"
        )),
        "the heading counts them all"
    );
    assert!(first.body.contains("Page 1 sur 2"), "{}", first.body);
    assert!(first.body.contains(r#"href="/moderation?page=2""#));
    let second = page("/moderation?page=2").await;
    assert_eq!(rows(&second.body), queued - 100);
    assert!(second.body.contains("Page 2 sur 2"));
    // No event on both pages.
    let ids = |body: &str| -> std::collections::HashSet<String> {
        body.split("data-queue-event=\"")
            .skip(1)
            .map(|s| s.split('"').next().unwrap().to_string())
            .collect()
    };
    assert!(ids(&first.body).is_disjoint(&ids(&second.body)));
    // A page past the end shows the last one; the filters stay in the links.
    let last = page("/moderation?page=9").await;
    assert!(last.body.contains("Page 2 sur 2"));
    let filtered = page("/moderation?type=nouveaux").await;
    if filtered.body.contains("Page 1 sur 2") {
        assert!(
            filtered
                .body
                .contains(r#"href="/moderation?type=nouveaux&amp;page=2""#)
                || filtered
                    .body
                    .contains(r#"href="/moderation?type=nouveaux&page=2""#)
        );
    }
}

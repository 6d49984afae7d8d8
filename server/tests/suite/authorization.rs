//! The authorization matrix: every server function (listed from the server's own registry, so
//! that a new one without a line here fails this test) and every private GET route × {visitor,
//! organizer who owns the event, another organizer, moderator, administrator} → refused with
//! the expected status and the database unchanged, or let through (never a 5xx).
use crate::common;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use serde_json::{json, Value};
use sqlx::SqlitePool;

use common::{Client, Reply};
use server::db::MIGRATOR;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Visitor,
    Owner,
    OtherOrganizer,
    Moderator,
    Admin,
}

const EVERYONE: [Who; 5] = [
    Who::Visitor,
    Who::Owner,
    Who::OtherOrganizer,
    Who::Moderator,
    Who::Admin,
];

/// Who may call a function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// Anyone (public data, sign-in and sign-up forms).
    Public,
    /// Any signed-in account; visitors get 401.
    SignedIn,
    /// The event's organizer and staff; visitors 401, other organizers 404 (not revealed).
    OwnerOrStaff,
    /// Moderators and admins; visitors 401, organizers 403.
    Staff,
    /// Admins; visitors 401, the others 403.
    Admin,
    /// Only a session whose password was right and whose second factor is to come: 401 for
    /// every other (signed-in sessions included).
    PendingSecondFactor,
}

fn refusal(access: Access, who: Who) -> Option<StatusCode> {
    use Who::*;
    match (access, who) {
        (Access::Public, _) => None,
        (Access::PendingSecondFactor, _) => Some(StatusCode::UNAUTHORIZED),
        (_, Visitor) => Some(StatusCode::UNAUTHORIZED),
        (Access::SignedIn, _) => None,
        (Access::OwnerOrStaff, OtherOrganizer) => Some(StatusCode::NOT_FOUND),
        (Access::OwnerOrStaff, _) => None,
        (Access::Staff, Owner | OtherOrganizer) => Some(StatusCode::FORBIDDEN),
        (Access::Staff, _) => None,
        (Access::Admin, Admin) => None,
        (Access::Admin, _) => Some(StatusCode::FORBIDDEN),
    }
}

/// A request's body: form fields, JSON, or a form with a file (`(name, file name, content)`).
enum Body {
    Form(Vec<(&'static str, String)>),
    Json(Value),
    Multipart(Vec<(&'static str, Option<&'static str>, String)>),
}

/// Everything the database holds except what any request may touch (sessions seen, attempts
/// counted by the throttles), as one string. The events and their themes are stood for by
/// `data_version`, which their triggers bump at every write (and by their count).
async fn fingerprint(pool: &SqlitePool) -> String {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name NOT LIKE '%fts%' AND name NOT IN ('sessions', '_sqlx_migrations', 'request_log', 'timing_balance', \
         'events', 'event_themes') \
         AND name NOT LIKE '%attempt%' AND name NOT LIKE '%failure%' AND name NOT LIKE '%throttl%' \
         ORDER BY name",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let (events, themes): (i64, i64) =
        sqlx::query_as("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM event_themes)")
            .fetch_one(pool)
            .await
            .unwrap();
    let mut all = format!("events {events}, themes {themes}\n");
    for table in tables {
        let columns: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT name FROM pragma_table_info('{table}')"
        )))
        .fetch_all(pool)
        .await
        .unwrap();
        let row = columns
            .iter()
            .map(|c| format!("quote(\"{c}\")"))
            .collect::<Vec<_>>()
            .join("||','||");
        let dump: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT group_concat({row}, '\n') FROM (SELECT * FROM \"{table}\" ORDER BY rowid)"
        )))
        .fetch_one(pool)
        .await
        .unwrap_or(None);
        all.push_str(&format!("## {table}\n{}\n", dump.unwrap_or_default()));
    }
    all
}

async fn session(app: &axum::Router, pool: &SqlitePool, email: &str) -> Client {
    common::session_for(app, pool, email).await
}

/// A browser as `who`: a visitor, or signed in (the owner is the demo organizer).
async fn as_who(app: &axum::Router, pool: &SqlitePool, who: Who) -> Client {
    match who {
        Who::Visitor => Client::new(app),
        Who::Owner => session(app, pool, common::ORGANIZER.0).await,
        Who::OtherOrganizer => session(app, pool, "autre@example.org").await,
        Who::Moderator => session(app, pool, common::MODERATOR.0).await,
        Who::Admin => session(app, pool, common::ADMIN.0).await,
    }
}

/// A GET of `uri` by `client` (its session cookie, if any).
async fn get_as(app: &axum::Router, client: &Client, uri: &str) -> Reply {
    let mut request = axum::http::Request::get(uri)
        .body(axum::body::Body::empty())
        .unwrap();
    if let Some(cookie) = &client.cookie {
        request
            .headers_mut()
            .insert(axum::http::header::COOKIE, cookie.parse().unwrap());
    }
    common::send(app, request).await
}

/// The demo, another organizer, and the matrix: each registered function, how to call it,
/// who may.
async fn setup(pool: &SqlitePool) -> (axum::Router, Vec<(&'static str, Access, Body)>) {
    let pool = pool.clone();
    common::load_demo(&pool).await;
    common::open_referencing(&pool, true).await;
    let app = common::app(pool.clone());
    let other_hash = server::accounts::hash_password("un autre mot de passe sûr").unwrap();
    server::accounts::insert(
        &pool,
        &server::accounts::NewAccount {
            email: "autre@example.org",
            password_hash: &other_hash,
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
    let (event, version): (i64, i64) = sqlx::query_as(
        "SELECT e.id, e.version FROM events e JOIN accounts a ON a.id = e.organizer_id \
         WHERE a.email = ? AND e.edition_year = 2026 ORDER BY e.id LIMIT 1",
    )
    .bind(common::ORGANIZER.0)
    .fetch_one(&pool)
    .await
    .unwrap();
    let other_id: i64 =
        sqlx::query_scalar("SELECT id FROM accounts WHERE email = 'autre@example.org'")
            .fetch_one(&pool)
            .await
            .unwrap();
    let public_slug: String =
        sqlx::query_scalar("SELECT slug FROM events WHERE status = 'published' LIMIT 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    let lab_slug: String = sqlx::query_scalar("SELECT slug FROM labs LIMIT 1")
        .fetch_one(&pool)
        .await
        .unwrap();
    let mut staff = session(&app, &pool, common::MODERATOR.0).await;
    let editable: Value = serde_json::from_str(
        &staff
            .form(
                <app::organizer::server::EventForEdit as leptos::server_fn::ServerFn>::PATH,
                &[("id", &event.to_string())],
            )
            .await
            .body,
    )
    .unwrap();
    let input = editable["input"].clone();
    let (e, v) = (event.to_string(), version.to_string());
    let form = |fields: &[(&'static str, &str)]| {
        Body::Form(fields.iter().map(|(k, v)| (*k, v.to_string())).collect())
    };
    // The matrix: each registered function, how to call it, who may.
    let matrix: Vec<(&'static str, Access, Body)> = vec![
        ("/api/compte/moi", Access::Public, form(&[])),
        (
            "/api/editions/bilan",
            Access::Public,
            form(&[("year", "2026")]),
        ),
        (
            "/api/labs/atlas",
            Access::Public,
            form(&[("region", ""), ("lab_type", "")]),
        ),
        (
            "/api/labs/lab",
            Access::Public,
            form(&[("slug", &lab_slug)]),
        ),
        ("/api/organisateur/options", Access::Public, form(&[])),
        (
            "/api/get_archive",
            Access::Public,
            form(&[("query", "atelier")]),
        ),
        ("/api/get_home", Access::Public, form(&[])),
        (
            "/api/get_event",
            Access::Public,
            form(&[("slug", &public_slug)]),
        ),
        (
            "/api/compte/inscription",
            Access::Public,
            form(&[
                ("email", "nouvelle@example.org"),
                ("name", "Nouvelle"),
                ("structure", "Mairie"),
                ("organizer_type", "1"),
                ("region", "75"),
                ("password", "x"),
            ]),
        ),
        (
            "/api/compte/confirmation",
            Access::Public,
            form(&[("jeton", "faux")]),
        ),
        ("/api/compte/deconnexion", Access::Public, form(&[])),
        // The steps after ProConnect: anyone, with the identity that ProConnect checked for
        // this browser (a cookie); without one, the form's message, nothing written.
        ("/api/compte/proconnect/identite", Access::Public, form(&[])),
        (
            "/api/compte/proconnect/inscription",
            Access::Public,
            form(&[
                ("structure", "Mairie"),
                ("organizer_type", "1"),
                ("region", "75"),
            ]),
        ),
        (
            "/api/compte/proconnect/lier",
            Access::Public,
            form(&[("mot_de_passe", "faux")]),
        ),
        (
            "/api/compte/code/etat",
            Access::PendingSecondFactor,
            form(&[]),
        ),
        (
            "/api/compte/code",
            Access::PendingSecondFactor,
            form(&[("code", "123456")]),
        ),
        (
            "/api/compte/connexion",
            Access::Public,
            form(&[("email", "personne@example.org"), ("password", "faux")]),
        ),
        (
            "/api/compte/mot-de-passe-oublie",
            Access::Public,
            form(&[("email", "personne@example.org")]),
        ),
        (
            "/api/compte/nouveau-mot-de-passe",
            Access::Public,
            form(&[("jeton", "faux"), ("password", "une phrase assez longue")]),
        ),
        (
            "/api/compte/changer-mot-de-passe",
            Access::SignedIn,
            form(&[("actuel", "faux"), ("nouveau", "une phrase assez longue")]),
        ),
        (
            "/api/compte/changer-adresse",
            Access::SignedIn,
            form(&[
                ("mot_de_passe", "faux"),
                ("email", "nouvelle.adresse@example.org"),
            ]),
        ),
        (
            "/api/organisateur/tableau-de-bord",
            Access::SignedIn,
            form(&[]),
        ),
        (
            "/api/organisateur/evenement",
            Access::OwnerOrStaff,
            form(&[("id", &e)]),
        ),
        (
            "/api/organisateur/creer",
            Access::SignedIn,
            Body::Json(json!({"input": {"title": ""}, "submit": false})),
        ),
        (
            "/api/organisateur/formulaire",
            Access::SignedIn,
            form(&[("title", ""), ("submit", "false")]),
        ),
        (
            "/api/organisateur/enregistrer",
            Access::OwnerOrStaff,
            Body::Json(json!({"id": event, "version": version, "input": input, "submit": false})),
        ),
        (
            "/api/organisateur/statut",
            Access::OwnerOrStaff,
            form(&[("id", &e), ("version", &v), ("action", "annuler")]),
        ),
        (
            "/api/organisateur/dupliquer",
            Access::OwnerOrStaff,
            form(&[("id", &e)]),
        ),
        (
            "/api/organisateur/sauvegarde-auto",
            Access::OwnerOrStaff,
            Body::Json(json!({"key": e, "input": input})),
        ),
        (
            "/api/organisateur/sauvegarde-auto/lire",
            Access::SignedIn,
            form(&[("key", &e)]),
        ),
        (
            "/api/organisateur/apercu",
            Access::SignedIn,
            Body::Json(json!({"markdown": "**x**"})),
        ),
        // Audience figures: an organizer's own, one event's (its organizer and staff), the
        // edition's (staff).
        ("/api/organisateur/audience", Access::SignedIn, form(&[])),
        (
            "/api/organisateur/audience/evenement",
            Access::OwnerOrStaff,
            form(&[("id", &e)]),
        ),
        (
            "/api/editions/audience",
            Access::Staff,
            form(&[("year", "2026")]),
        ),
        (
            "/api/moderation/file",
            Access::Staff,
            form(&[("q", ""), ("region", ""), ("kind", "")]),
        ),
        (
            "/api/moderation/evenement",
            Access::Staff,
            form(&[("id", &e)]),
        ),
        (
            "/api/moderation/decision",
            Access::Staff,
            form(&[("id", &e), ("version", &v), ("decision", "publier")]),
        ),
        (
            "/api/moderation/publier-selection",
            Access::Staff,
            form(&[]),
        ),
        ("/api/admin/accueil", Access::Admin, form(&[])),
        (
            "/api/admin/edition",
            Access::Admin,
            form(&[
                ("year", "2031"),
                ("ordinal", "15"),
                ("theme_of_year", ""),
                ("tagline", ""),
                ("starts_on", "2031-11-01"),
                ("ends_on", "2031-11-30"),
                ("referencing_opens_on", "2031-09-01"),
                ("referencing_closes_on", "2031-10-20"),
            ]),
        ),
        (
            "/api/admin/bilan",
            Access::Admin,
            form(&[("year", "2025"), ("action", "figer")]),
        ),
        (
            "/api/admin/vocabulaire",
            Access::Admin,
            form(&[("kind", "themes")]),
        ),
        (
            "/api/admin/vocabulaire/modifier",
            Access::Admin,
            form(&[
                ("kind", "themes"),
                ("action", "ajouter"),
                ("libelle", "Essai"),
            ]),
        ),
        ("/api/admin/comptes", Access::Admin, form(&[("q", "")])),
        (
            "/api/admin/compte",
            Access::Admin,
            form(&[("id", &other_id.to_string()), ("role", "organizer")]),
        ),
        (
            "/api/admin/import",
            Access::Admin,
            Body::Multipart(vec![
                ("fichier", Some("evenements.csv"), "titre\nx\n".to_string()),
                ("csv", None, String::new()),
            ]),
        ),
        ("/api/admin/import/essai", Access::Admin, form(&[])),
        (
            "/api/admin/import/confirmer",
            Access::Admin,
            form(&[("essai", "1")]),
        ),
        ("/api/admin/labs", Access::Admin, form(&[])),
        (
            "/api/admin/courriels",
            Access::Admin,
            form(&[("etat", "echec"), ("page", "1")]),
        ),
        (
            "/api/admin/courriels/renvoyer",
            Access::Admin,
            form(&[("id", "1")]),
        ),
        (
            "/api/admin/lab",
            Access::Admin,
            form(&[
                ("slug", ""),
                ("name", ""),
                ("host_structure", ""),
                ("lab_type", ""),
                ("region", ""),
                ("city", ""),
                ("latitude", ""),
                ("longitude", ""),
                ("website", ""),
                ("description", ""),
                ("created_year", ""),
            ]),
        ),
    ];
    (app, matrix)
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn every_server_function_and_private_route_answers_each_role_as_the_matrix_says(
    pool: SqlitePool,
) {
    let (app, matrix) = setup(&pool).await;
    // The registry and the matrix name the same functions (generated names by their prefix).
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_string())
        .collect();
    for path in &registered {
        assert!(
            matrix
                .iter()
                .any(|(p, _, _)| path == p || path.starts_with(p)),
            "{path} is a server function without a line in the authorization matrix"
        );
    }
    for (path, _, _) in &matrix {
        assert!(
            registered.iter().any(|r| r == path || r.starts_with(path)),
            "{path} is in the matrix but not registered"
        );
    }
    let mut checked = 0;
    for (path, access, body) in &matrix {
        let route = registered
            .iter()
            .find(|r| *r == path)
            .or_else(|| registered.iter().find(|r| r.starts_with(path)))
            .unwrap()
            .clone();
        // Refusals first (each must leave the database as it was), then who may.
        let mut order: Vec<Who> = EVERYONE.to_vec();
        order.sort_by_key(|who| refusal(*access, *who).is_none());
        for who in order {
            let mut client = as_who(&app, &pool, who).await;
            client.ip = [127, 0, 1, checked as u8];
            let before = fingerprint(&pool).await;
            let reply: Reply = match body {
                Body::Form(fields) => {
                    let fields: Vec<(&str, &str)> =
                        fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                    client.form(&route, &fields).await
                }
                Body::Json(value) => client.json(&route, value.clone()).await,
                Body::Multipart(parts) => {
                    let parts: Vec<(&str, Option<&str>, &str)> =
                        parts.iter().map(|(k, f, v)| (*k, *f, v.as_str())).collect();
                    client.multipart(&route, &parts).await
                }
            };
            assert!(
                !reply.status.is_server_error(),
                "{path} as {who:?}: {} {}",
                reply.status,
                reply.body
            );
            match refusal(*access, who) {
                Some(expected) => {
                    assert_eq!(reply.status, expected, "{path} as {who:?}: {}", reply.body);
                    assert!(
                        fingerprint(&pool).await == before,
                        "{path} as {who:?}: refused, yet the database changed"
                    );
                }
                None => {
                    assert!(
                        !matches!(
                            reply.status,
                            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN
                        ),
                        "{path} as {who:?}: {} {}",
                        reply.status,
                        reply.body
                    );
                }
            }
            checked += 1;
        }
    }
    // The ProConnect routes of a site that does not offer it: a 404 for everyone (their
    // behaviour with ProConnect configured: server/tests/suite/proconnect.rs).
    for uri in [
        "/connexion/proconnect",
        "/connexion/proconnect/retour?code=x&state=y",
        "/connexion/proconnect/fin?jeton=x",
        "/connexion/proconnect/deconnecte",
    ] {
        for who in EVERYONE {
            let client = as_who(&app, &pool, who).await;
            let reply = get_as(&app, &client, uri).await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{uri} as {who:?}");
        }
    }
    // The private GET routes (exports of everything): administrators only.
    for uri in [
        "/admin/export/evenements.csv",
        "/admin/export/tout.json",
        "/admin/import/exemple.csv",
    ] {
        for who in EVERYONE {
            let client = as_who(&app, &pool, who).await;
            let reply = get_as(&app, &client, uri).await;
            match refusal(Access::Admin, who) {
                Some(expected) => assert_eq!(reply.status, expected, "{uri} as {who:?}"),
                None => assert_eq!(reply.status, StatusCode::OK, "{uri} as {who:?}"),
            }
        }
    }
    // An event's audience figures, its page and its CSV: its organizer and staff; another
    // organizer gets the 404 of an event that does not exist.
    let owned: i64 = sqlx::query_scalar(
        "SELECT e.id FROM events e JOIN accounts a ON a.id = e.organizer_id \
         WHERE a.email = ? AND e.edition_year = 2026 ORDER BY e.id LIMIT 1",
    )
    .bind(common::ORGANIZER.0)
    .fetch_one(&pool)
    .await
    .unwrap();
    for uri in [
        format!("/organisateur/evenements/{owned}/audience"),
        format!("/organisateur/evenements/{owned}/audience.csv"),
    ] {
        for who in EVERYONE {
            let client = as_who(&app, &pool, who).await;
            let reply = get_as(&app, &client, &uri).await;
            match refusal(Access::OwnerOrStaff, who) {
                Some(expected) => assert_eq!(reply.status, expected, "{uri} as {who:?}"),
                None => assert_eq!(reply.status, StatusCode::OK, "{uri} as {who:?}"),
            }
            checked += 1;
        }
    }
    // The public GET routes of an event's communication kit (its poster, its sharing image):
    // everyone gets a published event's, nobody an unpublished one's, not even its organizer
    // (a 404, as for the event page: its existence is not revealed).
    let public_slug: String =
        sqlx::query_scalar("SELECT slug FROM events WHERE status = 'published' LIMIT 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    let unpublished: String = sqlx::query_scalar(
        "SELECT slug FROM events WHERE status NOT IN ('published', 'cancelled') \
         AND organizer_id = (SELECT id FROM accounts WHERE email = ?) LIMIT 1",
    )
    .bind(common::ORGANIZER.0)
    .fetch_one(&pool)
    .await
    .unwrap();
    for suffix in ["affiche", "partage.png"] {
        for who in EVERYONE {
            let client = as_who(&app, &pool, who).await;
            for (slug, expected) in [
                (&public_slug, StatusCode::OK),
                (&unpublished, StatusCode::NOT_FOUND),
            ] {
                let uri = format!("/evenements/{slug}/{suffix}");
                let reply = get_as(&app, &client, &uri).await;
                assert_eq!(reply.status, expected, "{uri} as {who:?}");
            }
        }
    }
    // The audience's public routes (the beacon of « Mon programme », the registration link):
    // anyone, for a public event only; an unpublished one is a 404, even for its organizer.
    sqlx::query(
        "UPDATE events SET registration_url = 'https://exemple.fr/inscription' WHERE slug = ?",
    )
    .bind(&public_slug)
    .execute(&pool)
    .await
    .unwrap();
    for who in EVERYONE {
        let mut client = as_who(&app, &pool, who).await;
        for (slug, saved, click) in [
            (&public_slug, StatusCode::NO_CONTENT, StatusCode::SEE_OTHER),
            (&unpublished, StatusCode::NOT_FOUND, StatusCode::NOT_FOUND),
        ] {
            let body = format!("slug={slug}&kind=programme");
            let reply =
                common::send(&app, client.request("/api/audience", "text/plain", body)).await;
            assert_eq!(reply.status, saved, "beacon {slug} as {who:?}");
            let mut request = axum::http::Request::get(format!("/evenements/{slug}/inscription"))
                .body(axum::body::Body::empty())
                .unwrap();
            if let Some(cookie) = &client.cookie {
                request
                    .headers_mut()
                    .insert(axum::http::header::COOKIE, cookie.parse().unwrap());
            }
            let reply = common::send(&app, request).await;
            assert_eq!(reply.status, click, "registration {slug} as {who:?}");
        }
        client.cookie = None;
    }
    assert!(checked >= 180, "{checked}");
}

/// Values a hostile visitor types, for every text field: empty and blank, control characters,
/// 100 kB, right-to-left override, emoji, HTML and script, SQL, far and 5-digit years,
/// negative and huge numbers, other types written as text, a formula.
fn hostile_values() -> Vec<String> {
    let mut values: Vec<String> = [
        "",
        " ",
        "   \t  ",
        "\0",
        "a\0b",
        "\r",
        "titre\rsuite",
        "\u{1b}[31mrouge",
        "\u{7f}",
        "\u{202e}lanif",
        "😀🎉 atelier",
        "<script>alert(1)</script>",
        "<svg onload=alert(1)>",
        "<!--<script>",
        "'; DROP TABLE events; --",
        "\" OR 1=1 --",
        "%00%0d%0a",
        "../../etc/passwd",
        "+10000-01-01T10:00",
        "0000-00-00",
        "99999-12-31T23:59",
        "-1",
        "-9223372036854775809",
        "99999999999999999999999",
        "1e309",
        "NaN",
        "null",
        "[]",
        "{\"a\":1}",
        "=HYPERLINK(\"http://evil.example\",\"x\")",
        "\u{feff}",
        "e\u{301}\u{301}\u{301}",
        "\n\n\n",
    ]
    .iter()
    .map(|v| v.to_string())
    .collect();
    values.push("a".repeat(100_000));
    values.push("é".repeat(201));
    values
}

/// Every server function receives each hostile value in each of its fields, as the role that
/// may call it: never a 5xx; a 422 names a field; a refusal leaves the database as it was.
#[sqlx::test(migrator = "MIGRATOR")]
async fn hostile_values_in_every_field_of_every_function_never_give_a_5xx(pool: SqlitePool) {
    let (app, matrix) = setup(&pool).await;
    let values = hostile_values();
    assert!(values.len() >= 25);
    let mut sent = 0u32;
    let mut before = fingerprint(&pool).await;
    for (path, access, body) in &matrix {
        let registered: Vec<String> = leptos::server_fn::axum::server_fn_paths()
            .map(|(p, _)| p.to_string())
            .collect();
        let route = registered
            .iter()
            .find(|r| r == path)
            .or_else(|| registered.iter().find(|r| r.starts_with(path)))
            .unwrap()
            .clone();
        let email = match access {
            Access::OwnerOrStaff => common::ORGANIZER.0,
            Access::Public | Access::PendingSecondFactor => "",
            _ => common::ADMIN.0,
        };
        // Each field in turn (JSON: each key of the body and of its `input`), then duplicate
        // keys and wrong types.
        let fields: Vec<String> = match body {
            Body::Form(fields) => fields.iter().map(|(k, _)| k.to_string()).collect(),
            Body::Multipart(parts) => parts.iter().map(|(k, _, _)| k.to_string()).collect(),
            Body::Json(value) => {
                let mut keys: Vec<String> = value
                    .as_object()
                    .unwrap()
                    .keys()
                    .filter(|k| *k != "input")
                    .cloned()
                    .collect();
                if let Some(input) = value.get("input").and_then(|i| i.as_object()) {
                    keys.extend(input.keys().map(|k| format!("input.{k}")));
                }
                keys
            }
        };
        for field in &fields {
            for hostile in &values {
                sent += 1;
                let mut client = if email.is_empty() {
                    Client::new(&app)
                } else {
                    session(&app, &pool, email).await
                };
                client.ip = [127, 1, (sent / 250) as u8, (sent % 250) as u8];
                let reply = match body {
                    Body::Form(original) => {
                        let mut fields: Vec<(&str, &str)> = original
                            .iter()
                            .map(|(k, v)| {
                                (
                                    *k,
                                    if k == field {
                                        hostile.as_str()
                                    } else {
                                        v.as_str()
                                    },
                                )
                            })
                            .collect();
                        // Duplicate keys once per field.
                        if hostile.is_empty() {
                            fields.push((field.as_str(), "doublon"));
                        }
                        client.form(&route, &fields).await
                    }
                    Body::Multipart(original) => {
                        let mut parts: Vec<(&str, Option<&str>, &str)> = original
                            .iter()
                            .map(|(k, f, v)| {
                                (
                                    *k,
                                    *f,
                                    if k == field {
                                        hostile.as_str()
                                    } else {
                                        v.as_str()
                                    },
                                )
                            })
                            .collect();
                        if hostile.is_empty() {
                            parts.push((field.as_str(), None, "doublon"));
                        }
                        client.multipart(&route, &parts).await
                    }
                    Body::Json(original) => {
                        let mut value = original.clone();
                        match field.strip_prefix("input.") {
                            Some(key) => value["input"][key] = json!(hostile),
                            None => value[field.as_str()] = json!(hostile),
                        }
                        client.json(&route, value).await
                    }
                };
                assert!(
                    !reply.status.is_server_error(),
                    "{path} {field}={:?}: {} {}",
                    hostile.chars().take(40).collect::<String>(),
                    reply.status,
                    reply.body.chars().take(300).collect::<String>()
                );
                if reply.status == StatusCode::UNPROCESSABLE_ENTITY {
                    let error: Value = serde_json::from_str(&reply.body).unwrap_or_default();
                    assert!(
                        error["fields"].as_array().is_some_and(|f| !f.is_empty()),
                        "{path} {field}: a 422 names its field: {}",
                        reply.body.chars().take(300).collect::<String>()
                    );
                }
                if reply.status.is_client_error() {
                    let after = fingerprint(&pool).await;
                    assert!(
                        after == before,
                        "{path} {field}={:?}: refused ({}), yet the database changed",
                        hostile.chars().take(40).collect::<String>(),
                        reply.status
                    );
                } else {
                    before = fingerprint(&pool).await;
                }
            }
        }
    }
    assert!(sent > 1000, "{sent} requests");
}

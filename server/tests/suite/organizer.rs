//! HTTP tests of accounts and the organizer's server functions, through the real router:
//! who may call what (401 / 404), cross-site requests (403), bad bodies (4xx, never 500),
//! stale versions (409, nothing overwritten), sign-in throttling (429), and the flows.
// Tables of cases and rows read back are written as tuples, in place.
use crate::common;

use axum::body::Body;

use axum::http::{header, Request, StatusCode};
use leptos::server_fn::ServerFn;
use serde_json::{json, Value};
use sqlx::SqlitePool;

use app::accounts::server as accounts;
use app::organizer::server as organizer;
use common::{app, send, Client, Reply, ORGANIZER};
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

/// A complete, valid in-person event in Nouvelle-Aquitaine, with real vocabulary ids.
async fn valid_input(pool: &SqlitePool) -> Value {
    let theme: i64 =
        sqlx::query_scalar("SELECT id FROM themes WHERE retired = 0 ORDER BY position LIMIT 1")
            .fetch_one(pool)
            .await
            .unwrap();
    let format: i64 = sqlx::query_scalar("SELECT id FROM formats ORDER BY position LIMIT 1")
        .fetch_one(pool)
        .await
        .unwrap();
    let audience: i64 = sqlx::query_scalar("SELECT id FROM audiences ORDER BY position LIMIT 1")
        .fetch_one(pool)
        .await
        .unwrap();
    let organizer_type: i64 =
        sqlx::query_scalar("SELECT id FROM organizer_types ORDER BY position LIMIT 1")
            .fetch_one(pool)
            .await
            .unwrap();
    json!({
        "title": "Atelier : simplifier la demande de logement social",
        "summary": "Usagers et agents conçoivent ensemble un formulaire plus simple.",
        "description": "**Programme** : accueil, atelier, restitution.",
        "themes": [theme],
        "format_id": format,
        "mode": "presentiel",
        "audience_id": audience,
        "structure_name": "Préfecture de la Gironde",
        "organizer_type_id": organizer_type,
        "region_code": "75",
        "department_code": "33",
        "city": "Bordeaux",
        "venue_address": "2 esplanade Charles-de-Gaulle",
        "postal_code": "33000",
        "starts_local": "2026-11-17T14:00",
        "ends_local": "2026-11-17T16:30",
    })
}

async fn event_row(pool: &SqlitePool, id: i64) -> (String, String, i64, bool) {
    sqlx::query_as("SELECT title, status, version, needs_review FROM events WHERE id = ?")
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn create(client: &mut Client, input: Value, submit: bool) -> Reply {
    client
        .json(
            path::<organizer::CreateEvent>(),
            json!({ "input": input, "submit": submit }),
        )
        .await
}

fn body_json(reply: &Reply) -> Value {
    serde_json::from_str(&reply.body).unwrap_or_else(|_| panic!("not JSON: {}", reply.body))
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn anonymous_callers_get_401_from_every_private_function(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let input = valid_input(&pool).await;
    let mut anonymous = Client::new(&app);
    let calls: Vec<(&str, Option<Value>, Vec<(&str, &str)>)> = vec![
        (path::<organizer::OrganizerDashboard>(), None, vec![]),
        (path::<organizer::EventForEdit>(), None, vec![("id", "1")]),
        (
            path::<organizer::CreateEvent>(),
            Some(json!({"input": input, "submit": false})),
            vec![],
        ),
        (
            path::<organizer::UpdateEvent>(),
            Some(json!({"id": 1, "version": 1, "input": input, "submit": false})),
            vec![],
        ),
        (
            path::<organizer::ChangeEventStatus>(),
            None,
            vec![("id", "1"), ("version", "1"), ("action", "annuler")],
        ),
        (path::<organizer::DuplicateEvent>(), None, vec![("id", "1")]),
        (
            path::<organizer::AutosaveEvent>(),
            Some(json!({"key": "new", "input": input})),
            vec![],
        ),
        (
            path::<organizer::AutosavedEvent>(),
            None,
            vec![("key", "new")],
        ),
        (
            path::<organizer::PreviewDescription>(),
            Some(json!({"markdown": "**x**"})),
            vec![],
        ),
        (
            path::<accounts::ChangePassword>(),
            None,
            vec![("actuel", "x"), ("nouveau", "une phrase de passe")],
        ),
        (
            path::<accounts::ChangeEmail>(),
            None,
            vec![("mot_de_passe", "x"), ("email", "a@b.fr")],
        ),
    ];
    let before: i64 = sqlx::query_scalar("SELECT sum(version) FROM events")
        .fetch_one(&pool)
        .await
        .unwrap();
    for (path, json_body, form) in calls {
        let reply = match json_body {
            Some(body) => anonymous.json(path, body).await,
            None => anonymous.form(path, &form).await,
        };
        assert_eq!(
            reply.status,
            StatusCode::UNAUTHORIZED,
            "{path}: {}",
            reply.body
        );
        assert!(reply.body.contains("connecter"), "{path}: {}", reply.body);
    }
    let after: i64 = sqlx::query_scalar("SELECT sum(version) FROM events")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(before, after, "nothing written");
    // The pages say so too, with a way to sign in.
    let page = common::get(&app, "/organisateur").await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    assert!(
        page.body.contains("/connexion?retour=%2Forganisateur"),
        "sign-in link back"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn another_organizers_events_are_not_found_and_untouched(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    // An event that is not the demo organizer's.
    let (other_id, other_version): (i64, i64) = sqlx::query_as(
        "SELECT e.id, e.version FROM events e JOIN accounts a ON a.id = e.organizer_id \
         WHERE a.email <> ? AND e.status = 'published' AND e.edition_year = 2026 LIMIT 1",
    )
    .bind(ORGANIZER.0)
    .fetch_one(&pool)
    .await
    .unwrap();
    let before = event_row(&pool, other_id).await;
    let mut client = Client::new(&app);
    client.sign_in(ORGANIZER.0, ORGANIZER.1).await;
    assert!(client.cookie.is_some(), "signed in");
    let input = valid_input(&pool).await;
    let id = other_id.to_string();
    let version = other_version.to_string();
    let replies = vec![
        client
            .form(path::<organizer::EventForEdit>(), &[("id", &id)])
            .await,
        client
            .json(
                path::<organizer::UpdateEvent>(),
                json!({"id": other_id, "version": other_version, "input": input, "submit": false}),
            )
            .await,
        client
            .form(
                path::<organizer::ChangeEventStatus>(),
                &[("id", &id), ("version", &version), ("action", "annuler")],
            )
            .await,
        client
            .form(path::<organizer::DuplicateEvent>(), &[("id", &id)])
            .await,
        client
            .json(
                path::<organizer::AutosaveEvent>(),
                json!({"key": id, "input": input}),
            )
            .await,
    ];
    for reply in replies {
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
        assert!(reply.body.contains("n'existe pas"), "{}", reply.body);
    }
    assert_eq!(event_row(&pool, other_id).await, before, "unchanged");
    let copies: i64 = sqlx::query_scalar("SELECT count(*) FROM events WHERE duplicated_from = ?")
        .bind(other_id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(copies, 0);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn cross_site_requests_are_refused(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([("email", ORGANIZER.0), ("password", ORGANIZER.1)])
        .finish();
    for (name, value) in [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let request = Request::post(path::<accounts::SignIn>())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, "127.0.0.1:3000")
            .header(name, value)
            .body(Body::from(body.clone()))
            .unwrap();
        let reply = send(&app, request).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{name}");
        assert!(reply.body.contains("origine refusée"), "{}", reply.body);
        assert!(
            reply.headers.get(header::SET_COOKIE).is_none(),
            "no session"
        );
    }
    // The site's own origin goes through.
    let mut client = Client::new(&app);
    client.sign_in(ORGANIZER.0, ORGANIZER.1).await;
    assert!(client.cookie.is_some());
    let sessions: i64 = sqlx::query_scalar("SELECT count(*) FROM sessions")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(sessions, 1);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn malformed_and_oversized_bodies_get_4xx_never_500(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let mut client = Client::new(&app);
    client.sign_in(ORGANIZER.0, ORGANIZER.1).await;
    let create = path::<organizer::CreateEvent>();
    let cases: Vec<(&str, String)> = vec![
        ("application/json", "{not json".into()),
        ("application/json", json!({"submit": true}).to_string()),
        (
            "application/json",
            json!({"input": {"themes": "tout"}, "submit": false}).to_string(),
        ),
        (
            "application/json",
            json!({"input": {}, "submit": "oui"}).to_string(),
        ),
    ];
    for (content_type, body) in cases {
        let reply = send(&app, client.request(create, content_type, body.clone())).await;
        assert!(
            reply.status.is_client_error(),
            "{body}: {} {}",
            reply.status,
            reply.body
        );
        assert!(!reply.body.is_empty(), "a message");
    }
    let reply = client
        .form(path::<organizer::EventForEdit>(), &[("id", "douze")])
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    // Too big: refused before being read.
    let huge = "x".repeat(server::router::MAX_BODY_BYTES + 1);
    let reply = send(
        &app,
        client.request(
            create,
            "application/json",
            json!({"input": {"description": huge}, "submit": false}).to_string(),
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(reply.body.contains("taille maximale"), "{}", reply.body);
    // An empty form: 422 with one message per field.
    let reply = create_event_empty(&mut client).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = body_json(&reply);
    let fields: Vec<&str> = error["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    for expected in [
        "title",
        "summary",
        "themes",
        "format",
        "audience",
        "mode",
        "starts_at",
        "ends_at",
    ] {
        assert!(fields.contains(&expected), "{expected} in {fields:?}");
    }
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM events WHERE title = ''")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(count, 0, "no half-written row");
}

async fn create_event_empty(client: &mut Client) -> Reply {
    create(client, json!({}), false).await
}

/// The event's stored fields, as one JSON object read from its row.
async fn stored_fields(pool: &SqlitePool, id: i64) -> Value {
    let json: String = sqlx::query_scalar(
        "SELECT json_object('title', title, 'summary', summary, 'description', description, \
            'format_id', format_id, 'mode', mode, 'audience_id', audience_id, \
            'structure_name', structure_name, 'organizer_type_id', organizer_type_id, \
            'lab_id', lab_id, 'region_code', region_code, 'department_code', department_code, \
            'city', city, 'venue_name', venue_name, 'venue_address', venue_address, \
            'postal_code', postal_code, 'online_url', online_url, 'starts_at', starts_at, \
            'ends_at', ends_at, 'time_zone', time_zone, 'registration_url', registration_url, \
            'capacity', capacity, 'contact_name', contact_name, 'contact_email', contact_email, \
            'accessibility', accessibility, 'all_day', all_day) FROM events WHERE id = ?",
    )
    .bind(id)
    .fetch_one(pool)
    .await
    .unwrap();
    serde_json::from_str(&json).unwrap()
}

/// Every field of the form lands in its own column, on a create and on an update (issue 27:
/// the INSERT and the UPDATE are made from one list, `organizer/columns.rs`; two values
/// swapped there would fail here). Each text is different from every other.
#[sqlx::test(migrator = "MIGRATOR")]
async fn every_field_lands_in_its_own_column(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let mut client = Client::new(&app);
    client.sign_in(ORGANIZER.0, ORGANIZER.1).await;
    let lab: i64 = sqlx::query_scalar("SELECT id FROM labs ORDER BY id LIMIT 1")
        .fetch_one(&pool)
        .await
        .unwrap();
    let mut input = valid_input(&pool).await;
    let fields = |n: u32| {
        json!({
            "title": format!("Titre {n}"),
            "summary": format!("Résumé {n}"),
            "description": format!("Description {n}"),
            "mode": "hybride",
            "structure_name": format!("Structure {n}"),
            "city": format!("Ville {n}"),
            "venue_name": format!("Salle {n}"),
            "venue_address": format!("{n} rue de l'Adresse"),
            "postal_code": format!("3300{n}"),
            "online_url": format!("https://visio.example.org/{n}"),
            "registration_url": format!("https://inscription.example.org/{n}"),
            "capacity": format!("{}", 40 + n),
            "contact_name": format!("Contact {n}"),
            "contact_email": format!("contact{n}@example.org"),
            "accessibility": format!("Accessibilité {n}"),
            "starts_local": format!("2026-11-1{n}T09:00"),
            "ends_local": format!("2026-11-1{n}T11:30"),
        })
    };
    let check = |stored: &Value, n: u32| {
        for (column, expected) in [
            ("title", json!(format!("Titre {n}"))),
            ("summary", json!(format!("Résumé {n}"))),
            ("description", json!(format!("Description {n}"))),
            ("mode", json!("hybride")),
            ("structure_name", json!(format!("Structure {n}"))),
            ("city", json!(format!("Ville {n}"))),
            ("venue_name", json!(format!("Salle {n}"))),
            ("venue_address", json!(format!("{n} rue de l'Adresse"))),
            ("postal_code", json!(format!("3300{n}"))),
            (
                "online_url",
                json!(format!("https://visio.example.org/{n}")),
            ),
            (
                "registration_url",
                json!(format!("https://inscription.example.org/{n}")),
            ),
            ("capacity", json!(40 + n)),
            ("contact_name", json!(format!("Contact {n}"))),
            ("contact_email", json!(format!("contact{n}@example.org"))),
            ("accessibility", json!(format!("Accessibilité {n}"))),
            // 9:00 and 11:30 in Paris (UTC+1 in November).
            ("starts_at", json!(format!("2026-11-1{n}T08:00:00Z"))),
            ("ends_at", json!(format!("2026-11-1{n}T10:30:00Z"))),
            ("time_zone", json!("Europe/Paris")),
            ("region_code", json!("75")),
            ("department_code", json!("33")),
            ("lab_id", json!(lab)),
            ("all_day", json!(0)),
        ] {
            assert_eq!(stored[column], expected, "{column} in {stored}");
        }
    };
    for (key, value) in fields(1).as_object().unwrap() {
        input[key] = value.clone();
    }
    input["lab_id"] = json!(lab);
    let reply = create(&mut client, input.clone(), false).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let id = body_json(&reply)["id"].as_i64().unwrap();
    let stored = stored_fields(&pool, id).await;
    check(&stored, 1);
    assert_eq!(stored["format_id"], input["format_id"]);
    assert_eq!(stored["audience_id"], input["audience_id"]);
    assert_eq!(stored["organizer_type_id"], input["organizer_type_id"]);

    for (key, value) in fields(2).as_object().unwrap() {
        input[key] = value.clone();
    }
    let reply = client
        .json(
            path::<organizer::UpdateEvent>(),
            json!({"id": id, "version": 1, "input": input, "submit": false}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    check(&stored_fields(&pool, id).await, 2);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_stale_version_is_a_conflict_and_nothing_is_overwritten(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let mut client = Client::new(&app);
    client.sign_in(ORGANIZER.0, ORGANIZER.1).await;
    let input = valid_input(&pool).await;
    let saved = body_json(&create(&mut client, input.clone(), false).await);
    let id = saved["id"].as_i64().unwrap();
    assert_eq!(saved["version"], 1);
    // Tab 1 saves on version 1…
    let mut first = input.clone();
    first["title"] = json!("Titre de l'onglet 1");
    let reply = client
        .json(
            path::<organizer::UpdateEvent>(),
            json!({"id": id, "version": 1, "input": first, "submit": false}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(body_json(&reply)["version"], 2);
    // …then tab 2, still on version 1.
    let mut second = input.clone();
    second["title"] = json!("Titre de l'onglet 2");
    let reply = client
        .json(
            path::<organizer::UpdateEvent>(),
            json!({"id": id, "version": 1, "input": second, "submit": false}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    assert!(reply.body.contains("modifié entre-temps"), "{}", reply.body);
    let (title, _, version, _) = event_row(&pool, id).await;
    assert_eq!((title.as_str(), version), ("Titre de l'onglet 1", 2));
    // Status changes check the version too.
    let reply = client
        .form(
            path::<organizer::ChangeEventStatus>(),
            &[
                ("id", &id.to_string()),
                ("version", "1"),
                ("action", "supprimer"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert_eq!(event_row(&pool, id).await.2, 2, "still there");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn repeated_sign_in_failures_are_throttled(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let mut client = Client::new(&app);
    for attempt in 1..=5 {
        let reply = client.sign_in(ORGANIZER.0, "pas le bon mot de passe").await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "attempt {attempt}"
        );
        assert!(reply.body.contains("incorrect"), "{}", reply.body);
    }
    // The sixth, even with the right password, waits.
    let reply = client.sign_in(ORGANIZER.0, ORGANIZER.1).await;
    assert_eq!(
        reply.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        reply.body
    );
    assert!(reply.body.contains("Trop de tentatives"), "{}", reply.body);
    assert!(client.cookie.is_none());

    // Per client address: 20 failures over many addresses, then even a valid account waits.
    let mut attacker = Client::new(&app);
    attacker.ip = [203, 0, 113, 9];
    for n in 0..20 {
        let reply = attacker
            .sign_in(&format!("inconnu{n}@exemple.fr"), "essai au hasard")
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let reply = attacker
        .sign_in(common::MODERATOR.0, common::MODERATOR.1)
        .await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    // Someone else, elsewhere, is not affected.
    let mut colleague = Client::new(&app);
    colleague.ip = [198, 51, 100, 7];
    colleague
        .sign_in(common::MODERATOR.0, common::MODERATOR.1)
        .await;
    assert!(colleague.cookie.is_some(), "other client signs in");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn sign_up_confirm_sign_in_create_and_submit(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let mut client = Client::new(&app);
    let organizer_type: i64 = sqlx::query_scalar("SELECT id FROM organizer_types LIMIT 1")
        .fetch_one(&pool)
        .await
        .unwrap();
    let t = organizer_type.to_string();
    let sign_up = |password: &'static str| {
        let t = t.clone();
        move |client: &mut Client| {
            let t = t.clone();
            let fields = vec![
                (
                    "email".to_string(),
                    "nouvel.agent@exemple.gouv.fr".to_string(),
                ),
                ("name".to_string(), "Nouvel Agent".to_string()),
                ("structure".to_string(), "Mairie de Pau".to_string()),
                ("organizer_type".to_string(), t),
                ("region".to_string(), "75".to_string()),
                ("password".to_string(), password.to_string()),
            ];
            let body = form_urlencoded::Serializer::new(String::new())
                .extend_pairs(fields)
                .finish();
            client.request(
                path::<accounts::SignUp>(),
                "application/x-www-form-urlencoded",
                body,
            )
        }
    };
    // Too short, then too common: refused on the password field.
    for (password, message) in [("court", "au moins 12"), ("password1234", "plus courants")] {
        let reply = send(&app, sign_up(password)(&mut client)).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            reply.body
        );
        let error = body_json(&reply);
        assert_eq!(error["fields"][0]["field"], "password");
        assert!(
            error["fields"][0]["message"]
                .as_str()
                .unwrap()
                .contains(message),
            "{}",
            reply.body
        );
    }
    let reply = send(
        &app,
        sign_up("trois chats sur le toit de la mairie")(&mut client),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let hash: String = sqlx::query_scalar(
        "SELECT password_hash FROM accounts WHERE email = 'nouvel.agent@exemple.gouv.fr'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(hash.starts_with("$argon2id$"));
    // Not confirmed yet: no sign-in.
    let reply = client
        .sign_in(
            "nouvel.agent@exemple.gouv.fr",
            "trois chats sur le toit de la mairie",
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("Confirmez"), "{}", reply.body);
    // The link is in the outbox.
    let body: String = sqlx::query_scalar("SELECT body FROM outbox WHERE recipient = 'nouvel.agent@exemple.gouv.fr' ORDER BY id DESC LIMIT 1")
        .fetch_one(&pool)
        .await
        .unwrap();
    let token = body
        .split("jeton=")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let reply = client
        .form(path::<accounts::ConfirmEmail>(), &[("jeton", &token)])
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    // Single use.
    let reply = client
        .form(path::<accounts::ConfirmEmail>(), &[("jeton", &token)])
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("déjà servi"));
    // Signing up again with the same address: same answer, a message to the owner.
    let reply = send(&app, sign_up("une autre phrase de passe")(&mut client)).await;
    assert_eq!(reply.status, StatusCode::OK);
    let accounts: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM accounts WHERE email = 'nouvel.agent@exemple.gouv.fr'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(accounts, 1);

    let reply = client
        .sign_in(
            "nouvel.agent@exemple.gouv.fr",
            "trois chats sur le toit de la mairie",
        )
        .await;
    assert!(
        reply.status.is_success() || reply.status.is_redirection(),
        "{} {}",
        reply.status,
        reply.body
    );
    let cookie = reply
        .headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain http in tests");

    // An invalid event: field messages; then valid: created and submitted.
    let mut input = valid_input(&pool).await;
    input["ends_local"] = json!("2026-11-17T13:00");
    let reply = create(&mut client, input.clone(), true).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body_json(&reply)["fields"][0]["field"], "ends_at");
    input["ends_local"] = json!("2026-11-17T16:30");
    let reply = create(&mut client, input, true).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let saved = body_json(&reply);
    assert_eq!(saved["status"], "submitted");
    let (starts_at, zone): (String, String) =
        sqlx::query_as("SELECT starts_at, time_zone FROM events WHERE id = ?")
            .bind(saved["id"].as_i64().unwrap())
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        (starts_at.as_str(), zone.as_str()),
        ("2026-11-17T13:00:00Z", "Europe/Paris")
    );
    let dashboard = client
        .form(path::<organizer::OrganizerDashboard>(), &[])
        .await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert!(dashboard
        .body
        .contains("simplifier la demande de logement social"));
    // Sign-out ends the session.
    client.form(path::<accounts::SignOut>(), &[]).await;
    let sessions: i64 = sqlx::query_scalar("SELECT count(*) FROM sessions")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(sessions, 0);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn overseas_times_are_entered_in_the_venue_zone(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let mut client = Client::new(&app);
    client.sign_in(ORGANIZER.0, ORGANIZER.1).await;
    let mut input = valid_input(&pool).await;
    input["region_code"] = json!("01");
    input["department_code"] = json!("971");
    input["city"] = json!("Pointe-à-Pitre");
    input["postal_code"] = json!("97110");
    input["starts_local"] = json!("2026-11-17T09:00");
    input["ends_local"] = json!("2026-11-17T11:00");
    let saved = body_json(&create(&mut client, input, false).await);
    let (starts_at, zone): (String, String) =
        sqlx::query_as("SELECT starts_at, time_zone FROM events WHERE id = ?")
            .bind(saved["id"].as_i64().unwrap())
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(zone, "America/Guadeloupe");
    assert_eq!(
        starts_at, "2026-11-17T13:00:00Z",
        "9 h in Guadeloupe is 13 h UTC"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn edits_of_published_events_wait_for_review_while_the_public_keeps_the_approved_text(
    pool: SqlitePool,
) {
    let app = demo_app(&pool).await;
    let mut client = Client::new(&app);
    client.sign_in(ORGANIZER.0, ORGANIZER.1).await;
    let saved = body_json(&create(&mut client, valid_input(&pool).await, true).await);
    let id = saved["id"].as_i64().unwrap();
    sqlx::query("UPDATE events SET status = 'published', version = version + 1 WHERE id = ?")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    let editable = body_json(
        &client
            .form(
                path::<organizer::EventForEdit>(),
                &[("id", &id.to_string())],
            )
            .await,
    );
    let mut input = editable["input"].clone();
    input["title"] = json!("Atelier ouvert : simplifier la demande de logement social");
    input["starts_local"] = json!("2026-11-18T14:00");
    input["ends_local"] = json!("2026-11-18T16:00");
    let reply = client
        .json(
            path::<organizer::UpdateEvent>(),
            json!({"id": id, "version": editable["version"], "input": input, "submit": false}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let (title, status, _, needs_review) = event_row(&pool, id).await;
    assert_eq!(status, "published");
    assert!(needs_review);
    // The row, which the public reads, keeps the approved text; the edit waits beside it.
    assert!(title.starts_with("Atelier : simplifier"), "{title}");
    let slug: String = sqlx::query_scalar("SELECT slug FROM events WHERE id = ?")
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap();
    let page = common::get(&app, &format!("/evenements/{slug}")).await;
    assert!(page.body.contains("Atelier : simplifier"));
    assert!(!page.body.contains("Atelier ouvert"));
    let editable = body_json(
        &client
            .form(
                path::<organizer::EventForEdit>(),
                &[("id", &id.to_string())],
            )
            .await,
    );
    assert_eq!(editable["changed_since_review"], json!(["Titre", "Dates"]));
    // The organizer reads back what they wrote.
    assert!(editable["input"]["title"]
        .as_str()
        .unwrap()
        .starts_with("Atelier ouvert"));
    // Cancelling keeps it public, marked cancelled in the feeds.
    let reply = client
        .form(
            path::<organizer::ChangeEventStatus>(),
            &[
                ("id", &id.to_string()),
                ("version", &editable["version"].to_string()),
                ("action", "annuler"),
            ],
        )
        .await;
    assert!(
        reply.status.is_success() || reply.status.is_redirection(),
        "{}",
        reply.body
    );
    let ics = common::get(&app, &format!("/evenements/{slug}/agenda.ics")).await;
    assert!(ics.body.contains("STATUS:CANCELLED"), "{}", ics.body);
    let page = common::get(&app, &format!("/evenements/{slug}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Événement annulé"));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn duplicating_a_past_event_moves_it_to_the_new_month_as_a_draft(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let mut client = Client::new(&app);
    client.sign_in(ORGANIZER.0, ORGANIZER.1).await;
    let (source, starts_at, zone): (i64, chrono::DateTime<chrono::Utc>, String) = sqlx::query_as(
        "SELECT e.id, e.starts_at, e.time_zone FROM events e JOIN accounts a ON a.id = e.organizer_id \
         WHERE a.email = ? AND e.edition_year = 2025 LIMIT 1",
    )
    .bind(ORGANIZER.0)
    .fetch_one(&pool)
    .await
    .unwrap();
    let reply = client
        .form(
            path::<organizer::DuplicateEvent>(),
            &[("id", &source.to_string())],
        )
        .await;
    assert!(
        reply.status.is_success() || reply.status.is_redirection(),
        "{}",
        reply.body
    );
    let (copy, year, status, new_start): (i64, i64, String, chrono::DateTime<chrono::Utc>) =
        sqlx::query_as(
            "SELECT id, edition_year, status, starts_at FROM events WHERE duplicated_from = ?",
        )
        .bind(source)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!((year, status.as_str()), (2026, "draft"));
    let old_local = app::events::tz::local(starts_at, &zone);
    let new_local = app::events::tz::local(new_start, &zone);
    assert_eq!(
        old_local.format("%A %H:%M").to_string(),
        new_local.format("%A %H:%M").to_string(),
        "same weekday and time"
    );
    assert!(new_local.date() >= chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap());
    assert!(new_local.date() <= chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
    // A draft can be deleted; a published event cannot.
    let reply = client
        .form(
            path::<organizer::ChangeEventStatus>(),
            &[
                ("id", &copy.to_string()),
                ("version", "1"),
                ("action", "supprimer"),
            ],
        )
        .await;
    assert!(
        reply.status.is_success() || reply.status.is_redirection(),
        "{}",
        reply.body
    );
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM events WHERE id = ?")
        .bind(copy)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(left, 0);
    let version: i64 = sqlx::query_scalar("SELECT version FROM events WHERE id = ?")
        .bind(source)
        .fetch_one(&pool)
        .await
        .unwrap();
    let reply = client
        .form(
            path::<organizer::ChangeEventStatus>(),
            &[
                ("id", &source.to_string()),
                ("version", &version.to_string()),
                ("action", "supprimer"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    assert!(reply.body.contains("Seul un brouillon"));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn password_reset_links_are_single_use_and_end_sessions(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let mut browser = Client::new(&app);
    browser.sign_in(ORGANIZER.0, ORGANIZER.1).await;
    assert!(browser.cookie.is_some());
    let mut other = Client::new(&app);
    let reply = other
        .form(
            path::<accounts::RequestPasswordReset>(),
            &[("email", ORGANIZER.0)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    // Unknown addresses get the same answer (nobody learns who has an account).
    let reply = other
        .form(
            path::<accounts::RequestPasswordReset>(),
            &[("email", "personne@exemple.fr")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let body: String =
        sqlx::query_scalar("SELECT body FROM outbox WHERE recipient = ? ORDER BY id DESC LIMIT 1")
            .bind(ORGANIZER.0)
            .fetch_one(&pool)
            .await
            .unwrap();
    let token = body
        .split("jeton=")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let reply = other
        .form(
            path::<accounts::ResetPassword>(),
            &[("jeton", &token), ("password", "court")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let reply = other
        .form(
            path::<accounts::ResetPassword>(),
            &[
                ("jeton", &token),
                ("password", "un nouveau mot de passe solide"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let reply = other
        .form(
            path::<accounts::ResetPassword>(),
            &[
                ("jeton", &token),
                ("password", "encore un autre mot de passe"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "single use");
    // The old session is over.
    let reply = browser
        .form(path::<organizer::OrganizerDashboard>(), &[])
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        other.sign_in(ORGANIZER.0, ORGANIZER.1).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let reply = other
        .sign_in(ORGANIZER.0, "un nouveau mot de passe solide")
        .await;
    assert!(reply.status.is_success() || reply.status.is_redirection());
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn sessions_expire_after_inactivity(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let mut client = Client::new(&app);
    client.sign_in(ORGANIZER.0, ORGANIZER.1).await;
    assert_eq!(
        client
            .form(path::<organizer::OrganizerDashboard>(), &[])
            .await
            .status,
        StatusCode::OK
    );
    sqlx::query("UPDATE sessions SET last_seen_at = '2026-11-09T20:00:00Z'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        client
            .form(path::<organizer::OrganizerDashboard>(), &[])
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    // A disabled account's sessions are refused at once.
    let mut client = Client::new(&app);
    client.sign_in(ORGANIZER.0, ORGANIZER.1).await;
    sqlx::query("UPDATE accounts SET disabled_at = '2026-11-10T08:00:00Z' WHERE email = ?")
        .bind(ORGANIZER.0)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        client
            .form(path::<organizer::OrganizerDashboard>(), &[])
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn descriptions_are_markdown_rendered_and_sanitised(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let mut client = Client::new(&app);
    client.sign_in(ORGANIZER.0, ORGANIZER.1).await;
    let mut input = valid_input(&pool).await;
    input["description"] = json!(
        "**Programme** : accueil.\n\n<script>alert('x')</script>\n\n[Lien](javascript:alert(1))"
    );
    let saved = body_json(&create(&mut client, input, true).await);
    let reply = client
        .json(
            path::<organizer::PreviewDescription>(),
            json!({"markdown": "**gras** <img src=x onerror=alert(1)>"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        reply.body.contains("<strong>gras</strong>") && !reply.body.contains("onerror"),
        "{}",
        reply.body
    );
    sqlx::query("UPDATE events SET status = 'published' WHERE id = ?")
        .bind(saved["id"].as_i64().unwrap())
        .execute(&pool)
        .await
        .unwrap();
    let page = common::get(
        &app,
        &format!("/evenements/{}", saved["slug"].as_str().unwrap()),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<strong>Programme</strong>"), "rendered");
    assert!(!page.body.contains("<script>alert"), "no script");
    assert!(
        !page.body.contains("javascript:alert"),
        "no javascript: link"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_signed_in_organizer_cannot_be_driven_by_another_site(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let mut client = Client::new(&app);
    client.sign_in(ORGANIZER.0, ORGANIZER.1).await;
    let before: i64 = sqlx::query_scalar("SELECT count(*) FROM events")
        .fetch_one(&pool)
        .await
        .unwrap();
    let body = json!({"input": valid_input(&pool).await, "submit": true}).to_string();
    let mut request = client.request(path::<organizer::CreateEvent>(), "application/json", body);
    request
        .headers_mut()
        .insert(header::ORIGIN, "https://evil.example".parse().unwrap());
    let reply = send(&app, request).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM events")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(before, after);
}

/// Issue 25: a new event's key makes a replay harmless. The same create sent 5 times one after
/// the other, then 5 times at once, is one event, and every answer is the first one; another
/// key is another event; another account's same key is its own; a malformed key is refused
/// and writes nothing.
#[sqlx::test(migrator = "MIGRATOR")]
async fn a_create_replayed_with_its_key_is_one_event(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let mut client = common::session_for(&app, &pool, ORGANIZER.0).await;
    let mut input = valid_input(&pool).await;
    input["title"] = json!("Atelier envoyé plusieurs fois");
    let count = || {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT count(*) FROM events WHERE title = 'Atelier envoyé plusieurs fois'",
            )
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let key = "0f8fad5b-d9cb-469f-a165-70867728950e";
    let body = json!({ "input": input, "submit": false, "key": key });
    let mut answers = Vec::new();
    for _ in 0..5 {
        let reply = client
            .json(path::<organizer::CreateEvent>(), body.clone())
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        answers.push(body_json(&reply));
    }
    assert_eq!(count().await, 1, "five replays, one event");
    assert!(answers.windows(2).all(|w| w[0] == w[1]), "{answers:?}");
    assert_eq!(answers[0]["version"], 1);

    // At once: the write transactions take turns, the key's row holds.
    let parallel_key = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
    let mut second = input.clone();
    second["title"] = json!("Atelier envoyé en même temps");
    let body = json!({ "input": second, "submit": true, "key": parallel_key });
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..5 {
        let mut client = Client {
            app: app.clone(),
            cookie: client.cookie.clone(),
            ip: [127, 0, 0, 1],
        };
        let body = body.clone();
        tasks.spawn(async move { client.json(path::<organizer::CreateEvent>(), body).await });
    }
    let replies = tasks.join_all().await;
    let ids: std::collections::BTreeSet<i64> = replies
        .iter()
        .map(|r| {
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            body_json(r)["id"].as_i64().unwrap()
        })
        .collect();
    assert_eq!(ids.len(), 1, "five at once, one event: {ids:?}");
    let rows: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM events WHERE title = 'Atelier envoyé en même temps'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(rows, 1);

    // Another key: another event.
    let reply = client
        .json(
            path::<organizer::CreateEvent>(),
            json!({ "input": input, "submit": false, "key": "a3bb189e-8bf9-3888-9912-ace4e6543002" }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(count().await, 2);

    // The same key for another account is that account's own event.
    let mut other = common::session_for(&app, &pool, common::ADMIN.0).await;
    let reply = other
        .json(
            path::<organizer::CreateEvent>(),
            json!({ "input": input, "submit": false, "key": key }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_ne!(body_json(&reply)["id"], answers[0]["id"]);
    assert_eq!(count().await, 3);

    // Malformed keys: refused, nothing written.
    for bad in [
        "court",
        "x".repeat(65).as_str(),
        "clé avec espaces et accents!",
        "../../etc",
    ] {
        let reply = client
            .json(
                path::<organizer::CreateEvent>(),
                json!({ "input": input, "submit": false, "key": bad }),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{bad}: {}",
            reply.body
        );
    }
    assert_eq!(count().await, 3);
}

/// Issue 25: a save queued offline names the account its form was opened by; sent once another
/// account has signed in on the same browser, it is refused (401: the queue keeps it for its
/// account) and writes nothing; sent as its own account, it is saved.
#[sqlx::test(migrator = "MIGRATOR")]
async fn a_queued_save_is_only_ever_written_as_its_own_account(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let mut client = common::session_for(&app, &pool, ORGANIZER.0).await;
    let me: i64 = sqlx::query_scalar("SELECT id FROM accounts WHERE email = ?")
        .bind(ORGANIZER.0)
        .fetch_one(&pool)
        .await
        .unwrap();
    let mut input = valid_input(&pool).await;
    input["title"] = json!("Atelier préparé sur un autre compte");
    let rows = || {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT count(*) FROM events WHERE title = 'Atelier préparé sur un autre compte'",
            )
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let key = "5b3f1f4e-2c1a-4b8e-9d7f-0a1b2c3d4e5f";
    let reply = client
        .json(
            path::<organizer::CreateEvent>(),
            json!({ "input": input, "submit": true, "key": key, "account": me + 1000 }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.body);
    assert_eq!(rows().await, 0, "nothing written for another account");

    let reply = client
        .json(
            path::<organizer::CreateEvent>(),
            json!({ "input": input, "submit": false, "key": key, "account": me }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let saved = body_json(&reply);
    assert_eq!(rows().await, 1);

    // An edit: the same rule.
    let update = |account: i64| json!({ "id": saved["id"], "version": saved["version"], "input": input, "submit": true, "account": account });
    let reply = client
        .json(path::<organizer::UpdateEvent>(), update(me + 1000))
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.body);
    let status: String = sqlx::query_scalar("SELECT status FROM events WHERE id = ?")
        .bind(saved["id"].as_i64().unwrap())
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(status, "draft", "the refused submission changed nothing");
    let reply = client
        .json(path::<organizer::UpdateEvent>(), update(me))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(body_json(&reply)["status"], "submitted");
}

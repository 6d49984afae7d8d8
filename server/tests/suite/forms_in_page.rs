//! Issue 24: every form of the site, posted by a browser without JavaScript with a mistake in
//! it, comes back to its own page with the message (a redirect to the page, the error in
//! `__err`), never a JSON body shown to a person, with what was typed (kept on the server,
//! named by `__input`) and never a password. The forms are listed from the pages' own source
//! (each `ServerAction::<Name>`): a new form without a line here fails this test.
// Tables of cases and rows read back are written as tuples, in place.
use crate::common;

use std::collections::BTreeSet;

use axum::http::{header, StatusCode};
use sqlx::SqlitePool;

use common::{Client, ADMIN, MODERATOR, ORGANIZER};
use server::db::MIGRATOR;

/// The names of the server functions that the pages post as forms.
fn forms_in_source() -> BTreeSet<String> {
    fn walk(dir: &std::path::Path, found: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for part in text.split("ServerAction::<").skip(1) {
                    let name: String = part
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() {
                        found.insert(name);
                    }
                }
            }
        }
    }
    let mut found = BTreeSet::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src"),
        &mut found,
    );
    found
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn every_form_with_a_mistake_comes_back_to_its_page_without_javascript(pool: SqlitePool) {
    common::load_demo(&pool).await;
    let app = common::app(pool.clone());
    let event: i64 = sqlx::query_scalar(
        "SELECT e.id FROM events e JOIN accounts a ON a.id = e.organizer_id \
         WHERE a.email = ? AND e.edition_year = 2026 ORDER BY e.id LIMIT 1",
    )
    .bind(ORGANIZER.0)
    .fetch_one(&pool)
    .await
    .unwrap();
    let e = event.to_string();
    let organizer_id: i64 = sqlx::query_scalar("SELECT id FROM accounts WHERE email = ?")
        .bind(ORGANIZER.0)
        .fetch_one(&pool)
        .await
        .unwrap();
    let organizer_id = organizer_id.to_string();
    // Name → (who posts it, its page, fields with a mistake).
    let forms: Vec<(&str, &str, String, Vec<(&str, String)>)> = vec![
        (
            "SignIn",
            "",
            "/connexion".into(),
            vec![
                ("email", ORGANIZER.0.into()),
                ("password", "faux-mdp-7391".into()),
            ],
        ),
        (
            "SignUp",
            "",
            "/inscription".into(),
            vec![
                ("email", "pas-une-adresse".into()),
                ("name", "Ana Typée".into()),
                ("structure", "".into()),
                ("organizer_type", "".into()),
                ("region", "".into()),
                ("password", "court-mdp-7391".into()),
            ],
        ),
        (
            "ConfirmEmail",
            "",
            "/confirmation".into(),
            vec![("jeton", "faux".into())],
        ),
        (
            "RequestPasswordReset",
            "",
            "/mot-de-passe-oublie".into(),
            vec![("email", "pas-une-adresse".into())],
        ),
        (
            "ResetPassword",
            "",
            "/mot-de-passe/nouveau".into(),
            vec![
                ("jeton", "faux".into()),
                ("password", "court-mdp-7391".into()),
            ],
        ),
        // Nothing to get wrong: it signs out and goes home.
        ("SignOut", "", "/".into(), vec![]),
        (
            "VerifySecondFactor",
            "",
            "/connexion/code".into(),
            vec![("code", "000000".into())],
        ),
        (
            "ChangePassword",
            ORGANIZER.0,
            "/compte".into(),
            vec![
                ("actuel", "faux-mdp-7391".into()),
                ("nouveau", "court-mdp-7392".into()),
            ],
        ),
        (
            "ChangeEmail",
            ORGANIZER.0,
            "/compte".into(),
            vec![
                ("mot_de_passe", "faux-mdp-7391".into()),
                ("email", "adresse-typee".into()),
            ],
        ),
        (
            "ChangeEventStatus",
            ORGANIZER.0,
            format!("/organisateur/evenements/{e}"),
            vec![
                ("id", e.clone()),
                ("version", "999".into()),
                ("action", "annuler".into()),
            ],
        ),
        (
            "SaveEventForm",
            ORGANIZER.0,
            "/organisateur/evenements/nouveau".into(),
            vec![
                ("title", "".into()),
                ("summary", "Un résumé tapé sans JavaScript".into()),
                ("mode", "en_ligne".into()),
                ("submit", "true".into()),
            ],
        ),
        (
            "DuplicateEvent",
            ORGANIZER.0,
            "/organisateur".into(),
            vec![("id", "99999999".into())],
        ),
        (
            "ModerateEvent",
            MODERATOR.0,
            format!("/moderation/evenements/{e}"),
            vec![
                ("id", e.clone()),
                ("version", "999".into()),
                ("decision", "refuser".into()),
                ("message", "".into()),
                ("__form", "refus".into()),
            ],
        ),
        ("BulkPublish", MODERATOR.0, "/moderation".into(), vec![]),
        (
            "SaveEdition",
            ADMIN.0,
            "/admin".into(),
            vec![
                ("year", "abc".into()),
                ("ordinal", "".into()),
                ("theme_of_year", "".into()),
                ("tagline", "Accroche tapée".into()),
                ("starts_on", "".into()),
                ("ends_on", "".into()),
                ("referencing_opens_on", "".into()),
                ("referencing_closes_on", "".into()),
            ],
        ),
        (
            "FreezeReport",
            ADMIN.0,
            "/admin".into(),
            vec![
                ("year", "2025".into()),
                ("action", "effacer".into()),
                ("__form", "2025".into()),
            ],
        ),
        (
            "ChangeVocabulary",
            ADMIN.0,
            "/admin/vocabulaires".into(),
            vec![
                ("kind", "themes".into()),
                ("action", "ajouter".into()),
                ("libelle", "".into()),
                ("__form", "ajouter".into()),
            ],
        ),
        (
            "UpdateAccount",
            ADMIN.0,
            "/admin/comptes".into(),
            vec![
                ("id", organizer_id.clone()),
                ("role", "pirate".into()),
                ("__form", organizer_id.clone()),
            ],
        ),
        // Posted as multipart by its page (a file); here as a plain form, which the router
        // refuses before the function (see `first_day_import.rs` for the page's own post).
        (
            "ImportEvents",
            ADMIN.0,
            "/admin/import".into(),
            vec![("csv", "pas,un,fichier\n1".into())],
        ),
        (
            "ConfirmImport",
            ADMIN.0,
            "/admin/import?essai=99999999".into(),
            vec![("essai", "99999999".into())],
        ),
        (
            "SaveLab",
            ADMIN.0,
            "/admin/labs".into(),
            vec![
                ("slug", "".into()),
                ("name", "".into()),
                ("host_structure", "".into()),
                ("lab_type", "".into()),
                ("region", "".into()),
                ("city", "".into()),
                ("latitude", "".into()),
                ("longitude", "".into()),
                ("website", "".into()),
                (
                    "description",
                    "Une description\ntapée <sur deux lignes>".into(),
                ),
                ("created_year", "".into()),
            ],
        ),
        // The steps after ProConnect, with an identity it checked for this browser (below).
        (
            "CompleteProconnectSignUp",
            "",
            "/inscription/proconnect".into(),
            vec![
                ("structure", "".into()),
                ("organizer_type", "1".into()),
                ("region", "75".into()),
            ],
        ),
        (
            "LinkProconnect",
            "",
            "/connexion/proconnect/lier".into(),
            vec![("mot_de_passe", "faux-mdp-7391".into())],
        ),
        // A message that does not exist (the outbox of the demo is empty).
        (
            "ResendMail",
            ADMIN.0,
            "/admin/courriels".into(),
            vec![
                ("id", "99999999".into()),
                ("__form", "renvoyer-99999999".into()),
            ],
        ),
    ];
    // What the page shows again, as the browser gets it (`value="…"`, a textarea's text).
    let typed_back: &[(&str, &str)] = &[
        ("SignIn", "value=\"organisatrice@example.org\""),
        ("SignUp", "value=\"pas-une-adresse\""),
        ("SignUp", "value=\"Ana Typée\""),
        ("RequestPasswordReset", "value=\"pas-une-adresse\""),
        ("ChangeEmail", "value=\"adresse-typee\""),
        ("SaveEdition", "value=\"Accroche tapée\""),
        ("SaveEventForm", "Un résumé tapé sans JavaScript</textarea>"),
        (
            "SaveLab",
            "Une description\ntapée &lt;sur deux lignes&gt;</textarea>",
        ),
    ];
    let listed: BTreeSet<String> = forms.iter().map(|(name, ..)| name.to_string()).collect();
    for name in forms_in_source() {
        assert!(
            listed.contains(&name),
            "the form {name} has no line here: how does its mistake come back to its page?"
        );
    }
    let registered: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(p, _)| p.to_string())
        .collect();
    for (name, who, page, fields) in &forms {
        // The function's path: its name, as the server function registry writes it.
        let path = path_of(name, &registered);
        let mut client = if who.is_empty() {
            Client::new(&app)
        } else {
            common::session_for(&app, &pool, who).await
        };
        if name.ends_with("Proconnect") || name.contains("ProconnectSignUp") {
            // What ProConnect's answer leaves: a checked identity waiting for this browser
            // (the address of the demo organizer: linking asks for that account's password).
            let token = app::accounts::session::new_token();
            sqlx::query(
                "INSERT INTO proconnect_pending (token_hash, sub, email, name, id_token, \
                    expires_at) VALUES (?, 'sub-1', ?, 'Agent Public', 'x', '2099-01-01T00:00:00Z')",
            )
            .bind(app::accounts::session::token_hash(&token))
            .bind(ORGANIZER.0)
            .execute(&pool)
            .await
            .unwrap();
            client.cookie = Some(format!("mip_proconnect={token}"));
        }
        if *name == "VerifySecondFactor" {
            // The code page is for a session whose password was right.
            let reply = client
                .form(
                    <app::accounts::server::SignIn as leptos::server_fn::ServerFn>::PATH,
                    &[("email", MODERATOR.0), ("password", MODERATOR.1)],
                )
                .await;
            assert!(reply.headers.contains_key(header::LOCATION));
        }
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields.iter().map(|(k, v)| (*k, v.as_str())))
            .finish();
        let mut request = client.request(&path, "application/x-www-form-urlencoded", body);
        request
            .headers_mut()
            .insert(header::ACCEPT, "text/html".parse().unwrap());
        request.headers_mut().insert(
            header::REFERER,
            format!("http://127.0.0.1:3000{page}").parse().unwrap(),
        );
        let reply = common::send(&app, request).await;
        let content_type = reply
            .headers
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        assert!(
            reply.status.is_redirection(),
            "{name}: a browser without JavaScript got {} {content_type}: {}",
            reply.status,
            reply.body.chars().take(200).collect::<String>()
        );
        let location = reply.headers[header::LOCATION]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            location.contains(page.as_str()),
            "{name}: back to {location}, not its page {page}"
        );
        if *name != "SignOut" {
            assert!(
                location.contains("__err="),
                "{name}: no error carried back: {location}"
            );
            // The import posts a file (multipart): a file input cannot be filled again, its
            // page says to choose the file again.
            if !fields.is_empty() && *name != "ImportEvents" {
                assert!(
                    location.contains("__input="),
                    "{name}: what was typed is not kept: {location}"
                );
            }
            if let Some((_, form)) = fields.iter().find(|(k, _)| *k == "__form") {
                assert!(
                    location.contains(&format!("__form={form}")),
                    "{name}: {location}"
                );
            }
            // The page shows it (as text, in the page's own layout).
            let back = location.trim_start_matches("http://127.0.0.1:3000");
            let mut get = axum::http::Request::get(back)
                .body(axum::body::Body::empty())
                .unwrap();
            if let Some(cookie) = &client.cookie {
                get.headers_mut()
                    .insert(header::COOKIE, cookie.parse().unwrap());
            }
            let shown = common::send(&app, get).await;
            assert_ne!(shown.status, StatusCode::INTERNAL_SERVER_ERROR, "{name}");
            assert!(!shown.body.starts_with('{'), "{name}: JSON shown");
            // The message is in the page: the summary for field errors, an alert otherwise.
            assert!(
                shown.body.contains("data-error-summary") || shown.body.contains("data-form-error"),
                "{name}: no error shown on {back}"
            );
            for (_, text) in typed_back.iter().filter(|(n, _)| n == name) {
                assert!(
                    shown.body.contains(text),
                    "{name}: {text} is not shown again on {back}"
                );
            }
            for (field, value) in fields {
                if app::forms::is_secret_field(field) && !value.is_empty() {
                    assert!(
                        !shown.body.contains(value.as_str()),
                        "{name}: the secret {field} is shown again"
                    );
                }
            }
        }
    }
}

/// `SignIn` → `/api/compte/connexion`: the registry's path whose function has that name.
fn path_of(name: &str, registered: &[String]) -> String {
    use leptos::server_fn::ServerFn;
    let known: &[(&str, &str)] = &[
        ("SignIn", app::accounts::server::SignIn::PATH),
        ("SignUp", app::accounts::server::SignUp::PATH),
        ("ConfirmEmail", app::accounts::server::ConfirmEmail::PATH),
        (
            "RequestPasswordReset",
            app::accounts::server::RequestPasswordReset::PATH,
        ),
        ("ResetPassword", app::accounts::server::ResetPassword::PATH),
        ("SignOut", app::accounts::server::SignOut::PATH),
        (
            "VerifySecondFactor",
            app::accounts::server::VerifySecondFactor::PATH,
        ),
        (
            "ChangePassword",
            app::accounts::server::ChangePassword::PATH,
        ),
        ("ChangeEmail", app::accounts::server::ChangeEmail::PATH),
        (
            "ChangeEventStatus",
            app::organizer::server::ChangeEventStatus::PATH,
        ),
        (
            "DuplicateEvent",
            app::organizer::server::DuplicateEvent::PATH,
        ),
        ("SaveEventForm", app::organizer::server::SaveEventForm::PATH),
        (
            "ModerateEvent",
            app::moderation::server::ModerateEvent::PATH,
        ),
        ("BulkPublish", app::moderation::server::BulkPublish::PATH),
        ("SaveEdition", app::admin::server::SaveEdition::PATH),
        ("FreezeReport", app::admin::server::FreezeReport::PATH),
        (
            "ChangeVocabulary",
            app::admin::server::ChangeVocabulary::PATH,
        ),
        ("UpdateAccount", app::admin::server::UpdateAccount::PATH),
        ("ImportEvents", app::admin::server::ImportEvents::PATH),
        ("ConfirmImport", app::admin::server::ConfirmImport::PATH),
        ("SaveLab", app::admin::server::SaveLab::PATH),
        ("ResendMail", app::admin::mail_queue::ResendMail::PATH),
        (
            "CompleteProconnectSignUp",
            app::accounts::proconnect::server::CompleteProconnectSignUp::PATH,
        ),
        (
            "LinkProconnect",
            app::accounts::proconnect::server::LinkProconnect::PATH,
        ),
    ];
    let path = known
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, p)| p.to_string())
        .unwrap_or_else(|| panic!("{name}: add its path here"));
    assert!(registered.contains(&path), "{path} is not registered");
    path
}

/// The checks that run before any server function (a control character, a body too large)
/// answer a browser without JavaScript on its page too, never with JSON.
#[sqlx::test(migrator = "MIGRATOR")]
async fn refusals_before_the_function_come_back_to_the_page_too(pool: SqlitePool) {
    common::load_demo(&pool).await;
    let app = common::app(pool.clone());
    let client = Client::new(&app);
    let path = <app::accounts::server::SignIn as leptos::server_fn::ServerFn>::PATH;
    for body in [
        "email=a%40b.fr&password=x%01y".to_string(),
        format!("email={}&password=x", "a".repeat(300 * 1024)),
    ] {
        let mut request = client.request(path, "application/x-www-form-urlencoded", body);
        request
            .headers_mut()
            .insert(header::ACCEPT, "text/html".parse().unwrap());
        request.headers_mut().insert(
            header::REFERER,
            "http://127.0.0.1:3000/connexion?retour=%2Forganisateur"
                .parse()
                .unwrap(),
        );
        let reply = common::send(&app, request).await;
        assert!(
            reply.status.is_redirection(),
            "{} {}",
            reply.status,
            reply.body
        );
        let location = reply.headers[header::LOCATION].to_str().unwrap();
        assert!(
            location.starts_with("/connexion?retour=%2Forganisateur&__path=")
                && location.contains("__err="),
            "{location}"
        );
        let shown = common::get(&app, location).await;
        assert_eq!(shown.status, StatusCode::OK);
    }
    // An API client still gets the error's own status and body.
    let reply = Client::new(&app)
        .form(path, &[("email", "a@b.fr"), ("password", "x\u{1}y")])
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// A password is never shown again: every password input of the site has a name that the
/// kept submissions leave out (`app::forms::is_secret_field`).
#[sqlx::test(migrator = "MIGRATOR")]
async fn every_password_input_is_left_out_of_what_is_kept(pool: SqlitePool) {
    common::load_demo(&pool).await;
    let app = common::app(pool.clone());
    let organizer = common::session_for(&app, &pool, ORGANIZER.0).await;
    let mut seen = 0;
    for (page, cookie) in [
        ("/connexion", None),
        ("/inscription", None),
        ("/mot-de-passe/nouveau?jeton=x", None),
        ("/compte", organizer.cookie.clone()),
    ] {
        let mut get = axum::http::Request::get(page)
            .body(axum::body::Body::empty())
            .unwrap();
        if let Some(cookie) = cookie {
            get.headers_mut()
                .insert(header::COOKIE, cookie.parse().unwrap());
        }
        let shown = common::send(&app, get).await;
        for tag in shown.body.split("<input").skip(1) {
            let tag = tag.split('>').next().unwrap_or_default();
            if tag.contains("type=\"password\"") {
                let name = tag
                    .split("name=\"")
                    .nth(1)
                    .and_then(|rest| rest.split('"').next())
                    .unwrap_or_else(|| panic!("{page}: a password input without a name: {tag}"));
                assert!(
                    app::forms::is_secret_field(name),
                    "{page}: the password input {name} would be kept"
                );
                seen += 1;
            }
        }
    }
    assert!(seen >= 5, "only {seen} password inputs found");
}

/// A browser's post that cannot go back to a page of this site (another site's form) gets a
/// page in words with its status, not a JSON body.
#[sqlx::test(migrator = "MIGRATOR")]
async fn a_post_from_elsewhere_gets_a_page_not_json(pool: SqlitePool) {
    common::load_demo(&pool).await;
    let app = common::app(pool.clone());
    let client = Client::new(&app);
    let path = <app::accounts::server::SignIn as leptos::server_fn::ServerFn>::PATH;
    let mut request = client.request(
        path,
        "application/x-www-form-urlencoded",
        "email=a%40b.fr&password=x".into(),
    );
    for (name, value) in [
        (header::ACCEPT, "text/html"),
        (header::ORIGIN, "https://ailleurs.example"),
        (header::REFERER, "https://ailleurs.example/formulaire"),
    ] {
        request.headers_mut().insert(name, value.parse().unwrap());
    }
    let reply = common::send(&app, request).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(reply.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(
        reply.body.contains("origine refusée") && !reply.body.starts_with('{'),
        "{}",
        reply.body
    );
}

/// Posts the event form as a browser without JavaScript does, from `page`; the reply, and
/// the page it leads to (followed with the session).
async fn post_event_form(
    app: &axum::Router,
    client: &Client,
    page: &str,
    fields: &[(&str, String)],
) -> (String, common::Reply) {
    use leptos::server_fn::ServerFn;
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields.iter().map(|(k, v)| (*k, v.as_str())))
        .finish();
    let mut request = client.request(
        app::organizer::server::SaveEventForm::PATH,
        "application/x-www-form-urlencoded",
        body,
    );
    request
        .headers_mut()
        .insert(header::ACCEPT, "text/html".parse().unwrap());
    request.headers_mut().insert(
        header::REFERER,
        format!("http://127.0.0.1:3000{page}").parse().unwrap(),
    );
    let reply = common::send(app, request).await;
    assert!(
        reply.status.is_redirection(),
        "{page}: {} {}",
        reply.status,
        reply.body.chars().take(300).collect::<String>()
    );
    let location = reply.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .trim_start_matches("http://127.0.0.1:3000")
        .to_string();
    let mut get = axum::http::Request::get(&location)
        .body(axum::body::Body::empty())
        .unwrap();
    get.headers_mut().insert(
        header::COOKIE,
        client.cookie.clone().unwrap().parse().unwrap(),
    );
    let shown = common::send(app, get).await;
    assert_eq!(shown.status, StatusCode::OK, "{location}");
    (location, shown)
}

/// Issue 24: the event form works without JavaScript. A mistake comes back with the summary,
/// each message and everything typed (themes, mode and the « hors période » box included);
/// a right form creates exactly one event, then saves it with its version; a stale version
/// comes back with the conflict and the typing kept, and writes nothing; another organizer's
/// event is refused and unchanged.
#[sqlx::test(migrator = "MIGRATOR")]
async fn the_event_form_works_without_javascript(pool: SqlitePool) {
    common::load_demo(&pool).await;
    common::open_referencing(&pool, true).await;
    let app = common::app(pool.clone());
    let client = common::session_for(&app, &pool, ORGANIZER.0).await;
    let ids = |sql: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_all(&pool)
                .await
                .unwrap()
        }
    };
    let themes = ids("SELECT id FROM themes WHERE retired = 0 ORDER BY position LIMIT 2").await;
    let format = ids("SELECT id FROM formats ORDER BY position LIMIT 1").await[0].to_string();
    let audience = ids("SELECT id FROM audiences ORDER BY position LIMIT 1").await[0].to_string();
    let organizer_type =
        ids("SELECT id FROM organizer_types ORDER BY position LIMIT 1").await[0].to_string();
    let count = || {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM events")
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let before = count().await;
    let mut fields: Vec<(&str, String)> = vec![
        ("title", "".into()),
        (
            "summary",
            "Usagers et agents conçoivent un formulaire plus simple.".into(),
        ),
        ("description", "**Programme** :\n- accueil <b>".into()),
        ("themes[]", themes[0].to_string()),
        ("themes[]", themes[1].to_string()),
        ("format", format.clone()),
        ("audience", audience.clone()),
        ("structure_name", "Préfecture de la Gironde".into()),
        ("organizer_type", organizer_type.clone()),
        ("lab", "".into()),
        ("mode", "presentiel".into()),
        ("region", "75".into()),
        ("department", "33".into()),
        ("venue_name", "".into()),
        ("venue_address", "2 esplanade Charles-de-Gaulle".into()),
        ("postal_code", "33000".into()),
        ("city", "Bordeaux".into()),
        ("starts_at", "2026-11-17T14:00".into()),
        ("ends_at", "2026-11-17T16:30".into()),
        ("out_of_period", "1".into()),
        ("out_of_period_reason", "".into()),
        ("registration_url", "".into()),
        ("capacity", "".into()),
        ("contact_name", "".into()),
        ("contact_email", "".into()),
        ("accessibility", "Boucle magnétique".into()),
        ("submit", "false".into()),
    ];
    let set = |fields: &mut Vec<(&str, String)>, name: &str, value: &str| {
        for (k, v) in fields.iter_mut() {
            if *k == name {
                *v = value.to_string();
            }
        }
    };

    // Two mistakes: no title, « hors période » ticked without its reason.
    let (location, shown) =
        post_event_form(&app, &client, "/organisateur/evenements/nouveau", &fields).await;
    assert!(
        location.starts_with("/organisateur/evenements/nouveau?"),
        "{location}"
    );
    let page = &shown.body;
    assert!(page.contains("data-error-summary"), "no summary");
    assert!(page.contains("Le formulaire contient 2 erreurs"), "{page}");
    assert!(
        page.contains("href=\"#title\""),
        "the summary links to the title"
    );
    assert!(page.contains("href=\"#out_of_period_reason\""));
    assert!(page.contains("Usagers et agents conçoivent un formulaire plus simple.</textarea>"));
    assert!(page.contains("**Programme** :\n- accueil &lt;b&gt;</textarea>"));
    assert!(
        page.contains("value=\"Boucle magnétique\"")
            || page.contains("Boucle magnétique</textarea>")
    );
    for theme in &themes {
        let input = page
            .split(&format!("id=\"theme-{theme}\""))
            .nth(1)
            .and_then(|rest| rest.split('>').next())
            .unwrap_or_default();
        assert!(
            input.contains("checked"),
            "theme {theme} not ticked again: {input}"
        );
    }
    let mode = page
        .split("id=\"mode-presentiel\"")
        .nth(1)
        .unwrap()
        .split('>')
        .next()
        .unwrap();
    assert!(mode.contains("checked"), "mode not chosen again: {mode}");
    let box_ = page
        .split("id=\"hors-periode\"")
        .nth(1)
        .unwrap()
        .split('>')
        .next()
        .unwrap();
    assert!(
        box_.contains("checked"),
        "« hors période » not ticked again"
    );
    assert_eq!(count().await, before, "a form in error wrote a row");

    // A control character, and a title 1,000 times too long: each comes back on its field,
    // in the page, and nothing is written.
    for (title, message) in [
        ("Atelier\u{0007}sonore".to_string(), "caractère invisible"),
        ("x".repeat(200_000), "200 caractères"),
    ] {
        let mut wrong = fields.clone();
        set(&mut wrong, "title", &title);
        set(&mut wrong, "out_of_period", "");
        wrong.retain(|(k, v)| *k != "out_of_period" || !v.is_empty());
        let (location, shown) =
            post_event_form(&app, &client, "/organisateur/evenements/nouveau", &wrong).await;
        assert!(
            location.starts_with("/organisateur/evenements/nouveau?"),
            "{location}"
        );
        let messages = shown
            .body
            .split("id=\"title-messages\"")
            .nth(1)
            .and_then(|rest| rest.split("</div>").next())
            .unwrap_or_default();
        assert!(messages.contains(message), "title: {message}? {messages}");
        assert!(!shown.body.starts_with('{'));
        assert_eq!(count().await, before, "a refused form wrote a row");
    }

    // Right: one draft, and the browser lands on its page. The form's key (made when it was
    // rendered) makes a second click, or the form sent again, the same event.
    set(&mut fields, "title", "Atelier sans JavaScript");
    set(&mut fields, "out_of_period", "");
    fields.retain(|(k, v)| *k != "out_of_period" || !v.is_empty());
    fields.push(("cle", "5f1c3e0a9b2d4c6e8f7a1b3c5d7e9f0a".into()));
    let (location, shown) =
        post_event_form(&app, &client, "/organisateur/evenements/nouveau", &fields).await;
    let (again, _) =
        post_event_form(&app, &client, "/organisateur/evenements/nouveau", &fields).await;
    assert_eq!(
        again, location,
        "the form sent twice leads to the same event"
    );
    assert_eq!(count().await, before + 1, "exactly one event created");
    let (id, status, version, themes_saved): (i64, String, i64, i64) = sqlx::query_as(
        "SELECT e.id, e.status, e.version, (SELECT COUNT(*) FROM event_themes t WHERE t.event_id = e.id) \
         FROM events e WHERE e.title = 'Atelier sans JavaScript'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(status, "draft");
    assert_eq!(themes_saved, 2);
    assert!(
        location.starts_with(&format!(
            "/organisateur/evenements/{id}?etat=brouillon&v={version}"
        )),
        "{location}"
    );
    assert!(shown.body.contains("Brouillon enregistré"));
    assert!(shown.body.contains("value=\"Atelier sans JavaScript\""));

    // Saved again with its version and submitted.
    let page = format!("/organisateur/evenements/{id}");
    let mut edit = fields.clone();
    edit.push(("id", id.to_string()));
    edit.push(("version", version.to_string()));
    set(&mut edit, "title", "Atelier sans JavaScript, soumis");
    set(&mut edit, "submit", "true");
    let (location, _) = post_event_form(&app, &client, &page, &edit).await;
    assert!(location.contains("etat=soumis"), "{location}");
    let (title, status): (String, String) =
        sqlx::query_as("SELECT title, status FROM events WHERE id = ?")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        (title.as_str(), status.as_str()),
        ("Atelier sans JavaScript, soumis", "submitted")
    );

    // The same post again holds a stale version: the conflict, the typing kept, nothing written.
    set(&mut edit, "title", "Titre tapé sur une page ancienne");
    let (location, shown) = post_event_form(&app, &client, &page, &edit).await;
    assert!(location.starts_with(&format!("{page}?")), "{location}");
    assert!(
        shown.body.contains("data-conflict=\"version\""),
        "no conflict shown"
    );
    assert!(shown.body.contains("Voir la version enregistrée"));
    assert!(shown
        .body
        .contains("value=\"Titre tapé sur une page ancienne\""));
    let title: String = sqlx::query_scalar("SELECT title FROM events WHERE id = ?")
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(title, "Atelier sans JavaScript, soumis");

    // Another organizer's event: refused (404, as for any event one cannot see), unchanged.
    let other: (i64, i64, String) = sqlx::query_as(
        "SELECT e.id, e.version, e.title FROM events e JOIN accounts a ON a.id = e.organizer_id \
         WHERE a.email <> ? AND a.role = 'organizer' LIMIT 1",
    )
    .bind(ORGANIZER.0)
    .fetch_one(&pool)
    .await
    .unwrap();
    let mut theirs = fields.clone();
    theirs.push(("id", other.0.to_string()));
    theirs.push(("version", other.1.to_string()));
    let (_, shown) = post_event_form(&app, &client, &page, &theirs).await;
    assert!(
        shown.body.contains("data-form-error=\"404\""),
        "not refused as unknown"
    );
    let title: String = sqlx::query_scalar("SELECT title FROM events WHERE id = ?")
        .bind(other.0)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(title, other.2);

    // Junk in the hidden fields: a message, never a 500.
    let mut junk = fields.clone();
    junk.push(("id", "abc".into()));
    let (_, shown) = post_event_form(&app, &client, &page, &junk).await;
    assert!(shown.body.contains("data-form-error=\"400\""));
}

//! Staff's second factor through the real router: a moderator's right password alone opens
//! nothing; the authenticator's code (RFC 6238) or a recovery code completes the sign-in,
//! each accepted once; a staff account without a second factor is enrolled at its first
//! sign-in (QR code, secret, recovery codes); organizers are not asked.
use crate::common;

use axum::http::{header, StatusCode};
use leptos::server_fn::ServerFn;
use serde_json::Value;
use sqlx::SqlitePool;

use app::accounts::second_factor::code_at;
use app::accounts::server as accounts;
use common::{test_now, Client, MODERATOR, ORGANIZER, STAFF_TOTP_SECRET};
use server::db::MIGRATOR;

fn path<T: ServerFn>() -> &'static str {
    T::PATH
}

fn location(reply: &common::Reply) -> String {
    reply
        .headers
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

async fn password_only(client: &mut Client, email: &str, password: &str) -> common::Reply {
    client
        .form(
            path::<accounts::SignIn>(),
            &[("email", email), ("password", password)],
        )
        .await
}

async fn queue_status(client: &mut Client) -> StatusCode {
    client
        .form(
            path::<app::moderation::server::ModerationQueue>(),
            &[("q", ""), ("region", ""), ("kind", "")],
        )
        .await
        .status
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_moderators_password_alone_opens_nothing_and_each_code_works_once(pool: SqlitePool) {
    common::load_demo(&pool).await;
    let app = common::app(pool.clone());
    let mut client = Client::new(&app);
    let reply = password_only(&mut client, MODERATOR.0, MODERATOR.1).await;
    assert!(
        location(&reply).starts_with("/connexion/code"),
        "{:?}",
        reply.headers
    );
    // The waiting session is no sign-in.
    assert_eq!(queue_status(&mut client).await, StatusCode::UNAUTHORIZED);
    let page = common::send(
        &app,
        axum::http::Request::get("/moderation")
            .header(header::COOKIE, client.cookie.clone().unwrap())
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    // A wrong code: a message on its field.
    let wrong = client
        .form(
            path::<accounts::VerifySecondFactor>(),
            &[("code", "000000")],
        )
        .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.body
    );
    assert!(wrong.body.contains("\"field\":\"code\""), "{}", wrong.body);
    // The right one.
    let code = code_at(STAFF_TOTP_SECRET, test_now()).unwrap();
    let right = client
        .form(path::<accounts::VerifySecondFactor>(), &[("code", &code)])
        .await;
    assert_eq!(
        location(&right),
        "/moderation",
        "{} {}",
        right.status,
        right.body
    );
    assert_eq!(queue_status(&mut client).await, StatusCode::OK);
    // The same code again, in another browser: refused (RFC 6238, § 5.2).
    let mut other = Client::new(&app);
    other.ip = [127, 0, 0, 2];
    password_only(&mut other, MODERATOR.0, MODERATOR.1).await;
    let replayed = other
        .form(path::<accounts::VerifySecondFactor>(), &[("code", &code)])
        .await;
    assert_eq!(replayed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(queue_status(&mut other).await, StatusCode::UNAUTHORIZED);
    // Organizers are not asked for a code.
    let mut organizer = Client::new(&app);
    let reply = password_only(&mut organizer, ORGANIZER.0, ORGANIZER.1).await;
    assert_eq!(location(&reply), "/organisateur");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_new_moderator_enrols_at_the_first_sign_in_and_recovery_codes_work_once(
    pool: SqlitePool,
) {
    common::load_demo(&pool).await;
    let hash = server::accounts::hash_password("une phrase de passe du modérateur").unwrap();
    server::accounts::insert(
        &pool,
        &server::accounts::NewAccount {
            email: "nouvelle.moderatrice@example.org",
            password_hash: &hash,
            name: "Nouvelle Modératrice",
            structure: "DITP",
            organizer_type_id: None,
            region_code: None,
            role: app::reference::Role::Moderator,
        },
        test_now(),
    )
    .await
    .unwrap();
    let app = common::app(pool.clone());
    let email = "nouvelle.moderatrice@example.org";
    let mut client = Client::new(&app);
    password_only(&mut client, email, "une phrase de passe du modérateur").await;
    let setup: Value = serde_json::from_str(
        &client
            .form(path::<accounts::SecondFactorSetup>(), &[])
            .await
            .body,
    )
    .unwrap();
    assert_eq!(setup["enrolling"], true);
    assert!(setup["qr_svg"].as_str().unwrap().starts_with("<svg"));
    let secret = setup["secret"].as_str().unwrap().to_string();
    let recovery: Vec<String> = serde_json::from_value(setup["recovery_codes"].clone()).unwrap();
    assert_eq!(recovery.len(), 10);
    // Only hashes are kept.
    let stored: Vec<String> = sqlx::query_scalar("SELECT code_hash FROM recovery_codes")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert!(recovery.iter().all(|c| !stored.contains(c)));
    let code = code_at(&secret, test_now()).unwrap();
    let reply = client
        .form(path::<accounts::VerifySecondFactor>(), &[("code", &code)])
        .await;
    assert_eq!(location(&reply), "/moderation", "{}", reply.body);
    assert_eq!(queue_status(&mut client).await, StatusCode::OK);
    // Enrolled: the next sign-in asks for a code only (no new secret).
    let mut again = Client::new(&app);
    password_only(&mut again, email, "une phrase de passe du modérateur").await;
    let setup: Value = serde_json::from_str(
        &again
            .form(path::<accounts::SecondFactorSetup>(), &[])
            .await
            .body,
    )
    .unwrap();
    assert_eq!(setup["enrolling"], false);
    assert_eq!(setup["secret"], "");
    // A recovery code, typed loosely, once.
    let loose = recovery[0].to_lowercase().replace('-', " ");
    let reply = again
        .form(path::<accounts::VerifySecondFactor>(), &[("code", &loose)])
        .await;
    assert_eq!(location(&reply), "/moderation", "{}", reply.body);
    let mut third = Client::new(&app);
    password_only(&mut third, email, "une phrase de passe du modérateur").await;
    let reply = third
        .form(
            path::<accounts::VerifySecondFactor>(),
            &[("code", &recovery[0])],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn wrong_codes_are_throttled(pool: SqlitePool) {
    common::load_demo(&pool).await;
    let app = common::app(pool.clone());
    let mut client = Client::new(&app);
    password_only(&mut client, MODERATOR.0, MODERATOR.1).await;
    let mut statuses = Vec::new();
    for n in 0..7 {
        let reply = client
            .form(
                path::<accounts::VerifySecondFactor>(),
                &[("code", &format!("{:06}", 111111 + n))],
            )
            .await;
        statuses.push(reply.status);
    }
    assert_eq!(statuses[..5], [StatusCode::UNPROCESSABLE_ENTITY; 5]);
    assert_eq!(statuses[5..], [StatusCode::TOO_MANY_REQUESTS; 2]);
}

/// Posts a form as a browser without JavaScript does (it takes HTML, it names its page).
async fn plain_form(
    client: &Client,
    path: &str,
    fields: &[(&str, &str)],
    page: &str,
) -> common::Reply {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    let mut request = client.request(path, "application/x-www-form-urlencoded", body);
    request
        .headers_mut()
        .insert(header::ACCEPT, "text/html".parse().unwrap());
    request.headers_mut().insert(
        header::REFERER,
        format!("http://127.0.0.1:3000{page}").parse().unwrap(),
    );
    common::send(&client.app, request).await
}

/// A wrong password or code, without JavaScript, comes back to its page with the message on
/// the page: never a JSON body shown to a person.
#[sqlx::test(migrator = "MIGRATOR")]
async fn wrong_passwords_and_codes_come_back_to_their_page_without_javascript(pool: SqlitePool) {
    common::load_demo(&pool).await;
    let app = common::app(pool.clone());
    let mut client = Client::new(&app);
    let reply = plain_form(
        &client,
        path::<accounts::SignIn>(),
        &[
            ("email", ORGANIZER.0),
            ("password", "pas le bon mot de passe"),
        ],
        "/connexion",
    )
    .await;
    assert!(
        reply.status.is_redirection(),
        "{} {}",
        reply.status,
        reply.body
    );
    let back = location(&reply);
    assert!(
        back.contains("/connexion") && back.contains("__err="),
        "{back}"
    );
    let page = common::get(&app, back.trim_start_matches("http://127.0.0.1:3000")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("mot de passe incorrect"),
        "the message is on the page"
    );
    // The code page too.
    password_only(&mut client, MODERATOR.0, MODERATOR.1).await;
    let reply = plain_form(
        &client,
        path::<accounts::VerifySecondFactor>(),
        &[("code", "000000")],
        "/connexion/code",
    )
    .await;
    assert!(
        reply.status.is_redirection(),
        "{} {}",
        reply.status,
        reply.body
    );
    assert!(location(&reply).contains("__err="));
}

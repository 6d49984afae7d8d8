//! Throttling that holds (issue 23), through the real router: a burst of parallel wrong
//! passwords is counted whole (at most 5 argon2 verifications) and does not lock the owner
//! out from elsewhere; delays grow; every account form and every e-mail sent on a visitor's
//! request is throttled (429, French message); a made-up reset link never costs a hash, even
//! in a flood; no enumeration through the change of address, sign-up or reset.
mod common;

use axum::http::StatusCode;
use chrono::{Duration, SecondsFormat};
use leptos::server_fn::ServerFn;
use sqlx::SqlitePool;

use app::accounts::password;
use app::accounts::server as accounts;
use common::{app, send, Client, Reply, MODERATOR, ORGANIZER};
use server::db::MIGRATOR;

/// The argon2 computations are counted process-wide (`password::hashes_done`): the tests of
/// this file run one at a time, so that each counts only its own.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn path<T: ServerFn>() -> &'static str {
    T::PATH
}

async fn demo_app(pool: &SqlitePool) -> axum::Router {
    common::load_demo(pool).await;
    app(pool.clone())
}

fn client_at(app: &axum::Router, ip: [u8; 4]) -> Client {
    let mut client = Client::new(app);
    client.ip = ip;
    client
}

fn form_body(fields: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
}

/// Sends the requests all at once (each its own task), and gives the replies in order.
async fn all_at_once(
    app: &axum::Router,
    requests: Vec<axum::http::Request<axum::body::Body>>,
) -> Vec<Reply> {
    let tasks: Vec<_> = requests
        .into_iter()
        .map(|request| {
            let app = app.clone();
            tokio::spawn(async move { send(&app, request).await })
        })
        .collect();
    let mut replies = Vec::with_capacity(tasks.len());
    for task in tasks {
        replies.push(task.await.unwrap());
    }
    replies
}

fn signed_in(reply: &Reply, client: &Client) -> bool {
    (reply.status.is_success() || reply.status.is_redirection()) && client.cookie.is_some()
}

fn error_json(reply: &Reply) -> serde_json::Value {
    serde_json::from_str(&reply.body).unwrap_or_else(|_| panic!("not JSON: {}", reply.body))
}

fn assert_throttled(reply: &Reply, words: &str) {
    assert_eq!(
        reply.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        reply.body
    );
    let error = error_json(reply);
    assert_eq!(error["error"], "too_many_requests", "{}", reply.body);
    let message = error["message"].as_str().unwrap();
    assert!(message.contains(words), "{message}");
    assert!(message.contains("réessayez dans"), "{message}");
}

async fn outbox_count(pool: &SqlitePool, recipient: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM outbox WHERE recipient = ?")
        .bind(recipient)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn organizer_type(pool: &SqlitePool) -> String {
    let id: i64 = sqlx::query_scalar("SELECT id FROM organizer_types ORDER BY position LIMIT 1")
        .fetch_one(pool)
        .await
        .unwrap();
    id.to_string()
}

async fn sign_up(client: &mut Client, organizer_type: &str, email: &str) -> Reply {
    client
        .form(
            path::<accounts::SignUp>(),
            &[
                ("email", email),
                ("name", "Agent Public"),
                ("structure", "Mairie de Pau"),
                ("organizer_type", organizer_type),
                ("region", "75"),
                ("password", "trois chats sur le toit de la mairie"),
            ],
        )
        .await
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn forty_parallel_wrong_passwords_evaluate_at_most_five_and_the_owner_still_signs_in(
    pool: SqlitePool,
) {
    let _serial = SERIAL.lock().await;
    let app = demo_app(&pool).await;
    let attacker = client_at(&app, [203, 0, 113, 66]);
    let body = form_body(&[
        ("email", ORGANIZER.0),
        ("password", "pas le bon mot de passe"),
    ]);
    let requests = (0..40)
        .map(|_| {
            attacker.request(
                path::<accounts::SignIn>(),
                "application/x-www-form-urlencoded",
                body.clone(),
            )
        })
        .collect();
    let before = password::hashes_done();
    let replies = all_at_once(&app, requests).await;
    let evaluated = password::hashes_done() - before;

    let wrong = replies
        .iter()
        .filter(|r| r.status == StatusCode::UNPROCESSABLE_ENTITY)
        .count();
    for reply in &replies {
        match reply.status {
            StatusCode::UNPROCESSABLE_ENTITY => {
                assert!(reply.body.contains("incorrect"), "{}", reply.body)
            }
            _ => assert_throttled(reply, "Trop de tentatives"),
        }
    }
    assert!((1..=5).contains(&wrong), "{wrong} passwords checked");
    assert_eq!(
        evaluated, wrong as u64,
        "one argon2 verification per answer « incorrect »"
    );
    let recorded: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM sign_in_attempts WHERE email = ? AND ip = '203.0.113.66'",
    )
    .bind(ORGANIZER.0)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(recorded, wrong as i64, "every checked attempt is recorded");

    // The attacker, even with the right password, waits…
    let mut attacker = attacker;
    let reply = attacker.sign_in(ORGANIZER.0, ORGANIZER.1).await;
    assert_throttled(&reply, "Trop de tentatives");
    assert!(attacker.cookie.is_none());
    // …but the owner, from another address, is not locked out.
    let mut owner = client_at(&app, [198, 51, 100, 20]);
    let reply = owner.sign_in(ORGANIZER.0, ORGANIZER.1).await;
    assert!(signed_in(&reply, &owner), "{} {}", reply.status, reply.body);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn wrong_passwords_wait_longer_and_longer_from_the_same_address(pool: SqlitePool) {
    let _serial = SERIAL.lock().await;
    let app = demo_app(&pool).await;
    let mut client = client_at(&app, [192, 0, 2, 10]);
    for attempt in 1..=5 {
        let reply = client.sign_in(ORGANIZER.0, "pas le bon mot de passe").await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "attempt {attempt}"
        );
    }
    let reply = client.sign_in(ORGANIZER.0, ORGANIZER.1).await;
    assert_throttled(&reply, "réessayez dans 15 minutes");
    // 16 minutes later (the failures moved back in time), one more try is allowed; it fails,
    // and the next wait is twice as long.
    let earlier =
        (common::test_now() - Duration::minutes(16)).to_rfc3339_opts(SecondsFormat::Secs, true);
    sqlx::query("UPDATE sign_in_attempts SET at = ?")
        .bind(&earlier)
        .execute(&pool)
        .await
        .unwrap();
    let reply = client.sign_in(ORGANIZER.0, "toujours pas le bon").await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    let reply = client.sign_in(ORGANIZER.0, ORGANIZER.1).await;
    assert_throttled(&reply, "réessayez dans 30 minutes");
    // Once the wait is over, the right password signs in and the failures are forgotten.
    let earlier =
        (common::test_now() - Duration::minutes(31)).to_rfc3339_opts(SecondsFormat::Secs, true);
    sqlx::query("UPDATE sign_in_attempts SET at = ?")
        .bind(&earlier)
        .execute(&pool)
        .await
        .unwrap();
    let reply = client.sign_in(ORGANIZER.0, ORGANIZER.1).await;
    assert!(
        signed_in(&reply, &client),
        "{} {}",
        reply.status,
        reply.body
    );
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM sign_in_attempts")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(left, 0);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn sign_up_is_throttled_per_client_address_and_per_recipient(pool: SqlitePool) {
    let _serial = SERIAL.lock().await;
    let app = demo_app(&pool).await;
    let t = organizer_type(&pool).await;
    // 20 sign-ups from one address, then 429.
    let mut client = client_at(&app, [192, 0, 2, 20]);
    for n in 0..20 {
        let reply = sign_up(&mut client, &t, &format!("agent{n}@exemple.gouv.fr")).await;
        assert_eq!(reply.status, StatusCode::OK, "{n}: {}", reply.body);
    }
    let reply = sign_up(&mut client, &t, "agent20@exemple.gouv.fr").await;
    assert_throttled(&reply, "adresse réseau");
    let created: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM accounts WHERE email LIKE 'agent%@exemple.gouv.fr'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(created, 20, "the refused one created nothing");
    // 5 messages to one recipient within the hour, whatever the client addresses.
    for n in 0..5 {
        let mut client = client_at(&app, [192, 0, 2, 100 + n]);
        let reply = sign_up(&mut client, &t, "cible@exemple.gouv.fr").await;
        assert_eq!(reply.status, StatusCode::OK, "{n}: {}", reply.body);
    }
    let mut client = client_at(&app, [192, 0, 2, 200]);
    let reply = sign_up(&mut client, &t, "cible@exemple.gouv.fr").await;
    assert_throttled(&reply, "Trop de messages");
    assert_eq!(outbox_count(&pool, "cible@exemple.gouv.fr").await, 5);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn sign_up_does_the_same_work_for_known_and_unknown_addresses(pool: SqlitePool) {
    let _serial = SERIAL.lock().await;
    let app = demo_app(&pool).await;
    let t = organizer_type(&pool).await;
    let mut replies = vec![];
    for (n, email) in [ORGANIZER.0, "inconnu@exemple.gouv.fr"]
        .into_iter()
        .enumerate()
    {
        let mut client = client_at(&app, [192, 0, 2, 30 + n as u8]);
        let before = password::hashes_done();
        let reply = sign_up(&mut client, &t, email).await;
        assert_eq!(password::hashes_done() - before, 1, "{email}: one hash");
        assert_eq!(outbox_count(&pool, email).await, 1, "{email}: one message");
        replies.push((
            reply.status,
            reply.headers.get("location").cloned(),
            reply.body,
        ));
    }
    assert_eq!(replies[0], replies[1], "the same answer");
    assert_eq!(replies[0].0, StatusCode::OK);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn reset_requests_answer_and_work_the_same_and_are_throttled(pool: SqlitePool) {
    let _serial = SERIAL.lock().await;
    let app = demo_app(&pool).await;
    // Known and unknown addresses: the same answer, no hash, one message each.
    let mut answers = vec![];
    for (n, email) in [ORGANIZER.0, "personne@exemple.fr"].into_iter().enumerate() {
        let mut client = client_at(&app, [192, 0, 2, 40 + n as u8]);
        let before = password::hashes_done();
        let reply = client
            .form(
                path::<accounts::RequestPasswordReset>(),
                &[("email", email)],
            )
            .await;
        assert_eq!(password::hashes_done(), before, "{email}: no hash");
        assert_eq!(outbox_count(&pool, email).await, 1, "{email}: one message");
        answers.push((reply.status, reply.body));
    }
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[0].0, StatusCode::OK);
    // 5 messages per recipient per hour, known or not: the 6th request is refused alike.
    for email in [ORGANIZER.0, "personne@exemple.fr"] {
        for n in 0..4 {
            let mut client = client_at(&app, [192, 0, 2, 50 + n]);
            let reply = client
                .form(
                    path::<accounts::RequestPasswordReset>(),
                    &[("email", email)],
                )
                .await;
            assert_eq!(reply.status, StatusCode::OK, "{email} {n}: {}", reply.body);
        }
        let mut client = client_at(&app, [192, 0, 2, 60]);
        let reply = client
            .form(
                path::<accounts::RequestPasswordReset>(),
                &[("email", email)],
            )
            .await;
        assert_throttled(&reply, "Trop de messages");
        assert_eq!(outbox_count(&pool, email).await, 5, "{email}");
    }
    // 20 requests per client address.
    let mut client = client_at(&app, [192, 0, 2, 70]);
    for n in 0..20 {
        let reply = client
            .form(
                path::<accounts::RequestPasswordReset>(),
                &[("email", &format!("quelquun{n}@exemple.fr"))],
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{n}: {}", reply.body);
    }
    let reply = client
        .form(
            path::<accounts::RequestPasswordReset>(),
            &[("email", "quelquun20@exemple.fr")],
        )
        .await;
    assert_throttled(&reply, "adresse réseau");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_made_up_reset_link_is_refused_before_any_hash(pool: SqlitePool) {
    let _serial = SERIAL.lock().await;
    let app = demo_app(&pool).await;
    let mut client = client_at(&app, [192, 0, 2, 80]);
    let before = password::hashes_done();
    let reply = client
        .form(
            path::<accounts::ResetPassword>(),
            &[
                ("jeton", "pas-un-vrai-lien"),
                ("password", "un nouveau mot de passe solide"),
            ],
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert_eq!(
        error_json(&reply)["fields"][0]["field"],
        "jeton",
        "{}",
        reply.body
    );
    assert_eq!(
        password::hashes_done(),
        before,
        "no hash for a made-up link"
    );

    // A real link: one hash, and the new password signs in.
    client
        .form(
            path::<accounts::RequestPasswordReset>(),
            &[("email", ORGANIZER.0)],
        )
        .await;
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
        .unwrap();
    let before = password::hashes_done();
    let reply = client
        .form(
            path::<accounts::ResetPassword>(),
            &[
                ("jeton", token),
                ("password", "un nouveau mot de passe solide"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(password::hashes_done() - before, 1);
    // Used: refused again, without a hash.
    let before = password::hashes_done();
    let reply = client
        .form(
            path::<accounts::ResetPassword>(),
            &[
                ("jeton", token),
                ("password", "encore un autre mot de passe"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(password::hashes_done(), before);

    // 20 tries per client address, then 429.
    let mut client = client_at(&app, [192, 0, 2, 81]);
    for n in 0..20 {
        let reply = client
            .form(
                path::<accounts::ResetPassword>(),
                &[
                    ("jeton", &format!("faux{n}")),
                    ("password", "un nouveau mot de passe solide"),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{n}");
    }
    let reply = client
        .form(
            path::<accounts::ResetPassword>(),
            &[
                ("jeton", "faux"),
                ("password", "un nouveau mot de passe solide"),
            ],
        )
        .await;
    assert_throttled(&reply, "adresse réseau");
}

/// The flood of the issue: 200 reset requests with made-up links, 50 at a time. Each from its
/// own address, so that the throttle lets them all reach the link check: none hashes and none
/// fails on the server; then the same flood from one address, mostly refused by the throttle.
#[sqlx::test(migrator = "MIGRATOR")]
async fn a_flood_of_made_up_reset_links_costs_no_hash_and_no_5xx(pool: SqlitePool) {
    let _serial = SERIAL.lock().await;
    let app = demo_app(&pool).await;
    let body = |n: usize| {
        form_body(&[
            ("jeton", &format!("{n:064x}")),
            ("password", "un nouveau mot de passe solide"),
        ])
    };
    let before = password::hashes_done();
    let started = std::time::Instant::now();
    for batch in 0..4 {
        let requests = (0..50)
            .map(|i| {
                let n = batch * 50 + i;
                client_at(&app, [10, 1, batch as u8, i as u8]).request(
                    path::<accounts::ResetPassword>(),
                    "application/x-www-form-urlencoded",
                    body(n),
                )
            })
            .collect();
        for reply in all_at_once(&app, requests).await {
            assert_eq!(
                reply.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{}",
                reply.body
            );
            assert!(reply.body.contains("lien"), "{}", reply.body);
        }
    }
    assert_eq!(password::hashes_done(), before, "no hash");
    eprintln!(
        "200 made-up reset links, 50 at a time: {:?}",
        started.elapsed()
    );

    let one = client_at(&app, [10, 2, 0, 1]);
    let mut refused = 0;
    for batch in 0..4 {
        let requests = (0..50)
            .map(|i| {
                one.request(
                    path::<accounts::ResetPassword>(),
                    "application/x-www-form-urlencoded",
                    body(1000 + batch * 50 + i),
                )
            })
            .collect();
        for reply in all_at_once(&app, requests).await {
            assert!(
                !reply.status.is_server_error(),
                "{} {}",
                reply.status,
                reply.body
            );
            if reply.status == StatusCode::TOO_MANY_REQUESTS {
                refused += 1;
            } else {
                assert_eq!(
                    reply.status,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "{}",
                    reply.body
                );
            }
        }
    }
    assert_eq!(refused, 180, "20 per client address");
    assert_eq!(password::hashes_done(), before, "no hash");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn changing_to_a_taken_address_answers_as_a_free_one(pool: SqlitePool) {
    let _serial = SERIAL.lock().await;
    let app = demo_app(&pool).await;
    let mut client = client_at(&app, [192, 0, 2, 90]);
    let reply = client.sign_in(ORGANIZER.0, ORGANIZER.1).await;
    assert!(signed_in(&reply, &client), "{}", reply.body);
    let mut answers = vec![];
    for email in [MODERATOR.0, "nouvelle.adresse@exemple.gouv.fr"] {
        let reply = client
            .form(
                path::<accounts::ChangeEmail>(),
                &[("mot_de_passe", ORGANIZER.1), ("email", email)],
            )
            .await;
        assert!(!reply.body.contains("déjà"), "{}", reply.body);
        assert_eq!(outbox_count(&pool, email).await, 1, "{email}: one message");
        answers.push((
            reply.status,
            reply.headers.get("location").cloned(),
            reply.body,
        ));
    }
    assert_eq!(answers[0], answers[1], "the same answer");
    assert_eq!(answers[0].0, StatusCode::OK);
    // The taken address's owner is told, and gets no link; the free one gets its link.
    let (subject, body): (String, String) =
        sqlx::query_as("SELECT subject, body FROM outbox WHERE recipient = ?")
            .bind(MODERATOR.0)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(subject.contains("déjà un compte"), "{subject}");
    assert!(!body.contains("jeton="), "{body}");
    let links: Vec<Option<String>> = sqlx::query_scalar(
        "SELECT new_email FROM account_tokens WHERE purpose = 'confirm_email' AND new_email IS NOT NULL",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        links,
        vec![Some("nouvelle.adresse@exemple.gouv.fr".to_string())]
    );
    let email: String = sqlx::query_scalar("SELECT email FROM accounts WHERE email = ?")
        .bind(MODERATOR.0)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(email, MODERATOR.0, "nothing changed");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn changes_of_password_and_address_are_throttled_per_account(pool: SqlitePool) {
    let _serial = SERIAL.lock().await;
    let app = demo_app(&pool).await;
    let mut client = client_at(&app, [192, 0, 2, 91]);
    client.sign_in(ORGANIZER.0, ORGANIZER.1).await;
    assert!(client.cookie.is_some());
    // An empty current password is refused without a hash.
    let before = password::hashes_done();
    let reply = client
        .form(
            path::<accounts::ChangePassword>(),
            &[
                ("actuel", ""),
                ("nouveau", "un nouveau mot de passe solide"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_json(&reply)["fields"][0]["field"], "actuel");
    assert_eq!(password::hashes_done(), before);
    for n in 0..10 {
        let reply = client
            .form(
                path::<accounts::ChangePassword>(),
                &[
                    ("actuel", "pas le bon"),
                    ("nouveau", "un nouveau mot de passe solide"),
                ],
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{n}: {}",
            reply.body
        );
        assert!(reply.body.contains("actuel incorrect"), "{}", reply.body);
    }
    let reply = client
        .form(
            path::<accounts::ChangePassword>(),
            &[
                ("actuel", ORGANIZER.1),
                ("nouveau", "un nouveau mot de passe solide"),
            ],
        )
        .await;
    assert_throttled(&reply, "pour ce compte");

    for n in 0..10 {
        let reply = client
            .form(
                path::<accounts::ChangeEmail>(),
                &[
                    ("mot_de_passe", "pas le bon"),
                    ("email", &format!("a{n}@exemple.fr")),
                ],
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{n}: {}",
            reply.body
        );
    }
    let reply = client
        .form(
            path::<accounts::ChangeEmail>(),
            &[("mot_de_passe", ORGANIZER.1), ("email", "b@exemple.fr")],
        )
        .await;
    assert_throttled(&reply, "pour ce compte");
}

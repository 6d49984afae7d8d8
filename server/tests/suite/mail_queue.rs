//! Issue 26, « mail that arrives »: the outbox is a queue, delivered by a background sender
//! to a real SMTP server on loopback (Python's aiosmtpd, `common/smtp_server.py`), which
//! decodes what it receives as a mail client would. Time is moved by hand: each step gives
//! the sender its "now" (`Clock::Fixed`), no test waits minutes.
//!
//! Without aiosmtpd these tests say so and pass, except under CI (`CI` set), where they fail:
//! `scripts/setup.sh --test` installs it.
use crate::common;
use crate::smtp;

use axum::http::{header, StatusCode};
use chrono::{DateTime, Duration, Utc};
use leptos::config::LeptosOptions;
use leptos::server_fn::ServerFn;
use sqlx::SqlitePool;

use app::accounts::mail::{
    spawn_sender, Mailer, Outcome, DEFAULT_FROM, LEASE, MAX_ATTEMPTS, RETRY_DELAYS,
};
use app::state::{AppState, Clock};
use common::{test_now, Client, Reply, ADMIN, MODERATOR, ORGANIZER};
use server::db::MIGRATOR;

const SENDER: &str = "ne-pas-repondre@mois-innovation.example.org";

/// The router as served, with `mailer` (the tests' usual one only records).
fn app_with(pool: SqlitePool, mailer: Mailer) -> (axum::Router, AppState) {
    let state = AppState {
        leptos_options: LeptosOptions::builder()
            .output_name("mip")
            .site_root("target/site")
            .build(),
        pool,
        clock: Clock::Fixed(test_now()),
        catalogs: Default::default(),
        public_url: common::SITE.into(),
        mailer,
        kept_input: Default::default(),
        audience: Default::default(),
        proconnect: None,
    };
    let app = server::router::router_with_cache(
        state.clone(),
        server::page_cache::PageCache::new(std::time::Duration::ZERO),
    );
    (app, state)
}

/// A message's row: state, attempts, last error, next attempt, sent time, Message-ID.
#[derive(Debug)]
struct Row {
    state: String,
    attempts: i64,
    error: Option<String>,
    next_attempt_at: Option<DateTime<Utc>>,
    sent_at: Option<String>,
    message_id: String,
}

async fn row(pool: &SqlitePool, recipient: &str) -> Row {
    let (state, attempts, error, next, sent_at, message_id): (
        String,
        i64,
        Option<String>,
        Option<String>,
        Option<String>,
        String,
    ) = sqlx::query_as(
        "SELECT state, attempts, error, next_attempt_at, sent_at, message_id FROM outbox \
         WHERE recipient = ? ORDER BY id DESC LIMIT 1",
    )
    .bind(recipient)
    .fetch_one(pool)
    .await
    .unwrap();
    Row {
        state,
        attempts,
        error,
        next_attempt_at: next.map(|n| n.parse().unwrap()),
        sent_at,
        message_id,
    }
}

async fn queue(mailer: &Mailer, pool: &SqlitePool, to: &str, at: DateTime<Utc>) {
    let (subject, body) =
        app::accounts::mail::texts::confirm_email("Agnès Lefèvre", "https://mois.example/c?j=1");
    mailer.send(pool, to, &subject, &body, at).await.unwrap();
}

async fn deliver(mailer: &Mailer, pool: &SqlitePool, at: DateTime<Utc>) -> usize {
    mailer.deliver_due(pool, Clock::Fixed(at)).await.unwrap()
}

fn smtp_mailer(server: &smtp::SmtpServer) -> Mailer {
    Mailer::smtp(&server.url(), DEFAULT_FROM).unwrap()
}

/// A page as a browser gets it, with `client`'s session.
async fn page(app: &axum::Router, client: &Client, uri: &str) -> Reply {
    let mut request = axum::http::Request::get(uri)
        .header(header::ACCEPT, "text/html")
        .body(axum::body::Body::empty())
        .unwrap();
    if let Some(cookie) = &client.cookie {
        request
            .headers_mut()
            .insert(header::COOKIE, cookie.parse().unwrap());
    }
    common::send(app, request).await
}

/// A form posted by a browser without JavaScript from `/admin/courriels`.
async fn post_from_the_page(client: &Client, path: &str, fields: &[(&str, &str)]) -> Reply {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    let mut request = client.request(path, "application/x-www-form-urlencoded", body);
    request
        .headers_mut()
        .insert(header::ACCEPT, "text/html".parse().unwrap());
    request.headers_mut().insert(
        header::REFERER,
        format!("{}/admin/courriels", common::SITE).parse().unwrap(),
    );
    common::send(&client.app, request).await
}

fn text(value: &serde_json::Value, key: &str) -> String {
    value[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} missing: {value}"))
        .replace("\r\n", "\n")
}

/// A header as written in the message (folded lines joined), e.g. to see it encoded.
fn raw_header(message: &str, name: &str) -> String {
    let message = message.replace("\r\n", "\n");
    let mut lines = message
        .lines()
        .skip_while(|l| !l.starts_with(&format!("{name}: ")));
    let mut header = lines
        .next()
        .unwrap_or_else(|| panic!("no {name}: {message}"))
        .to_string();
    for line in lines.take_while(|l| l.starts_with([' ', '\t'])) {
        header.push_str(line);
    }
    header
}

/// The whole path through HTTP: a person asks for a new password; the request only queues
/// the message, the background sender (woken) delivers it to the SMTP server, which reads
/// the headers and the French text as a mail client would.
#[sqlx::test(migrator = "MIGRATOR")]
async fn a_password_reset_reaches_a_real_smtp_server_with_its_headers_and_french_text(
    pool: SqlitePool,
) {
    let Some(server) = smtp::start() else { return };
    common::load_demo(&pool).await;
    let (app, state) = app_with(pool.clone(), smtp_mailer(&server));
    let sender = spawn_sender(state).expect("an SMTP mailer has a sender");
    let mut client = Client::new(&app);
    let reply = client
        .form(
            app::accounts::server::RequestPasswordReset::PATH,
            &[("email", ORGANIZER.0)],
        )
        .await;
    assert!(
        reply.status.is_success() || reply.status.is_redirection(),
        "{} {}",
        reply.status,
        reply.body
    );
    let received = server.wait_received(1).await;
    assert_eq!(smtp::wait_until_settled(&pool).await, ["sent"]);
    sender.abort();
    let mail = &received[0];
    let queued = row(&pool, ORGANIZER.0).await;
    assert_eq!(queued.attempts, 1);
    assert!(
        queued.sent_at.is_some() && queued.error.is_none(),
        "{queued:?}"
    );
    // The envelope and the headers.
    assert_eq!(text(mail, "mail_from"), SENDER);
    assert_eq!(mail["rcpt_tos"], serde_json::json!([ORGANIZER.0]));
    assert_eq!(
        text(mail, "from"),
        format!("Mois de l'innovation publique <{SENDER}>")
    );
    assert_eq!(text(mail, "to"), ORGANIZER.0);
    assert_eq!(
        text(mail, "subject"),
        "Choisissez un nouveau mot de passe – Mois de l'innovation publique"
    );
    let subject = raw_header(&text(mail, "raw_headers"), "Subject");
    assert!(
        subject.is_ascii() && subject.contains("=?utf-8?"),
        "a non-ASCII subject is encoded (RFC 2047): {subject}"
    );
    assert_eq!(text(mail, "message_id"), queued.message_id);
    assert!(queued.message_id.ends_with("@mois-innovation.example.org>"));
    assert_eq!(text(mail, "date"), "Tue, 10 Nov 2026 08:00:00 +0000");
    assert_eq!(text(mail, "content_type"), "text/plain");
    assert_eq!(text(mail, "charset"), "utf-8");
    // The French text, as written in the outbox, link included.
    let body = text(mail, "body");
    let stored: String = sqlx::query_scalar("SELECT body FROM outbox")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(body.trim_end(), stored.trim_end());
    assert!(body.contains(
        "Un nouveau mot de passe a été demandé pour le compte organisateur de cette adresse."
    ));
    assert!(body.contains(&format!("{}/mot-de-passe/nouveau?jeton=", common::SITE)));
}

/// A server that answers 451 twice: tried again after 1 minute, then after 5 more, then sent
/// (once); never before its time.
#[sqlx::test(migrator = "MIGRATOR")]
async fn temporary_refusals_are_tried_again_later_then_the_message_is_sent_once(pool: SqlitePool) {
    let Some(server) = smtp::start() else { return };
    let mailer = smtp_mailer(&server);
    let to = "temp2-agent@exemple.gouv.fr";
    let t0 = test_now();
    queue(&mailer, &pool, to, t0).await;
    assert_eq!(deliver(&mailer, &pool, t0).await, 1);
    let first = row(&pool, to).await;
    assert_eq!((first.state.as_str(), first.attempts), ("pending", 1));
    let error = first.error.clone().unwrap();
    assert!(
        error.contains("451") && error.contains("Échec temporaire"),
        "{error}"
    );
    assert_eq!(first.next_attempt_at, Some(t0 + Duration::minutes(1)));
    assert_eq!(
        deliver(&mailer, &pool, t0 + Duration::seconds(59)).await,
        0,
        "not due yet"
    );
    let t1 = t0 + Duration::minutes(1);
    assert_eq!(deliver(&mailer, &pool, t1).await, 1);
    let second = row(&pool, to).await;
    assert_eq!((second.state.as_str(), second.attempts), ("pending", 2));
    assert_eq!(second.next_attempt_at, Some(t1 + Duration::minutes(5)));
    assert_eq!(deliver(&mailer, &pool, t1 + Duration::minutes(4)).await, 0);
    assert!(server.received().is_empty());
    assert_eq!(deliver(&mailer, &pool, t1 + Duration::minutes(5)).await, 1);
    let sent = row(&pool, to).await;
    assert_eq!(
        (sent.state.as_str(), sent.attempts),
        ("sent", 3),
        "{sent:?}"
    );
    assert!(
        sent.error.as_deref().is_some_and(|e| e.contains("451")),
        "the last error is kept: {sent:?}"
    );
    let received = server.wait_received(1).await;
    assert_eq!(received.len(), 1);
    assert_eq!(
        text(&received[0], "message_id"),
        first.message_id,
        "the same Message-ID at every attempt"
    );
    assert_eq!(deliver(&mailer, &pool, t0 + Duration::days(2)).await, 0);
    assert_eq!(server.received().len(), 1, "sent once");
}

/// No server at all (connection refused): retried after 1 min, 5 min, 30 min, 2 h, 6 h, 12 h,
/// then failed. Needs no aiosmtpd.
#[sqlx::test(migrator = "MIGRATOR")]
async fn an_unreachable_server_is_tried_with_growing_delays_then_the_message_fails(
    pool: SqlitePool,
) {
    // A loopback port that nothing listens on (bound, then closed).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mailer = Mailer::smtp(&format!("smtp://127.0.0.1:{port}"), DEFAULT_FROM).unwrap();
    let to = "agent@exemple.gouv.fr";
    let mut now = test_now();
    queue(&mailer, &pool, to, now).await;
    let mut waits = Vec::new();
    for attempt in 1..=MAX_ATTEMPTS {
        assert_eq!(deliver(&mailer, &pool, now).await, 1, "attempt {attempt}");
        let r = row(&pool, to).await;
        assert_eq!(r.attempts, attempt);
        assert!(
            r.error
                .as_deref()
                .is_some_and(|e| e.starts_with("Échec temporaire")),
            "{r:?}"
        );
        if attempt < MAX_ATTEMPTS {
            assert_eq!(r.state, "pending");
            let next = r.next_attempt_at.unwrap();
            waits.push(next - now);
            now = next;
        } else {
            assert_eq!(r.state, "failed", "{r:?}");
            assert_eq!(r.next_attempt_at, None);
        }
    }
    assert_eq!(waits, RETRY_DELAYS.to_vec());
    assert_eq!(
        deliver(&mailer, &pool, now + Duration::days(30)).await,
        0,
        "failed stays failed"
    );
}

/// A 550 fails the message at once; administrators see it in `/admin/courriels` (the others
/// are refused as on the other admin pages), and « Renvoyer » (a plain form) sends it again.
#[sqlx::test(migrator = "MIGRATOR")]
async fn a_permanent_refusal_fails_at_once_shows_in_the_admin_page_and_renvoyer_sends_it_again(
    pool: SqlitePool,
) {
    let Some(server) = smtp::start() else { return };
    common::load_demo(&pool).await;
    let mailer = smtp_mailer(&server);
    let (app, _state) = app_with(pool.clone(), mailer.clone());
    // Refused once (550), accepted after.
    let to = "refus1-agent@exemple.gouv.fr";
    let t0 = test_now();
    queue(&mailer, &pool, to, t0).await;
    assert_eq!(deliver(&mailer, &pool, t0).await, 1);
    let failed = row(&pool, to).await;
    assert_eq!(
        (failed.state.as_str(), failed.attempts),
        ("failed", 1),
        "{failed:?}"
    );
    let error = failed.error.clone().unwrap();
    assert!(
        error.contains("550") && error.contains("Destinataire inconnu"),
        "{error}"
    );
    assert_eq!(
        deliver(&mailer, &pool, t0 + Duration::days(1)).await,
        0,
        "not retried"
    );
    assert!(server.received().is_empty());
    let id: i64 = sqlx::query_scalar("SELECT id FROM outbox WHERE recipient = ?")
        .bind(to)
        .fetch_one(&pool)
        .await
        .unwrap();

    // Visitors, organizers and moderators get what they get on the other admin pages.
    for who in [None, Some(ORGANIZER.0), Some(MODERATOR.0)] {
        let client = match who {
            None => Client::new(&app),
            Some(email) => common::session_for(&app, &pool, email).await,
        };
        let theirs = page(&app, &client, "/admin/courriels").await;
        let accounts = page(&app, &client, "/admin/comptes").await;
        assert_eq!(theirs.status, accounts.status, "{who:?}");
        assert!(
            matches!(
                theirs.status,
                StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN
            ),
            "{who:?}: {}",
            theirs.status
        );
        assert!(!theirs.body.contains(to), "{who:?} sees the outbox");
        let reply = post_from_the_page(
            &client,
            app::admin::mail_queue::ResendMail::PATH,
            &[("id", &id.to_string())],
        )
        .await;
        assert!(!reply.status.is_success(), "{who:?}");
        assert_eq!(row(&pool, to).await.state, "failed", "{who:?} resent it");
    }

    // An administrator, signed in with the second factor.
    let mut admin = Client::new(&app);
    admin.sign_in(ADMIN.0, ADMIN.1).await;
    assert!(admin.cookie.is_some());
    let home = page(&app, &admin, "/admin").await;
    assert!(
        home.body.contains("href=\"/admin/courriels\""),
        "linked from the admin pages"
    );
    let list = page(&app, &admin, "/admin/courriels").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let line = list
        .body
        .split(&format!("data-mail=\"{id}\""))
        .nth(1)
        .and_then(|rest| rest.split("</tr>").next())
        .unwrap_or_else(|| panic!("no line for message {id}: {}", list.body));
    assert!(line.contains("data-state=\"echec\""), "{line}");
    assert!(line.contains(">échec<"), "{line}");
    assert!(line.contains(to), "{line}");
    assert!(
        line.contains("Confirmez votre adresse – Mois de l&#x27;innovation publique")
            || line.contains("Confirmez votre adresse – Mois de l'innovation publique"),
        "{line}"
    );
    assert!(line.contains("550 5.1.1") || line.contains("550"), "{line}");
    assert!(line.contains("Destinataire inconnu"), "{line}");
    assert!(line.contains("Renvoyer"), "{line}");
    assert!(
        line.contains("10 novembre 2026 à 9\u{a0}h\u{a0}00"),
        "Paris time: {line}"
    );
    assert!(
        list.body.contains("0 en attente, 0 envoyé, 1 en échec."),
        "counts"
    );

    // « Renvoyer », as a browser without JavaScript posts it.
    let reply = post_from_the_page(
        &admin,
        app::admin::mail_queue::ResendMail::PATH,
        &[
            ("id", &id.to_string()),
            ("__form", &format!("renvoyer-{id}")),
        ],
    )
    .await;
    assert!(
        reply.status.is_redirection(),
        "{} {}",
        reply.status,
        reply.body
    );
    let location = reply.headers[header::LOCATION].to_str().unwrap();
    assert!(
        location.ends_with("/admin/courriels?fait=renvoye"),
        "{location}"
    );
    let requeued = row(&pool, to).await;
    assert_eq!((requeued.state.as_str(), requeued.attempts), ("pending", 0));
    assert_eq!(
        requeued.message_id, failed.message_id,
        "never delivered: same Message-ID"
    );
    let shown = page(&app, &admin, location.trim_start_matches(common::SITE)).await;
    assert!(
        shown
            .body
            .contains("Message remis dans la file d&#x27;envoi")
            || shown.body.contains("Message remis dans la file d'envoi")
    );
    assert!(shown.body.contains(">en attente<"));
    assert_eq!(deliver(&mailer, &pool, t0).await, 1);
    assert_eq!(row(&pool, to).await.state, "sent");
    let received = server.wait_received(1).await;
    assert_eq!(text(&received[0], "message_id"), failed.message_id);
    let list = page(&app, &admin, "/admin/courriels").await;
    assert!(list.body.contains("data-state=\"envoye\""));
    assert!(list.body.contains(">envoyé<"));

    // A sent message sent again is a new delivery: a new Message-ID.
    let reply = post_from_the_page(
        &admin,
        app::admin::mail_queue::ResendMail::PATH,
        &[
            ("id", &id.to_string()),
            ("__form", &format!("renvoyer-{id}")),
        ],
    )
    .await;
    assert!(reply.status.is_redirection());
    assert_eq!(deliver(&mailer, &pool, t0).await, 1);
    let received = server.wait_received(2).await;
    assert_ne!(text(&received[1], "message_id"), failed.message_id);
    assert_eq!(text(&received[1], "body"), text(&received[0], "body"));

    // A message that does not exist: the page says so, nothing changes.
    let reply = post_from_the_page(
        &admin,
        app::admin::mail_queue::ResendMail::PATH,
        &[("id", "99999999"), ("__form", "renvoyer-99999999")],
    )
    .await;
    assert!(reply.status.is_redirection());
    let location = reply.headers[header::LOCATION].to_str().unwrap();
    assert!(
        location.contains("/admin/courriels?") && location.contains("__err="),
        "{location}"
    );
    assert!(
        location.contains("__input=") && location.contains("__form=renvoyer-99999999"),
        "{location}"
    );
    let shown = page(&app, &admin, location.trim_start_matches(common::SITE)).await;
    assert!(shown.body.contains("data-form-error"), "{}", shown.body);
    assert!(
        shown.body.contains("Ce message n&#x27;existe pas.")
            || shown.body.contains("Ce message n'existe pas."),
        "{}",
        shown.body
    );
}

/// A sender claims a message and stops before sending it (the server killed mid-send); a
/// new sender (the restarted server) leaves it alone while the lease runs, then sends it,
/// exactly once; the first sender's late answer is not written over the result.
#[sqlx::test(migrator = "MIGRATOR")]
async fn a_message_claimed_by_a_sender_that_stopped_is_sent_exactly_once_after_the_lease(
    pool: SqlitePool,
) {
    let Some(server) = smtp::start() else { return };
    let to = "agent@exemple.gouv.fr";
    let t0 = test_now();
    let stopped = smtp_mailer(&server);
    queue(&stopped, &pool, to, t0).await;
    let claim = stopped.claim_next(&pool, t0).await.unwrap().expect("due");
    assert!(
        stopped.claim_next(&pool, t0).await.unwrap().is_none(),
        "claimed once"
    );
    drop(stopped);

    let restarted = smtp_mailer(&server);
    assert_eq!(
        deliver(&restarted, &pool, t0 + Duration::minutes(1)).await,
        0
    );
    assert_eq!(
        deliver(&restarted, &pool, t0 + LEASE - Duration::seconds(1)).await,
        0
    );
    assert!(server.received().is_empty());
    assert_eq!(deliver(&restarted, &pool, t0 + LEASE).await, 1);
    let sent = row(&pool, to).await;
    assert_eq!(
        (sent.state.as_str(), sent.attempts),
        ("sent", 2),
        "{sent:?}"
    );
    assert_eq!(server.wait_received(1).await.len(), 1);
    for later in [Duration::minutes(11), Duration::hours(1), Duration::days(3)] {
        assert_eq!(deliver(&restarted, &pool, t0 + LEASE + later).await, 0);
    }
    assert_eq!(server.received().len(), 1, "exactly once");
    // The stopped sender's claim no longer holds.
    let late = restarted
        .record(
            &pool,
            &claim,
            &Outcome::Temporary("réponse tardive".into()),
            t0 + LEASE,
        )
        .await
        .unwrap();
    assert!(!late);
    assert_eq!(row(&pool, to).await.state, "sent");
}

/// The one boundary where delivery is at least once: the SMTP server accepted the message,
/// and the process died before the row said so. After the lease the message goes again,
/// with the same Message-ID and Date, so that the receiving side can tell the copy.
#[sqlx::test(migrator = "MIGRATOR")]
async fn a_crash_between_the_smtp_acceptance_and_the_database_sends_a_copy_with_the_same_message_id(
    pool: SqlitePool,
) {
    let Some(server) = smtp::start() else { return };
    let to = "agent@exemple.gouv.fr";
    let t0 = test_now();
    let crashed = smtp_mailer(&server);
    queue(&crashed, &pool, to, t0).await;
    let claim = crashed.claim_next(&pool, t0).await.unwrap().unwrap();
    assert_eq!(crashed.transmit(&claim).await, Outcome::Sent);
    drop(crashed);
    server.wait_received(1).await;
    let restarted = smtp_mailer(&server);
    assert_eq!(deliver(&restarted, &pool, t0 + LEASE).await, 1);
    let received = server.wait_received(2).await;
    assert_eq!(received.len(), 2);
    assert_eq!(
        text(&received[0], "message_id"),
        text(&received[1], "message_id")
    );
    assert_eq!(text(&received[0], "date"), text(&received[1], "date"));
    assert_eq!(row(&pool, to).await.state, "sent");
}

/// Two senders at once (two tasks, or two servers on one database) share the queue: each
/// message is sent by one of them, once.
#[sqlx::test(migrator = "MIGRATOR")]
async fn two_senders_at_once_send_each_message_once(pool: SqlitePool) {
    let Some(server) = smtp::start() else { return };
    let (a, b) = (smtp_mailer(&server), smtp_mailer(&server));
    let t0 = test_now();
    for i in 0..12 {
        queue(&a, &pool, &format!("agent{i}@exemple.gouv.fr"), t0).await;
    }
    let (sent_a, sent_b) = tokio::join!(deliver(&a, &pool, t0), deliver(&b, &pool, t0));
    assert_eq!(sent_a + sent_b, 12);
    let received = server.wait_received(12).await;
    let mut ids: Vec<String> = received.iter().map(|m| text(m, "message_id")).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 12, "no message twice");
    let attempts: Vec<(String, i64)> = sqlx::query_as("SELECT state, attempts FROM outbox")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert!(
        attempts.iter().all(|(s, a)| s == "sent" && *a == 1),
        "{attempts:?}"
    );
}

/// Without `MIP_SMTP_URL` (the default), the same queue writes `.eml` files, named after the
/// Message-ID: a message written again after a crash replaces its own file.
#[sqlx::test(migrator = "MIGRATOR")]
async fn without_smtp_the_queue_writes_eml_files(pool: SqlitePool) {
    let dir = std::env::temp_dir().join(format!(
        "mip-outbox-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    common::load_demo(&pool).await;
    let mailer = Mailer::files(dir.clone(), DEFAULT_FROM).unwrap();
    let (app, state) = app_with(pool.clone(), mailer.clone());
    let sender = spawn_sender(state).unwrap();
    let reply = Client::new(&app)
        .form(
            app::accounts::server::RequestPasswordReset::PATH,
            &[("email", ORGANIZER.0)],
        )
        .await;
    assert!(!reply.status.is_client_error() && !reply.status.is_server_error());
    assert_eq!(smtp::wait_until_settled(&pool).await, ["sent"]);
    sender.abort();
    let files = || -> Vec<std::path::PathBuf> {
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        files
    };
    let written = files();
    assert_eq!(written.len(), 1, "{written:?}");
    let queued = row(&pool, ORGANIZER.0).await;
    let name = written[0]
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(
        name,
        format!(
            "{}.eml",
            queued.message_id.trim_matches(['<', '>']).replace('@', "_")
        )
    );
    let eml = std::fs::read_to_string(&written[0]).unwrap();
    let subject = raw_header(&eml, "Subject");
    assert!(
        subject.is_ascii() && subject.contains("=?utf-8?"),
        "{subject}"
    );
    for expected in [
        format!("Message-ID: {}", queued.message_id),
        format!("To: {}", ORGANIZER.0),
        "Content-Type: text/plain; charset=utf-8".to_string(),
        "Date: Tue, 10 Nov 2026 08:00:00 +0000".to_string(),
    ] {
        assert!(eml.contains(&expected), "{expected} in {eml}");
    }
    // Written, then the process died before the row said so: written again, same file.
    let t0 = test_now();
    queue(&mailer, &pool, "agent@exemple.gouv.fr", t0).await;
    let claim = mailer.claim_next(&pool, t0).await.unwrap().unwrap();
    assert_eq!(mailer.transmit(&claim).await, Outcome::Sent);
    assert_eq!(files().len(), 2);
    assert_eq!(deliver(&mailer, &pool, t0 + LEASE).await, 1);
    assert_eq!(files().len(), 2, "the retry replaced its own file");
    assert_eq!(row(&pool, "agent@exemple.gouv.fr").await.state, "sent");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The list is newest first, 50 a page, with the counts by state and a filter by state.
#[sqlx::test(migrator = "MIGRATOR")]
async fn the_admin_list_is_newest_first_by_pages_of_fifty_and_filters_by_state(pool: SqlitePool) {
    common::load_demo(&pool).await;
    let mailer = Mailer::table_only();
    let (app, _state) = app_with(pool.clone(), mailer.clone());
    let t0 = test_now();
    for i in 1..=60 {
        queue(&mailer, &pool, &format!("agent{i}@exemple.gouv.fr"), t0).await;
    }
    sqlx::query("UPDATE outbox SET state = 'failed', error = 'essai' WHERE id <= 3")
        .execute(&pool)
        .await
        .unwrap();
    let admin = common::session_for(&app, &pool, ADMIN.0).await;
    let ids = |body: &str| -> Vec<i64> {
        body.split("data-mail=\"")
            .skip(1)
            .map(|rest| rest.split('"').next().unwrap().parse().unwrap())
            .collect()
    };
    let first = page(&app, &admin, "/admin/courriels").await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(ids(&first.body), (11..=60).rev().collect::<Vec<_>>());
    assert!(first.body.contains("57 en attente, 0 envoyé, 3 en échec."));
    assert!(first.body.contains("Page 1 sur 2"));
    assert!(first.body.contains("href=\"/admin/courriels?page=2\""));
    let second = page(&app, &admin, "/admin/courriels?page=2").await;
    assert_eq!(ids(&second.body), (1..=10).rev().collect::<Vec<_>>());
    // Past the end: the last page.
    let far = page(&app, &admin, "/admin/courriels?page=99999999999").await;
    assert_eq!(ids(&far.body), ids(&second.body));
    let failed = page(&app, &admin, "/admin/courriels?etat=echec").await;
    assert_eq!(ids(&failed.body), vec![3, 2, 1]);
    assert!(!failed.body.contains("Page 1 sur"), "one page");
    // A pending message has no « Renvoyer ».
    let pending_line = first
        .body
        .split("data-mail=\"60\"")
        .nth(1)
        .unwrap()
        .split("</tr>")
        .next()
        .unwrap();
    assert!(pending_line.contains(">en attente<") && !pending_line.contains("Renvoyer"));
}

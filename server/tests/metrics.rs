//! Issue 26, « what an operator watches »: `/metrics` is read by a real Prometheus text-format
//! parser (Python's `prometheus_client`, as a scraper reads it); its counters move with the
//! requests (by route template, page-cache hits and misses, write transactions, sign-in
//! refusals); it is refused to a client that is not on the machine, or that came through a
//! proxy, unless it gives the token; every response carries a request id.
mod common;

use std::collections::HashMap;
use std::io::Write;
use std::net::SocketAddr;
use std::process::{Command, Stdio};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, StatusCode};
use sqlx::SqlitePool;

use common::{Client, ORGANIZER};
use server::db::MIGRATOR;

/// A GET from `peer`, with extra headers.
fn get_from(uri: &str, peer: [u8; 4], headers: &[(&str, &str)]) -> Request<Body> {
    let mut request = Request::get(uri).body(Body::empty()).unwrap();
    for (name, value) in headers {
        request.headers_mut().insert(
            axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            value.parse().unwrap(),
        );
    }
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from((peer, 40000))));
    request
}

/// Every sample of the exposition, `name{label="v",…}` → value, as `prometheus_client` parses
/// it (the test fails if it cannot).
fn parse(exposition: &str) -> HashMap<String, f64> {
    let script = r#"
import json, sys
from prometheus_client.parser import text_string_to_metric_families
out = {}
for family in text_string_to_metric_families(sys.stdin.read()):
    for s in family.samples:
        labels = ",".join(f'{k}="{v}"' for k, v in sorted(s.labels.items()))
        out[f"{s.name}{{{labels}}}"] = s.value
print(json.dumps(out))
"#;
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(exposition.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "prometheus_client could not parse /metrics (is it installed? scripts/setup.sh --test): {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

async fn scrape(app: &axum::Router) -> HashMap<String, f64> {
    let reply = common::send(app, get_from("/metrics", [127, 0, 0, 1], &[])).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    parse(&reply.body)
}

fn value(samples: &HashMap<String, f64>, key: &str) -> f64 {
    samples.get(key).copied().unwrap_or(0.0)
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn metrics_are_parsed_and_move_with_the_requests(pool: SqlitePool) {
    common::load_demo(&pool).await;
    let app = common::app(pool.clone());
    let before = scrape(&app).await;

    // Two visits of the programme: a miss that renders and keeps it, then a hit.
    for _ in 0..2 {
        let reply = common::send(&app, get_from("/programme", [127, 0, 0, 1], &[])).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert!(
            reply.headers.contains_key("x-request-id"),
            "no request id given back"
        );
    }
    // An event page, labelled by its template, not its slug.
    let slug: String =
        sqlx::query_scalar("SELECT slug FROM events WHERE status = 'published' LIMIT 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    common::send(
        &app,
        get_from(&format!("/evenements/{slug}"), [127, 0, 0, 1], &[]),
    )
    .await;
    // A wrong password: a refused sign-in, and its attempt written.
    let mut client = Client::new(&app);
    let reply = client.sign_in(ORGANIZER.0, "pas-le-bon-mot-de-passe").await;
    assert!(reply.status.is_client_error());

    let after = scrape(&app).await;
    let delta = |key: &str| value(&after, key) - value(&before, key);
    assert!(
        delta(r#"mip_http_requests_total{method="GET",route="/programme",status="200"}"#) >= 2.0,
        "{after:?}"
    );
    assert!(
        delta(r#"mip_http_requests_total{method="GET",route="/evenements/{slug}",status="200"}"#)
            >= 1.0
    );
    assert!(
        !after.keys().any(|k| k.contains(&slug)),
        "a route label holds an event's slug"
    );
    assert!(delta(r#"mip_page_cache_total{result="miss"}"#) >= 1.0);
    assert!(delta(r#"mip_page_cache_total{result="hit"}"#) >= 1.0);
    assert!(delta(r#"mip_sign_in_total{outcome="refused",step="password"}"#) >= 1.0);
    assert!(delta(r#"mip_db_write_transactions_total{outcome="begun"}"#) >= 1.0);
    assert!(delta(r#"mip_http_request_duration_seconds_count{route="/programme"}"#) >= 2.0);
    assert!(after.contains_key(
        r#"mip_http_request_duration_seconds_bucket{le="0.005",route="/programme"}"#
    ));
    assert!(after.contains_key(r#"mip_db_write_lock_wait_seconds_count{}"#));
    assert!(after.contains_key(r#"mip_db_pool_connections{state="open"}"#));
    assert!(after.contains_key(r#"mip_outbox_messages{state="pending"}"#));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn metrics_are_refused_off_the_machine_and_through_a_proxy(pool: SqlitePool) {
    let app = common::app(pool);
    let remote = common::send(&app, get_from("/metrics", [192, 0, 2, 7], &[])).await;
    assert_eq!(remote.status, StatusCode::FORBIDDEN);
    assert!(!remote.body.contains("mip_"), "refused, yet given");
    // A reverse proxy on the same machine forwards visitors: they are not « the machine ».
    let proxied = common::send(
        &app,
        get_from(
            "/metrics",
            [127, 0, 0, 1],
            &[("x-forwarded-for", "192.0.2.7")],
        ),
    )
    .await;
    assert_eq!(proxied.status, StatusCode::FORBIDDEN);
    // A made-up token does not open them.
    let wrong = common::send(
        &app,
        get_from(
            "/metrics",
            [192, 0, 2, 7],
            &[("authorization", "Bearer n-importe-quoi")],
        ),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
}

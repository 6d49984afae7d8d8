//! Shared helpers of the server tests: the real router over a test database.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use sqlx::SqlitePool;
use tower::ServiceExt;

use app::state::{AppState, Clock};

/// "Now" in the tests: 10 November 2026, 9:00 in Paris, during the demo edition.
pub fn test_now() -> chrono::DateTime<chrono::Utc> {
    "2026-11-10T08:00:00Z".parse().unwrap()
}

pub fn app(pool: SqlitePool) -> Router {
    let leptos_options = LeptosOptions::builder()
        .output_name("mip")
        .site_root("target/site")
        .build();
    server::router(AppState {
        leptos_options,
        pool,
        clock: Clock::Fixed(test_now()),
        catalogs: Default::default(),
        public_url: "http://127.0.0.1:3000".into(),
        mailer: app::accounts::mail::Mailer::table_only(),
    })
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

pub async fn send(app: &Router, request: Request<Body>) -> Reply {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

pub async fn get(app: &Router, uri: &str) -> Reply {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

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

/// The router as served, except that its cache of public pages reads the data version at
/// every request: the tests also write to the database directly, not only through requests.
pub fn app(pool: SqlitePool) -> Router {
    app_with_cache(
        pool,
        server::page_cache::PageCache::new(std::time::Duration::ZERO),
    )
}

/// The router of a site whose public address is `public_url` (e.g. under HTTPS).
pub fn app_with_public_url(pool: SqlitePool, public_url: &str) -> Router {
    app_at(
        pool,
        server::page_cache::PageCache::new(std::time::Duration::ZERO),
        public_url,
    )
}

pub fn app_with_cache(pool: SqlitePool, page_cache: server::page_cache::PageCache) -> Router {
    app_at(pool, page_cache, "http://127.0.0.1:3000")
}

fn app_at(pool: SqlitePool, page_cache: server::page_cache::PageCache, public_url: &str) -> Router {
    app_and_state_at(pool, page_cache, public_url, Clock::Fixed(test_now())).0
}

/// The router of a site that offers sign-in with ProConnect through `proconnect`.
pub fn app_with_proconnect(
    pool: SqlitePool,
    proconnect: app::accounts::proconnect::ProConnect,
) -> Router {
    let cache = || server::page_cache::PageCache::new(std::time::Duration::ZERO);
    let (_, mut state) = app_and_state_at(pool, cache(), SITE, Clock::Fixed(test_now()));
    state.proconnect = Some(std::sync::Arc::new(proconnect));
    server::router::router_with_cache(state, cache())
}

/// The router and its state, at the instant `clock` gives (tests of what the server keeps in
/// memory, e.g. the audience counts written by `server::audience::flush`).
pub fn app_and_state_at(
    pool: SqlitePool,
    page_cache: server::page_cache::PageCache,
    public_url: &str,
    clock: Clock,
) -> (Router, AppState) {
    let leptos_options = LeptosOptions::builder()
        .output_name("mip")
        .site_root("target/site")
        .build();
    let state = AppState {
        leptos_options,
        pool,
        clock,
        catalogs: Default::default(),
        public_url: public_url.into(),
        mailer: app::accounts::mail::Mailer::table_only(),
        kept_input: Default::default(),
        audience: Default::default(),
        proconnect: None,
    };
    (
        server::router::router_with_cache(state.clone(), page_cache),
        state,
    )
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

/// Longest a test waits for one response: a page that never finishes fails its test instead
/// of stalling the whole run.
pub const RESPONSE_DEADLINE: std::time::Duration = std::time::Duration::from_secs(120);

/// One request through the router: status, headers and the body's bytes as sent (still
/// compressed when the response is), within `RESPONSE_DEADLINE`.
pub async fn send_raw(
    app: &Router,
    request: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, axum::body::Bytes) {
    let uri = request.uri().clone();
    tokio::time::timeout(RESPONSE_DEADLINE, async {
        let response = app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (status, headers, bytes)
    })
    .await
    .unwrap_or_else(|_| panic!("{uri}: no complete response within {RESPONSE_DEADLINE:?}"))
}

pub async fn send(app: &Router, request: Request<Body>) -> Reply {
    let (status, headers, bytes) = send_raw(app, request).await;
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

pub async fn get(app: &Router, uri: &str) -> Reply {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

/// The demo accounts as the tests sign in: the demo itself draws random passwords
/// (`DemoCredentials::random`); the tests give these to [`load_demo`].
pub const ORGANIZER: (&str, &str) = ("organisatrice@example.org", "test-organisatrice-2026");
pub const MODERATOR: (&str, &str) = ("moderation@example.org", "test-moderation-2026");
pub const ADMIN: (&str, &str) = ("admin@example.org", "test-administration-2026");

/// A browser signed in as `email` through a session written directly (no password, no second
/// factor, no throttle): for tests about what a signed-in account may do, not about signing in.
pub async fn session_for(app: &Router, pool: &SqlitePool, email: &str) -> Client {
    let token = app::accounts::session::new_token();
    let now = test_now();
    sqlx::query(
        "INSERT INTO sessions (token_hash, account_id, created_at, last_seen_at, expires_at) \
         SELECT ?, id, ?, ?, ? FROM accounts WHERE email = ?",
    )
    .bind(app::accounts::session::token_hash(&token))
    .bind(app::time::timestamp(now))
    .bind(app::time::timestamp(now))
    .bind(app::time::timestamp(now + chrono::Duration::days(1)))
    .bind(email)
    .execute(pool)
    .await
    .unwrap();
    let mut client = Client::new(app);
    client.cookie = Some(format!("mip_session={token}"));
    client
}

/// The second factor's secret of the demo's staff accounts in the tests (base32).
pub const STAFF_TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

/// Keeps the demo edition's referencing window open until the end of the month, so that
/// organizers may still create and submit at [`test_now`] (the demo closes it on 29 October).
pub async fn open_referencing(pool: &SqlitePool, open: bool) {
    sqlx::query("UPDATE editions SET referencing_closes_on = ? WHERE year = 2026")
        .bind(if open { "2026-11-30" } else { "2026-10-29" })
        .execute(pool)
        .await
        .unwrap();
}

/// The demo, its accounts signing in with [`ORGANIZER`], [`MODERATOR`] and [`ADMIN`].
pub async fn load_demo(pool: &SqlitePool) {
    server::demo::load_with(
        pool,
        server::demo::DEFAULT_SEED,
        None,
        &server::demo::DemoCredentials::with_passwords(
            [
                ORGANIZER.1.to_string(),
                MODERATOR.1.to_string(),
                ADMIN.1.to_string(),
            ],
            STAFF_TOTP_SECRET,
        ),
    )
    .await
    .unwrap();
}
pub const SITE: &str = "http://127.0.0.1:3000";

/// A browser: keeps the session cookie, sends the site's Origin and a client address.
pub struct Client {
    pub app: axum::Router,
    pub cookie: Option<String>,
    pub ip: [u8; 4],
}

impl Client {
    pub fn new(app: &axum::Router) -> Self {
        Client {
            app: app.clone(),
            cookie: None,
            ip: [127, 0, 0, 1],
        }
    }

    pub fn request(
        &self,
        path: &str,
        content_type: &str,
        body: String,
    ) -> axum::http::Request<Body> {
        let mut builder = axum::http::Request::post(path)
            .header(axum::http::header::CONTENT_TYPE, content_type)
            .header(axum::http::header::ACCEPT, "application/json")
            .header(axum::http::header::HOST, "127.0.0.1:3000")
            .header(axum::http::header::ORIGIN, SITE);
        if let Some(cookie) = &self.cookie {
            builder = builder.header(axum::http::header::COOKIE, cookie);
        }
        let mut request = builder.body(Body::from(body)).unwrap();
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
                self.ip, 40000,
            ))));
        request
    }

    pub async fn form(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let reply = send(
            &self.app,
            self.request(path, "application/x-www-form-urlencoded", body),
        )
        .await;
        self.keep_cookie(&reply);
        reply
    }

    /// A `multipart/form-data` post, as a browser sends a form with a file: each part is
    /// `(name, file name, content)`, a file name only for a file.
    pub async fn multipart(&mut self, path: &str, parts: &[(&str, Option<&str>, &str)]) -> Reply {
        let reply = send(&self.app, self.multipart_request(path, parts)).await;
        self.keep_cookie(&reply);
        reply
    }

    pub fn multipart_request(
        &self,
        path: &str,
        parts: &[(&str, Option<&str>, &str)],
    ) -> axum::http::Request<Body> {
        const BOUNDARY: &str = "----mip-test-boundary-7MA4YWxkTrZu0gW";
        let mut body = String::new();
        for (name, file_name, content) in parts {
            body.push_str(&format!("--{BOUNDARY}\r\n"));
            match file_name {
                Some(file) => body.push_str(&format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\n\
                     Content-Type: text/csv\r\n\r\n"
                )),
                None => body.push_str(&format!(
                    "Content-Disposition: form-data; name=\"{name}\"\r\n\r\n"
                )),
            }
            body.push_str(content);
            body.push_str("\r\n");
        }
        body.push_str(&format!("--{BOUNDARY}--\r\n"));
        self.request(
            path,
            &format!("multipart/form-data; boundary={BOUNDARY}"),
            body,
        )
    }

    pub async fn json(&mut self, path: &str, body: serde_json::Value) -> Reply {
        let reply = send(
            &self.app,
            self.request(path, "application/json", body.to_string()),
        )
        .await;
        self.keep_cookie(&reply);
        reply
    }

    fn keep_cookie(&mut self, reply: &Reply) {
        for value in reply.headers.get_all(axum::http::header::SET_COOKIE) {
            let value = value.to_str().unwrap();
            if let Some(rest) = value.strip_prefix("mip_session=") {
                let token = rest.split(';').next().unwrap();
                self.cookie = (!token.is_empty()).then(|| format!("mip_session={token}"));
            }
        }
    }

    /// Signs in; a staff account then gives its second factor: the code of
    /// [`STAFF_TOTP_SECRET`] at [`test_now`], or of the step after (a code is accepted once,
    /// and the clock of the tests stands still: the next sign-in uses the next step).
    pub async fn sign_in(&mut self, email: &str, password: &str) -> Reply {
        let reply = self
            .form(
                <app::accounts::server::SignIn as leptos::server_fn::ServerFn>::PATH,
                &[("email", email), ("password", password)],
            )
            .await;
        let to_code = reply
            .headers
            .get(axum::http::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|l| l.starts_with(app::accounts::model::SECOND_FACTOR_PATH));
        if !to_code {
            return reply;
        }
        let mut last = reply;
        for step in [-1i64, 0, 1] {
            let at = test_now() + chrono::Duration::seconds(30 * step);
            let code = app::accounts::second_factor::code_at(STAFF_TOTP_SECRET, at).unwrap();
            last = self
                .form(
                    <app::accounts::server::VerifySecondFactor as leptos::server_fn::ServerFn>::PATH,
                    &[("code", code.as_str())],
                )
                .await;
            if last.status.is_redirection() || last.status.is_success() {
                break;
            }
        }
        last
    }
}

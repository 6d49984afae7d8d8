//! What an operator watches: `/metrics` in the Prometheus text format, and one log line per
//! request with its id.
//!
//! Counters and histograms are written with the `metrics` facade where things happen
//! (requests here, the page cache, write transactions and sign-ins in `app`), and rendered by
//! `metrics-exporter-prometheus` (without its own HTTP listener: `/metrics` is a route of the
//! site). Gauges that are a state (the pool, the outbox) are read when scraped.
//!
//! `/metrics` answers a client on the machine (a loopback peer whose request did not come
//! through a proxy: no `Forwarded`, `X-Forwarded-For` or `X-Real-IP`), or anyone with
//! `Authorization: Bearer $MIP_METRICS_TOKEN`; any other gets a 403.
use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use app::state::AppState;

/// Request latencies (seconds): from a cached page's fraction of a millisecond to the 60 s
/// timeout.
const LATENCY_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
    60.0,
];

/// The process's recorder, installed once (the tests build many routers in one process).
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), LATENCY_BUCKETS)
            .expect("the buckets are not empty");
        match builder.install_recorder() {
            Ok(handle) => handle,
            // Another recorder was installed first: this one renders nothing it did not see.
            Err(_) => PrometheusBuilder::new().build_recorder().handle(),
        }
    })
}

/// Route labels of bounded cardinality: the route's template (`/evenements/{slug}`), a
/// registered server function's path, `static`, or `other`. Never a visitor's text.
pub struct Routes {
    /// Templates split in segments; `None` matches any one segment.
    templates: Vec<(String, Vec<Option<String>>)>,
    server_fns: HashSet<String>,
}

impl Routes {
    pub fn new<'a>(paths: impl IntoIterator<Item = &'a str>) -> Self {
        let templates = paths
            .into_iter()
            .map(|path| {
                let segments = path
                    .split('/')
                    .skip(1)
                    .map(|s| {
                        let variable =
                            s.starts_with(':') || (s.starts_with('{') && s.ends_with('}'));
                        (!variable).then(|| s.to_string())
                    })
                    .collect();
                (path.to_string(), segments)
            })
            .collect::<Vec<(String, Vec<Option<String>>)>>();
        // An exact template wins over one with variables (`/organisateur/evenements/nouveau`
        // over `/organisateur/evenements/{id}`).
        let mut templates = templates;
        templates.sort_by_key(|(_, t)| t.iter().filter(|s| s.is_none()).count());
        let server_fns = leptos::server_fn::axum::server_fn_paths()
            .map(|(path, _)| path.to_string())
            .collect();
        Routes {
            templates,
            server_fns,
        }
    }

    pub fn label(&self, path: &str) -> String {
        if self.server_fns.contains(path) {
            return path.to_string();
        }
        for prefix in ["/pkg/", "/fonts/", "/icons/"] {
            if path.starts_with(prefix) {
                return "static".into();
            }
        }
        let segments: Vec<&str> = path.split('/').skip(1).collect();
        self.templates
            .iter()
            .filter(|(_, template)| template.len() == segments.len())
            .find(|(_, template)| {
                template
                    .iter()
                    .zip(&segments)
                    .all(|(t, s)| t.as_deref().is_none_or(|t| t == *s))
            })
            .map(|(name, _)| normalize(name))
            .unwrap_or_else(|| "other".into())
    }
}

/// `/evenements/:slug` and `/evenements/{slug}` are written the same way.
fn normalize(template: &str) -> String {
    template
        .split('/')
        .map(|s| match s.strip_prefix(':') {
            Some(name) => format!("{{{name}}}"),
            None => s.to_string(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The layer (outermost but the request id's): counts each request by route, method and
/// status with its latency, and writes its log line.
pub async fn track(State(routes): State<Arc<Routes>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let response = next.run(request).await;
    let route = routes.label(&path);
    let status = response.status().as_u16();
    let elapsed = started.elapsed();
    metrics::counter!(
        "mip_http_requests_total",
        "route" => route.clone(),
        "method" => method.to_string(),
        "status" => status.to_string()
    )
    .increment(1);
    metrics::histogram!("mip_http_request_duration_seconds", "route" => route.clone())
        .record(elapsed.as_secs_f64());
    // The path without its query (a search's words stay out of the logs).
    tracing::info!(
        target: "mip::request",
        request_id = %id,
        method = %method,
        route = %route,
        path = %path,
        status,
        duration_ms = elapsed.as_secs_f64() * 1000.0,
        "request"
    );
    response
}

/// Who may read `/metrics`: see the module's text.
fn allowed(peer: Option<SocketAddr>, headers: &HeaderMap, token: Option<&str>) -> bool {
    if let Some(token) = token.filter(|t| !t.is_empty()) {
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        // Compared in constant time: the token is a secret.
        use sha2::{Digest, Sha256};
        if Sha256::digest(given.as_bytes()) == Sha256::digest(token.as_bytes()) {
            return true;
        }
    }
    let proxied = ["forwarded", "x-forwarded-for", "x-real-ip"]
        .iter()
        .any(|name| headers.contains_key(*name));
    peer.is_some_and(|peer| peer.ip().is_loopback()) && !proxied
}

/// `GET /metrics`.
pub async fn metrics(state: AppState, token: Option<Arc<str>>, request: Request) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    let no_store = [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))];
    if !allowed(peer, request.headers(), token.as_deref()) {
        return (
            StatusCode::FORBIDDEN,
            no_store,
            "Les métriques se lisent depuis la machine du serveur, ou avec le jeton MIP_METRICS_TOKEN.\n",
        )
            .into_response();
    }
    // States, read now.
    metrics::gauge!("mip_db_pool_connections", "state" => "open").set(state.pool.size() as f64);
    metrics::gauge!("mip_db_pool_connections", "state" => "idle").set(state.pool.num_idle() as f64);
    for &(label, sql) in OUTBOX_QUERIES {
        if let Ok(count) = sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(&state.pool)
            .await
        {
            metrics::gauge!("mip_outbox_messages", "state" => label).set(count as f64);
        }
    }
    let body = handle().render();
    (
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response()
}

/// The outbox's backlog by state.
const OUTBOX_QUERIES: &[(&str, &str)] = &[
    (
        "pending",
        "SELECT count(*) FROM outbox WHERE state = 'pending'",
    ),
    (
        "failed",
        "SELECT count(*) FROM outbox WHERE state = 'failed'",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_templates_never_values() {
        let routes = Routes::new([
            "/",
            "/programme",
            "/evenements/:slug",
            "/editions/{year}/bilan.csv",
            "/editions/:annee/bilan",
        ]);
        assert_eq!(routes.label("/evenements/atelier-x"), "/evenements/{slug}");
        assert_eq!(
            routes.label("/editions/2025/bilan.csv"),
            "/editions/{year}/bilan.csv"
        );
        assert_eq!(
            routes.label("/editions/2025/bilan"),
            "/editions/{annee}/bilan"
        );
        assert_eq!(routes.label("/programme"), "/programme");
        assert_eq!(routes.label("/"), "/");
        assert_eq!(routes.label("/pkg/mip.abc.wasm"), "static");
        assert_eq!(routes.label("/n-importe-quoi/<script>"), "other");
        assert_eq!(routes.label("/api/pas-une-fonction"), "other");
    }

    #[test]
    fn only_the_machine_or_the_token_reads_them() {
        let local: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        let remote: SocketAddr = "192.0.2.7:5000".parse().unwrap();
        let none = HeaderMap::new();
        assert!(allowed(Some(local), &none, None));
        assert!(!allowed(Some(remote), &none, None));
        let mut proxied = HeaderMap::new();
        proxied.insert("x-forwarded-for", "192.0.2.7".parse().unwrap());
        assert!(
            !allowed(Some(local), &proxied, None),
            "a proxy on the machine is no local client"
        );
        let mut bearer = HeaderMap::new();
        bearer.insert(header::AUTHORIZATION, "Bearer s3cret".parse().unwrap());
        assert!(allowed(Some(remote), &bearer, Some("s3cret")));
        assert!(!allowed(Some(remote), &bearer, Some("autre")));
        assert!(!allowed(Some(remote), &none, Some("")));
    }
}

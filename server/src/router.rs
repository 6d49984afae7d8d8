//! The HTTP surface: Leptos pages and server functions, static files, health check.
use axum::body::Body;
use axum::extract::Request;
use axum::extract::State;
use axum::http::StatusCode;
use axum::middleware::{from_fn, from_fn_with_state, map_response, map_response_with_state, Next};
use axum::response::Response;
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use axum::Router;
use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

use crate::error_page::render_in_site;

use app::error::AppError;
use app::state::AppState;
use app::{shell, App};

pub fn router(state: AppState) -> Router {
    router_with_cache(state, crate::page_cache::PageCache::default())
}

/// The router with its cache of public pages given (tests choose how it revalidates).
pub fn router_with_cache(state: AppState, page_cache: crate::page_cache::PageCache) -> Router {
    let routes = route_list();
    let options = state.leptos_options.clone();
    let service_worker = std::sync::Arc::new(service_worker_script(&options));
    // What an operator watches (`/metrics`).
    let metrics_token: Option<std::sync::Arc<str>> = std::env::var("MIP_METRICS_TOKEN")
        .ok()
        .filter(|t| !t.is_empty())
        .map(Into::into);
    let metrics_state = state.clone();
    // The routes added by hand (the Leptos pages and server functions are listed by Leptos).
    let plain: Vec<(&'static str, axum::routing::MethodRouter<AppState>)> = vec![
        ("/healthz", get(crate::health::healthz)),
        (
            "/metrics",
            get(move |request: Request| {
                crate::metrics::metrics(metrics_state.clone(), metrics_token.clone(), request)
            }),
        ),
        (
            "/sw.js",
            get(move |headers: axum::http::HeaderMap| async move {
                service_worker.answer(&headers).await
            }),
        ),
        // Sign-in with ProConnect (server/src/proconnect.rs).
        ("/connexion/proconnect", get(crate::proconnect::start)),
        (
            "/connexion/proconnect/retour",
            get(crate::proconnect::callback),
        ),
        ("/connexion/proconnect/fin", get(crate::proconnect::end)),
        (
            "/connexion/proconnect/deconnecte",
            get(crate::proconnect::signed_out),
        ),
        ("/programme.ics", get(crate::feeds::ics)),
        ("/programme.rss", get(crate::feeds::rss)),
        ("/api/v1/events.json", get(crate::feeds::json)),
        ("/api/v1/events.csv", get(crate::feeds::csv)),
        (
            "/evenements/{slug}/agenda.ics",
            get(crate::feeds::event_ics),
        ),
        // The communication kit of an event (server/src/kit/).
        ("/evenements/{slug}/affiche", get(crate::kit::poster)),
        (
            "/evenements/{slug}/partage.png",
            get(crate::kit::sharing_image),
        ),
        ("/mon-programme.ics", get(crate::feeds::my_programme_ics)),
        // Audience figures (server/src/audience.rs).
        (
            "/api/audience",
            axum::routing::post(crate::audience::beacon),
        ),
        (
            "/evenements/{slug}/inscription",
            get(crate::audience::registration),
        ),
        (
            "/organisateur/evenements/{id}/audience.csv",
            get(crate::audience::event_csv),
        ),
        ("/editions/{year}/bilan.csv", get(crate::feeds::report_csv)),
        (
            "/admin/export/evenements.csv",
            get(crate::exports::events_csv),
        ),
        (
            "/admin/export/tout.json",
            get(crate::exports::everything_json),
        ),
        (
            "/admin/import/exemple.csv",
            get(crate::exports::import_example_csv),
        ),
        (
            "/api/v1/editions/{year}/catalogue.json",
            get(crate::feeds::catalogue),
        ),
        (
            "/api/v1/catalogue.json",
            get(crate::feeds::current_catalogue),
        ),
    ];
    // Requests are counted by route template, never by a visitor's text.
    let route_labels = std::sync::Arc::new(crate::metrics::Routes::new(
        routes
            .iter()
            .map(|r| r.path())
            .chain(plain.iter().map(|(path, _)| *path))
            .chain(["/favicon.svg"]),
    ));
    crate::metrics::handle();
    plain
        .into_iter()
        .fold(Router::new(), |router, (path, handler)| {
            router.route(path, handler)
        })
        // Also registers every server function, with the state in their context.
        .leptos_routes_with_context(&state, routes, || (), move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(map_response_with_state(
            state.leptos_options.hash_files,
            static_cache_headers,
        ))
        .layer(map_response(server_fn_error_status))
        .layer(from_fn(crate::security::refuse_control_characters))
        // Inside the size limit (it reads the body), outside what may refuse the form: the
        // fields of a form that comes back with its error go back with it.
        .layer(from_fn_with_state(
            state.clone(),
            crate::form_input::carry_form_input,
        ))
        .layer(from_fn(multipart_only))
        .layer(from_fn(limit_body_size))
        .layer(from_fn_with_state(state.clone(), same_origin_only))
        // A browser's error page in the site's layout (inside the policy: its scripts hashed).
        .layer(from_fn_with_state(state.clone(), render_in_site))
        // Where pages are rendered, inside the page cache: a kept page keeps its policy.
        .layer(from_fn(crate::security::html_policy))
        // Inside the compression layer: kept pages carry their own encoding and pass it.
        .layer(from_fn_with_state(
            (state.clone(), page_cache),
            crate::page_cache::serve,
        ))
        // Around the page cache: a kept page's view is counted too (in memory).
        .layer(from_fn_with_state(
            (state.audience.clone(), state.clock),
            crate::audience::count,
        ))
        // Before the page cache: a junk parameter is a redirect, never a page to keep.
        .layer(from_fn(canonical_public_url))
        // A request that takes longer gets a 503 and lets go of what it held.
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIMEOUT,
        ))
        .layer(from_fn_with_state(state.clone(), crate::security::headers))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        // Counted and logged once per request, with its id (given back to the client).
        .layer(from_fn_with_state(route_labels, crate::metrics::track))
        .layer(tower_http::request_id::PropagateRequestIdLayer::x_request_id())
        .layer(tower_http::request_id::SetRequestIdLayer::x_request_id(
            tower_http::request_id::MakeRequestUuid,
        ))
        .with_state(state)
}

/// The application's routes, listed once per process.
///
/// Listing them renders the app with resource loading suppressed through a flag that
/// leptos_server keeps for the whole process: a resource first polled by another thread during
/// that time never loads, and its page never finishes (leptos issue #4773). A server builds
/// one router, but the tests build one per test, on parallel threads, while other tests render
/// pages: listing the routes once, before any router exists, closes that window.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// Static files: those whose name carries a hash of their content (the wasm, its chunks, the
/// JavaScript and the stylesheet, when built with `hash-files`) never change and are cached
/// for a year; fonts and icons for a week; the rest (favicon, map outlines) for a day.
async fn static_cache_headers(
    State(hashed): State<bool>,
    request_parts: axum::http::request::Parts,
    mut response: Response,
) -> Response {
    use axum::http::{header, HeaderValue};
    let path = request_parts.uri.path();
    let is_static = response.status() == StatusCode::OK
        && !response.headers().contains_key(header::CACHE_CONTROL)
        && path
            .rsplit('/')
            .next()
            .is_some_and(|name| name.contains('.'));
    if !is_static {
        return response;
    }
    let policy = static_cache_policy(path, hashed);
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    if policy == IMMUTABLE {
        // Named by its content: never revalidated, so its date is of no use, and small
        // enough to be fetched whole. A first visit of `/programme` fetches about twenty
        // such files: 70 bytes each.
        headers.remove(header::LAST_MODIFIED);
        headers.remove(header::ACCEPT_RANGES);
    }
    response
}

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

fn static_cache_policy(path: &str, hashed: bool) -> &'static str {
    if hashed && path.starts_with("/pkg/") && has_content_hash(path) {
        IMMUTABLE
    } else if path.starts_with("/fonts/") || path.starts_with("/icons/") {
        "public, max-age=604800"
    } else {
        "public, max-age=86400"
    }
}

/// `mip.<22 characters of base64url MD5>.wasm`, as cargo-leptos names hashed files.
fn has_content_hash(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    name.split('.').any(|part| {
        part.len() == 22
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

/// The service worker that keeps the offline copy (`sw.js`), named after the build (a new
/// build is a new worker, which replaces the copy whose pages name the old build's files) and
/// given the public site's paths, the pages it may keep (the page cache's own list), and the
/// French words of its offline event page (`app::fr`, `Mode::label`). Revalidated by the browser at every check (`no-cache`, as browsers expect of a worker's
/// script): built and compressed once, with the router, and answered with an ETag (a 304 when
/// unchanged).
fn service_worker_script(options: &leptos::config::LeptosOptions) -> crate::page_cache::Fixed {
    use axum::http::{header, HeaderMap, HeaderValue};
    let (_, wasm) = app::pkg_file_names(options);
    let build: String = wasm
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .collect();
    // Its comments are for the readers of this repository: the browser gets the code without
    // its whole-line comments (a third of the brotli body).
    let code = include_str!("sw.js")
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    // The site's own words for what the offline event page shows: the modes as the catalogue
    // names them, the months and the days of the week (Sunday first, as JavaScript counts).
    let modes: serde_json::Map<String, serde_json::Value> = app::reference::Mode::ALL
        .into_iter()
        .filter_map(|mode| match serde_json::to_value(mode) {
            Ok(serde_json::Value::String(key)) => Some((key, mode.label().into())),
            _ => None,
        })
        .collect();
    let months: Vec<&str> = (1..=12).map(app::fr::month_name).collect();
    let mut day = chrono::Weekday::Sun;
    let weekdays: Vec<&str> = (0..7)
        .map(|_| {
            let name = app::fr::weekday_name(day);
            day = day.succ();
            name
        })
        .collect();
    // What the worker keeps at install, before it takes over: the offline pages' shell, the
    // current catalogue and the build's own files (the pages name the rest).
    let (js, _) = app::pkg_file_names(options);
    let pkg = &options.site_pkg_dir;
    let precache = [
        "/programme".to_string(),
        "/mon-programme".to_string(),
        "/api/v1/catalogue.json".to_string(),
        format!("/{pkg}/{js}.js"),
        format!("/{pkg}/{wasm}.wasm"),
    ];
    let body = format!(
        "const BUILD = \"{build}\";\nconst PUBLIC_PATHS = {};\nconst PUBLIC_PREFIXES = {};\n\
         const PRECACHE = {};\nconst MODES = {};\nconst MONTHS = {};\nconst WEEKDAYS = {};\n{code}\n",
        serde_json::json!(crate::page_cache::PUBLIC_PATHS),
        serde_json::json!(crate::page_cache::PUBLIC_PREFIXES),
        serde_json::json!(precache),
        serde_json::Value::Object(modes),
        serde_json::json!(months),
        serde_json::json!(weekdays),
    );
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    crate::page_cache::Fixed::new(headers, body.into_bytes())
}

/// Server function errors leave the server function crate as `500`s; this gives each its own
/// status (a missing argument is a 400, a missing event a 404…), decided by `AppError` alone,
/// including for errors raised before the function body runs (malformed arguments).
async fn server_fn_error_status(response: Response) -> Response {
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key(SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 256 * 1024)
        .await
        .unwrap_or_default();
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = error.status_code();
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// One URL per page: a public URL written another way is redirected to its canonical form,
/// which is what the browser produces once hydrated, what people share and what caches key
/// on. The programme and its feeds keep their filters in canonical order (a GET form sends
/// empty fields and its own order); every other public page keeps only the parameters it
/// reads. A junk parameter (`?x=1`) therefore never makes a new page to render and compress:
/// it is a redirect to the page everyone shares.
async fn canonical_public_url(request: Request, next: Next) -> Response {
    if !matches!(
        *request.method(),
        axum::http::Method::GET | axum::http::Method::HEAD
    ) {
        return next.run(request).await;
    }
    let Some(query) = request.uri().query() else {
        return next.run(request).await;
    };
    let path = request.uri().path();
    if let Some(canonical) = canonical_url(path, query) {
        if canonical != format!("{path}?{query}") {
            return Redirect::to(&canonical).into_response();
        }
    }
    next.run(request).await
}

/// The canonical form of a public URL with a query; `None` for the paths outside the public
/// site (personal pages, forms), whose queries are theirs to read.
fn canonical_url(path: &str, query: &str) -> Option<String> {
    let is_programme = path == "/programme"
        || path
            .strip_prefix("/editions/")
            .is_some_and(|year| year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()));
    let follows_filters = matches!(
        path,
        "/programme.ics" | "/programme.rss" | "/api/v1/events.json" | "/api/v1/events.csv"
    );
    if is_programme || follows_filters {
        return Some(app::programme::filters::Filters::from_query(query).href(path));
    }
    if !crate::page_cache::is_public_path(path) {
        return None;
    }
    let kept: &[&str] = if path == "/editions" {
        &["q"]
    } else if path == "/labs" {
        &["region", "type"]
    } else if path.starts_with("/api/v1/") && path.ends_with("/catalogue.json") {
        &["v"]
    } else {
        &[]
    };
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .filter(|(key, value)| kept.contains(&key.as_ref()) && !value.is_empty())
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    // One value per parameter: the first, as the pages read it.
    let mut seen = Vec::new();
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (key, value) in &pairs {
        if !seen.contains(key) {
            seen.push(key.clone());
            out.append_pair(key, value);
        }
    }
    let query = out.finish();
    Some(if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{query}")
    })
}

/// The longest a response may take to start (the import of a whole edition included).
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// Largest request body accepted (an event with the longest description fits many times).
pub const MAX_BODY_BYTES: usize = 256 * 1024;
/// Except for CSV imports (a whole edition in one file): the file and the pasted text, each
/// within `app::admin::model::IMPORT_MAX_BYTES`, which the import checks with a message on
/// its field.
pub const MAX_IMPORT_BYTES: usize = 2 * app::admin::model::IMPORT_MAX_BYTES + 64 * 1024;

/// A JSON error body like the server functions' own, with its status.
pub(crate) fn error_response(error: AppError) -> Response {
    let status = error.status_code();
    let body = serde_json::to_string(&error).unwrap_or_default();
    (
        status,
        [
            (axum::http::header::CONTENT_TYPE, "application/json"),
            (axum::http::header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

/// [`error_response`] for a request; a plain HTML form's post (a browser without JavaScript:
/// it takes HTML and names its page) is sent back to its page with the error, as the server
/// functions' own errors are (`__path` and `__err`, which the page's `ServerAction` reads), so
/// that nobody is shown a JSON body.
pub(crate) fn error_response_for(parts: &axum::http::request::Parts, error: AppError) -> Response {
    use axum::http::header;
    use base64::Engine;
    let takes_html = takes_html(&parts.headers);
    let page = parts
        .headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|referer| url_path_of(referer, parts));
    match page {
        Some(page) if takes_html && parts.method == axum::http::Method::POST => {
            let json = serde_json::to_string(&error).unwrap_or_default();
            let err = base64::engine::general_purpose::URL_SAFE.encode(json);
            let query: String = form_urlencoded::Serializer::new(String::new())
                .append_pair("__path", parts.uri.path())
                .append_pair("__err", &err)
                .finish();
            let separator = if page.contains('?') { '&' } else { '?' };
            Redirect::to(&format!("{page}{separator}{query}")).into_response()
        }
        // A browser's post that names no page of this site to go back to: a page in words,
        // never a JSON body.
        _ => error_response_to(&parts.headers, error),
    }
}

/// The error response of every route that is not a form's post (the feeds, the catalogue, the
/// kit's poster and image, the exports): a page in words for a browser (its `Accept` names
/// HTML: someone followed a link), otherwise the server functions' JSON body, for a program.
pub(crate) fn error_response_to(headers: &axum::http::HeaderMap, error: AppError) -> Response {
    if takes_html(headers) {
        crate::error_page::page(error)
    } else {
        error_response(error)
    }
}

/// Whether the client takes HTML: a browser's navigation, not a program's request.
fn takes_html(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

/// The path and query of a Referer of this very host (never another site's address).
fn url_path_of(referer: &str, parts: &axum::http::request::Parts) -> Option<String> {
    let host = parts.headers.get(axum::http::header::HOST)?.to_str().ok()?;
    let rest = referer
        .strip_prefix("http://")
        .or_else(|| referer.strip_prefix("https://"))?
        .strip_prefix(host)?;
    let path = if rest.is_empty() { "/" } else { rest };
    let plain = path.starts_with('/')
        && !path.starts_with("//")
        && !path
            .bytes()
            .any(|b| b.is_ascii_control() || b == b'\\' || b == b' ');
    plain.then(|| path.to_string())
}

/// State-changing requests (server functions are plain POST endpoints) are accepted only
/// from the site's own pages: a cross-site `Origin` (or `Sec-Fetch-Site: cross-site`) gets
/// 403, whatever cookies it carries. Requests without these headers (curl, old clients)
/// are not browsers acting for someone else and go through.
async fn same_origin_only(State(state): State<AppState>, request: Request, next: Next) -> Response {
    use axum::http::{header, Method};
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let cross_site = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == "cross-site");
    let origin_ok = match headers
        .get(header::ORIGIN)
        .map(|v| v.to_str().unwrap_or("?"))
    {
        None => true,
        Some(origin) => {
            let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
            origin == state.public_url
                || host.is_some_and(|host| {
                    origin == format!("http://{host}") || origin == format!("https://{host}")
                })
        }
    };
    if cross_site || !origin_ok {
        let (parts, _) = request.into_parts();
        let response = error_response_for(
            &parts,
            AppError::BadRequest(
                "cette action ne peut venir que des pages du site (origine refusée).".into(),
            ),
        );
        return if response.status().is_redirection() {
            response
        } else {
            response.map_status(StatusCode::FORBIDDEN)
        };
    }
    next.run(request).await
}

trait MapStatus {
    fn map_status(self, status: StatusCode) -> Self;
}

impl MapStatus for Response {
    fn map_status(mut self, status: StatusCode) -> Self {
        *self.status_mut() = status;
        self
    }
}

/// The server functions whose form sends a file (`multipart/form-data`).
fn takes_multipart(path: &str) -> bool {
    use leptos::server_fn::ServerFn;
    path == <app::admin::server::ImportEvents as ServerFn>::PATH
}

/// A server function that reads a file is posted as `multipart/form-data` with its boundary:
/// anything else is a 400 with a message (the function's decoder would not know where the
/// parts end), sent back to its page for a browser.
async fn multipart_only(request: Request, next: Next) -> Response {
    if request.method() != axum::http::Method::POST || !takes_multipart(request.uri().path()) {
        return next.run(request).await;
    }
    let content_type = request
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let has_boundary = content_type
        .split(';')
        .skip(1)
        .filter_map(|p| p.trim().strip_prefix("boundary="))
        .any(|b| !b.trim_matches('"').is_empty());
    if content_type.starts_with("multipart/form-data") && has_boundary {
        return next.run(request).await;
    }
    let (parts, _) = request.into_parts();
    error_response_for(
        &parts,
        AppError::BadRequest(
            "ce formulaire envoie un fichier : il doit être posté en multipart/form-data.".into(),
        ),
    )
}

/// Up to this size, an oversized body is read and dropped before the 413 (see
/// `limit_body_size`); beyond it the connection is simply cut.
const DRAIN_MAX_BYTES: usize = 16 * 1024 * 1024;

/// Reads a body to its end, keeping nothing.
async fn drain(mut body: Body) {
    use http_body_util::BodyExt;
    while let Some(Ok(_)) = body.frame().await {}
}

/// Oversized bodies are refused before anything handles them: 413 with a message.
async fn limit_body_size(request: Request, next: Next) -> Response {
    let limit = if takes_multipart(request.uri().path()) {
        MAX_IMPORT_BYTES
    } else {
        MAX_BODY_BYTES
    };
    let declared = request
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .or_else(|| {
            axum::body::HttpBody::size_hint(request.body())
                .exact()
                .map(|n| n as usize)
        });
    if declared.is_some_and(|n| n > limit) {
        let error = AppError::BadRequest(format!(
            "la requête dépasse la taille maximale de {} Kio.",
            limit / 1024
        ));
        let (parts, body) = request.into_parts();
        // A browser still sending its form when the answer comes sees its connection cut and
        // shows a network error instead of the page with the message: what it sends is read
        // and dropped first (never kept), up to a bound and a time, then it is answered.
        if declared.is_some_and(|n| n <= DRAIN_MAX_BYTES) {
            let _ = tokio::time::timeout(std::time::Duration::from_secs(10), drain(body)).await;
        }
        let response = error_response_for(&parts, error);
        return if response.status().is_redirection() {
            response
        } else {
            response.map_status(StatusCode::PAYLOAD_TOO_LARGE)
        };
    }
    // Bodies without a declared length are cut at the same size while being read.
    let (parts, body) = request.into_parts();
    let limited = Body::new(http_body_util::Limited::new(body, limit));
    next.run(Request::from_parts(parts, limited)).await
}

#[cfg(test)]
mod tests {
    use super::{canonical_url, static_cache_headers, static_cache_policy};

    /// The error sent back to a page is read by Leptos (`ServerFnUrlError::decode_err`,
    /// URL-safe base64): a message whose encoding has `+` or `/` in standard base64 must
    /// come back whole, not as a decoding error.
    #[test]
    fn an_error_sent_back_to_its_page_decodes_as_leptos_reads_it() {
        use app::error::AppError;
        use axum::http::{header, Request};
        use leptos::server_fn::error::ServerFnUrlError;
        // « ??? » and « ÿ » encode to `/` and `+` in standard base64.
        let error = AppError::field("csv", "Fichier refusé ??? ÿÿÿ >>> ~~~");
        let (parts, ()) = Request::post("/api/admin/import")
            .header(header::ACCEPT, "text/html")
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::REFERER, "http://127.0.0.1:3000/admin/import")
            .body(())
            .unwrap()
            .into_parts();
        let response = super::error_response_for(&parts, error.clone());
        let location = response.headers()[header::LOCATION].to_str().unwrap();
        let query = location.split_once('?').unwrap().1;
        let err = form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == "__err")
            .map(|(_, v)| v.to_string())
            .unwrap();
        assert!(
            err.contains('-') || err.contains('_'),
            "{err}: the URL-safe alphabet"
        );
        assert_eq!(ServerFnUrlError::<AppError>::decode_err(&err), error);
    }

    #[test]
    fn public_urls_keep_only_what_their_page_reads() {
        assert_eq!(canonical_url("/", "x=1").as_deref(), Some("/"));
        assert_eq!(
            canonical_url("/api/v1/events.json", "x=1").as_deref(),
            Some("/api/v1/events.json")
        );
        assert_eq!(
            canonical_url("/programme.rss", "junk=1&theme=coproduction").as_deref(),
            Some("/programme.rss?theme=coproduction")
        );
        assert_eq!(
            canonical_url("/evenements/atelier-2026", "utm_source=x").as_deref(),
            Some("/evenements/atelier-2026")
        );
        assert_eq!(
            canonical_url("/editions", "q=atelier&x=2&q=autre").as_deref(),
            Some("/editions?q=atelier")
        );
        assert_eq!(
            canonical_url("/api/v1/editions/2026/catalogue.json", "v=12&z=1").as_deref(),
            Some("/api/v1/editions/2026/catalogue.json?v=12")
        );
        assert_eq!(
            canonical_url("/labs", "region=11").as_deref(),
            Some("/labs?region=11")
        );
        // Personal pages read their own queries.
        assert_eq!(canonical_url("/connexion", "retour=/organisateur"), None);
        assert_eq!(canonical_url("/mon-programme.ics", "e=a,b"), None);
    }
    use axum::{
        extract::State,
        http::{header, Request},
        response::Response,
    };

    async fn served(path: &str) -> Response {
        let (parts, _) = Request::get(path).body(()).unwrap().into_parts();
        let response = Response::builder()
            .header(header::LAST_MODIFIED, "Sun, 06 Dec 2026 04:53:39 GMT")
            .header(header::ACCEPT_RANGES, "bytes")
            .body(axum::body::Body::empty())
            .unwrap();
        static_cache_headers(State(true), parts, response).await
    }

    #[tokio::test]
    async fn files_named_by_their_hash_are_sent_without_a_date_or_ranges() {
        let hashed = served("/pkg/chunk_12.V02UGqWdFe9sAfzt4bT6hw.wasm").await;
        assert!(hashed.headers()[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("immutable"));
        assert!(!hashed.headers().contains_key(header::LAST_MODIFIED));
        assert!(!hashed.headers().contains_key(header::ACCEPT_RANGES));
        // A font keeps its date: revalidated after a week.
        let font = served("/fonts/Marianne-Bold.woff2").await;
        assert!(font.headers().contains_key(header::LAST_MODIFIED));
    }

    #[test]
    fn only_files_named_by_their_hash_are_immutable() {
        let year = "public, max-age=31536000, immutable";
        assert_eq!(
            static_cache_policy("/pkg/mip.Df2Gg6GhlZ7x5fe3ICIELA.wasm", true),
            year
        );
        assert_eq!(
            static_cache_policy("/pkg/chunk_12.V02UGqWdFe9sAfzt4bT6hw.wasm", true),
            year
        );
        assert_eq!(
            static_cache_policy("/pkg/__wasm_split.O2BCCf9RdPWc866IXNktsg.js", true),
            year
        );
        // Unhashed names (a debug build without hash-files, snippets) may change under the
        // same name: a day.
        assert_eq!(
            static_cache_policy("/pkg/mip.wasm", true),
            "public, max-age=86400"
        );
        assert_eq!(
            static_cache_policy("/pkg/mip.Df2Gg6GhlZ7x5fe3ICIELA.wasm", false),
            "public, max-age=86400"
        );
        assert_eq!(
            static_cache_policy("/pkg/snippets/x/inline0.js", true),
            "public, max-age=86400"
        );
        assert_eq!(
            static_cache_policy("/fonts/Marianne-Bold.woff2", true),
            "public, max-age=604800"
        );
        assert_eq!(
            static_cache_policy("/carte-regions.svg", true),
            "public, max-age=86400"
        );
    }
}

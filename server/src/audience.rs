//! Audience figures (issue 28): what the server counts, and where it writes.
//!
//! - Page views and calendar downloads are counted here, around the page cache (a page served
//!   from memory is counted like a rendered one): a successful `GET` (200, or 304 for a
//!   revisit) of `/evenements/{slug}` or `/evenements/{slug}/agenda.ics`. `HEAD`, errors,
//!   redirects, robots (a `User-Agent` naming a bot, crawler, spider, a link preview or a
//!   script), browsers' speculative prefetches and, for the page, fetches that are not a
//!   document opened (the service worker's offline copy) are not counted.
//! - Saves to « Mon programme » happen in the browser: it sends a beacon (`POST
//!   /api/audience`, `slug=…&kind=programme`), answered 204.
//! - Registration links go through `/evenements/{slug}/inscription`, a 303 to the event's
//!   link: it works without JavaScript, and counts whatever blocks beacons.
//!
//! Counts go to the in-memory aggregate (`app::audience::counter`, with its per-address
//! allowance, never written); [`Writer`] adds them to the `audience` table in batches, every
//! [`FLUSH_EVERY`] and once more at shutdown. Nothing about a visitor is stored.
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use app::audience::counter::Counter;
use app::audience::Kind;
use app::error::AppError;
use app::state::{AppState, Clock};

use crate::router::{error_response, error_response_for};

/// How often the counts are written.
pub const FLUSH_EVERY: Duration = Duration::from_secs(5);
/// The largest beacon body (`slug=…&kind=programme`).
pub const BEACON_MAX_BYTES: usize = 1024;

/// An event's address as the site writes them (`slug`: lowercase letters, digits, hyphens).
fn is_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 200
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The event and what a GET of `path` counts, if anything.
fn counted(path: &str) -> Option<(&str, Kind)> {
    let rest = path.strip_prefix("/evenements/")?;
    let (slug, kind) = match rest.strip_suffix("/agenda.ics") {
        Some(slug) => (slug, Kind::Calendar),
        None => (rest, Kind::View),
    };
    is_slug(slug).then_some((slug, kind))
}

/// Words of the `User-Agent` of robots, link previews and scripts: not people.
const ROBOTS: &[&str] = &[
    "bot",
    "crawl",
    "spider",
    "slurp",
    "facebookexternalhit",
    "preview",
    "lighthouse",
    "curl/",
    "wget/",
    "python-",
    "go-http-client",
    "okhttp",
    "java/",
    "libwww",
    "httpclient",
];

/// A robot, by its own `User-Agent`, or a browser's speculative prefetch (not a visit yet).
pub fn is_robot(headers: &HeaderMap) -> bool {
    let agent = headers
        .get(header::USER_AGENT)
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    let prefetch = ["sec-purpose", "purpose", "x-moz"].iter().any(|name| {
        headers
            .get(*name)
            .is_some_and(|v| contains_ignoring_case(v.as_bytes(), b"prefetch"))
    });
    prefetch
        || ROBOTS
            .iter()
            .any(|word| contains_ignoring_case(agent, word.as_bytes()))
}

/// Whether `text` contains `word` (lowercase ASCII), whatever the case of its letters.
fn contains_ignoring_case(text: &[u8], word: &[u8]) -> bool {
    text.windows(word.len())
        .any(|window| window.eq_ignore_ascii_case(word))
}

/// A page opened as a document: not a script's fetch of it, such as the service worker
/// keeping a copy of the page for offline use (`Sec-Fetch-Dest: empty`). Clients that send no
/// `Sec-Fetch-Dest` (older browsers) are taken at their word.
fn is_document(headers: &HeaderMap) -> bool {
    headers
        .get("sec-fetch-dest")
        .is_none_or(|dest| dest.as_bytes() == b"document")
}

/// The client's address, for its allowance only (never stored): the TCP peer, or behind a
/// proxy on this machine (a loopback peer) the last `X-Forwarded-For` entry, which the proxy
/// wrote (docs/operations.md).
fn client_of(request_headers: &HeaderMap, peer: Option<IpAddr>) -> Option<IpAddr> {
    let peer = peer?;
    if !peer.is_loopback() {
        return Some(peer);
    }
    let forwarded = request_headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .next_back()
        .and_then(|ip| ip.trim().parse::<IpAddr>().ok());
    Some(forwarded.unwrap_or(peer))
}

fn peer(request: &Request) -> Option<IpAddr> {
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
}

/// The middleware (around the page cache): counts successful page views and calendar
/// downloads after the response is made, in memory.
pub async fn count(
    State((counter, clock)): State<(Counter, Clock)>,
    request: Request,
    next: Next,
) -> Response {
    if !counter.is_on() || request.method() != Method::GET {
        return next.run(request).await;
    }
    let Some((slug, kind)) = counted(request.uri().path()) else {
        return next.run(request).await;
    };
    if is_robot(request.headers()) || (kind == Kind::View && !is_document(request.headers())) {
        return next.run(request).await;
    }
    let slug = slug.to_string();
    let client = client_of(request.headers(), peer(&request));
    let response = next.run(request).await;
    if matches!(response.status(), StatusCode::OK | StatusCode::NOT_MODIFIED) {
        counter.record(&slug, kind, clock.now(), client);
    }
    response
}

fn bad(message: &str) -> Response {
    error_response(AppError::BadRequest(message.into()))
}

/// `POST /api/audience` (`slug=…&kind=programme`): the browser's beacon when an event is added
/// to « Mon programme ». 204; a body too large 413, an unknown field or kind 400, an event
/// that is not public 404.
pub async fn beacon(State(state): State<AppState>, request: Request) -> Response {
    let client = client_of(request.headers(), peer(&request));
    let robot = is_robot(request.headers());
    let (_, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, BEACON_MAX_BYTES).await else {
        let mut response = bad(&format!(
            "la mesure dépasse la taille maximale de {BEACON_MAX_BYTES} octets."
        ));
        *response.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
        return response;
    };
    let (mut slug, mut kind) = (None, None);
    for (key, value) in form_urlencoded::parse(&bytes) {
        let field = match key.as_ref() {
            "slug" => &mut slug,
            "kind" => &mut kind,
            _ => return bad("champ inconnu : seuls « slug » et « kind » sont attendus."),
        };
        if field.replace(value.into_owned()).is_some() {
            return bad("champ répété.");
        }
    }
    match kind.as_deref().map(Kind::parse) {
        Some(Some(Kind::Save)) => {}
        Some(Some(_)) => return bad("cette mesure est comptée par le serveur lui-même."),
        Some(None) => return bad("type de mesure inconnu (attendu : « programme »)."),
        None => return bad("le type de mesure (« kind ») manque."),
    }
    let Some(slug) = slug.filter(|s| is_slug(s)) else {
        return bad("l'adresse de l'événement (« slug ») manque ou est mal formée.");
    };
    match app::audience::db::is_public_event(&state.pool, &slug).await {
        Ok(true) => {}
        Ok(false) => {
            return error_response(AppError::NotFound(
                "Cet événement n'existe pas ou n'est pas publié.".into(),
            ))
        }
        Err(error) => return error_response(error),
    }
    if state.audience.is_on() && !robot {
        state
            .audience
            .record(&slug, Kind::Save, state.clock.now(), client);
    }
    (
        StatusCode::NO_CONTENT,
        [(header::CACHE_CONTROL, "no-store")],
    )
        .into_response()
}

/// A web address as a `Location` header: letters outside ASCII (and spaces) percent-encoded.
fn location(url: &str) -> Option<HeaderValue> {
    let mut out = String::with_capacity(url.len());
    for byte in url.bytes() {
        if byte.is_ascii_graphic() {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    HeaderValue::from_str(&out).ok()
}

/// `/evenements/{slug}/inscription`: counts the click (GET, not a robot) and sends the visitor
/// on to the event's registration link (303, never kept by any cache).
pub async fn registration(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    request: Request,
) -> Response {
    let client = client_of(request.headers(), peer(&request));
    let (parts, _) = request.into_parts();
    let not_found = || {
        error_response_for(
            &parts,
            AppError::NotFound(
                "Cet événement n'existe pas, n'est pas publié ou n'a pas de lien d'inscription."
                    .into(),
            ),
        )
    };
    if !is_slug(&slug) {
        return not_found();
    }
    let url = match app::audience::db::registration_url(&state.pool, &slug).await {
        Ok(url) => url,
        Err(error) => return error_response_for(&parts, error),
    };
    let Some(target) = url
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
        .and_then(|u| location(&u))
    else {
        return not_found();
    };
    if parts.method == Method::GET && state.audience.is_on() && !is_robot(&parts.headers) {
        state
            .audience
            .record(&slug, Kind::Registration, state.clock.now(), client);
    }
    (
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, target),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
    )
        .into_response()
}

/// `/organisateur/evenements/{id}/audience.csv`: the event's figures per day, for its
/// organizer and staff (`jour;vues;programme;agenda;inscription`); 401 signed out, 404 for
/// another organizer's event.
pub async fn event_csv(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    let (parts, _) = request.into_parts();
    let account = match app::accounts::session::account_for_headers(&state, &parts.headers).await {
        Ok(Some(account)) => account,
        Ok(None) => return error_response_for(&parts, AppError::Unauthenticated),
        Err(error) => return error_response_for(&parts, error),
    };
    let figures = match id.parse::<i64>() {
        Ok(id) => app::audience::db::event_audience(&state.pool, &account, id).await,
        Err(_) => Err(AppError::NotFound("Cet événement n'existe pas.".into())),
    };
    let audience = match figures {
        Ok(audience) => audience,
        Err(error) => return error_response_for(&parts, error),
    };
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    let mut header_row = vec!["jour"];
    header_row.extend(Kind::ALL.iter().map(|k| k.as_str()));
    let mut rows = vec![header_row.into_iter().map(String::from).collect::<Vec<_>>()];
    for day in &audience.days {
        let mut row = vec![day.day.to_string()];
        row.extend(Kind::ALL.iter().map(|k| day.figures.get(*k).to_string()));
        rows.push(row);
    }
    for row in rows {
        if let Err(error) = writer.write_record(&row) {
            return error_response(AppError::internal("audience csv", error));
        }
    }
    let body = writer.into_inner().unwrap_or_default();
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"audience-{}.csv\"", audience.slug),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        Body::from(body),
    )
        .into_response()
}

/// Writes what was counted since the last time (one transaction); what could not be written
/// is kept for the next time. Returns the rows written.
pub async fn flush(state: &AppState) -> Result<u64, AppError> {
    let lines = state.audience.take();
    match app::audience::db::flush(&state.pool, &lines).await {
        Ok(written) => Ok(written),
        Err(error) => {
            state.audience.put_back(lines);
            Err(error)
        }
    }
}

/// The background task that writes the counts: every [`FLUSH_EVERY`], and once more when
/// [`Writer::finish`] is called (at shutdown, after the last request).
pub struct Writer {
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Writer {
    pub fn spawn(state: &AppState) -> Writer {
        let (stop, mut stopped) = tokio::sync::watch::channel(false);
        let state = state.clone();
        let task = tokio::spawn(async move {
            let mut ticker = tokio::time::interval(FLUSH_EVERY);
            ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                let last = tokio::select! {
                    _ = ticker.tick() => false,
                    _ = stopped.wait_for(|stopped| *stopped) => true,
                };
                if let Err(error) = flush(&state).await {
                    tracing::warn!(%error, "audience : écriture des compteurs reportée");
                }
                state.audience.prune(std::time::Instant::now());
                if last {
                    return;
                }
            }
        });
        Writer { stop, task }
    }

    /// Writes what is left and stops.
    pub async fn finish(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_only_event_pages_and_their_calendar() {
        assert_eq!(
            counted("/evenements/atelier-2026"),
            Some(("atelier-2026", Kind::View))
        );
        assert_eq!(
            counted("/evenements/atelier-2026/agenda.ics"),
            Some(("atelier-2026", Kind::Calendar))
        );
        assert_eq!(counted("/evenements/atelier-2026/affiche"), None);
        assert_eq!(counted("/evenements/"), None);
        assert_eq!(counted("/evenements/Atelier%20x"), None);
        assert_eq!(counted("/programme"), None);
    }

    #[test]
    fn robots_and_prefetches_are_not_counted() {
        let mut headers = HeaderMap::new();
        assert!(!is_robot(&headers));
        headers.insert(
            header::USER_AGENT,
            "Mozilla/5.0 (compatible; Googlebot/2.1)".parse().unwrap(),
        );
        assert!(is_robot(&headers));
        headers.insert(
            header::USER_AGENT,
            "Mozilla/5.0 (X11; Linux x86_64) Chrome/120"
                .parse()
                .unwrap(),
        );
        assert!(!is_robot(&headers));
        headers.insert("sec-purpose", "prefetch;prerender".parse().unwrap());
        assert!(is_robot(&headers));
    }

    #[test]
    fn a_proxy_on_this_machine_names_the_client_last() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "203.0.113.9, 198.51.100.7".parse().unwrap(),
        );
        let local: IpAddr = "127.0.0.1".parse().unwrap();
        let remote: IpAddr = "192.0.2.1".parse().unwrap();
        assert_eq!(
            client_of(&headers, Some(local)),
            Some("198.51.100.7".parse().unwrap())
        );
        // A client that writes the header itself, straight to the server, is its own address.
        assert_eq!(client_of(&headers, Some(remote)), Some(remote));
    }

    #[test]
    fn a_registration_link_is_a_valid_location() {
        assert_eq!(
            location("https://exemple.fr/inscription?été=1 x").unwrap(),
            "https://exemple.fr/inscription?%C3%A9t%C3%A9=1%20x"
        );
    }
}

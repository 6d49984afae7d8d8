//! Public pages for anonymous visitors: rendered once per data change, compressed once,
//! revalidated by ETag.
//!
//! A visitor without a session sees exactly what any other visitor sees for the same URL,
//! the same data and the same moment, so such a response is kept in memory with its brotli
//! and gzip encodings made once (at the strongest settings, off the async threads) and served
//! as is to the next visitors. An entry is dropped when the data version changes (the
//! database's triggers bump it on every write to public data) and at the latest after
//! [`TIME_TO_LIVE`], because some pages depend on the time (« masquer les événements passés »,
//! the home page's next events, the referencing countdown).
//!
//! Browsers and shared caches get `Cache-Control: public, no-cache` and a weak ETag: they keep
//! the page and revalidate it each time, which costs a 304 and no rendering.
//!
//! Signed-in requests (a live session's cookie; a cookie that is no live session is ignored),
//! other methods, paths outside the public site and
//! responses that are not a plain 200 (errors, redirects, cookies, `no-store`) pass through
//! untouched.
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use app::accounts::session::cookie_in;
use app::state::AppState;

/// The longest an entry is served, for pages that depend on the time.
pub const TIME_TO_LIVE: Duration = Duration::from_secs(60);
/// Memory given to the kept pages (all encodings counted).
const CAPACITY_BYTES: u64 = 64 * 1024 * 1024;
/// Larger responses, once compressed (brotli and gzip together), are served but not kept. The
/// catalogue of a 35,000-event edition is about 16 MB of JSON and its open data 59 MB: kept,
/// they are rendered and compressed once instead of at every request (measured when the
/// programme page still carried its catalogue, 17 MB of HTML: 3 requests/s and 1.2 GB
/// resident when it was not kept; 1 request/s for the open data).
const LARGEST_KEPT: usize = 32 * 1024 * 1024;
/// Bodies larger than this are kept compressed only, and compressed as they are produced
/// (never held whole): the rare client that takes neither brotli nor gzip gets the gzip body
/// decoded for it. A 35,000-event catalogue then weighs 2.7 MB in memory instead of 19 MB,
/// its open data 6 MB instead of 65 MB.
pub const LARGEST_KEPT_UNCOMPRESSED: usize = 2 * 1024 * 1024;
/// Brotli's quality for bodies over a megabyte: the densest setting would take seconds.
const LARGE_BODY_BROTLI_QUALITY: u32 = 7;
/// How long the data version read from the database is trusted without asking again, when no
/// write went through this process (writes by another process, e.g. the command line).
/// (end2end/tests/support.ts waits this long after writing behind the server's back.)
pub const VERSION_RECHECK: Duration = Duration::from_millis(500);

/// Paths of the public site: the same for every anonymous visitor. The service worker keeps
/// the same pages for offline use (`router::service_worker` hands it these lists).
pub const PUBLIC_PATHS: &[&str] = &[
    "/",
    "/programme",
    "/programme.ics",
    "/programme.rss",
    "/mon-programme",
    "/accessibilite",
    "/editions",
    "/labs",
];
/// Prefixes of the public site's other paths (see [`PUBLIC_PATHS`]).
pub const PUBLIC_PREFIXES: &[&str] = &["/evenements/", "/editions/", "/labs/", "/api/v1/"];

pub fn is_public_path(path: &str) -> bool {
    PUBLIC_PATHS.contains(&path)
        || PUBLIC_PREFIXES
            .iter()
            .any(|prefix| path.starts_with(prefix))
}

/// One kept response: its headers and its body in each encoding.
struct Kept {
    headers: HeaderMap,
    etag: HeaderValue,
    /// `None` for a body larger than the cache's `largest_uncompressed`.
    identity: Option<Bytes>,
    /// The length of the identity body, kept or not.
    identity_length: usize,
    brotli: Bytes,
    gzip: Bytes,
}

impl Kept {
    fn weight(&self) -> u32 {
        (self.identity.as_ref().map_or(0, Bytes::len) + self.brotli.len() + self.gzip.len() + 512)
            .try_into()
            .unwrap_or(u32::MAX)
    }
}

/// A response built once and answered as the kept pages are (brotli or gzip compressed
/// beforehand, an ETag, a 304 when the client has it): the service worker's script, which the
/// browser revalidates at every navigation.
pub struct Fixed(Kept);

impl Fixed {
    /// `headers` without `Content-Length` or `ETag`, which are set here.
    pub fn new(mut headers: HeaderMap, body: Vec<u8>) -> Self {
        let (brotli, gzip) = encode(&body);
        headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
        let etag = HeaderValue::from_str(&format!("W/\"f{:016x}\"", fnv1a(&body)))
            .expect("hex is a valid header value");
        Fixed(Kept {
            headers,
            etag,
            identity_length: body.len(),
            identity: Some(Bytes::from(body)),
            brotli: Bytes::from(brotli),
            gzip: Bytes::from(gzip),
        })
    }

    pub async fn answer(&self, request_headers: &HeaderMap) -> Response {
        answer(&self.0, request_headers).await
    }
}

/// What rendering a URL gave: a response to keep, or one to pass on once.
enum Rendered {
    Kept(Arc<Kept>),
    PassOn(Response),
}

/// The cache of public pages and the data version it is valid for.
#[derive(Clone)]
pub struct PageCache {
    inner: Arc<Inner>,
}

struct Inner {
    pages: moka::future::Cache<(i64, String), Arc<Kept>>,
    version: AtomicI64,
    /// A write went through this process since the version was read.
    version_stale: AtomicBool,
    /// When the version was read, in milliseconds since `epoch`.
    version_read_at: AtomicU64,
    epoch: Instant,
    version_recheck: Duration,
    /// Renderings of public pages running at once: as many as cores. A burst of requests for
    /// big new pages (a 35,000-event programme, 17 MB of HTML) then waits instead of holding
    /// one body per request in memory at the same time.
    renders: tokio::sync::Semaphore,
    /// Bodies larger than this are kept compressed only (`LARGEST_KEPT_UNCOMPRESSED`).
    largest_uncompressed: usize,
    /// Renderings done for the cache (what a visitor can make the server do).
    renders_done: AtomicU64,
}

impl Default for PageCache {
    fn default() -> Self {
        PageCache::new(VERSION_RECHECK)
    }
}

impl PageCache {
    /// `version_recheck`: how long the data version is trusted when no write went through
    /// this process (zero: read at every request, for tests that write to the database
    /// directly).
    pub fn new(version_recheck: Duration) -> Self {
        let pages = moka::future::Cache::builder()
            .max_capacity(CAPACITY_BYTES)
            .weigher(|_key: &(i64, String), kept: &Arc<Kept>| kept.weight())
            .time_to_live(TIME_TO_LIVE)
            .build();
        PageCache {
            inner: Arc::new(Inner {
                pages,
                version: AtomicI64::new(0),
                version_stale: AtomicBool::new(true),
                version_read_at: AtomicU64::new(0),
                epoch: Instant::now(),
                version_recheck,
                renders: tokio::sync::Semaphore::new(
                    std::thread::available_parallelism().map_or(2, |n| n.get()),
                ),
                largest_uncompressed: LARGEST_KEPT_UNCOMPRESSED,
                renders_done: AtomicU64::new(0),
            }),
        }
    }

    /// The same cache, keeping bodies larger than `bytes` compressed only (tests use a small
    /// figure to exercise that path with the demo's pages).
    pub fn with_largest_uncompressed(self, bytes: usize) -> Self {
        let inner = Arc::try_unwrap(self.inner)
            .unwrap_or_else(|_| panic!("configure the page cache before sharing it"));
        PageCache {
            inner: Arc::new(Inner {
                largest_uncompressed: bytes,
                ..inner
            }),
        }
    }

    /// How many public pages were rendered to be kept (tests: what a visitor can cause).
    pub fn renders(&self) -> u64 {
        self.inner.renders_done.load(Ordering::Relaxed)
    }

    /// The current data version, read again after a local write or after a short while.
    async fn data_version(&self, state: &AppState) -> Option<i64> {
        let inner = &self.inner;
        let now_ms = inner.epoch.elapsed().as_millis() as u64;
        let read_at = inner.version_read_at.load(Ordering::Acquire);
        if !inner.version_stale.load(Ordering::Acquire)
            && now_ms.saturating_sub(read_at) < inner.version_recheck.as_millis() as u64
        {
            return Some(inner.version.load(Ordering::Acquire));
        }
        // Cleared before reading: a write that lands during the read marks it stale again.
        inner.version_stale.store(false, Ordering::Release);
        match app::programme::db::data_version(&state.pool).await {
            Ok(version) => {
                inner.version.store(version, Ordering::Release);
                inner.version_read_at.store(now_ms, Ordering::Release);
                Some(version)
            }
            Err(error) => {
                inner.version_stale.store(true, Ordering::Release);
                tracing::warn!(%error, "page cache: data version unreadable, not caching");
                None
            }
        }
    }

    /// After any request that may have written (every non-GET request), the version is read
    /// again before the next page is served from the cache.
    fn written(&self) {
        self.inner.version_stale.store(true, Ordering::Release);
    }
}

/// The middleware: serves kept pages, keeps new ones.
pub async fn serve(
    State((state, cache)): State<(AppState, PageCache)>,
    request: Request,
    next: Next,
) -> Response {
    let method = request.method().clone();
    if method != Method::GET && method != Method::HEAD {
        let response = next.run(request).await;
        cache.written();
        return response;
    }
    let path = request.uri().path();
    // An event's sharing image is compressed already (brotli would gain nothing), kept by its
    // handler and revalidated by its own ETag (server/src/kit/).
    if !is_public_path(path) || path.ends_with(".png") {
        return next.run(request).await;
    }
    let mut request = request;
    let cookie_name = app::accounts::session::cookie_name(&state);
    if cookie_in(request.headers(), cookie_name).is_some() {
        match app::accounts::session::account_for_headers(&state, request.headers()).await {
            // Signed in: the page may show who, never kept.
            Ok(Some(_)) => return next.run(request).await,
            // A cookie that is no live session (made up, expired, signed out) gets the page
            // every visitor gets: it cannot make the server render for it.
            Ok(None) => {
                request.headers_mut().remove(header::COOKIE);
            }
            Err(error) => {
                tracing::warn!(%error, "page cache: session unreadable");
                return next.run(request).await;
            }
        }
    }
    let Some(version) = cache.data_version(&state).await else {
        return next.run(request).await;
    };
    let key = (
        version,
        request
            .uri()
            .path_and_query()
            .map(|pq| pq.as_str().to_string())
            .unwrap_or_default(),
    );
    if let Some(kept) = cache.inner.pages.get(&key).await {
        metrics::counter!("mip_page_cache_total", "result" => "hit").increment(1);
        return answer(&kept, request.headers()).await;
    }
    metrics::counter!("mip_page_cache_total", "result" => "miss").increment(1);
    // Concurrent visitors of the same new page wait for one rendering instead of each
    // rendering it: the first renders, the others get its result. A GET's body is ignored,
    // so the request can be rebuilt from its head, without this client's conditional
    // headers: the rendering answers for everyone (a feed handler would answer a 304).
    let request_headers = request.headers().clone();
    let (mut parts, _body) = request.into_parts();
    parts.headers.remove(header::IF_NONE_MATCH);
    parts.headers.remove(header::IF_MODIFIED_SINCE);
    let mut own_response = None;
    let result = cache
        .inner
        .pages
        .try_get_with(key, async {
            let request = Request::from_parts(parts.clone(), Body::empty());
            match render(&cache.inner, request, next.clone()).await {
                Rendered::Kept(kept) => Ok(kept),
                Rendered::PassOn(response) => {
                    own_response = Some(response);
                    Err(NotKept)
                }
            }
        })
        .await;
    match (result, own_response) {
        (Ok(kept), _) => answer(&kept, &request_headers).await,
        // This request rendered it: its own response, untouched.
        (Err(_), Some(response)) => response,
        // Another request rendered something not to keep: this one renders for itself.
        (Err(_), None) => {
            let _permit = cache.inner.renders.acquire().await;
            next.run(Request::from_parts(parts, Body::empty())).await
        }
    }
}

/// The rendering gave a response not to keep (an error, a redirect, a cookie…).
#[derive(Debug)]
struct NotKept;

/// Renders the page and decides whether to keep it.
///
/// The body is read as it is produced. Up to the cache's `largest_uncompressed` it is held
/// whole, then compressed at the strongest settings; beyond, it is compressed as it arrives,
/// on a blocking thread, and never held whole: a handler that streams a large body (the open
/// data of a 35,000-event edition, 59 MB of JSON) then costs its two compressed encodings in
/// memory, not the identity body on top of them.
async fn render(cache: &Inner, request: Request, next: Next) -> Rendered {
    // Held until the body is read and compressed: the part that takes memory and CPU.
    let _permit = cache.renders.acquire().await;
    cache.renders_done.fetch_add(1, Ordering::Relaxed);
    let request_headers = request.headers().clone();
    // A filtered view (any query: canonical, see `router::canonical_public_url`) is one of
    // countless variants that anyone can ask for: compressed fast rather than densest.
    let variant = request.uri().query().is_some();
    let response = next.run(request).await;
    if !keepable(&response) {
        return Rendered::PassOn(response);
    }
    let (parts, mut body) = response.into_parts();
    let mut identity: Vec<u8> = Vec::new();
    let mut hash = Fnv1a::default();
    let mut length = 0;
    let mut streaming: Option<StreamingEncoder> = None;
    loop {
        let chunk = match http_body_util::BodyExt::frame(&mut body).await {
            None => break,
            Some(Ok(frame)) => match frame.into_data() {
                Ok(chunk) => chunk,
                Err(_trailers) => continue,
            },
            Some(Err(error)) => {
                tracing::error!(%error, "page cache: the rendered body failed");
                return Rendered::PassOn(StatusCode::INTERNAL_SERVER_ERROR.into_response());
            }
        };
        hash.write(&chunk);
        length += chunk.len();
        match &mut streaming {
            Some(encoder) => encoder.send(chunk).await,
            None if identity.len() + chunk.len() <= cache.largest_uncompressed => {
                identity.extend_from_slice(&chunk);
            }
            None => {
                let encoder = StreamingEncoder::start();
                encoder
                    .send(Bytes::from(std::mem::take(&mut identity)))
                    .await;
                encoder.send(chunk).await;
                streaming = Some(encoder);
            }
        }
    }
    let (identity, brotli, gzip) = match streaming {
        None => {
            let identity = Bytes::from(identity);
            let to_compress = identity.clone();
            match tokio::task::spawn_blocking(move || encode_at(&to_compress, variant)).await {
                Ok((brotli, gzip)) => (Some(identity), brotli, gzip),
                Err(_) => {
                    return Rendered::PassOn(Response::from_parts(parts, Body::from(identity)))
                }
            }
        }
        Some(encoder) => match encoder.finish().await {
            Some((brotli, gzip)) => (None, brotli, gzip),
            None => {
                tracing::error!("page cache: the streaming compression failed");
                return Rendered::PassOn(StatusCode::INTERNAL_SERVER_ERROR.into_response());
            }
        },
    };
    let mut headers = parts.headers;
    headers.remove(header::CONTENT_LENGTH);
    headers.remove(header::TRANSFER_ENCODING);
    // Revalidated on each use (the ETag makes that a 304), unless the URL names its content
    // (the catalogue of one data version), which the handler marked immutable.
    let names_its_content = headers
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("immutable"));
    if !names_its_content {
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, no-cache"),
        );
    }
    headers.insert(
        header::VARY,
        HeaderValue::from_static("Accept-Encoding, Cookie"),
    );
    let etag = HeaderValue::from_str(&format!("W/\"p{:016x}\"", hash.finish()))
        .expect("hex is a valid header value");
    let kept = Arc::new(Kept {
        headers,
        etag,
        identity: identity.filter(|identity| identity.len() <= cache.largest_uncompressed),
        identity_length: length,
        brotli: Bytes::from(brotli),
        gzip: Bytes::from(gzip),
    });
    if kept.brotli.len() + kept.gzip.len() > LARGEST_KEPT {
        // Too big to keep: served once from what was made for it.
        return Rendered::PassOn(answer(&kept, &request_headers).await);
    }
    Rendered::Kept(kept)
}

/// Brotli and gzip made as the body arrives, on a blocking thread (settings of a large body).
struct StreamingEncoder {
    chunks: tokio::sync::mpsc::Sender<Bytes>,
    done: tokio::task::JoinHandle<std::io::Result<(Vec<u8>, Vec<u8>)>>,
}

impl StreamingEncoder {
    fn start() -> Self {
        // A few chunks in flight: the producer waits for the compression, not the memory.
        let (chunks, mut received) = tokio::sync::mpsc::channel::<Bytes>(4);
        let done = tokio::task::spawn_blocking(move || {
            let mut brotli = large_body_brotli();
            let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            while let Some(chunk) = received.blocking_recv() {
                brotli.write_all(&chunk)?;
                gzip.write_all(&chunk)?;
            }
            brotli.flush()?;
            Ok((brotli.into_inner(), gzip.finish()?))
        });
        StreamingEncoder { chunks, done }
    }

    async fn send(&self, chunk: Bytes) {
        // A closed channel means the compression failed: `finish` reports it.
        let _ = self.chunks.send(chunk).await;
    }

    async fn finish(self) -> Option<(Vec<u8>, Vec<u8>)> {
        drop(self.chunks);
        self.done.await.ok()?.ok()
    }
}

/// The brotli writer of a large body that arrives in chunks. Told that the body is large: by
/// default the encoder sizes its match finder from its first write (a 64 kB chunk), which
/// made a 59 MB JSON 8.5 MB instead of 2 MB.
fn large_body_brotli() -> brotli::CompressorWriter<Vec<u8>> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: LARGE_BODY_BROTLI_QUALITY as i32,
        lgwin: 22,
        size_hint: 64 * 1024 * 1024,
        ..Default::default()
    };
    brotli::CompressorWriter::with_params(Vec::new(), 64 * 1024, &params)
}

/// FNV-1a over a body read in chunks (the same value as [`fnv1a`] over the whole).
struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(0xcbf29ce484222325)
    }
}

impl Fnv1a {
    fn write(&mut self, bytes: &[u8]) {
        self.0 = bytes.iter().fold(self.0, |h, b| {
            (h ^ u64::from(*b)).wrapping_mul(0x100000001b3)
        });
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Only a plain 200 that sets no cookie and allows storing.
fn keepable(response: &Response) -> bool {
    let headers = response.headers();
    response.status() == StatusCode::OK
        && !headers.contains_key(header::SET_COOKIE)
        && !headers.contains_key(header::CONTENT_ENCODING)
        && !headers
            .get_all(header::CACHE_CONTROL)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|v| v.contains("no-store") || v.contains("private"))
}

/// Brotli at its densest for pages up to a megabyte (a few hundred milliseconds, once per data
/// change), a faster setting beyond; gzip at level 9 for clients without brotli.
fn encode(body: &[u8]) -> (Vec<u8>, Vec<u8>) {
    encode_at(body, false)
}

/// Brotli quality of a filtered view's page (a few milliseconds where 11 takes hundreds).
const VARIANT_BROTLI_QUALITY: u32 = 5;

/// [`encode`], faster for a `variant` (a URL with a query).
fn encode_at(body: &[u8], variant: bool) -> (Vec<u8>, Vec<u8>) {
    let quality = if variant {
        VARIANT_BROTLI_QUALITY
    } else if body.len() <= 1024 * 1024 {
        11
    } else {
        LARGE_BODY_BROTLI_QUALITY
    };
    let mut brotli = Vec::with_capacity(body.len() / 4);
    {
        let mut writer = brotli::CompressorWriter::new(&mut brotli, 64 * 1024, quality, 22);
        writer
            .write_all(body)
            .expect("writing to a Vec cannot fail");
    }
    let mut gzip = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 3),
        if variant {
            flate2::Compression::new(6)
        } else {
            flate2::Compression::best()
        },
    );
    gzip.write_all(body).expect("writing to a Vec cannot fail");
    let gzip = gzip.finish().expect("writing to a Vec cannot fail");
    (brotli, gzip)
}

/// A kept page for this request: 304 when the client has it, else the best encoding it takes.
async fn answer(kept: &Kept, request_headers: &HeaderMap) -> Response {
    let mut response = if etag_matches(request_headers, &kept.etag) {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        // A 304's headers replace the stored ones in the browser's cache: the policy that
        // allows the page's own scripts must come back with it.
        for name in [
            header::CACHE_CONTROL,
            header::VARY,
            header::CONTENT_SECURITY_POLICY,
        ] {
            if let Some(value) = kept.headers.get(&name) {
                response.headers_mut().insert(name, value.clone());
            }
        }
        response
    } else {
        let (body, encoding) = match preferred_encoding(request_headers) {
            Encoding::Brotli => (kept.brotli.clone(), Some("br")),
            Encoding::Gzip => (kept.gzip.clone(), Some("gzip")),
            Encoding::Identity => match &kept.identity {
                Some(identity) => (identity.clone(), None),
                None => {
                    // Decoded as it is sent: a client without compression never costs the
                    // whole identity body (59 MB for a 35,000-event open data) in memory.
                    let mut response = Response::new(gunzipped(kept.gzip.clone()));
                    *response.headers_mut() = kept.headers.clone();
                    let headers = response.headers_mut();
                    headers.insert(
                        header::CONTENT_LENGTH,
                        HeaderValue::from(kept.identity_length),
                    );
                    headers.insert(header::ETAG, kept.etag.clone());
                    return response;
                }
            },
        };
        let mut response = Response::new(Body::from(body.clone()));
        *response.headers_mut() = kept.headers.clone();
        if let Some(encoding) = encoding {
            response
                .headers_mut()
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
        }
        response
            .headers_mut()
            .insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
        response
    };
    response
        .headers_mut()
        .insert(header::ETAG, kept.etag.clone());
    response
}

/// The body of a kept page for a client that takes no compression (rare: kept compressed
/// only), decoded on a blocking thread in 64 kB chunks as the client reads them. A kept body
/// that fails to decode (it cannot: it was encoded here) cuts the response.
fn gunzipped(gzip: Bytes) -> Body {
    crate::streamed::body(move |out| {
        std::io::copy(&mut flate2::read::GzDecoder::new(&gzip[..]), out).map(|_| ())
    })
}

/// Weak comparison (RFC 9110 §8.8.3.2), as the ETag is shared by the encodings.
fn etag_matches(request_headers: &HeaderMap, etag: &HeaderValue) -> bool {
    let ours = etag.to_str().unwrap_or_default().trim_start_matches("W/");
    request_headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim())
        .any(|tag| tag == "*" || tag.trim_start_matches("W/") == ours)
}

#[derive(Debug, PartialEq)]
enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

/// Brotli when accepted, else gzip, else none (`q=0` refuses a coding).
fn preferred_encoding(request_headers: &HeaderMap) -> Encoding {
    let mut brotli = false;
    let mut gzip = false;
    for value in request_headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
    {
        for item in value.split(',') {
            let mut pieces = item.split(';');
            let coding = pieces
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase();
            let refused = pieces.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            if refused {
                continue;
            }
            match coding.as_str() {
                "br" => brotli = true,
                "gzip" | "x-gzip" => gzip = true,
                _ => {}
            }
        }
    }
    if brotli {
        Encoding::Brotli
    } else if gzip {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

/// FNV-1a: a stable, cheap hash for ETags (computed once per kept page).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash = Fnv1a::default();
    hash.write(bytes);
    hash.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn encodings_are_chosen_from_accept_encoding() {
        let cases: &[(&[(&str, &str)], Encoding)] = &[
            (
                &[("accept-encoding", "gzip, deflate, br, zstd")],
                Encoding::Brotli,
            ),
            (&[("accept-encoding", "gzip")], Encoding::Gzip),
            (&[("accept-encoding", "br;q=0, gzip;q=0.5")], Encoding::Gzip),
            (&[("accept-encoding", "identity")], Encoding::Identity),
            (&[], Encoding::Identity),
        ];
        for (pairs, expected) in cases {
            assert_eq!(&preferred_encoding(&headers(pairs)), expected, "{pairs:?}");
        }
    }

    #[test]
    fn etags_compare_weakly() {
        let etag = HeaderValue::from_static("W/\"p00ff\"");
        assert!(etag_matches(
            &headers(&[("if-none-match", "W/\"p00ff\"")]),
            &etag
        ));
        assert!(etag_matches(
            &headers(&[("if-none-match", "\"x\", \"p00ff\"")]),
            &etag
        ));
        assert!(!etag_matches(
            &headers(&[("if-none-match", "W/\"p00fe\"")]),
            &etag
        ));
        assert!(!etag_matches(&headers(&[]), &etag));
    }

    #[test]
    fn encoded_bodies_decode_to_the_page() {
        use std::io::Read;
        let page = "<!DOCTYPE html><p>Atelier participatif à Pointe-à-Pitre</p>".repeat(200);
        let (brotli, gzip) = encode(page.as_bytes());
        let mut decoded = String::new();
        brotli::Decompressor::new(&brotli[..], 4096)
            .read_to_string(&mut decoded)
            .unwrap();
        assert_eq!(decoded, page);
        let mut decoded = String::new();
        flate2::read::GzDecoder::new(&gzip[..])
            .read_to_string(&mut decoded)
            .unwrap();
        assert_eq!(decoded, page);
        assert!(brotli.len() < page.len() / 10);
    }

    #[test]
    fn only_public_paths_are_kept() {
        for path in [
            "/",
            "/programme",
            "/evenements/atelier",
            "/editions/2025",
            "/labs",
        ] {
            assert!(is_public_path(path), "{path}");
        }
        for path in [
            "/organisateur",
            "/moderation",
            "/admin",
            "/connexion",
            "/compte",
            "/api/x",
        ] {
            assert!(!is_public_path(path), "{path}");
        }
    }
}

//! The cache of public pages: what anonymous visitors get (encodings, ETag, 304), what it
//! never serves (signed-in pages), and that a change of the data shows at once.
use crate::common;

use std::io::Read;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use sqlx::SqlitePool;

use common::{app, app_with_cache, get, send, Client, ORGANIZER};
use server::db::MIGRATOR;
use server::demo;
use server::page_cache::PageCache;

async fn raw(
    app: &axum::Router,
    request: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let (status, headers, bytes) = common::send_raw(app, request).await;
    (status, headers, bytes.to_vec())
}

fn get_with(uri: &str, headers: &[(header::HeaderName, &str)]) -> Request<Body> {
    let mut builder = Request::get(uri);
    for (name, value) in headers {
        builder = builder.header(name, *value);
    }
    builder.body(Body::empty()).unwrap()
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn anonymous_pages_are_served_compressed_with_an_etag_and_revalidated(pool: SqlitePool) {
    demo::load(&pool, demo::DEFAULT_SEED).await.unwrap();
    let app = app(pool.clone());
    let plain = get(&app, "/programme?theme=coproduction").await;
    assert_eq!(plain.status, StatusCode::OK);
    let etag = plain.headers[header::ETAG].to_str().unwrap().to_string();
    assert!(etag.starts_with("W/\""), "{etag}");
    assert_eq!(plain.headers[header::CACHE_CONTROL], "public, no-cache");
    assert!(plain.body.contains("Coproduction"));

    // The same page in brotli and in gzip decodes to the same HTML, with the same ETag.
    let browser = "gzip, deflate, br, zstd";
    let (status, headers, brotli) = raw(
        &app,
        get_with(
            "/programme?theme=coproduction",
            &[(header::ACCEPT_ENCODING, browser)],
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_ENCODING], "br");
    assert_eq!(headers[header::ETAG].to_str().unwrap(), etag);
    let mut decoded = String::new();
    brotli::Decompressor::new(&brotli[..], 4096)
        .read_to_string(&mut decoded)
        .unwrap();
    assert_eq!(decoded, plain.body);
    assert!(
        brotli.len() * 5 < plain.body.len(),
        "{} vs {}",
        brotli.len(),
        plain.body.len()
    );

    let (_, headers, gzip) = raw(
        &app,
        get_with(
            "/programme?theme=coproduction",
            &[(header::ACCEPT_ENCODING, "gzip")],
        ),
    )
    .await;
    assert_eq!(headers[header::CONTENT_ENCODING], "gzip");
    let mut decoded = String::new();
    flate2::read::GzDecoder::new(&gzip[..])
        .read_to_string(&mut decoded)
        .unwrap();
    assert_eq!(decoded, plain.body);

    // A browser that has the page gets a 304 and no body.
    let (status, headers, body) = raw(
        &app,
        get_with(
            "/programme?theme=coproduction",
            &[(header::IF_NONE_MATCH, &etag)],
        ),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());
    assert_eq!(headers[header::ETAG].to_str().unwrap(), etag);

    // Another filter is another page.
    let other = get(&app, "/programme?theme=inclusion-numerique").await;
    assert_ne!(other.headers[header::ETAG].to_str().unwrap(), etag);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_change_of_the_data_shows_at_the_next_request(pool: SqlitePool) {
    demo::load(&pool, demo::DEFAULT_SEED).await.unwrap();
    // As served: the data version is trusted for a while unless a request writes.
    let app = app_with_cache(pool.clone(), PageCache::default());
    let (slug, title): (String, String) = sqlx::query_as(
        "SELECT slug, title FROM events WHERE edition_year = 2026 AND status = 'published' ORDER BY id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let page = format!("/evenements/{slug}");
    let before = get(&app, &page).await;
    assert!(before.body.contains(&title));

    // A moderator's or an organizer's change arrives as a POST: the next page shows it,
    // whatever the POST answered.
    sqlx::query("UPDATE events SET title = 'Titre changé par la modération' WHERE slug = ?")
        .bind(&slug)
        .execute(&pool)
        .await
        .unwrap();
    let mut client = Client::new(&app);
    client.sign_in(ORGANIZER.0, "not the password").await;
    let after = get(&app, &page).await;
    assert!(after.body.contains("Titre changé par la modération"));
    assert_ne!(after.headers[header::ETAG], before.headers[header::ETAG]);

    // The programme too.
    let programme = get(&app, "/api/v1/events.json").await;
    assert!(programme.body.contains("Titre changé par la modération"));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn signed_in_visitors_never_get_a_kept_page(pool: SqlitePool) {
    common::load_demo(&pool).await;
    let app = app(pool.clone());
    let anonymous = get(&app, "/").await;
    assert!(anonymous.headers.contains_key(header::ETAG));

    let mut client = Client::new(&app);
    let signed_in = client.sign_in(ORGANIZER.0, ORGANIZER.1).await;
    assert!(signed_in.status.is_success() || signed_in.status.is_redirection());
    let cookie = client.cookie.clone().expect("a session cookie");
    let reply = send(&app, get_with("/", &[(header::COOKIE, &cookie)])).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(!reply.headers.contains_key(header::ETAG));
    assert_ne!(
        reply
            .headers
            .get(header::CACHE_CONTROL)
            .map(|v| v.to_str().unwrap()),
        Some("public, no-cache")
    );
    // The signed-in page is not what anonymous visitors get next.
    let again = get(&app, "/").await;
    assert_eq!(again.body, anonymous.body);

    // Organizer pages are never kept.
    let dashboard = send(
        &app,
        get_with("/organisateur", &[(header::COOKIE, &cookie)]),
    )
    .await;
    assert!(!dashboard.headers.contains_key(header::ETAG));
}

/// A large page is kept compressed only: a client that takes no compression gets the kept
/// gzip body decoded, the same bytes, length and ETag as everyone else.
#[sqlx::test(migrator = "MIGRATOR")]
async fn large_pages_are_kept_compressed_only(pool: SqlitePool) {
    demo::load(&pool, demo::DEFAULT_SEED).await.unwrap();
    // Every demo page is over 1 kB; the data version is trusted for an hour, so a write made
    // behind the server's back shows whether a page came from the cache.
    let cache =
        PageCache::new(std::time::Duration::from_secs(3600)).with_largest_uncompressed(1024);
    let app = app_with_cache(pool.clone(), cache);
    let uri = "/programme?theme=coproduction";
    let (status, headers, brotli) =
        raw(&app, get_with(uri, &[(header::ACCEPT_ENCODING, "br")])).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_ENCODING], "br");
    let etag = headers[header::ETAG].to_str().unwrap().to_string();
    let mut page = String::new();
    brotli::Decompressor::new(&brotli[..], 4096)
        .read_to_string(&mut page)
        .unwrap();
    assert!(page.len() > 1024 && page.contains("Coproduction"));

    let titles: Vec<String> = sqlx::query_scalar(
        "SELECT title FROM events WHERE status = 'published' AND edition_year = 2026",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let title = titles
        .into_iter()
        .find(|t| !t.contains(['\'', '&', '"', '<']) && page.contains(t.as_str()))
        .expect("an event of the page");
    sqlx::query("UPDATE events SET title = 'Titre changé en douce' WHERE title = ?")
        .bind(&title)
        .execute(&pool)
        .await
        .unwrap();

    for accept in [None, Some("identity"), Some("gzip;q=0, br;q=0")] {
        let headers_in: Vec<_> = accept
            .map(|a| (header::ACCEPT_ENCODING, a))
            .into_iter()
            .collect();
        let (status, headers, body) = raw(&app, get_with(uri, &headers_in)).await;
        assert_eq!(status, StatusCode::OK, "{accept:?}");
        assert!(
            headers.get(header::CONTENT_ENCODING).is_none(),
            "{accept:?}"
        );
        assert_eq!(
            headers[header::CONTENT_LENGTH],
            body.len().to_string().as_str()
        );
        assert_eq!(headers[header::ETAG].to_str().unwrap(), etag, "{accept:?}");
        assert_eq!(
            String::from_utf8(body).unwrap(),
            page,
            "{accept:?}: the kept page"
        );
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_large_streamed_body_is_compressed_as_it_comes_and_reads_back_the_same(pool: SqlitePool) {
    demo::load(&pool, demo::DEFAULT_SEED).await.unwrap();
    let uri = "/api/v1/events.json";
    // Held whole (the demo's JSON is far below the default threshold)…
    let whole = app(pool.clone());
    let (status, whole_headers, identity) = raw(&whole, get_with(uri, &[])).await;
    assert_eq!(status, StatusCode::OK);
    // …and compressed as it streams (a threshold of 16 kB: many chunks beyond it).
    let streamed = app_with_cache(
        pool.clone(),
        PageCache::default().with_largest_uncompressed(16 * 1024),
    );
    assert!(identity.len() > 4 * 16 * 1024, "{} bytes", identity.len());
    for (encoding, decode) in [
        (
            "br",
            (|b: &[u8]| {
                let mut out = Vec::new();
                brotli::Decompressor::new(b, 4096)
                    .read_to_end(&mut out)
                    .unwrap();
                out
            }) as fn(&[u8]) -> Vec<u8>,
        ),
        ("gzip", |b: &[u8]| {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(b)
                .read_to_end(&mut out)
                .unwrap();
            out
        }),
    ] {
        let (status, headers, body) = raw(
            &streamed,
            get_with(uri, &[(header::ACCEPT_ENCODING, encoding)]),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{encoding}");
        assert_eq!(headers[header::CONTENT_ENCODING], encoding);
        assert_eq!(decode(&body), identity, "{encoding}: the same JSON");
        // The ETag is computed over the body as it passed, the same as over the whole.
        assert_eq!(
            headers[header::ETAG],
            whole_headers[header::ETAG],
            "{encoding}"
        );
    }
    // A client that takes no compression gets the body decoded for it.
    let (status, headers, body) = raw(&streamed, get_with(uri, &[])).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers.get(header::CONTENT_ENCODING).is_none());
    assert_eq!(body, identity);
    let parsed: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        parsed["count"].as_u64().unwrap() as usize,
        parsed["events"].as_array().unwrap().len()
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_body_compressed_as_it_streams_is_as_small_as_compressed_whole(pool: SqlitePool) {
    // About 20 MB of open data: brotli given such a body whole picks its large-input match
    // finder; told nothing, an encoder fed in chunks sized itself from the first one and made
    // a 35,000-event edition's JSON 8.5 MB instead of 2 MB.
    demo::load_sized(&pool, demo::DEFAULT_SEED, Some(12_000))
        .await
        .unwrap();
    let uri = "/api/v1/events.json";
    let app = app(pool.clone());
    let (status, _, identity) = raw(&app, get_with(uri, &[])).await;
    assert_eq!(status, StatusCode::OK);
    assert!(identity.len() > 16_000_000, "{} bytes", identity.len());
    let (status, headers, streamed) =
        raw(&app, get_with(uri, &[(header::ACCEPT_ENCODING, "br")])).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_ENCODING], "br");
    let whole = tokio::task::spawn_blocking(move || {
        let mut whole = Vec::new();
        {
            let mut writer = brotli::CompressorWriter::new(&mut whole, 64 * 1024, 7, 22);
            std::io::Write::write_all(&mut writer, &identity).unwrap();
        }
        whole
    })
    .await
    .unwrap();
    assert!(
        streamed.len() * 10 <= whole.len() * 11,
        "as it streamed {} bytes, whole {} bytes",
        streamed.len(),
        whole.len()
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_service_worker_script_is_served_precompressed_and_revalidated(pool: SqlitePool) {
    let app = app(pool);
    let plain = get(&app, "/sw.js").await;
    assert_eq!(plain.status, StatusCode::OK);
    assert!(
        plain.body.starts_with("const BUILD = \""),
        "{}",
        &plain.body[..80]
    );
    assert!(plain
        .body
        .contains("const PUBLIC_PREFIXES = [\"/evenements/\""));
    assert_eq!(plain.headers[header::CACHE_CONTROL], "no-cache");
    assert!(plain.body.contains("async function abridgedEventPage("));
    // The offline event page's words come from the app's own (`fr`, `Mode::label`).
    assert!(plain.body.contains(r#"const MODES = {"en_ligne":"En ligne","hybride":"Hybride","presentiel":"Présentiel"};"#), "{}", &plain.body[..600]);
    assert!(plain
        .body
        .contains(r#"const WEEKDAYS = ["dimanche","lundi","mardi""#));
    assert!(plain.body.contains(r#""novembre","décembre"]"#));
    assert!(
        !plain
            .body
            .lines()
            .any(|line| line.trim_start().starts_with("//")),
        "sent without its comments"
    );
    let etag = plain.headers[header::ETAG].to_str().unwrap().to_string();

    let (status, headers, brotli) = raw(
        &app,
        get_with(
            "/sw.js",
            &[(header::ACCEPT_ENCODING, "gzip, deflate, br, zstd")],
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_ENCODING], "br");
    assert_eq!(headers[header::VARY], "Accept-Encoding");
    let mut decoded = String::new();
    brotli::Decompressor::new(&brotli[..], 4096)
        .read_to_string(&mut decoded)
        .unwrap();
    assert_eq!(decoded, plain.body);

    // The browser's check for a new worker: a 304 while the build is the same.
    let (status, _, body) = raw(&app, get_with("/sw.js", &[(header::IF_NONE_MATCH, &etag)])).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());
}

/// The streamed bodies (catalogue, open data), which signed-in visitors get from the handler
/// compressed on the fly (no kept page for them), arrive whole: the compression layer reads
/// the stream once more after its end, which a bare `unfold` stream answered with a panic
/// (a cut response, and a programme that could not hydrate for organizers).
#[sqlx::test(migrator = "MIGRATOR")]
async fn streamed_bodies_reach_signed_in_visitors_whole(pool: SqlitePool) {
    common::load_demo(&pool).await;
    let app = app(pool.clone());
    let mut client = Client::new(&app);
    client.sign_in(ORGANIZER.0, ORGANIZER.1).await;
    let cookie = client.cookie.clone().expect("a session cookie");
    for (uri, encoding) in [
        ("/api/v1/catalogue.json", "br"),
        ("/api/v1/events.json", "br"),
        ("/api/v1/events.json", "gzip"),
    ] {
        let (status, headers, body) = raw(
            &app,
            get_with(
                uri,
                &[
                    (header::COOKIE, &cookie),
                    (header::ACCEPT_ENCODING, encoding),
                ],
            ),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert_eq!(headers[header::CONTENT_ENCODING], encoding, "{uri}");
        let mut decoded = String::new();
        if encoding == "br" {
            brotli::Decompressor::new(&body[..], 4096).read_to_string(&mut decoded)
        } else {
            flate2::read::GzDecoder::new(&body[..]).read_to_string(&mut decoded)
        }
        .unwrap_or_else(|error| panic!("{uri} ({encoding}): {error}"));
        let json: serde_json::Value = serde_json::from_str(&decoded).expect(uri);
        assert!(json.is_object() || json.is_array(), "{uri}");
    }
}

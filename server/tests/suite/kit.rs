//! The communication kit of an event (server/src/kit/): its A4 poster and its sharing image,
//! through the real router. The poster as a printed PDF (one A4 page, its QR code decoded) is
//! checked in a browser: end2end/tests/kit.spec.ts.
use crate::common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use sqlx::SqlitePool;

use common::{app, get, send_raw};
use server::db::MIGRATOR;

/// A published event of the demo, made to take place in Guadeloupe on 8 November 2026 from
/// 9 h to 11 h local time (13:00–15:00 UTC; 14 h in Paris), with a title of `title`.
async fn overseas_event(pool: &SqlitePool, title: &str) -> String {
    let (id, slug): (i64, String) = sqlx::query_as(
        "SELECT id, slug FROM events WHERE status = 'published' AND edition_year = 2026 \
         AND mode = 'presentiel' ORDER BY id LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query(
        "UPDATE events SET title = ?, region_code = '01', department_code = '971', \
         city = 'Pointe-à-Pitre', venue_name = 'Médiathèque', venue_address = '1 rue Frébault', \
         postal_code = '97110', time_zone = 'America/Guadeloupe', \
         starts_at = '2026-11-08T13:00:00Z', ends_at = '2026-11-08T15:00:00Z' WHERE id = ?",
    )
    .bind(title)
    .bind(id)
    .execute(pool)
    .await
    .unwrap();
    slug
}

async fn demo(pool: &SqlitePool) -> axum::Router {
    common::load_demo(pool).await;
    app(pool.clone())
}

/// Width and height from a PNG's header (its signature, then the IHDR chunk).
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "a PNG signature");
    assert_eq!(&bytes[12..16], b"IHDR");
    let word = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (word(16), word(20))
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_sharing_image_is_a_1200_by_630_png_named_absolutely_by_the_event_page(
    pool: SqlitePool,
) {
    let app = demo(&pool).await;
    let slug = overseas_event(&pool, "Atelier « données ouvertes » & co").await;
    let page = get(&app, &format!("/evenements/{slug}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let image_url = format!("{}/evenements/{slug}/partage.png", common::SITE);
    for tag in [
        format!(r#"<meta property="og:image" content="{image_url}""#),
        r#"<meta property="og:image:width" content="1200""#.to_string(),
        r#"<meta property="og:image:height" content="630""#.to_string(),
        r#"<meta name="twitter:card" content="summary_large_image""#.to_string(),
    ] {
        assert!(page.body.contains(&tag), "{tag} in the event page");
    }
    // The page links its poster.
    assert!(page
        .body
        .contains(&format!(r#"href="/evenements/{slug}/affiche""#)));

    let path = format!("/evenements/{slug}/partage.png");
    let (status, headers, png) = send_raw(
        &app,
        Request::get(&path)
            .header(header::ACCEPT_ENCODING, "br, gzip")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "image/png");
    assert!(
        !headers.contains_key(header::CONTENT_ENCODING),
        "a PNG is sent as it is"
    );
    assert_eq!(png_size(&png), (1200, 630));
    assert!(png.len() > 10_000, "a drawn image: {} bytes", png.len());
    // The security headers of every response.
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert!(headers.contains_key(header::CONTENT_SECURITY_POLICY));
    // Revalidated by its ETag: a 304 without rendering again.
    let etag = headers[header::ETAG].clone();
    let (status, _, body) = send_raw(
        &app,
        Request::get(&path)
            .header(header::IF_NONE_MATCH, etag.clone())
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());
    // Another title is another image, with another ETag.
    overseas_event(&pool, "Un autre titre").await;
    let (status, headers, png) = send_raw(
        &app,
        Request::get(&path)
            .header(header::IF_NONE_MATCH, etag.clone())
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(headers[header::ETAG], etag);
    assert_eq!(png_size(&png), (1200, 630));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_poster_says_the_local_time_of_an_overseas_venue(pool: SqlitePool) {
    let app = demo(&pool).await;
    let slug = overseas_event(&pool, "Atelier en Guadeloupe").await;
    let reply = get(&app, &format!("/evenements/{slug}/affiche")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let html = &reply.body;
    assert!(html.contains("<h1"), "{html}");
    assert!(html.contains("Atelier en Guadeloupe"));
    assert!(
        html.contains("Mois de l&#x27;innovation publique 2026")
            || html.contains("Mois de l'innovation publique 2026")
    );
    // 13:00 UTC is 9 h at the venue (UTC−4), said as such; Paris time (14 h) comes after.
    let when = html.split(r#"data-kit="when">"#).nth(1).unwrap();
    assert!(
        when.starts_with(
            "dimanche 8 novembre 2026, 9\u{a0}h\u{a0}00 – 11\u{a0}h\u{a0}00 (heure de Guadeloupe)"
        ),
        "{when}"
    );
    assert!(when.contains("Soit dimanche 8 novembre 2026, 14\u{a0}h\u{a0}00 à Paris"));
    assert!(html.contains("Médiathèque, 1 rue Frébault, 97110 Pointe-à-Pitre"));
    assert!(html.contains(r#"data-kit="organizer""#));
    // The QR code is drawn inline (an SVG), the page's address written under it.
    assert!(html.contains("<svg"));
    assert!(html.contains(&format!("{}/evenements/{slug}", common::SITE)));
    // Printed on one A4 sheet.
    assert!(html.contains("@page{size:A4;margin:0}"));
    assert!(html.contains(".sheet{width:210mm;height:297mm;overflow:hidden"));
    // Public page headers: its policy, no framing.
    assert_eq!(reply.headers[header::X_FRAME_OPTIONS], "DENY");
    assert!(reply.headers.contains_key(header::CONTENT_SECURITY_POLICY));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn an_online_event_says_so_on_its_poster(pool: SqlitePool) {
    let app = demo(&pool).await;
    let slug: String = sqlx::query_scalar(
        "SELECT slug FROM events WHERE status = 'published' AND mode = 'en_ligne' LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let reply = get(&app, &format!("/evenements/{slug}/affiche")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        reply.body.contains(r#"data-kit="place">En ligne</dd>"#),
        "{}",
        reply.body
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn an_unpublished_event_has_no_poster_nor_image(pool: SqlitePool) {
    let app = demo(&pool).await;
    let slugs: Vec<String> = sqlx::query_scalar(
        "SELECT slug FROM events WHERE status NOT IN ('published', 'cancelled') LIMIT 3",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(!slugs.is_empty(), "the demo has unpublished events");
    for slug in slugs.iter().map(String::as_str).chain(["nexiste-pas"]) {
        for path in [
            format!("/evenements/{slug}"),
            format!("/evenements/{slug}/affiche"),
            format!("/evenements/{slug}/partage.png"),
        ] {
            let reply = get(&app, &path).await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        }
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_title_of_200_characters_fits_both(pool: SqlitePool) {
    let app = demo(&pool).await;
    let title: String = "Atelier participatif sur la simplification des démarches administratives \
        des usagers ultramarins, avec les agents des préfectures, les caisses et les associations \
        du territoire, pour co-construire ensemble des services"
        .chars()
        .take(200)
        .collect();
    assert_eq!(title.chars().count(), 200);
    let slug = overseas_event(&pool, &title).await;
    let poster = get(&app, &format!("/evenements/{slug}/affiche")).await;
    assert_eq!(poster.status, StatusCode::OK);
    // The whole title, in its smallest size.
    assert!(poster
        .body
        .contains(&format!(r#"<h1 style="font-size:26pt">{title}</h1>"#)));
    let (status, _, png) = send_raw(
        &app,
        Request::get(format!("/evenements/{slug}/partage.png"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(png_size(&png), (1200, 630));
    // Kept for docs/screenshots/ when asked (the README's pictures of the kit).
    if let Ok(folder) = std::env::var("MIP_KIT_SCREENSHOTS") {
        std::fs::write(format!("{folder}/partage-titre-200.png"), &png).unwrap();
    }
}

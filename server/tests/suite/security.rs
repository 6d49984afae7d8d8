//! What a hostile visitor tries, through the real router: the headers of every kind of
//! response, the Content-Security-Policy against the page's own scripts, open redirects after
//! sign-in, caches busted by junk parameters or made-up cookies, control characters, absurd
//! years, and a foreign key left to the database.
use crate::common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use leptos::server_fn::ServerFn;
use serde_json::json;
use sqlx::SqlitePool;

use common::{get, send, Client, ADMIN, ORGANIZER};
use server::db::MIGRATOR;

fn path<T: ServerFn>() -> &'static str {
    T::PATH
}

async fn demo(pool: &SqlitePool) -> (axum::Router, server::page_cache::PageCache) {
    common::load_demo(pool).await;
    let cache = server::page_cache::PageCache::new(std::time::Duration::ZERO);
    (common::app_with_cache(pool.clone(), cache.clone()), cache)
}

fn assert_security_headers(reply: &common::Reply, what: &str) {
    let h = &reply.headers;
    let get = |name: &str| {
        h.get(name)
            .unwrap_or_else(|| panic!("{what}: no {name}"))
            .to_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(get("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(
        get("referrer-policy"),
        "strict-origin-when-cross-origin",
        "{what}"
    );
    assert!(get("permissions-policy").contains("camera=()"), "{what}");
    assert_eq!(get("x-frame-options"), "DENY", "{what}");
    let csp = get("content-security-policy");
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    let scripts = csp
        .split(';')
        .find(|d| d.trim().starts_with("script-src"))
        .unwrap_or_else(|| panic!("{what}: no script-src in {csp}"));
    assert!(!scripts.contains("'unsafe-inline'"), "{what}: {csp}");
    assert!(!scripts.contains("'unsafe-eval'"), "{what}: {csp}");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn every_kind_of_response_carries_the_security_headers(pool: SqlitePool) {
    let (app, _) = demo(&pool).await;
    let slug: String = sqlx::query_scalar(
        "SELECT slug FROM events WHERE status = 'published' AND edition_year = 2026 LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    for uri in [
        "/".to_string(),
        "/programme".into(),
        format!("/evenements/{slug}"),
        format!("/evenements/{slug}/agenda.ics"),
        "/programme.rss".into(),
        "/programme.ics".into(),
        "/api/v1/events.json".into(),
        "/api/v1/events.csv".into(),
        "/sw.js".into(),
        "/healthz".into(),
        // Refused here (no client address: not the machine): the refusal carries them too.
        "/metrics".into(),
        "/manifest.webmanifest".into(),
        "/admin/courriels".into(),
        "/page-qui-n-existe-pas".into(),
        "/connexion".into(),
        "/organisateur".into(),
        "/admin".into(),
    ] {
        let reply = get(&app, &uri).await;
        assert!(!reply.status.is_server_error(), "{uri}: {}", reply.status);
        assert_security_headers(&reply, &uri);
    }
    // A server function's error, and a redirect.
    let mut client = Client::new(&app);
    let reply = client
        .form(
            path::<app::accounts::server::SignIn>(),
            &[("email", ORGANIZER.0), ("password", "faux")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_security_headers(&reply, "sign-in error");
    assert!(reply.headers[header::CACHE_CONTROL]
        .to_str()
        .unwrap()
        .contains("no-store"));
    let reply = get(&app, "/?x=1").await;
    assert!(reply.status.is_redirection());
    assert_security_headers(&reply, "redirect");
}

/// The policy allows exactly the page's inline scripts: each one's hash is in it.
#[sqlx::test(migrator = "MIGRATOR")]
async fn the_policy_allows_the_pages_own_inline_scripts_and_only_them(pool: SqlitePool) {
    let (app, _) = demo(&pool).await;
    for uri in ["/", "/programme", "/connexion", "/mon-programme"] {
        let reply = get(&app, uri).await;
        let csp = reply.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap();
        let hashes = server::security::inline_script_hashes(&reply.body);
        assert!(
            !hashes.is_empty(),
            "{uri} has inline scripts (hydration, offline copy)"
        );
        for hash in &hashes {
            assert!(
                csp.contains(&format!("'{hash}'")),
                "{uri}: {hash} not in {csp}"
            );
        }
        let allowed = csp.matches("'sha256-").count();
        assert_eq!(allowed, hashes.len(), "{uri}: no other script allowed");
    }
    // Kept and served again from the cache: the same policy.
    let first = get(&app, "/").await;
    let again = get(&app, "/").await;
    assert_eq!(
        first.headers[header::CONTENT_SECURITY_POLICY],
        again.headers[header::CONTENT_SECURITY_POLICY]
    );
    // A revalidation's 304 replaces the headers the browser stored: it must carry the page's
    // own policy (a policy without its hashes blocked the scripts of a page kept by the
    // service worker).
    let etag = first.headers[header::ETAG].clone();
    let revalidated = send(
        &app,
        Request::get("/")
            .header(header::IF_NONE_MATCH, etag)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(revalidated.status, StatusCode::NOT_MODIFIED);
    assert_eq!(
        revalidated.headers[header::CONTENT_SECURITY_POLICY],
        first.headers[header::CONTENT_SECURITY_POLICY]
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn signed_in_and_personal_responses_are_never_stored(pool: SqlitePool) {
    let (app, _) = demo(&pool).await;
    let mut client = Client::new(&app);
    client.sign_in(ORGANIZER.0, ORGANIZER.1).await;
    for uri in ["/organisateur", "/programme", "/", "/compte"] {
        let mut request = Request::get(uri).body(Body::empty()).unwrap();
        request.headers_mut().insert(
            header::COOKIE,
            client.cookie.clone().unwrap().parse().unwrap(),
        );
        let reply = send(&app, request).await;
        let cache = reply.headers[header::CACHE_CONTROL].to_str().unwrap();
        assert!(cache.contains("no-store"), "{uri}: {cache}");
    }
    // Anonymous public pages stay cacheable.
    let reply = get(&app, "/programme").await;
    assert_eq!(reply.headers[header::CACHE_CONTROL], "public, no-cache");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn under_https_the_session_cookie_is_host_prefixed_and_secure(pool: SqlitePool) {
    common::load_demo(&pool).await;
    let app = common::app_with_public_url(pool.clone(), "https://mois.example.gouv.fr");
    let mut client = Client::new(&app);
    let reply = client
        .form(
            path::<app::accounts::server::SignIn>(),
            &[("email", ORGANIZER.0), ("password", ORGANIZER.1)],
        )
        .await;
    let cookie = reply.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("__Host-mip_session="), "{cookie}");
    assert!(
        cookie.contains("; Secure") && cookie.contains("; Path=/") && cookie.contains("HttpOnly")
    );
    assert!(!cookie.contains("Domain"));
    assert!(reply.headers[header::STRICT_TRANSPORT_SECURITY]
        .to_str()
        .unwrap()
        .contains("max-age="));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn after_sign_in_only_a_path_of_this_site_is_followed(pool: SqlitePool) {
    let (app, _) = demo(&pool).await;
    for (retour, expected) in [
        (
            "/organisateur/evenements/nouveau",
            "/organisateur/evenements/nouveau",
        ),
        ("/\t/evil.example", "/organisateur"),
        ("/%09/evil.example", "/organisateur"),
        ("//evil.example", "/organisateur"),
        ("/\\evil.example", "/organisateur"),
        ("\\\\evil.example", "/organisateur"),
        ("https://evil.example/", "/organisateur"),
        ("/\u{1}x", "/organisateur"),
        ("/\u{0}", "/organisateur"),
        ("/x\r\nSet-Cookie: a=b", "/organisateur"),
        ("/\u{202e}x", "/organisateur"),
        ("javascript:alert(1)", "/organisateur"),
    ] {
        let mut client = Client::new(&app);
        let reply = client
            .form(
                path::<app::accounts::server::SignIn>(),
                &[
                    ("email", ORGANIZER.0),
                    ("password", ORGANIZER.1),
                    ("retour", retour),
                ],
            )
            .await;
        assert!(
            !reply.status.is_server_error(),
            "{retour:?}: {}",
            reply.status
        );
        if reply.status.is_redirection() || reply.status.is_success() {
            let location = reply
                .headers
                .get(header::LOCATION)
                .map(|v| v.to_str().unwrap());
            // Control characters are refused on their field before sign-in (422).
            assert_eq!(location.unwrap_or(expected), expected, "{retour:?}");
        } else {
            assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{retour:?}");
        }
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn junk_parameters_and_made_up_cookies_do_not_make_the_server_render(pool: SqlitePool) {
    let (app, cache) = demo(&pool).await;
    assert_eq!(
        get(&app, "/api/v1/events.json").await.status,
        StatusCode::OK
    );
    assert_eq!(get(&app, "/").await.status, StatusCode::OK);
    let renders = cache.renders();
    for uri in [
        "/?x=1",
        "/?utm_source=a&b=2",
        "/api/v1/events.json?x=1",
        "/api/v1/events.json?junk=%00",
    ] {
        let reply = get(&app, uri).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{uri}");
    }
    for cookie in [
        "mip_session=00000000000000000000000000000000",
        "mip_session=",
        "mip_session=x; other=y",
    ] {
        let mut request = Request::get("/").body(Body::empty()).unwrap();
        request
            .headers_mut()
            .insert(header::COOKIE, cookie.parse().unwrap());
        let reply = send(&app, request).await;
        assert_eq!(reply.status, StatusCode::OK, "{cookie}");
    }
    assert_eq!(cache.renders(), renders, "nothing rendered again");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn control_characters_get_a_message_on_their_field_and_write_nothing(pool: SqlitePool) {
    let (app, _) = demo(&pool).await;
    common::open_referencing(&pool, true).await;
    let mut client = Client::new(&app);
    client.sign_in(ORGANIZER.0, ORGANIZER.1).await;
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM events")
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    let before = count().await;
    for (field, value) in [
        ("title", "Atelier\u{0}"),
        ("title", "Atelier\rsuite"),
        ("city", "Bordeaux\u{1b}[2J"),
        ("summary", "Résumé\u{7}"),
    ] {
        let mut input = json!({"title": "Atelier", "summary": "Résumé", "themes": [], "mode": "presentiel",
            "structure_name": "S", "region_code": "75", "city": "Bordeaux",
            "starts_local": "2026-11-17T14:00", "ends_local": "2026-11-17T16:00"});
        input[field] = json!(value);
        let reply = client
            .json(
                path::<app::organizer::server::CreateEvent>(),
                json!({"input": input, "submit": false}),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field} {value:?}: {}",
            reply.body
        );
        let body: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
        assert_eq!(body["fields"][0]["field"], field, "{}", reply.body);
    }
    // A form post, too.
    let reply = client
        .form(
            path::<app::accounts::server::SignUp>(),
            &[("email", "x@example.org"), ("name", "Jean\u{0}")],
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert_eq!(count().await, before);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn five_digit_years_are_refused_on_their_field(pool: SqlitePool) {
    let (app, _) = demo(&pool).await;
    common::open_referencing(&pool, true).await;
    let mut client = Client::new(&app);
    client.sign_in(ORGANIZER.0, ORGANIZER.1).await;
    let reply = client
        .json(
            path::<app::organizer::server::CreateEvent>(),
            json!({"input": {"title": "Atelier", "starts_local": "+10000-01-01T10:00",
                              "ends_local": "+10000-01-01T12:00", "out_of_period": true,
                              "out_of_period_reason": "Une raison"}, "submit": false}),
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert!(reply.body.contains("starts_at"), "{}", reply.body);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn retiring_the_theme_of_the_year_keeps_it_and_never_fails(pool: SqlitePool) {
    let (app, _) = demo(&pool).await;
    // A theme used by no event, only as an edition's theme of the year.
    let theme: i64 = sqlx::query_scalar(
        "INSERT INTO themes (slug, label, position) VALUES ('theme-annee', 'Thème de l''année seul', 99) RETURNING id",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    sqlx::query("UPDATE editions SET theme_of_year_id = ? WHERE year = 2025")
        .bind(theme)
        .execute(&pool)
        .await
        .unwrap();
    let mut admin = Client::new(&app);
    admin.sign_in(ADMIN.0, ADMIN.1).await;
    let version: i64 = sqlx::query_scalar("SELECT version FROM themes WHERE id = ?")
        .bind(theme)
        .fetch_one(&pool)
        .await
        .unwrap();
    let reply = admin
        .form(
            path::<app::admin::server::ChangeVocabulary>(),
            &[
                ("kind", "themes"),
                ("action", "retirer"),
                ("id", &theme.to_string()),
                ("version", &version.to_string()),
            ],
        )
        .await;
    assert!(!reply.status.is_server_error(), "{}", reply.body);
    let retired: bool = sqlx::query_scalar("SELECT retired FROM themes WHERE id = ?")
        .bind(theme)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(retired, "kept (the edition names it), retired");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_event_json_ld_cannot_be_broken_out_of(pool: SqlitePool) {
    let (app, _) = demo(&pool).await;
    let title = "<!--<script> </script><script>alert(1)</script></title><script>alert(2)</script> « Atelier »";
    let slug: String = sqlx::query_scalar(
        "UPDATE events SET title = ?, summary = '<!-- x' WHERE id = \
         (SELECT id FROM events WHERE status = 'published' AND edition_year = 2026 LIMIT 1) RETURNING slug",
    )
    .bind(title)
    .fetch_one(&pool)
    .await
    .unwrap();
    let page = get(&app, &format!("/evenements/{slug}")).await;
    let start = page
        .body
        .find(r#"<script type="application/ld+json">"#)
        .unwrap()
        + r#"<script type="application/ld+json">"#.len();
    let end = start + page.body[start..].find("</script>").unwrap();
    let json = &page.body[start..end];
    assert!(!json.contains('<'), "{json}");
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(value["name"], title, "a JSON reader gets the title back");
    // The page's only scripts are its own: the title is text, never a script.
    let at = page
        .body
        .find("<script>alert(1)</script>")
        .or_else(|| page.body.find("<script>alert(2)</script>"));
    assert_eq!(
        at,
        None,
        "{}",
        at.map(|i| &page.body[i.saturating_sub(200)..i + 40])
            .unwrap_or_default()
    );
}

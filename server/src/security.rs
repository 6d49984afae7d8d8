//! The headers every response gets: a Content-Security-Policy without `unsafe-inline` or
//! `unsafe-eval` for scripts, no framing, no MIME sniffing, a strict referrer, browser
//! features off, HSTS under HTTPS, and `Cache-Control: no-store` on everything personal.
//!
//! The few inline scripts of a page (the hydration loader, the offline copy, the popover
//! fallback, and whatever Leptos writes for its resources) are allowed by the SHA-256 of
//! their text, computed from the page itself ([`inline_script_hashes`]) rather than by a
//! per-request nonce: a public page is rendered once and served to every visitor from the
//! page cache, and a nonce shared by everyone would be no nonce at all. The hashes are
//! computed where the page is rendered ([`html_policy`], inside the page cache, so a kept
//! page keeps its policy); every other response gets [`BASE_POLICY`] ([`headers`]).
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use sha2::{Digest, Sha256};

use app::state::AppState;

/// The policy of every response. `wasm-unsafe-eval` lets the page compile its wasm (and
/// nothing else: `eval` and `new Function` stay forbidden); styles may be inline (`style`
/// attributes of the DSFR's components); images may be `data:` URLs (the DSFR's icons).
pub const BASE_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; \
     connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Largest HTML page whose inline scripts are hashed (a page is the size of its first 20
/// cards whatever the edition's size; far larger is a mistake, served with the base policy,
/// which blocks its inline scripts rather than allowing them blindly).
const LARGEST_HASHED_PAGE: usize = 8 * 1024 * 1024;

/// Paths that are personal whoever asks: the organizer's, moderation's and administration's
/// pages, the account's forms and the server functions (`/api/…` except the open data).
fn is_personal_path(path: &str) -> bool {
    const PERSONAL: &[&str] = &[
        "/organisateur",
        "/moderation",
        "/admin",
        "/compte",
        "/connexion",
        "/inscription",
        "/confirmation",
        "/mot-de-passe",
    ];
    PERSONAL.iter().any(|prefix| {
        path == *prefix
            || path
                .strip_prefix(prefix)
                .is_some_and(|rest| rest.starts_with('/') || rest.starts_with('-'))
    }) || (path.starts_with("/api/") && !path.starts_with("/api/v1/"))
}

/// Static files named by their content or shared by everyone (the site's code, fonts, icons).
fn is_static_file(path: &str) -> bool {
    path.starts_with("/pkg/") || path.starts_with("/fonts/") || path.starts_with("/icons/")
}

/// The outer layer: the fixed headers on every response (304s and errors included), the base
/// policy where the page has none, and `no-store` on personal responses.
pub async fn headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    let has_session_cookie = app::accounts::session::cookie_in(
        request.headers(),
        app::accounts::session::cookie_name(&state),
    )
    .is_some();
    let mut response = next.run(request).await;
    let https = state.public_url.starts_with("https://");
    let status = response.status();
    let headers = response.headers_mut();
    if is_static_file(&path) {
        // The build's files, fonts and icons are never documents (except an icon opened by
        // itself): the document headers (framing, referrer, permissions, the page policy,
        // about 600 bytes) would cost a first visit's 60 such responses about 35 kB.
        set_static_headers(headers, &path, https);
        return response;
    }
    set_fixed_headers(headers, https);
    // A 304 updates the headers the browser stored with the page: a policy without the
    // page's script hashes would then block them. A 304 carries the page's own policy (the
    // page cache's) or none.
    if status != StatusCode::NOT_MODIFIED {
        headers
            .entry(header::CONTENT_SECURITY_POLICY)
            .or_insert(HeaderValue::from_static(BASE_POLICY));
    }
    let personal = is_personal_path(&path)
        || headers.contains_key(header::SET_COOKIE)
        || (has_session_cookie && !is_static_file(&path));
    if personal {
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
        headers.remove(header::ETAG);
    }
    response
}

/// An SVG icon opened by itself is a document: no script, nothing fetched, never framed.
pub const STATIC_SVG_POLICY: &str =
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

/// The headers of a static file (`/pkg/`, `/fonts/`, `/icons/`): its type is not to be
/// guessed, HTTPS is kept, and an SVG gets a policy that lets it do nothing.
fn set_static_headers(headers: &mut HeaderMap, path: &str, https: bool) {
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if path.ends_with(".svg") {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(STATIC_SVG_POLICY),
        );
    }
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
}

fn set_fixed_headers(headers: &mut HeaderMap, https: bool) {
    let fixed: [(HeaderName, &'static str); 5] = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            HeaderName::from_static("permissions-policy"),
            "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), \
             microphone=(), payment=(), usb=(), interest-cohort=()",
        ),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
}

/// The inner layer, where pages are rendered (inside the page cache): an HTML page gets the
/// policy that allows exactly its own inline scripts.
pub async fn html_policy(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_html
        || response.headers().contains_key(header::CONTENT_ENCODING)
        || response
            .headers()
            .contains_key(header::CONTENT_SECURITY_POLICY)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes: Bytes = match axum::body::to_bytes(body, LARGEST_HASHED_PAGE).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!(%error, "an HTML page could not be read to hash its scripts");
            parts.headers.remove(header::CONTENT_LENGTH);
            return Response::from_parts(parts, Body::empty());
        }
    };
    let policy = policy_for_page(&String::from_utf8_lossy(&bytes));
    if let Ok(value) = HeaderValue::from_str(&policy) {
        parts.headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// [`BASE_POLICY`] with the page's inline scripts allowed by their hashes.
pub fn policy_for_page(html: &str) -> String {
    let hashes = inline_script_hashes(html);
    if hashes.is_empty() {
        return BASE_POLICY.to_string();
    }
    let allowed: String = hashes.iter().map(|h| format!(" '{h}'")).collect();
    BASE_POLICY.replacen(
        "script-src 'self' 'wasm-unsafe-eval'",
        &format!("script-src 'self' 'wasm-unsafe-eval'{allowed}"),
        1,
    )
}

/// `sha256-…` of the text of each inline script the browser would run (no `src`, and a
/// JavaScript type or none: JSON-LD and other data blocks are never run and need none).
/// A script's text in HTML is raw text: the bytes between its tags are what the browser
/// hashes.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let lower = html.to_ascii_lowercase();
    let mut at = 0;
    while let Some(found) = lower[at..].find("<script") {
        let start = at + found;
        let after_name = start + "<script".len();
        // `<scripts>` or `<script-x>` is another element.
        if !lower[after_name..].starts_with(|c: char| c == '>' || c.is_ascii_whitespace()) {
            at = after_name;
            continue;
        }
        let Some(tag_end) = lower[after_name..].find('>').map(|i| after_name + i) else {
            break;
        };
        let attributes = &lower[after_name..tag_end];
        let Some(close) = lower[tag_end..].find("</script").map(|i| tag_end + i) else {
            break;
        };
        if runs_inline(attributes) {
            let text = &html[tag_end + 1..close];
            let digest = Sha256::digest(text.as_bytes());
            let hash = format!(
                "sha256-{}",
                base64::engine::general_purpose::STANDARD.encode(digest)
            );
            if !hashes.contains(&hash) {
                hashes.push(hash);
            }
        }
        at = close + "</script".len();
    }
    hashes
}

/// Whether a `<script>` with these (lowercased) attributes runs its own text.
fn runs_inline(attributes: &str) -> bool {
    if attribute(attributes, "src").is_some() {
        return false;
    }
    match attribute(attributes, "type") {
        None => true,
        Some(kind) => matches!(
            kind.trim(),
            "" | "module" | "text/javascript" | "application/javascript"
        ),
    }
}

/// The value of an attribute in a tag's attribute text (quoted or not), if present.
fn attribute<'a>(attributes: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = attributes;
    while let Some(i) = rest.find(name) {
        let before_ok = i == 0 || rest.as_bytes()[i - 1].is_ascii_whitespace();
        let after = &rest[i + name.len()..];
        let after_trimmed = after.trim_start();
        if before_ok && (after_trimmed.starts_with('=')) {
            let value = after_trimmed[1..].trim_start();
            return Some(match value.chars().next() {
                Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or_default(),
                _ => value
                    .split(|c: char| c.is_ascii_whitespace())
                    .next()
                    .unwrap_or_default(),
            });
        }
        if before_ok && (after.is_empty() || after.starts_with(|c: char| c.is_ascii_whitespace())) {
            return Some("");
        }
        rest = &rest[i + name.len()..];
    }
    None
}

/// Whether a character may appear in a submitted text: no C0 control character (NUL, ESC…)
/// nor DEL, except TAB and the line breaks of multi-line fields (a CR only before a LF,
/// as browsers send the new lines of a textarea). One-line fields refuse line breaks in
/// their own validation (`app::checks::check_characters`).
pub fn first_forbidden_character(text: &str) -> Option<char> {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let forbidden = match c {
            '\t' | '\n' => false,
            '\r' => chars.peek() != Some(&'\n'),
            c => c.is_ascii_control(),
        };
        if forbidden {
            return Some(c);
        }
    }
    None
}

/// The field of a submitted body holding a forbidden character (the JSON key nearest to the
/// string, or the form field's name), if any.
fn field_with_forbidden_character(content_type: &str, body: &[u8]) -> Option<String> {
    fn in_json(value: &serde_json::Value, key: &str) -> Option<String> {
        match value {
            serde_json::Value::String(text) => {
                first_forbidden_character(text).map(|_| key.to_string())
            }
            serde_json::Value::Array(items) => items.iter().find_map(|v| in_json(v, key)),
            serde_json::Value::Object(map) => map.iter().find_map(|(k, v)| {
                if first_forbidden_character(k).is_some() {
                    Some(key.to_string())
                } else {
                    in_json(v, k)
                }
            }),
            _ => None,
        }
    }
    if content_type.starts_with("application/json") {
        let value: serde_json::Value = serde_json::from_slice(body).ok()?;
        in_json(&value, "")
    } else if content_type.starts_with("application/x-www-form-urlencoded") {
        form_urlencoded::parse(body).find_map(|(key, value)| {
            (first_forbidden_character(&key).is_some()
                || first_forbidden_character(&value).is_some())
            .then(|| key.into_owned())
        })
    } else {
        None
    }
}

/// Every submitted text is checked once, for every server function, present and future: a
/// control character anywhere gets a 422 with a message on its field, before any function
/// reads it (a NUL in a title used to reach SQLite and the feeds).
pub async fn refuse_control_characters(request: Request, next: Next) -> Response {
    if request.method() != axum::http::Method::POST {
        return next.run(request).await;
    }
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if !content_type.starts_with("application/json")
        && !content_type.starts_with("application/x-www-form-urlencoded")
    {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    // The body is already limited in size (router::limit_body_size).
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return crate::router::error_response(app::error::AppError::BadRequest(
                "la requête est trop grande ou incomplète.".into(),
            ))
        }
    };
    if let Some(field) = field_with_forbidden_character(&content_type, &bytes) {
        let field = if field.is_empty() {
            "formulaire".to_string()
        } else {
            field
        };
        return crate::router::error_response_for(
            &parts,
            app::error::AppError::field(
                field,
                "Ce champ contient un caractère invisible interdit (caractère de contrôle) : \
             retapez-le sans copier-coller depuis un autre logiciel.",
            ),
        );
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sha(text: &str) -> String {
        format!(
            "sha256-{}",
            base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()))
        )
    }

    #[test]
    fn static_files_carry_only_what_applies_to_them() {
        assert!(is_static_file("/pkg/mip.abc.wasm") && is_static_file("/icons/x.svg"));
        assert!(!is_static_file("/sw.js") && !is_static_file("/programme"));
        let mut wasm = HeaderMap::new();
        set_static_headers(&mut wasm, "/pkg/mip.abc.wasm", false);
        assert_eq!(wasm.len(), 1);
        assert_eq!(wasm[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        let mut svg = HeaderMap::new();
        set_static_headers(&mut svg, "/icons/map/pin.svg", true);
        let policy = svg[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(policy.contains("default-src 'none'") && policy.contains("frame-ancestors 'none'"));
        assert!(!policy.contains("script-src"), "{policy}: no script at all");
        assert!(svg.contains_key(header::STRICT_TRANSPORT_SECURITY));
    }

    #[test]
    fn only_scripts_that_run_their_own_text_are_hashed() {
        let html = r#"<html><head><script type="module" nonce="x">import("/a.js")</script>
            <script src="/pkg/mip.js"></script>
            <script type="application/ld+json">{"@type":"Event"}</script>
            <SCRIPT>alert(1)</SCRIPT><scripts>no</scripts>
            <script>let a = "<b>";</script><script>alert(1)</script></head></html>"#;
        assert_eq!(
            inline_script_hashes(html),
            vec![
                sha(r#"import("/a.js")"#),
                sha("alert(1)"),
                sha(r#"let a = "<b>";"#)
            ]
        );
    }

    #[test]
    fn the_page_policy_allows_its_scripts_and_nothing_unsafe() {
        let policy = policy_for_page("<script>x()</script>");
        assert!(policy.contains(&format!(
            "script-src 'self' 'wasm-unsafe-eval' '{}'",
            sha("x()")
        )));
        let script_src = policy
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .unwrap();
        assert!(!script_src.contains("'unsafe-inline'") && !script_src.contains("'unsafe-eval'"));
        assert!(policy.contains("frame-ancestors 'none'"));
        assert_eq!(policy_for_page("<p>no script</p>"), BASE_POLICY);
    }

    #[test]
    fn control_characters_are_found_in_forms_and_json() {
        assert_eq!(first_forbidden_character("Atelier\r\nsuite\tx"), None);
        for bad in ["a\0b", "a\rb", "a\u{1b}[31m", "a\u{7f}", "\u{8}", "fin\r"] {
            assert!(first_forbidden_character(bad).is_some(), "{bad:?}");
        }
        let json = br#"{"input":{"title":"ok","themes":[1],"city":"Lyon\u0000"},"submit":true}"#;
        assert_eq!(
            field_with_forbidden_character("application/json", json).as_deref(),
            Some("city")
        );
        assert_eq!(
            field_with_forbidden_character(
                "application/x-www-form-urlencoded",
                b"email=a%40b.fr&name=Jean%00Dupont"
            )
            .as_deref(),
            Some("name")
        );
        assert_eq!(
            field_with_forbidden_character(
                "application/x-www-form-urlencoded",
                b"message=ligne%0D%0Asuivante"
            ),
            None
        );
    }

    #[test]
    fn personal_paths() {
        for path in [
            "/organisateur",
            "/organisateur/evenements/3",
            "/moderation",
            "/admin/comptes",
            "/compte",
            "/connexion",
            "/mot-de-passe-oublie",
            "/mot-de-passe/nouveau",
            "/api/compte/connexion",
        ] {
            assert!(is_personal_path(path), "{path}");
        }
        for path in [
            "/",
            "/programme",
            "/api/v1/events.json",
            "/administration-x",
            "/labs",
        ] {
            assert!(!is_personal_path(path), "{path}");
        }
    }
}

//! The page in words that a browser gets for an error outside a form: a feed, an export or the
//! kit followed from a link, a post that names no page of this site to go back to. It is the
//! site's own page, header and footer included, rendered by the app (`app::pages::NotFound`
//! given a `ShownError`), with the error's status and message; never a JSON body.
//!
//! A handler answers with [`page`] (a short page in words, marked); the [`render_in_site`]
//! layer, where pages are rendered, replaces its body with the app's rendering. Should that
//! rendering fail, the short page stays: still words, still the right status.
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos::prelude::provide_context;

use app::error::AppError;
use app::pages::ShownError;
use app::state::AppState;

/// Marks a response whose body is to be rendered as the site's error page.
#[derive(Clone)]
struct ToRender(ShownError);

/// An address no route and no file answers: the app renders its fallback, `NotFound`, there.
const FALLBACK_PATH: &str = "/__page-d-erreur";

/// The error as a page for a browser: the short page in words, marked for [`render_in_site`].
pub(crate) fn page(error: AppError) -> Response {
    let status = error.status_code();
    let message = error.to_string();
    let body = app::html!(
        "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>La demande n'a pas abouti – {site}</title></head>\
         <body><main><h1>La demande n'a pas abouti</h1><p>{message}</p>\
         <p><a href=\"/\">Retour à l'accueil</a></p></main></body></html>\n",
        site = app::html::text(app::SITE_NAME),
        message = app::html::text(&message),
    )
    .into_string();
    let mut response = (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response();
    response.extensions_mut().insert(ToRender(ShownError {
        status: status.as_u16(),
        message,
    }));
    response
}

/// The layer that renders a marked error page in the site's layout, with the request's
/// cookies (the header shows who is signed in) and the error's status; `no-store` kept.
pub(crate) async fn render_in_site(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let headers = request.headers().clone();
    let response = next.run(request).await;
    let Some(ToRender(shown)) = response.extensions().get::<ToRender>().cloned() else {
        return response;
    };
    let status = response.status();
    let mut fallback = Request::new(Body::empty());
    *fallback.method_mut() = Method::GET;
    *fallback.uri_mut() = Uri::from_static(FALLBACK_PATH);
    *fallback.headers_mut() = headers;
    // Only what the page needs to render: no body, no encoding asked of the static files.
    fallback.headers_mut().remove(header::ACCEPT_ENCODING);
    fallback.headers_mut().remove(header::CONTENT_LENGTH);
    fallback.headers_mut().remove(header::CONTENT_TYPE);
    let render = leptos_axum::file_and_error_handler_with_context::<AppState, _>(
        move || provide_context(shown.clone()),
        app::shell,
    );
    let rendered = render(Uri::from_static(FALLBACK_PATH), State(state), fallback).await;
    let is_html = rendered
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_html {
        tracing::warn!(status = %rendered.status(), "the error page could not be rendered in the site's layout");
        return response;
    }
    let (mut parts, body) = rendered.into_parts();
    parts.status = status;
    parts
        .headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Response::from_parts(parts, body)
}

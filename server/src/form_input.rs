//! What was typed in a plain HTML form (a browser without JavaScript, or a page without
//! island) goes back to the page with its error: `app::forms::kept` keeps the fields (never a
//! password), and the redirect that Leptos (or `router::error_response_for`) makes to the page
//! gets the entry's key (`__input`) and the form's (`__form`). The page's `PageForm` shows
//! the form as it was typed.
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;

use app::error::AppError;
use app::forms::{KeptInput, FORM_PARAM, INPUT_PARAM};
use app::state::AppState;

/// Whether the request is a plain HTML form posted to a server function.
fn is_plain_form_post(request: &Request) -> bool {
    let header = |name| {
        request
            .headers()
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
            .unwrap_or_default()
            .to_ascii_lowercase()
    };
    request.method() == Method::POST
        && request.uri().path().starts_with("/api/")
        && header(header::ACCEPT).contains("text/html")
        && header(header::CONTENT_TYPE).starts_with("application/x-www-form-urlencoded")
}

/// The layer (inside `limit_body_size`: the body read here is already bounded).
pub async fn carry_form_input(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if !is_plain_form_post(&request) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return crate::router::error_response_for(
                &parts,
                AppError::BadRequest("la requête est trop grande ou incomplète.".into()),
            )
        }
    };
    let mut response = next
        .run(Request::from_parts(parts, Body::from(bytes.clone())))
        .await;
    if !response.status().is_redirection() {
        return response;
    }
    let Some(location) = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
    else {
        return response;
    };
    // Whatever an earlier error left in the page's address is not this post's: its kept
    // input, and its error (Leptos appends this post's error to the page's address, and the
    // page reads the first one it finds).
    let location = only_last_error(&without_params(&location, &[INPUT_PARAM, FORM_PARAM]));
    let location = if has_param(&location, "__err") {
        let form = form_urlencoded::parse(&bytes)
            .find(|(name, _)| name == FORM_PARAM)
            .map(|(_, value)| value.into_owned());
        let key = state.kept_input.keep(KeptInput::from_form_body(&bytes));
        let mut extra = form_urlencoded::Serializer::new(String::new());
        extra.append_pair(INPUT_PARAM, &key);
        if let Some(form) = form.filter(|f| !f.is_empty()) {
            extra.append_pair(FORM_PARAM, &form);
        }
        let separator = if location.contains('?') { '&' } else { '?' };
        format!("{location}{separator}{}", extra.finish())
    } else {
        location
    };
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

fn query_of(location: &str) -> Option<&str> {
    let rest = location.split_once('?')?.1;
    Some(rest.split_once('#').map_or(rest, |(query, _)| query))
}

fn has_param(location: &str, name: &str) -> bool {
    query_of(location)
        .is_some_and(|query| form_urlencoded::parse(query.as_bytes()).any(|(key, _)| key == name))
}

/// `location` without the query parameters `names` (the others kept as they were written).
fn without_params(location: &str, names: &[&str]) -> String {
    let Some((base, rest)) = location.split_once('?') else {
        return location.to_string();
    };
    let (query, fragment) = match rest.split_once('#') {
        Some((query, fragment)) => (query, Some(fragment)),
        None => (rest, None),
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| {
            let name = pair.split('=').next().unwrap_or_default();
            !pair.is_empty() && !names.contains(&name)
        })
        .collect();
    let mut out = base.to_string();
    if !kept.is_empty() {
        out.push('?');
        out.push_str(&kept.join("&"));
    }
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(fragment);
    }
    out
}

/// `location` with only its last `__path` and `__err` (the error of the post just made).
fn only_last_error(location: &str) -> String {
    let Some(query) = query_of(location) else {
        return location.to_string();
    };
    let count = |name: &str| {
        form_urlencoded::parse(query.as_bytes())
            .filter(|(key, _)| key == name)
            .count()
    };
    if count("__err") < 2 && count("__path") < 2 {
        return location.to_string();
    }
    let last = |name: &str| {
        query
            .split('&')
            .rfind(|pair| pair.split('=').next() == Some(name))
            .map(str::to_string)
    };
    let (path, err) = (last("__path"), last("__err"));
    let mut out = without_params(location, &["__path", "__err"]);
    let (base, fragment) = match out.split_once('#') {
        Some((base, fragment)) => (base.to_string(), Some(fragment.to_string())),
        None => (out.clone(), None),
    };
    out = base;
    for pair in [path, err].into_iter().flatten() {
        out.push(if out.contains('?') { '&' } else { '?' });
        out.push_str(&pair);
    }
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(&fragment);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earlier_kept_input_leaves_the_address() {
        assert_eq!(
            without_params(
                "/connexion?retour=%2Fa&__input=ab&__form=x#f",
                &[INPUT_PARAM, FORM_PARAM]
            ),
            "/connexion?retour=%2Fa#f"
        );
        assert_eq!(
            without_params("/compte?__input=ab", &[INPUT_PARAM]),
            "/compte"
        );
        assert_eq!(without_params("/compte", &[INPUT_PARAM]), "/compte");
        assert!(has_param(
            "http://h/compte?__path=%2Fapi&__err=e30",
            "__err"
        ));
        assert!(!has_param("http://h/compte?x=__err", "__err"));
    }

    #[test]
    fn only_the_last_error_stays_in_the_address() {
        assert_eq!(
            only_last_error("http://h/p?x=1&__path=%2Fa&__err=old&__path=%2Fb&__err=new#f"),
            "http://h/p?x=1&__path=%2Fb&__err=new#f"
        );
        assert_eq!(
            only_last_error("http://h/p?__path=%2Fa&__err=one"),
            "http://h/p?__path=%2Fa&__err=one"
        );
        assert_eq!(only_last_error("/p"), "/p");
    }
}

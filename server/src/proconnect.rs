//! The ProConnect routes that are not pages (see `app::accounts::proconnect` for the whole
//! way): the start of a sign-in, ProConnect's redirect back, and the two steps of the
//! sign-out through ProConnect. Every failure is a redirect to `/connexion` with its message,
//! never a session.
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Duration;

use app::accounts::proconnect::store::{self, Known};
use app::accounts::proconnect::{self as pc, Failure};
use app::accounts::session;
use app::state::AppState;

/// Longest `state`, `code` or return path taken from a query (far above ProConnect's).
const LONGEST_VALUE: usize = 2048;

/// The first value of each parameter, or `None` for a query too long or malformed.
fn params(query: Option<&str>) -> std::collections::HashMap<String, String> {
    let mut found = std::collections::HashMap::new();
    for (key, value) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        if value.len() <= LONGEST_VALUE {
            found.entry(key.into_owned()).or_insert(value.into_owned());
        }
    }
    found
}

fn see_other(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    no_store(response)
}

fn no_store(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}

fn with_cookie(mut response: Response, cookie: &str) -> Response {
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// Back to the sign-in page with what went wrong; the binding cookie goes.
fn failed(state: &AppState, failure: Failure) -> Response {
    metrics::counter!("mip_sign_in_total", "step" => "proconnect", "outcome" => failure.code())
        .increment(1);
    with_cookie(
        see_other(&format!(
            "/connexion?{}={}",
            pc::OUTCOME_PARAM,
            failure.code()
        )),
        &store::set_cookie_value(state, "", Duration::zero()),
    )
}

fn not_configured() -> Response {
    (
        StatusCode::NOT_FOUND,
        "La connexion avec ProConnect n'est pas proposée sur ce site.",
    )
        .into_response()
}

/// `/connexion/proconnect`: to ProConnect, with a fresh `state`, `nonce` and PKCE challenge
/// kept here and bound to this browser.
pub async fn start(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let Some(proconnect) = state.proconnect.clone() else {
        return not_configured();
    };
    let query = params(query.as_deref());
    let return_path = query
        .get("retour")
        .and_then(|r| app::accounts::model::safe_return_path(r))
        .map(str::to_string);
    let started = match proconnect.start().await {
        Ok(started) => started,
        Err(failure) => return failed(&state, failure),
    };
    let now = state.clock.now();
    match store::save_flow(&state.pool, &started, return_path.as_deref(), now).await {
        Ok(browser) => with_cookie(
            see_other(&started.url),
            &store::set_cookie_value(&state, &browser, store::FLOW_LIFETIME),
        ),
        Err(error) => {
            tracing::error!(%error, "ProConnect : sauvegarde du parcours impossible");
            failed(&state, Failure::Unavailable)
        }
    }
}

/// `/connexion/proconnect/retour`: ProConnect's answer. The flow of this `state` and this
/// browser is taken (once), the code exchanged, the identity checked; then the account is
/// signed in, or the next step asked.
pub async fn callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    if state.proconnect.is_none() {
        return not_configured();
    }
    match identify(&state, &headers, query.as_deref()).await {
        Ok((identity, return_path)) => signed_in(&state, &headers, identity, return_path).await,
        Err(failure) => failed(&state, failure),
    }
}

async fn identify(
    state: &AppState,
    headers: &HeaderMap,
    query: Option<&str>,
) -> Result<(pc::Identity, Option<String>), Failure> {
    let proconnect = state.proconnect.clone().ok_or(Failure::Unavailable)?;
    let query = params(query);
    // No cookie matches no flow, but the flow of that `state` is spent all the same.
    let browser = session::cookie_in(headers, store::cookie_name(state)).unwrap_or_default();
    let given_state = query.get("state").ok_or(Failure::State)?;
    let now = state.clock.now();
    let flow = store::take_flow(&state.pool, given_state, &browser, now)
        .await
        .map_err(|_| Failure::Unavailable)?
        .ok_or(Failure::State)?;
    // RFC 9207: an answer that names another provider (a mix-up) is not this one's.
    if query
        .get("iss")
        .is_some_and(|iss| iss != proconnect.issuer())
    {
        return Err(Failure::Refused);
    }
    if let Some(error) = query.get("error") {
        return Err(if error == "access_denied" {
            Failure::Cancelled
        } else {
            Failure::Refused
        });
    }
    let code = query.get("code").ok_or(Failure::Refused)?;
    let identity = proconnect
        .finish(code, &flow.pkce_verifier, &flow.nonce)
        .await?;
    if app::checks::check_email(&identity.email).is_err() {
        return Err(Failure::Identity);
    }
    let mut identity = identity;
    if identity.name.is_empty() {
        identity.name = identity.email.clone();
    }
    identity.name = identity
        .name
        .chars()
        .filter(|c| !c.is_control())
        .take(app::checks::SHORT_TEXT_MAX)
        .collect();
    Ok((identity, flow.return_path))
}

async fn signed_in(
    state: &AppState,
    headers: &HeaderMap,
    identity: pc::Identity,
    return_path: Option<String>,
) -> Response {
    let now = state.clock.now();
    let known = match store::known(&state.pool, &identity).await {
        Ok(known) => known,
        Err(_) => return failed(state, Failure::Unavailable),
    };
    let next = match known {
        Known::Linked {
            account_id,
            role,
            disabled,
        } => {
            if disabled {
                return failed(state, Failure::Disabled);
            }
            return session_for(state, headers, account_id, &role, &identity, return_path).await;
        }
        Known::SameAddress => pc::LINK_PATH,
        Known::New => pc::COMPLETE_PATH,
    };
    match store::save_pending(&state.pool, &identity, return_path.as_deref(), now).await {
        Ok(token) => with_cookie(
            see_other(next),
            &store::set_cookie_value(state, &token, store::PENDING_LIFETIME),
        ),
        Err(_) => failed(state, Failure::Unavailable),
    }
}

/// Signs in a linked account (staff: the session waits for their second factor), ending
/// the session this browser had.
async fn session_for(
    state: &AppState,
    headers: &HeaderMap,
    account_id: i64,
    role: &str,
    identity: &pc::Identity,
    return_path: Option<String>,
) -> Response {
    let staff = role != "organizer";
    let old = session::cookie_in(headers, session::cookie_name(state));
    let created = session::create(
        state,
        account_id,
        staff,
        Some(&identity.id_token),
        old.as_deref(),
    )
    .await;
    let Ok((token, lasts)) = created else {
        return failed(state, Failure::Unavailable);
    };
    let target = return_path
        .as_deref()
        .and_then(app::accounts::model::safe_return_path)
        .unwrap_or(if staff {
            "/moderation"
        } else {
            "/organisateur"
        })
        .to_string();
    let location = if staff {
        let back: String = form_urlencoded::byte_serialize(target.as_bytes()).collect();
        format!("{}?retour={back}", app::accounts::model::SECOND_FACTOR_PATH)
    } else {
        target
    };
    metrics::counter!("mip_sign_in_total", "step" => "proconnect", "outcome" => "signed_in")
        .increment(1);
    let response = with_cookie(
        see_other(&location),
        &store::set_cookie_value(state, "", Duration::zero()),
    );
    with_cookie(
        response,
        &session::cookie_value(state, &token, lasts.num_seconds()),
    )
}

/// `/connexion/proconnect/fin`: after the site's sign-out, the way to ProConnect's
/// end-session endpoint (with the ID token as its hint). A page that goes on by itself
/// (`meta refresh`): a form posted here may not be redirected to another site.
pub async fn end(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let Some(proconnect) = state.proconnect.clone() else {
        return not_configured();
    };
    let query = params(query.as_deref());
    let now = state.clock.now();
    let id_token = match query.get("jeton") {
        Some(token) => store::take_logout(&state.pool, token, now)
            .await
            .ok()
            .flatten(),
        None => None,
    };
    let Some(id_token) = id_token else {
        return see_other("/");
    };
    let Some(url) = proconnect.end_session_url(&id_token).await else {
        return see_other(&format!(
            "/connexion?{}={}",
            pc::OUTCOME_PARAM,
            pc::SIGNED_OUT_CODE
        ));
    };
    let body = app::html!(
        "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta http-equiv=\"refresh\" content=\"0; url={href}\">\
         <title>Déconnexion de ProConnect</title></head><body>\
         <main><h1>Vous êtes déconnecté de la plateforme</h1>\
         <p>Fin de votre session ProConnect… \
         <a href=\"{href}\">Continuer vers ProConnect</a></p></main></body></html>",
        href = app::html::attr(&url),
    )
    .into_string();
    no_store(
        (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::REFERRER_POLICY, "no-referrer"),
            ],
            body,
        )
            .into_response(),
    )
}

/// `/connexion/proconnect/deconnecte`: ProConnect's way back after its own sign-out.
pub async fn signed_out(State(state): State<AppState>) -> Response {
    if state.proconnect.is_none() {
        return not_configured();
    }
    see_other(&format!(
        "/connexion?{}={}",
        pc::OUTCOME_PARAM,
        pc::SIGNED_OUT_CODE
    ))
}

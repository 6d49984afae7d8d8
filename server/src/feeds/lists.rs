//! The downloads of one event (`/evenements/{slug}/agenda.ics`) and of a visitor's list
//! (« Mon programme », `/mon-programme.ics?e=…`), any edition.
use super::ics::calendar;
use super::*;

/// The public rows of the given slugs (any edition; the first `BATCH`), in the order of
/// their start.
async fn rows_by_slugs(state: &AppState, slugs: &[String]) -> Result<Vec<FeedRow>, AppError> {
    let mut seen = std::collections::HashSet::new();
    let slugs: Vec<&str> = slugs
        .iter()
        .map(String::as_str)
        .filter(|s| seen.insert(*s))
        .take(BATCH)
        .collect();
    let mut connection = state.pool.acquire().await?;
    let mut rows = rows_of(&mut connection, &slugs).await?;
    rows.sort_by_key(|r| r.starts_at);
    Ok(rows)
}

fn ics_download(body: String, filename: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// `/evenements/{slug}/agenda.ics`: one event, to add to a calendar.
pub async fn event_ics(
    State(state): State<AppState>,
    axum::extract::Path(slug): axum::extract::Path<String>,
    headers: HeaderMap,
) -> Response {
    match rows_by_slugs(&state, std::slice::from_ref(&slug)).await {
        Ok(rows) if rows.is_empty() => error_response_to(
            &headers,
            AppError::NotFound("Cet événement n'existe pas ou n'est pas publié.".into()),
        ),
        Ok(rows) => ics_download(
            calendar(&state, &rows[0].title.clone(), &rows),
            &format!("{slug}.ics"),
        ),
        Err(error) => error_response_to(&headers, error),
    }
}

/// `/mon-programme.ics?e=slug&e=slug…`: the visitor's saved events, in one calendar.
pub async fn my_programme_ics(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let slugs: Vec<String> = form_urlencoded_pairs(query.as_deref().unwrap_or_default())
        .into_iter()
        .filter(|(k, _)| k == "e")
        .map(|(_, v)| v)
        .collect();
    if slugs.is_empty() {
        return error_response_to(
            &headers,
            AppError::field("e", "Aucun événement à exporter."),
        );
    }
    match rows_by_slugs(&state, &slugs).await {
        Ok(rows) => ics_download(
            calendar(
                &state,
                "Mon programme – Mois de l'innovation publique",
                &rows,
            ),
            "mon-programme.ics",
        ),
        Err(error) => error_response_to(&headers, error),
    }
}

pub(super) fn form_urlencoded_pairs(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

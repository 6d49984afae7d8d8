//! The compact catalogue the browser filters (`/api/v1/editions/{year}/catalogue.json`), and the
//! edition report's CSV.
use super::lists::form_urlencoded_pairs;
use super::*;
use app::admin::import::write_safe_record;

/// `/api/v1/editions/{year}/catalogue.json`: the compact catalogue the browser filters (the
/// programme page names it and hydrates with it, see `app::programme::shared`), revalidated by
/// ETag. Asked with `?v=` the current data version, the URL names that very content: it is
/// then cached for a year (`immutable`); with another version, or none, the current catalogue
/// is revalidated on each use. For offline use and for other clients of the programme.
pub async fn catalogue(
    State(state): State<AppState>,
    axum::extract::Path(year): axum::extract::Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let Ok(year) = year.parse::<i32>() else {
        return error_response_to(
            &headers,
            AppError::field("annee", "L'année doit être un nombre, par exemple 2026."),
        );
    };
    catalogue_of(&state, year, query.as_deref(), &headers).await
}

/// `/api/v1/catalogue.json`: the catalogue of the current edition (what `/programme` shows).
pub async fn current_catalogue(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    match app::editions::db::current_year(&state.pool).await {
        Ok(year) => catalogue_of(&state, year, query.as_deref(), &headers).await,
        Err(error) => error_response_to(&headers, error),
    }
}

async fn catalogue_of(
    state: &AppState,
    year: i32,
    query: Option<&str>,
    headers: &HeaderMap,
) -> Response {
    let mut asked_version = None;
    for (key, value) in form_urlencoded_pairs(query.unwrap_or_default()) {
        if key == "v" {
            match value.parse::<i64>() {
                Ok(version) => asked_version = Some(version),
                Err(_) => {
                    return error_response_to(
                        headers,
                        AppError::field("v", "La version du catalogue doit être un nombre entier."),
                    )
                }
            }
        }
    }
    let catalog = match state.catalogs.get(&state.pool, year).await {
        Ok(catalog) => catalog,
        Err(error) => return error_response_to(headers, error),
    };
    let immutable = asked_version == Some(catalog.version);
    let selection = Selection {
        catalog: catalog.clone(),
        filters: Filters::default(),
        matches: Vec::new(),
    };
    let etag = etag_of(&selection, "catalogue");
    if is_fresh(headers, &etag) {
        return with_cache_headers(StatusCode::NOT_MODIFIED.into_response(), &etag);
    }
    // Streamed: a 35,000-event catalogue (about 9 MB of JSON) is never held as one string.
    let body = crate::streamed::body(move |out| Ok(serde_json::to_writer(out, &*catalog)?));
    let mut response = with_cache_headers(
        (
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            body,
        )
            .into_response(),
        &etag,
    );
    if immutable {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    }
    response
}

/// The `Cache-Control` of a response whose URL names its content.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// `/editions/{year}/bilan.csv`: the edition report's figures.
pub async fn report_csv(
    State(state): State<AppState>,
    axum::extract::Path(year): axum::extract::Path<String>,
    headers: HeaderMap,
) -> Response {
    let Ok(year) = year.parse::<i32>() else {
        return error_response_to(
            &headers,
            AppError::field("annee", "L'année doit être un nombre, par exemple 2026."),
        );
    };
    let report = match app::editions::report::ssr::report(&state.pool, year).await {
        Ok(report) => report,
        Err(error) => return error_response_to(&headers, error),
    };
    let mut out = csv::Writer::from_writer(app::admin::import::BOM.as_bytes().to_vec());
    let written =
        write_safe_record(&mut out, ["dimension", "valeur", "evenements"]).and_then(|_| {
            report
                .csv_rows()
                .iter()
                .try_for_each(|row| write_safe_record(&mut out, row))
        });
    let bytes = match written
        .map_err(|e| e.to_string())
        .and_then(|_| out.into_inner().map_err(|e| e.to_string()))
    {
        Ok(bytes) => bytes,
        Err(error) => return error_response_to(&headers, AppError::internal("report csv", error)),
    };
    (
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/csv; charset=utf-8".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"bilan-{year}.csv\""),
            ),
            (
                axum::http::header::CACHE_CONTROL,
                "public, max-age=300".to_string(),
            ),
        ],
        bytes,
    )
        .into_response()
}

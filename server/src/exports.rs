//! Admin exports (admins only, from their session cookie): every event as CSV in the import
//! format, and everything as JSON (accounts without their password hashes).
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use app::error::AppError;
use app::reference::Role;
use app::state::AppState;

async fn require_admin(state: &AppState, headers: &HeaderMap) -> Result<(), AppError> {
    match app::accounts::session::account_for_headers(state, headers).await? {
        None => Err(AppError::Unauthenticated),
        Some(account) if account.role == Role::Admin => Ok(()),
        Some(_) => Err(AppError::Forbidden),
    }
}

use crate::router::error_response_to;

fn attachment(content_type: &'static str, name: &str, body: String) -> Response {
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

pub async fn events_csv(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Err(error) = require_admin(&state, &headers).await {
        return error_response_to(&headers, error);
    }
    match app::admin::import::export_csv(&state.pool, state.clock.now()).await {
        Ok(csv) => attachment("text/csv; charset=utf-8", "evenements.csv", csv),
        Err(error) => error_response_to(&headers, error),
    }
}

/// The example file of the import page: three events of the current edition, one per date
/// format, that import as they are.
pub async fn import_example_csv(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Err(error) = require_admin(&state, &headers).await {
        return error_response_to(&headers, error);
    }
    match app::admin::import::example_csv(&state.pool, state.clock.now()).await {
        Ok(csv) => attachment("text/csv; charset=utf-8", "exemple-import.csv", csv),
        Err(error) => error_response_to(&headers, error),
    }
}

/// The JSON arrays of the export, by name (in the order of their names, as before), each
/// row one JSON object made by SQLite.
const TABLES: [(&str, &str); 10] = [
    ("accounts", "SELECT json_object('id', id, 'email', email, 'name', name, 'structure', structure, 'organizer_type_id', organizer_type_id, 'region_code', region_code, 'role', role, 'email_confirmed_at', email_confirmed_at, 'disabled_at', disabled_at, 'created_at', created_at) FROM accounts ORDER BY id"),
    ("audiences", "SELECT json_object('id', id, 'slug', slug, 'label', label, 'position', position, 'retired', retired) FROM audiences ORDER BY position"),
    ("audit_log", "SELECT json_object('id', id, 'event_id', event_id, 'account_id', account_id, 'at', at, 'action', action, 'detail', detail) FROM audit_log ORDER BY id"),
    ("editions", "SELECT json_object('year', year, 'ordinal', ordinal, 'theme_of_year_id', theme_of_year_id, 'tagline', tagline, 'starts_on', starts_on, 'ends_on', ends_on, 'referencing_opens_on', referencing_opens_on, 'referencing_closes_on', referencing_closes_on, 'is_current', is_current) FROM editions ORDER BY year"),
    ("events", "SELECT json_object('id', e.id, 'edition_year', e.edition_year, 'organizer_id', e.organizer_id, 'slug', e.slug, 'title', e.title, 'summary', e.summary, 'description', e.description, 'format_id', e.format_id, 'mode', e.mode, 'audience_id', e.audience_id, 'structure_name', e.structure_name, 'organizer_type_id', e.organizer_type_id, 'lab_id', e.lab_id, 'region_code', e.region_code, 'department_code', e.department_code, 'city', e.city, 'venue_name', e.venue_name, 'venue_address', e.venue_address, 'postal_code', e.postal_code, 'online_url', e.online_url, 'starts_at', e.starts_at, 'ends_at', e.ends_at, 'time_zone', e.time_zone, 'out_of_period_reason', e.out_of_period_reason, 'registration_url', e.registration_url, 'capacity', e.capacity, 'contact_name', e.contact_name, 'contact_email', e.contact_email, 'accessibility', e.accessibility, 'status', e.status, 'moderation_note', e.moderation_note, 'version', e.version, 'themes', (SELECT json_group_array(theme_id) FROM event_themes WHERE event_id = e.id), 'created_at', e.created_at, 'updated_at', e.updated_at) FROM events e ORDER BY e.id"),
    ("formats", "SELECT json_object('id', id, 'slug', slug, 'label', label, 'position', position, 'retired', retired) FROM formats ORDER BY position"),
    ("lab_types", "SELECT json_object('id', id, 'slug', slug, 'label', label, 'position', position, 'retired', retired) FROM lab_types ORDER BY position"),
    ("labs", "SELECT json_object('id', id, 'slug', slug, 'name', name, 'host_structure', host_structure, 'lab_type_id', lab_type_id, 'region_code', region_code, 'city', city, 'latitude', latitude, 'longitude', longitude, 'website', website, 'description', description, 'created_year', created_year) FROM labs ORDER BY id"),
    ("organizer_types", "SELECT json_object('id', id, 'slug', slug, 'label', label, 'position', position, 'retired', retired) FROM organizer_types ORDER BY position"),
    ("themes", "SELECT json_object('id', id, 'slug', slug, 'label', label, 'position', position, 'retired', retired) FROM themes ORDER BY position"),
];

/// Everything as one JSON object, from one snapshot of the database (one read transaction).
/// SQLite writes each row's JSON, which is copied as is: no tree of values in between
/// (at 3,500 events, parsing and writing them again took most of the export's time).
async fn everything(pool: &sqlx::SqlitePool) -> Result<String, AppError> {
    let mut tx = pool.begin().await?;
    let mut out = String::from("{");
    for (i, (name, sql)) in TABLES.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!("\"{name}\":["));
        let rows: Vec<String> = sqlx::query_scalar(*sql).fetch_all(&mut *tx).await?;
        for (j, row) in rows.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            out.push_str(row);
        }
        out.push(']');
    }
    out.push('}');
    tx.rollback().await?;
    Ok(out)
}

pub async fn everything_json(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Err(error) = require_admin(&state, &headers).await {
        return error_response_to(&headers, error);
    }
    let result = everything(&state.pool).await;
    match result {
        Ok(value) => attachment(
            "application/json; charset=utf-8",
            "mois-innovation-publique.json",
            value,
        ),
        Err(error) => error_response_to(&headers, error),
    }
}

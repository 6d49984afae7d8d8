//! The open data: `/api/v1/events.json` and `.csv`, streamed `BATCH` rows at a time (schema:
//! docs/api.md, docs/api/events.schema.json).
use super::*;
use app::admin::import::write_safe_record;
use app::events::tz;
use app::time::timestamp;
use serde::Serialize;

/// One event of the open data (JSON and CSV). Field names are the stable schema.
#[derive(Debug, Serialize)]
pub struct OpenEvent {
    pub slug: String,
    pub url: String,
    pub title: String,
    pub summary: String,
    pub description: String,
    pub status: String,
    pub start: String,
    pub end: String,
    pub start_utc: String,
    pub end_utc: String,
    pub time_zone: String,
    pub mode: String,
    pub format: String,
    pub themes: Vec<String>,
    pub audience: String,
    pub organizer: String,
    pub organizer_type: String,
    pub region_code: String,
    pub region: String,
    pub department_code: Option<String>,
    pub city: Option<String>,
    pub venue_name: Option<String>,
    pub venue_address: Option<String>,
    pub postal_code: Option<String>,
    pub online_url: Option<String>,
    pub registration_url: Option<String>,
    pub accessibility: String,
    pub version: i64,
    pub updated_at: String,
}

fn open_event(state: &AppState, r: &FeedRow) -> OpenEvent {
    OpenEvent {
        slug: r.slug.clone(),
        url: event_url(state, &r.slug),
        title: r.title.clone(),
        summary: r.summary.clone(),
        description: r.description.clone(),
        status: r.status.clone(),
        start: tz::local_rfc3339(r.starts_at, &r.time_zone),
        end: tz::local_rfc3339(r.ends_at, &r.time_zone),
        start_utc: timestamp(r.starts_at),
        end_utc: timestamp(r.ends_at),
        time_zone: r.time_zone.clone(),
        mode: r.mode.clone(),
        format: r.format.clone(),
        themes: r.themes(),
        audience: r.audience.clone(),
        organizer: r.structure_name.clone(),
        organizer_type: r.organizer_type.clone(),
        region_code: r.region_code.clone(),
        region: r.region.clone(),
        department_code: r.department_code.clone(),
        city: r.city.clone(),
        venue_name: r.venue_name.clone(),
        venue_address: r.venue_address.clone(),
        postal_code: r.postal_code.clone(),
        online_url: r.online_url.clone(),
        registration_url: r.registration_url.clone(),
        accessibility: r.accessibility.clone(),
        version: r.version,
        updated_at: timestamp(r.updated_at),
    }
}

/// `/api/v1/events.json`: `{"schema", "edition", "filters", "events": [...], "count"}`, the
/// count last because the events are written as they are read (an event unpublished while
/// the feed is written is neither listed nor counted).
pub async fn json(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    streamed_feed(
        state,
        query,
        &headers,
        "json",
        "application/json; charset=utf-8",
        write_json,
    )
    .await
}

fn write_json(
    out: &mut dyn std::io::Write,
    state: &AppState,
    selection: &Selection,
) -> std::io::Result<()> {
    write!(
        out,
        "{{\"schema\":\"mip-events/1\",\"edition\":{},\"filters\":",
        selection.catalog.year
    )?;
    serde_json::to_writer(&mut *out, &selection.filters.to_query())?;
    out.write_all(b",\"events\":[")?;
    let mut first = true;
    let count = selection.for_each_row(state, |row| {
        if !first {
            out.write_all(b",")?;
        }
        first = false;
        Ok(serde_json::to_writer(&mut *out, &open_event(state, row))?)
    })?;
    write!(out, "],\"count\":{count}}}")
}

/// A feed written as it is read, on a blocking thread (`write`), in 64 kB chunks: a
/// 35,000-event edition's 59 MB of JSON is never held whole, nor its rows (the page cache
/// compresses the body as it comes). A 304 when the client has this version.
async fn streamed_feed(
    state: AppState,
    query: Option<String>,
    headers: &HeaderMap,
    kind: &str,
    content_type: &'static str,
    write: fn(&mut dyn std::io::Write, &AppState, &Selection) -> std::io::Result<()>,
) -> Response {
    let selection = match select(&state, query.as_deref()).await {
        Ok(selection) => selection,
        Err(error) => return error_response_to(headers, error),
    };
    let etag = etag_of(&selection, kind);
    if is_fresh(headers, &etag) {
        return with_cache_headers(StatusCode::NOT_MODIFIED.into_response(), &etag);
    }
    let body = crate::streamed::body(move |out| write(out, &state, &selection));
    let response = ([(header::CONTENT_TYPE, content_type)], body).into_response();
    with_cache_headers(response, &etag)
}

/// CSV columns, in order (the JSON fields, themes joined with « ; »).
pub const CSV_COLUMNS: [&str; 29] = [
    "slug",
    "url",
    "title",
    "summary",
    "description",
    "status",
    "start",
    "end",
    "start_utc",
    "end_utc",
    "time_zone",
    "mode",
    "format",
    "themes",
    "audience",
    "organizer",
    "organizer_type",
    "region_code",
    "region",
    "department_code",
    "city",
    "venue_name",
    "venue_address",
    "postal_code",
    "online_url",
    "registration_url",
    "accessibility",
    "version",
    "updated_at",
];

pub async fn csv(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    streamed_feed(
        state,
        query,
        &headers,
        "csv",
        "text/csv; charset=utf-8",
        write_csv,
    )
    .await
}

fn write_csv(
    out: &mut dyn std::io::Write,
    state: &AppState,
    selection: &Selection,
) -> std::io::Result<()> {
    let mut out = csv::Writer::from_writer(out);
    write_safe_record(&mut out, CSV_COLUMNS)?;
    selection.for_each_row(state, |row| {
        let e = open_event(state, row);
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        Ok(write_safe_record(
            &mut out,
            [
                e.slug,
                e.url,
                e.title,
                e.summary,
                e.description,
                e.status,
                e.start,
                e.end,
                e.start_utc,
                e.end_utc,
                e.time_zone,
                e.mode,
                e.format,
                e.themes.join(" ; "),
                e.audience,
                e.organizer,
                e.organizer_type,
                e.region_code,
                e.region,
                opt(&e.department_code),
                opt(&e.city),
                opt(&e.venue_name),
                opt(&e.venue_address),
                opt(&e.postal_code),
                opt(&e.online_url),
                opt(&e.registration_url),
                e.accessibility,
                e.version.to_string(),
                e.updated_at,
            ],
        )?)
    })?;
    out.flush()
}

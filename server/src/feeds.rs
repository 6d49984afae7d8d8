//! Feeds that follow the programme's filters: iCalendar (subscribable), RSS, and open data as
//! JSON and CSV. The selection is the filter engine's (the same as the page); the rows are
//! then completed from the database. Schema: docs/api.md.
use std::collections::HashMap;

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::FromRow;

use app::admin::import::write_safe_record;
use app::error::AppError;
use app::events::tz;
use app::programme::catalog::Catalog;
use app::programme::engine;
use app::programme::filters::Filters;
use app::state::AppState;
use app::time::timestamp;

use crate::router::error_response_to;

/// Everything public about an event, as the feeds publish it.
#[derive(Debug, Clone, FromRow)]
pub struct FeedRow {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub description: String,
    pub status: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_zone: String,
    /// Known by its dates only: a whole-day entry (`DTSTART;VALUE=DATE`) in calendars.
    pub all_day: bool,
    pub mode: String,
    pub format: String,
    pub audience: String,
    pub structure_name: String,
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
    pub themes: Option<String>,
    pub version: i64,
    pub published_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

/// Text as every feed writes it (RSS, iCalendar, JSON, CSV): line breaks as `\n` (CRLF
/// and a bare CR included, before icalendar escapes them) and no other control character
/// (XML 1.0 forbids C0 characters but TAB and line breaks: a NUL would make the whole RSS
/// unreadable), nor U+FFFE and U+FFFF (no XML characters either). A field of one line
/// (`multiline` false) gets its line breaks and TABs as spaces.
pub fn feed_text(text: &str, multiline: bool) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .filter_map(|c| match c {
            '\n' | '\t' if multiline => Some(c),
            '\n' | '\t' | '\r' if !multiline => Some(' '),
            '\r' => Some('\n'),
            '\u{fffe}' | '\u{ffff}' => None,
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// `feed_text` in place, allocating only for a text that changes.
fn clean(text: &mut String, multiline: bool) {
    let changes = |c: char| {
        (c.is_control() && !(multiline && (c == '\n' || c == '\t')))
            || c == '\u{fffe}'
            || c == '\u{ffff}'
    };
    if text.chars().any(changes) {
        *text = feed_text(text, multiline);
    }
}

impl FeedRow {
    /// The row with every text through `feed_text`: what all the feeds are written from.
    fn cleaned(mut self) -> Self {
        for text in [
            &mut self.summary,
            &mut self.description,
            &mut self.accessibility,
        ] {
            clean(text, true);
        }
        for text in [
            &mut self.slug,
            &mut self.title,
            &mut self.time_zone,
            &mut self.mode,
            &mut self.format,
            &mut self.audience,
            &mut self.structure_name,
            &mut self.organizer_type,
            &mut self.region_code,
            &mut self.region,
        ] {
            clean(text, false);
        }
        for text in [
            &mut self.themes,
            &mut self.department_code,
            &mut self.city,
            &mut self.venue_name,
            &mut self.venue_address,
            &mut self.postal_code,
            &mut self.online_url,
            &mut self.registration_url,
        ]
        .into_iter()
        .flatten()
        {
            clean(text, false);
        }
        self
    }

    fn themes(&self) -> Vec<String> {
        self.themes
            .as_deref()
            .map(|t| t.split('|').map(str::to_string).collect())
            .unwrap_or_default()
    }

    fn location(&self) -> String {
        let place = [
            self.venue_name.clone(),
            self.venue_address.clone(),
            match (&self.postal_code, &self.city) {
                (Some(p), Some(c)) => Some(format!("{p} {c}")),
                (None, Some(c)) => Some(c.clone()),
                _ => None,
            },
        ]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
        if place.is_empty() {
            self.online_url
                .clone()
                .unwrap_or_else(|| "En ligne".to_string())
        } else {
            place
        }
    }
}

/// The selection: current edition, filters from the query string, in programme order. It
/// holds the matched events' places in the catalogue; their rows are read from the database
/// when a feed is written, `BATCH` at a time.
pub struct Selection {
    pub catalog: std::sync::Arc<Catalog>,
    pub filters: Filters,
    /// Indexes into `catalog.events`, in programme order.
    pub matches: Vec<usize>,
}

/// Rows read per query: a feed of a 35,000-event edition never holds its 35,000 rows (about
/// 60 MB) at once, and a query binds at most this many parameters.
const BATCH: usize = 500;

/// The columns of a `FeedRow`, as a macro so queries stay `&'static str`.
macro_rules! FEED_SELECT {
    () => {
        "SELECT e.slug, e.title, e.summary, e.description, e.status, e.starts_at, e.ends_at, \
            e.time_zone, e.all_day, e.mode, f.label AS format, coalesce(a.label, '') AS audience, e.structure_name, \
            ot.label AS organizer_type, e.region_code, r.name AS region, e.department_code, \
            e.city, e.venue_name, e.venue_address, e.postal_code, e.online_url, \
            e.registration_url, e.accessibility, \
            (SELECT group_concat(label, '|') FROM (SELECT t.label FROM event_themes et \
                JOIN themes t ON t.id = et.theme_id WHERE et.event_id = e.id ORDER BY t.position)) AS themes, \
            e.version, e.published_at, e.updated_at \
         FROM events e JOIN formats f ON f.id = e.format_id LEFT JOIN audiences a ON a.id = e.audience_id \
         JOIN organizer_types ot ON ot.id = e.organizer_type_id JOIN regions r ON r.code = e.region_code"
    };
}

/// The public rows of these slugs (at most `BATCH`), in the order of the slugs; a slug that
/// is not (or no longer) public is left out.
async fn rows_of(
    connection: &mut sqlx::SqliteConnection,
    slugs: &[&str],
) -> Result<Vec<FeedRow>, sqlx::Error> {
    debug_assert!(slugs.len() <= BATCH);
    if slugs.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "{} WHERE (e.status = 'published' OR (e.status = 'cancelled' AND e.published_at IS NOT NULL)) AND e.slug IN ({})",
        FEED_SELECT!(),
        vec!["?"; slugs.len()].join(", ")
    );
    let mut query = sqlx::query_as::<_, FeedRow>(sqlx::AssertSqlSafe(sql));
    for slug in slugs {
        query = query.bind(*slug);
    }
    let mut by_slug: HashMap<String, FeedRow> = query
        .fetch_all(&mut *connection)
        .await?
        .into_iter()
        .map(|r| (r.slug.clone(), r.cleaned()))
        .collect();
    Ok(slugs.iter().filter_map(|s| by_slug.remove(*s)).collect())
}

impl Selection {
    fn slugs(&self, batch: &[usize]) -> Vec<&str> {
        batch
            .iter()
            .map(|i| self.catalog.events[*i].slug.as_str())
            .collect()
    }

    /// Every matched row, in programme order, from one snapshot of the database (for the feeds
    /// built whole: iCalendar, RSS).
    async fn rows(&self, state: &AppState) -> Result<Vec<FeedRow>, AppError> {
        let mut snapshot = state.pool.begin().await?;
        let mut rows = Vec::with_capacity(self.matches.len());
        for batch in self.matches.chunks(BATCH) {
            rows.extend(rows_of(&mut snapshot, &self.slugs(batch)).await?);
        }
        Ok(rows)
    }

    /// Calls `each` with every matched row, in programme order, reading them `BATCH` at a time
    /// from one snapshot of the database; returns how many there were. Blocks: for a blocking
    /// thread of the runtime (`spawn_blocking`), where a feed is written.
    fn for_each_row(
        &self,
        state: &AppState,
        mut each: impl FnMut(&FeedRow) -> std::io::Result<()>,
    ) -> std::io::Result<usize> {
        let runtime = tokio::runtime::Handle::current();
        let mut snapshot = runtime
            .block_on(state.pool.begin())
            .map_err(std::io::Error::other)?;
        let mut count = 0;
        for batch in self.matches.chunks(BATCH) {
            let rows = runtime
                .block_on(rows_of(&mut snapshot, &self.slugs(batch)))
                .map_err(std::io::Error::other)?;
            for row in &rows {
                each(row)?;
            }
            count += rows.len();
        }
        Ok(count)
    }
}

pub async fn select(state: &AppState, query: Option<&str>) -> Result<Selection, AppError> {
    let year = app::editions::db::current_year(&state.pool).await?;
    let catalog = state.catalogs.get(&state.pool, year).await?;
    let filters = Filters::from_query(query.unwrap_or_default());
    // Folding every event's text is only needed for a free text.
    let haystacks = if engine::needs_haystacks(&filters) {
        catalog.haystacks()
    } else {
        Vec::new()
    };
    let outcome = engine::run(
        &catalog,
        &haystacks,
        &filters,
        state.clock.now().timestamp(),
    );
    Ok(Selection {
        catalog,
        filters,
        matches: outcome.matches,
    })
}

/// Answers 304 when the client already has this version; otherwise the body with its ETag.
/// Public and cacheable for five minutes; revalidation is cheap.
async fn cached(
    request_headers: &HeaderMap,
    selection: &Selection,
    kind: &str,
    content_type: &'static str,
    body: impl std::future::Future<Output = Result<String, AppError>>,
) -> Response {
    let etag = etag_of(selection, kind);
    let response = if is_fresh(request_headers, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        match body.await {
            Ok(body) => ([(header::CONTENT_TYPE, content_type)], body).into_response(),
            Err(error) => return error_response_to(request_headers, error),
        }
    };
    with_cache_headers(response, &etag)
}

/// The ETag of a feed: its kind, the data version and the filters.
fn etag_of(selection: &Selection, kind: &str) -> String {
    format!(
        "\"{kind}-{}-{:x}\"",
        selection.catalog.version,
        crate::page_cache::fnv1a(selection.filters.to_query().as_bytes())
    )
}

/// The client already has this version.
fn is_fresh(request_headers: &HeaderMap, etag: &str) -> bool {
    request_headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag))
}

fn with_cache_headers(mut response: Response, etag: &str) -> Response {
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(etag) {
        headers.insert(header::ETAG, value);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    response
}

fn event_url(state: &AppState, slug: &str) -> String {
    format!("{}/evenements/{slug}", state.public_url)
}

// ---------------------------------------------------------------- JSON

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

// ---------------------------------------------------------------- iCalendar

pub fn calendar(state: &AppState, name: &str, rows: &[FeedRow]) -> String {
    use icalendar::{Calendar, Component, Event, EventLike, EventStatus};
    let mut cal = Calendar::new();
    cal.name(name);
    cal.append_property(icalendar::Property::new("X-WR-TIMEZONE", "Europe/Paris"));
    cal.append_property(icalendar::Property::new(
        "REFRESH-INTERVAL;VALUE=DURATION",
        "PT6H",
    ));
    for r in rows {
        let url = event_url(state, &r.slug);
        let mut event = Event::new();
        if r.all_day {
            // Whole days at the venue: DTEND is the day after the last (RFC 5545, 3.6.1).
            event
                .starts(tz::local(r.starts_at, &r.time_zone).date())
                .ends(tz::local(r.ends_at, &r.time_zone).date());
        } else {
            event.starts(r.starts_at).ends(r.ends_at);
        }
        event
            .uid(&format!("{}@mois-innovation-publique", r.slug))
            .summary(&r.title)
            .description(&format!("{}\n\n{}\n{url}", r.summary, r.structure_name))
            .timestamp(r.updated_at)
            .sequence(u32::try_from(r.version).unwrap_or(0))
            .location(&r.location())
            .url(&url)
            .status(if r.status == "cancelled" {
                EventStatus::Cancelled
            } else {
                EventStatus::Confirmed
            });
        cal.push(event.done());
    }
    refold(&cal.done().to_string())
}

/// RFC 5545 §3.1: content lines are folded so that none exceeds 75 octets, not counting the
/// line break; a continuation line starts with one space. icalendar 0.17 folds at 75
/// characters and lets continuation lines reach 76 octets, so the text is unfolded and folded
/// again here, on character boundaries.
pub fn refold(ics: &str) -> String {
    let unfolded = ics.replace("\r\n ", "").replace("\n ", "");
    let mut out = String::with_capacity(unfolded.len() + unfolded.len() / 60);
    for line in unfolded.split("\r\n").filter(|l| !l.is_empty()) {
        let mut budget = 75;
        let mut used = 0;
        for c in line.chars() {
            if used + c.len_utf8() > budget {
                out.push_str("\r\n ");
                budget = 74;
                used = 0;
            }
            out.push(c);
            used += c.len_utf8();
        }
        out.push_str("\r\n");
    }
    out
}

pub async fn ics(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    match select(&state, query.as_deref()).await {
        Ok(selection) => {
            cached(
                &headers,
                &selection,
                "ics",
                "text/calendar; charset=utf-8",
                async {
                    let rows = selection.rows(&state).await?;
                    let name = format!("Mois de l'innovation publique {}", selection.catalog.year);
                    Ok(calendar(&state, &name, &rows))
                },
            )
            .await
        }
        Err(error) => error_response_to(&headers, error),
    }
}

// ---------------------------------------------------------------- RSS

/// Feed readers render an item's description as HTML: the text is written escaped, so that
/// an organizer's `<script>` or `<svg onload>` is shown as text, never run.
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub async fn rss(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    match select(&state, query.as_deref()).await {
        Ok(selection) => {
            cached(
                &headers,
                &selection,
                "rss",
                "application/rss+xml; charset=utf-8",
                async {
                    let rows = selection.rows(&state).await?;
                    let items: Vec<rss::Item> = rows
                        .iter()
                        .map(|r| {
                            let url = event_url(&state, &r.slug);
                            let local = tz::local(r.starts_at, &r.time_zone);
                            let cancelled = if r.status == "cancelled" {
                                "[Annulé] "
                            } else {
                                ""
                            };
                            rss::ItemBuilder::default()
                                .title(Some(format!("{cancelled}{}", r.title)))
                                .link(Some(url.clone()))
                                .guid(Some(
                                    rss::GuidBuilder::default()
                                        .value(url)
                                        .permalink(true)
                                        .build(),
                                ))
                                .description(Some(escape_html(&format!(
                                    "{} — {} — {}",
                                    app::fr::date_time(local),
                                    r.location(),
                                    r.summary
                                ))))
                                .categories(
                                    r.themes()
                                        .into_iter()
                                        .map(|t| rss::CategoryBuilder::default().name(t).build())
                                        .collect::<Vec<_>>(),
                                )
                                .pub_date(r.published_at.map(|p| p.to_rfc2822()))
                                .build()
                        })
                        .collect();
                    let filters = selection.filters.to_query();
                    let channel = rss::ChannelBuilder::default()
                        .title(format!(
                            "Mois de l'innovation publique {}",
                            selection.catalog.year
                        ))
                        .link(format!(
                            "{}{}",
                            state.public_url,
                            selection.filters.href("/programme")
                        ))
                        .description(if filters.is_empty() {
                            "Tous les événements du programme".to_string()
                        } else {
                            feed_text(&format!("Événements du programme ({filters})"), false)
                        })
                        .language(Some("fr-FR".to_string()))
                        .items(items)
                        .build();
                    Ok(channel.to_string())
                },
            )
            .await
        }
        Err(error) => error_response_to(&headers, error),
    }
}

// ---------------------------------------------------------------- one event, a list of events

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

fn form_urlencoded_pairs(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

// ---------------------------------------------------------------- the catalogue

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

#[cfg(test)]
mod tests {
    use super::{escape_html, feed_text, refold};

    #[test]
    fn feed_text_drops_control_characters_and_normalises_line_breaks() {
        assert_eq!(
            feed_text("a\0b\u{1}c\u{1b}d\u{7f}e\u{85}f\u{fffe}\u{ffff}", true),
            "abcdef"
        );
        assert_eq!(
            feed_text("un\r\ndeux\rtrois\nquatre\tcinq", true),
            "un\ndeux\ntrois\nquatre\tcinq"
        );
        assert_eq!(
            feed_text("Titre\r\nsuite\rfin\t!", false),
            "Titre suite fin !"
        );
        assert_eq!(
            feed_text("Réunion – « atelier » 🎉", false),
            "Réunion – « atelier » 🎉"
        );
    }

    #[test]
    fn rss_descriptions_are_escaped_html() {
        assert_eq!(
            escape_html("<script>alert('x')</script> & <svg onload=\"y\">"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;svg onload=&quot;y&quot;&gt;"
        );
    }

    #[test]
    fn folded_lines_never_exceed_75_octets() {
        let long = format!(
            "BEGIN:VCALENDAR\r\nDESCRIPTION:{}\r\nEND:VCALENDAR\r\n",
            "é – Réunion ".repeat(40)
        );
        let folded = refold(&long);
        for line in folded.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        // Unfolding gives the original back.
        assert_eq!(folded.replace("\r\n ", ""), long);
    }
}

//! Feeds that follow the programme's filters: iCalendar (subscribable), RSS, and open data as
//! JSON and CSV, plus the downloads of one event or a list, and the catalogue. The selection is
//! the filter engine's (the same as the page); the rows are then completed from the database
//! (`app::events::feed`). Schema: docs/api.md. Here: the selection and the HTTP caching that
//! every feed shares; each format in its own file.
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use app::error::AppError;
use app::events::feed::{rows_of, FeedRow, BATCH};
use app::programme::catalog::Catalog;
use app::programme::engine;
use app::programme::filters::Filters;
use app::state::AppState;

use crate::router::error_response_to;

mod catalogue;
mod ics;
mod lists;
mod open_data;
mod rss_feed;

pub use catalogue::{catalogue, current_catalogue, report_csv};
pub use ics::ics;
pub use lists::{event_ics, my_programme_ics};
pub use open_data::{csv, json, CSV_COLUMNS};
pub use rss_feed::rss;

/// The selection: current edition, filters from the query string, in programme order. It
/// holds the matched events' places in the catalogue; their rows are read from the database
/// when a feed is written, `BATCH` at a time.
pub struct Selection {
    pub catalog: std::sync::Arc<Catalog>,
    pub filters: Filters,
    /// Indexes into `catalog.events`, in programme order.
    pub matches: Vec<usize>,
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

#[cfg(test)]
mod tests {
    use super::ics::refold;
    use super::rss_feed::escape_html;
    use app::events::feed::feed_text;

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

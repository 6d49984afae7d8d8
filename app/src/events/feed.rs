//! What the feeds publish of an event (server only): its public row, its text made safe for
//! every format, and the read of the rows by slug, beside the other event reads (`db`). The
//! formats themselves (iCalendar, RSS, JSON, CSV) are the server's `feeds`.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::FromRow;

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

    pub fn themes(&self) -> Vec<String> {
        self.themes
            .as_deref()
            .map(|t| t.split('|').map(str::to_string).collect())
            .unwrap_or_default()
    }

    pub fn location(&self) -> String {
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

/// Rows read per query: a feed of a 35,000-event edition never holds its 35,000 rows (about
/// 60 MB) at once, and a query binds at most this many parameters.
pub const BATCH: usize = 500;

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
pub async fn rows_of(
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

//! Event queries (server only). Rows are converted to wire types here, in one place.
use chrono::{DateTime, Utc};
use sqlx::{FromRow, SqliteExecutor};

use super::model::{EventCard, EventDetail};
use super::tz;
use crate::error::AppError;
use crate::reference::{EventStatus, Mode, PARIS_TZ};

/// Columns of a card; `e` is events, joined to formats, regions and the themes' labels.
/// Macros rather than consts so that queries stay `&'static str` (see sqlx's `SqlSafeStr`).
macro_rules! card_columns {
    () => {
        "e.slug, e.title, e.summary, e.starts_at, e.ends_at, e.time_zone, e.all_day, \
    e.out_of_period_reason, \
    f.label AS format, e.mode, r.name AS region, e.city, e.structure_name, e.status, \
    (SELECT group_concat(label, '|') FROM (SELECT t.label FROM event_themes et \
        JOIN themes t ON t.id = et.theme_id WHERE et.event_id = e.id ORDER BY t.position)) AS themes"
    };
}

macro_rules! card_joins {
    () => {
        " FROM events e JOIN formats f ON f.id = e.format_id \
          JOIN regions r ON r.code = e.region_code "
    };
}

#[derive(FromRow)]
struct CardRow {
    slug: String,
    title: String,
    summary: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    time_zone: String,
    all_day: bool,
    out_of_period_reason: Option<String>,
    format: String,
    mode: String,
    region: String,
    city: Option<String>,
    structure_name: String,
    status: String,
    themes: Option<String>,
}

impl CardRow {
    fn into_card(self) -> Result<EventCard, AppError> {
        let mode = Mode::parse(&self.mode).ok_or_else(|| {
            AppError::internal("event row", format!("unknown mode {}", self.mode))
        })?;
        let status = EventStatus::parse(&self.status).ok_or_else(|| {
            AppError::internal("event row", format!("unknown status {}", self.status))
        })?;
        Ok(EventCard {
            starts_local: tz::local(self.starts_at, &self.time_zone),
            ends_local: tz::local(self.ends_at, &self.time_zone),
            slug: self.slug,
            title: self.title,
            summary: self.summary,
            time_zone: self.time_zone,
            format: self.format,
            mode,
            region: self.region,
            city: self.city.filter(|c| !c.is_empty()),
            structure: self.structure_name,
            themes: self
                .themes
                .map(|t| t.split('|').map(str::to_string).collect())
                .unwrap_or_default(),
            status,
            all_day: self.all_day,
            out_of_period_reason: self.out_of_period_reason.filter(|r| !r.is_empty()),
        })
    }
}

/// The next published events of an edition from `now`; the first ones of the edition when
/// fewer are still to come (an edition that is over still shows highlights).
pub async fn highlights(
    db: impl SqliteExecutor<'_> + Copy,
    year: i32,
    now: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<EventCard>, AppError> {
    let sql = concat!(
        "SELECT ",
        card_columns!(),
        card_joins!(),
        "WHERE e.edition_year = ? AND e.status = 'published' \
         ORDER BY (e.starts_at < ?) ASC, e.starts_at ASC, e.id ASC LIMIT ?"
    );
    let rows = sqlx::query_as::<_, CardRow>(sql)
        .bind(year)
        .bind(crate::time::timestamp(now))
        .bind(limit)
        .fetch_all(db)
        .await?;
    rows.into_iter().map(CardRow::into_card).collect()
}

/// Public events linked to a lab, every edition, newest first.
pub async fn by_lab(
    db: impl SqliteExecutor<'_>,
    lab_id: i64,
) -> Result<Vec<(i32, EventCard)>, AppError> {
    #[derive(FromRow)]
    struct Row {
        edition_year: i64,
        #[sqlx(flatten)]
        card: CardRow,
    }
    let sql = concat!(
        "SELECT e.edition_year, ",
        card_columns!(),
        card_joins!(),
        "WHERE e.lab_id = ? AND (e.status = 'published' OR (e.status = 'cancelled' AND e.published_at IS NOT NULL)) \
         ORDER BY e.edition_year DESC, e.starts_at ASC"
    );
    let rows = sqlx::query_as::<_, Row>(sql)
        .bind(lab_id)
        .fetch_all(db)
        .await?;
    rows.into_iter()
        .map(|r| Ok((r.edition_year as i32, r.card.into_card()?)))
        .collect()
}

/// An event's page as read, one column per field (`sqlx::query_as!` fills it by name).
struct DetailRow {
    slug: String,
    title: String,
    summary: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    time_zone: String,
    all_day: bool,
    out_of_period_reason: Option<String>,
    format: String,
    mode: String,
    region: String,
    city: Option<String>,
    structure_name: String,
    status: String,
    themes: Option<String>,
    description: String,
    audience: String,
    organizer_type: String,
    region_code: String,
    department: Option<String>,
    venue_name: Option<String>,
    venue_address: Option<String>,
    postal_code: Option<String>,
    online_url: Option<String>,
    registration_url: Option<String>,
    capacity: Option<i64>,
    contact_name: Option<String>,
    contact_email: Option<String>,
    accessibility: String,
    edition_year: i64,
    lab: Option<String>,
}

/// The event page's read, checked at compile time against the schema (`.sqlx/`,
/// `scripts/sqlx-prepare.sh`): the card's columns (as `card_columns!`) and the page's, for the
/// events matching `$where` with its one value.
macro_rules! detail_query {
    ($where:literal, $value:expr) => {
        sqlx::query_as!(
            DetailRow,
            r#"SELECT e.slug, e.title, e.summary,
                e.starts_at AS "starts_at: DateTime<Utc>", e.ends_at AS "ends_at: DateTime<Utc>",
                e.time_zone, e.all_day AS "all_day: bool", e.out_of_period_reason,
                f.label AS format, e.mode, r.name AS region, e.city, e.structure_name, e.status,
                (SELECT group_concat(label, '|') FROM (SELECT t.label FROM event_themes et
                    JOIN themes t ON t.id = et.theme_id WHERE et.event_id = e.id
                    ORDER BY t.position)) AS "themes: String",
                e.description, coalesce(a.label, '') AS "audience!: String",
                ot.label AS organizer_type, e.region_code, d.name AS "department: String",
                e.venue_name, e.venue_address, e.postal_code, e.online_url, e.registration_url,
                e.capacity, e.contact_name, e.contact_email, e.accessibility, e.edition_year,
                l.name AS "lab: String"
            FROM events e JOIN formats f ON f.id = e.format_id
            JOIN regions r ON r.code = e.region_code
            LEFT JOIN audiences a ON a.id = e.audience_id
            JOIN organizer_types ot ON ot.id = e.organizer_type_id
            LEFT JOIN departments d ON d.code = e.department_code
            LEFT JOIN labs l ON l.id = e.lab_id
            WHERE "# + $where,
            $value
        )
    };
}

/// A public (published or cancelled) event by its slug.
pub async fn public_by_slug(
    db: impl SqliteExecutor<'_>,
    slug: &str,
    public_url: &str,
) -> Result<Option<EventDetail>, AppError> {
    let row = detail_query!(
        "e.slug = ? AND (e.status = 'published' OR (e.status = 'cancelled' AND e.published_at IS NOT NULL))",
        slug
    )
    .fetch_optional(db)
    .await?;
    let now = crate::state::now().ok();
    row.map(|row| detail(row, public_url, now)).transpose()
}

/// Any event by id, whatever its status (moderation shows it as the public will see it).
pub async fn detail_by_id(
    db: impl SqliteExecutor<'_>,
    id: i64,
    public_url: &str,
) -> Result<Option<EventDetail>, AppError> {
    let row = detail_query!("e.id = ?", id).fetch_optional(db).await?;
    let now = crate::state::now().ok();
    row.map(|row| detail(row, public_url, now)).transpose()
}

/// `now`: the app's clock (`state.clock`), to tell a finished event (`None`: not finished).
fn detail(
    row: DetailRow,
    public_url: &str,
    now: Option<DateTime<Utc>>,
) -> Result<EventDetail, AppError> {
    let ended = has_ended(row.ends_at, now);
    let starts_paris = (row.time_zone != PARIS_TZ).then(|| tz::local(row.starts_at, PARIS_TZ));
    let start_iso = tz::local_rfc3339(row.starts_at, &row.time_zone);
    let end_iso = tz::local_rfc3339(row.ends_at, &row.time_zone);
    let url = format!("{public_url}/evenements/{}", row.slug);
    let card = CardRow {
        slug: row.slug,
        title: row.title,
        summary: row.summary,
        starts_at: row.starts_at,
        ends_at: row.ends_at,
        time_zone: row.time_zone,
        all_day: row.all_day,
        out_of_period_reason: row.out_of_period_reason,
        format: row.format,
        mode: row.mode,
        region: row.region,
        city: row.city,
        structure_name: row.structure_name,
        status: row.status,
        themes: row.themes,
    };
    Ok(EventDetail {
        card: card.into_card()?,
        description_html: crate::organizer::markdown::to_safe_html(&row.description),
        audience: row.audience,
        organizer_type: row.organizer_type,
        region_code: row.region_code,
        department: row.department,
        venue_name: row.venue_name,
        venue_address: row.venue_address,
        postal_code: row.postal_code,
        online_url: row.online_url,
        registration_url: row.registration_url,
        capacity: row.capacity,
        contact_name: row.contact_name,
        contact_email: row.contact_email,
        accessibility: row.accessibility,
        starts_paris,
        edition_year: row.edition_year as i32,
        lab: row.lab,
        start_iso,
        end_iso,
        url,
        ended,
    })
}

/// Whether an event ending at `ends_at` is over at `now`.
fn has_ended(ends_at: DateTime<Utc>, now: Option<DateTime<Utc>>) -> bool {
    now.is_some_and(|now| ends_at <= now)
}

/// Public events of every edition matching an FTS5 query, best first.
pub async fn search(
    db: impl SqliteExecutor<'_>,
    fts_query: &str,
    limit: i64,
) -> Result<Vec<(i32, EventCard)>, AppError> {
    #[derive(FromRow)]
    struct Hit {
        edition_year: i64,
        #[sqlx(flatten)]
        card: CardRow,
    }
    let sql = concat!(
        "SELECT e.edition_year, ",
        card_columns!(),
        card_joins!(),
        "JOIN events_fts ON events_fts.rowid = e.id \
         WHERE events_fts MATCH ? AND (e.status = 'published' OR (e.status = 'cancelled' AND e.published_at IS NOT NULL)) \
         ORDER BY bm25(events_fts), e.starts_at DESC LIMIT ?"
    );
    let rows = sqlx::query_as::<_, Hit>(sql)
        .bind(fts_query)
        .bind(limit)
        .fetch_all(db)
        .await?;
    rows.into_iter()
        .map(|h| Ok((h.edition_year as i32, h.card.into_card()?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::has_ended;

    #[test]
    fn an_event_is_over_from_its_end_by_the_given_clock() {
        let end: chrono::DateTime<chrono::Utc> = "2026-11-10T16:00:00Z".parse().unwrap();
        assert!(!has_ended(
            end,
            Some("2026-11-10T15:59:59Z".parse().unwrap())
        ));
        assert!(has_ended(end, Some(end)));
        assert!(has_ended(
            end,
            Some("2026-11-12T08:00:00Z".parse().unwrap())
        ));
        // No clock (outside a request): never said to be over.
        assert!(!has_ended(end, None));
    }
}

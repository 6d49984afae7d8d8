//! Edition queries (server only).
use chrono::NaiveDate;
use sqlx::{FromRow, SqliteExecutor};

use super::Edition;
use crate::error::AppError;

#[derive(FromRow)]
struct EditionRow {
    year: i64,
    ordinal: i64,
    theme_of_year: Option<String>,
    tagline: String,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    referencing_opens_on: NaiveDate,
    referencing_closes_on: NaiveDate,
    is_current: bool,
    archive: bool,
}

impl From<EditionRow> for Edition {
    fn from(row: EditionRow) -> Self {
        Edition {
            year: row.year as i32,
            ordinal: row.ordinal as i32,
            theme_of_year: row.theme_of_year,
            tagline: row.tagline,
            starts_on: row.starts_on,
            ends_on: row.ends_on,
            referencing_opens_on: row.referencing_opens_on,
            referencing_closes_on: row.referencing_closes_on,
            is_current: row.is_current,
            archive: row.archive,
        }
    }
}

/// Expands to the SELECT of an edition, so that queries stay `&'static str` (sqlx refuses
/// strings built at run time unless audited).
macro_rules! select_edition {
    () => {
        "SELECT e.year, e.ordinal, coalesce(t.label, nullif(e.theme_of_year_text, '')) AS theme_of_year, e.tagline, e.starts_on, e.ends_on, \
         e.referencing_opens_on, e.referencing_closes_on, e.is_current, e.archive \
         FROM editions e LEFT JOIN themes t ON t.id = e.theme_of_year_id"
    };
}

/// The current edition, or the most recent one when none is marked current.
pub async fn current(db: impl SqliteExecutor<'_>) -> Result<Option<Edition>, AppError> {
    let sql = concat!(
        select_edition!(),
        " ORDER BY e.is_current DESC, e.year DESC LIMIT 1"
    );
    let row = sqlx::query_as::<_, EditionRow>(sql)
        .fetch_optional(db)
        .await?;
    Ok(row.map(Edition::from))
}

/// The year of the current edition (see [`current`]); a 404 when there is no edition yet.
pub async fn current_year(db: impl SqliteExecutor<'_>) -> Result<i32, AppError> {
    Ok(current(db)
        .await?
        .ok_or_else(|| AppError::NotFound("Aucune édition n'est encore ouverte.".into()))?
        .year)
}

pub async fn by_year(db: impl SqliteExecutor<'_>, year: i32) -> Result<Option<Edition>, AppError> {
    let sql = concat!(select_edition!(), " WHERE e.year = ?");
    let row = sqlx::query_as::<_, EditionRow>(sql)
        .bind(year)
        .fetch_optional(db)
        .await?;
    Ok(row.map(Edition::from))
}

/// The public counters of an edition: published (and cancelled, still listed) events,
/// distinct organizing structures, distinct regions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromRow)]
pub struct EditionCounters {
    pub events: i64,
    pub organizers: i64,
    pub regions: i64,
}

pub async fn counters(db: impl SqliteExecutor<'_>, year: i32) -> Result<EditionCounters, AppError> {
    let counters = sqlx::query_as::<_, EditionCounters>(
        "SELECT count(*) AS events, \
                count(DISTINCT lower(structure_name)) AS organizers, \
                count(DISTINCT CASE WHEN region_code <> 'NAT' THEN region_code END) AS regions \
         FROM events WHERE edition_year = ? AND status = 'published'",
    )
    .bind(year)
    .fetch_one(db)
    .await?;
    Ok(counters)
}

//! Building the catalogue from the database (server only), cached per edition and rebuilt
//! when the data version changes.
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{FromRow, SqlitePool};

use super::catalog::{Catalog, CatalogEvent, Choice};
use crate::error::AppError;
use crate::events::tz;
use crate::reference::{EventStatus, Mode, PARIS_TZ};

/// The data version: grows with every write to public data (see the migration's triggers).
pub async fn data_version(pool: &SqlitePool) -> Result<i64, AppError> {
    Ok(
        sqlx::query_scalar("SELECT version FROM data_version WHERE id = 1")
            .fetch_one(pool)
            .await?,
    )
}

async fn choices(pool: &SqlitePool, sql: &'static str) -> Result<Vec<(i64, Choice)>, AppError> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(sql).fetch_all(pool).await?;
    Ok(rows
        .into_iter()
        .map(|(id, key, label)| (id, Choice { key, label }))
        .collect())
}

fn index_of(list: &[(i64, Choice)], id: i64) -> u16 {
    list.iter().position(|(i, _)| *i == id).unwrap_or(0) as u16
}

#[derive(FromRow)]
struct Row {
    id: i64,
    slug: String,
    title: String,
    summary: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    time_zone: String,
    all_day: bool,
    out_of_period_reason: Option<String>,
    format_id: i64,
    mode: String,
    audience_id: Option<i64>,
    organizer_type_id: i64,
    region_code: String,
    city: Option<String>,
    structure_name: String,
    status: String,
}

/// Reads the public events of an edition into a catalogue.
pub async fn build(pool: &SqlitePool, year: i32, version: i64) -> Result<Catalog, AppError> {
    let (starts_on, ends_on): (NaiveDate, NaiveDate) =
        sqlx::query_as("SELECT starts_on, ends_on FROM editions WHERE year = ?")
            .bind(year)
            .fetch_optional(pool)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("Il n'y a pas d'édition {year}.")))?;
    // Retired values stay listed: old events still carry them.
    let themes = choices(
        pool,
        "SELECT id, slug, label FROM themes ORDER BY position, id",
    )
    .await?;
    let formats = choices(
        pool,
        "SELECT id, slug, label FROM formats ORDER BY position, id",
    )
    .await?;
    let audiences = choices(
        pool,
        "SELECT id, slug, label FROM audiences ORDER BY position, id",
    )
    .await?;
    let organizer_types = choices(
        pool,
        "SELECT id, slug, label FROM organizer_types ORDER BY position, id",
    )
    .await?;
    let regions: Vec<(String, String)> =
        sqlx::query_as("SELECT code, name FROM regions ORDER BY sort_order")
            .fetch_all(pool)
            .await?;

    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, slug, title, summary, starts_at, ends_at, time_zone, all_day, \
                out_of_period_reason, format_id, mode, \
                audience_id, organizer_type_id, region_code, city, structure_name, status \
         FROM events WHERE edition_year = ? AND (status = 'published' OR (status = 'cancelled' AND published_at IS NOT NULL)) \
         ORDER BY starts_at, title, id",
    )
    .bind(year)
    .fetch_all(pool)
    .await?;
    let links: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT et.event_id, et.theme_id FROM event_themes et JOIN events e ON e.id = et.event_id \
         JOIN themes t ON t.id = et.theme_id \
         WHERE e.edition_year = ? AND (e.status = 'published' OR (e.status = 'cancelled' AND e.published_at IS NOT NULL)) \
         ORDER BY et.event_id, t.position",
    )
    .bind(year)
    .fetch_all(pool)
    .await?;
    let mut themes_of: HashMap<i64, Vec<u16>> = HashMap::new();
    for (event_id, theme_id) in links {
        themes_of
            .entry(event_id)
            .or_default()
            .push(index_of(&themes, theme_id));
    }

    let mut events = Vec::with_capacity(rows.len());
    for row in rows {
        let mode = Mode::parse(&row.mode)
            .ok_or_else(|| AppError::internal("catalog", format!("mode {}", row.mode)))?;
        let region = regions
            .iter()
            .position(|(code, _)| *code == row.region_code)
            .unwrap_or(0) as u16;
        events.push(CatalogEvent {
            start: tz::local(row.starts_at, &row.time_zone),
            end: tz::local(row.ends_at, &row.time_zone),
            end_unix: row.ends_at.timestamp(),
            slug: row.slug,
            title: row.title,
            summary: row.summary,
            format: index_of(&formats, row.format_id),
            mode,
            audience: row
                .audience_id
                .map_or(super::catalog::UNKNOWN, |id| index_of(&audiences, id)),
            organizer_type: index_of(&organizer_types, row.organizer_type_id),
            region,
            themes: themes_of.remove(&row.id).unwrap_or_default(),
            city: row.city.filter(|c| !c.is_empty()),
            structure: row.structure_name,
            cancelled: row.status == EventStatus::Cancelled.as_str(),
            zone: (row.time_zone != PARIS_TZ).then_some(row.time_zone),
            all_day: row.all_day,
            out_of_period_reason: row.out_of_period_reason.filter(|r| !r.is_empty()),
        });
    }
    let strip = |list: Vec<(i64, Choice)>| list.into_iter().map(|(_, c)| c).collect();
    Ok(Catalog {
        year,
        starts_on,
        ends_on,
        version,
        themes: strip(themes),
        formats: strip(formats),
        audiences: strip(audiences),
        organizer_types: strip(organizer_types),
        regions: regions
            .into_iter()
            .map(|(key, label)| Choice { key, label })
            .collect(),
        events,
    })
}

/// Catalogues by edition year, each valid for one data version.
#[derive(Clone, Default)]
pub struct CatalogCache {
    inner: Arc<RwLock<HashMap<i32, Arc<Catalog>>>>,
}

impl CatalogCache {
    /// The catalogue of `year` at the current data version, built at most once per version.
    pub async fn get(&self, pool: &SqlitePool, year: i32) -> Result<Arc<Catalog>, AppError> {
        let version = data_version(pool).await?;
        if let Some(hit) = self
            .inner
            .read()
            .ok()
            .and_then(|map| map.get(&year).filter(|c| c.version == version).cloned())
        {
            return Ok(hit);
        }
        let fresh = Arc::new(build(pool, year, version).await?);
        if let Ok(mut map) = self.inner.write() {
            map.insert(year, fresh.clone());
        }
        Ok(fresh)
    }
}

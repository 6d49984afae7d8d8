//! The counters' SQL: the batched writes and the figures read back.
use std::collections::BTreeMap;

use chrono::NaiveDate;
use sqlx::SqlitePool;

use super::counter::Line;
use super::model::*;
use crate::accounts::CurrentAccount;
use crate::error::AppError;
use crate::reference::Role;

/// The events whose page the public sees (as `events::db` shows them).
macro_rules! public {
    ($e:literal) => {
        concat!(
            "(",
            $e,
            ".status = 'published' OR (",
            $e,
            ".status = 'cancelled' AND ",
            $e,
            ".published_at IS NOT NULL))"
        )
    };
}

/// Adds a batch to the counters, in one transaction. Each slug is resolved to its event here,
/// off the requests' path; a slug that is no public event (any more) is dropped.
pub async fn flush(pool: &SqlitePool, lines: &[Line]) -> Result<u64, AppError> {
    if lines.is_empty() {
        return Ok(0);
    }
    let mut tx = crate::state::begin_write(pool).await?;
    let mut written = 0;
    for (slug, day, kind, n) in lines {
        written += sqlx::query(concat!(
            "INSERT INTO audience (event_id, day, kind, count) \
             SELECT e.id, ?, ?, ? FROM events e WHERE e.slug = ? AND ",
            public!("e"),
            " ON CONFLICT (event_id, day, kind) DO UPDATE SET count = count + excluded.count"
        ))
        .bind(day.to_string())
        .bind(kind.as_str())
        .bind(i64::try_from(*n).unwrap_or(i64::MAX))
        .bind(slug)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    }
    tx.commit().await?;
    Ok(written)
}

/// Whether `slug` is an event the public sees (the beacon counts only those).
pub async fn is_public_event(pool: &SqlitePool, slug: &str) -> Result<bool, AppError> {
    let found: Option<i64> = sqlx::query_scalar(concat!(
        "SELECT e.id FROM events e WHERE e.slug = ? AND ",
        public!("e")
    ))
    .bind(slug)
    .fetch_optional(pool)
    .await?;
    Ok(found.is_some())
}

/// A public event's registration link, if it has one.
pub async fn registration_url(pool: &SqlitePool, slug: &str) -> Result<Option<String>, AppError> {
    let url: Option<Option<String>> = sqlx::query_scalar(concat!(
        "SELECT e.registration_url FROM events e WHERE e.slug = ? AND ",
        public!("e")
    ))
    .bind(slug)
    .fetch_optional(pool)
    .await?;
    Ok(url.flatten().filter(|u| !u.trim().is_empty()))
}

fn figures_of(rows: impl IntoIterator<Item = (String, i64)>) -> Figures {
    let mut figures = Figures::default();
    for (kind, n) in rows {
        if let Some(kind) = Kind::parse(&kind) {
            figures.add(kind, n);
        }
    }
    figures
}

/// One event's figures day by day: its organizer's or staff's; anyone else gets the same 404
/// as for an event that does not exist.
pub async fn event_audience(
    pool: &SqlitePool,
    account: &CurrentAccount,
    id: i64,
) -> Result<EventAudience, AppError> {
    let not_found = || {
        AppError::NotFound(
            "Cet événement n'existe pas, ou vous n'en êtes pas l'organisateur.".into(),
        )
    };
    let (title, slug, organizer): (String, String, i64) =
        sqlx::query_as("SELECT title, slug, organizer_id FROM events WHERE id = ?")
            .bind(id)
            .fetch_optional(pool)
            .await?
            .ok_or_else(not_found)?;
    let staff = matches!(account.role, Role::Moderator | Role::Admin);
    if organizer != account.id && !staff {
        return Err(not_found());
    }
    let rows: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT day, kind, count FROM audience WHERE event_id = ? ORDER BY day")
            .bind(id)
            .fetch_all(pool)
            .await?;
    let mut by_day: BTreeMap<NaiveDate, Figures> = BTreeMap::new();
    let mut totals = Figures::default();
    for (day, kind, n) in rows {
        let (Ok(day), Some(kind)) = (day.parse::<NaiveDate>(), Kind::parse(&kind)) else {
            continue;
        };
        by_day.entry(day).or_default().add(kind, n);
        totals.add(kind, n);
    }
    // The days in between, at zero, so that the chart reads as a calendar (within a season).
    if let (Some(first), Some(last)) = (
        by_day.keys().next().copied(),
        by_day.keys().next_back().copied(),
    ) {
        if (last - first).num_days() <= 92 {
            for day in first.iter_days().take_while(|d| *d <= last) {
                by_day.entry(day).or_default();
            }
        }
    }
    Ok(EventAudience {
        id,
        title,
        slug,
        days: by_day
            .into_iter()
            .map(|(day, figures)| DayFigures { day, figures })
            .collect(),
        totals,
    })
}

/// An event's id, title, slug, then one kind's total (none for an event never counted).
type LineRow = (i64, String, String, Option<String>, Option<i64>);

/// The organizer's public events of the current edition, with their totals.
pub async fn dashboard_lines(
    pool: &SqlitePool,
    account: &CurrentAccount,
) -> Result<Vec<AudienceLine>, AppError> {
    let rows: Vec<LineRow> = sqlx::query_as(concat!(
        "SELECT e.id, e.title, e.slug, a.kind, sum(a.count) FROM events e \
         JOIN editions d ON d.year = e.edition_year AND d.is_current = 1 \
         LEFT JOIN audience a ON a.event_id = e.id \
         WHERE e.organizer_id = ? AND ",
        public!("e"),
        " GROUP BY e.id, a.kind ORDER BY e.starts_at, e.id"
    ))
    .bind(account.id)
    .fetch_all(pool)
    .await?;
    let mut lines: Vec<AudienceLine> = Vec::new();
    for (id, title, slug, kind, n) in rows {
        if lines.last().is_none_or(|l| l.id != id) {
            lines.push(AudienceLine {
                id,
                title,
                slug,
                totals: Figures::default(),
            });
        }
        if let (Some(kind), Some(n), Some(line)) =
            (kind.as_deref().and_then(Kind::parse), n, lines.last_mut())
        {
            line.totals.add(kind, n);
        }
    }
    Ok(lines)
}

/// Sums per label and kind (`label, slug, kind, count` rows), largest first by `order`.
fn rows_of(raw: Vec<(String, Option<String>, String, i64)>, order: Option<Kind>) -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::new();
    for (label, slug, kind, n) in raw {
        let Some(kind) = Kind::parse(&kind) else {
            continue;
        };
        match rows.iter_mut().find(|r| r.label == label && r.slug == slug) {
            Some(row) => row.figures.add(kind, n),
            None => {
                let mut figures = Figures::default();
                figures.add(kind, n);
                rows.push(Row {
                    label,
                    slug,
                    figures,
                });
            }
        }
    }
    if let Some(kind) = order {
        rows.sort_by(|a, b| {
            b.figures
                .get(kind)
                .cmp(&a.figures.get(kind))
                .then_with(|| a.label.cmp(&b.label))
        });
    }
    rows
}

/// The edition's audience: totals, the most viewed and most saved events, by theme and region.
pub async fn edition_audience(pool: &SqlitePool, year: i32) -> Result<EditionAudience, AppError> {
    let totals: Vec<(String, i64)> = sqlx::query_as(
        "SELECT a.kind, sum(a.count) FROM audience a JOIN events e ON e.id = a.event_id \
         WHERE e.edition_year = ? GROUP BY a.kind",
    )
    .bind(year)
    .fetch_all(pool)
    .await?;
    let ranking = |kind: Kind| {
        sqlx::query_as::<_, (String, Option<String>, String, i64)>(
            "SELECT e.title, e.slug, a.kind, sum(a.count) FROM audience a \
             JOIN events e ON e.id = a.event_id \
             WHERE e.edition_year = ? AND e.id IN (\
               SELECT a2.event_id FROM audience a2 JOIN events e2 ON e2.id = a2.event_id \
               WHERE e2.edition_year = ? AND a2.kind = ? GROUP BY a2.event_id \
               ORDER BY sum(a2.count) DESC, e2.title LIMIT ?) \
             GROUP BY e.id, a.kind",
        )
        .bind(year)
        .bind(year)
        .bind(kind.as_str())
        .bind(RANKING_LENGTH)
        .fetch_all(pool)
    };
    let most_viewed = rows_of(ranking(Kind::View).await?, Some(Kind::View));
    let most_saved = rows_of(ranking(Kind::Save).await?, Some(Kind::Save));
    let by_theme = rows_of(
        sqlx::query_as(
            "SELECT t.label, NULL, a.kind, sum(a.count) FROM audience a \
             JOIN events e ON e.id = a.event_id \
             JOIN event_themes et ON et.event_id = e.id JOIN themes t ON t.id = et.theme_id \
             WHERE e.edition_year = ? GROUP BY t.id, a.kind ORDER BY t.position",
        )
        .bind(year)
        .fetch_all(pool)
        .await?,
        Some(Kind::View),
    );
    let by_region = rows_of(
        sqlx::query_as(
            "SELECT r.name, NULL, a.kind, sum(a.count) FROM audience a \
             JOIN events e ON e.id = a.event_id JOIN regions r ON r.code = e.region_code \
             WHERE e.edition_year = ? GROUP BY r.code, a.kind ORDER BY r.sort_order",
        )
        .bind(year)
        .fetch_all(pool)
        .await?,
        Some(Kind::View),
    );
    Ok(EditionAudience {
        year,
        totals: figures_of(totals),
        most_viewed,
        most_saved,
        by_theme,
        by_region,
    })
}

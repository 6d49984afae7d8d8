//! Admin queries (server only).
use chrono::{DateTime, Utc};
use sqlx::SqlitePool;

use super::model::{AccountLine, ValidEdition, VocabularyEntry};
use crate::accounts::session::timestamp;
use crate::error::AppError;
use crate::reference::{Role, VocabularyItem};

fn unknown_vocabulary() -> AppError {
    AppError::field("vocabulaire", "Vocabulaire inconnu.")
}

/// One static SQL string per vocabulary table (sqlx wants `&'static str`).
macro_rules! vocab_sql {
    ($kind:expr, $before:literal, $after:literal) => {
        match $kind {
            "themes" => concat!($before, "themes", $after),
            "formats" => concat!($before, "formats", $after),
            "audiences" => concat!($before, "audiences", $after),
            "organizer_types" => concat!($before, "organizer_types", $after),
            "lab_types" => concat!($before, "lab_types", $after),
            _ => return Err(unknown_vocabulary()),
        }
    };
}

/// Creates or updates an edition; a current edition makes every other one not current.
pub async fn save_edition(
    pool: &SqlitePool,
    edition: &ValidEdition,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let at = timestamp(now);
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    if edition.is_current {
        sqlx::query(
            "UPDATE editions SET is_current = 0, updated_at = ? WHERE is_current = 1 AND year <> ?",
        )
        .bind(&at)
        .bind(edition.year)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query(
        "INSERT INTO editions (year, ordinal, theme_of_year_id, tagline, starts_on, ends_on, \
            referencing_opens_on, referencing_closes_on, is_current, created_at, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (year) DO UPDATE SET ordinal = excluded.ordinal, theme_of_year_id = excluded.theme_of_year_id, \
            tagline = excluded.tagline, starts_on = excluded.starts_on, ends_on = excluded.ends_on, \
            referencing_opens_on = excluded.referencing_opens_on, referencing_closes_on = excluded.referencing_closes_on, \
            is_current = excluded.is_current, updated_at = excluded.updated_at",
    )
    .bind(edition.year)
    .bind(edition.ordinal)
    .bind(edition.theme_of_year_id)
    .bind(&edition.tagline)
    .bind(edition.starts_on.to_string())
    .bind(edition.ends_on.to_string())
    .bind(edition.referencing_opens_on.to_string())
    .bind(edition.referencing_closes_on.to_string())
    .bind(edition.is_current)
    .bind(&at)
    .bind(&at)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn all_editions(pool: &SqlitePool) -> Result<Vec<crate::editions::Edition>, AppError> {
    let years: Vec<i64> = sqlx::query_scalar("SELECT year FROM editions ORDER BY year DESC")
        .fetch_all(pool)
        .await?;
    let mut editions = Vec::new();
    for year in years {
        if let Some(e) = crate::editions::db::by_year(pool, year as i32).await? {
            editions.push(e);
        }
    }
    Ok(editions)
}

pub async fn vocabulary(pool: &SqlitePool, kind: &str) -> Result<Vec<VocabularyEntry>, AppError> {
    let uses_sql = match kind {
        "themes" => "SELECT t.id, t.slug, t.label, t.retired, (SELECT count(*) FROM event_themes WHERE theme_id = t.id) + (SELECT count(*) FROM editions WHERE theme_of_year_id = t.id) FROM themes t ORDER BY t.position",
        "formats" => "SELECT t.id, t.slug, t.label, t.retired, (SELECT count(*) FROM events WHERE format_id = t.id) FROM formats t ORDER BY t.position",
        "audiences" => "SELECT t.id, t.slug, t.label, t.retired, (SELECT count(*) FROM events WHERE audience_id = t.id) FROM audiences t ORDER BY t.position",
        "organizer_types" => "SELECT t.id, t.slug, t.label, t.retired, (SELECT count(*) FROM events WHERE organizer_type_id = t.id) + (SELECT count(*) FROM accounts WHERE organizer_type_id = t.id) FROM organizer_types t ORDER BY t.position",
        "lab_types" => "SELECT t.id, t.slug, t.label, t.retired, (SELECT count(*) FROM labs WHERE lab_type_id = t.id) FROM lab_types t ORDER BY t.position",
        _ => return Err(unknown_vocabulary()),
    };
    let rows: Vec<(i64, String, String, bool, i64)> =
        sqlx::query_as(uses_sql).fetch_all(pool).await?;
    Ok(rows
        .into_iter()
        .map(|(id, slug, label, retired, uses)| VocabularyEntry {
            item: VocabularyItem { id, slug, label },
            retired,
            uses,
        })
        .collect())
}

fn check_label(label: &str) -> Result<String, AppError> {
    let label = label.trim();
    if label.is_empty() {
        return Err(AppError::field("libelle", "Indiquez le libellé."));
    }
    if label.chars().count() > 120 {
        return Err(AppError::field(
            "libelle",
            "Le libellé ne doit pas dépasser 120 caractères.",
        ));
    }
    Ok(label.to_string())
}

fn taken(error: sqlx::Error) -> AppError {
    match AppError::from(error) {
        AppError::Conflict(_) => {
            AppError::field("libelle", "Ce libellé existe déjà dans ce vocabulaire.")
        }
        other => other,
    }
}

pub async fn add_value(pool: &SqlitePool, kind: &str, label: &str) -> Result<(), AppError> {
    let label = check_label(label)?;
    let slug = slug::slugify(&label);
    let sql = vocab_sql!(
        kind,
        "INSERT INTO ",
        " (slug, label, position) VALUES (?, ?, ?)"
    );
    let max_sql = vocab_sql!(kind, "SELECT coalesce(max(position), 0) + 1 FROM ", "");
    let position: i64 = sqlx::query_scalar(max_sql).fetch_one(pool).await?;
    sqlx::query(sql)
        .bind(slug)
        .bind(label)
        .bind(position)
        .execute(pool)
        .await
        .map_err(taken)?;
    Ok(())
}

pub async fn rename_value(
    pool: &SqlitePool,
    kind: &str,
    id: i64,
    label: &str,
) -> Result<(), AppError> {
    let label = check_label(label)?;
    // The slug stays: URLs and filters that use it keep working.
    let sql = vocab_sql!(kind, "UPDATE ", " SET label = ? WHERE id = ?");
    let done = sqlx::query(sql)
        .bind(label)
        .bind(id)
        .execute(pool)
        .await
        .map_err(taken)?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound("Cette valeur n'existe pas.".into()));
    }
    Ok(())
}

/// Swaps a value with its neighbour (`up` or down).
pub async fn move_value(pool: &SqlitePool, kind: &str, id: i64, up: bool) -> Result<(), AppError> {
    let entries = vocabulary(pool, kind).await?;
    let Some(index) = entries.iter().position(|e| e.item.id == id) else {
        return Err(AppError::NotFound("Cette valeur n'existe pas.".into()));
    };
    let other = if up {
        index.checked_sub(1)
    } else {
        Some(index + 1).filter(|i| *i < entries.len())
    };
    let Some(other) = other else { return Ok(()) };
    let mut ids: Vec<i64> = entries.iter().map(|e| e.item.id).collect();
    ids.swap(index, other);
    let sql = vocab_sql!(kind, "UPDATE ", " SET position = ? WHERE id = ?");
    let mut tx = pool.begin().await?;
    for (position, id) in ids.iter().enumerate() {
        sqlx::query(sql)
            .bind(position as i64 + 1)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Retires a value in use (it stays on past events); deletes one nobody uses.
pub async fn retire_value(
    pool: &SqlitePool,
    kind: &str,
    id: i64,
    retired: bool,
) -> Result<&'static str, AppError> {
    let entries = vocabulary(pool, kind).await?;
    let entry = entries
        .iter()
        .find(|e| e.item.id == id)
        .ok_or_else(|| AppError::NotFound("Cette valeur n'existe pas.".into()))?;
    if retired && entry.uses == 0 {
        let sql = vocab_sql!(kind, "DELETE FROM ", " WHERE id = ?");
        sqlx::query(sql).bind(id).execute(pool).await?;
        return Ok("supprimee");
    }
    let sql = vocab_sql!(kind, "UPDATE ", " SET retired = ? WHERE id = ?");
    sqlx::query(sql)
        .bind(retired)
        .bind(id)
        .execute(pool)
        .await?;
    Ok(if retired { "retiree" } else { "retablie" })
}

/// id, email, name, structure, role, confirmed, disabled, events.
type AccountRow = (i64, String, String, String, String, bool, bool, i64);

pub async fn search_accounts(pool: &SqlitePool, q: &str) -> Result<Vec<AccountLine>, AppError> {
    let pattern = format!("%{}%", q.trim().replace(['%', '_'], ""));
    let rows: Vec<AccountRow> = sqlx::query_as(
        "SELECT a.id, a.email, a.name, a.structure, a.role, a.email_confirmed_at IS NOT NULL, a.disabled_at IS NOT NULL, \
            (SELECT count(*) FROM events WHERE organizer_id = a.id) \
         FROM accounts a WHERE a.email LIKE ? OR a.name LIKE ? OR a.structure LIKE ? \
         ORDER BY a.role DESC, a.name LIMIT 100",
    )
    .bind(&pattern)
    .bind(&pattern)
    .bind(&pattern)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, email, name, structure, role, confirmed, disabled, events)| AccountLine {
                id,
                email,
                name,
                structure,
                role: Role::parse(&role).unwrap_or(Role::Organizer),
                confirmed,
                disabled,
                events,
            },
        )
        .collect())
}

pub async fn update_account(
    pool: &SqlitePool,
    admin_id: i64,
    id: i64,
    role: Role,
    disabled: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if id == admin_id && (role != Role::Admin || disabled) {
        return Err(AppError::field(
            "role",
            "Vous ne pouvez pas retirer vos propres droits d'administration ni désactiver votre compte.",
        ));
    }
    let at = timestamp(now);
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let done = sqlx::query(
        "UPDATE accounts SET role = ?, disabled_at = CASE WHEN ? THEN coalesce(disabled_at, ?) ELSE NULL END, \
            updated_at = ? WHERE id = ?",
    )
    .bind(role.as_str())
    .bind(disabled)
    .bind(&at)
    .bind(&at)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound("Ce compte n'existe pas.".into()));
    }
    if disabled {
        sqlx::query("DELETE FROM sessions WHERE account_id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Binds a lab's columns, in the order both statements of `save_lab` list them.
macro_rules! lab_values {
    ($query:expr, $lab:expr, $lat:expr, $lon:expr) => {
        $query
            .bind(&$lab.name)
            .bind(&$lab.host_structure)
            .bind($lab.lab_type_id)
            .bind(&$lab.region_code)
            .bind(&$lab.city)
            .bind($lat)
            .bind($lon)
            .bind(&$lab.website)
            .bind(&$lab.description)
            .bind($lab.created_year)
    };
}

/// Creates a lab, or updates the lab of `slug`.
pub async fn save_lab(
    pool: &SqlitePool,
    slug: Option<&str>,
    lab: &super::model::ValidLab,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let at = timestamp(now);
    let (lat, lon) = match lab.coordinates {
        Some((lat, lon)) => (Some(lat), Some(lon)),
        None => (None, None),
    };
    match slug.filter(|s| !s.is_empty()) {
        Some(slug) => {
            let query = sqlx::query(
                "UPDATE labs SET name = ?, host_structure = ?, lab_type_id = ?, region_code = ?, city = ?, \
                    latitude = ?, longitude = ?, website = ?, description = ?, created_year = ?, updated_at = ? \
                 WHERE slug = ?",
            );
            let done = lab_values!(query, lab, lat, lon)
                .bind(&at)
                .bind(slug)
                .execute(pool)
                .await?;
            if done.rows_affected() == 0 {
                return Err(AppError::NotFound("Ce laboratoire n'existe pas.".into()));
            }
            Ok(slug.to_string())
        }
        None => {
            let base: String = slug::slugify(&lab.name).chars().take(80).collect();
            let mut candidate = base.clone();
            let mut n = 2;
            while sqlx::query_scalar::<_, i64>("SELECT id FROM labs WHERE slug = ?")
                .bind(&candidate)
                .fetch_optional(pool)
                .await?
                .is_some()
            {
                candidate = format!("{base}-{n}");
                n += 1;
            }
            let query = sqlx::query(
                "INSERT INTO labs (name, host_structure, lab_type_id, region_code, city, latitude, longitude, \
                    website, description, created_year, created_at, updated_at, slug) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            );
            lab_values!(query, lab, lat, lon)
                .bind(&at)
                .bind(&at)
                .bind(&candidate)
                .execute(pool)
                .await?;
            Ok(candidate)
        }
    }
}

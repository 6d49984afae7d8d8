//! Admin queries (server only).
use chrono::{DateTime, Utc};
use sqlx::{SqliteConnection, SqlitePool};

use super::model::{AccountLine, ValidEdition, VocabularyEntry};
use crate::error::AppError;
use crate::reference::{Role, VocabularyItem};
use crate::time::timestamp;

fn unknown_vocabulary() -> AppError {
    AppError::field("vocabulaire", "Vocabulaire inconnu.")
}

/// What every version conflict tells the admin to do.
const RELOAD: &str =
    "Rechargez la page pour voir la version enregistrée, puis refaites votre modification.";

/// The answer to a write whose form was rendered from an older version of its record (or
/// from no version, a form older than the version checks): HTTP 409, nothing written.
fn stale(what: &str) -> AppError {
    AppError::Conflict(format!(
        "{what} pendant que vous l'éditiez : votre modification n'a pas été enregistrée. {RELOAD}"
    ))
}

/// Checks the version a form was rendered with against the stored one (`None`: no such
/// record). A missing `expected` version on an existing record is stale too.
fn check_version(
    stored: Option<i64>,
    expected: Option<i64>,
    missing: &str,
    changed: &str,
) -> Result<i64, AppError> {
    match stored {
        None => Err(AppError::NotFound(missing.to_string())),
        Some(v) if Some(v) == expected => Ok(v),
        Some(_) => Err(stale(changed)),
    }
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

/// Creates an edition (`version` is `None`: the form was for a new one) or updates the edition
/// of its year, if it still has `version`; a current edition makes every other one not
/// current (and bumps their versions, since their forms are now stale).
pub async fn save_edition(
    pool: &SqlitePool,
    edition: &ValidEdition,
    version: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let at = timestamp(now);
    let mut tx = crate::state::begin_write(pool).await?;
    let stored: Option<i64> = sqlx::query_scalar("SELECT version FROM editions WHERE year = ?")
        .bind(edition.year)
        .fetch_optional(&mut *tx)
        .await?;
    if version.is_none() && stored.is_some() {
        return Err(AppError::Conflict(format!(
            "L'édition {} existe déjà (quelqu'un d'autre a pu l'enregistrer pendant que vous remplissiez \
             ce formulaire) : rien n'a été modifié. Rechargez la page, puis modifiez-la depuis la liste des éditions.",
            edition.year
        )));
    }
    if let Some(expected) = version {
        check_version(
            stored,
            Some(expected),
            "Cette édition n'existe pas.",
            &format!(
                "L'édition {} a été modifiée par quelqu'un d'autre",
                edition.year
            ),
        )?;
    }
    // Two editions never share an ordinal (« 9e édition »): checked inside this write's
    // transaction, so two admins cannot both take it.
    let same_ordinal: Option<i64> =
        sqlx::query_scalar("SELECT year FROM editions WHERE ordinal = ? AND year <> ?")
            .bind(edition.ordinal)
            .bind(edition.year)
            .fetch_optional(&mut *tx)
            .await?;
    if let Some(other) = same_ordinal {
        return Err(AppError::field(
            "ordinal",
            format!("Ce numéro est déjà celui de l'édition {other} : chaque édition a le sien."),
        ));
    }
    if edition.is_current {
        sqlx::query(
            "UPDATE editions SET is_current = 0, version = version + 1, updated_at = ? \
             WHERE is_current = 1 AND year <> ?",
        )
        .bind(&at)
        .bind(edition.year)
        .execute(&mut *tx)
        .await?;
    }
    match version {
        None => {
            sqlx::query(
                "INSERT INTO editions (year, ordinal, theme_of_year_id, tagline, starts_on, ends_on, \
                    referencing_opens_on, referencing_closes_on, is_current, theme_of_year_text, archive, \
                    created_at, updated_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
            .bind(&edition.theme_of_year_text)
            .bind(edition.archive)
            .bind(&at)
            .bind(&at)
            .execute(&mut *tx)
            .await?;
        }
        Some(expected) => {
            let done = sqlx::query(
                "UPDATE editions SET ordinal = ?, theme_of_year_id = ?, tagline = ?, starts_on = ?, \
                    ends_on = ?, referencing_opens_on = ?, referencing_closes_on = ?, is_current = ?, \
                    theme_of_year_text = ?, archive = ?, updated_at = ?, version = version + 1 \
                 WHERE year = ? AND version = ?",
            )
            .bind(edition.ordinal)
            .bind(edition.theme_of_year_id)
            .bind(&edition.tagline)
            .bind(edition.starts_on.to_string())
            .bind(edition.ends_on.to_string())
            .bind(edition.referencing_opens_on.to_string())
            .bind(edition.referencing_closes_on.to_string())
            .bind(edition.is_current)
            .bind(&edition.theme_of_year_text)
            .bind(edition.archive)
            .bind(&at)
            .bind(edition.year)
            .bind(expected)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                return Err(stale(&format!(
                    "L'édition {} a été modifiée par quelqu'un d'autre",
                    edition.year
                )));
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

/// The version of every edition, by year (read before the editions themselves, so that a
/// form never carries a version newer than the values it shows).
pub async fn edition_versions(pool: &SqlitePool) -> Result<Vec<(i32, i64)>, AppError> {
    Ok(
        sqlx::query_as("SELECT year, version FROM editions ORDER BY year DESC")
            .fetch_all(pool)
            .await?,
    )
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
    entries(&mut *pool.acquire().await?, kind).await
}

/// The values of a vocabulary in their order, with their uses and versions.
async fn entries(
    conn: &mut SqliteConnection,
    kind: &str,
) -> Result<Vec<VocabularyEntry>, AppError> {
    let uses_sql = match kind {
        "themes" => "SELECT t.id, t.slug, t.label, t.retired, (SELECT count(*) FROM event_themes WHERE theme_id = t.id) + (SELECT count(*) FROM editions WHERE theme_of_year_id = t.id), t.version FROM themes t ORDER BY t.position",
        "formats" => "SELECT t.id, t.slug, t.label, t.retired, (SELECT count(*) FROM events WHERE format_id = t.id), t.version FROM formats t ORDER BY t.position",
        "audiences" => "SELECT t.id, t.slug, t.label, t.retired, (SELECT count(*) FROM events WHERE audience_id = t.id), t.version FROM audiences t ORDER BY t.position",
        "organizer_types" => "SELECT t.id, t.slug, t.label, t.retired, (SELECT count(*) FROM events WHERE organizer_type_id = t.id) + (SELECT count(*) FROM accounts WHERE organizer_type_id = t.id), t.version FROM organizer_types t ORDER BY t.position",
        "lab_types" => "SELECT t.id, t.slug, t.label, t.retired, (SELECT count(*) FROM labs WHERE lab_type_id = t.id), t.version FROM lab_types t ORDER BY t.position",
        _ => return Err(unknown_vocabulary()),
    };
    let rows: Vec<(i64, String, String, bool, i64, i64)> =
        sqlx::query_as(uses_sql).fetch_all(&mut *conn).await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, slug, label, retired, uses, version)| VocabularyEntry {
                item: VocabularyItem { id, slug, label },
                retired,
                uses,
                version,
            },
        )
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

const MISSING_VALUE: &str =
    "Cette valeur n'existe plus : quelqu'un d'autre l'a peut-être supprimée. Rechargez la page.";
const CHANGED_VALUE: &str = "Cette valeur a été modifiée par quelqu'un d'autre";

/// The stored version of one value of a vocabulary (`None`: no such value).
async fn value_version(
    conn: &mut SqliteConnection,
    kind: &str,
    id: i64,
) -> Result<Option<i64>, AppError> {
    let sql = vocab_sql!(kind, "SELECT version FROM ", " WHERE id = ?");
    Ok(sqlx::query_scalar(sql)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?)
}

/// A write `WHERE … AND version = ?` that changed nothing: someone else got there first.
fn one_row(done: sqlx::sqlite::SqliteQueryResult, changed: &str) -> Result<(), AppError> {
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(stale(changed))
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
    let mut tx = crate::state::begin_write(pool).await?;
    let position: i64 = sqlx::query_scalar(max_sql).fetch_one(&mut *tx).await?;
    sqlx::query(sql)
        .bind(slug)
        .bind(label)
        .bind(position)
        .execute(&mut *tx)
        .await
        .map_err(taken)?;
    tx.commit().await?;
    Ok(())
}

/// Renames a value that still has `version`.
pub async fn rename_value(
    pool: &SqlitePool,
    kind: &str,
    id: i64,
    label: &str,
    version: Option<i64>,
) -> Result<(), AppError> {
    let label = check_label(label)?;
    let mut tx = crate::state::begin_write(pool).await?;
    let expected = check_version(
        value_version(&mut tx, kind, id).await?,
        version,
        MISSING_VALUE,
        CHANGED_VALUE,
    )?;
    // The slug stays: URLs and filters that use it keep working.
    let sql = vocab_sql!(
        kind,
        "UPDATE ",
        " SET label = ?, version = version + 1 WHERE id = ? AND version = ?"
    );
    let done = sqlx::query(sql)
        .bind(label)
        .bind(id)
        .bind(expected)
        .execute(&mut *tx)
        .await
        .map_err(taken)?;
    one_row(done, CHANGED_VALUE)?;
    tx.commit().await?;
    Ok(())
}

/// Swaps a value that still has `version` with its neighbour (`up` or down). Every value whose
/// position changes gets a new version.
pub async fn move_value(
    pool: &SqlitePool,
    kind: &str,
    id: i64,
    up: bool,
    version: Option<i64>,
) -> Result<(), AppError> {
    let rows_sql = vocab_sql!(kind, "SELECT id FROM ", " ORDER BY position");
    let moved_sql = vocab_sql!(
        kind,
        "UPDATE ",
        " SET position = ?, version = version + 1 WHERE id = ? AND version = ?"
    );
    let others_sql = vocab_sql!(
        kind,
        "UPDATE ",
        " SET position = ?, version = version + 1 WHERE id = ? AND position <> ?"
    );
    let mut tx = crate::state::begin_write(pool).await?;
    let expected = check_version(
        value_version(&mut tx, kind, id).await?,
        version,
        MISSING_VALUE,
        CHANGED_VALUE,
    )?;
    let mut ids: Vec<i64> = sqlx::query_scalar(rows_sql).fetch_all(&mut *tx).await?;
    let Some(index) = ids.iter().position(|row| *row == id) else {
        return Err(AppError::NotFound(MISSING_VALUE.into()));
    };
    let other = if up {
        index.checked_sub(1)
    } else {
        Some(index + 1).filter(|i| *i < ids.len())
    };
    let Some(other) = other else { return Ok(()) };
    ids.swap(index, other);
    for (position, row) in ids.iter().enumerate() {
        let position = position as i64 + 1;
        if *row == id {
            let done = sqlx::query(moved_sql)
                .bind(position)
                .bind(row)
                .bind(expected)
                .execute(&mut *tx)
                .await?;
            one_row(done, CHANGED_VALUE)?;
        } else {
            sqlx::query(others_sql)
                .bind(position)
                .bind(row)
                .bind(position)
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Retires a value in use (it stays on past events); deletes one nobody uses. The value must
/// still have `version`.
pub async fn retire_value(
    pool: &SqlitePool,
    kind: &str,
    id: i64,
    retired: bool,
    version: Option<i64>,
) -> Result<&'static str, AppError> {
    let mut tx = crate::state::begin_write(pool).await?;
    let all = entries(&mut tx, kind).await?;
    let entry = all.iter().find(|e| e.item.id == id);
    let expected = check_version(
        entry.map(|e| e.version),
        version,
        MISSING_VALUE,
        CHANGED_VALUE,
    )?;
    let unused = entry.is_some_and(|e| e.uses == 0);
    let done = if retired && unused {
        let sql = vocab_sql!(kind, "DELETE FROM ", " WHERE id = ? AND version = ?");
        let done = sqlx::query(sql)
            .bind(id)
            .bind(expected)
            .execute(&mut *tx)
            .await?;
        one_row(done, CHANGED_VALUE)?;
        "supprimee"
    } else {
        let sql = vocab_sql!(
            kind,
            "UPDATE ",
            " SET retired = ?, version = version + 1 WHERE id = ? AND version = ?"
        );
        let done = sqlx::query(sql)
            .bind(retired)
            .bind(id)
            .bind(expected)
            .execute(&mut *tx)
            .await?;
        one_row(done, CHANGED_VALUE)?;
        if retired {
            "retiree"
        } else {
            "retablie"
        }
    };
    tx.commit().await?;
    Ok(done)
}

/// id, email, name, structure, role, confirmed, disabled, events, version.
type AccountRow = (i64, String, String, String, String, bool, bool, i64, i64);

pub async fn search_accounts(pool: &SqlitePool, q: &str) -> Result<Vec<AccountLine>, AppError> {
    let pattern = format!("%{}%", q.trim().replace(['%', '_'], ""));
    let rows: Vec<AccountRow> = sqlx::query_as(
        "SELECT a.id, a.email, a.name, a.structure, a.role, a.email_confirmed_at IS NOT NULL, a.disabled_at IS NOT NULL, \
            (SELECT count(*) FROM events WHERE organizer_id = a.id), a.version \
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
            |(id, email, name, structure, role, confirmed, disabled, events, version)| {
                AccountLine {
                    id,
                    email,
                    name,
                    structure,
                    role: Role::parse(&role).unwrap_or(Role::Organizer),
                    confirmed,
                    disabled,
                    events,
                    version,
                }
            },
        )
        .collect())
}

const CHANGED_ACCOUNT: &str = "Ce compte a été modifié par quelqu'un d'autre";

/// Sets the role and access of an account that still has `version`; disabling it ends its
/// sessions.
pub async fn update_account(
    pool: &SqlitePool,
    admin_id: i64,
    id: i64,
    role: Role,
    disabled: bool,
    version: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if id == admin_id && (role != Role::Admin || disabled) {
        return Err(AppError::field(
            "role",
            "Vous ne pouvez pas retirer vos propres droits d'administration ni désactiver votre compte.",
        ));
    }
    let at = timestamp(now);
    let mut tx = crate::state::begin_write(pool).await?;
    let stored: Option<i64> = sqlx::query_scalar("SELECT version FROM accounts WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
    let expected = check_version(stored, version, "Ce compte n'existe pas.", CHANGED_ACCOUNT)?;
    let done = sqlx::query(
        "UPDATE accounts SET role = ?, disabled_at = CASE WHEN ? THEN coalesce(disabled_at, ?) ELSE NULL END, \
            updated_at = ?, version = version + 1 WHERE id = ? AND version = ?",
    )
    .bind(role.as_str())
    .bind(disabled)
    .bind(&at)
    .bind(&at)
    .bind(id)
    .bind(expected)
    .execute(&mut *tx)
    .await?;
    one_row(done, CHANGED_ACCOUNT)?;
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

/// The version of the lab of `slug` (`None`: no such lab).
pub async fn lab_version(pool: &SqlitePool, slug: &str) -> Result<Option<i64>, AppError> {
    Ok(
        sqlx::query_scalar("SELECT version FROM labs WHERE slug = ?")
            .bind(slug)
            .fetch_optional(pool)
            .await?,
    )
}

const CHANGED_LAB: &str = "Ce laboratoire a été modifié par quelqu'un d'autre";

/// Creates a lab (no `slug`: `version` is not read), or updates the lab of `slug` if it still
/// has `version`.
pub async fn save_lab(
    pool: &SqlitePool,
    slug: Option<&str>,
    lab: &super::model::ValidLab,
    version: Option<i64>,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let at = timestamp(now);
    let (lat, lon) = match lab.coordinates {
        Some((lat, lon)) => (Some(lat), Some(lon)),
        None => (None, None),
    };
    let mut tx = crate::state::begin_write(pool).await?;
    let slug = match slug.filter(|s| !s.is_empty()) {
        Some(slug) => {
            let stored: Option<i64> = sqlx::query_scalar("SELECT version FROM labs WHERE slug = ?")
                .bind(slug)
                .fetch_optional(&mut *tx)
                .await?;
            let expected =
                check_version(stored, version, "Ce laboratoire n'existe pas.", CHANGED_LAB)?;
            let query = sqlx::query(
                "UPDATE labs SET name = ?, host_structure = ?, lab_type_id = ?, region_code = ?, city = ?, \
                    latitude = ?, longitude = ?, website = ?, description = ?, created_year = ?, updated_at = ?, \
                    version = version + 1 \
                 WHERE slug = ? AND version = ?",
            );
            let done = lab_values!(query, lab, lat, lon)
                .bind(&at)
                .bind(slug)
                .bind(expected)
                .execute(&mut *tx)
                .await?;
            one_row(done, CHANGED_LAB)?;
            slug.to_string()
        }
        None => {
            let base: String = slug::slugify(&lab.name).chars().take(80).collect();
            let mut candidate = base.clone();
            let mut n = 2;
            while sqlx::query_scalar::<_, i64>("SELECT id FROM labs WHERE slug = ?")
                .bind(&candidate)
                .fetch_optional(&mut *tx)
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
                .execute(&mut *tx)
                .await?;
            candidate
        }
    };
    tx.commit().await?;
    Ok(slug)
}

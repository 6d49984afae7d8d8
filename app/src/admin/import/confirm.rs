//! A kept run: as its page shows it, and imported as checked, all rows or none.
use chrono::{DateTime, Utc};
use sqlx::SqlitePool;

use super::check::check;
use super::plan::{as_admin, Planned, Target};
use crate::admin::model::{ImportReport, ImportRun, ImportSummary, RowAction};
use crate::error::AppError;
use crate::events::tz;
use crate::organizer::validation::EventInput;
use crate::reference::{EventStatus, PARIS_TZ};
use crate::time::timestamp;

#[derive(sqlx::FromRow)]
struct RunRow {
    id: i64,
    file_name: String,
    csv: String,
    report_json: String,
    created_at: String,
    imported_at: Option<String>,
    summary_json: Option<String>,
}

fn run_not_found() -> AppError {
    AppError::NotFound(
        "Cette vérification n'existe pas ou plus (elles sont gardées sept jours) : envoyez le fichier de nouveau."
            .into(),
    )
}

/// A run of this administrator (another's is « not found »).
async fn run_row(pool: &SqlitePool, admin_id: i64, id: i64) -> Result<RunRow, AppError> {
    sqlx::query_as::<_, RunRow>(
        "SELECT id, file_name, csv, report_json, created_at, imported_at, summary_json \
         FROM import_runs WHERE id = ? AND account_id = ?",
    )
    .bind(id)
    .bind(admin_id)
    .fetch_optional(pool)
    .await?
    .ok_or_else(run_not_found)
}

fn in_words(at: &str) -> String {
    DateTime::parse_from_rfc3339(at)
        .map(|at| crate::fr::date_time(tz::local(at.with_timezone(&Utc), PARIS_TZ)))
        .unwrap_or_default()
}

fn from_json<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, AppError> {
    serde_json::from_str(json).map_err(|e| AppError::internal("import run", e))
}

/// A run as its page shows it.
pub async fn load_run(pool: &SqlitePool, admin_id: i64, id: i64) -> Result<ImportRun, AppError> {
    let row = run_row(pool, admin_id, id).await?;
    let report: ImportReport = from_json(&row.report_json)?;
    let imported = match (&row.imported_at, &row.summary_json) {
        (Some(at), Some(summary)) => Some((in_words(at), from_json::<ImportSummary>(summary)?)),
        _ => None,
    };
    let pasted =
        (row.file_name.is_empty() && report.invalid > 0 && imported.is_none()).then_some(row.csv);
    Ok(ImportRun {
        id: row.id,
        file_name: row.file_name,
        checked_at: in_words(&row.created_at),
        report,
        imported,
        pasted,
    })
}

/// Imports a checked run, as checked: all rows or none, in one transaction. Refused if it was
/// imported already, if it had errors, or if the data changed since the check so that a row
/// would now do something else (its report is then brought up to date, to be confirmed again).
pub async fn confirm(
    pool: &SqlitePool,
    admin_id: i64,
    id: i64,
    now: DateTime<Utc>,
) -> Result<ImportSummary, AppError> {
    let run = run_row(pool, admin_id, id).await?;
    if let Some(at) = &run.imported_at {
        return Err(AppError::Conflict(format!(
            "Ce fichier a déjà été importé ({}). Pour mettre ses événements à jour, envoyez-le de nouveau : \
             les lignes déjà importées seront mises à jour, pas créées une seconde fois.",
            in_words(at)
        )));
    }
    let checked: ImportReport = from_json(&run.report_json)?;
    if checked.invalid > 0 {
        return Err(AppError::Conflict(
            "Ce fichier contient des erreurs : corrigez-les dans le fichier, puis envoyez-le de nouveau."
                .into(),
        ));
    }
    let (report, resolved) = check(pool, admin_id, &run.csv, "fichier", now).await?;
    let actions = |r: &ImportReport| -> Vec<(usize, Option<RowAction>)> {
        r.rows.iter().map(|row| (row.line, row.action)).collect()
    };
    if report.invalid > 0 || actions(&report) != actions(&checked) {
        let json =
            serde_json::to_string(&report).map_err(|e| AppError::internal("import report", e))?;
        sqlx::query("UPDATE import_runs SET report_json = ? WHERE id = ? AND imported_at IS NULL")
            .bind(json)
            .bind(id)
            .execute(pool)
            .await?;
        return Err(AppError::Conflict(
            "Les données ont changé depuis la vérification : le compte rendu ci-dessous est à jour, \
             relisez-le avant de confirmer de nouveau."
                .into(),
        ));
    }
    let mut tx = crate::state::begin_write(pool).await?;
    let claimed =
        sqlx::query("UPDATE import_runs SET imported_at = ? WHERE id = ? AND imported_at IS NULL")
            .bind(timestamp(now))
            .bind(id)
            .execute(&mut *tx)
            .await?;
    if claimed.rows_affected() != 1 {
        return Err(AppError::Conflict("Ce fichier a déjà été importé.".into()));
    }
    let mut summary = ImportSummary {
        created: 0,
        updated: 0,
        unchanged: 0,
    };
    for (plan, target) in &resolved {
        match target {
            Target::Create => {
                create(&mut tx, plan, admin_id, now).await?;
                summary.created += 1;
            }
            Target::Update {
                id: event, version, ..
            } => {
                update(pool, &mut tx, plan, admin_id, *event, *version, now).await?;
                summary.updated += 1;
            }
            Target::Unchanged { .. } => summary.unchanged += 1,
        }
    }
    let json =
        serde_json::to_string(&summary).map_err(|e| AppError::internal("import summary", e))?;
    sqlx::query("UPDATE import_runs SET summary_json = ? WHERE id = ?")
        .bind(json)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(summary)
}

/// Writes a new event of the file, with its key and its audit line.
async fn create(
    tx: &mut sqlx::SqliteConnection,
    plan: &Planned,
    admin_id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (event, _) = crate::organizer::db::insert_event(
        &mut *tx,
        plan.organizer_id.unwrap_or(admin_id),
        plan.year,
        &plan.valid,
        &plan.zone,
        plan.status,
        now,
    )
    .await?;
    if !plan.key.is_empty() {
        sqlx::query("INSERT INTO event_import_keys (key, event_id) VALUES (?, ?)")
            .bind(&plan.key)
            .bind(event)
            .execute(&mut *tx)
            .await?;
    }
    crate::organizer::audit::record(&mut *tx, event, admin_id, "create", "import CSV", now).await?;
    Ok(())
}

/// Writes an event of the file over the existing one: its content, edition, organizer and
/// the dates of its status, its key, and the audit line that names what changed.
async fn update(
    pool: &SqlitePool,
    tx: &mut sqlx::SqliteConnection,
    plan: &Planned,
    admin_id: i64,
    event: i64,
    version: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let before = crate::organizer::db::editable(pool, &as_admin(admin_id), event)
        .await?
        .input;
    let state = crate::events::lifecycle::State::new(plan.status);
    crate::organizer::db::write_content(
        &mut *tx,
        event,
        version,
        &plan.valid,
        &plan.zone,
        state,
        false,
        now,
    )
    .await?;
    let at = timestamp(now);
    let public = matches!(plan.status, EventStatus::Published | EventStatus::Cancelled);
    let submitted = matches!(plan.status, EventStatus::Submitted | EventStatus::Published);
    sqlx::query(
        "UPDATE events SET edition_year = ?, organizer_id = COALESCE(?, organizer_id), \
            published_at = CASE WHEN ? THEN COALESCE(published_at, ?) ELSE published_at END, \
            submitted_at = CASE WHEN ? THEN COALESCE(submitted_at, ?) ELSE submitted_at END, \
            cancelled_at = CASE WHEN ? THEN COALESCE(cancelled_at, ?) ELSE NULL END \
         WHERE id = ?",
    )
    .bind(plan.year)
    .bind(plan.organizer_id)
    .bind(public)
    .bind(&at)
    .bind(submitted)
    .bind(&at)
    .bind(plan.status == EventStatus::Cancelled)
    .bind(&at)
    .bind(event)
    .execute(&mut *tx)
    .await?;
    if !plan.key.is_empty() {
        // An event found by its slug keeps the file's key too (no-op when the key
        // is its own).
        sqlx::query(
            "INSERT INTO event_import_keys (key, event_id) VALUES (?, ?) \
             ON CONFLICT DO NOTHING",
        )
        .bind(&plan.key)
        .bind(event)
        .execute(&mut *tx)
        .await?;
    }
    let changes =
        crate::organizer::model::changed_fields(&before, &EventInput::from_valid(&plan.valid))
            .join(", ");
    crate::organizer::audit::record(
        &mut *tx,
        event,
        admin_id,
        "edit",
        &format!("import CSV : {changes}"),
        now,
    )
    .await?;
    Ok(())
}

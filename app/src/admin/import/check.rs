//! The whole file checked (every row with its errors, what the valid ones would do), and the
//! dry run that keeps it with its report.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::SqlitePool;

use super::cells::{formula_restored, has_control_character};
use super::plan::{context, plan_row, target_of, Context, Planned, Target};
use crate::admin::model::{ImportReport, ImportRow, RowAction};
use crate::error::AppError;
use crate::programme::fold::fold;
use crate::time::timestamp;

/// Checks a CSV file of events: every row with its errors by column, and what importing the
/// valid ones would do. `field` names the form field the text came from (file or paste), for
/// errors about the whole file.
pub(super) async fn check(
    pool: &SqlitePool,
    admin_id: i64,
    csv_text: &str,
    field: &str,
    now: DateTime<Utc>,
) -> Result<(ImportReport, Vec<(Planned, Target)>), AppError> {
    let ctx = context(pool, now).await?;
    let (mut reader, headers) = open(csv_text, field)?;
    let (mut rows, planned) = read_rows(&ctx, &mut reader, &headers);
    if rows.is_empty() {
        return Err(AppError::field(
            field,
            "Le fichier ne contient aucune ligne d'événement après sa ligne d'en-tête.",
        ));
    }
    let resolved = resolve(pool, &ctx, admin_id, &mut rows, planned).await?;
    Ok((report_of(rows), resolved))
}

/// The file's reader (`;` or `,`, whichever its first line has more of) and its headers,
/// folded; an error on `field` if it is empty or lacks a required column.
fn open<'a>(
    csv_text: &'a str,
    field: &str,
) -> Result<(csv::Reader<&'a [u8]>, Vec<String>), AppError> {
    let csv_text = csv_text.trim_start_matches('\u{feff}');
    if csv_text.trim().is_empty() {
        return Err(AppError::field(
            field,
            "Le fichier est vide : il faut une ligne d'en-tête puis un événement par ligne.",
        ));
    }
    let first_line = csv_text.lines().next().unwrap_or("");
    let delimiter = if first_line.matches(';').count() > first_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(csv_text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| AppError::field(field, format!("En-tête illisible : {e}")))?
        .iter()
        .map(|h| fold(h).replace(' ', "_"))
        .collect();
    let missing: Vec<&str> = ["edition", "titre", "debut"]
        .into_iter()
        .filter(|c| !headers.iter().any(|h| h == c))
        .collect();
    if !missing.is_empty() {
        return Err(AppError::field(
            field,
            format!(
                "Colonnes obligatoires absentes de la première ligne : {}. La première ligne \
                 nomme les colonnes (téléchargez le fichier d'exemple pour les voir).",
                missing.join(", ")
            ),
        ));
    }
    Ok((reader, headers))
}

/// Every row of the file with its errors, and the plans of the valid ones (blank rows are
/// skipped).
fn read_rows(
    ctx: &Context,
    reader: &mut csv::Reader<&[u8]>,
    headers: &[String],
) -> (Vec<ImportRow>, Vec<Planned>) {
    let index: HashMap<&str, usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| (h.as_str(), i))
        .collect();
    let mut rows = Vec::new();
    let mut planned = Vec::new();
    for record in reader.records() {
        let (line, record) = match record {
            Ok(record) => (record.position().map_or(0, |p| p.line() as usize), record),
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                rows.push(ImportRow {
                    line,
                    title: String::new(),
                    key: String::new(),
                    action: None,
                    event_slug: None,
                    errors: vec![("ligne".into(), format!("Ligne illisible : {e}"))],
                });
                continue;
            }
        };
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let get = |column: &str| -> String {
            index
                .get(column)
                .and_then(|i| record.get(*i))
                .map(formula_restored)
                .unwrap_or("")
                .to_string()
        };
        let invisible = invisible_cells(&record, headers);
        let (title, outcome) = plan_row(ctx, &get, line);
        let key = get("identifiant").trim().to_string();
        let outcome = match outcome {
            Ok(_) if !invisible.is_empty() => Err(invisible),
            Err(mut errors) => {
                errors.extend(invisible);
                Err(errors)
            }
            ok => ok,
        };
        match outcome {
            Ok(plan) => {
                rows.push(ImportRow {
                    line,
                    title,
                    key,
                    action: None,
                    event_slug: None,
                    errors: Vec::new(),
                });
                planned.push(plan);
            }
            Err(errors) => rows.push(ImportRow {
                line,
                title,
                key,
                action: None,
                event_slug: None,
                errors,
            }),
        }
    }
    (rows, planned)
}

/// An error on each cell of `record` that holds a control character, named by its column.
fn invisible_cells(record: &csv::StringRecord, headers: &[String]) -> Vec<(String, String)> {
    record
        .iter()
        .enumerate()
        .filter(|(_, cell)| has_control_character(cell))
        .map(|(i, _)| {
            (
                headers
                    .get(i)
                    .cloned()
                    .unwrap_or_else(|| format!("colonne {}", i + 1)),
                "Cette cellule contient un caractère invisible interdit (caractère de \
                 contrôle) : retapez-la dans le tableur."
                    .to_string(),
            )
        })
        .collect()
}

/// What each valid row would do; two rows may not designate one event.
async fn resolve(
    pool: &SqlitePool,
    ctx: &Context,
    admin_id: i64,
    rows: &mut [ImportRow],
    planned: Vec<Planned>,
) -> Result<Vec<(Planned, Target)>, AppError> {
    let mut keys: HashMap<String, usize> = HashMap::new();
    let mut events: HashMap<i64, usize> = HashMap::new();
    let mut resolved = Vec::new();
    let by_line: HashMap<usize, usize> =
        rows.iter().enumerate().map(|(i, r)| (r.line, i)).collect();
    for plan in planned {
        let row = &mut rows[by_line[&plan.line]];
        if !plan.key.is_empty() {
            if let Some(first) = keys.get(&plan.key) {
                row.errors.push((
                    "identifiant".into(),
                    format!("Cet identifiant est déjà celui de la ligne {first} du fichier."),
                ));
                continue;
            }
            keys.insert(plan.key.clone(), plan.line);
        }
        let target = target_of(pool, ctx, admin_id, &plan).await?;
        if let Target::Update { id, slug, .. } | Target::Unchanged { id, slug } = &target {
            if let Some(first) = events.get(id) {
                row.errors.push((
                    "identifiant".into(),
                    format!(
                        "Cette ligne désigne le même événement que la ligne {first} du fichier."
                    ),
                ));
                continue;
            }
            events.insert(*id, plan.line);
            row.event_slug = Some(slug.clone());
        }
        row.action = Some(target.action());
        resolved.push((plan, target));
    }
    Ok(resolved)
}

/// The report of the checked rows: how many are valid, and what they would do.
fn report_of(rows: Vec<ImportRow>) -> ImportReport {
    let invalid = rows.iter().filter(|r| !r.errors.is_empty()).count();
    let count = |action: RowAction| {
        rows.iter()
            .filter(|r| r.action == Some(action) && r.errors.is_empty())
            .count()
    };
    ImportReport {
        valid: rows.len() - invalid,
        invalid,
        to_create: count(RowAction::Create),
        to_update: count(RowAction::Update),
        unchanged: count(RowAction::Unchanged),
        rows,
    }
}

/// Checked files are kept this long unless imported.
const RUNS_KEPT: chrono::Duration = chrono::Duration::days(7);

/// A file name as shown on the page: no path, no control character, at most 200 characters.
pub(super) fn clean_file_name(name: &str) -> String {
    let name = name.rsplit(['/', '\\']).next().unwrap_or(name);
    name.chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect::<String>()
        .trim()
        .to_string()
}

/// The dry run: checks the file and keeps it with its report for the administrator who sent
/// it; returns the run's id (its page: `/admin/import?essai=ID`). An error about the whole
/// file (no header, not UTF-8…) is the form's, on `field`, and keeps nothing.
pub async fn dry_run(
    pool: &SqlitePool,
    admin_id: i64,
    file_name: &str,
    csv_text: &str,
    field: &str,
    now: DateTime<Utc>,
) -> Result<(i64, ImportReport), AppError> {
    let (report, _) = check(pool, admin_id, csv_text, field, now).await?;
    let json =
        serde_json::to_string(&report).map_err(|e| AppError::internal("import report", e))?;
    let mut tx = crate::state::begin_write(pool).await?;
    sqlx::query("DELETE FROM import_runs WHERE imported_at IS NULL AND created_at < ?")
        .bind(timestamp(now - RUNS_KEPT))
        .execute(&mut *tx)
        .await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO import_runs (account_id, file_name, csv, report_json, created_at) \
         VALUES (?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(admin_id)
    .bind(clean_file_name(file_name))
    .bind(csv_text)
    .bind(json)
    .bind(timestamp(now))
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok((id, report))
}

//! CSV import and export of events (server only). The same columns both ways, so that an
//! export can be imported again. A dry run reports every row with its errors by column;
//! the import itself runs all-or-nothing in one transaction.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::SqlitePool;

use super::model::{ImportReport, ImportRow};
use crate::error::AppError;
use crate::events::tz;
use crate::organizer::model::FormOptions;
use crate::organizer::validation::{format_local, EventInput, Rules};
use crate::programme::fold::fold;
use crate::reference::{EventStatus, Mode};

pub use super::model::IMPORT_COLUMNS as COLUMNS;

/// Put before the admin export and the report CSV: the byte order mark by which Excel reads
/// the file as UTF-8 (accents); the import skips it.
pub const BOM: &str = "\u{feff}";

/// OWASP's rule against CSV (formula) injection: a cell that a spreadsheet would read as a
/// formula (it begins with `=`, `+`, `-`, `@`, TAB or CR) is written after a single quote.
/// Quotes already in front of such a cell count for nothing, so that every written value
/// maps back to exactly one value (`formula_restored`): `'=x` is written `''=x`.
fn reads_as_formula(cell: &str) -> bool {
    cell.trim_start_matches('\'')
        .starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// The cell as every CSV of the platform writes it (see `reads_as_formula`).
pub fn formula_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if reads_as_formula(cell) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// The value of a cell written by `formula_safe` (the import reads the export back).
pub fn formula_restored(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(value) if reads_as_formula(value) => value,
        _ => cell,
    }
}

/// Writes one record, every cell through `formula_safe`: the only way the platform writes
/// CSV (open data, admin export, edition report).
pub fn write_safe_record<W: std::io::Write>(
    out: &mut csv::Writer<W>,
    cells: impl IntoIterator<Item = impl AsRef<str>>,
) -> csv::Result<()> {
    for cell in cells {
        out.write_field(formula_safe(cell.as_ref()).as_bytes())?;
    }
    out.write_record(None::<&[u8]>)
}

/// The CSV column of a validation field.
fn column_of(field: &str) -> &'static str {
    match field {
        "title" => "titre",
        "summary" => "resume",
        "description" => "description",
        "themes" => "themes",
        "format" => "format",
        "mode" => "modalite",
        "audience" => "public",
        "structure_name" => "structure",
        "organizer_type" => "type_structure",
        "lab" => "laboratoire",
        "region" => "region",
        "department" => "departement",
        "city" => "commune",
        "venue_name" => "lieu",
        "venue_address" => "adresse",
        "postal_code" => "code_postal",
        "online_url" => "lien_en_ligne",
        "starts_at" => "debut",
        "ends_at" => "fin",
        "out_of_period_reason" => "hors_periode",
        "registration_url" => "inscription",
        "capacity" => "places",
        "contact_name" => "contact_nom",
        "contact_email" => "contact_email",
        "accessibility" => "accessibilite",
        _ => "?",
    }
}

fn status_of(text: &str) -> Option<EventStatus> {
    match fold(text).as_str() {
        "" | "publie" | "published" => Some(EventStatus::Published),
        "brouillon" | "draft" => Some(EventStatus::Draft),
        "soumis" | "submitted" => Some(EventStatus::Submitted),
        "annule" | "cancelled" => Some(EventStatus::Cancelled),
        "refuse" | "rejected" => Some(EventStatus::Rejected),
        "modifications demandees" | "changes_requested" => Some(EventStatus::ChangesRequested),
        _ => None,
    }
}

fn status_text(status: EventStatus) -> &'static str {
    match status {
        EventStatus::Published => "publié",
        EventStatus::Draft => "brouillon",
        EventStatus::Submitted => "soumis",
        EventStatus::Cancelled => "annulé",
        EventStatus::Rejected => "refusé",
        EventStatus::ChangesRequested => "modifications demandées",
    }
}

/// Finds a vocabulary value by its label or slug, ignoring case and accents.
fn find(items: &[crate::reference::VocabularyItem], text: &str) -> Option<i64> {
    let wanted = fold(text);
    items
        .iter()
        .find(|i| fold(&i.label) == wanted || fold(&i.slug) == wanted)
        .map(|i| i.id)
}

struct Context {
    options: FormOptions,
    /// Per edition year: the rules (dates of that edition).
    rules: HashMap<i32, Rules>,
    accounts: HashMap<String, i64>,
    labs: Vec<(i64, String, String)>,
}

async fn context(pool: &SqlitePool, now: DateTime<Utc>) -> Result<Context, AppError> {
    let options = crate::organizer::db::form_options(pool, now).await?;
    let mut rules = HashMap::new();
    for edition in super::db::all_editions(pool).await? {
        let mut r = options.rules();
        r.edition_starts_on = edition.starts_on;
        r.edition_ends_on = edition.ends_on;
        rules.insert(edition.year, r);
    }
    let accounts: Vec<(String, i64)> = sqlx::query_as("SELECT lower(email), id FROM accounts")
        .fetch_all(pool)
        .await?;
    let labs: Vec<(i64, String, String)> = sqlx::query_as("SELECT id, name, slug FROM labs")
        .fetch_all(pool)
        .await?;
    Ok(Context {
        options,
        rules,
        accounts: accounts.into_iter().collect(),
        labs,
    })
}

/// A row ready to insert.
struct Planned {
    year: i32,
    status: EventStatus,
    organizer_id: i64,
    valid: crate::organizer::validation::ValidEvent,
}

fn plan_row(
    ctx: &Context,
    get: &dyn Fn(&str) -> String,
    default_organizer: i64,
) -> (String, Result<Planned, Vec<(String, String)>>) {
    let mut errors: Vec<(String, String)> = Vec::new();
    let mut err =
        |column: &str, message: &str| errors.push((column.to_string(), message.to_string()));
    let title = get("titre");
    let year = get("edition").trim().parse::<i32>().ok();
    let rules = year.and_then(|y| ctx.rules.get(&y));
    if rules.is_none() {
        err(
            "edition",
            "Édition inconnue : indiquez l'année d'une édition existante, par exemple 2026.",
        );
    }
    let status = status_of(&get("statut"));
    if status.is_none() {
        err("statut", "Statut inconnu : publié, soumis, brouillon, annulé, refusé ou modifications demandées.");
    }
    let o = &ctx.options;
    let mut lookup =
        |column: &str, items: &[crate::reference::VocabularyItem], what: &str| -> Option<i64> {
            let text = get(column);
            if text.trim().is_empty() {
                return None;
            }
            let found = find(items, &text);
            if found.is_none() {
                err(column, &format!("{what} inconnu : « {} ».", text.trim()));
            }
            found
        };
    let format_id = lookup("format", &o.formats, "Format");
    let audience_id = lookup("public", &o.audiences, "Public");
    let organizer_type_id = lookup("type_structure", &o.organizer_types, "Type de structure");
    let mut themes = Vec::new();
    for part in get("themes")
        .split('|')
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        match find(&o.themes, part) {
            Some(id) => themes.push(id),
            None => err("themes", &format!("Thème inconnu : « {part} ».")),
        }
    }
    let mode_text = fold(&get("modalite")).replace(' ', "_");
    let mode = match mode_text.as_str() {
        "" => None,
        "presentiel" => Some(Mode::Presentiel),
        "en_ligne" => Some(Mode::EnLigne),
        "hybride" => Some(Mode::Hybride),
        _ => {
            err(
                "modalite",
                "Modalité inconnue : présentiel, en ligne ou hybride.",
            );
            None
        }
    };
    let region_text = get("region");
    let region_code = o
        .regions
        .iter()
        .find(|r| r.code == region_text.trim() || fold(&r.name) == fold(&region_text))
        .map(|r| r.code.clone())
        .unwrap_or_else(|| region_text.trim().to_string());
    let lab_text = get("laboratoire");
    let lab_id = if lab_text.trim().is_empty() {
        None
    } else {
        let found = ctx
            .labs
            .iter()
            .find(|(_, name, slug)| fold(name) == fold(&lab_text) || *slug == lab_text.trim())
            .map(|l| l.0);
        if found.is_none() {
            err("laboratoire", "Laboratoire inconnu de l'Atlas.");
        }
        found
    };
    let organizer_email = get("organisateur_email").trim().to_lowercase();
    let organizer_id = if organizer_email.is_empty() {
        default_organizer
    } else {
        match ctx.accounts.get(&organizer_email) {
            Some(id) => *id,
            None => {
                err(
                    "organisateur_email",
                    "Aucun compte n'a cette adresse : créez-le d'abord ou laissez vide.",
                );
                default_organizer
            }
        }
    };
    let out_of_period_reason = get("hors_periode");
    let input = EventInput {
        title: title.clone(),
        summary: get("resume"),
        description: get("description"),
        themes,
        format_id,
        mode,
        audience_id,
        structure_name: get("structure"),
        organizer_type_id,
        lab_id,
        region_code,
        department_code: get("departement"),
        city: get("commune"),
        venue_name: get("lieu"),
        venue_address: get("adresse"),
        postal_code: get("code_postal"),
        online_url: get("lien_en_ligne"),
        starts_local: get("debut").trim().replace(' ', "T"),
        ends_local: get("fin").trim().replace(' ', "T"),
        out_of_period: !out_of_period_reason.trim().is_empty(),
        out_of_period_reason,
        registration_url: get("inscription"),
        capacity: get("places"),
        contact_name: get("contact_nom"),
        contact_email: get("contact_email"),
        accessibility: get("accessibilite"),
    };
    let valid = match rules.map(|r| input.validate(r)) {
        Some(Ok(valid)) => Some(valid),
        Some(Err(field_errors)) => {
            for e in field_errors {
                // A reference already reported (unknown value) is not reported twice.
                let column = column_of(&e.field);
                if !errors.iter().any(|(c, _)| c == column) {
                    errors.push((column.to_string(), e.message));
                }
            }
            None
        }
        None => None,
    };
    if !errors.is_empty() {
        return (title, Err(errors));
    }
    let valid = valid.expect("no errors");
    // The venue's time must exist in its zone.
    let zone = o.zone_of(&valid.region_code).to_string();
    if tz::to_utc(valid.starts_local, &zone).is_none()
        || tz::to_utc(valid.ends_local, &zone).is_none()
    {
        return (
            title,
            Err(vec![(
                "debut".into(),
                "Cette heure n'existe pas à cet endroit (changement d'heure).".into(),
            )]),
        );
    }
    (
        title,
        Ok(Planned {
            year: year.expect("checked"),
            status: status.expect("checked"),
            organizer_id,
            valid,
        }),
    )
}

/// Checks (and unless `dry_run`, imports) a CSV file of events.
pub async fn import(
    pool: &SqlitePool,
    admin_id: i64,
    csv_text: &str,
    dry_run: bool,
    now: DateTime<Utc>,
) -> Result<ImportReport, AppError> {
    let ctx = context(pool, now).await?;
    let first_line = csv_text.lines().next().unwrap_or("");
    let delimiter = if first_line.matches(';').count() > first_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(csv_text.trim_start_matches('\u{feff}').as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| AppError::field("fichier", format!("En-tête illisible : {e}")))?
        .iter()
        .map(|h| fold(h).replace(' ', "_"))
        .collect();
    let missing: Vec<&str> = ["edition", "titre", "debut", "fin"]
        .into_iter()
        .filter(|c| !headers.iter().any(|h| h == c))
        .collect();
    if !missing.is_empty() {
        return Err(AppError::field(
            "fichier",
            format!(
                "Colonnes obligatoires absentes de la première ligne : {}.",
                missing.join(", ")
            ),
        ));
    }
    let index: HashMap<&str, usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| (h.as_str(), i))
        .collect();
    let mut rows = Vec::new();
    let mut planned = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let line = n + 2;
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                rows.push(ImportRow {
                    line,
                    title: String::new(),
                    errors: vec![("ligne".into(), format!("Ligne illisible : {e}"))],
                });
                continue;
            }
        };
        let get = |column: &str| -> String {
            index
                .get(column)
                .and_then(|i| record.get(*i))
                .map(formula_restored)
                .unwrap_or("")
                .to_string()
        };
        let (title, outcome) = plan_row(&ctx, &get, admin_id);
        match outcome {
            Ok(plan) => {
                rows.push(ImportRow {
                    line,
                    title,
                    errors: Vec::new(),
                });
                planned.push(plan);
            }
            Err(errors) => rows.push(ImportRow {
                line,
                title,
                errors,
            }),
        }
    }
    if rows.is_empty() {
        return Err(AppError::field(
            "fichier",
            "Le fichier ne contient aucune ligne d'événement.",
        ));
    }
    let invalid = rows.iter().filter(|r| !r.errors.is_empty()).count();
    let mut report = ImportReport {
        valid: rows.len() - invalid,
        invalid,
        rows,
        imported: None,
    };
    if dry_run || invalid > 0 {
        return Ok(report);
    }
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    for plan in &planned {
        let zone = ctx.options.zone_of(&plan.valid.region_code).to_string();
        let (id, _) = crate::organizer::db::insert_event(
            &mut tx,
            plan.organizer_id,
            plan.year,
            &plan.valid,
            &zone,
            plan.status,
            now,
        )
        .await?;
        crate::organizer::audit::record(&mut tx, id, admin_id, "create", "import CSV", now).await?;
    }
    tx.commit().await?;
    report.imported = Some(planned.len());
    Ok(report)
}

/// Every event (all editions, all statuses) in the import format.
pub async fn export_csv(pool: &SqlitePool, now: DateTime<Utc>) -> Result<String, AppError> {
    let options = crate::organizer::db::form_options(pool, now).await?;
    #[allow(clippy::type_complexity)]
    let rows: Vec<(i64, i64, String, String, Option<String>, Option<String>, String)> = sqlx::query_as(
        "SELECT e.id, e.edition_year, e.status, a.email, l.name, \
            (SELECT group_concat(t.label, '|') FROM (SELECT t.label FROM event_themes et JOIN themes t ON t.id = et.theme_id WHERE et.event_id = e.id ORDER BY t.position) t), \
            e.slug \
         FROM events e JOIN accounts a ON a.id = e.organizer_id LEFT JOIN labs l ON l.id = e.lab_id \
         ORDER BY e.edition_year, e.starts_at, e.id",
    )
    .fetch_all(pool)
    .await?;
    let all_labels = |items: &[crate::reference::VocabularyItem], id: Option<i64>| {
        id.and_then(|id| items.iter().find(|i| i.id == id))
            .map(|i| i.label.clone())
            .unwrap_or_default()
    };
    // Retired values are still exported by label: read every vocabulary, retired included.
    let mut vocab: HashMap<&str, Vec<crate::reference::VocabularyItem>> = HashMap::new();
    for kind in ["formats", "audiences", "organizer_types"] {
        vocab.insert(
            kind,
            super::db::vocabulary(pool, kind)
                .await?
                .into_iter()
                .map(|e| e.item)
                .collect(),
        );
    }
    let admin = crate::accounts::CurrentAccount {
        id: 0,
        email: String::new(),
        name: String::new(),
        structure: String::new(),
        role: crate::reference::Role::Admin,
        organizer_type_id: None,
        region_code: None,
    };
    let mut out = csv::Writer::from_writer(BOM.as_bytes().to_vec());
    let fail = |e: csv::Error| AppError::internal("export csv", e);
    write_safe_record(&mut out, COLUMNS).map_err(fail)?;
    let mut conn = pool.acquire().await?;
    for (id, year, status, email, lab, themes, _slug) in rows {
        let input = crate::organizer::db::editable(pool, &admin, id)
            .await?
            .input;
        let _ = &mut conn;
        let region = input.region_code.clone();
        write_safe_record(
            &mut out,
            [
                year.to_string(),
                status_text(EventStatus::parse(&status).unwrap_or(EventStatus::Draft)).to_string(),
                input.title,
                input.summary,
                input.description,
                themes.unwrap_or_default(),
                all_labels(&vocab["formats"], input.format_id),
                input
                    .mode
                    .map(|m| m.as_str().to_string())
                    .unwrap_or_default(),
                all_labels(&vocab["audiences"], input.audience_id),
                input.structure_name,
                all_labels(&vocab["organizer_types"], input.organizer_type_id),
                lab.unwrap_or_default(),
                region,
                input.department_code,
                input.city,
                input.venue_name,
                input.venue_address,
                input.postal_code,
                input.online_url,
                input.starts_local.replace('T', " "),
                input.ends_local.replace('T', " "),
                input.out_of_period_reason,
                input.registration_url,
                input.capacity,
                input.contact_name,
                input.contact_email,
                input.accessibility,
                email,
            ],
        )
        .map_err(fail)?;
    }
    let _ = (&options, format_local);
    String::from_utf8(
        out.into_inner()
            .map_err(|e| AppError::internal("export csv", e))?,
    )
    .map_err(|e| AppError::internal("export csv", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_as_formulas_are_quoted_and_read_back() {
        for (value, written) in [
            (
                "=HYPERLINK(\"http://evil.example\",\"x\")",
                "'=HYPERLINK(\"http://evil.example\",\"x\")",
            ),
            ("+1", "'+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(1)", "'@SUM(1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("'=x", "''=x"),
            ("''+1", "'''+1"),
            ("'quoted", "'quoted"),
            ("Atelier = échange", "Atelier = échange"),
            ("2026-11-02 10:00", "2026-11-02 10:00"),
            ("", ""),
        ] {
            assert_eq!(formula_safe(value), written);
            assert_eq!(formula_restored(written), value, "{written}");
        }
    }

    #[test]
    fn records_are_written_safe() {
        let mut out = csv::Writer::from_writer(Vec::new());
        write_safe_record(&mut out, ["=1+1", "ok", "@a"]).unwrap();
        write_safe_record(&mut out, [String::from("-3"), "+".into(), "a,b".into()]).unwrap();
        let text = String::from_utf8(out.into_inner().unwrap()).unwrap();
        assert_eq!(text, "'=1+1,ok,'@a\n'-3,'+,\"a,b\"\n");
    }
}

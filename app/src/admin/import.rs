//! CSV import and export of events (server only). The same columns both ways, so that an
//! export can be imported again. The import runs in two steps: a dry run checks the file and
//! keeps it with its report (every row with its errors by column, or what importing it would
//! create or update); the administrator then confirms that very run, imported all-or-nothing
//! in one transaction. Each row's `identifiant` is a stable key: importing a file again
//! updates the events it created.
use std::collections::HashMap;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use sqlx::SqlitePool;

use super::model::{ImportReport, ImportRow, ImportRun, ImportSummary, RowAction};
use crate::error::AppError;
use crate::events::tz;
use crate::organizer::model::FormOptions;
use crate::organizer::validation::{format_local, EventInput, Rules, ValidEvent};
use crate::programme::fold::fold;
use crate::reference::{EventStatus, Mode, PARIS_TZ};
use crate::time::timestamp;

pub use super::export::{example_csv, export_csv};
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

pub(super) fn status_text(status: EventStatus) -> &'static str {
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
        // History brought in: what it does not tell may stay empty (never invented).
        r.archive = edition.archive;
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

/// A date or date-time of the `debut` and `fin` columns, as written in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// A wall-clock time without offset: the venue's local time.
    Local(NaiveDateTime),
    /// ISO 8601 with an offset (`2026-11-10T14:00:00+01:00`, `…Z`): an instant, shown at the
    /// venue's local time.
    Instant(DateTime<FixedOffset>),
    /// A date alone: an all-day event.
    Day(NaiveDate),
}

/// The formats the import reads, as the page and the error messages name them.
pub const DATE_FORMATS: &str = "2026-11-10 14:00 (ou 2026-11-10T14:00), \
    2026-11-10T14:00:00+01:00 (avec décalage horaire, converti à l'heure du lieu), \
    10/11/2026 14:00, ou une date seule (2026-11-10 ou 10/11/2026) pour un événement sur la journée";

/// `2026-11-10` or `10/11/2026` (day and month of one or two digits), a year of
/// `validation::YEARS`.
fn parse_day(text: &str) -> Option<NaiveDate> {
    let date = if text.contains('/') {
        let parts: Vec<&str> = text.split('/').collect();
        match parts.as_slice() {
            [d, m, y] if y.len() == 4 && d.len() <= 2 && m.len() <= 2 => {
                NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?
            }
            _ => return None,
        }
    } else {
        let parts: Vec<&str> = text.split('-').collect();
        match parts.as_slice() {
            [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => {
                NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?
            }
            _ => return None,
        }
    };
    crate::organizer::validation::YEARS
        .contains(&date.year())
        .then_some(date)
}

/// `14:00`, `14:00:00` (a fraction of a second is ignored) or `14h00`, `14h`.
fn parse_time(text: &str) -> Option<NaiveTime> {
    let text = text.split('.').next().unwrap_or(text);
    let parts: Vec<&str> = if text.contains('h') {
        text.split('h').collect()
    } else {
        text.split(':').collect()
    };
    let number = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    match parts.as_slice() {
        [h, m] if text.contains('h') && m.is_empty() => NaiveTime::from_hms_opt(number(h)?, 0, 0),
        [h, m] => NaiveTime::from_hms_opt(number(h)?, number(m)?, 0),
        [h, m, s] if !text.contains('h') => {
            NaiveTime::from_hms_opt(number(h)?, number(m)?, number(s)?)
        }
        _ => None,
    }
}

/// `Z`, `+01:00`, `+0100`, `-04` as an offset.
fn parse_offset(text: &str) -> Option<FixedOffset> {
    if text.eq_ignore_ascii_case("z") {
        return FixedOffset::east_opt(0);
    }
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) || !matches!(digits.len(), 2 | 4) {
        return None;
    }
    let hours: i32 = digits[..2].parse().ok()?;
    let minutes: i32 = if digits.len() == 4 {
        digits[2..].parse().ok()?
    } else {
        0
    };
    if hours > 14 || minutes > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

/// A cell of `debut` or `fin` in one of the [`DATE_FORMATS`].
pub fn parse_when(text: &str) -> Option<When> {
    let text = text.trim();
    let (date, rest) = match text.find([' ', 'T']) {
        Some(i) => (&text[..i], Some(text[i + 1..].trim())),
        None => (text, None),
    };
    let day = parse_day(date)?;
    let Some(rest) = rest else {
        return Some(When::Day(day));
    };
    // The offset, if any, follows the time: `Z`, or from its sign.
    let (time, offset) = if let Some(time) = rest.strip_suffix(['Z', 'z']) {
        (time, Some("Z"))
    } else {
        match rest.find(['+', '-']) {
            Some(i) => (&rest[..i], Some(&rest[i..])),
            None => (rest, None),
        }
    };
    let at = day.and_time(parse_time(time.trim())?);
    match offset {
        None => Some(When::Local(at)),
        Some(offset) => {
            let offset = parse_offset(offset.trim())?;
            offset.from_local_datetime(&at).single().map(When::Instant)
        }
    }
}

/// The value of the event form's date field for `when` at a venue of time zone `zone`:
/// `2026-11-10T14:00`, or `2026-11-10` for a date alone (an all-day event).
pub fn when_local(when: When, zone: &str) -> String {
    match when {
        When::Local(at) => format_local(at),
        When::Instant(at) => format_local(tz::local(at.with_timezone(&Utc), zone)),
        When::Day(day) => day.format("%Y-%m-%d").to_string(),
    }
}

/// Values of `hors_periode` that are a yes or a no rather than a reason.
fn out_of_period_value(text: &str) -> Result<String, &'static str> {
    match fold(text).as_str() {
        "" | "non" | "no" | "0" | "faux" | "false" | "-" => Ok(String::new()),
        "oui" | "yes" | "x" | "1" | "vrai" | "true" => Err(
            "hors_periode attend la raison pour laquelle l'événement a lieu en dehors du Mois \
             (un texte que le public lit), pas « oui » : laissez vide pour un événement pendant le Mois.",
        ),
        _ => Ok(text.trim().to_string()),
    }
}

/// A character that no cell may hold: a control character other than TAB and line breaks.
fn has_control_character(text: &str) -> bool {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let forbidden = match c {
            '\t' | '\n' => false,
            '\r' => chars.peek() != Some(&'\n'),
            c => c.is_control(),
        };
        if forbidden {
            return true;
        }
    }
    false
}

/// A valid row: what to write.
struct Planned {
    line: usize,
    key: String,
    year: i32,
    status: EventStatus,
    /// From `organisateur_email`; `None`: the importing admin for a new event, unchanged for
    /// an existing one.
    organizer_id: Option<i64>,
    valid: ValidEvent,
    zone: String,
}

/// What importing a valid row does to the database.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    Create,
    Update { id: i64, version: i64, slug: String },
    Unchanged { id: i64, slug: String },
}

impl Target {
    fn action(&self) -> RowAction {
        match self {
            Target::Create => RowAction::Create,
            Target::Update { .. } => RowAction::Update,
            Target::Unchanged { .. } => RowAction::Unchanged,
        }
    }
}

const KEY_MAX: usize = 200;

#[allow(clippy::needless_update)] // `..Default::default()`: fields the import does not fill
fn plan_row(
    ctx: &Context,
    get: &dyn Fn(&str) -> String,
    line: usize,
) -> (String, Result<Planned, Vec<(String, String)>>) {
    let mut errors: Vec<(String, String)> = Vec::new();
    let mut err =
        |column: &str, message: &str| errors.push((column.to_string(), message.to_string()));
    let title = get("titre");
    let key = get("identifiant").trim().to_string();
    if key.chars().count() > KEY_MAX {
        err(
            "identifiant",
            &format!("L'identifiant ne doit pas dépasser {KEY_MAX} caractères."),
        );
    }
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
        err(
            "statut",
            "Statut inconnu : publié, soumis, brouillon, annulé, refusé ou modifications demandées.",
        );
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
    let zone = o.zone_of(&region_code).to_string();
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
        None
    } else {
        match ctx.accounts.get(&organizer_email) {
            Some(id) => Some(*id),
            None => {
                err(
                    "organisateur_email",
                    "Aucun compte n'a cette adresse : créez-le d'abord ou laissez vide.",
                );
                None
            }
        }
    };
    // Dates: read here in every documented format, handed to the event's rules as the form
    // sends them (the venue's wall-clock time, or a date alone for an all-day event).
    let date_error = |column: &str, text: &str| -> String {
        format!(
            "Date illisible dans {column} : « {} ». Formats acceptés : {DATE_FORMATS}.",
            text.trim()
        )
    };
    let (starts_text, ends_text) = (get("debut"), get("fin"));
    let starts = parse_when(&starts_text);
    let mut ends = parse_when(&ends_text);
    if starts.is_none() && !starts_text.trim().is_empty() {
        err("debut", &date_error("debut", &starts_text));
    }
    if ends.is_none() && !ends_text.trim().is_empty() {
        err("fin", &date_error("fin", &ends_text));
    }
    // A date alone without an end: that day.
    if let (Some(When::Day(day)), true) = (starts, ends_text.trim().is_empty()) {
        ends = Some(When::Day(day));
    }
    if let (Some(s), Some(e)) = (starts, ends) {
        if matches!(s, When::Day(_)) != matches!(e, When::Day(_)) {
            err(
                "fin",
                "Début et fin : une date seule dans les deux (événement sur la journée), \
                 ou une date avec son heure dans les deux.",
            );
        }
    }
    let out_of_period_reason = match out_of_period_value(&get("hors_periode")) {
        Ok(reason) => reason,
        Err(message) => {
            err("hors_periode", message);
            String::new()
        }
    };
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
        starts_local: starts.map(|w| when_local(w, &zone)).unwrap_or_default(),
        ends_local: ends.map(|w| when_local(w, &zone)).unwrap_or_default(),
        out_of_period: !out_of_period_reason.is_empty(),
        out_of_period_reason,
        registration_url: get("inscription"),
        capacity: get("places"),
        contact_name: get("contact_nom"),
        contact_email: get("contact_email"),
        accessibility: get("accessibilite"),
        ..Default::default()
    };
    let valid = match rules.map(|r| input.validate(r)) {
        Some(Ok(valid)) => Some(valid),
        Some(Err(field_errors)) => {
            for e in field_errors {
                // A value already reported (unknown, unreadable) is not reported twice.
                let column = column_of(&e.field);
                if !errors.iter().any(|(c, _)| c == column) {
                    let mut message = e.message;
                    // The form's words (« cochez Hors période ») in the file's terms.
                    if message.contains("Hors période") {
                        message = message.replace(
                            "Sinon, cochez « Hors période » et expliquez pourquoi.",
                            "Sinon, écrivez dans la colonne hors_periode la raison pour laquelle \
                             il a lieu en dehors du Mois (le public la lit).",
                        );
                    }
                    errors.push((column.to_string(), message));
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
            line,
            key,
            year: year.expect("checked"),
            status: status.expect("checked"),
            organizer_id,
            valid,
            zone,
        }),
    )
}

/// The same event's values, whatever the order of its themes.
fn same_values(a: &ValidEvent, b: &ValidEvent) -> bool {
    let sorted = |v: &ValidEvent| {
        let mut v = v.clone();
        v.themes.sort_unstable();
        v
    };
    sorted(a) == sorted(b)
}

/// The administrator's view of every event (for `organizer::db::editable`).
fn as_admin(admin_id: i64) -> crate::accounts::CurrentAccount {
    crate::accounts::CurrentAccount {
        id: admin_id,
        email: String::new(),
        name: String::new(),
        structure: String::new(),
        role: crate::reference::Role::Admin,
        organizer_type_id: None,
        region_code: None,
    }
}

/// The event a valid row designates, if any: by its `identifiant` (a key given by an earlier
/// import, or an event's slug, as the export writes it), or without one by its edition, title
/// and start; and whether the row would change it.
async fn target_of(
    pool: &SqlitePool,
    ctx: &Context,
    admin_id: i64,
    plan: &Planned,
) -> Result<Target, AppError> {
    let found: Option<i64> = if !plan.key.is_empty() {
        let by_key: Option<i64> =
            sqlx::query_scalar("SELECT event_id FROM event_import_keys WHERE key = ?")
                .bind(&plan.key)
                .fetch_optional(pool)
                .await?;
        match by_key {
            Some(id) => Some(id),
            None => {
                sqlx::query_scalar("SELECT id FROM events WHERE slug = ?")
                    .bind(&plan.key)
                    .fetch_optional(pool)
                    .await?
            }
        }
    } else {
        let starts = tz::to_utc(plan.valid.starts_local, &plan.zone).map(timestamp);
        let same: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM events WHERE edition_year = ? AND title = ? AND starts_at = ? LIMIT 2",
        )
        .bind(plan.year)
        .bind(&plan.valid.title)
        .bind(starts)
        .fetch_all(pool)
        .await?;
        (same.len() == 1).then(|| same[0])
    };
    let Some(id) = found else {
        return Ok(Target::Create);
    };
    let (organizer_id,): (i64,) = sqlx::query_as("SELECT organizer_id FROM events WHERE id = ?")
        .bind(id)
        .fetch_one(pool)
        .await?;
    let existing = crate::organizer::db::editable(pool, &as_admin(admin_id), id).await?;
    let same = existing.edition_year == plan.year
        && existing.status == plan.status
        && plan.organizer_id.is_none_or(|o| o == organizer_id)
        && ctx
            .rules
            .get(&existing.edition_year)
            .and_then(|rules| existing.input.validate(rules).ok())
            .is_some_and(|before| same_values(&before, &plan.valid));
    Ok(if same {
        Target::Unchanged {
            id,
            slug: existing.slug,
        }
    } else {
        Target::Update {
            id,
            version: existing.version,
            slug: existing.slug,
        }
    })
}

/// The file as text: UTF-8, with or without a byte order mark.
pub fn decode(bytes: &[u8], field: &str) -> Result<String, AppError> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    String::from_utf8(bytes.to_vec()).map_err(|_| {
        AppError::field(
            field,
            "Ce fichier n'est pas encodé en UTF-8 : dans votre tableur, enregistrez-le au format \
             « CSV UTF-8 » (Excel : Fichier › Enregistrer sous › CSV UTF-8), puis réessayez.",
        )
    })
}

/// Checks a CSV file of events: every row with its errors by column, and what importing the
/// valid ones would do. `field` names the form field the text came from (file or paste), for
/// errors about the whole file.
async fn check(
    pool: &SqlitePool,
    admin_id: i64,
    csv_text: &str,
    field: &str,
    now: DateTime<Utc>,
) -> Result<(ImportReport, Vec<(Planned, Target)>), AppError> {
    let ctx = context(pool, now).await?;
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
        let invisible: Vec<(String, String)> = record
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
            .collect();
        let (title, outcome) = plan_row(&ctx, &get, line);
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
    if rows.is_empty() {
        return Err(AppError::field(
            field,
            "Le fichier ne contient aucune ligne d'événement après sa ligne d'en-tête.",
        ));
    }
    // What each valid row would do; two rows may not designate one event.
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
        let target = target_of(pool, &ctx, admin_id, &plan).await?;
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
    let invalid = rows.iter().filter(|r| !r.errors.is_empty()).count();
    let count = |action: RowAction| {
        rows.iter()
            .filter(|r| r.action == Some(action) && r.errors.is_empty())
            .count()
    };
    let report = ImportReport {
        valid: rows.len() - invalid,
        invalid,
        to_create: count(RowAction::Create),
        to_update: count(RowAction::Update),
        unchanged: count(RowAction::Unchanged),
        rows,
    };
    Ok((report, resolved))
}

/// Checked files are kept this long unless imported.
const RUNS_KEPT: chrono::Duration = chrono::Duration::days(7);

/// A file name as shown on the page: no path, no control character, at most 200 characters.
fn clean_file_name(name: &str) -> String {
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
                let (event, _) = crate::organizer::db::insert_event(
                    &mut tx,
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
                crate::organizer::audit::record(
                    &mut tx,
                    event,
                    admin_id,
                    "create",
                    "import CSV",
                    now,
                )
                .await?;
                summary.created += 1;
            }
            Target::Update {
                id: event, version, ..
            } => {
                let before = crate::organizer::db::editable(pool, &as_admin(admin_id), *event)
                    .await?
                    .input;
                let state = crate::events::lifecycle::State::new(plan.status);
                crate::organizer::db::write_content(
                    &mut tx,
                    *event,
                    *version,
                    &plan.valid,
                    &plan.zone,
                    state,
                    false,
                    now,
                )
                .await?;
                let at = timestamp(now);
                let public = matches!(plan.status, EventStatus::Published | EventStatus::Cancelled);
                let submitted =
                    matches!(plan.status, EventStatus::Submitted | EventStatus::Published);
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
                let changes = crate::organizer::model::changed_fields(
                    &before,
                    &EventInput::from_valid(&plan.valid),
                )
                .join(", ");
                crate::organizer::audit::record(
                    &mut tx,
                    *event,
                    admin_id,
                    "edit",
                    &format!("import CSV : {changes}"),
                    now,
                )
                .await?;
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

    fn local(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn every_documented_date_format_is_read() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 10).unwrap();
        for (text, expected) in [
            ("2026-11-10 14:00", When::Local(local("2026-11-10 14:00"))),
            ("2026-11-10T14:00", When::Local(local("2026-11-10 14:00"))),
            (
                "2026-11-10T14:00:00",
                When::Local(local("2026-11-10 14:00")),
            ),
            (" 10/11/2026 14:00 ", When::Local(local("2026-11-10 14:00"))),
            ("10/11/2026 14h00", When::Local(local("2026-11-10 14:00"))),
            ("10/11/2026 14h", When::Local(local("2026-11-10 14:00"))),
            ("1/11/2026 9:05", When::Local(local("2026-11-01 09:05"))),
            ("2026-11-10", When::Day(day)),
            ("10/11/2026", When::Day(day)),
        ] {
            assert_eq!(parse_when(text), Some(expected), "{text}");
        }
        for (text, utc) in [
            ("2026-11-10T14:00:00+01:00", "2026-11-10T13:00:00Z"),
            ("2026-11-10T14:00+01:00", "2026-11-10T13:00:00Z"),
            ("2026-11-10T14:00:00.000+0100", "2026-11-10T13:00:00Z"),
            ("2026-11-10T10:00:00-04:00", "2026-11-10T14:00:00Z"),
            ("2026-11-10T13:00:00Z", "2026-11-10T13:00:00Z"),
            ("2026-11-10 13:00Z", "2026-11-10T13:00:00Z"),
        ] {
            match parse_when(text) {
                Some(When::Instant(at)) => {
                    assert_eq!(
                        at.with_timezone(&Utc),
                        utc.parse::<DateTime<Utc>>().unwrap(),
                        "{text}"
                    )
                }
                other => panic!("{text}: {other:?}"),
            }
        }
        for bad in [
            "",
            "demain",
            "2026-13-01",
            "31/11/2026",
            "2026-11-10 25:00",
            "2026-11-10 14:60",
            "10-11-2026",
            "2026/11/10",
            "0002-11-10",
            "10/11/26 14:00",
            "2026-11-10T14:00+25:00",
            "2026-11-10 14:00 heures",
            "+10000-01-01T10:00",
        ] {
            assert_eq!(parse_when(bad), None, "{bad}");
        }
    }

    #[test]
    fn offsets_become_the_venues_local_time() {
        let at = parse_when("2026-11-10T14:00:00+01:00").unwrap();
        assert_eq!(when_local(at, "Europe/Paris"), "2026-11-10T14:00");
        // 13:00 UTC: 9:00 in Guadeloupe (UTC−4), 17:00 in La Réunion (UTC+4).
        assert_eq!(when_local(at, "America/Guadeloupe"), "2026-11-10T09:00");
        assert_eq!(when_local(at, "Indian/Reunion"), "2026-11-10T17:00");
        // Without an offset, the time is the venue's own.
        let at = parse_when("10/11/2026 14:00").unwrap();
        assert_eq!(when_local(at, "America/Guadeloupe"), "2026-11-10T14:00");
        // A date alone stays a date (an all-day event).
        assert_eq!(
            when_local(parse_when("10/11/2026").unwrap(), "Europe/Paris"),
            "2026-11-10"
        );
    }

    #[test]
    fn out_of_period_takes_a_reason_not_a_yes() {
        assert_eq!(out_of_period_value("").unwrap(), "");
        assert_eq!(out_of_period_value(" non ").unwrap(), "");
        assert!(out_of_period_value("oui").is_err());
        assert!(out_of_period_value("X").is_err());
        assert_eq!(
            out_of_period_value(" Forum annuel tenu début décembre ").unwrap(),
            "Forum annuel tenu début décembre"
        );
    }

    #[test]
    fn cells_with_control_characters_and_file_names_are_caught() {
        assert!(!has_control_character("Atelier\r\nsuite\tx"));
        assert!(has_control_character("a\u{0}b"));
        assert!(has_control_character("fin\r"));
        assert_eq!(
            clean_file_name("C:\\Users\\x\\événements\u{1}.csv"),
            "événements.csv"
        );
        assert_eq!(decode(b"\xef\xbb\xbfa,b", "fichier").unwrap(), "a,b");
        assert!(decode(b"caf\xe9", "fichier").is_err());
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

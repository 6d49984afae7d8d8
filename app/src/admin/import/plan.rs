//! One row of the file: read into the event's form, checked by the event's rules, and what
//! importing it would do (create, update or leave unchanged an event).
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::SqlitePool;

use super::parse::{
    column_of, find, out_of_period_value, parse_when, status_of, when_local, When, DATE_FORMATS,
};
use crate::admin::model::RowAction;
use crate::error::AppError;
use crate::events::tz;
use crate::organizer::model::FormOptions;
use crate::organizer::validation::{EventInput, Rules, ValidEvent};
use crate::programme::fold::fold;
use crate::reference::{EventStatus, Mode};
use crate::time::timestamp;

pub(super) struct Context {
    options: FormOptions,
    /// Per edition year: the rules (dates of that edition).
    rules: HashMap<i32, Rules>,
    accounts: HashMap<String, i64>,
    labs: Vec<(i64, String, String)>,
}

pub(super) async fn context(pool: &SqlitePool, now: DateTime<Utc>) -> Result<Context, AppError> {
    let options = crate::organizer::db::form_options(pool, now).await?;
    let mut rules = HashMap::new();
    for edition in crate::admin::db::all_editions(pool).await? {
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

/// A valid row: what to write.
pub(super) struct Planned {
    pub(super) line: usize,
    pub(super) key: String,
    pub(super) year: i32,
    pub(super) status: EventStatus,
    /// From `organisateur_email`; `None`: the importing admin for a new event, unchanged for
    /// an existing one.
    pub(super) organizer_id: Option<i64>,
    pub(super) valid: ValidEvent,
    pub(super) zone: String,
}

/// What importing a valid row does to the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Target {
    Create,
    Update { id: i64, version: i64, slug: String },
    Unchanged { id: i64, slug: String },
}

impl Target {
    pub(super) fn action(&self) -> RowAction {
        match self {
            Target::Create => RowAction::Create,
            Target::Update { .. } => RowAction::Update,
            Target::Unchanged { .. } => RowAction::Unchanged,
        }
    }
}

const KEY_MAX: usize = 200;

/// The errors of a row: (column, message), in the order found.
type RowErrors = Vec<(String, String)>;

/// The import's own cells: the key, the edition (and its rules) and the status.
fn read_keys<'a>(
    ctx: &'a Context,
    get: &dyn Fn(&str) -> String,
    errors: &mut RowErrors,
) -> (String, Option<i32>, Option<&'a Rules>, Option<EventStatus>) {
    let mut err =
        |column: &str, message: &str| errors.push((column.to_string(), message.to_string()));
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
    (key, year, rules, status)
}

/// The vocabulary values of a row, by label or slug.
struct Choices {
    format_id: Option<i64>,
    audience_id: Option<i64>,
    organizer_type_id: Option<i64>,
    themes: Vec<i64>,
    mode: Option<Mode>,
}

/// Format, audience, type of structure, themes and mode, as the file names them.
fn read_choices(o: &FormOptions, get: &dyn Fn(&str) -> String, errors: &mut RowErrors) -> Choices {
    let mut err =
        |column: &str, message: &str| errors.push((column.to_string(), message.to_string()));
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
    Choices {
        format_id,
        audience_id,
        organizer_type_id,
        themes,
        mode,
    }
}

/// The region (by code or name) and its time zone, the lab and the organizer's account.
fn read_region_lab_organizer(
    ctx: &Context,
    get: &dyn Fn(&str) -> String,
    errors: &mut RowErrors,
) -> (String, String, Option<i64>, Option<i64>) {
    let mut err =
        |column: &str, message: &str| errors.push((column.to_string(), message.to_string()));
    let o = &ctx.options;
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
    (region_code, zone, lab_id, organizer_id)
}

/// Dates: read here in every documented format, handed to the event's rules as the form
/// sends them (the venue's wall-clock time, or a date alone for an all-day event); and the
/// reason of an event out of period.
fn read_dates(
    get: &dyn Fn(&str) -> String,
    errors: &mut RowErrors,
) -> (Option<When>, Option<When>, String) {
    let mut err =
        |column: &str, message: &str| errors.push((column.to_string(), message.to_string()));
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
    (starts, ends, out_of_period_reason)
}

/// The event's rules' errors, on the file's columns.
fn add_field_errors(errors: &mut RowErrors, field_errors: Vec<crate::error::FieldError>) {
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
}

#[allow(clippy::needless_update)] // `..Default::default()`: fields the import does not fill
pub(super) fn plan_row(
    ctx: &Context,
    get: &dyn Fn(&str) -> String,
    line: usize,
) -> (String, Result<Planned, Vec<(String, String)>>) {
    let mut errors: RowErrors = Vec::new();
    let title = get("titre");
    let (key, year, rules, status) = read_keys(ctx, get, &mut errors);
    let choices = read_choices(&ctx.options, get, &mut errors);
    let (region_code, zone, lab_id, organizer_id) =
        read_region_lab_organizer(ctx, get, &mut errors);
    let (starts, ends, out_of_period_reason) = read_dates(get, &mut errors);
    let input = EventInput {
        title: title.clone(),
        summary: get("resume"),
        description: get("description"),
        themes: choices.themes,
        format_id: choices.format_id,
        mode: choices.mode,
        audience_id: choices.audience_id,
        structure_name: get("structure"),
        organizer_type_id: choices.organizer_type_id,
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
            add_field_errors(&mut errors, field_errors);
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
pub(super) fn as_admin(admin_id: i64) -> crate::accounts::CurrentAccount {
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
pub(super) async fn target_of(
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

//! Validation of what organizers type, shared by the browser (instant, per field) and the
//! server (authoritative). One function per rule set; each failure names its field and says,
//! in French, what to do.
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::error::FieldError;
use crate::reference::{Mode, NATIONAL_REGION};

pub const TITLE_MAX: usize = 200;
pub const SUMMARY_MAX: usize = 600;
pub const DESCRIPTION_MAX: usize = 20_000;
pub const SHORT_TEXT_MAX: usize = 200;
pub const ADDRESS_MAX: usize = 300;
pub const LONG_TEXT_MAX: usize = 2_000;
pub const URL_MAX: usize = 2_000;
pub const THEMES_MIN: usize = 1;
pub const THEMES_MAX: usize = 3;
pub const CAPACITY_MAX: i64 = 1_000_000;
pub const PASSWORD_MIN: usize = 12;
pub const PASSWORD_MAX: usize = 128;
pub const EMAIL_MAX: usize = 254;

/// The event form exactly as typed: text stays text until validated, so that nothing the
/// organizer typed is lost when a rule fails (and drafts can be kept in any state).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EventInput {
    pub title: String,
    pub summary: String,
    /// Markdown.
    pub description: String,
    pub themes: Vec<i64>,
    pub format_id: Option<i64>,
    pub mode: Option<Mode>,
    pub audience_id: Option<i64>,
    pub structure_name: String,
    pub organizer_type_id: Option<i64>,
    pub lab_id: Option<i64>,
    pub region_code: String,
    pub department_code: String,
    pub city: String,
    pub venue_name: String,
    pub venue_address: String,
    pub postal_code: String,
    pub online_url: String,
    /// Wall-clock times at the venue, as `<input type="datetime-local">` gives them.
    pub starts_local: String,
    pub ends_local: String,
    pub out_of_period: bool,
    pub out_of_period_reason: String,
    pub registration_url: String,
    pub capacity: String,
    pub contact_name: String,
    pub contact_email: String,
    pub accessibility: String,
}

/// The event form as a browser without JavaScript posts it (`application/x-www-form-urlencoded`,
/// one pair per named field): every value is text, and a field the page did not show is
/// absent. The names are the [`field`] constants (the ids of the inputs), `themes[]` for the
/// ticked themes and `out_of_period` for the checkbox; `id`, `version` and `submit` say what
/// to do with it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EventFormPost {
    /// The event edited (absent for a new one).
    pub id: String,
    /// The version the form was rendered from (absent for a new one).
    pub version: String,
    /// `"true"` to submit for review, anything else saves.
    pub submit: String,
    /// A new event's key, made when the form was rendered (see `is_create_key`).
    pub cle: String,
    pub title: String,
    pub summary: String,
    pub description: String,
    pub themes: Vec<String>,
    pub format: String,
    pub mode: String,
    pub audience: String,
    pub structure_name: String,
    pub organizer_type: String,
    pub lab: String,
    pub region: String,
    pub department: String,
    pub city: String,
    pub venue_name: String,
    pub venue_address: String,
    pub postal_code: String,
    pub online_url: String,
    pub starts_at: String,
    pub ends_at: String,
    pub out_of_period: String,
    pub out_of_period_reason: String,
    pub registration_url: String,
    pub capacity: String,
    pub contact_name: String,
    pub contact_email: String,
    pub accessibility: String,
}

impl EventFormPost {
    /// The form as typed, in the shape the rules read. A choice that is not a number is no
    /// choice (its field's rule then says what to do); a theme that is not a number is left
    /// out, and so is a repeated one.
    pub fn input(&self) -> EventInput {
        let id = |text: &str| text.trim().parse::<i64>().ok();
        let mut themes = Vec::new();
        for theme in self.themes.iter().filter_map(|t| id(t)) {
            if !themes.contains(&theme) {
                themes.push(theme);
            }
        }
        EventInput {
            title: self.title.clone(),
            summary: self.summary.clone(),
            description: self.description.clone(),
            themes,
            format_id: id(&self.format),
            mode: Mode::parse(&self.mode),
            audience_id: id(&self.audience),
            structure_name: self.structure_name.clone(),
            organizer_type_id: id(&self.organizer_type),
            lab_id: id(&self.lab),
            region_code: self.region.clone(),
            department_code: self.department.clone(),
            city: self.city.clone(),
            venue_name: self.venue_name.clone(),
            venue_address: self.venue_address.clone(),
            postal_code: self.postal_code.clone(),
            online_url: self.online_url.clone(),
            starts_local: self.starts_at.clone(),
            ends_local: self.ends_at.clone(),
            out_of_period: !self.out_of_period.is_empty(),
            out_of_period_reason: self.out_of_period_reason.clone(),
            registration_url: self.registration_url.clone(),
            capacity: self.capacity.clone(),
            contact_name: self.contact_name.clone(),
            contact_email: self.contact_email.clone(),
            accessibility: self.accessibility.clone(),
        }
    }

    /// The same, from the pairs of a submission kept with its error (see `forms::kept`).
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut post = EventFormPost::default();
        for (name, value) in pairs {
            let value = value.clone();
            match name.as_str() {
                "id" => post.id = value,
                "version" => post.version = value,
                "submit" => post.submit = value,
                "cle" => post.cle = value,
                "themes[]" | "themes" => post.themes.push(value),
                "out_of_period" => post.out_of_period = value,
                field::TITLE => post.title = value,
                field::SUMMARY => post.summary = value,
                field::DESCRIPTION => post.description = value,
                field::FORMAT => post.format = value,
                field::MODE => post.mode = value,
                field::AUDIENCE => post.audience = value,
                field::STRUCTURE => post.structure_name = value,
                field::ORGANIZER_TYPE => post.organizer_type = value,
                field::LAB => post.lab = value,
                field::REGION => post.region = value,
                field::DEPARTMENT => post.department = value,
                field::CITY => post.city = value,
                field::VENUE_NAME => post.venue_name = value,
                field::VENUE_ADDRESS => post.venue_address = value,
                field::POSTAL_CODE => post.postal_code = value,
                field::ONLINE_URL => post.online_url = value,
                field::STARTS => post.starts_at = value,
                field::ENDS => post.ends_at = value,
                field::OUT_OF_PERIOD_REASON => post.out_of_period_reason = value,
                field::REGISTRATION_URL => post.registration_url = value,
                field::CAPACITY => post.capacity = value,
                field::CONTACT_NAME => post.contact_name = value,
                field::CONTACT_EMAIL => post.contact_email = value,
                field::ACCESSIBILITY => post.accessibility = value,
                _ => {}
            }
        }
        post
    }
}

/// Whether `key` can be a new event's key (see `organizer::db::create`): 16 to 64 letters,
/// digits, `-` or `_`, as the form makes it (a UUID, or the server's random hex).
pub fn is_create_key(key: &str) -> bool {
    (16..=64).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// What the rules need to know about the edition and its vocabularies.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rules {
    pub edition_starts_on: NaiveDate,
    pub edition_ends_on: NaiveDate,
    pub theme_ids: Vec<i64>,
    pub format_ids: Vec<i64>,
    pub audience_ids: Vec<i64>,
    pub organizer_type_ids: Vec<i64>,
    pub lab_ids: Vec<i64>,
    pub region_codes: Vec<String>,
    /// (department code, region code).
    pub departments: Vec<(String, String)>,
    /// The edition is an archive (history brought in): summary, audience, structure,
    /// address and online link may be unknown (empty).
    pub archive: bool,
}

/// An event that passed every rule: typed, trimmed, with optional fields as `None`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidEvent {
    pub title: String,
    pub summary: String,
    pub description: String,
    pub themes: Vec<i64>,
    pub format_id: i64,
    pub mode: Mode,
    /// `None` only in an archive edition: not known.
    pub audience_id: Option<i64>,
    pub structure_name: String,
    pub organizer_type_id: i64,
    pub lab_id: Option<i64>,
    pub region_code: String,
    pub department_code: Option<String>,
    pub city: Option<String>,
    pub venue_name: Option<String>,
    pub venue_address: Option<String>,
    pub postal_code: Option<String>,
    pub online_url: Option<String>,
    /// For an all-day event, midnight of its first day and midnight after its last day.
    pub starts_local: NaiveDateTime,
    pub ends_local: NaiveDateTime,
    /// Known by its dates only (typed as `2026-11-10`, no time): shown « horaires non
    /// précisés », a whole-day entry in calendars.
    pub all_day: bool,
    pub out_of_period_reason: Option<String>,
    pub registration_url: Option<String>,
    pub capacity: Option<i64>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub accessibility: String,
}

impl EventInput {
    /// The form that gives back `valid` (to compare versions).
    pub fn from_valid(valid: &ValidEvent) -> Self {
        EventInput {
            title: valid.title.clone(),
            summary: valid.summary.clone(),
            description: valid.description.clone(),
            themes: valid.themes.clone(),
            format_id: Some(valid.format_id),
            mode: Some(valid.mode),
            audience_id: valid.audience_id,
            structure_name: valid.structure_name.clone(),
            organizer_type_id: Some(valid.organizer_type_id),
            lab_id: valid.lab_id,
            region_code: valid.region_code.clone(),
            department_code: valid.department_code.clone().unwrap_or_default(),
            city: valid.city.clone().unwrap_or_default(),
            venue_name: valid.venue_name.clone().unwrap_or_default(),
            venue_address: valid.venue_address.clone().unwrap_or_default(),
            postal_code: valid.postal_code.clone().unwrap_or_default(),
            online_url: valid.online_url.clone().unwrap_or_default(),
            starts_local: if valid.all_day {
                valid.starts_local.date().to_string()
            } else {
                format_local(valid.starts_local)
            },
            ends_local: if valid.all_day {
                last_day(valid.ends_local).to_string()
            } else {
                format_local(valid.ends_local)
            },
            out_of_period: valid.out_of_period_reason.is_some(),
            out_of_period_reason: valid.out_of_period_reason.clone().unwrap_or_default(),
            registration_url: valid.registration_url.clone().unwrap_or_default(),
            capacity: valid.capacity.map(|c| c.to_string()).unwrap_or_default(),
            contact_name: valid.contact_name.clone().unwrap_or_default(),
            contact_email: valid.contact_email.clone().unwrap_or_default(),
            accessibility: valid.accessibility.clone(),
        }
    }
}

/// Field names, shared by the form (ids, `aria-describedby`) and the errors.
pub mod field {
    pub const TITLE: &str = "title";
    pub const SUMMARY: &str = "summary";
    pub const DESCRIPTION: &str = "description";
    pub const THEMES: &str = "themes";
    pub const FORMAT: &str = "format";
    pub const MODE: &str = "mode";
    pub const AUDIENCE: &str = "audience";
    pub const STRUCTURE: &str = "structure_name";
    pub const ORGANIZER_TYPE: &str = "organizer_type";
    pub const LAB: &str = "lab";
    pub const REGION: &str = "region";
    pub const DEPARTMENT: &str = "department";
    pub const CITY: &str = "city";
    pub const VENUE_NAME: &str = "venue_name";
    pub const VENUE_ADDRESS: &str = "venue_address";
    pub const POSTAL_CODE: &str = "postal_code";
    pub const ONLINE_URL: &str = "online_url";
    pub const STARTS: &str = "starts_at";
    pub const ENDS: &str = "ends_at";
    pub const OUT_OF_PERIOD_REASON: &str = "out_of_period_reason";
    pub const REGISTRATION_URL: &str = "registration_url";
    pub const CAPACITY: &str = "capacity";
    pub const CONTACT_NAME: &str = "contact_name";
    pub const CONTACT_EMAIL: &str = "contact_email";
    pub const ACCESSIBILITY: &str = "accessibility";
    pub const EMAIL: &str = "email";
    pub const PASSWORD: &str = "password";
    pub const NAME: &str = "name";
    pub const ACCOUNT_STRUCTURE: &str = "structure";
}

fn chars(text: &str) -> usize {
    text.chars().count()
}

fn optional(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

pub(crate) struct Collector(pub(crate) Vec<FieldError>);

impl Collector {
    pub(crate) fn push(&mut self, field: &str, message: impl Into<String>) {
        // One message per field: the first rule that fails.
        if !self.0.iter().any(|e| e.field == field) {
            self.0.push(FieldError::new(field, message));
        }
    }

    pub(crate) fn required_text(
        &mut self,
        field: &str,
        value: &str,
        max: usize,
        missing: &str,
    ) -> String {
        let value = value.trim();
        if value.is_empty() {
            self.push(field, missing);
        } else {
            self.max_len(field, value, max);
        }
        value.to_string()
    }

    fn max_len(&mut self, field: &str, value: &str, max: usize) {
        if let Err(message) = check_characters(field, value) {
            self.push(field, message);
            return;
        }
        let n = chars(value);
        if n > max {
            self.push(
                field,
                format!("Ce champ ne doit pas dépasser {max} caractères (actuellement {n})."),
            );
        }
    }

    fn optional_text(&mut self, field: &str, value: &str, max: usize) -> Option<String> {
        let value = optional(value);
        if let Some(v) = &value {
            self.max_len(field, v, max);
        }
        value
    }

    pub(crate) fn choice(
        &mut self,
        field: &str,
        value: Option<i64>,
        known: &[i64],
        missing: &str,
    ) -> i64 {
        match value {
            None => {
                self.push(field, missing);
                0
            }
            Some(id) if !known.contains(&id) => {
                self.push(
                    field,
                    "Cette valeur n'est plus proposée : choisissez-en une autre.",
                );
                id
            }
            Some(id) => id,
        }
    }

    fn url(&mut self, field: &str, value: &str) -> Option<String> {
        let value = optional(value)?;
        if let Err(message) = check_characters(field, &value).and_then(|()| check_url(&value)) {
            self.push(field, message);
        }
        Some(value)
    }
}

/// The fields whose text may hold line breaks (textareas); every other text is one line.
pub const MULTILINE_FIELDS: [&str; 4] = [
    field::SUMMARY,
    field::DESCRIPTION,
    field::ACCESSIBILITY,
    field::OUT_OF_PERIOD_REASON,
];

/// No control character in any text (NUL, ESC, a bare CR…: they break the feeds and the
/// files people download), and no line break or tab in a one-line field (a title, a city).
pub fn check_characters(field: &str, value: &str) -> Result<(), String> {
    let multiline = MULTILINE_FIELDS.contains(&field);
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        let allowed = match c {
            '\n' | '\t' => multiline,
            '\r' => multiline && chars.peek() == Some(&'\n'),
            c => !c.is_control(),
        };
        if !allowed {
            return Err(if matches!(c, '\n' | '\r' | '\t') {
                "Ce champ tient sur une ligne : retirez les retours à la ligne.".into()
            } else {
                "Ce champ contient un caractère invisible interdit (caractère de contrôle) : retapez-le sans copier-coller depuis un autre logiciel.".into()
            });
        }
    }
    Ok(())
}

/// An address on the web that people can open: http or https, with a host name.
pub fn check_url(value: &str) -> Result<(), String> {
    const MESSAGE: &str =
        "Indiquez une adresse web complète commençant par https:// (ou http://), par exemple https://www.exemple.gouv.fr/inscription.";
    if chars(value) > URL_MAX {
        return Err(format!(
            "L'adresse ne doit pas dépasser {URL_MAX} caractères."
        ));
    }
    let (scheme, host) = parse_web_address(value).ok_or_else(|| MESSAGE.to_string())?;
    let host_ok = host.contains('.') || host == "localhost";
    if !matches!(scheme.as_str(), "http" | "https")
        || !host_ok
        || value.contains(char::is_whitespace)
    {
        return Err(MESSAGE.to_string());
    }
    Ok(())
}

/// The scheme (without `:`) and host of an absolute URL, parsed by the WHATWG URL standard:
/// the `url` crate on the server, the browser's own `URL` in the wasm (the same standard,
/// without shipping the `url` crate's Unicode tables, ~100 kB, to every visitor).
fn parse_web_address(value: &str) -> Option<(String, String)> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let parsed = url::Url::parse(value).ok()?;
        Some((
            parsed.scheme().to_string(),
            parsed.host_str().unwrap_or_default().to_string(),
        ))
    }
    #[cfg(all(target_arch = "wasm32", not(feature = "hydrate")))]
    {
        let _ = value;
        None
    }
    #[cfg(all(target_arch = "wasm32", feature = "hydrate"))]
    {
        let parsed = web_sys::Url::new(value).ok()?;
        let scheme = parsed.protocol().trim_end_matches(':').to_string();
        Some((scheme, parsed.hostname()))
    }
}

/// An e-mail address we can write to.
pub fn check_email(value: &str) -> Result<(), String> {
    const MESSAGE: &str =
        "Indiquez une adresse électronique valide, par exemple prenom.nom@exemple.gouv.fr.";
    let value = value.trim();
    if value.is_empty() {
        return Err("Indiquez une adresse électronique.".into());
    }
    if chars(value) > EMAIL_MAX {
        return Err(format!(
            "L'adresse ne doit pas dépasser {EMAIL_MAX} caractères."
        ));
    }
    let domain_has_dot = value
        .rsplit_once('@')
        .is_some_and(|(_, domain)| domain.contains('.') && !domain.ends_with('.'));
    if !email_address::EmailAddress::is_valid(value)
        || !domain_has_dot
        || value.contains(['"', ' '])
    {
        return Err(MESSAGE.into());
    }
    Ok(())
}

/// A new password: long enough, not absurdly long, nothing else (no composition rules, as
/// the ANSSI and NIST recommend). Common passwords are refused on the server, which holds
/// the list.
pub fn check_new_password(value: &str) -> Result<(), String> {
    let n = chars(value);
    if n < PASSWORD_MIN {
        return Err(format!(
            "Le mot de passe doit comporter au moins {PASSWORD_MIN} caractères (actuellement {n}). Une phrase de plusieurs mots est facile à retenir."
        ));
    }
    if n > PASSWORD_MAX {
        return Err(format!(
            "Le mot de passe ne doit pas dépasser {PASSWORD_MAX} caractères."
        ));
    }
    Ok(())
}

/// The longest an event of the month lasts…
pub const MAX_DAYS: i64 = 31;
/// …and one out of period, with its reason (real events of the Mois have run into December).
pub const MAX_DAYS_OUT_OF_PERIOD: i64 = 92;

/// Years a date may have: the platform's past editions and the decades ahead. A year
/// outside (`+10000`, `0002`) is a typing mistake or an attack, never an event.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// Parses `2026-11-10T14:00` (with or without seconds), as browsers send it: four digits of
/// year within [`YEARS`].
pub fn parse_local(value: &str) -> Option<NaiveDateTime> {
    use chrono::Datelike;
    let value = value.trim();
    if value.len() < 16 || !value.as_bytes()[..4].iter().all(u8::is_ascii_digit) {
        return None;
    }
    NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S"))
        .ok()
        .filter(|at| YEARS.contains(&at.year()))
}

/// A date alone, `2026-11-10`, within [`YEARS`]: an all-day event's day.
pub fn parse_day(value: &str) -> Option<NaiveDate> {
    use chrono::Datelike;
    let value = value.trim();
    if value.len() != 10 || !value.as_bytes()[..4].iter().all(u8::is_ascii_digit) {
        return None;
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .ok()
        .filter(|day| YEARS.contains(&day.year()))
}

/// The last day of an all-day event that ends at `end` (midnight after its last day).
pub fn last_day(end: NaiveDateTime) -> NaiveDate {
    (end - chrono::Duration::minutes(1)).date()
}

/// The form value of a wall-clock time.
pub fn format_local(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M").to_string()
}

impl EventInput {
    /// Every rule at once; the error lists one message per field that fails.
    pub fn validate(&self, rules: &Rules) -> Result<ValidEvent, Vec<FieldError>> {
        use field::*;
        let mut c = Collector(Vec::new());

        let title = c.required_text(
            TITLE,
            &self.title,
            TITLE_MAX,
            "Indiquez le titre de l'événement.",
        );
        // In an archive edition what history does not tell stays empty (never invented).
        let summary = if rules.archive {
            c.optional_text(SUMMARY, &self.summary, SUMMARY_MAX)
                .unwrap_or_default()
        } else {
            c.required_text(
                SUMMARY,
                &self.summary,
                SUMMARY_MAX,
                "Indiquez un résumé de l'événement en quelques phrases.",
            )
        };
        let description = self.description.trim().to_string();
        c.max_len(DESCRIPTION, &description, DESCRIPTION_MAX);

        let mut themes = self.themes.clone();
        themes.sort_unstable();
        themes.dedup();
        if themes.len() < THEMES_MIN {
            c.push(THEMES, "Choisissez au moins un thème (trois au plus).");
        } else if themes.len() > THEMES_MAX {
            c.push(
                THEMES,
                format!(
                    "Choisissez au plus {THEMES_MAX} thèmes (actuellement {}).",
                    themes.len()
                ),
            );
        } else if themes.iter().any(|t| !rules.theme_ids.contains(t)) {
            c.push(
                THEMES,
                "Un des thèmes choisis n'est plus proposé : décochez-le.",
            );
        }

        let format_id = c.choice(
            FORMAT,
            self.format_id,
            &rules.format_ids,
            "Choisissez le format de l'événement.",
        );
        let audience_id = if rules.archive && self.audience_id.is_none() {
            None
        } else {
            Some(c.choice(
                AUDIENCE,
                self.audience_id,
                &rules.audience_ids,
                "Choisissez le public visé.",
            ))
        };
        let structure_name = if rules.archive {
            c.optional_text(STRUCTURE, &self.structure_name, SHORT_TEXT_MAX)
                .unwrap_or_default()
        } else {
            c.required_text(
                STRUCTURE,
                &self.structure_name,
                SHORT_TEXT_MAX,
                "Indiquez la structure qui organise l'événement.",
            )
        };
        let organizer_type_id = c.choice(
            ORGANIZER_TYPE,
            self.organizer_type_id,
            &rules.organizer_type_ids,
            "Choisissez le type de structure.",
        );
        let lab_id = match self.lab_id {
            Some(id) if !rules.lab_ids.contains(&id) => {
                c.push(
                    LAB,
                    "Ce laboratoire n'existe plus dans l'Atlas : choisissez-en un autre.",
                );
                None
            }
            other => other,
        };

        let mode = match self.mode {
            Some(mode) => mode,
            None => {
                c.push(
                    MODE,
                    "Indiquez si l'événement a lieu en présentiel, en ligne ou les deux.",
                );
                Mode::Presentiel
            }
        };

        // Where: a venue for in-person and hybrid events, a link for online and hybrid ones.
        let region_input = self.region_code.trim();
        let region_code = if mode.has_venue() {
            if region_input.is_empty() || region_input == NATIONAL_REGION {
                c.push(REGION, "Choisissez la région du lieu de l'événement.");
            }
            region_input.to_string()
        } else if region_input.is_empty() {
            NATIONAL_REGION.to_string()
        } else {
            region_input.to_string()
        };
        if !region_code.is_empty()
            && region_code != NATIONAL_REGION
            && !rules.region_codes.contains(&region_code)
        {
            c.push(
                REGION,
                "Cette région n'existe pas : choisissez-la dans la liste.",
            );
        }
        let department_code = if mode.has_venue() {
            optional(&self.department_code)
        } else {
            None
        };
        if let Some(department) = &department_code {
            match rules
                .departments
                .iter()
                .find(|(code, _)| code == department)
            {
                None => c.push(
                    DEPARTMENT,
                    "Ce département n'existe pas : choisissez-le dans la liste.",
                ),
                Some((_, region)) if *region != region_code => c.push(
                    DEPARTMENT,
                    "Ce département n'est pas dans la région choisie.",
                ),
                _ => {}
            }
        }
        let (city, venue_name, venue_address, postal_code) = if mode.has_venue() {
            let (city, address) = if rules.archive {
                (
                    c.optional_text(CITY, &self.city, SHORT_TEXT_MAX),
                    c.optional_text(VENUE_ADDRESS, &self.venue_address, ADDRESS_MAX),
                )
            } else {
                (
                    Some(c.required_text(
                        CITY,
                        &self.city,
                        SHORT_TEXT_MAX,
                        "Indiquez la commune du lieu.",
                    )),
                    Some(c.required_text(
                        VENUE_ADDRESS,
                        &self.venue_address,
                        ADDRESS_MAX,
                        "Indiquez l'adresse du lieu (numéro et rue).",
                    )),
                )
            };
            let venue = c.optional_text(VENUE_NAME, &self.venue_name, SHORT_TEXT_MAX);
            let postal = optional(&self.postal_code);
            if let Some(code) = &postal {
                let valid = code.len() == 5 && code.bytes().all(|b| b.is_ascii_digit());
                if !valid {
                    c.push(
                        POSTAL_CODE,
                        "Le code postal comporte 5 chiffres, par exemple 75007.",
                    );
                }
            }
            (city, venue, address, postal)
        } else {
            // An online event has no venue, but the commune of its organizers, when given, is
            // kept: search and the edition report read it.
            (
                c.optional_text(CITY, &self.city, SHORT_TEXT_MAX),
                None,
                None,
                None,
            )
        };
        let online_url = if mode.is_online() {
            let url = c.url(ONLINE_URL, &self.online_url);
            if url.is_none() && !rules.archive {
                c.push(
                    ONLINE_URL,
                    "Indiquez le lien où suivre l'événement en ligne (https://…).",
                );
            }
            url
        } else {
            None
        };

        // When: wall-clock times at the venue, within the month unless explained. A date
        // alone (both bounds, or the start with no end) is an all-day event.
        let start_day = parse_day(&self.starts_local);
        let all_day = start_day.is_some();
        let (starts, ends) = match start_day {
            Some(first) => {
                let last = if self.ends_local.trim().is_empty() {
                    Some(first)
                } else {
                    parse_day(&self.ends_local)
                };
                (
                    first.and_hms_opt(0, 0, 0),
                    last.and_then(|d| d.succ_opt())
                        .and_then(|d| d.and_hms_opt(0, 0, 0)),
                )
            }
            None => (
                parse_local(&self.starts_local),
                parse_local(&self.ends_local),
            ),
        };
        if all_day && ends.is_none() {
            c.push(
                ENDS,
                "Pour un événement sans horaires, indiquez le dernier jour seul (par exemple \
                 2026-11-12), ou laissez vide s'il dure un jour.",
            );
        } else if starts.is_none() {
            c.push(
                STARTS,
                if self.starts_local.trim().is_empty() {
                    "Indiquez la date et l'heure de début."
                } else {
                    "Indiquez une date et une heure valides, par exemple 10/11/2026 14:00."
                },
            );
        }
        if ends.is_none() && !all_day {
            c.push(
                ENDS,
                if self.ends_local.trim().is_empty() {
                    "Indiquez la date et l'heure de fin."
                } else {
                    "Indiquez une date et une heure valides, par exemple 10/11/2026 16:00."
                },
            );
        }
        if let (Some(start), Some(end)) = (starts, ends) {
            if end <= start {
                c.push(ENDS, "La fin doit être après le début.");
            } else if !self.out_of_period && (end - start).num_days() > MAX_DAYS {
                c.push(
                    ENDS,
                    format!(
                        "Un événement dure au plus {MAX_DAYS} jours. Plus long, cochez « hors période » \
                         et donnez-en la raison (jusqu'à {MAX_DAYS_OUT_OF_PERIOD} jours)."
                    ),
                );
            } else if (end - start).num_days() > MAX_DAYS_OUT_OF_PERIOD {
                c.push(
                    ENDS,
                    format!("Un événement hors période dure au plus {MAX_DAYS_OUT_OF_PERIOD} jours (trois mois)."),
                );
            }
        }
        let out_of_period_reason = if self.out_of_period {
            let reason = c.required_text(
                OUT_OF_PERIOD_REASON,
                &self.out_of_period_reason,
                LONG_TEXT_MAX,
                "Expliquez pourquoi l'événement a lieu en dehors du Mois.",
            );
            Some(reason)
        } else {
            if let Some(start) = starts {
                if start.date() < rules.edition_starts_on || start.date() > rules.edition_ends_on {
                    c.push(STARTS, period_message(rules));
                }
            }
            if let Some(end) = ends {
                let end = if all_day { last_day(end) } else { end.date() };
                if end < rules.edition_starts_on || end > rules.edition_ends_on {
                    c.push(ENDS, period_message(rules));
                }
            }
            None
        };

        let registration_url = c.url(REGISTRATION_URL, &self.registration_url);
        let capacity = match optional(&self.capacity) {
            None => None,
            Some(text) => match text.replace([' ', '\u{a0}', '\u{202f}'], "").parse::<i64>() {
                Ok(n) if (1..=CAPACITY_MAX).contains(&n) => Some(n),
                _ => {
                    c.push(
                        CAPACITY,
                        "Indiquez un nombre de places entier et positif, ou laissez vide.",
                    );
                    None
                }
            },
        };
        let contact_name = c.optional_text(CONTACT_NAME, &self.contact_name, SHORT_TEXT_MAX);
        let contact_email = optional(&self.contact_email);
        if let Some(email) = &contact_email {
            if let Err(message) = check_email(email) {
                c.push(CONTACT_EMAIL, message);
            }
        }
        let accessibility = self.accessibility.trim().to_string();
        c.max_len(ACCESSIBILITY, &accessibility, LONG_TEXT_MAX);

        if !c.0.is_empty() {
            return Err(c.0);
        }
        Ok(ValidEvent {
            title,
            summary,
            description,
            themes,
            format_id,
            mode,
            audience_id,
            structure_name,
            organizer_type_id,
            lab_id,
            region_code,
            department_code,
            city,
            venue_name,
            venue_address,
            postal_code,
            online_url,
            starts_local: starts.expect("checked"),
            ends_local: ends.expect("checked"),
            all_day,
            out_of_period_reason,
            registration_url,
            capacity,
            contact_name,
            contact_email,
            accessibility,
        })
    }

    /// The message for one field, if it fails (what the form shows next to it).
    pub fn error_for(&self, rules: &Rules, name: &str) -> Option<String> {
        self.validate(rules)
            .err()?
            .into_iter()
            .find(|e| e.field == name)
            .map(|e| e.message)
    }
}

fn period_message(rules: &Rules) -> String {
    format!(
        "L'événement doit avoir lieu pendant le Mois, {}. Sinon, cochez « Hors période » et expliquez pourquoi.",
        crate::fr::date_range(rules.edition_starts_on, rules.edition_ends_on)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rules() -> Rules {
        Rules {
            edition_starts_on: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            edition_ends_on: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            theme_ids: vec![1, 2, 3, 4, 5],
            format_ids: vec![10, 11],
            audience_ids: vec![20, 21],
            organizer_type_ids: vec![30, 31],
            lab_ids: vec![40],
            region_codes: vec!["11".into(), "01".into(), "04".into()],
            departments: vec![("75".into(), "11".into()), ("971".into(), "01".into())],
            archive: false,
        }
    }

    #[test]
    fn a_date_alone_is_an_all_day_event_and_round_trips() {
        let input = EventInput {
            starts_local: "2026-11-10".into(),
            ends_local: "2026-11-12".into(),
            ..in_person()
        };
        let valid = input.validate(&rules()).unwrap();
        assert!(valid.all_day);
        assert_eq!(format_local(valid.starts_local), "2026-11-10T00:00");
        // Midnight after the last day.
        assert_eq!(format_local(valid.ends_local), "2026-11-13T00:00");
        let back = EventInput::from_valid(&valid);
        assert_eq!(
            (back.starts_local.as_str(), back.ends_local.as_str()),
            ("2026-11-10", "2026-11-12")
        );
        // One day: the end may be left empty.
        let one = EventInput {
            starts_local: "2026-11-30".into(),
            ends_local: String::new(),
            ..in_person()
        };
        let valid = one.validate(&rules()).unwrap();
        assert_eq!(format_local(valid.ends_local), "2026-12-01T00:00");
        // The last day counts for the period: 30 November is within the month.
        assert!(valid.out_of_period_reason.is_none());
        // A date alone then a time: the end says how to write it.
        let mixed = EventInput {
            starts_local: "2026-11-10".into(),
            ends_local: "2026-11-10T16:00".into(),
            ..in_person()
        };
        assert!(mixed.error_for(&rules(), field::ENDS).is_some());
        // A last day before the first.
        let crossed = EventInput {
            starts_local: "2026-11-10".into(),
            ends_local: "2026-11-09".into(),
            ..in_person()
        };
        assert!(crossed.error_for(&rules(), field::ENDS).is_some());
    }

    #[test]
    fn an_archive_edition_leaves_unknown_what_history_does_not_tell() {
        let unknown = EventInput {
            summary: String::new(),
            audience_id: None,
            structure_name: String::new(),
            city: String::new(),
            venue_address: String::new(),
            starts_local: "2026-11-10".into(),
            ends_local: String::new(),
            ..in_person()
        };
        // Outside an archive each is required…
        let fields: Vec<String> = unknown
            .validate(&rules())
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        for f in [
            field::SUMMARY,
            field::AUDIENCE,
            field::STRUCTURE,
            field::CITY,
            field::VENUE_ADDRESS,
        ] {
            assert!(fields.iter().any(|x| x == f), "{f} in {fields:?}");
        }
        // …in an archive they stay empty, never invented.
        let archive = Rules {
            archive: true,
            ..rules()
        };
        let valid = unknown.validate(&archive).unwrap();
        assert_eq!(valid.audience_id, None);
        assert_eq!(valid.summary, "");
        assert_eq!((valid.city, valid.venue_address), (None, None));
        // An online archive event without its link.
        let online = EventInput {
            mode: Some(Mode::EnLigne),
            online_url: String::new(),
            region_code: String::new(),
            ..unknown
        };
        assert_eq!(online.validate(&archive).unwrap().online_url, None);
        assert!(online.error_for(&rules(), field::ONLINE_URL).is_some());
        // What is given is still checked.
        let bad = EventInput {
            audience_id: Some(99),
            ..online
        };
        assert!(bad.error_for(&archive, field::AUDIENCE).is_some());
    }

    fn in_person() -> EventInput {
        EventInput {
            title: "Atelier de coproduction".into(),
            summary: "Un atelier pour concevoir ensemble un service.".into(),
            description: "**Programme** : accueil, atelier, restitution.".into(),
            themes: vec![1, 2],
            format_id: Some(10),
            mode: Some(Mode::Presentiel),
            audience_id: Some(20),
            structure_name: "Préfecture de Paris".into(),
            organizer_type_id: Some(30),
            region_code: "11".into(),
            department_code: "75".into(),
            city: "Paris".into(),
            venue_address: "5 rue Leblanc".into(),
            postal_code: "75015".into(),
            starts_local: "2026-11-10T14:00".into(),
            ends_local: "2026-11-10T16:30".into(),
            ..Default::default()
        }
    }

    fn online() -> EventInput {
        EventInput {
            mode: Some(Mode::EnLigne),
            region_code: String::new(),
            department_code: String::new(),
            city: String::new(),
            venue_address: String::new(),
            postal_code: String::new(),
            online_url: "https://webinaire.exemple.gouv.fr/salle".into(),
            ..in_person()
        }
    }

    /// The message of `field`, asserting it is the only field that failed.
    fn only_error(input: &EventInput, name: &str) -> String {
        let errors = input.validate(&rules()).expect_err("should fail");
        assert_eq!(
            errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(),
            vec![name],
            "{errors:?}"
        );
        errors[0].message.clone()
    }

    #[test]
    fn a_complete_in_person_event_is_valid_and_trimmed() {
        let mut input = in_person();
        input.title = "  Atelier de coproduction  ".into();
        input.themes = vec![2, 1, 2];
        let valid = input.validate(&rules()).unwrap();
        assert_eq!(valid.title, "Atelier de coproduction");
        assert_eq!(valid.themes, vec![1, 2]);
        assert_eq!(valid.city.as_deref(), Some("Paris"));
        assert_eq!(valid.online_url, None);
        assert_eq!(valid.starts_local.to_string(), "2026-11-10 14:00:00");
    }

    #[test]
    fn an_online_event_needs_a_link_and_no_place() {
        let valid = online().validate(&rules()).unwrap();
        assert_eq!(valid.region_code, NATIONAL_REGION);
        assert_eq!(valid.city, None);
        let mut missing = online();
        missing.online_url.clear();
        assert!(only_error(&missing, field::ONLINE_URL).contains("lien"));
    }

    #[test]
    fn the_commune_of_an_online_event_is_kept() {
        let mut input = online();
        input.city = " Lyon ".into();
        assert_eq!(
            input.validate(&rules()).unwrap().city.as_deref(),
            Some("Lyon")
        );
    }

    #[test]
    fn mode_drives_required_fields() {
        let mut input = in_person();
        input.mode = None;
        assert!(only_error(&input, field::MODE).contains("présentiel"));

        let mut input = in_person();
        input.city.clear();
        assert_eq!(
            only_error(&input, field::CITY),
            "Indiquez la commune du lieu."
        );

        let mut input = in_person();
        input.venue_address = "   ".into();
        assert!(only_error(&input, field::VENUE_ADDRESS).contains("adresse"));

        let mut input = in_person();
        input.region_code = NATIONAL_REGION.into();
        input.department_code.clear();
        assert!(only_error(&input, field::REGION).contains("région"));

        // Hybrid: both a place and a link.
        let mut input = in_person();
        input.mode = Some(Mode::Hybride);
        assert!(only_error(&input, field::ONLINE_URL).contains("lien"));
        input.online_url = "https://visio.exemple.fr/x".into();
        let valid = input.validate(&rules()).unwrap();
        assert!(valid.city.is_some() && valid.online_url.is_some());
    }

    #[test]
    fn texts_are_required_and_bounded() {
        let mut input = in_person();
        input.title = " ".into();
        assert_eq!(
            only_error(&input, field::TITLE),
            "Indiquez le titre de l'événement."
        );
        input.title = "é".repeat(TITLE_MAX);
        assert!(
            input.validate(&rules()).is_ok(),
            "200 characters (not bytes) fit"
        );
        input.title = "é".repeat(TITLE_MAX + 1);
        assert!(only_error(&input, field::TITLE).contains("200 caractères (actuellement 201)"));

        let mut input = in_person();
        input.summary = "a".repeat(SUMMARY_MAX + 1);
        assert!(only_error(&input, field::SUMMARY).contains("600"));
        input.summary.clear();
        assert!(only_error(&input, field::SUMMARY).contains("résumé"));

        let mut input = in_person();
        input.description = "a".repeat(DESCRIPTION_MAX + 1);
        assert!(only_error(&input, field::DESCRIPTION).contains("20000"));

        let mut input = in_person();
        input.structure_name.clear();
        assert!(only_error(&input, field::STRUCTURE).contains("structure"));

        let mut input = in_person();
        input.accessibility = "a".repeat(LONG_TEXT_MAX + 1);
        assert!(only_error(&input, field::ACCESSIBILITY).contains("2000"));
    }

    #[test]
    fn one_to_three_known_themes() {
        let mut input = in_person();
        input.themes.clear();
        assert!(only_error(&input, field::THEMES).contains("au moins un thème"));
        input.themes = vec![1, 2, 3, 4];
        assert_eq!(
            only_error(&input, field::THEMES),
            "Choisissez au plus 3 thèmes (actuellement 4)."
        );
        input.themes = vec![1, 99];
        assert!(only_error(&input, field::THEMES).contains("n'est plus proposé"));
    }

    #[test]
    fn vocabulary_choices_are_required_and_known() {
        let mut input = in_person();
        input.format_id = None;
        assert!(only_error(&input, field::FORMAT).contains("format"));
        input.format_id = Some(999);
        assert!(only_error(&input, field::FORMAT).contains("plus proposée"));

        let mut input = in_person();
        input.audience_id = None;
        assert!(only_error(&input, field::AUDIENCE).contains("public"));

        let mut input = in_person();
        input.organizer_type_id = None;
        assert!(only_error(&input, field::ORGANIZER_TYPE).contains("type"));

        let mut input = in_person();
        input.lab_id = Some(41);
        assert!(only_error(&input, field::LAB).contains("Atlas"));
        input.lab_id = Some(40);
        assert!(input.validate(&rules()).is_ok());
    }

    #[test]
    fn places_must_exist_and_agree() {
        let mut input = in_person();
        input.region_code = "99".into();
        input.department_code.clear();
        assert!(only_error(&input, field::REGION).contains("n'existe pas"));

        let mut input = in_person();
        input.department_code = "971".into();
        assert_eq!(
            only_error(&input, field::DEPARTMENT),
            "Ce département n'est pas dans la région choisie."
        );
        input.department_code = "2C".into();
        assert!(only_error(&input, field::DEPARTMENT).contains("n'existe pas"));

        let mut input = in_person();
        input.postal_code = "7500".into();
        assert!(only_error(&input, field::POSTAL_CODE).contains("5 chiffres"));
    }

    #[test]
    fn the_end_comes_after_the_start() {
        let mut input = in_person();
        input.ends_local = "2026-11-10T14:00".into();
        assert_eq!(
            only_error(&input, field::ENDS),
            "La fin doit être après le début."
        );
        input.ends_local = "2026-11-10T13:00".into();
        assert_eq!(
            only_error(&input, field::ENDS),
            "La fin doit être après le début."
        );
        input.ends_local = "demain".into();
        assert!(only_error(&input, field::ENDS).contains("valides"));
        input.starts_local.clear();
        input.ends_local = "2026-11-10T16:00".into();
        assert!(only_error(&input, field::STARTS).contains("début"));
    }

    #[test]
    fn control_characters_and_line_breaks_are_refused_on_their_field() {
        for (name, set) in [
            (
                field::TITLE,
                (|i: &mut EventInput, v: &str| i.title = v.into()) as fn(&mut EventInput, &str),
            ),
            (field::CITY, |i, v| i.city = v.into()),
            (field::VENUE_NAME, |i, v| i.venue_name = v.into()),
            (field::STRUCTURE, |i, v| i.structure_name = v.into()),
            (field::SUMMARY, |i, v| i.summary = v.into()),
            (field::DESCRIPTION, |i, v| i.description = v.into()),
            (field::REGISTRATION_URL, |i, v| {
                i.registration_url = v.into()
            }),
        ] {
            for bad in ["Atelier\0x", "Atelier\u{1b}[2J", "Atelier\rx", "A\u{7f}"] {
                let mut input = in_person();
                set(&mut input, bad);
                assert!(
                    only_error(&input, name).contains("caractère")
                        || only_error(&input, name).contains("ligne"),
                    "{name} {bad:?}"
                );
            }
            let mut input = in_person();
            set(&mut input, "Ligne un\nligne deux");
            let multiline = MULTILINE_FIELDS.contains(&name);
            assert_eq!(input.validate(&rules()).is_ok(), multiline, "{name}");
        }
        let mut input = in_person();
        input.description = "Un\r\ndeux".into();
        assert!(input.validate(&rules()).is_ok());
    }

    #[test]
    fn years_outside_a_sane_range_are_refused() {
        for bad in [
            "+10000-01-01T10:00",
            "10000-01-01T10:00",
            "0002-11-10T10:00",
            "1899-11-10T10:00",
            "2101-01-01T00:00",
        ] {
            assert_eq!(parse_local(bad), None, "{bad}");
            let mut input = in_person();
            input.out_of_period_reason = "Un salon annuel".into();
            input.starts_local = bad.into();
            assert!(input.validate(&rules()).is_err(), "{bad}");
        }
        assert!(parse_local("2026-11-10T10:00").is_some());
        assert!(parse_local("2026-11-10T10:00:30").is_some());
    }

    #[test]
    fn dates_stay_within_the_month_unless_explained() {
        let mut input = in_person();
        input.starts_local = "2026-10-30T10:00".into();
        input.ends_local = "2026-10-30T12:00".into();
        let errors = input.validate(&rules()).unwrap_err();
        assert_eq!(errors.len(), 2);
        assert!(
            errors[0].message.contains("du 2 au 30 novembre 2026"),
            "{}",
            errors[0].message
        );

        input.out_of_period = true;
        assert!(only_error(&input, field::OUT_OF_PERIOD_REASON).contains("pourquoi"));
        input.out_of_period_reason = "Lancement la semaine précédant le Mois.".into();
        let valid = input.validate(&rules()).unwrap();
        assert_eq!(
            valid.out_of_period_reason.as_deref(),
            Some("Lancement la semaine précédant le Mois.")
        );

        // The last evening of the month is within it.
        let mut input = in_person();
        input.starts_local = "2026-11-30T18:00".into();
        input.ends_local = "2026-11-30T20:00".into();
        assert!(input.validate(&rules()).is_ok());
        input.ends_local = "2026-12-01T01:00".into();
        assert!(only_error(&input, field::ENDS).contains("pendant le Mois"));
    }

    #[test]
    fn an_out_of_period_event_with_its_reason_may_last_up_to_three_months() {
        let mut input = in_person();
        input.starts_local = "2026-11-02T09:00".into();
        input.ends_local = "2026-12-07T17:00".into();
        // Five weeks: too long for the month…
        assert!(only_error(&input, field::ENDS).contains("hors période"));
        // …fine out of period, with its reason.
        input.out_of_period = true;
        input.out_of_period_reason = "Une exposition prolongée jusqu'en décembre.".into();
        assert!(input.validate(&rules()).is_ok());
        input.ends_local = "2027-02-15T17:00".into();
        assert!(only_error(&input, field::ENDS).contains("trois mois"));
    }

    #[test]
    fn links_are_web_addresses_only() {
        for bad in [
            "javascript:alert(1)",
            "ftp://exemple.fr/x",
            "www.exemple.fr",
            "https://",
            "https://intranet",
            "https://exemple .fr",
            "data:text/html,<b>x</b>",
        ] {
            let mut input = in_person();
            input.registration_url = bad.into();
            assert!(
                only_error(&input, field::REGISTRATION_URL).contains("https://"),
                "{bad}"
            );
        }
        for good in [
            "https://www.demarches-simplifiees.fr/commencer/x",
            "http://exemple.fr",
        ] {
            let mut input = in_person();
            input.registration_url = good.into();
            assert!(input.validate(&rules()).is_ok(), "{good}");
        }
    }

    #[test]
    fn capacity_and_contact() {
        let mut input = in_person();
        input.capacity = "1 200".into();
        assert_eq!(input.validate(&rules()).unwrap().capacity, Some(1200));
        for bad in ["0", "-3", "beaucoup", "2.5", "10000000"] {
            input.capacity = bad.into();
            assert!(
                only_error(&input, field::CAPACITY).contains("places"),
                "{bad}"
            );
        }

        let mut input = in_person();
        input.contact_email = "marie.curie@exemple".into();
        assert!(only_error(&input, field::CONTACT_EMAIL).contains("valide"));
        input.contact_email = "marie.curie@exemple.gouv.fr".into();
        assert!(input.validate(&rules()).is_ok());
    }

    #[test]
    fn emails_and_passwords() {
        assert!(check_email("agent@modernisation.gouv.fr").is_ok());
        for bad in [
            "",
            "agent",
            "agent@",
            "@gouv.fr",
            "a b@gouv.fr",
            "agent@gouv",
            "agent@gouv.fr.",
        ] {
            assert!(check_email(bad).is_err(), "{bad}");
        }
        assert!(check_new_password("onze-chars!").is_err());
        assert!(check_new_password("douze-chars!").is_ok());
        assert!(
            check_new_password("éééééééééééé").is_ok(),
            "characters, not bytes"
        );
        assert!(check_new_password(&"x".repeat(PASSWORD_MAX)).is_ok());
        assert!(check_new_password(&"x".repeat(PASSWORD_MAX + 1)).is_err());
    }

    proptest! {
        /// Validation never panics, and whatever passes satisfies the database's constraints.
        #[test]
        fn anything_accepted_fits_the_database(
            title in ".{0,210}",
            summary in ".{0,20}",
            themes in proptest::collection::vec(0i64..7, 0..5),
            mode in proptest::option::of(prop_oneof![Just(Mode::EnLigne), Just(Mode::Presentiel), Just(Mode::Hybride)]),
            city in "[a-zA-Z ]{0,10}",
            url in prop_oneof![Just(String::new()), Just("https://a.fr".to_string()), ".{0,12}"],
            start_hour in 0u32..24,
            length_minutes in -120i64..600,
            day in 1u32..31,
        ) {
            let start = NaiveDate::from_ymd_opt(2026, 11, day).unwrap().and_hms_opt(start_hour, 0, 0).unwrap();
            let end = start + chrono::Duration::minutes(length_minutes);
            let input = EventInput {
                title, summary, themes, mode, city,
                online_url: url,
                starts_local: format_local(start),
                ends_local: format_local(end),
                ..in_person()
            };
            if let Ok(valid) = input.validate(&rules()) {
                prop_assert!(!valid.title.is_empty() && valid.title.chars().count() <= TITLE_MAX);
                prop_assert!(valid.ends_local > valid.starts_local);
                prop_assert!((1..=3).contains(&valid.themes.len()));
                prop_assert!(valid.mode == Mode::EnLigne || valid.city.as_deref().is_some_and(|c| !c.is_empty()));
                prop_assert!(valid.mode == Mode::Presentiel || valid.online_url.is_some());
                prop_assert!(valid.starts_local.date() >= rules().edition_starts_on);
            } else {
                let errors = input.validate(&rules()).unwrap_err();
                prop_assert!(!errors.is_empty());
                // One message per field, each in French and non-empty.
                let mut fields: Vec<_> = errors.iter().map(|e| e.field.clone()).collect();
                fields.dedup();
                prop_assert_eq!(fields.len(), errors.len());
                prop_assert!(errors.iter().all(|e| !e.message.is_empty()));
            }
        }
    }
}

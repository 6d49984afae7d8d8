//! The event form as typed ([`EventInput`]) and as a browser without JavaScript posts it
//! ([`EventFormPost`]), and the key of a new event.
use serde::{Deserialize, Serialize};

use super::{format_local, last_day, ValidEvent};
use crate::checks::field;
use crate::reference::Mode;

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

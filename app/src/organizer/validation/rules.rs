//! What the event's rules know: the limits, the edition and its vocabularies ([`Rules`]),
//! and what an event that passed them holds ([`ValidEvent`]).
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::reference::Mode;

pub const TITLE_MAX: usize = 200;
pub const SUMMARY_MAX: usize = 600;
pub const DESCRIPTION_MAX: usize = 20_000;
pub const ADDRESS_MAX: usize = 300;
pub const LONG_TEXT_MAX: usize = 2_000;
pub const THEMES_MIN: usize = 1;
pub const THEMES_MAX: usize = 3;
pub const CAPACITY_MAX: i64 = 1_000_000;

/// The longest an event of the month lasts…
pub const MAX_DAYS: i64 = 31;
/// …and one out of period, with its reason (real events of the Mois have run into December).
pub const MAX_DAYS_OUT_OF_PERIOD: i64 = 92;

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

/// The message of a date outside the edition.
pub(super) fn period_message(rules: &Rules) -> String {
    format!(
        "L'événement doit avoir lieu pendant le Mois, {}. Sinon, cochez « Hors période » et expliquez pourquoi.",
        crate::fr::date_range(rules.edition_starts_on, rules.edition_ends_on)
    )
}

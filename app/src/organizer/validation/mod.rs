//! Validation of what organizers type, shared by the browser (instant, per field) and the
//! server (authoritative). One function per rule set; each failure names its field and says,
//! in French, what to do.
//!
//! - `input.rs`: the form as typed ([`EventInput`], [`EventFormPost`]);
//! - `rules.rs`: the limits, what the rules know ([`Rules`]), a valid event ([`ValidEvent`]);
//! - `event.rs`: [`EventInput::validate`], section by section;
//! - the generic checks (field names, characters, addresses, dates) are `crate::checks`,
//!   re-exported here for the event's side.
mod event;
mod input;
mod rules;
#[cfg(test)]
mod tests;

pub use crate::checks::{
    check_characters, check_email, check_url, field, format_local, last_day, parse_day,
    parse_local, EMAIL_MAX, MULTILINE_FIELDS, SHORT_TEXT_MAX, URL_MAX, YEARS,
};
pub use input::{is_create_key, EventFormPost, EventInput};
pub use rules::{
    Rules, ValidEvent, ADDRESS_MAX, CAPACITY_MAX, DESCRIPTION_MAX, LONG_TEXT_MAX, MAX_DAYS,
    MAX_DAYS_OUT_OF_PERIOD, SUMMARY_MAX, THEMES_MAX, THEMES_MIN, TITLE_MAX,
};

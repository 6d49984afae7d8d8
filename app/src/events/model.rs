//! Wire types of events, sent to the browser. Row types live in `db.rs` (server only).
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::reference::{EventStatus, Mode};

#[cfg(feature = "ssr")]
pub use super::tz::paris_date;

/// An event as listed on cards: enough to choose, not everything.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventCard {
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// Wall-clock start and end at the venue.
    pub starts_local: NaiveDateTime,
    pub ends_local: NaiveDateTime,
    pub time_zone: String,
    pub format: String,
    pub mode: Mode,
    pub region: String,
    pub city: Option<String>,
    pub structure: String,
    pub themes: Vec<String>,
    pub status: EventStatus,
}

/// An event's public page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventDetail {
    pub card: EventCard,
    pub description: String,
    pub audience: String,
    pub organizer_type: String,
    pub region_code: String,
    pub department: Option<String>,
    pub venue_name: Option<String>,
    pub venue_address: Option<String>,
    pub postal_code: Option<String>,
    pub online_url: Option<String>,
    pub registration_url: Option<String>,
    pub capacity: Option<i64>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub accessibility: String,
    /// Start in Paris time, for venues in another zone (overseas).
    pub starts_paris: Option<NaiveDateTime>,
    pub edition_year: i32,
    pub lab: Option<String>,
}

/// « mardi 8 novembre 2022, 14 h 00 – 16 h 30 », or both full dates over several days.
pub fn when_label(start: NaiveDateTime, end: NaiveDateTime) -> String {
    if start.date() == end.date() {
        format!(
            "{} – {}",
            crate::fr::date_time(start),
            crate::fr::time(end.time())
        )
    } else {
        format!(
            "du {} au {}",
            crate::fr::date_time(start),
            crate::fr::date_time(end)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn when_labels_read_the_french_way() {
        let day = NaiveDate::from_ymd_opt(2022, 11, 8).unwrap();
        assert_eq!(
            when_label(
                day.and_hms_opt(14, 0, 0).unwrap(),
                day.and_hms_opt(16, 30, 0).unwrap()
            ),
            "mardi 8 novembre 2022, 14\u{a0}h\u{a0}00 – 16\u{a0}h\u{a0}30"
        );
        let next = NaiveDate::from_ymd_opt(2022, 11, 9).unwrap();
        assert_eq!(
            when_label(day.and_hms_opt(9, 0, 0).unwrap(), next.and_hms_opt(17, 0, 0).unwrap()),
            "du mardi 8 novembre 2022, 9\u{a0}h\u{a0}00 au mercredi 9 novembre 2022, 17\u{a0}h\u{a0}00"
        );
    }
}

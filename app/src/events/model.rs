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
    /// Known by its dates only: `starts_local` is midnight of its first day, `ends_local`
    /// midnight after its last day.
    #[serde(default)]
    pub all_day: bool,
    /// Why it runs outside the month, when it does (shown with its dates).
    #[serde(default)]
    pub out_of_period_reason: Option<String>,
}

impl EventCard {
    /// Where it takes place, as cards and « Mon programme » say it: « Rennes (Bretagne) », or
    /// the region alone (« National / en ligne »).
    /// When it takes place, as the event page says it (see [`when_label`]).
    pub fn when(&self) -> String {
        if self.all_day {
            all_day_label(self.starts_local, self.ends_local)
        } else {
            when_label(self.starts_local, self.ends_local)
        }
    }

    pub fn place(&self) -> String {
        match &self.city {
            Some(city) => format!("{city} ({})", self.region),
            None => self.region.clone(),
        }
    }
}

/// An event's public page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventDetail {
    pub card: EventCard,
    /// The description (Markdown typed by the organizer) rendered and sanitised (ammonia)
    /// on the server: only this travels to the browser.
    pub description_html: crate::html::Html,
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
    /// Start and end as RFC 3339 with the venue's offset (for JSON-LD).
    pub start_iso: String,
    pub end_iso: String,
    /// The page's absolute address.
    pub url: String,
    /// The event was over at the moment the page was read (by the app's clock, `state.clock`):
    /// the page says « Terminé » and offers neither joining nor adding it to a calendar.
    #[serde(default)]
    pub ended: bool,
}

impl EventDetail {
    /// The audience as pages write it: « non renseigné » when an archive does not tell.
    pub fn audience_label(&self) -> &str {
        if self.audience.is_empty() {
            "non renseigné"
        } else {
            &self.audience
        }
    }

    /// schema.org `Event` as JSON-LD, for search engines and calendars.
    pub fn json_ld(&self) -> String {
        use crate::reference::Mode;
        let card = &self.card;
        let attendance = match card.mode {
            Mode::Presentiel => "https://schema.org/OfflineEventAttendanceMode",
            Mode::EnLigne => "https://schema.org/OnlineEventAttendanceMode",
            Mode::Hybride => "https://schema.org/MixedEventAttendanceMode",
        };
        let status = if card.status == crate::reference::EventStatus::Cancelled {
            "https://schema.org/EventCancelled"
        } else {
            "https://schema.org/EventScheduled"
        };
        let mut locations = Vec::new();
        if card.mode.has_venue() {
            locations.push(serde_json::json!({
                "@type": "Place",
                "name": self.venue_name.clone().or_else(|| card.city.clone()).unwrap_or_default(),
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": self.venue_address,
                    "postalCode": self.postal_code,
                    "addressLocality": card.city,
                    "addressRegion": card.region,
                    "addressCountry": "FR",
                },
            }));
        }
        if card.mode.is_online() {
            locations.push(serde_json::json!({
                "@type": "VirtualLocation",
                "url": self.online_url.clone().unwrap_or_else(|| self.url.clone()),
            }));
        }
        let mut value = serde_json::json!({
            "@context": "https://schema.org",
            "@type": "Event",
            "name": card.title,
            "description": card.summary,
            "startDate": self.start_iso,
            "endDate": self.end_iso,
            "eventStatus": status,
            "eventAttendanceMode": attendance,
            "location": if locations.len() == 1 { locations[0].clone() } else { serde_json::Value::Array(locations) },
            "organizer": { "@type": "Organization", "name": card.structure },
            "url": self.url,
            "inLanguage": "fr-FR",
            "keywords": card.themes.join(", "),
        });
        if let Some(registration) = &self.registration_url {
            value["offers"] = serde_json::json!({
                "@type": "Offer",
                "url": registration,
                "price": "0",
                "priceCurrency": "EUR",
                "availability": "https://schema.org/InStock",
            });
        }
        // Inside <script>, "</" would end the element early, and "<!--" (with "<script")
        // switches the HTML parser into a state where "</script>" no longer ends it: every "<"
        // is written as the JSON escape \u003c, which JSON readers decode back.
        value.to_string().replace('<', "\\u003c")
    }
}

/// An event known by its dates only: « mardi 8 novembre 2022 (horaires non précisés) », or
/// « du … au … » over several days. `end` is midnight after the last day.
pub fn all_day_label(start: NaiveDateTime, end: NaiveDateTime) -> String {
    let last = crate::checks::last_day(end);
    if last <= start.date() {
        format!(
            "{} (horaires non précisés)",
            crate::fr::date_long(start.date())
        )
    } else {
        format!(
            "du {} au {} (horaires non précisés)",
            crate::fr::date_long(start.date()),
            crate::fr::date_long(last)
        )
    }
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

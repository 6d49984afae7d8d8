//! The edition catalogue: every public event of an edition in one compact payload, with the
//! vocabularies to read it. The browser receives it once (it is cacheable and kept for
//! offline use) and filters it locally; the server filters the very same structure for SSR,
//! feeds and the API.
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::fold::Haystack;
use crate::events::model::EventCard;
use crate::reference::{EventStatus, Mode};

/// One value of a vocabulary as the catalogue lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    /// Slug (themes, formats…) or INSEE code (regions): what the URL carries.
    #[serde(rename = "k")]
    pub key: String,
    #[serde(rename = "l")]
    pub label: String,
}

/// A public event, compact: vocabulary values are indexes into the catalogue's lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogEvent {
    #[serde(rename = "s")]
    pub slug: String,
    #[serde(rename = "t")]
    pub title: String,
    #[serde(rename = "r")]
    pub summary: String,
    /// Wall-clock start and end at the venue.
    #[serde(rename = "a", with = "crate::iso::date_time")]
    pub start: NaiveDateTime,
    #[serde(rename = "b", with = "crate::iso::date_time")]
    pub end: NaiveDateTime,
    /// End as a Unix time (seconds), to hide past events whatever the zone.
    #[serde(rename = "e")]
    pub end_unix: i64,
    #[serde(rename = "f")]
    pub format: u16,
    #[serde(rename = "m")]
    pub mode: Mode,
    #[serde(rename = "p")]
    pub audience: u16,
    #[serde(rename = "o")]
    pub organizer_type: u16,
    #[serde(rename = "g")]
    pub region: u16,
    #[serde(rename = "h")]
    pub themes: Vec<u16>,
    #[serde(rename = "c", default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(rename = "n")]
    pub structure: String,
    #[serde(rename = "x", default, skip_serializing_if = "is_false")]
    pub cancelled: bool,
    /// The venue's IANA zone when it is not Paris (overseas).
    #[serde(rename = "z", default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    pub year: i32,
    #[serde(with = "crate::iso::iso_date")]
    pub starts_on: NaiveDate,
    #[serde(with = "crate::iso::iso_date")]
    pub ends_on: NaiveDate,
    /// Grows with every change of the data (the ETag of the payload).
    pub version: i64,
    pub themes: Vec<Choice>,
    pub formats: Vec<Choice>,
    pub audiences: Vec<Choice>,
    pub organizer_types: Vec<Choice>,
    pub regions: Vec<Choice>,
    /// Sorted by start, then title.
    pub events: Vec<CatalogEvent>,
}

fn label(list: &[Choice], index: u16) -> String {
    list.get(index as usize)
        .map(|c| c.label.clone())
        .unwrap_or_default()
}

impl Catalog {
    /// The searchable text of each event (title, summary, organizer, city), folded once.
    pub fn haystacks(&self) -> Vec<Haystack> {
        self.events
            .iter()
            .map(|e| {
                Haystack::new(&[
                    &e.title,
                    &e.summary,
                    &e.structure,
                    e.city.as_deref().unwrap_or_default(),
                ])
            })
            .collect()
    }

    /// The card of an event, labels resolved.
    pub fn card(&self, event: &CatalogEvent) -> EventCard {
        EventCard {
            slug: event.slug.clone(),
            title: event.title.clone(),
            summary: event.summary.clone(),
            starts_local: event.start,
            ends_local: event.end,
            time_zone: event
                .zone
                .clone()
                .unwrap_or_else(|| crate::reference::PARIS_TZ.to_string()),
            format: label(&self.formats, event.format),
            mode: event.mode,
            region: label(&self.regions, event.region),
            city: event.city.clone(),
            structure: event.structure.clone(),
            themes: event
                .themes
                .iter()
                .map(|t| label(&self.themes, *t))
                .collect(),
            status: if event.cancelled {
                EventStatus::Cancelled
            } else {
                EventStatus::Published
            },
        }
    }

    pub fn region_index(&self, code: &str) -> Option<u16> {
        self.regions
            .iter()
            .position(|c| c.key == code)
            .map(|i| i as u16)
    }
}

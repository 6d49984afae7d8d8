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
    /// The event's address (`/evenements/{slug}`). Left out of the payload when it is the one
    /// its title gives ([`derived_slug`]; see [`Catalog::events`]).
    #[serde(rename = "s", default, skip_serializing_if = "String::is_empty")]
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
    /// Sorted by start, then title. On the wire, an event's slug is left out when its title
    /// gives it ([`derived_slug`]): most slugs are, and they weighed 15 % of the payload
    /// (2.4 of 16 kB brotli at 350 events).
    #[serde(
        serialize_with = "wire::serialize_events",
        deserialize_with = "wire::deserialize_events"
    )]
    pub events: Vec<CatalogEvent>,
}

/// The slug the server gives an event of this title (`slug::slugify`, cut to 80 characters),
/// for a title written with ASCII, French letters and French punctuation; `None` for any
/// other character (the catalogue then carries the slug). It needs no Unicode table in the
/// browser. The server leaves a slug out of the catalogue only when this gives it exactly,
/// so a title this reads otherwise than `slugify` merely keeps its slug on the wire.
///
/// The service worker (`server/src/sw.js`, `slugOf`) derives it the same way, to find an
/// event in a kept catalogue.
pub fn derived_slug(title: &str) -> Option<String> {
    let mut slug = String::with_capacity(title.len());
    // No dash before the first letter or digit.
    let mut after_dash = true;
    for c in title.chars() {
        let letters = match c {
            'a'..='z' | '0'..='9' => {
                slug.push(c);
                after_dash = false;
                continue;
            }
            'A'..='Z' => {
                slug.push(c.to_ascii_lowercase());
                after_dash = false;
                continue;
            }
            'à' | 'â' | 'ä' | 'À' | 'Â' | 'Ä' => "a",
            'ç' | 'Ç' => "c",
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => "e",
            'î' | 'ï' | 'Î' | 'Ï' => "i",
            'ô' | 'ö' | 'Ô' | 'Ö' => "o",
            'ù' | 'û' | 'ü' | 'Ù' | 'Û' | 'Ü' => "u",
            'ÿ' | 'Ÿ' => "y",
            'œ' | 'Œ' => "oe",
            'æ' | 'Æ' => "ae",
            // Every other ASCII character, and the French punctuation and spaces, which
            // `slugify` turns into ASCII punctuation: a dash.
            c if c.is_ascii() => "",
            '«' | '»' | '’' | '‘' | '“' | '”' | '–' | '—' | '…' | '\u{a0}' | '\u{202f}'
            | '\u{2009}' => "",
            _ => return None,
        };
        if letters.is_empty() {
            if !after_dash {
                slug.push('-');
                after_dash = true;
            }
        } else {
            slug.push_str(letters);
            after_dash = false;
        }
    }
    if slug.ends_with('-') {
        slug.pop();
    }
    slug.truncate(80);
    Some(slug)
}

mod wire {
    use serde::{Deserialize, Deserializer, Serializer};

    use super::{derived_slug, CatalogEvent};

    pub fn serialize_events<S: Serializer>(
        events: &[CatalogEvent],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(events.len()))?;
        for event in events {
            if derived_slug(&event.title).as_deref() == Some(event.slug.as_str()) {
                seq.serialize_element(&CatalogEvent {
                    slug: String::new(),
                    ..event.clone()
                })?;
            } else {
                seq.serialize_element(event)?;
            }
        }
        seq.end()
    }

    pub fn deserialize_events<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<CatalogEvent>, D::Error> {
        let mut events = Vec::<CatalogEvent>::deserialize(deserializer)?;
        for event in &mut events {
            if event.slug.is_empty() {
                event.slug = derived_slug(&event.title).ok_or_else(|| {
                    serde::de::Error::custom(format!("no slug for « {} »", event.title))
                })?;
            }
        }
        Ok(events)
    }
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

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    /// What the server stores (`organizer::db`): `slugify`, cut to 80 characters.
    fn server_slug(title: &str) -> String {
        slug::slugify(title).chars().take(80).collect()
    }

    #[test]
    fn french_titles_give_the_servers_slug() {
        for title in [
            "Atelier participatif",
            "Exposition : Les rendez-vous en ligne sans laisser personne de côté",
            "« Simplificathon » à l’hôtel de région — Œuvre commune… et cætera !",
            "ÀÂÄ ÇÉÈÊË ÎÏ ÔÖ ÙÛÜ Ÿ àâä çéèêë îï ôö ùûü ÿ œ æ Œ Æ",
            "L'innovation publique, c'est « nous » ‘à’ “vous” – 2026",
            "  Des espaces\u{a0}insécables\u{202f}: et\u{2009}fins ---",
            "Un titre très long qui dépasse les quatre-vingts caractères d’un slug, coupé au même endroit",
            "12 h 30 / 14 h 00 (visio) & débat ; questions ?",
        ] {
            assert_eq!(derived_slug(title), Some(server_slug(title)), "{title}");
        }
    }

    #[test]
    fn other_characters_keep_their_slug_on_the_wire() {
        for title in ["Łódź", "Atelier n° 3", "Coût : 10 €", "Straße"] {
            assert_eq!(derived_slug(title), None, "{title}");
        }
    }

    #[test]
    fn the_payload_carries_only_the_slugs_titles_do_not_give() {
        let mut catalog = crate::programme::engine::tests::sample();
        catalog.events[0].slug = derived_slug(&catalog.events[0].title).unwrap();
        catalog.events[1].slug = format!("{}-2", derived_slug(&catalog.events[1].title).unwrap());
        catalog.events[2].title = "Atelier n° 3".into();
        catalog.events[2].slug = "atelier-ndeg-3".into();
        let json = serde_json::to_value(&catalog).unwrap();
        let events = json["events"].as_array().unwrap();
        assert!(events[0].get("s").is_none(), "{}", events[0]);
        assert_eq!(events[1]["s"], catalog.events[1].slug.as_str());
        assert_eq!(events[2]["s"], "atelier-ndeg-3");
        let back: Catalog = serde_json::from_value(json).unwrap();
        assert_eq!(back, catalog);
    }
}

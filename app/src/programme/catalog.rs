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
    /// The event's address (`/evenements/{slug}`). On the wire (see [`Catalog::events`]): left
    /// out when its title gives it ([`derived_slug`]), only its suffix `-n` when it is that
    /// slug followed by a number (`-2026`, `-2`), the slug otherwise.
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
    /// End as a Unix time (seconds), to hide past events whatever the zone. Left out of the
    /// payload when the venue is at UTC+1 then (Paris in November, [`wire::USUAL_OFFSET`]).
    #[serde(
        rename = "e",
        default = "wire::missing_end",
        skip_serializing_if = "wire::is_missing_end"
    )]
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
    /// Known by its dates only (see `EventCard::all_day`).
    #[serde(rename = "j", default, skip_serializing_if = "is_false")]
    pub all_day: bool,
    /// Why it runs outside the month (a few events of an edition at most).
    #[serde(rename = "w", default, skip_serializing_if = "Option::is_none")]
    pub out_of_period_reason: Option<String>,
}

/// The index of a vocabulary value that is not known (an archive event's audience): it
/// matches no filter value and counts in no facet.
pub const UNKNOWN: u16 = u16::MAX;

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
    /// gives it ([`derived_slug`]), or written as its number suffix alone; its end as a Unix time
    /// when the usual offset gives it: both derived again when read. Slugs weighed 20 % of
    /// the payload (3.2 of 16 kB brotli at 350 events), end times 5 %.
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
    // As `organizer::db` cuts it (a dash left at the cut goes too).
    slug.truncate(80);
    while slug.ends_with('-') {
        slug.pop();
    }
    Some(slug)
}

mod wire {
    use serde::{Deserialize, Deserializer, Serializer};

    use super::{derived_slug, CatalogEvent};

    /// The venue's UTC offset (seconds) whose end times the payload leaves out: Paris's in
    /// November (no summer time then), the month of every edition.
    pub const USUAL_OFFSET: i64 = 3600;
    /// An end time left out (never a real one).
    const MISSING_END: i64 = i64::MIN;

    pub fn missing_end() -> i64 {
        MISSING_END
    }

    pub fn is_missing_end(end_unix: &i64) -> bool {
        *end_unix == MISSING_END
    }

    /// The event as the payload writes it: what can be derived again left out.
    fn on_wire(event: &CatalogEvent) -> CatalogEvent {
        let derived = derived_slug(&event.title);
        let slug = match derived.as_deref() {
            Some(derived) if derived == event.slug => String::new(),
            // Only the suffix: `-n`.
            Some(derived) => match event.slug.strip_prefix(derived) {
                Some(suffix) if is_number_suffix(suffix) => suffix.to_string(),
                _ => event.slug.clone(),
            },
            None => event.slug.clone(),
        };
        let usual_end = event.end.and_utc().timestamp() - USUAL_OFFSET;
        CatalogEvent {
            slug,
            end_unix: if event.end_unix == usual_end {
                MISSING_END
            } else {
                event.end_unix
            },
            ..event.clone()
        }
    }

    /// `-n`: a dash and up to nine digits, the first not 0.
    fn is_number_suffix(suffix: &str) -> bool {
        suffix.strip_prefix('-').is_some_and(|n| {
            (1..=9).contains(&n.len())
                && n.bytes().all(|b| b.is_ascii_digit())
                && !n.starts_with('0')
        })
    }

    pub fn serialize_events<S: Serializer>(
        events: &[CatalogEvent],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(events.len()))?;
        for event in events {
            seq.serialize_element(&on_wire(event))?;
        }
        seq.end()
    }

    pub fn deserialize_events<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<CatalogEvent>, D::Error> {
        let mut events = Vec::<CatalogEvent>::deserialize(deserializer)?;
        for event in &mut events {
            if event.slug.is_empty() || event.slug.starts_with('-') {
                let derived = derived_slug(&event.title).ok_or_else(|| {
                    serde::de::Error::custom(format!("no slug for « {} »", event.title))
                })?;
                event.slug.insert_str(0, &derived);
            }
            if event.end_unix == MISSING_END {
                event.end_unix = event.end.and_utc().timestamp() - USUAL_OFFSET;
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
    /// The first and last days of the edition's programme: its month, widened to the days of
    /// its out-of-period events (an event may start before the month or end after it, with a
    /// reason). The date fields' `min`/`max`, the calendar's days and the dates a filter
    /// accepts all follow it.
    pub fn date_span(&self) -> (NaiveDate, NaiveDate) {
        self.events
            .iter()
            .fold((self.starts_on, self.ends_on), |(first, last), e| {
                (first.min(e.start.date()), last.max(e.end.date()))
            })
    }

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
            all_day: event.all_day,
            out_of_period_reason: event.out_of_period_reason.clone(),
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

    /// What the server stores (`organizer::db`, before its suffix): `slugify`, cut to 80
    /// characters, without a dash at the end.
    fn server_slug(title: &str) -> String {
        let slug: String = slug::slugify(title).chars().take(80).collect();
        slug.trim_end_matches('-').to_string()
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
    fn the_payload_carries_only_what_cannot_be_derived() {
        let mut catalog = crate::programme::engine::tests::sample();
        assert!(catalog.events.len() >= 4);
        let derived = |i: usize, c: &Catalog| derived_slug(&c.events[i].title).unwrap();
        catalog.events[0].slug = derived(0, &catalog);
        catalog.events[1].slug = format!("{}-2026", derived(1, &catalog));
        catalog.events[2].title = "Atelier n° 3".into();
        catalog.events[2].slug = "atelier-ndeg-3".into();
        // Suffixes that would not read back the same, another slug altogether.
        catalog.events[3].slug = format!("{}-2026-2", derived(3, &catalog));
        // Paris in November: UTC+1; Guadeloupe: UTC−4.
        catalog.events[0].end_unix = catalog.events[0].end.and_utc().timestamp() - 3600;
        catalog.events[1].end_unix = catalog.events[1].end.and_utc().timestamp() + 4 * 3600;
        let json = serde_json::to_value(&catalog).unwrap();
        let events = json["events"].as_array().unwrap();
        assert!(events[0].get("s").is_none(), "{}", events[0]);
        assert!(events[0].get("e").is_none(), "{}", events[0]);
        assert_eq!(events[1]["s"], "-2026");
        assert_eq!(events[1]["e"], catalog.events[1].end_unix);
        assert_eq!(events[2]["s"], "atelier-ndeg-3");
        assert_eq!(events[3]["s"], catalog.events[3].slug.as_str());
        for slug in ["x-02", "x-", "x-1234567890"] {
            let mut other = catalog.clone();
            other.events[0].slug = format!("{}{}", derived(0, &other), &slug[1..]);
            let json = serde_json::to_value(&other).unwrap();
            assert_eq!(
                json["events"][0]["s"],
                other.events[0].slug.as_str(),
                "{slug}"
            );
            assert_eq!(
                serde_json::from_value::<Catalog>(json).unwrap(),
                other,
                "{slug}"
            );
        }
        let back: Catalog = serde_json::from_value(json).unwrap();
        assert_eq!(back, catalog);
    }

    #[test]
    fn a_payload_whose_slug_cannot_be_derived_is_refused() {
        let mut json = serde_json::to_value(crate::programme::engine::tests::sample()).unwrap();
        json["events"][0]["t"] = "Łódź".into();
        json["events"][0].as_object_mut().unwrap().remove("s");
        assert!(serde_json::from_value::<Catalog>(json).is_err());
    }
}

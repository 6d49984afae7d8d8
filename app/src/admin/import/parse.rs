//! The file's words and dates: its columns for the form's fields, statuses, vocabulary
//! values by label or slug, and the date formats of `debut` and `fin`.
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

use crate::checks::format_local;

use crate::events::tz;
use crate::programme::fold::fold;
use crate::reference::EventStatus;

/// The CSV column of a validation field.
pub(super) fn column_of(field: &str) -> &'static str {
    match field {
        "title" => "titre",
        "summary" => "resume",
        "description" => "description",
        "themes" => "themes",
        "format" => "format",
        "mode" => "modalite",
        "audience" => "public",
        "structure_name" => "structure",
        "organizer_type" => "type_structure",
        "lab" => "laboratoire",
        "region" => "region",
        "department" => "departement",
        "city" => "commune",
        "venue_name" => "lieu",
        "venue_address" => "adresse",
        "postal_code" => "code_postal",
        "online_url" => "lien_en_ligne",
        "starts_at" => "debut",
        "ends_at" => "fin",
        "out_of_period_reason" => "hors_periode",
        "registration_url" => "inscription",
        "capacity" => "places",
        "contact_name" => "contact_nom",
        "contact_email" => "contact_email",
        "accessibility" => "accessibilite",
        _ => "?",
    }
}

pub(super) fn status_of(text: &str) -> Option<EventStatus> {
    match fold(text).as_str() {
        "" | "publie" | "published" => Some(EventStatus::Published),
        "brouillon" | "draft" => Some(EventStatus::Draft),
        "soumis" | "submitted" => Some(EventStatus::Submitted),
        "annule" | "cancelled" => Some(EventStatus::Cancelled),
        "refuse" | "rejected" => Some(EventStatus::Rejected),
        "modifications demandees" | "changes_requested" => Some(EventStatus::ChangesRequested),
        _ => None,
    }
}

pub(in crate::admin) fn status_text(status: EventStatus) -> &'static str {
    match status {
        EventStatus::Published => "publié",
        EventStatus::Draft => "brouillon",
        EventStatus::Submitted => "soumis",
        EventStatus::Cancelled => "annulé",
        EventStatus::Rejected => "refusé",
        EventStatus::ChangesRequested => "modifications demandées",
    }
}

/// Finds a vocabulary value by its label or slug, ignoring case and accents.
pub(super) fn find(items: &[crate::reference::VocabularyItem], text: &str) -> Option<i64> {
    let wanted = fold(text);
    items
        .iter()
        .find(|i| fold(&i.label) == wanted || fold(&i.slug) == wanted)
        .map(|i| i.id)
}

/// A date or date-time of the `debut` and `fin` columns, as written in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// A wall-clock time without offset: the venue's local time.
    Local(NaiveDateTime),
    /// ISO 8601 with an offset (`2026-11-10T14:00:00+01:00`, `…Z`): an instant, shown at the
    /// venue's local time.
    Instant(DateTime<FixedOffset>),
    /// A date alone: an all-day event.
    Day(NaiveDate),
}

/// The formats the import reads, as the page and the error messages name them.
pub const DATE_FORMATS: &str = "2026-11-10 14:00 (ou 2026-11-10T14:00), \
    2026-11-10T14:00:00+01:00 (avec décalage horaire, converti à l'heure du lieu), \
    10/11/2026 14:00, ou une date seule (2026-11-10 ou 10/11/2026) pour un événement sur la journée";

/// `2026-11-10` or `10/11/2026` (day and month of one or two digits), a year of
/// `checks::YEARS`.
fn parse_day(text: &str) -> Option<NaiveDate> {
    let date = if text.contains('/') {
        let parts: Vec<&str> = text.split('/').collect();
        match parts.as_slice() {
            [d, m, y] if y.len() == 4 && d.len() <= 2 && m.len() <= 2 => {
                NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?
            }
            _ => return None,
        }
    } else {
        let parts: Vec<&str> = text.split('-').collect();
        match parts.as_slice() {
            [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => {
                NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?
            }
            _ => return None,
        }
    };
    crate::checks::YEARS.contains(&date.year()).then_some(date)
}

/// `14:00`, `14:00:00` (a fraction of a second is ignored) or `14h00`, `14h`.
fn parse_time(text: &str) -> Option<NaiveTime> {
    let text = text.split('.').next().unwrap_or(text);
    let parts: Vec<&str> = if text.contains('h') {
        text.split('h').collect()
    } else {
        text.split(':').collect()
    };
    let number = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    match parts.as_slice() {
        [h, m] if text.contains('h') && m.is_empty() => NaiveTime::from_hms_opt(number(h)?, 0, 0),
        [h, m] => NaiveTime::from_hms_opt(number(h)?, number(m)?, 0),
        [h, m, s] if !text.contains('h') => {
            NaiveTime::from_hms_opt(number(h)?, number(m)?, number(s)?)
        }
        _ => None,
    }
}

/// `Z`, `+01:00`, `+0100`, `-04` as an offset.
fn parse_offset(text: &str) -> Option<FixedOffset> {
    if text.eq_ignore_ascii_case("z") {
        return FixedOffset::east_opt(0);
    }
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) || !matches!(digits.len(), 2 | 4) {
        return None;
    }
    let hours: i32 = digits[..2].parse().ok()?;
    let minutes: i32 = if digits.len() == 4 {
        digits[2..].parse().ok()?
    } else {
        0
    };
    if hours > 14 || minutes > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

/// A cell of `debut` or `fin` in one of the [`DATE_FORMATS`].
pub fn parse_when(text: &str) -> Option<When> {
    let text = text.trim();
    let (date, rest) = match text.find([' ', 'T']) {
        Some(i) => (&text[..i], Some(text[i + 1..].trim())),
        None => (text, None),
    };
    let day = parse_day(date)?;
    let Some(rest) = rest else {
        return Some(When::Day(day));
    };
    // The offset, if any, follows the time: `Z`, or from its sign.
    let (time, offset) = if let Some(time) = rest.strip_suffix(['Z', 'z']) {
        (time, Some("Z"))
    } else {
        match rest.find(['+', '-']) {
            Some(i) => (&rest[..i], Some(&rest[i..])),
            None => (rest, None),
        }
    };
    let at = day.and_time(parse_time(time.trim())?);
    match offset {
        None => Some(When::Local(at)),
        Some(offset) => {
            let offset = parse_offset(offset.trim())?;
            offset.from_local_datetime(&at).single().map(When::Instant)
        }
    }
}

/// The value of the event form's date field for `when` at a venue of time zone `zone`:
/// `2026-11-10T14:00`, or `2026-11-10` for a date alone (an all-day event).
pub fn when_local(when: When, zone: &str) -> String {
    match when {
        When::Local(at) => format_local(at),
        When::Instant(at) => format_local(tz::local(at.with_timezone(&Utc), zone)),
        When::Day(day) => day.format("%Y-%m-%d").to_string(),
    }
}

/// Values of `hors_periode` that are a yes or a no rather than a reason.
pub(super) fn out_of_period_value(text: &str) -> Result<String, &'static str> {
    match fold(text).as_str() {
        "" | "non" | "no" | "0" | "faux" | "false" | "-" => Ok(String::new()),
        "oui" | "yes" | "x" | "1" | "vrai" | "true" => Err(
            "hors_periode attend la raison pour laquelle l'événement a lieu en dehors du Mois \
             (un texte que le public lit), pas « oui » : laissez vide pour un événement pendant le Mois.",
        ),
        _ => Ok(text.trim().to_string()),
    }
}

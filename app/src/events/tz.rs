//! Time zones (server only: the IANA database stays out of the wasm). Events are stored as
//! UTC instants plus the venue's IANA zone; the browser receives local times ready to show.
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::reference::PARIS_TZ;

pub fn parse_zone(name: &str) -> Option<Tz> {
    name.parse::<Tz>().ok()
}

/// The wall-clock time at the venue. An unknown zone falls back to Paris time.
pub fn local(at: DateTime<Utc>, zone: &str) -> NaiveDateTime {
    let tz = parse_zone(zone).unwrap_or(chrono_tz::Europe::Paris);
    at.with_timezone(&tz).naive_local()
}

/// The venue's wall-clock time with its UTC offset, e.g. `2026-11-10T10:00:00-04:00`
/// (plain UTC for an unknown zone): what JSON-LD and the open data publish.
pub fn local_rfc3339(at: DateTime<Utc>, zone: &str) -> String {
    match parse_zone(zone) {
        Some(tz) => at
            .with_timezone(&tz)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        None => crate::time::timestamp(at),
    }
}

/// The calendar day in mainland France: what « aujourd'hui » means for the programme.
pub fn paris_date(at: DateTime<Utc>) -> NaiveDate {
    local(at, PARIS_TZ).date()
}

/// The UTC instant of a wall-clock time at the venue. `None` for a time that does not exist
/// there (the hour skipped when clocks go forward); the earlier one when it is ambiguous.
pub fn to_utc(local_time: NaiveDateTime, zone: &str) -> Option<DateTime<Utc>> {
    let tz = parse_zone(zone)?;
    tz.from_local_datetime(&local_time)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn overseas_venues_are_not_on_paris_time() {
        // 8 November 2026, 13:00 UTC: 14 h 00 in Paris (UTC+1), 9 h 00 in Guadeloupe (UTC-4),
        // 17 h 00 in La Réunion (UTC+4).
        let at = utc("2026-11-08T13:00:00Z");
        assert_eq!(local(at, "Europe/Paris").to_string(), "2026-11-08 14:00:00");
        assert_eq!(
            local(at, "America/Guadeloupe").to_string(),
            "2026-11-08 09:00:00"
        );
        assert_eq!(
            local(at, "Indian/Reunion").to_string(),
            "2026-11-08 17:00:00"
        );
        assert_eq!(
            local(at, "America/Cayenne").to_string(),
            "2026-11-08 10:00:00"
        );
    }

    #[test]
    fn local_times_convert_back_to_the_same_instant() {
        let wall = NaiveDate::from_ymd_opt(2026, 11, 8)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        assert_eq!(
            to_utc(wall, "America/Guadeloupe"),
            Some(utc("2026-11-08T13:00:00Z"))
        );
        assert_eq!(to_utc(wall, "Mars/Olympus"), None);
        // 29 March 2026, 02:30 does not exist in Paris (clocks go from 2:00 to 3:00).
        let skipped = NaiveDate::from_ymd_opt(2026, 3, 29)
            .unwrap()
            .and_hms_opt(2, 30, 0)
            .unwrap();
        assert_eq!(to_utc(skipped, "Europe/Paris"), None);
    }

    #[test]
    fn published_times_carry_the_venue_offset() {
        let at = utc("2026-11-08T13:00:00Z");
        assert_eq!(
            local_rfc3339(at, "America/Guadeloupe"),
            "2026-11-08T09:00:00-04:00"
        );
        assert_eq!(
            local_rfc3339(at, "Europe/Paris"),
            "2026-11-08T14:00:00+01:00"
        );
        assert_eq!(local_rfc3339(at, "Nowhere/Else"), "2026-11-08T13:00:00Z");
    }

    #[test]
    fn the_programme_day_is_the_paris_day() {
        assert_eq!(
            paris_date(utc("2026-11-08T23:30:00Z")).to_string(),
            "2026-11-09"
        );
    }
}

//! Instants as the platform writes them: RFC 3339 in UTC, to the second
//! (`2026-11-10T08:00:00Z`). The database stores every instant in this form, where they compare
//! and sort as text; the feeds, the open data and the exports publish it. One writer, so that
//! no two stored instants differ in form. Wall-clock times at a venue (with their offset, for
//! JSON-LD and the open data) are `events::tz`'s (server only: it carries the IANA database).
use chrono::{DateTime, SecondsFormat, Utc};

/// `at` as stored and published: `2026-11-10T08:00:00Z`.
pub fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_in_utc_with_a_z() {
        let at: DateTime<Utc> = "2026-11-10T09:00:00.987+01:00".parse().unwrap();
        assert_eq!(timestamp(at), "2026-11-10T08:00:00Z");
    }

    #[test]
    fn stored_instants_sort_as_text() {
        let early: DateTime<Utc> = "2026-11-09T23:59:59Z".parse().unwrap();
        let late: DateTime<Utc> = "2026-11-10T00:00:00Z".parse().unwrap();
        assert!(timestamp(early) < timestamp(late));
    }
}

//! Dates and times as the app writes them in URLs, forms and JSON (ISO 8601: `2026-11-10`,
//! `2026-11-10T09:30:00`, what chrono's `Display` and serde write), read and written by hand:
//! chrono's own parser and formatter weighed ≈ 15 kB in the wasm every page loads (the save
//! buttons' props and the storage), then ≈ 7 kB brotli more in the programme's (the
//! catalogue's dates, the filters' dates in the URL).
use chrono::{Datelike, NaiveDate};

/// `2026-11-10`.
pub fn date(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// `YYYY-MM-DD` exactly (what a date field and `date` write); `None` otherwise.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    NaiveDate::from_ymd_opt(
        number(text, 0..4)? as i32,
        number(text, 5..7)?,
        number(text, 8..10)?,
    )
}

/// The digits of `text` in `range` as a number; `None` if any is not a digit.
fn number(text: &str, range: std::ops::Range<usize>) -> Option<u32> {
    let digits = text.get(range)?;
    digits
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| digits.parse().ok())?
}

/// Serde for a `NaiveDate` as `date` writes it.
pub mod iso_date {
    use chrono::NaiveDate;
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::date(*d))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(d)?;
        super::parse_date(&text).ok_or_else(|| D::Error::custom("expected a date (YYYY-MM-DD)"))
    }
}

/// Serde for a local `NaiveDateTime` as chrono writes it (`2026-11-10T09:30:00`).
pub mod date_time {
    use chrono::{Datelike, NaiveDateTime, Timelike};
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(at: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&format_args!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            at.year(),
            at.month(),
            at.day(),
            at.hour(),
            at.minute(),
            at.second()
        ))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDateTime, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(d)?;
        parse(&text).ok_or_else(|| D::Error::custom("expected a local date and time"))
    }

    /// `YYYY-MM-DDTHH:MM:SS`, any fraction of a second after it ignored.
    pub fn parse(text: &str) -> Option<NaiveDateTime> {
        let separators = text.as_bytes();
        if separators.len() < 19
            || separators[10] != b'T'
            || separators[13] != b':'
            || separators[16] != b':'
            || (separators.len() > 19 && separators[19] != b'.')
        {
            return None;
        }
        super::parse_date(text.get(0..10)?)?.and_hms_opt(
            super::number(text, 11..13)?,
            super::number(text, 14..16)?,
            super::number(text, 17..19)?,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDateTime;

    #[test]
    fn dates_are_written_and_read_as_chrono_does() {
        for text in ["2026-11-10", "0999-01-01", "2024-02-29"] {
            let d: NaiveDate = text.parse().unwrap();
            assert_eq!(date(d), d.to_string());
            assert_eq!(parse_date(text), Some(d));
        }
        for bad in [
            "",
            "2026-11-1",
            "2026-13-10",
            "2025-02-29",
            " 2026-11-10",
            "2026/11/10",
            "+026-11-10",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn date_times_are_written_as_chrono_does() {
        let at: NaiveDateTime = "2026-11-10T09:30:00".parse().unwrap();
        let json = serde_json::to_string(&at).unwrap();
        #[derive(serde::Serialize)]
        struct Ours(#[serde(with = "date_time")] NaiveDateTime);
        assert_eq!(serde_json::to_string(&Ours(at)).unwrap(), json);
    }
}

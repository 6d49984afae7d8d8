//! French formatting of dates, times and numbers, the way the users read them:
//! « mardi 8 novembre 2022, 14 h 00 », « 1er novembre », « 1 234 événements ».
//! Hand-written on purpose: a locale crate would add its whole table set to the wasm for
//! nineteen words.
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday};

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

pub fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "lundi",
        Weekday::Tue => "mardi",
        Weekday::Wed => "mercredi",
        Weekday::Thu => "jeudi",
        Weekday::Fri => "vendredi",
        Weekday::Sat => "samedi",
        Weekday::Sun => "dimanche",
    }
}

pub fn month_name(month: u32) -> &'static str {
    MONTHS[(month.clamp(1, 12) - 1) as usize]
}

fn day_number(day: u32) -> String {
    if day == 1 {
        "1er".to_string()
    } else {
        day.to_string()
    }
}

/// « mardi 8 novembre 2022 »
pub fn date_long(date: NaiveDate) -> String {
    format!(
        "{} {} {} {}",
        weekday_name(date.weekday()),
        day_number(date.day()),
        month_name(date.month()),
        date.year()
    )
}

/// « 8 novembre 2022 »
pub fn date_medium(date: NaiveDate) -> String {
    format!(
        "{} {} {}",
        day_number(date.day()),
        month_name(date.month()),
        date.year()
    )
}

/// « 14 h 00 », with no-break spaces so that a time never splits across two lines.
pub fn time(time: NaiveTime) -> String {
    format!("{}\u{a0}h\u{a0}{:02}", time.hour(), time.minute())
}

/// « mardi 8 novembre 2022, 14 h 00 »
pub fn date_time(at: NaiveDateTime) -> String {
    format!("{}, {}", date_long(at.date()), time(at.time()))
}

/// « du 2 au 30 novembre 2026 », « du 28 octobre au 3 novembre 2026 »,
/// « du 30 décembre 2026 au 2 janvier 2027 », « le 8 novembre 2026 ».
pub fn date_range(start: NaiveDate, end: NaiveDate) -> String {
    if start == end {
        return format!("le {}", date_medium(start));
    }
    if start.year() != end.year() {
        return format!("du {} au {}", date_medium(start), date_medium(end));
    }
    if start.month() != end.month() {
        return format!(
            "du {} {} au {}",
            day_number(start.day()),
            month_name(start.month()),
            date_medium(end)
        );
    }
    format!("du {} au {}", day_number(start.day()), date_medium(end))
}

/// Groups thousands with a narrow no-break space, as French typography does: « 12 345 ».
pub fn number(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202F}');
        }
        out.push(c);
    }
    out
}

/// « 0 événement », « 1 événement », « 2 événements » (French singular for 0 and 1).
pub fn count(n: i64, singular: &str, plural: &str) -> String {
    format!("{} {}", number(n), noun(n, singular, plural))
}

/// The noun alone, agreeing with `n` (French singular for 0 and 1), for views that show the
/// number in its own element: `<strong>{number(n)}</strong>" "{noun(n, …)}`.
pub fn noun<'a>(n: i64, singular: &'a str, plural: &'a str) -> &'a str {
    if n.abs() < 2 {
        singular
    } else {
        plural
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn counts_agree_in_number() {
        assert_eq!(
            count(0, "compte organisateur", "comptes organisateurs"),
            "0 compte organisateur"
        );
        assert_eq!(
            count(1, "événement publié", "événements publiés"),
            "1 événement publié"
        );
        assert_eq!(
            count(2, "événement publié", "événements publiés"),
            "2 événements publiés"
        );
        assert_eq!(noun(1, "structure", "structures"), "structure");
        assert_eq!(noun(1234, "structure", "structures"), "structures");
    }

    #[test]
    fn long_dates_read_the_french_way() {
        assert_eq!(date_long(d(2022, 11, 8)), "mardi 8 novembre 2022");
        assert_eq!(date_long(d(2026, 11, 1)), "dimanche 1er novembre 2026");
        assert_eq!(date_long(d(2026, 2, 14)), "samedi 14 février 2026");
        assert_eq!(date_long(d(2026, 8, 31)), "lundi 31 août 2026");
    }

    #[test]
    fn date_times_have_the_french_hour_format() {
        let at = d(2022, 11, 8).and_hms_opt(14, 0, 0).unwrap();
        assert_eq!(date_time(at), "mardi 8 novembre 2022, 14\u{a0}h\u{a0}00");
        assert_eq!(
            time(NaiveTime::from_hms_opt(9, 5, 0).unwrap()),
            "9\u{a0}h\u{a0}05"
        );
    }

    #[test]
    fn ranges_drop_what_repeats() {
        assert_eq!(
            date_range(d(2026, 11, 2), d(2026, 11, 30)),
            "du 2 au 30 novembre 2026"
        );
        assert_eq!(
            date_range(d(2026, 10, 28), d(2026, 11, 3)),
            "du 28 octobre au 3 novembre 2026"
        );
        assert_eq!(
            date_range(d(2026, 12, 30), d(2027, 1, 2)),
            "du 30 décembre 2026 au 2 janvier 2027"
        );
        assert_eq!(
            date_range(d(2026, 11, 1), d(2026, 11, 1)),
            "le 1er novembre 2026"
        );
    }

    #[test]
    fn numbers_group_thousands() {
        assert_eq!(number(0), "0");
        assert_eq!(number(999), "999");
        assert_eq!(number(1000), "1\u{202F}000");
        assert_eq!(number(-1234567), "-1\u{202F}234\u{202F}567");
        assert_eq!(count(1, "événement", "événements"), "1 événement");
        assert_eq!(count(0, "événement", "événements"), "0 événement");
        assert_eq!(count(350, "événement", "événements"), "350 événements");
    }
}

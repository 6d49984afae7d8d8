//! The import's cells, dates and file names.
use super::cells::has_control_character;
use super::check::clean_file_name;
use super::parse::out_of_period_value;
use super::*;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

#[test]
fn cells_read_as_formulas_are_quoted_and_read_back() {
    for (value, written) in [
        (
            "=HYPERLINK(\"http://evil.example\",\"x\")",
            "'=HYPERLINK(\"http://evil.example\",\"x\")",
        ),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=x", "''=x"),
        ("''+1", "'''+1"),
        ("'quoted", "'quoted"),
        ("Atelier = échange", "Atelier = échange"),
        ("2026-11-02 10:00", "2026-11-02 10:00"),
        ("", ""),
    ] {
        assert_eq!(formula_safe(value), written);
        assert_eq!(formula_restored(written), value, "{written}");
    }
}

fn local(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

#[test]
fn every_documented_date_format_is_read() {
    let day = NaiveDate::from_ymd_opt(2026, 11, 10).unwrap();
    for (text, expected) in [
        ("2026-11-10 14:00", When::Local(local("2026-11-10 14:00"))),
        ("2026-11-10T14:00", When::Local(local("2026-11-10 14:00"))),
        (
            "2026-11-10T14:00:00",
            When::Local(local("2026-11-10 14:00")),
        ),
        (" 10/11/2026 14:00 ", When::Local(local("2026-11-10 14:00"))),
        ("10/11/2026 14h00", When::Local(local("2026-11-10 14:00"))),
        ("10/11/2026 14h", When::Local(local("2026-11-10 14:00"))),
        ("1/11/2026 9:05", When::Local(local("2026-11-01 09:05"))),
        ("2026-11-10", When::Day(day)),
        ("10/11/2026", When::Day(day)),
    ] {
        assert_eq!(parse_when(text), Some(expected), "{text}");
    }
    for (text, utc) in [
        ("2026-11-10T14:00:00+01:00", "2026-11-10T13:00:00Z"),
        ("2026-11-10T14:00+01:00", "2026-11-10T13:00:00Z"),
        ("2026-11-10T14:00:00.000+0100", "2026-11-10T13:00:00Z"),
        ("2026-11-10T10:00:00-04:00", "2026-11-10T14:00:00Z"),
        ("2026-11-10T13:00:00Z", "2026-11-10T13:00:00Z"),
        ("2026-11-10 13:00Z", "2026-11-10T13:00:00Z"),
    ] {
        match parse_when(text) {
            Some(When::Instant(at)) => {
                assert_eq!(
                    at.with_timezone(&Utc),
                    utc.parse::<DateTime<Utc>>().unwrap(),
                    "{text}"
                )
            }
            other => panic!("{text}: {other:?}"),
        }
    }
    for bad in [
        "",
        "demain",
        "2026-13-01",
        "31/11/2026",
        "2026-11-10 25:00",
        "2026-11-10 14:60",
        "10-11-2026",
        "2026/11/10",
        "0002-11-10",
        "10/11/26 14:00",
        "2026-11-10T14:00+25:00",
        "2026-11-10 14:00 heures",
        "+10000-01-01T10:00",
    ] {
        assert_eq!(parse_when(bad), None, "{bad}");
    }
}

#[test]
fn offsets_become_the_venues_local_time() {
    let at = parse_when("2026-11-10T14:00:00+01:00").unwrap();
    assert_eq!(when_local(at, "Europe/Paris"), "2026-11-10T14:00");
    // 13:00 UTC: 9:00 in Guadeloupe (UTC−4), 17:00 in La Réunion (UTC+4).
    assert_eq!(when_local(at, "America/Guadeloupe"), "2026-11-10T09:00");
    assert_eq!(when_local(at, "Indian/Reunion"), "2026-11-10T17:00");
    // Without an offset, the time is the venue's own.
    let at = parse_when("10/11/2026 14:00").unwrap();
    assert_eq!(when_local(at, "America/Guadeloupe"), "2026-11-10T14:00");
    // A date alone stays a date (an all-day event).
    assert_eq!(
        when_local(parse_when("10/11/2026").unwrap(), "Europe/Paris"),
        "2026-11-10"
    );
}

#[test]
fn out_of_period_takes_a_reason_not_a_yes() {
    assert_eq!(out_of_period_value("").unwrap(), "");
    assert_eq!(out_of_period_value(" non ").unwrap(), "");
    assert!(out_of_period_value("oui").is_err());
    assert!(out_of_period_value("X").is_err());
    assert_eq!(
        out_of_period_value(" Forum annuel tenu début décembre ").unwrap(),
        "Forum annuel tenu début décembre"
    );
}

#[test]
fn cells_with_control_characters_and_file_names_are_caught() {
    assert!(!has_control_character("Atelier\r\nsuite\tx"));
    assert!(has_control_character("a\u{0}b"));
    assert!(has_control_character("fin\r"));
    assert_eq!(
        clean_file_name("C:\\Users\\x\\événements\u{1}.csv"),
        "événements.csv"
    );
    assert_eq!(decode(b"\xef\xbb\xbfa,b", "fichier").unwrap(), "a,b");
    assert!(decode(b"caf\xe9", "fichier").is_err());
}

#[test]
fn records_are_written_safe() {
    let mut out = csv::Writer::from_writer(Vec::new());
    write_safe_record(&mut out, ["=1+1", "ok", "@a"]).unwrap();
    write_safe_record(&mut out, [String::from("-3"), "+".into(), "a,b".into()]).unwrap();
    let text = String::from_utf8(out.into_inner().unwrap()).unwrap();
    assert_eq!(text, "'=1+1,ok,'@a\n'-3,'+,\"a,b\"\n");
}

//! The event's rules, tried on whole forms: each section's messages, the dates, and a
//! property test that whatever passes fits the database.
use super::*;
use crate::reference::{Mode, NATIONAL_REGION};
use chrono::NaiveDate;
use proptest::prelude::*;

fn rules() -> Rules {
    Rules {
        edition_starts_on: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
        edition_ends_on: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        theme_ids: vec![1, 2, 3, 4, 5],
        format_ids: vec![10, 11],
        audience_ids: vec![20, 21],
        organizer_type_ids: vec![30, 31],
        lab_ids: vec![40],
        region_codes: vec!["11".into(), "01".into(), "04".into()],
        departments: vec![("75".into(), "11".into()), ("971".into(), "01".into())],
        archive: false,
    }
}

#[test]
fn a_date_alone_is_an_all_day_event_and_round_trips() {
    let input = EventInput {
        starts_local: "2026-11-10".into(),
        ends_local: "2026-11-12".into(),
        ..in_person()
    };
    let valid = input.validate(&rules()).unwrap();
    assert!(valid.all_day);
    assert_eq!(format_local(valid.starts_local), "2026-11-10T00:00");
    // Midnight after the last day.
    assert_eq!(format_local(valid.ends_local), "2026-11-13T00:00");
    let back = EventInput::from_valid(&valid);
    assert_eq!(
        (back.starts_local.as_str(), back.ends_local.as_str()),
        ("2026-11-10", "2026-11-12")
    );
    // One day: the end may be left empty.
    let one = EventInput {
        starts_local: "2026-11-30".into(),
        ends_local: String::new(),
        ..in_person()
    };
    let valid = one.validate(&rules()).unwrap();
    assert_eq!(format_local(valid.ends_local), "2026-12-01T00:00");
    // The last day counts for the period: 30 November is within the month.
    assert!(valid.out_of_period_reason.is_none());
    // A date alone then a time: the end says how to write it.
    let mixed = EventInput {
        starts_local: "2026-11-10".into(),
        ends_local: "2026-11-10T16:00".into(),
        ..in_person()
    };
    assert!(mixed.error_for(&rules(), field::ENDS).is_some());
    // A last day before the first.
    let crossed = EventInput {
        starts_local: "2026-11-10".into(),
        ends_local: "2026-11-09".into(),
        ..in_person()
    };
    assert!(crossed.error_for(&rules(), field::ENDS).is_some());
}

#[test]
fn an_archive_edition_leaves_unknown_what_history_does_not_tell() {
    let unknown = EventInput {
        summary: String::new(),
        audience_id: None,
        structure_name: String::new(),
        city: String::new(),
        venue_address: String::new(),
        starts_local: "2026-11-10".into(),
        ends_local: String::new(),
        ..in_person()
    };
    // Outside an archive each is required…
    let fields: Vec<String> = unknown
        .validate(&rules())
        .unwrap_err()
        .into_iter()
        .map(|e| e.field)
        .collect();
    for f in [
        field::SUMMARY,
        field::AUDIENCE,
        field::STRUCTURE,
        field::CITY,
        field::VENUE_ADDRESS,
    ] {
        assert!(fields.iter().any(|x| x == f), "{f} in {fields:?}");
    }
    // …in an archive they stay empty, never invented.
    let archive = Rules {
        archive: true,
        ..rules()
    };
    let valid = unknown.validate(&archive).unwrap();
    assert_eq!(valid.audience_id, None);
    assert_eq!(valid.summary, "");
    assert_eq!((valid.city, valid.venue_address), (None, None));
    // An online archive event without its link.
    let online = EventInput {
        mode: Some(Mode::EnLigne),
        online_url: String::new(),
        region_code: String::new(),
        ..unknown
    };
    assert_eq!(online.validate(&archive).unwrap().online_url, None);
    assert!(online.error_for(&rules(), field::ONLINE_URL).is_some());
    // What is given is still checked.
    let bad = EventInput {
        audience_id: Some(99),
        ..online
    };
    assert!(bad.error_for(&archive, field::AUDIENCE).is_some());
}

fn in_person() -> EventInput {
    EventInput {
        title: "Atelier de coproduction".into(),
        summary: "Un atelier pour concevoir ensemble un service.".into(),
        description: "**Programme** : accueil, atelier, restitution.".into(),
        themes: vec![1, 2],
        format_id: Some(10),
        mode: Some(Mode::Presentiel),
        audience_id: Some(20),
        structure_name: "Préfecture de Paris".into(),
        organizer_type_id: Some(30),
        region_code: "11".into(),
        department_code: "75".into(),
        city: "Paris".into(),
        venue_address: "5 rue Leblanc".into(),
        postal_code: "75015".into(),
        starts_local: "2026-11-10T14:00".into(),
        ends_local: "2026-11-10T16:30".into(),
        ..Default::default()
    }
}

fn online() -> EventInput {
    EventInput {
        mode: Some(Mode::EnLigne),
        region_code: String::new(),
        department_code: String::new(),
        city: String::new(),
        venue_address: String::new(),
        postal_code: String::new(),
        online_url: "https://webinaire.exemple.gouv.fr/salle".into(),
        ..in_person()
    }
}

/// The message of `field`, asserting it is the only field that failed.
fn only_error(input: &EventInput, name: &str) -> String {
    let errors = input.validate(&rules()).expect_err("should fail");
    assert_eq!(
        errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(),
        vec![name],
        "{errors:?}"
    );
    errors[0].message.clone()
}

#[test]
fn a_complete_in_person_event_is_valid_and_trimmed() {
    let mut input = in_person();
    input.title = "  Atelier de coproduction  ".into();
    input.themes = vec![2, 1, 2];
    let valid = input.validate(&rules()).unwrap();
    assert_eq!(valid.title, "Atelier de coproduction");
    assert_eq!(valid.themes, vec![1, 2]);
    assert_eq!(valid.city.as_deref(), Some("Paris"));
    assert_eq!(valid.online_url, None);
    assert_eq!(valid.starts_local.to_string(), "2026-11-10 14:00:00");
}

#[test]
fn an_online_event_needs_a_link_and_no_place() {
    let valid = online().validate(&rules()).unwrap();
    assert_eq!(valid.region_code, NATIONAL_REGION);
    assert_eq!(valid.city, None);
    let mut missing = online();
    missing.online_url.clear();
    assert!(only_error(&missing, field::ONLINE_URL).contains("lien"));
}

#[test]
fn the_commune_of_an_online_event_is_kept() {
    let mut input = online();
    input.city = " Lyon ".into();
    assert_eq!(
        input.validate(&rules()).unwrap().city.as_deref(),
        Some("Lyon")
    );
}

#[test]
fn mode_drives_required_fields() {
    let mut input = in_person();
    input.mode = None;
    assert!(only_error(&input, field::MODE).contains("présentiel"));

    let mut input = in_person();
    input.city.clear();
    assert_eq!(
        only_error(&input, field::CITY),
        "Indiquez la commune du lieu."
    );

    let mut input = in_person();
    input.venue_address = "   ".into();
    assert!(only_error(&input, field::VENUE_ADDRESS).contains("adresse"));

    let mut input = in_person();
    input.region_code = NATIONAL_REGION.into();
    input.department_code.clear();
    assert!(only_error(&input, field::REGION).contains("région"));

    // Hybrid: both a place and a link.
    let mut input = in_person();
    input.mode = Some(Mode::Hybride);
    assert!(only_error(&input, field::ONLINE_URL).contains("lien"));
    input.online_url = "https://visio.exemple.fr/x".into();
    let valid = input.validate(&rules()).unwrap();
    assert!(valid.city.is_some() && valid.online_url.is_some());
}

#[test]
fn texts_are_required_and_bounded() {
    let mut input = in_person();
    input.title = " ".into();
    assert_eq!(
        only_error(&input, field::TITLE),
        "Indiquez le titre de l'événement."
    );
    input.title = "é".repeat(TITLE_MAX);
    assert!(
        input.validate(&rules()).is_ok(),
        "200 characters (not bytes) fit"
    );
    input.title = "é".repeat(TITLE_MAX + 1);
    assert!(only_error(&input, field::TITLE).contains("200 caractères (actuellement 201)"));

    let mut input = in_person();
    input.summary = "a".repeat(SUMMARY_MAX + 1);
    assert!(only_error(&input, field::SUMMARY).contains("600"));
    input.summary.clear();
    assert!(only_error(&input, field::SUMMARY).contains("résumé"));

    let mut input = in_person();
    input.description = "a".repeat(DESCRIPTION_MAX + 1);
    assert!(only_error(&input, field::DESCRIPTION).contains("20000"));

    let mut input = in_person();
    input.structure_name.clear();
    assert!(only_error(&input, field::STRUCTURE).contains("structure"));

    let mut input = in_person();
    input.accessibility = "a".repeat(LONG_TEXT_MAX + 1);
    assert!(only_error(&input, field::ACCESSIBILITY).contains("2000"));
}

#[test]
fn one_to_three_known_themes() {
    let mut input = in_person();
    input.themes.clear();
    assert!(only_error(&input, field::THEMES).contains("au moins un thème"));
    input.themes = vec![1, 2, 3, 4];
    assert_eq!(
        only_error(&input, field::THEMES),
        "Choisissez au plus 3 thèmes (actuellement 4)."
    );
    input.themes = vec![1, 99];
    assert!(only_error(&input, field::THEMES).contains("n'est plus proposé"));
}

#[test]
fn vocabulary_choices_are_required_and_known() {
    let mut input = in_person();
    input.format_id = None;
    assert!(only_error(&input, field::FORMAT).contains("format"));
    input.format_id = Some(999);
    assert!(only_error(&input, field::FORMAT).contains("plus proposée"));

    let mut input = in_person();
    input.audience_id = None;
    assert!(only_error(&input, field::AUDIENCE).contains("public"));

    let mut input = in_person();
    input.organizer_type_id = None;
    assert!(only_error(&input, field::ORGANIZER_TYPE).contains("type"));

    let mut input = in_person();
    input.lab_id = Some(41);
    assert!(only_error(&input, field::LAB).contains("Atlas"));
    input.lab_id = Some(40);
    assert!(input.validate(&rules()).is_ok());
}

#[test]
fn places_must_exist_and_agree() {
    let mut input = in_person();
    input.region_code = "99".into();
    input.department_code.clear();
    assert!(only_error(&input, field::REGION).contains("n'existe pas"));

    let mut input = in_person();
    input.department_code = "971".into();
    assert_eq!(
        only_error(&input, field::DEPARTMENT),
        "Ce département n'est pas dans la région choisie."
    );
    input.department_code = "2C".into();
    assert!(only_error(&input, field::DEPARTMENT).contains("n'existe pas"));

    let mut input = in_person();
    input.postal_code = "7500".into();
    assert!(only_error(&input, field::POSTAL_CODE).contains("5 chiffres"));
}

#[test]
fn the_end_comes_after_the_start() {
    let mut input = in_person();
    input.ends_local = "2026-11-10T14:00".into();
    assert_eq!(
        only_error(&input, field::ENDS),
        "La fin doit être après le début."
    );
    input.ends_local = "2026-11-10T13:00".into();
    assert_eq!(
        only_error(&input, field::ENDS),
        "La fin doit être après le début."
    );
    input.ends_local = "demain".into();
    assert!(only_error(&input, field::ENDS).contains("valides"));
    input.starts_local.clear();
    input.ends_local = "2026-11-10T16:00".into();
    assert!(only_error(&input, field::STARTS).contains("début"));
}

#[test]
fn control_characters_and_line_breaks_are_refused_on_their_field() {
    for (name, set) in [
        (
            field::TITLE,
            (|i: &mut EventInput, v: &str| i.title = v.into()) as fn(&mut EventInput, &str),
        ),
        (field::CITY, |i, v| i.city = v.into()),
        (field::VENUE_NAME, |i, v| i.venue_name = v.into()),
        (field::STRUCTURE, |i, v| i.structure_name = v.into()),
        (field::SUMMARY, |i, v| i.summary = v.into()),
        (field::DESCRIPTION, |i, v| i.description = v.into()),
        (field::REGISTRATION_URL, |i, v| {
            i.registration_url = v.into()
        }),
    ] {
        for bad in ["Atelier\0x", "Atelier\u{1b}[2J", "Atelier\rx", "A\u{7f}"] {
            let mut input = in_person();
            set(&mut input, bad);
            assert!(
                only_error(&input, name).contains("caractère")
                    || only_error(&input, name).contains("ligne"),
                "{name} {bad:?}"
            );
        }
        let mut input = in_person();
        set(&mut input, "Ligne un\nligne deux");
        let multiline = MULTILINE_FIELDS.contains(&name);
        assert_eq!(input.validate(&rules()).is_ok(), multiline, "{name}");
    }
    let mut input = in_person();
    input.description = "Un\r\ndeux".into();
    assert!(input.validate(&rules()).is_ok());
}

#[test]
fn years_outside_a_sane_range_are_refused() {
    for bad in [
        "+10000-01-01T10:00",
        "10000-01-01T10:00",
        "0002-11-10T10:00",
        "1899-11-10T10:00",
        "2101-01-01T00:00",
    ] {
        assert_eq!(parse_local(bad), None, "{bad}");
        let mut input = in_person();
        input.out_of_period_reason = "Un salon annuel".into();
        input.starts_local = bad.into();
        assert!(input.validate(&rules()).is_err(), "{bad}");
    }
    assert!(parse_local("2026-11-10T10:00").is_some());
    assert!(parse_local("2026-11-10T10:00:30").is_some());
}

#[test]
fn dates_stay_within_the_month_unless_explained() {
    let mut input = in_person();
    input.starts_local = "2026-10-30T10:00".into();
    input.ends_local = "2026-10-30T12:00".into();
    let errors = input.validate(&rules()).unwrap_err();
    assert_eq!(errors.len(), 2);
    assert!(
        errors[0].message.contains("du 2 au 30 novembre 2026"),
        "{}",
        errors[0].message
    );

    input.out_of_period = true;
    assert!(only_error(&input, field::OUT_OF_PERIOD_REASON).contains("pourquoi"));
    input.out_of_period_reason = "Lancement la semaine précédant le Mois.".into();
    let valid = input.validate(&rules()).unwrap();
    assert_eq!(
        valid.out_of_period_reason.as_deref(),
        Some("Lancement la semaine précédant le Mois.")
    );

    // The last evening of the month is within it.
    let mut input = in_person();
    input.starts_local = "2026-11-30T18:00".into();
    input.ends_local = "2026-11-30T20:00".into();
    assert!(input.validate(&rules()).is_ok());
    input.ends_local = "2026-12-01T01:00".into();
    assert!(only_error(&input, field::ENDS).contains("pendant le Mois"));
}

#[test]
fn an_out_of_period_event_with_its_reason_may_last_up_to_three_months() {
    let mut input = in_person();
    input.starts_local = "2026-11-02T09:00".into();
    input.ends_local = "2026-12-07T17:00".into();
    // Five weeks: too long for the month…
    assert!(only_error(&input, field::ENDS).contains("hors période"));
    // …fine out of period, with its reason.
    input.out_of_period = true;
    input.out_of_period_reason = "Une exposition prolongée jusqu'en décembre.".into();
    assert!(input.validate(&rules()).is_ok());
    input.ends_local = "2027-02-15T17:00".into();
    assert!(only_error(&input, field::ENDS).contains("trois mois"));
}

#[test]
fn links_are_web_addresses_only() {
    for bad in [
        "javascript:alert(1)",
        "ftp://exemple.fr/x",
        "www.exemple.fr",
        "https://",
        "https://intranet",
        "https://exemple .fr",
        "data:text/html,<b>x</b>",
    ] {
        let mut input = in_person();
        input.registration_url = bad.into();
        assert!(
            only_error(&input, field::REGISTRATION_URL).contains("https://"),
            "{bad}"
        );
    }
    for good in [
        "https://www.demarches-simplifiees.fr/commencer/x",
        "http://exemple.fr",
    ] {
        let mut input = in_person();
        input.registration_url = good.into();
        assert!(input.validate(&rules()).is_ok(), "{good}");
    }
}

#[test]
fn capacity_and_contact() {
    let mut input = in_person();
    input.capacity = "1 200".into();
    assert_eq!(input.validate(&rules()).unwrap().capacity, Some(1200));
    for bad in ["0", "-3", "beaucoup", "2.5", "10000000"] {
        input.capacity = bad.into();
        assert!(
            only_error(&input, field::CAPACITY).contains("places"),
            "{bad}"
        );
    }

    let mut input = in_person();
    input.contact_email = "marie.curie@exemple".into();
    assert!(only_error(&input, field::CONTACT_EMAIL).contains("valide"));
    input.contact_email = "marie.curie@exemple.gouv.fr".into();
    assert!(input.validate(&rules()).is_ok());
}

proptest! {
    /// Validation never panics, and whatever passes satisfies the database's constraints.
    #[test]
    fn anything_accepted_fits_the_database(
        title in ".{0,210}",
        summary in ".{0,20}",
        themes in proptest::collection::vec(0i64..7, 0..5),
        mode in proptest::option::of(prop_oneof![Just(Mode::EnLigne), Just(Mode::Presentiel), Just(Mode::Hybride)]),
        city in "[a-zA-Z ]{0,10}",
        url in prop_oneof![Just(String::new()), Just("https://a.fr".to_string()), ".{0,12}"],
        start_hour in 0u32..24,
        length_minutes in -120i64..600,
        day in 1u32..31,
    ) {
        let start = NaiveDate::from_ymd_opt(2026, 11, day).unwrap().and_hms_opt(start_hour, 0, 0).unwrap();
        let end = start + chrono::Duration::minutes(length_minutes);
        let input = EventInput {
            title, summary, themes, mode, city,
            online_url: url,
            starts_local: format_local(start),
            ends_local: format_local(end),
            ..in_person()
        };
        if let Ok(valid) = input.validate(&rules()) {
            prop_assert!(!valid.title.is_empty() && valid.title.chars().count() <= TITLE_MAX);
            prop_assert!(valid.ends_local > valid.starts_local);
            prop_assert!((1..=3).contains(&valid.themes.len()));
            prop_assert!(valid.mode == Mode::EnLigne || valid.city.as_deref().is_some_and(|c| !c.is_empty()));
            prop_assert!(valid.mode == Mode::Presentiel || valid.online_url.is_some());
            prop_assert!(valid.starts_local.date() >= rules().edition_starts_on);
        } else {
            let errors = input.validate(&rules()).unwrap_err();
            prop_assert!(!errors.is_empty());
            // One message per field, each in French and non-empty.
            let mut fields: Vec<_> = errors.iter().map(|e| e.field.clone()).collect();
            fields.dedup();
            prop_assert_eq!(fields.len(), errors.len());
            prop_assert!(errors.iter().all(|e| !e.message.is_empty()));
        }
    }
}

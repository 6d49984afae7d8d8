//! The engine against a straightforward reference, on fixtures and generated catalogues;
//! the fixtures (`event`, `sample`) serve the other tests of the programme.
use super::*;
use crate::programme::filters::View;
use chrono::NaiveDateTime;
use proptest::prelude::*;

fn choices(keys: &[&str]) -> Vec<Choice> {
    keys.iter()
        .map(|k| Choice {
            key: k.to_string(),
            label: k.to_uppercase(),
        })
        .collect()
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

pub fn event(
    title: &str,
    start: &str,
    end: &str,
    themes: &[u16],
    region: u16,
    format: u16,
    mode: Mode,
) -> CatalogEvent {
    let end_at = at(end);
    CatalogEvent {
        slug: crate::programme::fold::fold(title).replace(' ', "-"),
        title: title.into(),
        summary: format!("Résumé de {title}"),
        start: at(start),
        end: end_at,
        end_unix: end_at.and_utc().timestamp() - 3600,
        format,
        mode,
        audience: format % 2,
        organizer_type: region % 3,
        region,
        themes: themes.to_vec(),
        city: Some(["Lyon", "Pointe-à-Pitre", "Saint-Étienne"][region as usize % 3].into()),
        structure: "Préfecture".into(),
        cancelled: false,
        zone: None,
        all_day: false,
        out_of_period_reason: None,
    }
}

pub fn sample() -> Catalog {
    Catalog {
        year: 2026,
        starts_on: "2026-11-02".parse().unwrap(),
        ends_on: "2026-11-30".parse().unwrap(),
        version: 1,
        themes: choices(&["coproduction", "simplification", "service-usager"]),
        formats: choices(&["atelier", "webinaire", "exposition"]),
        audiences: choices(&["agents", "elus"]),
        organizer_types: choices(&["etat", "collectivite", "operateur"]),
        regions: choices(&["11", "01", "NAT"]),
        events: vec![
            event(
                "Atelier d'égalité",
                "2026-11-03 09:00",
                "2026-11-03 11:00",
                &[0],
                0,
                0,
                Mode::Presentiel,
            ),
            event(
                "Webinaire simplification",
                "2026-11-04 14:00",
                "2026-11-04 15:00",
                &[1],
                2,
                1,
                Mode::EnLigne,
            ),
            event(
                "Exposition des usagers",
                "2026-11-05 09:00",
                "2026-11-09 17:00",
                &[2, 0],
                1,
                2,
                Mode::Presentiel,
            ),
            event(
                "Ateliers hybrides",
                "2026-11-10 10:00",
                "2026-11-10 12:00",
                &[0, 1],
                1,
                0,
                Mode::Hybride,
            ),
        ],
    }
}

fn titles(catalog: &Catalog, filters: &Filters, now: i64) -> Vec<String> {
    let outcome = run(catalog, &catalog.haystacks(), filters, now);
    outcome
        .matches
        .iter()
        .map(|i| catalog.events[*i].title.clone())
        .collect()
}

#[test]
fn no_filter_keeps_everything_in_order() {
    let c = sample();
    assert_eq!(titles(&c, &Filters::default(), 0).len(), 4);
}

#[test]
fn each_group_filters() {
    let c = sample();
    let q = |s: &str| titles(&c, &Filters::from_query(s), 0);
    assert_eq!(
        q("theme=simplification"),
        ["Webinaire simplification", "Ateliers hybrides"]
    );
    assert_eq!(q("theme=simplification&theme=service-usager").len(), 3);
    assert_eq!(
        q("region=01"),
        ["Exposition des usagers", "Ateliers hybrides"]
    );
    assert_eq!(
        q("mode=en_ligne&mode=hybride"),
        ["Webinaire simplification", "Ateliers hybrides"]
    );
    assert_eq!(q("format=exposition"), ["Exposition des usagers"]);
    assert_eq!(q("q=egalite"), ["Atelier d'égalité"]);
    assert_eq!(q("q=atelier"), ["Atelier d'égalité", "Ateliers hybrides"]);
    assert_eq!(
        q("q=pointe"),
        ["Exposition des usagers", "Ateliers hybrides"],
        "city is searched"
    );
    assert_eq!(
        q("theme=coproduction&region=01&du=2026-11-10&au=2026-11-10"),
        ["Ateliers hybrides"]
    );
}

#[test]
fn dates_match_every_day_an_event_is_on() {
    let c = sample();
    let q = |s: &str| titles(&c, &Filters::from_query(s), 0);
    assert_eq!(q("du=2026-11-07&au=2026-11-07"), ["Exposition des usagers"]);
    assert_eq!(
        q("du=2026-11-09"),
        ["Exposition des usagers", "Ateliers hybrides"]
    );
    assert_eq!(q("au=2026-11-03"), ["Atelier d'égalité"]);
}

#[test]
fn a_partial_or_absurd_date_is_no_filter() {
    let c = sample();
    let q = |s: &str| titles(&c, &Filters::from_query(s), 0).len();
    // What a date field half typed gives on the way (year 2, year 0, year 202…), what a
    // URL may carry, and days that do not exist.
    for query in [
        "du=0002-11-24",
        "au=0000-11-24",
        "du=0202-11-24&au=0020-11-30",
        "du=2026-11-2",
        "du=24%2F11%2F2026",
        "du=2026-11-24T00:00",
        "du=2026-02-30",
        "au=%2B2026-11-24",
        "du=9999-12-31",
        "au=2024-12-31",
        "du=2028-01-01",
    ] {
        let filters = Filters::from_query(query);
        assert_eq!(q(query), 4, "{query}");
        assert_eq!(
            DateRange::read(&c, &filters),
            DateRange::default(),
            "{query}"
        );
        assert!(!applied(&c, &filters).is_active(), "{query}");
        assert_eq!(
            with_edition_dates(&c, filters.clone()),
            Filters::default(),
            "{query}"
        );
    }
    // The year before and after the edition's are dates of it.
    assert_eq!(q("du=2027-12-31"), 0);
    assert_eq!(q("au=2025-01-01"), 0);
    // A bad bound does not take the good one with it.
    assert_eq!(q("du=0002-11-24&au=2026-11-03"), 1);
}

#[test]
fn crossed_bounds_filter_nothing_and_are_kept_to_be_shown() {
    let c = sample();
    let filters = Filters::from_query("du=2026-11-09&au=2026-11-03&region=01");
    let range = DateRange::read(&c, &filters);
    assert!(range.crossed());
    assert_eq!(
        (range.from, range.to),
        (
            Some("2026-11-09".parse().unwrap()),
            Some("2026-11-03".parse().unwrap())
        ),
        "kept as given, not swapped"
    );
    assert_eq!(range.applied(), DateRange::default());
    assert_eq!(
        titles(&c, &filters, 0),
        ["Exposition des usagers", "Ateliers hybrides"],
        "only the region filters"
    );
    assert_eq!(with_edition_dates(&c, filters.clone()), filters);
    let shown = applied(&c, &filters);
    assert_eq!((shown.from, shown.to), (None, None));
    assert_eq!(shown.regions, ["01"]);
    // One day, and bounds in order, are no crossing.
    assert!(!DateRange::read(&c, &Filters::from_query("du=2026-11-03&au=2026-11-03")).crossed());
    assert!(!DateRange::read(&c, &Filters::from_query("du=2026-11-09")).crossed());
}

#[test]
fn the_range_reaches_the_out_of_period_events() {
    let mut c = sample();
    assert_eq!(
        c.date_span(),
        (c.starts_on, c.ends_on),
        "the month when no event is out of it"
    );
    c.events.insert(
        0,
        event(
            "Ouverture anticipée",
            "2026-10-28 18:00",
            "2026-10-28 20:00",
            &[0],
            0,
            0,
            Mode::Presentiel,
        ),
    );
    c.events.push(event(
        "Hackathon de décembre",
        "2026-12-01 09:00",
        "2026-12-03 17:00",
        &[1],
        1,
        0,
        Mode::Presentiel,
    ));
    assert_eq!(
        c.date_span(),
        ("2026-10-28".parse().unwrap(), "2026-12-03".parse().unwrap())
    );
    let q = |s: &str| titles(&c, &Filters::from_query(s), 0);
    assert_eq!(q("du=2026-12-01"), ["Hackathon de décembre"]);
    assert_eq!(q("du=2026-12-03&au=2026-12-03"), ["Hackathon de décembre"]);
    assert_eq!(q("du=2026-12-04"), Vec::<String>::new());
    assert_eq!(q("au=2026-10-31"), ["Ouverture anticipée"]);
    assert_eq!(q("du=2026-11-30&au=2026-12-02"), ["Hackathon de décembre"]);
}

#[test]
fn past_events_hide_on_request() {
    let c = sample();
    let now = at("2026-11-05 12:00").and_utc().timestamp();
    assert_eq!(
        titles(&c, &Filters::from_query("passes=masquer"), now).len(),
        2
    );
    assert_eq!(titles(&c, &Filters::default(), now).len(), 4);
}

#[test]
fn unknown_values_are_ignored() {
    let c = sample();
    assert_eq!(
        titles(&c, &Filters::from_query("theme=inconnu&region=99"), 0).len(),
        4
    );
}

#[test]
fn facets_count_under_the_other_filters() {
    let c = sample();
    let outcome = run(
        &c,
        &c.haystacks(),
        &Filters::from_query("theme=coproduction&region=01"),
        0,
    );
    assert_eq!(outcome.matches.len(), 2);
    // Regions: counted under the theme filter only.
    assert_eq!(outcome.facets.regions, [1, 2, 0]);
    // Themes: counted under the region filter only (two events in 01, themes 2,0 and 0,1).
    assert_eq!(outcome.facets.themes, [2, 1, 1]);
    assert_eq!(outcome.facets.modes, [1, 0, 1]);
    let _ = View::List;
}

/// The definition, written the slow and obvious way.
fn reference(catalog: &Catalog, f: &Filters, now: i64) -> (Vec<usize>, Vec<u32>, Vec<u32>) {
    let known = |values: &[String], list: &[Choice]| -> Vec<u16> {
        values
            .iter()
            .filter_map(|v| list.iter().position(|c| &c.key == v))
            .map(|i| i as u16)
            .collect()
    };
    let themes = known(&f.themes, &catalog.themes);
    let regions = known(&f.regions, &catalog.regions);
    let formats = known(&f.formats, &catalog.formats);
    let terms = query_terms(&f.text);
    // The generated events are all in November 2026: the years 2025 to 2027 are dates of
    // the edition; crossed bounds filter nothing.
    let of_edition = |d: Option<NaiveDate>| d.filter(|d| (2025..=2027).contains(&d.year()));
    let (from, to) = match (of_edition(f.from), of_edition(f.to)) {
        (Some(a), Some(b)) if a > b => (None, None),
        bounds => bounds,
    };
    let ok = |e: &CatalogEvent, skip_theme: bool, skip_region: bool| {
        (skip_theme || themes.is_empty() || e.themes.iter().any(|t| themes.contains(t)))
            && (skip_region || regions.is_empty() || regions.contains(&e.region))
            && (formats.is_empty() || formats.contains(&e.format))
            && (f.modes.is_empty() || f.modes.contains(&e.mode))
            && from.is_none_or(|d| e.end.date() >= d)
            && to.is_none_or(|d| e.start.date() <= d)
            && (terms.is_empty()
                || Haystack::new(&[
                    &e.title,
                    &e.summary,
                    &e.structure,
                    e.city.as_deref().unwrap_or(""),
                ])
                .matches(&terms))
            && (!f.hide_past || e.end_unix >= now)
    };
    let matches = (0..catalog.events.len())
        .filter(|i| ok(&catalog.events[*i], false, false))
        .collect();
    let theme_counts = (0..catalog.themes.len() as u16)
        .map(|t| {
            catalog
                .events
                .iter()
                .filter(|e| e.themes.contains(&t) && ok(e, true, false))
                .count() as u32
        })
        .collect();
    let region_counts = (0..catalog.regions.len() as u16)
        .map(|r| {
            catalog
                .events
                .iter()
                .filter(|e| e.region == r && ok(e, false, true))
                .count() as u32
        })
        .collect();
    (matches, theme_counts, region_counts)
}

fn generated(n: usize, seed: u64) -> Catalog {
    let mut c = sample();
    c.events.clear();
    let mut x = seed;
    let mut next = move |m: u64| {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 33) % m
    };
    let words = [
        "atelier",
        "égalité",
        "Données",
        "numérique",
        "accueil",
        "Œuvre",
        "usagers",
    ];
    for i in 0..n {
        let day = 2 + next(28);
        let hour = 9 + next(8);
        let len = 1 + next(30);
        let start = format!("2026-11-{day:02} {hour:02}:00");
        let end_day = (day + if next(10) == 0 { next(4) } else { 0 }).min(30);
        let end = format!(
            "2026-11-{end_day:02} {:02}:00",
            (hour + 1 + len % 3).min(23)
        );
        let themes: Vec<u16> = match next(3) {
            0 => vec![next(3) as u16],
            1 => vec![0, 2],
            _ => vec![1],
        };
        let title = format!(
            "{} {} {i}",
            words[next(7) as usize],
            words[next(7) as usize]
        );
        c.events.push(event(
            &title,
            &start,
            &end,
            &themes,
            next(3) as u16,
            next(3) as u16,
            Mode::ALL[next(3) as usize],
        ));
    }
    c
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn the_engine_agrees_with_the_definition(
        seed in any::<u64>(),
        themes in proptest::collection::vec(0usize..4, 0..3),
        regions in proptest::collection::vec(0usize..4, 0..3),
        formats in proptest::collection::vec(0usize..3, 0..2),
        modes in proptest::collection::vec(0usize..3, 0..2),
        from in proptest::option::of(1u32..31),
        to in proptest::option::of(1u32..31),
        // Each bound may be a date being typed (year 0002), or of a year around the edition.
        from_year in proptest::sample::select(vec![2026, 2026, 2026, 2, 2025, 2027, 2028]),
        to_year in proptest::sample::select(vec![2026, 2026, 2026, 202, 2025, 2027, 2024]),
        text in proptest::sample::select(vec!["", "atelier", "egalite donnees", "usager", "oeuvre", "zzz"]),
        hide_past in any::<bool>(),
        now_day in 1u32..31,
    ) {
        let catalog = generated(60, seed);
        let keys = ["coproduction", "simplification", "service-usager", "inconnu"];
        let rkeys = ["11", "01", "NAT", "99"];
        let mut query = String::new();
        for t in themes { query.push_str(&format!("theme={}&", keys[t])); }
        for r in regions { query.push_str(&format!("region={}&", rkeys[r])); }
        for f in formats { query.push_str(&format!("format={}&", ["atelier", "webinaire", "exposition"][f])); }
        for m in modes { query.push_str(&format!("mode={}&", Mode::ALL[m].as_str())); }
        // Crossed bounds too: `to` is drawn apart from `from`.
        if let Some(day) = from {
            query.push_str(&format!("du={from_year:04}-11-{day:02}&"));
        }
        if let Some(day) = to {
            query.push_str(&format!("au={to_year:04}-11-{day:02}&"));
        }
        query.push_str(&format!("q={text}"));
        if hide_past { query.push_str("&passes=masquer"); }
        let filters = Filters::from_query(&query);
        let now = at(&format!("2026-11-{now_day:02} 12:00")).and_utc().timestamp();

        // Server side: the catalogue as built; browser side: as received over the wire.
        let server = run(&catalog, &catalog.haystacks(), &filters, now);
        let wire: Catalog = serde_json::from_str(&serde_json::to_string(&catalog).unwrap()).unwrap();
        let browser = run(&wire, &wire.haystacks(), &filters, now);
        prop_assert_eq!(&server, &browser);
        // Without a free text, the server may skip the haystacks: the same outcome.
        if !needs_haystacks(&filters) {
            prop_assert_eq!(&run(&catalog, &[], &filters, now), &server);
        } else {
            prop_assert!(!filters.text.trim().is_empty());
        }

        // The browser's engine, fresh.
        prop_assert_eq!(&Live::new(&catalog).run(&catalog, &filters, now), &server);

        let (matches, theme_counts, region_counts) = reference(&catalog, &filters, now);
        prop_assert_eq!(&server.matches, &matches);
        prop_assert_eq!(&server.facets.themes, &theme_counts);
        prop_assert_eq!(&server.facets.regions, &region_counts);
    }
}

/// A change made in the programme's page: a character typed or deleted in the search box,
/// a word pasted, or another filter changed.
#[derive(Debug, Clone)]
enum Change {
    Type(char),
    Delete(usize),
    Paste(&'static str),
    Theme(usize),
    Region(usize),
    Past,
}

fn change() -> impl Strategy<Value = Change> {
    let typed = proptest::sample::select(vec![
        'a', 't', 'e', 'l', 'i', 'r', 's', 'é', 'g', 'd', 'o', 'n', 'u', 'm', 'œ', 'Œ', 'v', ' ',
        ' ', '\'', 'x', '1',
    ]);
    let pasted = proptest::sample::select(vec![
        "",
        "atelier",
        "Ateliers numériques",
        "egalite donnees",
        "l'accueil",
        "œuvre 1",
        "usagers atelier",
        "zz",
    ]);
    prop_oneof![
        8 => typed.prop_map(Change::Type),
        4 => (1usize..4).prop_map(Change::Delete),
        1 => pasted.prop_map(Change::Paste),
        1 => (0usize..4).prop_map(Change::Theme),
        1 => (0usize..4).prop_map(Change::Region),
        1 => Just(Change::Past),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]
    /// One browser engine through a visit's changes (typing and deleting above all): after
    /// each, the same outcome as the server's pass over every event.
    #[test]
    fn the_live_engine_agrees_with_run_while_typing(
        seed in any::<u64>(),
        changes in proptest::collection::vec(change(), 1..50),
    ) {
        let catalog = generated(80, seed);
        let haystacks = catalog.haystacks();
        let now = at("2026-11-12 12:00").and_utc().timestamp();
        let mut live = Live::new(&catalog);
        let mut filters = Filters::default();
        let mut text: Vec<char> = Vec::new();
        for change in &changes {
            match change {
                Change::Type(c) => text.push(*c),
                Change::Delete(n) => text.truncate(text.len().saturating_sub(*n)),
                Change::Paste(s) => text = s.chars().collect(),
                Change::Theme(t) => {
                    let key = ["coproduction", "simplification", "service-usager", "inconnu"][*t];
                    filters = filters.toggled_param("theme", key).unwrap_or(filters);
                }
                Change::Region(r) => {
                    let key = ["11", "01", "NAT", "99"][*r];
                    filters = filters.toggled_param("region", key).unwrap_or(filters);
                }
                Change::Past => filters.hide_past = !filters.hide_past,
            }
            filters.text = text.iter().collect::<String>().trim().to_string();
            prop_assert_eq!(
                live.run(&catalog, &filters, now),
                run(&catalog, &haystacks, &filters, now),
                "{:?}", filters
            );
        }
    }
}

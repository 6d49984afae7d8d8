//! The tests of `render`: the page's markup for the sample edition.
use super::*;
use crate::programme::engine::{self, tests as fixtures};

/// The page of the sample edition for `query`, `shown` events listed.
pub(crate) fn sample_page(query: &str, saved: Option<&HashSet<String>>, shown: usize) -> String {
    let catalog = fixtures::sample();
    let filters = Filters::from_query(query);
    let outcome = engine::run(&catalog, &catalog.haystacks(), &filters, 0);
    page_html(&Screen {
        catalog: &catalog,
        base: "/programme",
        filters: &filters,
        outcome: &outcome,
        today: catalog.starts_on,
        shown,
        saved,
    })
}

fn screen_html(query: &str, saved: Option<&HashSet<String>>) -> String {
    sample_page(query, saved, PAGE_SIZE)
}

#[test]
fn the_page_shows_the_filters_state_and_escapes_text() {
    let html = screen_html("theme=coproduction&q=%3Cb%3E", None);
    assert!(html.contains(r#"value="coproduction" checked>"#), "{html}");
    assert!(html.contains(r#"value="&lt;b&gt;""#), "{html}");
    assert!(html.contains("« &lt;b&gt; »"), "{html}");
    assert!(!html.contains("<b>"), "{html}");
    // No save button before the browser knows what is saved.
    assert!(!html.contains(data::SAVE));
}

#[test]
fn map_figures_are_written_to_the_tenth() {
    assert_eq!(tenths(319.2), "319.2");
    assert_eq!(tenths(106.166_67), "106.2");
    assert_eq!(tenths(585.0), "585");
    let html = screen_html("vue=carte&region=11", None);
    assert!(html.contains(r#"viewBox="0 0 613 675""#), "{html}");
    // The selected region is outlined; shades run from 0.08 to 0.90.
    assert!(html.contains(r##"stroke="#e1000f""##), "{html}");
    assert!(html.contains(r#"fill-opacity="0.90""#), "{html}");
    assert!(!html.contains(r#"fill-opacity="0.9""#), "{html}");
}

#[test]
fn save_buttons_say_whether_the_event_is_saved() {
    let catalog = fixtures::sample();
    let first = catalog.events[0].slug.clone();
    let saved: HashSet<String> = [first.clone()].into();
    let html = screen_html("", Some(&saved));
    let pressed = format!(
        r#"aria-pressed="true" {}="{first}">Dans mon programme<"#,
        data::SAVE
    );
    assert!(html.contains(&pressed), "{html}");
    assert!(html.contains(r#"aria-pressed="false""#));
}

fn calendar_of(catalog: &Catalog, query: &str) -> String {
    let filters = Filters::from_query(query);
    let outcome = engine::run(catalog, &catalog.haystacks(), &filters, 0);
    view_html(&Screen {
        catalog,
        base: "/programme",
        filters: &filters,
        outcome: &outcome,
        today: catalog.starts_on,
        shown: PAGE_SIZE,
        saved: None,
    })
}

#[test]
fn the_calendar_shows_the_days_after_the_month_that_have_events() {
    let mut catalog = fixtures::sample();
    let month = calendar_of(&catalog, "vue=calendrier");
    assert!(month.contains("<caption>Événements par jour, novembre 2026</caption>"));
    assert!(!month.contains("décembre"), "{month}");
    catalog.events.push(fixtures::event(
        "Hackathon de décembre",
        "2026-12-01 09:00",
        "2026-12-03 17:00",
        &[1],
        1,
        0,
        Mode::Presentiel,
    ));
    let html = calendar_of(&catalog, "vue=calendrier");
    assert!(
        html.contains("<caption>Événements par jour, du 2 novembre au 3 décembre 2026</caption>"),
        "{html}"
    );
    for day in [
        "mardi 1er décembre 2026",
        "mercredi 2 décembre 2026",
        "jeudi 3 décembre 2026",
    ] {
        assert!(
            html.contains(&format!(r#"aria-label="{day} : 1 événement""#)),
            "{day}: {html}"
        );
    }
    assert!(html.contains(r#"<span class="mip-calendar__date">1 déc.</span>"#));
    assert!(html.contains(r#"<td class="mip-calendar__off"><span>4</span></td>"#));
    let rows: Vec<&str> = html.split("<tr>").skip(2).collect();
    assert_eq!(rows.len(), 6, "the weeks of 26 October to 6 December");
    assert!(rows.iter().all(|row| row.matches("<td").count() == 7));
    // Under a filter that leaves it out, its days stay, empty.
    let html = calendar_of(&catalog, "vue=calendrier&theme=coproduction");
    assert!(
        html.contains(r#"aria-label="jeudi 3 décembre 2026 : 0 événement""#),
        "{html}"
    );
}

#[test]
fn crossed_dates_are_said_beside_the_fields_and_filter_nothing() {
    let html = screen_html("du=2026-11-09&au=2026-11-03", None);
    assert!(html.contains(r#"<fieldset class="fr-fieldset mip-dates fr-fieldset--error""#));
    assert!(html.contains(
        "« Du » (9 novembre 2026) est après « Au » (3 novembre 2026) : les dates ne filtrent pas le programme."
    ), "{html}");
    assert_eq!(html.matches(r#"aria-invalid="true""#).count(), 2);
    assert!(
        !html.contains("Retirer le filtre"),
        "no date applied: {html}"
    );
    assert!(html.contains(">4 événements<"), "{html}");
    let html = screen_html("du=2026-11-03&au=2026-11-09", None);
    assert!(!html.contains("fr-fieldset--error") && !html.contains("est après"));
    assert!(html.contains(
        r#"<div class="fr-messages-group" id="dates-messages" aria-live="polite"></div>"#
    ));
    assert!(html.contains("Retirer le filtre Du 3 novembre 2026 au 9 novembre 2026"));
    // What a field typed in part gives is not shown as a filter, nor in the field.
    let html = screen_html("du=0002-11-24", None);
    assert!(
        html.contains(r#"name="du" min="2026-11-02" max="2026-11-30" value="""#),
        "{html}"
    );
    assert!(!html.contains("Retirer le filtre") && html.contains(">4 événements<"));
}

/// The list's parts put back together as the browser does (`client::State::write_later`).
fn joined(parts: &ListParts) -> String {
    let mut html = parts.head.clone();
    if !parts.day_rest.is_empty() {
        let end = html.rfind("</ul></section>").expect("a day in the head");
        html.insert_str(end, &parts.day_rest);
    }
    let end = html.len() - "</div>".len();
    html.insert_str(end, &parts.after);
    html
}

#[test]
fn the_list_cut_for_the_first_frame_is_the_list_put_back_together() {
    let catalog = fixtures::sample();
    let filters = Filters::default();
    let outcome = engine::run(&catalog, &catalog.haystacks(), &filters, 0);
    let n = outcome.matches.len();
    assert!(n >= 4, "the sample has several events");
    let saved = HashSet::new();
    for shown in [2, n - 1, n, PAGE_SIZE] {
        let s = Screen {
            catalog: &catalog,
            base: "/programme",
            filters: &filters,
            outcome: &outcome,
            today: catalog.starts_on,
            shown,
            saved: Some(&saved),
        };
        let whole = list_html(&s);
        assert_eq!(whole, view_html(&s));
        for first in 0..=n + 1 {
            let parts = list_parts(&s, first);
            assert_eq!(joined(&parts), whole, "shown {shown}, first {first}");
            let cards = parts.head.matches(r#"<li><div class="fr-card"#).count();
            assert_eq!(
                cards,
                first.min(shown.min(n)),
                "shown {shown}, first {first}"
            );
            assert_eq!(parts.is_whole(), first >= shown.min(n));
        }
    }
    // Days in more than one part: the sample's events are on several days.
    let days: HashSet<_> = outcome
        .matches
        .iter()
        .map(|&i| catalog.events[i].start.date())
        .collect();
    assert!(days.len() >= 2, "the sample spans several days");
}

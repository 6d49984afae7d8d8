//! The programme's markup, written as HTML strings: by the server for the URL's filters, and
//! by the browser again on every filter change (`client`), so both write the very same page.
//! They are built as `crate::html::Html`, which a runtime string enters escaped only; the
//! calendar and the map are in `views`.
//!
//! Strings rather than Leptos views: the page's views weighed ≈ 150 kB of wasm (brotli) in
//! the programme's island, mostly generic view code; the browser now patches the form (its
//! boxes, counts and dates, which keep the focus) and replaces the results' blocks with one
//! string each, like the cards before them (`card_content_html`).
use std::collections::HashSet;

use chrono::{Datelike, Duration, NaiveDate};

use super::catalog::{Catalog, Choice};
use super::contract::{attr as data, class, id};
use super::engine::{self, DateRange, Outcome};
use super::filters::{param, Filters, View};
use super::fold::capitalize;
#[cfg(test)]
use super::views::tenths;
use super::views::{calendar_html, regions_html};
use crate::events::pages::card_content_html;
use crate::html::{attr, text, Html};
use crate::reference::Mode;
use crate::{fr, iso};
use crate::{html, html_write};

/// How many events the list shows before « Afficher plus ».
pub const PAGE_SIZE: usize = 20;

/// What the page shows: one state of the filters over one catalogue.
pub struct Screen<'a> {
    pub catalog: &'a Catalog,
    /// `/programme` or `/editions/{annee}`.
    pub base: &'a str,
    pub filters: &'a Filters,
    pub outcome: &'a Outcome,
    /// For « Aujourd'hui » and « Cette semaine ».
    pub today: NaiveDate,
    /// How many events the list shows.
    pub shown: usize,
    /// The saved slugs, in the browser only: the cards' save buttons appear then.
    pub saved: Option<&'a HashSet<String>>,
}

/// One group of checkboxes of the form, as it stands.
pub struct Group<'a> {
    pub legend: &'static str,
    /// The URL parameter, also the boxes' `name`.
    pub name: &'static str,
    /// (key, label) of each box.
    pub choices: Vec<(&'a str, &'a str)>,
    /// The count of each box, in the same order.
    pub counts: &'a [u32],
    pub selected: Vec<&'a str>,
}

impl Group<'_> {
    /// The summary's content: the legend and, when the group filters, how many boxes are on.
    pub fn summary_html(&self) -> Html {
        let n = self.selected.len();
        if n == 0 {
            Html::lit(self.legend)
        } else {
            html!(
                r#"{}<span class="fr-badge fr-badge--sm fr-badge--blue-france fr-ml-1w">{}</span>"#,
                self.legend,
                n
            )
        }
    }
}

/// The form's groups of checkboxes, in the form's order.
pub fn groups<'a>(catalog: &'a Catalog, f: &'a Filters, o: &'a Outcome) -> Vec<Group<'a>> {
    let pairs = |list: &'a [Choice]| -> Vec<(&'a str, &'a str)> {
        list.iter()
            .map(|c| (c.key.as_str(), c.label.as_str()))
            .collect()
    };
    let keys = |list: &'a [String]| -> Vec<&'a str> { list.iter().map(String::as_str).collect() };
    let group =
        |legend, name, list: &'a [Choice], counts: &'a [u32], selected: &'a [String]| Group {
            legend,
            name,
            choices: pairs(list),
            counts,
            selected: keys(selected),
        };
    vec![
        group(
            "Thèmes",
            param::THEME,
            &catalog.themes,
            &o.facets.themes,
            &f.themes,
        ),
        group(
            "Régions",
            param::REGION,
            &catalog.regions,
            &o.facets.regions,
            &f.regions,
        ),
        group(
            "Formats",
            param::FORMAT,
            &catalog.formats,
            &o.facets.formats,
            &f.formats,
        ),
        Group {
            legend: "Modalité",
            name: param::MODE,
            choices: Mode::ALL.iter().map(|m| (m.as_str(), m.label())).collect(),
            counts: &o.facets.modes,
            selected: f.modes.iter().map(|m| m.as_str()).collect(),
        },
        group(
            "Publics",
            param::AUDIENCE,
            &catalog.audiences,
            &o.facets.audiences,
            &f.audiences,
        ),
        group(
            "Types d'organisateur",
            param::ORGANIZER_TYPE,
            &catalog.organizer_types,
            &o.facets.organizer_types,
            &f.organizer_types,
        ),
    ]
}

/// The class of a box's count: `mip-count--{figures}` gives it the width of its figures, so
/// that the browser lays it out alone when it changes (`style/_app.scss`); beyond six
/// figures, none (its own width).
pub fn count_class(n: u32) -> &'static str {
    match n {
        0..=9 => "mip-count mip-count--1",
        10..=99 => "mip-count mip-count--2",
        100..=999 => "mip-count mip-count--3",
        1_000..=9_999 => "mip-count mip-count--4",
        10_000..=99_999 => "mip-count mip-count--5",
        100_000..=999_999 => "mip-count mip-count--6",
        _ => "mip-count",
    }
}

/// A box's visible count, and what a screen reader hears instead.
pub fn count_texts(n: u32) -> (String, String) {
    (
        format!("({n})"),
        format!(", {}", fr::count(n as i64, "événement", "événements")),
    )
}

/// « Filtres »'s suffix on phones: how many filters are on.
pub fn active_suffix(tags: usize) -> String {
    match tags {
        0 => String::new(),
        1 => " (1 actif)".to_string(),
        n => format!(" ({n} actifs)"),
    }
}

/// The content of the date fields' messages: what is wrong when the bounds cross (they then
/// filter nothing, `engine::DateRange`), nothing otherwise.
pub fn dates_messages_html(dates: &DateRange) -> Html {
    match (dates.from, dates.to) {
        (Some(from), Some(to)) if dates.crossed() => html!(
            r#"<p class="fr-message fr-message--error">« Du » ({}) est après « Au » ({}) : les dates ne filtrent pas le programme. Corrigez l'une des deux.</p>"#,
            text(&fr::date_medium(from)),
            text(&fr::date_medium(to))
        ),
        _ => Html::new(),
    }
}

/// The links of « Aujourd'hui » and « Cette semaine ».
pub fn shortcut_hrefs(s: &Screen) -> [String; 2] {
    let week_start = s.today - Duration::days(s.today.weekday().num_days_from_monday() as i64);
    let with = |from: NaiveDate, to: NaiveDate| {
        let mut f = s.filters.clone();
        f.from = Some(from);
        f.to = Some(to);
        f.href(s.base)
    };
    [
        with(s.today, s.today),
        with(week_start, week_start + Duration::days(6)),
    ]
}

/// The text of the results' count (a live region: the browser changes its text only).
pub fn count_text(s: &Screen) -> String {
    let n = s.outcome.matches.len() as i64;
    if engine::applied(s.catalog, s.filters).is_active() {
        format!(
            "{} sur {}",
            fr::count(n, "événement", "événements"),
            fr::number(s.catalog.events.len() as i64)
        )
    } else {
        fr::count(n, "événement", "événements")
    }
}

/// The whole page inside the island's element.
pub fn page_html(s: &Screen) -> String {
    let mut html = Html::with_capacity(32 * 1024);
    html_write!(
        html,
        r#"<h1>Programme {year}</h1><p class="fr-text--lead">{lead}</p><div class="fr-grid-row fr-grid-row--gutters"><div class="fr-col-12 fr-col-md-4 fr-col-lg-3">"#,
        year = s.catalog.year,
        lead = text(&format!(
            "Tous les événements du Mois de l'innovation publique, {}.",
            fr::date_range(s.catalog.starts_on, s.catalog.ends_on)
        )),
    );
    form_html(s, &mut html);
    html_write!(
        html,
        r#"</div><div class="fr-col-12 fr-col-md-8 fr-col-lg-9"><div class="mip-results-header"><p class="fr-h4 fr-mb-1w" role="status" aria-live="polite" aria-atomic="true" id="{count_id}">{count}</p><div id="{header_id}">{header}</div></div><div id="{view_id}">{view}</div></div></div>"#,
        count_id = id::COUNT,
        header_id = id::HEADER,
        view_id = id::VIEW,
        count = text(&count_text(s)),
        header = header_html(s),
        view = view(s),
    );
    html.into_string()
}

fn form_html(s: &Screen, html: &mut Html) {
    let f = s.filters;
    let tags = active_tags(s.catalog, f, s.base);
    let dates = DateRange::read(s.catalog, f);
    html_write!(
        html,
        r#"<form method="get" action="{base}" class="mip-filters" role="search" aria-label="Filtrer le programme"><details class="{panel}"{panel_open}><summary class="{toggle}">Filtres<span class="{active_class}">{active}</span></summary><h2 class="fr-h5 fr-mb-2w">Filtrer</h2><div class="fr-input-group"><label class="fr-label" for="{search}">Rechercher<span class="fr-hint-text">Titre, résumé, organisateur ou ville</span></label><input class="fr-input" type="search" id="{search}" name="{q}" autocomplete="off" value="{value}"></div><fieldset class="{dates_class}" aria-label="Dates">"#,
        base = attr(s.base),
        panel = class::FILTERS_PANEL,
        toggle = class::FILTERS_TOGGLE,
        active_class = class::FILTERS_ACTIVE,
        search = id::SEARCH,
        // On a phone the panel is folded: crossed dates open it, so that their message shows.
        panel_open = if dates.crossed() { " open" } else { "" },
        active = text(&active_suffix(tags.len())),
        q = param::TEXT,
        value = attr(&f.text),
        dates_class = if dates.crossed() {
            class::DATES_ERROR
        } else {
            class::DATES
        },
    );
    // The fields reach the edition's out-of-period events; they show the dates the engine
    // reads (a partial or absurd one in the URL is none), crossed ones as given.
    let (min, max) = s.catalog.date_span();
    for (label, name, value) in [("Du", param::FROM, dates.from), ("Au", param::TO, dates.to)] {
        let (group, invalid) = if dates.crossed() {
            (class::DATE_GROUP_ERROR, r#" aria-invalid="true""#)
        } else {
            (class::DATE_GROUP, "")
        };
        html_write!(
            html,
            r#"<div class="fr-fieldset__element fr-fieldset__element--inline fr-mb-1w"><div class="{group}"><label class="fr-label" for="{field}">{label}</label><input class="fr-input" type="date" id="{field}" name="{name}" min="{min}" max="{max}" value="{value}" aria-describedby="{messages}"{invalid}></div></div>"#,
            group = group,
            label = label,
            name = name,
            invalid = invalid,
            field = attr(&id::date(name)),
            messages = id::DATES_MESSAGES,
            min = attr(&iso::date(min)),
            max = attr(&iso::date(max)),
            value = attr(&value.map(iso::date).unwrap_or_default()),
        );
    }
    html_write!(
        html,
        r#"<div class="fr-messages-group" id="{}" aria-live="polite">{}</div>"#,
        id::DATES_MESSAGES,
        dates_messages_html(&dates)
    );
    let [today, week] = shortcut_hrefs(s);
    html_write!(
        html,
        r#"<p class="fr-fieldset__element {shortcuts}"><a class="fr-link fr-link--sm" href="{today}">Aujourd'hui</a> · <a class="fr-link fr-link--sm" href="{week}">Cette semaine</a></p></fieldset><div class="fr-checkbox-group fr-checkbox-group--sm fr-mb-2w"><input type="checkbox" id="{past_id}" name="{past}" value="{hide}"{checked}><label class="fr-label" for="{past_id}">Masquer les événements passés</label></div>"#,
        shortcuts = class::SHORTCUTS,
        past_id = id::HIDE_PAST,
        today = attr(&today),
        week = attr(&week),
        past = param::PAST,
        hide = param::HIDE,
        checked = if f.hide_past { " checked" } else { "" },
    );
    for group in groups(s.catalog, f, s.outcome) {
        let open = if group.selected.is_empty() {
            ""
        } else {
            " open"
        };
        html_write!(
            html,
            r#"<details class="{group_class}"{open}><summary class="mip-filter-group__summary">{summary}</summary><fieldset class="fr-fieldset fr-mb-0" aria-label="{legend}">"#,
            group_class = class::FILTER_GROUP,
            open = open,
            summary = group.summary_html(),
            legend = group.legend,
        );
        for (i, (key, label)) in group.choices.iter().enumerate() {
            let n = group.counts.get(i).copied().unwrap_or(0);
            let (shown, heard) = count_texts(n);
            html_write!(
                html,
                r#"<div class="fr-fieldset__element fr-mb-1w"><div class="fr-checkbox-group fr-checkbox-group--sm"><input type="checkbox" id="{name}-{key}" name="{name}" value="{key}"{checked}><label class="fr-label" for="{name}-{key}">{label}<span class="{count_class}" aria-hidden="true">{shown}</span><span class="{heard_class}">{heard}</span></label></div></div>"#,
                heard_class = class::SCREEN_READER,
                count_class = count_class(n),
                name = group.name,
                key = attr(key),
                checked = if group.selected.contains(key) {
                    " checked"
                } else {
                    ""
                },
                label = text(label),
                shown = text(&shown),
                heard = text(&heard),
            );
        }
        html.push("</fieldset></details>");
    }
    html_write!(
        html,
        r#"<input type="hidden" name="{vue}" value="{view}"><button class="fr-btn fr-mt-2w mip-apply" type="submit">Appliquer les filtres</button></details></form>"#,
        vue = param::VIEW,
        view = f.view.as_str(),
    );
}

/// The labels of the active filters, each with the URL that removes it.
pub fn active_tags(catalog: &Catalog, f: &Filters, base: &str) -> Vec<(String, String)> {
    let mut tags = Vec::new();
    let label_of =
        |list: &[Choice], key: &str| list.iter().find(|c| c.key == key).map(|c| c.label.clone());
    let mut push_list =
        |list: &[Choice], values: &[String], field: fn(&mut Filters) -> &mut Vec<String>| {
            for v in values {
                if let Some(label) = label_of(list, v) {
                    tags.push((label, f.toggled(field, v).href(base)));
                }
            }
        };
    push_list(&catalog.themes, &f.themes, |f| &mut f.themes);
    push_list(&catalog.regions, &f.regions, |f| &mut f.regions);
    push_list(&catalog.formats, &f.formats, |f| &mut f.formats);
    push_list(&catalog.audiences, &f.audiences, |f| &mut f.audiences);
    push_list(&catalog.organizer_types, &f.organizer_types, |f| {
        &mut f.organizer_types
    });
    for m in &f.modes {
        tags.push((m.label().to_string(), f.toggled_mode(*m).href(base)));
    }
    let without_dates = || {
        let mut g = f.clone();
        g.from = None;
        g.to = None;
        g.href(base)
    };
    // The dates that filter: none when they cross (the form says so), none that is absurd.
    let applied = DateRange::read(catalog, f).applied();
    let dates = match (applied.from, applied.to) {
        (Some(a), Some(b)) if a == b => Some(format!("Le {}", fr::date_medium(a))),
        (Some(a), Some(b)) => Some(format!(
            "Du {} au {}",
            fr::date_medium(a),
            fr::date_medium(b)
        )),
        (Some(a), None) => Some(format!("À partir du {}", fr::date_medium(a))),
        (None, Some(b)) => Some(format!("Jusqu'au {}", fr::date_medium(b))),
        (None, None) => None,
    };
    if let Some(label) = dates {
        tags.push((label, without_dates()));
    }
    if !f.text.is_empty() {
        let mut g = f.clone();
        g.text.clear();
        tags.push((format!("« {} »", f.text), g.href(base)));
    }
    if f.hide_past {
        let mut g = f.clone();
        g.hide_past = false;
        tags.push(("Sans les événements passés".to_string(), g.href(base)));
    }
    tags
}

/// The results' header after the count: active filters, the views, the feeds.
pub fn header_html(s: &Screen) -> Html {
    let f = s.filters;
    let mut html = Html::with_capacity(2048);
    let tags = active_tags(s.catalog, f, s.base);
    if !tags.is_empty() {
        html.push(r#"<div class="mip-active-filters"><ul class="fr-tags-group" aria-label="Filtres actifs">"#);
        for (label, href) in &tags {
            html_write!(
                html,
                r#"<li><a class="fr-tag fr-tag--sm fr-tag--icon-left fr-icon-close-line" href="{href}" aria-label="Retirer le filtre {label_attr}">{label}</a></li>"#,
                href = attr(href),
                label_attr = attr(label),
                label = text(label),
            );
        }
        html_write!(
            html,
            r#"</ul><a class="fr-link fr-link--sm" href="{}">Effacer tous les filtres</a></div>"#,
            attr(&f.cleared().href(s.base))
        );
    }
    html.push(r#"<nav class="mip-views" aria-label="Affichage du programme"><ul class="fr-btns-group fr-btns-group--inline fr-btns-group--sm">"#);
    for v in View::ALL {
        let current = f.view == v;
        html_write!(
            html,
            r#"<li><a class="{class}" href="{href}"{aria}>{label}</a></li>"#,
            class = if current {
                "fr-btn fr-btn--sm"
            } else {
                "fr-btn fr-btn--sm fr-btn--tertiary"
            },
            href = attr(&f.with_view(v).href(s.base)),
            aria = if current {
                r#" aria-current="page""#
            } else {
                ""
            },
            label = v.label(),
        );
    }
    html.push("</ul></nav>");
    // Feeds follow the current edition's programme.
    if s.base == "/programme" {
        let mut list = f.clone();
        list.view = View::List;
        let feed = |path: &str| list.href(path);
        html_write!(
            html,
            r#"<p class="fr-text--sm mip-feeds">Ces résultats en flux : <a class="fr-link fr-link--sm" href="{}">agenda (.ics)</a> · <a class="fr-link fr-link--sm" href="{}">RSS</a> · <a class="fr-link fr-link--sm" href="{}">JSON</a> · <a class="fr-link fr-link--sm" href="{}">CSV</a></p>"#,
            attr(&feed("/programme.ics")),
            attr(&feed("/programme.rss")),
            attr(&feed("/api/v1/events.json")),
            attr(&feed("/api/v1/events.csv")),
        );
    }
    html
}

/// The current view: list, calendar or regions.
pub fn view_html(s: &Screen) -> String {
    view(s).into_string()
}

fn view(s: &Screen) -> Html {
    match s.filters.view {
        View::List => list(s, usize::MAX).0,
        View::Calendar => calendar_html(s),
        View::Map => regions_html(s),
    }
}

#[cfg(test)]
fn list_html(s: &Screen) -> String {
    list_parts(s, usize::MAX).head
}

/// The list cut after its first cards, for the browser: it writes the cards that can be on
/// screen at once and the others after the next frame (`client`), so that a filter change
/// is drawn in one frame. Put back together, the parts are `view_html`'s list.
pub struct ListParts {
    /// The whole block, with the first cards only (each day's count counts them all).
    pub head: String,
    /// The other cards of the last day in `head`: the end of its last `ul.mip-card-list`.
    pub day_rest: String,
    /// The later days and « Afficher plus »: the end of `div.mip-list`.
    pub after: String,
}

impl ListParts {
    /// Whether `head` holds the whole list.
    pub fn is_whole(&self) -> bool {
        self.day_rest.is_empty() && self.after.is_empty()
    }
}

/// The list with its first `first` cards in `head` (`usize::MAX`: all of them).
pub fn list_parts(s: &Screen, first: usize) -> ListParts {
    let (head, day_rest, after) = list(s, first);
    ListParts {
        head: head.into_string(),
        day_rest: day_rest.into_string(),
        after: after.into_string(),
    }
}

/// `ListParts`' head, day's rest and after.
fn list(s: &Screen, first: usize) -> (Html, Html, Html) {
    let matches = &s.outcome.matches;
    let shown = s.shown.min(matches.len());
    let mut head = Html::with_capacity(1024 * shown.min(first) + 512);
    let mut day_rest = Html::new();
    let mut after = Html::with_capacity(1024 * shown.saturating_sub(first));
    html_write!(head, r#"<div class="{}">"#, class::LIST);
    if matches.is_empty() {
        head.push(r#"<div class="fr-callout fr-mt-3w"><h2 class="fr-callout__title fr-h5">Aucun événement ne correspond</h2><p class="fr-callout__text">Retirez un filtre ou élargissez les dates.</p></div>"#);
    }
    // The matches come by start: each day's are together.
    let mut days: Vec<(NaiveDate, Vec<usize>)> = Vec::new();
    for &i in matches.iter().take(s.shown) {
        let day = s.catalog.events[i].start.date();
        match days.last_mut() {
            Some((last, ids)) if *last == day => ids.push(i),
            _ => days.push((day, vec![i])),
        }
    }
    let mut rank = 0;
    for (day, ids) in days {
        // A day whose first card is in `head` is there, its other cards in `day_rest`.
        let in_head = rank < first;
        let section = if in_head { &mut head } else { &mut after };
        html_write!(
            section,
            r#"<section class="mip-day" aria-labelledby="jour-{id}"><h2 class="fr-h5 mip-day__title" id="jour-{id}">{date}<span class="mip-day__count"> · {n}</span></h2><ul class="{cards}">"#,
            cards = class::CARD_LIST,
            id = attr(&iso::date(day)),
            date = text(&capitalize(&fr::date_long(day))),
            n = text(&fr::count(ids.len() as i64, "événement", "événements")),
        );
        for i in ids {
            let html = match (rank < first, in_head) {
                (true, _) => &mut head,
                (false, true) => &mut day_rest,
                (false, false) => &mut after,
            };
            card_li_html(s, i, html);
            rank += 1;
        }
        let section = if in_head { &mut head } else { &mut after };
        section.push("</ul></section>");
    }
    let rest = matches.len().saturating_sub(s.shown);
    if rest > 0 {
        let html = if rank <= first { &mut head } else { &mut after };
        html_write!(
            html,
            r#"<p class="fr-mt-4w"><button class="fr-btn fr-btn--secondary" type="button" {more}>Afficher {page} de plus ({rest} restants)</button></p>"#,
            page = rest.min(PAGE_SIZE),
            rest = rest,
            more = data::MORE,
        );
    }
    head.push("</div>");
    (head, day_rest, after)
}

/// One card of the list, with its save button in the browser.
fn card_li_html(s: &Screen, i: usize, html: &mut Html) {
    let event = &s.catalog.events[i];
    let card = s.catalog.card(event);
    html_write!(
        html,
        r#"<li><div class="fr-card fr-enlarge-link"><div class="fr-card__body"><div class="fr-card__content">{}</div><div class="fr-card__footer">"#,
        card_content_html(&card, 3)
    );
    if let Some(saved) = s.saved {
        html.push(crate::save_button::markup(
            saved.contains(&event.slug),
            true,
            &event.title,
            html!(r#" {}="{}""#, data::SAVE, attr(&event.slug)),
        ));
    }
    html.push("</div></div></div></li>");
}

#[cfg(test)]
#[path = "render_tests.rs"]
pub(crate) mod tests;

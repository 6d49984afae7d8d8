//! The date range of the filters as the engine reads it: whole dates of the edition's time,
//! crossed bounds kept to be shown but applied to nothing.
use chrono::{Datelike, NaiveDate};

use super::super::catalog::Catalog;
use super::super::filters::Filters;

/// The date range of the filters as the engine reads it: the one rule of the browser's live
/// filtering, the pages, the feeds and the API.
///
/// A bound is a date only when it is a whole `YYYY-MM-DD` of the edition's time, the year
/// before its first day to the year after its last ([`is_edition_date`]): a date field being
/// typed gives complete but absurd dates on the way (Chromium reads « 24/11/2 » as year 0002),
/// which are ignored, as is anything a URL may carry. Bounds that cross (« Du » after « Au »)
/// are kept as given, so that the form says so beside its fields (`render`), but no date
/// filters the events: neither bound is applied, rather than swapped or half applied.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DateRange {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl DateRange {
    pub fn read(catalog: &Catalog, filters: &Filters) -> DateRange {
        let keep = |d: Option<NaiveDate>| d.filter(|d| is_edition_date(catalog, *d));
        DateRange {
            from: keep(filters.from),
            to: keep(filters.to),
        }
    }

    /// « Du » after « Au ».
    pub fn crossed(&self) -> bool {
        matches!((self.from, self.to), (Some(from), Some(to)) if from > to)
    }

    /// The bounds that filter the events: none when they cross.
    pub fn applied(&self) -> DateRange {
        if self.crossed() {
            DateRange::default()
        } else {
            *self
        }
    }
}

/// Whether a date may be a bound of the date filter: from the 1st of January of the year
/// before the edition's first day (its month, or its earliest out-of-period event) to the 31st
/// of December of the year after its last.
pub fn is_edition_date(catalog: &Catalog, date: NaiveDate) -> bool {
    let (first, last) = catalog.date_span();
    (first.year() - 1..=last.year() + 1).contains(&date.year())
}

/// The filters with only the dates the engine accepts ([`DateRange::read`]); crossed bounds
/// stay, as given.
pub fn with_edition_dates(catalog: &Catalog, filters: Filters) -> Filters {
    let range = DateRange::read(catalog, &filters);
    Filters {
        from: range.from,
        to: range.to,
        ..filters
    }
}

/// The filters as they filter the events: the dates as [`DateRange::applied`]. What the page
/// shows as active filters.
pub fn applied(catalog: &Catalog, filters: &Filters) -> Filters {
    let range = DateRange::read(catalog, filters).applied();
    Filters {
        from: range.from,
        to: range.to,
        ..filters.clone()
    }
}

//! Wire types of the audience figures (both sides).
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Kind {
    /// The event's page was shown (`/evenements/{slug}`).
    View,
    /// The event was added to « Mon programme » (a beacon from the browser).
    Save,
    /// The event's calendar file was downloaded (`/evenements/{slug}/agenda.ics`).
    Calendar,
    /// Its registration link was followed (`/evenements/{slug}/inscription`).
    Registration,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::View, Kind::Save, Kind::Calendar, Kind::Registration];

    /// The name in the database, the beacon and the CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::View => "vue",
            Kind::Save => "programme",
            Kind::Calendar => "agenda",
            Kind::Registration => "inscription",
        }
    }

    pub fn parse(value: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == value)
    }

    /// After a figure: « 12 vues de la page ».
    pub fn phrase(self) -> &'static str {
        match self {
            Kind::View => "vues de la page",
            Kind::Save => "ajouts à « Mon programme »",
            Kind::Calendar => "ajouts à l'agenda (.ics)",
            Kind::Registration => "clics sur « S'inscrire »",
        }
    }

    /// A column's heading.
    pub fn label(self) -> &'static str {
        match self {
            Kind::View => "Vues de la page",
            Kind::Save => "Ajouts à « Mon programme »",
            Kind::Calendar => "Ajouts à l'agenda (.ics)",
            Kind::Registration => "Clics sur « S'inscrire »",
        }
    }
}

/// The four counts of one event, day, theme or region.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    pub views: i64,
    pub saves: i64,
    pub calendar: i64,
    pub registrations: i64,
}

impl Figures {
    pub fn get(&self, kind: Kind) -> i64 {
        match kind {
            Kind::View => self.views,
            Kind::Save => self.saves,
            Kind::Calendar => self.calendar,
            Kind::Registration => self.registrations,
        }
    }

    pub fn add(&mut self, kind: Kind, n: i64) {
        match kind {
            Kind::View => self.views += n,
            Kind::Save => self.saves += n,
            Kind::Calendar => self.calendar += n,
            Kind::Registration => self.registrations += n,
        }
    }

    pub fn is_empty(&self) -> bool {
        Kind::ALL.into_iter().all(|k| self.get(k) == 0)
    }
}

/// One day of an event's figures (Paris day).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayFigures {
    pub day: NaiveDate,
    pub figures: Figures,
}

/// One event's figures, day by day, for its organizer (and staff).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventAudience {
    pub id: i64,
    pub title: String,
    pub slug: String,
    /// Days from the first counted to the last (days without any count included).
    pub days: Vec<DayFigures>,
    pub totals: Figures,
}

/// One of the organizer's events on the dashboard, with its totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AudienceLine {
    pub id: i64,
    pub title: String,
    pub slug: String,
    pub totals: Figures,
}

/// A row of a breakdown (theme, region) or of a ranking (event).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    pub label: String,
    /// The event's address, for a ranking.
    pub slug: Option<String>,
    pub figures: Figures,
}

/// The edition's audience, for the report (moderators and administrators).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditionAudience {
    pub year: i32,
    pub totals: Figures,
    pub most_viewed: Vec<Row>,
    pub most_saved: Vec<Row>,
    pub by_theme: Vec<Row>,
    pub by_region: Vec<Row>,
}

/// How many events the report's rankings show.
pub const RANKING_LENGTH: i64 = 10;

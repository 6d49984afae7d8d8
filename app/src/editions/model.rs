use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edition {
    pub year: i32,
    pub ordinal: i32,
    pub theme_of_year: Option<String>,
    pub tagline: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub referencing_opens_on: NaiveDate,
    pub referencing_closes_on: NaiveDate,
    pub is_current: bool,
    /// A past edition brought in from history: its events' summary, audience, structure,
    /// address, online link and times may be unknown (shown as « non renseigné »).
    #[serde(default)]
    pub archive: bool,
}

/// Where an edition stands on a given day; derived from its dates, never stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EditionState {
    /// Referencing has not opened yet.
    Upcoming,
    /// Organizers may reference their events.
    ReferencingOpen,
    /// Referencing closed, the month has not started.
    ProgrammeAnnounced,
    /// The month is under way.
    Running,
    /// The month is over: the edition is an archive.
    Closed,
}

impl Edition {
    pub fn state_on(&self, today: NaiveDate) -> EditionState {
        if today > self.ends_on {
            EditionState::Closed
        } else if today >= self.starts_on {
            EditionState::Running
        } else if today > self.referencing_closes_on {
            EditionState::ProgrammeAnnounced
        } else if today >= self.referencing_opens_on {
            EditionState::ReferencingOpen
        } else {
            EditionState::Upcoming
        }
    }

    /// « 10e édition » (« 1re édition » for the first).
    pub fn ordinal_label(&self) -> String {
        if self.ordinal == 1 {
            "1re édition".to_string()
        } else {
            format!("{}e édition", self.ordinal)
        }
    }

    pub fn is_referencing_open(&self, today: NaiveDate) -> bool {
        today >= self.referencing_opens_on && today <= self.referencing_closes_on
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edition() -> Edition {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        Edition {
            year: 2026,
            ordinal: 10,
            theme_of_year: Some("Coproduction".into()),
            tagline: String::new(),
            starts_on: d(11, 2),
            ends_on: d(11, 30),
            referencing_opens_on: d(9, 1),
            referencing_closes_on: d(10, 29),
            is_current: true,
            archive: false,
        }
    }

    #[test]
    fn state_follows_the_calendar() {
        let e = edition();
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        assert_eq!(e.state_on(d(8, 31)), EditionState::Upcoming);
        assert_eq!(e.state_on(d(9, 1)), EditionState::ReferencingOpen);
        assert_eq!(e.state_on(d(10, 29)), EditionState::ReferencingOpen);
        assert_eq!(e.state_on(d(10, 30)), EditionState::ProgrammeAnnounced);
        assert_eq!(e.state_on(d(11, 2)), EditionState::Running);
        assert_eq!(e.state_on(d(11, 30)), EditionState::Running);
        assert_eq!(e.state_on(d(12, 1)), EditionState::Closed);
        assert!(!e.is_referencing_open(d(10, 30)));
    }

    #[test]
    fn ordinals_are_french() {
        let mut e = edition();
        assert_eq!(e.ordinal_label(), "10e édition");
        e.ordinal = 1;
        assert_eq!(e.ordinal_label(), "1re édition");
    }
}

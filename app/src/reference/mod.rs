//! Reference data and vocabularies shared by every feature: regions, modes, statuses, roles.
use serde::{Deserialize, Serialize};

/// The pseudo-region of events that take place nowhere in particular.
pub const NATIONAL_REGION: &str = "NAT";
/// The time zone of mainland France, used for national and online events.
pub const PARIS_TZ: &str = "Europe/Paris";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Region {
    pub code: String,
    pub name: String,
    pub slug: String,
    pub time_zone: String,
    pub overseas: bool,
}

/// One value of an admin-edited vocabulary (theme, format, organizer type, audience…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VocabularyItem {
    pub id: i64,
    pub slug: String,
    pub label: String,
}

/// How people attend an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    EnLigne,
    Presentiel,
    Hybride,
}

impl Mode {
    pub const ALL: [Mode; 3] = [Mode::Presentiel, Mode::EnLigne, Mode::Hybride];

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::EnLigne => "en_ligne",
            Mode::Presentiel => "presentiel",
            Mode::Hybride => "hybride",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Mode::EnLigne => "En ligne",
            Mode::Presentiel => "Présentiel",
            Mode::Hybride => "Hybride",
        }
    }

    pub fn parse(value: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.as_str() == value)
    }

    pub fn has_venue(self) -> bool {
        !matches!(self, Mode::EnLigne)
    }

    pub fn is_online(self) -> bool {
        !matches!(self, Mode::Presentiel)
    }
}

/// Where an event stands in the referencing and moderation workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventStatus {
    Draft,
    Submitted,
    Published,
    ChangesRequested,
    Rejected,
    Cancelled,
}

impl EventStatus {
    pub const ALL: [EventStatus; 6] = [
        EventStatus::Draft,
        EventStatus::Submitted,
        EventStatus::Published,
        EventStatus::ChangesRequested,
        EventStatus::Rejected,
        EventStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventStatus::Draft => "draft",
            EventStatus::Submitted => "submitted",
            EventStatus::Published => "published",
            EventStatus::ChangesRequested => "changes_requested",
            EventStatus::Rejected => "rejected",
            EventStatus::Cancelled => "cancelled",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EventStatus::Draft => "Brouillon",
            EventStatus::Submitted => "Soumis",
            EventStatus::Published => "Publié",
            EventStatus::ChangesRequested => "Modifications demandées",
            EventStatus::Rejected => "Refusé",
            EventStatus::Cancelled => "Annulé",
        }
    }

    pub fn parse(value: &str) -> Option<EventStatus> {
        EventStatus::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// Published and cancelled events are public (a cancelled one shows « Annulé »).
    pub fn is_public(self) -> bool {
        matches!(self, EventStatus::Published | EventStatus::Cancelled)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Organizer,
    Moderator,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Organizer => "organizer",
            Role::Moderator => "moderator",
            Role::Admin => "admin",
        }
    }

    pub fn parse(value: &str) -> Option<Role> {
        [Role::Organizer, Role::Moderator, Role::Admin]
            .into_iter()
            .find(|r| r.as_str() == value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_and_statuses_round_trip_through_their_database_names() {
        for mode in Mode::ALL {
            assert_eq!(Mode::parse(mode.as_str()), Some(mode));
        }
        for status in EventStatus::ALL {
            assert_eq!(EventStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(Mode::parse("distanciel"), None);
        assert_eq!(EventStatus::parse("PUBLISHED"), None);
        assert_eq!(Role::parse("admin"), Some(Role::Admin));
    }

    #[test]
    fn serde_names_match_the_database_names() {
        assert_eq!(
            serde_json::to_string(&Mode::EnLigne).unwrap(),
            "\"en_ligne\""
        );
        assert_eq!(
            serde_json::to_string(&EventStatus::ChangesRequested).unwrap(),
            "\"changes_requested\""
        );
    }

    #[test]
    fn mode_drives_venue_and_link() {
        assert!(Mode::Presentiel.has_venue() && !Mode::Presentiel.is_online());
        assert!(!Mode::EnLigne.has_venue() && Mode::EnLigne.is_online());
        assert!(Mode::Hybride.has_venue() && Mode::Hybride.is_online());
    }
}

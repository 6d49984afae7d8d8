//! Wire types of the organizer's pages.
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::validation::{EventInput, Rules};
use crate::editions::Edition;
use crate::reference::{EventStatus, Region, VocabularyItem, NATIONAL_REGION, PARIS_TZ};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Department {
    pub code: String,
    pub name: String,
    pub region_code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabOption {
    pub id: i64,
    pub name: String,
}

/// Everything the event form offers, and what its rules check against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormOptions {
    pub edition: Edition,
    pub today: NaiveDate,
    pub themes: Vec<VocabularyItem>,
    pub formats: Vec<VocabularyItem>,
    pub audiences: Vec<VocabularyItem>,
    pub organizer_types: Vec<VocabularyItem>,
    pub labs: Vec<LabOption>,
    /// Regions with their time zone; « National / en ligne » included.
    pub regions: Vec<Region>,
    pub departments: Vec<Department>,
}

impl FormOptions {
    pub fn rules(&self) -> Rules {
        Rules {
            edition_starts_on: self.edition.starts_on,
            edition_ends_on: self.edition.ends_on,
            theme_ids: self.themes.iter().map(|t| t.id).collect(),
            format_ids: self.formats.iter().map(|t| t.id).collect(),
            audience_ids: self.audiences.iter().map(|t| t.id).collect(),
            organizer_type_ids: self.organizer_types.iter().map(|t| t.id).collect(),
            lab_ids: self.labs.iter().map(|l| l.id).collect(),
            region_codes: self
                .regions
                .iter()
                .filter(|r| r.code != NATIONAL_REGION)
                .map(|r| r.code.clone())
                .collect(),
            departments: self
                .departments
                .iter()
                .map(|d| (d.code.clone(), d.region_code.clone()))
                .collect(),
            archive: self.edition.archive,
        }
    }

    /// The time zone in which the venue's times are typed.
    pub fn zone_of(&self, region_code: &str) -> &str {
        self.regions
            .iter()
            .find(|r| r.code == region_code)
            .map(|r| r.time_zone.as_str())
            .unwrap_or(PARIS_TZ)
    }
}

/// A line of the dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardEvent {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub status: EventStatus,
    pub starts_local: NaiveDateTime,
    pub edition_year: i32,
    pub moderation_note: Option<String>,
    pub needs_review: bool,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    /// The signed-in account's id.
    pub account: i64,
    pub name: String,
    /// Moderators and admins also see the way to the moderation queue.
    pub is_staff: bool,
    pub edition: Edition,
    pub today: NaiveDate,
    /// This edition's events.
    pub events: Vec<DashboardEvent>,
    /// Earlier editions' events, to duplicate.
    pub past: Vec<DashboardEvent>,
}

/// An event opened in the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditableEvent {
    pub id: i64,
    pub slug: String,
    pub version: i64,
    pub status: EventStatus,
    pub edition_year: i32,
    pub input: EventInput,
    pub moderation_note: Option<String>,
    pub needs_review: bool,
    /// Labels of the fields changed since moderators last approved it.
    pub changed_since_review: Vec<String>,
}

/// What a save returns: enough to carry on editing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedEvent {
    pub id: i64,
    pub version: i64,
    pub status: EventStatus,
    pub slug: String,
}

/// The French label of each field, for « what changed » lists.
pub fn changed_fields(before: &EventInput, after: &EventInput) -> Vec<String> {
    let mut changed = Vec::new();
    let mut check = |label: &str, differs: bool| {
        if differs {
            changed.push(label.to_string());
        }
    };
    check("Titre", before.title.trim() != after.title.trim());
    check("Résumé", before.summary.trim() != after.summary.trim());
    check(
        "Description",
        before.description.trim() != after.description.trim(),
    );
    let mut a = before.themes.clone();
    let mut b = after.themes.clone();
    a.sort_unstable();
    b.sort_unstable();
    check("Thèmes", a != b);
    check("Format", before.format_id != after.format_id);
    check("Modalité", before.mode != after.mode);
    check("Public", before.audience_id != after.audience_id);
    check(
        "Structure",
        before.structure_name.trim() != after.structure_name.trim(),
    );
    check(
        "Type de structure",
        before.organizer_type_id != after.organizer_type_id,
    );
    check("Laboratoire", before.lab_id != after.lab_id);
    check(
        "Lieu",
        before.region_code != after.region_code
            || before.department_code != after.department_code
            || before.city.trim() != after.city.trim()
            || before.venue_name.trim() != after.venue_name.trim()
            || before.venue_address.trim() != after.venue_address.trim()
            || before.postal_code.trim() != after.postal_code.trim(),
    );
    check(
        "Lien en ligne",
        before.online_url.trim() != after.online_url.trim(),
    );
    check(
        "Dates",
        before.starts_local != after.starts_local
            || before.ends_local != after.ends_local
            || before.out_of_period != after.out_of_period
            || before.out_of_period_reason.trim() != after.out_of_period_reason.trim(),
    );
    check(
        "Inscription",
        before.registration_url.trim() != after.registration_url.trim()
            || before.capacity.trim() != after.capacity.trim(),
    );
    check(
        "Contact",
        before.contact_name.trim() != after.contact_name.trim()
            || before.contact_email.trim() != after.contact_email.trim(),
    );
    check(
        "Accessibilité",
        before.accessibility.trim() != after.accessibility.trim(),
    );
    changed
}

/// « plus que 5 jours » until the referencing window closes, or its state.
pub fn referencing_label(edition: &Edition, today: NaiveDate) -> (bool, String) {
    if today < edition.referencing_opens_on {
        return (
            false,
            format!(
                "Le référencement ouvrira le {}.",
                crate::fr::date_long(edition.referencing_opens_on)
            ),
        );
    }
    if today > edition.referencing_closes_on {
        return (
            false,
            format!(
                "Le référencement est clos depuis le {}. Vous pouvez toujours modifier vos événements ; un nouvel événement sera examiné par l'équipe du Mois si le calendrier le permet.",
                crate::fr::date_long(edition.referencing_closes_on)
            ),
        );
    }
    let days = (edition.referencing_closes_on - today).num_days();
    let left = match days {
        0 => "dernier jour aujourd'hui".to_string(),
        1 => "plus qu'un jour".to_string(),
        n => format!("plus que {n} jours"),
    };
    (
        true,
        format!(
            "Référencement ouvert jusqu'au {} : {left}.",
            crate::fr::date_long(edition.referencing_closes_on)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edition() -> Edition {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        Edition {
            year: 2026,
            ordinal: 10,
            theme_of_year: None,
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
    fn the_referencing_deadline_counts_down() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let (open, text) = referencing_label(&edition(), d(10, 24));
        assert!(open);
        assert!(text.contains("plus que 5 jours"), "{text}");
        assert!(referencing_label(&edition(), d(10, 28))
            .1
            .contains("plus qu'un jour"));
        assert!(referencing_label(&edition(), d(10, 29))
            .1
            .contains("dernier jour"));
        let (open, text) = referencing_label(&edition(), d(11, 10));
        assert!(!open);
        assert!(
            text.contains("clos depuis le jeudi 29 octobre 2026"),
            "{text}"
        );
        assert!(referencing_label(&edition(), d(8, 1)).1.contains("ouvrira"));
    }

    #[test]
    fn changes_are_named_by_field() {
        let before = EventInput {
            title: "Atelier".into(),
            themes: vec![1, 2],
            city: "Lyon".into(),
            ..Default::default()
        };
        let mut after = before.clone();
        after.themes = vec![2, 1];
        assert!(changed_fields(&before, &after).is_empty());
        after.title = "Atelier ouvert".into();
        after.city = "Villeurbanne".into();
        after.starts_local = "2026-11-12T10:00".into();
        assert_eq!(
            changed_fields(&before, &after),
            vec!["Titre", "Lieu", "Dates"]
        );
    }
}

//! Wire types of moderation, and the readable diff between two versions of an event.
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::events::model::EventDetail;
use crate::organizer::model::FormOptions;
use crate::organizer::validation::EventInput;
use crate::reference::{EventStatus, Mode};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItem {
    pub id: i64,
    pub version: i64,
    pub title: String,
    pub status: EventStatus,
    /// Published, then edited by its organizer: to re-check.
    pub needs_review: bool,
    pub structure: String,
    pub organizer: String,
    pub region: String,
    pub starts_local: NaiveDateTime,
    /// When it entered the queue (submission, or last edit of a published event).
    pub waiting_since: String,
    /// Likely duplicates: (id, title).
    pub duplicates: Vec<(i64, String)>,
    /// Why it runs outside the month, when it does: the moderator judges the reason.
    #[serde(default)]
    pub out_of_period_reason: Option<String>,
}

impl QueueItem {
    /// The start at the venue, with its zone when it is not Paris time (the item's region
    /// names it): « mardi 10 novembre 2026, 14 h 00 (heure de La Réunion) ».
    pub fn start_label(&self, regions: &[crate::reference::Region]) -> String {
        let when = crate::fr::date_time(self.starts_local);
        match regions.iter().find(|r| r.name == self.region) {
            Some(r) if r.time_zone != crate::reference::PARIS_TZ => {
                format!("{when} (heure de {})", r.name)
            }
            _ => when,
        }
    }
}

/// Rows of the queue on one page: a page stays quick to render and to read whatever the
/// queue's length (3,500 submitted events rendered at once took over a second).
pub const QUEUE_PAGE: usize = 100;

/// One page of the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queue {
    /// The page's events, oldest first.
    pub items: Vec<QueueItem>,
    /// Every event waiting for a review.
    pub total: usize,
    /// Those the filters keep (all pages).
    #[serde(default)]
    pub matching: usize,
    /// This page (from 1) and how many there are.
    #[serde(default)]
    pub page: usize,
    #[serde(default)]
    pub pages: usize,
}

impl Queue {
    /// The rank (from 1) of the page's first event among those the filters keep.
    pub fn first_rank(&self) -> usize {
        self.page.saturating_sub(1) * QUEUE_PAGE + 1
    }
}

/// One field that changed, as moderators read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub label: String,
    pub before: String,
    pub after: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: String,
    pub who: String,
    pub action: String,
    pub detail: String,
}

/// An event under review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Review {
    pub id: i64,
    pub version: i64,
    pub status: EventStatus,
    pub needs_review: bool,
    pub detail: EventDetail,
    pub organizer_name: String,
    pub organizer_email: String,
    pub moderation_note: Option<String>,
    /// Changes since moderators last approved it (empty for a first review).
    pub changes: Vec<FieldChange>,
    pub duplicates: Vec<(i64, String)>,
    pub audit: Vec<AuditEntry>,
}

/// French label of an audit action.
pub fn action_label(action: &str) -> &'static str {
    match action {
        "create" => "Création",
        "edit" => "Modification",
        "submit" => "Soumission",
        "publish" => "Publication",
        "request_changes" => "Modifications demandées",
        "reject" => "Refus",
        "cancel" => "Annulation",
        "delete" => "Suppression",
        "duplicate" => "Duplication",
        _ => "Action",
    }
}

fn label_of(items: &[crate::reference::VocabularyItem], id: Option<i64>) -> String {
    id.and_then(|id| items.iter().find(|t| t.id == id))
        .map(|t| t.label.clone())
        .unwrap_or_default()
}

fn place(input: &EventInput, options: &FormOptions) -> String {
    let region = options
        .regions
        .iter()
        .find(|r| r.code == input.region_code)
        .map(|r| r.name.clone())
        .unwrap_or_default();
    [
        input.venue_name.trim(),
        input.venue_address.trim(),
        input.postal_code.trim(),
        input.city.trim(),
        region.as_str(),
    ]
    .iter()
    .filter(|p| !p.is_empty())
    .cloned()
    .collect::<Vec<_>>()
    .join(", ")
}

/// Every field that differs, with its value before and after, in words.
pub fn describe_changes(
    before: &EventInput,
    after: &EventInput,
    options: &FormOptions,
) -> Vec<FieldChange> {
    let themes = |input: &EventInput| {
        let mut labels: Vec<String> = input
            .themes
            .iter()
            .map(|id| label_of(&options.themes, Some(*id)))
            .collect();
        labels.sort();
        labels.join(", ")
    };
    let mode = |m: Option<Mode>| m.map(|m| m.label().to_string()).unwrap_or_default();
    let dates = |i: &EventInput| {
        let mut text = format!(
            "{} → {}",
            i.starts_local.replace('T', " "),
            i.ends_local.replace('T', " ")
        );
        if i.out_of_period {
            text.push_str(&format!(
                " (hors période : {})",
                i.out_of_period_reason.trim()
            ));
        }
        text
    };
    let pairs: Vec<(&str, String, String)> = vec![
        (
            "Titre",
            before.title.trim().into(),
            after.title.trim().into(),
        ),
        (
            "Résumé",
            before.summary.trim().into(),
            after.summary.trim().into(),
        ),
        (
            "Description",
            before.description.trim().into(),
            after.description.trim().into(),
        ),
        ("Thèmes", themes(before), themes(after)),
        (
            "Format",
            label_of(&options.formats, before.format_id),
            label_of(&options.formats, after.format_id),
        ),
        ("Modalité", mode(before.mode), mode(after.mode)),
        (
            "Public",
            label_of(&options.audiences, before.audience_id),
            label_of(&options.audiences, after.audience_id),
        ),
        (
            "Structure",
            before.structure_name.trim().into(),
            after.structure_name.trim().into(),
        ),
        (
            "Type de structure",
            label_of(&options.organizer_types, before.organizer_type_id),
            label_of(&options.organizer_types, after.organizer_type_id),
        ),
        ("Lieu", place(before, options), place(after, options)),
        (
            "Lien en ligne",
            before.online_url.trim().into(),
            after.online_url.trim().into(),
        ),
        ("Dates", dates(before), dates(after)),
        (
            "Inscription",
            format!(
                "{} {}",
                before.registration_url.trim(),
                before.capacity.trim()
            )
            .trim()
            .to_string(),
            format!(
                "{} {}",
                after.registration_url.trim(),
                after.capacity.trim()
            )
            .trim()
            .to_string(),
        ),
        (
            "Contact",
            format!(
                "{} {}",
                before.contact_name.trim(),
                before.contact_email.trim()
            )
            .trim()
            .to_string(),
            format!(
                "{} {}",
                after.contact_name.trim(),
                after.contact_email.trim()
            )
            .trim()
            .to_string(),
        ),
        (
            "Accessibilité",
            before.accessibility.trim().into(),
            after.accessibility.trim().into(),
        ),
    ];
    pairs
        .into_iter()
        .filter(|(_, b, a)| b != a)
        .map(|(label, before, after)| FieldChange {
            label: label.to_string(),
            before,
            after,
        })
        .collect()
}

/// Whether two titles are close: most of their words (folded) are shared.
pub fn similar_titles(a: &str, b: &str) -> bool {
    use crate::programme::fold::query_terms;
    let a: std::collections::BTreeSet<String> = query_terms(a).into_iter().collect();
    let b: std::collections::BTreeSet<String> = query_terms(b).into_iter().collect();
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let shared = a.intersection(&b).count() as f64;
    let union = a.union(&b).count() as f64;
    shared / union >= 0.5
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region(code: &str, name: &str, zone: &str) -> crate::reference::Region {
        crate::reference::Region {
            code: code.into(),
            name: name.into(),
            slug: code.to_lowercase(),
            time_zone: zone.into(),
            overseas: zone != crate::reference::PARIS_TZ,
        }
    }

    #[test]
    fn queue_dates_name_the_zone_outside_paris_time() {
        let regions = [
            region("BRE", "Bretagne", "Europe/Paris"),
            region("REU", "La Réunion", "Indian/Reunion"),
        ];
        let mut item = QueueItem {
            id: 1,
            version: 1,
            title: "Atelier".into(),
            status: EventStatus::Submitted,
            needs_review: false,
            structure: "DITP".into(),
            organizer: "Camille".into(),
            region: "La Réunion".into(),
            starts_local: chrono::NaiveDate::from_ymd_opt(2026, 11, 10)
                .unwrap()
                .and_hms_opt(14, 0, 0)
                .unwrap(),
            waiting_since: String::new(),
            duplicates: vec![],
            out_of_period_reason: None,
        };
        assert_eq!(
            item.start_label(&regions),
            "mardi 10 novembre 2026, 14\u{a0}h\u{a0}00 (heure de La Réunion)"
        );
        item.region = "Bretagne".into();
        assert_eq!(
            item.start_label(&regions),
            "mardi 10 novembre 2026, 14\u{a0}h\u{a0}00"
        );
    }

    #[test]
    fn close_titles_are_flagged() {
        assert!(similar_titles(
            "Atelier : simplifier la demande de logement",
            "Atelier simplifier les demandes de logement social"
        ));
        assert!(similar_titles("Égalité d'accès", "egalite d'acces"));
        assert!(!similar_titles(
            "Atelier logement",
            "Conférence sur les données ouvertes"
        ));
    }
}

//! Wire types and shared validation of the admin area.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::editions::Edition;
use crate::error::FieldError;
use crate::reference::{Role, VocabularyItem};

/// An edition as typed in the admin form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditionInput {
    pub year: String,
    pub ordinal: String,
    pub theme_of_year: String,
    pub tagline: String,
    pub starts_on: String,
    pub ends_on: String,
    pub referencing_opens_on: String,
    pub referencing_closes_on: String,
    pub is_current: bool,
    /// The theme of the year as written at the time, when it is none of the vocabulary's.
    pub theme_of_year_text: String,
    pub archive: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidEdition {
    pub year: i32,
    pub ordinal: i32,
    pub theme_of_year_id: Option<i64>,
    pub tagline: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub referencing_opens_on: NaiveDate,
    pub referencing_closes_on: NaiveDate,
    pub is_current: bool,
    pub theme_of_year_text: String,
    pub archive: bool,
}

impl EditionInput {
    pub fn validate(&self, theme_ids: &[i64]) -> Result<ValidEdition, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut push = |field: &str, message: &str| {
            if !errors.iter().any(|e: &FieldError| e.field == field) {
                errors.push(FieldError::new(field, message));
            }
        };
        let year = self
            .year
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y));
        if year.is_none() {
            push("year", "Indiquez l'année de l'édition, par exemple 2027.");
        }
        let ordinal = self.ordinal.trim().parse::<i32>().ok().filter(|n| *n > 0);
        if ordinal.is_none() {
            push("ordinal", "Indiquez le numéro de l'édition (1, 2, 3…).");
        }
        let theme_of_year_id = match self.theme_of_year.trim() {
            "" => None,
            text => match text.parse::<i64>().ok().filter(|id| theme_ids.contains(id)) {
                Some(id) => Some(id),
                None => {
                    push(
                        "theme_of_year",
                        "Choisissez le thème de l'année dans la liste.",
                    );
                    None
                }
            },
        };
        let theme_of_year_text = self.theme_of_year_text.trim().to_string();
        if theme_of_year_text.chars().count() > 200 {
            push(
                "theme_of_year_text",
                "Le thème de l'année ne doit pas dépasser 200 caractères.",
            );
        } else if !theme_of_year_text.is_empty() && theme_of_year_id.is_some() {
            push(
                "theme_of_year_text",
                "Choisissez le thème dans la liste ou écrivez-le ici, pas les deux.",
            );
        }
        if self.tagline.chars().count() > 300 {
            push("tagline", "L'accroche ne doit pas dépasser 300 caractères.");
        }
        let mut date = |field: &str, value: &str, missing: &str| {
            let parsed = NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").ok();
            if parsed.is_none() {
                push(field, missing);
            }
            parsed
        };
        let starts_on = date(
            "starts_on",
            &self.starts_on,
            "Indiquez le premier jour du Mois.",
        );
        let ends_on = date(
            "ends_on",
            &self.ends_on,
            "Indiquez le dernier jour du Mois.",
        );
        let opens = date(
            "referencing_opens_on",
            &self.referencing_opens_on,
            "Indiquez l'ouverture du référencement.",
        );
        let closes = date(
            "referencing_closes_on",
            &self.referencing_closes_on,
            "Indiquez la clôture du référencement.",
        );
        if let (Some(s), Some(e)) = (starts_on, ends_on) {
            if e < s {
                push("ends_on", "Le dernier jour doit suivre le premier.");
            }
            if let Some(y) = year {
                if chrono::Datelike::year(&s) != y {
                    push(
                        "starts_on",
                        "Le Mois commence pendant l'année de l'édition.",
                    );
                }
            }
        }
        if let (Some(o), Some(c)) = (opens, closes) {
            if c < o {
                push(
                    "referencing_closes_on",
                    "La clôture doit suivre l'ouverture.",
                );
            }
        }
        if let (Some(c), Some(e)) = (closes, ends_on) {
            if c > e {
                push(
                    "referencing_closes_on",
                    "Le référencement se clôt au plus tard le dernier jour du Mois.",
                );
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ValidEdition {
            year: year.expect("checked"),
            ordinal: ordinal.expect("checked"),
            theme_of_year_id,
            tagline: self.tagline.trim().to_string(),
            starts_on: starts_on.expect("checked"),
            ends_on: ends_on.expect("checked"),
            referencing_opens_on: opens.expect("checked"),
            referencing_closes_on: closes.expect("checked"),
            is_current: self.is_current,
            theme_of_year_text,
            archive: self.archive,
        })
    }
}

/// The columns of the events CSV (import and export), in order.
pub const IMPORT_COLUMNS: [&str; 29] = [
    // The row's stable key: importing the same file again updates what it created.
    "identifiant",
    "edition",
    "statut",
    "titre",
    "resume",
    "description",
    "themes",
    "format",
    "modalite",
    "public",
    "structure",
    "type_structure",
    "laboratoire",
    "region",
    "departement",
    "commune",
    "lieu",
    "adresse",
    "code_postal",
    "lien_en_ligne",
    "debut",
    "fin",
    "hors_periode",
    "inscription",
    "places",
    "contact_nom",
    "contact_email",
    "accessibilite",
    "organisateur_email",
];

/// The vocabularies admins keep.
pub const VOCABULARIES: [(&str, &str); 5] = [
    ("themes", "Thèmes"),
    ("formats", "Formats"),
    ("audiences", "Publics"),
    ("organizer_types", "Types de structure"),
    ("lab_types", "Types de laboratoire"),
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VocabularyEntry {
    pub item: VocabularyItem,
    pub retired: bool,
    /// Events (or labs) using it.
    pub uses: i64,
    /// Bumped by every admin write; the forms send it back (stale → 409).
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountLine {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub structure: String,
    pub role: Role,
    pub confirmed: bool,
    pub disabled: bool,
    pub events: i64,
    /// Bumped by every admin write; the form sends it back (stale → 409).
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminHome {
    pub editions: Vec<Edition>,
    pub themes: Vec<VocabularyItem>,
    /// (year, version) of every edition, read before `editions`: the edition form sends the
    /// version back (stale → 409).
    pub versions: Vec<(i32, i64)>,
    /// (year, when) of the reports an administrator froze.
    pub frozen_reports: Vec<(i32, String)>,
}

impl AdminHome {
    /// The version of the edition of `year`, if it exists.
    pub fn version_of(&self, year: i32) -> Option<i64> {
        self.versions
            .iter()
            .find(|(y, _)| *y == year)
            .map(|(_, v)| *v)
    }
}

/// Largest CSV file (or pasted text) the import reads.
pub const IMPORT_MAX_BYTES: usize = 4 * 1024 * 1024;

/// What the import does with a valid row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowAction {
    Create,
    Update,
    /// An existing event that already holds the row's values: nothing to write.
    Unchanged,
}

/// One row of an import, as the dry run reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRow {
    /// Line in the file (the header is line 1).
    pub line: usize,
    pub title: String,
    /// The `identifiant` column (empty when not given).
    #[serde(default)]
    pub key: String,
    /// What importing the row does (`None` for a row in error).
    #[serde(default)]
    pub action: Option<RowAction>,
    /// The event updated (or left unchanged), for a link.
    #[serde(default)]
    pub event_slug: Option<String>,
    /// (column, message).
    pub errors: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub rows: Vec<ImportRow>,
    pub valid: usize,
    pub invalid: usize,
    /// Valid rows by what importing them would do.
    #[serde(default)]
    pub to_create: usize,
    #[serde(default)]
    pub to_update: usize,
    #[serde(default)]
    pub unchanged: usize,
}

/// The answer of a dry run: its id (its page is `/admin/import?essai=ID`) and its report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportChecked {
    pub id: i64,
    pub report: ImportReport,
}

/// What a confirmed import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// A checked file (a dry run), as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRun {
    pub id: i64,
    /// Empty for pasted text.
    pub file_name: String,
    /// When it was checked, in words (Paris time).
    pub checked_at: String,
    pub report: ImportReport,
    /// Set once imported: when (in words) and what it did.
    pub imported: Option<(String, ImportSummary)>,
    /// The pasted text of a run with errors, given back to be corrected in place.
    pub pasted: Option<String>,
}

/// The import page: the run asked for (`?essai=`), if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPageData {
    pub run: Option<ImportRun>,
    /// The run asked for does not exist (any more), or is another administrator's.
    pub run_missing: bool,
    /// The current edition's year (the example file's).
    pub edition_year: i32,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> EditionInput {
        EditionInput {
            year: "2027".into(),
            ordinal: "11".into(),
            theme_of_year: "3".into(),
            tagline: String::new(),
            starts_on: "2027-11-02".into(),
            ends_on: "2027-11-30".into(),
            referencing_opens_on: "2027-09-01".into(),
            referencing_closes_on: "2027-10-29".into(),
            is_current: true,
            theme_of_year_text: String::new(),
            archive: false,
        }
    }

    #[test]
    fn the_theme_of_the_year_may_be_free_text_but_not_both() {
        let free = EditionInput {
            theme_of_year: String::new(),
            theme_of_year_text: "  La transformation numérique  ".into(),
            ..good()
        };
        assert_eq!(
            free.validate(&[3]).unwrap().theme_of_year_text,
            "La transformation numérique"
        );
        let both = EditionInput {
            theme_of_year_text: "Autre".into(),
            ..good()
        };
        let errors = both.validate(&[3]).unwrap_err();
        assert_eq!(errors[0].field, "theme_of_year_text");
    }

    #[test]
    fn editions_are_checked_field_by_field() {
        assert!(good().validate(&[3]).is_ok());
        let fields = |input: EditionInput| -> Vec<String> {
            input
                .validate(&[3])
                .unwrap_err()
                .into_iter()
                .map(|e| e.field)
                .collect()
        };
        assert_eq!(
            fields(EditionInput {
                year: "deux".into(),
                ..good()
            }),
            vec!["year", "starts_on"]
                .into_iter()
                .take(1)
                .map(String::from)
                .collect::<Vec<_>>()
        );
        assert_eq!(
            fields(EditionInput {
                ordinal: "0".into(),
                ..good()
            }),
            vec!["ordinal"]
        );
        assert_eq!(
            fields(EditionInput {
                theme_of_year: "9".into(),
                ..good()
            }),
            vec!["theme_of_year"]
        );
        assert_eq!(
            fields(EditionInput {
                ends_on: "2027-11-01".into(),
                ..good()
            }),
            vec!["ends_on"]
        );
        assert_eq!(
            fields(EditionInput {
                starts_on: "2026-11-02".into(),
                ..good()
            }),
            vec!["starts_on"]
        );
        assert_eq!(
            fields(EditionInput {
                referencing_closes_on: "2027-08-01".into(),
                ..good()
            }),
            vec!["referencing_closes_on"]
        );
        assert_eq!(
            fields(EditionInput {
                referencing_closes_on: "2027-12-01".into(),
                ..good()
            }),
            vec!["referencing_closes_on"]
        );
        assert_eq!(
            fields(EditionInput {
                starts_on: "2 novembre".into(),
                ..good()
            }),
            vec!["starts_on"]
        );
    }
}

/// A lab as typed in the admin form.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LabInput {
    pub name: String,
    pub host_structure: String,
    pub lab_type: String,
    pub region: String,
    pub city: String,
    pub latitude: String,
    pub longitude: String,
    pub website: String,
    pub description: String,
    pub created_year: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidLab {
    pub name: String,
    pub host_structure: String,
    pub lab_type_id: i64,
    pub region_code: String,
    pub city: String,
    pub coordinates: Option<(f64, f64)>,
    pub website: Option<String>,
    pub description: String,
    pub created_year: Option<i64>,
}

impl LabInput {
    pub fn validate(
        &self,
        lab_type_ids: &[i64],
        region_codes: &[String],
    ) -> Result<ValidLab, Vec<FieldError>> {
        let mut errors: Vec<FieldError> = Vec::new();
        let mut push = |field: &str, message: &str| {
            if !errors.iter().any(|e| e.field == field) {
                errors.push(FieldError::new(field, message));
            }
        };
        let text = |v: &str| v.trim().to_string();
        let name = text(&self.name);
        if name.is_empty() || name.chars().count() > 200 {
            push(
                "name",
                "Indiquez le nom du laboratoire (200 caractères au plus).",
            );
        }
        let host = text(&self.host_structure);
        if host.is_empty() || host.chars().count() > 200 {
            push(
                "host_structure",
                "Indiquez la structure qui porte le laboratoire.",
            );
        }
        let lab_type_id = self
            .lab_type
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|id| lab_type_ids.contains(id));
        if lab_type_id.is_none() {
            push("lab_type", "Choisissez le type de laboratoire.");
        }
        let region = text(&self.region);
        if !region_codes.contains(&region) {
            push("region", "Choisissez la région du laboratoire.");
        }
        let city = text(&self.city);
        if city.chars().count() > 200 {
            push("city", "La commune ne doit pas dépasser 200 caractères.");
        }
        let number = |v: &str| v.trim().replace(',', ".").parse::<f64>().ok();
        let coordinates = match (
            self.latitude.trim().is_empty(),
            self.longitude.trim().is_empty(),
        ) {
            (true, true) => None,
            _ => {
                match (number(&self.latitude), number(&self.longitude)) {
                    (Some(lat), Some(lon))
                        if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) =>
                    {
                        Some((lat, lon))
                    }
                    (lat, _) => {
                        if lat.is_none_or(|l| !(-90.0..=90.0).contains(&l)) {
                            push(
                                "latitude",
                                "Latitude en degrés décimaux, entre -90 et 90 (par exemple 45.76).",
                            );
                        } else {
                            push("longitude", "Longitude en degrés décimaux, entre -180 et 180 (par exemple 4.83).");
                        }
                        None
                    }
                }
            }
        };
        let website = match text(&self.website) {
            w if w.is_empty() => None,
            w => {
                if let Err(message) = crate::checks::check_url(&w) {
                    push("website", &message);
                }
                Some(w)
            }
        };
        let description = text(&self.description);
        if description.chars().count() > 4000 {
            push(
                "description",
                "La description ne doit pas dépasser 4000 caractères.",
            );
        }
        let created_year = match self.created_year.trim() {
            "" => None,
            y => match y.parse::<i64>().ok().filter(|y| (1950..=2100).contains(y)) {
                Some(y) => Some(y),
                None => {
                    push(
                        "created_year",
                        "Indiquez une année de création, par exemple 2016.",
                    );
                    None
                }
            },
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ValidLab {
            name,
            host_structure: host,
            lab_type_id: lab_type_id.expect("checked"),
            region_code: region,
            city,
            coordinates,
            website,
            description,
            created_year,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabOptions {
    pub lab_types: Vec<VocabularyItem>,
    pub regions: Vec<(String, String)>,
    /// (slug, name) of every lab.
    pub labs: Vec<(String, String)>,
    /// The version of the lab asked for (`lab`), read before the lab itself: its form sends
    /// it back (stale → 409).
    pub version: Option<i64>,
}

#[cfg(test)]
mod lab_tests {
    use super::*;

    #[test]
    fn labs_are_checked_field_by_field() {
        let good = LabInput {
            name: "Lab Rhône".into(),
            host_structure: "Préfecture du Rhône".into(),
            lab_type: "2".into(),
            region: "84".into(),
            city: "Lyon".into(),
            latitude: "45,76".into(),
            longitude: "4.83".into(),
            website: "https://lab.exemple.gouv.fr".into(),
            description: String::new(),
            created_year: "2016".into(),
        };
        let regions = vec!["84".to_string()];
        let valid = good.validate(&[2], &regions).unwrap();
        assert_eq!(valid.coordinates, Some((45.76, 4.83)));
        let fields = |input: LabInput| -> Vec<String> {
            input
                .validate(&[2], &regions)
                .unwrap_err()
                .into_iter()
                .map(|e| e.field)
                .collect()
        };
        assert_eq!(
            fields(LabInput {
                name: " ".into(),
                ..good.clone()
            }),
            vec!["name"]
        );
        assert_eq!(
            fields(LabInput {
                lab_type: "9".into(),
                ..good.clone()
            }),
            vec!["lab_type"]
        );
        assert_eq!(
            fields(LabInput {
                region: "99".into(),
                ..good.clone()
            }),
            vec!["region"]
        );
        assert_eq!(
            fields(LabInput {
                latitude: "95".into(),
                ..good.clone()
            }),
            vec!["latitude"]
        );
        assert_eq!(
            fields(LabInput {
                longitude: "est".into(),
                ..good.clone()
            }),
            vec!["longitude"]
        );
        assert_eq!(
            fields(LabInput {
                website: "lab.fr".into(),
                ..good.clone()
            }),
            vec!["website"]
        );
        assert_eq!(
            fields(LabInput {
                created_year: "1800".into(),
                ..good.clone()
            }),
            vec!["created_year"]
        );
        assert!(LabInput {
            latitude: String::new(),
            longitude: String::new(),
            ..good.clone()
        }
        .validate(&[2], &regions)
        .unwrap()
        .coordinates
        .is_none());
    }
}

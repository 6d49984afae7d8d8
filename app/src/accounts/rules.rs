//! The rules of an account's own fields: sign-up (name, address, structure, password) and
//! the structure asked after a first sign-in with ProConnect, and the password's limits.
//! Shared by the browser and the server, as the event's rules; both use the generic checks
//! and the collector of `crate::checks`.
use serde::{Deserialize, Serialize};

use crate::checks::{chars, check_email, field, Collector, SHORT_TEXT_MAX};
use crate::error::FieldError;
use crate::reference::NATIONAL_REGION;

pub const PASSWORD_MIN: usize = 12;
pub const PASSWORD_MAX: usize = 128;

/// A new password: long enough, not absurdly long, nothing else (no composition rules, as
/// the ANSSI and NIST recommend). Common passwords are refused on the server, which holds
/// the list.
pub fn check_new_password(value: &str) -> Result<(), String> {
    let n = chars(value);
    if n < PASSWORD_MIN {
        return Err(format!(
            "Le mot de passe doit comporter au moins {PASSWORD_MIN} caractères (actuellement {n}). Une phrase de plusieurs mots est facile à retenir."
        ));
    }
    if n > PASSWORD_MAX {
        return Err(format!(
            "Le mot de passe ne doit pas dépasser {PASSWORD_MAX} caractères."
        ));
    }
    Ok(())
}

/// The sign-up form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignUpInput {
    pub email: String,
    pub name: String,
    pub structure: String,
    pub organizer_type_id: Option<i64>,
    pub region_code: String,
    pub password: String,
}

impl SignUpInput {
    pub fn validate(&self, organizer_type_ids: &[i64], region_codes: &[String]) -> Vec<FieldError> {
        use field::*;
        let mut c = Collector(Vec::new());
        if let Err(message) = check_email(&self.email) {
            c.push(EMAIL, message);
        }
        c.required_text(
            NAME,
            &self.name,
            SHORT_TEXT_MAX,
            "Indiquez vos prénom et nom.",
        );
        let structure = StructureInput {
            structure: self.structure.clone(),
            organizer_type_id: self.organizer_type_id,
            region_code: self.region_code.clone(),
        };
        c.0.extend(structure.validate(organizer_type_ids, region_codes));
        if let Err(message) = check_new_password(&self.password) {
            c.push(PASSWORD, message);
        }
        c.0
    }
}

/// An organizer's structure: at sign-up, and after a first sign-in with ProConnect (which
/// gives the name and the address, not these).
#[derive(Debug, Clone)]
pub struct StructureInput {
    pub structure: String,
    pub organizer_type_id: Option<i64>,
    pub region_code: String,
}

impl StructureInput {
    pub fn validate(&self, organizer_type_ids: &[i64], region_codes: &[String]) -> Vec<FieldError> {
        use field::*;
        let mut c = Collector(Vec::new());
        c.required_text(
            ACCOUNT_STRUCTURE,
            &self.structure,
            SHORT_TEXT_MAX,
            "Indiquez votre structure (administration, collectivité, établissement…).",
        );
        c.choice(
            ORGANIZER_TYPE,
            self.organizer_type_id,
            organizer_type_ids,
            "Choisissez le type de votre structure.",
        );
        let region = self.region_code.trim();
        if region.is_empty() {
            c.push(
                REGION,
                "Choisissez votre région (ou « National / en ligne »).",
            );
        } else if region != NATIONAL_REGION && !region_codes.iter().any(|r| r == region) {
            c.push(
                REGION,
                "Cette région n'existe pas : choisissez-la dans la liste.",
            );
        }
        c.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords() {
        assert!(check_new_password("onze-chars!").is_err());
        assert!(check_new_password("douze-chars!").is_ok());
        assert!(
            check_new_password("éééééééééééé").is_ok(),
            "characters, not bytes"
        );
        assert!(check_new_password(&"x".repeat(PASSWORD_MAX)).is_ok());
        assert!(check_new_password(&"x".repeat(PASSWORD_MAX + 1)).is_err());
    }

    #[test]
    fn sign_up_names_each_failing_field() {
        let ok = SignUpInput {
            email: "agent@exemple.gouv.fr".into(),
            name: "Camille Agent".into(),
            structure: "DITP".into(),
            organizer_type_id: Some(1),
            region_code: "11".into(),
            password: "une phrase de passe".into(),
        };
        let regions = vec!["11".to_string()];
        assert!(ok.validate(&[1], &regions).is_empty());
        let bad = SignUpInput {
            email: "agent".into(),
            name: " ".into(),
            structure: String::new(),
            organizer_type_id: None,
            region_code: "99".into(),
            password: "court".into(),
        };
        let fields: Vec<_> = bad
            .validate(&[1], &regions)
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            vec![
                "email",
                "name",
                "structure",
                "organizer_type",
                "region",
                "password"
            ]
        );
    }
}

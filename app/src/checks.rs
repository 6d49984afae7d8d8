//! The generic checks of what people type, shared by every form (the event's, the account's,
//! the admin's) in the browser and on the server: the error collector, the field names,
//! characters, web and e-mail addresses, dates as browsers send them.
use chrono::{NaiveDate, NaiveDateTime};

use crate::error::FieldError;

pub const SHORT_TEXT_MAX: usize = 200;
pub const URL_MAX: usize = 2_000;
pub const EMAIL_MAX: usize = 254;

/// Field names, shared by the form (ids, `aria-describedby`) and the errors.
pub mod field {
    pub const TITLE: &str = "title";
    pub const SUMMARY: &str = "summary";
    pub const DESCRIPTION: &str = "description";
    pub const THEMES: &str = "themes";
    pub const FORMAT: &str = "format";
    pub const MODE: &str = "mode";
    pub const AUDIENCE: &str = "audience";
    pub const STRUCTURE: &str = "structure_name";
    pub const ORGANIZER_TYPE: &str = "organizer_type";
    pub const LAB: &str = "lab";
    pub const REGION: &str = "region";
    pub const DEPARTMENT: &str = "department";
    pub const CITY: &str = "city";
    pub const VENUE_NAME: &str = "venue_name";
    pub const VENUE_ADDRESS: &str = "venue_address";
    pub const POSTAL_CODE: &str = "postal_code";
    pub const ONLINE_URL: &str = "online_url";
    pub const STARTS: &str = "starts_at";
    pub const ENDS: &str = "ends_at";
    pub const OUT_OF_PERIOD_REASON: &str = "out_of_period_reason";
    pub const REGISTRATION_URL: &str = "registration_url";
    pub const CAPACITY: &str = "capacity";
    pub const CONTACT_NAME: &str = "contact_name";
    pub const CONTACT_EMAIL: &str = "contact_email";
    pub const ACCESSIBILITY: &str = "accessibility";
    pub const EMAIL: &str = "email";
    pub const PASSWORD: &str = "password";
    pub const NAME: &str = "name";
    pub const ACCOUNT_STRUCTURE: &str = "structure";
}

pub(crate) fn chars(text: &str) -> usize {
    text.chars().count()
}

pub(crate) fn optional(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// The errors of a form, one per field: the first rule that fails on it.
pub(crate) struct Collector(pub(crate) Vec<FieldError>);

impl Collector {
    pub(crate) fn push(&mut self, field: &str, message: impl Into<String>) {
        // One message per field: the first rule that fails.
        if !self.0.iter().any(|e| e.field == field) {
            self.0.push(FieldError::new(field, message));
        }
    }

    pub(crate) fn required_text(
        &mut self,
        field: &str,
        value: &str,
        max: usize,
        missing: &str,
    ) -> String {
        let value = value.trim();
        if value.is_empty() {
            self.push(field, missing);
        } else {
            self.max_len(field, value, max);
        }
        value.to_string()
    }

    pub(crate) fn max_len(&mut self, field: &str, value: &str, max: usize) {
        if let Err(message) = check_characters(field, value) {
            self.push(field, message);
            return;
        }
        let n = chars(value);
        if n > max {
            self.push(
                field,
                format!("Ce champ ne doit pas dépasser {max} caractères (actuellement {n})."),
            );
        }
    }

    pub(crate) fn optional_text(&mut self, field: &str, value: &str, max: usize) -> Option<String> {
        let value = optional(value);
        if let Some(v) = &value {
            self.max_len(field, v, max);
        }
        value
    }

    pub(crate) fn choice(
        &mut self,
        field: &str,
        value: Option<i64>,
        known: &[i64],
        missing: &str,
    ) -> i64 {
        match value {
            None => {
                self.push(field, missing);
                0
            }
            Some(id) if !known.contains(&id) => {
                self.push(
                    field,
                    "Cette valeur n'est plus proposée : choisissez-en une autre.",
                );
                id
            }
            Some(id) => id,
        }
    }

    pub(crate) fn url(&mut self, field: &str, value: &str) -> Option<String> {
        let value = optional(value)?;
        if let Err(message) = check_characters(field, &value).and_then(|()| check_url(&value)) {
            self.push(field, message);
        }
        Some(value)
    }
}

/// The fields whose text may hold line breaks (textareas); every other text is one line.
pub const MULTILINE_FIELDS: [&str; 4] = [
    field::SUMMARY,
    field::DESCRIPTION,
    field::ACCESSIBILITY,
    field::OUT_OF_PERIOD_REASON,
];

/// No control character in any text (NUL, ESC, a bare CR…: they break the feeds and the
/// files people download), and no line break or tab in a one-line field (a title, a city).
pub fn check_characters(field: &str, value: &str) -> Result<(), String> {
    let multiline = MULTILINE_FIELDS.contains(&field);
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        let allowed = match c {
            '\n' | '\t' => multiline,
            '\r' => multiline && chars.peek() == Some(&'\n'),
            c => !c.is_control(),
        };
        if !allowed {
            return Err(if matches!(c, '\n' | '\r' | '\t') {
                "Ce champ tient sur une ligne : retirez les retours à la ligne.".into()
            } else {
                "Ce champ contient un caractère invisible interdit (caractère de contrôle) : retapez-le sans copier-coller depuis un autre logiciel.".into()
            });
        }
    }
    Ok(())
}

/// An address on the web that people can open: http or https, with a host name.
pub fn check_url(value: &str) -> Result<(), String> {
    const MESSAGE: &str =
        "Indiquez une adresse web complète commençant par https:// (ou http://), par exemple https://www.exemple.gouv.fr/inscription.";
    if chars(value) > URL_MAX {
        return Err(format!(
            "L'adresse ne doit pas dépasser {URL_MAX} caractères."
        ));
    }
    let (scheme, host) = parse_web_address(value).ok_or_else(|| MESSAGE.to_string())?;
    let host_ok = host.contains('.') || host == "localhost";
    if !matches!(scheme.as_str(), "http" | "https")
        || !host_ok
        || value.contains(char::is_whitespace)
    {
        return Err(MESSAGE.to_string());
    }
    Ok(())
}

/// The scheme (without `:`) and host of an absolute URL, parsed by the WHATWG URL standard:
/// the `url` crate on the server, the browser's own `URL` in the wasm (the same standard,
/// without shipping the `url` crate's Unicode tables, ~100 kB, to every visitor).
fn parse_web_address(value: &str) -> Option<(String, String)> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let parsed = url::Url::parse(value).ok()?;
        Some((
            parsed.scheme().to_string(),
            parsed.host_str().unwrap_or_default().to_string(),
        ))
    }
    #[cfg(all(target_arch = "wasm32", not(feature = "hydrate")))]
    {
        let _ = value;
        None
    }
    #[cfg(all(target_arch = "wasm32", feature = "hydrate"))]
    {
        let parsed = web_sys::Url::new(value).ok()?;
        let scheme = parsed.protocol().trim_end_matches(':').to_string();
        Some((scheme, parsed.hostname()))
    }
}

/// An e-mail address we can write to.
pub fn check_email(value: &str) -> Result<(), String> {
    const MESSAGE: &str =
        "Indiquez une adresse électronique valide, par exemple prenom.nom@exemple.gouv.fr.";
    let value = value.trim();
    if value.is_empty() {
        return Err("Indiquez une adresse électronique.".into());
    }
    if chars(value) > EMAIL_MAX {
        return Err(format!(
            "L'adresse ne doit pas dépasser {EMAIL_MAX} caractères."
        ));
    }
    let domain_has_dot = value
        .rsplit_once('@')
        .is_some_and(|(_, domain)| domain.contains('.') && !domain.ends_with('.'));
    if !email_address::EmailAddress::is_valid(value)
        || !domain_has_dot
        || value.contains(['"', ' '])
    {
        return Err(MESSAGE.into());
    }
    Ok(())
}

/// Years a date may have: the platform's past editions and the decades ahead. A year
/// outside (`+10000`, `0002`) is a typing mistake or an attack, never an event.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// Parses `2026-11-10T14:00` (with or without seconds), as browsers send it: four digits of
/// year within [`YEARS`].
pub fn parse_local(value: &str) -> Option<NaiveDateTime> {
    use chrono::Datelike;
    let value = value.trim();
    if value.len() < 16 || !value.as_bytes()[..4].iter().all(u8::is_ascii_digit) {
        return None;
    }
    NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S"))
        .ok()
        .filter(|at| YEARS.contains(&at.year()))
}

/// A date alone, `2026-11-10`, within [`YEARS`]: an all-day event's day.
pub fn parse_day(value: &str) -> Option<NaiveDate> {
    use chrono::Datelike;
    let value = value.trim();
    if value.len() != 10 || !value.as_bytes()[..4].iter().all(u8::is_ascii_digit) {
        return None;
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .ok()
        .filter(|day| YEARS.contains(&day.year()))
}

/// The last day of an all-day event that ends at `end` (midnight after its last day).
pub fn last_day(end: NaiveDateTime) -> NaiveDate {
    (end - chrono::Duration::minutes(1)).date()
}

/// The form value of a wall-clock time.
pub fn format_local(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert!(check_email("agent@modernisation.gouv.fr").is_ok());
        for bad in [
            "",
            "agent",
            "agent@",
            "@gouv.fr",
            "a b@gouv.fr",
            "agent@gouv",
            "agent@gouv.fr.",
        ] {
            assert!(check_email(bad).is_err(), "{bad}");
        }
    }
}

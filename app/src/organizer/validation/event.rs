//! The event's rules, section by section of the form (texts and themes, who organizes, place,
//! time, registration and contact), in the order their messages are listed.
use chrono::NaiveDateTime;

use super::rules::*;
use super::EventInput;
use crate::checks::field::*;
use crate::checks::{
    check_email, last_day, optional, parse_day, parse_local, Collector, SHORT_TEXT_MAX,
};
use crate::error::FieldError;
use crate::reference::{Mode, NATIONAL_REGION};

/// The texts of a valid event: title, summary, description.
struct Texts {
    title: String,
    summary: String,
    description: String,
}

/// Who organizes, and for whom: format, audience, structure, its type, its lab.
struct Organizer {
    format_id: i64,
    audience_id: Option<i64>,
    structure_name: String,
    organizer_type_id: i64,
    lab_id: Option<i64>,
}

/// Where: the region and department, the venue, the online link.
struct Place {
    region_code: String,
    department_code: Option<String>,
    city: Option<String>,
    venue_name: Option<String>,
    venue_address: Option<String>,
    postal_code: Option<String>,
    online_url: Option<String>,
}

/// When: the bounds (when they parse), whether all day, the reason of an event out of period.
struct Time {
    starts: Option<NaiveDateTime>,
    ends: Option<NaiveDateTime>,
    all_day: bool,
    out_of_period_reason: Option<String>,
}

/// Registration, capacity, contact and accessibility.
struct Practical {
    registration_url: Option<String>,
    capacity: Option<i64>,
    contact_name: Option<String>,
    contact_email: Option<String>,
    accessibility: String,
}

impl EventInput {
    /// Every rule at once; the error lists one message per field that fails.
    pub fn validate(&self, rules: &Rules) -> Result<ValidEvent, Vec<FieldError>> {
        let mut c = Collector(Vec::new());

        let texts = self.check_texts(rules, &mut c);
        let themes = self.check_themes(rules, &mut c);
        let organizer = self.check_organizer(rules, &mut c);
        let mode = self.check_mode(&mut c);
        let place = self.check_place(rules, mode, &mut c);
        let time = self.check_time(rules, &mut c);
        let practical = self.check_practical(&mut c);

        if !c.0.is_empty() {
            return Err(c.0);
        }
        Ok(ValidEvent {
            title: texts.title,
            summary: texts.summary,
            description: texts.description,
            themes,
            format_id: organizer.format_id,
            mode,
            audience_id: organizer.audience_id,
            structure_name: organizer.structure_name,
            organizer_type_id: organizer.organizer_type_id,
            lab_id: organizer.lab_id,
            region_code: place.region_code,
            department_code: place.department_code,
            city: place.city,
            venue_name: place.venue_name,
            venue_address: place.venue_address,
            postal_code: place.postal_code,
            online_url: place.online_url,
            starts_local: time.starts.expect("checked"),
            ends_local: time.ends.expect("checked"),
            all_day: time.all_day,
            out_of_period_reason: time.out_of_period_reason,
            registration_url: practical.registration_url,
            capacity: practical.capacity,
            contact_name: practical.contact_name,
            contact_email: practical.contact_email,
            accessibility: practical.accessibility,
        })
    }

    /// The message for one field, if it fails (what the form shows next to it).
    pub fn error_for(&self, rules: &Rules, name: &str) -> Option<String> {
        self.validate(rules)
            .err()?
            .into_iter()
            .find(|e| e.field == name)
            .map(|e| e.message)
    }

    /// Title, summary and description.
    fn check_texts(&self, rules: &Rules, c: &mut Collector) -> Texts {
        let title = c.required_text(
            TITLE,
            &self.title,
            TITLE_MAX,
            "Indiquez le titre de l'événement.",
        );
        // In an archive edition what history does not tell stays empty (never invented).
        let summary = if rules.archive {
            c.optional_text(SUMMARY, &self.summary, SUMMARY_MAX)
                .unwrap_or_default()
        } else {
            c.required_text(
                SUMMARY,
                &self.summary,
                SUMMARY_MAX,
                "Indiquez un résumé de l'événement en quelques phrases.",
            )
        };
        let description = self.description.trim().to_string();
        c.max_len(DESCRIPTION, &description, DESCRIPTION_MAX);
        Texts {
            title,
            summary,
            description,
        }
    }

    /// One to three known themes, sorted, each once.
    fn check_themes(&self, rules: &Rules, c: &mut Collector) -> Vec<i64> {
        let mut themes = self.themes.clone();
        themes.sort_unstable();
        themes.dedup();
        if themes.len() < THEMES_MIN {
            c.push(THEMES, "Choisissez au moins un thème (trois au plus).");
        } else if themes.len() > THEMES_MAX {
            c.push(
                THEMES,
                format!(
                    "Choisissez au plus {THEMES_MAX} thèmes (actuellement {}).",
                    themes.len()
                ),
            );
        } else if themes.iter().any(|t| !rules.theme_ids.contains(t)) {
            c.push(
                THEMES,
                "Un des thèmes choisis n'est plus proposé : décochez-le.",
            );
        }
        themes
    }

    /// Format, audience, structure, its type and its lab.
    fn check_organizer(&self, rules: &Rules, c: &mut Collector) -> Organizer {
        let format_id = c.choice(
            FORMAT,
            self.format_id,
            &rules.format_ids,
            "Choisissez le format de l'événement.",
        );
        let audience_id = if rules.archive && self.audience_id.is_none() {
            None
        } else {
            Some(c.choice(
                AUDIENCE,
                self.audience_id,
                &rules.audience_ids,
                "Choisissez le public visé.",
            ))
        };
        let structure_name = if rules.archive {
            c.optional_text(STRUCTURE, &self.structure_name, SHORT_TEXT_MAX)
                .unwrap_or_default()
        } else {
            c.required_text(
                STRUCTURE,
                &self.structure_name,
                SHORT_TEXT_MAX,
                "Indiquez la structure qui organise l'événement.",
            )
        };
        let organizer_type_id = c.choice(
            ORGANIZER_TYPE,
            self.organizer_type_id,
            &rules.organizer_type_ids,
            "Choisissez le type de structure.",
        );
        let lab_id = match self.lab_id {
            Some(id) if !rules.lab_ids.contains(&id) => {
                c.push(
                    LAB,
                    "Ce laboratoire n'existe plus dans l'Atlas : choisissez-en un autre.",
                );
                None
            }
            other => other,
        };
        Organizer {
            format_id,
            audience_id,
            structure_name,
            organizer_type_id,
            lab_id,
        }
    }

    /// In person, online or both (in person while unknown, so that the rest is checked).
    fn check_mode(&self, c: &mut Collector) -> Mode {
        match self.mode {
            Some(mode) => mode,
            None => {
                c.push(
                    MODE,
                    "Indiquez si l'événement a lieu en présentiel, en ligne ou les deux.",
                );
                Mode::Presentiel
            }
        }
    }

    /// Where: a venue for in-person and hybrid events, a link for online and hybrid ones.
    fn check_place(&self, rules: &Rules, mode: Mode, c: &mut Collector) -> Place {
        let (region_code, department_code) = self.check_region(rules, mode, c);
        let (city, venue_name, venue_address, postal_code) = self.check_venue(rules, mode, c);
        let online_url = if mode.is_online() {
            let url = c.url(ONLINE_URL, &self.online_url);
            if url.is_none() && !rules.archive {
                c.push(
                    ONLINE_URL,
                    "Indiquez le lien où suivre l'événement en ligne (https://…).",
                );
            }
            url
        } else {
            None
        };
        Place {
            region_code,
            department_code,
            city,
            venue_name,
            venue_address,
            postal_code,
            online_url,
        }
    }

    /// The region (national for an online event without one) and the department, in it.
    fn check_region(
        &self,
        rules: &Rules,
        mode: Mode,
        c: &mut Collector,
    ) -> (String, Option<String>) {
        let region_input = self.region_code.trim();
        let region_code = if mode.has_venue() {
            if region_input.is_empty() || region_input == NATIONAL_REGION {
                c.push(REGION, "Choisissez la région du lieu de l'événement.");
            }
            region_input.to_string()
        } else if region_input.is_empty() {
            NATIONAL_REGION.to_string()
        } else {
            region_input.to_string()
        };
        if !region_code.is_empty()
            && region_code != NATIONAL_REGION
            && !rules.region_codes.contains(&region_code)
        {
            c.push(
                REGION,
                "Cette région n'existe pas : choisissez-la dans la liste.",
            );
        }
        let department_code = if mode.has_venue() {
            optional(&self.department_code)
        } else {
            None
        };
        if let Some(department) = &department_code {
            match rules
                .departments
                .iter()
                .find(|(code, _)| code == department)
            {
                None => c.push(
                    DEPARTMENT,
                    "Ce département n'existe pas : choisissez-le dans la liste.",
                ),
                Some((_, region)) if *region != region_code => c.push(
                    DEPARTMENT,
                    "Ce département n'est pas dans la région choisie.",
                ),
                _ => {}
            }
        }
        (region_code, department_code)
    }

    /// City, venue name, address and postal code of the venue (the city alone online).
    #[allow(clippy::type_complexity)]
    fn check_venue(
        &self,
        rules: &Rules,
        mode: Mode,
        c: &mut Collector,
    ) -> (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    ) {
        if mode.has_venue() {
            let (city, address) = if rules.archive {
                (
                    c.optional_text(CITY, &self.city, SHORT_TEXT_MAX),
                    c.optional_text(VENUE_ADDRESS, &self.venue_address, ADDRESS_MAX),
                )
            } else {
                (
                    Some(c.required_text(
                        CITY,
                        &self.city,
                        SHORT_TEXT_MAX,
                        "Indiquez la commune du lieu.",
                    )),
                    Some(c.required_text(
                        VENUE_ADDRESS,
                        &self.venue_address,
                        ADDRESS_MAX,
                        "Indiquez l'adresse du lieu (numéro et rue).",
                    )),
                )
            };
            let venue = c.optional_text(VENUE_NAME, &self.venue_name, SHORT_TEXT_MAX);
            let postal = optional(&self.postal_code);
            if let Some(code) = &postal {
                let valid = code.len() == 5 && code.bytes().all(|b| b.is_ascii_digit());
                if !valid {
                    c.push(
                        POSTAL_CODE,
                        "Le code postal comporte 5 chiffres, par exemple 75007.",
                    );
                }
            }
            (city, venue, address, postal)
        } else {
            // An online event has no venue, but the commune of its organizers, when given, is
            // kept: search and the edition report read it.
            (
                c.optional_text(CITY, &self.city, SHORT_TEXT_MAX),
                None,
                None,
                None,
            )
        }
    }

    /// When: wall-clock times at the venue, within the month unless explained. A date
    /// alone (both bounds, or the start with no end) is an all-day event.
    fn check_time(&self, rules: &Rules, c: &mut Collector) -> Time {
        let start_day = parse_day(&self.starts_local);
        let all_day = start_day.is_some();
        let (starts, ends) = match start_day {
            Some(first) => {
                let last = if self.ends_local.trim().is_empty() {
                    Some(first)
                } else {
                    parse_day(&self.ends_local)
                };
                (
                    first.and_hms_opt(0, 0, 0),
                    last.and_then(|d| d.succ_opt())
                        .and_then(|d| d.and_hms_opt(0, 0, 0)),
                )
            }
            None => (
                parse_local(&self.starts_local),
                parse_local(&self.ends_local),
            ),
        };
        if all_day && ends.is_none() {
            c.push(
                ENDS,
                "Pour un événement sans horaires, indiquez le dernier jour seul (par exemple \
                 2026-11-12), ou laissez vide s'il dure un jour.",
            );
        } else if starts.is_none() {
            c.push(
                STARTS,
                if self.starts_local.trim().is_empty() {
                    "Indiquez la date et l'heure de début."
                } else {
                    "Indiquez une date et une heure valides, par exemple 10/11/2026 14:00."
                },
            );
        }
        if ends.is_none() && !all_day {
            c.push(
                ENDS,
                if self.ends_local.trim().is_empty() {
                    "Indiquez la date et l'heure de fin."
                } else {
                    "Indiquez une date et une heure valides, par exemple 10/11/2026 16:00."
                },
            );
        }
        if let (Some(start), Some(end)) = (starts, ends) {
            if end <= start {
                c.push(ENDS, "La fin doit être après le début.");
            } else if !self.out_of_period && (end - start).num_days() > MAX_DAYS {
                c.push(
                    ENDS,
                    format!(
                        "Un événement dure au plus {MAX_DAYS} jours. Plus long, cochez « hors période » \
                         et donnez-en la raison (jusqu'à {MAX_DAYS_OUT_OF_PERIOD} jours)."
                    ),
                );
            } else if (end - start).num_days() > MAX_DAYS_OUT_OF_PERIOD {
                c.push(
                    ENDS,
                    format!("Un événement hors période dure au plus {MAX_DAYS_OUT_OF_PERIOD} jours (trois mois)."),
                );
            }
        }
        let out_of_period_reason = self.check_period(rules, starts, ends, all_day, c);
        Time {
            starts,
            ends,
            all_day,
            out_of_period_reason,
        }
    }

    /// Within the edition's month, or out of period with its reason.
    fn check_period(
        &self,
        rules: &Rules,
        starts: Option<NaiveDateTime>,
        ends: Option<NaiveDateTime>,
        all_day: bool,
        c: &mut Collector,
    ) -> Option<String> {
        if self.out_of_period {
            let reason = c.required_text(
                OUT_OF_PERIOD_REASON,
                &self.out_of_period_reason,
                LONG_TEXT_MAX,
                "Expliquez pourquoi l'événement a lieu en dehors du Mois.",
            );
            Some(reason)
        } else {
            if let Some(start) = starts {
                if start.date() < rules.edition_starts_on || start.date() > rules.edition_ends_on {
                    c.push(STARTS, period_message(rules));
                }
            }
            if let Some(end) = ends {
                let end = if all_day { last_day(end) } else { end.date() };
                if end < rules.edition_starts_on || end > rules.edition_ends_on {
                    c.push(ENDS, period_message(rules));
                }
            }
            None
        }
    }

    /// Registration link, capacity, contact and accessibility.
    fn check_practical(&self, c: &mut Collector) -> Practical {
        let registration_url = c.url(REGISTRATION_URL, &self.registration_url);
        let capacity = match optional(&self.capacity) {
            None => None,
            Some(text) => match text.replace([' ', '\u{a0}', '\u{202f}'], "").parse::<i64>() {
                Ok(n) if (1..=CAPACITY_MAX).contains(&n) => Some(n),
                _ => {
                    c.push(
                        CAPACITY,
                        "Indiquez un nombre de places entier et positif, ou laissez vide.",
                    );
                    None
                }
            },
        };
        let contact_name = c.optional_text(CONTACT_NAME, &self.contact_name, SHORT_TEXT_MAX);
        let contact_email = optional(&self.contact_email);
        if let Some(email) = &contact_email {
            if let Err(message) = check_email(email) {
                c.push(CONTACT_EMAIL, message);
            }
        }
        let accessibility = self.accessibility.trim().to_string();
        c.max_len(ACCESSIBILITY, &accessibility, LONG_TEXT_MAX);
        Practical {
            registration_url,
            capacity,
            contact_name,
            contact_email,
            accessibility,
        }
    }
}

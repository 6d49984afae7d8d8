//! The events of one edition of the demo, drawn one by one (the order of the draws is the
//! demo's: the same seed gives the same events).
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Utc, Weekday};
use rand::seq::{IndexedRandom, SliceRandom};
use rand::Rng;
use sqlx::{Sqlite, Transaction};

use app::events::tz;
use app::reference::{Mode, NATIONAL_REGION};
use app::time::timestamp;

use super::content::*;
use super::generator::{
    capitalize, pick_weighted, region_weight, ymd, EditionPlan, Generator, Organizer,
};
use super::DemoError;

impl Generator {
    fn event_day(&mut self, first: NaiveDate, last: NaiveDate) -> NaiveDate {
        let days: Vec<(NaiveDate, u32)> = first
            .iter_days()
            .take_while(|d| *d <= last)
            .map(|d| {
                let w = match d.weekday() {
                    Weekday::Sat => 2,
                    Weekday::Sun => 1,
                    _ => 20,
                };
                (d, w)
            })
            .collect();
        *pick_weighted(&mut self.rng, &days)
    }

    /// The events of one edition. Returns (published, all).
    pub(super) async fn events(
        &mut self,
        tx: &mut Transaction<'_, Sqlite>,
        plan: &EditionPlan,
        organizers: &[Organizer],
        labs: &[(i64, String)],
    ) -> Result<(usize, usize), DemoError> {
        let first = ymd(plan.year, plan.starts);
        let last = ymd(plan.year, plan.ends);
        let ref_open = ymd(plan.year, plan.referencing.0);
        let ref_close = ymd(plan.year, plan.referencing.1);
        let region_weights: Vec<(String, u32)> = self
            .regions
            .iter()
            .map(|r| (r.code.clone(), region_weight(&r.code)))
            .collect();
        // Themes: the theme of the year and the user service lead, as in the real reports.
        let theme_weights: Vec<(usize, u32)> = self
            .themes
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let w = if t.slug == plan.theme_slug {
                    14
                } else if t.slug == "service-usager" {
                    16
                } else if t.slug == "innovation-manageriale" {
                    10
                } else if t.slug == "innovation-territoriale" {
                    9
                } else {
                    5
                };
                (i, w)
            })
            .collect();
        let mut published = 0;
        for index in 0..plan.events {
            let (region_code, time_zone, organizer) =
                self.draw_region(index, &region_weights, organizers)?;
            let national = region_code == NATIONAL_REGION;
            let (format_slug, format_id, mode) = self.draw_format(national);
            let texts = self.draw_texts(&theme_weights, &format_slug, organizer);
            let (starts_local, ends_local) = self.draw_time(first, last, &format_slug);
            let starts_at = tz::to_utc(starts_local, &time_zone)
                .ok_or_else(|| DemoError::Data(format!("time {starts_local} in {time_zone}")))?;
            let ends_at = tz::to_utc(ends_local, &time_zone)
                .ok_or_else(|| DemoError::Data(format!("time {ends_local} in {time_zone}")))?;
            let place = self.draw_place(mode, &region_code)?;
            let practical =
                self.draw_practical(&texts.title, mode, organizer, &region_code, labs)?;
            let workflow = self.draw_workflow(index, plan, ref_open, ref_close, starts_at);
            if workflow.status == "published" {
                published += 1;
            }

            let event_id: i64 = sqlx::query_scalar(
                "INSERT INTO events (edition_year, organizer_id, slug, title, summary, description, \
                    format_id, mode, audience_id, structure_name, organizer_type_id, lab_id, \
                    region_code, department_code, city, venue_name, venue_address, postal_code, \
                    online_url, starts_at, ends_at, time_zone, registration_url, capacity, \
                    contact_name, contact_email, accessibility, status, moderation_note, \
                    submitted_at, reviewed_at, published_at, cancelled_at, version, created_at, updated_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
                 RETURNING id",
            )
            .bind(plan.year)
            .bind(organizer.id)
            .bind(&practical.slug)
            .bind(&texts.title)
            .bind(&texts.summary)
            .bind(&texts.description)
            .bind(format_id)
            .bind(mode.as_str())
            .bind(practical.audience_id)
            .bind(&organizer.structure)
            .bind(practical.organizer_type_id)
            .bind(practical.lab_id)
            .bind(&region_code)
            .bind(&place.department)
            .bind(&place.city)
            .bind(&place.venue_name)
            .bind(&place.venue_address)
            .bind(&place.postal_code)
            .bind(&practical.online_url)
            .bind(timestamp(starts_at))
            .bind(timestamp(ends_at))
            .bind(&time_zone)
            .bind(&practical.registration_url)
            .bind(practical.capacity)
            .bind(&practical.contact_name)
            .bind(&practical.contact_email)
            .bind(practical.accessibility)
            .bind(workflow.status)
            .bind(workflow.moderation_note)
            .bind(workflow.submitted.map(timestamp))
            .bind(workflow.reviewed.map(timestamp))
            .bind(workflow.published_at.map(timestamp))
            .bind(workflow.cancelled_at.map(timestamp))
            .bind(workflow.version)
            .bind(timestamp(workflow.created))
            .bind(timestamp(workflow.updated))
            .fetch_one(&mut **tx)
            .await?;
            for t in &texts.theme_indexes {
                sqlx::query("INSERT INTO event_themes (event_id, theme_id) VALUES (?, ?)")
                    .bind(event_id)
                    .bind(self.themes[*t].id)
                    .execute(&mut **tx)
                    .await?;
            }
        }
        Ok((published, plan.events))
    }

    /// The region of the `index`th event (the first events visit every region, so that each
    /// has at least one), its time zone, and one of its organizers.
    fn draw_region<'o>(
        &mut self,
        index: usize,
        region_weights: &[(String, u32)],
        organizers: &'o [Organizer],
    ) -> Result<(String, String, &'o Organizer), DemoError> {
        let region_code = if index < self.regions.len() {
            self.regions[index].code.clone()
        } else {
            pick_weighted(&mut self.rng, region_weights).clone()
        };
        let region = self
            .regions
            .iter()
            .find(|r| r.code == region_code)
            .ok_or_else(|| DemoError::Data("region".into()))?;
        let time_zone = region.time_zone.clone();

        let local_organizers: Vec<&Organizer> = organizers
            .iter()
            .filter(|o| o.region == region_code)
            .collect();
        let organizer = *local_organizers
            .choose(&mut self.rng)
            .ok_or_else(|| DemoError::Data(format!("no organizer in {region_code}")))?;
        Ok((region_code, time_zone, organizer))
    }

    /// The format (slug and id) and the mode that fits it (online for a national event).
    fn draw_format(&mut self, national: bool) -> (String, i64, Mode) {
        let format_index = self.rng.random_range(0..self.formats.len());
        let format_slug = self.formats[format_index].slug.clone();
        let format_id = self.formats[format_index].id;
        let mode = if national || matches!(format_slug.as_str(), "webinaire" | "podcast") {
            Mode::EnLigne
        } else if matches!(format_slug.as_str(), "visite" | "exposition") {
            Mode::Presentiel
        } else {
            *pick_weighted(
                &mut self.rng,
                &[
                    (Mode::Presentiel, 6u32),
                    (Mode::Hybride, 2),
                    (Mode::EnLigne, 2),
                ],
            )
        };
        (format_slug, format_id, mode)
    }

    /// One to three themes, and the title, summary and description on the main one.
    fn draw_texts(
        &mut self,
        theme_weights: &[(usize, u32)],
        format_slug: &str,
        organizer: &Organizer,
    ) -> Texts {
        let theme_count = *pick_weighted(&mut self.rng, &[(1usize, 5), (2, 4), (3, 2)]);
        let mut theme_indexes = Vec::new();
        while theme_indexes.len() < theme_count {
            let t = *pick_weighted(&mut self.rng, theme_weights);
            if !theme_indexes.contains(&t) {
                theme_indexes.push(t);
            }
        }
        let main_theme = self.themes[theme_indexes[0]].slug.clone();
        let topics = TOPICS
            .iter()
            .find(|(s, _)| *s == main_theme)
            .map(|(_, t)| *t)
            .unwrap_or(&["l'innovation publique"]);
        let topic = topics.choose(&mut self.rng).copied().unwrap_or_default();
        let prefixes = FORMAT_TITLES
            .iter()
            .find(|(s, _)| *s == format_slug)
            .map(|(_, p)| *p)
            .unwrap_or(&[""]);
        let prefix = prefixes.choose(&mut self.rng).copied().unwrap_or_default();
        let title = if prefix.ends_with(' ') && !prefix.ends_with(": ") && !prefix.ends_with("– ")
        {
            format!("{prefix}{topic}")
        } else {
            format!("{prefix}{}", capitalize(topic))
        };
        let summary = SUMMARIES
            .choose(&mut self.rng)
            .copied()
            .unwrap_or_default()
            .replace("{structure}", &organizer.structure)
            .replace("{topic}", topic);
        let description = {
            let mut paragraphs: Vec<&str> = DESCRIPTIONS.to_vec();
            paragraphs.shuffle(&mut self.rng);
            paragraphs[..3]
                .iter()
                .map(|p| {
                    p.replace("{structure}", &organizer.structure)
                        .replace("{topic}", topic)
                })
                .collect::<Vec<_>>()
                .join("\n\n")
        };
        Texts {
            theme_indexes,
            title,
            summary,
            description,
        }
    }

    /// When: a day of the month, during office hours, for a duration fitting the format
    /// (wall-clock times at the venue).
    fn draw_time(
        &mut self,
        first: NaiveDate,
        last: NaiveDate,
        format_slug: &str,
    ) -> (NaiveDateTime, NaiveDateTime) {
        let day = self.event_day(first, last);
        let start_minutes = self.rng.random_range(18..=32) * 30; // 9:00 to 16:00
        let duration_minutes: i64 = match format_slug {
            "webinaire" | "podcast" => [45, 60, 90][self.rng.random_range(0..3)],
            "exposition" => 0,
            "hackathon" => 0,
            "visite" => [60, 90, 120][self.rng.random_range(0..3)],
            "module-formation" | "atelier-participatif" | "session-creative" => {
                [120, 150, 180][self.rng.random_range(0..3)]
            }
            _ => [90, 120][self.rng.random_range(0..2)],
        };
        match format_slug {
            "exposition" => {
                let end_day = (day + Duration::days(self.rng.random_range(2..=9))).min(last);
                (
                    day.and_hms_opt(9, 0, 0).unwrap_or_default(),
                    end_day.and_hms_opt(17, 30, 0).unwrap_or_default(),
                )
            }
            "hackathon" => {
                let end_day = (day + Duration::days(1)).min(last);
                let end_time = if end_day == day { (18, 0) } else { (17, 0) };
                (
                    day.and_hms_opt(9, 0, 0).unwrap_or_default(),
                    end_day
                        .and_hms_opt(end_time.0, end_time.1, 0)
                        .unwrap_or_default(),
                )
            }
            _ => {
                let start =
                    day.and_hms_opt(0, 0, 0).unwrap_or_default() + Duration::minutes(start_minutes);
                (start, start + Duration::minutes(duration_minutes))
            }
        }
    }

    /// Where: a city of the region, a venue and a street, for an event with a venue.
    fn draw_place(&mut self, mode: Mode, region_code: &str) -> Result<Place, DemoError> {
        if !mode.has_venue() {
            return Ok(Place::default());
        }
        let cities: Vec<(String, String, String)> = self
            .cities_of(region_code)
            .into_iter()
            .map(|c| (c.department.clone(), c.name.clone(), c.postal_code.clone()))
            .collect();
        let (c_department, c_name, c_postal) = cities
            .choose(&mut self.rng)
            .cloned()
            .ok_or_else(|| DemoError::Data(format!("no city in {region_code}")))?;
        let venue = [
            "Salle du conseil",
            "Médiathèque",
            "Hôtel de préfecture",
            "Maison France Services",
            "Tiers-lieu numérique",
            "Auditorium",
            "Salle polyvalente",
            "Centre administratif",
        ][self.rng.random_range(0..8)];
        let street = [
            "rue de la République",
            "avenue Jean-Jaurès",
            "place de la Mairie",
            "boulevard Victor-Hugo",
            "rue Pasteur",
            "quai des Arts",
            "rue de la Liberté",
        ][self.rng.random_range(0..7)];
        Ok(Place {
            department: Some(c_department),
            city: Some(c_name),
            postal_code: Some(c_postal),
            venue_name: Some(venue.to_string()),
            venue_address: Some(format!("{} {street}", self.rng.random_range(1..120))),
        })
    }

    /// The slug (from the title), links, capacity, audience, lab, accessibility and contact.
    fn draw_practical(
        &mut self,
        title: &str,
        mode: Mode,
        organizer: &Organizer,
        region_code: &str,
        labs: &[(i64, String)],
    ) -> Result<Practical, DemoError> {
        let slug = self.unique_slug(title);
        let online_url = mode
            .is_online()
            .then(|| format!("https://visio.example.org/{}", slug));
        let registration_url = (self.rng.random_range(0..10) < 7)
            .then(|| format!("https://inscription.example.org/{}", slug));
        let capacity = (mode.has_venue() && self.rng.random_bool(0.7))
            .then(|| self.rng.random_range(2..=30) * 10);
        let audience_id = self
            .audiences
            .choose(&mut self.rng)
            .map(|a| a.id)
            .unwrap_or(1);
        let organizer_type_id = Self::vocab_id(&self.organizer_types, &organizer.type_slug)?;
        let lab_id = if organizer.type_slug == "laboratoire-innovation" {
            labs.iter()
                .find(|(_, r)| *r == region_code)
                .map(|(id, _)| *id)
        } else {
            None
        };
        let accessibility = ACCESSIBILITY
            .choose(&mut self.rng)
            .copied()
            .unwrap_or_default();
        let contact_name = format!(
            "{} {}",
            FIRST_NAMES
                .choose(&mut self.rng)
                .copied()
                .unwrap_or_default(),
            LAST_NAMES
                .choose(&mut self.rng)
                .copied()
                .unwrap_or_default()
        );
        let contact_email = format!(
            "contact.{}@example.org",
            slug.chars()
                .take(24)
                .collect::<String>()
                .trim_end_matches('-')
        );
        Ok(Practical {
            slug,
            online_url,
            registration_url,
            capacity,
            audience_id,
            organizer_type_id,
            lab_id,
            accessibility,
            contact_name,
            contact_email,
        })
    }

    /// Workflow: the current edition still has events in every state; the dates and the
    /// version of each step.
    fn draw_workflow(
        &mut self,
        index: usize,
        plan: &EditionPlan,
        ref_open: NaiveDate,
        ref_close: NaiveDate,
        starts_at: DateTime<Utc>,
    ) -> Workflow {
        let status = if index < self.regions.len() {
            "published"
        } else if plan.current {
            *pick_weighted(
                &mut self.rng,
                &[
                    ("published", 880u32),
                    ("cancelled", 25),
                    ("submitted", 40),
                    ("draft", 25),
                    ("changes_requested", 15),
                    ("rejected", 15),
                ],
            )
        } else {
            *pick_weighted(&mut self.rng, &[("published", 970u32), ("cancelled", 30)])
        };
        let window_days = (ref_close - ref_open).num_days().max(1);
        let created = ref_open.and_hms_opt(8, 0, 0).unwrap_or_default().and_utc()
            + Duration::days(self.rng.random_range(0..window_days))
            + Duration::minutes(self.rng.random_range(0..600));
        let submitted =
            (status != "draft").then(|| created + Duration::hours(self.rng.random_range(1..72)));
        let reviewed = submitted
            .filter(|_| status != "submitted")
            .map(|s| s + Duration::hours(self.rng.random_range(4..96)));
        let published_at = reviewed.filter(|_| matches!(status, "published" | "cancelled"));
        let cancelled_at = (status == "cancelled").then(|| starts_at - Duration::days(2));
        let updated = cancelled_at.or(reviewed).or(submitted).unwrap_or(created);
        let version: i64 = 1
            + i64::from(submitted.is_some())
            + i64::from(reviewed.is_some())
            + i64::from(cancelled_at.is_some());
        let moderation_note = match status {
            "changes_requested" => {
                Some("Merci de préciser l'adresse exacte et les modalités d'inscription.")
            }
            "rejected" => {
                Some("Cet événement ne relève pas de l'innovation publique (événement commercial).")
            }
            _ => None,
        };
        Workflow {
            status,
            created,
            submitted,
            reviewed,
            published_at,
            cancelled_at,
            updated,
            version,
            moderation_note,
        }
    }
}

/// The texts of a demo event: its themes (indexes in `Generator::themes`), title, summary and
/// description.
struct Texts {
    theme_indexes: Vec<usize>,
    title: String,
    summary: String,
    description: String,
}

/// The venue of a demo event (all `None` online).
#[derive(Default)]
struct Place {
    department: Option<String>,
    city: Option<String>,
    postal_code: Option<String>,
    venue_name: Option<String>,
    venue_address: Option<String>,
}

/// The slug, links, capacity, vocabularies and contact of a demo event.
struct Practical {
    slug: String,
    online_url: Option<String>,
    registration_url: Option<String>,
    /// `i32`, as the draw has always been (another width would change the random sequence).
    capacity: Option<i32>,
    audience_id: i64,
    organizer_type_id: i64,
    lab_id: Option<i64>,
    accessibility: &'static str,
    contact_name: String,
    contact_email: String,
}

/// The status of a demo event and the dates of its steps.
struct Workflow {
    status: &'static str,
    created: DateTime<Utc>,
    submitted: Option<DateTime<Utc>>,
    reviewed: Option<DateTime<Utc>>,
    published_at: Option<DateTime<Utc>>,
    cancelled_at: Option<DateTime<Utc>>,
    updated: DateTime<Utc>,
    version: i64,
    moderation_note: Option<&'static str>,
}

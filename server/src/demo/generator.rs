//! The demo's generator: the editions' plan, its vocabularies and places, the accounts and
//! organizing structures, the labs, and the helpers the events use too.
use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Deserialize;
use sqlx::{Sqlite, Transaction};

use app::reference::{Role, NATIONAL_REGION};
use app::time::timestamp;

use super::content::*;
use super::{DemoError, DemoSummary, DEMO_ACCOUNTS};
use crate::accounts::{self, NewAccount, NO_PASSWORD};

#[derive(Deserialize)]
pub(super) struct City {
    pub(super) department: String,
    pub(super) region: String,
    pub(super) name: String,
    pub(super) postal_code: String,
}

pub(super) struct Vocab {
    pub(super) id: i64,
    pub(super) slug: String,
}

pub(super) struct Region {
    pub(super) code: String,
    pub(super) name: String,
    pub(super) time_zone: String,
}

pub(super) struct Department {
    pub(super) code: String,
    pub(super) name: String,
}

pub(super) struct Organizer {
    pub(super) id: i64,
    pub(super) structure: String,
    pub(super) type_slug: String,
    pub(super) region: String,
}

/// One edition of the demo.
#[derive(Clone, Copy)]
pub(super) struct EditionPlan {
    pub(super) year: i32,
    pub(super) ordinal: i64,
    pub(super) theme_slug: &'static str,
    pub(super) tagline: &'static str,
    pub(super) starts: (u32, u32),
    pub(super) ends: (u32, u32),
    pub(super) referencing: ((u32, u32), (u32, u32)),
    pub(super) events: usize,
    pub(super) current: bool,
}

pub(super) const EDITIONS: [EditionPlan; 3] = [
    EditionPlan {
        year: 2024,
        ordinal: 8,
        theme_slug: "participation-citoyenne",
        tagline: "Faire avec les citoyens, partout sur le territoire.",
        starts: (11, 4),
        ends: (11, 29),
        referencing: ((9, 2), (10, 25)),
        events: 210,
        current: false,
    },
    EditionPlan {
        year: 2025,
        ordinal: 9,
        theme_slug: "simplification",
        tagline: "Simplifier, c'est innover pour les usagers et pour les agents.",
        starts: (11, 3),
        ends: (11, 28),
        referencing: ((9, 1), (10, 24)),
        events: 265,
        current: false,
    },
    EditionPlan {
        year: 2026,
        ordinal: 10,
        theme_slug: "coproduction",
        tagline: "Vous faites le programme, nous le référençons.",
        starts: (11, 2),
        ends: (11, 30),
        referencing: ((9, 1), (10, 29)),
        events: 385,
        current: true,
    },
];

/// Relative weight of each region in the programme (more events where more people live).
pub(super) fn region_weight(code: &str) -> u32 {
    match code {
        "11" => 16,
        NATIONAL_REGION => 14,
        "84" => 9,
        "76" | "75" => 8,
        "93" | "32" | "44" => 6,
        "52" | "53" => 5,
        "28" | "27" => 4,
        "24" => 3,
        "94" => 1,
        _ => 2, // overseas regions
    }
}

pub(super) fn ymd(year: i32, (month, day): (u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("valid demo date")
}

/// « de Lyon », « du Havre », « des Abymes », « d'Orléans ».
fn de(city: &str) -> String {
    if let Some(rest) = city.strip_prefix("Le ") {
        format!("du {rest}")
    } else if let Some(rest) = city.strip_prefix("Les ") {
        format!("des {rest}")
    } else if city.starts_with(['A', 'E', 'I', 'O', 'U', 'Y', 'É', 'È', 'Î']) {
        format!("d'{city}")
    } else {
        format!("de {city}")
    }
}

fn fill(template: &str, region: &str, dept: &str, city: &str) -> String {
    template
        .replace("{region}", region)
        .replace("{dept}", dept)
        .replace("{de_city}", &de(city))
        .replace("{city}", city)
}

pub(super) fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

pub(super) fn pick_weighted<'a, T>(rng: &mut ChaCha8Rng, items: &'a [(T, u32)]) -> &'a T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut roll = rng.random_range(0..total);
    for (item, weight) in items {
        if roll < *weight {
            return item;
        }
        roll -= weight;
    }
    &items[items.len() - 1].0
}

pub(super) struct Generator {
    pub(super) rng: ChaCha8Rng,
    pub(super) themes: Vec<Vocab>,
    pub(super) formats: Vec<Vocab>,
    pub(super) organizer_types: Vec<Vocab>,
    pub(super) audiences: Vec<Vocab>,
    pub(super) lab_types: Vec<Vocab>,
    pub(super) regions: Vec<Region>,
    pub(super) departments: Vec<Department>,
    pub(super) cities: Vec<City>,
    pub(super) slugs: BTreeSet<String>,
}

async fn vocab(tx: &mut Transaction<'_, Sqlite>, table: &str) -> Result<Vec<Vocab>, sqlx::Error> {
    let rows: Vec<(i64, String)> =
        // `table` is one of this module's constant names, never user input.
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT id, slug FROM {table} ORDER BY position")))
            .fetch_all(&mut **tx)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, slug)| Vocab { id, slug })
        .collect())
}

impl Generator {
    pub(super) async fn new(
        tx: &mut Transaction<'_, Sqlite>,
        seed: u64,
    ) -> Result<Self, DemoError> {
        let regions: Vec<(String, String, String)> =
            sqlx::query_as("SELECT code, name, time_zone FROM regions ORDER BY sort_order")
                .fetch_all(&mut **tx)
                .await?;
        let departments: Vec<(String, String)> =
            sqlx::query_as("SELECT code, name FROM departments ORDER BY code")
                .fetch_all(&mut **tx)
                .await?;
        let cities: Vec<City> = serde_json::from_str(include_str!("cities.json"))
            .map_err(|e| DemoError::Data(e.to_string()))?;
        Ok(Generator {
            rng: ChaCha8Rng::seed_from_u64(seed),
            themes: vocab(tx, "themes").await?,
            formats: vocab(tx, "formats").await?,
            organizer_types: vocab(tx, "organizer_types").await?,
            audiences: vocab(tx, "audiences").await?,
            lab_types: vocab(tx, "lab_types").await?,
            regions: regions
                .into_iter()
                .map(|(code, name, time_zone)| Region {
                    code,
                    name,
                    time_zone,
                })
                .collect(),
            departments: departments
                .into_iter()
                .map(|(code, name)| Department { code, name })
                .collect(),
            cities,
            slugs: BTreeSet::new(),
        })
    }

    pub(super) fn vocab_id(list: &[Vocab], slug: &str) -> Result<i64, DemoError> {
        list.iter()
            .find(|v| v.slug == slug)
            .map(|v| v.id)
            .ok_or_else(|| DemoError::Data(format!("vocabulary value {slug} missing")))
    }

    pub(super) fn cities_of(&self, region: &str) -> Vec<&City> {
        self.cities.iter().filter(|c| c.region == region).collect()
    }

    fn department_name<'a>(&'a self, code: &'a str) -> &'a str {
        self.departments
            .iter()
            .find(|d| d.code == code)
            .map(|d| d.name.as_str())
            .unwrap_or(code)
    }

    pub(super) fn unique_slug(&mut self, base: &str) -> String {
        let mut slug = slug::slugify(base);
        if slug.len() > 80 {
            let cut = slug[..80].rfind('-').unwrap_or(80);
            slug.truncate(cut);
        }
        let mut candidate = slug.clone();
        let mut n = 2;
        while !self.slugs.insert(candidate.clone()) {
            candidate = format!("{slug}-{n}");
            n += 1;
        }
        candidate
    }

    pub(super) async fn run(
        mut self,
        tx: &mut Transaction<'_, Sqlite>,
        demo_hashes: &[String],
        current_events: Option<usize>,
    ) -> Result<DemoSummary, DemoError> {
        let base_time: DateTime<Utc> = "2024-06-01T08:00:00Z".parse().expect("valid instant");
        self.editions(tx, base_time).await?;
        let (mut account_count, demo_organizer) =
            self.demo_accounts(tx, demo_hashes, base_time).await?;
        let (organizers, organizer_count) = self.organizers(tx, demo_organizer, base_time).await?;
        account_count += organizer_count;

        let labs = self.labs(tx, base_time).await?;

        let mut events = BTreeMap::new();
        for plan in &EDITIONS {
            let sized = EditionPlan {
                events: match current_events {
                    Some(n) if plan.current => n.max(self.regions.len()),
                    _ => plan.events,
                },
                ..*plan
            };
            let counts = self.events(tx, &sized, &organizers, &labs).await?;
            events.insert(plan.year, counts);
        }
        Ok(DemoSummary {
            events,
            labs: labs.len(),
            accounts: account_count,
        })
    }

    /// The three editions of [`EDITIONS`].
    async fn editions(
        &self,
        tx: &mut Transaction<'_, Sqlite>,
        base_time: DateTime<Utc>,
    ) -> Result<(), DemoError> {
        for plan in &EDITIONS {
            let theme_id = Self::vocab_id(&self.themes, plan.theme_slug)?;
            let created = timestamp(base_time + Duration::days(i64::from(plan.year - 2024) * 365));
            sqlx::query(
                "INSERT INTO editions (year, ordinal, theme_of_year_id, tagline, starts_on, ends_on, \
                    referencing_opens_on, referencing_closes_on, is_current, created_at, updated_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(plan.year)
            .bind(plan.ordinal)
            .bind(theme_id)
            .bind(plan.tagline)
            .bind(ymd(plan.year, plan.starts))
            .bind(ymd(plan.year, plan.ends))
            .bind(ymd(plan.year, plan.referencing.0))
            .bind(ymd(plan.year, plan.referencing.1))
            .bind(plan.current)
            .bind(&created)
            .bind(&created)
            .execute(&mut **tx)
            .await?;
        }

        Ok(())
    }

    /// The accounts that sign in ([`DEMO_ACCOUNTS`]): how many, and the organizer among them.
    async fn demo_accounts(
        &self,
        tx: &mut Transaction<'_, Sqlite>,
        demo_hashes: &[String],
        base_time: DateTime<Utc>,
    ) -> Result<(usize, Option<Organizer>), DemoError> {
        let mut account_count = 0;
        let mut demo_organizer = None;
        for ((role, email, name), hash) in DEMO_ACCOUNTS.iter().zip(demo_hashes) {
            let (structure, type_slug, region) = match role {
                Role::Organizer => ("Préfecture – Gironde", "service-deconcentre", Some("75")),
                _ => (
                    "Direction interministérielle de la transformation publique",
                    "administration-centrale",
                    None,
                ),
            };
            let id = accounts::insert(
                &mut **tx,
                &NewAccount {
                    email,
                    password_hash: hash,
                    name,
                    structure,
                    organizer_type_id: Some(Self::vocab_id(&self.organizer_types, type_slug)?),
                    region_code: region,
                    role: *role,
                },
                base_time,
            )
            .await?;
            account_count += 1;
            if *role == Role::Organizer {
                demo_organizer = Some(Organizer {
                    id,
                    structure: structure.to_string(),
                    type_slug: type_slug.to_string(),
                    region: "75".to_string(),
                });
            }
        }

        Ok((account_count, demo_organizer))
    }

    /// The organizing structures and their accounts (after the demo's organizer), and how
    /// many accounts were made.
    async fn organizers(
        &mut self,
        tx: &mut Transaction<'_, Sqlite>,
        demo_organizer: Option<Organizer>,
        base_time: DateTime<Utc>,
    ) -> Result<(Vec<Organizer>, usize), DemoError> {
        let mut account_count = 0;
        // The organizing structures: a few per region and organizer type, plus national ones.
        let mut organizers: Vec<Organizer> = demo_organizer.into_iter().collect();
        let mut structure_names = BTreeSet::new();
        let region_codes: Vec<String> = self.regions.iter().map(|r| r.code.clone()).collect();
        for region_code in &region_codes {
            if region_code == NATIONAL_REGION {
                for (type_slug, structure) in NATIONAL_STRUCTURES {
                    structure_names.insert(structure.to_string());
                    organizers.push(Organizer {
                        id: 0,
                        structure: structure.to_string(),
                        type_slug: type_slug.to_string(),
                        region: region_code.clone(),
                    });
                }
                continue;
            }
            let region_name = self
                .regions
                .iter()
                .find(|r| &r.code == region_code)
                .map(|r| r.name.clone())
                .unwrap_or_default();
            let per_region = 2 + region_weight(region_code) as usize;
            let cities: Vec<(String, String)> = self
                .cities_of(region_code)
                .into_iter()
                .map(|c| (c.name.clone(), c.department.clone()))
                .collect();
            let mut made = 0;
            let mut attempts = 0;
            while made < per_region && attempts < 200 {
                attempts += 1;
                let (type_slug, templates) = STRUCTURES[self.rng.random_range(0..STRUCTURES.len())];
                let template = templates
                    .choose(&mut self.rng)
                    .copied()
                    .unwrap_or("{region}");
                let (city, dept_code) = cities.choose(&mut self.rng).cloned().unwrap_or_default();
                let dept = self.department_name(&dept_code).to_string();
                let structure = fill(template, &region_name, &dept, &city);
                if structure_names.insert(structure.clone()) {
                    organizers.push(Organizer {
                        id: 0,
                        structure,
                        type_slug: type_slug.to_string(),
                        region: region_code.clone(),
                    });
                    made += 1;
                }
            }
        }
        for (n, organizer) in organizers.iter_mut().enumerate().filter(|(_, o)| o.id == 0) {
            let first = FIRST_NAMES[n % FIRST_NAMES.len()];
            let last = LAST_NAMES[(n / FIRST_NAMES.len() + n) % LAST_NAMES.len()];
            let email = format!("organisation{n:03}@example.org");
            organizer.id = accounts::insert(
                &mut **tx,
                &NewAccount {
                    email: &email,
                    password_hash: NO_PASSWORD,
                    name: &format!("{first} {last}"),
                    structure: &organizer.structure,
                    organizer_type_id: Some(Self::vocab_id(
                        &self.organizer_types,
                        &organizer.type_slug,
                    )?),
                    region_code: Some(&organizer.region),
                    role: Role::Organizer,
                },
                base_time,
            )
            .await?;
            account_count += 1;
        }

        Ok((organizers, account_count))
    }

    /// ~75 labs across every region, with the type mix of the real atlas.
    async fn labs(
        &mut self,
        tx: &mut Transaction<'_, Sqlite>,
        at: DateTime<Utc>,
    ) -> Result<Vec<(i64, String)>, DemoError> {
        let weights: Vec<(usize, u32)> = LAB_NAMES
            .iter()
            .enumerate()
            .map(|(i, (slug, _))| {
                (
                    i,
                    if *slug == "territorial-etat" || *slug == "collectivite" {
                        4
                    } else {
                        2
                    },
                )
            })
            .collect();
        let regions: Vec<(String, String)> = self
            .regions
            .iter()
            .filter(|r| r.code != NATIONAL_REGION)
            .map(|r| (r.code.clone(), r.name.clone()))
            .collect();
        let mut labs = Vec::new();
        let mut names = BTreeSet::new();
        let mut n = 0;
        while labs.len() < 75 && n < 1000 {
            n += 1;
            // Paris hosts the ministries' labs; every region has several.
            let (region_code, region_name) = if n % 6 == 0 {
                regions
                    .iter()
                    .find(|(c, _)| c == "11")
                    .cloned()
                    .unwrap_or_default()
            } else {
                regions[n % regions.len()].clone()
            };
            let type_index = *pick_weighted(&mut self.rng, &weights);
            let (type_slug, templates) = LAB_NAMES[type_index];
            let cities: Vec<(String, String)> = self
                .cities_of(&region_code)
                .into_iter()
                .map(|c| (c.name.clone(), c.department.clone()))
                .collect();
            let (city, dept_code) = cities.choose(&mut self.rng).cloned().unwrap_or_default();
            let dept = self.department_name(&dept_code).to_string();
            let ministry_n = [
                "Intérieur",
                "Travail",
                "Santé",
                "Écologie",
                "Culture",
                "Justice",
                "Armées",
            ][self.rng.random_range(0..7)];
            let name = fill(
                templates
                    .choose(&mut self.rng)
                    .copied()
                    .unwrap_or("Lab {region}"),
                &region_name,
                &dept,
                &city,
            )
            .replace("{n}", ministry_n);
            if !names.insert(name.clone()) {
                continue;
            }
            let slug = self.unique_slug(&name);
            let host = match type_slug {
                "ministeriel" => format!("Ministère ({ministry_n})"),
                "territorial-etat" => format!("Préfecture de région {region_name}"),
                "collectivite" => format!("Ville {}", de(&city)),
                "operateur" => format!("Caisse – {dept}"),
                "sante" => format!("Centre hospitalier {}", de(&city)),
                "universitaire" => format!("Université {}", de(&city)),
                _ => format!("Association – {city}"),
            };
            let created_year = self.rng.random_range(2014..=2025);
            let description = format!(
                "{name} accompagne depuis {created_year} les services publics de {region_name} \
                 dans leurs projets d'innovation : design de services, ateliers avec les usagers, \
                 expérimentations et formation des agents."
            );
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO labs (slug, name, host_structure, lab_type_id, region_code, city, \
                    website, description, created_year, latitude, longitude, created_at, updated_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            )
            .bind(&slug)
            .bind(&name)
            .bind(&host)
            .bind(Self::vocab_id(&self.lab_types, type_slug)?)
            .bind(&region_code)
            .bind(&city)
            .bind(format!("https://{slug}.example.org"))
            .bind(&description)
            .bind(created_year)
            .bind(approximate_position(&region_code, &slug).map(|p| p.0))
            .bind(approximate_position(&region_code, &slug).map(|p| p.1))
            .bind(timestamp(at))
            .bind(timestamp(at))
            .fetch_one(&mut **tx)
            .await?;
            labs.push((id, region_code));
        }
        Ok(labs)
    }
}

/// Demo coordinates of a fictitious lab: near its region's centre (mainland, from the map's
/// calibration) or its overseas capital, spread by a hash of its slug (no random draw, so
/// the rest of the demo is unchanged). Approximate by design: the labs are not real.
fn approximate_position(region_code: &str, slug: &str) -> Option<(f64, f64)> {
    let hash = slug.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let spread = |shift: u32| ((hash >> shift) & 0xffff) as f64 / 65535.0 - 0.5;
    let overseas = match region_code {
        "01" => Some((16.24, -61.53)),
        "02" => Some((14.61, -61.07)),
        "03" => Some((4.94, -52.33)),
        "04" => Some((-20.88, 55.45)),
        "06" => Some((-12.78, 45.23)),
        _ => None,
    };
    if let Some((lat, lon)) = overseas {
        return Some((lat + spread(0) * 0.2, lon + spread(16) * 0.2));
    }
    let shape = app::programme::map_data::shape(region_code)?;
    let x = shape.label_x + (spread(0) * 50.0) as f32;
    let y = shape.label_y + (spread(16) * 50.0) as f32;
    Some(app::labs::geo::unproject(x, y))
}

#[cfg(test)]
mod tests {
    use super::de;

    #[test]
    fn french_elision_and_contraction() {
        assert_eq!(de("Lyon"), "de Lyon");
        assert_eq!(de("Le Havre"), "du Havre");
        assert_eq!(de("Les Abymes"), "des Abymes");
        assert_eq!(de("Orléans"), "d'Orléans");
        assert_eq!(de("Évry-Courcouronnes"), "d'Évry-Courcouronnes");
        assert_eq!(de("La Rochelle"), "de La Rochelle");
    }
}

//! The deterministic demo: three editions (2024–2026), ~850 events, ~75 labs and the demo
//! accounts. Same seed → same rows (apart from password salts). Everything is written in one
//! transaction: a failure leaves the database as it was.
mod content;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Utc, Weekday};
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Deserialize;
use sqlx::{Sqlite, SqlitePool, Transaction};

use app::events::tz;
use app::reference::{Mode, Role, NATIONAL_REGION};
use app::time::timestamp;

use crate::accounts::{self, NewAccount, NO_PASSWORD};
use content::*;

pub const DEFAULT_SEED: u64 = 2026;

/// The demo accounts that can sign in: role, address, name. Their passwords are drawn at
/// random when the demo is loaded ([`DemoCredentials::random`]), never written in the source.
pub const DEMO_ACCOUNTS: [(Role, &str, &str); 3] = [
    (
        Role::Organizer,
        "organisatrice@example.org",
        "Camille Martin",
    ),
    (Role::Moderator, "moderation@example.org", "Nadia Benali"),
    (Role::Admin, "admin@example.org", "Julien Moreau"),
];

/// One demo account's sign-in, as kept in the credentials file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DemoCredential {
    pub role: String,
    pub email: String,
    pub password: String,
    /// Moderators and administrators sign in with a second factor: the secret (base32) to
    /// type into an authenticator app, the demo's accounts being enrolled already.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub totp_secret: Option<String>,
}

/// The passwords of the demo accounts ([`DEMO_ACCOUNTS`], in the same order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoCredentials(pub Vec<DemoCredential>);

impl DemoCredentials {
    /// Random passwords: 24 characters from an alphabet without look-alikes (≈ 135 bits),
    /// drawn from the thread's cryptographic generator (ChaCha, seeded by the system).
    pub fn random() -> Self {
        const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        let mut rng = rand::rng();
        let mut credentials = Self::with_passwords(
            DEMO_ACCOUNTS.map(|_| {
                (0..24)
                    .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
                    .collect()
            }),
            "",
        );
        for credential in &mut credentials.0 {
            if credential.totp_secret.is_some() {
                credential.totp_secret = Some(app::accounts::second_factor::new_secret());
            }
        }
        credentials
    }

    /// Given passwords, in the order of [`DEMO_ACCOUNTS`], and the staff's second factor
    /// secret (tests).
    pub fn with_passwords(passwords: [String; 3], totp_secret: &str) -> Self {
        DemoCredentials(
            DEMO_ACCOUNTS
                .iter()
                .zip(passwords)
                .map(|((role, email, _), password)| DemoCredential {
                    role: role.as_str().to_string(),
                    email: email.to_string(),
                    password,
                    totp_secret: (*role != Role::Organizer).then(|| totp_secret.to_string()),
                })
                .collect(),
        )
    }

    /// Writes them to `path`, readable and writable by the owner only (mode 0600, set when
    /// the file is created, before anything is written), replacing an older file.
    pub fn save(&self, path: &std::path::Path) -> std::io::Result<()> {
        use std::io::Write;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let _ = std::fs::remove_file(path);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(path)?;
        let json = serde_json::to_string_pretty(&self.0).map_err(std::io::Error::other)?;
        file.write_all(json.as_bytes())?;
        file.write_all(b"\n")?;
        file.sync_all()
    }

    pub fn print(&self, path: &std::path::Path) {
        println!(
            "Comptes de démonstration (données fictives ; mots de passe tirés au hasard, \
             affichés cette fois seulement et gardés dans {}, lisible par vous seul) :",
            path.display()
        );
        for account in &self.0 {
            println!(
                "  {:<10} {:<28} mot de passe : {}",
                account.role, account.email, account.password
            );
            if let Some(secret) = &account.totp_secret {
                println!(
                    "  {:<10} {:<28} double authentification, clé à saisir dans une application \
                     d'authentification : {secret}",
                    "", ""
                );
            }
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(
        "la base contient déjà des éditions : la démonstration ne se charge que dans une base vide"
    )]
    NotEmpty,
    #[error("base de données : {0}")]
    Database(#[from] sqlx::Error),
    #[error("données de démonstration invalides : {0}")]
    Data(String),
}

/// What was loaded, for the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    /// Per edition year: (published events, all events).
    pub events: BTreeMap<i32, (usize, usize)>,
    pub labs: usize,
    pub accounts: usize,
}

impl fmt::Display for DemoSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Démonstration chargée :")?;
        for (year, (published, all)) in &self.events {
            write!(f, " {year} : {published} événements publiés sur {all} ;")?;
        }
        write!(f, " {} labs ; {} comptes.", self.labs, self.accounts)
    }
}

pub async fn is_empty(pool: &SqlitePool) -> Result<bool, sqlx::Error> {
    let editions: i64 = sqlx::query_scalar("SELECT count(*) FROM editions")
        .fetch_one(pool)
        .await?;
    Ok(editions == 0)
}

#[derive(Deserialize)]
struct City {
    department: String,
    region: String,
    name: String,
    postal_code: String,
}

struct Vocab {
    id: i64,
    slug: String,
}

struct Region {
    code: String,
    name: String,
    time_zone: String,
}

struct Department {
    code: String,
    name: String,
}

struct Organizer {
    id: i64,
    structure: String,
    type_slug: String,
    region: String,
}

/// One edition of the demo.
#[derive(Clone, Copy)]
struct EditionPlan {
    year: i32,
    ordinal: i64,
    theme_slug: &'static str,
    tagline: &'static str,
    starts: (u32, u32),
    ends: (u32, u32),
    referencing: ((u32, u32), (u32, u32)),
    events: usize,
    current: bool,
}

const EDITIONS: [EditionPlan; 3] = [
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
fn region_weight(code: &str) -> u32 {
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

fn ymd(year: i32, (month, day): (u32, u32)) -> NaiveDate {
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

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn pick_weighted<'a, T>(rng: &mut ChaCha8Rng, items: &'a [(T, u32)]) -> &'a T {
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

/// The demo with random passwords, which are not kept (tests that do not sign in).
pub async fn load(pool: &SqlitePool, seed: u64) -> Result<DemoSummary, DemoError> {
    load_sized(pool, seed, None).await
}

/// The demo, with `current_events` events in the current edition instead of the usual
/// ~385 (benchmarks generate editions of 3,500 and 35,000 events this way), and random
/// passwords that are not kept.
pub async fn load_sized(
    pool: &SqlitePool,
    seed: u64,
    current_events: Option<usize>,
) -> Result<DemoSummary, DemoError> {
    load_with(pool, seed, current_events, &DemoCredentials::random()).await
}

/// The demo, its accounts signing in with `credentials`.
pub async fn load_with(
    pool: &SqlitePool,
    seed: u64,
    current_events: Option<usize>,
    credentials: &DemoCredentials,
) -> Result<DemoSummary, DemoError> {
    // Hash the demo passwords before taking the write lock (argon2 is deliberately slow).
    let mut demo_hashes = Vec::new();
    for credential in &credentials.0 {
        demo_hashes.push(
            accounts::hash_password(&credential.password)
                .map_err(|e| DemoError::Data(e.to_string()))?,
        );
    }
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let editions: i64 = sqlx::query_scalar("SELECT count(*) FROM editions")
        .fetch_one(&mut *tx)
        .await?;
    if editions > 0 {
        return Err(DemoError::NotEmpty);
    }
    let summary = Generator::new(&mut tx, seed)
        .await?
        .run(&mut tx, &demo_hashes, current_events)
        .await?;
    // The staff accounts are enrolled in the second factor with their printed secret.
    for credential in &credentials.0 {
        if let Some(secret) = &credential.totp_secret {
            sqlx::query(
                "UPDATE accounts SET totp_secret = ?, totp_enabled_at = created_at WHERE email = ?",
            )
            .bind(secret)
            .bind(&credential.email)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    Ok(summary)
}

struct Generator {
    rng: ChaCha8Rng,
    themes: Vec<Vocab>,
    formats: Vec<Vocab>,
    organizer_types: Vec<Vocab>,
    audiences: Vec<Vocab>,
    lab_types: Vec<Vocab>,
    regions: Vec<Region>,
    departments: Vec<Department>,
    cities: Vec<City>,
    slugs: BTreeSet<String>,
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
    async fn new(tx: &mut Transaction<'_, Sqlite>, seed: u64) -> Result<Self, DemoError> {
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

    fn vocab_id(list: &[Vocab], slug: &str) -> Result<i64, DemoError> {
        list.iter()
            .find(|v| v.slug == slug)
            .map(|v| v.id)
            .ok_or_else(|| DemoError::Data(format!("vocabulary value {slug} missing")))
    }

    fn cities_of(&self, region: &str) -> Vec<&City> {
        self.cities.iter().filter(|c| c.region == region).collect()
    }

    fn department_name<'a>(&'a self, code: &'a str) -> &'a str {
        self.departments
            .iter()
            .find(|d| d.code == code)
            .map(|d| d.name.as_str())
            .unwrap_or(code)
    }

    fn unique_slug(&mut self, base: &str) -> String {
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

    async fn run(
        mut self,
        tx: &mut Transaction<'_, Sqlite>,
        demo_hashes: &[String],
        current_events: Option<usize>,
    ) -> Result<DemoSummary, DemoError> {
        let base_time: DateTime<Utc> = "2024-06-01T08:00:00Z".parse().expect("valid instant");

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

        // The accounts that sign in.
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
    async fn events(
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
            // The first events visit every region, so that each has at least one.
            let region_code = if index < self.regions.len() {
                self.regions[index].code.clone()
            } else {
                pick_weighted(&mut self.rng, &region_weights).clone()
            };
            let region = self
                .regions
                .iter()
                .find(|r| r.code == region_code)
                .ok_or_else(|| DemoError::Data("region".into()))?;
            let time_zone = region.time_zone.clone();
            let national = region_code == NATIONAL_REGION;

            let local_organizers: Vec<&Organizer> = organizers
                .iter()
                .filter(|o| o.region == region_code)
                .collect();
            let organizer = *local_organizers
                .choose(&mut self.rng)
                .ok_or_else(|| DemoError::Data(format!("no organizer in {region_code}")))?;

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

            let theme_count = *pick_weighted(&mut self.rng, &[(1usize, 5), (2, 4), (3, 2)]);
            let mut theme_indexes = Vec::new();
            while theme_indexes.len() < theme_count {
                let t = *pick_weighted(&mut self.rng, &theme_weights);
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
            let title =
                if prefix.ends_with(' ') && !prefix.ends_with(": ") && !prefix.ends_with("– ") {
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

            // When: a day of the month, during office hours, for a duration fitting the format.
            let day = self.event_day(first, last);
            let start_minutes = self.rng.random_range(18..=32) * 30; // 9:00 to 16:00
            let duration_minutes: i64 = match format_slug.as_str() {
                "webinaire" | "podcast" => [45, 60, 90][self.rng.random_range(0..3)],
                "exposition" => 0,
                "hackathon" => 0,
                "visite" => [60, 90, 120][self.rng.random_range(0..3)],
                "module-formation" | "atelier-participatif" | "session-creative" => {
                    [120, 150, 180][self.rng.random_range(0..3)]
                }
                _ => [90, 120][self.rng.random_range(0..2)],
            };
            let (starts_local, ends_local): (NaiveDateTime, NaiveDateTime) = match format_slug
                .as_str()
            {
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
                    let start = day.and_hms_opt(0, 0, 0).unwrap_or_default()
                        + Duration::minutes(start_minutes);
                    (start, start + Duration::minutes(duration_minutes))
                }
            };
            let starts_at = tz::to_utc(starts_local, &time_zone)
                .ok_or_else(|| DemoError::Data(format!("time {starts_local} in {time_zone}")))?;
            let ends_at = tz::to_utc(ends_local, &time_zone)
                .ok_or_else(|| DemoError::Data(format!("time {ends_local} in {time_zone}")))?;

            // Where.
            let (department, city, postal_code, venue_name, venue_address) = if mode.has_venue() {
                let cities: Vec<(String, String, String)> = self
                    .cities_of(&region_code)
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
                (
                    Some(c_department),
                    Some(c_name),
                    Some(c_postal),
                    Some(venue.to_string()),
                    Some(format!("{} {street}", self.rng.random_range(1..120))),
                )
            } else {
                (None, None, None, None, None)
            };

            let slug = self.unique_slug(&title);
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

            // Workflow: the current edition still has events in every state.
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
            if status == "published" {
                published += 1;
            }
            let window_days = (ref_close - ref_open).num_days().max(1);
            let created = ref_open.and_hms_opt(8, 0, 0).unwrap_or_default().and_utc()
                + Duration::days(self.rng.random_range(0..window_days))
                + Duration::minutes(self.rng.random_range(0..600));
            let submitted = (status != "draft")
                .then(|| created + Duration::hours(self.rng.random_range(1..72)));
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
                "rejected" => Some(
                    "Cet événement ne relève pas de l'innovation publique (événement commercial).",
                ),
                _ => None,
            };

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
            .bind(&slug)
            .bind(&title)
            .bind(&summary)
            .bind(&description)
            .bind(format_id)
            .bind(mode.as_str())
            .bind(audience_id)
            .bind(&organizer.structure)
            .bind(organizer_type_id)
            .bind(lab_id)
            .bind(&region_code)
            .bind(&department)
            .bind(&city)
            .bind(&venue_name)
            .bind(&venue_address)
            .bind(&postal_code)
            .bind(&online_url)
            .bind(timestamp(starts_at))
            .bind(timestamp(ends_at))
            .bind(&time_zone)
            .bind(&registration_url)
            .bind(capacity)
            .bind(&contact_name)
            .bind(&contact_email)
            .bind(accessibility)
            .bind(status)
            .bind(moderation_note)
            .bind(submitted.map(timestamp))
            .bind(reviewed.map(timestamp))
            .bind(published_at.map(timestamp))
            .bind(cancelled_at.map(timestamp))
            .bind(version)
            .bind(timestamp(created))
            .bind(timestamp(updated))
            .fetch_one(&mut **tx)
            .await?;
            for t in &theme_indexes {
                sqlx::query("INSERT INTO event_themes (event_id, theme_id) VALUES (?, ?)")
                    .bind(event_id)
                    .bind(self.themes[*t].id)
                    .execute(&mut **tx)
                    .await?;
            }
        }
        Ok((published, plan.events))
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

//! CSV export of events in the import format (server only), and the import page's example
//! file: the same columns as the import (`super::import`), so that an export imports again.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::{FromRow, Row, SqlitePool};

use super::import::{status_text, write_safe_record, BOM, COLUMNS};
use crate::error::AppError;
use crate::organizer::db::EventRow;
use crate::reference::EventStatus;

/// Events read per query.
const EXPORT_BATCH: usize = 500;

/// An event's row as the organizer's form reads it, and what the export adds.
const EXPORT_SELECT: &str = "SELECT e.*, \
        (SELECT group_concat(theme_id) FROM event_themes WHERE event_id = e.id) AS themes, \
        a.email AS account_email, l.name AS lab_name, \
        (SELECT group_concat(t.label, '|') FROM (SELECT t.label FROM event_themes et \
            JOIN themes t ON t.id = et.theme_id WHERE et.event_id = e.id ORDER BY t.position) t) \
            AS theme_labels, \
        COALESCE(k.key, e.slug) AS export_key \
     FROM events e JOIN accounts a ON a.id = e.organizer_id LEFT JOIN labs l ON l.id = e.lab_id \
        LEFT JOIN event_import_keys k ON k.event_id = e.id";

/// What the export adds to an event's row.
#[derive(FromRow)]
struct ExportExtra {
    account_email: String,
    lab_name: Option<String>,
    theme_labels: Option<String>,
    export_key: String,
}

/// Every event (all editions, all statuses) in the import format. The `identifiant` is the
/// key an import gave the event, or its slug: importing the export again updates every event.
/// One query, read row by row (an event's text is its edit waiting for review, if any, as
/// the organizer's form shows it).
pub async fn export_csv(pool: &SqlitePool, now: DateTime<Utc>) -> Result<String, AppError> {
    let _ = now;
    let all_labels = |items: &[crate::reference::VocabularyItem], id: Option<i64>| {
        id.and_then(|id| items.iter().find(|i| i.id == id))
            .map(|i| i.label.clone())
            .unwrap_or_default()
    };
    // Retired values are still exported by label: read every vocabulary, retired included.
    let mut vocab: HashMap<&str, Vec<crate::reference::VocabularyItem>> = HashMap::new();
    for kind in ["formats", "audiences", "organizer_types"] {
        vocab.insert(
            kind,
            super::db::vocabulary(pool, kind)
                .await?
                .into_iter()
                .map(|e| e.item)
                .collect(),
        );
    }
    let mut out = csv::Writer::from_writer(BOM.as_bytes().to_vec());
    let fail = |e: csv::Error| AppError::internal("export csv", e);
    write_safe_record(&mut out, COLUMNS).map_err(fail)?;
    // The order first, then the rows 500 at a time, all in one read transaction (one
    // snapshot of the data).
    let mut tx = pool.begin().await?;
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM events ORDER BY edition_year, starts_at, id")
            .fetch_all(&mut *tx)
            .await?;
    for chunk in ids.chunks(EXPORT_BATCH) {
        let sql = format!(
            "{EXPORT_SELECT} WHERE e.id IN ({})",
            vec!["?"; chunk.len()].join(", ")
        );
        // Only placeholders are added to the constant query.
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for id in chunk {
            query = query.bind(id);
        }
        let mut batch: HashMap<i64, sqlx::sqlite::SqliteRow> = query
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(|row| (row.get::<i64, _>("id"), row))
            .collect();
        for row in chunk.iter().filter_map(|id| batch.remove(id)) {
            let event = EventRow::from_row(&row)?;
            let extra = ExportExtra::from_row(&row)?;
            let input = event.pending()?.unwrap_or_else(|| event.input());
            let region = input.region_code.clone();
            write_safe_record(
                &mut out,
                [
                    extra.export_key,
                    event.edition_year.to_string(),
                    status_text(EventStatus::parse(&event.status).unwrap_or(EventStatus::Draft))
                        .to_string(),
                    input.title,
                    input.summary,
                    input.description,
                    extra.theme_labels.unwrap_or_default(),
                    all_labels(&vocab["formats"], input.format_id),
                    input
                        .mode
                        .map(|m| m.as_str().to_string())
                        .unwrap_or_default(),
                    all_labels(&vocab["audiences"], input.audience_id),
                    input.structure_name,
                    all_labels(&vocab["organizer_types"], input.organizer_type_id),
                    extra.lab_name.unwrap_or_default(),
                    region,
                    input.department_code,
                    input.city,
                    input.venue_name,
                    input.venue_address,
                    input.postal_code,
                    input.online_url,
                    input.starts_local.replace('T', " "),
                    input.ends_local.replace('T', " "),
                    input.out_of_period_reason,
                    input.registration_url,
                    input.capacity,
                    input.contact_name,
                    input.contact_email,
                    input.accessibility,
                    extra.account_email,
                ],
            )
            .map_err(fail)?;
        }
    }
    tx.rollback().await?;
    String::from_utf8(
        out.into_inner()
            .map_err(|e| AppError::internal("export csv", e))?,
    )
    .map_err(|e| AppError::internal("export csv", e))
}

/// A small file that imports as is into the current edition: one row per date format (a
/// venue's local time written the French way, ISO 8601 with an offset, a date alone), with
/// the vocabularies' current labels.
pub async fn example_csv(pool: &SqlitePool, now: DateTime<Utc>) -> Result<String, AppError> {
    let o = crate::organizer::db::form_options(pool, now).await?;
    let label = |items: &[crate::reference::VocabularyItem], n: usize| {
        items
            .get(n.min(items.len().saturating_sub(1)))
            .map(|i| i.label.clone())
            .unwrap_or_default()
    };
    let day = |n: i64| o.edition.starts_on + chrono::Duration::days(n);
    let (first, second, third) = (day(7), day(9), day(14));
    let year = o.edition.year.to_string();
    let themes = |a: usize, b: usize| format!("{}|{}", label(&o.themes, a), label(&o.themes, b));
    let mut out = csv::Writer::from_writer(BOM.as_bytes().to_vec());
    let fail = |e: csv::Error| AppError::internal("example csv", e);
    write_safe_record(&mut out, COLUMNS).map_err(fail)?;
    let empty = String::new;
    let rows: [[String; 29]; 3] = [
        [
            format!("exemple-{year}-atelier"),
            year.clone(),
            "publié".into(),
            "Atelier : simplifier un formulaire avec ses usagers".into(),
            "Deux heures pour repérer ce qui bloque dans un formulaire et le réécrire avec celles et ceux qui le remplissent.".into(),
            empty(),
            themes(0, 1),
            label(&o.formats, 1),
            "presentiel".into(),
            label(&o.audiences, 0),
            "Préfecture du Rhône".into(),
            label(&o.organizer_types, 1),
            empty(),
            "84".into(),
            "69".into(),
            "Lyon".into(),
            "Salle du conseil".into(),
            "18 rue de Bonnel".into(),
            "69003".into(),
            empty(),
            format!("{} 14:00", first.format("%d/%m/%Y")),
            format!("{} 16:30", first.format("%d/%m/%Y")),
            empty(),
            empty(),
            "30".into(),
            empty(),
            empty(),
            "Salle accessible en fauteuil roulant.".into(),
            empty(),
        ],
        [
            format!("exemple-{year}-webinaire"),
            year.clone(),
            "publié".into(),
            "Webinaire : les données au service de l'usager".into(),
            "Une heure pour découvrir trois services publics qui s'appuient sur leurs données.".into(),
            empty(),
            themes(2, 3),
            label(&o.formats, 7),
            "en_ligne".into(),
            label(&o.audiences, 0),
            "Direction interministérielle de la transformation publique".into(),
            label(&o.organizer_types, 0),
            empty(),
            empty(),
            empty(),
            empty(),
            empty(),
            empty(),
            empty(),
            "https://webinaire.exemple.gouv.fr/donnees".into(),
            format!("{}T10:00:00+01:00", second.format("%Y-%m-%d")),
            format!("{}T11:00:00+01:00", second.format("%Y-%m-%d")),
            empty(),
            empty(),
            empty(),
            empty(),
            empty(),
            empty(),
            empty(),
        ],
        [
            format!("exemple-{year}-exposition"),
            year.clone(),
            "publié".into(),
            "Exposition : dix ans d'innovation territoriale".into(),
            "Une journée portes ouvertes au laboratoire d'innovation de la région.".into(),
            empty(),
            themes(2, 0),
            label(&o.formats, 5),
            "presentiel".into(),
            label(&o.audiences, 4),
            "Région Guadeloupe".into(),
            label(&o.organizer_types, 2),
            empty(),
            "01".into(),
            "971".into(),
            "Basse-Terre".into(),
            "Hôtel de région".into(),
            "Avenue Paul Lacavé".into(),
            "97100".into(),
            empty(),
            third.format("%Y-%m-%d").to_string(),
            empty(),
            empty(),
            empty(),
            empty(),
            empty(),
            empty(),
            empty(),
            empty(),
        ],
    ];
    for row in rows {
        write_safe_record(&mut out, row).map_err(fail)?;
    }
    String::from_utf8(
        out.into_inner()
            .map_err(|e| AppError::internal("example csv", e))?,
    )
    .map_err(|e| AppError::internal("example csv", e))
}

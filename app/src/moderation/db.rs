//! Moderation queries (server only).
use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{FromRow, SqliteConnection, SqlitePool};

use super::model::{
    action_label, describe_changes, similar_titles, AuditEntry, Queue, QueueItem, Review,
    QUEUE_PAGE,
};
use crate::accounts::CurrentAccount;
use crate::error::AppError;
use crate::events::tz;
use crate::organizer::audit;
use crate::organizer::db::{load, EventRow};
use crate::organizer::model::FormOptions;
use crate::organizer::validation::EventInput;
use crate::programme::fold::{fold, query_terms};
use crate::reference::EventStatus;
use crate::time::timestamp;

#[derive(FromRow)]
struct QueueRow {
    id: i64,
    version: i64,
    title: String,
    status: String,
    needs_review: bool,
    structure_name: String,
    organizer: String,
    region_code: String,
    region: String,
    city: Option<String>,
    starts_at: DateTime<Utc>,
    time_zone: String,
    out_of_period_reason: Option<String>,
    waiting_since: String,
    organizer_id: i64,
    edition_year: i64,
    theme_ids: Option<String>,
}

/// Likely duplicates of an event: same organizer, same edition, same local day, close title.
async fn duplicates(
    conn: &mut SqliteConnection,
    id: i64,
    organizer_id: i64,
    edition_year: i64,
    title: &str,
    starts_at: DateTime<Utc>,
    zone: &str,
) -> Result<Vec<(i64, String)>, AppError> {
    let day = tz::local(starts_at, zone).date();
    let candidates: Vec<(i64, String, DateTime<Utc>, String)> = sqlx::query_as(
        "SELECT id, title, starts_at, time_zone FROM events \
         WHERE organizer_id = ? AND edition_year = ? AND id <> ? AND status <> 'rejected'",
    )
    .bind(organizer_id)
    .bind(edition_year)
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(candidates
        .into_iter()
        .filter(|(_, other, at, zone)| {
            tz::local(*at, zone).date() == day && similar_titles(title, other)
        })
        .map(|(id, title, _, _)| (id, title))
        .collect())
}

/// Likely duplicates of each of `rows` (see [`duplicates`]), by event id: the candidates of
/// all their organizers read in one query, each one's local day computed once.
async fn page_duplicates(
    conn: &mut SqliteConnection,
    rows: &[QueueRow],
) -> Result<HashMap<i64, Vec<(i64, String)>>, AppError> {
    let organizers: BTreeSet<i64> = rows.iter().map(|r| r.organizer_id).collect();
    if organizers.is_empty() {
        return Ok(HashMap::new());
    }
    // Only placeholders are added to the constant query.
    let sql = format!(
        "SELECT id, organizer_id, edition_year, title, starts_at, time_zone FROM events \
         WHERE status <> 'rejected' AND organizer_id IN ({})",
        vec!["?"; organizers.len()].join(", ")
    );
    let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
    for organizer in &organizers {
        query = query.bind(organizer);
    }
    let candidates: Vec<(i64, i64, i64, String, DateTime<Utc>, String)> =
        query.fetch_all(&mut *conn).await?;
    let mut by_day: HashMap<(i64, i64, NaiveDate), Vec<(i64, String)>> = HashMap::new();
    for (id, organizer, year, title, at, zone) in candidates {
        let day = tz::local(at, &zone).date();
        by_day
            .entry((organizer, year, day))
            .or_default()
            .push((id, title));
    }
    Ok(rows
        .iter()
        .map(|row| {
            let day = tz::local(row.starts_at, &row.time_zone).date();
            let found = by_day
                .get(&(row.organizer_id, row.edition_year, day))
                .into_iter()
                .flatten()
                .filter(|(id, other)| *id != row.id && similar_titles(&row.title, other))
                .cloned()
                .collect();
            (row.id, found)
        })
        .collect())
}

/// The queue: submitted events and published events edited since their last review,
/// oldest first; `q` (folded words), `region`, `kind` (`nouveaux`, `modifies`) and `theme`
/// (id) filter it. One page of [`QUEUE_PAGE`] events is returned (`page` from 1, clamped),
/// and only its events are looked up for likely duplicates (in one query).
pub async fn queue(
    pool: &SqlitePool,
    q: &str,
    region: &str,
    kind: &str,
    theme: &str,
    page: usize,
) -> Result<Queue, AppError> {
    let rows = sqlx::query_as::<_, QueueRow>(
        "SELECT e.id, e.version, coalesce(json_extract(e.pending_input, '$.title'), e.title) AS title, e.status, e.needs_review, e.structure_name, \
            a.name AS organizer, e.region_code, r.name AS region, e.city, e.starts_at, e.time_zone, \
            coalesce(json_extract(e.pending_input, '$.out_of_period_reason'), e.out_of_period_reason) AS out_of_period_reason, \
            CASE WHEN e.status = 'submitted' THEN coalesce(e.submitted_at, e.updated_at) ELSE e.updated_at END AS waiting_since, \
            e.organizer_id, e.edition_year, \
            (SELECT group_concat(theme_id) FROM event_themes WHERE event_id = e.id) AS theme_ids \
         FROM events e JOIN accounts a ON a.id = e.organizer_id JOIN regions r ON r.code = e.region_code \
         WHERE e.status = 'submitted' OR (e.status IN ('published', 'cancelled') AND e.needs_review = 1) \
         ORDER BY waiting_since, e.id",
    )
    .fetch_all(pool)
    .await?;
    let total = rows.len();
    let terms = query_terms(q);
    let mut kept = Vec::new();
    for row in rows {
        if !region.is_empty() && row.region_code != region {
            continue;
        }
        if !theme.is_empty()
            && !row
                .theme_ids
                .as_deref()
                .unwrap_or("")
                .split(',')
                .any(|t| t == theme)
        {
            continue;
        }
        let is_edit = row.status != "submitted";
        if (kind == "nouveaux" && is_edit) || (kind == "modifies" && !is_edit) {
            continue;
        }
        if !terms.is_empty() {
            let haystack = fold(&format!(
                "{} {} {} {}",
                row.title,
                row.structure_name,
                row.organizer,
                row.city.as_deref().unwrap_or("")
            ));
            if !terms.iter().all(|t| haystack.contains(t.as_str())) {
                continue;
            }
        }
        kept.push(row);
    }
    let matching = kept.len();
    let pages = matching.div_ceil(QUEUE_PAGE).max(1);
    let page = page.clamp(1, pages);
    let shown: Vec<QueueRow> = kept
        .into_iter()
        .skip((page - 1) * QUEUE_PAGE)
        .take(QUEUE_PAGE)
        .collect();
    let mut duplicates = page_duplicates(&mut *pool.acquire().await?, &shown).await?;
    let mut items = Vec::new();
    for row in shown {
        let duplicates = duplicates.remove(&row.id).unwrap_or_default();
        items.push(QueueItem {
            id: row.id,
            version: row.version,
            status: EventStatus::parse(&row.status).unwrap_or(EventStatus::Submitted),
            needs_review: row.needs_review,
            structure: row.structure_name,
            organizer: row.organizer,
            region: row.region,
            starts_local: tz::local(row.starts_at, &row.time_zone),
            waiting_since: row.waiting_since,
            out_of_period_reason: row.out_of_period_reason.filter(|r| !r.trim().is_empty()),
            duplicates,
            title: row.title,
        });
    }
    Ok(Queue {
        items,
        total,
        matching,
        page,
        pages,
    })
}

pub async fn audit_entries(
    conn: &mut SqliteConnection,
    id: i64,
) -> Result<Vec<AuditEntry>, AppError> {
    let rows: Vec<(String, Option<String>, String, String)> = sqlx::query_as(
        "SELECT l.at, a.name, l.action, l.detail FROM audit_log l LEFT JOIN accounts a ON a.id = l.account_id \
         WHERE l.event_id = ? ORDER BY l.at DESC, l.id DESC",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(at, who, action, detail)| AuditEntry {
            at,
            who: who.unwrap_or_else(|| "compte supprimé".into()),
            action: action_label(&action).to_string(),
            detail,
        })
        .collect())
}

pub async fn review(
    pool: &SqlitePool,
    account: &CurrentAccount,
    options: &FormOptions,
    id: i64,
    public_url: &str,
) -> Result<Review, AppError> {
    let mut conn = pool.acquire().await?;
    let row = load(&mut conn, account, id).await?;
    let detail = crate::events::db::detail_by_id(&mut *conn, id, public_url)
        .await?
        .ok_or_else(|| AppError::NotFound("Cet événement n'existe pas.".into()))?;
    let (organizer_name, organizer_email): (String, String) =
        sqlx::query_as("SELECT name, email FROM accounts WHERE id = ?")
            .bind(row.organizer_id)
            .fetch_one(&mut *conn)
            .await?;
    // An edit kept aside is compared with the public text; one made under the earlier rule
    // (written into the row) with the approved text kept then.
    let changes = match (row.pending()?, &row.reviewed_snapshot) {
        (Some(pending), _) if row.needs_review => describe_changes(&row.input(), &pending, options),
        (None, Some(snapshot)) if row.needs_review => serde_json::from_str::<EventInput>(snapshot)
            .map(|before| describe_changes(&before, &row.input(), options))
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let duplicates = duplicates(
        &mut conn,
        id,
        row.organizer_id,
        row.edition_year,
        &row.title,
        row.starts_at,
        &row.time_zone,
    )
    .await?;
    Ok(Review {
        id,
        version: row.version,
        status: EventStatus::parse(&row.status).unwrap_or(EventStatus::Draft),
        needs_review: row.needs_review,
        detail,
        organizer_name,
        organizer_email,
        moderation_note: row.moderation_note.clone(),
        changes,
        duplicates,
        audit: audit_entries(&mut conn, id).await?,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Publish,
    RequestChanges,
    Reject,
}

pub const MESSAGE_MAX: usize = 2_000;

/// Applies a decision to one event inside `tx`, as the life cycle says
/// (`events::lifecycle`); returns the row as it was (for e-mails). A decision on an edit of a
/// public event concerns the edit: publishing writes it into the row, asking for changes
/// hands it back to the organizer, refusing drops it; the public version stays meanwhile.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn decide(
    tx: &mut SqliteConnection,
    account: &CurrentAccount,
    options: &FormOptions,
    id: i64,
    version: i64,
    decision: Decision,
    message: &str,
    now: DateTime<Utc>,
) -> Result<EventRow, AppError> {
    use crate::events::lifecycle::{self, Action, Actor, Content, Refusal};
    let row = load(&mut *tx, account, id).await?;
    if row.version != version {
        return Err(AppError::Conflict(
            "Cet événement a été modifié entre-temps : rechargez la page pour voir sa dernière version.".into(),
        ));
    }
    let action = match decision {
        Decision::Publish => Action::Publish,
        Decision::RequestChanges => Action::RequestChanges,
        Decision::Reject => Action::Reject,
    };
    let current = row.life_state()?;
    let actor = Actor::of(account.role, row.organizer_id == account.id);
    let outcome =
        lifecycle::decide(current, action, actor, true).map_err(|refused| match refused {
            Refusal::Conflict(_) => AppError::Conflict(format!(
                "Cet événement n'attend pas de relecture (statut : {}).",
                current.status.label()
            )),
            other => crate::organizer::db::refusal(other),
        })?;
    let message = message.trim();
    if decision != Decision::Publish {
        if message.is_empty() {
            return Err(AppError::field(
                "message",
                if decision == Decision::Reject {
                    "Indiquez la raison du refus : elle est transmise à l'organisateur."
                } else {
                    "Indiquez ce que l'organisateur doit modifier : le message lui est transmis."
                },
            ));
        }
        if message.chars().count() > MESSAGE_MAX {
            return Err(AppError::field(
                "message",
                format!("Le message ne doit pas dépasser {MESSAGE_MAX} caractères."),
            ));
        }
    }
    let at = timestamp(now);
    let next = outcome.state;
    let mut version = version;
    if outcome.content == Content::ApplyPending {
        if let Some(pending) = row.pending()? {
            let valid = pending.validate(&options.rules()).map_err(|_| {
                AppError::Conflict(
                    "Cette modification ne respecte plus les règles du formulaire (un thème ou un format a été retiré depuis) : utilisez « Modifier directement » pour la corriger avant de la publier.".into(),
                )
            })?;
            let zone = options.zone_of(&valid.region_code).to_string();
            crate::organizer::db::write_content(
                &mut *tx, id, version, &valid, &zone, next, false, now,
            )
            .await?;
            version += 1;
        }
    }
    let note = (decision != Decision::Publish).then_some(message);
    let pending_kept =
        outcome.content != Content::DiscardPending && outcome.content != Content::ApplyPending;
    let result = sqlx::query(
        "UPDATE events SET status = ?, needs_review = ?, moderation_note = ?, \
            pending_input = CASE WHEN ? THEN pending_input ELSE NULL END, \
            reviewed_snapshot = NULL, \
            published_at = CASE WHEN ? THEN coalesce(published_at, ?) ELSE published_at END, \
            reviewed_at = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
    )
    .bind(next.status.as_str())
    .bind(next.edit == lifecycle::Edit::AwaitingReview)
    .bind(note)
    .bind(pending_kept)
    .bind(next.was_published)
    .bind(&at)
    .bind(&at)
    .bind(&at)
    .bind(id)
    .bind(version)
    .execute(&mut *tx)
    .await?;
    if result.rows_affected() != 1 {
        return Err(AppError::Conflict(
            "Cet événement a été modifié entre-temps : rechargez la page.".into(),
        ));
    }
    let audit_action = match decision {
        Decision::Publish => "publish",
        Decision::RequestChanges => "request_changes",
        Decision::Reject => "reject",
    };
    audit::record(tx, id, account.id, audit_action, message, now).await?;
    Ok(row)
}

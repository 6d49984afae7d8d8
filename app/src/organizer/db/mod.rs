//! Organizer queries (server only): the form's options, the dashboard, loading and saving
//! events with optimistic concurrency (`version`), duplication.
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sqlx::{FromRow, SqliteConnection, SqlitePool};

mod row;
pub(crate) use row::{load, EventRow};

use super::columns::{insert_event_query, update_event_query, with_event_fields};
use super::model::{
    changed_fields, Dashboard, DashboardEvent, Department, EditableEvent, FormOptions, LabOption,
    SavedEvent,
};
use super::validation::{EventInput, ValidEvent};
use crate::accounts::CurrentAccount;
use crate::error::AppError;
use crate::events::{lifecycle, tz};
use crate::reference::{EventStatus, Region, Role, VocabularyItem};
use crate::time::timestamp;

macro_rules! vocabulary {
    ($table:literal) => {
        concat!(
            "SELECT id, slug, label FROM ",
            $table,
            " WHERE retired = 0 ORDER BY position"
        )
    };
}

async fn vocabulary_items(
    pool: &SqlitePool,
    sql: &'static str,
) -> Result<Vec<VocabularyItem>, AppError> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(sql).fetch_all(pool).await?;
    Ok(rows
        .into_iter()
        .map(|(id, slug, label)| VocabularyItem { id, slug, label })
        .collect())
}

pub async fn form_options(pool: &SqlitePool, now: DateTime<Utc>) -> Result<FormOptions, AppError> {
    let edition = crate::editions::db::current(pool)
        .await?
        .ok_or_else(|| AppError::NotFound("Aucune édition n'est ouverte pour le moment.".into()))?;
    let regions: Vec<(String, String, String, String, bool)> = sqlx::query_as(
        "SELECT code, name, slug, time_zone, overseas FROM regions ORDER BY sort_order",
    )
    .fetch_all(pool)
    .await?;
    let departments: Vec<(String, String, String)> =
        sqlx::query_as("SELECT code, name, region_code FROM departments ORDER BY code")
            .fetch_all(pool)
            .await?;
    let labs: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM labs ORDER BY name")
        .fetch_all(pool)
        .await?;
    Ok(FormOptions {
        edition,
        today: tz::paris_date(now),
        themes: vocabulary_items(pool, vocabulary!("themes")).await?,
        formats: vocabulary_items(pool, vocabulary!("formats")).await?,
        audiences: vocabulary_items(pool, vocabulary!("audiences")).await?,
        organizer_types: vocabulary_items(pool, vocabulary!("organizer_types")).await?,
        labs: labs
            .into_iter()
            .map(|(id, name)| LabOption { id, name })
            .collect(),
        regions: regions
            .into_iter()
            .map(|(code, name, slug, time_zone, overseas)| Region {
                code,
                name,
                slug,
                time_zone,
                overseas,
            })
            .collect(),
        departments: departments
            .into_iter()
            .map(|(code, name, region_code)| Department {
                code,
                name,
                region_code,
            })
            .collect(),
    })
}

#[derive(FromRow)]
struct LineRow {
    id: i64,
    slug: String,
    title: String,
    status: String,
    starts_at: DateTime<Utc>,
    time_zone: String,
    edition_year: i64,
    moderation_note: Option<String>,
    needs_review: bool,
    version: i64,
}

fn status_of(value: &str) -> Result<EventStatus, AppError> {
    EventStatus::parse(value)
        .ok_or_else(|| AppError::internal("event row", format!("unknown status {value}")))
}

pub async fn dashboard(
    pool: &SqlitePool,
    account: &CurrentAccount,
    now: DateTime<Utc>,
) -> Result<Dashboard, AppError> {
    let options_edition = crate::editions::db::current(pool)
        .await?
        .ok_or_else(|| AppError::NotFound("Aucune édition n'est ouverte pour le moment.".into()))?;
    let rows = sqlx::query_as::<_, LineRow>(
        "SELECT id, slug, coalesce(json_extract(pending_input, '$.title'), title) AS title, \
            status, starts_at, time_zone, edition_year, moderation_note, needs_review, version \
         FROM events WHERE organizer_id = ? ORDER BY edition_year DESC, starts_at, id",
    )
    .bind(account.id)
    .fetch_all(pool)
    .await?;
    let mut events = Vec::new();
    let mut past = Vec::new();
    for row in rows {
        let line = DashboardEvent {
            id: row.id,
            slug: row.slug,
            title: row.title,
            status: status_of(&row.status)?,
            starts_local: tz::local(row.starts_at, &row.time_zone),
            edition_year: row.edition_year as i32,
            moderation_note: row.moderation_note,
            needs_review: row.needs_review,
            version: row.version,
        };
        if line.edition_year == options_edition.year {
            events.push(line);
        } else {
            past.push(line);
        }
    }
    Ok(Dashboard {
        account: account.id,
        name: account.name.clone(),
        is_staff: matches!(account.role, Role::Moderator | Role::Admin),
        edition: options_edition,
        today: tz::paris_date(now),
        events,
        past,
    })
}

pub async fn editable(
    pool: &SqlitePool,
    account: &CurrentAccount,
    id: i64,
) -> Result<EditableEvent, AppError> {
    let mut conn = pool.acquire().await?;
    load(&mut conn, account, id).await?.editable()
}

fn conflict() -> AppError {
    AppError::Conflict(
        "Cet événement a été modifié entre-temps, dans un autre onglet ou par l'équipe de modération. Votre saisie est conservée : comparez-la avec la version enregistrée avant d'enregistrer à nouveau."
            .into(),
    )
}

/// UTC instants of the venue's wall-clock times.
fn instants(valid: &ValidEvent, zone: &str) -> Result<(DateTime<Utc>, DateTime<Utc>), AppError> {
    use super::validation::field;
    let gap = "Cette heure n'existe pas ce jour-là à cet endroit (passage à l'heure d'été) : choisissez-en une autre.";
    let starts =
        tz::to_utc(valid.starts_local, zone).ok_or_else(|| AppError::field(field::STARTS, gap))?;
    let ends =
        tz::to_utc(valid.ends_local, zone).ok_or_else(|| AppError::field(field::ENDS, gap))?;
    if ends <= starts {
        return Err(AppError::field(
            field::ENDS,
            "La fin doit être après le début.",
        ));
    }
    Ok((starts, ends))
}

async fn unique_slug(
    conn: &mut SqliteConnection,
    title: &str,
    year: i32,
) -> Result<String, AppError> {
    let mut base: String = slug::slugify(title).chars().take(80).collect();
    base = base.trim_end_matches('-').to_string();
    if base.is_empty() {
        base = "evenement".into();
    }
    let base = format!("{base}-{year}");
    let mut candidate = base.clone();
    let mut n = 2;
    loop {
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM events WHERE slug = ?")
            .bind(&candidate)
            .fetch_optional(&mut *conn)
            .await?;
        if taken.is_none() {
            return Ok(candidate);
        }
        candidate = format!("{base}-{n}");
        n += 1;
    }
}

async fn set_themes(conn: &mut SqliteConnection, id: i64, themes: &[i64]) -> Result<(), AppError> {
    sqlx::query("DELETE FROM event_themes WHERE event_id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for theme in themes {
        sqlx::query("INSERT INTO event_themes (event_id, theme_id) VALUES (?, ?)")
            .bind(id)
            .bind(theme)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub(super) fn not_found() -> AppError {
    AppError::NotFound("Cet événement n'existe pas, ou vous n'en êtes pas l'organisateur.".into())
}

/// Inserts a validated event (inside the caller's transaction); returns its id and slug.
#[allow(clippy::too_many_arguments)]
pub async fn insert_event(
    conn: &mut SqliteConnection,
    organizer_id: i64,
    edition_year: i32,
    valid: &ValidEvent,
    zone: &str,
    status: EventStatus,
    now: DateTime<Utc>,
) -> Result<(i64, String), AppError> {
    let (starts, ends) = instants(valid, zone)?;
    let at = timestamp(now);
    let slug = unique_slug(&mut *conn, &valid.title, edition_year).await?;
    let submitted = matches!(status, EventStatus::Submitted | EventStatus::Published);
    let public = matches!(status, EventStatus::Published | EventStatus::Cancelled);
    let snapshot = if public {
        Some(
            serde_json::to_string(&EventInput::from_valid(valid))
                .map_err(|e| AppError::internal("snapshot", e))?,
        )
    } else {
        None
    };
    let (starts, ends) = (timestamp(starts), timestamp(ends));
    let cancelled = status == EventStatus::Cancelled;
    let id = with_event_fields!(insert_event_query! {
        "edition_year" => i64::from(edition_year),
        "organizer_id" => organizer_id,
        "slug" => &slug,
        "status" => status.as_str(),
        "submitted_at" => submitted.then_some(at.as_str()),
        "published_at" => public.then_some(at.as_str()),
        "reviewed_snapshot" => snapshot.as_deref(),
        "cancelled_at" => cancelled.then_some(at.as_str()),
        "created_at" => &at,
        "updated_at" => &at,
    } valid, zone, &starts, &ends)
    .fetch_one(&mut *conn)
    .await?;
    set_themes(&mut *conn, id, &valid.themes).await?;
    Ok((id, slug))
}

/// An action refused by the life cycle, as the person reads it.
pub(crate) fn refusal(refused: lifecycle::Refusal) -> AppError {
    use lifecycle::Refusal;
    match refused {
        Refusal::NotFound => not_found(),
        Refusal::Forbidden(message) => AppError::Denied(message.into()),
        Refusal::Conflict(message) => AppError::Conflict(message.into()),
        Refusal::WindowClosed => AppError::Denied(lifecycle::WINDOW_CLOSED.into()),
    }
}

/// Whether organizers may still create and submit in the current edition (today, in Paris).
pub(crate) fn window_open(options: &FormOptions) -> bool {
    super::model::referencing_label(&options.edition, options.today).0
}

/// Creates an event in the current edition, as a draft or submitted for review.
///
/// `key`, made when the form opened, makes a replay harmless: a create with a key this account
/// already used writes nothing and gets the first answer again (checked inside the write
/// transaction, which writers take one at a time, and held by the table's primary key).
#[allow(clippy::too_many_arguments)]
pub async fn create(
    pool: &SqlitePool,
    account: &CurrentAccount,
    options: &FormOptions,
    valid: &ValidEvent,
    submit: bool,
    key: Option<&str>,
    now: DateTime<Utc>,
) -> Result<SavedEvent, AppError> {
    let zone = options.zone_of(&valid.region_code).to_string();
    let status = lifecycle::create(account.role, submit, window_open(options))
        .map_err(refusal)?
        .status;
    if key.is_some_and(|k| !super::validation::is_create_key(k)) {
        return Err(AppError::BadRequest(
            "la clé du formulaire n'est pas valide : rechargez la page.".into(),
        ));
    }
    let mut tx = crate::state::begin_write(pool).await?;
    if let Some(key) = key {
        let first: Option<(i64, String, String)> = sqlx::query_as(
            "SELECT event_id, status, slug FROM event_create_keys WHERE account_id = ? AND key = ?",
        )
        .bind(account.id)
        .bind(key)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some((id, status, slug)) = first {
            return Ok(SavedEvent {
                id,
                version: 1,
                status: EventStatus::parse(&status).unwrap_or(EventStatus::Draft),
                slug,
            });
        }
    }
    let (id, slug) = insert_event(
        &mut tx,
        account.id,
        options.edition.year,
        valid,
        &zone,
        status,
        now,
    )
    .await?;
    super::audit::record(&mut tx, id, account.id, "create", &valid.title, now).await?;
    if submit {
        super::audit::record(&mut tx, id, account.id, "submit", "", now).await?;
    }
    sqlx::query("DELETE FROM event_autosaves WHERE account_id = ? AND event_key = 'new'")
        .bind(account.id)
        .execute(&mut *tx)
        .await?;
    if let Some(key) = key {
        sqlx::query(
            "INSERT INTO event_create_keys (account_id, key, event_id, status, slug, created_at) \
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(account.id)
        .bind(key)
        .bind(id)
        .bind(status.as_str())
        .bind(&slug)
        .bind(timestamp(now))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(SavedEvent {
        id,
        version: 1,
        status,
        slug,
    })
}

/// Writes a validated text into the event's row (its public text once published), with its
/// themes, and the state the life cycle gave; any edit kept aside is dropped.
#[allow(clippy::too_many_arguments)] // the row's coordinates, the text and the transition's result
pub(crate) async fn write_content(
    conn: &mut SqliteConnection,
    id: i64,
    version: i64,
    valid: &ValidEvent,
    zone: &str,
    next: lifecycle::State,
    submitted_now: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (starts, ends) = instants(valid, zone)?;
    let at = timestamp(now);
    let (starts, ends) = (timestamp(starts), timestamp(ends));
    let needs_review = next.edit == lifecycle::Edit::AwaitingReview;
    let query = with_event_fields!(update_event_query! {
        (
            ", pending_input = NULL, reviewed_snapshot = NULL, \
             submitted_at = CASE WHEN ? THEN ? ELSE submitted_at END \
             WHERE id = ? AND version = ?",
            submitted_now,
            &at,
            id,
            version,
        )
        "status" => next.status.as_str(),
        "needs_review" => needs_review,
        "updated_at" => &at,
    } valid, zone, &starts, &ends);
    let result = query.execute(&mut *conn).await?;
    if result.rows_affected() != 1 {
        return Err(conflict());
    }
    set_themes(&mut *conn, id, &valid.themes).await
}

/// Saves an edit made on `version`. A stale version is a conflict and nothing is written.
/// What the edit does follows the life cycle (`events::lifecycle`): a private event's text is
/// written into it; an organizer's edit of a public event is kept aside for review, the public
/// keeping the approved text; staff write directly.
#[allow(clippy::too_many_arguments)]
pub async fn update(
    pool: &SqlitePool,
    account: &CurrentAccount,
    options: &FormOptions,
    id: i64,
    version: i64,
    valid: &ValidEvent,
    submit: bool,
    now: DateTime<Utc>,
) -> Result<SavedEvent, AppError> {
    use lifecycle::{Action, Actor, Content};
    let zone = options.zone_of(&valid.region_code).to_string();
    // Checked before the transaction: a time that does not exist there is the form's error.
    instants(valid, &zone)?;
    let mut tx = crate::state::begin_write(pool).await?;
    let row = load(&mut tx, account, id).await?;
    if row.version != version {
        return Err(conflict());
    }
    let current = row.life_state()?;
    let action = if submit {
        Action::SaveAndSubmit
    } else {
        Action::Save
    };
    let actor = Actor::of(account.role, row.organizer_id == account.id);
    let outcome =
        lifecycle::decide(current, action, actor, window_open(options)).map_err(refusal)?;
    let after = EventInput::from_valid(valid);
    match outcome.content {
        Content::Row => {
            let submitted_now = outcome.state.status == EventStatus::Submitted
                && current.status != EventStatus::Submitted;
            write_content(
                &mut tx,
                id,
                version,
                valid,
                &zone,
                outcome.state,
                submitted_now,
                now,
            )
            .await?;
            let changes = changed_fields(&row.input(), &after).join(", ");
            super::audit::record(&mut tx, id, account.id, "edit", &changes, now).await?;
            if submitted_now {
                super::audit::record(&mut tx, id, account.id, "submit", "", now).await?;
            }
        }
        Content::Pending => {
            let json =
                serde_json::to_string(&after).map_err(|e| AppError::internal("pending edit", e))?;
            let result = sqlx::query(
                "UPDATE events SET pending_input = ?, needs_review = 1, \
                    version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
            )
            .bind(json)
            .bind(timestamp(now))
            .bind(id)
            .bind(version)
            .execute(&mut *tx)
            .await?;
            if result.rows_affected() != 1 {
                return Err(conflict());
            }
            // What changed against the public text, for the moderators and the audit log.
            let changes = changed_fields(&row.input(), &after).join(", ");
            super::audit::record(&mut tx, id, account.id, "edit", &changes, now).await?;
        }
        other => {
            return Err(AppError::internal(
                "event update",
                format!("the life cycle gave {other:?} for a save"),
            ))
        }
    }
    let key = id.to_string();
    sqlx::query("DELETE FROM event_autosaves WHERE account_id = ? AND event_key = ?")
        .bind(account.id)
        .bind(&key)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(SavedEvent {
        id,
        version: version + 1,
        status: outcome.state.status,
        slug: row.slug,
    })
}

/// A change of status only: submit, cancel, or delete (drafts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    Submit,
    Cancel,
    Delete,
}

pub async fn transition(
    pool: &SqlitePool,
    account: &CurrentAccount,
    options: &FormOptions,
    id: i64,
    version: i64,
    transition: Transition,
    now: DateTime<Utc>,
) -> Result<Option<SavedEvent>, AppError> {
    use lifecycle::{Action, Actor, Content};
    let at = timestamp(now);
    let mut tx = crate::state::begin_write(pool).await?;
    let row = load(&mut tx, account, id).await?;
    if row.version != version {
        return Err(conflict());
    }
    let action = match transition {
        Transition::Submit => Action::Submit,
        Transition::Cancel => Action::Cancel,
        Transition::Delete => Action::Delete,
    };
    let actor = Actor::of(account.role, row.organizer_id == account.id);
    let outcome = lifecycle::decide(row.life_state()?, action, actor, window_open(options))
        .map_err(refusal)?;
    if outcome.content == Content::Deleted {
        super::audit::record(&mut tx, id, account.id, "delete", &row.title, now).await?;
        sqlx::query("DELETE FROM events WHERE id = ? AND version = ?")
            .bind(id)
            .bind(version)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        return Ok(None);
    }
    if transition == Transition::Submit {
        // The rules of today's edition apply (vocabularies may have changed since).
        if let Err(errors) = row.input().validate(&options.rules()) {
            return Err(AppError::Invalid(errors));
        }
        if row.edition_year as i32 != options.edition.year {
            return Err(AppError::Conflict(
                "Seuls les événements de l'édition en cours peuvent être soumis.".into(),
            ));
        }
    }
    let next = outcome.state;
    sqlx::query(
        "UPDATE events SET status = ?, \
            submitted_at = CASE WHEN ? = 'submitted' THEN ? ELSE submitted_at END, \
            cancelled_at = CASE WHEN ? = 'cancelled' THEN ? ELSE cancelled_at END, \
            published_at = CASE WHEN ? THEN coalesce(published_at, ?) ELSE NULL END, \
            version = version + 1, updated_at = ? \
         WHERE id = ? AND version = ?",
    )
    .bind(next.status.as_str())
    .bind(next.status.as_str())
    .bind(&at)
    .bind(next.status.as_str())
    .bind(&at)
    .bind(next.was_published)
    .bind(&at)
    .bind(&at)
    .bind(id)
    .bind(version)
    .execute(&mut *tx)
    .await?;
    let action = if next.status == EventStatus::Cancelled {
        "cancel"
    } else {
        "submit"
    };
    super::audit::record(&mut tx, id, account.id, action, "", now).await?;
    tx.commit().await?;
    Ok(Some(SavedEvent {
        id,
        version: version + 1,
        status: next.status,
        slug: row.slug,
    }))
}

/// How far to move a duplicated event: whole weeks (the weekday stays), as close as
/// possible to the distance between the two editions' first days.
pub fn shift_for(from_start: NaiveDate, to_start: NaiveDate) -> Duration {
    let days = (to_start - from_start).num_days();
    let weeks = (days as f64 / 7.0).round() as i64;
    Duration::days(weeks * 7)
}

/// Copies an event into the current edition as a new draft, dates moved to the new month.
pub async fn duplicate(
    pool: &SqlitePool,
    account: &CurrentAccount,
    options: &FormOptions,
    id: i64,
    now: DateTime<Utc>,
) -> Result<SavedEvent, AppError> {
    // A duplicate is a new event: the referencing window applies.
    lifecycle::create(account.role, false, window_open(options)).map_err(refusal)?;
    let mut tx = crate::state::begin_write(pool).await?;
    let row = load(&mut tx, account, id).await?;
    let target = &options.edition;
    let source_edition = crate::editions::db::by_year(&mut *tx, row.edition_year as i32)
        .await?
        .ok_or_else(not_found)?;
    let shift = shift_for(source_edition.starts_on, target.starts_on);
    let mut starts = row.starts_at + shift;
    let mut ends = row.ends_at + shift;
    // Keep it within the new month when the weekly shift pushes it out.
    let local_start = tz::local(starts, &row.time_zone).date();
    if row.out_of_period_reason.is_none() {
        if local_start > target.ends_on {
            starts -= Duration::days(7);
            ends -= Duration::days(7);
        } else if local_start < target.starts_on {
            starts += Duration::days(7);
            ends += Duration::days(7);
        }
    }
    let title = row.title.clone();
    let slug = unique_slug(&mut tx, &title, target.year).await?;
    let at = timestamp(now);
    let new_id: i64 = sqlx::query_scalar(
        "INSERT INTO events (edition_year, organizer_id, slug, title, summary, description, format_id, \
            mode, audience_id, structure_name, organizer_type_id, lab_id, region_code, department_code, \
            city, venue_name, venue_address, postal_code, online_url, starts_at, ends_at, time_zone, \
            out_of_period_reason, registration_url, capacity, contact_name, contact_email, accessibility, \
            all_day, status, duplicated_from, created_at, updated_at) \
         SELECT ?, ?, ?, title, summary, description, format_id, mode, audience_id, structure_name, \
            organizer_type_id, lab_id, region_code, department_code, city, venue_name, venue_address, \
            postal_code, online_url, ?, ?, time_zone, out_of_period_reason, registration_url, capacity, \
            contact_name, contact_email, accessibility, all_day, 'draft', id, ?, ? \
         FROM events WHERE id = ? RETURNING id",
    )
    .bind(target.year)
    .bind(account.id)
    .bind(&slug)
    .bind(timestamp(starts))
    .bind(timestamp(ends))
    .bind(&at)
    .bind(&at)
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    // Themes still offered carry over; retired ones are left for the organizer to replace.
    sqlx::query(
        "INSERT INTO event_themes (event_id, theme_id) \
         SELECT ?, et.theme_id FROM event_themes et JOIN themes t ON t.id = et.theme_id \
         WHERE et.event_id = ? AND t.retired = 0",
    )
    .bind(new_id)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    super::audit::record(
        &mut tx,
        new_id,
        account.id,
        "duplicate",
        &format!("copie de l'événement n° {id} ({})", row.edition_year),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(SavedEvent {
        id: new_id,
        version: 1,
        status: EventStatus::Draft,
        slug,
    })
}

/// Keeps the form as typed (any state), per account and event.
pub async fn autosave(
    pool: &SqlitePool,
    account: &CurrentAccount,
    key: &str,
    input: &EventInput,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if key != "new" {
        let id: i64 = key
            .parse()
            .map_err(|_| AppError::field("key", "Identifiant d'événement invalide."))?;
        let mut conn = pool.acquire().await?;
        load(&mut conn, account, id).await?;
    }
    let json = serde_json::to_string(input).map_err(|e| AppError::internal("autosave", e))?;
    sqlx::query(
        "INSERT INTO event_autosaves (account_id, event_key, input_json, saved_at) VALUES (?, ?, ?, ?) \
         ON CONFLICT (account_id, event_key) DO UPDATE SET input_json = excluded.input_json, saved_at = excluded.saved_at",
    )
    .bind(account.id)
    .bind(key)
    .bind(json)
    .bind(timestamp(now))
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn autosaved(
    pool: &SqlitePool,
    account: &CurrentAccount,
    key: &str,
) -> Result<Option<EventInput>, AppError> {
    let json: Option<String> = sqlx::query_scalar(
        "SELECT input_json FROM event_autosaves WHERE account_id = ? AND event_key = ?",
    )
    .bind(account.id)
    .bind(key)
    .fetch_optional(pool)
    .await?;
    Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_move_by_whole_weeks() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        // 2025 edition starts 3 Nov (Monday), 2026 on 2 Nov (Monday): 364 days, 52 weeks.
        assert_eq!(
            shift_for(d(2025, 11, 3), d(2026, 11, 2)),
            Duration::days(364)
        );
        let tuesday = d(2025, 11, 18);
        let moved = tuesday + shift_for(d(2025, 11, 3), d(2026, 11, 2));
        assert_eq!(moved, d(2026, 11, 17));
        assert_eq!(moved.format("%a").to_string(), "Tue");
        assert_eq!(shift_for(d(2026, 11, 2), d(2026, 11, 2)), Duration::zero());
    }
}

//! An event's row as the organizer's form reads it (`EventRow`), what it becomes (the form's
//! text, its state in the life cycle, the editable event), and its read by an account that may
//! edit it (`load`, checked at compile time).
use chrono::{DateTime, Utc};
use sqlx::{FromRow, SqliteConnection};

use super::not_found;
use super::status_of;
use crate::accounts::CurrentAccount;
use crate::error::AppError;
use crate::events::{lifecycle, tz};
use crate::organizer::model::{changed_fields, EditableEvent};
use crate::organizer::validation::{format_local, last_day, EventInput};
use crate::reference::{EventStatus, Mode, Role};

#[derive(FromRow)]
pub(crate) struct EventRow {
    pub(crate) id: i64,
    pub(crate) organizer_id: i64,
    pub(crate) edition_year: i64,
    pub(crate) slug: String,
    pub(crate) title: String,
    pub(crate) summary: String,
    pub(crate) description: String,
    pub(crate) format_id: i64,
    pub(crate) mode: String,
    pub(crate) audience_id: Option<i64>,
    pub(crate) structure_name: String,
    pub(crate) organizer_type_id: i64,
    pub(crate) lab_id: Option<i64>,
    pub(crate) region_code: String,
    pub(crate) department_code: Option<String>,
    pub(crate) city: Option<String>,
    pub(crate) venue_name: Option<String>,
    pub(crate) venue_address: Option<String>,
    pub(crate) postal_code: Option<String>,
    pub(crate) online_url: Option<String>,
    pub(crate) starts_at: DateTime<Utc>,
    pub(crate) ends_at: DateTime<Utc>,
    pub(crate) time_zone: String,
    pub(crate) all_day: bool,
    pub(crate) out_of_period_reason: Option<String>,
    pub(crate) registration_url: Option<String>,
    pub(crate) capacity: Option<i64>,
    pub(crate) contact_name: Option<String>,
    pub(crate) contact_email: Option<String>,
    pub(crate) accessibility: String,
    pub(crate) status: String,
    pub(crate) moderation_note: Option<String>,
    pub(crate) needs_review: bool,
    pub(crate) version: i64,
    pub(crate) reviewed_snapshot: Option<String>,
    pub(crate) published_at: Option<String>,
    /// An organizer's edit of a public event, waiting for review (`EventInput` as JSON).
    pub(crate) pending_input: Option<String>,
    pub(crate) themes: Option<String>,
}

impl EventRow {
    pub(crate) fn input(&self) -> EventInput {
        EventInput {
            title: self.title.clone(),
            summary: self.summary.clone(),
            description: self.description.clone(),
            themes: self
                .themes
                .as_deref()
                .unwrap_or("")
                .split(',')
                .filter_map(|t| t.parse().ok())
                .collect(),
            format_id: Some(self.format_id),
            mode: Mode::parse(&self.mode),
            audience_id: self.audience_id,
            structure_name: self.structure_name.clone(),
            organizer_type_id: Some(self.organizer_type_id),
            lab_id: self.lab_id,
            region_code: self.region_code.clone(),
            department_code: self.department_code.clone().unwrap_or_default(),
            city: self.city.clone().unwrap_or_default(),
            venue_name: self.venue_name.clone().unwrap_or_default(),
            venue_address: self.venue_address.clone().unwrap_or_default(),
            postal_code: self.postal_code.clone().unwrap_or_default(),
            online_url: self.online_url.clone().unwrap_or_default(),
            // An all-day event gives back its dates alone (first and last day).
            starts_local: if self.all_day {
                tz::local(self.starts_at, &self.time_zone)
                    .date()
                    .to_string()
            } else {
                format_local(tz::local(self.starts_at, &self.time_zone))
            },
            ends_local: if self.all_day {
                last_day(tz::local(self.ends_at, &self.time_zone)).to_string()
            } else {
                format_local(tz::local(self.ends_at, &self.time_zone))
            },
            out_of_period: self.out_of_period_reason.is_some(),
            out_of_period_reason: self.out_of_period_reason.clone().unwrap_or_default(),
            registration_url: self.registration_url.clone().unwrap_or_default(),
            capacity: self.capacity.map(|c| c.to_string()).unwrap_or_default(),
            contact_name: self.contact_name.clone().unwrap_or_default(),
            contact_email: self.contact_email.clone().unwrap_or_default(),
            accessibility: self.accessibility.clone(),
        }
    }

    /// The edit waiting for review, if any.
    pub(crate) fn pending(&self) -> Result<Option<EventInput>, AppError> {
        self.pending_input
            .as_deref()
            .map(|json| {
                serde_json::from_str::<EventInput>(json)
                    .map_err(|e| AppError::internal("pending edit", e))
            })
            .transpose()
    }

    /// The event's state in the life cycle (`events::lifecycle`).
    pub(crate) fn life_state(&self) -> Result<lifecycle::State, AppError> {
        use lifecycle::Edit;
        let status = status_of(&self.status)?;
        // An edit made under the earlier rule (written into the row, the approved text in
        // `reviewed_snapshot`) waits for review like one kept aside.
        let legacy_edit = self.needs_review && self.pending_input.is_none();
        Ok(lifecycle::State {
            status,
            was_published: self.published_at.is_some() || status == EventStatus::Published,
            edit: match (&self.pending_input, self.needs_review || legacy_edit) {
                (_, true) if status != EventStatus::Draft => Edit::AwaitingReview,
                (Some(_), _) => Edit::Returned,
                _ => Edit::None,
            },
        })
    }

    pub(super) fn editable(&self) -> Result<EditableEvent, AppError> {
        // The organizer sees what they wrote: their edit waiting for review, if any.
        let (input, changed_since_review) = match self.pending()? {
            Some(pending) => {
                let changed = changed_fields(&self.input(), &pending);
                (pending, changed)
            }
            None => {
                let input = self.input();
                let changed = match (&self.reviewed_snapshot, self.needs_review) {
                    (Some(snapshot), true) => serde_json::from_str::<EventInput>(snapshot)
                        .map(|before| changed_fields(&before, &input))
                        .unwrap_or_default(),
                    _ => Vec::new(),
                };
                (input, changed)
            }
        };
        Ok(EditableEvent {
            id: self.id,
            slug: self.slug.clone(),
            version: self.version,
            status: status_of(&self.status)?,
            edition_year: self.edition_year as i32,
            input,
            moderation_note: self.moderation_note.clone(),
            needs_review: self.needs_review,
            changed_since_review,
        })
    }
}

/// Loads an event the account may edit: its own, or any for moderators and admins. Someone
/// else's event is « not found » (its existence is not revealed).
pub(crate) async fn load(
    conn: &mut SqliteConnection,
    account: &CurrentAccount,
    id: i64,
) -> Result<EventRow, AppError> {
    // Checked at compile time (`.sqlx/`): a column renamed or a type changed breaks the build.
    let row = sqlx::query_as!(
        EventRow,
        r#"SELECT e.id AS "id!", e.organizer_id, e.edition_year, e.slug, e.title, e.summary,
            e.description, e.format_id, e.mode, e.audience_id, e.structure_name,
            e.organizer_type_id, e.lab_id, e.region_code, e.department_code, e.city,
            e.venue_name, e.venue_address, e.postal_code, e.online_url,
            e.starts_at AS "starts_at: DateTime<Utc>", e.ends_at AS "ends_at: DateTime<Utc>",
            e.time_zone, e.all_day AS "all_day: bool", e.out_of_period_reason,
            e.registration_url, e.capacity, e.contact_name, e.contact_email, e.accessibility,
            e.status, e.moderation_note, e.needs_review AS "needs_review: bool", e.version,
            e.reviewed_snapshot, e.published_at, e.pending_input,
            (SELECT group_concat(theme_id) FROM event_themes WHERE event_id = e.id) AS "themes: String"
        FROM events e WHERE e.id = ?"#,
        id
    )
    .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(not_found)?;
    let staff = matches!(account.role, Role::Moderator | Role::Admin);
    if row.organizer_id != account.id && !staff {
        return Err(not_found());
    }
    Ok(row)
}

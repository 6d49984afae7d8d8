//! Server functions of moderation: moderators and admins only (anonymous → 401,
//! organizers → 403); decisions check the event's version (409 when stale).
use leptos::prelude::*;

use super::model::{Queue, Review};
use crate::error::AppError;

#[cfg(feature = "ssr")]
mod imp {
    pub use super::super::db::{self, Decision};
    pub use crate::error::AppError;
    pub use crate::server_fn::{staff, Reply};
}

#[server(endpoint = "moderation/file")]
pub async fn moderation_queue(
    q: String,
    region: String,
    kind: String,
    theme: Option<String>,
    page: Option<usize>,
) -> Result<Queue, AppError> {
    use imp::*;
    staff(Reply::Data, async |_, state| {
        db::queue(
            &state.pool,
            &q,
            &region,
            &kind,
            theme.as_deref().unwrap_or(""),
            page.unwrap_or(1),
        )
        .await
    })
    .await
}

#[server(endpoint = "moderation/evenement")]
pub async fn moderation_review(id: i64) -> Result<Review, AppError> {
    use imp::*;
    staff(Reply::Data, async |account, state| {
        let options = crate::organizer::db::form_options(&state.pool, state.clock.now()).await?;
        db::review(&state.pool, &account, &options, id, &state.public_url).await
    })
    .await
}

/// « publier », « modifications » (with a message) or « refuser » (with a reason).
#[server(endpoint = "moderation/decision")]
pub async fn moderate_event(
    id: i64,
    version: i64,
    decision: String,
    message: Option<String>,
) -> Result<(), AppError> {
    use imp::*;
    staff(Reply::Form, async |account, state| {
        let now = state.clock.now();
        let decision = match decision.as_str() {
            "publier" => Decision::Publish,
            "modifications" => Decision::RequestChanges,
            "refuser" => Decision::Reject,
            _ => {
                return Err(AppError::field(
                    "decision",
                    "Décision inconnue : publier, modifications ou refuser.",
                ))
            }
        };
        let message = message.unwrap_or_default();
        let options = crate::organizer::db::form_options(&state.pool, now).await?;
        let mut tx = crate::state::begin_write(&state.pool).await?;
        let row = db::decide(
            &mut tx, &account, &options, id, version, decision, &message, now,
        )
        .await?;
        tx.commit().await?;
        if decision != Decision::Publish {
            let email: String = sqlx::query_scalar("SELECT email FROM accounts WHERE id = ?")
                .bind(row.organizer_id)
                .fetch_one(&state.pool)
                .await?;
            let link = format!("{}/organisateur/evenements/{id}", state.public_url);
            // The organizer's title is quoted on one line in the body, never in the subject.
            let (subject, body) = crate::accounts::mail::texts::moderation_decision(
                decision == Decision::Reject,
                &row.title,
                &message,
                &link,
            );
            state
                .mailer
                .send(&state.pool, &email, &subject, &body, now)
                .await?;
        }
        let done = match decision {
            Decision::Publish => "publie",
            Decision::RequestChanges => "modifications",
            Decision::Reject => "refuse",
        };
        leptos_axum::redirect(&format!("/moderation?fait={done}"));
        Ok(())
    })
    .await
}

/// Publishes every selected event (`id:version` each), all or nothing.
#[server(endpoint = "moderation/publier-selection")]
pub async fn bulk_publish(selection: Option<Vec<String>>) -> Result<usize, AppError> {
    use imp::*;
    staff(Reply::Form, async |account, state| {
        let now = state.clock.now();
        let selection = selection.unwrap_or_default();
        if selection.is_empty() {
            return Err(AppError::field(
                "selection",
                "Cochez au moins un événement à publier.",
            ));
        }
        let mut pairs = Vec::new();
        for item in &selection {
            let pair = item
                .split_once(':')
                .and_then(|(id, v)| Some((id.parse::<i64>().ok()?, v.parse::<i64>().ok()?)));
            match pair {
                Some(pair) => pairs.push(pair),
                None => {
                    return Err(AppError::field(
                        "selection",
                        "Sélection illisible : rechargez la page.",
                    ))
                }
            }
        }
        let options = crate::organizer::db::form_options(&state.pool, now).await?;
        let mut tx = crate::state::begin_write(&state.pool).await?;
        for (id, version) in &pairs {
            db::decide(
                &mut tx,
                &account,
                &options,
                *id,
                *version,
                Decision::Publish,
                "",
                now,
            )
            .await?;
        }
        tx.commit().await?;
        leptos_axum::redirect(&format!("/moderation?fait=publies&nombre={}", pairs.len()));
        Ok(pairs.len())
    })
    .await
}

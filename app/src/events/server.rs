//! Server functions of the public event pages.
use leptos::prelude::*;

use super::model::EventDetail;
use crate::error::AppError;

#[server]
pub async fn get_event(slug: String) -> Result<EventDetail, AppError> {
    crate::error::with_status(
        async {
            let pool = crate::state::pool()?;
            super::db::public_by_slug(&pool, &slug)
                .await?
                .ok_or_else(|| {
                    AppError::NotFound("Cet événement n'existe pas ou n'est pas publié.".into())
                })
        }
        .await,
    )
}

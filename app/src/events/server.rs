//! Server functions of the public event pages.
use leptos::prelude::*;

use super::model::EventDetail;
use crate::error::AppError;

#[server]
pub async fn get_event(slug: String) -> Result<EventDetail, AppError> {
    crate::server_fn::public(crate::server_fn::Reply::Data, async |state| {
        super::db::public_by_slug(&state.pool, &slug, &state.public_url)
            .await?
            .ok_or_else(|| {
                AppError::NotFound("Cet événement n'existe pas ou n'est pas publié.".into())
            })
    })
    .await
}

//! Server functions of the audience figures: an organizer's events (the dashboard), one event
//! day by day (its organizer and staff; another organizer gets 404), the edition's (staff).
use leptos::prelude::*;

use super::model::{AudienceLine, EditionAudience, EventAudience};
use crate::error::AppError;

#[cfg(feature = "ssr")]
pub mod imp {
    use super::*;
    use crate::accounts::session;
    use crate::reference::Role;
    use crate::state::app_state;

    pub async fn lines() -> Result<Vec<AudienceLine>, AppError> {
        let account = session::require().await?;
        super::super::db::dashboard_lines(&app_state()?.pool, &account).await
    }

    pub async fn event(id: i64) -> Result<EventAudience, AppError> {
        let account = session::require().await?;
        super::super::db::event_audience(&app_state()?.pool, &account, id).await
    }

    /// The edition's figures, for moderators and administrators (401 for visitors, 403 for
    /// organizers).
    pub async fn edition(year: i32) -> Result<EditionAudience, AppError> {
        let account = session::require().await?;
        if !matches!(account.role, Role::Moderator | Role::Admin) {
            return Err(AppError::Forbidden);
        }
        super::super::db::edition_audience(&app_state()?.pool, year).await
    }
}

#[server(endpoint = "organisateur/audience")]
pub async fn organizer_audience() -> Result<Vec<AudienceLine>, AppError> {
    crate::error::with_status(imp::lines().await)
}

#[server(endpoint = "organisateur/audience/evenement")]
pub async fn event_audience_figures(id: i64) -> Result<EventAudience, AppError> {
    crate::error::with_status(imp::event(id).await)
}

#[server(endpoint = "editions/audience")]
pub async fn edition_audience_figures(year: i32) -> Result<EditionAudience, AppError> {
    crate::error::with_status(imp::edition(year).await)
}

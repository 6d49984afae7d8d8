//! Server functions of the edition pages.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::Edition;
use crate::error::AppError;
use crate::events::model::EventCard;

/// What the home page shows: the current edition, its counters and a few highlights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HomeData {
    pub edition: Edition,
    pub today: chrono::NaiveDate,
    pub published_events: i64,
    pub organizers: i64,
    pub regions: i64,
    pub highlights: Vec<EventCard>,
}

#[server]
pub async fn get_home() -> Result<HomeData, AppError> {
    crate::error::with_status(ssr::home().await)
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::editions::db;
    use crate::state::app_state;

    pub async fn home() -> Result<HomeData, AppError> {
        let state = app_state()?;
        let now = state.clock.now();
        let edition = db::current(&state.pool)
            .await?
            .ok_or_else(|| AppError::NotFound("Aucune édition n'est encore ouverte.".into()))?;
        let counters = db::counters(&state.pool, edition.year).await?;
        let highlights = crate::events::db::highlights(&state.pool, edition.year, now, 6).await?;
        Ok(HomeData {
            today: crate::events::model::paris_date(now),
            edition,
            published_events: counters.events,
            organizers: counters.organizers,
            regions: counters.regions,
            highlights,
        })
    }
}

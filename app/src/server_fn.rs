//! The preamble of every server function, written once (server only): who may call, the
//! server's state, and the response's status taken from the error.
//!
//! ```text
//! #[server(endpoint = "organisateur/tableau-de-bord")]
//! pub async fn organizer_dashboard() -> Result<Dashboard, AppError> {
//!     use imp::*;
//!     signed_in(Reply::Data, async |account, state| {
//!         db::dashboard(&state.pool, &account, state.clock.now()).await
//!     })
//!     .await
//! }
//! ```
//!
//! The caller is checked first (anonymous → 401, another role → 403), then the body runs
//! with the caller's account and the state. [`Reply`] says how an error is answered: to a
//! program, the status with the JSON body ([`with_status`]); to a plain HTML form posted by a
//! browser, its page again with the error in it ([`form_status`]).
use crate::accounts::{session, CurrentAccount};
use crate::error::{form_status, with_status, AppError};
use crate::reference::Role;
use crate::state::{app_state, AppState};

/// How a server function answers an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reply {
    /// Called by the browser's code or a program: the error's status and its JSON body.
    Data,
    /// Also posted by a plain HTML form (the page without JavaScript): a browser gets its
    /// page back with the error and what it typed (`error::form_status`).
    Form,
}

impl Reply {
    fn answer<T>(self, result: Result<T, AppError>) -> Result<T, AppError> {
        match self {
            Reply::Data => with_status(result),
            Reply::Form => form_status(result),
        }
    }
}

/// Anyone may call: the body gets the state.
pub async fn public<T>(
    reply: Reply,
    body: impl AsyncFnOnce(AppState) -> Result<T, AppError>,
) -> Result<T, AppError> {
    reply.answer(
        async {
            let state = app_state()?;
            body(state).await
        }
        .await,
    )
}

/// A signed-in account of any role (401 otherwise).
pub async fn signed_in<T>(
    reply: Reply,
    body: impl AsyncFnOnce(CurrentAccount, AppState) -> Result<T, AppError>,
) -> Result<T, AppError> {
    reply.answer(
        async {
            let account = session::require().await?;
            let state = app_state()?;
            body(account, state).await
        }
        .await,
    )
}

/// A moderator or an admin (401 for visitors, 403 for organizers).
pub async fn staff<T>(
    reply: Reply,
    body: impl AsyncFnOnce(CurrentAccount, AppState) -> Result<T, AppError>,
) -> Result<T, AppError> {
    reply.answer(
        async {
            let account = require_staff().await?;
            let state = app_state()?;
            body(account, state).await
        }
        .await,
    )
}

/// An admin (401 for visitors, 403 for the other roles).
pub async fn admin<T>(
    reply: Reply,
    body: impl AsyncFnOnce(CurrentAccount, AppState) -> Result<T, AppError>,
) -> Result<T, AppError> {
    reply.answer(
        async {
            let account = require_admin().await?;
            let state = app_state()?;
            body(account, state).await
        }
        .await,
    )
}

/// The signed-in moderator or admin: 401 for visitors, 403 for organizers.
pub async fn require_staff() -> Result<CurrentAccount, AppError> {
    let account = session::require().await?;
    match account.role {
        Role::Moderator | Role::Admin => Ok(account),
        Role::Organizer => Err(AppError::Forbidden),
    }
}

/// The signed-in admin: 401 for visitors, 403 for the other roles.
pub async fn require_admin() -> Result<CurrentAccount, AppError> {
    let account = session::require().await?;
    if account.role == Role::Admin {
        Ok(account)
    } else {
        Err(AppError::Forbidden)
    }
}

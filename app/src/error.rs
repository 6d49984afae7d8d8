//! One error type for the whole application, sent to the browser as JSON by server functions
//! and mapped to an HTTP status. Internal details are logged on the server, never shown.
use http::StatusCode;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// A message attached to one field of a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// On the wire (server function responses, API errors), an error reads
/// `{"error": "invalid", "message": "…", "fields": [{"field": "title", "message": "…"}]}`:
/// a stable code, the French message, and the field messages for forms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(into = "ErrorWire", try_from = "ErrorWire")]
pub enum AppError {
    #[error("{0}")]
    NotFound(String),
    #[error("Vous devez vous connecter pour effectuer cette action.")]
    Unauthenticated,
    #[error("Vous n'avez pas les droits nécessaires pour effectuer cette action.")]
    Forbidden,
    /// Also 403, with the reason in French.
    #[error("{0}")]
    Denied(String),
    /// Bad input: one message per offending field.
    #[error("{}", summarize(.0))]
    Invalid(Vec<FieldError>),
    #[error("{0}")]
    Conflict(String),
    #[error("Trop de tentatives. Merci de patienter quelques minutes avant de réessayer.")]
    TooManyRequests,
    /// Also 429, with its own French message (how long to wait, or that the server is busy).
    #[error("{0}")]
    Throttled(String),
    #[error("La requête n'a pas pu être lue : {0}")]
    BadRequest(String),
    #[error("Le service ne répond pas. Vérifiez votre connexion et réessayez.")]
    Network,
    #[error("Une erreur inattendue est survenue de notre côté. Réessayez dans un instant.")]
    Internal,
}

#[derive(Serialize, Deserialize)]
struct ErrorWire {
    error: String,
    message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    fields: Vec<FieldError>,
}

impl From<AppError> for ErrorWire {
    fn from(error: AppError) -> Self {
        let message = error.to_string();
        let (code, detail, fields) = match error {
            AppError::NotFound(m) => ("not_found", Some(m), vec![]),
            AppError::Unauthenticated => ("unauthenticated", None, vec![]),
            AppError::Forbidden => ("forbidden", None, vec![]),
            AppError::Denied(m) => ("forbidden", Some(m), vec![]),
            AppError::Invalid(fields) => ("invalid", None, fields),
            AppError::Conflict(m) => ("conflict", Some(m), vec![]),
            AppError::TooManyRequests => ("too_many_requests", None, vec![]),
            AppError::Throttled(m) => ("too_many_requests", Some(m), vec![]),
            AppError::BadRequest(m) => ("bad_request", Some(m), vec![]),
            AppError::Network => ("network", None, vec![]),
            AppError::Internal => ("internal", None, vec![]),
        };
        ErrorWire {
            error: code.to_string(),
            message,
            detail,
            fields,
        }
    }
}

impl TryFrom<ErrorWire> for AppError {
    type Error = String;

    fn try_from(wire: ErrorWire) -> Result<Self, Self::Error> {
        let detail = || wire.detail.clone().unwrap_or_else(|| wire.message.clone());
        Ok(match wire.error.as_str() {
            "not_found" => AppError::NotFound(detail()),
            "unauthenticated" => AppError::Unauthenticated,
            "forbidden" => match wire.detail {
                Some(message) => AppError::Denied(message),
                None => AppError::Forbidden,
            },
            "invalid" => AppError::Invalid(wire.fields),
            "conflict" => AppError::Conflict(detail()),
            "too_many_requests" => match wire.detail {
                Some(message) => AppError::Throttled(message),
                None => AppError::TooManyRequests,
            },
            "bad_request" => AppError::BadRequest(detail()),
            "network" => AppError::Network,
            "internal" => AppError::Internal,
            other => return Err(format!("unknown error code {other}")),
        })
    }
}

fn summarize(errors: &[FieldError]) -> String {
    match errors {
        [] => "Le formulaire contient des erreurs.".to_string(),
        [one] => one.message.clone(),
        many => format!("Le formulaire contient {} erreurs.", many.len()),
    }
}

impl AppError {
    pub fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Denied(_) => StatusCode::FORBIDDEN,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooManyRequests | AppError::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Network => StatusCode::BAD_GATEWAY,
            AppError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Invalid(vec![FieldError::new(field, message)])
    }

    /// The message for one field, if this error names it.
    pub fn message_for(&self, field: &str) -> Option<&str> {
        match self {
            AppError::Invalid(errors) => errors
                .iter()
                .find(|e| e.field == field)
                .map(|e| e.message.as_str()),
            _ => None,
        }
    }

    /// Logs an internal failure with its cause and returns the opaque error shown to users.
    #[cfg(feature = "ssr")]
    pub fn internal(context: &str, cause: impl std::fmt::Display) -> Self {
        tracing::error!(%cause, "{context}");
        AppError::Internal
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(m) | ServerFnErrorErr::Deserialization(m) => {
                AppError::BadRequest(m)
            }
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => AppError::Network,
            ServerFnErrorErr::MissingArg(m) => {
                AppError::BadRequest(format!("champ manquant : {m}"))
            }
            other => {
                #[cfg(feature = "ssr")]
                tracing::error!(error = %other, "server function failure");
                let _ = other;
                AppError::Internal
            }
        }
    }
}

/// The answer when the database could not take a request in time (see `From<sqlx::Error>`).
#[cfg(feature = "ssr")]
fn busy(error: &sqlx::Error) -> AppError {
    tracing::warn!(%error, "database busy");
    AppError::Throttled(
        "Le service est très sollicité en ce moment : rien n'a été enregistré. Réessayez dans quelques secondes."
            .into(),
    )
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::RowNotFound => {
                AppError::NotFound("Cette ressource n'existe pas ou plus.".into())
            }
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                AppError::Conflict("Cette valeur est déjà utilisée.".into())
            }
            // A reference checked before the write that changed meanwhile, or one no check
            // knew of: the person gets a 409 with words, never a 500.
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => AppError::Conflict(
                "Cette valeur est liée à d'autres données (un événement, une édition…) : \
                 elle ne peut pas être supprimée ou modifiée ainsi."
                    .into(),
            ),
            sqlx::Error::Database(db) if db.is_check_violation() => {
                AppError::BadRequest("une valeur envoyée sort des limites permises.".into())
            }
            // The database busy beyond its wait (a saturated disk, a rush of writes), or no
            // connection free in time: nothing was written; a 429 that says to try again (the
            // offline drafts' queue waits and sends again), never a 500.
            sqlx::Error::Database(db)
                if matches!(
                    db.code().as_deref(),
                    Some("5" | "6" | "261" | "262" | "517")
                ) =>
            {
                busy(&error)
            }
            sqlx::Error::PoolTimedOut => busy(&error),
            _ => AppError::internal("database error", error),
        }
    }
}

/// The answer of a server function that pages post as a plain HTML form (no island: the form
/// works without JavaScript). Such a post is sent back to its page (`302` to the `Referer`,
/// the error in `?__err=`), whose `ServerAction` shows the error on its fields, so its status
/// must stay that redirect's, never a JSON body shown to a person; any other caller (the
/// hydrated page, an API client) gets the error's own status ([`with_status`]).
pub fn form_status<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    #[cfg(feature = "ssr")]
    {
        let plain_form =
            leptos::prelude::use_context::<http::request::Parts>().is_some_and(|parts| {
                parts
                    .headers
                    .get(http::header::ACCEPT)
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|v| v.contains("text/html"))
            });
        if plain_form {
            return result;
        }
    }
    with_status(result)
}

/// Sets the HTTP status of the current response from the error (during SSR and in server
/// function responses), then hands the result back unchanged.
pub fn with_status<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    #[cfg(feature = "ssr")]
    if let Err(error) = &result {
        if let Some(options) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            options.set_status(error.status_code());
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_match_the_kind_of_error() {
        assert_eq!(
            AppError::Unauthenticated.status_code(),
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(AppError::Forbidden.status_code(), StatusCode::FORBIDDEN);
        assert_eq!(
            AppError::field("title", "x").status_code(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            AppError::Internal.status_code(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
        assert_eq!(
            AppError::TooManyRequests.status_code(),
            StatusCode::TOO_MANY_REQUESTS
        );
        assert_eq!(
            AppError::Throttled("Réessayez dans 2 minutes.".into()).status_code(),
            StatusCode::TOO_MANY_REQUESTS
        );
    }

    #[test]
    fn field_messages_are_found_by_field_name() {
        let error = AppError::Invalid(vec![
            FieldError::new("title", "Le titre est obligatoire."),
            FieldError::new("ends_at", "La fin doit suivre le début."),
        ]);
        assert_eq!(
            error.message_for("ends_at"),
            Some("La fin doit suivre le début.")
        );
        assert_eq!(error.message_for("summary"), None);
        assert_eq!(error.to_string(), "Le formulaire contient 2 erreurs.");
    }

    #[test]
    fn internal_errors_never_leak_details() {
        let error = AppError::from_server_fn_error(ServerFnErrorErr::ServerError(
            "disk I/O error at /var/lib/x".into(),
        ));
        assert_eq!(error, AppError::Internal);
        assert!(!error.to_string().contains("disk"));
    }

    #[test]
    fn errors_round_trip_as_json() {
        let error = AppError::field("email", "Adresse invalide.");
        let json = serde_json::to_string(&error).unwrap();
        assert_eq!(serde_json::from_str::<AppError>(&json).unwrap(), error);
        for error in [
            AppError::TooManyRequests,
            AppError::Throttled("Trop de demandes : réessayez dans 3 minutes.".into()),
        ] {
            let json = serde_json::to_string(&error).unwrap();
            assert!(json.contains("too_many_requests"), "{json}");
            assert_eq!(serde_json::from_str::<AppError>(&json).unwrap(), error);
        }
    }
}

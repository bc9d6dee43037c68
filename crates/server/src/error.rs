//! The server's one error type for HTTP answers: people get a plain sentence,
//! the log gets the details.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The request was wrong; the message is shown to the person.
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    TooMany(String),
    /// The server has no room for this work now; try again shortly.
    #[error("{0}")]
    Busy(String),
    /// Something broke on our side; details go to the log only.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<crate::store::StoreError> for Error {
    fn from(e: crate::store::StoreError) -> Self {
        Error::Internal(e.into())
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let (status, message) = match &self {
            Error::BadRequest(m) => (StatusCode::BAD_REQUEST, m.clone()),
            Error::NotFound(m) => (StatusCode::NOT_FOUND, m.clone()),
            Error::TooMany(m) => (StatusCode::TOO_MANY_REQUESTS, m.clone()),
            Error::Busy(m) => (StatusCode::SERVICE_UNAVAILABLE, m.clone()),
            Error::Internal(e) => {
                tracing::error!(error = ?e, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong on the server. Please try again.".to_owned(),
                )
            }
        };
        (status, Json(json!({ "error": message }))).into_response()
    }
}

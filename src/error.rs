//! `AppError` is the one error type of server functions: serializable, so the
//! page can tell "no such package" (404) from "something broke" (500). The
//! browser gets a generic message; details go to the server log.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// No package of that name; `other_case` lists the same name in other cases.
    #[error("there is no package named “{name}”")]
    NotFound { name: String, other_case: Vec<String> },
    /// The server failed (database down, unreadable row); logged server-side.
    #[error("the server could not load this page")]
    Internal,
    /// The request asks for something malformed (a bad query parameter).
    #[error("{0}")]
    BadRequest(String),
    /// The request never got an answer (network, server function transport).
    #[error("the request failed: {0}")]
    Request(String),
}

impl AppError {
    pub fn is_not_found(&self) -> bool {
        matches!(self, AppError::NotFound { .. })
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(e: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        AppError::Request(e.to_string())
    }
}

#[cfg(feature = "ssr")]
impl From<crate::db::DbError> for AppError {
    fn from(e: crate::db::DbError) -> Self {
        tracing::error!(error = %e, "database read failed");
        AppError::Internal
    }
}

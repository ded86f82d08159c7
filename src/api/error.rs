//! The API's one error shape: `{"error": {"status", "code", "message"}}`,
//! with the matching HTTP status.
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::AppError;

/// What went wrong, for a program to act on and a person to read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ApiError {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ErrorDetail {
    /// The HTTP status, repeated.
    pub status: u16,
    pub code: ErrorCode,
    pub message: String,
}

/// `not_found`: no such package, tab or document (404). `bad_parameter`: a
/// query parameter is missing or malformed (400). `internal`: the server
/// failed; try again later (500).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    NotFound,
    BadParameter,
    Internal,
}

impl ApiError {
    fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        let status = match code {
            ErrorCode::NotFound => StatusCode::NOT_FOUND,
            ErrorCode::BadParameter => StatusCode::BAD_REQUEST,
            ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        };
        ApiError { error: ErrorDetail { status: status.as_u16(), code, message: message.into() } }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        ApiError::new(ErrorCode::NotFound, message)
    }

    pub fn bad_parameter(message: impl Into<String>) -> Self {
        ApiError::new(ErrorCode::BadParameter, message)
    }

    pub fn internal() -> Self {
        ApiError::new(ErrorCode::Internal, "the server could not answer; try again later")
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::NotFound { .. } => ApiError::not_found(e.to_string()),
            AppError::BadRequest(why) => ApiError::bad_parameter(why),
            _ => ApiError::internal(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.error.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self).unwrap_or_default();
        (status, [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], body).into_response()
    }
}

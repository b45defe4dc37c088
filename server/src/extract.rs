//! Extractors whose rejections speak the seed's envelope.

use crate::error::ApiError;
use axum::extract::{
    FromRequest, FromRequestParts,
    rejection::{JsonRejection, PathRejection, QueryRejection},
};
use domain::{Error, ErrorCode};

/// `axum::Json`, but a body that is not JSON, is too large, has the wrong content type or does
/// not fit the expected shape is answered with the envelope, naming the problem and its path.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        let code = ErrorCode::from_http_status(rejection.status().as_u16());
        let detail = rejection.body_text();
        ApiError(match code {
            ErrorCode::SchemaValidationFailed => Error::validation("Request body is not valid", vec![detail]),
            ErrorCode::UnsupportedMediaType => {
                Error::new(code, "Expected a JSON body with `Content-Type: application/json`")
            }
            ErrorCode::PayloadTooLarge => Error::new(code, "Request body too large"),
            _ => Error::new(code, detail),
        })
    }
}

/// `axum::extract::Query`, with a query string that does not parse answered as a 400 naming
/// the parameter.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        ApiError(Error::validation("Invalid query string", vec![rejection.body_text()]))
    }
}

/// `axum::extract::Path`, answering a segment that does not parse with a 400.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        ApiError(Error::validation("Invalid path", vec![rejection.body_text()]))
    }
}

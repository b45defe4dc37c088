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

/// A JSON body that may be absent: an empty body is `T::default()`; anything else must be
/// JSON of the right shape.
pub struct ApiJsonOrEmpty<T>(pub T);

impl<T, S> FromRequest<S> for ApiJsonOrEmpty<T>
where
    T: serde::de::DeserializeOwned + Default,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        let has_body = request
            .headers()
            .get(axum::http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .is_none_or(|v| v != "0");
        let declared = request.headers().contains_key(axum::http::header::CONTENT_TYPE);
        if !has_body || !declared {
            let bytes = axum::body::Bytes::from_request(request, state)
                .await
                .map_err(|e| ApiError(Error::new(ErrorCode::from_http_status(e.status().as_u16()), e.body_text())))?;
            if bytes.iter().all(u8::is_ascii_whitespace) {
                return Ok(ApiJsonOrEmpty(T::default()));
            }
            return Err(ApiError(Error::new(
                ErrorCode::UnsupportedMediaType,
                "Expected a JSON body with `Content-Type: application/json`",
            )));
        }
        let ApiJson(value) = ApiJson::<T>::from_request(request, state).await?;
        Ok(ApiJsonOrEmpty(value))
    }
}

//! Extractors whose rejections speak the seed's envelope.

use crate::error::ApiError;
use axum::extract::{
    FromRequest, FromRequestParts,
    rejection::{JsonRejection, PathRejection, QueryRejection},
};
use domain::{Error, ErrorCode};

/// `axum::Json`, but a body that is not a JSON object, is too large, has the wrong content type
/// or does not fit the expected shape is answered with the envelope, naming the problem and its
/// path. A top-level array is refused before serde sees it: serde would read it as the struct's
/// fields in order, a form no document describes.
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        if !declares_json(request.headers()) {
            return Err(not_json());
        }
        object(&read_body(request, state).await?).map(ApiJson)
    }
}

/// Reads a JSON object into `T`.
fn object<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.trim_ascii_start().first() != Some(&b'{') {
        return Err(ApiError(Error::validation("Request body is not valid", vec!["/: expected a JSON object".into()])));
    }
    let axum::Json(value) = axum::Json::<T>::from_bytes(bytes)?;
    Ok(value)
}

/// The whole body, within the body limit.
async fn read_body<S: Send + Sync>(request: axum::extract::Request, state: &S) -> Result<axum::body::Bytes, ApiError> {
    axum::body::Bytes::from_request(request, state).await.map_err(|e| {
        let code = ErrorCode::from_http_status(e.status().as_u16());
        ApiError(match code {
            ErrorCode::PayloadTooLarge => Error::new(code, "Request body too large"),
            _ => Error::new(code, e.body_text()),
        })
    })
}

/// `application/json`, or a `+json` type, as `axum::Json` takes them.
fn declares_json(headers: &axum::http::HeaderMap) -> bool {
    let Some(value) = headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

fn not_json() -> ApiError {
    ApiError(Error::new(ErrorCode::UnsupportedMediaType, "Expected a JSON body with `Content-Type: application/json`"))
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        let code = ErrorCode::from_http_status(rejection.status().as_u16());
        let detail = rejection.body_text();
        ApiError(match code {
            ErrorCode::SchemaValidationFailed => Error::validation("Request body is not valid", vec![detail]),
            ErrorCode::UnsupportedMediaType => not_json().0,
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

/// A JSON body that may be absent: no body, or `null` (the document's optional, nullable
/// body), is `T::default()`; anything else must be a JSON object of the right shape.
pub struct ApiJsonOrEmpty<T>(pub T);

impl<T, S> FromRequest<S> for ApiJsonOrEmpty<T>
where
    T: serde::de::DeserializeOwned + Default,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        let json = declares_json(request.headers());
        let bytes = read_body(request, state).await?;
        let text = bytes.trim_ascii();
        if text.is_empty() {
            return Ok(ApiJsonOrEmpty(T::default()));
        }
        if !json {
            return Err(not_json());
        }
        if text == b"null" {
            return Ok(ApiJsonOrEmpty(T::default()));
        }
        object(&bytes).map(ApiJsonOrEmpty)
    }
}

//! Where `domain::Error` becomes HTTP: the one mapping to the seed's envelope.
//!
//! Handlers return [`ApiError`], rendered as the envelope with the id of the request being
//! served. The [`envelope`] middleware turns every other error response under the API paths
//! (unknown route, 405, a panic, a rejected body) into the envelope too, so no error leaves
//! without one.

use crate::request_id::{self, RequestId};
use axum::{
    body::Body,
    extract::Request,
    http::{HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use domain::{Error, ErrorCode};

#[derive(Debug)]
pub struct ApiError(pub Error);

pub type ApiResult<T> = Result<T, ApiError>;

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        render(&self.0, &request_id::current().unwrap_or_default())
    }
}

/// Paths whose clients expect JSON, so even errors raised outside a handler get the envelope.
fn speaks_json(path: &str) -> bool {
    path == "/v1" || path.starts_with("/v1/") || path == "/healthz"
}

pub async fn envelope(request: Request, next: Next) -> Response {
    let request_id = request.extensions().get::<RequestId>().map(|r| r.0.clone()).unwrap_or_default();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;

    let status = response.status();
    if !(speaks_json(&path) && (status.is_client_error() || status.is_server_error()) && !is_json(&response)) {
        return response;
    }
    let code = ErrorCode::from_http_status(status.as_u16());
    let message = match code {
        ErrorCode::NotFound => format!("No such endpoint: {method} {path}"),
        ErrorCode::MethodNotAllowed => format!("{method} is not allowed on {path}"),
        ErrorCode::PayloadTooLarge => "Request body too large".to_owned(),
        ErrorCode::Internal => "Internal error; quote the request_id when reporting it".to_owned(),
        _ => status.canonical_reason().unwrap_or("Error").to_owned(),
    };
    let (parts, _) = response.into_parts();
    let mut rendered = render(&Error::new(code, message), &request_id);
    // Keep what the original response said about the error (`Allow` on a 405, for one).
    for (name, value) in parts.headers.iter() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            rendered.headers_mut().entry(name).or_insert(value.clone());
        }
    }
    rendered
}

/// Server functions answer 500 for every error, arguments that do not parse included: give
/// each error the status its code stands for, so a page's bad input is a 4xx as on `/v1`.
pub async fn server_fn_status(request: Request, next: Next) -> Response {
    let request_id = request.extensions().get::<RequestId>().map(|r| r.0.clone()).unwrap_or_default();
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR || !response.headers().contains_key("serverfnerror") {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, SERVER_FN_ERROR_BYTES).await else {
        return render(&Error::internal("server function error body unreadable"), &request_id);
    };
    if let Ok(error) = serde_json::from_slice::<Error>(&bytes) {
        parts.status = StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// A server function's error body is a few hundred bytes; anything bigger is not one.
const SERVER_FN_ERROR_BYTES: usize = 64 * 1024;

fn is_json(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

/// The envelope for `error`, with `Retry-After` when the error says when to retry.
pub fn render(error: &Error, request_id: &str) -> Response {
    if matches!(error.code, ErrorCode::Internal | ErrorCode::ServiceUnavailable) {
        tracing::error!(code = %error.code, cause = error.cause.as_deref().unwrap_or(""), "{}", error.message);
    } else {
        tracing::debug!(code = %error.code, "{}", error.message);
    }
    let body = serde_json::to_vec(&error.envelope(request_id)).unwrap_or_else(|_| b"{}".to_vec());
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if let Some(seconds) = error.retry_after {
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    if error.code == ErrorCode::AuthScopeDenied {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    response
}

/// A panic in a handler is a bug; the caller still gets the envelope with its request id.
pub fn panic_response(_panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError(Error::internal("handler panicked")).into_response()
}

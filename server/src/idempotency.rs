//! `Idempotency-Key` on `/v1` POSTs, as an adapter over `domain::idempotency`: buffers the
//! request to fingerprint it, and the response to store it.

use crate::{error::ApiError, state::AppState};
use axum::{
    body::{Body, to_bytes},
    extract::{Request, State},
    http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use domain::{Error, ErrorCode, caller::Caller, idempotency};

pub static IDEMPOTENCY_KEY: &str = "idempotency-key";

pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let Some(key) = request.headers().get(IDEMPOTENCY_KEY) else {
        return next.run(request).await;
    };
    // A header that is not visible ASCII fails the same check as any other bad key.
    let key = key.to_str().unwrap_or("\u{0}").to_owned();
    if let Err(e) = idempotency::check_key(&key) {
        return ApiError(e).into_response();
    }
    // Keys are scoped to whoever holds them: a principal, or a talent.
    let principal_id = match request.extensions().get::<Caller>() {
        Some(caller) => caller.party_id().to_owned(),
        None => return next.run(request).await,
    };

    let (parts, body) = request.into_parts();
    let bytes = match to_bytes(body, state.config.max_body_bytes).await {
        Ok(b) => b,
        Err(_) => return ApiError(Error::new(ErrorCode::PayloadTooLarge, "Request body too large")).into_response(),
    };
    let hash = idempotency::request_hash(parts.method.as_str(), parts.uri.path(), &bytes);
    let db = &state.services.db;
    match idempotency::begin(db, &principal_id, &key, &hash).await {
        Err(e) => ApiError(e).into_response(),
        Ok(idempotency::Begin::Replay { status, headers, body }) => {
            let mut response = Response::new(Body::from(body));
            *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            for (name, value) in headers {
                if let (Ok(name), Ok(value)) = (HeaderName::try_from(name), HeaderValue::try_from(value)) {
                    response.headers_mut().append(name, value);
                }
            }
            response.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
            response
        }
        Ok(idempotency::Begin::Proceed) => {
            let response = next.run(Request::from_parts(parts, Body::from(bytes))).await;
            let status = response.status();
            let (parts, body) = response.into_parts();
            let body = match to_bytes(body, usize::MAX).await {
                Ok(b) => b,
                Err(e) => {
                    let _ = idempotency::abandon(db, &principal_id, &key).await;
                    return ApiError(Error::internal(format!("reading the response to store it: {e}"))).into_response();
                }
            };
            // Failures on our side and refusals that did not run the request are not
            // remembered: a retry with the same key runs it.
            let outcome = if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
                idempotency::abandon(db, &principal_id, &key).await
            } else {
                idempotency::complete(
                    db,
                    &principal_id,
                    &key,
                    status.as_u16(),
                    replayable_headers(&parts.headers),
                    String::from_utf8_lossy(&body).into_owned(),
                )
                .await
            };
            if let Err(e) = outcome {
                tracing::error!("storing the idempotent response: {e}");
            }
            Response::from_parts(parts, Body::from(body))
        }
    }
}

/// The headers the handler answered with that a replay must repeat (`Location`, tus offsets,
/// …); framing is the transport's, and the layers outside this one add their own.
fn replayable_headers(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .filter(|(name, _)| ![header::CONTENT_LENGTH, header::TRANSFER_ENCODING, header::CONNECTION].contains(name))
        .filter_map(|(name, value)| Some((name.as_str().to_owned(), value.to_str().ok()?.to_owned())))
        .collect()
}

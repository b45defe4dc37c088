//! `/v1/uploads`: resumable uploads, tus 1.0 (core, creation, termination, expiration).
//! Off-the-shelf clients (tus-js-client, Uppy) work against it with the bearer token as a
//! header. The upload URL's id is the file's id, for registering it as a deliverable.

use crate::{
    auth::AnyCaller,
    error::{ApiError, ApiResult},
    extract::ApiPath,
    state::AppState,
};
use axum::{
    body::Body,
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use base64::{Engine, engine::general_purpose::STANDARD};
use domain::error::ErrorEnvelope;
use domain::files::tus::{self, UploadState};
use domain::{Error, ErrorCode};
use std::collections::HashMap;

const TUS_RESUMABLE: &str = "tus-resumable";

/// `Upload-Metadata`: comma-separated `key base64(value)` pairs.
fn parse_metadata(header: Option<&str>) -> Result<HashMap<String, String>, Error> {
    let mut out = HashMap::new();
    for pair in header.unwrap_or("").split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (key, value) = match pair.split_once(' ') {
            Some((k, v)) => {
                let bytes = STANDARD.decode(v.trim()).map_err(|_| {
                    Error::validation("Invalid Upload-Metadata", vec![format!("Upload-Metadata: {k} is not base64")])
                })?;
                let text = String::from_utf8(bytes).map_err(|_| {
                    Error::validation("Invalid Upload-Metadata", vec![format!("Upload-Metadata: {k} is not UTF-8")])
                })?;
                (k.to_owned(), text)
            }
            None => (pair.to_owned(), String::new()),
        };
        out.insert(key, value);
    }
    Ok(out)
}

/// Every response of the tus endpoints (`/v1/uploads…`) says which protocol version it speaks.
pub async fn tus_headers(request: Request, next: Next) -> Response {
    let tus = request.uri().path().starts_with("/uploads");
    let mut response = next.run(request).await;
    if tus {
        response.headers_mut().insert(TUS_RESUMABLE, HeaderValue::from_static(tus::VERSION));
        if response.status() == StatusCode::PRECONDITION_FAILED {
            response.headers_mut().insert("tus-version", HeaderValue::from_static(tus::VERSION));
        }
    }
    response
}

fn http_date(t: chrono::DateTime<chrono::Utc>) -> HeaderValue {
    HeaderValue::from_str(&t.format("%a, %d %b %Y %H:%M:%S GMT").to_string()).unwrap_or(HeaderValue::from_static(""))
}

fn require_version(headers: &HeaderMap) -> Result<(), ApiError> {
    match headers.get(TUS_RESUMABLE).and_then(|v| v.to_str().ok()) {
        Some(tus::VERSION) => Ok(()),
        _ => Err(ApiError(
            Error::new(
                ErrorCode::PreconditionFailed,
                format!("This server speaks tus {} (send Tus-Resumable: {})", tus::VERSION, tus::VERSION),
            )
            .with_details(serde_json::json!({ "tus_version": tus::VERSION })),
        )),
    }
}

fn number(headers: &HeaderMap, name: &str) -> Result<u64, ApiError> {
    headers.get(name).and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<u64>().ok()).ok_or_else(|| {
        ApiError(Error::validation(
            format!("Missing or invalid {name}"),
            vec![format!("{name}: a non-negative integer is required")],
        ))
    })
}

fn progress(state: &UploadState, status: StatusCode) -> Response {
    let mut response = status.into_response();
    let headers = response.headers_mut();
    headers.insert("upload-offset", HeaderValue::from(state.offset));
    headers.insert("upload-length", HeaderValue::from(state.length));
    headers.insert("upload-expires", http_date(state.expires_at));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// What the server supports.
#[utoipa::path(
    options, path = "/uploads", tag = "Files",
    responses((status = 204, description = "Tus-Version, Tus-Extension, Tus-Max-Size"), (status = 429, body = ErrorEnvelope))
)]
pub async fn options() -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    headers.insert("tus-version", HeaderValue::from_static(tus::VERSION));
    headers.insert("tus-extension", HeaderValue::from_static(tus::EXTENSIONS));
    headers.insert("tus-max-size", HeaderValue::from(4096u64 * 1024 * 1024));
    response
}

/// Creation: `Upload-Length` and `Upload-Metadata` (`filename`, `filetype`, `work_order_id`,
/// base64). Answers 201 with `Location` (the upload's URL; its last segment is the file id).
#[utoipa::path(
    post, path = "/uploads", tag = "Files", security(("bearer" = [])),
    params(
        ("Tus-Resumable" = String, Header, description = "1.0.0"),
        ("Upload-Length" = u64, Header),
        ("Upload-Metadata" = Option<String>, Header, description = "filename, filetype, work_order_id; base64 values"),
    ),
    responses(
        (status = 201, description = "Location of the new upload"),
        (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope),
    )
)]
pub async fn create(State(state): State<AppState>, caller: AnyCaller, headers: HeaderMap) -> ApiResult<Response> {
    require_version(&headers)?;
    let length = number(&headers, "upload-length")?;
    let metadata = parse_metadata(headers.get("upload-metadata").and_then(|v| v.to_str().ok()))?;
    let upload = tus::create(&state.services, &caller.0, length, &metadata).await?;
    let mut response = progress(&upload, StatusCode::CREATED);
    let location = format!("{}/v1/uploads/{}", state.config.public_url.trim_end_matches('/'), upload.id);
    if let Ok(v) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    Ok(response)
}

/// Core: the upload's offset.
#[utoipa::path(
    head, path = "/uploads/{upload_id}", tag = "Files", security(("bearer" = [])),
    params(("upload_id" = String, Path)),
    responses((status = 200, description = "Upload-Offset, Upload-Length, Upload-Expires"), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope))
)]
pub async fn head(
    State(state): State<AppState>,
    caller: AnyCaller,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Response> {
    let upload = tus::head(&state.services, &caller.0, &id).await?;
    Ok(progress(&upload, StatusCode::OK))
}

/// Core: append bytes at `Upload-Offset` (`Content-Type: application/offset+octet-stream`).
/// Bytes that arrive before a dropped connection are kept. The last byte assembles the file,
/// whose content must match its declared type.
#[utoipa::path(
    patch, path = "/uploads/{upload_id}", tag = "Files", security(("bearer" = [])),
    params(("upload_id" = String, Path), ("Tus-Resumable" = String, Header), ("Upload-Offset" = u64, Header)),
    request_body(content = Vec<u8>, content_type = "application/offset+octet-stream"),
    responses(
        (status = 204, description = "The new Upload-Offset"),
        (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, description = "Upload-Offset mismatch", body = ErrorEnvelope),
        (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope),
    )
)]
pub async fn patch(
    State(state): State<AppState>,
    caller: AnyCaller,
    ApiPath(id): ApiPath<String>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    require_version(&headers)?;
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if content_type != "application/offset+octet-stream" {
        return Err(ApiError(Error::new(
            ErrorCode::UnsupportedMediaType,
            "PATCH needs Content-Type: application/offset+octet-stream",
        )));
    }
    let offset = number(&headers, "upload-offset")?;
    // The append runs on its own task: when a phone's connection drops, hyper drops this
    // handler, but the task still stores what arrived and records the new offset.
    let services = state.services.clone();
    let actor = caller.0.clone();
    let stream = body.into_data_stream();
    let upload = tokio::spawn(async move {
        let caller = AnyCaller(actor);
        tus::patch(&services, &caller.0, &id, offset, stream).await
    })
    .await
    .map_err(|e| ApiError(Error::internal(format!("upload task: {e}"))))??;
    Ok(progress(&upload, StatusCode::NO_CONTENT))
}

/// Termination: drop an unfinished upload.
#[utoipa::path(
    delete, path = "/uploads/{upload_id}", tag = "Files", security(("bearer" = [])),
    params(("upload_id" = String, Path), ("Tus-Resumable" = String, Header)),
    responses((status = 204, description = "Terminated"), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope))
)]
pub async fn terminate(
    State(state): State<AppState>,
    caller: AnyCaller,
    ApiPath(id): ApiPath<String>,
    headers: HeaderMap,
) -> ApiResult<StatusCode> {
    require_version(&headers)?;
    tus::terminate(&state.services, &caller.0, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::parse_metadata;

    #[test]
    fn metadata_pairs_are_base64() {
        let m = parse_metadata(Some("filename cGhvdG8uanBn,filetype aW1hZ2UvanBlZw==,flag")).unwrap();
        assert_eq!(m["filename"], "photo.jpg");
        assert_eq!(m["filetype"], "image/jpeg");
        assert_eq!(m["flag"], "");
        assert!(parse_metadata(Some("filename !!!")).is_err());
        assert!(parse_metadata(None).unwrap().is_empty());
    }
}

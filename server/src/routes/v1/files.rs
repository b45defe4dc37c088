//! `/v1/files`: presigned single-PUT uploads and signed downloads.

use crate::{
    auth::AnyCaller,
    error::{ApiError, ApiResult},
    extract::{ApiJson, ApiPath, ApiQuery},
    state::AppState,
};
use axum::{
    Json,
    body::Body,
    extract::State,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use domain::error::ErrorEnvelope;
use domain::files::{FileObject, PresignRequest, PresignedUpload};
use serde::Deserialize;

/// `?expires=…&signature=…` of a signed link.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Signed {
    pub expires: Option<i64>,
    pub signature: Option<String>,
}

/// Get a signed URL to PUT one file to, valid 15 minutes (API key or talent token).
#[utoipa::path(
    post, path = "/files/presign", tag = "Files", security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header)),
    request_body = PresignRequest,
    responses(
        (status = 201, body = PresignedUpload),
        (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope),
        (status = 404, description = "No such work order of yours", body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope),
        (status = 413, description = "Larger than the template allows", body = ErrorEnvelope),
        (status = 429, body = ErrorEnvelope),
    )
)]
pub async fn presign(
    State(state): State<AppState>,
    caller: AnyCaller,
    ApiJson(request): ApiJson<PresignRequest>,
) -> ApiResult<(StatusCode, Json<PresignedUpload>)> {
    Ok((StatusCode::CREATED, Json(domain::files::presign(&state.services, &caller.0, request).await?)))
}

/// A file you uploaded (or one for your work order), with a fresh download link when ready.
#[utoipa::path(
    get, path = "/files/{file_id}", tag = "Files", security(("bearer" = [])),
    params(("file_id" = String, Path)),
    responses((status = 200, body = FileObject), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope))
)]
pub async fn get(
    State(state): State<AppState>,
    caller: AnyCaller,
    ApiPath(file_id): ApiPath<String>,
) -> ApiResult<Json<FileObject>> {
    Ok(Json(domain::files::get(&state.services, &caller.0, &file_id).await?))
}

/// The presigned PUT: exactly the declared bytes, once. The content must match the declared
/// type (by its magic bytes).
#[utoipa::path(
    put, path = "/files/{file_id}/content", tag = "Files",
    params(("file_id" = String, Path), Signed),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses(
        (status = 200, body = FileObject),
        (status = 400, description = "Size mismatch or interrupted", body = ErrorEnvelope),
        (status = 403, description = "Expired, tampered or used link", body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope),
        (status = 413, body = ErrorEnvelope),
        (status = 415, description = "Content does not match the declared type", body = ErrorEnvelope),
        (status = 429, body = ErrorEnvelope),
    )
)]
pub async fn put_content(
    State(state): State<AppState>,
    ApiPath(file_id): ApiPath<String>,
    ApiQuery(signed): ApiQuery<Signed>,
    body: Body,
) -> ApiResult<Json<FileObject>> {
    let stream = body.into_data_stream();
    // On its own task, so that a dropped connection still cleans up after itself.
    let services = state.services.clone();
    let stored = tokio::spawn(async move {
        domain::files::put_content(&services, &file_id, signed.expires, signed.signature.as_deref(), stream).await
    })
    .await
    .map_err(|e| ApiError(domain::Error::internal(format!("upload task: {e}"))))??;
    Ok(Json(stored))
}

/// A signed download link (valid 15 minutes; expired or tampered → 403).
#[utoipa::path(
    get, path = "/files/{file_id}/download", tag = "Files",
    params(("file_id" = String, Path), Signed),
    responses(
        (status = 200, description = "The file's bytes", content_type = "application/octet-stream"),
        (status = 403, description = "Expired or tampered link", body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope),
        (status = 429, body = ErrorEnvelope),
    )
)]
pub async fn download(
    State(state): State<AppState>,
    ApiPath(file_id): ApiPath<String>,
    ApiQuery(signed): ApiQuery<Signed>,
) -> Result<Response, ApiError> {
    let (file, size, stream) =
        domain::files::download(&state.services, &file_id, signed.expires, signed.signature.as_deref()).await?;
    let mut response = Body::from_stream(stream).into_response();
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&file.declared_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(size));
    let safe: String = file.filename.chars().filter(|c| c.is_ascii_graphic() && *c != '"' && *c != '\\').collect();
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{safe}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=600"));
    Ok(response)
}

/// A JPEG thumbnail of a photo you uploaded (or one for your work order), at most 320 pixels
/// on its longest edge: made once on the server, never the full file.
#[utoipa::path(
    get, path = "/files/{file_id}/thumbnail", tag = "Files", security(("bearer" = [])),
    params(("file_id" = String, Path)),
    responses(
        (status = 200, description = "The thumbnail", content_type = "image/jpeg"),
        (status = 401, body = ErrorEnvelope),
        (status = 404, description = "No such file of yours, or not uploaded yet", body = ErrorEnvelope),
        (status = 415, description = "Not a photo (jpeg, png, webp)", body = ErrorEnvelope),
        (status = 429, body = ErrorEnvelope),
    )
)]
pub async fn thumbnail(
    State(state): State<AppState>,
    caller: AnyCaller,
    ApiPath(file_id): ApiPath<String>,
) -> Result<Response, ApiError> {
    let jpeg = domain::files::thumbnail(&state.services, &caller.0, &file_id).await?;
    let mut response = Body::from(jpeg).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/jpeg"));
    // A file's bytes never change once it is ready; only its owners may see it.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=86400"));
    Ok(response)
}

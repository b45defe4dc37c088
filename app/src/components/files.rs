//! Files as people read them: their size, and a photo's thumbnail made on the server.

/// `2.4 MB`, `37 kB`.
pub fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1024 * 1024 => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
        b => format!("{:.0} kB", (b as f64 / 1024.0).ceil()),
    }
}

/// Where a photo's thumbnail is (`GET /v1/files/:id/thumbnail`, for the file's owners), for the
/// types the server makes thumbnails of; `None` for any other file.
pub fn thumbnail_url(file_id: &str, content_type: &str) -> Option<String> {
    matches!(content_type, "image/jpeg" | "image/png" | "image/webp").then(|| format!("/v1/files/{file_id}/thumbnail"))
}

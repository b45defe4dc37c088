//! Files: uploaded once with a signed URL, or resumably over tus; downloaded with signed URLs
//! that expire after 15 minutes.

use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
mod service;
#[cfg(feature = "server")]
mod thumbnails;
#[cfg(feature = "server")]
pub mod tus;
#[cfg(feature = "server")]
pub use service::*;
#[cfg(feature = "server")]
pub use thumbnails::{THUMBNAIL_EDGE, thumbnail};

/// `POST /v1/files/presign`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PresignRequest {
    /// 1–255 characters, without a slash, a backslash or NUL.
    #[cfg_attr(
        feature = "server",
        schema(min_length = 1, max_length = 255, pattern = r"^[^/\\\u0000]*[^/\\\u0000\t\n\u000b\f\r ][^/\\\u0000]*$")
    )]
    pub filename: String,
    /// One of image/jpeg, image/png, image/heic, image/webp, video/mp4, video/quicktime,
    /// audio/wav, audio/flac, audio/mpeg, application/pdf, text/plain, text/csv.
    #[cfg_attr(feature = "server", schema(schema_with = crate::content_types::schema))]
    pub content_type: String,
    /// Exact size of the file to PUT, bytes: at most the work order's template allows (25 MB
    /// without one, 4096 MiB for the largest), else 413.
    #[cfg_attr(feature = "server", schema(minimum = 1, maximum = 4_294_967_296_u64))]
    #[serde(deserialize_with = "crate::whole::number")]
    pub size_bytes: u64,
    /// The work order the file is for: its template's size limit applies (25 MB without one).
    #[serde(default)]
    pub work_order_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PresignedUpload {
    pub file_id: String,
    /// PUT the file's bytes here, once, with the `headers` below; no Authorization needed.
    pub upload_url: String,
    pub method: String,
    pub headers: std::collections::BTreeMap<String, String>,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FileObject {
    pub id: String,
    pub filename: String,
    pub content_type: String,
    /// What the file's first bytes say it is.
    pub detected_format: Option<String>,
    pub size_bytes: u64,
    pub sha256: Option<String>,
    /// `pending` until its bytes have arrived, then `ready`.
    pub status: crate::status::FileStatus,
    pub work_order_id: Option<String>,
    /// Signed, valid 15 minutes; only for ready files.
    pub download_url: Option<String>,
    pub download_expires_at: Option<chrono::DateTime<chrono::Utc>>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

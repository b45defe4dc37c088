//! The file types deliverables may have, and what their first bytes must look like.

/// Declared content types and the format names templates use.
const TYPES: [(&str, &str); 13] = [
    ("image/jpeg", "jpeg"),
    ("image/png", "png"),
    ("image/heic", "heic"),
    ("image/webp", "webp"),
    ("video/mp4", "mp4"),
    ("video/quicktime", "mov"),
    ("audio/wav", "wav"),
    ("audio/x-wav", "wav"),
    ("audio/flac", "flac"),
    ("audio/mpeg", "mp3"),
    ("application/pdf", "pdf"),
    ("text/plain", "txt"),
    ("text/csv", "csv"),
];

/// The format name of a declared content type, when it is one we take.
pub fn format_of(content_type: &str) -> Option<&'static str> {
    let base = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    TYPES.iter().find(|(t, _)| *t == base).map(|(_, f)| *f)
}

pub fn accepted() -> Vec<&'static str> {
    TYPES.iter().map(|(t, _)| *t).collect()
}

/// The format name of a content type a client declares for a new file: exactly one of
/// [`accepted`], as the document's enum lists them.
pub fn declared(content_type: &str) -> Option<&'static str> {
    TYPES.iter().find(|(t, _)| *t == content_type).map(|(_, f)| *f)
}

/// The document's schema of a declared content type: the enum of [`accepted`].
pub fn schema() -> utoipa::openapi::schema::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(accepted()))
        .build()
}

/// The format the bytes are, by their magic numbers (text formats: valid UTF-8 without NULs).
pub fn sniff(head: &[u8]) -> Option<&'static str> {
    if let Some(kind) = infer::get(head) {
        return match kind.mime_type() {
            "image/jpeg" => Some("jpeg"),
            "image/png" => Some("png"),
            "image/heif" | "image/heic" | "image/avif" => Some("heic"),
            "image/webp" => Some("webp"),
            "video/mp4" | "video/x-m4v" | "audio/m4a" => Some("mp4"),
            "video/quicktime" => Some("mov"),
            "audio/x-wav" | "audio/wav" => Some("wav"),
            "audio/x-flac" | "audio/flac" => Some("flac"),
            "audio/mpeg" => Some("mp3"),
            "application/pdf" => Some("pdf"),
            _ => None,
        };
    }
    let text = match std::str::from_utf8(head) {
        Ok(t) => Some(t),
        // The head may end inside a multi-byte character.
        Err(e) if e.error_len().is_none() => std::str::from_utf8(&head[..e.valid_up_to()]).ok(),
        Err(_) => None,
    };
    text.filter(|t| !t.contains('\0')).map(|_| "txt")
}

/// Whether content sniffed as `detected` may be delivered as `declared`.
pub fn matches(declared: &str, detected: Option<&str>) -> bool {
    match (declared, detected) {
        ("csv", Some("txt")) => true,
        // ISO base media: QuickTime and MP4 share their container.
        ("mov", Some("mp4")) | ("mp4", Some("mov")) => true,
        (d, Some(x)) => d == x,
        (_, None) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_types_are_checked_against_magic_bytes() {
        assert_eq!(format_of("image/jpeg"), Some("jpeg"));
        assert_eq!(format_of("IMAGE/PNG; q=1"), Some("png"));
        assert_eq!(format_of("application/zip"), None);
        let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0];
        let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0];
        assert_eq!(sniff(&jpeg), Some("jpeg"));
        assert_eq!(sniff(&png), Some("png"));
        assert_eq!(sniff(b"a,b\n1,2\n"), Some("txt"));
        assert_eq!(sniff(&[0, 1, 2, 0xFF, 0xFE]), None);
        assert!(matches("jpeg", Some("jpeg")));
        assert!(!matches("jpeg", Some("png")));
        assert!(matches("csv", Some("txt")));
        assert!(!matches("pdf", None));
    }
}

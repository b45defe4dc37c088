//! Thumbnails of uploaded photos, made on the server with `image`: once per file (a file's
//! bytes never change once it is ready), kept in storage beside the files, so that a page of
//! photos never sends a full-size one.

use super::service::visible;
use crate::caller::Caller;
use crate::status::FileStatus;
use crate::{Error, ErrorCode, Services};
use bytes::Bytes;
use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageDecoder, ImageReader, Limits};
use std::io::Cursor;

/// The longest edge of a thumbnail, in pixels.
pub const THUMBNAIL_EDGE: u32 = 320;
const QUALITY: u8 = 80;
/// What a thumbnail is made of: the types `image` decodes here.
const PHOTO_TYPES: [&str; 3] = ["image/jpeg", "image/png", "image/webp"];

/// `GET /v1/files/:id/thumbnail`: a JPEG at most [`THUMBNAIL_EDGE`] pixels on its longest edge,
/// of a photo the caller may see, turned upright as its EXIF orientation says.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn thumbnail(svc: &Services, caller: &Caller, id: &str) -> Result<Bytes, Error> {
    let file = visible(svc, caller, id).await?;
    if file.status != FileStatus::Ready {
        return Err(Error::new(ErrorCode::NotFound, "No thumbnail yet: the file has not finished uploading")
            .with_details(serde_json::json!({ "current_status": file.status })));
    }
    // The declared type was checked against the file's first bytes when it was uploaded.
    if !PHOTO_TYPES.contains(&file.declared_type.as_str()) {
        return Err(Error::new(
            ErrorCode::UnsupportedMediaType,
            format!("Thumbnails are made of photos ({}); this file is {}", PHOTO_TYPES.join(", "), file.declared_type),
        ));
    }
    let key = format!("thumbnails/{}-{THUMBNAIL_EDGE}.jpg", file.id);
    if let Some(kept) = svc.storage.read_if_there(&key).await? {
        return Ok(kept);
    }
    let original = svc.storage.read_all(&file.storage_key).await?;
    let made = tokio::task::spawn_blocking(move || render(&original))
        .await
        .map_err(|e| Error::internal(format!("thumbnail task: {e}")))??;
    let made = Bytes::from(made);
    let size = made.len() as u64;
    // Two requests at once make the same bytes; whichever is written last stays.
    let body = futures::stream::iter([Ok::<_, std::convert::Infallible>(made.clone())]);
    if svc.storage.write_stream(&key, body, size, false).await?.is_err() {
        return Err(Error::internal("a thumbnail outgrew its own size"));
    }
    Ok(made)
}

/// Decodes (within the QA decoder's limits), turns upright and shrinks a photo to a JPEG.
fn render(bytes: &[u8]) -> Result<Vec<u8>, Error> {
    let unreadable = |e: image::ImageError| {
        Error::new(ErrorCode::UnsupportedMediaType, format!("This photo cannot be read for a thumbnail: {e}"))
    };
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|e| {
        Error::new(ErrorCode::UnsupportedMediaType, format!("This photo cannot be read for a thumbnail: {e}"))
    })?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(crate::qa::facts::MAX_PIXELS_PER_SIDE);
    limits.max_image_height = Some(crate::qa::facts::MAX_PIXELS_PER_SIDE);
    limits.max_alloc = Some(crate::qa::facts::MAX_DECODE_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(unreadable)?;
    // A photo whose EXIF cannot be read is still a photo: it is shown as it was stored.
    let orientation = decoder.orientation().unwrap_or_else(|e| {
        tracing::debug!("unreadable EXIF orientation: {e}");
        image::metadata::Orientation::NoTransforms
    });
    let mut photo = DynamicImage::from_decoder(decoder).map_err(unreadable)?;
    photo.apply_orientation(orientation);
    let small = photo.thumbnail(THUMBNAIL_EDGE, THUMBNAIL_EDGE).to_rgb8();
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, QUALITY).encode_image(&small).map_err(Error::internal)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::{THUMBNAIL_EDGE, render};
    use image::{GenericImageView, ImageFormat, RgbImage};

    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        RgbImage::from_fn(width, height, |x, _| image::Rgb([(x % 256) as u8, 40, 200]))
            .write_to(&mut out, ImageFormat::Png)
            .unwrap();
        out.into_inner()
    }

    #[test]
    fn a_thumbnail_keeps_the_photos_shape_within_the_edge() {
        let small = image::load_from_memory(&render(&png(2000, 1000)).unwrap()).unwrap();
        assert_eq!(small.dimensions(), (THUMBNAIL_EDGE, THUMBNAIL_EDGE / 2));
        let tall = image::load_from_memory(&render(&png(900, 1800)).unwrap()).unwrap();
        assert_eq!(tall.dimensions(), (THUMBNAIL_EDGE / 2, THUMBNAIL_EDGE));
        assert!(render(b"not a photo").is_err());
    }
}

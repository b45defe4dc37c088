//! What QA reads from each file, computed once per file on a blocking thread: dimensions,
//! sharpness, background, perceptual hash, EXIF place and time for photos; dimensions and
//! duration for video; sample rate and duration for audio. A file that cannot be read gets a
//! reason instead of facts, and every check about it fails with that reason.

use crate::talent::GeoPoint;
use chrono::{DateTime, NaiveDateTime, Utc};
use image::{DynamicImage, GenericImageView, ImageReader, Limits};
use image_hasher::{HashAlg, HasherConfig, ImageHash};
use std::io::{Cursor, Read, Seek};

/// Larger images are refused before decoding (decompression bombs).
pub const MAX_PIXELS_PER_SIDE: u32 = 20_000;
pub const MAX_DECODE_BYTES: u64 = 512 * 1024 * 1024;
/// Sharpness and background are measured on a copy no longer than this on its long edge.
pub const ANALYSIS_EDGE: u32 = 1600;

#[derive(Debug, Clone)]
pub struct ImageFacts {
    pub width: u32,
    pub height: u32,
    /// Variance of the 3×3 Laplacian of the grey image (scaled to `ANALYSIS_EDGE`).
    pub laplacian_variance: f64,
    /// Share of the outer tenth's pixels that are near white (every channel ≥ 235).
    pub white_border_share: f64,
    pub hash: ImageHash,
    pub gps: Option<GeoPoint>,
    pub taken_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VideoFacts {
    pub width: u32,
    pub height: u32,
    pub duration_secs: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AudioFacts {
    pub sample_rate: u32,
    pub channels: u32,
    pub duration_secs: f64,
}

#[derive(Debug, Clone)]
pub enum Facts {
    Image(Box<ImageFacts>),
    Video(VideoFacts),
    Audio(AudioFacts),
    Document,
    Unreadable(String),
}

/// Reads a photo from its bytes.
pub fn image(bytes: &[u8]) -> Facts {
    match decode(bytes) {
        Ok(img) => {
            let (width, height) = img.dimensions();
            let small = if width.max(height) > ANALYSIS_EDGE {
                img.resize(ANALYSIS_EDGE, ANALYSIS_EDGE, image::imageops::FilterType::Triangle)
            } else {
                img.clone()
            };
            let (gps, taken_at) = exif(bytes);
            Facts::Image(Box::new(ImageFacts {
                width,
                height,
                laplacian_variance: laplacian_variance(&small),
                white_border_share: white_border_share(&small),
                hash: HasherConfig::new()
                    .hash_alg(HashAlg::Median)
                    .hash_size(8, 8)
                    .preproc_dct()
                    .to_hasher()
                    .hash_image(&small),
                gps,
                taken_at,
            }))
        }
        Err(reason) => Facts::Unreadable(reason),
    }
}

fn decode(bytes: &[u8]) -> Result<DynamicImage, String> {
    let mut reader =
        ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|e| format!("unreadable image: {e}"))?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_PIXELS_PER_SIDE);
    limits.max_image_height = Some(MAX_PIXELS_PER_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits.clone());
    let (w, h) = reader.into_dimensions().map_err(|e| format!("unreadable image: {e}"))?;
    if w > MAX_PIXELS_PER_SIDE || h > MAX_PIXELS_PER_SIDE || u64::from(w) * u64::from(h) * 4 > MAX_DECODE_BYTES {
        return Err(format!("image of {w}×{h} pixels is larger than allowed"));
    }
    let mut reader =
        ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|e| format!("unreadable image: {e}"))?;
    reader.limits(limits);
    reader.decode().map_err(|e| format!("unreadable image: {e}"))
}

/// Variance of the Laplacian: low for blurred pictures, high for sharp ones.
pub fn laplacian_variance(img: &DynamicImage) -> f64 {
    let grey = img.to_luma8();
    let (w, h) = grey.dimensions();
    if w < 3 || h < 3 {
        return 0.0;
    }
    let px = |x: u32, y: u32| f64::from(grey.get_pixel(x, y)[0]);
    let (mut sum, mut sum_sq, mut n) = (0.0, 0.0, 0.0);
    for y in 1..h - 1 {
        for x in 1..w - 1 {
            let v = px(x - 1, y) + px(x + 1, y) + px(x, y - 1) + px(x, y + 1) - 4.0 * px(x, y);
            sum += v;
            sum_sq += v * v;
            n += 1.0;
        }
    }
    let mean = sum / n;
    sum_sq / n - mean * mean
}

/// Share of near-white pixels in the frame made by the outer tenth of each side.
pub fn white_border_share(img: &DynamicImage) -> f64 {
    let rgb = img.to_rgb8();
    let (w, h) = rgb.dimensions();
    let (bw, bh) = ((w / 10).max(1), (h / 10).max(1));
    let (mut white, mut total) = (0u64, 0u64);
    for (x, y, p) in rgb.enumerate_pixels() {
        if x < bw || x >= w - bw || y < bh || y >= h - bh {
            total += 1;
            if p.0.iter().all(|&c| c >= 235) {
                white += 1;
            }
        }
    }
    if total == 0 { 0.0 } else { white as f64 / total as f64 }
}

/// GPS position and capture time from EXIF, when present. A capture time without an offset
/// is taken as UTC.
pub fn exif(bytes: &[u8]) -> (Option<GeoPoint>, Option<DateTime<Utc>>) {
    let Ok(data) = exif::Reader::new().read_from_container(&mut Cursor::new(bytes)) else {
        return (None, None);
    };
    let degrees = |tag: exif::Tag, reference: exif::Tag, negative: &str| -> Option<f64> {
        let field = data.get_field(tag, exif::In::PRIMARY)?;
        let exif::Value::Rational(parts) = &field.value else { return None };
        if parts.len() < 3 {
            return None;
        }
        let value = parts[0].to_f64() + parts[1].to_f64() / 60.0 + parts[2].to_f64() / 3600.0;
        let sign = data
            .get_field(reference, exif::In::PRIMARY)
            .map(|f| f.display_value().to_string())
            .filter(|r| r.trim().eq_ignore_ascii_case(negative))
            .map_or(1.0, |_| -1.0);
        Some(sign * value)
    };
    let gps = match (
        degrees(exif::Tag::GPSLatitude, exif::Tag::GPSLatitudeRef, "S"),
        degrees(exif::Tag::GPSLongitude, exif::Tag::GPSLongitudeRef, "W"),
    ) {
        (Some(lat), Some(lng)) => Some(GeoPoint { lat, lng }),
        _ => None,
    };
    let taken_at = data.get_field(exif::Tag::DateTimeOriginal, exif::In::PRIMARY).and_then(|f| match &f.value {
        exif::Value::Ascii(v) => v
            .first()
            .and_then(|s| std::str::from_utf8(s).ok())
            .and_then(|s| NaiveDateTime::parse_from_str(s.trim(), "%Y:%m:%d %H:%M:%S").ok().map(|n| n.and_utc())),
        _ => None,
    });
    (gps, taken_at)
}

/// Reads an MP4 or QuickTime file's duration and picture size.
pub fn video<R: Read + Seek>(reader: R, size: u64) -> Facts {
    match mp4::Mp4Reader::read_header(reader, size) {
        Ok(mp4) => {
            let video = mp4.tracks().values().find(|t| matches!(t.track_type(), Ok(mp4::TrackType::Video)));
            match video {
                Some(track) => Facts::Video(VideoFacts {
                    width: u32::from(track.width()),
                    height: u32::from(track.height()),
                    duration_secs: mp4.duration().as_secs_f64(),
                }),
                None => Facts::Unreadable("no video track".into()),
            }
        }
        Err(e) => Facts::Unreadable(format!("unreadable video: {e}")),
    }
}

/// Reads an audio file's sample rate, channels and duration.
/// Reads an audio file's header through `source` (a file on disk in QA): only the header and
/// what symphonia buffers are in memory, however long the recording.
pub fn audio(source: Box<dyn symphonia::core::io::MediaSource>, extension: &str) -> Facts {
    use symphonia::core::{formats::FormatOptions, io::MediaSourceStream, meta::MetadataOptions, probe::Hint};
    let stream = MediaSourceStream::new(source, Default::default());
    let mut hint = Hint::new();
    hint.with_extension(extension);
    let probed = match symphonia::default::get_probe().format(
        &hint,
        stream,
        &FormatOptions::default(),
        &MetadataOptions::default(),
    ) {
        Ok(p) => p,
        Err(e) => return Facts::Unreadable(format!("unreadable audio: {e}")),
    };
    let Some(track) = probed.format.default_track() else { return Facts::Unreadable("no audio track".into()) };
    let params = &track.codec_params;
    let Some(sample_rate) = params.sample_rate else { return Facts::Unreadable("no sample rate".into()) };
    let duration_secs = params.n_frames.map(|n| n as f64 / f64::from(sample_rate)).unwrap_or(0.0);
    Facts::Audio(AudioFacts {
        sample_rate,
        channels: params.channels.map(|c| c.count() as u32).unwrap_or(0),
        duration_secs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, RgbImage};

    fn noise(w: u32, h: u32, seed: u32) -> RgbImage {
        let mut state = seed.wrapping_mul(2_654_435_761).max(1);
        RgbImage::from_fn(w, h, |_, _| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let v = (state & 0xFF) as u8;
            Rgb([v, v.wrapping_add(40), v.wrapping_add(80)])
        })
    }

    #[test]
    fn sharp_pictures_have_a_high_laplacian_variance_and_blurred_ones_low() {
        let sharp = DynamicImage::ImageRgb8(noise(200, 150, 7));
        let blurred = sharp.blur(6.0);
        let (s, b) = (laplacian_variance(&sharp), laplacian_variance(&blurred));
        assert!(s > 1000.0 && b < 50.0, "sharp {s}, blurred {b}");
    }

    #[test]
    fn white_borders_are_measured() {
        let mut img = RgbImage::from_pixel(100, 100, Rgb([255, 255, 255]));
        for x in 30..70 {
            for y in 30..70 {
                img.put_pixel(x, y, Rgb([10, 20, 30]));
            }
        }
        assert!(white_border_share(&DynamicImage::ImageRgb8(img)) > 0.99);
        assert!(white_border_share(&DynamicImage::ImageRgb8(noise(100, 100, 3))) < 0.1);
    }

    #[test]
    fn corrupt_and_oversized_images_are_unreadable_not_panics() {
        assert!(matches!(image(b"\xFF\xD8\xFF\xE0garbage"), Facts::Unreadable(_)));
        assert!(matches!(image(b""), Facts::Unreadable(_)));
        // A PNG header that claims 100000 × 100000 pixels.
        let mut png = Vec::new();
        png.extend_from_slice(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(&100_000u32.to_be_bytes());
        ihdr.extend_from_slice(&100_000u32.to_be_bytes());
        ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
        png.extend_from_slice(&(ihdr.len() as u32).to_be_bytes());
        png.extend_from_slice(b"IHDR");
        png.extend_from_slice(&ihdr);
        png.extend_from_slice(&[0, 0, 0, 0]);
        match image(&png) {
            Facts::Unreadable(reason) => {
                assert!(reason.contains("larger") || reason.contains("unreadable"), "{reason}")
            }
            other => panic!("decoded a bomb: {other:?}"),
        }
    }
}

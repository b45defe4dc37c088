//! Files the delivery tests upload, made by the tests themselves: sharp and blurred photos,
//! white and busy backgrounds, with and without EXIF GPS; vertical video; multi-track audio.

use image::{DynamicImage, ImageEncoder, Rgb, RgbImage, codecs::jpeg::JpegEncoder};

/// Pseudo-random noise: sharp, busy, and different for every seed.
pub fn noise(w: u32, h: u32, seed: u32) -> RgbImage {
    let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(12345).max(1);
    RgbImage::from_fn(w, h, |_, _| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let v = (state & 0xFF) as u8;
        Rgb([v, v.wrapping_mul(3), v.wrapping_add(90)])
    })
}

/// A product on a white background: noise in the middle, white around it.
pub fn product_on_white(w: u32, h: u32, seed: u32) -> RgbImage {
    let mut img = RgbImage::from_pixel(w, h, Rgb([255, 255, 255]));
    let inner = noise(w / 2, h / 2, seed);
    image::imageops::overlay(&mut img, &inner, i64::from(w / 4), i64::from(h / 4));
    img
}

pub fn jpeg(img: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 90)
        .write_image(img.as_raw(), img.width(), img.height(), image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

pub fn blurred(img: &RgbImage) -> RgbImage {
    DynamicImage::ImageRgb8(img.clone()).blur(8.0).to_rgb8()
}

pub fn png(img: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(img.as_raw(), img.width(), img.height(), image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

/// A JPEG with EXIF: GPS position (when given) and capture time, as a phone writes them.
pub fn with_exif(jpeg: &[u8], gps: Option<(f64, f64)>, taken: chrono::DateTime<chrono::Utc>) -> Vec<u8> {
    exif_writer::insert(jpeg, gps, &taken.format("%Y:%m:%d %H:%M:%S").to_string())
}

/// A minimal EXIF writer (APP1 with IFD0 → Exif IFD (DateTimeOriginal) and GPS IFD).
mod exif_writer {
    fn rational(deg: f64) -> Vec<(u32, u32)> {
        let d = deg.abs();
        let whole = d.floor();
        let minutes = ((d - whole) * 60.0).floor();
        let seconds = (d - whole - minutes / 60.0) * 3600.0;
        vec![(whole as u32, 1), (minutes as u32, 1), ((seconds * 10_000.0).round() as u32, 10_000)]
    }

    struct Entry {
        tag: u16,
        kind: u16,
        count: u32,
        data: Vec<u8>,
    }

    fn ascii(tag: u16, text: &str) -> Entry {
        let mut data = text.as_bytes().to_vec();
        data.push(0);
        Entry { tag, kind: 2, count: data.len() as u32, data }
    }

    fn rationals(tag: u16, values: &[(u32, u32)]) -> Entry {
        let mut data = Vec::new();
        for (n, d) in values {
            data.extend_from_slice(&n.to_be_bytes());
            data.extend_from_slice(&d.to_be_bytes());
        }
        Entry { tag, kind: 5, count: values.len() as u32, data }
    }

    fn long(tag: u16, value: u32) -> Entry {
        Entry { tag, kind: 4, count: 1, data: value.to_be_bytes().to_vec() }
    }

    /// Lays out an IFD at `start` (offset from the TIFF header); returns its bytes.
    fn ifd(start: u32, entries: &[Entry]) -> Vec<u8> {
        let table = 2 + entries.len() as u32 * 12 + 4;
        let mut head = Vec::new();
        let mut extra = Vec::new();
        head.extend_from_slice(&(entries.len() as u16).to_be_bytes());
        for e in entries {
            head.extend_from_slice(&e.tag.to_be_bytes());
            head.extend_from_slice(&e.kind.to_be_bytes());
            head.extend_from_slice(&e.count.to_be_bytes());
            if e.data.len() <= 4 {
                let mut v = e.data.clone();
                v.resize(4, 0);
                head.extend_from_slice(&v);
            } else {
                head.extend_from_slice(&(start + table + extra.len() as u32).to_be_bytes());
                extra.extend_from_slice(&e.data);
                if extra.len() % 2 == 1 {
                    extra.push(0);
                }
            }
        }
        head.extend_from_slice(&0u32.to_be_bytes());
        head.extend_from_slice(&extra);
        head
    }

    fn size(entries: &[Entry]) -> u32 {
        let extra: u32 =
            entries.iter().filter(|e| e.data.len() > 4).map(|e| (e.data.len() as u32).div_ceil(2) * 2).sum();
        2 + entries.len() as u32 * 12 + 4 + extra
    }

    pub fn insert(jpeg: &[u8], gps: Option<(f64, f64)>, taken: &str) -> Vec<u8> {
        let exif_entries = vec![ascii(0x9003, taken)];
        let gps_entries = gps.map(|(lat, lng)| {
            vec![
                ascii(0x0001, if lat >= 0.0 { "N" } else { "S" }),
                rationals(0x0002, &rational(lat)),
                ascii(0x0003, if lng >= 0.0 { "E" } else { "W" }),
                rationals(0x0004, &rational(lng)),
            ]
        });
        // IFD0 points at the Exif IFD and (maybe) the GPS IFD; offsets are fixed up below.
        let ifd0_len = 2 + if gps.is_some() { 2 } else { 1 } * 12 + 4;
        let exif_start = 8 + ifd0_len;
        let gps_start = exif_start + size(&exif_entries);
        let mut ifd0_entries = vec![long(0x8769, exif_start)];
        if gps.is_some() {
            ifd0_entries.push(long(0x8825, gps_start));
        }
        let mut tiff = b"MM\0\x2a\0\0\0\x08".to_vec();
        tiff.extend_from_slice(&ifd(8, &ifd0_entries));
        tiff.extend_from_slice(&ifd(exif_start, &exif_entries));
        if let Some(entries) = &gps_entries {
            tiff.extend_from_slice(&ifd(gps_start, entries));
        }
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend_from_slice(&tiff);
        let mut out = jpeg[..2].to_vec(); // SOI
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
        out.extend_from_slice(&app1);
        out.extend_from_slice(&jpeg[2..]);
        out
    }
}

/// An MP4 with one video track of `w`×`h` lasting `seconds` (frames are placeholders: QA
/// reads the container, not the pictures).
pub fn mp4(w: u16, h: u16, seconds: u32) -> Vec<u8> {
    use mp4::{AvcConfig, MediaConfig, Mp4Config, Mp4Sample, Mp4Writer, TrackConfig, TrackType};
    let mut out = std::io::Cursor::new(Vec::new());
    let config = Mp4Config {
        major_brand: str::parse("isom").unwrap(),
        minor_version: 512,
        compatible_brands: vec![
            str::parse("isom").unwrap(),
            str::parse("iso2").unwrap(),
            str::parse("avc1").unwrap(),
            str::parse("mp41").unwrap(),
        ],
        timescale: 1000,
    };
    let mut writer = Mp4Writer::write_start(&mut out, &config).unwrap();
    writer
        .add_track(&TrackConfig {
            track_type: TrackType::Video,
            timescale: 1000,
            language: "und".into(),
            media_conf: MediaConfig::AvcConfig(AvcConfig {
                width: w,
                height: h,
                seq_param_set: vec![0x67, 0x64, 0x00, 0x1f, 0xac, 0xd9],
                pic_param_set: vec![0x68, 0xeb, 0xe3, 0xcb],
            }),
        })
        .unwrap();
    for i in 0..seconds {
        writer
            .write_sample(
                1,
                &Mp4Sample {
                    start_time: u64::from(i) * 1000,
                    duration: 1000,
                    rendering_offset: 0,
                    is_sync: true,
                    bytes: bytes::Bytes::from(vec![0, 0, 0, 4, 0x65, 0x88, 0x84, 0x00]),
                },
            )
            .unwrap();
    }
    writer.write_end().unwrap();
    out.into_inner()
}

/// A WAV of silence: `rate` Hz, mono, 8-bit (small), `seconds` long.
pub fn wav(rate: u32, seconds: u32) -> Vec<u8> {
    let spec =
        hound::WavSpec { channels: 1, sample_rate: rate, bits_per_sample: 8, sample_format: hound::SampleFormat::Int };
    let mut out = std::io::Cursor::new(Vec::new());
    let mut writer = hound::WavWriter::new(&mut out, spec).unwrap();
    for _ in 0..rate * seconds {
        writer.write_sample(0i8).unwrap();
    }
    writer.finalize().unwrap();
    out.into_inner()
}

/// A WAV header and `seconds` of 8-bit mono silence, built directly (large files, fast).
pub fn wav_silence(rate: u32, seconds: u32) -> Vec<u8> {
    let data = rate as usize * seconds as usize;
    let mut out = Vec::with_capacity(44 + data);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data as u32).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&rate.to_le_bytes());
    out.extend_from_slice(&rate.to_le_bytes()); // bytes per second
    out.extend_from_slice(&1u16.to_le_bytes()); // block align
    out.extend_from_slice(&8u16.to_le_bytes()); // bits per sample
    out.extend_from_slice(b"data");
    out.extend_from_slice(&(data as u32).to_le_bytes());
    out.resize(44 + data, 128);
    out
}

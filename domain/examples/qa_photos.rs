//! Benchmark: QA's per-photo analysis on 30 photos of 12 MP (4000 × 3000 JPEG), run as the
//! service runs it (one file per core at a time). Prints figures; asserts nothing.
//!
//!     cargo run --profile server-release -p domain --features server --example qa_photos
#![allow(clippy::unwrap_used, clippy::expect_used)]

use image::{ImageEncoder, Rgb, RgbImage, codecs::jpeg::JpegEncoder};
use std::time::Instant;

fn photo(seed: u32) -> Vec<u8> {
    // A smooth gradient with detail, closer to a real photo than noise (and JPEG-sized like one).
    let img = RgbImage::from_fn(4000, 3000, |x, y| {
        let v = ((x * 7 + y * 3 + seed * 101) % 255) as u8;
        let d = (((x / 8) ^ (y / 8)) & 1) as u8 * 40;
        Rgb([v, v.wrapping_add(d), 255 - v])
    });
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 88)
        .write_image(img.as_raw(), 4000, 3000, image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

fn main() {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let t = Instant::now();
    let photos: Vec<Vec<u8>> = (0..30).map(photo).collect();
    let total: usize = photos.iter().map(Vec::len).sum();
    println!("made 30 JPEGs of 4000×3000 ({:.1} MB in all) in {:.1} s", total as f64 / 1e6, t.elapsed().as_secs_f64());

    let t = Instant::now();
    let queue = std::sync::Mutex::new(photos.iter().enumerate());
    let times = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..cores {
            s.spawn(|| {
                loop {
                    let Some((_, bytes)) = queue.lock().unwrap().next() else { break };
                    let one = Instant::now();
                    let facts = domain::qa::facts::image(bytes);
                    assert!(matches!(facts, domain::qa::facts::Facts::Image(_)));
                    times.lock().unwrap().push(one.elapsed().as_secs_f64());
                }
            });
        }
    });
    let wall = t.elapsed().as_secs_f64();
    let mut times = times.into_inner().unwrap();
    times.sort_by(f64::total_cmp);
    println!(
        "QA facts for 30 photos of 12 MP on {cores} cores: {wall:.2} s wall; per photo p50 {:.0} ms, max {:.0} ms",
        times[times.len() / 2] * 1000.0,
        times[times.len() - 1] * 1000.0
    );
}

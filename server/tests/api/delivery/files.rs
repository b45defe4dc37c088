//! Presigned uploads and signed downloads.

use super::{photo_job, upload};
use crate::fixtures;
use crate::helpers::{assert_error, json, spawn_app_with};
use serde_json::json;
use sha2::{Digest, Sha256};

pub const SECRET: &str = "test-signing-secret";

#[tokio::test]
async fn a_presigned_put_stores_the_file_once_and_downloads_are_signed() {
    let app = spawn_app_with(&[("HD_SECRET_KEY", SECRET)]).await;
    let (s, wo) = photo_job(&app).await;
    let bytes = fixtures::jpeg(&fixtures::product_on_white(400, 300, 1));
    let presigned = json(
        app.post_as(
            &s.talent_token,
            "/v1/files/presign",
            &json!({"filename": "a.jpg", "content_type": "image/jpeg", "size_bytes": bytes.len(), "work_order_id": wo}),
        )
        .await,
    )
    .await;
    assert_eq!(presigned["method"], "PUT");
    let url = presigned["upload_url"].as_str().unwrap().to_owned();
    let put = |body: Vec<u8>| app.client.put(&url).header("content-type", "image/jpeg").body(body).send();

    // A wrong size is refused and the link stays usable; then it works once.
    assert_error(put(bytes[..10].to_vec()).await.unwrap(), 400, "SCHEMA_VALIDATION_FAILED").await;
    let stored = put(bytes.clone()).await.unwrap();
    assert_eq!(stored.status(), 200);
    let file = json(stored).await;
    assert_eq!(file["status"], "ready");
    assert_eq!(file["detected_format"], "jpeg");
    assert_eq!(file["sha256"], hex::encode(Sha256::digest(&bytes)));
    assert_error(put(bytes.clone()).await.unwrap(), 403, "POLICY_BLOCKED").await;

    // The download link returns the same bytes.
    let download = file["download_url"].as_str().unwrap();
    let got = reqwest::get(download).await.unwrap();
    assert_eq!(got.headers()["content-type"], "image/jpeg");
    assert_eq!(got.bytes().await.unwrap().as_ref(), bytes.as_slice());

    // Tampered or expired links are 403.
    let file_id = file["id"].as_str().unwrap();
    let tampered = download.replace("signature=", "signature=00");
    assert_error(reqwest::get(&tampered).await.unwrap(), 403, "POLICY_BLOCKED").await;
    let other_file = download.replace(file_id, "file_0000");
    assert_error(reqwest::get(&other_file).await.unwrap(), 403, "POLICY_BLOCKED").await;
    let past = chrono::Utc::now().timestamp() - 60;
    let expired = format!(
        "{}/v1/files/{file_id}/download?expires={past}&signature={}",
        app.address,
        sign("download", file_id, past)
    );
    let body = assert_error(reqwest::get(&expired).await.unwrap(), 403, "POLICY_BLOCKED").await;
    assert_eq!(body["error"]["details"]["current_status"], "expired");
    let unsigned = format!("{}/v1/files/{file_id}/download", app.address);
    assert_error(reqwest::get(&unsigned).await.unwrap(), 403, "POLICY_BLOCKED").await;
}

/// The server's signature, computed with the secret the test configured.
pub fn sign(purpose: &str, id: &str, expires: i64) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(format!("url\0{purpose}\0{id}\0{expires}").as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

#[tokio::test]
async fn content_must_match_its_declared_type_and_the_templates_size_limit() {
    let app = spawn_app_with(&[]).await;
    let (s, wo) = photo_job(&app).await;
    let png = fixtures::png(&fixtures::noise(64, 64, 2));
    let presigned = json(
        app.post_as(&s.talent_token, "/v1/files/presign", &json!({"filename": "fake.jpg", "content_type": "image/jpeg", "size_bytes": png.len(), "work_order_id": wo}))
            .await,
    )
    .await;
    let put = app.client.put(presigned["upload_url"].as_str().unwrap()).body(png).send().await.unwrap();
    let body = assert_error(put, 415, "UNSUPPORTED_MEDIA_TYPE").await;
    assert_eq!(body["error"]["details"]["detected"], "png");

    // PRODUCT_PHOTO_ECOMM takes files up to 50 MB.
    let big = app
        .post_as(&s.talent_token, "/v1/files/presign", &json!({"filename": "huge.jpg", "content_type": "image/jpeg", "size_bytes": 51u64 * 1024 * 1024, "work_order_id": wo}))
        .await;
    assert_error(big, 413, "PAYLOAD_TOO_LARGE").await;
    let wrong_type = app
        .post_as(
            &s.talent_token,
            "/v1/files/presign",
            &json!({"filename": "x.exe", "content_type": "application/x-msdownload", "size_bytes": 10}),
        )
        .await;
    assert_error(wrong_type, 400, "SCHEMA_VALIDATION_FAILED").await;
    // Another talent cannot attach files to this work order.
    let (_, other_token) = crate::marketplace::new_talent(&app, &s.key, json!({})).await;
    let r = app
        .post_as(
            &other_token,
            "/v1/files/presign",
            &json!({"filename": "a.jpg", "content_type": "image/jpeg", "size_bytes": 10, "work_order_id": wo}),
        )
        .await;
    assert_error(r, 404, "NOT_FOUND").await;
    let _ = upload;
}

#[tokio::test]
async fn a_photos_thumbnail_is_small_upright_made_once_and_only_for_its_owners() {
    let app = spawn_app_with(&[]).await;
    let (s, wo) = photo_job(&app).await;
    // 2000×1600, taken with the phone on its side: EXIF orientation 6 (turn 90° clockwise).
    let photo = fixtures::jpeg(&fixtures::product_on_white(2000, 1600, 1));
    let file_id = upload(&app, &s.talent_token, &wo, "side.jpg", "image/jpeg", with_orientation(&photo, 6)).await;

    let path = format!("/v1/files/{file_id}/thumbnail");
    let first = app.get_as(&s.talent_token, &path).await;
    assert_eq!(first.status(), 200, "{}", first.text().await.unwrap());
    assert_eq!(first.headers()["content-type"], "image/jpeg");
    assert_eq!(first.headers()["cache-control"], "private, max-age=86400");
    let first = first.bytes().await.unwrap();
    let small = image::load_from_memory(&first).unwrap();
    assert_eq!((small.width(), small.height()), (256, 320), "upright, the long edge 320 px");
    assert!(first.len() < photo.len() / 4, "{} bytes for a {}-byte photo", first.len(), photo.len());
    // Kept: the principal of the work order gets the same bytes, read back, not made again.
    let kept = std::fs::read_dir(app.data_path.join("files/thumbnails")).unwrap().count();
    assert_eq!(kept, 1);
    let again = app.get_as(&s.key, &path).await;
    assert_eq!(again.status(), 200);
    assert_eq!(again.bytes().await.unwrap(), first);

    // Anyone else's file is not found; without a token, 401.
    let (_, stranger) = app.signup("Someone Else").await;
    assert_error(app.get_as(&stranger, &path).await, 404, "NOT_FOUND").await;
    assert_error(app.get(&path).await, 401, "AUTH_SCOPE_DENIED").await;

    // A video has no thumbnail here, and says so.
    let video = fixtures::mp4(320, 240, 1);
    let presigned = json(
        app.post_as(
            &s.talent_token,
            "/v1/files/presign",
            &json!({"filename": "clip.mp4", "content_type": "video/mp4", "size_bytes": video.len()}),
        )
        .await,
    )
    .await;
    let put = app.client.put(presigned["upload_url"].as_str().unwrap()).body(video).send().await.unwrap();
    assert_eq!(put.status(), 200);
    let clip = format!("/v1/files/{}/thumbnail", presigned["file_id"].as_str().unwrap());
    let body = assert_error(app.get_as(&s.talent_token, &clip).await, 415, "UNSUPPORTED_MEDIA_TYPE").await;
    assert!(body["error"]["message"].as_str().unwrap().contains("this file is video/mp4"), "{body}");
}

/// `jpeg` with an APP1 EXIF segment holding only an orientation tag.
fn with_orientation(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    let mut tiff = b"MM\0\x2a\0\0\0\x08".to_vec();
    tiff.extend_from_slice(&1u16.to_be_bytes()); // one entry
    tiff.extend_from_slice(&0x0112u16.to_be_bytes()); // Orientation
    tiff.extend_from_slice(&3u16.to_be_bytes()); // SHORT
    tiff.extend_from_slice(&1u32.to_be_bytes());
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0]);
    tiff.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let mut out = jpeg[..2].to_vec(); // SOI
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&u16::try_from(app1.len() + 2).unwrap().to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[2..]);
    out
}

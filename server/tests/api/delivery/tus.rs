//! Resumable uploads (tus 1.0): a phone's upload cut in the middle resumes where it stopped.

use super::photo_job;
use crate::fixtures;
use crate::helpers::{assert_error, json, spawn_app};
use sha2::{Digest, Sha256};

fn b64(s: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(s)
}

#[tokio::test]
async fn the_server_advertises_tus_1_0_with_its_extensions() {
    let app = spawn_app().await;
    let r = app.client.request(reqwest::Method::OPTIONS, app.url("/v1/uploads")).send().await.unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(r.headers()["tus-resumable"], "1.0.0");
    assert_eq!(r.headers()["tus-version"], "1.0.0");
    let extensions = r.headers()["tus-extension"].to_str().unwrap();
    for e in ["creation", "termination", "expiration"] {
        assert!(extensions.split(',').any(|x| x == e), "{extensions}");
    }
}

#[tokio::test]
async fn an_upload_cut_in_the_middle_resumes_and_arrives_whole() {
    let app = spawn_app().await;
    let (s, wo) = photo_job(&app).await;
    let bytes = fixtures::jpeg(&fixtures::noise(1200, 900, 42));
    let total = bytes.len();
    assert!(total > 600_000, "a file worth resuming: {total} bytes");

    let created = app
        .client
        .post(app.url("/v1/uploads"))
        .bearer_auth(&s.talent_token)
        .header("tus-resumable", "1.0.0")
        .header("upload-length", total.to_string())
        .header(
            "upload-metadata",
            format!("filename {},filetype {},work_order_id {}", b64("shot.jpg"), b64("image/jpeg"), b64(&wo)),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    assert_eq!(created.headers()["tus-resumable"], "1.0.0");
    assert!(created.headers().get("upload-expires").is_some());
    let location = created.headers()["location"].to_str().unwrap().to_owned();
    let file_id = location.rsplit('/').next().unwrap().to_owned();

    // The phone sends half, then its connection drops.
    let half = total / 2;
    let first: Vec<u8> = bytes[..half].to_vec();
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = first
        .chunks(64 * 1024)
        .map(|c| Ok(c.to_vec()))
        .chain(std::iter::once(Err(std::io::Error::other("signal lost"))))
        .collect();
    let cut = app
        .client
        .patch(&location)
        .bearer_auth(&s.talent_token)
        .header("tus-resumable", "1.0.0")
        .header("upload-offset", "0")
        .header("content-type", "application/offset+octet-stream")
        .body(reqwest::Body::wrap_stream(futures::stream::iter(chunks)))
        .send()
        .await;
    assert!(cut.is_err(), "the client saw its request fail");

    // HEAD says how much arrived; the rest follows from there.
    let mut offset = 0;
    for _ in 0..50 {
        let head = app
            .client
            .head(&location)
            .bearer_auth(&s.talent_token)
            .header("tus-resumable", "1.0.0")
            .send()
            .await
            .unwrap();
        assert_eq!(head.status(), 200);
        assert_eq!(head.headers()["upload-length"], total.to_string().as_str());
        assert_eq!(head.headers()["cache-control"], "no-store");
        offset = head.headers()["upload-offset"].to_str().unwrap().parse::<usize>().unwrap();
        if offset > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(offset > 0 && offset <= half, "kept {offset} of the {half} bytes sent");

    // A PATCH at the wrong offset is a conflict.
    let wrong = app
        .client
        .patch(&location)
        .bearer_auth(&s.talent_token)
        .header("tus-resumable", "1.0.0")
        .header("upload-offset", "0")
        .header("content-type", "application/offset+octet-stream")
        .body(bytes[..10].to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 409);

    let rest = app
        .client
        .patch(&location)
        .bearer_auth(&s.talent_token)
        .header("tus-resumable", "1.0.0")
        .header("upload-offset", offset.to_string())
        .header("content-type", "application/offset+octet-stream")
        .body(bytes[offset..].to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(rest.status(), 204);
    assert_eq!(rest.headers()["upload-offset"], total.to_string().as_str());

    let file = json(app.get_as(&s.talent_token, &format!("/v1/files/{file_id}")).await).await;
    assert_eq!(file["status"], "ready");
    let expected = hex::encode(Sha256::digest(&bytes));
    assert_eq!(file["sha256"], expected.as_str());
    let downloaded = reqwest::get(file["download_url"].as_str().unwrap()).await.unwrap().bytes().await.unwrap();
    assert_eq!(hex::encode(Sha256::digest(&downloaded)), expected, "the SHA-256 of what arrives matches the original");
}

#[tokio::test]
async fn protocol_errors_and_termination() {
    let app = spawn_app().await;
    let (s, wo) = photo_job(&app).await;
    let create = |version: &'static str, length: &'static str| {
        app.client
            .post(app.url("/v1/uploads"))
            .bearer_auth(&s.talent_token)
            .header("tus-resumable", version)
            .header("upload-length", length)
            .header(
                "upload-metadata",
                format!("filename {},filetype {},work_order_id {}", b64("a.jpg"), b64("image/jpeg"), b64(&wo)),
            )
            .send()
    };
    let old = create("0.2.2", "100").await.unwrap();
    assert_eq!(old.headers()["tus-version"], "1.0.0");
    assert_error(old, 412, "PRECONDITION_FAILED").await;
    assert_error(create("1.0.0", "lots").await.unwrap(), 400, "SCHEMA_VALIDATION_FAILED").await;
    assert_error(create("1.0.0", "999999999999").await.unwrap(), 413, "PAYLOAD_TOO_LARGE").await;

    let location = create("1.0.0", "100").await.unwrap().headers()["location"].to_str().unwrap().to_owned();
    let wrong_type = app
        .client
        .patch(&location)
        .bearer_auth(&s.talent_token)
        .header("tus-resumable", "1.0.0")
        .header("upload-offset", "0")
        .header("content-type", "application/octet-stream")
        .body(vec![0u8; 10])
        .send()
        .await
        .unwrap();
    assert_error(wrong_type, 415, "UNSUPPORTED_MEDIA_TYPE").await;
    // Someone else's upload is not there.
    let (_, stranger) = crate::marketplace::new_talent(&app, &s.key, serde_json::json!({})).await;
    let r = app.client.head(&location).bearer_auth(&stranger).header("tus-resumable", "1.0.0").send().await.unwrap();
    assert_eq!(r.status(), 404);

    let gone = app
        .client
        .delete(&location)
        .bearer_auth(&s.talent_token)
        .header("tus-resumable", "1.0.0")
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 204);
    let r =
        app.client.head(&location).bearer_auth(&s.talent_token).header("tus-resumable", "1.0.0").send().await.unwrap();
    assert_eq!(r.status(), 404);
}

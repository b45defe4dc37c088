//! QA beyond plain photos: EXIF place and time for audits, vertical video for UGC, tracks and
//! sample rates for podcasts.

use super::{deliver, upload};
use crate::fixtures;
use crate::helpers::{TestApp, json, spawn_app};
use crate::marketplace::{SHOP, Scene, scene};
use serde_json::{Value, json};

/// Books `task` for a fresh scene's talent; checks in when `checkin_at` is given.
async fn job(app: &TestApp, task: Value, amount: i64, checkin: bool) -> (Scene, String, String) {
    let s = scene(app, Some("ok")).await;
    let created = app.create_task(&s.key, &task).await;
    let s = Scene {
        task_id: created["id"].as_str().unwrap().to_owned(),
        start_at: task["schedule"]["start_at"].as_str().unwrap().to_owned(),
        ..s
    };
    let booking = s.booking(app, amount).await;
    let booking_id = booking["id"].as_str().unwrap();
    if checkin {
        assert_eq!(s.checkin(app, booking_id, SHOP.0, SHOP.1, 5.0).await.status(), 200);
    }
    let wo = booking["work_order_id"].as_str().unwrap().to_owned();
    let start = s.start_at.clone();
    (s, wo, start)
}

fn start(days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::days(days)).format("%Y-%m-%dT15:00:00Z").to_string()
}

fn by_file<'a>(report: &'a Value, order: &Value, name: &str, check: &str) -> &'a Value {
    let id =
        order["deliverables"].as_array().unwrap().iter().find(|d| d["file"]["filename"] == name).unwrap()["id"].clone();
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == check && c["deliverable_id"] == id)
        .unwrap_or_else(|| panic!("{check} for {name}"))
}

#[tokio::test]
async fn audits_need_exif_gps_inside_the_geofence_taken_during_the_booking() {
    let app = spawn_app().await;
    let task = json!({
        "task_type": "RETAIL_AUDIT_PHOTO_CHECK", "title": "Endcap audit",
        "location": {"mode": "onsite", "address": "12 Hess St N, Hamilton ON", "lat": SHOP.0, "lng": SHOP.1},
        "schedule": {"start_at": start(6), "duration_hours": 1},
        "budget": {"currency": "CAD", "max_total": 80},
        "task_spec": {"store_name": "Corner shop", "checklist": [{"item": "Endcap"}, {"item": "Shelf"}], "photos_per_item": 1}
    });
    let (s, wo, start_at) = job(&app, task, 80, true).await;
    let during = chrono::DateTime::parse_from_rfc3339(&start_at).unwrap().with_timezone(&chrono::Utc)
        + chrono::Duration::minutes(20);
    let photo = |seed| fixtures::jpeg(&fixtures::noise(1800, 1200, seed));
    let files = vec![
        ("inside.jpg", fixtures::with_exif(&photo(1), Some((SHOP.0 + 0.0003, SHOP.1)), during)),
        ("far.jpg", fixtures::with_exif(&photo(2), Some((SHOP.0 + 0.02, SHOP.1)), during)),
        ("nogps.jpg", fixtures::with_exif(&photo(3), None, during)),
        ("lastweek.jpg", fixtures::with_exif(&photo(4), Some((SHOP.0, SHOP.1)), during - chrono::Duration::days(7))),
    ];
    let mut ids = Vec::new();
    for (name, bytes) in files {
        ids.push(upload(&app, &s.talent_token, &wo, name, "image/jpeg", bytes).await);
    }
    assert_eq!(deliver(&app, &s, &wo, "photo", &ids).await.status(), 201);
    let report = json(app.get_as(&s.key, &format!("/v1/work_orders/{wo}/qa")).await).await;
    let order = json(app.get_as(&s.key, &format!("/v1/work_orders/{wo}")).await).await;
    assert_eq!(report["status"], "failed");

    let inside = by_file(&report, &order, "inside.jpg", "exif_gps_in_geofence");
    assert_eq!(inside["passed"], true, "{inside}");
    assert!(inside["actual"]["distance_m"].as_f64().unwrap() < 50.0);
    assert_eq!(by_file(&report, &order, "inside.jpg", "capture_time_in_window")["passed"], true);
    let far = by_file(&report, &order, "far.jpg", "exif_gps_in_geofence");
    assert_eq!(far["passed"], false);
    assert!(far["actual"]["distance_m"].as_f64().unwrap() > 2000.0);
    let nogps = by_file(&report, &order, "nogps.jpg", "exif_gps_in_geofence");
    assert!(nogps["reason"].as_str().unwrap().contains("no GPS"), "{nogps}");
    assert_eq!(by_file(&report, &order, "lastweek.jpg", "capture_time_in_window")["passed"], false);
    let count = report["checks"].as_array().unwrap().iter().find(|c| c["name"] == "photo_count").unwrap();
    assert_eq!(count["expected"]["at_least"], 2, "two checklist items × one photo each");
}

#[tokio::test]
async fn ugc_clips_must_be_vertical_and_of_the_ordered_length() {
    let app = spawn_app().await;
    let task = json!({
        "task_type": "UGC_VERTICAL_BATCH", "title": "Bottle clips",
        "location": {"mode": "remote"},
        "schedule": {"start_at": start(6), "duration_hours": 2},
        "budget": {"currency": "CAD", "max_total": 300},
        "deliverables": [{"kind": "video", "count": 2, "format": "mp4"}],
        "task_spec": {"clip_count": 2, "clip_length_seconds": {"min": 15, "max": 45}, "product_name": "Bottle", "usage_rights": "organic"}
    });
    let (s, wo, _) = job(&app, task, 300, false).await;
    let files = vec![
        ("good.mp4", fixtures::mp4(1080, 1920, 20)),
        ("landscape.mp4", fixtures::mp4(1920, 1080, 20)),
        ("short.mp4", fixtures::mp4(1080, 1920, 5)),
    ];
    let mut ids = Vec::new();
    for (name, bytes) in files {
        ids.push(upload(&app, &s.talent_token, &wo, name, "video/mp4", bytes).await);
    }
    assert_eq!(deliver(&app, &s, &wo, "video", &ids).await.status(), 201);
    let report = json(app.get_as(&s.key, &format!("/v1/work_orders/{wo}/qa")).await).await;
    let order = json(app.get_as(&s.key, &format!("/v1/work_orders/{wo}")).await).await;
    assert_eq!(by_file(&report, &order, "good.mp4", "orientation")["passed"], true);
    assert_eq!(by_file(&report, &order, "good.mp4", "video_duration")["passed"], true);
    assert_eq!(by_file(&report, &order, "good.mp4", "video_duration")["actual"], 20.0);
    assert_eq!(by_file(&report, &order, "good.mp4", "min_resolution")["passed"], true);
    assert_eq!(by_file(&report, &order, "landscape.mp4", "orientation")["passed"], false);
    assert_eq!(by_file(&report, &order, "short.mp4", "video_duration")["passed"], false);
    assert_eq!(report["status"], "failed");
}

#[tokio::test]
async fn podcast_tracks_are_counted_and_their_sample_rate_and_length_checked() {
    let app = spawn_app().await;
    let task = json!({
        "task_type": "PODCAST_ON_SITE_CAPTURE", "title": "Founders episode",
        "location": {"mode": "onsite", "address": "12 Hess St N, Hamilton ON", "lat": SHOP.0, "lng": SHOP.1},
        "schedule": {"start_at": start(6), "duration_hours": 1},
        "budget": {"currency": "CAD", "max_total": 400},
        "deliverables": [{"kind": "audio", "count": 2, "format": "wav"}],
        "task_spec": {"speaker_count": 2, "session_minutes": 10, "isolated_tracks": true, "format": "wav", "sample_rate_hz": 44100}
    });
    let (s, wo, _) = job(&app, task, 400, true).await;
    let files = vec![("host.wav", fixtures::wav(44_100, 500)), ("guest.wav", fixtures::wav(22_050, 30))];
    let mut ids = Vec::new();
    for (name, bytes) in files {
        ids.push(upload(&app, &s.talent_token, &wo, name, "audio/wav", bytes).await);
    }
    assert_eq!(deliver(&app, &s, &wo, "audio", &ids).await.status(), 201);
    let report = json(app.get_as(&s.key, &format!("/v1/work_orders/{wo}/qa")).await).await;
    let order = json(app.get_as(&s.key, &format!("/v1/work_orders/{wo}")).await).await;
    let tracks = report["checks"].as_array().unwrap().iter().find(|c| c["name"] == "audio_tracks").unwrap();
    assert_eq!(tracks["passed"], true);
    assert_eq!(by_file(&report, &order, "host.wav", "sample_rate")["passed"], true);
    assert_eq!(by_file(&report, &order, "host.wav", "audio_duration")["passed"], true);
    assert_eq!(by_file(&report, &order, "guest.wav", "sample_rate")["actual"], 22_050);
    assert_eq!(by_file(&report, &order, "guest.wav", "sample_rate")["passed"], false);
    assert_eq!(by_file(&report, &order, "guest.wav", "audio_duration")["passed"], false);
}

#[tokio::test]
async fn a_long_recording_is_checked_in_bounded_memory() {
    let app = spawn_app().await;
    let task = json!({
        "task_type": "PODCAST_ON_SITE_CAPTURE", "title": "Long episode",
        "location": {"mode": "onsite", "address": "12 Hess St N, Hamilton ON", "lat": SHOP.0, "lng": SHOP.1},
        "schedule": {"start_at": start(6), "duration_hours": 1},
        "budget": {"currency": "CAD", "max_total": 400},
        "deliverables": [{"kind": "audio", "count": 1, "format": "wav"}],
        "task_spec": {"speaker_count": 1, "session_minutes": 10, "isolated_tracks": false, "format": "wav", "sample_rate_hz": 44100}
    });
    let (s, wo, _) = job(&app, task, 400, true).await;
    // 64 MiB: about 25 minutes of 8-bit mono at 44.1 kHz.
    let recording = fixtures::wav_silence(44_100, 1_522);
    let size = recording.len();
    let id = upload(&app, &s.talent_token, &wo, "episode.wav", "audio/wav", recording).await;
    assert_eq!(deliver(&app, &s, &wo, "audio", &[id]).await.status(), 201);

    // QA runs in a server process of its own, on the same database and files, so that its
    // memory can be read.
    let data_dir = app.data_path.display().to_string();
    let server = crate::helpers::spawn_process(&app, &[("HD_DATA_DIR", data_dir.as_str())]).await;
    let before = server.peak_rss_kib();
    let report = app.client.get(server.url(&format!("/v1/work_orders/{wo}/qa"))).bearer_auth(&s.key).send().await;
    let report = json(report.unwrap()).await;
    let duration = report["checks"].as_array().unwrap().iter().find(|c| c["name"] == "audio_duration").unwrap();
    assert_eq!(duration["actual"], 1_522.0, "the whole recording was read: {report}");
    let grew_mib = server.peak_rss_kib().saturating_sub(before) / 1024;
    let size_mib = size as u64 / 1024 / 1024;
    assert!(grew_mib < size_mib / 4, "reading a {size_mib} MiB recording took {grew_mib} MiB more memory");
}

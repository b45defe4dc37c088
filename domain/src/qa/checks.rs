//! The acceptance tests of the templates, evaluated on what QA read from the files.

use super::QaCheck;
use super::facts::{Facts, ImageFacts};
use crate::entities::tasks;
use crate::talent::GeoPoint;
use crate::templates::{AcceptanceTest, DeliverableKind, DeliverableSpec, Template};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

/// One delivered file and what was read from it.
pub struct Item {
    pub deliverable_id: String,
    pub kind: DeliverableKind,
    /// The declared format (`jpeg`, `mp4`, …).
    pub format: String,
    pub facts: Facts,
}

fn spec_value<'a>(task: &'a tasks::Model, path: &str) -> Option<&'a Value> {
    path.strip_prefix("task_spec.").and_then(|key| task.task_spec.get(key))
}

/// A minimum count from a test's `min` or `min_from`.
fn expected_count(test: &AcceptanceTest, task: &tasks::Model, kind: Option<DeliverableKind>) -> u64 {
    if let Some(n) = test.params.get("min").and_then(Value::as_u64) {
        return n;
    }
    let Some(from) = test.params.get("min_from").and_then(Value::as_str) else { return 1 };
    let int = |path: &str, default: u64| spec_value(task, path).and_then(Value::as_u64).unwrap_or(default);
    match from {
        "deliverables.count" => {
            let specs: Vec<DeliverableSpec> = serde_json::from_value(task.deliverables.clone()).unwrap_or_default();
            specs.iter().filter(|s| kind.is_none_or(|k| s.kind == k)).map(|s| u64::from(s.count)).sum()
        }
        "task_spec.checklist × task_spec.photos_per_item" => {
            let items = spec_value(task, "task_spec.checklist").and_then(Value::as_array).map_or(1, |a| a.len() as u64);
            items * int("task_spec.photos_per_item", 1)
        }
        "task_spec.shots" => {
            spec_value(task, "task_spec.shots").and_then(Value::as_array).map_or(1, |a| a.len().max(1) as u64)
        }
        "task_spec.quantity / task_spec.proof_photo_every" => {
            let every = int("task_spec.proof_photo_every", 50).max(1);
            int("task_spec.quantity", 0).div_ceil(every).max(1)
        }
        "task_spec.speaker_count" => {
            let isolated = spec_value(task, "task_spec.isolated_tracks").and_then(Value::as_bool).unwrap_or(true);
            if isolated { int("task_spec.speaker_count", 1) } else { 1 }
        }
        path => int(path, 1),
    }
}

fn count_check(name: &str, items: &[Item], kind: Option<DeliverableKind>, expected: u64) -> QaCheck {
    let actual = items.iter().filter(|i| kind.is_none_or(|k| i.kind == k)).count() as u64;
    QaCheck {
        name: name.into(),
        passed: actual >= expected,
        expected: json!({ "at_least": expected }),
        actual: json!(actual),
        deliverable_id: None,
        reason: None,
    }
}

fn per_item(name: &str, item: &Item, passed: bool, expected: Value, actual: Value, reason: Option<String>) -> QaCheck {
    QaCheck { name: name.into(), passed, expected, actual, deliverable_id: Some(item.deliverable_id.clone()), reason }
}

fn unreadable(name: &str, item: &Item, expected: Value) -> Option<QaCheck> {
    match &item.facts {
        Facts::Unreadable(reason) => Some(per_item(name, item, false, expected, Value::Null, Some(reason.clone()))),
        _ => None,
    }
}

fn images(items: &[Item]) -> impl Iterator<Item = (&Item, Option<&ImageFacts>)> {
    items.iter().filter(|i| i.kind == DeliverableKind::Photo).map(|i| match &i.facts {
        Facts::Image(f) => (i, Some(f.as_ref())),
        _ => (i, None),
    })
}

fn dimensions(item: &Item) -> Option<(u32, u32)> {
    match &item.facts {
        Facts::Image(f) => Some((f.width, f.height)),
        Facts::Video(v) => Some((v.width, v.height)),
        _ => None,
    }
}

fn aspect(text: &str) -> Option<f64> {
    let (w, h) = text.split_once(':')?;
    let (w, h): (f64, f64) = (w.trim().parse().ok()?, h.trim().parse().ok()?);
    (h > 0.0).then_some(w / h)
}

fn num(params: &Value, key: &str) -> Option<f64> {
    params.get(key).and_then(Value::as_f64)
}

/// Runs every acceptance test of `template` on `items`.
pub fn evaluate(template: &Template, task: &tasks::Model, items: &[Item]) -> Vec<QaCheck> {
    let mut checks = Vec::new();
    let start = task.start_at;
    let end = task.start_at + Duration::minutes(i64::from(task.duration_minutes));
    for test in &template.acceptance_tests {
        let p = &test.params;
        let name = test.name.as_str();
        match name {
            "photo_count" => checks.push(count_check(
                name,
                items,
                Some(DeliverableKind::Photo),
                expected_count(test, task, Some(DeliverableKind::Photo)),
            )),
            "video_count" => checks.push(count_check(
                name,
                items,
                Some(DeliverableKind::Video),
                expected_count(test, task, Some(DeliverableKind::Video)),
            )),
            "audio_tracks" => checks.push(count_check(
                name,
                items,
                Some(DeliverableKind::Audio),
                expected_count(test, task, Some(DeliverableKind::Audio)),
            )),
            "document_present" => checks.push(count_check(
                name,
                items,
                Some(DeliverableKind::Document),
                expected_count(test, task, Some(DeliverableKind::Document)),
            )),
            "deliverable_count" => checks.push(count_check(name, items, None, expected_count(test, task, None))),
            "file_format" => {
                let formats: Vec<String> = match p.get("formats").and_then(Value::as_array) {
                    Some(list) => list.iter().filter_map(|f| f.as_str().map(str::to_owned)).collect(),
                    None => p
                        .get("formats_from")
                        .and_then(Value::as_str)
                        .and_then(|path| spec_value(task, path))
                        .and_then(Value::as_str)
                        .map(|f| vec![f.to_owned()])
                        .unwrap_or_default(),
                };
                for item in items.iter().filter(|i| i.kind != DeliverableKind::Document) {
                    checks.push(per_item(
                        name,
                        item,
                        formats.contains(&item.format),
                        json!({ "one_of": formats }),
                        json!(item.format),
                        None,
                    ));
                }
            }
            "min_resolution" => {
                let expected = p.clone();
                for item in items.iter().filter(|i| matches!(i.kind, DeliverableKind::Photo | DeliverableKind::Video)) {
                    if let Some(c) = unreadable(name, item, expected.clone()) {
                        checks.push(c);
                        continue;
                    }
                    let Some((w, h)) = dimensions(item) else { continue };
                    let long = f64::from(w.max(h));
                    let short = f64::from(w.min(h));
                    let passed = num(p, "min_long_edge_px").is_none_or(|m| long >= m)
                        && num(p, "min_short_edge_px").is_none_or(|m| short >= m)
                        && num(p, "min_width_px").is_none_or(|m| f64::from(w) >= m)
                        && num(p, "min_height_px").is_none_or(|m| f64::from(h) >= m);
                    checks.push(per_item(
                        name,
                        item,
                        passed,
                        expected.clone(),
                        json!({ "width": w, "height": h }),
                        None,
                    ));
                }
            }
            "orientation" => {
                let target = p.get("aspect").and_then(Value::as_str).map(str::to_owned).or_else(|| {
                    p.get("aspect_from")
                        .and_then(Value::as_str)
                        .and_then(|path| spec_value(task, path))
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                });
                let Some(target_text) = target else { continue };
                let Some(target) = aspect(&target_text) else { continue };
                let tolerance = num(p, "tolerance").unwrap_or(0.02);
                for item in items.iter().filter(|i| matches!(i.kind, DeliverableKind::Photo | DeliverableKind::Video)) {
                    if let Some(c) = unreadable(name, item, json!({ "aspect": target_text })) {
                        checks.push(c);
                        continue;
                    }
                    let Some((w, h)) = dimensions(item) else { continue };
                    let ratio = f64::from(w) / f64::from(h.max(1));
                    let passed = ((ratio - target) / target).abs() <= tolerance;
                    checks.push(per_item(
                        name,
                        item,
                        passed,
                        json!({ "aspect": target_text, "tolerance": tolerance }),
                        json!({ "width": w, "height": h, "ratio": (ratio * 1000.0).round() / 1000.0 }),
                        None,
                    ));
                }
            }
            "blur" => {
                let min = num(p, "min_laplacian_variance").unwrap_or(100.0);
                for (item, facts) in images(items) {
                    match facts {
                        None => checks.extend(unreadable(name, item, json!({ "min_laplacian_variance": min }))),
                        Some(f) => checks.push(per_item(
                            name,
                            item,
                            f.laplacian_variance >= min,
                            json!({ "min_laplacian_variance": min }),
                            json!((f.laplacian_variance * 10.0).round() / 10.0),
                            None,
                        )),
                    }
                }
            }
            "white_background" => {
                let applies = p
                    .get("when")
                    .and_then(Value::as_object)
                    .is_none_or(|when| when.iter().all(|(k, v)| task.task_spec.get(k) == Some(v)));
                if !applies {
                    continue;
                }
                let min = num(p, "min_white_share").unwrap_or(0.6);
                for (item, facts) in images(items) {
                    match facts {
                        None => checks.extend(unreadable(name, item, json!({ "min_white_share": min }))),
                        Some(f) => checks.push(per_item(
                            name,
                            item,
                            f.white_border_share >= min,
                            json!({ "min_white_share": min }),
                            json!((f.white_border_share * 1000.0).round() / 1000.0),
                            None,
                        )),
                    }
                }
            }
            "near_duplicates" => {
                let min = p.get("min_hash_distance").and_then(Value::as_u64).unwrap_or(5) as u32;
                let photos: Vec<(&Item, &ImageFacts)> = images(items).filter_map(|(i, f)| f.map(|f| (i, f))).collect();
                let mut failed = false;
                for (n, (item, facts)) in photos.iter().enumerate() {
                    if let Some((other, distance)) =
                        photos[..n].iter().map(|(o, of)| (o, facts.hash.dist(&of.hash))).min_by_key(|(_, d)| *d)
                        && distance < min
                    {
                        failed = true;
                        checks.push(per_item(
                            name,
                            item,
                            false,
                            json!({ "min_hash_distance": min }),
                            json!({ "distance": distance, "closest_deliverable_id": other.deliverable_id }),
                            Some("a near-duplicate of another photo".into()),
                        ));
                    }
                }
                if !failed {
                    checks.push(QaCheck {
                        name: name.into(),
                        passed: true,
                        expected: json!({ "min_hash_distance": min }),
                        actual: json!({ "photos": photos.len() }),
                        deliverable_id: None,
                        reason: None,
                    });
                }
            }
            "exif_gps_in_geofence" => {
                let radius = match p.get("radius_from").and_then(Value::as_str) {
                    Some("location.radius_m") | None => task.radius_m.map(f64::from),
                    Some(path) => spec_value(task, path).and_then(Value::as_f64),
                };
                let point = task.lat.zip(task.lng).map(|(lat, lng)| GeoPoint { lat, lng });
                for (item, facts) in images(items) {
                    let expected =
                        json!({ "within_m": radius, "of": point.map(|p| json!({ "lat": p.lat, "lng": p.lng })) });
                    match (facts, point, radius) {
                        (None, _, _) => checks.extend(unreadable(name, item, expected)),
                        (Some(_), None, _) | (Some(_), _, None) => checks.push(per_item(
                            name,
                            item,
                            false,
                            expected,
                            Value::Null,
                            Some("the task has no point to check against".into()),
                        )),
                        (Some(f), Some(point), Some(radius)) => match f.gps {
                            None => checks.push(per_item(
                                name,
                                item,
                                false,
                                expected,
                                Value::Null,
                                Some("no GPS position in the photo's EXIF".into()),
                            )),
                            Some(gps) => {
                                let d = crate::geo_distance::metres(point, gps);
                                checks.push(per_item(
                                    name,
                                    item,
                                    d <= radius,
                                    expected,
                                    json!({ "distance_m": d.round(), "lat": gps.lat, "lng": gps.lng }),
                                    None,
                                ));
                            }
                        },
                    }
                }
            }
            "capture_time_in_window" => {
                let slack = Duration::minutes(p.get("slack_minutes").and_then(Value::as_i64).unwrap_or(30));
                let (from, to): (DateTime<Utc>, DateTime<Utc>) = (start - slack, end + slack);
                let expected = json!({ "between": [from, to] });
                for (item, facts) in images(items) {
                    match facts {
                        None => checks.extend(unreadable(name, item, expected.clone())),
                        Some(f) => match f.taken_at {
                            None => checks.push(per_item(
                                name,
                                item,
                                false,
                                expected.clone(),
                                Value::Null,
                                Some("no capture time in the photo's EXIF".into()),
                            )),
                            Some(t) => checks.push(per_item(
                                name,
                                item,
                                t >= from && t <= to,
                                expected.clone(),
                                json!(t),
                                None,
                            )),
                        },
                    }
                }
            }
            "video_duration" => {
                let bound = |key: &str, from: &str| {
                    num(p, key).or_else(|| {
                        p.get(from).and_then(Value::as_str).and_then(|path| {
                            let mut v = Some(&task.task_spec);
                            for part in path.trim_start_matches("task_spec.").split('.') {
                                v = v.and_then(|x| x.get(part));
                            }
                            v.and_then(Value::as_f64)
                        })
                    })
                };
                let (min, max) = (bound("min_seconds", "min_from"), bound("max_seconds", "max_from"));
                for item in items.iter().filter(|i| i.kind == DeliverableKind::Video) {
                    let expected = json!({ "min_seconds": min, "max_seconds": max });
                    match &item.facts {
                        Facts::Video(v) => {
                            let passed =
                                min.is_none_or(|m| v.duration_secs >= m) && max.is_none_or(|m| v.duration_secs <= m);
                            checks.push(per_item(
                                name,
                                item,
                                passed,
                                expected,
                                json!((v.duration_secs * 10.0).round() / 10.0),
                                None,
                            ));
                        }
                        _ => checks.extend(unreadable(name, item, expected)),
                    }
                }
            }
            "audio_duration" => {
                let share = num(p, "min_share_of_session").unwrap_or(0.8);
                let minutes = spec_value(task, "task_spec.session_minutes").and_then(Value::as_f64).unwrap_or(0.0);
                let min = share * minutes * 60.0;
                for item in items.iter().filter(|i| i.kind == DeliverableKind::Audio) {
                    let expected = json!({ "min_seconds": min });
                    match &item.facts {
                        Facts::Audio(a) => checks.push(per_item(
                            name,
                            item,
                            a.duration_secs >= min,
                            expected,
                            json!((a.duration_secs * 10.0).round() / 10.0),
                            None,
                        )),
                        _ => checks.extend(unreadable(name, item, expected)),
                    }
                }
            }
            "sample_rate" => {
                let min = p
                    .get("min_from")
                    .and_then(Value::as_str)
                    .and_then(|path| spec_value(task, path))
                    .and_then(Value::as_u64)
                    .unwrap_or(44_100);
                for item in items.iter().filter(|i| i.kind == DeliverableKind::Audio) {
                    let expected = json!({ "at_least_hz": min });
                    match &item.facts {
                        Facts::Audio(a) => checks.push(per_item(
                            name,
                            item,
                            u64::from(a.sample_rate) >= min,
                            expected,
                            json!(a.sample_rate),
                            None,
                        )),
                        _ => checks.extend(unreadable(name, item, expected)),
                    }
                }
            }
            other => checks.push(QaCheck {
                name: other.into(),
                passed: false,
                expected: p.clone(),
                actual: Value::Null,
                deliverable_id: None,
                reason: Some("this check is not known to the QA engine".into()),
            }),
        }
    }
    checks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task_for(t: &Template) -> tasks::Model {
        let now = Utc::now();
        tasks::Model {
            id: "task_x".into(),
            principal_id: "prn_x".into(),
            task_type: t.task_type.as_str().into(),
            title: "t".into(),
            description: None,
            status: crate::status::TaskStatus::InProgress,
            location_mode: "onsite".into(),
            address: Some("a".into()),
            lat: Some(43.0),
            lng: Some(-79.0),
            radius_m: Some(100),
            start_at: now,
            duration_minutes: 60,
            currency: "CAD".into(),
            pricing_model: "fixed".into(),
            budget_cents: 10_000,
            deliverables: serde_json::to_value(&t.default_deliverables).unwrap(),
            task_spec: t.example_task_spec.clone(),
            created_at: now,
            updated_at: now,
            accepted_quote_id: None,
        }
    }

    #[test]
    fn every_acceptance_test_of_the_catalogue_is_implemented_and_nothing_delivered_fails() {
        for t in crate::templates::all() {
            let checks = evaluate(t, &task_for(t), &[]);
            for c in &checks {
                assert_ne!(
                    c.reason.as_deref(),
                    Some("this check is not known to the QA engine"),
                    "{}: {}",
                    t.task_type,
                    c.name
                );
            }
            assert!(checks.iter().any(|c| !c.passed), "{}: an empty delivery must fail", t.task_type);
        }
    }
}

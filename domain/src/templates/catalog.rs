//! The catalogue itself. Each template is data: schema, rules, acceptance tests.

use super::*;
use serde_json::json;
use std::sync::LazyLock;

static CATALOG: LazyLock<Vec<Template>> = LazyLock::new(build);

/// All ten templates, in the seed's order.
pub fn all() -> &'static [Template] {
    &CATALOG
}

pub fn get(task_type: TaskType) -> &'static Template {
    // The catalogue is built from TaskType::ALL, so every type has exactly one entry.
    let index = TaskType::ALL.iter().position(|t| *t == task_type).unwrap_or_default();
    &CATALOG[index]
}

const SCHEMA: &str = "https://json-schema.org/draft/2020-12/schema";

fn schema(properties: Value, required: &[&str]) -> Value {
    json!({
        "$schema": SCHEMA,
        "type": "object",
        "additionalProperties": false,
        "properties": properties,
        "required": required,
    })
}

fn test(name: &str, description: &str, params: Value) -> AcceptanceTest {
    AcceptanceTest { name: name.into(), description: description.into(), params }
}

fn deliverable(kind: DeliverableKind, count: u32, format: &str) -> DeliverableSpec {
    DeliverableSpec { kind, count, format: format.into() }
}

struct Base {
    modes: &'static [LocationMode],
    coordinates: bool,
    proof_of_place: bool,
    min_budget: i64,
    hours: (f64, f64),
    kinds: &'static [DeliverableKind],
    max_file_mb: u32,
    counter_offers: bool,
    show_up_pct: u32,
}

fn rules(b: Base) -> TemplateRules {
    TemplateRules {
        location_modes: b.modes.to_vec(),
        requires_coordinates: b.coordinates,
        requires_proof_of_place: b.proof_of_place,
        min_budget: b.min_budget,
        max_budget: 100_000,
        min_duration_hours: b.hours.0,
        max_duration_hours: b.hours.1,
        min_lead_time_minutes: 60,
        max_days_ahead: 365,
        deliverable_kinds: b.kinds.to_vec(),
        max_file_mb: b.max_file_mb,
        allows_counter_offers: b.counter_offers,
        max_quote_pct_of_budget: if b.counter_offers { 150 } else { 100 },
        show_up_share_pct: b.show_up_pct,
    }
}

use DeliverableKind::{Audio, Document, Photo, Video};
use LocationMode::{Onsite, Remote};

fn build() -> Vec<Template> {
    TaskType::ALL.into_iter().map(template).collect()
}

fn template(task_type: TaskType) -> Template {
    match task_type {
        TaskType::ProductPhotoEcomm => Template {
            task_type,
            name: "Product photography".into(),
            description: "Studio-style product photos for product pages and ads: every product from the requested angles on the requested background.".into(),
            risk: RiskLevel::Low,
            spec_schema: schema(
                json!({
                    "product_count": {"type": "integer", "minimum": 1, "maximum": 200, "description": "How many distinct products to shoot."},
                    "background": {"enum": ["white", "neutral", "lifestyle"], "description": "white = seamless white (checked by QA)."},
                    "angles": {"type": "array", "minItems": 1, "maxItems": 8, "uniqueItems": true,
                               "items": {"enum": ["front", "back", "side", "top", "detail", "45deg", "packaging", "in_use"]}},
                    "props": {"type": "string", "maxLength": 500},
                    "retouching": {"type": "boolean", "description": "Basic retouching (dust, colour balance)."}
                }),
                &["product_count", "background", "angles"],
            ),
            rules: rules(Base { modes: &[Onsite], coordinates: false, proof_of_place: false, min_budget: 100, hours: (1.0, 10.0), kinds: &[Photo], max_file_mb: 50, counter_offers: false, show_up_pct: 25 }),
            default_checkin_radius_m: 150,
            default_deliverables: vec![deliverable(Photo, 30, "jpeg")],
            acceptance_tests: vec![
                test("photo_count", "At least the ordered number of photos.", json!({"min_from": "deliverables.count"})),
                test("file_format", "Files are JPEG or PNG.", json!({"formats": ["jpeg", "png"]})),
                test("min_resolution", "Long edge of every photo.", json!({"min_long_edge_px": 2000})),
                test("blur", "Variance of the Laplacian above the threshold (sharp).", json!({"min_laplacian_variance": 100.0})),
                test("white_background", "Share of near-white border pixels when background is white.", json!({"when": {"background": "white"}, "min_white_share": 0.6})),
                test("near_duplicates", "No two photos closer than this perceptual-hash distance.", json!({"min_hash_distance": 5})),
            ],
            example_task_spec: json!({"product_count": 10, "background": "white", "angles": ["front", "back", "detail"]}),
        },
        TaskType::UgcVerticalBatch => Template {
            task_type,
            name: "UGC vertical video batch".into(),
            description: "User-generated-style vertical clips (9:16) featuring a product, for organic posts or paid ads.".into(),
            risk: RiskLevel::Medium,
            spec_schema: schema(
                json!({
                    "clip_count": {"type": "integer", "minimum": 1, "maximum": 50},
                    "clip_length_seconds": {"type": "object", "additionalProperties": false,
                        "properties": {"min": {"type": "integer", "minimum": 5, "maximum": 180}, "max": {"type": "integer", "minimum": 5, "maximum": 180}},
                        "required": ["min", "max"]},
                    "product_name": {"type": "string", "minLength": 1, "maxLength": 200},
                    "talking_to_camera": {"type": "boolean"},
                    "script_provided": {"type": "boolean"},
                    "hooks": {"type": "array", "maxItems": 20, "items": {"type": "string", "maxLength": 300}},
                    "usage_rights": {"enum": ["organic", "paid_ads"]}
                }),
                &["clip_count", "clip_length_seconds", "product_name", "usage_rights"],
            ),
            rules: rules(Base { modes: &[Onsite, Remote], coordinates: false, proof_of_place: false, min_budget: 150, hours: (1.0, 8.0), kinds: &[Video], max_file_mb: 2048, counter_offers: true, show_up_pct: 20 }),
            default_checkin_radius_m: 150,
            default_deliverables: vec![deliverable(Video, 3, "mp4")],
            acceptance_tests: vec![
                test("video_count", "At least the ordered number of clips.", json!({"min_from": "task_spec.clip_count"})),
                test("file_format", "Files are MP4 or MOV.", json!({"formats": ["mp4", "mov"]})),
                test("orientation", "Vertical 9:16.", json!({"aspect": "9:16", "tolerance": 0.02})),
                test("min_resolution", "At least 1080×1920.", json!({"min_width_px": 1080, "min_height_px": 1920})),
                test("video_duration", "Each clip within the ordered length.", json!({"min_from": "task_spec.clip_length_seconds.min", "max_from": "task_spec.clip_length_seconds.max"})),
            ],
            example_task_spec: json!({"clip_count": 3, "clip_length_seconds": {"min": 15, "max": 45}, "product_name": "DEKE trail bottle", "usage_rights": "paid_ads"}),
        },
        TaskType::EventPhotoCoverage => Template {
            task_type,
            name: "Event photo coverage".into(),
            description: "A photographer covers an event and delivers edited selects.".into(),
            risk: RiskLevel::Low,
            spec_schema: schema(
                json!({
                    "event_name": {"type": "string", "minLength": 1, "maxLength": 200},
                    "expected_attendees": {"type": "integer", "minimum": 1, "maximum": 100000},
                    "shot_list": {"type": "array", "maxItems": 50, "items": {"type": "string", "maxLength": 300}},
                    "edited_selects": {"type": "integer", "minimum": 10, "maximum": 1000},
                    "turnaround_hours": {"type": "integer", "minimum": 12, "maximum": 168}
                }),
                &["event_name", "edited_selects"],
            ),
            rules: rules(Base { modes: &[Onsite], coordinates: false, proof_of_place: false, min_budget: 200, hours: (1.0, 12.0), kinds: &[Photo], max_file_mb: 50, counter_offers: true, show_up_pct: 40 }),
            default_checkin_radius_m: 200,
            default_deliverables: vec![deliverable(Photo, 50, "jpeg")],
            acceptance_tests: vec![
                test("photo_count", "At least the ordered number of edited selects.", json!({"min_from": "task_spec.edited_selects"})),
                test("file_format", "Files are JPEG.", json!({"formats": ["jpeg"]})),
                test("min_resolution", "Long edge of every photo.", json!({"min_long_edge_px": 2400})),
                test("blur", "Sharp photos only.", json!({"min_laplacian_variance": 80.0})),
                test("near_duplicates", "Selects are distinct.", json!({"min_hash_distance": 4})),
            ],
            example_task_spec: json!({"event_name": "Hamilton Spring Market", "edited_selects": 50, "turnaround_hours": 48}),
        },
        TaskType::EventHighlightVideo => Template {
            task_type,
            name: "Event highlight video".into(),
            description: "A 30–90 second highlight reel of an event.".into(),
            risk: RiskLevel::Low,
            spec_schema: schema(
                json!({
                    "event_name": {"type": "string", "minLength": 1, "maxLength": 200},
                    "target_length_seconds": {"type": "integer", "minimum": 30, "maximum": 90},
                    "aspect": {"enum": ["16:9", "9:16", "1:1"]},
                    "music": {"enum": ["none", "licensed", "provided"]}
                }),
                &["event_name", "target_length_seconds", "aspect"],
            ),
            rules: rules(Base { modes: &[Onsite], coordinates: false, proof_of_place: false, min_budget: 300, hours: (1.0, 12.0), kinds: &[Video], max_file_mb: 4096, counter_offers: true, show_up_pct: 40 }),
            default_checkin_radius_m: 200,
            default_deliverables: vec![deliverable(Video, 1, "mp4")],
            acceptance_tests: vec![
                test("video_count", "One reel at least.", json!({"min": 1})),
                test("file_format", "Files are MP4 or MOV.", json!({"formats": ["mp4", "mov"]})),
                test("video_duration", "Reel length between 30 and 90 seconds.", json!({"min_seconds": 30, "max_seconds": 90})),
                test("orientation", "The ordered aspect ratio.", json!({"aspect_from": "task_spec.aspect", "tolerance": 0.02})),
                test("min_resolution", "At least 1080p on the short edge.", json!({"min_short_edge_px": 1080})),
            ],
            example_task_spec: json!({"event_name": "Product launch", "target_length_seconds": 60, "aspect": "16:9"}),
        },
        TaskType::OnSiteStoryPack => Template {
            task_type,
            name: "On-site story pack".into(),
            description: "Same-day Instagram/TikTok stories captured on site, vertical.".into(),
            risk: RiskLevel::Low,
            spec_schema: schema(
                json!({
                    "platforms": {"type": "array", "minItems": 1, "uniqueItems": true, "items": {"enum": ["instagram", "tiktok"]}},
                    "story_count": {"type": "integer", "minimum": 3, "maximum": 30},
                    "brand_handles": {"type": "array", "maxItems": 10, "items": {"type": "string", "pattern": "^@[A-Za-z0-9._]{1,30}$"}},
                    "same_day": {"type": "boolean"}
                }),
                &["platforms", "story_count"],
            ),
            rules: rules(Base { modes: &[Onsite], coordinates: false, proof_of_place: false, min_budget: 150, hours: (1.0, 8.0), kinds: &[Video, Photo], max_file_mb: 1024, counter_offers: false, show_up_pct: 30 }),
            default_checkin_radius_m: 150,
            default_deliverables: vec![deliverable(Video, 5, "mp4")],
            acceptance_tests: vec![
                test("deliverable_count", "At least the ordered number of stories.", json!({"min_from": "task_spec.story_count"})),
                test("orientation", "Vertical 9:16.", json!({"aspect": "9:16", "tolerance": 0.02})),
                test("min_resolution", "At least 1080×1920.", json!({"min_width_px": 1080, "min_height_px": 1920})),
                test("capture_time_in_window", "Captured during the booking.", json!({"slack_minutes": 30})),
            ],
            example_task_spec: json!({"platforms": ["instagram"], "story_count": 5}),
        },
        TaskType::RetailAuditPhotoCheck => Template {
            task_type,
            name: "Retail audit photo check".into(),
            description: "GPS-verified in-store audit: shelf, display and pricing photos against a checklist.".into(),
            risk: RiskLevel::Medium,
            spec_schema: schema(
                json!({
                    "store_name": {"type": "string", "minLength": 1, "maxLength": 200},
                    "checklist": {"type": "array", "minItems": 1, "maxItems": 100, "items": {
                        "type": "object", "additionalProperties": false,
                        "properties": {"item": {"type": "string", "minLength": 1, "maxLength": 300}, "photo_required": {"type": "boolean"}},
                        "required": ["item"]}},
                    "photos_per_item": {"type": "integer", "minimum": 1, "maximum": 10},
                    "planogram_url": {"type": "string", "format": "uri", "maxLength": 2000}
                }),
                &["store_name", "checklist"],
            ),
            rules: rules(Base { modes: &[Onsite], coordinates: true, proof_of_place: true, min_budget: 40, hours: (0.5, 4.0), kinds: &[Photo, Document], max_file_mb: 30, counter_offers: false, show_up_pct: 25 }),
            default_checkin_radius_m: 100,
            default_deliverables: vec![deliverable(Photo, 10, "jpeg")],
            acceptance_tests: vec![
                test("photo_count", "At least checklist items × photos per item.", json!({"min_from": "task_spec.checklist × task_spec.photos_per_item"})),
                test("exif_gps_in_geofence", "Every photo's EXIF GPS inside the check-in radius.", json!({"radius_from": "location.radius_m"})),
                test("capture_time_in_window", "Captured during the booking.", json!({"slack_minutes": 30})),
                test("blur", "Shelf labels readable.", json!({"min_laplacian_variance": 100.0})),
                test("min_resolution", "Long edge of every photo.", json!({"min_long_edge_px": 1600})),
            ],
            example_task_spec: json!({"store_name": "Fortinos Upper James", "checklist": [{"item": "Endcap display", "photo_required": true}], "photos_per_item": 2}),
        },
        TaskType::OohAssetVerification => Template {
            task_type,
            name: "OOH asset verification".into(),
            description: "Billboard and out-of-home placement verification with GPS-tagged photos.".into(),
            risk: RiskLevel::Low,
            spec_schema: schema(
                json!({
                    "asset_id": {"type": "string", "minLength": 1, "maxLength": 100},
                    "asset_type": {"enum": ["billboard", "transit_shelter", "digital_screen", "poster", "wallscape"]},
                    "campaign_name": {"type": "string", "minLength": 1, "maxLength": 200},
                    "shots": {"type": "array", "minItems": 1, "uniqueItems": true, "items": {"enum": ["wide", "close", "context", "night"]}}
                }),
                &["asset_id", "asset_type", "campaign_name"],
            ),
            rules: rules(Base { modes: &[Onsite], coordinates: true, proof_of_place: true, min_budget: 30, hours: (0.5, 3.0), kinds: &[Photo], max_file_mb: 30, counter_offers: false, show_up_pct: 25 }),
            default_checkin_radius_m: 300,
            default_deliverables: vec![deliverable(Photo, 3, "jpeg")],
            acceptance_tests: vec![
                test("photo_count", "One photo per requested shot, at least.", json!({"min_from": "task_spec.shots"})),
                test("exif_gps_in_geofence", "Every photo's EXIF GPS near the asset.", json!({"radius_from": "location.radius_m"})),
                test("capture_time_in_window", "Captured during the booking.", json!({"slack_minutes": 30})),
                test("blur", "The creative is legible.", json!({"min_laplacian_variance": 60.0})),
            ],
            example_task_spec: json!({"asset_id": "HAM-BB-0142", "asset_type": "billboard", "campaign_name": "Spring launch", "shots": ["wide", "close"]}),
        },
        TaskType::StreetTeamDistribution => Template {
            task_type,
            name: "Street team distribution".into(),
            description: "Geo-fenced flyer or sample distribution with periodic GPS-tagged proof photos.".into(),
            risk: RiskLevel::High,
            spec_schema: schema(
                json!({
                    "item": {"type": "string", "minLength": 1, "maxLength": 200, "description": "What is handed out."},
                    "quantity": {"type": "integer", "minimum": 50, "maximum": 20000},
                    "zone_radius_m": {"type": "integer", "minimum": 100, "maximum": 5000},
                    "proof_photo_every": {"type": "integer", "minimum": 25, "maximum": 2000, "description": "One proof photo per this many items."},
                    "restrictions": {"type": "array", "maxItems": 20, "items": {"type": "string", "maxLength": 300}}
                }),
                &["item", "quantity", "zone_radius_m"],
            ),
            rules: rules(Base { modes: &[Onsite], coordinates: true, proof_of_place: true, min_budget: 100, hours: (1.0, 10.0), kinds: &[Photo, Document], max_file_mb: 30, counter_offers: false, show_up_pct: 30 }),
            default_checkin_radius_m: 500,
            default_deliverables: vec![deliverable(Photo, 10, "jpeg")],
            acceptance_tests: vec![
                test("photo_count", "Proof photos for the quantity distributed.", json!({"min_from": "task_spec.quantity / task_spec.proof_photo_every"})),
                test("exif_gps_in_geofence", "Every proof photo inside the zone.", json!({"radius_from": "task_spec.zone_radius_m"})),
                test("capture_time_in_window", "Captured during the booking.", json!({"slack_minutes": 15})),
                test("near_duplicates", "Proof photos are not repeats.", json!({"min_hash_distance": 6})),
            ],
            example_task_spec: json!({"item": "Launch flyer", "quantity": 500, "zone_radius_m": 800, "proof_photo_every": 50}),
        },
        TaskType::PopupEventStaffing => Template {
            task_type,
            name: "Popup event staffing".into(),
            description: "Brand ambassadors, sampling or registration staff for a popup.".into(),
            risk: RiskLevel::Medium,
            spec_schema: schema(
                json!({
                    "role": {"enum": ["brand_ambassador", "sampling", "registration", "setup_teardown"]},
                    "staff_count": {"type": "integer", "minimum": 1, "maximum": 20},
                    "dress_code": {"type": "string", "maxLength": 300},
                    "briefing": {"type": "string", "maxLength": 5000},
                    "languages": {"type": "array", "maxItems": 10, "items": {"type": "string", "pattern": "^[a-z]{2}$"}}
                }),
                &["role", "staff_count"],
            ),
            rules: rules(Base { modes: &[Onsite], coordinates: false, proof_of_place: false, min_budget: 150, hours: (2.0, 12.0), kinds: &[Photo, Document], max_file_mb: 30, counter_offers: false, show_up_pct: 50 }),
            default_checkin_radius_m: 200,
            default_deliverables: vec![deliverable(Photo, 2, "jpeg"), deliverable(Document, 1, "pdf")],
            acceptance_tests: vec![
                test("photo_count", "A start and an end-of-shift photo at least.", json!({"min": 2})),
                test("capture_time_in_window", "Photos taken during the shift.", json!({"slack_minutes": 30})),
                test("document_present", "A shift report is attached.", json!({"min": 1})),
            ],
            example_task_spec: json!({"role": "sampling", "staff_count": 2, "dress_code": "Black tee, jeans"}),
        },
        TaskType::PodcastOnSiteCapture => Template {
            task_type,
            name: "Podcast on-site capture".into(),
            description: "Multi-track audio recording of a podcast session on location.".into(),
            risk: RiskLevel::Low,
            spec_schema: schema(
                json!({
                    "speaker_count": {"type": "integer", "minimum": 1, "maximum": 8},
                    "session_minutes": {"type": "integer", "minimum": 10, "maximum": 300},
                    "isolated_tracks": {"type": "boolean", "description": "One track per speaker."},
                    "format": {"enum": ["wav", "flac"]},
                    "sample_rate_hz": {"enum": [44100, 48000, 96000]},
                    "video_also": {"type": "boolean"}
                }),
                &["speaker_count", "session_minutes", "format", "sample_rate_hz"],
            ),
            rules: rules(Base { modes: &[Onsite], coordinates: false, proof_of_place: false, min_budget: 250, hours: (1.0, 8.0), kinds: &[Audio, Video], max_file_mb: 4096, counter_offers: true, show_up_pct: 35 }),
            default_checkin_radius_m: 150,
            default_deliverables: vec![deliverable(Audio, 2, "wav")],
            acceptance_tests: vec![
                test("audio_tracks", "One track per speaker when isolated tracks were ordered.", json!({"min_from": "task_spec.speaker_count"})),
                test("file_format", "The ordered audio format.", json!({"formats_from": "task_spec.format"})),
                test("sample_rate", "At least the ordered sample rate.", json!({"min_from": "task_spec.sample_rate_hz"})),
                test("audio_duration", "Each track covers most of the session.", json!({"min_share_of_session": 0.8})),
            ],
            example_task_spec: json!({"speaker_count": 2, "session_minutes": 60, "isolated_tracks": true, "format": "wav", "sample_rate_hz": 48000}),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_has_the_seeds_ten_templates_with_its_risk_levels() {
        let expected = [
            ("PRODUCT_PHOTO_ECOMM", RiskLevel::Low),
            ("UGC_VERTICAL_BATCH", RiskLevel::Medium),
            ("EVENT_PHOTO_COVERAGE", RiskLevel::Low),
            ("EVENT_HIGHLIGHT_VIDEO", RiskLevel::Low),
            ("ON_SITE_STORY_PACK", RiskLevel::Low),
            ("RETAIL_AUDIT_PHOTO_CHECK", RiskLevel::Medium),
            ("OOH_ASSET_VERIFICATION", RiskLevel::Low),
            ("STREET_TEAM_DISTRIBUTION", RiskLevel::High),
            ("POPUP_EVENT_STAFFING", RiskLevel::Medium),
            ("PODCAST_ON_SITE_CAPTURE", RiskLevel::Low),
        ];
        assert_eq!(all().len(), 10);
        for (t, (name, risk)) in all().iter().zip(expected) {
            assert_eq!(t.task_type.as_str(), name);
            assert_eq!(t.risk, risk, "{name}");
            assert_eq!(get(t.task_type).task_type, t.task_type);
            assert!(!t.acceptance_tests.is_empty(), "{name}");
            assert!(t.rules.min_budget > 0 && t.rules.min_budget < t.rules.max_budget, "{name}");
            assert!((1..=100).contains(&t.rules.show_up_share_pct), "{name}");
            assert_eq!(t.rules.max_quote_pct_of_budget > 100, t.rules.allows_counter_offers, "{name}");
            for d in &t.default_deliverables {
                assert!(t.rules.deliverable_kinds.contains(&d.kind), "{name}");
                assert!(d.kind.formats().contains(&d.format.as_str()), "{name}");
            }
        }
    }

    #[test]
    fn geo_verified_templates_need_coordinates_and_proof_of_place() {
        for t in all() {
            let geo = matches!(
                t.task_type,
                TaskType::RetailAuditPhotoCheck | TaskType::OohAssetVerification | TaskType::StreetTeamDistribution
            );
            assert_eq!(t.rules.requires_coordinates, geo, "{}", t.task_type);
            assert_eq!(t.rules.requires_proof_of_place, geo, "{}", t.task_type);
        }
    }
}

//! The ten task templates of the seed: what each job is, the JSON Schema its `task_spec`
//! must satisfy, the rules a task must meet, and the acceptance tests QA runs on delivery.

use serde::{Deserialize, Serialize};
use serde_json::Value;

mod catalog;
pub use catalog::{all, get};

/// The template of a stored task (its type was validated when the task was created).
#[cfg(feature = "server")]
pub fn of_task(task: &crate::entities::tasks::Model) -> Result<&'static Template, crate::Error> {
    TaskType::parse(&task.task_type)
        .map(get)
        .ok_or_else(|| crate::Error::internal(format!("task {} has an unknown type {:?}", task.id, task.task_type)))
}

/// `GET /v1/templates`.
pub fn list() -> TemplateList {
    TemplateList { data: all().to_vec() }
}

/// `GET /v1/templates/:taskType`: 404 for a task type the catalogue does not have.
pub fn find(task_type: &str) -> Result<Template, crate::Error> {
    TaskType::parse(task_type).map(|t| get(t).clone()).ok_or_else(|| {
        crate::Error::not_found("Template").with_details(serde_json::json!({
            "task_type": task_type,
            "available": TaskType::ALL.iter().map(|t| t.as_str()).collect::<Vec<_>>(),
        }))
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TaskType {
    ProductPhotoEcomm,
    UgcVerticalBatch,
    EventPhotoCoverage,
    EventHighlightVideo,
    OnSiteStoryPack,
    RetailAuditPhotoCheck,
    OohAssetVerification,
    StreetTeamDistribution,
    PopupEventStaffing,
    PodcastOnSiteCapture,
}

impl TaskType {
    pub const ALL: [TaskType; 10] = [
        TaskType::ProductPhotoEcomm,
        TaskType::UgcVerticalBatch,
        TaskType::EventPhotoCoverage,
        TaskType::EventHighlightVideo,
        TaskType::OnSiteStoryPack,
        TaskType::RetailAuditPhotoCheck,
        TaskType::OohAssetVerification,
        TaskType::StreetTeamDistribution,
        TaskType::PopupEventStaffing,
        TaskType::PodcastOnSiteCapture,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            TaskType::ProductPhotoEcomm => "PRODUCT_PHOTO_ECOMM",
            TaskType::UgcVerticalBatch => "UGC_VERTICAL_BATCH",
            TaskType::EventPhotoCoverage => "EVENT_PHOTO_COVERAGE",
            TaskType::EventHighlightVideo => "EVENT_HIGHLIGHT_VIDEO",
            TaskType::OnSiteStoryPack => "ON_SITE_STORY_PACK",
            TaskType::RetailAuditPhotoCheck => "RETAIL_AUDIT_PHOTO_CHECK",
            TaskType::OohAssetVerification => "OOH_ASSET_VERIFICATION",
            TaskType::StreetTeamDistribution => "STREET_TEAM_DISTRIBUTION",
            TaskType::PopupEventStaffing => "POPUP_EVENT_STAFFING",
            TaskType::PodcastOnSiteCapture => "PODCAST_ON_SITE_CAPTURE",
        }
    }

    pub fn parse(text: &str) -> Option<TaskType> {
        TaskType::ALL.into_iter().find(|t| t.as_str() == text)
    }
}

impl std::fmt::Display for TaskType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum RiskLevel {
    Low,
    Medium,
    High,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum LocationMode {
    /// The talent works at the task's address.
    Onsite,
    /// The talent works wherever they are (UGC filmed at home, for example).
    Remote,
}

impl LocationMode {
    pub const fn as_str(self) -> &'static str {
        match self {
            LocationMode::Onsite => "onsite",
            LocationMode::Remote => "remote",
        }
    }

    pub fn parse(text: &str) -> Option<LocationMode> {
        match text {
            "onsite" => Some(LocationMode::Onsite),
            "remote" => Some(LocationMode::Remote),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum DeliverableKind {
    Photo,
    Video,
    Audio,
    Document,
}

impl DeliverableKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            DeliverableKind::Photo => "photo",
            DeliverableKind::Video => "video",
            DeliverableKind::Audio => "audio",
            DeliverableKind::Document => "document",
        }
    }

    /// File formats accepted for this kind of deliverable.
    pub const fn formats(self) -> &'static [&'static str] {
        match self {
            DeliverableKind::Photo => &["jpeg", "png", "heic", "webp"],
            DeliverableKind::Video => &["mp4", "mov"],
            DeliverableKind::Audio => &["wav", "flac", "mp3"],
            DeliverableKind::Document => &["pdf", "txt", "csv"],
        }
    }
}

/// One expected deliverable: how many files of which kind and format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeliverableSpec {
    pub kind: DeliverableKind,
    pub count: u32,
    pub format: String,
}

/// What a task of this template must satisfy beyond its `task_spec` schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TemplateRules {
    /// Location modes the template allows; `onsite` needs an address.
    pub location_modes: Vec<LocationMode>,
    /// Whether `location.lat`/`lng` are required (GPS-verified templates).
    pub requires_coordinates: bool,
    /// Whether a check-in outside the radius is refused rather than recorded as unverified.
    pub requires_proof_of_place: bool,
    /// Budget bounds in whole dollars.
    pub min_budget: i64,
    pub max_budget: i64,
    pub min_duration_hours: f64,
    pub max_duration_hours: f64,
    /// How soon the work may start: `schedule.start_at` must be at least this far ahead.
    pub min_lead_time_minutes: i64,
    /// How far ahead the work may be scheduled.
    pub max_days_ahead: i64,
    /// Deliverable kinds a task of this template may ask for.
    pub deliverable_kinds: Vec<DeliverableKind>,
    /// Largest file accepted for a deliverable, in megabytes.
    pub max_file_mb: u32,
    /// Whether talent may quote above the budget (a counter-offer), and by how much at most:
    /// a quote may be up to `max_quote_pct_of_budget` percent of `budget.max_total`.
    pub allows_counter_offers: bool,
    pub max_quote_pct_of_budget: u32,
    /// When a booking is cancelled after the talent checked in, this percentage of the booked
    /// amount goes to the talent for showing up; the rest is released to the principal.
    /// Cancelled before check-in, everything is released.
    pub show_up_share_pct: u32,
}

/// A check QA runs on the deliverables, with its parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AcceptanceTest {
    pub name: String,
    pub description: String,
    #[cfg_attr(feature = "server", schema(value_type = Object))]
    pub params: Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Template {
    pub task_type: TaskType,
    pub name: String,
    pub description: String,
    pub risk: RiskLevel,
    /// JSON Schema (2020-12) that `task_spec` must satisfy.
    #[cfg_attr(feature = "server", schema(value_type = Object))]
    pub spec_schema: Value,
    pub rules: TemplateRules,
    /// Check-in radius around the task's point, unless the task sets `location.radius_m`.
    pub default_checkin_radius_m: u32,
    /// Deliverables a task gets when it does not list its own.
    pub default_deliverables: Vec<DeliverableSpec>,
    pub acceptance_tests: Vec<AcceptanceTest>,
    /// An example `POST /v1/tasks` body that passes validation (schedule aside).
    #[cfg_attr(feature = "server", schema(value_type = Object))]
    pub example_task_spec: Value,
}

/// `GET /v1/templates`: the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TemplateList {
    pub data: Vec<Template>,
}

//! Tasks: an agent's order for on-site work, validated against its template.

use crate::status::TaskStatus;
use crate::templates::{DeliverableSpec, LocationMode, TaskType};
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[cfg(feature = "server")]
mod validate;
#[cfg(feature = "server")]
pub use validate::{ValidTask, request_schema, validate};

#[cfg(feature = "server")]
mod service;
#[cfg(feature = "server")]
pub use service::*;

/// `POST /v1/tasks`. Unknown fields are refused; `budget.max_total` is whole dollars
/// (`300` or `300.0`; `300.5` is refused).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateTaskRequest {
    pub task_type: TaskType,
    /// 3–200 characters.
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    /// `open_for_quotes` (default) or `draft`.
    #[serde(default)]
    pub status: Option<TaskStatus>,
    pub location: LocationInput,
    pub schedule: ScheduleInput,
    pub budget: BudgetInput,
    /// Defaults to the template's `default_deliverables`.
    #[serde(default)]
    pub deliverables: Option<Vec<DeliverableInput>>,
    /// Validated against the template's `spec_schema`.
    #[cfg_attr(feature = "server", schema(value_type = Object))]
    pub task_spec: Value,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LocationInput {
    pub mode: LocationMode,
    /// Required for `onsite`.
    #[serde(default)]
    pub address: Option<String>,
    /// Required (with `lng`) by GPS-verified templates.
    #[serde(default)]
    pub lat: Option<f64>,
    #[serde(default)]
    pub lng: Option<f64>,
    /// Check-in radius in metres; the template's default when absent.
    #[serde(default)]
    pub radius_m: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ScheduleInput {
    /// RFC 3339, in the future.
    pub start_at: String,
    pub duration_hours: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BudgetInput {
    /// ISO 4217: USD, CAD, EUR, GBP or AUD.
    pub currency: crate::money::Currency,
    /// `fixed` (default) or `hourly`.
    #[serde(default)]
    pub pricing_model: Option<String>,
    /// Whole dollars.
    pub max_total: crate::money::Dollars,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeliverableInput {
    pub kind: crate::templates::DeliverableKind,
    pub count: u32,
    /// Defaults to the kind's first format (jpeg, mp4, wav, pdf).
    #[serde(default)]
    pub format: Option<String>,
}

/// A task as the API shows it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Task {
    pub id: String,
    pub task_type: TaskType,
    pub title: String,
    pub description: Option<String>,
    pub status: TaskStatus,
    pub location: Location,
    pub schedule: Schedule,
    pub budget: Budget,
    pub deliverables: Vec<DeliverableSpec>,
    #[cfg_attr(feature = "server", schema(value_type = Object))]
    pub task_spec: Value,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Location {
    pub mode: LocationMode,
    pub address: Option<String>,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    /// The check-in radius in force: the task's own, or the template's default.
    pub radius_m: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Schedule {
    pub start_at: chrono::DateTime<chrono::Utc>,
    pub duration_hours: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Budget {
    pub currency: String,
    pub pricing_model: String,
    /// Whole dollars.
    pub max_total: i64,
}

/// `GET /v1/tasks?status=&task_type=&limit=&cursor=`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
pub struct TaskFilter {
    pub status: Option<String>,
    pub task_type: Option<String>,
}

//! Tasks: an agent's order for on-site work, validated against its template.

use crate::status::TaskStatus;
use crate::templates::{DeliverableSpec, LocationMode, TaskType};
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub mod form;

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
    /// 3–200 characters, at least 3 of them besides spaces.
    #[cfg_attr(
        feature = "server",
        schema(
            min_length = 3,
            max_length = 200,
            pattern = r"[^\t\n\u000b\f\r ][\s\S]*[^\t\n\u000b\f\r ][\s\S]*[^\t\n\u000b\f\r ]"
        )
    )]
    pub title: String,
    /// At most 5000 characters.
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 5000))]
    pub description: Option<String>,
    /// `open_for_quotes` (default) or `draft`.
    #[serde(default)]
    pub status: Option<NewTaskStatus>,
    pub location: LocationInput,
    pub schedule: ScheduleInput,
    pub budget: BudgetInput,
    /// Defaults to the template's `default_deliverables`.
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(min_items = 1, max_items = 10))]
    pub deliverables: Option<Vec<DeliverableInput>>,
    /// Validated against the template's `spec_schema` (`GET /v1/templates/:task_type`).
    #[cfg_attr(feature = "server", schema(value_type = Object))]
    pub task_spec: Value,
}

/// What a new task starts as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NewTaskStatus {
    Draft,
    OpenForQuotes,
}

impl From<NewTaskStatus> for TaskStatus {
    fn from(status: NewTaskStatus) -> TaskStatus {
        match status {
            NewTaskStatus::Draft => TaskStatus::Draft,
            NewTaskStatus::OpenForQuotes => TaskStatus::OpenForQuotes,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LocationInput {
    pub mode: LocationMode,
    /// Required for `onsite`, 3–500 characters.
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(min_length = 3, max_length = 500))]
    pub address: Option<String>,
    /// Required (with `lng`) by GPS-verified templates.
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(minimum = -90, maximum = 90))]
    pub lat: Option<f64>,
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(minimum = -180, maximum = 180))]
    pub lng: Option<f64>,
    /// Check-in radius in metres (10–50000); the template's default when absent.
    #[serde(default, deserialize_with = "crate::whole::optional")]
    #[cfg_attr(feature = "server", schema(minimum = 10, maximum = 50000))]
    pub radius_m: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ScheduleInput {
    /// RFC 3339, in the future (how far ahead: the template's `rules`).
    #[cfg_attr(feature = "server", schema(format = DateTime))]
    pub start_at: String,
    /// More than 0 and at most 24 (the template's `rules` narrow it).
    #[cfg_attr(feature = "server", schema(exclusive_minimum = 0, maximum = 24))]
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
    pub pricing_model: Option<PricingModel>,
    /// Whole dollars, at least 1 (the template's `rules` narrow it).
    #[cfg_attr(feature = "server", schema(value_type = i64, minimum = 1, maximum = 1_000_000))]
    pub max_total: crate::money::Dollars,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum PricingModel {
    Fixed,
    Hourly,
}

impl PricingModel {
    pub const fn as_str(self) -> &'static str {
        match self {
            PricingModel::Fixed => "fixed",
            PricingModel::Hourly => "hourly",
        }
    }
}

/// What a task asks to be delivered (the document calls it `TaskDeliverableInput`, apart from
/// the work order's `DeliverableInput`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "server", schema(as = TaskDeliverableInput))]
#[serde(deny_unknown_fields)]
pub struct DeliverableInput {
    pub kind: crate::templates::DeliverableKind,
    #[cfg_attr(feature = "server", schema(minimum = 1, maximum = 1000))]
    #[serde(deserialize_with = "crate::whole::number")]
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
#[cfg_attr(feature = "server", into_params(parameter_in = Query))]
pub struct TaskFilter {
    #[cfg_attr(feature = "server", param(value_type = Option<TaskStatus>))]
    pub status: Option<String>,
    #[cfg_attr(feature = "server", param(value_type = Option<TaskType>))]
    pub task_type: Option<String>,
}

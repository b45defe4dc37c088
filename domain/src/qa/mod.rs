//! Automated QA: the template's acceptance tests, run once per delivery and cached.

use serde::{Deserialize, Serialize};
use serde_json::Value;

#[cfg(feature = "server")]
mod checks;
#[cfg(feature = "server")]
pub mod facts;
#[cfg(feature = "server")]
mod service;
#[cfg(feature = "server")]
pub use checks::evaluate;
#[cfg(feature = "server")]
pub use service::*;

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "server", sea_orm(rs_type = "String", db_type = "Text"))]
#[serde(rename_all = "lowercase")]
pub enum QaStatus {
    #[cfg_attr(feature = "server", sea_orm(string_value = "passed"))]
    Passed,
    #[cfg_attr(feature = "server", sea_orm(string_value = "failed"))]
    Failed,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct QaCheck {
    /// The acceptance test (`blur`, `min_resolution`, …).
    pub name: String,
    pub passed: bool,
    /// What the check wanted: a number, a range, a list, … (any JSON value).
    #[cfg_attr(feature = "server", schema(value_type = Value))]
    pub expected: Value,
    /// What it found, in the same shape.
    #[cfg_attr(feature = "server", schema(value_type = Value))]
    pub actual: Value,
    /// Set for checks about one file.
    pub deliverable_id: Option<String>,
    /// Why a check could not pass (an unreadable file, a missing tag).
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct QaReport {
    pub work_order_id: String,
    pub delivery_set: u32,
    pub status: QaStatus,
    pub checks: Vec<QaCheck>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

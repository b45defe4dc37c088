//! The audit log: every mutation writes a row (who, what, which entity, which request, a
//! summary of the change) in the transaction of the change itself.

use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
mod service;
#[cfg(feature = "server")]
pub use service::*;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: String,
    /// `api_key`, `principal`, `talent` or `system`.
    pub actor_type: String,
    pub actor_id: String,
    /// What happened, as `entity.verb` (`task.created`, `api_key.revoked`, …).
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    pub request_id: Option<String>,
    /// The fields the change set, or a description of it.
    #[cfg_attr(feature = "server", schema(value_type = Object))]
    pub summary: serde_json::Value,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// `GET /v1/audit?entity_type=&entity_id=`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "server", into_params(parameter_in = Query))]
pub struct AuditFilter {
    /// `task`, `api_key`, `principal`, …
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
}

/// The dashboard's audit log filters: each narrows the list, all are optional. `from` and `to`
/// are calendar days (`YYYY-MM-DD`, UTC), both included.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct AuditSearch {
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    /// One action exactly (`booking.confirmed`).
    pub action: Option<String>,
    /// `api_key`, `principal`, `talent` or `system`.
    pub actor_type: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

impl From<AuditFilter> for AuditSearch {
    fn from(f: AuditFilter) -> Self {
        AuditSearch { entity_type: f.entity_type, entity_id: f.entity_id, ..Default::default() }
    }
}

/// Who can be an audit row's actor, as the filter offers them.
pub const ACTOR_TYPES: [&str; 4] = ["api_key", "principal", "talent", "system"];

/// The columns of the CSV export, in order.
pub const CSV_COLUMNS: [&str; 9] =
    ["id", "created_at", "actor_type", "actor_id", "action", "entity_type", "entity_id", "request_id", "summary"];

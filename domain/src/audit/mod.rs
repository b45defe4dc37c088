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

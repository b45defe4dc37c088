//! The dashboard's audit log: the same rows as `/v1/audit`, for the signed-in owner.

use domain::Error;
use domain::audit::AuditSearch;
use domain::dashboard::AuditPage;
use leptos::prelude::*;

/// A page of the owner's audit log, narrowed by the filters (each optional; none at all is
/// the whole log).
#[server(endpoint = "dashboard/audit")]
pub async fn get_dashboard_audit(
    #[server(default)] search: AuditSearch,
    cursor: Option<String>,
) -> Result<AuditPage, Error> {
    let services = crate::api::services()?;
    domain::dashboard::audit_page(&services, &super::owner("see the audit log").await?, search, cursor).await
}

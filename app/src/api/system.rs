use domain::{Error, system::SystemStatus};
use leptos::prelude::*;

/// The service's health, read through the database. The fixed endpoint lets tests and
/// scripts call it at a known URL.
#[server(endpoint = "system/status")]
pub async fn get_system_status() -> Result<SystemStatus, Error> {
    let services = super::services()?;
    domain::system::status(&services.db).await
}

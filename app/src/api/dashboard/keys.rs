//! The dashboard's API keys: the same service as `/v1/api_keys`, for the signed-in owner.

use domain::Error;
use domain::api_keys::{ApiKeyList, CreatedApiKey};
use leptos::prelude::*;

/// The account's keys, newest last (never their secret).
#[server(endpoint = "dashboard/keys")]
pub async fn get_dashboard_keys() -> Result<ApiKeyList, Error> {
    let services = crate::api::services()?;
    domain::api_keys::list(&services, &super::owner("see your API keys").await?).await
}

/// Creates a key, as `POST /v1/api_keys`; a form without the wasm finds it on the page it
/// returns to, once.
#[server(endpoint = "dashboard/keys/create")]
pub async fn create_dashboard_key(name: Option<String>) -> Result<CreatedApiKey, Error> {
    let services = crate::api::services()?;
    let created = domain::api_keys::create(
        &services,
        &super::owner("create an API key").await?,
        domain::api_keys::CreateApiKeyRequest { name },
    )
    .await?;
    crate::api::flash::keep::<CreateDashboardKey>(&created).await?;
    Ok(created)
}

/// Revokes a key, as `DELETE /v1/api_keys/:id` (not the last active one).
#[server(endpoint = "dashboard/keys/revoke")]
pub async fn revoke_dashboard_key(key_id: String) -> Result<domain::api_keys::ApiKey, Error> {
    let services = crate::api::services()?;
    domain::api_keys::revoke(&services, &super::owner("revoke an API key").await?, &key_id).await
}

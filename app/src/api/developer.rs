use domain::Error;
use domain::principals::SignupResponse;
use leptos::prelude::*;

/// The sign-up page's form: the same service as `POST /v1/developer/signup`, with the same
/// per-address limit.
#[server(endpoint = "developer/signup")]
pub async fn signup(name: String, email: String) -> Result<SignupResponse, Error> {
    use axum::Extension;
    use domain::caller::ClientAddress;
    use domain::principals::SignupRequest;

    let services = super::services()?;
    let Extension(ClientAddress(addr)) = leptos_axum::extract::<Extension<ClientAddress>>()
        .await
        .map_err(|e| Error::internal(format!("client address missing: {e}")))?;
    let request = SignupRequest { name, email, mode: None };
    domain::principals::signup(&services, request, &addr, super::request_id().await).await
}

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
    // A form's fields often carry a stray space from autocomplete; the API takes them as sent.
    let request = SignupRequest { name: name.trim().to_owned(), email: email.trim().to_owned(), mode: None };
    let created = domain::principals::signup(&services, request, &addr, super::request_id().await).await?;
    super::flash::keep::<Signup>(&created).await?;
    Ok(created)
}

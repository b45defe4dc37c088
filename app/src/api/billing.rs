use domain::Error;
use domain::billing::PaymentMethod;
use leptos::prelude::*;

/// The paste-your-key form behind `GET /v1/billing/setup`: starts the same setup as
/// `POST /v1/billing/setup` and sends the browser to the card page.
/// Under `money/`: it counts against the money limit, as `POST /v1/billing/setup` does.
#[server(endpoint = "money/billing/setup")]
pub async fn start_billing_setup(api_key: String) -> Result<(), Error> {
    let services = super::services()?;
    let caller = domain::auth::resolve_token(&services, api_key.trim(), super::request_id().await).await?;
    if !caller.is_principal() {
        return Err(Error::auth("Paste an API key (hd_test_… or hd_live_…), not a talent token"));
    }
    let setup = domain::billing::start_setup(&services, &caller).await?;
    leptos_axum::redirect(&setup.url);
    Ok(())
}

/// Whether a sandbox setup link can still be used.
#[server(endpoint = "billing/sandbox/check")]
pub async fn check_sandbox_setup(token: String) -> Result<(), Error> {
    let services = super::services()?;
    domain::billing::sandbox_setup_session(&services, &token).await.map(|_| ())
}

/// Finishes a sandbox setup link with the chosen test card (`ok` or `decline`).
#[server(endpoint = "billing/sandbox/complete")]
pub async fn complete_sandbox_setup(token: String, card: String) -> Result<PaymentMethod, Error> {
    use domain::billing::TestCardKind;
    let services = super::services()?;
    let card = match card.as_str() {
        "ok" => TestCardKind::Ok,
        "decline" => TestCardKind::Decline,
        other => {
            return Err(Error::validation("Invalid card", vec![format!("/card: {other:?} is not ok or decline")]));
        }
    };
    let card = domain::billing::complete_sandbox_setup(&services, &token, card).await?;
    super::flash::keep::<CompleteSandboxSetup>(&card).await?;
    Ok(card)
}

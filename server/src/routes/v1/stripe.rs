//! `/v1/stripe/fees`: the platform's fee structure.

use axum::Json;
use domain::error::ErrorEnvelope;
use serde::Serialize;

#[derive(Serialize, utoipa::ToSchema)]
pub struct Fees {
    pub platform_fee_pct: u32,
    pub talent_share_pct: u32,
    /// How cents are split.
    pub rounding: String,
}

/// The fee structure applied when work is accepted.
#[utoipa::path(get, path = "/stripe/fees", tag = "Billing", responses((status = 200, body = Fees), (status = 429, body = ErrorEnvelope)))]
pub async fn fees() -> Json<Fees> {
    Json(Fees {
        platform_fee_pct: domain::escrow::PLATFORM_FEE_PCT,
        talent_share_pct: 100 - domain::escrow::PLATFORM_FEE_PCT,
        rounding: "fee = floor(captured_cents × 15 / 100); payout = captured_cents − fee".into(),
    })
}

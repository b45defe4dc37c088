//! The dashboard's money: the card, the spend cap and the monthly ledger, through the same
//! services as `/v1/billing`.

use domain::Error;
use domain::billing::SpendCap;
use domain::dashboard::MoneyPage;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The money page with its spend charts, drawn on the server.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct MoneyView {
    pub page: MoneyPage,
    /// One SVG per currency spent in the month: (currency, svg).
    pub charts: Vec<(String, String)>,
}

/// The card, the cap, and `month` (`YYYY-MM`; none: this month) of the ledger.
#[server(endpoint = "dashboard/money")]
pub async fn get_dashboard_money(month: Option<String>) -> Result<MoneyView, Error> {
    let services = crate::api::services()?;
    let page =
        domain::dashboard::money_page(&services, &super::owner("see your money").await?, month.as_deref()).await?;
    let charts = crate::components::charts::spend_charts(&page)?;
    Ok(MoneyView { page, charts })
}

/// Sets the monthly spend cap (whole dollars, with its currency) or, left empty, removes it, as
/// `PUT /v1/billing/spend_cap`.
#[server(endpoint = "money/dashboard/billing/spend_cap")]
pub async fn set_dashboard_spend_cap(monthly_cap: String, currency: Option<String>) -> Result<SpendCap, Error> {
    let services = crate::api::services()?;
    let caller = super::owner("set the spend cap").await?;
    let sent = SetDashboardSpendCap { monthly_cap: monthly_cap.clone(), currency: currency.clone() };
    let result = async {
        let update = domain::billing::spend_cap_from_form(&monthly_cap, currency.as_deref().unwrap_or_default())?;
        domain::billing::put_spend_cap(&services, &caller, update).await
    }
    .await;
    if result.is_err() {
        crate::api::flash::keep_refused::<SetDashboardSpendCap>(&sent).await?;
    }
    result
}

use crate::events::PayoutInitiated;
use crate::mail::{Rendered, render};
use crate::money::{Cents, format, format_dollars};

/// To the talent: their share is on its way.
pub fn payout_initiated(payout: &PayoutInitiated) -> Rendered {
    render(
        &format!("💸 Payout initiated: {}", format_dollars(payout.amount, &payout.currency)),
        "Your payout is on its way.",
        &[
            ("Work order ID", payout.work_order_id.clone()),
            ("Payout ID", payout.payout_id.clone()),
            ("Amount", format(Cents(payout.amount_cents), &payout.currency)),
            ("Platform fee", format(Cents(payout.fee_cents), &payout.currency)),
        ],
        None,
    )
}

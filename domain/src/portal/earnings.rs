use super::{Earning, EarningStatus, PayoutAccount, PortalEarnings};
use crate::caller::Caller;
use crate::entities::{payouts, talent};
use crate::principals::Mode;
use crate::status::{BookingStatus, PayoutStatus};
use crate::{Error, Services};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

/// What the talent earned and will earn, booking by booking, and where payouts go.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn earnings(svc: &Services, caller: &Caller) -> Result<PortalEarnings, Error> {
    let talent_id = caller.talent_id()?;
    let profile = talent::Entity::find_by_id(talent_id.to_owned())
        .one(&svc.db)
        .await?
        .ok_or_else(|| Error::not_found("Talent"))?;
    let payouts: HashMap<String, payouts::Model> = payouts::Entity::find()
        .filter(payouts::Column::TalentId.eq(talent_id))
        .all(&svc.db)
        .await?
        .into_iter()
        .filter_map(|p| Some((p.booking_id.clone()?, p)))
        .collect();
    let bookings = super::bookings_of(svc, talent_id).await?;
    let earnings = bookings
        .into_iter()
        .map(|b| {
            let payout = payouts.get(&b.booking_id);
            let (status, cents) = match (payout, b.status, &b.cancellation) {
                (Some(p), _, _) => (
                    match p.status {
                        PayoutStatus::Pending => EarningStatus::PayoutPending,
                        PayoutStatus::Initiated => EarningStatus::Paid,
                        PayoutStatus::Failed => EarningStatus::PayoutFailed,
                    },
                    p.amount_cents,
                ),
                (None, BookingStatus::Cancelled, Some(c)) if c.show_up_fee_cents > 0 => {
                    (EarningStatus::ShowUpFee, c.show_up_fee_cents)
                }
                (None, BookingStatus::Cancelled, _) => (EarningStatus::Cancelled, 0),
                (None, _, _) => (EarningStatus::Held, b.payout_cents),
            };
            Earning {
                booking_id: b.booking_id,
                title: b.title,
                start_at: b.start_at,
                currency: b.currency,
                amount_cents: b.amount_cents,
                earned_cents: cents,
                status,
                payout_id: payout.map(|p| p.id.clone()),
                transfer_ref: payout.and_then(|p| p.transfer_ref.clone()),
                payout_error: payout.and_then(|p| p.last_error.clone()),
            }
        })
        .collect();
    let sandbox = Mode::parse(&profile.mode) == Some(Mode::Sandbox);
    Ok(PortalEarnings {
        account: PayoutAccount { reference: profile.payout_account_ref, sandbox },
        earnings,
        platform_fee_pct: crate::escrow::PLATFORM_FEE_PCT,
    })
}

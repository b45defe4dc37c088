//! How a booking's escrow is split: pure arithmetic in cents, the same for every path that
//! settles a booking. In every split `talent + fee == captured` and `captured + refunded ==
//! amount`, to the cent.

use crate::money::Cents;
use crate::work_orders::DisputeOutcome;
use crate::{Error, ErrorCode};
use serde::{Deserialize, Serialize};

/// The platform's cut of captured work, in percent.
pub const PLATFORM_FEE_PCT: u32 = 15;

/// Why a booking was settled.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    sea_orm::EnumIter,
    sea_orm::DeriveActiveEnum,
    utoipa::ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "snake_case")]
pub enum SettlementKind {
    /// The principal accepted the work.
    #[sea_orm(string_value = "accepted")]
    Accepted,
    /// The principal cancelled the booking (before delivery).
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
    #[sea_orm(string_value = "dispute_released")]
    DisputeReleased,
    #[sea_orm(string_value = "dispute_split")]
    DisputeSplit,
    #[sea_orm(string_value = "dispute_refunded")]
    DisputeRefunded,
}

impl SettlementKind {
    /// Whether the booking ends `completed` (the talent was paid for the work) rather than
    /// `cancelled`.
    pub fn completes(self) -> bool {
        matches!(self, SettlementKind::Accepted | SettlementKind::DisputeReleased | SettlementKind::DisputeSplit)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Terms {
    pub kind: SettlementKind,
    /// Taken from the hold; the rest of the hold is released.
    pub captured: Cents,
    /// Paid to the talent.
    pub talent: Cents,
    /// Kept by the platform.
    pub fee: Cents,
    /// Back to the principal's card.
    pub refunded: Cents,
}

/// `pct` percent of `amount`, rounded down to the cent.
pub fn share(amount: Cents, pct: u32) -> Result<Cents, Error> {
    amount.percent(pct).ok_or_else(|| Error::internal(format!("{pct} % of {} cents overflows", amount.0)))
}

impl Terms {
    /// Captures `captured` of `amount`: the fee is 15 % of it rounded down, the talent gets the
    /// rest of it, the principal the rest of the amount.
    fn work(kind: SettlementKind, amount: Cents, captured: Cents) -> Result<Terms, Error> {
        let fee = share(captured, PLATFORM_FEE_PCT)?;
        Ok(Terms { kind, captured, talent: diff(captured, fee)?, fee, refunded: diff(amount, captured)? })
    }

    /// What showing up earns when the job is called off: the template's share, with no fee.
    fn show_up(kind: SettlementKind, amount: Cents, checked_in: bool, show_up_pct: u32) -> Result<Terms, Error> {
        let paid = if checked_in { share(amount, show_up_pct)? } else { Cents::ZERO };
        Ok(Terms { kind, captured: paid, talent: paid, fee: Cents::ZERO, refunded: diff(amount, paid)? })
    }

    pub fn accepted(amount: Cents) -> Result<Terms, Error> {
        Terms::work(SettlementKind::Accepted, amount, amount)
    }

    pub fn cancelled(amount: Cents, checked_in: bool, show_up_pct: u32) -> Result<Terms, Error> {
        Terms::show_up(SettlementKind::Cancelled, amount, checked_in, show_up_pct)
    }

    /// A dispute's outcome: `release` pays as acceptance does; `split` captures the talent's
    /// share (the fee comes out of it); `refund` gives everything back except, once the talent
    /// checked in, the show-up share.
    pub fn dispute(
        amount: Cents,
        outcome: DisputeOutcome,
        talent_share_pct: Option<u32>,
        checked_in: bool,
        show_up_pct: u32,
    ) -> Result<Terms, Error> {
        match (outcome, talent_share_pct) {
            (DisputeOutcome::Release, None) => Terms::work(SettlementKind::DisputeReleased, amount, amount),
            (DisputeOutcome::Split, Some(pct)) if (1..=99).contains(&pct) => {
                Terms::work(SettlementKind::DisputeSplit, amount, share(amount, pct)?)
            }
            (DisputeOutcome::Refund, None) => {
                Terms::show_up(SettlementKind::DisputeRefunded, amount, checked_in, show_up_pct)
            }
            (DisputeOutcome::Split, _) => {
                Err(Error::validation("Invalid resolution", vec!["/talent_share_pct: 1–99 with a split".into()]))
            }
            (_, Some(_)) => {
                Err(Error::validation("Invalid resolution", vec!["/talent_share_pct: only with a split".into()]))
            }
        }
    }
}

fn diff(a: Cents, b: Cents) -> Result<Cents, Error> {
    a.checked_sub(b)
        .filter(|c| c.0 >= 0)
        .ok_or_else(|| Error::new(ErrorCode::Internal, format!("settlement arithmetic: {} - {} cents", a.0, b.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn adds_up(t: &Terms, amount: i64) {
        assert_eq!(t.talent.0 + t.fee.0, t.captured.0, "{t:?}");
        assert_eq!(t.captured.0 + t.refunded.0, amount, "{t:?}");
        assert!(t.talent.0 >= 0 && t.fee.0 >= 0 && t.refunded.0 >= 0, "{t:?}");
    }

    #[test]
    fn every_split_adds_up_to_the_cent() {
        for amount in (1..200_000).step_by(97).chain([1, 99, 101, 9_999, 25_000, 29_900, 100_000_000]) {
            let a = Cents(amount);
            adds_up(&Terms::accepted(a).unwrap(), amount);
            for checked_in in [false, true] {
                adds_up(&Terms::cancelled(a, checked_in, 25).unwrap(), amount);
                adds_up(&Terms::dispute(a, DisputeOutcome::Refund, None, checked_in, 33).unwrap(), amount);
            }
            for pct in [1, 33, 60, 99] {
                adds_up(&Terms::dispute(a, DisputeOutcome::Split, Some(pct), true, 25).unwrap(), amount);
            }
        }
    }

    #[test]
    fn the_figures_the_api_documents() {
        // $250 accepted: 15 % fee rounded down, the talent gets the rest.
        let t = Terms::accepted(Cents(25_000)).unwrap();
        assert_eq!((t.captured, t.talent, t.fee, t.refunded), (Cents(25_000), Cents(21_250), Cents(3_750), Cents(0)));
        assert_eq!(Terms::accepted(Cents(9_999)).unwrap().fee, Cents(1_499));
        // A 60 % split of $250.
        let t = Terms::dispute(Cents(25_000), DisputeOutcome::Split, Some(60), true, 25).unwrap();
        assert_eq!((t.talent, t.fee, t.refunded), (Cents(12_750), Cents(2_250), Cents(10_000)));
        // A refund after check-in still pays the show-up share (no fee); before, nothing.
        let t = Terms::dispute(Cents(25_000), DisputeOutcome::Refund, None, true, 25).unwrap();
        assert_eq!((t.captured, t.talent, t.refunded), (Cents(6_250), Cents(6_250), Cents(18_750)));
        let t = Terms::dispute(Cents(25_000), DisputeOutcome::Refund, None, false, 25).unwrap();
        assert_eq!((t.captured, t.refunded), (Cents(0), Cents(25_000)));
        assert_eq!(Terms::cancelled(Cents(9_999), true, 33).unwrap().talent, Cents(3_299));
    }

    #[test]
    fn a_split_needs_a_share_and_only_a_split_takes_one() {
        for (outcome, pct) in [
            (DisputeOutcome::Split, None),
            (DisputeOutcome::Split, Some(0)),
            (DisputeOutcome::Split, Some(100)),
            (DisputeOutcome::Refund, Some(10)),
            (DisputeOutcome::Release, Some(10)),
        ] {
            let e = Terms::dispute(Cents(100), outcome, pct, true, 25).unwrap_err();
            assert_eq!(e.code, ErrorCode::SchemaValidationFailed, "{outcome:?} {pct:?}");
        }
    }
}

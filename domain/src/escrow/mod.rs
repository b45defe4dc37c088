//! A booking's money, from the hold to the payout. The booking row is the escrow's root: every
//! operation that can move its money first takes that row through a transition (see
//! `bookings::guard`), in the transaction that decides what happens, so of two racing
//! operations exactly one decides. The decision is committed before any money moves; the
//! gateway calls are journaled (`payments::journal`) and their outcomes recorded in the ledger
//! afterwards, by the request or, after a crash, by the reconciler.

mod hold;
mod reconcile;
mod settle;
mod terms;

pub use hold::hold_and_confirm;
pub use reconcile::reconcile;
pub use settle::{Decision, carry_out, decide, view};
pub use terms::{PLATFORM_FEE_PCT, SettlementKind, Terms, share};

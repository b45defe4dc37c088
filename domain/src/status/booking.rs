//! A booking: the accepted quote with its money held in escrow. The booking row is the root of
//! the escrow: every operation that can move its money takes this row first (see
//! `bookings::guard`), so two of them cannot both proceed.

use super::Machine;
use serde::{Deserialize, Serialize};

status_enum!(
    BookingStatus {
        PendingEscrow => "pending_escrow",
        Confirmed => "confirmed",
        InProgress => "in_progress",
        Completed => "completed",
        Cancelled => "cancelled",
    }
);

actions!(BookingAction {
    /// A hold on the card is being made: this self-move takes the row, so that attempts queue.
    Hold => "held",
    /// The hold succeeded.
    Confirm => "confirmed",
    /// The talent checked in on site.
    CheckIn => "checked in",
    /// Work on the booking (deliveries, QA, change requests, disputes) needs it active; this
    /// self-move takes the row without changing it.
    Work => "worked on",
    /// Settled with the talent paid: acceptance, or a dispute released or split.
    Complete => "completed",
    /// Cancelled by the principal, or settled by a dispute refund.
    Cancel => "cancelled",
});

use BookingAction as A;
use BookingStatus as S;

impl Machine for BookingStatus {
    type Action = BookingAction;
    const NOUN: &'static str = "booking";
    const TRANSITIONS: &'static [(S, A, S)] = &[
        (S::PendingEscrow, A::Hold, S::PendingEscrow),
        (S::PendingEscrow, A::Confirm, S::Confirmed),
        (S::PendingEscrow, A::Cancel, S::Cancelled),
        (S::Confirmed, A::CheckIn, S::InProgress),
        (S::Confirmed, A::Work, S::Confirmed),
        (S::InProgress, A::Work, S::InProgress),
        (S::Confirmed, A::Complete, S::Completed),
        (S::InProgress, A::Complete, S::Completed),
        (S::Confirmed, A::Cancel, S::Cancelled),
        (S::InProgress, A::Cancel, S::Cancelled),
    ];
}

impl BookingStatus {
    /// Money is held and the work can go on.
    pub fn is_active(self) -> bool {
        self.allows(A::Work)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::assert_table;

    #[test]
    fn the_booking_machine() {
        assert_table(
            S::ALL,
            A::ALL,
            &[
                (S::PendingEscrow, A::Hold, S::PendingEscrow),
                (S::PendingEscrow, A::Confirm, S::Confirmed),
                (S::PendingEscrow, A::Cancel, S::Cancelled),
                (S::Confirmed, A::CheckIn, S::InProgress),
                (S::Confirmed, A::Work, S::Confirmed),
                (S::Confirmed, A::Complete, S::Completed),
                (S::Confirmed, A::Cancel, S::Cancelled),
                (S::InProgress, A::Work, S::InProgress),
                (S::InProgress, A::Complete, S::Completed),
                (S::InProgress, A::Cancel, S::Cancelled),
            ],
        );
        assert!(S::Completed.is_terminal() && S::Cancelled.is_terminal());
        assert!(!S::PendingEscrow.is_active() && S::Confirmed.is_active() && S::InProgress.is_active());
    }
}

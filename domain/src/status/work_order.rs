//! A work order: what the talent delivers against a booking, through QA, changes, acceptance
//! or a dispute. `cancelled` is ours (the seed's list has no word for it): the work order of a
//! booking cancelled before delivery, or of a dispute resolved with a refund.

use super::Machine;
use serde::{Deserialize, Serialize};

status_enum!(
    WorkOrderStatus {
        AwaitingDelivery => "awaiting_delivery",
        Delivered => "delivered",
        QaPassed => "qa_passed",
        QaFailed => "qa_failed",
        ChangesRequested => "changes_requested",
        Accepted => "accepted",
        Disputed => "disputed",
        Cancelled => "cancelled",
    }
);

actions!(WorkOrderAction {
    /// A complete delivery registered; it replaces any earlier one.
    Deliver => "delivered to",
    PassQa => "passed by QA",
    FailQa => "failed by QA",
    RequestChanges => "sent back for changes",
    /// The principal accepts the evaluated delivery.
    Accept => "accepted",
    Dispute => "disputed",
    /// A dispute resolved with the talent paid (release or split).
    Release => "released",
    /// A dispute resolved with a refund, or the booking cancelled before delivery.
    Cancel => "cancelled",
});

use WorkOrderAction as A;
use WorkOrderStatus as S;

impl Machine for WorkOrderStatus {
    type Action = WorkOrderAction;
    const NOUN: &'static str = "work order";
    const TRANSITIONS: &'static [(S, A, S)] = &[
        (S::AwaitingDelivery, A::Deliver, S::Delivered),
        (S::Delivered, A::Deliver, S::Delivered),
        (S::QaFailed, A::Deliver, S::Delivered),
        (S::ChangesRequested, A::Deliver, S::Delivered),
        (S::Delivered, A::PassQa, S::QaPassed),
        (S::Delivered, A::FailQa, S::QaFailed),
        (S::Delivered, A::RequestChanges, S::ChangesRequested),
        (S::QaPassed, A::RequestChanges, S::ChangesRequested),
        (S::QaFailed, A::RequestChanges, S::ChangesRequested),
        (S::QaPassed, A::Accept, S::Accepted),
        (S::QaFailed, A::Accept, S::Accepted),
        (S::AwaitingDelivery, A::Dispute, S::Disputed),
        (S::Delivered, A::Dispute, S::Disputed),
        (S::QaPassed, A::Dispute, S::Disputed),
        (S::QaFailed, A::Dispute, S::Disputed),
        (S::ChangesRequested, A::Dispute, S::Disputed),
        (S::Disputed, A::Release, S::Accepted),
        (S::Disputed, A::Cancel, S::Cancelled),
        (S::AwaitingDelivery, A::Cancel, S::Cancelled),
    ];
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::assert_table;

    #[test]
    fn the_work_order_machine() {
        assert_table(
            S::ALL,
            A::ALL,
            &[
                (S::AwaitingDelivery, A::Deliver, S::Delivered),
                (S::AwaitingDelivery, A::Dispute, S::Disputed),
                (S::AwaitingDelivery, A::Cancel, S::Cancelled),
                (S::Delivered, A::Deliver, S::Delivered),
                (S::Delivered, A::PassQa, S::QaPassed),
                (S::Delivered, A::FailQa, S::QaFailed),
                (S::Delivered, A::RequestChanges, S::ChangesRequested),
                (S::Delivered, A::Dispute, S::Disputed),
                (S::QaPassed, A::RequestChanges, S::ChangesRequested),
                (S::QaPassed, A::Accept, S::Accepted),
                (S::QaPassed, A::Dispute, S::Disputed),
                (S::QaFailed, A::Deliver, S::Delivered),
                (S::QaFailed, A::RequestChanges, S::ChangesRequested),
                (S::QaFailed, A::Accept, S::Accepted),
                (S::QaFailed, A::Dispute, S::Disputed),
                (S::ChangesRequested, A::Deliver, S::Delivered),
                (S::ChangesRequested, A::Dispute, S::Disputed),
                (S::Disputed, A::Release, S::Accepted),
                (S::Disputed, A::Cancel, S::Cancelled),
            ],
        );
    }

    #[test]
    fn work_is_paid_only_after_qa_looked_at_it() {
        // Unevaluated work (delivered, or nothing yet) cannot be accepted: QA runs first.
        for s in [S::AwaitingDelivery, S::Delivered, S::ChangesRequested] {
            assert!(!s.allows(A::Accept), "{s}");
        }
        // Once paid or cancelled, nothing moves.
        assert!(S::Accepted.is_terminal() && S::Cancelled.is_terminal());
    }
}

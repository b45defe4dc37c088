//! A task's status is not set by anyone: it is derived from its quotes, booking, work order and
//! disputes ([`TaskStatus::derive`]) and follows them forward only ([`TaskStatus::advance`]).
//! A late fact never moves it back: a check-in after the delivery leaves it `delivered`.

use super::{BookingStatus, Machine, WorkOrderStatus};
use serde::{Deserialize, Serialize};

status_enum!(
    /// Where a task is in its lifecycle.
    TaskStatus {
        Draft => "draft",
        OpenForQuotes => "open_for_quotes",
        Quoted => "quoted",
        Booked => "booked",
        InProgress => "in_progress",
        Delivered => "delivered",
        Accepted => "accepted",
        Disputed => "disputed",
        Cancelled => "cancelled",
    }
);

actions!(TaskAction {
    Publish => "published",
    Quote => "quoted",
    Book => "booked",
    CheckIn => "checked in",
    Deliver => "delivered",
    Dispute => "disputed",
    Accept => "accepted",
    Cancel => "cancelled",
});

use TaskAction as A;
use TaskStatus as S;

impl Machine for TaskStatus {
    type Action = TaskAction;
    const NOUN: &'static str = "task";
    const TRANSITIONS: &'static [(S, A, S)] = &[
        (S::Draft, A::Publish, S::OpenForQuotes),
        (S::OpenForQuotes, A::Quote, S::Quoted),
        (S::OpenForQuotes, A::Book, S::Booked),
        (S::Quoted, A::Book, S::Booked),
        (S::Booked, A::CheckIn, S::InProgress),
        (S::Booked, A::Deliver, S::Delivered),
        (S::InProgress, A::Deliver, S::Delivered),
        (S::Booked, A::Dispute, S::Disputed),
        (S::InProgress, A::Dispute, S::Disputed),
        (S::Delivered, A::Dispute, S::Disputed),
        (S::Delivered, A::Accept, S::Accepted),
        (S::Disputed, A::Accept, S::Accepted),
        // A booking cancelled before its hold was made leaves a quoted task.
        (S::Quoted, A::Cancel, S::Cancelled),
        (S::Booked, A::Cancel, S::Cancelled),
        (S::InProgress, A::Cancel, S::Cancelled),
        (S::Disputed, A::Cancel, S::Cancelled),
    ];
}

/// What a task's status is derived from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TaskFacts {
    /// Not a draft.
    pub published: bool,
    /// At least one quote was received.
    pub quoted: bool,
    pub booking: Option<BookingStatus>,
    pub work_order: Option<WorkOrderStatus>,
    /// At least one delivery was registered.
    pub delivered: bool,
    pub dispute_open: bool,
}

impl TaskStatus {
    /// The status the facts call for.
    pub fn derive(f: &TaskFacts) -> TaskStatus {
        match (f.booking, f.work_order) {
            (Some(BookingStatus::Cancelled), _) => S::Cancelled,
            (Some(BookingStatus::Completed), _) | (_, Some(WorkOrderStatus::Accepted)) => S::Accepted,
            _ if f.dispute_open => S::Disputed,
            _ if f.delivered => S::Delivered,
            (Some(BookingStatus::InProgress), _) => S::InProgress,
            (Some(BookingStatus::Confirmed), _) => S::Booked,
            _ if f.quoted => S::Quoted,
            _ if f.published => S::OpenForQuotes,
            _ => S::Draft,
        }
    }

    /// The move towards what the facts call for, if it is a move forward; `None` when the
    /// status already says it, or when following would move the task back.
    pub fn advance(self, f: &TaskFacts) -> Option<(TaskAction, TaskStatus)> {
        let target = TaskStatus::derive(f);
        let action = match target {
            S::Draft => return None,
            S::OpenForQuotes => A::Publish,
            S::Quoted => A::Quote,
            S::Booked => A::Book,
            S::InProgress => A::CheckIn,
            S::Delivered => A::Deliver,
            S::Disputed => A::Dispute,
            S::Accepted => A::Accept,
            S::Cancelled => A::Cancel,
        };
        (target != self).then_some(()).and_then(|()| self.next(action).ok()).map(|to| (action, to))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::assert_table;

    #[test]
    fn the_task_machine() {
        assert_table(
            S::ALL,
            A::ALL,
            &[
                (S::Draft, A::Publish, S::OpenForQuotes),
                (S::OpenForQuotes, A::Quote, S::Quoted),
                (S::OpenForQuotes, A::Book, S::Booked),
                (S::Quoted, A::Book, S::Booked),
                (S::Quoted, A::Cancel, S::Cancelled),
                (S::Booked, A::CheckIn, S::InProgress),
                (S::Booked, A::Deliver, S::Delivered),
                (S::Booked, A::Dispute, S::Disputed),
                (S::Booked, A::Cancel, S::Cancelled),
                (S::InProgress, A::Deliver, S::Delivered),
                (S::InProgress, A::Dispute, S::Disputed),
                (S::InProgress, A::Cancel, S::Cancelled),
                (S::Delivered, A::Dispute, S::Disputed),
                (S::Delivered, A::Accept, S::Accepted),
                (S::Disputed, A::Accept, S::Accepted),
                (S::Disputed, A::Cancel, S::Cancelled),
            ],
        );
    }

    fn facts(booking: Option<BookingStatus>, wo: Option<WorkOrderStatus>, delivered: bool, dispute: bool) -> TaskFacts {
        TaskFacts { published: true, quoted: true, booking, work_order: wo, delivered, dispute_open: dispute }
    }

    #[test]
    fn the_status_follows_the_facts() {
        use BookingStatus as B;
        use WorkOrderStatus as W;
        let rows = [
            (TaskFacts::default(), S::Draft),
            (TaskFacts { published: true, ..Default::default() }, S::OpenForQuotes),
            (facts(None, None, false, false), S::Quoted),
            (facts(Some(B::PendingEscrow), None, false, false), S::Quoted),
            (facts(Some(B::Confirmed), Some(W::AwaitingDelivery), false, false), S::Booked),
            (facts(Some(B::InProgress), Some(W::AwaitingDelivery), false, false), S::InProgress),
            (facts(Some(B::InProgress), Some(W::QaPassed), true, false), S::Delivered),
            (facts(Some(B::Confirmed), Some(W::ChangesRequested), true, false), S::Delivered),
            (facts(Some(B::InProgress), Some(W::Disputed), true, true), S::Disputed),
            (facts(Some(B::Completed), Some(W::Accepted), true, false), S::Accepted),
            (facts(Some(B::Cancelled), Some(W::Cancelled), true, false), S::Cancelled),
            (facts(Some(B::Cancelled), Some(W::Cancelled), false, false), S::Cancelled),
        ];
        for (f, want) in rows {
            assert_eq!(TaskStatus::derive(&f), want, "{f:?}");
        }
    }

    #[test]
    fn the_status_never_moves_back() {
        use BookingStatus as B;
        use WorkOrderStatus as W;
        // Delivered before the check-in: the late check-in changes nothing.
        let late = facts(Some(B::InProgress), Some(W::Delivered), true, false);
        assert_eq!(S::Delivered.advance(&late), None);
        // A booked task whose talent checks in moves on.
        let checked_in = facts(Some(B::InProgress), Some(W::AwaitingDelivery), false, false);
        assert_eq!(S::Booked.advance(&checked_in), Some((A::CheckIn, S::InProgress)));
        // Whatever happens, a settled task stays settled.
        for f in [late, checked_in, facts(Some(B::Confirmed), None, false, false)] {
            assert_eq!(S::Accepted.advance(&f), None);
            assert_eq!(S::Cancelled.advance(&f), None);
        }
        // Moving forward through every step, one refresh after each fact.
        let mut status = S::OpenForQuotes;
        for f in [
            facts(None, None, false, false),
            facts(Some(B::Confirmed), Some(W::AwaitingDelivery), false, false),
            facts(Some(B::InProgress), Some(W::AwaitingDelivery), false, false),
            facts(Some(B::InProgress), Some(W::Delivered), true, false),
            facts(Some(B::InProgress), Some(W::Disputed), true, true),
            facts(Some(B::Completed), Some(W::Accepted), true, false),
        ] {
            if let Some((_, to)) = status.advance(&f) {
                status = to;
            }
            assert_eq!(status, TaskStatus::derive(&f), "{f:?}");
        }
    }
}

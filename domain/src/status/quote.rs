//! A talent's quote on a task.

use super::Machine;
use serde::{Deserialize, Serialize};

status_enum!(
    QuoteStatus {
        Pending => "pending",
        Accepted => "accepted",
        Rejected => "rejected",
        Expired => "expired",
    }
);

actions!(QuoteAction {
    Accept => "accepted",
    /// Another quote on the task was accepted.
    Reject => "rejected",
    /// Its time ran out.
    Expire => "expired",
});

impl Machine for QuoteStatus {
    type Action = QuoteAction;
    const NOUN: &'static str = "quote";
    const TRANSITIONS: &'static [(QuoteStatus, QuoteAction, QuoteStatus)] = &[
        (QuoteStatus::Pending, QuoteAction::Accept, QuoteStatus::Accepted),
        (QuoteStatus::Pending, QuoteAction::Reject, QuoteStatus::Rejected),
        (QuoteStatus::Pending, QuoteAction::Expire, QuoteStatus::Expired),
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quote_machine() {
        use QuoteAction as A;
        use QuoteStatus as S;
        crate::status::assert_table(
            S::ALL,
            A::ALL,
            &[
                (S::Pending, A::Accept, S::Accepted),
                (S::Pending, A::Reject, S::Rejected),
                (S::Pending, A::Expire, S::Expired),
            ],
        );
        for s in [S::Accepted, S::Rejected, S::Expired] {
            assert!(s.is_terminal(), "{s}");
        }
    }
}

//! A dispute on a work order: open until the principal resolves it.

use super::Machine;
use serde::{Deserialize, Serialize};

status_enum!(
    DisputeStatus {
        Open => "open",
        Resolved => "resolved",
    }
);

actions!(DisputeAction {
    Resolve => "resolved",
});

impl Machine for DisputeStatus {
    type Action = DisputeAction;
    const NOUN: &'static str = "dispute";
    const TRANSITIONS: &'static [(DisputeStatus, DisputeAction, DisputeStatus)] =
        &[(DisputeStatus::Open, DisputeAction::Resolve, DisputeStatus::Resolved)];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dispute_machine() {
        crate::status::assert_table(
            DisputeStatus::ALL,
            DisputeAction::ALL,
            &[(DisputeStatus::Open, DisputeAction::Resolve, DisputeStatus::Resolved)],
        );
    }
}

//! The statuses of the records around the aggregates: files, mail, webhook deliveries,
//! payouts, and the payment journal. Small machines, persisted by the same helper.

use super::Machine;
use serde::{Deserialize, Serialize};

/// Declares a machine from its table.
macro_rules! machine {
    ($status:ident, $action:ident, $noun:literal, [$(($from:ident, $act:ident, $to:ident)),+ $(,)?]) => {
        impl Machine for $status {
            type Action = $action;
            const NOUN: &'static str = $noun;
            const TRANSITIONS: &'static [($status, $action, $status)] =
                &[$(($status::$from, $action::$act, $status::$to)),+];
        }
    };
}

status_enum!(
    /// An uploaded file: `pending` until its bytes arrive and check out.
    FileStatus {
        Pending => "pending",
        Ready => "ready",
        Rejected => "rejected",
    }
);
actions!(FileAction { Complete => "completed", Reject => "rejected" });
machine!(FileStatus, FileAction, "file", [(Pending, Complete, Ready), (Pending, Reject, Rejected)]);

status_enum!(
    MailStatus {
        Pending => "pending",
        Sent => "sent",
        Failed => "failed",
    }
);
actions!(MailAction {
    Send => "sent",
    /// An attempt failed; another comes later.
    Retry => "retried",
    /// The last attempt failed.
    Fail => "failed",
});
machine!(MailStatus, MailAction, "email", [(Pending, Send, Sent), (Pending, Retry, Pending), (Pending, Fail, Failed)]);

status_enum!(
    /// A job: `pending` (due at `run_at`, or waiting to be tried again) until it is `done` or its
    /// attempts are spent (`failed`). A recurring job stays `pending`, due again.
    JobStatus {
        Pending => "pending",
        Done => "done",
        Failed => "failed",
    }
);
actions!(JobAction {
    Finish => "done",
    /// The last attempt failed.
    Fail => "failed",
    /// Asked for again (a webhook redelivered): its row is reused.
    Requeue => "requeued",
});
machine!(
    JobStatus,
    JobAction,
    "job",
    [(Pending, Finish, Done), (Pending, Fail, Failed), (Done, Requeue, Pending), (Failed, Requeue, Pending)]
);

status_enum!(
    DeliveryStatus {
        Pending => "pending",
        Succeeded => "succeeded",
        Failed => "failed",
        Abandoned => "abandoned",
    }
);
actions!(DeliveryAction {
    Succeed => "succeeded",
    Fail => "failed",
    /// Its endpoint was disabled or deleted.
    Abandon => "abandoned",
    /// Sent again on request, whatever became of it.
    Redeliver => "redelivered",
});
machine!(
    DeliveryStatus,
    DeliveryAction,
    "webhook delivery",
    [
        (Pending, Succeed, Succeeded),
        (Pending, Fail, Failed),
        (Pending, Abandon, Abandoned),
        (Pending, Redeliver, Pending),
        (Succeeded, Redeliver, Pending),
        (Failed, Redeliver, Pending),
        (Abandoned, Redeliver, Pending),
    ]
);

status_enum!(
    EndpointStatus {
        Enabled => "enabled",
        Disabled => "disabled",
    }
);
actions!(EndpointAction { Disable => "disabled" });
machine!(EndpointStatus, EndpointAction, "webhook endpoint", [(Enabled, Disable, Disabled)]);

status_enum!(
    /// Money owed to a talent: `pending` until the transfer is made.
    PayoutStatus {
        Pending => "pending",
        Initiated => "initiated",
        Failed => "failed",
    }
);
actions!(PayoutAction { Initiate => "initiated", Fail => "failed" });
machine!(PayoutStatus, PayoutAction, "payout", [(Pending, Initiate, Initiated), (Pending, Fail, Failed)]);

status_enum!(
    /// One call to the payment gateway, journaled before it is made: `pending` until its
    /// outcome is recorded (a crash leaves it pending, and the reconciler finishes it).
    GatewayOpStatus {
        Pending => "pending",
        Succeeded => "succeeded",
        Failed => "failed",
    }
);
actions!(GatewayOpAction { Succeed => "succeeded", Fail => "failed" });
machine!(
    GatewayOpStatus,
    GatewayOpAction,
    "gateway operation",
    [(Pending, Succeed, Succeeded), (Pending, Fail, Failed)]
);

status_enum!(
    /// A booking's settlement: decided (and the booking settled) at once, `pending` until the
    /// gateway has moved the money and the ledger has recorded it.
    SettlementStatus {
        Pending => "pending",
        Recorded => "recorded",
        Failed => "failed",
    }
);
actions!(SettlementAction { Record => "recorded", Fail => "failed" });
machine!(SettlementStatus, SettlementAction, "settlement", [(Pending, Record, Recorded), (Pending, Fail, Failed)]);

status_enum!(
    /// A hold on a card at the sandbox gateway (a PaymentIntent with manual capture).
    HoldStatus {
        Authorized => "authorized",
        Captured => "captured",
        Released => "released",
    }
);
actions!(HoldAction { Capture => "captured", Release => "released", Refund => "refunded" });
machine!(
    HoldStatus,
    HoldAction,
    "hold",
    [(Authorized, Capture, Captured), (Authorized, Release, Released), (Captured, Refund, Captured)]
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::assert_table;

    #[test]
    fn the_record_machines() {
        use GatewayOpAction as G;
        use GatewayOpStatus as GS;
        assert_table(GS::ALL, G::ALL, &[(GS::Pending, G::Succeed, GS::Succeeded), (GS::Pending, G::Fail, GS::Failed)]);
        use HoldAction as H;
        use HoldStatus as HS;
        assert_table(
            HS::ALL,
            H::ALL,
            &[
                (HS::Authorized, H::Capture, HS::Captured),
                (HS::Authorized, H::Release, HS::Released),
                (HS::Captured, H::Refund, HS::Captured),
            ],
        );
        use DeliveryAction as D;
        use DeliveryStatus as DS;
        for s in DS::ALL {
            assert_eq!(s.next(D::Redeliver), Ok(DS::Pending), "any delivery can be sent again");
        }
        assert!(DS::Succeeded.next(D::Fail).is_err());
        assert!(MailStatus::Sent.is_terminal() && MailStatus::Failed.is_terminal());
        assert!(FileStatus::Ready.is_terminal() && PayoutStatus::Initiated.is_terminal());
        assert!(SettlementStatus::Recorded.is_terminal());
    }
}

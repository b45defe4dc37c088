//! The seed's status vocabularies, one enum each, spelled on the wire as the seed spells them.

use serde::{Deserialize, Serialize};

macro_rules! status_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
        pub enum $name {
            $(#[serde(rename = $text)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(text: &str) -> Option<$name> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

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

status_enum!(
    QuoteStatus {
        Pending => "pending",
        Accepted => "accepted",
        Rejected => "rejected",
        Expired => "expired",
    }
);

status_enum!(
    BookingStatus {
        PendingEscrow => "pending_escrow",
        Confirmed => "confirmed",
        InProgress => "in_progress",
        Completed => "completed",
        Cancelled => "cancelled",
    }
);

status_enum!(
    WorkOrderStatus {
        AwaitingDelivery => "awaiting_delivery",
        Delivered => "delivered",
        QaPassed => "qa_passed",
        QaFailed => "qa_failed",
        ChangesRequested => "changes_requested",
        Accepted => "accepted",
        Disputed => "disputed",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_through_their_seed_spelling() {
        for s in TaskStatus::ALL {
            assert_eq!(TaskStatus::parse(s.as_str()), Some(*s));
            assert_eq!(serde_json::to_value(s).unwrap(), serde_json::json!(s.as_str()));
        }
        assert_eq!(TaskStatus::ALL.len(), 9);
        assert_eq!(QuoteStatus::ALL.len(), 4);
        assert_eq!(BookingStatus::ALL.len(), 5);
        assert_eq!(WorkOrderStatus::ALL.len(), 7);
        assert_eq!(TaskStatus::parse("open"), None);
    }
}

//! Statuses and the state machines that move them, as data: each aggregate's statuses (the
//! seed's, plus the documented extras) and its transitions as a table of
//! `(from, action, to)`. [`Machine::next`] is the only way a status changes; `transition`
//! persists it. These compile to wasm too, so a page can ask what an entity allows.

use std::fmt;

/// A status vocabulary: one enum, spelled on the wire and in the database as the seed spells it.
macro_rules! status_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:tt),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "server", derive(utoipa::ToSchema, sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
        #[cfg_attr(feature = "server", sea_orm(rs_type = "String", db_type = "Text"))]
        pub enum $name {
            $(
                #[serde(rename = $text)]
                #[cfg_attr(feature = "server", sea_orm(string_value = $text))]
                $variant
            ),+
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

/// The actions of one machine, each with the past participle its refusals use ("cannot be
/// cancelled").
macro_rules! actions {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $verb:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
        }

        impl $crate::status::Action for $name {
            fn verb(self) -> &'static str {
                match self { $($name::$variant => $verb),+ }
            }
        }
    };
}

mod booking;
mod dispute;
mod quote;
mod records;
mod task;
mod work_order;

pub use booking::{BookingAction, BookingStatus};
pub use dispute::{DisputeAction, DisputeStatus};
pub use quote::{QuoteAction, QuoteStatus};
pub use records::*;
pub use task::{TaskAction, TaskFacts, TaskStatus};
pub use work_order::{WorkOrderAction, WorkOrderStatus};

pub trait Action: Copy + Eq + fmt::Debug + 'static {
    /// How a refusal names the action: "This booking is completed and cannot be *cancelled*".
    fn verb(self) -> &'static str;
}

/// One aggregate's statuses and the moves between them.
pub trait Machine: Copy + Eq + fmt::Debug + fmt::Display + 'static {
    type Action: Action;
    /// What the entity is called in messages.
    const NOUN: &'static str;
    /// Every allowed move; anything else is refused.
    const TRANSITIONS: &'static [(Self, Self::Action, Self)];

    /// The status `action` leads to from `self`, or the refusal.
    fn next(self, action: Self::Action) -> Result<Self, Blocked<Self>> {
        Self::TRANSITIONS
            .iter()
            .find(|(from, a, _)| *from == self && *a == action)
            .map(|(_, _, to)| *to)
            .ok_or(Blocked { current: self, action })
    }

    fn allows(self, action: Self::Action) -> bool {
        self.next(action).is_ok()
    }

    /// A status from which nothing moves.
    fn is_terminal(self) -> bool {
        !Self::TRANSITIONS.iter().any(|(from, _, to)| *from == self && *to != self)
    }
}

/// A transition the current status does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Blocked<S: Machine> {
    pub current: S,
    pub action: S::Action,
}

impl<S: Machine> Blocked<S> {
    pub fn message(&self) -> String {
        format!("This {} is {} and cannot be {}", S::NOUN, self.current, self.action.verb())
    }
}

/// 403 `POLICY_BLOCKED` with the real `current_status`.
impl<S: Machine> From<Blocked<S>> for crate::Error {
    fn from(b: Blocked<S>) -> Self {
        crate::Error::new(crate::ErrorCode::PolicyBlocked, b.message())
            .with_details(serde_json::json!({ "current_status": b.current.to_string() }))
    }
}

/// Checks a machine against its spec: every `(from, action)` pair listed moves to the listed
/// status, and every pair not listed is refused with the current status.
#[cfg(test)]
pub(crate) fn assert_table<S: Machine>(all: &[S], actions: &[S::Action], spec: &[(S, S::Action, S)]) {
    for &from in all {
        for &action in actions {
            let expected = spec.iter().find(|(f, a, _)| *f == from && *a == action).map(|(_, _, to)| *to);
            match (from.next(action), expected) {
                (Ok(to), Some(want)) => assert_eq!(to, want, "{from} + {action:?}"),
                (Err(b), None) => assert_eq!(b.current, from, "{from} + {action:?}"),
                (got, want) => panic!("{} {from} + {action:?}: got {got:?}, spec says {want:?}", S::NOUN),
            }
        }
    }
}

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
        assert_eq!(TaskStatus::parse("open"), None);
    }

    #[test]
    fn a_refusal_says_what_and_why_with_the_real_status() {
        let refused = BookingStatus::Completed.next(BookingAction::Cancel).unwrap_err();
        let error = crate::Error::from(refused);
        assert_eq!(error.code, crate::ErrorCode::PolicyBlocked);
        assert_eq!(error.message, "This booking is completed and cannot be cancelled");
        assert_eq!(error.details, Some(serde_json::json!({ "current_status": "completed" })));
    }
}

//! The talent portal: sign-in by one-time email link, and what a signed-in talent sees of
//! their own work. Talent act in the portal through the same services as with a token.

use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
mod home;
#[cfg(feature = "server")]
mod quote;
#[cfg(feature = "server")]
mod sign_in;
#[cfg(feature = "server")]
pub use home::*;
#[cfg(feature = "server")]
pub use quote::*;
#[cfg(feature = "server")]
pub use sign_in::*;

/// The key under which a portal session holds its talent's id.
pub const SESSION_TALENT_KEY: &str = "talent_id";

/// How long a sign-in link works, once.
pub const SIGN_IN_LINK_MINUTES: i64 = 15;

/// The talent a portal session belongs to.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PortalTalent {
    pub talent_id: String,
    pub name: String,
    /// `sandbox` or `live`.
    pub mode: String,
}

/// A task the talent was invited to quote on, with their quote when they sent one.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PortalInvitation {
    pub invitation_id: String,
    pub task_id: String,
    pub title: String,
    pub task_type: String,
    pub start_at: chrono::DateTime<chrono::Utc>,
    /// Whole dollars.
    pub budget: i64,
    pub currency: String,
    pub task_status: crate::status::TaskStatus,
    pub quote: Option<PortalQuote>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PortalQuote {
    pub id: String,
    /// Whole dollars.
    pub amount: i64,
    pub status: crate::status::QuoteStatus,
}

/// The portal's start page for a signed-in talent.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PortalHome {
    pub talent: PortalTalent,
    /// Newest first.
    pub invitations: Vec<PortalInvitation>,
}

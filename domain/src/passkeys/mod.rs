//! Passkeys: WebAuthn credentials a talent (and, on the dashboard, a principal) registers after
//! signing in by email link and signs in with next time. Several per owner, each named, listed
//! and removable. Signing in needs no address: the browser offers the passkeys it holds for this
//! site (discoverable credentials), so the sign-in form tells no one who has an account.

use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
mod service;
#[cfg(feature = "server")]
pub use service::*;

/// How many passkeys one owner may keep.
pub const MAX_PER_OWNER: usize = 10;
/// The longest name a passkey may be given, in characters.
pub const NAME_MAX_CHARS: usize = 60;

/// The session keys under which a ceremony's state waits for the browser's answer.
pub const REGISTRATION_STATE_KEY: &str = "passkey_registration";
pub const SIGN_IN_STATE_KEY: &str = "passkey_sign_in";

/// A passkey as its owner sees it in their list.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SavedPasskey {
    pub id: String,
    /// What the owner called it: `Pixel 8`, `Work laptop`.
    pub name: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,
}

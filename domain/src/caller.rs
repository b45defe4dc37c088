//! Who is acting: every service that changes something is told, so that it can scope its
//! queries and write the audit row.

use crate::principals::Mode;

/// A principal acting through an API key (agents) or a dashboard session (owners).
#[derive(Debug, Clone, PartialEq)]
pub struct PrincipalCaller {
    pub principal_id: String,
    pub mode: Mode,
    /// The key the request came with; `None` for a dashboard session.
    pub api_key_id: Option<String>,
    pub request_id: Option<String>,
}

impl PrincipalCaller {
    /// How the audit log names this actor.
    pub fn actor(&self) -> (&'static str, &str) {
        match &self.api_key_id {
            Some(key) => ("api_key", key.as_str()),
            None => ("principal", self.principal_id.as_str()),
        }
    }
}

/// A talent acting with their own token (`hd_talent_…`) or a portal session.
#[derive(Debug, Clone, PartialEq)]
pub struct TalentCaller {
    pub talent_id: String,
    pub mode: Mode,
    pub request_id: Option<String>,
}

/// The client's network address, attached to every request by the server (the peer, or the
/// first `X-Forwarded-For` hop behind a trusted proxy). Limits on public endpoints use it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAddress(pub String);

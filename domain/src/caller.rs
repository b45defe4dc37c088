//! Who is acting. One [`Caller`] for every adapter: the server builds it once per request from
//! a bearer token or a session (for `/v1`, server functions and `/mcp` alike); workers act as
//! [`Actor::System`]. Services ask it for the side they need, scope their queries with it and
//! write it into the audit log.

use crate::principals::Mode;
use crate::{Error, ErrorCode};

#[derive(Debug, Clone, PartialEq)]
pub struct Caller {
    pub actor: Actor,
    /// Sandbox or live: which gateway moves the money, which talent can be seen.
    pub mode: Mode,
    /// The request's id, for the audit log; `None` for background work.
    pub request_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Actor {
    /// An agent with an API key, or the account's owner in a session (`api_key_id: None`).
    Principal { principal_id: String, api_key_id: Option<String> },
    /// A talent with their own token (`hd_talent_…`) or a portal session.
    Talent { talent_id: String },
    /// The server's own work (QA, the reconciler), named by the job.
    System { job: &'static str },
}

impl Caller {
    pub fn principal(principal_id: impl Into<String>, api_key_id: Option<String>, mode: Mode) -> Caller {
        Caller { actor: Actor::Principal { principal_id: principal_id.into(), api_key_id }, mode, request_id: None }
    }

    pub fn talent(talent_id: impl Into<String>, mode: Mode) -> Caller {
        Caller { actor: Actor::Talent { talent_id: talent_id.into() }, mode, request_id: None }
    }

    pub fn system(job: &'static str, mode: Mode) -> Caller {
        Caller { actor: Actor::System { job }, mode, request_id: None }
    }

    pub fn with_request_id(mut self, request_id: Option<String>) -> Caller {
        self.request_id = request_id;
        self
    }

    /// The principal acting, or 401 for an endpoint that talent cannot use.
    pub fn principal_id(&self) -> Result<&str, Error> {
        match &self.actor {
            Actor::Principal { principal_id, .. } => Ok(principal_id),
            Actor::Talent { .. } => {
                Err(Error::auth("This endpoint needs a principal's API key; a talent token cannot use it"))
            }
            Actor::System { .. } => Err(Error::new(ErrorCode::Internal, "a system job acted as a principal")),
        }
    }

    /// The talent acting, or 401 for an endpoint that API keys cannot use.
    pub fn talent_id(&self) -> Result<&str, Error> {
        match &self.actor {
            Actor::Talent { talent_id } => Ok(talent_id),
            Actor::Principal { .. } => {
                Err(Error::auth("This endpoint needs a talent token (hd_talent_…); an API key cannot use it"))
            }
            Actor::System { .. } => Err(Error::new(ErrorCode::Internal, "a system job acted as a talent")),
        }
    }

    pub fn is_principal(&self) -> bool {
        matches!(self.actor, Actor::Principal { .. })
    }

    /// How the audit log names this actor: `(actor_type, actor_id)`.
    pub fn audit_actor(&self) -> (&'static str, &str) {
        match &self.actor {
            Actor::Principal { api_key_id: Some(key), .. } => ("api_key", key),
            Actor::Principal { principal_id, api_key_id: None } => ("principal", principal_id),
            Actor::Talent { talent_id } => ("talent", talent_id),
            Actor::System { job } => ("system", job),
        }
    }

    /// The principal's or the talent's id (the job's name for system work): who owns what
    /// this caller uploads or opens.
    pub fn party_id(&self) -> &str {
        match &self.actor {
            Actor::Principal { principal_id, .. } => principal_id,
            Actor::Talent { talent_id } => talent_id,
            Actor::System { job } => job,
        }
    }

    pub fn party(&self) -> crate::events::Party {
        match self.actor {
            Actor::Principal { .. } => crate::events::Party::Principal,
            Actor::Talent { .. } => crate::events::Party::Talent,
            Actor::System { .. } => crate::events::Party::System,
        }
    }

    /// `principal`, `talent` or `system`, as a dispute records who opened it.
    pub fn kind(&self) -> &'static str {
        self.party().as_str()
    }

    /// The key rate limits count against: the API key, the principal's session, the talent.
    pub fn rate_limit_key(&self) -> String {
        match &self.actor {
            Actor::Principal { api_key_id: Some(key), .. } => key.clone(),
            Actor::Principal { principal_id, api_key_id: None } => principal_id.clone(),
            Actor::Talent { talent_id } => talent_id.clone(),
            Actor::System { job } => format!("system:{job}"),
        }
    }
}

/// The client's network address, attached to every request by the server (the peer, or the
/// first `X-Forwarded-For` hop behind a trusted proxy). Limits on public endpoints use it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAddress(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_side_is_refused_where_it_does_not_belong() {
        let agent = Caller::principal("prn_1", Some("key_1".into()), Mode::Sandbox);
        let talent = Caller::talent("tal_1", Mode::Sandbox);
        assert_eq!(agent.principal_id(), Ok("prn_1"));
        assert_eq!(talent.talent_id(), Ok("tal_1"));
        assert_eq!(agent.talent_id().unwrap_err().code, ErrorCode::AuthScopeDenied);
        assert_eq!(talent.principal_id().unwrap_err().code, ErrorCode::AuthScopeDenied);
        assert_eq!(agent.audit_actor(), ("api_key", "key_1"));
        assert_eq!(Caller::principal("prn_1", None, Mode::Live).audit_actor(), ("principal", "prn_1"));
        assert_eq!(Caller::system("qa", Mode::Sandbox).audit_actor(), ("system", "qa"));
    }
}

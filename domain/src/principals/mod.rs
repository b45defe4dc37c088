//! Principals: the accounts agents act for. Sign-up gives one API key, shown only once.

use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
mod service;
#[cfg(feature = "server")]
pub use service::*;

/// Sandbox principals move play money through the sandbox gateway; live ones need a real
/// payment gateway configured. The key prefix says which (`hd_test_` / `hd_live_`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Sandbox,
    Live,
}

impl Mode {
    pub const fn as_str(self) -> &'static str {
        match self {
            Mode::Sandbox => "sandbox",
            Mode::Live => "live",
        }
    }

    pub fn parse(text: &str) -> Option<Mode> {
        match text {
            "sandbox" => Some(Mode::Sandbox),
            "live" => Some(Mode::Live),
            _ => None,
        }
    }

    pub const fn key_prefix(self) -> &'static str {
        match self {
            Mode::Sandbox => "hd_test_",
            Mode::Live => "hd_live_",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SignupRequest {
    /// Who the account is for (a person or a company), 1–200 characters.
    #[cfg_attr(feature = "server", schema(min_length = 1, max_length = 200, pattern = r"[^\t\n\u000b\f\r ]"))]
    pub name: String,
    /// Where HumanDispatch sends this account's structured emails.
    #[cfg_attr(feature = "server", schema(format = Email, max_length = 254))]
    pub email: String,
    /// `sandbox` (default) or `live`; live needs a real payment gateway on the server.
    #[serde(default)]
    pub mode: Option<Mode>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SignupResponse {
    pub principal_id: String,
    pub mode: Mode,
    /// The API key, shown only in this response: store it now.
    pub api_key: String,
}

/// An address mail can be sent to: RFC 5321's mailbox (the document's `format: email`), at most
/// 254 characters, with a dot in the domain (`root@localhost` is valid and useless here).
pub fn is_email(text: &str) -> bool {
    text.chars().count() <= 254
        && email_address::EmailAddress::is_valid(text)
        && text.rsplit_once('@').is_some_and(|(_, domain)| domain.contains('.'))
}

/// Checks the sign-up fields, listing every problem.
pub fn validate_signup(request: &SignupRequest) -> Result<(), Vec<String>> {
    let mut errors = Vec::new();
    if crate::text::is_blank(&request.name) {
        errors.push("/name: must not be empty".to_owned());
    } else if !crate::text::fits(&request.name, 200) {
        errors.push("/name: must be at most 200 characters".to_owned());
    }
    if !is_email(&request.email) {
        errors.push(format!("/email: {:?} is not an email address", request.email));
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(name: &str, email: &str) -> SignupRequest {
        SignupRequest { name: name.into(), email: email.into(), mode: None }
    }

    #[test]
    fn signup_fields_are_checked_together() {
        assert_eq!(validate_signup(&req("Acme Agents", "ops@acme.io")), Ok(()));
        let errors = validate_signup(&req("  ", "not-an-email")).unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].starts_with("/name"));
        assert!(errors[1].starts_with("/email"));
        assert!(validate_signup(&req(&"x".repeat(201), "a@b.co")).is_err());
    }
}

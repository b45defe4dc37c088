//! The one error type. Every failure a caller can see is an [`Error`] with a seed code; the
//! server renders it once as the seed's envelope (`{"error": {http_status, code, message,
//! details, request_id}}`) and server functions carry it to the browser unchanged.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;

/// The seed's error codes, plus the HTTP-level ones the seed's list does not name
/// (405, 412 for a tus version we do not speak, 413, 415, 503), so that every error, even one
/// raised before a handler runs, has a code an agent can switch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    SchemaValidationFailed,
    AuthScopeDenied,
    EscrowRequired,
    PolicyBlocked,
    NotFound,
    MethodNotAllowed,
    ConflictIdempotency,
    PreconditionFailed,
    PayloadTooLarge,
    UnsupportedMediaType,
    RateLimited,
    Internal,
    ServiceUnavailable,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 13] = [
        ErrorCode::SchemaValidationFailed,
        ErrorCode::AuthScopeDenied,
        ErrorCode::EscrowRequired,
        ErrorCode::PolicyBlocked,
        ErrorCode::NotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::ConflictIdempotency,
        ErrorCode::PreconditionFailed,
        ErrorCode::PayloadTooLarge,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::RateLimited,
        ErrorCode::Internal,
        ErrorCode::ServiceUnavailable,
    ];

    pub const fn http_status(self) -> u16 {
        match self {
            ErrorCode::SchemaValidationFailed => 400,
            ErrorCode::AuthScopeDenied => 401,
            ErrorCode::EscrowRequired => 402,
            ErrorCode::PolicyBlocked => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::ConflictIdempotency => 409,
            ErrorCode::PreconditionFailed => 412,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::RateLimited => 429,
            ErrorCode::Internal => 500,
            ErrorCode::ServiceUnavailable => 503,
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::SchemaValidationFailed => "SCHEMA_VALIDATION_FAILED",
            ErrorCode::AuthScopeDenied => "AUTH_SCOPE_DENIED",
            ErrorCode::EscrowRequired => "ESCROW_REQUIRED",
            ErrorCode::PolicyBlocked => "POLICY_BLOCKED",
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::MethodNotAllowed => "METHOD_NOT_ALLOWED",
            ErrorCode::ConflictIdempotency => "CONFLICT_IDEMPOTENCY",
            ErrorCode::PreconditionFailed => "PRECONDITION_FAILED",
            ErrorCode::PayloadTooLarge => "PAYLOAD_TOO_LARGE",
            ErrorCode::UnsupportedMediaType => "UNSUPPORTED_MEDIA_TYPE",
            ErrorCode::RateLimited => "RATE_LIMITED",
            ErrorCode::Internal => "INTERNAL",
            ErrorCode::ServiceUnavailable => "SERVICE_UNAVAILABLE",
        }
    }

    /// The code for an HTTP status produced outside our handlers (by the router or a layer).
    pub fn from_http_status(status: u16) -> ErrorCode {
        match status {
            400 | 422 => ErrorCode::SchemaValidationFailed,
            401 => ErrorCode::AuthScopeDenied,
            402 => ErrorCode::EscrowRequired,
            403 => ErrorCode::PolicyBlocked,
            404 => ErrorCode::NotFound,
            405 => ErrorCode::MethodNotAllowed,
            409 => ErrorCode::ConflictIdempotency,
            412 => ErrorCode::PreconditionFailed,
            413 => ErrorCode::PayloadTooLarge,
            415 => ErrorCode::UnsupportedMediaType,
            429 => ErrorCode::RateLimited,
            503 | 504 => ErrorCode::ServiceUnavailable,
            _ => ErrorCode::Internal,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A failure as the caller sees it. `details` is structured (`{"errors": [...]}` for
/// validation, `{"current_status": ...}` for a refused transition). The internal cause, when
/// there is one, is logged by the server and never serialized.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Error {
    pub code: ErrorCode,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Value>,
    #[serde(skip)]
    pub cause: Option<String>,
    /// Seconds after which a retry may succeed (`Retry-After` on 409 and 429).
    #[serde(skip)]
    pub retry_after: Option<u64>,
}

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error { code, message: message.into(), details: None, cause: None, retry_after: None }
    }

    pub fn with_details(mut self, details: Value) -> Self {
        self.details = Some(details);
        self
    }

    /// A 400 whose `details.errors` lists every problem found, each naming its JSON path.
    pub fn validation(message: impl Into<String>, errors: Vec<String>) -> Self {
        Error::new(ErrorCode::SchemaValidationFailed, message).with_details(serde_json::json!({ "errors": errors }))
    }

    pub fn not_found(what: &str) -> Self {
        Error::new(ErrorCode::NotFound, format!("{what} not found"))
    }

    pub fn auth(message: impl Into<String>) -> Self {
        Error::new(ErrorCode::AuthScopeDenied, message)
    }

    /// A server-side failure: the caller sees a generic message, the log sees `cause`.
    pub fn internal(cause: impl fmt::Display) -> Self {
        Error {
            code: ErrorCode::Internal,
            message: "Internal error; quote the request_id when reporting it".into(),
            details: None,
            cause: Some(cause.to_string()),
            retry_after: None,
        }
    }

    pub fn unavailable(message: impl Into<String>, cause: impl fmt::Display) -> Self {
        Error {
            code: ErrorCode::ServiceUnavailable,
            message: message.into(),
            details: None,
            cause: Some(cause.to_string()),
            retry_after: None,
        }
    }

    pub fn with_retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    pub fn http_status(&self) -> u16 {
        self.code.http_status()
    }

    /// The seed's envelope for this error.
    pub fn envelope(&self, request_id: &str) -> ErrorEnvelope {
        ErrorEnvelope {
            error: ErrorBody {
                http_status: self.http_status(),
                code: self.code,
                message: self.message.clone(),
                details: self.details.clone(),
                request_id: request_id.to_owned(),
            },
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for Error {}

/// Server functions carry the same error to the browser, so a page shows the code and message
/// an agent would see from `/v1`.
impl server_fn::error::FromServerFnError for Error {
    type Encoder = server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: server_fn::error::ServerFnErrorErr) -> Self {
        use server_fn::error::ServerFnErrorErr as E;
        match value {
            E::Args(m) | E::MissingArg(m) | E::Deserialization(m) => Error::validation("Invalid request", vec![m]),
            E::Request(m) => Error::unavailable("The server could not be reached", m),
            E::UnsupportedRequestMethod(m) => Error::new(ErrorCode::MethodNotAllowed, m),
            other => Error::internal(other),
        }
    }
}

#[cfg(feature = "server")]
impl From<sea_orm::DbErr> for Error {
    fn from(e: sea_orm::DbErr) -> Self {
        match e {
            sea_orm::DbErr::Conn(_) | sea_orm::DbErr::ConnectionAcquire(_) => {
                Error::unavailable("Database unavailable; retry shortly", e)
            }
            other => Error::internal(other),
        }
    }
}

#[cfg(feature = "server")]
impl From<sea_orm::TransactionError<Error>> for Error {
    fn from(e: sea_orm::TransactionError<Error>) -> Self {
        match e {
            sea_orm::TransactionError::Connection(db) => db.into(),
            sea_orm::TransactionError::Transaction(inner) => inner,
        }
    }
}

/// `{"error": {...}}` exactly as the seed shows it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ErrorEnvelope {
    pub error: ErrorBody,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub http_status: u16,
    pub code: ErrorCode,
    pub message: String,
    /// `{"errors": [...]}` for validation failures (each naming its JSON path),
    /// `{"current_status": ...}` for refused transitions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", schema(value_type = Option<Object>))]
    pub details: Option<Value>,
    pub request_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialize_as_the_seed_spells_them() {
        for code in ErrorCode::ALL {
            let json = serde_json::to_value(code).unwrap();
            assert_eq!(json, Value::String(code.as_str().to_owned()));
            assert_eq!(ErrorCode::from_http_status(code.http_status()), code);
        }
    }

    #[test]
    fn envelope_matches_the_seed_shape() {
        let err = Error::validation("Task validation failed", vec!["/title: required".into()]);
        let json = serde_json::to_value(err.envelope("req_1")).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"error": {
                "http_status": 400,
                "code": "SCHEMA_VALIDATION_FAILED",
                "message": "Task validation failed",
                "details": {"errors": ["/title: required"]},
                "request_id": "req_1"
            }})
        );
    }

    /// Every code is raised somewhere (lemmy's `test_errors_used`): a code nothing produces is
    /// a promise in the docs that the service does not keep.
    #[test]
    fn every_error_code_is_used() {
        fn sources(dir: &std::path::Path, out: &mut String) {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    sources(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("domain/src/error.rs") {
                    out.push_str(&std::fs::read_to_string(&path).unwrap());
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut code = String::new();
        for dir in ["domain/src", "server/src", "app/src"] {
            sources(&root.join(dir), &mut code);
        }
        for variant in ErrorCode::ALL {
            let name = format!("{variant:?}");
            let constructor = match variant {
                ErrorCode::SchemaValidationFailed => Some("Error::validation("),
                ErrorCode::AuthScopeDenied => Some("Error::auth("),
                ErrorCode::NotFound => Some("Error::not_found("),
                ErrorCode::Internal => Some("Error::internal("),
                ErrorCode::ServiceUnavailable => Some("Error::unavailable("),
                _ => None,
            };
            let raised = code.contains(&format!("ErrorCode::{name}")) || constructor.is_some_and(|c| code.contains(c));
            assert!(raised, "ErrorCode::{name} is never raised");
        }
    }

    #[test]
    fn internal_cause_is_never_serialized() {
        let err = Error::internal("relation \"tasks\" does not exist");
        let json = serde_json::to_string(&err.envelope("req_2")).unwrap();
        assert!(!json.contains("relation"), "{json}");
        assert!(json.contains("INTERNAL"));
    }
}

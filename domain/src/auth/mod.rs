//! Who is calling: bearer tokens resolved to a caller, or a clear 401.

#[cfg(feature = "server")]
mod service;
#[cfg(feature = "server")]
pub use service::*;

//! The URL space. Modules mirror paths: `routes::v1::…` serves `/v1/…`.

pub mod api;
pub mod discovery;
pub mod healthz;
pub mod v1;

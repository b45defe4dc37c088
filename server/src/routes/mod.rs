//! The URL space. Modules mirror paths: `routes::v1::…` serves `/v1/…`.

pub mod api;
pub mod dashboard;
pub mod discovery;
pub mod healthz;
pub mod pkg;
pub mod v1;

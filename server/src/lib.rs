//! The HumanDispatch server: configuration, the router and its adapters, and start-up.

pub mod auth;
pub mod client_addr;
pub mod config;
pub mod csrf;
pub mod error;
pub mod extract;
pub mod idempotency;
pub mod openapi;
pub mod rate_limit;
pub mod request_id;
pub mod routes;
pub mod sessions;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod workers;

//! HumanDispatch's business rules.
//!
//! Without the `server` feature this crate is what the browser and the API share: wire types,
//! statuses, money and error codes, all of which compile to wasm. With `server` it adds the
//! SeaORM entities and the services every adapter (REST handler, server function, worker) calls.

pub mod api_keys;
pub mod audit;
pub mod auth;
pub mod billing;
pub mod bookings;
pub mod caller;
pub mod dashboard;
pub mod error;
pub mod events;
pub mod files;
pub mod money;
pub mod pagination;
pub mod passkeys;
pub mod portal;
pub mod principals;
pub mod qa;
pub mod quotes;
pub mod status;
pub mod system;
pub mod talent;
pub mod tasks;
pub mod templates;
pub mod text;
pub mod webhooks;
pub mod whole;
pub mod work_orders;

#[cfg(feature = "server")]
pub mod content_types;
#[cfg(feature = "server")]
pub mod db;
#[cfg(feature = "server")]
pub mod entities;
#[cfg(feature = "server")]
pub mod escrow;
#[cfg(feature = "server")]
pub mod fault;
#[cfg(feature = "server")]
pub mod geo_distance;
#[cfg(feature = "server")]
pub mod idempotency;
#[cfg(feature = "server")]
pub mod ids;
#[cfg(feature = "server")]
pub mod jobs;
#[cfg(feature = "server")]
pub mod ledger;
#[cfg(feature = "server")]
pub mod mail;
#[cfg(feature = "server")]
pub mod payments;
#[cfg(feature = "server")]
pub mod rate_limit;
#[cfg(feature = "server")]
pub mod secrets;
#[cfg(feature = "server")]
pub mod services;
#[cfg(feature = "server")]
pub mod settings;
#[cfg(feature = "server")]
mod sign_in_links;
#[cfg(feature = "server")]
pub mod signing;
#[cfg(feature = "server")]
pub mod storage;
#[cfg(feature = "server")]
pub mod test_helpers;
#[cfg(feature = "server")]
pub mod time;
#[cfg(feature = "server")]
pub mod transition;

pub use error::{Error, ErrorCode};
#[cfg(feature = "server")]
pub use services::{DomainConfig, Services};

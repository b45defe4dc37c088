//! SeaORM entities: the tables as they are, no behaviour (rules live in the services).

pub mod api_keys;
pub mod audit_log;
pub mod events;
pub mod idempotency_keys;
pub mod principals;
pub mod rate_limit_windows;
pub mod settings;
pub mod tasks;

//! SeaORM entities: the tables as they are, no behaviour (rules live in the services).

pub mod api_keys;
pub mod audit_log;
pub mod billing_setup_sessions;
pub mod bookings;
pub mod email_outbox;
pub mod events;
pub mod idempotency_keys;
pub mod ledger_entries;
pub mod payment_methods;
pub mod principals;
pub mod quote_requests;
pub mod quotes;
pub mod rate_limit_windows;
pub mod settings;
pub mod spend_caps;
pub mod talent;
pub mod tasks;
pub mod work_orders;

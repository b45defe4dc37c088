//! `/dashboard/…` routes that are not pages: the live stream of the account's events, and the
//! audit log as a CSV file.

pub mod audit;
pub mod stream;

//! `/dashboard/…` routes that are not pages: the live stream of the account's events.

pub mod stream;

//! The pieces every page shares, so that money, dates, errors, fields, buttons and maps look and
//! behave the same everywhere.

pub mod audit;
pub mod buttons;
#[cfg(feature = "ssr")]
pub mod charts;
pub mod dates;
pub mod errors;
pub mod fields;
pub mod files;
pub mod form_fields;
pub mod maps;
pub mod money;
pub mod passkeys;
pub mod qa;
pub mod secrets;
pub mod status;
pub mod tables;

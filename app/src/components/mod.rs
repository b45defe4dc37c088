//! The pieces every page shares, so that money, dates, errors, fields, buttons and maps look and
//! behave the same everywhere.

pub mod audit;
pub mod buttons;
pub mod dates;
pub mod errors;
pub mod fields;
pub mod files;
pub mod maps;
pub mod money;
pub mod passkeys;
pub mod qa;
pub mod secrets;
pub mod status;

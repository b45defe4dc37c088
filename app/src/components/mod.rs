//! The pieces every page shares, so that money, dates, errors, fields and buttons look and
//! behave the same everywhere.

pub mod buttons;
pub mod dates;
pub mod errors;
pub mod fields;
pub mod money;

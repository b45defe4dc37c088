//! The current time at the precision the databases store (microseconds), so that what a
//! create returns equals what a later read returns, on SQLite and PostgreSQL alike.

use chrono::{DateTime, SubsecRound, Utc};

pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

//! What the service says about itself: health and identity.

use serde::{Deserialize, Serialize};

/// The answer of `GET /healthz` and of the pages' status server function.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SystemStatus {
    pub status: String,
    pub service: String,
    pub version: String,
    /// `sqlite` or `postgres`.
    pub database: String,
    /// The database's own clock, which proves the round trip reached it.
    pub database_time: String,
}

pub const SERVICE_NAME: &str = "HumanDispatch";
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[cfg(feature = "server")]
mod service {
    use super::*;
    use crate::Error;
    use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement};

    /// Pings the database with a query that reads its clock.
    #[tracing::instrument(skip_all, err(level = "debug"))]
    pub async fn status(db: &DatabaseConnection) -> Result<SystemStatus, Error> {
        let backend = db.get_database_backend();
        let (name, sql) = match backend {
            DatabaseBackend::Sqlite => ("sqlite", "SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now') AS now"),
            DatabaseBackend::Postgres => {
                ("postgres", "SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS now")
            }
            DatabaseBackend::MySql => ("mysql", "SELECT DATE_FORMAT(UTC_TIMESTAMP(3), '%Y-%m-%dT%H:%i:%s.%fZ') AS now"),
        };
        let row = db
            .query_one(Statement::from_string(backend, sql))
            .await
            .map_err(|e| Error::unavailable("Database unreachable", e))?
            .ok_or_else(|| Error::unavailable("Database unreachable", "clock query returned no row"))?;
        let database_time: String =
            row.try_get("", "now").map_err(|e| Error::unavailable("Database unreachable", e))?;
        Ok(SystemStatus {
            status: "ok".into(),
            service: SERVICE_NAME.into(),
            version: VERSION.into(),
            database: name.into(),
            database_time,
        })
    }
}

#[cfg(feature = "server")]
pub use service::status;

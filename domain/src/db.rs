//! Opening the database and bringing its schema up to date.

use crate::Error;
use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection};
use std::time::Duration;

pub use sea_orm::DatabaseConnection as Db;

/// Opens `url` (`sqlite://path`, `sqlite::memory:` or `postgres://…`).
///
/// SQLite files are created with their directory, in WAL mode, with foreign keys on. SQLite
/// gets one pooled connection: it has a single writer anyway, and SeaORM opens deferred
/// transactions, which fail with SQLITE_BUSY instead of waiting when two connections both
/// upgrade to writing. One connection turns that into an orderly queue.
pub async fn connect(url: &str, max_connections: u32) -> Result<DatabaseConnection, Error> {
    let mut options = ConnectOptions::new(url.to_owned());
    options.sqlx_logging(false).acquire_timeout(Duration::from_secs(10)).connect_timeout(Duration::from_secs(10));
    if url.starts_with("sqlite:") {
        if let Some(path) = sqlite_file_path(url)
            && let Some(dir) = std::path::Path::new(&path).parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir)
                .map_err(|e| Error::internal(format!("cannot create database directory {}: {e}", dir.display())))?;
        }
        options.max_connections(1).min_connections(1).map_sqlx_sqlite_opts(|o| {
            o.create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5))
        });
    } else {
        options.max_connections(max_connections.max(1));
    }
    Database::connect(options)
        .await
        .map_err(|e| Error::unavailable("Database unreachable", format!("connecting to the database: {e}")))
}

/// Runs every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), Error> {
    Migrator::up(db, None).await.map_err(|e| Error::internal(format!("migrating the database: {e}")))
}

/// The file behind a `sqlite:` URL, or `None` for an in-memory database.
fn sqlite_file_path(url: &str) -> Option<String> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    if path.is_empty() || path == ":memory:" {
        return None;
    }
    Some(path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_paths_are_read_from_urls() {
        assert_eq!(sqlite_file_path("sqlite://./data/hd.db").as_deref(), Some("./data/hd.db"));
        assert_eq!(sqlite_file_path("sqlite:///tmp/x.db?mode=rwc").as_deref(), Some("/tmp/x.db"));
        assert_eq!(sqlite_file_path("sqlite::memory:"), None);
    }

    #[tokio::test]
    async fn a_new_sqlite_file_is_created_in_wal_mode_and_migrated() {
        use sea_orm::{ConnectionTrait, Statement};
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/nested/dir/test.db", dir.path().display());
        let db = connect(&url, 5).await.unwrap();
        migrate(&db).await.unwrap();
        let row = db
            .query_one(Statement::from_string(db.get_database_backend(), "PRAGMA journal_mode"))
            .await
            .unwrap()
            .unwrap();
        let mode: String = row.try_get_by_index(0).unwrap();
        assert_eq!(mode, "wal");
        assert!(dir.path().join("nested/dir/test.db").exists());
        // Migrating twice is a no-op, as it is at every restart.
        migrate(&db).await.unwrap();
    }
}

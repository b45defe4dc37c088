//! Portal sessions: tower-sessions stored in the application's own database, through the sqlx
//! pool SeaORM already holds, so that every server process on one PostgreSQL shares them.

use async_trait::async_trait;
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection};
use tower_sessions::cookie::{SameSite, time::Duration};
use tower_sessions::session::{Id, Record};
use tower_sessions::{Expiry, SessionManagerLayer, SessionStore, session_store};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

/// A session lasts this long after its last use.
const IDLE_DAYS: i64 = 30;

/// The session store of whichever database the server runs on.
#[derive(Debug, Clone)]
pub enum Store {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl Store {
    /// The store on `db`, its table created when missing.
    pub async fn open(db: &DatabaseConnection) -> Result<Store, domain::Error> {
        let store = match db.get_database_backend() {
            DatabaseBackend::Postgres => Store::Postgres(PostgresStore::new(db.get_postgres_connection_pool().clone())),
            DatabaseBackend::Sqlite => Store::Sqlite(SqliteStore::new(db.get_sqlite_connection_pool().clone())),
            other => return Err(domain::Error::internal(format!("no session store for {other:?}"))),
        };
        let migrated = match &store {
            Store::Sqlite(s) => s.migrate().await,
            Store::Postgres(s) => s.migrate().await,
        };
        migrated.map_err(|e| domain::Error::internal(format!("creating the session table: {e}")))?;
        Ok(store)
    }

    /// Deletes the sessions that have expired.
    pub async fn delete_expired(&self) -> Result<(), domain::Error> {
        use tower_sessions::ExpiredDeletion;
        let deleted = match self {
            Store::Sqlite(s) => s.delete_expired().await,
            Store::Postgres(s) => s.delete_expired().await,
        };
        deleted.map_err(|e| domain::Error::internal(format!("deleting expired sessions: {e}")))
    }
}

#[async_trait]
impl SessionStore for Store {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        match self {
            Store::Sqlite(s) => s.create(record).await,
            Store::Postgres(s) => s.create(record).await,
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        match self {
            Store::Sqlite(s) => s.save(record).await,
            Store::Postgres(s) => s.save(record).await,
        }
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match self {
            Store::Sqlite(s) => s.load(id).await,
            Store::Postgres(s) => s.load(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        match self {
            Store::Sqlite(s) => s.delete(id).await,
            Store::Postgres(s) => s.delete(id).await,
        }
    }
}

/// The session cookie: HTTP-only, `SameSite=Lax` (so no other site's form or script can act
/// with it), `Secure` when the public URL is https.
pub fn layer(store: Store, public_url: &str) -> SessionManagerLayer<Store> {
    SessionManagerLayer::new(store)
        .with_name("hd_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(public_url.starts_with("https://"))
        .with_expiry(Expiry::OnInactivity(Duration::days(IDLE_DAYS)))
}

/// Whom a session is signed in as, if anyone: a talent (the portal) or an account's owner (the
/// dashboard). A session holds one of the two; signing in as either starts a fresh session.
pub async fn caller(
    services: &domain::Services,
    session: &tower_sessions::Session,
    request_id: Option<String>,
) -> Result<Option<domain::caller::Caller>, domain::Error> {
    use domain::{dashboard, portal};
    if let Some((id, generation)) =
        signed_in(session, portal::SESSION_TALENT_KEY, portal::SESSION_GENERATION_KEY).await?
    {
        return portal::session_caller(services, &id, generation, request_id).await;
    }
    match signed_in(session, dashboard::SESSION_PRINCIPAL_KEY, dashboard::SESSION_GENERATION_KEY).await? {
        Some((id, generation)) => dashboard::session_caller(services, &id, generation, request_id).await,
        None => Ok(None),
    }
}

/// The id a session keeps under `id_key` and its generation; sessions from before generations
/// were kept are of the first one.
async fn signed_in(
    session: &tower_sessions::Session,
    id_key: &str,
    generation_key: &str,
) -> Result<Option<(String, i32)>, domain::Error> {
    let unavailable = |e| domain::Error::unavailable("Session store unavailable; retry shortly", e);
    let Some(id) = session.get::<String>(id_key).await.map_err(unavailable)? else {
        return Ok(None);
    };
    let generation: Option<i32> = session.get(generation_key).await.map_err(unavailable)?;
    Ok(Some((id, generation.unwrap_or(0))))
}

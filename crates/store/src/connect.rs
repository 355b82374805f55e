//! Opening the store: the [`SqlStore`] type, database URLs, the connection pool, SQLite's
//! durability settings, the embedded migrations, and readiness ([`Store`]).

use std::path::Path;
use std::sync::Once;
use std::time::Duration;

use async_trait::async_trait;
use latchkey_core::store::{Store, StoreError};
use sqlx::any::AnyPoolOptions;
use sqlx::migrate::Migrator;
use sqlx::{AnyConnection, AnyPool, Connection};

use crate::dburl;
use crate::errors::db_err;

/// SQLite schema migrations, embedded at build time.
static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
/// PostgreSQL schema migrations, embedded at build time.
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Settings applied to every SQLite connection, in this order.
///
/// `synchronous=FULL` makes each commit durable across power loss (WAL would otherwise allow
/// losing the last transactions), which credential and secret writes require.
const SQLITE_PRAGMAS: [&str; 4] = [
    "PRAGMA busy_timeout=5000",
    "PRAGMA foreign_keys=ON",
    "PRAGMA synchronous=FULL",
    "PRAGMA journal_mode=WAL",
];

/// Installs sqlx's `Any` drivers once per process.
pub(crate) fn install_drivers() {
    static ONCE: Once = Once::new();
    ONCE.call_once(sqlx::any::install_default_drivers);
}

/// Which database a [`SqlStore`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    /// A SQLite file (single node).
    Sqlite,
    /// A PostgreSQL server (one or several nodes).
    Postgres,
}

impl Backend {
    /// `sqlite` or `postgres`, for logs and metrics.
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    fn migrator(self) -> &'static Migrator {
        match self {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        }
    }
}

/// Pool settings for [`SqlStore::connect_with`].
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// Most open connections (forced to 1 for in-memory SQLite, where every connection would
    /// otherwise see its own empty database).
    pub max_connections: u32,
    /// How long a call waits for a free connection before failing with `Unavailable`.
    pub acquire_timeout: Duration,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self {
            max_connections: 10,
            acquire_timeout: Duration::from_secs(10),
        }
    }
}

/// The SQL implementation of every storage port (`latchkey_core::store`), for SQLite and
/// PostgreSQL alike. Cloning is cheap and shares the pool.
#[derive(Debug, Clone)]
pub struct SqlStore {
    pub(crate) pool: AnyPool,
    backend: Backend,
}

/// A `sqlite://` URL for a database file at `path` (made absolute against the current
/// directory), which creates the file if it is missing.
pub fn sqlite_url_for(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let text = absolute.to_string_lossy();
    let encoded = dburl::encode_sqlite_path(&text);
    if encoded.starts_with('/') {
        format!("sqlite://{encoded}?mode=rwc")
    } else {
        format!("sqlite:///{encoded}?mode=rwc")
    }
}

/// Why connections to `url` fail, from one direct attempt (the pool only reports a timeout).
async fn diagnose(url: &str, limit: Duration) -> sqlx::Error {
    match tokio::time::timeout(limit, AnyConnection::connect(url)).await {
        Ok(Err(e)) => e,
        Ok(Ok(conn)) => {
            // Reachable now: it was slow or busy before. Report the original timeout.
            let _ = conn.close().await;
            sqlx::Error::PoolTimedOut
        }
        Err(_) => sqlx::Error::PoolTimedOut,
    }
}

impl SqlStore {
    /// Opens the database at `url` with default pool settings and brings its schema up to date.
    ///
    /// Accepted URLs: `sqlite://PATH` (the file is created if missing), `sqlite::memory:`,
    /// and `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE` (or `postgresql://`). Failures are
    /// `StoreError::Unavailable` with a message that says what to check and never shows the
    /// password.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        Self::connect_with(url, &StoreOptions::default()).await
    }

    /// [`SqlStore::connect`] with explicit pool settings.
    pub async fn connect_with(url: &str, options: &StoreOptions) -> Result<Self, StoreError> {
        install_drivers();
        let backend = dburl::backend_of(url).ok_or_else(|| {
            StoreError::Unavailable(format!(
                "unsupported database URL `{}`: use sqlite://PATH (for example \
                 sqlite:///var/lib/latchkey/latchkey.db) or postgres://USER@HOST:PORT/DATABASE",
                dburl::redact(url)
            ))
        })?;

        let mut pool_options = AnyPoolOptions::new()
            .max_connections(options.max_connections.max(1))
            .acquire_timeout(options.acquire_timeout);
        let connect_url = match backend {
            Backend::Sqlite => {
                if dburl::sqlite_is_memory(url) {
                    pool_options = pool_options.max_connections(1);
                }
                pool_options = pool_options.after_connect(|conn, _meta| {
                    Box::pin(async move {
                        for pragma in SQLITE_PRAGMAS {
                            sqlx::query(pragma).execute(&mut *conn).await?;
                        }
                        Ok(())
                    })
                });
                dburl::sqlite_create_if_missing(url)
            }
            Backend::Postgres => url.to_owned(),
        };

        let connected = pool_options.connect(&connect_url).await;
        let pool = match connected {
            Ok(pool) => Ok(pool),
            Err(sqlx::Error::PoolTimedOut) => {
                // The pool only says it gave up; one direct attempt tells why.
                Err(diagnose(&connect_url, options.acquire_timeout).await)
            }
            Err(e) => Err(e),
        };
        let pool = pool.map_err(|e| {
            let hint = match backend {
                Backend::Sqlite => {
                    "check that the directory exists and is writable by this user, and that \
                     the file is a SQLite database"
                }
                Backend::Postgres => {
                    "check that the server is running and reachable, and that the user, \
                     password and database in the URL are right (the database must exist)"
                }
            };
            StoreError::Unavailable(format!(
                "cannot open the {} database at {}: {}; {hint}",
                backend.as_str(),
                dburl::redact(url),
                dburl::scrub(&e.to_string(), url),
            ))
        })?;

        backend.migrator().run(&pool).await.map_err(|e| {
            StoreError::Unavailable(format!(
                "cannot bring the {} database schema up to date: {}; if the database was used \
                 by a newer Latchkey version, run that version or restore a backup",
                backend.as_str(),
                dburl::scrub(&e.to_string(), url),
            ))
        })?;

        tracing::debug!(backend = backend.as_str(), url = %dburl::redact(url), "store ready");
        Ok(Self { pool, backend })
    }

    /// Which backend this store uses.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The connection pool, for diagnostics and tests (e.g. reading SQLite pragmas).
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Closes every connection; calls made afterwards fail with `Unavailable`.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

#[async_trait]
impl Store for SqlStore {
    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    fn backend_name(&self) -> &'static str {
        self.backend.as_str()
    }
}

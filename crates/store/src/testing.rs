//! Test helpers (feature `testing`), shared by this crate's conformance suite and the server's
//! test kit: a throw-away PostgreSQL database per test, so parallel tests never collide.
//!
//! ```no_run
//! # async fn demo() -> Result<(), latchkey_core::store::StoreError> {
//! use latchkey_store::testing::{TempPostgres, postgres_url_from_env};
//! if let Some(base) = postgres_url_from_env() {
//!     let db = TempPostgres::create(&base).await?;
//!     let store = latchkey_store::SqlStore::connect(&db.url).await?;
//!     // ... use the store ...
//!     store.close().await;
//!     db.drop_database().await?;
//! }
//! # Ok(()) }
//! ```

use latchkey_core::store::StoreError;
use sqlx::{AnyConnection, AssertSqlSafe, Connection};

use crate::connect::install_drivers;
use crate::dburl;

/// Environment variable naming a PostgreSQL server for tests, e.g.
/// `postgres://postgres@127.0.0.1:5432/postgres`. Unset: PostgreSQL tests are skipped.
pub const POSTGRES_URL_ENV: &str = "TEST_POSTGRES_URL";

/// The PostgreSQL server URL for tests, if [`POSTGRES_URL_ENV`] is set and not empty.
pub fn postgres_url_from_env() -> Option<String> {
    std::env::var(POSTGRES_URL_ENV)
        .ok()
        .filter(|v| !v.trim().is_empty())
}

/// A uniquely named PostgreSQL database, created on a server for one test.
///
/// Call [`TempPostgres::drop_database`] at the end; a database left behind by a crashed test is
/// harmless (its name is random) and can be dropped by hand (`latchkey_t_*`).
#[derive(Debug)]
pub struct TempPostgres {
    /// URL of the new database (the server URL with the database name replaced).
    pub url: String,
    base_url: String,
    name: String,
}

impl TempPostgres {
    /// Creates `latchkey_t_<random hex>` through a connection to `base_url` (any database on
    /// the server the user may connect to, typically `.../postgres`).
    pub async fn create(base_url: &str) -> Result<Self, StoreError> {
        let name = format!("latchkey_t_{}", uuid::Uuid::new_v4().simple());
        let url = dburl::with_database(base_url, &name).ok_or_else(|| {
            StoreError::Unavailable(format!(
                "not a postgres:// server URL: {}",
                dburl::redact(base_url)
            ))
        })?;
        admin_execute(base_url, format!("CREATE DATABASE {name}")).await?;
        Ok(Self {
            url,
            base_url: base_url.to_owned(),
            name,
        })
    }

    /// The database name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Drops the database, closing any connection still open to it.
    pub async fn drop_database(self) -> Result<(), StoreError> {
        admin_execute(
            &self.base_url,
            format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        )
        .await
    }
}

/// Runs one statement outside a transaction on a fresh connection to `base_url`.
async fn admin_execute(base_url: &str, sql: String) -> Result<(), StoreError> {
    install_drivers();
    let unavailable = |e: sqlx::Error| {
        StoreError::Unavailable(format!(
            "test database server {}: {}",
            dburl::redact(base_url),
            dburl::scrub(&e.to_string(), base_url)
        ))
    };
    let mut conn = AnyConnection::connect(base_url)
        .await
        .map_err(unavailable)?;
    // The simple-query protocol: CREATE/DROP DATABASE cannot run inside a transaction block.
    let result = sqlx::raw_sql(AssertSqlSafe(sql))
        .execute(&mut conn)
        .await
        .map_err(unavailable);
    // The statement's outcome matters more than a failed goodbye.
    let _ = conn.close().await;
    result.map(|_| ())
}

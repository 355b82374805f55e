//! Mapping sqlx errors to [`StoreError`]: unique violations become `Conflict` (naming what is
//! taken), undecodable data becomes `Corrupt`, everything else `Unavailable`. Details are for
//! logs; no query parameter (hash, secret) ever appears in them.

use latchkey_core::store::StoreError;
use sqlx::error::DatabaseError;

/// Maps a sqlx error to the domain's storage error.
pub(crate) fn db_err(e: sqlx::Error) -> StoreError {
    match e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            StoreError::Conflict(taken_value(d.as_ref()).to_owned())
        }
        sqlx::Error::ColumnDecode { .. }
        | sqlx::Error::Decode(_)
        | sqlx::Error::ColumnNotFound(_)
        | sqlx::Error::ColumnIndexOutOfBounds { .. }
        | sqlx::Error::TypeNotFound { .. } => StoreError::Corrupt(e.to_string()),
        other => StoreError::Unavailable(other.to_string()),
    }
}

/// Whether the error is a foreign-key violation (a referenced record is missing).
pub(crate) fn is_foreign_key_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_foreign_key_violation())
}

/// What a unique violation was about, from the constraint name (PostgreSQL) or the message
/// (SQLite: `UNIQUE constraint failed: table.column`).
fn taken_value(d: &dyn DatabaseError) -> &'static str {
    let text = format!("{} {}", d.constraint().unwrap_or_default(), d.message());
    const KNOWN: [(&str, &str); 10] = [
        ("technical_account_id", "technical account id"),
        ("client_id", "client id"),
        ("organizations", "organization id"),
        ("client_secrets", "client secret uuid"),
        ("signing_keys", "signing key id"),
        ("revoked_tokens", "revoked token id"),
        ("meta", "installation setting"),
        ("product_profiles", "profile name"),
        ("products", "product for this program and environment"),
        ("dam_nodes", "repository path"),
    ];
    KNOWN
        .iter()
        .find(|(needle, _)| text.contains(needle))
        .map_or("unique value", |(_, what)| what)
}

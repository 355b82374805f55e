//! Decoding rows into domain types. Column values that do not fit (unknown enum names,
//! flags other than 0/1, wrong types) are reported as `StoreError::Corrupt`.

use latchkey_core::credentials::{Credential, CredentialKind, StoredSecret};
use latchkey_core::ids::{ClientId, OrgId, TechnicalAccountId};
use latchkey_core::keys::{KeyState, SigningAlg, StoredKey};
use latchkey_core::scope::ScopeList;
use latchkey_core::secret::SecretHash;
use latchkey_core::store::StoreError;
use latchkey_core::time::UnixMillis;
use sqlx::any::AnyRow;
use sqlx::{Any, Decode, Row, Type};

/// Columns of `credentials` (aliased `c`) that [`credential`] reads, as a literal for
/// `concat!` (queries must be `&'static str`).
macro_rules! credential_columns {
    () => {
        "c.id, c.project_id, c.org_id, c.kind, c.name, c.client_id, c.technical_account_id, \
         c.technical_account_email, c.scopes, c.admin, c.enabled, c.tokens_revoked_before, \
         c.created_at"
    };
}
pub(crate) use credential_columns;

/// Columns of `client_secrets` (aliased `s`) that [`secret`] reads, renamed `s_*` so they can
/// share a row with credential columns.
macro_rules! secret_columns {
    () => {
        "s.uuid AS s_uuid, s.credential_id AS s_credential_id, s.hash AS s_hash, \
         s.created_at AS s_created_at, s.last_used_at AS s_last_used_at, \
         s.last_grant_type AS s_last_grant_type"
    };
}
pub(crate) use secret_columns;

/// Columns of `signing_keys` that [`key`] reads.
macro_rules! key_columns {
    () => {
        "kid, alg, state, sealed_private_key, public_jwk, created_at, publish_until"
    };
}
pub(crate) use key_columns;

/// One column, with decoding failures reported as corruption.
pub(crate) fn get<'r, T>(row: &'r AnyRow, column: &str) -> Result<T, StoreError>
where
    T: Decode<'r, Any> + Type<Any>,
{
    row.try_get(column)
        .map_err(|e| StoreError::Corrupt(format!("column {column}: {e}")))
}

/// A millisecond timestamp column.
pub(crate) fn millis(row: &AnyRow, column: &str) -> Result<UnixMillis, StoreError> {
    get::<i64>(row, column).map(UnixMillis)
}

/// A nullable millisecond timestamp column.
pub(crate) fn opt_millis(row: &AnyRow, column: &str) -> Result<Option<UnixMillis>, StoreError> {
    get::<Option<i64>>(row, column).map(|v| v.map(UnixMillis))
}

/// A 0/1 flag column.
pub(crate) fn flag(row: &AnyRow, column: &str) -> Result<bool, StoreError> {
    match get::<i64>(row, column)? {
        0 => Ok(false),
        1 => Ok(true),
        other => Err(StoreError::Corrupt(format!(
            "column {column}: flag value {other} is neither 0 nor 1"
        ))),
    }
}

/// Storage form of a flag.
pub(crate) fn flag_value(b: bool) -> i64 {
    i64::from(b)
}

/// Storage form of a scope list: comma-joined (scopes never contain commas).
pub(crate) fn scopes_value(scopes: &ScopeList) -> String {
    scopes.to_ims_string()
}

/// A scope list column.
pub(crate) fn scopes(row: &AnyRow, column: &str) -> Result<ScopeList, StoreError> {
    let text: String = get(row, column)?;
    Ok(ScopeList::from_trusted(
        text.split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
    ))
}

/// A credential from [`credential_columns`].
pub(crate) fn credential(row: &AnyRow) -> Result<Credential, StoreError> {
    let kind: String = get(row, "kind")?;
    Ok(Credential {
        id: get(row, "id")?,
        project_id: get(row, "project_id")?,
        org_id: OrgId::from_trusted(get(row, "org_id")?),
        kind: CredentialKind::parse(&kind).ok_or_else(|| {
            StoreError::Corrupt(format!("column kind: unknown credential kind {kind:?}"))
        })?,
        name: get(row, "name")?,
        client_id: ClientId::from_trusted(get(row, "client_id")?),
        technical_account_id: TechnicalAccountId::from_trusted(get(row, "technical_account_id")?),
        technical_account_email: get(row, "technical_account_email")?,
        scopes: scopes(row, "scopes")?,
        admin: flag(row, "admin")?,
        enabled: flag(row, "enabled")?,
        tokens_revoked_before: millis(row, "tokens_revoked_before")?,
        created_at: millis(row, "created_at")?,
    })
}

/// A secret from [`secret_columns`].
pub(crate) fn secret(row: &AnyRow) -> Result<StoredSecret, StoreError> {
    Ok(StoredSecret {
        uuid: get(row, "s_uuid")?,
        credential_id: get(row, "s_credential_id")?,
        hash: SecretHash(get(row, "s_hash")?),
        created_at: millis(row, "s_created_at")?,
        last_used_at: opt_millis(row, "s_last_used_at")?,
        last_grant_type: get(row, "s_last_grant_type")?,
    })
}

/// A signing key from [`key_columns`].
pub(crate) fn key(row: &AnyRow) -> Result<StoredKey, StoreError> {
    let alg: String = get(row, "alg")?;
    let state: String = get(row, "state")?;
    Ok(StoredKey {
        kid: get(row, "kid")?,
        alg: SigningAlg::parse(&alg).ok_or_else(|| {
            StoreError::Corrupt(format!("column alg: unknown signing algorithm {alg:?}"))
        })?,
        state: KeyState::parse(&state)
            .ok_or_else(|| StoreError::Corrupt(format!("column state: unknown state {state:?}")))?,
        sealed_private_key: get(row, "sealed_private_key")?,
        public_jwk: get(row, "public_jwk")?,
        created_at: millis(row, "created_at")?,
        publish_until: opt_millis(row, "publish_until")?,
    })
}

//! Creating organizations, projects and credentials: the ids are generated here, the first
//! secret is generated and hashed here, and the store persists everything atomically. Used by
//! dev-mode seeding now and by the console API.

use crate::credentials::{Credential, CredentialKind, NewCredential, Organization, Project};
use crate::ids::{
    ClientId, OrgId, TechnicalAccountId, generate_secret_uuid, generate_technical_account_email,
};
use crate::scope::ScopeList;
use crate::secret::{ClientSecret, SecretHasher};
use crate::store::{Store, StoreError};
use crate::time::UnixMillis;

fn randomness(e: crate::ids::RandomnessUnavailable) -> StoreError {
    StoreError::Unavailable(e.to_string())
}

/// Creates an organization with a fresh id.
pub async fn create_organization(
    store: &dyn Store,
    name: &str,
    now: UnixMillis,
) -> Result<Organization, StoreError> {
    let org = Organization {
        id: OrgId::generate().map_err(randomness)?,
        name: name.to_owned(),
        created_at: now,
    };
    store.create_organization(&org).await?;
    Ok(org)
}

/// Creates a project.
pub async fn create_project(
    store: &dyn Store,
    org_id: &OrgId,
    name: &str,
    now: UnixMillis,
) -> Result<Project, StoreError> {
    store.create_project(org_id, name, now).await
}

/// Creates a credential of `kind` with fresh ids and a first secret; returns the secret in
/// plaintext, the only time it exists outside the client.
pub async fn create_credential(
    store: &dyn Store,
    hasher: &SecretHasher,
    project: &Project,
    kind: CredentialKind,
    name: &str,
    scopes: ScopeList,
    now: UnixMillis,
) -> Result<(Credential, ClientSecret), StoreError> {
    let new = NewCredential {
        project_id: project.id,
        org_id: project.org_id.clone(),
        kind,
        name: name.to_owned(),
        client_id: ClientId::generate().map_err(randomness)?,
        technical_account_id: TechnicalAccountId::generate().map_err(randomness)?,
        technical_account_email: generate_technical_account_email().map_err(randomness)?,
        scopes,
    };
    let secret = ClientSecret::generate().map_err(randomness)?;
    let uuid = generate_secret_uuid().map_err(randomness)?;
    let credential = store
        .create_credential(&new, &uuid, &hasher.hash(&secret), now)
        .await?;
    Ok((credential, secret))
}

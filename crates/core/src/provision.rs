//! Creating organizations, projects and credentials: the ids are generated here, the first
//! secret is generated and hashed here, and the store persists everything atomically. Used by
//! dev-mode seeding now and by the console API.

use serde_json::json;

use crate::audit::{Actor, AuditAction};
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
    actor: &Actor,
    name: &str,
    now: UnixMillis,
) -> Result<Organization, StoreError> {
    let org = Organization {
        id: OrgId::generate().map_err(randomness)?,
        name: name.to_owned(),
        created_at: now,
    };
    let audit = actor.entry(
        now,
        Some(&org.id),
        AuditAction::OrganizationCreated,
        format!("organization:{}", org.id),
        json!({ "name": name }),
    );
    store.create_organization(&org, &audit).await?;
    Ok(org)
}

/// Creates a project.
pub async fn create_project(
    store: &dyn Store,
    actor: &Actor,
    org_id: &OrgId,
    name: &str,
    now: UnixMillis,
) -> Result<Project, StoreError> {
    let audit = actor.entry(
        now,
        Some(org_id),
        AuditAction::ProjectCreated,
        "project".to_owned(),
        json!({ "name": name }),
    );
    store.create_project(org_id, name, now, &audit).await
}

/// What a new credential is.
#[derive(Debug, Clone)]
pub struct CredentialSpec {
    /// Kind.
    pub kind: CredentialKind,
    /// Display name.
    pub name: String,
    /// Allowed scopes.
    pub scopes: ScopeList,
    /// Organization admin.
    pub admin: bool,
}

/// Creates a credential with fresh ids and a first secret; returns the secret in plaintext, the
/// only time it exists outside the client.
pub async fn create_credential(
    store: &dyn Store,
    hasher: &SecretHasher,
    actor: &Actor,
    project: &Project,
    spec: CredentialSpec,
    now: UnixMillis,
) -> Result<(Credential, ClientSecret), StoreError> {
    let new = NewCredential {
        project_id: project.id,
        org_id: project.org_id.clone(),
        kind: spec.kind,
        name: spec.name,
        client_id: ClientId::generate().map_err(randomness)?,
        technical_account_id: TechnicalAccountId::generate().map_err(randomness)?,
        technical_account_email: generate_technical_account_email().map_err(randomness)?,
        scopes: spec.scopes,
        admin: spec.admin,
    };
    let secret = ClientSecret::generate().map_err(randomness)?;
    let uuid = generate_secret_uuid().map_err(randomness)?;
    let audit = actor.entry(
        now,
        Some(&new.org_id),
        AuditAction::CredentialCreated,
        format!("client:{}", new.client_id),
        json!({ "project_id": project.id, "name": new.name, "kind": new.kind.as_str(), "admin": new.admin, "secret_uuid": uuid }),
    );
    let credential = store
        .create_credential(&new, &uuid, &hasher.hash(&secret), now, &audit)
        .await?;
    Ok((credential, secret))
}

//! Creating service accounts and what the console does with them: fresh ids, the first secret,
//! the first certificate, and Adobe's migration to OAuth Server-to-Server (a new credential
//! beside the JWT one, with the same technical account, scopes and product profiles, so that
//! AEM keeps the technical account's user and permissions).

use serde_json::json;

use super::certificate::ParsedCertificate;
use super::{Certificate, MAX_TECHNICAL_ACCOUNTS_PER_ENVIRONMENT};
use crate::audit::{Actor, AuditAction};
use crate::credentials::{Credential, CredentialKind, NewCredential, Project};
use crate::ids::{
    ClientId, RandomnessUnavailable, TechnicalAccountId, generate_secret_uuid,
    generate_technical_account_email,
};
use crate::scope::ScopeList;
use crate::secret::{ClientSecret, SecretHasher};
use crate::store::{Store, StoreError};
use crate::time::UnixMillis;

fn randomness(e: RandomnessUnavailable) -> StoreError {
    StoreError::Unavailable(e.to_string())
}

/// A new service account credential with fresh ids (not stored yet): the technical account id
/// is needed first, as the subject of a generated certificate.
pub fn new_service_account(
    project: &Project,
    name: String,
    metascopes: ScopeList,
) -> Result<NewCredential, StoreError> {
    Ok(NewCredential {
        project_id: project.id,
        org_id: project.org_id.clone(),
        kind: CredentialKind::ServiceAccountJwt,
        name,
        client_id: ClientId::generate().map_err(randomness)?,
        technical_account_id: TechnicalAccountId::generate().map_err(randomness)?,
        technical_account_email: generate_technical_account_email().map_err(randomness)?,
        scopes: metascopes,
        admin: false,
    })
}

/// A certificate record for `credential_id` from an accepted or generated certificate.
pub fn certificate_record(
    credential_id: i64,
    parsed: ParsedCertificate,
    now: UnixMillis,
) -> Result<Certificate, StoreError> {
    Ok(Certificate {
        id: generate_secret_uuid().map_err(randomness)?,
        credential_id,
        fingerprint: parsed.fingerprint,
        der: parsed.der,
        not_before: parsed.not_before,
        not_after: parsed.not_after,
        revoked_at: None,
        created_at: now,
    })
}

/// Stores `new` with a first secret and `certificate`, taking a technical-account slot of
/// `product_id` when given. Returns the credential, the secret in plaintext (the only time it
/// exists outside the client) and the stored certificate.
pub async fn create_service_account(
    store: &dyn Store,
    hasher: &SecretHasher,
    actor: &Actor,
    new: &NewCredential,
    certificate: ParsedCertificate,
    product_id: Option<i64>,
    now: UnixMillis,
) -> Result<(Credential, ClientSecret, Certificate), StoreError> {
    let secret = ClientSecret::generate().map_err(randomness)?;
    let uuid = generate_secret_uuid().map_err(randomness)?;
    let mut cert = certificate_record(0, certificate, now)?;
    let audit = actor.entry(
        now,
        Some(&new.org_id),
        AuditAction::CredentialCreated,
        format!("client:{}", new.client_id),
        json!({
            "project_id": new.project_id, "name": new.name, "kind": new.kind.as_str(),
            "admin": false, "secret_uuid": uuid, "certificate_id": cert.id,
            "certificate_fingerprint": cert.fingerprint, "product_id": product_id,
        }),
    );
    let credential = store
        .create_service_account(
            new,
            &uuid,
            &hasher.hash(&secret),
            &cert,
            product_id,
            MAX_TECHNICAL_ACCOUNTS_PER_ENVIRONMENT,
            now,
            &audit,
        )
        .await?;
    cert.credential_id = credential.id;
    Ok((credential, secret, cert))
}

/// Adobe's migration: creates an OAuth Server-to-Server credential in the same project with the
/// same technical account and scopes as the service account `jwt`, and assigns it to the same
/// product profiles. Returns it with its first secret.
pub async fn migrate_to_oauth(
    store: &dyn Store,
    hasher: &SecretHasher,
    actor: &Actor,
    jwt: &Credential,
    name: String,
    now: UnixMillis,
) -> Result<(Credential, ClientSecret), StoreError> {
    let new = NewCredential {
        project_id: jwt.project_id,
        org_id: jwt.org_id.clone(),
        kind: CredentialKind::OAuthServerToServer,
        name,
        client_id: ClientId::generate().map_err(randomness)?,
        technical_account_id: jwt.technical_account_id.clone(),
        technical_account_email: jwt.technical_account_email.clone(),
        scopes: jwt.scopes.clone(),
        admin: false,
    };
    let secret = ClientSecret::generate().map_err(randomness)?;
    let uuid = generate_secret_uuid().map_err(randomness)?;
    let audit = actor.entry(
        now,
        Some(&new.org_id),
        AuditAction::CredentialCreated,
        format!("client:{}", new.client_id),
        json!({
            "project_id": new.project_id, "name": new.name, "kind": new.kind.as_str(),
            "admin": false, "secret_uuid": uuid, "migrated_from": jwt.client_id.as_str(),
        }),
    );
    let credential = store
        .create_credential(&new, &uuid, &hasher.hash(&secret), now, &audit)
        .await?;
    for profile in store.credential_profiles(jwt.id).await? {
        let audit = actor.entry(
            now,
            Some(&new.org_id),
            AuditAction::ProfileAssigned,
            format!("client:{}", credential.client_id),
            json!({ "profile_id": profile.id, "migrated_from": jwt.client_id.as_str() }),
        );
        store
            .assign_profile(credential.id, profile.id, &audit)
            .await?;
    }
    Ok((credential, secret))
}

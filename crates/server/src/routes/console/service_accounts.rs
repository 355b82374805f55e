//! Legacy Service Account (JWT) credentials in the console (SPEC §2, seed 002): create one (with
//! a generated key pair or an uploaded certificate, optionally for an AEM environment: at most
//! 10 technical accounts each, deleted ones counted), manage its certificates (add, revoke, then
//! delete; several may be valid at once for rotation), download the AEM service credentials
//! JSON, and migrate it to OAuth Server-to-Server as Adobe's console does.
//!
//! The private key of a generated certificate exists only in the answer that generated it;
//! the client secret only in the answer that created it. Organization admins only.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use latchkey_core::audit::AuditAction;
use latchkey_core::credentials::{Credential, CredentialKind, Project};
use latchkey_core::ids::OrgId;
use latchkey_core::scope::ScopeList;
use latchkey_core::service_account::certificate::{ParsedCertificate, parse_upload};
use latchkey_core::service_account::generate::{Generated, generate};
use latchkey_core::service_account::provision::{
    certificate_record, create_service_account, migrate_to_oauth, new_service_account,
};
use latchkey_core::service_account::service_credentials::{
    current_certificate, service_credentials,
};
use latchkey_core::service_account::{Certificate, MAX_CERTIFICATES};
use latchkey_core::time::UnixMillis;
use latchkey_proto::console::{ConsoleErrorBody, CreatedCredential};
use latchkey_proto::service_accounts::{
    AddCertificate, AddedCertificate, CertificateBody, CreateServiceAccount, CreatedServiceAccount,
    MigrateServiceAccount, ServiceCredentials,
};
use serde_json::json;

use super::auth::Principal;
use super::body::JsonBody;
use super::credentials::credential_body;
use super::error::ConsoleError;
use super::{load_credential, parse_id, parse_org};
use crate::state::AppState;

/// The console form of a certificate at `now`.
pub fn certificate_body(c: &Certificate, now: UnixMillis) -> CertificateBody {
    CertificateBody {
        id: c.id.clone(),
        fingerprint: c.fingerprint.clone(),
        status: c.status(now).as_str().to_owned(),
        not_before: c.not_before.0.to_string(),
        not_after: c.not_after.0.to_string(),
        revoked_at: c.revoked_at.map(|t| t.0.to_string()),
        created_at: c.created_at.0.to_string(),
        certificate_pem: c.pem(),
    }
}

fn check_name(name: &str) -> Result<String, ConsoleError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err(ConsoleError::InvalidRequest(
            "name must be 1 to 200 characters without control characters".into(),
        ));
    }
    Ok(name.to_owned())
}

/// An uploaded certificate checked at `now`, or a generated one (on a blocking thread: RSA key
/// generation takes up to a few hundred milliseconds).
async fn certificate_for(
    upload: Option<&str>,
    subject: &str,
    now: UnixMillis,
) -> Result<(ParsedCertificate, Option<String>), ConsoleError> {
    if let Some(pem) = upload {
        let parsed = parse_upload(pem, now)
            .map_err(|e| ConsoleError::InvalidRequest(format!("certificate_pem: {e}")))?;
        return Ok((parsed, None));
    }
    let subject = subject.to_owned();
    let generated: Generated = tokio::task::spawn_blocking(move || generate(&subject, now))
        .await
        .map_err(|_| ConsoleError::Internal)?
        .map_err(|e| {
            tracing::error!(error = %e, "certificate generation failed");
            ConsoleError::Internal
        })?;
    Ok((
        generated.certificate,
        Some(generated.private_key_pem.as_str().to_owned()),
    ))
}

/// The service account `id` of organization `org`, or 404 (also for OAuth credentials).
async fn load_service_account(
    state: &AppState,
    org: &OrgId,
    id: &str,
) -> Result<Credential, ConsoleError> {
    let cred = load_credential(state, org, parse_id(id)?).await?;
    if cred.kind != CredentialKind::ServiceAccountJwt {
        return Err(ConsoleError::NotFound(
            "this credential is not a service account (JWT) credential: certificates belong to service accounts only",
        ));
    }
    Ok(cred)
}

async fn load_project(state: &AppState, org: &OrgId, id: &str) -> Result<Project, ConsoleError> {
    state
        .store
        .get_project(parse_id(id)?)
        .await?
        .filter(|pr| &pr.org_id == org)
        .ok_or(ConsoleError::NotFound(
            "no such project in this organization",
        ))
}

/// `POST /console/organizations/{org}/projects/{project}/service_accounts`.
#[utoipa::path(
    post,
    path = "/console/organizations/{org}/projects/{project}/service_accounts",
    tag = "console-service-accounts",
    summary = "Create a Service Account (JWT) credential (legacy)",
    description = "Creates the credential with its first client secret and first certificate: generated (RSA-2048, self-signed, valid 365 days; the private key is in this answer only and never stored) unless `certificate_pem` is uploaded. With `product_id`, the technical account counts against that AEM environment's limit of 10 (deleted ones count too). The answer carries the AEM service credentials JSON, complete.",
    params(("org" = String, Path, description = "Organization id (`<24 hex>@AdobeOrg`)."), ("project" = i64, Path, description = "Numeric project id.")),
    request_body(content = CreateServiceAccount, content_type = "application/json"),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 201, description = "The credential, its client secret, its certificate and the service credentials JSON, shown once.", body = CreatedServiceAccount),
        (status = 409, description = "`conflict`: the environment already has 10 technical accounts", body = ConsoleErrorBody),
        crate::routes::apidoc::ConsoleErrors,
        crate::routes::apidoc::JsonBodyErrors,
    )
)]
pub async fn create(
    State(state): State<AppState>,
    p: Principal,
    Path((org, project)): Path<(String, String)>,
    JsonBody(req): JsonBody<CreateServiceAccount>,
) -> Result<Response, ConsoleError> {
    let admin = p.require_admin(&parse_org(&org)?)?;
    let project = load_project(&state, &admin.org_id, &project).await?;
    let name = check_name(&req.name)?;
    let metascopes = ScopeList::parse(&req.metascopes.join(","))
        .map_err(|e| ConsoleError::InvalidRequest(format!("metascopes: {e}")))?;
    if metascopes.is_empty() {
        return Err(ConsoleError::InvalidRequest(
            "metascopes: give at least one, e.g. ent_aem_cloud_api".into(),
        ));
    }
    if let Some(product) = req.product_id {
        state
            .store
            .get_product(product)
            .await?
            .filter(|pr| pr.org_id == admin.org_id)
            .ok_or(ConsoleError::NotFound(
                "no such product (AEM environment) in this organization",
            ))?;
    }
    let new = new_service_account(&project, name, metascopes)?;
    let (parsed, private_key) = certificate_for(
        req.certificate_pem.as_deref(),
        new.technical_account_id.as_str(),
        p.now,
    )
    .await?;
    let (cred, secret, cert) = create_service_account(
        state.store.as_ref(),
        &state.hasher,
        &p.actor(),
        &new,
        parsed,
        req.product_id,
        p.now,
    )
    .await?;
    let body = CreatedServiceAccount {
        credential: credential_body(&cred),
        client_secret: secret.expose().to_owned(),
        certificate: certificate_body(&cert, p.now),
        service_credentials: service_credentials(
            &cred,
            &state.issuer,
            Some(&cert),
            private_key,
            Some(secret.expose().to_owned()),
        ),
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// `GET .../credentials/{cred}/certificates`.
#[utoipa::path(
    get,
    path = "/console/organizations/{org}/credentials/{cred}/certificates",
    tag = "console-service-accounts",
    summary = "List the certificates of a service account",
    params(("org" = String, Path, description = "Organization id (`<24 hex>@AdobeOrg`)."), ("cred" = i64, Path, description = "Numeric credential id.")),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 200, description = "The certificates, oldest first (public parts only).", body = Vec<CertificateBody>),
        crate::routes::apidoc::ConsoleErrors,
    )
)]
pub async fn list_certificates(
    State(state): State<AppState>,
    p: Principal,
    Path((org, cred)): Path<(String, String)>,
) -> Result<Json<Vec<CertificateBody>>, ConsoleError> {
    let admin = p.require_admin(&parse_org(&org)?)?;
    let cred = load_service_account(&state, &admin.org_id, &cred).await?;
    let certs = state.store.list_certificates(cred.id).await?;
    Ok(Json(
        certs.iter().map(|c| certificate_body(c, p.now)).collect(),
    ))
}

/// `POST .../credentials/{cred}/certificates`: 201.
#[utoipa::path(
    post,
    path = "/console/organizations/{org}/credentials/{cred}/certificates",
    tag = "console-service-accounts",
    summary = "Add a certificate to a service account (rotation)",
    description = "Uploads `certificate_pem` (RSA of 2048 bits or more, not expired; private keys are refused) or, without it, generates a key pair and a certificate valid 365 days; the private key is in this answer only. The older certificates stay valid until revoked.",
    params(("org" = String, Path, description = "Organization id (`<24 hex>@AdobeOrg`)."), ("cred" = i64, Path, description = "Numeric credential id.")),
    request_body(content = AddCertificate, content_type = "application/json"),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 201, description = "The certificate, and the private key when generated.", body = AddedCertificate),
        (status = 409, description = "`conflict`: the credential holds this certificate already, or the maximum number", body = ConsoleErrorBody),
        crate::routes::apidoc::ConsoleErrors,
        crate::routes::apidoc::JsonBodyErrors,
    )
)]
pub async fn add_certificate(
    State(state): State<AppState>,
    p: Principal,
    Path((org, cred)): Path<(String, String)>,
    JsonBody(req): JsonBody<AddCertificate>,
) -> Result<Response, ConsoleError> {
    let admin = p.require_admin(&parse_org(&org)?)?;
    let cred = load_service_account(&state, &admin.org_id, &cred).await?;
    let (parsed, private_key) = certificate_for(
        req.certificate_pem.as_deref(),
        cred.technical_account_id.as_str(),
        p.now,
    )
    .await?;
    let cert = certificate_record(cred.id, parsed, p.now)?;
    let audit = p.actor().entry(
        p.now,
        Some(&admin.org_id),
        AuditAction::CertificateAdded,
        format!("certificate:{}", cert.id),
        json!({ "client_id": cred.client_id.as_str(), "fingerprint": cert.fingerprint, "generated": private_key.is_some() }),
    );
    state
        .store
        .add_certificate(&cert, MAX_CERTIFICATES, &audit)
        .await?;
    let body = AddedCertificate {
        certificate: certificate_body(&cert, p.now),
        private_key,
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// `POST .../credentials/{cred}/certificates/{id}/revoke`.
#[utoipa::path(
    post,
    path = "/console/organizations/{org}/credentials/{cred}/certificates/{cert}/revoke",
    tag = "console-service-accounts",
    summary = "Revoke a certificate: JWTs signed with its key are refused from now on",
    params(("org" = String, Path, description = "Organization id (`<24 hex>@AdobeOrg`)."), ("cred" = i64, Path, description = "Numeric credential id."), ("cert" = String, Path, description = "Certificate id (32 hex).")),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 200, description = "The certificate, revoked.", body = CertificateBody),
        (status = 409, description = "`conflict`: already revoked", body = ConsoleErrorBody),
        crate::routes::apidoc::ConsoleErrors,
    )
)]
pub async fn revoke_certificate(
    State(state): State<AppState>,
    p: Principal,
    Path((org, cred, cert)): Path<(String, String, String)>,
) -> Result<Json<CertificateBody>, ConsoleError> {
    let admin = p.require_admin(&parse_org(&org)?)?;
    let cred = load_service_account(&state, &admin.org_id, &cred).await?;
    let audit = p.actor().entry(
        p.now,
        Some(&admin.org_id),
        AuditAction::CertificateRevoked,
        format!("certificate:{cert}"),
        json!({ "client_id": cred.client_id.as_str() }),
    );
    state
        .store
        .revoke_certificate(cred.id, &cert, p.now, &audit)
        .await
        .map_err(not_found_certificate)?;
    let certs = state.store.list_certificates(cred.id).await?;
    let revoked = certs
        .iter()
        .find(|c| c.id == cert)
        .ok_or(ConsoleError::NotFound(
            "no such certificate on this credential",
        ))?;
    Ok(Json(certificate_body(revoked, p.now)))
}

fn not_found_certificate(e: latchkey_core::store::StoreError) -> ConsoleError {
    match e {
        latchkey_core::store::StoreError::NotFound => ConsoleError::NotFound(
            "no such certificate on this credential: list them with GET .../certificates",
        ),
        other => other.into(),
    }
}

/// `DELETE .../credentials/{cred}/certificates/{id}`: 204; only revoked certificates.
#[utoipa::path(
    delete,
    path = "/console/organizations/{org}/credentials/{cred}/certificates/{cert}",
    tag = "console-service-accounts",
    summary = "Delete a revoked certificate",
    params(("org" = String, Path, description = "Organization id (`<24 hex>@AdobeOrg`)."), ("cred" = i64, Path, description = "Numeric credential id."), ("cert" = String, Path, description = "Certificate id (32 hex).")),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 204, description = "Deleted."),
        (status = 409, description = "`conflict`: the certificate is not revoked (revoke it first)", body = ConsoleErrorBody),
        crate::routes::apidoc::ConsoleErrors,
    )
)]
pub async fn delete_certificate(
    State(state): State<AppState>,
    p: Principal,
    Path((org, cred, cert)): Path<(String, String, String)>,
) -> Result<StatusCode, ConsoleError> {
    let admin = p.require_admin(&parse_org(&org)?)?;
    let cred = load_service_account(&state, &admin.org_id, &cred).await?;
    let audit = p.actor().entry(
        p.now,
        Some(&admin.org_id),
        AuditAction::CertificateDeleted,
        format!("certificate:{cert}"),
        json!({ "client_id": cred.client_id.as_str() }),
    );
    state
        .store
        .delete_certificate(cred.id, &cert, &audit)
        .await
        .map_err(not_found_certificate)?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET .../credentials/{cred}/service_credentials`.
#[utoipa::path(
    get,
    path = "/console/organizations/{org}/credentials/{cred}/service_credentials",
    tag = "console-service-accounts",
    summary = "Download the AEM service credentials JSON",
    description = "The JSON of AEM's Developer Console (`ok`, `integration{imsEndpoint, metascopes, technicalAccount{clientId, clientSecret}, email, id, org, privateKey, publicKey, certificateExpirationDate}`, `statusCode`) with `imsEndpoint` this server. `clientSecret` and `privateKey` are `null`: they were shown only when created (never stored in plaintext); fill them in from what you saved then. `publicKey` is the newest active certificate.",
    params(("org" = String, Path, description = "Organization id (`<24 hex>@AdobeOrg`)."), ("cred" = i64, Path, description = "Numeric credential id.")),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 200, description = "The service credentials JSON.", body = ServiceCredentials),
        crate::routes::apidoc::ConsoleErrors,
    )
)]
pub async fn download(
    State(state): State<AppState>,
    p: Principal,
    Path((org, cred)): Path<(String, String)>,
) -> Result<Json<ServiceCredentials>, ConsoleError> {
    let admin = p.require_admin(&parse_org(&org)?)?;
    let cred = load_service_account(&state, &admin.org_id, &cred).await?;
    let certs = state.store.list_certificates(cred.id).await?;
    Ok(Json(service_credentials(
        &cred,
        &state.issuer,
        current_certificate(&certs, p.now),
        None,
        None,
    )))
}

/// `POST .../credentials/{cred}/migrate`: 201.
#[utoipa::path(
    post,
    path = "/console/organizations/{org}/credentials/{cred}/migrate",
    tag = "console-service-accounts",
    summary = "Migrate a service account to OAuth Server-to-Server",
    description = "What Adobe's migration does: adds an OAuth Server-to-Server credential beside the JWT one, with the same technical account (so AEM keeps its user and permissions), scopes and product profiles. Both work until the JWT credential is deleted.",
    params(("org" = String, Path, description = "Organization id (`<24 hex>@AdobeOrg`)."), ("cred" = i64, Path, description = "Numeric credential id of the JWT credential.")),
    request_body(content = MigrateServiceAccount, content_type = "application/json"),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 201, description = "The new credential and its first client secret, shown once.", body = CreatedCredential),
        (status = 409, description = "`conflict`: already migrated", body = ConsoleErrorBody),
        crate::routes::apidoc::ConsoleErrors,
        crate::routes::apidoc::JsonBodyErrors,
    )
)]
pub async fn migrate(
    State(state): State<AppState>,
    p: Principal,
    Path((org, cred)): Path<(String, String)>,
    JsonBody(req): JsonBody<MigrateServiceAccount>,
) -> Result<Response, ConsoleError> {
    let admin = p.require_admin(&parse_org(&org)?)?;
    let jwt = load_service_account(&state, &admin.org_id, &cred).await?;
    if let Some(done) = state
        .store
        .list_credentials(&admin.org_id)
        .await?
        .iter()
        .find(|c| {
            c.kind == CredentialKind::OAuthServerToServer
                && c.technical_account_id == jwt.technical_account_id
        })
    {
        return Err(ConsoleError::Conflict(format!(
            "this service account was migrated already: credential {} has its technical account",
            done.id
        )));
    }
    let name = match req.name {
        Some(n) => check_name(&n)?,
        None => check_name(&format!("{} (OAuth Server-to-Server)", jwt.name))?,
    };
    let (cred, secret) = migrate_to_oauth(
        state.store.as_ref(),
        &state.hasher,
        &p.actor(),
        &jwt,
        name,
        p.now,
    )
    .await?;
    let body = CreatedCredential {
        credential: credential_body(&cred),
        client_secret: secret.expose().to_owned(),
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

//! Dev mode (`latchkey serve --dev`): on an empty installation, seed a demo project, an OAuth
//! Server-to-Server credential and a legacy Service Account (JWT) credential in the initial
//! organization, write `<data-dir>/dev-credentials.json` (mode 0600, with the JWT credential's
//! AEM service credentials JSON under `credentials.service_account_jwt`) and print a
//! ready-to-paste curl.
//!
//! The AEM side is seeded too ([`crate::dev_aem`]): an environment, a read-only profile, an
//! api.yaml and a sample asset, listed under `"aem"` in the file.
//!
//! Seeding happens once: a marker in the database records it, so restarts keep the data and
//! print the same credential again from the file.

use std::path::Path;

use latchkey_core::audit::Actor;
use latchkey_core::credentials::CredentialKind;
use latchkey_core::provision::{self, CredentialSpec};
use latchkey_core::scope::ScopeList;
use latchkey_core::service_account::generate::generate;
use latchkey_core::service_account::provision::{create_service_account, new_service_account};
use latchkey_core::service_account::service_credentials::service_credentials;
use latchkey_proto::dev::{
    DevAdminCredential, DevCredentialSet, DevCredentials, DevOAuthCredential,
};
use latchkey_proto::service_accounts::ServiceCredentials;

use crate::bootstrap::{self, Bootstrapped};
use crate::startup::{StartError, write_private_file};
use crate::state::AppState;

/// Scopes of the demo credential (the Assets Author and Folders APIs of seed 001).
pub const DEMO_SCOPES: &str = "openid,AdobeID,aem.assets.author,aem.folders";
/// Metascopes of the demo service account (AEM's, seed 002).
pub const DEMO_METASCOPES: &str = "ent_aem_cloud_api";
/// The file written into the data directory.
pub const DEV_FILE: &str = "dev-credentials.json";
const SEEDED_KEY: &str = "dev_seeded";

/// Seeds if needed and returns the dev credentials (from the file on later starts).
/// `fresh_admin` is the admin credential bootstrapped by this very start, if any.
pub async fn seed(
    state: &AppState,
    data_dir: &Path,
    fresh_admin: Option<&Bootstrapped>,
) -> Result<Option<DevCredentials>, StartError> {
    let path = data_dir.join(DEV_FILE);
    let store = state.store.as_ref();
    if store
        .get_meta(SEEDED_KEY)
        .await
        .map_err(StartError::store)?
        .is_some()
    {
        let existing = std::fs::read_to_string(&path)
            .ok()
            .and_then(|t| serde_json::from_str::<DevCredentials>(&t).ok());
        if existing.is_none() {
            tracing::warn!(path = %path.display(), "dev data was seeded before but its credentials file is missing; it is not recreated (the secret is not stored in plaintext)");
        }
        return Ok(existing.map(|mut d| {
            d.ims = state.issuer.clone();
            if let Some(aem) = d.aem.as_mut() {
                aem.base_url = state.issuer.clone();
            }
            d
        }));
    }
    let now = state.clock.now();
    let actor = Actor::system();
    let org_id = bootstrap::initial_org(state)
        .await?
        .ok_or_else(|| StartError::Store("the installation has no initial organization".into()))?;
    let project = provision::create_project(store, &actor, &org_id, "Demo Project", now)
        .await
        .map_err(StartError::store)?;
    let scopes = ScopeList::parse(DEMO_SCOPES).map_err(|e| StartError::Keys(e.to_string()))?;
    let spec = CredentialSpec {
        kind: CredentialKind::OAuthServerToServer,
        name: "Demo OAuth Server-to-Server credential".into(),
        scopes: scopes.clone(),
        admin: false,
    };
    let (cred, secret) =
        provision::create_credential(store, &state.hasher, &actor, &project, spec, now)
            .await
            .map_err(StartError::store)?;
    let aem = crate::dev_aem::seed(state, &org_id, &cred, now).await?;
    let service_account = seed_service_account(state, &project, now).await?;
    let dev = DevCredentials {
        ims: state.issuer.clone(),
        org_id: org_id.to_string(),
        credentials: DevCredentialSet {
            oauth_server_to_server: DevOAuthCredential {
                credential_id: cred.id,
                client_id: cred.client_id.to_string(),
                client_secret: secret.expose().to_owned(),
                scopes: scopes.items().to_vec(),
                technical_account_id: cred.technical_account_id.to_string(),
                technical_account_email: cred.technical_account_email.clone(),
            },
            service_account_jwt: Some(service_account),
        },
        admin: fresh_admin.map(|b| DevAdminCredential {
            credential_id: b.admin.id,
            client_id: b.admin.client_id.to_string(),
            client_secret: b.secret.expose().to_owned(),
            scopes: b.admin.scopes.items().to_vec(),
        }),
        aem: Some(aem),
    };
    let json = serde_json::to_vec_pretty(&dev).map_err(|e| StartError::Files(e.to_string()))?;
    write_private_file(&path, &json)?;
    store
        .put_meta_if_absent(SEEDED_KEY, &now.0.to_string())
        .await
        .map_err(StartError::store)?;
    tracing::info!(org_id = %org_id, client_id = %cred.client_id, "seeded dev organization, project and credential");
    Ok(Some(dev))
}

/// Creates the demo service account with a generated certificate; returns its complete AEM
/// service credentials JSON (private key and client secret included: dev mode only).
async fn seed_service_account(
    state: &AppState,
    project: &latchkey_core::credentials::Project,
    now: latchkey_core::time::UnixMillis,
) -> Result<ServiceCredentials, StartError> {
    let metascopes =
        ScopeList::parse(DEMO_METASCOPES).map_err(|e| StartError::Keys(e.to_string()))?;
    let new = new_service_account(
        project,
        "Demo Service Account (JWT) credential".into(),
        metascopes,
    )
    .map_err(StartError::store)?;
    let generated = generate(new.technical_account_id.as_str(), now)
        .map_err(|e| StartError::Keys(e.to_string()))?;
    let private_key = generated.private_key_pem.as_str().to_owned();
    let (cred, secret, cert) = create_service_account(
        state.store.as_ref(),
        &state.hasher,
        &Actor::system(),
        &new,
        generated.certificate,
        None,
        now,
    )
    .await
    .map_err(StartError::store)?;
    Ok(service_credentials(
        &cred,
        &state.issuer,
        Some(&cert),
        Some(private_key),
        Some(secret.expose().to_owned()),
    ))
}

/// The banner printed on stdout in dev mode: where the credentials are and a curl to try
/// (trusting `self_signed`, the server's self-signed certificate, if any).
pub fn banner(dev: &DevCredentials, data_dir: &Path, self_signed: Option<&Path>) -> String {
    let c = &dev.credentials.oauth_server_to_server;
    let curl = crate::tls::curl(self_signed);
    let mut text = format!(
        "\nLatchkey dev mode: demo credentials in {file}\n\nGet a token:\n\n  {curl} -X POST '{ims}/ims/token/v3' \\\n    -H 'Content-Type: application/x-www-form-urlencoded' \\\n    -d 'client_id={id}&client_secret={secret}&grant_type=client_credentials&scope={scopes}'\n",
        file = data_dir.join(DEV_FILE).display(),
        ims = dev.ims,
        id = c.client_id,
        secret = c.client_secret,
        scopes = c.scopes.join(","),
    );
    if let Some(aem) = &dev.aem {
        text.push_str(&format!(
            "\nThen read the sample asset's metadata (TOKEN=<access_token from above>):\n\n  {curl} '{base}/adobe/assets/{asset}/metadata' \\\n    -H \"Authorization: Bearer $TOKEN\" \\\n    -H 'x-api-key: {id}'\n",
            base = aem.base_url,
            asset = aem.sample_asset_id,
            id = c.client_id,
        ));
    }
    text
}

//! The first start of an installation: create the initial organization and its first
//! organization-admin credential, and hand the secret out exactly once.
//!
//! The console is protected by Latchkey tokens only (no unauthenticated management endpoint
//! exists), so something must create the first admin: this module, once, recorded by a marker
//! in the database. The secret is printed on stdout by the CLI (and, in dev mode, written to
//! `dev-credentials.json`); it is never logged and never stored in plaintext.

use latchkey_core::audit::Actor;
use latchkey_core::credentials::{Credential, CredentialKind, Organization};
use latchkey_core::ids::OrgId;
use latchkey_core::provision::{self, CredentialSpec};
use latchkey_core::scope::ScopeList;
use latchkey_core::secret::ClientSecret;

use crate::startup::StartError;
use crate::state::AppState;

/// Scopes of admin credentials: the I/O Management API set (reference/adobe-protocol.md §1.2).
pub const ADMIN_SCOPES: &str = "openid,AdobeID,read_organizations,additional_info.projectedProductContext,additional_info.roles,adobeio_api,read_client_secret,manage_client_secrets";
const BOOTSTRAP_KEY: &str = "bootstrap_org";

/// What the first start created.
#[derive(Debug)]
pub struct Bootstrapped {
    /// The initial organization.
    pub org: Organization,
    /// The admin credential.
    pub admin: Credential,
    /// Its secret, shown once.
    pub secret: ClientSecret,
}

/// The initial organization's id, if the installation was bootstrapped.
pub async fn initial_org(state: &AppState) -> Result<Option<OrgId>, StartError> {
    let v = state
        .store
        .get_meta(BOOTSTRAP_KEY)
        .await
        .map_err(StartError::store)?;
    Ok(v.map(OrgId::from_trusted))
}

/// Creates the initial organization and admin credential on the first start; `None` later.
pub async fn run(state: &AppState) -> Result<Option<Bootstrapped>, StartError> {
    if initial_org(state).await?.is_some() {
        return Ok(None);
    }
    let store = state.store.as_ref();
    let now = state.clock.now();
    let actor = Actor::system();
    let org = provision::create_organization(store, &actor, "Default Organization", now)
        .await
        .map_err(StartError::store)?;
    let project = provision::create_project(store, &actor, &org.id, "Administration", now)
        .await
        .map_err(StartError::store)?;
    let spec = CredentialSpec {
        kind: CredentialKind::OAuthServerToServer,
        name: "Organization admin".into(),
        scopes: ScopeList::parse(ADMIN_SCOPES).map_err(|e| StartError::Keys(e.to_string()))?,
        admin: true,
    };
    let (admin, secret) =
        provision::create_credential(store, &state.hasher, &actor, &project, spec, now)
            .await
            .map_err(StartError::store)?;
    let stored = store
        .put_meta_if_absent(BOOTSTRAP_KEY, org.id.as_str())
        .await
        .map_err(StartError::store)?;
    if stored != org.id.as_str() {
        // Another node bootstrapped at the same moment; its organization is the initial one.
        tracing::warn!(
            "another node bootstrapped this database at the same time; keeping its organization"
        );
    }
    tracing::info!(org_id = %org.id, client_id = %admin.client_id, "created the initial organization and its admin credential");
    Ok(Some(Bootstrapped { org, admin, secret }))
}

/// The text printed once on stdout after bootstrap.
pub fn banner(b: &Bootstrapped, base_url: &str, self_signed: Option<&std::path::Path>) -> String {
    format!(
        "\nFirst start: created organization {org} and its admin credential.\nThe secret is shown only now; store it safely.\n\n  client_id:     {id}\n  client_secret: {secret}\n  scopes:        {scopes}\n\nConsole calls use a token of this credential:\n\n  {curl} -X POST '{base}/ims/token/v3' -d 'grant_type=client_credentials&client_id={id}&client_secret=<secret>&scope={scopes}'\n  {curl} -H 'Authorization: Bearer <token>' -H 'x-api-key: {id}' '{base}/console/organizations/{org}/credentials/{cred}/secrets'\n",
        curl = crate::tls::curl(self_signed),
        org = b.org.id,
        id = b.admin.client_id,
        secret = b.secret.expose(),
        scopes = ADMIN_SCOPES,
        base = base_url,
        cred = b.admin.id,
    )
}

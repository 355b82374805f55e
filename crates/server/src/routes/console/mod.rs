//! The console API under `/console/...` (SPEC §2): client secrets (wire-compatible with Adobe's
//! I/O Management API), projects and credentials, token revocation, and the audit log.
//!
//! Every route needs a Latchkey bearer token and a matching `x-api-key` ([`auth::Principal`]);
//! no unauthenticated management endpoint exists. Errors are [`error::ConsoleError`].
//!
//! | route | handler |
//! |---|---|
//! | `GET /console/organizations`, `GET /console/organizations/{org}` | [`organizations`] |
//! | `GET/POST /console/organizations/{org}/credentials/{id}/secrets` | [`secrets::list`], [`secrets::add`] |
//! | `DELETE /console/organizations/{org}/credentials/{id}/secrets/{uuid}` | [`secrets::delete`] |
//! | `GET/POST /console/organizations/{org}/projects` | [`credentials::list_projects`], [`credentials::create_project`] |
//! | `POST /console/organizations/{org}/projects/{project}/credentials` | [`credentials::create_credential`] |
//! | `GET /console/organizations/{org}/credentials` | [`credentials::list_credentials`] |
//! | `GET/PATCH/DELETE /console/organizations/{org}/credentials/{id}` | [`credentials`] |
//! | `POST /console/organizations/{org}/credentials/{id}/revoke_tokens` | [`credentials::revoke_tokens`] |
//! | `GET /console/organizations/{org}/audit` | [`audit::list`] |
//! | `GET /console/keys`, `POST /console/keys/rotate` | [`keys::list`], [`keys::rotate`]: token-signing keys |
//! | `GET/POST .../products`, `GET/DELETE .../products/{id}` | [`products`] |
//! | `GET/POST .../products/{id}/profiles`, `GET/DELETE .../profiles/{profile}`, `PUT .../services` | [`products`] |
//! | `GET .../credentials/{id}/profiles`, `PUT/DELETE .../credentials/{id}/profiles/{profile}` | [`products::assign`], [`products::unassign`] |
//! | `GET/PUT/DELETE .../products/{id}/api-config` | [`allowlist`]: the environment's `api.yaml` |
//! | `GET .../products/{id}/users`, `.../groups` | [`aem_security::users`], [`aem_security::groups`] |
//! | `GET/POST .../products/{id}/acls`, `DELETE .../acls/{acl}` | [`aem_security`]: grants on DAM paths |
//! | `POST .../projects/{project}/service_accounts` | [`service_accounts::create`] |
//! | `GET/POST .../credentials/{id}/certificates`, `POST .../certificates/{cert}/revoke`, `DELETE .../certificates/{cert}` | [`service_accounts`] |
//! | `GET .../credentials/{id}/service_credentials`, `POST .../credentials/{id}/migrate` | [`service_accounts::download`], [`service_accounts::migrate`] |

pub mod aem_security;
pub mod allowlist;
pub mod audit;
pub mod auth;
pub mod body;
pub mod credentials;
pub mod error;
pub mod keys;
pub mod organizations;
pub mod products;
pub mod secrets;
pub mod service_accounts;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{delete, get, post, put};
use latchkey_core::credentials::Credential;
use latchkey_core::ids::OrgId;

use self::error::ConsoleError;
use crate::state::AppState;

/// The console routes.
pub fn routes(state: AppState) -> Router<AppState> {
    let base = "/console/organizations/{org}";
    Router::new()
        .route("/console/organizations", get(organizations::list))
        .route("/console/organizations/{org}", get(organizations::get))
        .route(
            &format!("{base}/credentials/{{cred}}/secrets"),
            get(secrets::list).post(secrets::add),
        )
        .route(
            &format!("{base}/credentials/{{cred}}/secrets/{{uuid}}"),
            delete(secrets::delete),
        )
        .route(
            &format!("{base}/projects"),
            get(credentials::list_projects).post(credentials::create_project),
        )
        .route(
            &format!("{base}/projects/{{project}}/credentials"),
            post(credentials::create_credential),
        )
        .route(
            &format!("{base}/credentials"),
            get(credentials::list_credentials),
        )
        .route(
            &format!("{base}/credentials/{{cred}}"),
            get(credentials::get_credential)
                .patch(credentials::update_credential)
                .delete(credentials::delete_credential),
        )
        .route(
            &format!("{base}/credentials/{{cred}}/revoke_tokens"),
            post(credentials::revoke_tokens),
        )
        .route(&format!("{base}/audit"), get(audit::list))
        .route("/console/keys", get(keys::list))
        .route("/console/keys/rotate", post(keys::rotate))
        .route(
            &format!("{base}/products"),
            get(products::list_products).post(products::create_product),
        )
        .route(
            &format!("{base}/products/{{product}}"),
            get(products::get_product).delete(products::delete_product),
        )
        .route(
            &format!("{base}/products/{{product}}/profiles"),
            get(products::list_profiles).post(products::create_profile),
        )
        .route(
            &format!("{base}/products/{{product}}/profiles/{{profile}}"),
            get(products::get_profile).delete(products::delete_profile),
        )
        .route(
            &format!("{base}/products/{{product}}/profiles/{{profile}}/services"),
            put(products::set_services),
        )
        .route(
            &format!("{base}/credentials/{{cred}}/profiles"),
            get(products::credential_profiles),
        )
        .route(
            &format!("{base}/credentials/{{cred}}/profiles/{{profile}}"),
            put(products::assign).delete(products::unassign),
        )
        .route(
            &format!("{base}/products/{{product}}/api-config"),
            get(allowlist::get)
                .put(allowlist::deploy)
                .delete(allowlist::delete),
        )
        .route(
            &format!("{base}/products/{{product}}/users"),
            get(aem_security::users),
        )
        .route(
            &format!("{base}/products/{{product}}/groups"),
            get(aem_security::groups),
        )
        .route(
            &format!("{base}/products/{{product}}/acls"),
            get(aem_security::list_acls).post(aem_security::add_acl),
        )
        .route(
            &format!("{base}/products/{{product}}/acls/{{acl}}"),
            delete(aem_security::delete_acl),
        )
        .route(
            &format!("{base}/projects/{{project}}/service_accounts"),
            post(service_accounts::create),
        )
        .route(
            &format!("{base}/credentials/{{cred}}/certificates"),
            get(service_accounts::list_certificates).post(service_accounts::add_certificate),
        )
        .route(
            &format!("{base}/credentials/{{cred}}/certificates/{{cert}}"),
            delete(service_accounts::delete_certificate),
        )
        .route(
            &format!("{base}/credentials/{{cred}}/certificates/{{cert}}/revoke"),
            post(service_accounts::revoke_certificate),
        )
        .route(
            &format!("{base}/credentials/{{cred}}/service_credentials"),
            get(service_accounts::download),
        )
        .route(
            &format!("{base}/credentials/{{cred}}/migrate"),
            post(service_accounts::migrate),
        )
        .layer(middleware::from_fn_with_state(state, forget_on_change))
}

/// After every successful change made through the console, the AEM chain's caches on this
/// node are emptied, so allowlist, profile and ACL changes apply to the very next request.
async fn forget_on_change(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let changes = req.method() != Method::GET && req.method() != Method::HEAD;
    let resp = next.run(req).await;
    if changes && resp.status().is_success() {
        state.aem.clear();
    }
    resp
}

/// Parses an organization id from a path.
pub fn parse_org(s: &str) -> Result<OrgId, ConsoleError> {
    OrgId::parse(s).ok_or_else(|| {
        ConsoleError::InvalidRequest("the organization id must look like <hex>@AdobeOrg".into())
    })
}

/// Parses a numeric id from a path.
pub fn parse_id(s: &str) -> Result<i64, ConsoleError> {
    s.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| ConsoleError::InvalidRequest("ids in the path are positive numbers".into()))
}

/// The credential `id` of organization `org`, or 404 (also when it belongs to another
/// organization, so ids of other organizations reveal nothing).
pub async fn load_credential(
    state: &AppState,
    org: &OrgId,
    id: i64,
) -> Result<Credential, ConsoleError> {
    state
        .store
        .get_credential(id)
        .await?
        .filter(|c| &c.org_id == org)
        .ok_or(ConsoleError::NotFound(
            "Credential Not Found: check the organization and credential ids",
        ))
}

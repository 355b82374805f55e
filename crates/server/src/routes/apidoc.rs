//! The OpenAPI document of the server, generated from the code, and the offline API reference.
//!
//! Every handler of the router carries a `#[utoipa::path]` annotation (method, path, parameters,
//! body, every status it can answer); [`ApiDoc`] collects them with the wire types of
//! `latchkey-proto` (built with its `openapi` feature). Routes that share one handler are listed
//! once in the annotations and copied here by [`Aliases`]: `/ims/token/v1`, `v2` and `v4` from
//! `v3`, `/ims/invalidate_token/v2` from `/ims/revoke`, and
//! `/.well-known/oauth-authorization-server` from `/.well-known/openid-configuration`.
//!
//! Served at `GET /openapi.json` ([`openapi_json`]) and browsable at `/docs/` with Swagger UI,
//! whose files are compiled into the binary (`utoipa-swagger-ui` with `vendored`): the page loads
//! nothing from the internet and works in air-gapped installations.

use std::sync::LazyLock;

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use latchkey_proto::aem::{
    AclBody, AemUserBody, ApiConfigBody, AssetMetadata, CreateAcl, FolderChild, FolderListing,
    FolderRef, GroupBody, NewFolder, UploadedAsset,
};
use latchkey_proto::console::{
    AuditEntryBody, AuditPage, ConsoleErrorBody, CreateCredential, CreateProduct, CreateProfile,
    CreateProject, CreatedCredential, CredentialBody, NewSecret, OrganizationBody, ProductBody,
    ProfileBody, ProjectBody, SecretInfo, SecretList, SecretUsageInfo, SetServices, TokensRevoked,
    UpdateCredential,
};
use latchkey_proto::ims::{OAuthError, TokenResponse, ValidateTokenResponse};
use latchkey_proto::oauth::{IntrospectionResponse, ServerMetadata};
use serde::Serialize;
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, Http, HttpAuthScheme, HttpBuilder, SecurityScheme,
};
use utoipa::openapi::{License, PathItem};
use utoipa::{IntoResponses, Modify, OpenApi, ToSchema};
use utoipa_swagger_ui::{Config, SwaggerUi};

use latchkey_proto::service_accounts::{
    AddCertificate, AddedCertificate, CertificateBody, CreateServiceAccount, CreatedServiceAccount,
    JwtExchangeResponse, MigrateServiceAccount, ServiceCredentials, ServiceIntegration,
    ServiceTechnicalAccount,
};

use super::{aem, console, discovery, health, introspection, jwt_exchange, revocation, token};

/// Where the document is served.
pub const OPENAPI_PATH: &str = "/openapi.json";

/// Where the API reference (Swagger UI) is served.
pub const DOCS_PATH: &str = "/docs";

/// The description of the document: how to authenticate and the stable error codes.
const DESCRIPTION: &str = "\
Latchkey is an OAuth 2.0 authorization server compatible with Adobe IMS (`client_credentials` \
grant at `/ims/token/v1..v4`, RFC 7662 introspection, RFC 7009 revocation, RFC 8414 discovery), \
with a console API under `/console/...` to manage projects, credentials, client secrets, \
products and the audit log, and the legacy Service Account (JWT) exchange at \
`/ims/exchange/jwt` with its certificates.

## Authentication

* IMS endpoints take the client credentials (`client_id`, `client_secret`) in the form body or \
as HTTP Basic (`client_basic`).
* Every `/console/...` call needs a Latchkey access token (`Authorization: Bearer`, scheme \
`bearer`) **and** `x-api-key` set to that token's client id (scheme `api_key`).

## Errors

Every response has an `x-debug-id` header; error responses have `Cache-Control: no-store`.

IMS and OAuth endpoints answer `OAuthError`: `{\"error\", \"error_description\"}` with the \
RFC 6749 codes `invalid_request`, `invalid_client`, `unauthorized_client`, `invalid_scope`, \
`unsupported_grant_type`, plus `too_many_requests` (429 with `Retry-After`) and \
`temporarily_unavailable` (503 with `Retry-After`). `/ims/exchange/jwt` answers Adobe's codes: \
400 `invalid_token`, `invalid_signature`, `invalid_scope`, `invalid_jti`, `bad_request`, \
`invalid_client` (unknown client, `aud` of another client or IMS) and 401 `invalid_client` \
(wrong secret, disabled, or not a service account).

Console endpoints answer `ConsoleErrorBody`: `{\"error_code\", \"message\"}` with these stable \
codes:

| Status | `error_code` | When |
|---|---|---|
| 400 | `invalid_request` | bad JSON, unknown fields, wrong types, malformed ids or filters |
| 401 | `invalid_token` | no bearer token, or invalid, expired or revoked (`WWW-Authenticate: Bearer`) |
| 403 | `missing_api_key` | `x-api-key` absent |
| 403 | `api_key_mismatch` | `x-api-key` is not the token's client id |
| 403 | `forbidden` | another organization, another credential, or not an admin |
| 403 | `insufficient_scope` | the token lacks `manage_client_secrets` / `read_client_secret` |
| 404 | `not_found` | no such credential, project, product, profile or secret in this organization |
| 409 | `secret_limit_reached` | the credential already holds the maximum number of secrets |
| 409 | `last_secret` | deleting the only secret of a credential |
| 409 | `conflict` | a taken value, or a credential disabling or deleting itself |
| 413 | `payload_too_large` | body over 64 KiB |
| 415 | `unsupported_media_type` | body not `application/json` |
| 500 | `internal` | a bug: report the `x-debug-id` |
| 503 | `unavailable` | the database does not answer; nothing was changed (`Retry-After`) |

An unknown path answers 404 `{\"error\": \"not_found\", \"error_description\"}`.
";

/// The OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    paths(
        token::token,
        introspection::introspect,
        introspection::validate_token,
        revocation::revoke,
        discovery::jwks,
        discovery::well_known,
        health::health,
        health::ready,
        health::metrics,
        openapi_json,
        console::organizations::list,
        console::organizations::get,
        console::secrets::list,
        console::secrets::add,
        console::secrets::delete,
        console::credentials::list_projects,
        console::credentials::create_project,
        console::credentials::create_credential,
        console::credentials::list_credentials,
        console::credentials::get_credential,
        console::credentials::update_credential,
        console::credentials::delete_credential,
        console::credentials::revoke_tokens,
        console::audit::list,
        console::keys::list,
        console::keys::rotate,
        console::products::list_products,
        console::products::create_product,
        console::products::get_product,
        console::products::delete_product,
        console::products::list_profiles,
        console::products::create_profile,
        console::products::get_profile,
        console::products::set_services,
        console::products::delete_profile,
        console::products::credential_profiles,
        console::products::assign,
        console::products::unassign,
        console::allowlist::deploy,
        console::allowlist::get,
        console::allowlist::delete,
        console::aem_security::users,
        console::aem_security::groups,
        console::aem_security::list_acls,
        console::aem_security::add_acl,
        console::aem_security::delete_acl,
        aem::folders::list,
        aem::folders::create,
        aem::folders::delete,
        aem::assets::upload,
        aem::assets::delete,
        aem::assets::get_metadata,
        aem::assets::patch_metadata,
        aem::assets::download,
        aem::authorize::authorize,
        jwt_exchange::exchange_jwt,
        console::service_accounts::create,
        console::service_accounts::list_certificates,
        console::service_accounts::add_certificate,
        console::service_accounts::revoke_certificate,
        console::service_accounts::delete_certificate,
        console::service_accounts::download,
        console::service_accounts::migrate,
    ),
    components(schemas(
        OAuthError,
        TokenResponse,
        ValidateTokenResponse,
        IntrospectionResponse,
        ServerMetadata,
        ConsoleErrorBody,
        OrganizationBody,
        SecretUsageInfo,
        SecretInfo,
        SecretList,
        NewSecret,
        TokensRevoked,
        AuditEntryBody,
        AuditPage,
        CredentialBody,
        CreateCredential,
        CreatedCredential,
        UpdateCredential,
        ProjectBody,
        CreateProject,
        ProductBody,
        CreateProduct,
        ProfileBody,
        CreateProfile,
        SetServices,
        TokenForm,
        TokenCheckForm,
        ValidateTokenForm,
        Jwks,
        Jwk,
        HealthBody,
        ReadyBody,
        AssetMetadata,
        FolderRef,
        FolderChild,
        FolderListing,
        NewFolder,
        UploadedAsset,
        ApiConfigBody,
        AemUserBody,
        GroupBody,
        AclBody,
        CreateAcl,
        AemProblem,
        aem::authorize::Authorized,
        GatewayError,
        JwtExchangeForm,
        JwtExchangeResponse,
        CreateServiceAccount,
        CreatedServiceAccount,
        AddCertificate,
        AddedCertificate,
        CertificateBody,
        ServiceCredentials,
        ServiceIntegration,
        ServiceTechnicalAccount,
        MigrateServiceAccount,
    )),
    modifiers(&Header, &Aliases),
    tags(
        (name = "ims", description = "IMS-compatible token, introspection, validation and revocation endpoints."),
        (name = "discovery", description = "RFC 8414 / OpenID discovery, the JWKS and this document."),
        (name = "operations", description = "Liveness, readiness and Prometheus metrics."),
        (name = "console-secrets", description = "Client secrets (wire-compatible with Adobe's I/O Management API)."),
        (name = "console-credentials", description = "Projects and credentials of an organization."),
        (name = "console-products", description = "Products (AEM environments), product profiles and their assignment to credentials."),
        (name = "console-audit", description = "The organization's audit log."),
        (name = "console-keys", description = "The installation's token-signing keys and their rotation (admins of the initial organization)."),
        (name = "console-aem", description = "AEM administration per environment: the api.yaml allowlist (config pipeline), technical-account users, groups and ACLs."),
        (name = "assets", description = "AEM Assets API behind the AEM authorization chain (also served without the /adobe prefix)."),
        (name = "folders", description = "AEM Folders API behind the AEM authorization chain (also served without the /adobe prefix)."),
        (name = "console-service-accounts", description = "Legacy Service Account (JWT) credentials: certificates, the AEM service credentials JSON, migration to OAuth Server-to-Server."),
    )
)]
pub struct ApiDoc;

/// Sets the title, version, description and license, and declares the security schemes.
struct Header;

impl Modify for Header {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let info = &mut openapi.info;
        info.title = "Latchkey".into();
        info.version = env!("CARGO_PKG_VERSION").into();
        info.description = Some(DESCRIPTION.into());
        info.license = Some(License::new("Apache-2.0"));
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "A Latchkey access token from /ims/token/v3 (`Authorization: Bearer`).",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "x-api-key",
                "The client id of the token's credential.",
            ))),
        );
        components.add_security_scheme(
            "client_basic",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Basic)),
        );
    }
}

/// Routes served by a handler that is annotated for another path: `(alias, original)`.
pub const ALIASES: &[(&str, &str)] = &[
    ("/ims/token/v1", "/ims/token/v3"),
    ("/ims/token/v2", "/ims/token/v3"),
    ("/ims/token/v4", "/ims/token/v3"),
    ("/ims/invalidate_token/v2", "/ims/revoke"),
    ("/ims/exchange/jwt/", "/ims/exchange/jwt"),
    (
        "/.well-known/oauth-authorization-server",
        "/.well-known/openid-configuration",
    ),
];

/// Copies the path item of each original to its aliases, with its own operation id.
struct Aliases;

impl Modify for Aliases {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (alias, original) in ALIASES {
            let Some(item) = openapi.paths.paths.get(*original).cloned() else {
                continue;
            };
            let suffix: String = alias
                .trim_start_matches(['/', '.'])
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect();
            let mut item: PathItem = item;
            for op in [&mut item.get, &mut item.post].into_iter().flatten() {
                op.operation_id = Some(suffix.clone());
                let note = format!("Same endpoint as `{original}`.");
                op.description = Some(match op.description.take() {
                    Some(d) => format!("{note}\n\n{d}"),
                    None => note,
                });
            }
            openapi.paths.paths.insert((*alias).to_owned(), item);
        }
    }
}

/// The error answers every console operation can give (each handler adds its own 409s).
#[derive(IntoResponses)]
pub enum ConsoleErrors {
    /// `invalid_request`: malformed id, JSON body or query
    #[response(status = 400)]
    BadRequest(ConsoleErrorBody),
    /// `invalid_token`: no bearer token, or invalid, expired or revoked (`WWW-Authenticate: Bearer`)
    #[response(status = 401)]
    Unauthorized(ConsoleErrorBody),
    /// `missing_api_key`, `api_key_mismatch`, `forbidden` (another organization or credential, not an admin) or `insufficient_scope`
    #[response(status = 403)]
    Forbidden(ConsoleErrorBody),
    /// `not_found`
    #[response(status = 404)]
    NotFound(ConsoleErrorBody),
    /// `internal`: a bug; report the `x-debug-id`
    #[response(status = 500)]
    Internal(ConsoleErrorBody),
    /// `unavailable`: the database does not answer; nothing was changed (`Retry-After`)
    #[response(status = 503)]
    Unavailable(ConsoleErrorBody),
}

/// RFC 7807 problem details of the Assets and Folders APIs; denials add `stage`, `reason` and
/// `fix`.
#[derive(Debug, Serialize, ToSchema)]
pub struct AemProblem {
    /// `urn:latchkey:problem:<reason>`: stable per kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    /// The HTTP reason phrase.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong (for allowlist denials it starts with Adobe's message).
    pub detail: String,
    /// Denials: `environment`, `allowlist`, `technical_account` or `permission`.
    pub stage: Option<String>,
    /// Denials: the stable reason code.
    pub reason: Option<String>,
    /// Denials: what to do.
    pub fix: Option<String>,
}

/// Adobe's gateway error body, with Latchkey's explanation added.
#[derive(Debug, Serialize, ToSchema)]
pub struct GatewayError {
    /// `403000`, `403010`, `401013` or `403003`.
    pub error_code: String,
    /// Adobe's message, e.g. `Api Key is invalid`.
    pub message: String,
    /// `gateway`.
    pub stage: String,
    /// The stable reason code (`api_key_missing`, `token_missing`, `token_invalid`, `token_expired`, `token_revoked`, `credential_revoked`, `api_key_invalid`).
    pub reason: String,
    /// What is wrong, precisely.
    pub explanation: String,
    /// What to do.
    pub fix: String,
}

/// The answers every Assets and Folders API operation can give besides its own. Every
/// denial also carries `x-latchkey-denial-stage` and `x-latchkey-denial-reason` headers.
#[derive(IntoResponses)]
pub enum AemErrors {
    /// Bad path, id, query or body (`application/problem+json`)
    #[response(status = 400)]
    BadRequest(AemProblem),
    /// Gateway `401013 Oauth token is not valid` (`WWW-Authenticate: Bearer`)
    #[response(status = 401)]
    Unauthorized(GatewayError),
    /// Gateway `403000`/`403010`/`403003` (Adobe's body), or a problem document from the allowlist (`IMS Client ID not allowlisted...`), technical-account or permission stage
    #[response(status = 403)]
    Forbidden(AemProblem),
    /// No such asset, folder or environment
    #[response(status = 404)]
    NotFound(AemProblem),
    /// Storage unavailable; retry
    #[response(status = 503)]
    Unavailable(AemProblem),
}

/// The extra answers of console operations that take a JSON body.
#[derive(IntoResponses)]
pub enum JsonBodyErrors {
    /// `payload_too_large`: body over 64 KiB
    #[response(status = 413)]
    TooLarge(ConsoleErrorBody),
    /// `unsupported_media_type`: send `application/json`
    #[response(status = 415)]
    MediaType(ConsoleErrorBody),
}

/// The error answers every IMS POST endpoint can give (401 and 429 are added where they apply).
#[derive(IntoResponses)]
pub enum ImsErrors {
    /// `invalid_request` (missing or repeated parameter, two authentication methods, `client_secret` in the URL, `org_id` of another organization), `invalid_client` (unknown client id, wrong secret, disabled credential), `unauthorized_client`, `invalid_scope`, `unsupported_grant_type`
    #[response(status = 400)]
    BadRequest(OAuthError),
    /// `invalid_request`: only POST (`Allow: POST`)
    #[response(status = 405)]
    Method(OAuthError),
    /// `invalid_request`: the body was not sent in time
    #[response(status = 408)]
    Timeout(OAuthError),
    /// `invalid_request`: the body is too large
    #[response(status = 413)]
    TooLarge(OAuthError),
    /// `invalid_request`: use `application/x-www-form-urlencoded` or `multipart/form-data`
    #[response(status = 415)]
    MediaType(OAuthError),
    /// `server_error`: a bug; report the `x-debug-id`
    #[response(status = 500)]
    Internal(OAuthError),
    /// `temporarily_unavailable`: the database does not answer (`Retry-After`)
    #[response(status = 503)]
    Unavailable(OAuthError),
}

/// Parameters of `POST /ims/token/v1..v4`, in the query or the body (urlencoded or multipart).
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenForm {
    /// Must be `client_credentials`.
    #[schema(example = "client_credentials")]
    pub grant_type: String,
    /// The client id (or send HTTP Basic).
    pub client_id: Option<String>,
    /// The client secret (or send HTTP Basic); never in the URL.
    pub client_secret: Option<String>,
    /// Requested scopes, separated by commas and/or spaces (`scopes` is accepted too).
    #[schema(example = "openid,AdobeID")]
    pub scope: Option<String>,
    /// Optional organization; must be the credential's.
    pub org_id: Option<String>,
}

/// Parameters of `POST /ims/exchange/jwt` (legacy service accounts), in the body.
#[derive(Debug, Serialize, ToSchema)]
pub struct JwtExchangeForm {
    /// The service account's client id.
    pub client_id: String,
    /// One of its client secrets.
    pub client_secret: String,
    /// The RS256-signed JWT (compact form).
    pub jwt_token: String,
}

/// Parameters of introspection, revocation and `invalidate_token`: the caller's client
/// credentials (or HTTP Basic) and the token.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenCheckForm {
    /// The access token.
    pub token: String,
    /// The caller's client id (or send HTTP Basic).
    pub client_id: Option<String>,
    /// The caller's client secret (or send HTTP Basic).
    pub client_secret: Option<String>,
    /// Accepted and ignored (`access_token`).
    pub token_type_hint: Option<String>,
}

/// Parameters of IMS `POST /ims/validate_token/v1`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ValidateTokenForm {
    /// The token, unless sent as `Authorization: Bearer`.
    pub token: Option<String>,
    /// `access_token` (other types are answered `valid: false`).
    #[schema(example = "access_token")]
    pub r#type: Option<String>,
    /// The client the token must have been issued to.
    pub client_id: String,
}

/// The JSON Web Key Set at `/ims/keys` (public keys only).
#[derive(Debug, Serialize, ToSchema)]
pub struct Jwks {
    /// The signing keys, current and recently retired.
    pub keys: Vec<Jwk>,
}

/// One public RSA key.
#[derive(Debug, Serialize, ToSchema)]
pub struct Jwk {
    /// `RSA`.
    pub kty: String,
    /// Key id, as in the `kid` header of tokens.
    pub kid: String,
    /// `sig`.
    #[serde(rename = "use")]
    pub use_: String,
    /// `RS256`.
    pub alg: String,
    /// Modulus, base64url.
    pub n: String,
    /// Exponent, base64url.
    pub e: String,
}

/// `GET /health`.
#[derive(Debug, Serialize, ToSchema)]
pub struct HealthBody {
    /// `ok`.
    #[schema(example = "ok")]
    pub status: String,
}

/// `GET /ready`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReadyBody {
    /// `ready` or `unavailable`.
    #[schema(example = "ready")]
    pub status: String,
    /// The database backend (`sqlite`, `postgres`) when ready.
    pub database: Option<String>,
    /// Why not ready.
    pub reason: Option<String>,
}

static DOCUMENT: LazyLock<Option<String>> = LazyLock::new(|| ApiDoc::openapi().to_json().ok());

/// `GET /openapi.json`: this document.
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "discovery",
    responses(
        (status = 200, description = "The OpenAPI document of this server.", content_type = "application/json"),
        (status = 500, description = "The document could not be serialized (a bug)."),
    )
)]
pub async fn openapi_json() -> Response {
    match DOCUMENT.as_deref() {
        Some(doc) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            doc.to_owned(),
        )
            .into_response(),
        None => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// `GET /openapi.json` and the Swagger UI under `/docs/` (vendored: no CDN).
pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    let ui = SwaggerUi::new(DOCS_PATH).config(
        Config::from(OPENAPI_PATH)
            // Swagger UI would otherwise ask validator.swagger.io for a badge.
            .validator_url("none")
            .try_it_out_enabled(true),
    );
    Router::new()
        .route(OPENAPI_PATH, axum::routing::get(openapi_json))
        .merge(ui)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    //! The document against the router's source: axum cannot list the routes of a `Router`, so
    //! this reads `routes/mod.rs`, `routes/console/mod.rs` and `routes/aem/mod.rs` (the tables of routes) and
    //! checks that the set of `(method, path)` they register equals the set of operations in the
    //! document, both ways. The e2e test `openapi` then calls every documented operation on a
    //! running server to show the router really serves it.

    use std::collections::BTreeSet;

    use super::*;

    /// `(METHOD, path)` registered by `.route(...)` calls in the body of `fn_name` in `src`.
    fn registered(src: &str, fn_name: &str, base: &str) -> BTreeSet<(String, String)> {
        let start = src.find(fn_name).expect("router function");
        let body = &src[start..];
        let end = body.find("\n}\n").expect("end of the router function");
        let body = &body[..end];
        let mut out = BTreeSet::new();
        for chunk in body.split(".route(").skip(1) {
            let chunk = chunk.split(".merge(").next().unwrap_or(chunk);
            let chunk = chunk.split(".fallback(not_found)").next().unwrap_or(chunk);
            let open = chunk.find('"').expect("path literal");
            let close = open + 1 + chunk[open + 1..].find('"').expect("end of literal");
            let path = chunk[open + 1..close]
                .replace("{base}", base)
                .replace("{{", "{")
                .replace("}}", "}");
            let calls = &chunk[close..];
            let mut methods = Vec::new();
            for (needle, method) in [
                ("ims(", "POST"),
                ("get(", "GET"),
                ("post(", "POST"),
                ("put(", "PUT"),
                ("patch(", "PATCH"),
                ("delete(", "DELETE"),
            ] {
                let mut from = 0;
                while let Some(i) = calls[from..].find(needle) {
                    let at = from + i;
                    let before = calls[..at].chars().next_back().unwrap_or(' ');
                    if !(before.is_alphanumeric() || before == '_' || before == ':') {
                        methods.push(method);
                    }
                    from = at + needle.len();
                }
            }
            assert!(!methods.is_empty(), "no method found for {path}");
            for m in methods {
                out.insert((m.to_owned(), path.clone()));
            }
        }
        out
    }

    fn documented() -> BTreeSet<(String, String)> {
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
        let mut out = BTreeSet::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, _) in item.as_object().unwrap() {
                if [
                    "get", "put", "post", "delete", "patch", "head", "options", "trace",
                ]
                .contains(&method.as_str())
                {
                    out.insert((method.to_uppercase(), path.clone()));
                }
            }
        }
        out
    }

    #[test]
    fn every_registered_route_is_documented_and_nothing_else() {
        let mut routes = registered(include_str!("mod.rs"), "pub fn router(", "");
        let console = registered(
            include_str!("console/mod.rs"),
            "pub fn routes(",
            "/console/organizations/{org}",
        );
        assert!(console.len() >= 24, "{console:?}");
        routes.extend(console);
        // The Assets and Folders APIs, documented under /adobe (also served at the root).
        let aem = registered(include_str!("aem/mod.rs"), "fn api(", "");
        assert!(aem.len() >= 8, "{aem:?}");
        routes.extend(aem.into_iter().map(|(m, p)| (m, format!("/adobe{p}"))));
        // Served by apidoc itself.
        routes.insert(("GET".into(), OPENAPI_PATH.into()));
        assert!(routes.len() >= 39, "{routes:?}");
        let documented = documented();
        let missing: Vec<_> = routes.difference(&documented).collect();
        let extra: Vec<_> = documented.difference(&routes).collect();
        assert!(
            missing.is_empty(),
            "routes without documentation: {missing:?}"
        );
        assert!(extra.is_empty(), "documented but not routed: {extra:?}");
    }

    #[test]
    fn operation_ids_are_unique_and_every_operation_is_tagged() {
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
        let mut ids = BTreeSet::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                let id = op["operationId"].as_str().expect("operationId");
                assert!(
                    ids.insert(id.to_owned()),
                    "duplicate {id} at {method} {path}"
                );
                assert!(op["tags"].as_array().is_some_and(|t| !t.is_empty()));
            }
        }
    }
}

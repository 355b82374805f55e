//! The config pipeline: deploying an environment's `api.yaml` (the client-ID allowlist,
//! reference/adobe-protocol.md §7.1) through the console. A deploy is validated first (errors
//! name the line) and applies at once on this node and within the cache lifetime on others.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use latchkey_core::aem::allowlist::{MAX_API_YAML, parse_api_yaml};
use latchkey_core::aem::store::StoredApiConfig;
use latchkey_core::audit::AuditAction;
use latchkey_proto::aem::ApiConfigBody;
use serde_json::json;

use super::auth::Principal;
use super::error::ConsoleError;
use super::parse_org;
use super::products::load_product;
use crate::headers::media_type;
use crate::state::AppState;

fn body(stored: &StoredApiConfig) -> Result<ApiConfigBody, ConsoleError> {
    let parsed = parse_api_yaml(&stored.source).map_err(|e| {
        tracing::error!(error = %e, "stored api.yaml does not parse");
        ConsoleError::Internal
    })?;
    Ok(ApiConfigBody {
        product_id: stored.product_id,
        source: stored.source.clone(),
        deployed_at: stored.deployed_at.0.to_string(),
        deployed_by: stored.deployed_by.clone(),
        env_types: parsed
            .env_types
            .iter()
            .map(|e| e.as_str().to_owned())
            .collect(),
        author: parsed.author,
        publish: parsed.publish,
        preview: parsed.preview,
    })
}

/// `PUT /products/{product}/api-config` with the `api.yaml` text as the body.
#[utoipa::path(
    put,
    path = "/console/organizations/{org}/products/{product}/api-config",
    tag = "console-aem",
    operation_id = "deploy_api_config",
    summary = "Deploy an environment's api.yaml (client-ID allowlist)",
    description = "The body is the YAML file itself (`application/yaml`, `text/yaml`, `application/x-yaml` or `text/plain`), in Adobe's format: `kind: \"API\"`, `version`, optional `metadata.envTypes`, `data.allowedClientIDs.{author,publish,preview}`. It replaces the deployed file and applies at once. Validation errors name the line. Org admins only.",
    params(("org" = String, Path), ("product" = i64, Path)),
    request_body(content = String, content_type = "application/yaml"),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 200, description = "Deployed", body = ApiConfigBody),
        crate::routes::apidoc::ConsoleErrors,
        crate::routes::apidoc::JsonBodyErrors,
    )
)]
pub async fn deploy(
    State(state): State<AppState>,
    p: Principal,
    Path((org, product)): Path<(String, String)>,
    headers: HeaderMap,
    yaml: Bytes,
) -> Result<Response, ConsoleError> {
    let admin = p.require_admin(&parse_org(&org)?)?;
    let product = load_product(&state, &admin.org_id, &product).await?;
    let media = media_type(&headers);
    if !matches!(
        media.as_str(),
        "application/yaml" | "text/yaml" | "application/x-yaml" | "text/x-yaml" | "text/plain"
    ) {
        return Err(ConsoleError::UnsupportedMediaType);
    }
    if yaml.len() > MAX_API_YAML {
        return Err(ConsoleError::PayloadTooLarge(MAX_API_YAML as u64));
    }
    let source = String::from_utf8(yaml.to_vec())
        .map_err(|_| ConsoleError::InvalidRequest("api.yaml must be UTF-8 text".into()))?;
    let parsed =
        parse_api_yaml(&source).map_err(|e| ConsoleError::InvalidRequest(e.to_string()))?;
    let stored = StoredApiConfig {
        product_id: product.id,
        source,
        deployed_at: p.now,
        deployed_by: p.credential.client_id.to_string(),
    };
    let audit = p.actor().entry(
        p.now,
        Some(&admin.org_id),
        AuditAction::ApiConfigDeployed,
        format!("product:{}", product.id),
        json!({
            "author": parsed.author.len(),
            "publish": parsed.publish.len(),
            "preview": parsed.preview.len(),
        }),
    );
    state.store.deploy_api_config(&stored, &audit).await?;
    Ok(Json(body(&stored)?).into_response())
}

/// `GET /products/{product}/api-config`.
#[utoipa::path(
    get,
    path = "/console/organizations/{org}/products/{product}/api-config",
    tag = "console-aem",
    operation_id = "get_api_config",
    summary = "Show the deployed api.yaml",
    params(("org" = String, Path), ("product" = i64, Path)),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 200, description = "The deployed file, parsed", body = ApiConfigBody),
        crate::routes::apidoc::ConsoleErrors,
    )
)]
pub async fn get(
    State(state): State<AppState>,
    p: Principal,
    Path((org, product)): Path<(String, String)>,
) -> Result<Json<ApiConfigBody>, ConsoleError> {
    let admin = p.require_admin(&parse_org(&org)?)?;
    let product = load_product(&state, &admin.org_id, &product).await?;
    let stored = state
        .store
        .get_api_config(product.id)
        .await?
        .ok_or(ConsoleError::NotFound(
            "no api.yaml is deployed to this environment",
        ))?;
    Ok(Json(body(&stored)?))
}

/// `DELETE /products/{product}/api-config`.
#[utoipa::path(
    delete,
    path = "/console/organizations/{org}/products/{product}/api-config",
    tag = "console-aem",
    operation_id = "delete_api_config",
    summary = "Remove the deployed api.yaml (every client is refused afterwards)",
    params(("org" = String, Path), ("product" = i64, Path)),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 204, description = "Removed"),
        crate::routes::apidoc::ConsoleErrors,
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    p: Principal,
    Path((org, product)): Path<(String, String)>,
) -> Result<Response, ConsoleError> {
    let admin = p.require_admin(&parse_org(&org)?)?;
    let product = load_product(&state, &admin.org_id, &product).await?;
    let audit = p.actor().entry(
        p.now,
        Some(&admin.org_id),
        AuditAction::ApiConfigDeleted,
        format!("product:{}", product.id),
        serde_json::Value::Null,
    );
    state
        .store
        .delete_api_config(product.id, &audit)
        .await
        .map_err(|e| match e {
            latchkey_core::store::StoreError::NotFound => {
                ConsoleError::NotFound("no api.yaml is deployed to this environment")
            }
            other => other.into(),
        })?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

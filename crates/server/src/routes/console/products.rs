//! Products (AEM environments), product profiles with their services, and the assignment of
//! credentials to profiles (SPEC §2, reference/adobe-protocol.md §7.3). Admins only, except that
//! a credential may list its own profiles.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use latchkey_core::audit::AuditAction;
use latchkey_core::ids::OrgId;
use latchkey_core::products::{
    EnvType, NewProduct, NewProfile, Product, ProductProfile, SERVICES, Tier, default_profile_name,
    is_service,
};
use latchkey_proto::console::{
    ConsoleErrorBody, CreateProduct, CreateProfile, ProductBody, ProfileBody, SetServices,
};
use serde_json::json;

use super::auth::Principal;
use super::body::JsonBody;
use super::error::ConsoleError;
use super::{load_credential, parse_id, parse_org};
use crate::state::AppState;

fn product_body(p: &Product) -> ProductBody {
    ProductBody {
        id: p.id,
        org_id: p.org_id.to_string(),
        name: p.name.clone(),
        program_id: p.program_id,
        environment_id: p.environment_id,
        tiers: p.tiers.iter().map(|t| t.as_str().to_owned()).collect(),
        buckets: p.tiers.iter().map(|t| p.bucket(*t)).collect(),
        env_type: p.env_type.as_str().to_owned(),
        created_at: p.created_at.0.to_string(),
    }
}

/// The console form of a profile.
pub fn profile_body(p: &ProductProfile) -> ProfileBody {
    ProfileBody {
        id: p.id,
        product_id: p.product_id,
        org_id: p.org_id.to_string(),
        name: p.name.clone(),
        tier: p.tier.as_str().to_owned(),
        services: p.services.clone(),
        created_at: p.created_at.0.to_string(),
    }
}

/// Parses a tier name, or a 400 naming the valid ones.
pub fn parse_tier(s: &str) -> Result<Tier, ConsoleError> {
    Tier::parse(s).ok_or_else(|| {
        ConsoleError::InvalidRequest(format!(
            "unknown tier {s:?}: use author, publish or preview"
        ))
    })
}

fn check_services(services: &[String]) -> Result<Vec<String>, ConsoleError> {
    if services.is_empty() {
        return Err(ConsoleError::InvalidRequest(
            "services must list at least one service".into(),
        ));
    }
    if let Some(bad) = services.iter().find(|s| !is_service(s)) {
        return Err(ConsoleError::InvalidRequest(format!(
            "unknown service {bad:?}: use one of {}",
            SERVICES.join(", ")
        )));
    }
    let mut out = services.to_vec();
    out.sort();
    out.dedup();
    Ok(out)
}

/// The product `id` of `org`, or 404.
pub async fn load_product(
    state: &AppState,
    org: &OrgId,
    id: &str,
) -> Result<Product, ConsoleError> {
    state
        .store
        .get_product(parse_id(id)?)
        .await?
        .filter(|p| &p.org_id == org)
        .ok_or(ConsoleError::NotFound(
            "no such product in this organization",
        ))
}

async fn load_profile(
    state: &AppState,
    product: &Product,
    id: &str,
) -> Result<ProductProfile, ConsoleError> {
    state
        .store
        .get_profile(parse_id(id)?)
        .await?
        .filter(|p| p.product_id == product.id)
        .ok_or(ConsoleError::NotFound("no such profile on this product"))
}

/// `GET /products`.
#[utoipa::path(
    get,
    path = "/console/organizations/{org}/products",
    tag = "console-products",
    summary = "List products",
    params(("org" = String, Path, description = "Organization id (`<24 hex>@AdobeOrg`).")),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 200, description = "The products (AEM environments).", body = Vec<ProductBody>),
        crate::routes::apidoc::ConsoleErrors,
    )
)]
pub async fn list_products(
    State(state): State<AppState>,
    p: Principal,
    Path(org): Path<String>,
) -> Result<Json<Vec<ProductBody>>, ConsoleError> {
    let admin = p.require_admin(&parse_org(&org)?)?;
    Ok(Json(
        state
            .store
            .list_products(&admin.org_id)
            .await?
            .iter()
            .map(product_body)
            .collect(),
    ))
}

/// `POST /products`.
#[utoipa::path(
    post,
    path = "/console/organizations/{org}/products",
    tag = "console-products",
    summary = "Create a product",
    params(("org" = String, Path, description = "Organization id (`<24 hex>@AdobeOrg`).")),
    request_body(content = CreateProduct, content_type = "application/json"),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 201, description = "The product, with its bucket host prefixes.", body = ProductBody),
        (status = 409, description = "`conflict`: this program and environment already have a product", body = ConsoleErrorBody),
        crate::routes::apidoc::ConsoleErrors,
        crate::routes::apidoc::JsonBodyErrors,
    )
)]
pub async fn create_product(
    State(state): State<AppState>,
    p: Principal,
    Path(org): Path<String>,
    JsonBody(req): JsonBody<CreateProduct>,
) -> Result<Response, ConsoleError> {
    let admin = p.require_admin(&parse_org(&org)?)?;
    if req.program_id <= 0 || req.environment_id <= 0 {
        return Err(ConsoleError::InvalidRequest(
            "program_id and environment_id must be positive".into(),
        ));
    }
    let mut tiers = match &req.tiers {
        None => vec![Tier::Author, Tier::Publish, Tier::Preview],
        Some(list) => list
            .iter()
            .map(|t| parse_tier(t))
            .collect::<Result<Vec<_>, _>>()?,
    };
    tiers.sort();
    tiers.dedup();
    if tiers.is_empty() {
        return Err(ConsoleError::InvalidRequest(
            "tiers must list at least one tier".into(),
        ));
    }
    let env_type = match req.env_type.as_deref() {
        None => EnvType::Dev,
        Some(t) => EnvType::parse(t).ok_or_else(|| {
            ConsoleError::InvalidRequest(format!(
                "env_type {t:?} is not an environment type: use dev, stage, prod or rde"
            ))
        })?,
    };
    let name = req.name.trim();
    if name.is_empty() || name.len() > 200 {
        return Err(ConsoleError::InvalidRequest(
            "name must be 1 to 200 characters".into(),
        ));
    }
    let new = NewProduct {
        org_id: admin.org_id.clone(),
        name: name.to_owned(),
        program_id: req.program_id,
        environment_id: req.environment_id,
        tiers,
        env_type,
    };
    let audit = p.actor().entry(
        p.now,
        Some(&admin.org_id),
        AuditAction::ProductCreated,
        format!("product:p{}-e{}", new.program_id, new.environment_id),
        json!({ "name": new.name }),
    );
    let product = state.store.create_product(&new, p.now, &audit).await?;
    Ok((StatusCode::CREATED, Json(product_body(&product))).into_response())
}

/// `GET /products/{id}`.
#[utoipa::path(
    get,
    path = "/console/organizations/{org}/products/{product}",
    tag = "console-products",
    summary = "Show a product",
    params(("org" = String, Path, description = "Organization id (`<24 hex>@AdobeOrg`)."), ("product" = i64, Path, description = "Numeric product id.")),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 200, description = "The product.", body = ProductBody),
        crate::routes::apidoc::ConsoleErrors,
    )
)]
pub async fn get_product(
    State(state): State<AppState>,
    p: Principal,
    Path((org, id)): Path<(String, String)>,
) -> Result<Json<ProductBody>, ConsoleError> {
    let admin = p.require_admin(&parse_org(&org)?)?;
    Ok(Json(product_body(
        &load_product(&state, &admin.org_id, &id).await?,
    )))
}

/// `DELETE /products/{id}`: with its profiles and their assignments.
#[utoipa::path(
    delete,
    path = "/console/organizations/{org}/products/{product}",
    tag = "console-products",
    summary = "Delete a product with its profiles and their assignments",
    params(("org" = String, Path, description = "Organization id (`<24 hex>@AdobeOrg`)."), ("product" = i64, Path, description = "Numeric product id.")),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 204, description = "Deleted."),
        crate::routes::apidoc::ConsoleErrors,
    )
)]
pub async fn delete_product(
    State(state): State<AppState>,
    p: Principal,
    Path((org, id)): Path<(String, String)>,
) -> Result<StatusCode, ConsoleError> {
    let admin = p.require_admin(&parse_org(&org)?)?;
    let product = load_product(&state, &admin.org_id, &id).await?;
    let audit = p.actor().entry(
        p.now,
        Some(&admin.org_id),
        AuditAction::ProductDeleted,
        format!(
            "product:p{}-e{}",
            product.program_id, product.environment_id
        ),
        json!({ "id": product.id }),
    );
    state.store.delete_product(product.id, &audit).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /products/{id}/profiles`.
#[utoipa::path(
    get,
    path = "/console/organizations/{org}/products/{product}/profiles",
    tag = "console-products",
    summary = "List a product's profiles",
    params(("org" = String, Path, description = "Organization id (`<24 hex>@AdobeOrg`)."), ("product" = i64, Path, description = "Numeric product id.")),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 200, description = "The profiles.", body = Vec<ProfileBody>),
        crate::routes::apidoc::ConsoleErrors,
    )
)]
pub async fn list_profiles(
    State(state): State<AppState>,
    p: Principal,
    Path((org, id)): Path<(String, String)>,
) -> Result<Json<Vec<ProfileBody>>, ConsoleError> {
    let admin = p.require_admin(&parse_org(&org)?)?;
    let product = load_product(&state, &admin.org_id, &id).await?;
    Ok(Json(
        state
            .store
            .list_profiles(product.id)
            .await?
            .iter()
            .map(profile_body)
            .collect(),
    ))
}

/// `POST /products/{id}/profiles`.
#[utoipa::path(
    post,
    path = "/console/organizations/{org}/products/{product}/profiles",
    tag = "console-products",
    summary = "Create a product profile",
    params(("org" = String, Path, description = "Organization id (`<24 hex>@AdobeOrg`)."), ("product" = i64, Path, description = "Numeric product id.")),
    request_body(content = CreateProfile, content_type = "application/json"),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 201, description = "The profile.", body = ProfileBody),
        (status = 409, description = "`conflict`: the name is taken", body = ConsoleErrorBody),
        crate::routes::apidoc::ConsoleErrors,
        crate::routes::apidoc::JsonBodyErrors,
    )
)]
pub async fn create_profile(
    State(state): State<AppState>,
    p: Principal,
    Path((org, id)): Path<(String, String)>,
    JsonBody(req): JsonBody<CreateProfile>,
) -> Result<Response, ConsoleError> {
    let admin = p.require_admin(&parse_org(&org)?)?;
    let product = load_product(&state, &admin.org_id, &id).await?;
    let tier = parse_tier(&req.tier)?;
    if !product.tiers.contains(&tier) {
        return Err(ConsoleError::InvalidRequest(format!(
            "the product has no {} tier: use one of its tiers",
            tier.as_str()
        )));
    }
    let services = check_services(&req.services)?;
    let name = match req.name.as_deref().map(str::trim) {
        Some(n) if !n.is_empty() && n.len() <= 200 => n.to_owned(),
        Some(_) => {
            return Err(ConsoleError::InvalidRequest(
                "name must be 1 to 200 characters".into(),
            ));
        }
        None => default_profile_name(&req.services[0], tier, &product),
    };
    let new = NewProfile {
        product_id: product.id,
        name,
        tier,
        services,
    };
    let audit = p.actor().entry(
        p.now,
        Some(&admin.org_id),
        AuditAction::ProfileCreated,
        format!("product:{}", product.id),
        json!({ "name": new.name, "tier": tier.as_str(), "services": new.services }),
    );
    let profile = state.store.create_profile(&new, p.now, &audit).await?;
    Ok((StatusCode::CREATED, Json(profile_body(&profile))).into_response())
}

/// `GET /products/{id}/profiles/{profile}`.
#[utoipa::path(
    get,
    path = "/console/organizations/{org}/products/{product}/profiles/{profile}",
    tag = "console-products",
    summary = "Show a product profile",
    params(("org" = String, Path, description = "Organization id (`<24 hex>@AdobeOrg`)."), ("product" = i64, Path, description = "Numeric product id."), ("profile" = i64, Path, description = "Numeric product profile id.")),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 200, description = "The profile.", body = ProfileBody),
        crate::routes::apidoc::ConsoleErrors,
    )
)]
pub async fn get_profile(
    State(state): State<AppState>,
    p: Principal,
    Path((org, id, profile)): Path<(String, String, String)>,
) -> Result<Json<ProfileBody>, ConsoleError> {
    let admin = p.require_admin(&parse_org(&org)?)?;
    let product = load_product(&state, &admin.org_id, &id).await?;
    Ok(Json(profile_body(
        &load_profile(&state, &product, &profile).await?,
    )))
}

/// `PUT /products/{id}/profiles/{profile}/services`: takes effect on the next request of every
/// assigned credential (groups are resolved per request).
#[utoipa::path(
    put,
    path = "/console/organizations/{org}/products/{product}/profiles/{profile}/services",
    tag = "console-products",
    summary = "Replace the services a profile enables",
    params(("org" = String, Path, description = "Organization id (`<24 hex>@AdobeOrg`)."), ("product" = i64, Path, description = "Numeric product id."), ("profile" = i64, Path, description = "Numeric product profile id.")),
    request_body(content = SetServices, content_type = "application/json"),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 200, description = "The profile as updated; applies to the next request of every assigned credential.", body = ProfileBody),
        crate::routes::apidoc::ConsoleErrors,
        crate::routes::apidoc::JsonBodyErrors,
    )
)]
pub async fn set_services(
    State(state): State<AppState>,
    p: Principal,
    Path((org, id, profile)): Path<(String, String, String)>,
    JsonBody(req): JsonBody<SetServices>,
) -> Result<Json<ProfileBody>, ConsoleError> {
    let admin = p.require_admin(&parse_org(&org)?)?;
    let product = load_product(&state, &admin.org_id, &id).await?;
    let profile = load_profile(&state, &product, &profile).await?;
    let services = check_services(&req.services)?;
    let audit = p.actor().entry(
        p.now,
        Some(&admin.org_id),
        AuditAction::ProfileServicesChanged,
        format!("profile:{}", profile.id),
        json!({ "services": services }),
    );
    state
        .store
        .set_profile_services(profile.id, &services, &audit)
        .await?;
    Ok(Json(profile_body(
        &load_profile(&state, &product, &profile.id.to_string()).await?,
    )))
}

/// `DELETE /products/{id}/profiles/{profile}`.
#[utoipa::path(
    delete,
    path = "/console/organizations/{org}/products/{product}/profiles/{profile}",
    tag = "console-products",
    summary = "Delete a product profile",
    params(("org" = String, Path, description = "Organization id (`<24 hex>@AdobeOrg`)."), ("product" = i64, Path, description = "Numeric product id."), ("profile" = i64, Path, description = "Numeric product profile id.")),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 204, description = "Deleted."),
        crate::routes::apidoc::ConsoleErrors,
    )
)]
pub async fn delete_profile(
    State(state): State<AppState>,
    p: Principal,
    Path((org, id, profile)): Path<(String, String, String)>,
) -> Result<StatusCode, ConsoleError> {
    let admin = p.require_admin(&parse_org(&org)?)?;
    let product = load_product(&state, &admin.org_id, &id).await?;
    let profile = load_profile(&state, &product, &profile).await?;
    let audit = p.actor().entry(
        p.now,
        Some(&admin.org_id),
        AuditAction::ProfileDeleted,
        format!("profile:{}", profile.id),
        json!({ "name": profile.name }),
    );
    state.store.delete_profile(profile.id, &audit).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /credentials/{id}/profiles`: admins, or the credential itself.
#[utoipa::path(
    get,
    path = "/console/organizations/{org}/credentials/{cred}/profiles",
    tag = "console-products",
    summary = "The profiles a credential is assigned to (admins, or the credential itself)",
    params(("org" = String, Path, description = "Organization id (`<24 hex>@AdobeOrg`)."), ("cred" = i64, Path, description = "Numeric credential id.")),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 200, description = "The profiles.", body = Vec<ProfileBody>),
        crate::routes::apidoc::ConsoleErrors,
    )
)]
pub async fn credential_profiles(
    State(state): State<AppState>,
    p: Principal,
    Path((org, id)): Path<(String, String)>,
) -> Result<Json<Vec<ProfileBody>>, ConsoleError> {
    let org = parse_org(&org)?;
    let id = parse_id(&id)?;
    if p.admin_of(&org).is_none() && !(p.credential.id == id && p.credential.org_id == org) {
        p.require_admin(&org)?;
    }
    let cred = load_credential(&state, &org, id).await?;
    Ok(Json(
        state
            .store
            .credential_profiles(cred.id)
            .await?
            .iter()
            .map(profile_body)
            .collect(),
    ))
}

async fn assignment(
    state: &AppState,
    p: &Principal,
    org: &str,
    id: &str,
    profile: &str,
    assign: bool,
) -> Result<StatusCode, ConsoleError> {
    let admin = p.require_admin(&parse_org(org)?)?;
    let cred = load_credential(state, &admin.org_id, parse_id(id)?).await?;
    let profile = state
        .store
        .get_profile(parse_id(profile)?)
        .await?
        .filter(|pr| pr.org_id == admin.org_id)
        .ok_or(ConsoleError::NotFound(
            "no such profile in this organization",
        ))?;
    let action = if assign {
        AuditAction::ProfileAssigned
    } else {
        AuditAction::ProfileUnassigned
    };
    let audit = p.actor().entry(
        p.now,
        Some(&admin.org_id),
        action,
        format!("client:{}", cred.client_id),
        json!({ "profile_id": profile.id, "profile": profile.name }),
    );
    if assign {
        state
            .store
            .assign_profile(cred.id, profile.id, &audit)
            .await?;
    } else {
        state
            .store
            .unassign_profile(cred.id, profile.id, &audit)
            .await
            .map_err(|e| match e {
                latchkey_core::store::StoreError::NotFound => {
                    ConsoleError::NotFound("the credential is not assigned to this profile")
                }
                other => other.into(),
            })?;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// `PUT /credentials/{id}/profiles/{profile}`: assign (idempotent, 204).
#[utoipa::path(
    put,
    path = "/console/organizations/{org}/credentials/{cred}/profiles/{profile}",
    tag = "console-products",
    summary = "Assign a credential to a profile (idempotent)",
    params(("org" = String, Path, description = "Organization id (`<24 hex>@AdobeOrg`)."), ("cred" = i64, Path, description = "Numeric credential id."), ("profile" = i64, Path, description = "Numeric product profile id.")),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 204, description = "Assigned."),
        crate::routes::apidoc::ConsoleErrors,
    )
)]
pub async fn assign(
    State(state): State<AppState>,
    p: Principal,
    Path((org, id, profile)): Path<(String, String, String)>,
) -> Result<StatusCode, ConsoleError> {
    assignment(&state, &p, &org, &id, &profile, true).await
}

/// `DELETE /credentials/{id}/profiles/{profile}`: unassign (204).
#[utoipa::path(
    delete,
    path = "/console/organizations/{org}/credentials/{cred}/profiles/{profile}",
    tag = "console-products",
    summary = "Unassign a credential from a profile",
    params(("org" = String, Path, description = "Organization id (`<24 hex>@AdobeOrg`)."), ("cred" = i64, Path, description = "Numeric credential id."), ("profile" = i64, Path, description = "Numeric product profile id.")),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 204, description = "Unassigned."),
        crate::routes::apidoc::ConsoleErrors,
    )
)]
pub async fn unassign(
    State(state): State<AppState>,
    p: Principal,
    Path((org, id, profile)): Path<(String, String, String)>,
) -> Result<StatusCode, ConsoleError> {
    assignment(&state, &p, &org, &id, &profile, false).await
}

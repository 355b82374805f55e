//! AEM security of an environment, as Tools › Security shows it: technical-account users (with
//! the groups they belong to now), groups (with their members and built-in privileges), and
//! the ACLs (grants of privileges to a group on a DAM path) administrators manage.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use latchkey_core::aem::acl::{AclEntry, NewAcl, Privileges, builtin_grant};
use latchkey_core::aem::dam_path::DamPath;
use latchkey_core::aem::groups::{CONTRIBUTOR, GroupKind, membership, service_group};
use latchkey_core::aem::users::AemUser;
use latchkey_core::audit::AuditAction;
use latchkey_core::products::{Product, Tier};
use latchkey_proto::aem::{AclBody, AemUserBody, CreateAcl, GroupBody};
use serde::Deserialize;
use serde_json::json;

use super::auth::Principal;
use super::body::JsonBody;
use super::error::ConsoleError;
use super::products::{load_product, parse_tier};
use super::{parse_id, parse_org};
use crate::state::AppState;

/// `?tier=` of the listings (default `author`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierQuery {
    /// `author`, `publish` or `preview`.
    #[serde(default)]
    pub tier: Option<String>,
}

fn tier_of(q: &TierQuery) -> Result<Tier, ConsoleError> {
    q.tier.as_deref().map_or(Ok(Tier::Author), parse_tier)
}

fn acl_body(a: &AclEntry) -> AclBody {
    AclBody {
        id: a.id,
        product_id: a.product_id,
        tier: a.tier.as_str().to_owned(),
        group: a.group.clone(),
        path: a.path.to_string(),
        privileges: a
            .privileges
            .to_vec()
            .iter()
            .map(|p| p.as_str().to_owned())
            .collect(),
        created_at: a.created_at.0.to_string(),
    }
}

/// Each user of `product`/`tier` with the names of its groups now.
async fn users_with_groups(
    state: &AppState,
    product: &Product,
    tier: Tier,
) -> Result<Vec<(AemUser, Vec<(String, GroupKind)>)>, ConsoleError> {
    let mut out = Vec::new();
    for user in state.store.list_aem_users(product.id, Some(tier)).await? {
        let profiles = match user.credential_id {
            Some(id) => state.store.credential_profiles(id).await?,
            None => Vec::new(),
        };
        let groups = membership(&profiles, product.id, tier)
            .into_iter()
            .map(|g| (g.name, g.kind))
            .collect();
        out.push((user, groups));
    }
    Ok(out)
}

/// `GET /products/{product}/users?tier=`.
#[utoipa::path(
    get,
    path = "/console/organizations/{org}/products/{product}/users",
    tag = "console-aem",
    operation_id = "list_aem_users",
    summary = "Technical-account users of an environment's tier",
    description = "Users are created by their credential's first call that passes the gateway and the allowlist; their groups are derived from the credential's current product profiles.",
    params(("org" = String, Path), ("product" = i64, Path), ("tier" = Option<String>, Query, description = "Default `author`")),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 200, description = "The users, oldest first", body = Vec<AemUserBody>),
        crate::routes::apidoc::ConsoleErrors,
    )
)]
pub async fn users(
    State(state): State<AppState>,
    p: Principal,
    Path((org, product)): Path<(String, String)>,
    Query(q): Query<TierQuery>,
) -> Result<Json<Vec<AemUserBody>>, ConsoleError> {
    let admin = p.require_admin(&parse_org(&org)?)?;
    let product = load_product(&state, &admin.org_id, &product).await?;
    let tier = tier_of(&q)?;
    let list = users_with_groups(&state, &product, tier).await?;
    Ok(Json(
        list.into_iter()
            .map(|(u, groups)| AemUserBody {
                id: u.id,
                product_id: u.product_id,
                tier: u.tier.as_str().to_owned(),
                technical_account_id: u.technical_account_id.to_string(),
                email: u.email,
                credential_id: u.credential_id,
                groups: groups.into_iter().map(|(name, _)| name).collect(),
                created_at: u.created_at.0.to_string(),
            })
            .collect(),
    ))
}

fn kind_name(kind: GroupKind) -> &'static str {
    match kind {
        GroupKind::Profile => "profile",
        GroupKind::Service => "service",
        GroupKind::Contributor => "contributor",
        GroupKind::Custom => "custom",
    }
}

/// `GET /products/{product}/groups?tier=`.
#[utoipa::path(
    get,
    path = "/console/organizations/{org}/products/{product}/groups",
    tag = "console-aem",
    operation_id = "list_aem_groups",
    summary = "Groups of an environment's tier, with members and built-in privileges",
    description = "`contributor`, one group per product profile of the tier, one per service those profiles enable (`<service> - Service`), and any other group named in an ACL (`custom`).",
    params(("org" = String, Path), ("product" = i64, Path), ("tier" = Option<String>, Query, description = "Default `author`")),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 200, description = "The groups, by name", body = Vec<GroupBody>),
        crate::routes::apidoc::ConsoleErrors,
    )
)]
pub async fn groups(
    State(state): State<AppState>,
    p: Principal,
    Path((org, product)): Path<(String, String)>,
    Query(q): Query<TierQuery>,
) -> Result<Json<Vec<GroupBody>>, ConsoleError> {
    let admin = p.require_admin(&parse_org(&org)?)?;
    let product = load_product(&state, &admin.org_id, &product).await?;
    let tier = tier_of(&q)?;
    let mut groups: BTreeMap<String, (GroupKind, Vec<String>)> = BTreeMap::new();
    groups.insert(CONTRIBUTOR.to_owned(), (GroupKind::Contributor, Vec::new()));
    for profile in state.store.list_profiles(product.id).await? {
        if profile.tier != tier {
            continue;
        }
        groups
            .entry(profile.name.clone())
            .or_insert((GroupKind::Profile, Vec::new()));
        for s in &profile.services {
            groups
                .entry(service_group(s))
                .or_insert((GroupKind::Service, Vec::new()));
        }
    }
    for acl in state.store.list_acls(product.id).await? {
        if acl.tier == tier {
            groups
                .entry(acl.group)
                .or_insert((GroupKind::Custom, Vec::new()));
        }
    }
    for (user, member_of) in users_with_groups(&state, &product, tier).await? {
        for (name, kind) in member_of {
            groups
                .entry(name)
                .or_insert((kind, Vec::new()))
                .1
                .push(user.email.clone());
        }
    }
    Ok(Json(
        groups
            .into_iter()
            .map(|(name, (kind, members))| GroupBody {
                builtin_privileges: builtin_grant(&name)
                    .map(|p| p.to_vec().iter().map(|x| x.as_str().to_owned()).collect())
                    .unwrap_or_default(),
                name,
                kind: kind_name(kind).to_owned(),
                tier: tier.as_str().to_owned(),
                members,
            })
            .collect(),
    ))
}

/// `GET /products/{product}/acls`.
#[utoipa::path(
    get,
    path = "/console/organizations/{org}/products/{product}/acls",
    tag = "console-aem",
    operation_id = "list_acls",
    summary = "Grants of an environment (all tiers)",
    params(("org" = String, Path), ("product" = i64, Path)),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 200, description = "The grants, oldest first", body = Vec<AclBody>),
        crate::routes::apidoc::ConsoleErrors,
    )
)]
pub async fn list_acls(
    State(state): State<AppState>,
    p: Principal,
    Path((org, product)): Path<(String, String)>,
) -> Result<Json<Vec<AclBody>>, ConsoleError> {
    let admin = p.require_admin(&parse_org(&org)?)?;
    let product = load_product(&state, &admin.org_id, &product).await?;
    let acls = state.store.list_acls(product.id).await?;
    Ok(Json(acls.iter().map(acl_body).collect()))
}

/// `POST /products/{product}/acls`.
#[utoipa::path(
    post,
    path = "/console/organizations/{org}/products/{product}/acls",
    tag = "console-aem",
    operation_id = "add_acl",
    summary = "Grant a group privileges on a DAM path (and everything below)",
    params(("org" = String, Path), ("product" = i64, Path)),
    request_body = CreateAcl,
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 201, description = "Granted", body = AclBody),
        crate::routes::apidoc::ConsoleErrors,
        crate::routes::apidoc::JsonBodyErrors,
    )
)]
pub async fn add_acl(
    State(state): State<AppState>,
    p: Principal,
    Path((org, product)): Path<(String, String)>,
    JsonBody(req): JsonBody<CreateAcl>,
) -> Result<Response, ConsoleError> {
    let admin = p.require_admin(&parse_org(&org)?)?;
    let product = load_product(&state, &admin.org_id, &product).await?;
    let tier = req.tier.as_deref().map_or(Ok(Tier::Author), parse_tier)?;
    if !product.tiers.contains(&tier) {
        return Err(ConsoleError::InvalidRequest(format!(
            "environment {} has no {} tier",
            product.label(),
            tier.as_str()
        )));
    }
    let group = req.group.trim();
    if group.is_empty() || group.len() > 200 {
        return Err(ConsoleError::InvalidRequest(
            "group must be 1 to 200 characters".into(),
        ));
    }
    let path =
        DamPath::parse(&req.path).map_err(|e| ConsoleError::InvalidRequest(e.to_string()))?;
    let privileges =
        Privileges::parse(req.privileges.iter().map(String::as_str)).map_err(|bad| {
            ConsoleError::InvalidRequest(format!(
                "unknown privilege {bad:?}: use read, create, modify and delete"
            ))
        })?;
    if privileges.is_empty() {
        return Err(ConsoleError::InvalidRequest(
            "privileges must list at least one privilege".into(),
        ));
    }
    let new = NewAcl {
        product_id: product.id,
        tier,
        group: group.to_owned(),
        path,
        privileges,
    };
    let audit = p.actor().entry(
        p.now,
        Some(&admin.org_id),
        AuditAction::AclAdded,
        format!("product:{}", product.id),
        json!({ "group": new.group, "path": new.path.as_str(), "privileges": privileges.to_names(), "tier": tier.as_str() }),
    );
    let acl = state.store.add_acl(&new, p.now, &audit).await?;
    Ok((StatusCode::CREATED, Json(acl_body(&acl))).into_response())
}

/// `DELETE /products/{product}/acls/{acl}`.
#[utoipa::path(
    delete,
    path = "/console/organizations/{org}/products/{product}/acls/{acl}",
    tag = "console-aem",
    operation_id = "delete_acl",
    summary = "Remove a grant",
    params(("org" = String, Path), ("product" = i64, Path), ("acl" = i64, Path)),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 204, description = "Removed"),
        crate::routes::apidoc::ConsoleErrors,
    )
)]
pub async fn delete_acl(
    State(state): State<AppState>,
    p: Principal,
    Path((org, product, acl)): Path<(String, String, String)>,
) -> Result<Response, ConsoleError> {
    let admin = p.require_admin(&parse_org(&org)?)?;
    let product = load_product(&state, &admin.org_id, &product).await?;
    let id = parse_id(&acl)?;
    let audit = p.actor().entry(
        p.now,
        Some(&admin.org_id),
        AuditAction::AclDeleted,
        format!("acl:{id}"),
        serde_json::Value::Null,
    );
    state
        .store
        .delete_acl(product.id, id, &audit)
        .await
        .map_err(|e| match e {
            latchkey_core::store::StoreError::NotFound => {
                ConsoleError::NotFound("no such grant on this environment")
            }
            other => other.into(),
        })?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

//! The AEM authorization chain as an axum extractor (SPEC §3): a handler that takes a
//! [`Caller`] runs only when the gateway, the environment, the allowlist and the
//! technical-account stages passed; the permission stage runs per path through
//! [`Caller::require`], once the handler knows which node the request touches.
//!
//! Everything the chain reads comes from the node's caches ([`super::cache`]), and group
//! membership is derived from the credential's current profiles at each request, so a profile
//! change applies to tokens already issued.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use latchkey_core::aem::acl::{AclEntry, Privilege, find_grant};
use latchkey_core::aem::allowlist::{EnvironmentRef, check_allowlist};
use latchkey_core::aem::dam_path::DamPath;
use latchkey_core::aem::denial::{Denial, Reason};
use latchkey_core::aem::groups::{Group, GroupKind, membership};
use latchkey_core::aem::store::Repo;
use latchkey_core::aem::users::NewAemUser;
use latchkey_core::audit::{Actor, AuditAction};
use latchkey_core::credentials::Credential;
use latchkey_core::products::{Product, Tier};
use latchkey_core::time::UnixMillis;
use serde_json::json;

use super::cache::Deployed;
use super::problem::Problem;
use super::{environment, gateway};
use crate::state::AppState;

/// A caller that passed every stage but the per-path permission check.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The environment and tier addressed.
    pub repo: Repo,
    /// The environment.
    pub product: Product,
    /// The calling credential.
    pub credential: Credential,
    /// The technical-account user's email (who AEM records as author of changes).
    pub user: String,
    /// The user's groups, derived now.
    pub groups: Vec<Group>,
    acls: Arc<Vec<AclEntry>>,
    /// The time read at the start of the request.
    pub now: UnixMillis,
}

impl Caller {
    /// The bucket label, e.g. `author-p1-e1`.
    pub fn bucket(&self) -> String {
        self.product.bucket(self.repo.tier)
    }

    /// The permission stage: whether the user's groups hold `need` on `path`.
    pub fn require(&self, path: &DamPath, need: Privilege) -> Result<(), Denial> {
        if find_grant(&self.groups, &self.acls, self.repo.tier, path, need).is_some() {
            return Ok(());
        }
        let names: Vec<&str> = self.groups.iter().map(|g| g.name.as_str()).collect();
        let read_only =
            need != Privilege::Read && self.groups.iter().any(|g| g.kind == GroupKind::Service);
        let why = if read_only {
            " The services of its product profiles grant read only; only AEM Administrators grants writes."
        } else {
            ""
        };
        Err(Denial::new(
            Reason::PermissionDenied,
            format!(
                "Technical account {} (groups: {}) has no {} permission on {path} in {}.{why}",
                self.user,
                names.join(", "),
                need.as_str(),
                self.bucket()
            ),
            format!(
                "assign the credential to a product profile with the AEM Administrators service (latchkey admin profiles services|assign), or grant {} on {path} to one of its groups (latchkey admin aem grant {} --group <group> --path {path} --privileges {}, or POST /console/organizations/{}/products/{}/acls)",
                need.as_str(),
                self.product.id,
                need.as_str(),
                self.product.org_id,
                self.product.id
            ),
        ))
    }
}

fn peer(parts: &Parts) -> Option<SocketAddr> {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0)
}

/// Runs stages 1–3 (gateway, environment, allowlist, technical account).
pub async fn authorize(state: &AppState, parts: &Parts) -> Result<Caller, Problem> {
    let now = state.clock.now();
    let store = state.store.as_ref();
    let passed = gateway::check(state, &parts.headers, now).await?;
    let (product, tier) = environment::resolve(state, &parts.headers, &parts.uri).await?;
    let credential = passed.credential;
    let client_id = credential.client_id.as_str();
    let label = product.label();
    if product.org_id != credential.org_id {
        return Err(Denial::new(
            Reason::OrganizationMismatch,
            format!(
                "Environment {label} belongs to organization {}, and client {client_id} to {}.",
                product.org_id, credential.org_id
            ),
            "use a credential of the organization that owns the environment",
        )
        .into());
    }
    let deployed = state.aem.config(store, product.id).await?;
    let config = match &deployed {
        Deployed::Valid(c) => Some(c.as_ref()),
        Deployed::Nothing | Deployed::Unreadable(_) => None,
    };
    check_allowlist(
        config,
        EnvironmentRef {
            label: &label,
            env_type: product.env_type,
            tier,
        },
        client_id,
    )?;
    let user = credential.technical_account_email.clone();
    ensure_user(state, parts, &product, tier, &credential, now).await?;
    let profiles = state.aem.profiles(store, credential.id).await?;
    let groups = membership(&profiles, product.id, tier);
    if !groups.iter().any(|g| g.kind == GroupKind::Profile) {
        return Err(Denial::new(
            Reason::NoProductProfile,
            format!(
                "Client {client_id} is on no product profile of environment {label} ({}), so its technical account {user} has no AEM groups but contributor.",
                tier.as_str()
            ),
            format!(
                "assign the credential to a {} profile of {label} with the AEM Assets API Users service (latchkey admin profiles assign)",
                tier.as_str()
            ),
        )
        .into());
    }
    let acls = state.aem.acls(store, product.id).await?;
    Ok(Caller {
        repo: Repo {
            product_id: product.id,
            tier,
        },
        product,
        credential,
        user,
        groups,
        acls,
        now,
    })
}

/// Creates the technical-account user on its first call (once, whatever the concurrency).
async fn ensure_user(
    state: &AppState,
    parts: &Parts,
    product: &Product,
    tier: Tier,
    credential: &Credential,
    now: UnixMillis,
) -> Result<(), Problem> {
    let tech = credential.technical_account_id.as_str();
    if state.aem.user_known(product.id, tier, tech) {
        return Ok(());
    }
    let actor = Actor {
        name: credential.client_id.to_string(),
        peer: peer(parts).map(|p| p.ip().to_string()),
    };
    let audit = actor.entry(
        now,
        Some(&product.org_id),
        AuditAction::AemUserCreated,
        format!("aem_user:{tech}@{}", product.bucket(tier)),
        json!({ "email": credential.technical_account_email }),
    );
    let new = NewAemUser {
        product_id: product.id,
        tier,
        technical_account_id: credential.technical_account_id.clone(),
        email: credential.technical_account_email.clone(),
        credential_id: credential.id,
    };
    let (_, created) = state.store.ensure_aem_user(&new, now, &audit).await?;
    if created {
        tracing::info!(technical_account = tech, bucket = %product.bucket(tier), "technical-account user created");
    }
    state.aem.remember_user(product.id, tier, tech);
    Ok(())
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        authorize(state, parts).await
    }
}

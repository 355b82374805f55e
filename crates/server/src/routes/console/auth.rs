//! Who is calling the console: a Latchkey access token (`Authorization: Bearer`) plus
//! `x-api-key` equal to its client id, as Adobe's gateway requires (reference/adobe-protocol.md
//! §5, §7.2).
//!
//! The token is checked fully (signature, expiry, revocation, credential enabled) and the
//! credential is read fresh from the store, so disabling a credential or taking its admin role
//! applies to tokens already issued. Authorization is a capability: [`Principal::admin_of`]
//! returns an [`OrgAdmin`] only after the check passed, and handlers that change an organization
//! ask for one.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use latchkey_core::audit::Actor;
use latchkey_core::credentials::Credential;
use latchkey_core::ids::{ClientId, OrgId};
use latchkey_core::time::UnixMillis;

use super::error::ConsoleError;
use crate::headers::bearer;
use crate::routes::introspection::check_token;
use crate::state::AppState;

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Principal {
    /// The caller's credential, as stored now.
    pub credential: Credential,
    /// The scopes of the presented token.
    pub scopes: Vec<String>,
    /// The caller's address.
    pub peer: SocketAddr,
    /// The time read at the start of the request.
    pub now: UnixMillis,
}

/// Proof that the caller administers `org_id`.
#[derive(Debug, Clone)]
pub struct OrgAdmin {
    /// The organization.
    pub org_id: OrgId,
}

impl Principal {
    /// Who this is, for the audit log.
    pub fn actor(&self) -> Actor {
        Actor {
            name: self.credential.client_id.to_string(),
            peer: Some(self.peer.ip().to_string()),
        }
    }

    /// Whether the token carries `scope`.
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }

    /// An admin capability for `org_id`, if the caller is an admin of it.
    pub fn admin_of(&self, org_id: &OrgId) -> Option<OrgAdmin> {
        (self.credential.admin && &self.credential.org_id == org_id).then(|| OrgAdmin {
            org_id: org_id.clone(),
        })
    }

    /// Like [`Principal::admin_of`], or a 403 saying why.
    pub fn require_admin(&self, org_id: &OrgId) -> Result<OrgAdmin, ConsoleError> {
        self.admin_of(org_id).ok_or_else(|| {
            ConsoleError::Forbidden(if &self.credential.org_id != org_id {
                "this credential belongs to another organization: use a credential of the organization in the URL".into()
            } else {
                "only organization admins may do this: use an admin credential of this organization".into()
            })
        })
    }
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = ConsoleError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let now = state.clock.now();
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0)
            .ok_or(ConsoleError::Internal)?;
        let token = bearer(&parts.headers).ok_or(ConsoleError::InvalidToken("no bearer token"))?;
        let api_key = parts
            .headers
            .get("x-api-key")
            .and_then(|v| v.to_str().ok())
            .ok_or(ConsoleError::MissingApiKey)?;
        let claims = match check_token(state, token, now).await {
            Ok(Ok(c)) => c,
            Ok(Err(_)) => {
                return Err(ConsoleError::InvalidToken(
                    "the token is invalid, expired or revoked",
                ));
            }
            Err(_) => return Err(ConsoleError::Unavailable),
        };
        if api_key != claims.client_id {
            return Err(ConsoleError::ApiKeyMismatch);
        }
        let client_id = ClientId::parse(&claims.client_id).ok_or(ConsoleError::InvalidToken(
            "the token names no valid client",
        ))?;
        let (credential, _) = state
            .store
            .find_credential_for_auth(&client_id)
            .await?
            .ok_or(ConsoleError::InvalidToken(
                "the token's credential no longer exists",
            ))?;
        Ok(Principal {
            scopes: claims.scopes().map(str::to_owned).collect(),
            credential,
            peer,
            now,
        })
    }
}

//! The `client_credentials` grant, after the client has authenticated: decide the scopes, check
//! the organization, and sign the token.
//!
//! Disallowed scopes are refused (`invalid_scope`), never silently narrowed (SPEC §6); an empty
//! request grants every scope of the credential (RFC 6749 §3.3 lets the server pick a default).

use crate::credentials::Credential;
use crate::ids::generate_token_id;
use crate::keys::signer::SigningKey;
use crate::scope::ScopeList;
use crate::time::UnixMillis;
use crate::token::claims::{ACCESS_TOKEN_TYPE, AccessTokenClaims};
use crate::token::error::TokenError;

/// Issuer-wide token settings.
#[derive(Debug, Clone)]
pub struct TokenSettings {
    /// `iss` of every token; equals the metadata `issuer`.
    pub issuer: String,
    /// `aud` of every token.
    pub audience: String,
    /// Lifetime in milliseconds (IMS: 86 400 000).
    pub lifetime_ms: i64,
    /// IMS `as` claim (`ims-na1`): aio-lib-ims maps it to its IMS host.
    pub ims_as: String,
}

/// A freshly signed token.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    /// The compact JWS.
    pub access_token: String,
    /// Lifetime answered to the client in seconds: one second short of the claim lifetime, as
    /// IMS answers 86399 for its 24 h tokens.
    pub expires_in_secs: u64,
    /// The claims inside.
    pub claims: AccessTokenClaims,
}

/// The scopes to grant for `requested`, or `invalid_scope` naming the first refused one.
pub fn decide_scopes(
    credential: &Credential,
    requested: ScopeList,
) -> Result<ScopeList, TokenError> {
    if requested.is_empty() {
        return Ok(credential.scopes.clone());
    }
    match requested.first_not_in(&credential.scopes) {
        None => Ok(requested),
        Some(bad) => Err(TokenError::InvalidScope(format!(
            "scope {bad} is not allowed for this client: request only scopes granted to the credential, or ask an organization admin to grant it"
        ))),
    }
}

/// Checks an `org_id` parameter against the credential's organization.
pub fn check_org(credential: &Credential, org_id: Option<&str>) -> Result<(), TokenError> {
    match org_id {
        Some(org) if org != credential.org_id.as_str() => Err(TokenError::InvalidRequest(
            "org_id does not match the organization of this client: send the credential's own organization id or leave org_id out".into(),
        )),
        _ => Ok(()),
    }
}

/// Builds and signs an access token for `credential` with `scopes`, issued at `now`.
pub fn issue(
    settings: &TokenSettings,
    key: &SigningKey,
    credential: &Credential,
    scopes: &ScopeList,
    now: UnixMillis,
) -> Result<IssuedToken, TokenError> {
    let jti = generate_token_id().map_err(|_| TokenError::Internal)?;
    let ta = credential.technical_account_id.as_str().to_owned();
    let claims = AccessTokenClaims {
        id: jti.clone(),
        token_type: ACCESS_TOKEN_TYPE.to_owned(),
        client_id: credential.client_id.as_str().to_owned(),
        user_id: ta.clone(),
        auth_server: settings.ims_as.clone(),
        aa_id: ta.clone(),
        ctp: 0,
        org: credential.org_id.as_str().to_owned(),
        created_at: now.0.to_string(),
        expires_in: settings.lifetime_ms.to_string(),
        scope: scopes.to_ims_string(),
        iss: settings.issuer.clone(),
        sub: ta,
        aud: settings.audience.clone(),
        exp: now.plus_millis(settings.lifetime_ms).as_secs(),
        iat: now.as_secs(),
        jti,
    };
    let json = serde_json::to_vec(&claims).map_err(|_| TokenError::Internal)?;
    let access_token = key.sign_jwt(&json).map_err(|_| TokenError::Internal)?;
    let expires_in_secs = u64::try_from(settings.lifetime_ms / 1000 - 1).unwrap_or(0);
    Ok(IssuedToken {
        access_token,
        expires_in_secs,
        claims,
    })
}

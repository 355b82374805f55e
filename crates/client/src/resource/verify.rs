//! Verification of a Latchkey access token by a resource server.
//!
//! Order (RFC 8725; cheapest and most hostile-input-proof first): size and shape; header (an
//! allowlisted `alg`, a `kid`, no key material or `crit`); the key named by `kid`, whose one
//! algorithm must be the header's; the signature; then the claims (`exp` a number in the
//! future, `iss` the expected issuer, `aud` when configured).

use std::time::{Duration, SystemTime};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

use super::jwks::{Alg, JwksCache};

/// Longest token accepted.
pub const MAX_TOKEN_LEN: usize = 8 * 1024;
/// Tolerated clock difference between the identity service and this server.
pub const LEEWAY: Duration = Duration::from_secs(30);

/// Why a token is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// Not a compact JWS of acceptable size.
    #[error("the token is not a well-formed JWT")]
    Malformed,
    /// `alg` is `none`, HMAC or otherwise not allowed, or the header carries key material.
    #[error("the token header is not acceptable (algorithm {0:?})")]
    BadHeader(String),
    /// No published key has the token's `kid`.
    #[error("the token was signed by a key the identity service does not publish")]
    UnknownKey,
    /// The header's `alg` is not the key's.
    #[error("the token's algorithm does not match its key")]
    AlgorithmMismatch,
    /// The signature does not verify.
    #[error("the token signature is invalid")]
    BadSignature,
    /// A claim is missing or of the wrong JSON type.
    #[error("the token claim {0} is missing or malformed")]
    BadClaim(&'static str),
    /// Issued by another identity service.
    #[error("the token was issued by another identity service")]
    WrongIssuer,
    /// Issued for another audience.
    #[error("the token was issued for another audience")]
    WrongAudience,
    /// Expired.
    #[error("the token has expired")]
    Expired,
    /// The key set could not be fetched.
    #[error("the identity service's keys cannot be fetched")]
    KeysUnavailable,
}

/// The claims of a verified token.
#[derive(Debug, Clone)]
pub struct Claims {
    /// `client_id`: the client the token was issued to.
    pub client_id: String,
    /// `sub`: the technical account.
    pub sub: String,
    /// `scope`, split (IMS writes a comma-separated string).
    pub scopes: Vec<String>,
    /// `org`, when present.
    pub org: Option<String>,
    /// `exp`, seconds since the epoch.
    pub exp: u64,
    /// Every claim, as sent.
    pub all: Map<String, Value>,
}

impl Claims {
    /// Whether the token carries `scope`.
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }
}

/// What a valid token must say about where it comes from.
#[derive(Debug, Clone)]
pub struct Expectations {
    /// The `iss` claim.
    pub issuer: String,
    /// The `aud` claim, when the resource server checks it.
    pub audience: Option<String>,
}

fn decode_json(segment: &str) -> Result<Map<String, Value>, VerifyError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(segment)
        .map_err(|_| VerifyError::Malformed)?;
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(VerifyError::Malformed),
    }
}

fn string(claims: &Map<String, Value>, name: &'static str) -> Result<String, VerifyError> {
    claims
        .get(name)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or(VerifyError::BadClaim(name))
}

/// Verifies `token` against the keys of `jwks` and `expect`, at `now`.
pub async fn verify(
    token: &str,
    jwks: &JwksCache,
    expect: &Expectations,
    now: SystemTime,
) -> Result<Claims, VerifyError> {
    if token.len() > MAX_TOKEN_LEN {
        return Err(VerifyError::Malformed);
    }
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(VerifyError::Malformed);
    };
    let header = decode_json(h)?;
    let alg_name = header
        .get("alg")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let alg = Alg::parse(alg_name).ok_or_else(|| VerifyError::BadHeader(alg_name.to_owned()))?;
    // Keys or key URLs in the header are never trusted (RFC 8725 §3.10, SPEC §6).
    if ["jwk", "jku", "x5u", "x5c", "crit"]
        .iter()
        .any(|m| header.contains_key(*m))
    {
        return Err(VerifyError::BadHeader(alg_name.to_owned()));
    }
    let kid = header
        .get("kid")
        .and_then(Value::as_str)
        .ok_or(VerifyError::Malformed)?;
    let key = jwks
        .key(kid)
        .await
        .map_err(|_| VerifyError::KeysUnavailable)?
        .ok_or(VerifyError::UnknownKey)?;
    if key.alg() != alg {
        return Err(VerifyError::AlgorithmMismatch);
    }
    let sig = URL_SAFE_NO_PAD
        .decode(s)
        .map_err(|_| VerifyError::Malformed)?;
    let signed = &token[..h.len() + 1 + p.len()];
    if !key.verify(signed.as_bytes(), &sig) {
        return Err(VerifyError::BadSignature);
    }
    let all = decode_json(p)?;
    let exp = all
        .get("exp")
        .and_then(Value::as_u64)
        .ok_or(VerifyError::BadClaim("exp"))?;
    let now_secs = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    if now_secs >= exp.saturating_add(LEEWAY.as_secs()) {
        return Err(VerifyError::Expired);
    }
    if string(&all, "iss")? != expect.issuer {
        return Err(VerifyError::WrongIssuer);
    }
    if let Some(aud) = &expect.audience {
        let ok = match all.get("aud") {
            Some(Value::String(a)) => a == aud,
            Some(Value::Array(list)) => list.iter().any(|a| a.as_str() == Some(aud)),
            _ => false,
        };
        if !ok {
            return Err(VerifyError::WrongAudience);
        }
    }
    let scopes = match all.get("scope") {
        None => Vec::new(),
        Some(Value::String(s)) => s
            .split([',', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        Some(_) => return Err(VerifyError::BadClaim("scope")),
    };
    let org = match all.get("org") {
        None => None,
        Some(Value::String(o)) => Some(o.clone()),
        Some(_) => return Err(VerifyError::BadClaim("org")),
    };
    Ok(Claims {
        client_id: string(&all, "client_id")?,
        sub: string(&all, "sub")?,
        scopes,
        org,
        exp,
        all,
    })
}

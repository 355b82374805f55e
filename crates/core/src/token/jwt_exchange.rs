//! The legacy JWT exchange (`POST /ims/exchange/jwt`, reference/adobe-protocol.md §3): checking
//! the assertion a service-account client signed with its private key.
//!
//! Rules, each with its reason:
//! - Compact JWS with exactly three parts; no JWE, no unencoded payloads (RFC 8725 §3.11).
//! - Header `alg` must be `RS256`, the one algorithm of the exchange: `none`, HMAC keyed with
//!   the public certificate and every other algorithm are refused before any crypto runs
//!   (RFC 8725 §3.1, CVE-2015-9235). Keys and URLs in the header (`jwk`, `jku`, `x5u`, `x5c`),
//!   `crit` and `zip` are refused: only the credential's registered certificates are trusted,
//!   and nothing is fetched or decompressed (RFC 8725 §3.10, CVE-2018-0114).
//! - The signature must verify against one of the credential's **active** certificates (not
//!   revoked, not expired).
//! - Claims are parsed strictly: duplicate members and claims of the wrong JSON type are errors,
//!   not absences (RFC 7519 §4, CVE-2022-39227, CVE-2026-25537).
//! - `exp` is required; 30 s skew ("IMS allows a time skew of 30 seconds"); no cap below 24 h
//!   (adobe/aemcs-api-client-lib signs 8 h assertions), refused beyond.
//! - `iss` is the organization, `sub` the technical account: exact string equality.
//! - `aud` is one string, `<origin>/c/{client_id}` with `origin` Adobe's IMS or this server's
//!   base URL (clients build it from the host they were pointed at).
//! - Metascope claims `<origin>/s/{metascope}: true`; at least one, all among the credential's.
//! - `jti`, when present, is single-use; the caller records it
//!   ([`crate::store::ServiceAccountStore::consume_jti`]).
//!
//! Error codes follow Adobe's table (§3.4); every description says what to fix.

use aws_lc_rs::signature::{RSA_PKCS1_2048_8192_SHA256, UnparsedPublicKey};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

use crate::credentials::Credential;
use crate::scope::ScopeList;
use crate::time::UnixMillis;
use crate::token::strict_json::{StrictJsonError, parse_object};

/// Adobe's production IMS origin, accepted in `aud` and metascope claims.
pub const ADOBE_IMS_ORIGIN: &str = "https://ims-na1.adobelogin.com";
/// Clock skew allowed on `exp`, `nbf` and `iat`.
pub const SKEW_MS: i64 = 30_000;
/// Longest assertion lifetime accepted (`exp` at most this far ahead).
pub const MAX_LIFETIME_MS: i64 = 24 * 60 * 60 * 1000;
/// Longest assertion accepted, in bytes.
pub const MAX_ASSERTION_BYTES: usize = 16 * 1024;
/// Longest `jti` accepted.
pub const MAX_JTI_LEN: usize = 256;
/// Adobe's text when a metascope is not granted (adobe/jwt-auth#6).
pub const NOT_A_SUBSET: &str =
    "The metascopes in the JWT are not a subset of the metascopes in the binding.";

/// Header members that carry keys or key URLs, or change how the token is processed.
const FORBIDDEN_HEADER_MEMBERS: [&str; 8] =
    ["jwk", "jku", "x5u", "x5c", "crit", "zip", "enc", "b64"];

/// A refusal of the exchange, by Adobe's error code (all HTTP 400).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExchangeError {
    /// `invalid_token`: missing, undecodable, expired, or `exp`/`jti` of the wrong type.
    #[error("invalid_token: {0}")]
    InvalidToken(String),
    /// `invalid_signature`: no active certificate verifies it, or the algorithm is not RS256.
    #[error("invalid_signature: {0}")]
    InvalidSignature(String),
    /// `invalid_client` (400): `aud` names another client or another IMS.
    #[error("invalid_client: {0}")]
    InvalidClient(String),
    /// `invalid_scope`: no metascope, or one the credential does not have.
    #[error("invalid_scope: {0}")]
    InvalidScope(String),
    /// `invalid_jti`: the assertion id was used before.
    #[error("invalid_jti: {0}")]
    InvalidJti(String),
    /// `bad_request`: decodable, but `iss`/`sub`/`aud`/metascope claims badly formatted.
    #[error("bad_request: {0}")]
    BadRequest(String),
}

impl ExchangeError {
    /// The `error` code.
    pub fn code(&self) -> &'static str {
        match self {
            ExchangeError::InvalidToken(_) => "invalid_token",
            ExchangeError::InvalidSignature(_) => "invalid_signature",
            ExchangeError::InvalidClient(_) => "invalid_client",
            ExchangeError::InvalidScope(_) => "invalid_scope",
            ExchangeError::InvalidJti(_) => "invalid_jti",
            ExchangeError::BadRequest(_) => "bad_request",
        }
    }

    /// The `error_description`.
    pub fn description(&self) -> &str {
        match self {
            ExchangeError::InvalidToken(d)
            | ExchangeError::InvalidSignature(d)
            | ExchangeError::InvalidClient(d)
            | ExchangeError::InvalidScope(d)
            | ExchangeError::InvalidJti(d)
            | ExchangeError::BadRequest(d) => d,
        }
    }
}

fn invalid_token(d: impl Into<String>) -> ExchangeError {
    ExchangeError::InvalidToken(d.into())
}

/// What a verified assertion grants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedAssertion {
    /// The metascopes it asked for (all granted to the credential).
    pub metascopes: ScopeList,
    /// Its `jti`, if it has one (to be consumed once).
    pub jti: Option<String>,
    /// Its expiry; a `jti` must be remembered until then (plus skew).
    pub expires_at: UnixMillis,
}

fn decode_part(part: &str, what: &str) -> Result<Vec<u8>, ExchangeError> {
    URL_SAFE_NO_PAD.decode(part).map_err(|_| {
        invalid_token(format!(
            "the JWT {what} is not base64url: send the compact JWS as the signing library produced it"
        ))
    })
}

fn object(bytes: &[u8], what: &str) -> Result<Map<String, Value>, ExchangeError> {
    parse_object(bytes).map_err(|e| match e {
        StrictJsonError::Duplicate => invalid_token(format!(
            "the JWT {what} has a member twice: send each member once"
        )),
        StrictJsonError::Malformed | StrictJsonError::NotAnObject => {
            invalid_token(format!("the JWT {what} is not a JSON object"))
        }
    })
}

fn check_header(header: &Map<String, Value>) -> Result<(), ExchangeError> {
    for name in FORBIDDEN_HEADER_MEMBERS {
        if header.contains_key(name) {
            return Err(invalid_token(format!(
                "the JWT header carries {name}, which is not accepted: keys and URLs in the token are never trusted, sign with the private key of a certificate registered on the credential and send only alg and typ"
            )));
        }
    }
    match header.get("alg") {
        Some(Value::String(alg)) if alg == "RS256" => {}
        Some(Value::String(_)) => {
            return Err(ExchangeError::InvalidSignature(
                "the JWT algorithm is not RS256: sign the JWT with RS256 and the private key of a registered certificate".into(),
            ));
        }
        Some(_) | None => {
            return Err(invalid_token(
                "the JWT header has no alg string: sign the JWT with RS256",
            ));
        }
    }
    match header.get("typ") {
        None => Ok(()),
        Some(Value::String(t)) if t.eq_ignore_ascii_case("JWT") => Ok(()),
        Some(_) => Err(invalid_token(
            "the JWT header typ is not JWT: send typ JWT or leave it out",
        )),
    }
}

/// An integer claim (seconds), or `None` when absent; any other JSON type is an error.
fn int_claim(claims: &Map<String, Value>, name: &str) -> Result<Option<i64>, ExchangeError> {
    match claims.get(name) {
        None => Ok(None),
        Some(Value::Number(n)) if n.as_i64().is_some() => Ok(n.as_i64()),
        Some(_) => Err(invalid_token(format!(
            "{name} is not an integer: send {name} as a number of seconds since the epoch"
        ))),
    }
}

fn string_claim<'a>(claims: &'a Map<String, Value>, name: &str) -> Result<&'a str, ExchangeError> {
    match claims.get(name) {
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(ExchangeError::BadRequest(format!(
            "{name} is not a string: send {name} as one JSON string"
        ))),
        None => Err(ExchangeError::BadRequest(format!(
            "{name} is missing: the JWT must carry iss, sub, aud and exp"
        ))),
    }
}

fn check_times(claims: &Map<String, Value>, now: UnixMillis) -> Result<UnixMillis, ExchangeError> {
    let exp = int_claim(claims, "exp")?.ok_or_else(|| {
        invalid_token("exp is missing: send exp, the expiry in seconds since the epoch")
    })?;
    let exp = UnixMillis::from_secs(exp);
    if exp.plus_millis(SKEW_MS) <= now {
        return Err(invalid_token(
            "the JWT has expired: sign a new JWT with exp in the future (and check the client's clock)",
        ));
    }
    if exp > now.plus_millis(MAX_LIFETIME_MS + SKEW_MS) {
        return Err(invalid_token(
            "exp is more than 24 hours ahead: sign JWTs that expire within 24 hours",
        ));
    }
    for name in ["nbf", "iat"] {
        if let Some(t) = int_claim(claims, name)?
            && UnixMillis::from_secs(t) > now.plus_millis(SKEW_MS)
        {
            return Err(invalid_token(format!(
                "{name} is in the future: check the client's clock"
            )));
        }
    }
    Ok(exp)
}

/// The origin an `<origin>/<kind>/<name>` URL starts with, when it is an accepted one.
fn strip_origin<'a>(url: &'a str, origins: &[&str], kind: &str) -> Option<&'a str> {
    origins.iter().find_map(|o| {
        url.strip_prefix(o.trim_end_matches('/'))?
            .strip_prefix(kind)
    })
}

fn check_audience(
    claims: &Map<String, Value>,
    credential: &Credential,
    origins: &[&str],
) -> Result<(), ExchangeError> {
    let aud = string_claim(claims, "aud")?;
    match strip_origin(aud, origins, "/c/") {
        Some(client) if client == credential.client_id.as_str() => Ok(()),
        Some(_) => Err(ExchangeError::InvalidClient(
            "aud names another client: set aud to <ims>/c/<client_id> with this client's id".into(),
        )),
        None => Err(ExchangeError::InvalidClient(
            "aud does not point to this IMS: set aud to <ims>/c/<client_id>, with <ims> this server's base URL or https://ims-na1.adobelogin.com".into(),
        )),
    }
}

fn metascopes(
    claims: &Map<String, Value>,
    credential: &Credential,
    origins: &[&str],
) -> Result<ScopeList, ExchangeError> {
    let mut asked = Vec::new();
    for (name, value) in claims {
        let Some(ms) = strip_origin(name, origins, "/s/") else {
            if name.starts_with("http") && name.contains("/s/") {
                return Err(ExchangeError::InvalidScope(
                    "a metascope claim names another IMS: use <ims>/s/<metascope> with this server's base URL or https://ims-na1.adobelogin.com".into(),
                ));
            }
            continue;
        };
        if value != &Value::Bool(true) {
            return Err(ExchangeError::BadRequest(
                "a metascope claim is not true: send each metascope claim with the value true"
                    .into(),
            ));
        }
        asked.push(ms.to_owned());
    }
    if asked.is_empty() {
        return Err(ExchangeError::InvalidScope(
            "the JWT has no metascope claim: add <ims>/s/<metascope>: true for the metascopes of the credential".into(),
        ));
    }
    let asked = ScopeList::parse(&asked.join(","))
        .map_err(|_| ExchangeError::InvalidScope(NOT_A_SUBSET.into()))?;
    match asked.first_not_in(&credential.scopes) {
        None => Ok(asked),
        Some(_) => Err(ExchangeError::InvalidScope(NOT_A_SUBSET.into())),
    }
}

fn jti(claims: &Map<String, Value>) -> Result<Option<String>, ExchangeError> {
    let jti = match claims.get("jti") {
        None => return Ok(None),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) if n.is_i64() || n.is_u64() => n.to_string(),
        Some(_) => {
            return Err(invalid_token(
                "jti is neither a string nor an integer: send a unique string per JWT",
            ));
        }
    };
    if jti.is_empty() || jti.len() > MAX_JTI_LEN {
        return Err(ExchangeError::BadRequest(format!(
            "jti must be 1 to {MAX_JTI_LEN} characters"
        )));
    }
    Ok(Some(jti))
}

/// Checks `jwt` for `credential` at `now`. `keys` are the PKCS#1 RSA public keys of the
/// credential's active certificates; `origins` the IMS origins accepted in `aud` and metascope
/// claims (Adobe's and this server's base URL).
pub fn verify_assertion(
    jwt: &str,
    credential: &Credential,
    keys: &[Vec<u8>],
    origins: &[&str],
    now: UnixMillis,
) -> Result<VerifiedAssertion, ExchangeError> {
    if jwt.len() > MAX_ASSERTION_BYTES {
        return Err(invalid_token("the JWT is larger than 16 KiB"));
    }
    let parts: Vec<&str> = jwt.split('.').collect();
    let [h, p, s] = parts[..] else {
        return Err(invalid_token(
            "jwt_token is not a signed JWT (three base64url parts separated by dots): encrypted or unsigned tokens are not accepted",
        ));
    };
    let header = object(&decode_part(h, "header")?, "header")?;
    check_header(&header)?;
    let signature = decode_part(s, "signature")?;
    let signed = &jwt.as_bytes()[..h.len() + 1 + p.len()];
    if keys.is_empty() {
        return Err(ExchangeError::InvalidSignature(
            "the credential has no active certificate: add a certificate (or remove the revocation) in the console and sign with its private key".into(),
        ));
    }
    let verified = keys.iter().any(|k| {
        UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, k)
            .verify(signed, &signature)
            .is_ok()
    });
    if !verified {
        return Err(ExchangeError::InvalidSignature(
            "the JWT signature matches no active certificate of this credential: sign with the private key of a certificate registered on the credential that is neither revoked nor expired".into(),
        ));
    }
    let claims = object(&decode_part(p, "payload")?, "payload")?;
    let expires_at = check_times(&claims, now)?;
    let jti = jti(&claims)?;
    if string_claim(&claims, "iss")? != credential.org_id.as_str() {
        return Err(invalid_token(
            "iss is not the organization of this client: set iss to the org of the service credentials",
        ));
    }
    if string_claim(&claims, "sub")? != credential.technical_account_id.as_str() {
        return Err(invalid_token(
            "sub is not the technical account of this client: set sub to the technical account id (integration.id) of the service credentials",
        ));
    }
    check_audience(&claims, credential, origins)?;
    let metascopes = metascopes(&claims, credential, origins)?;
    Ok(VerifiedAssertion {
        metascopes,
        jti,
        expires_at,
    })
}

#[cfg(test)]
mod tests {
    use aws_lc_rs::rand::SystemRandom;
    use aws_lc_rs::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
    use base64::engine::general_purpose::STANDARD;
    use serde_json::json;

    use super::*;
    use crate::credentials::CredentialKind;
    use crate::ids::{ClientId, OrgId, TechnicalAccountId};
    use crate::service_account::certificate::rsa_public_key;
    use crate::service_account::generate::generate;

    const NOW: UnixMillis = UnixMillis(1_800_000_000_000);
    const ME: &str = "http://127.0.0.1:8080";

    fn credential() -> Credential {
        Credential {
            id: 1,
            project_id: 1,
            org_id: OrgId::generate().unwrap(),
            kind: CredentialKind::ServiceAccountJwt,
            name: "sa".into(),
            client_id: ClientId::generate().unwrap(),
            technical_account_id: TechnicalAccountId::generate().unwrap(),
            technical_account_email: "x@techacct.adobe.com".into(),
            scopes: ScopeList::parse("ent_aem_cloud_api,ent_cloudmgr_sdk").unwrap(),
            admin: false,
            enabled: true,
            tokens_revoked_before: UnixMillis(0),
            created_at: UnixMillis(0),
        }
    }

    fn sign(payload: &Value, pem: &str) -> String {
        let der: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        let key = RsaKeyPair::from_pkcs8(&STANDARD.decode(der).unwrap()).unwrap();
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","typ":"JWT"}"#),
            URL_SAFE_NO_PAD.encode(payload.to_string())
        );
        let mut sig = vec![0u8; key.public_modulus_len()];
        key.sign(
            &RSA_PKCS1_SHA256,
            &SystemRandom::new(),
            input.as_bytes(),
            &mut sig,
        )
        .unwrap();
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig))
    }

    #[test]
    fn a_well_formed_assertion_grants_its_metascopes_and_each_rule_has_its_code() {
        let c = credential();
        let g = generate(c.technical_account_id.as_str(), NOW).unwrap();
        let keys = vec![rsa_public_key(&g.certificate.der).unwrap()];
        let origins = [ADOBE_IMS_ORIGIN, ME];
        let exp = NOW.as_secs() + 300;
        let good = json!({
            "exp": exp, "iss": c.org_id.as_str(), "sub": c.technical_account_id.as_str(),
            "aud": format!("{ME}/c/{}", c.client_id), format!("{ME}/s/ent_aem_cloud_api"): true,
            "jti": "j-1",
        });
        let v =
            verify_assertion(&sign(&good, &g.private_key_pem), &c, &keys, &origins, NOW).unwrap();
        assert_eq!(v.metascopes.items(), ["ent_aem_cloud_api"]);
        assert_eq!(v.jti.as_deref(), Some("j-1"));
        assert_eq!(v.expires_at, UnixMillis::from_secs(exp));

        let check = |claims: Value, keys: &[Vec<u8>]| {
            verify_assertion(&sign(&claims, &g.private_key_pem), &c, keys, &origins, NOW)
                .map(|_| ())
                .map_err(|e| e.code())
        };
        let mut wrong_sub = good.clone();
        wrong_sub["sub"] = json!("AAAAAAAAAAAAAAAAAAAAAAAA@techacct.adobe.com");
        assert_eq!(check(wrong_sub, &keys), Err("invalid_token"));
        let mut late = good.clone();
        late["exp"] = json!(NOW.as_secs() - 31);
        assert_eq!(check(late, &keys), Err("invalid_token"));
        let mut skewed = good.clone();
        skewed["exp"] = json!(NOW.as_secs() - 29);
        assert_eq!(check(skewed, &keys), Ok(()));
        let mut other_client = good.clone();
        other_client["aud"] = json!(format!("{ADOBE_IMS_ORIGIN}/c/someone-else"));
        assert_eq!(check(other_client, &keys), Err("invalid_client"));
        let mut ungranted = good.clone();
        ungranted[format!("{ME}/s/ent_other")] = json!(true);
        assert_eq!(check(ungranted, &keys), Err("invalid_scope"));
        // No active certificate: nothing verifies.
        assert_eq!(check(good.clone(), &[]), Err("invalid_signature"));
    }
}

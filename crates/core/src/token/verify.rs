//! Verification of Latchkey's own access tokens (introspection, IMS `validate_token`, and later
//! the API gateway).
//!
//! Order of checks, cheapest and most hostile-input-proof first (RFC 8725, RFC 9068 §4):
//! 1. size cap and exactly three segments (parse-time DoS, CVE-2025-30204);
//! 2. header parsed strictly: only `alg`, `typ`, `kid`; `typ` must be `at+jwt`; any `jwk`, `jku`,
//!    `x5u`, `x5c`, `crit` or duplicate member is refused (never trusted, SPEC §6);
//! 3. `kid` must name a published key, and `alg` must be that key's one algorithm;
//! 4. signature; 5. claims parsed strictly; 6. `iss`, `aud`, `exp`, `iat`.
//!
//! Revocation is checked by the caller, which owns the revocation caches.

use std::collections::HashMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;

use crate::keys::verifier::VerifyingKey;
use crate::time::UnixMillis;
use crate::token::claims::{ACCESS_TOKEN_TYPE, AccessTokenClaims};

/// Longest token accepted for verification.
pub const MAX_TOKEN_LEN: usize = 8 * 1024;
/// Tolerated clock difference for `iat` in the future (between nodes).
pub const IAT_LEEWAY_SECS: i64 = 60;

/// Why a token is not valid. The variants are for logs and diagnostics; clients see only
/// "inactive" or `invalid_token`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// Not a compact JWS of acceptable size.
    #[error("the token is not a well-formed JWT")]
    Malformed,
    /// The header is not exactly what Latchkey issues.
    #[error("the token header is not acceptable")]
    BadHeader,
    /// No published key has this `kid`.
    #[error("the token was signed by an unknown key")]
    UnknownKey,
    /// The header's `alg` is not the key's algorithm.
    #[error("the token's algorithm does not match its key")]
    AlgorithmMismatch,
    /// The signature does not verify.
    #[error("the token signature is invalid")]
    BadSignature,
    /// The claims are not the expected set, or of the wrong JSON types.
    #[error("the token claims are malformed")]
    BadClaims,
    /// Another issuer or audience.
    #[error("the token was issued for another issuer or audience")]
    WrongIssuerOrAudience,
    /// Expired.
    #[error("the token has expired")]
    Expired,
    /// Issued in the future (beyond leeway).
    #[error("the token was issued in the future")]
    NotYetValid,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    alg: String,
    typ: String,
    kid: String,
}

/// Verifies tokens against the published keys.
#[derive(Debug)]
pub struct TokenVerifier {
    keys: HashMap<String, VerifyingKey>,
    issuer: String,
    audience: String,
}

impl TokenVerifier {
    /// A verifier for tokens of `issuer`/`audience` signed by `keys`.
    pub fn new(keys: Vec<VerifyingKey>, issuer: String, audience: String) -> Self {
        Self {
            keys: keys.into_iter().map(|k| (k.kid().to_owned(), k)).collect(),
            issuer,
            audience,
        }
    }

    /// Verifies `token` at `now` and returns its claims.
    pub fn verify(&self, token: &str, now: UnixMillis) -> Result<AccessTokenClaims, VerifyError> {
        if token.len() > MAX_TOKEN_LEN {
            return Err(VerifyError::Malformed);
        }
        let mut parts = token.split('.');
        let (Some(h), Some(p), Some(s), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(VerifyError::Malformed);
        };
        let header_bytes = URL_SAFE_NO_PAD
            .decode(h)
            .map_err(|_| VerifyError::Malformed)?;
        let header: Header =
            serde_json::from_slice(&header_bytes).map_err(|_| VerifyError::BadHeader)?;
        if header.typ != "at+jwt" {
            return Err(VerifyError::BadHeader);
        }
        let key = self.keys.get(&header.kid).ok_or(VerifyError::UnknownKey)?;
        if header.alg != key.alg().as_str() {
            return Err(VerifyError::AlgorithmMismatch);
        }
        let sig = URL_SAFE_NO_PAD
            .decode(s)
            .map_err(|_| VerifyError::Malformed)?;
        let signed_len = h.len() + 1 + p.len();
        if !key.verify(&token.as_bytes()[..signed_len], &sig) {
            return Err(VerifyError::BadSignature);
        }
        let payload = URL_SAFE_NO_PAD
            .decode(p)
            .map_err(|_| VerifyError::Malformed)?;
        let claims: AccessTokenClaims =
            serde_json::from_slice(&payload).map_err(|_| VerifyError::BadClaims)?;
        if claims.token_type != ACCESS_TOKEN_TYPE || claims.id != claims.jti {
            return Err(VerifyError::BadClaims);
        }
        if claims.iss != self.issuer || claims.aud != self.audience {
            return Err(VerifyError::WrongIssuerOrAudience);
        }
        let now_s = now.as_secs();
        if claims.exp <= now_s {
            return Err(VerifyError::Expired);
        }
        if claims.iat > now_s + IAT_LEEWAY_SECS {
            return Err(VerifyError::NotYetValid);
        }
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::{Credential, CredentialKind};
    use crate::ids::{ClientId, OrgId, TechnicalAccountId};
    use crate::keys::SigningAlg;
    use crate::keys::signer::SigningKey;
    use crate::scope::ScopeList;
    use crate::token::client_credentials::{TokenSettings, issue};

    const NOW: UnixMillis = UnixMillis(1_700_000_000_000);

    fn setup(alg: SigningAlg) -> (SigningKey, TokenVerifier, TokenSettings, Credential) {
        let (key, _) = SigningKey::generate(alg).unwrap();
        let vk = VerifyingKey::from_jwk(&key.public_jwk()).unwrap();
        let settings = TokenSettings {
            issuer: "http://127.0.0.1:1".into(),
            audience: "http://127.0.0.1:1".into(),
            lifetime_ms: 86_400_000,
            ims_as: "ims-na1".into(),
        };
        let verifier =
            TokenVerifier::new(vec![vk], settings.issuer.clone(), settings.audience.clone());
        let cred = Credential {
            id: 7,
            project_id: 1,
            org_id: OrgId::generate().unwrap(),
            kind: CredentialKind::OAuthServerToServer,
            name: "demo".into(),
            client_id: ClientId::generate().unwrap(),
            technical_account_id: TechnicalAccountId::generate().unwrap(),
            technical_account_email: "e@techacct.adobe.com".into(),
            scopes: ScopeList::parse("openid,AdobeID").unwrap(),
            admin: false,
            enabled: true,
            tokens_revoked_before: UnixMillis(0),
            created_at: UnixMillis(0),
        };
        (key, verifier, settings, cred)
    }

    fn forge(header: &str, payload: &str, sig: &[u8]) -> String {
        format!(
            "{}.{}.{}",
            URL_SAFE_NO_PAD.encode(header),
            URL_SAFE_NO_PAD.encode(payload),
            URL_SAFE_NO_PAD.encode(sig)
        )
    }

    #[test]
    fn issued_tokens_verify_with_ims_and_rfc9068_claims() {
        for alg in [SigningAlg::Rs256, SigningAlg::Es256, SigningAlg::EdDsa] {
            let (key, verifier, settings, cred) = setup(alg);
            let t = issue(&settings, &key, &cred, &cred.scopes, NOW).unwrap();
            let c = verifier.verify(&t.access_token, NOW).unwrap();
            assert_eq!(c.created_at, "1700000000000");
            assert_eq!(c.expires_in, "86400000");
            assert_eq!(c.scope, "openid,AdobeID");
            assert_eq!(c.exp - c.iat, 86_400);
            assert_eq!(t.expires_in_secs, 86_399);
            assert_eq!(c.user_id, cred.technical_account_id.as_str());
            assert_eq!(
                verifier.verify(&t.access_token, UnixMillis::from_secs(c.exp)),
                Err(VerifyError::Expired)
            );
        }
    }

    #[test]
    fn hostile_tokens_are_refused() {
        let (key, verifier, settings, cred) = setup(SigningAlg::Rs256);
        let t = issue(&settings, &key, &cred, &cred.scopes, NOW).unwrap();
        let (h, rest) = t.access_token.split_once('.').unwrap();
        let (p, _) = rest.split_once('.').unwrap();
        let payload = String::from_utf8(URL_SAFE_NO_PAD.decode(p).unwrap()).unwrap();
        let kid = key.kid();
        // alg none, HMAC with the public key, embedded keys, wrong typ, duplicate members.
        let cases = [
            (
                format!(r#"{{"alg":"none","typ":"at+jwt","kid":"{kid}"}}"#),
                VerifyError::AlgorithmMismatch,
            ),
            (
                format!(r#"{{"alg":"HS256","typ":"at+jwt","kid":"{kid}"}}"#),
                VerifyError::AlgorithmMismatch,
            ),
            (
                format!(r#"{{"alg":"RS256","typ":"at+jwt","kid":"{kid}","jku":"http://x"}}"#),
                VerifyError::BadHeader,
            ),
            (
                format!(r#"{{"alg":"RS256","typ":"at+jwt","kid":"{kid}","jwk":{{}}}}"#),
                VerifyError::BadHeader,
            ),
            (
                format!(r#"{{"alg":"RS256","typ":"JWT","kid":"{kid}"}}"#),
                VerifyError::BadHeader,
            ),
            (
                format!(r#"{{"alg":"RS256","alg":"RS256","typ":"at+jwt","kid":"{kid}"}}"#),
                VerifyError::BadHeader,
            ),
            (
                r#"{"alg":"RS256","typ":"at+jwt","kid":"../../etc/passwd"}"#.to_string(),
                VerifyError::UnknownKey,
            ),
        ];
        for (header, want) in cases {
            let forged = forge(&header, &payload, b"sig");
            assert_eq!(verifier.verify(&forged, NOW), Err(want), "{header}");
        }
        // Tampered payload with the original signature.
        let tampered = payload.replace("openid,AdobeID", "openid,AdobeID,admin");
        let sig = t.access_token.rsplit('.').next().unwrap();
        let forged = format!("{h}.{}.{sig}", URL_SAFE_NO_PAD.encode(tampered));
        assert_eq!(
            verifier.verify(&forged, NOW),
            Err(VerifyError::BadSignature)
        );
        for junk in ["", "a.b", "a.b.c.d", "....", &"a.".repeat(10_000)] {
            assert!(verifier.verify(junk, NOW).is_err());
        }
    }

    #[test]
    fn claims_of_the_wrong_type_or_duplicated_are_errors() {
        let (key, verifier, settings, cred) = setup(SigningAlg::Es256);
        let t = issue(&settings, &key, &cred, &cred.scopes, NOW).unwrap();
        let good = serde_json::to_string(&t.claims).unwrap();
        let exp = t.claims.exp.to_string();
        let bad_type = good.replace(&format!(r#""exp":{exp}"#), r#""exp":"never""#);
        let duplicated = good.replacen('{', r#"{"sub":"other","#, 1);
        for payload in [bad_type, duplicated] {
            let token = key.sign_jwt(payload.as_bytes()).unwrap();
            assert_eq!(
                verifier.verify(&token, NOW),
                Err(VerifyError::BadClaims),
                "{payload}"
            );
        }
    }
}

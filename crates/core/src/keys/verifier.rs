//! Public keys rebuilt from JWKs, each bound to exactly one algorithm (RFC 8725 §3.1): a token
//! whose header names another algorithm than its key's is refused before any crypto runs, which
//! rules out `none` and HMAC-with-the-public-key (CVE-2015-9235).

use aws_lc_rs::signature::{
    ECDSA_P256_SHA256_FIXED, ED25519, RSA_PKCS1_2048_8192_SHA256, RsaPublicKeyComponents,
    UnparsedPublicKey,
};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::SigningAlg;

enum Public {
    Rsa { n: Vec<u8>, e: Vec<u8> },
    Ec(Vec<u8>),
    Ed(Vec<u8>),
}

/// A public key for verifying signatures of one algorithm.
pub struct VerifyingKey {
    kid: String,
    alg: SigningAlg,
    public: Public,
}

impl std::fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifyingKey")
            .field("kid", &self.kid)
            .field("alg", &self.alg)
            .finish_non_exhaustive()
    }
}

fn member(jwk: &serde_json::Value, name: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(jwk.get(name)?.as_str()?).ok()
}

impl VerifyingKey {
    /// Builds a key from a public JWK carrying `kid` and `alg`. Returns `None` for anything that
    /// is not a well-formed RSA, P-256 or Ed25519 public key.
    pub fn from_jwk(jwk: &serde_json::Value) -> Option<Self> {
        let kid = jwk.get("kid")?.as_str()?.to_owned();
        let alg = SigningAlg::parse(jwk.get("alg")?.as_str()?)?;
        let kty = jwk.get("kty")?.as_str()?;
        let public = match (alg, kty) {
            (SigningAlg::Rs256, "RSA") => Public::Rsa {
                n: member(jwk, "n")?,
                e: member(jwk, "e")?,
            },
            (SigningAlg::Es256, "EC") if jwk.get("crv")?.as_str()? == "P-256" => {
                let (x, y) = (member(jwk, "x")?, member(jwk, "y")?);
                if x.len() != 32 || y.len() != 32 {
                    return None;
                }
                let mut point = vec![4u8];
                point.extend_from_slice(&x);
                point.extend_from_slice(&y);
                Public::Ec(point)
            }
            (SigningAlg::EdDsa, "OKP") if jwk.get("crv")?.as_str()? == "Ed25519" => {
                Public::Ed(member(jwk, "x")?)
            }
            _ => return None,
        };
        Some(Self { kid, alg, public })
    }

    /// The key id.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The one algorithm this key verifies.
    pub fn alg(&self) -> SigningAlg {
        self.alg
    }

    /// Whether `sig` is a valid signature of `msg` by this key.
    pub fn verify(&self, msg: &[u8], sig: &[u8]) -> bool {
        match &self.public {
            Public::Rsa { n, e } => RsaPublicKeyComponents { n, e }
                .verify(&RSA_PKCS1_2048_8192_SHA256, msg, sig)
                .is_ok(),
            Public::Ec(point) => UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, point)
                .verify(msg, sig)
                .is_ok(),
            Public::Ed(x) => UnparsedPublicKey::new(&ED25519, x).verify(msg, sig).is_ok(),
        }
    }
}

//! Typed identifiers, in the formats Adobe uses (SPEC §2), and their random generation.
//!
//! Parsing happens at the edge: once a value is one of these types, it is known to be well
//! formed. Client ids and secrets use URL-safe characters only, because the seed 001 sample puts
//! them unencoded into a form body (SPEC §1).

use std::fmt;

use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use serde::{Deserialize, Serialize};

/// Fills `buf` from the operating system's CSPRNG.
///
/// A CSPRNG failure means the machine cannot produce secrets at all; there is no safe fallback.
pub fn random_bytes(buf: &mut [u8]) -> Result<(), RandomnessUnavailable> {
    SystemRandom::new()
        .fill(buf)
        .map_err(|_| RandomnessUnavailable)
}

/// The system random number generator failed.
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("the operating system's random number generator is unavailable")]
pub struct RandomnessUnavailable;

fn random_hex(bytes: usize) -> Result<String, RandomnessUnavailable> {
    let mut buf = vec![0u8; bytes];
    random_bytes(&mut buf)?;
    Ok(hex_upper(&buf))
}

/// Upper-case hex of `bytes`.
pub fn hex_upper(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 0xf) as usize] as char);
    }
    s
}

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The identifier as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }
            /// Wraps a value read back from storage, where it was validated on the way in.
            pub fn from_trusted(value: String) -> Self {
                Self(value)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

string_id!(
    /// An organization: `<24 upper hex>@AdobeOrg`.
    OrgId
);
string_id!(
    /// A client id: 32 lower-case hex characters (also the `x-api-key`).
    ClientId
);
string_id!(
    /// A technical account: `<24 upper hex>@techacct.adobe.com`.
    TechnicalAccountId
);

impl OrgId {
    /// A fresh random organization id.
    pub fn generate() -> Result<Self, RandomnessUnavailable> {
        Ok(Self(format!("{}@AdobeOrg", random_hex(12)?)))
    }

    /// Parses an organization id (`<hex>@AdobeOrg`, case of the hex preserved).
    pub fn parse(s: &str) -> Option<Self> {
        let hex = s.strip_suffix("@AdobeOrg")?;
        (!hex.is_empty() && hex.len() <= 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| Self(s.to_owned()))
    }
}

impl ClientId {
    /// A fresh random client id (32 lower-case hex, like Adobe's).
    pub fn generate() -> Result<Self, RandomnessUnavailable> {
        Ok(Self(random_hex(16)?.to_ascii_lowercase()))
    }

    /// Parses a client id as presented by a client. Any URL-safe id of 1–128 characters is
    /// accepted (imported credentials may not be hex); anything else cannot exist.
    pub fn parse(s: &str) -> Option<Self> {
        (!s.is_empty()
            && s.len() <= 128
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')))
        .then(|| Self(s.to_owned()))
    }
}

impl TechnicalAccountId {
    /// A fresh random technical account id.
    pub fn generate() -> Result<Self, RandomnessUnavailable> {
        Ok(Self(format!("{}@techacct.adobe.com", random_hex(12)?)))
    }
}

/// A fresh technical account email: `<uuid>@techacct.adobe.com`, as the Developer Console shows.
pub fn generate_technical_account_email() -> Result<String, RandomnessUnavailable> {
    let mut b = [0u8; 16];
    random_bytes(&mut b)?;
    Ok(format!(
        "{}@techacct.adobe.com",
        uuid::Builder::from_random_bytes(b).into_uuid()
    ))
}

/// A secret's public identifier: 32 lower-case hex, like the I/O Management API's `uuid`.
pub fn generate_secret_uuid() -> Result<String, RandomnessUnavailable> {
    Ok(random_hex(16)?.to_ascii_lowercase())
}

/// A token id (`jti`, also IMS `id`): a random UUID.
pub fn generate_token_id() -> Result<String, RandomnessUnavailable> {
    let mut b = [0u8; 16];
    random_bytes(&mut b)?;
    Ok(uuid::Builder::from_random_bytes(b).into_uuid().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_have_adobe_shapes() {
        let org = OrgId::generate().unwrap();
        assert!(OrgId::parse(org.as_str()).is_some());
        assert_eq!(org.as_str().len(), 24 + "@AdobeOrg".len());
        let client = ClientId::generate().unwrap();
        assert_eq!(client.as_str().len(), 32);
        assert!(ClientId::parse(client.as_str()).is_some());
        let ta = TechnicalAccountId::generate().unwrap();
        assert!(ta.as_str().ends_with("@techacct.adobe.com"));
    }

    #[test]
    fn client_id_parse_refuses_unsafe_characters() {
        for bad in ["", "a b", "a:b", "a%20", "ä", &"x".repeat(129)] {
            assert!(ClientId::parse(bad).is_none(), "{bad:?}");
        }
        assert!(OrgId::parse("ABC@AdobeOrg").is_some());
        assert!(OrgId::parse("XYZ@AdobeOrg").is_none());
    }
}

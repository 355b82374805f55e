//! Access tokens: what they claim, how clients authenticate, how the `client_credentials`
//! grant decides, and how Latchkey verifies its own tokens.
//!
//! - [`claims`]: the claim set (IMS shape + RFC 9068) and its strict parsing.
//! - [`client_auth`]: checking a presented secret against a credential's stored hashes.
//! - [`client_credentials`]: the grant: scopes, then a signed token.
//! - [`jwt_exchange`]: the legacy JWT exchange: checking a service account's signed assertion.
//! - [`strict_json`]: JSON without duplicate members, for claims we did not sign.
//! - [`verify`]: signature, header and claim checks for tokens Latchkey issued.
//! - [`error`]: the token endpoint's errors, as RFC 6749 §5.2 codes with Adobe's texts.

pub mod claims;
pub mod client_auth;
pub mod client_credentials;
pub mod error;
pub mod jwt_exchange;
pub mod strict_json;
pub mod verify;

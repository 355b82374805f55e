//! For resource servers (feature `axum`): accept Latchkey access tokens in an axum service.
//!
//! - [`jwks`]: the identity service's public keys from `{base}/ims/keys`, cached, fetched again
//!   when a token names an unknown `kid` (key rotation) but at most once per cooldown, so a
//!   flood of made-up `kid`s cannot turn into a flood of JWKS requests.
//! - [`verify`]: checks a compact JWT: algorithm from an allowlist (`RS256`, `ES256`, `EdDSA`;
//!   never `none` or HMAC, RFC 8725 §3.1), bound to the key's own algorithm; no key material
//!   taken from the header (`jwk`, `jku`, `x5u`, `x5c`); signature; `exp`, `iss` and, when
//!   configured, `aud`.
//! - [`extract`]: [`Authenticated`], an axum extractor that hands the verified claims to the
//!   handler, and [`AuthRejection`], the RFC 6750 answer when it cannot.
//!
//! ```no_run
//! use axum::{Router, routing::get};
//! use latchkey_client::resource::{Authenticated, LatchkeyAuth};
//!
//! async fn whoami(token: Authenticated) -> String {
//!     format!("hello {}", token.claims.client_id)
//! }
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! // Tokens of the identity service at this URL (its issuer), keys from {base}/ims/keys.
//! let auth = LatchkeyAuth::new("http://127.0.0.1:8080")?;
//! let app: Router = Router::new().route("/whoami", get(whoami)).with_state(auth);
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
//! axum::serve(listener, app).await?;
//! # Ok(()) }
//! ```

pub mod extract;
pub mod jwks;
pub mod verify;

pub use extract::{AuthRejection, Authenticated, LatchkeyAuth};
pub use verify::{Claims, VerifyError};

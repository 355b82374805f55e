//! [`Authenticated`]: an axum extractor that lets a handler run only with a valid Latchkey
//! token, and gives it the claims. Configured by [`LatchkeyAuth`], which the router state
//! provides (directly, or through `FromRef` from a larger state).
//!
//! Refusals follow RFC 6750 §3: no token → 401 with `WWW-Authenticate: Bearer`; an invalid one
//! → 401 with `error="invalid_token"` and a description; keys unreachable → 503. The body is the
//! RFC 6749 JSON shape `{"error", "error_description"}`.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::Json;
use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::jwks::JwksCache;
use super::verify::{Claims, Expectations, VerifyError, verify};
use crate::error::Error;
use crate::http::{self, BaseUrl};
use crate::secret::AccessToken;

/// Settings of [`LatchkeyAuth`] beyond the identity service's URL.
#[derive(Debug, Clone, Default)]
pub struct AuthOptions {
    /// Expected `iss` (default: the base URL, which is what Latchkey puts there).
    pub issuer: Option<String>,
    /// Expected `aud` (default: not checked; Latchkey's default audience is its issuer).
    pub audience: Option<String>,
    /// Least time between JWKS fetches for unknown `kid`s (default 30 s).
    pub cooldown: Option<Duration>,
    /// How long a fetched key set is used (default 5 min).
    pub max_age: Option<Duration>,
}

struct Inner {
    jwks: JwksCache,
    expect: Expectations,
}

/// What the [`Authenticated`] extractor verifies against. Cheap to clone.
#[derive(Clone)]
pub struct LatchkeyAuth {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for LatchkeyAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LatchkeyAuth")
            .field("jwks", &self.inner.jwks)
            .field("expect", &self.inner.expect)
            .finish()
    }
}

impl LatchkeyAuth {
    /// Tokens of the identity service at `base_url`, its keys at `{base_url}/ims/keys`.
    pub fn new(base_url: &str) -> Result<Self, Error> {
        Self::with_options(base_url, AuthOptions::default())
    }

    /// The same with `options`.
    pub fn with_options(base_url: &str, options: AuthOptions) -> Result<Self, Error> {
        let base = BaseUrl::parse(base_url)?;
        let mut jwks = JwksCache::new(base.join(&["ims", "keys"]), http::default_client()?);
        if let Some(c) = options.cooldown {
            jwks.cooldown = c;
        }
        if let Some(m) = options.max_age {
            jwks.max_age = m;
        }
        let issuer = options
            .issuer
            .unwrap_or_else(|| base.join(&[]).as_str().trim_end_matches('/').to_owned());
        Ok(Self {
            inner: Arc::new(Inner {
                jwks,
                expect: Expectations {
                    issuer,
                    audience: options.audience,
                },
            }),
        })
    }

    /// Verifies `token` now.
    pub async fn verify(&self, token: &str) -> Result<Claims, VerifyError> {
        verify(
            token,
            &self.inner.jwks,
            &self.inner.expect,
            SystemTime::now(),
        )
        .await
    }
}

/// A request that carried a valid token: its claims, and the token (to call further APIs on
/// the caller's behalf).
#[derive(Debug, Clone)]
pub struct Authenticated {
    /// The verified claims.
    pub claims: Claims,
    /// The bearer token as received.
    pub token: AccessToken,
}

impl Authenticated {
    /// `Ok` when the token carries `scope`, else the RFC 6750 `insufficient_scope` refusal (403).
    pub fn require_scope(&self, scope: &str) -> Result<(), AuthRejection> {
        if self.claims.has_scope(scope) {
            Ok(())
        } else {
            Err(AuthRejection {
                status: StatusCode::FORBIDDEN,
                error: Some("insufficient_scope"),
                description: format!(
                    "the token lacks the scope {scope}; ask for it when requesting the token"
                ),
            })
        }
    }
}

/// Why [`Authenticated`] refused a request; an RFC 6750 response.
#[derive(Debug)]
pub struct AuthRejection {
    status: StatusCode,
    error: Option<&'static str>,
    description: String,
}

impl AuthRejection {
    /// The HTTP status it answers with.
    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl From<VerifyError> for AuthRejection {
    fn from(e: VerifyError) -> Self {
        let status = match e {
            VerifyError::KeysUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            VerifyError::Malformed
            | VerifyError::BadHeader(_)
            | VerifyError::UnknownKey
            | VerifyError::AlgorithmMismatch
            | VerifyError::BadSignature
            | VerifyError::BadClaim(_)
            | VerifyError::WrongIssuer
            | VerifyError::WrongAudience
            | VerifyError::Expired => StatusCode::UNAUTHORIZED,
        };
        let description = if e == VerifyError::Expired {
            "the token has expired; get a new one".to_owned()
        } else {
            e.to_string()
        };
        Self {
            status,
            error: Some(if status == StatusCode::UNAUTHORIZED {
                "invalid_token"
            } else {
                "temporarily_unavailable"
            }),
            description,
        }
    }
}

impl IntoResponse for AuthRejection {
    fn into_response(self) -> Response {
        let challenge = match self.error {
            Some(error) if self.status != StatusCode::SERVICE_UNAVAILABLE => {
                format!(
                    "Bearer error=\"{error}\", error_description=\"{}\"",
                    self.description.replace('"', "'")
                )
            }
            _ => "Bearer".to_owned(),
        };
        let body = serde_json::json!({
            "error": self.error.unwrap_or("invalid_request"),
            "error_description": self.description,
        });
        let mut r = (self.status, Json(body)).into_response();
        if let Ok(v) = HeaderValue::from_str(&challenge) {
            r.headers_mut().insert(header::WWW_AUTHENTICATE, v);
        }
        r
    }
}

impl<S> FromRequestParts<S> for Authenticated
where
    LatchkeyAuth: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AuthRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let auth = LatchkeyAuth::from_ref(state);
        let value = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok());
        let Some(token) = value.and_then(|v| {
            v.split_once(' ')
                .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
                .map(|(_, t)| t.trim())
        }) else {
            return Err(AuthRejection {
                status: StatusCode::UNAUTHORIZED,
                error: None,
                description: "no bearer token: send Authorization: Bearer <access token>"
                    .to_owned(),
            });
        };
        let claims = auth.verify(token).await?;
        Ok(Authenticated {
            claims,
            token: AccessToken::new(token),
        })
    }
}

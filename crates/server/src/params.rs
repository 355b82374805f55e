//! Reading the parameters of an IMS request: query string, urlencoded or multipart body, and the
//! HTTP Basic header (SPEC §1, reference/adobe-protocol.md §1.1).
//!
//! Rules, each with its reason:
//! - Parameters come from the query **and** the body (old Adobe docs put `client_id` in the
//!   query; asset-compute-client too); the same name in both must carry the same value.
//! - `client_secret` in the query string is refused (RFC 6749 §2.3.1, SPEC §6) and never logged.
//! - A parameter repeated within one source is refused; empty values count as absent
//!   (RFC 6749 §3.2).
//! - Bodies are `application/x-www-form-urlencoded` or `multipart/form-data` (aio-lib-ims and
//!   jwt-auth send multipart), capped in size and field count, read under a timeout.
//! - HTTP Basic: `base64(urlencode(id) ":" urlencode(secret))` (RFC 6749 §2.3.1); using Basic and
//!   a body secret together is refused (RFC 6749 §2.3).

use std::collections::HashMap;
use std::convert::Infallible;
use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, header};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use latchkey_core::secret::ClientSecret;
use latchkey_core::token::error::TokenError;

use crate::error::ImsError;

/// Most parameters accepted in one request.
pub const MAX_FIELDS: usize = 64;

/// Client credentials presented with HTTP Basic.
#[derive(Debug)]
pub struct BasicCredentials {
    /// The decoded client id.
    pub client_id: String,
    /// The decoded secret.
    pub secret: ClientSecret,
}

/// The merged parameters of one request.
#[derive(Debug, Default)]
pub struct ImsParams {
    values: HashMap<String, String>,
    /// Credentials from the `Authorization: Basic` header, if sent.
    pub basic: Option<BasicCredentials>,
    /// The bearer token from the `Authorization` header, if sent (IMS `validate_token`).
    pub bearer: Option<String>,
}

fn invalid(msg: impl Into<String>) -> ImsError {
    ImsError::from(TokenError::InvalidRequest(msg.into()))
}

fn insert(map: &mut HashMap<String, String>, name: String, value: String) -> Result<(), ImsError> {
    if map.len() >= MAX_FIELDS {
        return Err(invalid(format!(
            "too many parameters: at most {MAX_FIELDS} are accepted"
        )));
    }
    if map.contains_key(&name) {
        return Err(invalid(format!(
            "parameter {} is repeated: send it once",
            printable(&name)
        )));
    }
    map.insert(name, value);
    Ok(())
}

/// A parameter name fit for an error message (RFC 6749 §5.2 charset), or a placeholder.
fn printable(name: &str) -> String {
    let ok = name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
    if ok {
        name.to_owned()
    } else {
        "(unprintable name)".to_owned()
    }
}

fn parse_urlencoded(bytes: &[u8]) -> Result<HashMap<String, String>, ImsError> {
    let mut map = HashMap::new();
    for (k, v) in form_urlencoded::parse(bytes) {
        insert(&mut map, k.into_owned(), v.into_owned())?;
    }
    Ok(map)
}

async fn parse_multipart(
    bytes: Bytes,
    boundary: String,
    limit: u64,
) -> Result<HashMap<String, String>, ImsError> {
    let stream = futures_util::stream::once(async move { Ok::<Bytes, Infallible>(bytes) });
    let constraints = multer::Constraints::new().size_limit(
        multer::SizeLimit::new()
            .whole_stream(limit)
            .per_field(limit),
    );
    let mut mp = multer::Multipart::with_constraints(stream, boundary, constraints);
    let mut map = HashMap::new();
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => {
                return Err(invalid(
                    "the multipart body is malformed: send a well-formed multipart/form-data body",
                ));
            }
        };
        let Some(name) = field.name().map(str::to_owned) else {
            return Err(invalid("a multipart field has no name"));
        };
        let value = field
            .text()
            .await
            .map_err(|_| invalid("a multipart field could not be read as text"))?;
        insert(&mut map, name, value)?;
    }
    Ok(map)
}

fn parse_authorization(
    headers: &HeaderMap,
) -> Result<(Option<BasicCredentials>, Option<String>), ImsError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok((None, None));
    };
    let malformed = || {
        invalid("the Authorization header is malformed: use Basic base64(client_id:client_secret)")
    };
    let value = value.to_str().map_err(|_| malformed())?;
    let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
    if scheme.eq_ignore_ascii_case("bearer") {
        let token = rest.trim();
        return Ok((None, (!token.is_empty()).then(|| token.to_owned())));
    }
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(invalid(
            "unsupported Authorization scheme: use Basic for client authentication",
        ));
    }
    let decoded = STANDARD.decode(rest.trim()).map_err(|_| malformed())?;
    let decoded = String::from_utf8(decoded).map_err(|_| malformed())?;
    let (id, secret) = decoded.split_once(':').ok_or_else(malformed)?;
    let unescape = |s: &str| -> Result<String, ImsError> {
        let plus = s.replace('+', " ");
        percent_encoding::percent_decode_str(&plus)
            .decode_utf8()
            .map(|c| c.into_owned())
            .map_err(|_| malformed())
    };
    let client_id = unescape(id)?;
    if client_id.is_empty() {
        return Err(malformed());
    }
    Ok((
        Some(BasicCredentials {
            client_id,
            secret: ClientSecret::from_presented(unescape(secret)?),
        }),
        None,
    ))
}

async fn read_body(
    body: Body,
    headers: &HeaderMap,
    limit: u64,
    timeout: Duration,
) -> Result<Bytes, ImsError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|len| len > limit) {
        return Err(ImsError::BodyTooLarge { limit });
    }
    let limited = Limited::new(body, usize::try_from(limit).unwrap_or(usize::MAX));
    match tokio::time::timeout(timeout, limited.collect()).await {
        Err(_) => Err(ImsError::BodyTimeout),
        Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => {
            Err(ImsError::BodyTooLarge { limit })
        }
        Ok(Err(_)) => Err(invalid("the request body could not be read")),
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
    }
}

impl ImsParams {
    /// Reads every parameter of `req`.
    pub async fn read(req: Request, limit: u64, timeout: Duration) -> Result<Self, ImsError> {
        let (parts, body) = req.into_parts();
        let query = parse_urlencoded(parts.uri.query().unwrap_or("").as_bytes())?;
        if query.contains_key("client_secret") {
            return Err(invalid(
                "client_secret must not be sent in the URL, where proxies and logs keep it: send it in the request body or with HTTP Basic, and rotate this secret",
            ));
        }
        let bytes = read_body(body, &parts.headers, limit, timeout).await?;
        let content_type = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let mime = crate::headers::media_type(&parts.headers);
        let body_params = if bytes.is_empty() && mime.is_empty() {
            HashMap::new()
        } else if mime == "application/x-www-form-urlencoded" {
            parse_urlencoded(&bytes)?
        } else if mime == "multipart/form-data" {
            let boundary = multer::parse_boundary(content_type)
                .map_err(|_| invalid("multipart/form-data without a boundary"))?;
            parse_multipart(bytes, boundary, limit).await?
        } else if bytes.is_empty() {
            HashMap::new()
        } else {
            return Err(ImsError::UnsupportedMediaType);
        };
        let mut values: HashMap<String, String> = HashMap::new();
        for (k, v) in query.into_iter().chain(body_params) {
            if v.is_empty() {
                continue;
            }
            match values.get(&k) {
                Some(existing) if *existing != v => {
                    return Err(invalid(format!(
                        "parameter {} has different values in the URL and the body: send it once",
                        printable(&k)
                    )));
                }
                _ => {
                    values.insert(k, v);
                }
            }
        }
        let (basic, bearer) = parse_authorization(&parts.headers)?;
        Ok(Self {
            values,
            basic,
            bearer,
        })
    }

    /// A parameter's value.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    /// The client id and secret, from Basic or the body (never both).
    pub fn client_credentials(&mut self) -> Result<(String, ClientSecret), ImsError> {
        let body_secret = self.values.remove("client_secret");
        match self.basic.take() {
            Some(basic) => {
                if body_secret.is_some() {
                    return Err(invalid(
                        "the client authenticated twice (HTTP Basic and client_secret in the body): use one method",
                    ));
                }
                if self
                    .get("client_id")
                    .is_some_and(|id| id != basic.client_id)
                {
                    return Err(invalid("client_id differs from the HTTP Basic user name"));
                }
                Ok((basic.client_id, basic.secret))
            }
            None => {
                let id = self
                    .get("client_id")
                    .ok_or_else(|| {
                        invalid("client_id is missing: send the credential's client id")
                    })?
                    .to_owned();
                let secret = body_secret.ok_or_else(|| {
                    invalid("client_secret is missing: send one of the credential's client secrets")
                })?;
                Ok((id, ClientSecret::from_presented(secret)))
            }
        }
    }
}

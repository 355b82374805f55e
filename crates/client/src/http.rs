//! What [`crate::TokenClient`], [`crate::ConsoleClient`] and [`crate::AssetsClient`] share: the
//! base URL, the reqwest clients, and turning an answer into a value or an [`Error`].
//!
//! Error bodies are read by shape, not by endpoint: an RFC 6749 `{"error", "error_description"}`
//! body becomes [`Error::OAuth`], a console or API gateway `{"error_code", "message"}` body
//! [`Error::Console`] (a Latchkey gateway denial's `explanation` and `fix` appended to the
//! message), an RFC 7807 problem document [`Error::Problem`], anything else
//! [`Error::Unexpected`] with a short, printable excerpt.

use std::time::Duration;

use latchkey_proto::ims::OAuthError;
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use url::Url;

use crate::error::{Error, Problem};
use crate::secret::AccessToken;

/// How long to wait for a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a whole call may take (transfers excepted: see [`transfer_client`]).
pub const CALL_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a transfer may go without a byte moving before it is given up.
const STALL_TIMEOUT: Duration = Duration::from_secs(60);
/// The prefix of the `type` of Latchkey's problem documents.
const PROBLEM_TYPE_PREFIX: &str = "urn:latchkey:problem:";
/// How much of an unexpected body an error quotes.
const EXCERPT_CHARS: usize = 200;

/// A reqwest client with the library's timeouts and user agent.
pub fn default_client() -> Result<reqwest::Client, Error> {
    builder()
        .timeout(CALL_TIMEOUT)
        .build()
        .map_err(Error::Setup)
}

/// A reqwest client for calls that move files: no limit on the whole call (a large upload
/// takes as long as it takes), but the same connect timeout and a limit on how long a read may
/// wait, so a stalled transfer still ends. Calls that should be short set
/// [`CALL_TIMEOUT`] on the request.
pub fn transfer_client() -> Result<reqwest::Client, Error> {
    builder()
        .read_timeout(STALL_TIMEOUT)
        .build()
        .map_err(Error::Setup)
}

/// What every client of the library has: the connect timeout and the user agent.
fn builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .user_agent(concat!("latchkey-client/", env!("CARGO_PKG_VERSION")))
}

/// A caller of an API with a token: the reqwest client, the server, and the credential, sent
/// as `Authorization: Bearer <token>` and `x-api-key: <client id>` (the token's own client id,
/// as both the console and Adobe's API gateway require).
#[derive(Debug, Clone)]
pub struct ApiCaller {
    http: reqwest::Client,
    /// The server.
    pub base: BaseUrl,
    client_id: String,
    token: AccessToken,
}

impl ApiCaller {
    /// A caller of the server at `base` as `client_id` with `token`, through `http`.
    pub fn new(http: reqwest::Client, base: BaseUrl, client_id: &str, token: AccessToken) -> Self {
        Self {
            http,
            base,
            client_id: client_id.to_owned(),
            token,
        }
    }

    /// The same, from the server's URL as given (checked by [`BaseUrl::parse`]).
    pub fn parse(
        http: reqwest::Client,
        base_url: &str,
        client_id: &str,
        token: AccessToken,
    ) -> Result<Self, Error> {
        Ok(Self::new(http, BaseUrl::parse(base_url)?, client_id, token))
    }

    /// An authenticated request.
    pub fn request(&self, method: Method, url: &Url) -> RequestBuilder {
        self.http
            .request(method, url.clone())
            .bearer_auth(self.token.expose_secret())
            .header("x-api-key", &self.client_id)
    }
}

/// The base URL of a server (`https://ims-na1.adobelogin.com`, `http://127.0.0.1:8080`, or one
/// with a path prefix behind a proxy).
#[derive(Debug, Clone)]
pub struct BaseUrl(Url);

impl BaseUrl {
    /// Parses and checks `base`.
    pub fn parse(base: &str) -> Result<Self, Error> {
        let url = Url::parse(base).map_err(|source| Error::InvalidUrl {
            url: base.to_owned(),
            source,
        })?;
        if url.cannot_be_a_base() || !matches!(url.scheme(), "http" | "https") {
            return Err(Error::UnsupportedUrl {
                url: base.to_owned(),
            });
        }
        Ok(Self(url))
    }

    /// The URL of `segments` under the base, each segment percent-encoded as needed.
    pub fn join(&self, segments: &[&str]) -> Url {
        let mut url = self.0.clone();
        url.set_query(None);
        url.set_fragment(None);
        // `parse` refused cannot-be-a-base URLs, so the segments are always editable.
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        url
    }
}

/// Sends `req`; a missing answer is [`Error::Unreachable`].
pub async fn send(req: RequestBuilder, url: &Url) -> Result<Response, Error> {
    req.send().await.map_err(|source| unreachable(url, source))
}

/// [`Error::Unreachable`] for a transport failure of a call to `url`.
pub fn unreachable(url: &Url, source: reqwest::Error) -> Error {
    Error::Unreachable {
        url: url.to_string(),
        source,
    }
}

/// The JSON body of a successful answer, or the error the answer carries.
pub async fn json<T: DeserializeOwned>(resp: Response) -> Result<T, Error> {
    let (status, url, body) = read(resp).await?;
    if !status.is_success() {
        return Err(error_from(status.as_u16(), &url, &body));
    }
    serde_json::from_str(&body).map_err(|source| Error::Decode {
        url: url.to_string(),
        source,
    })
}

/// Success with no body of interest (`204 No Content`), or the error the answer carries.
pub async fn empty(resp: Response) -> Result<(), Error> {
    let (status, url, body) = read(resp).await?;
    if status.is_success() {
        Ok(())
    } else {
        Err(error_from(status.as_u16(), &url, &body))
    }
}

/// The error a non-success answer carries (its body read whole: error bodies are small).
pub async fn failure(resp: Response) -> Error {
    match read(resp).await {
        Ok((status, url, body)) => error_from(status.as_u16(), &url, &body),
        Err(e) => e,
    }
}

async fn read(resp: Response) -> Result<(StatusCode, Url, String), Error> {
    let status = resp.status();
    let url = resp.url().clone();
    let body = resp.text().await.map_err(|e| unreachable(&url, e))?;
    Ok((status, url, body))
}

/// The error for a non-success answer, chosen by the shape of its body.
pub fn error_from(status: u16, url: &Url, body: &str) -> Error {
    if let Ok(e) = serde_json::from_str::<OAuthError>(body) {
        return Error::OAuth {
            status,
            error: e.error,
            description: e.error_description,
        };
    }
    if let Ok(e) = serde_json::from_str::<GatewayBody>(body) {
        return Error::Console {
            status,
            code: e.error_code,
            message: gateway_message(e.message, e.explanation, e.fix),
        };
    }
    if let Ok(p) = serde_json::from_str::<ProblemBody>(body)
        && (p.kind.is_some() || p.title.is_some())
    {
        let reason = p.reason.or_else(|| {
            p.kind
                .as_deref()
                .and_then(|t| t.strip_prefix(PROBLEM_TYPE_PREFIX))
                .map(str::to_owned)
        });
        return Error::Problem(Box::new(Problem {
            status,
            title: p.title.unwrap_or_default(),
            detail: p.detail.unwrap_or_default(),
            reason,
            fix: p.fix,
        }));
    }
    Error::Unexpected {
        status,
        url: url.to_string(),
        excerpt: excerpt(body),
    }
}

/// A console error body, or the API gateway's, whose Latchkey denials add an `explanation` and
/// a `fix` to Adobe's `{"error_code", "message"}`.
#[derive(Deserialize)]
struct GatewayBody {
    error_code: String,
    message: String,
    #[serde(default)]
    explanation: Option<String>,
    #[serde(default)]
    fix: Option<String>,
}

/// Adobe's message, then Latchkey's explanation and fix when the body has them.
fn gateway_message(message: String, explanation: Option<String>, fix: Option<String>) -> String {
    let (explanation, fix) = (
        explanation.filter(|e| !e.trim().is_empty()),
        fix.filter(|f| !f.trim().is_empty()),
    );
    if explanation.is_none() && fix.is_none() {
        return message;
    }
    let mut s = message.trim().trim_end_matches('.').to_owned();
    if let Some(e) = explanation {
        s.push_str(": ");
        s.push_str(e.trim().trim_end_matches('.'));
    }
    if let Some(f) = fix {
        s.push_str("; fix: ");
        s.push_str(f.trim().trim_end_matches('.'));
    }
    s
}

/// An RFC 7807 problem document; Latchkey's add `reason` and `fix` (and `stage` for denials).
#[derive(Deserialize)]
struct ProblemBody {
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    detail: Option<String>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    fix: Option<String>,
}

/// The start of `body` on one line, without control characters (a body may be anything).
pub fn excerpt(body: &str) -> String {
    let one_line: String = body
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(EXCERPT_CHARS)
        .collect();
    one_line.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn url() -> Url {
        Url::parse("http://127.0.0.1:8080/ims/token/v3").unwrap()
    }

    #[test]
    fn an_oauth_body_keeps_the_description() {
        let e = error_from(
            400,
            &url(),
            r#"{"error":"invalid_client","error_description":"invalid client_secret parameter"}"#,
        );
        assert!(matches!(&e, Error::OAuth { status: 400, error, .. } if error == "invalid_client"));
        assert_eq!(
            e.to_string(),
            "invalid client_secret parameter (invalid_client, HTTP 400)"
        );
        assert_eq!(e.code(), Some("invalid_client"));
        assert!(!e.is_unavailable());
    }

    #[test]
    fn a_console_body_keeps_code_and_message() {
        let e = error_from(
            409,
            &url(),
            r#"{"error_code":"last_secret","message":"a credential keeps at least one secret"}"#,
        );
        assert_eq!(e.status(), Some(409));
        assert_eq!(e.code(), Some("last_secret"));
        assert_eq!(
            e.to_string(),
            "a credential keeps at least one secret (last_secret, HTTP 409)"
        );
    }

    #[test]
    fn a_gateway_denial_keeps_its_explanation_and_fix() {
        let e = error_from(
            403,
            &url(),
            r#"{"error_code":"403003","message":"Api Key is invalid","stage":"gateway","reason":"api_key_invalid","explanation":"x-api-key is \"a\", but the token was issued to client b.","fix":"send x-api-key: b"}"#,
        );
        assert_eq!(e.code(), Some("403003"));
        assert_eq!(
            e.to_string(),
            "Api Key is invalid: x-api-key is \"a\", but the token was issued to client b; fix: send x-api-key: b (403003, HTTP 403)"
        );
    }

    #[test]
    fn a_problem_document_says_what_and_what_to_do() {
        let denial = error_from(
            403,
            &url(),
            r#"{"type":"urn:latchkey:problem:permission_denied","title":"Forbidden","status":403,"detail":"Technical account u has no create permission on /content/dam.","stage":"permission","reason":"permission_denied","fix":"assign the credential to a product profile with the AEM Administrators service"}"#,
        );
        assert!(matches!(&denial, Error::Problem(p) if p.status == 403));
        assert_eq!(denial.code(), Some("permission_denied"));
        assert_eq!(
            denial.to_string(),
            "Technical account u has no create permission on /content/dam; fix: assign the credential to a product profile with the AEM Administrators service (permission_denied, HTTP 403)"
        );
        assert!(!denial.is_unavailable());
        let missing = error_from(
            404,
            &url(),
            r#"{"type":"urn:latchkey:problem:not_found","title":"Not Found","status":404,"detail":"no folder /content/dam/x"}"#,
        );
        assert_eq!(missing.code(), Some("not_found"));
        assert_eq!(
            missing.to_string(),
            "no folder /content/dam/x (not_found, HTTP 404)"
        );
        let adobe = error_from(
            503,
            &url(),
            r#"{"type":"about:blank","title":"Service Unavailable","status":503}"#,
        );
        assert_eq!(adobe.to_string(), "Service Unavailable (HTTP 503)");
        assert!(adobe.is_unavailable());
    }

    #[test]
    fn throttling_and_5xx_are_unavailable() {
        let busy = error_from(
            429,
            &url(),
            r#"{"error":"too_many_requests","error_description":"slow down"}"#,
        );
        let down = error_from(
            503,
            &url(),
            r#"{"error_code":"unavailable","message":"try again"}"#,
        );
        assert!(busy.is_unavailable());
        assert!(down.is_unavailable());
    }

    #[test]
    fn another_body_is_unexpected_with_a_printable_excerpt() {
        let e = error_from(502, &url(), "<html>\n\t<b>Bad\x07 gateway</b></html>");
        assert!(matches!(&e, Error::Unexpected { status: 502, .. }));
        assert_eq!(
            e.to_string(),
            "unexpected HTTP 502 answer from http://127.0.0.1:8080/ims/token/v3: <html> <b>Bad gateway</b></html>"
        );
        assert!(e.is_unavailable());
        let empty = error_from(404, &url(), "");
        assert_eq!(
            empty.to_string(),
            "unexpected HTTP 404 answer from http://127.0.0.1:8080/ims/token/v3"
        );
        assert!(!empty.is_unavailable());
    }

    #[test]
    fn base_urls_join_segments_and_keep_a_prefix() {
        let b = BaseUrl::parse("https://ims.example.com/prefix/").unwrap();
        assert_eq!(
            b.join(&["ims", "token", "v3"]).as_str(),
            "https://ims.example.com/prefix/ims/token/v3"
        );
        let b = BaseUrl::parse("http://127.0.0.1:8080").unwrap();
        assert_eq!(
            b.join(&["console", "organizations", "A1@AdobeOrg", "x/y"])
                .as_str(),
            "http://127.0.0.1:8080/console/organizations/A1@AdobeOrg/x%2Fy"
        );
    }

    #[test]
    fn bad_base_urls_are_refused() {
        assert!(matches!(
            BaseUrl::parse("127.0.0.1:8080"),
            Err(Error::InvalidUrl { .. } | Error::UnsupportedUrl { .. })
        ));
        assert!(matches!(
            BaseUrl::parse("mailto:a@b.c"),
            Err(Error::UnsupportedUrl { .. })
        ));
        assert!(matches!(
            BaseUrl::parse("not a url"),
            Err(Error::InvalidUrl { .. })
        ));
    }
}

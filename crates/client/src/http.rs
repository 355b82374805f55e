//! What [`crate::TokenClient`] and [`crate::ConsoleClient`] share: the base URL, the reqwest
//! client, and turning an answer into a value or an [`Error`].
//!
//! Error bodies are read by shape, not by endpoint: an RFC 6749 `{"error", "error_description"}`
//! body becomes [`Error::OAuth`], a console `{"error_code", "message"}` body [`Error::Console`],
//! anything else [`Error::Unexpected`] with a short, printable excerpt.

use std::time::Duration;

use latchkey_proto::console::ConsoleErrorBody;
use latchkey_proto::ims::OAuthError;
use reqwest::{RequestBuilder, Response, StatusCode};
use serde::de::DeserializeOwned;
use url::Url;

use crate::error::Error;

/// How long to wait for a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a whole call may take.
const CALL_TIMEOUT: Duration = Duration::from_secs(60);
/// How much of an unexpected body an error quotes.
const EXCERPT_CHARS: usize = 200;

/// A reqwest client with the library's timeouts and user agent.
pub fn default_client() -> Result<reqwest::Client, Error> {
    reqwest::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(CALL_TIMEOUT)
        .user_agent(concat!("latchkey-client/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(Error::Setup)
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

fn unreachable(url: &Url, source: reqwest::Error) -> Error {
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
    if let Ok(e) = serde_json::from_str::<ConsoleErrorBody>(body) {
        return Error::Console {
            status,
            code: e.error_code,
            message: e.message,
        };
    }
    Error::Unexpected {
        status,
        url: url.to_string(),
        excerpt: excerpt(body),
    }
}

/// The start of `body` on one line, without control characters (a body may be anything).
fn excerpt(body: &str) -> String {
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

//! [`ChainProbe`]: what the AEM authorization chain says about a call, as data rather than as
//! an error. It is what `latchkey doctor` is built on.
//!
//! Two questions can be asked:
//! - [`ChainProbe::dry_run`]: Latchkey's `GET /adobe/latchkey/authorize?privilege=&path=`, which
//!   runs every stage for a privilege on a DAM path and changes nothing. Adobe has no such
//!   endpoint: the answer is then [`DryRun::Unsupported`].
//! - [`ChainProbe::call`]: the call itself (the caller decides whether it is safe to send).
//!
//! A refusal becomes a [`Refusal`] whatever its body: Latchkey's stage and reason headers and
//! `fix` member when present, Adobe's gateway `{"error_code","message"}`, an RFC 7807 `detail`,
//! or an excerpt of anything else. Only a missing answer is an [`Error`].
//!
//! ```no_run
//! use latchkey_client::chain::{ChainProbe, DryRun, Verdict};
//! use latchkey_client::AccessToken;
//!
//! # async fn run(token: AccessToken) -> Result<(), latchkey_client::Error> {
//! let probe = ChainProbe::new("https://author-p1-e1.example.com", "my-client-id", token)?;
//! match probe.dry_run("modify", "/content/dam/wknd").await? {
//!     DryRun::Answered(Verdict::Allowed { .. }) => println!("allowed"),
//!     DryRun::Answered(Verdict::Refused(r)) => println!("refused: {}", r.message),
//!     DryRun::Unsupported => println!("not a Latchkey server"),
//! }
//! # Ok(()) }
//! ```

pub use reqwest::Method;
use reqwest::Response;
use serde_json::Value;

use crate::error::Error;
use crate::http::{self, ApiCaller};
use crate::secret::AccessToken;

/// Asks the chain about calls made with one token and `x-api-key`.
#[derive(Debug, Clone)]
pub struct ChainProbe {
    caller: ApiCaller,
}

/// The outcome of a call.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// A 2xx or 304 answer.
    Allowed {
        /// HTTP status.
        status: u16,
        /// The JSON body (`null` when there is none or it is not JSON).
        body: Value,
    },
    /// Any other answer.
    Refused(Refusal),
}

/// A refusal, read from whatever the server sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// HTTP status.
    pub status: u16,
    /// Latchkey's `x-latchkey-denial-stage` (`gateway`, `allowlist`, ...), if sent.
    pub stage: Option<String>,
    /// Latchkey's `x-latchkey-denial-reason` (`client_not_allowlisted`, ...), if sent.
    pub reason: Option<String>,
    /// Adobe's gateway `error_code` (`401013`, `403003`, ...), if the body has one.
    pub error_code: Option<String>,
    /// What the server said: the gateway `message`, the problem `detail`, or an excerpt.
    pub message: String,
    /// Latchkey's explanation, when the body carries one besides `message`.
    pub explanation: Option<String>,
    /// Latchkey's `fix`, if sent.
    pub fix: Option<String>,
}

/// The outcome of a dry run.
#[derive(Debug, Clone, PartialEq)]
pub enum DryRun {
    /// The server ran the chain.
    Answered(Verdict),
    /// The server has no dry-run endpoint (Adobe's AEM): a 404 or 405 without Latchkey's
    /// denial headers.
    Unsupported,
}

impl ChainProbe {
    /// A probe of the AEM environment at `base_url`, sending `api_key` and `token`.
    pub fn new(base_url: &str, api_key: &str, token: AccessToken) -> Result<Self, Error> {
        Ok(Self {
            caller: ApiCaller::parse(http::default_client()?, base_url, api_key, token)?,
        })
    }

    /// Latchkey's dry run: would `privilege` (`read`, `create`, `modify`, `delete`) on the DAM
    /// `path` be allowed?
    pub async fn dry_run(&self, privilege: &str, path: &str) -> Result<DryRun, Error> {
        let mut url = self.caller.base.join(&["adobe", "latchkey", "authorize"]);
        url.query_pairs_mut()
            .append_pair("privilege", privilege)
            .append_pair("path", path);
        let resp = self.send(Method::GET, url).await?;
        let status = resp.status().as_u16();
        let latchkey = resp.headers().contains_key("x-latchkey-denial-stage");
        if matches!(status, 404 | 405) && !latchkey {
            return Ok(DryRun::Unsupported);
        }
        Ok(DryRun::Answered(verdict(resp).await?))
    }

    /// Sends `method` to `path` (absolute, under the base URL: `/adobe/assets/{id}/metadata`)
    /// with `query`, and reads the outcome. Nothing is sent in a body.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        query: &[(String, String)],
    ) -> Result<Verdict, Error> {
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let mut url = self.caller.base.join(&segments);
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        verdict(self.send(method, url).await?).await
    }

    async fn send(&self, method: Method, url: url::Url) -> Result<Response, Error> {
        http::send(self.caller.request(method, &url), &url).await
    }
}

async fn verdict(resp: Response) -> Result<Verdict, Error> {
    let status = resp.status().as_u16();
    let header = |name: &str| {
        resp.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let stage = header("x-latchkey-denial-stage");
    let reason = header("x-latchkey-denial-reason");
    let url = resp.url().to_string();
    let text = resp.text().await.map_err(|source| Error::Unreachable {
        url: url.clone(),
        source,
    })?;
    let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    if (200..300).contains(&status) || status == 304 {
        return Ok(Verdict::Allowed { status, body });
    }
    Ok(Verdict::Refused(refusal(
        status, stage, reason, &body, &text,
    )))
}

/// A refusal from its status, Latchkey's headers and the body, parsed or raw.
fn refusal(
    status: u16,
    stage: Option<String>,
    reason: Option<String>,
    body: &Value,
    text: &str,
) -> Refusal {
    let member = |name: &str| body.get(name).and_then(Value::as_str).map(str::to_owned);
    let error_code = member("error_code");
    let message = member("message")
        .or_else(|| member("detail"))
        .or_else(|| member("error_description"))
        .or_else(|| member("title"))
        .unwrap_or_else(|| http::excerpt(text));
    Refusal {
        status,
        stage: stage.or_else(|| member("stage")),
        reason: reason.or_else(|| member("reason")),
        error_code,
        explanation: member("explanation").filter(|e| *e != message),
        message,
        fix: member("fix"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_gateway_refusal_keeps_adobes_code_and_latchkeys_explanation() {
        let body = json!({"error_code":"403003","message":"Api Key is invalid",
            "stage":"gateway","reason":"api_key_invalid",
            "explanation":"x-api-key is \"x\", but the token was issued to client c.",
            "fix":"send x-api-key: c"});
        let r = refusal(403, Some("gateway".into()), None, &body, &body.to_string());
        assert_eq!(r.error_code.as_deref(), Some("403003"));
        assert_eq!(r.message, "Api Key is invalid");
        assert_eq!(r.reason.as_deref(), Some("api_key_invalid"));
        assert!(r.explanation.unwrap().contains("issued to client c"));
        assert_eq!(r.fix.as_deref(), Some("send x-api-key: c"));
    }

    #[test]
    fn a_problem_document_gives_its_detail_and_anything_else_an_excerpt() {
        let body = json!({"type":"urn:latchkey:problem:permission_denied","title":"Forbidden",
            "status":403,"detail":"no modify permission","fix":"assign..."});
        let r = refusal(403, None, None, &body, "");
        assert_eq!(r.message, "no modify permission");
        assert_eq!(r.explanation, None);
        let html = refusal(502, None, None, &Value::Null, "<html>\n<b>Bad gateway</b>");
        assert_eq!(html.message, "<html> <b>Bad gateway</b>");
        assert_eq!(html.stage, None);
    }
}

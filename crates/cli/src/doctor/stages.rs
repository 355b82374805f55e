//! The stages `latchkey doctor` reports, in the order the chain runs them, and which stage a
//! refusal belongs to.
//!
//! Latchkey names the stage and reason of every refusal (`x-latchkey-denial-*` headers) and
//! says how to fix it. Adobe does not: its refusals are read by their gateway code
//! (`401013`, `403003`, ...), by the allowlist message, and by status, and the fix is what the
//! seed documents teach ([`infer`]).

use latchkey_client::chain::Refusal;
use serde::Serialize;

/// A row of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Getting a token from the identity service, and the gateway's view of it.
    Token,
    /// `x-api-key` against the token's client.
    ApiKey,
    /// The environment and tier the host names.
    Environment,
    /// The `api.yaml` client-ID allowlist.
    Allowlist,
    /// The technical-account user and its product-profile groups.
    TechnicalAccount,
    /// The groups' privileges on the DAM path.
    Permission,
}

impl Stage {
    /// Every stage, in order.
    pub const ALL: [Stage; 6] = [
        Stage::Token,
        Stage::ApiKey,
        Stage::Environment,
        Stage::Allowlist,
        Stage::TechnicalAccount,
        Stage::Permission,
    ];

    /// Its name in the report.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Token => "token",
            Stage::ApiKey => "x-api-key",
            Stage::Environment => "environment",
            Stage::Allowlist => "allowlist",
            Stage::TechnicalAccount => "technical account",
            Stage::Permission => "permission",
        }
    }
}

/// Which stage a refusal belongs to, with what went wrong and the fix: Latchkey's own words
/// when it sent them, else what can be inferred.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The stage that refused.
    pub stage: Stage,
    /// The stable reason, when known (`client_not_allowlisted`, ...).
    pub reason: Option<String>,
    /// What went wrong.
    pub detail: String,
    /// What to do about it.
    pub fix: String,
}

/// What the call is about, for inferred fixes.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The client the token was issued to (what x-api-key must be).
    pub client_id: &'a str,
    /// The tier the host names (`author` unless the host says otherwise).
    pub tier: &'a str,
    /// The privilege needed.
    pub privilege: &'a str,
}

/// The stage of a Latchkey reason.
fn stage_of_reason(reason: &str) -> Option<Stage> {
    Some(match reason {
        "token_missing" | "token_invalid" | "token_expired" | "token_revoked"
        | "credential_revoked" => Stage::Token,
        "api_key_missing" | "api_key_invalid" => Stage::ApiKey,
        "unknown_environment" | "unknown_tier" => Stage::Environment,
        "organization_mismatch"
        | "no_api_config"
        | "env_type_not_listed"
        | "client_not_allowlisted" => Stage::Allowlist,
        "no_product_profile" => Stage::TechnicalAccount,
        "permission_denied" => Stage::Permission,
        _ => return None,
    })
}

/// The finding for a refusal of the chain; `None` when it is not the chain's (throttling, a
/// server error, a missing asset).
pub fn finding(r: &Refusal, cx: Context<'_>) -> Option<Finding> {
    if let Some(stage) = r.reason.as_deref().and_then(stage_of_reason) {
        let detail = match &r.explanation {
            Some(e) if !e.contains(&r.message) => match &r.error_code {
                Some(code) => format!("{} ({code}): {e}", r.message),
                None => format!("{}: {e}", r.message),
            },
            Some(e) => e.clone(),
            None => r.message.clone(),
        };
        return Some(Finding {
            stage,
            reason: r.reason.clone(),
            fix: r
                .fix
                .clone()
                .unwrap_or_else(|| infer(stage, cx).1.to_owned()),
            detail,
        });
    }
    let stage = infer_stage(r)?;
    let (reason, fix) = infer(stage, cx);
    let mut detail = format!("HTTP {}: {}", r.status, r.message);
    if stage == Stage::Permission && cx.privilege != "read" {
        detail.push_str(
            " (the services of product profiles grant read only; writes need AEM Administrators or an ACL)",
        );
    }
    Some(Finding {
        stage,
        reason: Some(reason.to_owned()),
        detail,
        fix: fix
            .replace("{client}", cx.client_id)
            .replace("{tier}", cx.tier),
    })
}

/// The stage of a refusal without Latchkey's headers (Adobe).
fn infer_stage(r: &Refusal) -> Option<Stage> {
    match r.error_code.as_deref() {
        Some("401013" | "403010" | "403011") => return Some(Stage::Token),
        Some("403000" | "403003") => return Some(Stage::ApiKey),
        Some(_) => return None,
        None => {}
    }
    if r.message.contains("not allowlisted") {
        return Some(Stage::Allowlist);
    }
    match r.status {
        401 => Some(Stage::Token),
        403 => Some(Stage::Permission),
        _ => None,
    }
}

/// The reason and fix of a stage when the server did not say (Adobe): what the seeds teach.
fn infer(stage: Stage, cx: Context<'_>) -> (&'static str, &'static str) {
    match stage {
        Stage::Token => (
            "token_invalid",
            "request a new token (latchkey token --no-cache) from the identity service this environment trusts, with the scopes of the API (openid, AdobeID, aem.assets.author, ...)",
        ),
        Stage::ApiKey => (
            "api_key_invalid",
            "send x-api-key: {client} (the Client ID of the credential that obtained the token)",
        ),
        Stage::Environment => (
            "unknown_environment",
            "check the environment URL (https://author-p<program>-e<environment>.adobeaemcloud.com)",
        ),
        Stage::Allowlist => (
            "client_not_allowlisted",
            "add {client} to data.allowedClientIDs.{tier} in config/api.yaml and deploy it with a Cloud Manager config pipeline",
        ),
        Stage::TechnicalAccount => (
            "no_product_profile",
            "add the credential to a product profile of this environment in the Developer Console (Connected credentials)",
        ),
        Stage::Permission if cx.privilege == "read" => (
            "permission_denied",
            "add the credential to a product profile of this environment (e.g. AEM Assets Collaborator Users), or grant its group read on the path",
        ),
        Stage::Permission => (
            "permission_denied",
            "move the credential to a product profile with the AEM Administrators service, or grant its service group write on the path (repoinit: allow jcr:read,rep:write on /content/dam)",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(status: u16, code: Option<&str>, message: &str) -> Refusal {
        Refusal {
            status,
            stage: None,
            reason: None,
            error_code: code.map(str::to_owned),
            message: message.to_owned(),
            explanation: None,
            fix: None,
        }
    }

    const CX: Context<'static> = Context {
        client_id: "c1",
        tier: "author",
        privilege: "modify",
    };

    #[test]
    fn latchkeys_reason_and_fix_are_taken_as_they_are() {
        let mut r = refusal(403, None, "IMS Client ID not allowlisted. ...");
        r.reason = Some("client_not_allowlisted".into());
        r.fix = Some("add c1 to data.allowedClientIDs.author".into());
        let f = finding(&r, CX).unwrap();
        assert_eq!(f.stage, Stage::Allowlist);
        assert_eq!(f.fix, "add c1 to data.allowedClientIDs.author");
        let mut g = refusal(401, Some("401013"), "Oauth token is not valid");
        g.reason = Some("token_expired".into());
        g.explanation = Some("The access token has expired.".into());
        let f = finding(&g, CX).unwrap();
        assert_eq!(f.stage, Stage::Token);
        assert_eq!(
            f.detail,
            "Oauth token is not valid (401013): The access token has expired."
        );
    }

    #[test]
    fn adobes_answers_are_read_by_code_message_and_status() {
        let stage = |r: Refusal| finding(&r, CX).map(|f| f.stage);
        assert_eq!(
            stage(refusal(401, Some("401013"), "Oauth token is not valid")),
            Some(Stage::Token)
        );
        assert_eq!(
            stage(refusal(403, Some("403003"), "Api Key is invalid")),
            Some(Stage::ApiKey)
        );
        assert_eq!(
            stage(refusal(
                403,
                None,
                "IMS Client ID not allowlisted. Allowlist the Client ID using the Configuration Pipeline."
            )),
            Some(Stage::Allowlist)
        );
        assert_eq!(
            stage(refusal(403, None, "Forbidden")),
            Some(Stage::Permission)
        );
        assert_eq!(stage(refusal(404, None, "Not Found")), None);
        assert_eq!(
            stage(refusal(429, Some("429050"), "Too many requests")),
            None
        );
        let f = finding(&refusal(403, Some("403003"), "Api Key is invalid"), CX).unwrap();
        assert!(f.fix.contains("x-api-key: c1"), "{}", f.fix);
        let f = finding(&refusal(403, None, "IMS Client ID not allowlisted."), CX).unwrap();
        assert!(f.fix.contains("allowedClientIDs.author"), "{}", f.fix);
        let f = finding(&refusal(403, None, "Forbidden"), CX).unwrap();
        assert!(f.detail.contains("read only"), "{}", f.detail);
        assert!(f.fix.contains("AEM Administrators"));
    }
}

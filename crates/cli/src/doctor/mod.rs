//! `latchkey doctor`: walk the AEM authorization chain for a credential and a call, and say
//! which stage refuses it and how to fix that (SPEC §3, the seed-000 forum thread).
//!
//! 1. **token**: get one with the credential of the settings ([`crate::credential`]), or take
//!    `--token`; an identity-service refusal stops here with its fix.
//! 2. The call is reduced to a privilege on a DAM path ([`target`]); an asset named by id has
//!    its path read from its metadata first.
//! 3. Latchkey answers the dry run `GET /adobe/latchkey/authorize` with the stage and reason of
//!    a refusal and its fix ([`stages`]). Adobe's AEM has no dry run: a read call that changes
//!    nothing (the folder listing or the asset's metadata) probes gateway, allowlist and read
//!    permission, and the refusal is read by its gateway code and message; a write privilege is
//!    then reported as unknown, never tried.
//!
//! The [`report`] has one row per stage; exit code 0 when no stage refuses, 1 when one does.

mod report;
mod stages;
mod target;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::Args;
use latchkey_client::AccessToken;
use latchkey_client::chain::{ChainProbe, DryRun, Method, Refusal, Verdict};
use serde_json::Value;

use self::report::Report;
use self::stages::{Context, Finding, Stage, finding};
use self::target::{Plan, Subject};
use crate::credential::ApiArgs;
use crate::failure::{CliError, EXIT_CODES};
use crate::output::outln;
use crate::output::span;
use crate::{output, runtime, token};

/// `latchkey doctor`.
#[derive(Debug, Args)]
#[command(after_help = after_help())]
pub struct DoctorArgs {
    #[command(flatten)]
    api: ApiArgs,
    /// What to check: a DAM path (/content/dam/...), an asset id (urn:aaid:aem:...), an API
    /// path (/adobe/assets/<id>/metadata, /adobe/folders?path=...) or a full API URL.
    #[arg(value_name = "TARGET", default_value = "/content/dam")]
    target: String,
    /// The HTTP method of the call (GET reads; POST/PUT create, PATCH modifies, DELETE deletes).
    #[arg(long, short = 'X', value_name = "METHOD", default_value = "GET")]
    method: String,
    /// Check this access token instead of getting one ("-" reads it from stdin).
    #[arg(long, value_name = "TOKEN")]
    token: Option<String>,
    /// Send this x-api-key instead of the token's client id (to check what an application sends).
    #[arg(long, value_name = "KEY")]
    api_key: Option<String>,
}

fn after_help() -> String {
    format!(
        "Stages, in the order AEM runs them: token, x-api-key, environment, allowlist (api.yaml),
technical account (product profiles), permission (the privilege on the DAM path). Against
Latchkey every stage is checked by a dry run that changes nothing; against Adobe's AEM the
stages are inferred from a read call, and a write privilege cannot be checked without making
the call.

Examples:
  latchkey doctor --dev-credentials latchkey-data/dev-credentials.json
  latchkey doctor -X PATCH urn:aaid:aem:9c09ff70-9ee8-4b14-a5fa-ec37baa0d1b3 --env-file .env
  latchkey doctor -X POST /content/dam/wknd-shared/uploads --profile prod
  latchkey doctor https://author-p1-e1.adobeaemcloud.com/adobe/assets/urn:aaid:aem:9c09.../metadata
  latchkey doctor --token \"$TOKEN\" --api-key \"$API_KEY\" /content/dam   # what an application sends

{EXIT_CODES}"
    )
}

/// Runs `latchkey doctor`.
pub fn run(args: DoctorArgs) -> Result<(), CliError> {
    let aem = match args.api.aem_url() {
        Ok(url) => Some(url),
        Err(CliError::Missing { .. }) => None,
        Err(e) => return Err(e),
    };
    let plan = target::plan(&args.target, &args.method, aem)?;
    let mut report = Report::new(plan.describe(), plan.base.clone());
    runtime::block_on(diagnose(&args, &plan, &mut report))?;
    if args.api.cred.json() {
        output::json(&report)?;
    } else {
        outln!("{}", report.render());
    }
    match report.failure() {
        Some(f) => Err(CliError::Refused(format!(
            "the call is refused at the {} stage",
            f.stage.label()
        ))),
        None => Ok(()),
    }
}

async fn diagnose(args: &DoctorArgs, plan: &Plan, report: &mut Report) -> Result<(), CliError> {
    let Some((token, client_id)) = token_stage(args, report).await? else {
        return Ok(());
    };
    report.client_id = Some(client_id.clone());
    let api_key = args.api_key.clone().unwrap_or_else(|| client_id.clone());
    let probe = ChainProbe::new(&plan.base, &api_key, token)?;
    let cx = Context {
        client_id: &client_id,
        tier: tier_of(&plan.base),
        privilege: plan.privilege,
    };
    let path = match &plan.subject {
        Subject::Path(p) => p.clone(),
        Subject::Asset(_) => {
            let (p, q) = plan.read_probe();
            match probe.call(Method::GET, &p, &q).await? {
                Verdict::Allowed { body, .. } => match repo_path(&body) {
                    Some(path) => path,
                    None => {
                        report.notes.push(format!(
                            "{p} answered without repositoryMetadata.repo:path, so the asset's path is unknown"
                        ));
                        report.unknown(Stage::Permission, "the asset's path is unknown");
                        report.allow();
                        return Ok(());
                    }
                },
                Verdict::Refused(r) => return conclude(report, &r, cx, &plan.base),
            }
        }
    };
    match probe.dry_run(plan.privilege, &path).await? {
        DryRun::Answered(Verdict::Allowed { body, .. }) => {
            describe_passed(report, &body, &client_id, cx.tier);
            report.allow();
            Ok(())
        }
        DryRun::Answered(Verdict::Refused(r)) => conclude(report, &r, cx, &plan.base),
        DryRun::Unsupported => without_dry_run(&probe, plan, report, cx).await,
    }
}

/// The token stage: the token to use and its client, or `None` when the stage failed.
async fn token_stage(
    args: &DoctorArgs,
    report: &mut Report,
) -> Result<Option<(AccessToken, String)>, CliError> {
    if let Some(given) = &args.token {
        let token = read_token(given)?;
        let claims = token::decode(&token)["claims"].clone();
        let client_id = claims
            .get("client_id")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .or_else(|| args.api_key.clone())
            .ok_or_else(|| {
                CliError::Usage(
                    "the token names no client_id: pass --api-key with the Client ID to send"
                        .into(),
                )
            })?;
        match expiry(&claims) {
            Some(at) if at <= SystemTime::now() => {
                report.fail(Finding {
                    stage: Stage::Token,
                    reason: Some("token_expired".into()),
                    detail: format!(
                        "the token of client {client_id} expired {} ago (by this machine's clock)",
                        span(SystemTime::now().duration_since(at).unwrap_or_default())
                    ),
                    fix: "request a new token (latchkey token --no-cache); applications should refresh before expires_in runs out".into(),
                });
                return Ok(None);
            }
            at => report.pass(
                Stage::Token,
                format!("token given, of client {client_id}{}", expires(at)),
            ),
        }
        return Ok(Some((AccessToken::new(token), client_id)));
    }
    match args.api.cred.obtain().await {
        Ok(o) => {
            report.pass(
                Stage::Token,
                format!(
                    "got a token for client {}{}",
                    o.client_id,
                    expires(Some(o.expires_at))
                ),
            );
            Ok(Some((o.access_token, o.client_id)))
        }
        Err(CliError::Token { client_id, source })
            if source.status().is_some() && !source.is_unavailable() =>
        {
            report.client_id = Some(client_id);
            report.fail(Finding {
                stage: Stage::Token,
                reason: source.code().map(str::to_owned),
                fix: token_fix(source.code()).to_owned(),
                detail: format!("the identity service refused: {source}"),
            });
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// What to do when the identity service refuses a token.
fn token_fix(code: Option<&str>) -> &'static str {
    match code {
        Some("invalid_client") => {
            "check CLIENT_ID and CLIENT_SECRET against the credential (latchkey secrets list shows its secrets; a deleted or disabled credential issues no tokens)"
        }
        Some("invalid_scope") => {
            "ask only for scopes the credential has (SCOPES or --scopes), or add the API to its project"
        }
        Some("unauthorized_client") => {
            "use a credential allowed this grant (OAuth Server-to-Server for client_credentials)"
        }
        _ => "read the identity service's message above and correct the credential settings",
    }
}

/// A refusal: its stage fails; a refusal outside the chain (a missing target) leaves the
/// permission stage unknown; throttling and server errors are errors.
fn conclude(report: &mut Report, r: &Refusal, cx: Context<'_>, base: &str) -> Result<(), CliError> {
    if let Some(f) = finding(r, cx) {
        report.fail(f);
        return Ok(());
    }
    if r.status == 429 || r.status >= 500 {
        return Err(CliError::Unavailable(format!(
            "{base} answered HTTP {}: {}; try again later",
            r.status, r.message
        )));
    }
    report
        .notes
        .push(format!("HTTP {}: {}", r.status, r.message));
    report.unknown(
        Stage::Permission,
        format!(
            "cannot be checked: the target was not found or not accepted (HTTP {})",
            r.status
        ),
    );
    report.allow();
    Ok(())
}

/// Adobe's AEM: probe with a read call, which changes nothing.
async fn without_dry_run(
    probe: &ChainProbe,
    plan: &Plan,
    report: &mut Report,
    cx: Context<'_>,
) -> Result<(), CliError> {
    report.notes.push(
        "this server has no dry run (Adobe's AEM): the stages are inferred from a read call, which changes nothing".into(),
    );
    let (p, q) = plan.read_probe();
    match probe.call(Method::GET, &p, &q).await? {
        Verdict::Allowed { .. } => {
            if plan.privilege != "read" {
                report.unknown(
                    Stage::Permission,
                    format!(
                        "read is allowed; {} cannot be checked without making the call (product profile services grant read only; writes need AEM Administrators or an ACL)",
                        plan.privilege
                    ),
                );
            }
            report.allow();
            Ok(())
        }
        Verdict::Refused(r) => conclude(report, &r, cx, &plan.base),
    }
}

/// The rows of a passed dry run, with what the server said about them.
fn describe_passed(report: &mut Report, body: &Value, client_id: &str, tier: &str) {
    let s = |k: &str| {
        body.get(k)
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_owned()
    };
    let groups: Vec<&str> = body
        .get("groups")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    report.pass(Stage::ApiKey, format!("{client_id}, the token's client"));
    report.pass(Stage::Environment, s("bucket"));
    report.pass(
        Stage::Allowlist,
        format!("{client_id} is listed for {tier} in api.yaml"),
    );
    report.pass(
        Stage::TechnicalAccount,
        format!("user {}; groups: {}", s("user"), groups.join(", ")),
    );
    report.pass(
        Stage::Permission,
        format!("{} on {}", s("privilege"), s("path")),
    );
}

/// `repositoryMetadata.repo:path` of an asset's metadata.
fn repo_path(body: &Value) -> Option<String> {
    body.get("repositoryMetadata")?
        .get("repo:path")?
        .as_str()
        .map(str::to_owned)
}

/// The tier a host names: `publish-p1-e2.…` is publish; anything else author.
fn tier_of(base: &str) -> &'static str {
    let host = base.split("://").nth(1).unwrap_or(base);
    if host.starts_with("publish-") {
        "publish"
    } else if host.starts_with("preview-") {
        "preview"
    } else {
        "author"
    }
}

/// The token given: as is, or from stdin for `-`.
fn read_token(given: &str) -> Result<String, CliError> {
    if given != "-" {
        return Ok(given.trim().to_owned());
    }
    let mut s = String::new();
    std::io::Read::read_to_string(&mut std::io::stdin(), &mut s).map_err(|source| {
        CliError::ReadFile {
            path: "<stdin>".into(),
            source,
        }
    })?;
    Ok(s.trim().to_owned())
}

/// When a token expires: `exp` (seconds), or Adobe's `created_at` + `expires_in` (milliseconds,
/// as strings).
fn expiry(claims: &Value) -> Option<SystemTime> {
    let num = |k: &str| match claims.get(k)? {
        Value::String(s) => s.parse::<u64>().ok(),
        v => v.as_u64(),
    };
    let ms = match num("exp") {
        Some(s) => s.checked_mul(1000)?,
        None => num("created_at")?.checked_add(num("expires_in")?)?,
    };
    UNIX_EPOCH.checked_add(Duration::from_millis(ms))
}

fn expires(at: Option<SystemTime>) -> String {
    match at.map(|t| t.duration_since(SystemTime::now())) {
        Some(Ok(left)) => format!(", expires in {}", span(left)),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn expiry_reads_exp_or_adobes_millisecond_strings() {
        let at = |v: Value| {
            expiry(&v).map(|t| t.duration_since(UNIX_EPOCH).unwrap_or_default().as_millis())
        };
        assert_eq!(at(json!({"exp": 1_700_000_000})), Some(1_700_000_000_000));
        assert_eq!(
            at(json!({"created_at": "1645197489007", "expires_in": "86400000"})),
            Some(1_645_283_889_007)
        );
        assert_eq!(at(json!({"client_id": "x"})), None);
    }

    #[test]
    fn the_tier_comes_from_the_host() {
        assert_eq!(
            tier_of("https://publish-p1-e2.adobeaemcloud.com"),
            "publish"
        );
        assert_eq!(tier_of("https://author-p1-e2.adobeaemcloud.com"), "author");
        assert_eq!(tier_of("http://127.0.0.1:8080"), "author");
    }
}

//! `latchkey token`: print an access token (or, with `--decode`, its header and claims), for
//! `curl -H "Authorization: Bearer $(latchkey token)"` and scripts.
//!
//! The credential is read as [`crate::credential`] says: a client id and secret, or an AEM
//! service-credentials JSON (`--service-credentials FILE`). Tokens are cached between runs
//! ([`cache`]) unless `--no-cache`.

pub mod cache;

use std::time::SystemTime;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use clap::Args;
use latchkey_client::AccessToken;
use serde_json::{Value, json};

use crate::credential::CredentialArgs;
use crate::failure::{CliError, EXIT_CODES};
use crate::output;
use crate::output::outln;
use crate::runtime;

/// `latchkey token`.
#[derive(Debug, Args)]
#[command(after_help = after_help())]
pub struct TokenArgs {
    #[command(flatten)]
    cred: CredentialArgs,
    /// Print the token's header and claims, decoded (not verified), instead of the token.
    #[arg(long)]
    decode: bool,
}

fn after_help() -> String {
    format!(
        "Tokens are cached in $XDG_CACHE_HOME/latchkey/tokens (or ~/.cache/latchkey/tokens), one 0600 file
per server, credential and scopes, and reused until five minutes before they expire. Without
--ims, IMS_URL or a settings file naming a server, tokens come from https://ims-na1.adobelogin.com.

Examples:
  latchkey token --dev-credentials latchkey-data/dev-credentials.json
  latchkey token --env-file .env                     # CLIENT_ID, CLIENT_SECRET, SCOPES as in Adobe's sample
  latchkey token --profile prod --scopes openid,AdobeID,aem.assets.author
  latchkey token --service-credentials aem-service-credentials.json --decode
  curl -H \"Authorization: Bearer $(latchkey token --profile prod)\" ...

{EXIT_CODES}"
    )
}

/// Runs `latchkey token`.
pub fn run(args: TokenArgs) -> Result<(), CliError> {
    let token = runtime::block_on(args.cred.obtain())?;
    print(&args, &token.access_token, token.expires_at)
}

fn print(args: &TokenArgs, token: &AccessToken, expires_at: SystemTime) -> Result<(), CliError> {
    let expires_in = expires_at
        .duration_since(SystemTime::now())
        .map_or(0, |d| d.as_secs());
    if args.decode {
        return output::json(&decode(token.expose_secret()));
    }
    if args.cred.json() {
        return output::json(&json!({
            "access_token": token.expose_secret(),
            "token_type": "bearer",
            "expires_in": expires_in,
        }));
    }
    outln!("{}", token.expose_secret());
    Ok(())
}

/// Header and claims of a JWT, without verification; `null` parts for a token that is not one.
pub fn decode(token: &str) -> Value {
    let part = |i: usize| -> Value {
        token
            .split('.')
            .nth(i)
            .and_then(|p| URL_SAFE_NO_PAD.decode(p).ok())
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or(Value::Null)
    };
    json!({"header": part(0), "claims": part(1)})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_shows_header_and_claims() {
        let h = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256"}"#);
        let c = URL_SAFE_NO_PAD.encode(br#"{"client_id":"abc"}"#);
        let v = decode(&format!("{h}.{c}.sig"));
        assert_eq!(v["header"]["alg"], "RS256");
        assert_eq!(v["claims"]["client_id"], "abc");
        assert_eq!(decode("opaque")["claims"], Value::Null);
    }
}

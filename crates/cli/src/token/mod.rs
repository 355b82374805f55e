//! `latchkey token`: print an access token (or, with `--decode`, its header and claims), for
//! `curl -H "Authorization: Bearer $(latchkey token)"` and scripts.
//!
//! The credential is a client id and secret (`client_credentials`), or an AEM
//! service-credentials JSON (`--service-credentials FILE`: the legacy JWT exchange, to the
//! identity service the file names unless `--ims` says otherwise). Tokens are cached between
//! runs ([`cache`]) unless `--no-cache`.

pub mod cache;

use std::path::PathBuf;
use std::time::SystemTime;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use clap::Args;
use latchkey_client::{AccessToken, Credentials, ServiceCredentials, TokenClient, TokenProvider};
use serde_json::{Value, json};

use self::cache::TokenCache;
use crate::connection::{Connection, ConnectionArgs, Role};
use crate::failure::{CliError, EXIT_CODES};
use crate::output;
use crate::runtime;
use crate::sources::split_scopes;

/// `latchkey token`.
#[derive(Debug, Args)]
#[command(after_help = after_help())]
pub struct TokenArgs {
    #[command(flatten)]
    conn: ConnectionArgs,
    /// Scopes to ask for, separated by commas (default: SCOPES of the settings, else every
    /// scope of the credential).
    #[arg(long, value_name = "LIST", env = "SCOPES")]
    scopes: Option<String>,
    /// An AEM service-credentials JSON (from the AEM Developer Console): use the legacy JWT
    /// exchange instead of a client secret.
    #[arg(long, value_name = "FILE", env = "SERVICE_CREDENTIALS")]
    service_credentials: Option<PathBuf>,
    /// Print the token's header and claims, decoded (not verified), instead of the token.
    #[arg(long)]
    decode: bool,
    /// Do not use the token cache: always ask the identity service, and do not store the token.
    #[arg(long)]
    no_cache: bool,
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
    let partial = Connection::partial(&args.conn)?;
    let service = args
        .service_credentials
        .clone()
        .or(partial.service_credentials.clone());
    let (creds, ims) = match service {
        Some(path) => {
            let sc = ServiceCredentials::from_file(&path).map_err(|e| CliError::ConfigFile {
                path: path.clone(),
                reason: e.to_string(),
            })?;
            let ims = partial.ims.clone().unwrap_or_else(|| sc.origin());
            (Credentials::service_account(sc), ims)
        }
        None => {
            let conn = Connection::resolve_as(&args.conn, Role::Token)?;
            let scopes = args
                .scopes
                .as_deref()
                .map(split_scopes)
                .or(conn.scopes.clone())
                .unwrap_or_default();
            let scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
            let creds =
                Credentials::client_credentials(&conn.client_id, conn.secret().clone(), &scopes);
            (creds, conn.ims().to_owned())
        }
    };
    let cache = if args.no_cache {
        None
    } else {
        TokenCache::default_location()
    };
    let key = format!("{ims}\n{}", creds.cache_key());
    let now = SystemTime::now();
    if let Some(hit) = cache.as_ref().and_then(|c| c.get(&key, now)) {
        return print(&args, &hit.access_token, hit.expires_at);
    }
    let provider = TokenProvider::new(TokenClient::new(&ims)?);
    let token = runtime::block_on(async {
        provider
            .token(&creds)
            .await
            .map_err(|source| CliError::Token {
                client_id: creds.client_id().to_owned(),
                source,
            })
    })?;
    if let Some(c) = &cache
        && let Err(e) = c.put(
            &key,
            &token.access_token,
            token.expires_at,
            SystemTime::now(),
        )
    {
        output::warn(&format!(
            "cannot cache the token in {} ({e}); pass --no-cache to silence this",
            c.dir().display()
        ));
    }
    print(&args, &token.access_token, token.expires_at)
}

fn print(args: &TokenArgs, token: &AccessToken, expires_at: SystemTime) -> Result<(), CliError> {
    let expires_in = expires_at
        .duration_since(SystemTime::now())
        .map_or(0, |d| d.as_secs());
    if args.decode {
        return output::json(&decode(token.expose_secret()));
    }
    if args.conn.json {
        return output::json(&json!({
            "access_token": token.expose_secret(),
            "token_type": "bearer",
            "expires_in": expires_in,
        }));
    }
    println!("{}", token.expose_secret());
    Ok(())
}

/// Header and claims of a JWT, without verification; `null` parts for a token that is not one.
fn decode(token: &str) -> Value {
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

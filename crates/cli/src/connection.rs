//! Where a client command finds its server and credential, and how it gets a console session.
//!
//! Each setting comes from, in this order: its flag, its environment variable, then a settings
//! file ([`crate::sources`]): a profile (`--profile NAME`), a `.env` (`--env-file FILE`, or
//! `./.env` when present, as Adobe's samples load it), then the `--dev-credentials` file
//! (`dev-credentials.json` of `latchkey serve --dev`, possibly named by the profile). The variables
//! carry no `LATCHKEY_` prefix on purpose: `latchkey serve` refuses unknown `LATCHKEY_*`
//! variables, and the names are those of Adobe's samples (`CLIENT_ID`, `CLIENT_SECRET` in a
//! `.env`). The client id and secret are taken together: from flags/environment when a client
//! id is given there (the secret may then come from a `.env` or profile naming the same
//! client), else from the `.env` or profile, else from the dev file (its `admin` credential for
//! console commands, or the demo one when the file has no admin or for `latchkey token`).
//! `latchkey token` without any URL asks Adobe's IMS, as the seed's sample does.

use std::path::{Path, PathBuf};

use base64::Engine;
use clap::Args;
use latchkey_client::{ClientSecret, ConsoleClient, Error as ClientError, Token, TokenClient};
use latchkey_proto::dev::DevCredentials;

use crate::failure::CliError;
use crate::sources::profiles;
use crate::sources::{FileSettings, Source};

/// Connection flags shared by `secrets` and `admin`.
#[derive(Debug, Args)]
#[command(next_help_heading = "Connection and output")]
pub struct ConnectionArgs {
    // Written as `help` rather than a doc comment: rustdoc would want the URLs in angle brackets.
    #[arg(
        long,
        value_name = "URL",
        env = "IMS_URL",
        global = true,
        help = "Base URL of the identity service, e.g. http://127.0.0.1:8080 or https://ims-na1.adobelogin.com"
    )]
    ims: Option<String>,
    /// Client id of the calling credential (also sent as x-api-key).
    #[arg(long, value_name = "ID", env = "CLIENT_ID", global = true)]
    client_id: Option<String>,
    /// Client secret of the calling credential; prefer the environment variable, which stays out
    /// of the process list and the shell history.
    #[arg(long, value_name = "SECRET", env = "CLIENT_SECRET", hide_env_values = true, global = true, value_parser = parse_secret)]
    client_secret: Option<ClientSecret>,
    /// Organization id (`...@AdobeOrg`); default: the file's, else the one the token names.
    #[arg(long, value_name = "ORG_ID", env = "ORG_ID", global = true)]
    org: Option<String>,
    /// A dev-credentials.json written by `latchkey serve --dev`: server, organization and (unless
    /// given otherwise) the admin credential.
    #[arg(long, value_name = "FILE", global = true)]
    dev_credentials: Option<PathBuf>,
    /// A .env file with IMS_URL, CLIENT_ID, CLIENT_SECRET, SCOPES, ORG_ID (Adobe's sample
    /// format); default: ./.env when it exists and no other file is named.
    #[arg(long, value_name = "FILE", global = true)]
    env_file: Option<PathBuf>,
    /// A named profile of profiles.toml in the configuration directory
    /// ($XDG_CONFIG_HOME/latchkey or ~/.config/latchkey).
    // Its own id: `admin profiles ... PROFILE` has a positional argument named `profile`.
    #[arg(
        long = "profile",
        id = "settings_profile",
        value_name = "NAME",
        global = true
    )]
    profile: Option<String>,
    /// Print the API's JSON instead of tables.
    #[arg(long, global = true)]
    pub json: bool,
}

fn parse_secret(s: &str) -> Result<ClientSecret, std::convert::Infallible> {
    Ok(ClientSecret::new(s))
}

/// Where `latchkey token` asks when no URL is set anywhere, as Adobe's samples do.
pub const ADOBE_IMS: &str = "https://ims-na1.adobelogin.com";

/// Who a command acts as when only a dev-credentials file names credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Console commands: the file's admin credential.
    Console,
    /// `latchkey token`: the file's demo credential (the one with API scopes).
    Token,
}

/// Server and credential of a command, resolved.
#[derive(Debug)]
pub struct Connection {
    ims: String,
    /// The calling client id.
    pub client_id: String,
    secret: ClientSecret,
    org: Option<String>,
    /// Credential ids the dev file names, by client id.
    known_ids: Vec<(String, i64)>,
    /// The credential `secrets` works on by default: the file's demo credential when the caller
    /// came from the file.
    pub default_target: Option<i64>,
    /// Scopes a settings file names (`SCOPES`).
    pub scopes: Option<Vec<String>>,
    /// `CREDENTIAL_ID` of a settings file.
    pub credential_id: Option<i64>,
    /// The settings files in use, most specific first: where `secrets rotate` writes.
    pub files: Vec<Source>,
}

/// Settings before the credential is required: what `latchkey token` needs to choose between
/// a client secret and a service-credentials file.
#[derive(Debug)]
pub struct Partial {
    /// The identity service URL, if given anywhere.
    pub ims: Option<String>,
    /// A service-credentials file named by `.env` (`SERVICE_CREDENTIALS`) or the profile.
    pub service_credentials: Option<PathBuf>,
    /// The AEM environment's base URL named by `.env` (`AEM_URL`), the profile, or the dev
    /// file (its `aem.base_url`).
    pub aem: Option<String>,
}

/// A console client with the organization it works in.
pub struct Session {
    /// The client.
    pub console: ConsoleClient,
    /// The organization id.
    pub org: String,
}

impl Connection {
    /// Resolves flags, environment and settings files for a console command.
    pub fn resolve(args: &ConnectionArgs) -> Result<Self, CliError> {
        Self::resolve_as(args, Role::Console)
    }

    /// What the settings say before a credential is required.
    pub fn partial(args: &ConnectionArgs) -> Result<Partial, CliError> {
        let (_, file, dev) = load_files(args)?;
        let dev = dev.map(|(_, d)| d);
        Ok(Partial {
            ims: args
                .ims
                .clone()
                .or(file.ims)
                .or_else(|| dev.as_ref().map(|d| d.ims.clone())),
            service_credentials: file.service_credentials,
            aem: file
                .aem
                .or_else(|| dev.and_then(|d| d.aem).map(|a| a.base_url)),
        })
    }

    /// Resolves flags, environment and settings files, acting as `role`.
    pub fn resolve_as(args: &ConnectionArgs, role: Role) -> Result<Self, CliError> {
        let (source, file, dev_loaded) = load_files(args)?;
        let dev = dev_loaded.as_ref().map(|(_, d)| d);
        let mut files: Vec<Source> = source.into_iter().collect();
        if let Some((p, _)) = &dev_loaded {
            files.push(Source::DevFile(p.clone()));
        }
        let ims = args
            .ims
            .clone()
            .or(file.ims.clone())
            .or_else(|| dev.map(|d| d.ims.clone()))
            // Adobe's sample `.env` names no URL: its tokens come from Adobe's IMS.
            .or_else(|| (role == Role::Token).then(|| ADOBE_IMS.to_owned()))
            .ok_or(CliError::Missing {
                what: "identity service URL",
                flag: "--ims URL",
                env: "IMS_URL",
            })?;
        let missing_secret = CliError::Missing {
            what: "client secret",
            flag: "--client-secret",
            env: "CLIENT_SECRET",
        };
        let (client_id, secret, from_dev) = match (&args.client_id, &file.client_id, dev) {
            (Some(id), _, _) => {
                let same_client = file.client_id.as_ref().is_none_or(|f| f == id);
                let secret = args
                    .client_secret
                    .clone()
                    .or(file.client_secret.clone().filter(|_| same_client))
                    .ok_or(missing_secret)?;
                (id.clone(), secret, false)
            }
            (None, Some(id), _) => {
                let secret = args
                    .client_secret
                    .clone()
                    .or(file.client_secret.clone())
                    .ok_or(missing_secret)?;
                (id.clone(), secret, false)
            }
            (None, None, Some(d)) => {
                let demo = &d.credentials.oauth_server_to_server;
                match (&d.admin, role) {
                    (Some(a), Role::Console) => (
                        a.client_id.clone(),
                        ClientSecret::new(&a.client_secret),
                        true,
                    ),
                    _ => (
                        demo.client_id.clone(),
                        ClientSecret::new(&demo.client_secret),
                        true,
                    ),
                }
            }
            (None, None, None) => {
                return Err(CliError::Missing {
                    what: "client id",
                    flag: "--client-id",
                    env: "CLIENT_ID",
                });
            }
        };
        let mut known_ids = Vec::new();
        if let Some(d) = dev {
            let demo = &d.credentials.oauth_server_to_server;
            known_ids.push((demo.client_id.clone(), demo.credential_id));
            if let Some(a) = &d.admin {
                known_ids.push((a.client_id.clone(), a.credential_id));
            }
        }
        let default_target = dev
            .filter(|_| from_dev)
            .map(|d| d.credentials.oauth_server_to_server.credential_id);
        let scopes = file.scopes.clone().or_else(|| {
            dev.filter(|_| from_dev && role == Role::Token)
                .map(|d| d.credentials.oauth_server_to_server.scopes.clone())
        });
        Ok(Self {
            ims,
            client_id,
            secret,
            org: args
                .org
                .clone()
                .or(file.org.clone())
                .or_else(|| dev.map(|d| d.org_id.clone())),
            known_ids,
            default_target,
            scopes,
            credential_id: file.credential_id,
            files,
        })
    }

    /// The identity service URL.
    pub fn ims(&self) -> &str {
        &self.ims
    }

    /// The calling credential's secret.
    pub fn secret(&self) -> &ClientSecret {
        &self.secret
    }

    /// The numeric id of the calling credential, when the dev file names it.
    pub fn own_id_if_known(&self) -> Option<i64> {
        self.known_ids
            .iter()
            .find(|(id, _)| *id == self.client_id)
            .map(|(_, n)| *n)
    }

    /// Gets a token asking for `scopes` and opens a console session with it.
    pub async fn session(&self, scopes: &[&str]) -> Result<Session, CliError> {
        let token = self.token(scopes).await?;
        let org = match &self.org {
            Some(o) => o.clone(),
            None => org_claim(token.access_token.expose_secret()).ok_or(CliError::MissingOrg)?,
        };
        let console = ConsoleClient::new(&self.ims, &self.client_id, token.access_token)?;
        Ok(Session { console, org })
    }

    /// A token for `scopes`. An organization admin may manage any credential's secrets without
    /// holding the self-management scopes itself, and the token endpoint refuses a scope the
    /// credential lacks (`invalid_scope`, never narrowed): then ask again for the credential's
    /// own scopes and let the console decide.
    pub async fn token(&self, scopes: &[&str]) -> Result<Token, CliError> {
        let tokens = TokenClient::new(&self.ims)?;
        let first = tokens
            .client_credentials(&self.client_id, &self.secret, scopes)
            .await;
        let result = match first {
            Err(ClientError::OAuth { ref error, .. })
                if error == "invalid_scope" && !scopes.is_empty() =>
            {
                tokens
                    .client_credentials(&self.client_id, &self.secret, &[])
                    .await
            }
            other => other,
        };
        result.map_err(|source| CliError::Token {
            client_id: self.client_id.clone(),
            source,
        })
    }
}

/// The settings file chosen by the flags (or `./.env`), what it says, and the dev file (from
/// `--dev-credentials` or the profile).
#[allow(clippy::type_complexity)]
fn load_files(
    args: &ConnectionArgs,
) -> Result<
    (
        Option<Source>,
        FileSettings,
        Option<(PathBuf, DevCredentials)>,
    ),
    CliError,
> {
    let source = if let Some(name) = &args.profile {
        let file = profiles::default_file().ok_or(CliError::Missing {
            what: "configuration directory for --profile",
            flag: "--env-file FILE",
            env: "XDG_CONFIG_HOME or HOME",
        })?;
        Some(Source::Profile {
            file,
            name: name.clone(),
        })
    } else if let Some(p) = &args.env_file {
        Some(Source::EnvFile(p.clone()))
    } else if args.dev_credentials.is_none() && Path::new(".env").is_file() {
        Some(Source::EnvFile(PathBuf::from(".env")))
    } else {
        None
    };
    let file = match &source {
        Some(s) => s.read()?,
        None => FileSettings::default(),
    };
    let dev_path = args
        .dev_credentials
        .clone()
        .or_else(|| file.dev_credentials.clone());
    let dev = match dev_path {
        Some(p) => {
            let d = load_dev(&p)?;
            Some((p, d))
        }
        None => None,
    };
    Ok((source, file, dev))
}

fn load_dev(path: &Path) -> Result<DevCredentials, CliError> {
    let text = std::fs::read_to_string(path).map_err(|source| CliError::DevFileRead {
        path: path.to_owned(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|source| CliError::DevFileParse {
        path: path.to_owned(),
        source,
    })
}

/// The `org` claim of a Latchkey token, read without verification (the server verifies it; this
/// only saves the caller from typing the organization). Adobe's own tokens may not carry it.
fn org_claim(token: &str) -> Option<String> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    claims.get("org")?.as_str().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_org_claim_is_read_from_the_payload() {
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(br#"{"org":"F43765363478CF8BE72674C4@AdobeOrg","sub":"x"}"#);
        assert_eq!(
            org_claim(&format!("e30.{payload}.sig")).as_deref(),
            Some("F43765363478CF8BE72674C4@AdobeOrg")
        );
        assert_eq!(org_claim("not-a-jwt"), None);
    }
}

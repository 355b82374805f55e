//! Files the client commands take their settings from, besides flags and environment
//! variables, and which `secrets rotate` writes the new secret back into:
//!
//! - [`Source::DevFile`]: Latchkey's `dev-credentials.json` (`--dev-credentials FILE`);
//! - [`Source::EnvFile`]: a `.env` as in Adobe's samples (`--env-file FILE`, or `./.env` when
//!   it exists and no other file is named) — [`dotenv`];
//! - [`Source::Profile`]: a named profile of `profiles.toml` in the configuration directory
//!   (`--profile NAME`) — [`profiles`].
//!
//! Updates go through a temporary file and a rename ([`dirs::write_atomic`]), so a program
//! re-reading the file while `secrets rotate` runs sees the old or the new secret, never a
//! torn file. Unknown members of `dev-credentials.json` survive an update (it is edited as JSON,
//! not re-serialized from a struct).

pub mod dirs;
pub mod dotenv;
pub mod profiles;

use std::path::{Path, PathBuf};

use latchkey_client::ClientSecret;
use serde_json::Value;

use crate::failure::CliError;

/// Scopes from a `SCOPES`-style string: separated by commas and/or spaces.
pub fn split_scopes(s: &str) -> Vec<String> {
    s.split([',', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A settings file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `dev-credentials.json` of `latchkey serve --dev`.
    DevFile(PathBuf),
    /// A `.env` file.
    EnvFile(PathBuf),
    /// Profile `name` of `file`.
    Profile {
        /// The profiles file.
        file: PathBuf,
        /// The profile.
        name: String,
    },
}

/// What a `.env` file or a profile says (each field optional).
#[derive(Debug, Default)]
pub struct FileSettings {
    /// `IMS_URL` / `ims`.
    pub ims: Option<String>,
    /// `CLIENT_ID` / `client_id`.
    pub client_id: Option<String>,
    /// `CLIENT_SECRET` / `client_secret`.
    pub client_secret: Option<ClientSecret>,
    /// `ORG_ID` / `org_id`.
    pub org: Option<String>,
    /// `SCOPES` / `scopes`.
    pub scopes: Option<Vec<String>>,
    /// `CREDENTIAL_ID` / `credential_id`.
    pub credential_id: Option<i64>,
    /// `SERVICE_CREDENTIALS` / `service_credentials`: an AEM service-credentials JSON.
    pub service_credentials: Option<PathBuf>,
    /// A profile's `dev_credentials`.
    pub dev_credentials: Option<PathBuf>,
    /// `AEM_URL` / `aem_url`: base URL of the AEM environment (Assets and Folders APIs).
    pub aem: Option<String>,
}

fn file_error(path: &Path, reason: impl std::fmt::Display) -> CliError {
    CliError::ConfigFile {
        path: path.to_owned(),
        reason: reason.to_string(),
    }
}

impl Source {
    /// The file.
    pub fn path(&self) -> &Path {
        match self {
            Source::DevFile(p) | Source::EnvFile(p) => p,
            Source::Profile { file, .. } => file,
        }
    }

    /// The file (and profile) for messages.
    pub fn describe(&self) -> String {
        match self {
            Source::DevFile(p) | Source::EnvFile(p) => p.display().to_string(),
            Source::Profile { file, name } => format!("profile {name} of {}", file.display()),
        }
    }

    /// Where `secrets rotate` keeps its progress for this file: next to it.
    pub fn rotation_file(&self) -> PathBuf {
        let (path, suffix) = match self {
            Source::DevFile(p) | Source::EnvFile(p) => (p.as_path(), String::new()),
            Source::Profile { file, name } => (file.as_path(), format!("-{name}")),
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        path.with_file_name(format!("{name}{suffix}.rotation.json"))
    }

    /// The settings of a `.env` file or profile (a dev file is read by the caller).
    pub fn read(&self) -> Result<FileSettings, CliError> {
        match self {
            Source::DevFile(_) => Ok(FileSettings::default()),
            Source::EnvFile(p) => {
                let v = dotenv::load(p).map_err(|e| file_error(p, e))?;
                let credential_id = match v.get("CREDENTIAL_ID") {
                    Some(s) => Some(s.parse().map_err(|_| {
                        file_error(
                            p,
                            "CREDENTIAL_ID is not a number (it is the number in the console URL)",
                        )
                    })?),
                    None => None,
                };
                Ok(FileSettings {
                    ims: v.get("IMS_URL").cloned(),
                    client_id: v.get("CLIENT_ID").cloned(),
                    client_secret: v.get("CLIENT_SECRET").map(ClientSecret::new),
                    org: v.get("ORG_ID").cloned(),
                    scopes: v.get("SCOPES").map(|s| split_scopes(s)),
                    credential_id,
                    service_credentials: v.get("SERVICE_CREDENTIALS").map(PathBuf::from),
                    dev_credentials: None,
                    aem: v.get("AEM_URL").cloned(),
                })
            }
            Source::Profile { file, name } => {
                let f = profiles::load(file).map_err(|e| file_error(file, e))?;
                let p = f.profiles.get(name).cloned().ok_or_else(|| {
                    let known: Vec<&str> = f.profiles.keys().map(String::as_str).collect();
                    file_error(
                        file,
                        format!("has no profile {name:?} (profiles: {})", known.join(", ")),
                    )
                })?;
                Ok(FileSettings {
                    ims: p.ims,
                    client_id: p.client_id,
                    client_secret: p.client_secret.map(ClientSecret::new),
                    org: p.org_id,
                    scopes: p.scopes.map(|s| s.items()),
                    credential_id: p.credential_id,
                    service_credentials: p.service_credentials,
                    dev_credentials: p.dev_credentials,
                    aem: p.aem_url,
                })
            }
        }
    }

    /// The secret the file holds now for `client_id`, if it names that client.
    pub fn secret_of(&self, client_id: &str) -> Result<Option<ClientSecret>, CliError> {
        match self {
            Source::DevFile(p) => {
                let doc = read_json(p)?;
                Ok(dev_entries(&doc)
                    .into_iter()
                    .find(|(id, _)| id == client_id)
                    .map(|(_, s)| ClientSecret::new(s)))
            }
            Source::EnvFile(_) | Source::Profile { .. } => {
                let s = self.read()?;
                Ok(s.client_secret
                    .filter(|_| s.client_id.as_deref() == Some(client_id)))
            }
        }
    }

    /// Writes `secret` as the secret of `client_id` into the file.
    pub fn set_secret(&self, client_id: &str, secret: &ClientSecret) -> Result<(), CliError> {
        if self.secret_of(client_id)?.is_none() {
            return Err(file_error(
                self.path(),
                format!(
                    "does not hold the secret of client {client_id}, so the new secret would have nowhere to go; rotate with the file your application reads"
                ),
            ));
        }
        let path = self.path();
        let text = std::fs::read_to_string(path).map_err(|e| file_error(path, e))?;
        let updated = match self {
            Source::DevFile(_) => {
                let mut doc: Value =
                    serde_json::from_str(&text).map_err(|e| file_error(path, e))?;
                set_dev_secret(&mut doc, client_id, secret.expose_secret());
                let mut s = serde_json::to_string_pretty(&doc).map_err(|e| file_error(path, e))?;
                s.push('\n');
                s
            }
            Source::EnvFile(_) => dotenv::set(&text, "CLIENT_SECRET", secret.expose_secret()),
            Source::Profile { name, .. } => {
                profiles::set_secret(&text, name, secret.expose_secret())
                    .map_err(|e| file_error(path, e))?
            }
        };
        dirs::write_atomic(path, updated.as_bytes(), 0o600, true).map_err(|e| file_error(path, e))
    }
}

fn read_json(p: &Path) -> Result<Value, CliError> {
    let text = std::fs::read_to_string(p).map_err(|e| file_error(p, e))?;
    serde_json::from_str(&text).map_err(|e| file_error(p, e))
}

/// The credential entries of a dev file: (client id, secret).
fn dev_entries(doc: &Value) -> Vec<(String, String)> {
    let entries = [
        doc.pointer("/credentials/oauth_server_to_server"),
        doc.get("admin"),
    ];
    entries
        .into_iter()
        .flatten()
        .filter_map(|e| {
            Some((
                e.get("client_id")?.as_str()?.to_owned(),
                e.get("client_secret")?.as_str()?.to_owned(),
            ))
        })
        .collect()
}

fn set_dev_secret(doc: &mut Value, client_id: &str, secret: &str) {
    for pointer in ["/credentials/oauth_server_to_server", "/admin"] {
        if let Some(e) = doc.pointer_mut(pointer)
            && e.get("client_id").and_then(Value::as_str) == Some(client_id)
        {
            e["client_secret"] = Value::String(secret.to_owned());
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_dev_file_update_keeps_unknown_members() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("dev-credentials.json");
        std::fs::write(
            &p,
            r#"{"ims":"http://x","org_id":"o","future":{"k":1},"credentials":{"oauth_server_to_server":{"client_id":"demo","client_secret":"old","extra":true}},"admin":{"client_id":"adm","client_secret":"a"}}"#,
        )
        .unwrap();
        let src = Source::DevFile(p.clone());
        assert_eq!(
            src.secret_of("demo").unwrap().unwrap().expose_secret(),
            "old"
        );
        src.set_secret("demo", &ClientSecret::new("new")).unwrap();
        let doc = read_json(&p).unwrap();
        assert_eq!(
            doc["credentials"]["oauth_server_to_server"]["client_secret"],
            "new"
        );
        assert_eq!(doc["credentials"]["oauth_server_to_server"]["extra"], true);
        assert_eq!(doc["future"]["k"], 1);
        assert_eq!(doc["admin"]["client_secret"], "a");
        assert!(src.set_secret("other", &ClientSecret::new("x")).is_err());
        assert_eq!(
            src.rotation_file(),
            dir.path().join("dev-credentials.json.rotation.json")
        );
    }

    #[test]
    fn scopes_split_on_commas_and_spaces() {
        assert_eq!(
            split_scopes("openid, AdobeID aem.folders,,"),
            vec!["openid", "AdobeID", "aem.folders"]
        );
    }
}

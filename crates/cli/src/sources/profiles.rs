//! Named profiles for several environments, in `profiles.toml` of the user's configuration
//! directory (`--profile NAME` picks one):
//!
//! ```toml
//! [profiles.local]
//! dev_credentials = "/home/me/latchkey-data/dev-credentials.json"
//!
//! [profiles.prod]
//! ims = "https://ims-na1.adobelogin.com"
//! client_id = "e053e1a87cf74c68a6ec8e71d4a82662"
//! client_secret = "p8e-..."
//! scopes = ["openid", "AdobeID", "aem.assets.author"]
//! org_id = "F43765363478CF8BE72674C4@AdobeOrg"
//! credential_id = 436084
//! aem_url = "https://author-p12345-e67890.adobeaemcloud.com"
//!
//! [profiles.aem-dev]
//! service_credentials = "/home/me/aem-dev-service-credentials.json"
//! ```
//!
//! Unknown keys are errors (a typo must not silently fall back to another setting).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfilesFile {
    /// Profiles by name.
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

/// Scopes as a list or one comma-separated string (`SCOPES` style).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Scopes {
    /// `["openid", "AdobeID"]`.
    List(Vec<String>),
    /// `"openid,AdobeID"`.
    Joined(String),
}

impl Scopes {
    /// The scopes.
    pub fn items(&self) -> Vec<String> {
        match self {
            Scopes::List(l) => l.clone(),
            Scopes::Joined(s) => super::split_scopes(s),
        }
    }
}

/// One profile. `Debug` leaves the secret out.
#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Identity service URL.
    pub ims: Option<String>,
    /// Client id.
    pub client_id: Option<String>,
    /// Client secret (the file should be 0600).
    pub client_secret: Option<String>,
    /// Scopes to ask for.
    pub scopes: Option<Scopes>,
    /// Organization id.
    pub org_id: Option<String>,
    /// Numeric credential id.
    pub credential_id: Option<i64>,
    /// A dev-credentials.json to take everything else from.
    pub dev_credentials: Option<PathBuf>,
    /// An AEM service-credentials JSON (legacy JWT exchange).
    pub service_credentials: Option<PathBuf>,
    /// Base URL of the AEM environment (`latchkey assets`, `latchkey doctor`).
    pub aem_url: Option<String>,
}

impl std::fmt::Debug for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Profile")
            .field("ims", &self.ims)
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "[redacted]"),
            )
            .field("scopes", &self.scopes)
            .field("org_id", &self.org_id)
            .field("credential_id", &self.credential_id)
            .field("dev_credentials", &self.dev_credentials)
            .field("service_credentials", &self.service_credentials)
            .field("aem_url", &self.aem_url)
            .finish()
    }
}

/// `profiles.toml` in the configuration directory.
pub fn default_file() -> Option<PathBuf> {
    super::dirs::config_dir().map(|d| d.join("profiles.toml"))
}

/// Parses `text` (the file at `path`, for messages).
pub fn parse(text: &str) -> Result<ProfilesFile, String> {
    toml::from_str(text).map_err(|e| e.message().to_owned())
}

/// `text` with `client_secret` of profile `name` set to `secret`.
pub fn set_secret(text: &str, name: &str, secret: &str) -> Result<String, String> {
    let mut doc: toml::Table = toml::from_str(text).map_err(|e| e.message().to_owned())?;
    let profile = doc
        .get_mut("profiles")
        .and_then(|p| p.as_table_mut())
        .and_then(|p| p.get_mut(name))
        .and_then(|p| p.as_table_mut())
        .ok_or_else(|| format!("no profile {name}"))?;
    profile.insert(
        "client_secret".into(),
        toml::Value::String(secret.to_owned()),
    );
    toml::to_string(&doc).map_err(|e| e.to_string())
}

/// Reads the file at `path`.
pub fn load(path: &Path) -> Result<ProfilesFile, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    parse(&text)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn profiles_parse_and_the_secret_is_updated_in_place() {
        let text = "[profiles.prod]\nims = \"https://ims-na1.adobelogin.com\"\nclient_id = \"abc\"\nclient_secret = \"p8e-old\"\nscopes = \"openid, AdobeID\"\n\n[profiles.local]\ndev_credentials = \"d.json\"\nscopes = [\"a\"]\n";
        let f = parse(text).unwrap();
        assert_eq!(
            f.profiles["prod"].scopes.as_ref().unwrap().items(),
            vec!["openid", "AdobeID"]
        );
        assert_eq!(
            f.profiles["local"].scopes.as_ref().unwrap().items(),
            vec!["a"]
        );
        let updated = set_secret(text, "prod", "p8e-new").unwrap();
        let f = parse(&updated).unwrap();
        assert_eq!(f.profiles["prod"].client_secret.as_deref(), Some("p8e-new"));
        assert_eq!(f.profiles["prod"].client_id.as_deref(), Some("abc"));
        assert!(
            !format!("{f:?}").contains("p8e-new"),
            "Debug leaves secrets out"
        );
        assert!(
            parse("[profiles.x]\nclient_secrt = \"typo\"\n")
                .unwrap_err()
                .contains("client_secrt")
        );
    }
}

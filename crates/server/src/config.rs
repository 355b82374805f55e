//! Server configuration: defaults, then a TOML file, then `LATCHKEY_*` environment variables,
//! then command-line flags (the CLI applies those).
//!
//! Unknown keys are errors at every layer: a typo in a TOML key or an environment variable
//! name stops the start with a message naming it, instead of being silently ignored. The list of
//! keys (and so of environment variables) is derived from [`Config::default`], so documentation,
//! parsing and defaults cannot drift apart: `latchkey serve --help` prints [`reference`].

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use latchkey_core::keys::SigningAlg;
use latchkey_core::keys::rotation::RotationPolicy;
use serde::{Deserialize, Serialize};

/// Prefix of configuration environment variables.
pub const ENV_PREFIX: &str = "LATCHKEY_";
/// Environment variable naming the config file (not a config key itself).
pub const CONFIG_FILE_ENV: &str = "LATCHKEY_CONFIG";

/// The whole configuration. Every field has a default; see [`reference`] for descriptions.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Address to listen on.
    pub listen: String,
    /// Directory for the SQLite database, the master key and dev files.
    pub data_dir: PathBuf,
    /// Database URL; empty means SQLite in the data directory.
    pub database_url: String,
    /// Public base URL (issuer); empty means `http://<listen address>` (`https://` with TLS).
    pub public_url: String,
    /// Master key file; empty means `<data_dir>/master.key`.
    pub master_key_file: String,
    /// Development mode: seed a demo organization and credential.
    pub dev: bool,
    /// Token settings.
    pub tokens: TokensConfig,
    /// Throttling and limits.
    pub limits: LimitsConfig,
    /// HTTP server settings.
    pub http: HttpConfig,
    /// Multi-node cache settings.
    pub cluster: ClusterConfig,
    /// Logging.
    pub log: LogConfig,
    /// The API side (AEM authorization chain and Assets API).
    pub aem: AemConfig,
}

/// `[aem]`
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct AemConfig {
    /// Bucket served when the Host names none (e.g. `author-p1-e1`); empty = the only
    /// environment, when there is exactly one.
    pub default_environment: String,
    /// Directory of asset binaries; empty = `<data_dir>/blobs`.
    pub blob_dir: String,
    /// Directory of `api.yaml` files deployed at start-up (`p<P>-e<E>.yaml` or
    /// `p<P>-e<E>/api.yaml`); empty = none.
    pub config_dir: String,
    /// Largest asset upload, in bytes.
    pub max_upload_bytes: u64,
}

impl Default for AemConfig {
    fn default() -> Self {
        Self {
            default_environment: String::new(),
            blob_dir: String::new(),
            config_dir: String::new(),
            max_upload_bytes: 10 * 1024 * 1024 * 1024,
        }
    }
}

/// `[tokens]`
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct TokensConfig {
    /// Access-token lifetime in seconds.
    pub lifetime_secs: u64,
    /// `RS256`, `ES256` or `EdDSA`.
    pub signing_alg: String,
    /// `aud` claim; empty means the issuer.
    pub audience: String,
    /// IMS `as` claim.
    pub ims_as: String,
    /// Days after which the signing key is replaced (0: only when an admin rotates it).
    pub key_rotation_days: u64,
    /// Seconds a new signing key is published in the JWKS before it signs.
    pub key_publish_ahead_secs: u64,
}

/// `[limits]`
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct LimitsConfig {
    /// Tokens one credential may obtain per minute (0 = unlimited).
    pub tokens_per_credential_per_minute: u32,
    /// Failed authentications against one client per minute before that client is throttled
    /// for the peers that failed (0 = unlimited).
    pub failed_auth_per_client_per_minute: u32,
    /// Failed authentications one peer address may make per minute (0 = unlimited).
    pub failed_auth_per_peer_per_minute: u32,
    /// Client secrets one credential may hold.
    pub max_secrets_per_credential: u32,
}

/// `[http]`
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct HttpConfig {
    /// Largest accepted body of the token and introspection endpoints, in bytes.
    pub max_body_bytes: u64,
    /// Seconds a client has to send the request headers.
    pub header_read_timeout_secs: u64,
    /// Seconds a client has to send the request body.
    pub body_read_timeout_secs: u64,
    /// PEM certificate chain to serve https with (together with `tls_key_file`); empty with
    /// an empty `tls_key_file` = plain HTTP.
    pub tls_cert_file: String,
    /// PEM private key of `tls_cert_file`.
    pub tls_key_file: String,
    /// Serve https with a self-signed certificate for `localhost`, `127.0.0.1` and `::1`,
    /// created in `<data_dir>/tls` on first use and kept (see [`crate::tls`]).
    pub tls_self_signed: bool,
}

/// `[cluster]`
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ClusterConfig {
    /// How long a node caches a credential and its secret hashes, in milliseconds. Bounds how
    /// long a secret deleted on another node keeps working here.
    pub credential_cache_ms: u64,
    /// How often secret `last_used_at` updates are written, in seconds.
    pub usage_flush_secs: u64,
}

/// `[log]`
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    /// `error`, `warn`, `info`, `debug` or `trace` (or a tracing filter directive).
    pub level: String,
    /// `text` or `json`.
    pub format: String,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("latchkey-data"),
            database_url: String::new(),
            public_url: String::new(),
            master_key_file: String::new(),
            dev: false,
            tokens: TokensConfig::default(),
            limits: LimitsConfig::default(),
            http: HttpConfig::default(),
            cluster: ClusterConfig::default(),
            log: LogConfig::default(),
            aem: AemConfig::default(),
        }
    }
}

impl Default for TokensConfig {
    fn default() -> Self {
        Self {
            lifetime_secs: 86_400,
            signing_alg: "RS256".into(),
            audience: String::new(),
            ims_as: "ims-na1".into(),
            key_rotation_days: 90,
            key_publish_ahead_secs: 86_400,
        }
    }
}

impl Default for LimitsConfig {
    fn default() -> Self {
        Self {
            tokens_per_credential_per_minute: 600,
            failed_auth_per_client_per_minute: 10,
            failed_auth_per_peer_per_minute: 100,
            max_secrets_per_credential: 2,
        }
    }
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            max_body_bytes: 64 * 1024,
            header_read_timeout_secs: 10,
            body_read_timeout_secs: 10,
            tls_cert_file: String::new(),
            tls_key_file: String::new(),
            tls_self_signed: false,
        }
    }
}

impl Default for ClusterConfig {
    fn default() -> Self {
        Self {
            credential_cache_ms: 2_000,
            usage_flush_secs: 5,
        }
    }
}

impl Default for LogConfig {
    fn default() -> Self {
        Self {
            level: "info".into(),
            format: "text".into(),
        }
    }
}

/// A configuration that cannot be used; the message says which key and what to do.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

fn describe(path: &str) -> &'static str {
    match path {
        "listen" => "address and port to listen on",
        "data_dir" => "directory for the SQLite database, master key and dev files",
        "database_url" => "sqlite://PATH or postgres://USER@HOST/DB; empty = SQLite in data_dir",
        "public_url" => "public base URL, used as token issuer; empty = http(s)://<listen address>",
        "master_key_file" => {
            "file with the 32-byte master key (same on every node); empty = <data_dir>/master.key"
        }
        "dev" => "seed a demo organization and credential and write dev-credentials.json",
        "tokens.lifetime_secs" => "access-token lifetime in seconds",
        "tokens.signing_alg" => "RS256, ES256 or EdDSA",
        "tokens.audience" => "aud claim of access tokens; empty = the issuer",
        "tokens.ims_as" => "IMS `as` claim (aio-lib-ims maps ims-na1 to its host)",
        "tokens.key_rotation_days" => {
            "days after which the signing key is replaced (0 = only by latchkey admin keys rotate)"
        }
        "tokens.key_publish_ahead_secs" => {
            "seconds a new signing key is in the JWKS before it signs (at least the JWKS max-age, 300)"
        }
        "limits.tokens_per_credential_per_minute" => "token budget per credential (0 = unlimited)",
        "limits.failed_auth_per_client_per_minute" => {
            "failed authentications per client before throttling (0 = off)"
        }
        "limits.failed_auth_per_peer_per_minute" => {
            "failed authentications per peer address before throttling (0 = off)"
        }
        "limits.max_secrets_per_credential" => "client secrets a credential may hold",
        "http.max_body_bytes" => "largest body accepted by the IMS endpoints",
        "http.header_read_timeout_secs" => "seconds a client has to send its request headers",
        "http.body_read_timeout_secs" => "seconds a client has to send its request body",
        "http.tls_cert_file" => {
            "PEM certificate chain for https (with tls_key_file); empty = plain HTTP"
        }
        "http.tls_key_file" => "PEM private key of tls_cert_file",
        "http.tls_self_signed" => {
            "serve https with a self-signed certificate for localhost kept in <data_dir>/tls"
        }
        "cluster.credential_cache_ms" => {
            "how long a node caches a credential (bounds cross-node propagation)"
        }
        "cluster.usage_flush_secs" => "how often secret last_used_at updates are written",
        "log.level" => "error, warn, info, debug, trace or a tracing filter",
        "log.format" => "text or json",
        "aem.default_environment" => {
            "bucket (author-p1-e1) served when the Host names none; empty = the only environment"
        }
        "aem.blob_dir" => "directory of asset binaries; empty = <data_dir>/blobs",
        "aem.config_dir" => "directory of api.yaml files (p<P>-e<E>.yaml) deployed at start-up",
        "aem.max_upload_bytes" => "largest asset upload in bytes",
        _ => "",
    }
}

/// Every configuration key as `(dotted path, environment variable, default as TOML)`.
pub fn keys() -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    if let Ok(toml::Value::Table(t)) = toml::Value::try_from(Config::default()) {
        collect(&t, "", &mut out);
    }
    out
}

fn collect(t: &toml::Table, prefix: &str, out: &mut Vec<(String, String, String)>) {
    for (k, v) in t {
        let path = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            toml::Value::Table(inner) => collect(inner, &path, out),
            leaf => out.push((path.clone(), env_name(&path), leaf.to_string())),
        }
    }
}

fn env_name(path: &str) -> String {
    format!(
        "{ENV_PREFIX}{}",
        path.replace('.', "_").to_ascii_uppercase()
    )
}

/// The configuration reference printed by `latchkey serve --help`.
pub fn reference() -> String {
    let mut s =
        String::from("Configuration (defaults < TOML file < LATCHKEY_* environment < flags):\n");
    for (path, env, default) in keys() {
        s.push_str(&format!(
            "  {path} = {default}\n      env {env}: {}\n",
            describe(&path)
        ));
    }
    s
}

impl Config {
    /// Loads defaults, then `file` (if any), then the `LATCHKEY_*` variables in `env`.
    pub fn load(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, ConfigError> {
        let mut tree = match toml::Value::try_from(Config::default()) {
            Ok(toml::Value::Table(t)) => t,
            _ => {
                return Err(ConfigError(
                    "internal error: defaults do not serialize".into(),
                ));
            }
        };
        if let Some(path) = file {
            let text = std::fs::read_to_string(path).map_err(|e| {
                ConfigError(format!("cannot read config file {}: {e}", path.display()))
            })?;
            let file_tree: toml::Table = text.parse().map_err(|e: toml::de::Error| {
                ConfigError(format!(
                    "config file {} is not valid TOML: {}",
                    path.display(),
                    e.message()
                ))
            })?;
            merge(&mut tree, file_tree, "", &path.display().to_string())?;
        }
        let known = keys();
        for (name, value) in env {
            if !name.starts_with(ENV_PREFIX) || name == CONFIG_FILE_ENV {
                continue;
            }
            let Some((path, _, default)) = known.iter().find(|(_, e, _)| *e == name) else {
                return Err(ConfigError(format!(
                    "unknown environment variable {name}: it is not a Latchkey setting (run `latchkey serve --help` for the list) — unset or rename it"
                )));
            };
            let parsed = parse_env_value(&name, &value, default)?;
            set_path(&mut tree, path, parsed);
        }
        let config = Config::deserialize(toml::Value::Table(tree))
            .map_err(|e| ConfigError(format!("invalid configuration: {}", e.message())))?;
        config.validate()?;
        Ok(config)
    }

    /// Checks values that parse but make no sense.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let env = &self.aem.default_environment;
        if !env.is_empty() && crate::aem::environment::Bucket::parse(env).is_none() {
            return Err(ConfigError(format!(
                "aem.default_environment = {env:?} is not a bucket: write it as author-p<program>-e<environment> (or publish-/preview-)"
            )));
        }
        if self.listen.parse::<SocketAddr>().is_err() {
            return Err(ConfigError(format!(
                "listen = {:?} is not HOST:PORT with an IP address (for example 127.0.0.1:8080 or 0.0.0.0:8080)",
                self.listen
            )));
        }
        if self.signing_alg().is_none() {
            return Err(ConfigError(format!(
                "tokens.signing_alg = {:?} is not supported: use RS256, ES256 or EdDSA",
                self.tokens.signing_alg
            )));
        }
        if !(60..=31_536_000).contains(&self.tokens.lifetime_secs) {
            return Err(ConfigError(
                "tokens.lifetime_secs must be between 60 and 31536000 seconds".into(),
            ));
        }
        let ahead = self.tokens.key_publish_ahead_secs;
        if ahead < 300 {
            return Err(ConfigError(format!(
                "tokens.key_publish_ahead_secs = {ahead} is too short: resource servers cache the JWKS for 300 s, so publish a new key at least that long before it signs"
            )));
        }
        let days = self.tokens.key_rotation_days;
        if days > 0 && ahead >= days.saturating_mul(86_400) {
            return Err(ConfigError(format!(
                "tokens.key_publish_ahead_secs = {ahead} must be shorter than tokens.key_rotation_days = {days} days: lower it or rotate less often"
            )));
        }
        if !self.public_url.is_empty() {
            let u = &self.public_url;
            let ok_scheme = u.starts_with("http://") || u.starts_with("https://");
            if !ok_scheme || u.contains(['?', '#']) || u.ends_with('/') {
                return Err(ConfigError(format!(
                    "public_url = {u:?} must be an http:// or https:// URL without query, fragment or trailing slash"
                )));
            }
        }
        if self.limits.max_secrets_per_credential == 0 {
            return Err(ConfigError(
                "limits.max_secrets_per_credential must be at least 1".into(),
            ));
        }
        if self.http.max_body_bytes < 1024 {
            return Err(ConfigError(
                "http.max_body_bytes must be at least 1024".into(),
            ));
        }
        self.validate_tls()?;
        if !matches!(self.log.format.as_str(), "text" | "json") {
            return Err(ConfigError(format!(
                "log.format = {:?}: use text or json",
                self.log.format
            )));
        }
        Ok(())
    }

    fn validate_tls(&self) -> Result<(), ConfigError> {
        let http = &self.http;
        match (http.tls_cert_file.is_empty(), http.tls_key_file.is_empty()) {
            (false, true) => {
                return Err(ConfigError(
                    "http.tls_cert_file is set but http.tls_key_file is not: set http.tls_key_file to the certificate's PEM private key (or unset both for plain HTTP)".into(),
                ));
            }
            (true, false) => {
                return Err(ConfigError(
                    "http.tls_key_file is set but http.tls_cert_file is not: set http.tls_cert_file to the PEM certificate chain of that key (or unset both for plain HTTP)".into(),
                ));
            }
            (false, false) if http.tls_self_signed => {
                return Err(ConfigError(
                    "http.tls_self_signed (--tls) and http.tls_cert_file are both set: unset http.tls_self_signed to serve your certificate, or unset http.tls_cert_file and http.tls_key_file for a self-signed one".into(),
                ));
            }
            _ => {}
        }
        Ok(())
    }

    /// Whether the server speaks https (a certificate file or a self-signed certificate).
    pub fn tls_enabled(&self) -> bool {
        self.http.tls_self_signed || !self.http.tls_cert_file.is_empty()
    }

    /// The configured signing algorithm.
    pub fn signing_alg(&self) -> Option<SigningAlg> {
        SigningAlg::parse(&self.tokens.signing_alg)
    }

    /// The signing-key rotation schedule.
    pub fn rotation_policy(&self) -> RotationPolicy {
        let secs = |s: u64| i64::try_from(s.saturating_mul(1000)).unwrap_or(i64::MAX);
        RotationPolicy {
            rotate_after_ms: (self.tokens.key_rotation_days > 0)
                .then(|| secs(self.tokens.key_rotation_days.saturating_mul(86_400))),
            publish_ahead_ms: secs(self.tokens.key_publish_ahead_secs),
            // Every token the retired key signed expires within the token lifetime; ten minutes
            // more cover nodes that sign with it until they reload their keys, and clock skew.
            retire_publish_ms: secs(self.tokens.lifetime_secs).saturating_add(600_000),
        }
    }

    /// The database URL to use: the configured one, or SQLite in the data directory.
    pub fn effective_database_url(&self) -> String {
        if self.database_url.is_empty() {
            latchkey_store::sqlite_url_for(&self.data_dir.join("latchkey.db"))
        } else {
            self.database_url.clone()
        }
    }

    /// The master key file to use.
    pub fn effective_master_key_file(&self) -> PathBuf {
        if self.master_key_file.is_empty() {
            self.data_dir.join("master.key")
        } else {
            PathBuf::from(&self.master_key_file)
        }
    }

    /// The blob directory.
    pub fn effective_blob_dir(&self) -> PathBuf {
        if self.aem.blob_dir.is_empty() {
            self.data_dir.join("blobs")
        } else {
            PathBuf::from(&self.aem.blob_dir)
        }
    }
}

fn merge(
    base: &mut toml::Table,
    over: toml::Table,
    prefix: &str,
    file: &str,
) -> Result<(), ConfigError> {
    for (k, v) in over {
        let path = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match (base.get_mut(&k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o, &path, file)?,
            (Some(toml::Value::Table(_)), _) => {
                return Err(ConfigError(format!(
                    "{file}: `{path}` must be a table ([{path}])"
                )));
            }
            (Some(slot), v) => *slot = v,
            (None, _) => {
                return Err(ConfigError(format!(
                    "{file}: unknown key `{path}` (run `latchkey serve --help` for the list of keys)"
                )));
            }
        }
    }
    Ok(())
}

fn parse_env_value(name: &str, raw: &str, default: &str) -> Result<toml::Value, ConfigError> {
    let bad = |what: &str| ConfigError(format!("{name} = {raw:?} is not {what}"));
    if default == "true" || default == "false" {
        return match raw.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Ok(toml::Value::Boolean(true)),
            "false" | "0" | "no" | "" => Ok(toml::Value::Boolean(false)),
            _ => Err(bad("a boolean (true or false)")),
        };
    }
    if default.parse::<i64>().is_ok() {
        return raw
            .trim()
            .parse::<i64>()
            .map(toml::Value::Integer)
            .map_err(|_| bad("a whole number"));
    }
    Ok(toml::Value::String(raw.to_owned()))
}

fn set_path(tree: &mut toml::Table, path: &str, value: toml::Value) {
    let mut parts: Vec<&str> = path.split('.').collect();
    let Some(last) = parts.pop() else { return };
    let mut cur = tree;
    for p in parts {
        let Some(toml::Value::Table(t)) = cur.get_mut(p) else {
            return;
        };
        cur = t;
    }
    cur.insert(last.to_owned(), value);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn layers_apply_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.toml");
        std::fs::write(&file, "listen = \"127.0.0.1:9000\"\n[tokens]\nsigning_alg = \"ES256\"\nlifetime_secs = 3600\n").unwrap();
        let c = Config::load(
            Some(&file),
            env(&[("LATCHKEY_TOKENS_LIFETIME_SECS", "7200"), ("OTHER", "x")]),
        )
        .unwrap();
        assert_eq!(c.listen, "127.0.0.1:9000");
        assert_eq!(c.tokens.signing_alg, "ES256");
        assert_eq!(c.tokens.lifetime_secs, 7200);
        assert_eq!(c.limits, LimitsConfig::default());
    }

    #[test]
    fn unknown_keys_are_errors_naming_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.toml");
        std::fs::write(&file, "[tokens]\nlifetme_secs = 5\n").unwrap();
        let e = Config::load(Some(&file), []).unwrap_err().to_string();
        assert!(e.contains("tokens.lifetme_secs"), "{e}");
        let e = Config::load(None, env(&[("LATCHKEY_LISTN", "x")]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("LATCHKEY_LISTN"), "{e}");
        let e = Config::load(None, env(&[("LATCHKEY_DEV", "maybe")]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("boolean"), "{e}");
        let e = Config::load(None, env(&[("LATCHKEY_TOKENS_SIGNING_ALG", "HS256")]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("RS256"), "{e}");
    }

    #[test]
    fn tls_needs_both_files_and_not_also_self_signed() {
        let e = Config::load(
            None,
            env(&[("LATCHKEY_HTTP_TLS_CERT_FILE", "/etc/latchkey/cert.pem")]),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("set http.tls_key_file"), "{e}");
        let e = Config::load(
            None,
            env(&[("LATCHKEY_HTTP_TLS_KEY_FILE", "/etc/latchkey/key.pem")]),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("set http.tls_cert_file"), "{e}");
        let both = env(&[
            ("LATCHKEY_HTTP_TLS_CERT_FILE", "/etc/latchkey/cert.pem"),
            ("LATCHKEY_HTTP_TLS_KEY_FILE", "/etc/latchkey/key.pem"),
        ]);
        let c = Config::load(None, both.clone()).unwrap();
        assert!(c.tls_enabled());
        let mut with_self_signed = both;
        with_self_signed.push(("LATCHKEY_HTTP_TLS_SELF_SIGNED".into(), "true".into()));
        let e = Config::load(None, with_self_signed)
            .unwrap_err()
            .to_string();
        assert!(e.contains("http.tls_self_signed"), "{e}");
        let c = Config::load(None, env(&[("LATCHKEY_HTTP_TLS_SELF_SIGNED", "1")])).unwrap();
        assert!(c.http.tls_self_signed && c.tls_enabled());
        assert!(!Config::default().tls_enabled());
    }

    #[test]
    fn reference_lists_every_key_with_its_variable_and_description() {
        let r = reference();
        for (path, env, _) in keys() {
            assert!(r.contains(&env), "{path}");
            assert!(!describe(&path).is_empty(), "{path} has no description");
        }
    }

    #[test]
    fn readme_documents_every_key() {
        let readme = include_str!("../../../README.md");
        for (path, env, _) in keys() {
            assert!(readme.contains(&format!("`{path}`")), "README lacks {path}");
            assert!(readme.contains(&format!("`{env}`")), "README lacks {env}");
        }
    }
}

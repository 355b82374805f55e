//! `api.yaml`, the client-ID allowlist of an AEM environment (reference/adobe-protocol.md §7.1),
//! and the allowlist decision.
//!
//! The file is Adobe's format, read strictly: `kind: "API"`, a string `version`, optional
//! `metadata.envTypes` (the environment types it applies to; all when absent) and
//! `data.allowedClientIDs.{author,publish,preview}`. Unknown keys, wrong types and unknown
//! environment types are errors that name the line, so a typo cannot silently lock a client
//! out. Tiers are independent: a client listed only for `author` is refused on `publish`.

use serde::Deserialize;

use crate::aem::denial::{Denial, NOT_ALLOWLISTED, Reason};
use crate::products::{EnvType, Tier};

/// Largest `api.yaml` accepted, in bytes.
pub const MAX_API_YAML: usize = 64 * 1024;
/// Most client ids one tier may list.
const MAX_CLIENTS: usize = 1000;

/// A validated `api.yaml`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ApiConfig {
    /// The `version` string.
    pub version: String,
    /// Environment types it applies to; empty means all.
    pub env_types: Vec<EnvType>,
    /// Clients allowed on author.
    pub author: Vec<String>,
    /// Clients allowed on publish.
    pub publish: Vec<String>,
    /// Clients allowed on preview.
    pub preview: Vec<String>,
}

/// An invalid `api.yaml`: where and what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("api.yaml{}: {message}", line.map(|l| format!(" line {l}")).unwrap_or_default())]
pub struct ApiYamlError {
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong and what is expected.
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    kind: String,
    version: serde_json::Value,
    #[serde(default)]
    metadata: Option<RawMetadata>,
    data: RawData,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RawMetadata {
    #[serde(default)]
    env_types: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawData {
    #[serde(rename = "allowedClientIDs")]
    allowed_client_ids: RawAllowed,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawAllowed {
    #[serde(default)]
    author: Vec<String>,
    #[serde(default)]
    publish: Vec<String>,
    #[serde(default)]
    preview: Vec<String>,
}

/// The 1-based line where `key:` first appears (for errors found after parsing).
fn line_of(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let l = l.trim_start().trim_start_matches("- ");
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
                || l.strip_prefix(&format!("\"{key}\""))
                    .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map(|i| i + 1)
}

/// The 1-based line of the first line containing `needle`.
fn line_containing(text: &str, needle: &str) -> Option<usize> {
    text.lines().position(|l| l.contains(needle)).map(|i| i + 1)
}

/// Pulls "line N" out of a parser message, if it has one.
fn parser_line(message: &str) -> Option<usize> {
    let at = message.find("line ")?;
    let digits: String = message[at + 5..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

fn clean(list: Vec<String>, tier: &str, text: &str) -> Result<Vec<String>, ApiYamlError> {
    if list.len() > MAX_CLIENTS {
        return Err(ApiYamlError {
            line: line_of(text, tier),
            message: format!("allowedClientIDs.{tier} lists more than {MAX_CLIENTS} client ids"),
        });
    }
    let mut out = Vec::with_capacity(list.len());
    for id in list {
        let id = id.trim().to_owned();
        if id.is_empty() || id.len() > 255 || id.chars().any(|c| c.is_control() || c == ' ') {
            return Err(ApiYamlError {
                line: line_of(text, tier),
                message: format!(
                    "allowedClientIDs.{tier} holds an empty or malformed client id: list the Client ID shown on the credential (letters and digits)"
                ),
            });
        }
        if !out.contains(&id) {
            out.push(id);
        }
    }
    Ok(out)
}

/// Parses and validates an `api.yaml`.
pub fn parse_api_yaml(text: &str) -> Result<ApiConfig, ApiYamlError> {
    if text.len() > MAX_API_YAML {
        return Err(ApiYamlError {
            line: None,
            message: format!("the file is larger than {MAX_API_YAML} bytes"),
        });
    }
    let raw: RawFile = serde_saphyr::from_str(text).map_err(|e| {
        let message = e.to_string();
        ApiYamlError {
            line: parser_line(&message),
            message: format!(
                "{message} (expected kind, version, metadata.envTypes and data.allowedClientIDs.author/publish/preview)"
            ),
        }
    })?;
    if raw.kind != "API" {
        return Err(ApiYamlError {
            line: line_of(text, "kind"),
            message: format!(
                "kind is {:?}; an allowlist file has kind: \"API\"",
                raw.kind
            ),
        });
    }
    let version = match raw.version {
        serde_json::Value::String(v) if !v.trim().is_empty() => v,
        other => {
            return Err(ApiYamlError {
                line: line_of(text, "version"),
                message: format!("version must be a quoted string such as \"1\", found {other}"),
            });
        }
    };
    let mut env_types = Vec::new();
    for name in raw.metadata.and_then(|m| m.env_types).unwrap_or_default() {
        let env = EnvType::parse(&name).ok_or_else(|| ApiYamlError {
            line: line_containing(text, &name),
            message: format!(
                "envTypes holds {name:?}; the environment types are dev, stage, prod and rde"
            ),
        })?;
        if !env_types.contains(&env) {
            env_types.push(env);
        }
    }
    let allowed = raw.data.allowed_client_ids;
    Ok(ApiConfig {
        version,
        env_types,
        author: clean(allowed.author, "author", text)?,
        publish: clean(allowed.publish, "publish", text)?,
        preview: clean(allowed.preview, "preview", text)?,
    })
}

impl ApiConfig {
    /// The clients listed for `tier`.
    pub fn clients(&self, tier: Tier) -> &[String] {
        match tier {
            Tier::Author => &self.author,
            Tier::Publish => &self.publish,
            Tier::Preview => &self.preview,
        }
    }

    /// Whether the file applies to an environment of type `env`.
    pub fn applies_to(&self, env: EnvType) -> bool {
        self.env_types.is_empty() || self.env_types.contains(&env)
    }
}

/// What the allowlist check needs to know about the environment.
#[derive(Debug, Clone, Copy)]
pub struct EnvironmentRef<'a> {
    /// Label for messages, e.g. `p1-e1`.
    pub label: &'a str,
    /// Its type.
    pub env_type: EnvType,
    /// The tier addressed.
    pub tier: Tier,
}

/// The allowlist decision for `client_id` on `env`, given the deployed file (if any).
pub fn check_allowlist(
    config: Option<&ApiConfig>,
    env: EnvironmentRef<'_>,
    client_id: &str,
) -> Result<(), Denial> {
    let tier = env.tier.as_str();
    let label = env.label;
    let Some(config) = config else {
        return Err(Denial::new(
            Reason::NoApiConfig,
            format!(
                "{NOT_ALLOWLISTED} No api.yaml has been deployed to environment {label}, so no client may call its APIs."
            ),
            format!(
                "deploy an api.yaml listing {client_id} under data.allowedClientIDs.{tier} (latchkey admin aem deploy <product> api.yaml, PUT /console/organizations/<org>/products/<product>/api-config, or a file in aem.config_dir)"
            ),
        ));
    };
    if !config.applies_to(env.env_type) {
        let listed: Vec<&str> = config.env_types.iter().map(|e| e.as_str()).collect();
        return Err(Denial::new(
            Reason::EnvTypeNotListed,
            format!(
                "{NOT_ALLOWLISTED} The api.yaml deployed to environment {label} applies to envTypes [{}], and {label} is a {} environment, so it is ignored here.",
                listed.join(", "),
                env.env_type.as_str()
            ),
            format!(
                "add \"{}\" to metadata.envTypes (or remove envTypes) and deploy the file again",
                env.env_type.as_str()
            ),
        ));
    }
    if config.clients(env.tier).iter().any(|c| c == client_id) {
        return Ok(());
    }
    let elsewhere: Vec<&str> = Tier::ALL
        .into_iter()
        .filter(|t| *t != env.tier && config.clients(*t).iter().any(|c| c == client_id))
        .map(Tier::as_str)
        .collect();
    let also = if elsewhere.is_empty() {
        String::new()
    } else {
        format!(
            " It is listed for {} only; tiers are independent.",
            elsewhere.join(" and ")
        )
    };
    Err(Denial::new(
        Reason::ClientNotAllowlisted,
        format!(
            "{NOT_ALLOWLISTED} Client {client_id} is not in allowedClientIDs.{tier} of environment {label}.{also}"
        ),
        format!(
            "add {client_id} to data.allowedClientIDs.{tier} in api.yaml and deploy it to {label} (latchkey admin aem deploy <product> api.yaml)"
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"kind: "API"
version: "1"
metadata:
  envTypes: ["dev", "stage"]
data:
  allowedClientIDs:
    author:
      - "c1"
    publish: ["c2"]
"#;

    fn env(tier: Tier, env_type: EnvType) -> EnvironmentRef<'static> {
        EnvironmentRef {
            label: "p1-e1",
            env_type,
            tier,
        }
    }

    #[test]
    fn adobes_file_parses() {
        let c = parse_api_yaml(GOOD).unwrap();
        assert_eq!(c.version, "1");
        assert_eq!(c.env_types, [EnvType::Dev, EnvType::Stage]);
        assert_eq!(c.author, ["c1"]);
        assert_eq!(c.publish, ["c2"]);
        assert!(c.preview.is_empty());
    }

    #[test]
    fn mistakes_name_their_line() {
        let e = parse_api_yaml(&GOOD.replace("\"API\"", "\"Api\"")).unwrap_err();
        assert_eq!(e.line, Some(1), "{e}");
        let e = parse_api_yaml(&GOOD.replace("version: \"1\"", "version: 1")).unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        let e = parse_api_yaml(&GOOD.replace("\"stage\"", "\"qa\"")).unwrap_err();
        assert_eq!(e.line, Some(4), "{e}");
        let e = parse_api_yaml(&GOOD.replace("publish:", "pubish:")).unwrap_err();
        assert!(e.message.contains("pubish"), "{e}");
        assert_eq!(e.line, Some(9), "{e}");
        assert!(parse_api_yaml("kind: [").is_err());
        assert!(parse_api_yaml("").is_err());
    }

    #[test]
    fn alias_bombs_are_refused() {
        let bomb = "a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n";
        assert!(parse_api_yaml(bomb).is_err());
    }

    #[test]
    fn the_decision_checks_presence_env_type_and_tier() {
        let c = parse_api_yaml(GOOD).unwrap();
        assert!(check_allowlist(Some(&c), env(Tier::Author, EnvType::Dev), "c1").is_ok());
        let d = check_allowlist(Some(&c), env(Tier::Publish, EnvType::Dev), "c1").unwrap_err();
        assert_eq!(d.reason, Reason::ClientNotAllowlisted);
        assert!(
            d.explanation.contains("listed for author only"),
            "{}",
            d.explanation
        );
        assert!(d.explanation.starts_with(NOT_ALLOWLISTED));
        let d = check_allowlist(Some(&c), env(Tier::Author, EnvType::Prod), "c1").unwrap_err();
        assert_eq!(d.reason, Reason::EnvTypeNotListed);
        let d = check_allowlist(None, env(Tier::Author, EnvType::Dev), "c1").unwrap_err();
        assert_eq!(d.reason, Reason::NoApiConfig);
        assert!(d.fix.contains("c1"));
    }
}

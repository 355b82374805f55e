//! `latchkey assets meta get ASSET` and `latchkey assets meta set ASSET key=value...
//! [--remove key]...`: the change is a JSON Patch (`add` and `remove` operations) sent with
//! `If-Match: <the ETag just read>`, so that a concurrent edit is refused (412) instead of
//! silently overwritten.

use clap::Subcommand;
use latchkey_client::{AssetsClient, Metadata, PatchOp};
use serde_json::{Map, Value};

use super::resolve_asset;
use crate::failure::CliError;
use crate::output;
use crate::output::outln;

/// `latchkey assets meta`.
#[derive(Debug, Subcommand)]
pub enum MetaCommand {
    /// Print an asset's metadata: the editable properties and the repository's facts.
    #[command(after_help = "Examples:
  latchkey assets meta get /content/dam/wknd/en/hero.jpg
  latchkey assets meta get urn:aaid:aem:0b6c...-uuid --json")]
    Get {
        /// The asset: a DAM path or an asset id.
        asset: String,
    },
    /// Set or remove metadata properties; values are JSON when they parse (5, true, ["a"]),
    /// else strings.
    #[command(after_help = "Examples:
  latchkey assets meta set /content/dam/wknd/en/hero.jpg dc:title=\"Surfing in Hawaii\" wknd:rating=5
  latchkey assets meta set /content/dam/wknd/en/hero.jpg 'dc:subject=[\"surf\",\"ocean\"]' --remove wknd:draft
  latchkey assets meta set urn:aaid:aem:0b6c...-uuid dc:title=X --if-match '\"0b6c...-3\"'")]
    Set {
        /// The asset: a DAM path or an asset id.
        asset: String,
        /// Properties to set, as key=value.
        #[arg(value_name = "KEY=VALUE")]
        pairs: Vec<String>,
        /// A property to remove (repeatable).
        #[arg(long, value_name = "KEY")]
        remove: Vec<String>,
        /// Change only if the asset's ETag is this one (default: the ETag read just before).
        #[arg(long, value_name = "ETAG")]
        if_match: Option<String>,
    },
}

/// Runs a `meta` command.
pub async fn run(client: &AssetsClient, cmd: MetaCommand, json: bool) -> Result<(), CliError> {
    match cmd {
        MetaCommand::Get { asset } => {
            let id = resolve_asset(client, &asset).await?.id;
            print(&client.metadata(&id).await?, json)
        }
        MetaCommand::Set {
            asset,
            pairs,
            remove,
            if_match,
        } => {
            let ops = patch(&pairs, &remove)?;
            let id = resolve_asset(client, &asset).await?.id;
            let etag = match if_match {
                Some(e) => Some(e),
                None => client.metadata(&id).await?.etag,
            };
            let after = client
                .patch_metadata(&id, &ops, etag.as_deref())
                .await
                .map_err(|e| {
                    if e.status() == Some(412) {
                        CliError::Refused(format!(
                            "{asset} changed since its metadata was read (ETag {}): someone else edited it; nothing was changed, run the command again to apply yours to the current version",
                            etag.as_deref().unwrap_or("?")
                        ))
                    } else {
                        e.into()
                    }
                })?;
            print(&after, json)
        }
    }
}

/// The JSON Patch of `key=value` pairs and removals.
fn patch(pairs: &[String], remove: &[String]) -> Result<Vec<PatchOp>, CliError> {
    if pairs.is_empty() && remove.is_empty() {
        return Err(CliError::Usage(
            "nothing to change: give key=value pairs and/or --remove KEY".into(),
        ));
    }
    let mut ops = Vec::with_capacity(pairs.len() + remove.len());
    for pair in pairs {
        let (key, raw) = pair
            .split_once('=')
            .filter(|(k, _)| !k.trim().is_empty())
            .ok_or_else(|| {
                CliError::Usage(format!(
                    "{pair:?} is not key=value: write e.g. dc:title=\"Hero\" (the key before the first =)"
                ))
            })?;
        let value =
            serde_json::from_str::<Value>(raw).unwrap_or_else(|_| Value::String(raw.to_owned()));
        ops.push(PatchOp::Add {
            path: key.trim().to_owned(),
            value,
        });
    }
    for key in remove {
        ops.push(PatchOp::Remove {
            path: key.trim().to_owned(),
        });
    }
    Ok(ops)
}

fn print(meta: &Metadata, json: bool) -> Result<(), CliError> {
    if json {
        return output::json(&meta.document);
    }
    let mut head = vec![("asset", meta.document.asset_id.clone())];
    if let Some(etag) = &meta.etag {
        head.push(("etag", etag.clone()));
    }
    output::fields(&head);
    section("metadata", &meta.document.asset_metadata);
    section("repository", &meta.document.repository_metadata);
    Ok(())
}

fn section(title: &str, map: &Map<String, Value>) {
    outln!("\n{title}:");
    if map.is_empty() {
        outln!("  (none)");
        return;
    }
    let width = map.keys().map(String::len).max().unwrap_or(0) + 1;
    for (k, v) in map {
        let v = match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        outln!("  {:<width$} {v}", format!("{k}:"));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn pairs_become_adds_with_json_values_and_removals() {
        let ops = patch(
            &[
                "dc:title=Hero".into(),
                "wknd:rating=5".into(),
                "x=a=b".into(),
                "tags=[\"a\"]".into(),
            ],
            &["wknd:draft".into()],
        )
        .unwrap_or_default();
        assert_eq!(
            serde_json::to_value(&ops).unwrap_or_default(),
            json!([
                {"op": "add", "path": "dc:title", "value": "Hero"},
                {"op": "add", "path": "wknd:rating", "value": 5},
                {"op": "add", "path": "x", "value": "a=b"},
                {"op": "add", "path": "tags", "value": ["a"]},
                {"op": "remove", "path": "wknd:draft"},
            ])
        );
        assert!(matches!(
            patch(&["=x".into()], &[]),
            Err(CliError::Usage(_))
        ));
        assert!(matches!(patch(&[], &[]), Err(CliError::Usage(_))));
    }
}

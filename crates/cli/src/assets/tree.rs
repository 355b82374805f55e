//! `latchkey assets mkdir PATH [-p]` and `latchkey assets rm PATH|ASSET [-r]`.

use latchkey_client::AssetsClient;
use latchkey_proto::aem::NewFolder;
use serde_json::json;

use super::{is_asset_id, not_found};
use crate::failure::CliError;
use crate::output;
use crate::output::outln;

/// Creates the folder `path`; with `parents`, its missing ancestors too.
pub async fn mkdir(
    client: &AssetsClient,
    path: &str,
    title: Option<&str>,
    parents: bool,
    json: bool,
) -> Result<(), CliError> {
    let created = if parents {
        client.create_folder_all(path, title).await?
    } else {
        let folder = NewFolder {
            path: path.to_owned(),
            title: title.map(str::to_owned),
        };
        client.create_folders(&[folder]).await.map_err(|e| {
            if e.status() == Some(404) {
                CliError::Refused(format!(
                    "the parent folder of {path} does not exist: pass -p to create it too"
                ))
            } else {
                e.into()
            }
        })?
    };
    if json {
        return output::json(&created);
    }
    if created.is_empty() {
        outln!("{path} exists already.");
    }
    for f in &created {
        outln!("Created folder {} ({}).", f.path, f.folder_id);
    }
    Ok(())
}

/// Deletes the asset or folder `target`.
pub async fn rm(
    client: &AssetsClient,
    target: &str,
    recursive: bool,
    json: bool,
) -> Result<(), CliError> {
    let (kind, id) = if is_asset_id(target) {
        client.delete_asset(target).await?;
        ("asset", target.to_owned())
    } else {
        let found = client
            .find(target)
            .await?
            .ok_or_else(|| not_found(target))?;
        match found.asset_id {
            Some(id) if found.kind == "asset" => {
                client.delete_asset(&id).await?;
                ("asset", id)
            }
            _ => {
                client
                    .delete_folder(target, recursive)
                    .await
                    .map_err(|e| match e.status() {
                        Some(409) if !recursive => CliError::Refused(format!(
                            "{target} is not empty: pass -r to delete it with everything below it"
                        )),
                        _ => e.into(),
                    })?;
                ("folder", found.folder_id.unwrap_or_default())
            }
        }
    };
    if json {
        return output::json(&json!({"deleted": target, "kind": kind, "id": id}));
    }
    outln!("Deleted {kind} {target}.");
    Ok(())
}

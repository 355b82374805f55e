//! `latchkey assets upload FILE... [--to FOLDER]` and `latchkey assets download ASSET [-o]`:
//! streamed both ways by the library, with a progress bar on stderr when it is a terminal, and
//! with `--json` one JSON result per file on stdout.

use std::path::PathBuf;

use latchkey_client::{AssetsClient, IfExists};
use serde_json::json;

use super::{media_type, resolve_asset};
use crate::failure::CliError;
use crate::output::outln;
use crate::output::{self, Progress, progress};

/// Where and how `upload` puts its files.
pub struct UploadOptions {
    /// The folder.
    pub to: String,
    /// The asset's name (one file only).
    pub name: Option<String>,
    /// The media type, instead of the guess.
    pub media_type: Option<String>,
}

/// Uploads `files` into `opts.to`, one after the other; stops at the first failure.
pub async fn upload(
    client: &AssetsClient,
    files: &[PathBuf],
    opts: &UploadOptions,
    json: bool,
) -> Result<(), CliError> {
    if opts.name.is_some() && files.len() > 1 {
        return Err(CliError::Usage(
            "--name names one asset: upload one file with it, or drop it to keep the files' names"
                .into(),
        ));
    }
    // Read errors first, before anything is sent: a missing third file should not leave the
    // first two uploaded.
    let mut plan = Vec::with_capacity(files.len());
    for file in files {
        let meta = std::fs::metadata(file).map_err(|source| CliError::ReadFile {
            path: file.clone(),
            source,
        })?;
        if !meta.is_file() {
            return Err(CliError::Usage(format!(
                "{} is not a file: upload files one by one (a folder is made with `latchkey assets mkdir`)",
                file.display()
            )));
        }
        let name = match (&opts.name, file.file_name()) {
            (Some(n), _) => n.clone(),
            (None, Some(n)) => n.to_string_lossy().into_owned(),
            (None, None) => {
                return Err(CliError::Usage(format!(
                    "{} has no file name: pass --name",
                    file.display()
                )));
            }
        };
        plan.push((file, name));
    }
    // A missing folder is said once, before any byte is sent.
    if !client.folder_exists(&opts.to).await? {
        return Err(CliError::Refused(format!(
            "no folder {}: create it with `latchkey assets mkdir -p {}`",
            opts.to, opts.to
        )));
    }
    for (file, name) in plan {
        let media = opts
            .media_type
            .clone()
            .unwrap_or_else(|| media_type::guess(&name).to_owned());
        let bar = Progress::new(&name);
        let result = client
            .upload_file(&opts.to, &name, &media, file, bar.callback())
            .await;
        let up = match result {
            Ok(up) => {
                bar.finish();
                up
            }
            Err(e) => {
                bar.clear();
                return Err(e.into());
            }
        };
        if json {
            output::json_line(&up)?;
        } else {
            let size = u64::try_from(up.size).unwrap_or(0);
            outln!(
                "Uploaded {} to {} ({}, {}, {}).",
                file.display(),
                up.path,
                progress::bytes(size),
                up.mime_type,
                up.asset_id
            );
        }
    }
    Ok(())
}

/// Downloads the asset `asset` to `output` (a file, a directory, or the current directory).
pub async fn download(
    client: &AssetsClient,
    asset: &str,
    output: Option<PathBuf>,
    force: bool,
    json: bool,
) -> Result<(), CliError> {
    let found = resolve_asset(client, asset).await?;
    let name = match found.name {
        Some(n) => n,
        None => asset_name(client, &found.id).await?,
    };
    // The name becomes a local file name: nothing that climbs out of the directory.
    let name = if name.is_empty() || name == "." || name == ".." || name.contains(['/', '\\']) {
        "asset".to_owned()
    } else {
        name
    };
    let dest = match output {
        Some(o) if o.is_dir() => o.join(&name),
        Some(o) => o,
        None => PathBuf::from(&name),
    };
    if !force && dest.exists() {
        return Err(CliError::WouldOverwrite { path: dest });
    }
    let if_exists = if force {
        IfExists::Replace
    } else {
        IfExists::Fail
    };
    let bar = Progress::new(&name);
    let done = match client
        .download_to(&found.id, &dest, if_exists, bar.callback())
        .await
    {
        Ok(d) => {
            bar.finish();
            d
        }
        Err(latchkey_client::Error::File { source, .. })
            if source.kind() == std::io::ErrorKind::AlreadyExists =>
        {
            bar.clear();
            return Err(CliError::WouldOverwrite { path: dest });
        }
        Err(e) => {
            bar.clear();
            return Err(e.into());
        }
    };
    if json {
        return output::json_line(&json!({
            "assetId": found.id,
            "file": done.path,
            "size": done.size,
            "mimeType": done.media_type,
        }));
    }
    outln!(
        "Downloaded {asset} to {} ({}).",
        done.path.display(),
        progress::bytes(done.size)
    );
    Ok(())
}

/// The asset's file name, from its metadata (`repo:name`).
async fn asset_name(client: &AssetsClient, id: &str) -> Result<String, CliError> {
    let meta = client.metadata(id).await?;
    Ok(meta
        .document
        .repository_metadata
        .get("repo:name")
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_owned())
}

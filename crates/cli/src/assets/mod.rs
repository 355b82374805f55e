//! `latchkey assets ls|mkdir|upload|download|meta get|meta set|rm`: AEM's Assets and Folders
//! APIs from the command line, through [`latchkey_client::AssetsClient`].
//!
//! The credential and the environment come from [`crate::credential::ApiArgs`] (`--aem`,
//! `AEM_URL`, a settings file, or the dev file's `aem.base_url`). Folders and assets are named
//! by DAM path (`/content/dam/wknd/en/hero.jpg`); an asset may also be named by its id
//! (`urn:aaid:aem:...`). One file per kind of command:
//! - `list`: `ls`;
//! - `tree`: `mkdir` and `rm`;
//! - `transfer`: `upload` and `download`, with progress bars on stderr;
//! - `meta`: `meta get` and `meta set` (a JSON Patch sent with `If-Match`);
//! - `media_type`: the media type of a file from its extension.

mod list;
mod media_type;
mod meta;
mod transfer;
mod tree;

use std::path::PathBuf;

use clap::{Args, Subcommand};
use latchkey_client::AssetsClient;
use latchkey_client::assets::{DAM_ROOT, split_path};

use crate::credential::ApiArgs;
use crate::failure::{CliError, EXIT_CODES};
use crate::runtime;

/// `latchkey assets`.
#[derive(Debug, Args)]
#[command(after_help = after_help())]
pub struct AssetsArgs {
    #[command(flatten)]
    api: ApiArgs,
    #[command(subcommand)]
    command: AssetsCommand,
}

#[derive(Debug, Subcommand)]
enum AssetsCommand {
    /// List a folder: its folders and assets (every page of them).
    #[command(after_help = "Examples:
  latchkey assets ls --dev-credentials latchkey-data/dev-credentials.json
  latchkey assets ls /content/dam/wknd/en --json")]
    Ls {
        /// The folder (default /content/dam).
        #[arg(default_value = DAM_ROOT)]
        path: String,
        /// Children asked for per call (1..50); all are listed either way.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=50))]
        limit: Option<u32>,
    },
    /// Create a folder.
    #[command(after_help = "Examples:
  latchkey assets mkdir /content/dam/wknd --title \"WKND Site\"
  latchkey assets mkdir -p /content/dam/wknd/en/adventures")]
    Mkdir {
        /// The folder's DAM path.
        path: String,
        /// Its title (default: its name).
        #[arg(long)]
        title: Option<String>,
        /// Also create missing parent folders; a folder that exists is fine.
        #[arg(short = 'p', long)]
        parents: bool,
    },
    /// Upload files as new assets (streamed from disk, with a progress bar).
    #[command(after_help = "Examples:
  latchkey assets upload hero.jpg teaser.png --to /content/dam/wknd/en
  latchkey assets upload IMG_0042.JPG --to /content/dam/wknd --name surfer.jpg --type image/jpeg
  latchkey assets upload *.pdf --to /content/dam/docs --json     # one JSON result per line")]
    Upload {
        /// The files.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// The folder to upload into (default /content/dam).
        #[arg(long, value_name = "FOLDER", default_value = DAM_ROOT)]
        to: String,
        /// The asset's name (one file only; default: the file's name).
        #[arg(long)]
        name: Option<String>,
        /// The media type (default: guessed from the extension).
        #[arg(long = "type", value_name = "MEDIA_TYPE")]
        media_type: Option<String>,
    },
    /// Download an asset's original binary (streamed, with a progress bar).
    #[command(after_help = "Examples:
  latchkey assets download /content/dam/wknd/en/hero.jpg
  latchkey assets download urn:aaid:aem:0b6c...-uuid -o ~/Downloads/
  latchkey assets download /content/dam/wknd/en/hero.jpg -o hero-copy.jpg --force")]
    Download {
        /// The asset: a DAM path or an asset id.
        asset: String,
        /// The file to write, or a directory to write the asset's name into (default: the
        /// asset's name in the current directory).
        #[arg(short = 'o', long = "output", value_name = "FILE|DIR")]
        output: Option<PathBuf>,
        /// Replace the file if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Read or change an asset's metadata.
    #[command(after_help = "Examples:
  latchkey assets meta get /content/dam/wknd/en/hero.jpg
  latchkey assets meta set /content/dam/wknd/en/hero.jpg dc:title=\"Hero\" --remove wknd:draft")]
    Meta {
        #[command(subcommand)]
        command: meta::MetaCommand,
    },
    /// Delete an asset, or a folder (with its content: -r).
    #[command(after_help = "Examples:
  latchkey assets rm /content/dam/wknd/en/hero.jpg
  latchkey assets rm urn:aaid:aem:0b6c...-uuid
  latchkey assets rm -r /content/dam/wknd")]
    Rm {
        /// A DAM path (asset or folder) or an asset id.
        target: String,
        /// Delete a folder that is not empty, with everything below it.
        #[arg(short = 'r', long)]
        recursive: bool,
    },
}

fn after_help() -> String {
    format!(
        "Folders and assets are named by DAM path (/content/dam/...); an asset also by its id
(urn:aaid:aem:...). The AEM environment is --aem URL, AEM_URL, aem_url of a profile, or the
dev file's. Writes need a credential whose product profile enables the AEM Administrators service
(or an ACL grant): a denial says which stage refused and how to fix it.

Examples:
  latchkey assets ls --dev-credentials latchkey-data/dev-credentials.json
  latchkey assets mkdir -p /content/dam/wknd/en
  latchkey assets upload hero.jpg --to /content/dam/wknd/en
  latchkey assets meta set /content/dam/wknd/en/hero.jpg dc:title=\"Hero\" wknd:rating=5
  latchkey assets download /content/dam/wknd/en/hero.jpg -o /tmp/
  latchkey assets rm -r /content/dam/wknd --aem https://author-p12345-e67890.adobeaemcloud.com

{EXIT_CODES}"
    )
}

/// Runs `latchkey assets`.
pub fn run(args: AssetsArgs) -> Result<(), CliError> {
    runtime::block_on(async move {
        let client = connect(&args.api).await?;
        let json = args.api.cred.json();
        match args.command {
            AssetsCommand::Ls { path, limit } => list::ls(&client, &path, limit, json).await,
            AssetsCommand::Mkdir {
                path,
                title,
                parents,
            } => tree::mkdir(&client, &path, title.as_deref(), parents, json).await,
            AssetsCommand::Upload {
                files,
                to,
                name,
                media_type,
            } => {
                let opts = transfer::UploadOptions {
                    to,
                    name,
                    media_type,
                };
                transfer::upload(&client, &files, &opts, json).await
            }
            AssetsCommand::Download {
                asset,
                output,
                force,
            } => transfer::download(&client, &asset, output, force, json).await,
            AssetsCommand::Meta { command } => meta::run(&client, command, json).await,
            AssetsCommand::Rm { target, recursive } => {
                tree::rm(&client, &target, recursive, json).await
            }
        }
    })
}

/// A client of the environment, with a token of the credential.
async fn connect(api: &ApiArgs) -> Result<AssetsClient, CliError> {
    let aem = api.aem_url()?;
    let token = api.cred.obtain().await?;
    Ok(AssetsClient::new(
        &aem,
        &token.client_id,
        token.access_token,
    )?)
}

/// Whether `arg` is an asset id rather than a path.
fn is_asset_id(arg: &str) -> bool {
    arg.starts_with("urn:aaid:")
}

/// An asset named on the command line.
struct Asset {
    /// `urn:aaid:aem:...`.
    id: String,
    /// Its file name, when the lookup gave it.
    name: Option<String>,
}

/// The asset `arg` names: an id as is, a path looked up.
async fn resolve_asset(client: &AssetsClient, arg: &str) -> Result<Asset, CliError> {
    if is_asset_id(arg) {
        return Ok(Asset {
            id: arg.to_owned(),
            name: None,
        });
    }
    match client.find(arg).await? {
        Some(found) => match found.asset_id {
            Some(id) if found.kind == "asset" => Ok(Asset {
                id,
                name: Some(found.name),
            }),
            _ => Err(CliError::Refused(format!(
                "{arg} is a folder, not an asset: `latchkey assets ls {arg}` lists its assets"
            ))),
        },
        None => Err(not_found(arg)),
    }
}

/// Nothing at `path`: say where to look.
fn not_found(path: &str) -> CliError {
    let hint = match split_path(path) {
        Some((parent, _)) => format!("`latchkey assets ls {parent}` shows what is there"),
        None => format!("DAM paths start with {DAM_ROOT}/, asset ids with urn:aaid:aem:"),
    };
    CliError::Refused(format!("no asset or folder at {path}: {hint}"))
}

//! Upload a file into an AEM folder with a token of `CLIENT_ID` / `CLIENT_SECRET`, print its
//! asset id, read its metadata back, and delete it again.
//!
//! ```sh
//! # IMS_URL, CLIENT_ID, CLIENT_SECRET, SCOPES as for the `token` example, and:
//! AEM_URL=http://127.0.0.1:8080 FOLDER=/content/dam/my-team \
//!   cargo run -p latchkey-client --example upload -- photo.jpg
//! ```
//!
//! The credential needs create permission on the folder (on the dev server: a profile with the
//! AEM Administrators service, see the README's walkthrough).

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;
use std::process::ExitCode;

use latchkey_client::{AssetsClient, ClientSecret, Credentials, Error, TokenClient, TokenProvider};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("upload: {e}");
            ExitCode::from(1)
        }
    }
}

async fn run() -> Result<(), Error> {
    let var = |k: &str| std::env::var(k).unwrap_or_default();
    let file = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "photo.jpg".into()),
    );
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let scopes = var("SCOPES");
    let scopes: Vec<&str> = scopes.split(',').filter(|s| !s.is_empty()).collect();
    let creds = Credentials::client_credentials(
        var("CLIENT_ID"),
        ClientSecret::new(var("CLIENT_SECRET")),
        &scopes,
    );
    let token = TokenProvider::new(TokenClient::new(&var("IMS_URL"))?)
        .token(&creds)
        .await?;
    let aem = AssetsClient::new(&var("AEM_URL"), creds.client_id(), token.access_token)?;
    let folder = var("FOLDER");
    aem.create_folder_all(&folder, None).await?;
    let up = aem
        .upload_file(
            &folder,
            &name,
            "application/octet-stream",
            &file,
            |done, total| {
                eprint!("\r{done} of {} bytes", total.unwrap_or(0));
            },
        )
        .await?;
    eprintln!();
    println!("uploaded {} as {}", up.path, up.asset_id);
    let meta = aem.metadata(&up.asset_id).await?;
    println!(
        "repo:size = {:?}",
        meta.document.repository_metadata.get("repo:size")
    );
    aem.delete_asset(&up.asset_id).await?;
    println!("deleted it again");
    Ok(())
}

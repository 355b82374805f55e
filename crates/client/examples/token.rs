//! Get a token the way Adobe's seed-001 sample does, from `CLIENT_ID`, `CLIENT_SECRET` and
//! `SCOPES` (and `IMS_URL`, default Adobe's IMS), and print when it expires.
//!
//! Against the dev server (`latchkey serve --dev`):
//!
//! ```sh
//! F=latchkey-data/dev-credentials.json
//! IMS_URL=http://127.0.0.1:8080 \
//! CLIENT_ID=$(jq -r .credentials.oauth_server_to_server.client_id $F) \
//! CLIENT_SECRET=$(jq -r .credentials.oauth_server_to_server.client_secret $F) \
//! SCOPES=openid,AdobeID,aem.assets.author \
//!   cargo run -p latchkey-client --example token
//! ```

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;
use std::time::SystemTime;

use latchkey_client::{ClientSecret, Credentials, TokenClient, TokenProvider};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let var = |k: &str| std::env::var(k).unwrap_or_default();
    let ims = std::env::var("IMS_URL").unwrap_or_else(|_| "https://ims-na1.adobelogin.com".into());
    let scopes = var("SCOPES");
    let scopes: Vec<&str> = scopes.split(',').filter(|s| !s.is_empty()).collect();
    let creds = Credentials::client_credentials(
        var("CLIENT_ID"),
        ClientSecret::new(var("CLIENT_SECRET")),
        &scopes,
    );
    let provider = match TokenClient::new(&ims) {
        Ok(c) => TokenProvider::new(c),
        Err(e) => {
            eprintln!("token: {e}");
            return ExitCode::from(2);
        }
    };
    match provider.token(&creds).await {
        Ok(t) => {
            let left = t
                .expires_at
                .duration_since(SystemTime::now())
                .unwrap_or_default();
            println!(
                "got a token for {}, valid for {} s more",
                creds.client_id(),
                left.as_secs()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("token: {e}");
            ExitCode::from(1)
        }
    }
}

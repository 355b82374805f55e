//! `latchkey secrets list|add|delete|rotate`: the client secrets of a credential, through the
//! console API (Adobe's I/O Management API shapes). `rotate` lives in [`crate::rotate`].
//!
//! The caller is either the credential itself, whose token then asks for `read_client_secret`
//! (list) or `manage_client_secrets` (add, delete), or an organization admin working on any
//! credential of the organization with `--credential-id`. Rotating without downtime is: `add`,
//! switch the application to the new secret, wait until `list` shows it in use and the old one
//! idle, `delete` the old one.

use std::time::Duration;

use clap::{Args, Subcommand};
use latchkey_proto::console::{SecretInfo, SecretList};

use crate::connection::{Connection, ConnectionArgs, Session};
use crate::failure::{CliError, EXIT_CODES};
use crate::output::outln;
use crate::output::{self, Table};
use crate::rotate;
use crate::runtime;

/// The scope a credential needs to list its own secrets.
const READ_SCOPE: &str = "read_client_secret";
/// The scope a credential needs to add or delete its own secrets.
const MANAGE_SCOPE: &str = "manage_client_secrets";

/// `latchkey secrets`.
#[derive(Debug, Args)]
#[command(after_help = after_help())]
pub struct SecretsArgs {
    #[command(flatten)]
    conn: ConnectionArgs,
    /// The credential whose secrets to manage (default: the caller's own; with
    /// --dev-credentials alone, the demo credential).
    #[arg(long, value_name = "N", env = "CREDENTIAL_ID", global = true)]
    credential_id: Option<i64>,
    #[command(subcommand)]
    command: SecretsCommand,
}

#[derive(Debug, Subcommand)]
enum SecretsCommand {
    /// List the secrets: uuid, creation, last use (never a secret value).
    #[command(
        after_help = "Example:\n  latchkey secrets list --dev-credentials latchkey-data/dev-credentials.json"
    )]
    List,
    /// Add a secret (at most two per credential); its value is printed this once only.
    #[command(
        after_help = "Example (IMS_URL, CLIENT_ID and CLIENT_SECRET set):\n  latchkey secrets add --credential-id 7 --json"
    )]
    Add,
    /// Delete a secret by uuid (never the last one). Tokens it obtained stay valid until they
    /// expire; `latchkey admin credentials revoke-tokens` refuses them at once.
    #[command(
        after_help = "Example:\n  latchkey secrets delete 0f5e...-uuid --credential-id 1 --dev-credentials latchkey-data/dev-credentials.json"
    )]
    Delete {
        /// The secret's uuid, as `latchkey secrets list` shows it.
        uuid: String,
    },
    /// Rotate without downtime: add a secret, write it into the settings file it came from,
    /// wait until it is in use and the old one idle, then delete the old one. Safe to
    /// interrupt: the next run resumes.
    #[command(after_help = ROTATE_HELP)]
    Rotate {
        /// How long the old secret must stay unused, once the new one is in use, before it is
        /// deleted (e.g. 30s, 10m, 1h).
        #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = rotate::parse_duration)]
        idle: Duration,
        /// Stop waiting after this long (progress is saved; run again to resume).
        #[arg(long, value_name = "DURATION", default_value = "24h", value_parser = rotate::parse_duration)]
        timeout: Duration,
        /// Time between two looks at the secrets' usage.
        #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = rotate::parse_duration)]
        poll: Duration,
    },
}

const ROTATE_HELP: &str =
    "The new secret goes into the file the settings came from: the .env (CLIENT_SECRET), the
profile, or the dev-credentials.json entry of the credential. The application must re-read it.
Progress is saved in <file>.rotation.json next to it; after an interruption, run the same
command again. The old secret's use is read from the secrets API (secret_usages), which a
server updates every few seconds: keep --idle well above that.

Examples:
  latchkey secrets rotate --env-file .env --credential-id 436084 --idle 30m
  latchkey secrets rotate --dev-credentials latchkey-data/dev-credentials.json --idle 30s";

fn after_help() -> String {
    format!(
        "Settings come from flags, then IMS_URL, CLIENT_ID, CLIENT_SECRET, ORG_ID, CREDENTIAL_ID, then --profile,
--env-file (or ./.env), then --dev-credentials.

Examples:
  latchkey secrets list --dev-credentials latchkey-data/dev-credentials.json
  export IMS_URL=http://127.0.0.1:8080 CLIENT_ID=... CLIENT_SECRET=...
  latchkey secrets add --credential-id 7
  latchkey secrets delete <uuid> --credential-id 7
  latchkey secrets rotate --env-file .env --credential-id 7 --idle 30m

{EXIT_CODES}"
    )
}

/// Runs a `secrets` command.
pub fn run(args: SecretsArgs) -> Result<(), CliError> {
    let conn = Connection::resolve(&args.conn)?;
    let json = args.conn.json;
    runtime::block_on(async move {
        let scope = match args.command {
            SecretsCommand::List => READ_SCOPE,
            SecretsCommand::Add | SecretsCommand::Delete { .. } | SecretsCommand::Rotate { .. } => {
                MANAGE_SCOPE
            }
        };
        let session = conn.session(&[scope]).await?;
        let credential = target(&conn, &session, args.credential_id.or(conn.credential_id)).await?;
        let Session { console, org } = &session;
        match args.command {
            SecretsCommand::List => {
                let list = console.list_secrets(org, credential).await?;
                if json {
                    output::json(&list)
                } else {
                    print_list(credential, &list);
                    Ok(())
                }
            }
            SecretsCommand::Add => {
                let new = console.add_secret(org, credential).await?;
                if json {
                    output::json(&new.to_body())?;
                } else {
                    outln!("New client secret of credential {credential}:\n");
                    outln!("  {}\n", new.secret.expose_secret());
                    outln!("uuid: {}", new.info.uuid);
                }
                output::warn(
                    "this is the only time the secret is shown: store it now, switch your application to it, then delete the old secret once `latchkey secrets list` shows it idle",
                );
                Ok(())
            }
            SecretsCommand::Delete { uuid } => {
                console.delete_secret(org, credential, &uuid).await?;
                if !json {
                    outln!("Deleted secret {uuid} of credential {credential}.");
                }
                Ok(())
            }
            SecretsCommand::Rotate {
                idle,
                timeout,
                poll,
            } => {
                let waiting = rotate::Waiting {
                    idle,
                    timeout,
                    poll,
                };
                rotate::run(&session, credential, &conn.files, &waiting).await
            }
        }
    })
}

/// The credential to work on: `--credential-id`, else the dev file's demo credential when the
/// caller came from the file, else the caller itself (its id from the dev file, or found in the
/// organization's list, which only an admin may read).
async fn target(conn: &Connection, session: &Session, given: Option<i64>) -> Result<i64, CliError> {
    if let Some(id) = given.or(conn.default_target).or(conn.own_id_if_known()) {
        return Ok(id);
    }
    let unknown = || CliError::UnknownCredentialId {
        client_id: conn.client_id.clone(),
    };
    match session.console.list_credentials(&session.org).await {
        Ok(list) => list
            .iter()
            .find(|c| c.client_id == conn.client_id)
            .map(|c| c.id)
            .ok_or_else(unknown),
        Err(e) if e.status() == Some(403) => Err(unknown()),
        Err(e) => Err(e.into()),
    }
}

fn print_list(credential: i64, list: &SecretList) {
    outln!(
        "Secrets of credential {credential} (client id {}):",
        list.client_id
    );
    let mut table = Table::new(&["UUID", "CREATED", "LAST USED"]);
    for s in &list.client_secrets {
        table.row(vec![
            s.uuid.clone(),
            output::millis(&s.created_at),
            last_used(s),
        ]);
    }
    table.print("(none)");
}

fn last_used(s: &SecretInfo) -> String {
    s.secret_usages
        .iter()
        .flatten()
        .filter_map(|u| u.last_used_at.parse::<i64>().ok())
        .max()
        .map_or_else(|| "never".to_owned(), |ms| output::millis(&ms.to_string()))
}

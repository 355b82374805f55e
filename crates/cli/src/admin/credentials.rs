//! `latchkey admin credentials list|show|create|rename|disable|enable|delete|revoke-tokens`.

use clap::Subcommand;
use latchkey_proto::console::{CreateCredential, CredentialBody, UpdateCredential};

use crate::connection::Session;
use crate::failure::CliError;
use crate::output::outln;
use crate::output::{self, Table};

/// Credential commands.
#[derive(Debug, Subcommand)]
pub enum CredentialsCommand {
    /// List the organization's credentials.
    #[command(
        after_help = "Example:\n  latchkey admin credentials list --dev-credentials latchkey-data/dev-credentials.json"
    )]
    List,
    /// Show one credential, with its technical account.
    #[command(after_help = "Example:\n  latchkey admin credentials show 1 --json")]
    Show {
        /// Credential id.
        id: i64,
    },
    /// Create an OAuth Server-to-Server credential; its first secret is printed this once only.
    #[command(
        after_help = "Example:\n  latchkey admin credentials create --project 1 --name asset-sync --scopes openid,AdobeID,aem.assets.author"
    )]
    Create {
        /// The project to create it in (`latchkey admin projects list`).
        #[arg(long, value_name = "ID")]
        project: i64,
        /// Display name.
        #[arg(long, value_name = "N")]
        name: String,
        /// Scopes it may request, comma-separated.
        #[arg(long, value_name = "a,b", value_delimiter = ',', required = true)]
        scopes: Vec<String>,
        /// Make it an organization admin.
        #[arg(long)]
        admin: bool,
    },
    /// Rename a credential.
    #[command(after_help = "Example:\n  latchkey admin credentials rename 7 \"asset sync (prod)\"")]
    Rename {
        /// Credential id.
        id: i64,
        /// New display name.
        name: String,
    },
    /// Disable a credential: its secrets stop obtaining tokens and its tokens are refused.
    #[command(after_help = "Example:\n  latchkey admin credentials disable 7")]
    Disable {
        /// Credential id.
        id: i64,
    },
    /// Enable a disabled credential again.
    #[command(after_help = "Example:\n  latchkey admin credentials enable 7")]
    Enable {
        /// Credential id.
        id: i64,
    },
    /// Delete a credential and its secrets.
    #[command(after_help = "Example:\n  latchkey admin credentials delete 7")]
    Delete {
        /// Credential id.
        id: i64,
    },
    /// Refuse, on every node, every token of a credential issued before now.
    #[command(after_help = "Example:\n  latchkey admin credentials revoke-tokens 7")]
    RevokeTokens {
        /// Credential id.
        id: i64,
    },
}

/// Runs a credential command.
pub async fn run(s: &Session, cmd: CredentialsCommand, json: bool) -> Result<(), CliError> {
    let (console, org) = (&s.console, s.org.as_str());
    match cmd {
        CredentialsCommand::List => {
            let list = console.list_credentials(org).await?;
            if json {
                return output::json(&list);
            }
            let mut table = Table::new(&[
                "ID",
                "PROJECT",
                "NAME",
                "CLIENT ID",
                "ADMIN",
                "ENABLED",
                "SCOPES",
            ]);
            for c in &list {
                table.row(vec![
                    c.id.to_string(),
                    c.project_id.to_string(),
                    c.name.clone(),
                    c.client_id.clone(),
                    yes_no(c.admin),
                    yes_no(c.enabled),
                    c.scopes.join(","),
                ]);
            }
            table.print("(no credentials)");
            Ok(())
        }
        CredentialsCommand::Show { id } => show(&console.get_credential(org, id).await?, json),
        CredentialsCommand::Create {
            project,
            name,
            scopes,
            admin,
        } => {
            let spec = CreateCredential {
                name,
                scopes,
                admin,
            };
            let new = console.create_credential(org, project, &spec).await?;
            if json {
                output::json(&new.to_body())?;
            } else {
                show(&new.credential, false)?;
                outln!("\nClient secret:\n\n  {}\n", new.secret.expose_secret());
            }
            output::warn(
                "this is the only time the client secret is shown: store it now (it is kept only as a hash)",
            );
            Ok(())
        }
        CredentialsCommand::Rename { id, name } => {
            let change = UpdateCredential {
                name: Some(name),
                enabled: None,
            };
            let c = console.update_credential(org, id, &change).await?;
            done(
                &c,
                json,
                &format!("Renamed credential {} to {:?}.", c.id, c.name),
            )
        }
        CredentialsCommand::Disable { id } => set_enabled(s, id, false, json).await,
        CredentialsCommand::Enable { id } => set_enabled(s, id, true, json).await,
        CredentialsCommand::Delete { id } => {
            console.delete_credential(org, id).await?;
            if !json {
                outln!("Deleted credential {id} and its secrets.");
            }
            Ok(())
        }
        CredentialsCommand::RevokeTokens { id } => {
            let r = console.revoke_tokens(org, id).await?;
            if json {
                return output::json(&r);
            }
            outln!(
                "Tokens of credential {id} issued before {} are now refused.",
                output::millis(&r.revoked_before)
            );
            Ok(())
        }
    }
}

async fn set_enabled(s: &Session, id: i64, enabled: bool, json: bool) -> Result<(), CliError> {
    let change = UpdateCredential {
        name: None,
        enabled: Some(enabled),
    };
    let c = s.console.update_credential(&s.org, id, &change).await?;
    let what = if enabled { "Enabled" } else { "Disabled" };
    done(&c, json, &format!("{what} credential {}.", c.id))
}

/// Prints the changed credential with `--json`, else `sentence`.
fn done(c: &CredentialBody, json: bool, sentence: &str) -> Result<(), CliError> {
    if json {
        output::json(c)
    } else {
        outln!("{sentence}");
        Ok(())
    }
}

fn show(c: &CredentialBody, json: bool) -> Result<(), CliError> {
    if json {
        return output::json(c);
    }
    output::fields(&[
        ("id", c.id.to_string()),
        ("name", c.name.clone()),
        ("project", c.project_id.to_string()),
        ("organization", c.org_id.clone()),
        ("kind", c.kind.clone()),
        ("client id", c.client_id.clone()),
        ("technical account", c.technical_account_id.clone()),
        ("technical account email", c.technical_account_email.clone()),
        ("scopes", c.scopes.join(",")),
        ("admin", yes_no(c.admin)),
        ("enabled", yes_no(c.enabled)),
        (
            "tokens revoked before",
            output::millis(&c.tokens_revoked_before),
        ),
        ("created", output::millis(&c.created_at)),
    ]);
    Ok(())
}

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.to_owned()
}

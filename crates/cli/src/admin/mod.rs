//! `latchkey admin`: an organization admin's console commands, one file per resource:
//! [`projects`], [`credentials`], [`products`] (products and profiles), [`service_accounts`]
//! (legacy JWT credentials and their certificates), [`aem`] (an environment's api.yaml
//! allowlist, technical-account users, groups and grants), the [`audit`] log and the
//! installation's signing [`keys`].
//!
//! The caller's token asks for no particular scope (the credential's own scopes); the console
//! checks that the credential is an admin of the organization.

mod aem;
mod audit;
mod credentials;
mod keys;
mod products;
mod projects;
mod service_accounts;

use clap::{Args, Subcommand};

use crate::connection::{Connection, ConnectionArgs};
use crate::failure::{CliError, EXIT_CODES};
use crate::runtime;

/// `latchkey admin`.
#[derive(Debug, Args)]
#[command(after_help = after_help())]
pub struct AdminArgs {
    #[command(flatten)]
    conn: ConnectionArgs,
    #[command(subcommand)]
    command: AdminCommand,
}

#[derive(Debug, Subcommand)]
enum AdminCommand {
    /// Projects of the organization: list, create.
    #[command(subcommand)]
    Projects(projects::ProjectsCommand),
    /// Credentials of the organization: list, show, create, rename, disable, enable, delete,
    /// revoke-tokens.
    #[command(subcommand)]
    Credentials(credentials::CredentialsCommand),
    /// Products (AEM environments): list, create, delete.
    #[command(subcommand)]
    Products(products::ProductsCommand),
    /// Product profiles: list, create, services, delete, assign, unassign, of.
    #[command(subcommand)]
    Profiles(products::ProfilesCommand),
    /// Legacy Service Account (JWT) credentials: create, certificates, add-certificate,
    /// revoke-certificate, delete-certificate, download, migrate.
    #[command(subcommand)]
    ServiceAccounts(service_accounts::ServiceAccountsCommand),
    /// An AEM environment's security: allowlist, deploy, undeploy (api.yaml), users, groups,
    /// acls, grant, revoke.
    #[command(subcommand)]
    Aem(aem::AemCommand),
    /// The audit log, newest first.
    #[command(
        after_help = "Example:\n  latchkey admin audit --action secret.added --limit 20 --dev-credentials latchkey-data/dev-credentials.json"
    )]
    Audit(audit::AuditArgs),
    /// The installation's token-signing keys: list, rotate (admins of the initial
    /// organization only).
    #[command(subcommand)]
    Keys(keys::KeysCommand),
}

fn after_help() -> String {
    format!(
        "Settings come from flags, then IMS_URL, CLIENT_ID, CLIENT_SECRET, ORG_ID, then --dev-credentials
(its admin credential). The calling credential must be an organization admin.

Examples:
  latchkey admin projects create Billing --dev-credentials latchkey-data/dev-credentials.json
  latchkey admin credentials create --project 2 --name billing-sync --scopes openid,AdobeID
  latchkey admin credentials revoke-tokens 7
  latchkey admin service-accounts create --project 1 --name aem --metascopes ent_aem_cloud_api --out sc.json
  latchkey admin aem deploy 1 config/api.yaml
  latchkey admin audit --actor 39b5f8e626fce4dc7e59fd8bfddbb2fa --json
  latchkey admin keys rotate

{EXIT_CODES}"
    )
}

/// Runs an `admin` command.
pub fn run(args: AdminArgs) -> Result<(), CliError> {
    let conn = Connection::resolve(&args.conn)?;
    let json = args.conn.json;
    runtime::block_on(async move {
        let session = conn.session(&[]).await?;
        match args.command {
            AdminCommand::Projects(cmd) => projects::run(&session, cmd, json).await,
            AdminCommand::Credentials(cmd) => credentials::run(&session, cmd, json).await,
            AdminCommand::Products(cmd) => products::run_products(&session, cmd, json).await,
            AdminCommand::Profiles(cmd) => products::run_profiles(&session, cmd, json).await,
            AdminCommand::ServiceAccounts(cmd) => service_accounts::run(&session, cmd, json).await,
            AdminCommand::Aem(cmd) => aem::run(&session, cmd, json).await,
            AdminCommand::Audit(a) => audit::run(&session, a, json).await,
            AdminCommand::Keys(cmd) => keys::run(&session, cmd, json).await,
        }
    })
}

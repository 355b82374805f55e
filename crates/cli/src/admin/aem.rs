//! `latchkey admin aem ...`: an AEM environment's security, what AEM's config pipeline and
//! Tools › Security do at Adobe: the `api.yaml` client-ID allowlist, the technical-account
//! users, their groups, and explicit grants (ACLs) on DAM paths. The product id names the
//! environment (`latchkey admin products list`).

use std::path::PathBuf;

use clap::Subcommand;
use latchkey_proto::aem::{AclBody, ApiConfigBody, CreateAcl};

use crate::connection::Session;
use crate::failure::CliError;
use crate::output::outln;
use crate::output::{self, Table};

/// AEM security commands.
#[derive(Debug, Subcommand)]
pub enum AemCommand {
    /// Show the api.yaml deployed to an environment: which clients may call its APIs.
    #[command(after_help = "Example:\n  latchkey admin aem allowlist 1")]
    Allowlist {
        /// Product id of the environment.
        product: i64,
    },
    /// Deploy an api.yaml (Adobe's format) to an environment; it applies at once.
    #[command(after_help = "Example (the file of Adobe's tutorial):
  cat > api.yaml <<'YAML'
  kind: \"API\"
  version: \"1\"
  metadata:
    envTypes: [\"dev\"]
  data:
    allowedClientIDs:
      author:
        - \"<client id>\"
  YAML
  latchkey admin aem deploy 1 api.yaml")]
    Deploy {
        /// Product id of the environment.
        product: i64,
        /// The api.yaml file.
        file: PathBuf,
    },
    /// Remove an environment's api.yaml: no client may call its APIs any more.
    #[command(after_help = "Example:\n  latchkey admin aem undeploy 1")]
    Undeploy {
        /// Product id of the environment.
        product: i64,
    },
    /// The technical-account users of an environment and their groups.
    #[command(after_help = "Example:\n  latchkey admin aem users 1 --json")]
    Users {
        /// Product id of the environment.
        product: i64,
    },
    /// The groups of an environment, with members and built-in privileges.
    #[command(after_help = "Example:\n  latchkey admin aem groups 1")]
    Groups {
        /// Product id of the environment.
        product: i64,
    },
    /// The explicit grants (ACL entries) of an environment.
    #[command(after_help = "Example:\n  latchkey admin aem acls 1")]
    Acls {
        /// Product id of the environment.
        product: i64,
    },
    /// Grant a group privileges on a DAM path and everything below it.
    #[command(
        after_help = "Example:\n  latchkey admin aem grant 1 --group \"AEM Assets Collaborator Users - Service\" --path /content/dam/uploads --privileges read,create,modify"
    )]
    Grant {
        /// Product id of the environment.
        product: i64,
        /// The group (see `latchkey admin aem groups`).
        #[arg(long)]
        group: String,
        /// The DAM path.
        #[arg(long)]
        path: String,
        /// Privileges, comma-separated: read, create, modify, delete.
        #[arg(long, value_delimiter = ',', required = true)]
        privileges: Vec<String>,
        /// Tier: author (default), publish or preview.
        #[arg(long)]
        tier: Option<String>,
    },
    /// Delete a grant.
    #[command(after_help = "Example:\n  latchkey admin aem revoke 1 4")]
    Revoke {
        /// Product id of the environment.
        product: i64,
        /// Grant id (see `latchkey admin aem acls`).
        acl: i64,
    },
}

/// Runs an AEM security command.
pub async fn run(s: &Session, cmd: AemCommand, json: bool) -> Result<(), CliError> {
    match cmd {
        AemCommand::Allowlist { product } => {
            print_config(&s.console.api_config(&s.org, product).await?, json)
        }
        AemCommand::Deploy { product, file } => {
            let yaml = std::fs::read_to_string(&file).map_err(|source| CliError::ReadFile {
                path: file.clone(),
                source,
            })?;
            let c = s.console.deploy_api_config(&s.org, product, yaml).await?;
            if !json {
                outln!("Deployed {} to product {product}.", file.display());
            }
            print_config(&c, json)
        }
        AemCommand::Undeploy { product } => {
            s.console.remove_api_config(&s.org, product).await?;
            if !json {
                outln!("Removed the api.yaml of product {product}: no client is allowlisted.");
            }
            Ok(())
        }
        AemCommand::Users { product } => {
            let users = s.console.list_aem_users(&s.org, product).await?;
            if json {
                return output::json(&users);
            }
            let mut t = Table::new(&["ID", "TIER", "USER", "CREDENTIAL", "CREATED", "GROUPS"]);
            for u in &users {
                t.row(vec![
                    u.id.to_string(),
                    u.tier.clone(),
                    u.email.clone(),
                    u.credential_id
                        .map_or("(deleted)".into(), |c| c.to_string()),
                    output::millis(&u.created_at),
                    u.groups.join(", "),
                ]);
            }
            t.print(
                "(no technical-account users yet: one is created on a credential's first call)",
            );
            Ok(())
        }
        AemCommand::Groups { product } => {
            let groups = s.console.list_aem_groups(&s.org, product).await?;
            if json {
                return output::json(&groups);
            }
            let mut t = Table::new(&["GROUP", "KIND", "TIER", "BUILT-IN", "MEMBERS"]);
            for g in &groups {
                t.row(vec![
                    g.name.clone(),
                    g.kind.clone(),
                    g.tier.clone(),
                    g.builtin_privileges.join(","),
                    g.members.len().to_string(),
                ]);
            }
            t.print("(no groups)");
            Ok(())
        }
        AemCommand::Acls { product } => {
            print_acls(&s.console.list_acls(&s.org, product).await?, json)
        }
        AemCommand::Grant {
            product,
            group,
            path,
            privileges,
            tier,
        } => {
            if tier.as_deref().is_none_or(|t| t == "author") {
                let known = s.console.list_aem_groups(&s.org, product).await?;
                if !known.iter().any(|g| g.name == group) {
                    output::warn(&format!(
                        "no product profile or service of product {product} makes a group named {group:?}, so the grant has no effect until one does (latchkey admin aem groups {product} lists the groups)"
                    ));
                }
            }
            let body = CreateAcl {
                tier,
                group,
                path,
                privileges,
            };
            let acl = s.console.add_acl(&s.org, product, &body).await?;
            if json {
                return output::json(&acl);
            }
            outln!(
                "Grant {}: {} may {} on {} ({}).",
                acl.id,
                acl.group,
                acl.privileges.join(", "),
                acl.path,
                acl.tier
            );
            Ok(())
        }
        AemCommand::Revoke { product, acl } => {
            s.console.delete_acl(&s.org, product, acl).await?;
            if !json {
                outln!("Deleted grant {acl}.");
            }
            Ok(())
        }
    }
}

fn print_config(c: &ApiConfigBody, json: bool) -> Result<(), CliError> {
    if json {
        return output::json(c);
    }
    let list = |ids: &[String]| {
        if ids.is_empty() {
            "(none)".to_owned()
        } else {
            ids.join(", ")
        }
    };
    output::fields(&[
        ("product", c.product_id.to_string()),
        ("deployed", output::millis(&c.deployed_at)),
        ("deployed by", c.deployed_by.clone()),
        (
            "envTypes",
            if c.env_types.is_empty() {
                "(all)".into()
            } else {
                c.env_types.join(", ")
            },
        ),
        ("author", list(&c.author)),
        ("publish", list(&c.publish)),
        ("preview", list(&c.preview)),
    ]);
    Ok(())
}

fn print_acls(acls: &[AclBody], json: bool) -> Result<(), CliError> {
    if json {
        return output::json(&acls);
    }
    let mut t = Table::new(&["ID", "TIER", "GROUP", "PATH", "PRIVILEGES"]);
    for a in acls {
        t.row(vec![
            a.id.to_string(),
            a.tier.clone(),
            a.group.clone(),
            a.path.clone(),
            a.privileges.join(","),
        ]);
    }
    t.print("(no explicit grants: service groups read /content/dam, AEM Administrators may do anything)");
    Ok(())
}

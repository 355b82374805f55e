//! `latchkey admin products ...` and `latchkey admin profiles ...`: AEM environments, their
//! product profiles and services, and which credentials are assigned to which profile.

use clap::Subcommand;
use latchkey_proto::console::{CreateProduct, CreateProfile, ProfileBody};

use crate::connection::Session;
use crate::failure::CliError;
use crate::output::outln;
use crate::output::{self, Table};

/// Product commands.
#[derive(Debug, Subcommand)]
pub enum ProductsCommand {
    /// List the organization's products (AEM environments).
    #[command(after_help = "Example:\n  latchkey admin products list --json")]
    List,
    /// Create a product for an AEM environment.
    #[command(
        after_help = "Example:\n  latchkey admin products create --name WKND --program 1 --environment 1 --tiers author,publish"
    )]
    Create {
        /// Display name.
        #[arg(long)]
        name: String,
        /// Cloud Manager program id.
        #[arg(long)]
        program: i64,
        /// Environment id.
        #[arg(long)]
        environment: i64,
        /// Tiers, comma-separated (default: author,publish,preview).
        #[arg(long, value_delimiter = ',')]
        tiers: Option<Vec<String>>,
        /// Environment type: dev (default), stage, prod or rde.
        #[arg(long = "env-type")]
        env_type: Option<String>,
    },
    /// Delete a product with its profiles and their assignments.
    #[command(after_help = "Example:\n  latchkey admin products delete 3")]
    Delete {
        /// Product id.
        id: i64,
    },
}

/// Profile commands.
#[derive(Debug, Subcommand)]
pub enum ProfilesCommand {
    /// List the profiles of a product.
    #[command(after_help = "Example:\n  latchkey admin profiles list 3")]
    List {
        /// Product id.
        product: i64,
    },
    /// Create a profile on a product.
    #[command(
        after_help = "Example:\n  latchkey admin profiles create 3 --tier author --services \"AEM Assets API Users,AEM Assets Collaborator Users\""
    )]
    Create {
        /// Product id.
        product: i64,
        /// Tier: author, publish or preview.
        #[arg(long)]
        tier: String,
        /// Services, comma-separated.
        #[arg(long, value_delimiter = ',', required = true)]
        services: Vec<String>,
        /// Display name (default: Adobe's `<service> - <tier> - Program <p> - Environment <e>`).
        #[arg(long)]
        name: Option<String>,
    },
    /// Replace the services a profile enables.
    #[command(
        after_help = "Example:\n  latchkey admin profiles services 3 5 --services \"AEM Administrators,AEM Assets API Users\""
    )]
    Services {
        /// Product id.
        product: i64,
        /// Profile id.
        profile: i64,
        /// Services, comma-separated.
        #[arg(long, value_delimiter = ',', required = true)]
        services: Vec<String>,
    },
    /// Delete a profile.
    #[command(after_help = "Example:\n  latchkey admin profiles delete 3 5")]
    Delete {
        /// Product id.
        product: i64,
        /// Profile id.
        profile: i64,
    },
    /// Assign a credential to a profile.
    #[command(after_help = "Example:\n  latchkey admin profiles assign 2 5")]
    Assign {
        /// Credential id.
        credential: i64,
        /// Profile id.
        profile: i64,
    },
    /// Remove a credential from a profile.
    #[command(after_help = "Example:\n  latchkey admin profiles unassign 2 5")]
    Unassign {
        /// Credential id.
        credential: i64,
        /// Profile id.
        profile: i64,
    },
    /// List the profiles a credential is assigned to.
    #[command(after_help = "Example:\n  latchkey admin profiles of 2")]
    Of {
        /// Credential id.
        credential: i64,
    },
}

fn print_profiles(profiles: &[ProfileBody], json: bool) -> Result<(), CliError> {
    if json {
        return output::json(&profiles);
    }
    let mut table = Table::new(&["ID", "PRODUCT", "TIER", "NAME", "SERVICES"]);
    for p in profiles {
        table.row(vec![
            p.id.to_string(),
            p.product_id.to_string(),
            p.tier.clone(),
            p.name.clone(),
            p.services.join(", "),
        ]);
    }
    table.print("(no profiles)");
    Ok(())
}

/// Runs a product command.
pub async fn run_products(s: &Session, cmd: ProductsCommand, json: bool) -> Result<(), CliError> {
    match cmd {
        ProductsCommand::List => {
            let products = s.console.list_products(&s.org).await?;
            if json {
                return output::json(&products);
            }
            let mut table = Table::new(&["ID", "NAME", "PROGRAM", "ENVIRONMENT", "BUCKETS"]);
            for p in &products {
                table.row(vec![
                    p.id.to_string(),
                    p.name.clone(),
                    p.program_id.to_string(),
                    p.environment_id.to_string(),
                    p.buckets.join(", "),
                ]);
            }
            table.print("(no products)");
            Ok(())
        }
        ProductsCommand::Create {
            name,
            program,
            environment,
            tiers,
            env_type,
        } => {
            let body = CreateProduct {
                name,
                program_id: program,
                environment_id: environment,
                tiers,
                env_type,
            };
            let p = s.console.create_product(&s.org, &body).await?;
            if json {
                return output::json(&p);
            }
            outln!(
                "Created product {} ({:?}): {}.",
                p.id,
                p.name,
                p.buckets.join(", ")
            );
            Ok(())
        }
        ProductsCommand::Delete { id } => {
            s.console.delete_product(&s.org, id).await?;
            if !json {
                outln!("Deleted product {id} with its profiles.");
            }
            Ok(())
        }
    }
}

/// Runs a profile command.
pub async fn run_profiles(s: &Session, cmd: ProfilesCommand, json: bool) -> Result<(), CliError> {
    match cmd {
        ProfilesCommand::List { product } => {
            print_profiles(&s.console.list_profiles(&s.org, product).await?, json)
        }
        ProfilesCommand::Of { credential } => print_profiles(
            &s.console.credential_profiles(&s.org, credential).await?,
            json,
        ),
        ProfilesCommand::Create {
            product,
            tier,
            services,
            name,
        } => {
            let body = CreateProfile {
                name,
                tier,
                services,
            };
            let p = s.console.create_profile(&s.org, product, &body).await?;
            if json {
                return output::json(&p);
            }
            outln!("Created profile {} ({:?}).", p.id, p.name);
            Ok(())
        }
        ProfilesCommand::Services {
            product,
            profile,
            services,
        } => {
            let p = s
                .console
                .set_profile_services(&s.org, product, profile, services)
                .await?;
            if json {
                return output::json(&p);
            }
            outln!("Profile {} now enables: {}.", p.id, p.services.join(", "));
            Ok(())
        }
        ProfilesCommand::Delete { product, profile } => {
            s.console.delete_profile(&s.org, product, profile).await?;
            if !json {
                outln!("Deleted profile {profile}.");
            }
            Ok(())
        }
        ProfilesCommand::Assign {
            credential,
            profile,
        } => {
            s.console
                .set_assignment(&s.org, credential, profile, true)
                .await?;
            if !json {
                outln!("Credential {credential} is assigned to profile {profile}.");
            }
            Ok(())
        }
        ProfilesCommand::Unassign {
            credential,
            profile,
        } => {
            s.console
                .set_assignment(&s.org, credential, profile, false)
                .await?;
            if !json {
                outln!("Credential {credential} is no longer assigned to profile {profile}.");
            }
            Ok(())
        }
    }
}

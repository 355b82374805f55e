//! `latchkey admin projects list|create NAME`.

use clap::Subcommand;

use crate::connection::Session;
use crate::failure::CliError;
use crate::output::outln;
use crate::output::{self, Table};

/// Project commands.
#[derive(Debug, Subcommand)]
pub enum ProjectsCommand {
    /// List the organization's projects.
    #[command(
        after_help = "Example:\n  latchkey admin projects list --dev-credentials latchkey-data/dev-credentials.json"
    )]
    List,
    /// Create a project; credentials are created inside one.
    #[command(after_help = "Example:\n  latchkey admin projects create \"Asset sync\" --json")]
    Create {
        /// Display name.
        name: String,
    },
}

/// Runs a project command.
pub async fn run(s: &Session, cmd: ProjectsCommand, json: bool) -> Result<(), CliError> {
    match cmd {
        ProjectsCommand::List => {
            let projects = s.console.list_projects(&s.org).await?;
            if json {
                return output::json(&projects);
            }
            let mut table = Table::new(&["ID", "NAME", "CREATED"]);
            for p in &projects {
                table.row(vec![
                    p.id.to_string(),
                    p.name.clone(),
                    output::millis(&p.created_at),
                ]);
            }
            table.print("(no projects)");
            Ok(())
        }
        ProjectsCommand::Create { name } => {
            let p = s.console.create_project(&s.org, &name).await?;
            if json {
                return output::json(&p);
            }
            outln!("Created project {} ({:?}).", p.id, p.name);
            Ok(())
        }
    }
}

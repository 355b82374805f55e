//! `latchkey admin audit`: the audit log with its filters, newest first.

use clap::Args;
use latchkey_client::AuditQuery;

use crate::connection::Session;
use crate::failure::CliError;
use crate::output::outln;
use crate::output::{self, Table};

/// Filters of `latchkey admin audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Only this action: secret.added, secret.deleted, credential.created, credential.renamed,
    /// credential.enabled, credential.disabled, credential.deleted, credential.tokens_revoked,
    /// project.created, ...
    #[arg(long, value_name = "A")]
    action: Option<String>,
    /// Only changes made by this client id (or `system`).
    #[arg(long, value_name = "X")]
    actor: Option<String>,
    /// Only changes to this target (as the TARGET column shows it).
    #[arg(long, value_name = "T")]
    target: Option<String>,
    /// Only entries older than this id (the id printed to get the next page).
    #[arg(long, value_name = "ID")]
    before: Option<i64>,
    /// At most this many entries (default 100, at most 1000).
    #[arg(long, value_name = "N")]
    limit: Option<u32>,
}

/// Runs `latchkey admin audit`.
pub async fn run(s: &Session, a: AuditArgs, json: bool) -> Result<(), CliError> {
    let query = AuditQuery {
        action: a.action,
        actor: a.actor,
        target: a.target,
        before: a.before,
        limit: a.limit,
        ..AuditQuery::default()
    };
    let page = s.console.audit(&s.org, &query).await?;
    if json {
        return output::json(&page);
    }
    let mut table = Table::new(&["ID", "AT", "ACTOR", "ACTION", "TARGET", "PEER"]);
    for e in &page.entries {
        table.row(vec![
            e.id.to_string(),
            output::millis(&e.at),
            e.actor.clone(),
            e.action.clone(),
            e.target.clone(),
            e.peer.clone().unwrap_or_default(),
        ]);
    }
    table.print("(no entries)");
    if let Some(next) = page.next_before {
        outln!("More: add --before {next}");
    }
    Ok(())
}

//! `latchkey admin keys list|rotate [--now]`: the installation's token-signing keys. Only
//! admins of the installation's initial organization (the credential the first
//! `latchkey serve` printed, or the dev file's admin) may use them.

use clap::Subcommand;
use latchkey_proto::keys::SigningKeyList;

use crate::connection::Session;
use crate::failure::CliError;
use crate::output::outln;
use crate::output::{self, Table};

/// Signing-key commands.
#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// List the signing keys: next (published, not yet signing), active, retired (published
    /// until the tokens they signed expire).
    #[command(
        after_help = "Example:\n  latchkey admin keys list --dev-credentials latchkey-data/dev-credentials.json"
    )]
    List,
    /// Publish the next signing key now. It starts signing after tokens.key_publish_ahead_secs,
    /// once resource servers have had time to fetch the JWKS; the old key stays published until
    /// every token it signed has expired. Asking again before then changes nothing.
    #[command(
        after_help = "Examples:\n  latchkey admin keys rotate\n  latchkey admin keys rotate --now    # the key is suspected to be compromised"
    )]
    Rotate {
        /// Sign with the new key at once. Resource servers that cached the JWKS refuse the new
        /// tokens until they fetch it again, so use this only for a compromised key.
        #[arg(long)]
        now: bool,
    },
}

/// Runs a keys command.
pub async fn run(s: &Session, cmd: KeysCommand, json: bool) -> Result<(), CliError> {
    let keys = match cmd {
        KeysCommand::List => s.console.signing_keys().await?,
        KeysCommand::Rotate { now } => s.console.rotate_signing_key(now).await?,
    };
    if json {
        return output::json(&keys);
    }
    print(&keys);
    Ok(())
}

fn print(list: &SigningKeyList) {
    let mut table = Table::new(&["KID", "ALG", "STATE", "CREATED", "UNTIL / FROM"]);
    for k in &list.keys {
        let when = match (k.signs_from, k.publish_until) {
            (Some(from), _) => format!("signs from {}", output::millis(&from.to_string())),
            (None, Some(until)) => {
                format!("published until {}", output::millis(&until.to_string()))
            }
            (None, None) => String::new(),
        };
        table.row(vec![
            k.kid.clone(),
            k.alg.clone(),
            k.state.clone(),
            output::millis(&k.created_at.to_string()),
            when,
        ]);
    }
    table.print("(no keys)");
    match list.rotation_days {
        Some(days) => outln!(
            "Signing with {}; keys are replaced every {days} days, published {} ahead.",
            list.signing_alg,
            output::span(std::time::Duration::from_secs(list.publish_ahead_secs))
        ),
        None => outln!(
            "Signing with {}; keys are replaced only by `latchkey admin keys rotate` (tokens.key_rotation_days = 0).",
            list.signing_alg
        ),
    }
}

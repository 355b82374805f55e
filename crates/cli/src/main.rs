//! The `latchkey` command. Dispatch only: behaviour lives in the library crates and in one
//! module per command.
//!
//! - `latchkey serve`: run the server ([`serve`]).
//! - `latchkey token`: print a token, cached between runs ([`token`]).
//! - `latchkey secrets list|add|delete|rotate`: a credential's client secrets ([`secrets`],
//!   [`rotate`]).
//! - `latchkey admin projects|credentials|audit`: organization administration ([`admin`]).
//! - `latchkey doctor`: where the AEM authorization chain refuses a call, and the fix
//!   ([`doctor`]).
//! - `latchkey assets ls|mkdir|upload|download|meta|rm`: AEM's Assets and Folders APIs
//!   ([`assets`]).
//! - `latchkey completions bash|zsh|fish`: shell completion scripts.
//!
//! The client commands share [`connection`] and [`sources`] (where the server and credential
//! come from: flags, environment, `.env`, profiles, dev-credentials.json),
//! [`output`] (tables or `--json`) and [`failure`] (one-line errors, meaningful exit codes).

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod admin;
mod assets;
mod connection;
mod credential;
mod doctor;
mod failure;
mod output;
mod rotate;
mod runtime;
mod secrets;
mod serve;
mod sources;
mod token;

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

/// Latchkey: a self-hostable OAuth Server-to-Server credential system, compatible with Adobe IMS.
#[derive(Debug, Parser)]
#[command(name = "latchkey", version, about, long_about = None, after_help = after_help())]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the identity service (SQLite in the data directory unless a database URL is set).
    #[command(after_long_help = serve::after_help())]
    Serve(serve::ServeArgs),
    /// Print an access token (cached between runs), or its claims with --decode.
    Token(token::TokenArgs),
    /// List, add, delete and rotate a credential's client secrets (rotation without downtime).
    Secrets(secrets::SecretsArgs),
    /// Organization administration: projects, credentials, the audit log.
    Admin(admin::AdminArgs),
    /// Walk the AEM authorization chain for a credential and a call: which stage refuses it, and
    /// the fix.
    Doctor(doctor::DoctorArgs),
    /// AEM assets and folders: list, create folders, upload, download, metadata, delete.
    Assets(assets::AssetsArgs),
    /// Print a shell completion script.
    #[command(after_help = "Examples:
  latchkey completions bash > ~/.local/share/bash-completion/completions/latchkey
  latchkey completions zsh > \"${fpath[1]}/_latchkey\"
  latchkey completions fish > ~/.config/fish/completions/latchkey.fish")]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

fn after_help() -> String {
    format!(
        "Examples:
  latchkey serve --dev
  latchkey token --dev-credentials latchkey-data/dev-credentials.json
  latchkey secrets list --dev-credentials latchkey-data/dev-credentials.json
  latchkey admin credentials list --dev-credentials latchkey-data/dev-credentials.json
  latchkey doctor -X PATCH /content/dam --dev-credentials latchkey-data/dev-credentials.json
  latchkey assets ls /content/dam --dev-credentials latchkey-data/dev-credentials.json

{}",
        failure::EXIT_CODES
    )
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve(args) => match serve::run(args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("latchkey: {e:#}");
                ExitCode::from(2)
            }
        },
        Command::Token(args) => failure::exit(token::run(args)),
        Command::Secrets(args) => failure::exit(secrets::run(args)),
        Command::Admin(args) => failure::exit(admin::run(args)),
        Command::Doctor(args) => failure::exit(doctor::run(args)),
        Command::Assets(args) => failure::exit(assets::run(args)),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "latchkey", &mut script);
            output::bytes(&script);
            ExitCode::SUCCESS
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// clap's own consistency checks over every command.
    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    /// The global `--profile` flag and the positional `PROFILE` of `admin profiles` are
    /// distinct arguments (same id: clap panics when the command reads either).
    #[test]
    fn the_profile_flag_does_not_clash_with_admin_profile_ids() {
        let cli = Cli::try_parse_from([
            "latchkey",
            "admin",
            "profiles",
            "assign",
            "3",
            "4",
            "--profile",
            "prod",
        ]);
        assert!(cli.is_ok(), "{cli:?}");
        let matches = Cli::command().get_matches_from([
            "latchkey",
            "admin",
            "profiles",
            "assign",
            "3",
            "4",
            "--profile",
            "prod",
        ]);
        let (_, admin) = matches.subcommand().unwrap_or_else(|| unreachable!());
        let (_, profiles) = admin.subcommand().unwrap_or_else(|| unreachable!());
        let (_, assign) = profiles.subcommand().unwrap_or_else(|| unreachable!());
        assert_eq!(assign.get_one::<i64>("profile"), Some(&4));
        assert_eq!(
            assign
                .get_one::<String>("settings_profile")
                .map(String::as_str),
            Some("prod")
        );
    }
}

//! The `latchkey` command. Dispatch only: behaviour lives in the library crates and in one
//! module per command.
//!
//! - `latchkey serve`: run the server ([`serve`]).
//! - `latchkey secrets list|add|delete`: a credential's client secrets ([`secrets`]).
//! - `latchkey admin projects|credentials|audit`: organization administration ([`admin`]).
//!
//! The client commands share [`connection`] (where the server and credential come from),
//! [`output`] (tables or `--json`) and [`failure`] (one-line errors, meaningful exit codes).

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod admin;
mod connection;
mod failure;
mod output;
mod runtime;
mod secrets;
mod serve;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    /// List, add and delete a credential's client secrets (rotation without downtime).
    Secrets(secrets::SecretsArgs),
    /// Organization administration: projects, credentials, the audit log.
    Admin(admin::AdminArgs),
}

fn after_help() -> String {
    format!(
        "Examples:
  latchkey serve --dev
  latchkey secrets list --dev-credentials latchkey-data/dev-credentials.json
  latchkey admin credentials list --dev-credentials latchkey-data/dev-credentials.json

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
        Command::Secrets(args) => failure::exit(secrets::run(args)),
        Command::Admin(args) => failure::exit(admin::run(args)),
    }
}

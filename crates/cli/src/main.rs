//! The `latchkey` command. Dispatch only: behaviour lives in the library crates.
//!
//! - `latchkey serve`: run the server ([`serve`]).

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod serve;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Latchkey: a self-hostable OAuth Server-to-Server credential system, compatible with Adobe IMS.
#[derive(Debug, Parser)]
#[command(name = "latchkey", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the identity service (SQLite in the data directory unless a database URL is set).
    #[command(after_long_help = serve::after_help())]
    Serve(serve::ServeArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(args) => serve::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("latchkey: {e:#}");
            ExitCode::from(2)
        }
    }
}

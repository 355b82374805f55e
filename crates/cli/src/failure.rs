//! How the client commands fail: [`CliError`], its one-line message on stderr, and the exit code
//! that tells a script what kind of failure it was ([`EXIT_CODES`]).
//!
//! `latchkey serve` keeps its own handling (any start-up error exits 2).

use std::error::Error as _;
use std::path::PathBuf;
use std::process::ExitCode;

use latchkey_client::Error as ClientError;

/// The exit codes, as `--help` lists them.
pub const EXIT_CODES: &str = "Exit codes:
  0  success
  1  the server refused (a 4xx answer: wrong secret, missing scope, not found, conflict...)
  2  usage or configuration error (bad flag, missing setting, unreadable --dev-credentials)
  3  server unavailable: no connection, timeout, throttled (429) or a 5xx answer
  4  `secrets rotate` stopped before the end (timed out waiting); run it again to resume
  141  stdout was closed early (piped into a reader that stopped, such as `head`)";

/// Exit code: the API refused.
const REFUSED: u8 = 1;
/// Exit code: usage or configuration error (also clap's code for bad flags).
const USAGE: u8 = 2;
/// Exit code: the server is unavailable.
const UNAVAILABLE: u8 = 3;
/// Exit code: a rotation is still under way.
const UNFINISHED: u8 = 4;

/// Why a client command failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A setting that none of flag, environment and dev-credentials file gave.
    #[error("no {what}: pass {flag}, set {env}, or use --dev-credentials FILE")]
    Missing {
        /// What is missing.
        what: &'static str,
        /// The flag that sets it.
        flag: &'static str,
        /// The environment variable that sets it.
        env: &'static str,
    },
    /// The organization was given nowhere and the token does not name it.
    #[error("no organization: pass --org ORG_ID or set ORG_ID (the token does not name one)")]
    MissingOrg,
    /// The numeric id of the calling credential could not be found.
    #[error(
        "cannot tell the id of credential {client_id}: pass --credential-id N (the number in the console URL) or set CREDENTIAL_ID"
    )]
    UnknownCredentialId {
        /// The caller's client id.
        client_id: String,
    },
    /// The dev-credentials file cannot be read.
    #[error("cannot read {}: {source}", path.display())]
    DevFileRead {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The dev-credentials file is not a dev-credentials.json.
    #[error("{} is not a dev-credentials.json written by `latchkey serve --dev`: {source}", path.display())]
    DevFileParse {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: serde_json::Error,
    },
    /// A settings file (`.env`, profiles, dev file being updated) is unusable.
    #[error("{}: {reason}", path.display())]
    ConfigFile {
        /// The file.
        path: PathBuf,
        /// What is wrong, and what to do.
        reason: String,
    },
    /// A rotation cannot start or go on as things are; the sentence says why and what to do.
    #[error("{0}")]
    RotationRefused(String),
    /// A rotation stopped before the end; its progress is saved.
    #[error("{0}")]
    RotationUnfinished(String),
    /// A command line that cannot work; the sentence says why and what to give instead.
    #[error("{0}")]
    Usage(String),
    /// The API refused; the sentence says where (the details were printed above it).
    #[error("{0}")]
    Refused(String),
    /// The server could not answer now (throttled, or a server error).
    #[error("{0}")]
    Unavailable(String),
    /// A download would replace a file that exists.
    #[error("{} already exists: pass --force to replace it, or -o another path", path.display())]
    WouldOverwrite {
        /// The file.
        path: PathBuf,
    },
    /// The async runtime did not start.
    #[error("cannot start the async runtime: {0}")]
    Runtime(#[source] std::io::Error),
    /// Printing JSON failed.
    #[error("cannot print JSON: {0}")]
    Print(#[source] serde_json::Error),
    /// The identity service did not give a token.
    #[error("cannot get a token for client {client_id}: {source}")]
    Token {
        /// The client id that asked.
        client_id: String,
        /// Why.
        #[source]
        source: ClientError,
    },
    /// A console call failed.
    #[error("{0}")]
    Console(#[source] ClientError),
    /// A file named on the command line cannot be read.
    #[error("cannot read {}: {source}", path.display())]
    ReadFile {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// An output file cannot be written (what it would have held was not printed either).
    #[error("cannot write {}: {source}: choose a writable path that does not exist yet", path.display())]
    WriteFile {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

impl From<ClientError> for CliError {
    fn from(e: ClientError) -> Self {
        CliError::Console(e)
    }
}

impl CliError {
    /// The process exit code for this failure.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Missing { .. }
            | CliError::MissingOrg
            | CliError::UnknownCredentialId { .. }
            | CliError::DevFileRead { .. }
            | CliError::DevFileParse { .. }
            | CliError::ConfigFile { .. }
            | CliError::ReadFile { .. }
            | CliError::WriteFile { .. }
            | CliError::Usage(_)
            | CliError::WouldOverwrite { .. } => USAGE,
            CliError::RotationRefused(_) | CliError::Refused(_) => REFUSED,
            CliError::RotationUnfinished(_) => UNFINISHED,
            CliError::Runtime(_) | CliError::Print(_) | CliError::Unavailable(_) => UNAVAILABLE,
            CliError::Token { source, .. } | CliError::Console(source) => client_code(source),
        }
    }
}

fn client_code(e: &ClientError) -> u8 {
    match e {
        ClientError::InvalidUrl { .. }
        | ClientError::UnsupportedUrl { .. }
        | ClientError::InvalidServiceCredentials { .. }
        | ClientError::File { .. } => USAGE,
        ClientError::Setup(_) | ClientError::Unreachable { .. } | ClientError::Decode { .. } => {
            UNAVAILABLE
        }
        ClientError::OAuth { .. }
        | ClientError::Console { .. }
        | ClientError::Problem(_)
        | ClientError::Unexpected { .. } => {
            if e.is_unavailable() {
                UNAVAILABLE
            } else {
                REFUSED
            }
        }
    }
}

/// The error in one line: its message, and the root cause when the message does not already
/// say it (a refused connection says `Connection refused (os error 111)` only at the bottom of
/// the chain).
pub fn one_line(e: &CliError) -> String {
    let mut line = e.to_string();
    let mut root: Option<&dyn std::error::Error> = e.source();
    while let Some(next) = root.and_then(|r| r.source()) {
        root = Some(next);
    }
    if let Some(root) = root {
        let cause = root.to_string();
        if !line.contains(&cause) {
            line.push_str(": ");
            line.push_str(&cause);
        }
    }
    if let Some(hint) = hint(&line) {
        line.push_str(hint);
    }
    line.replace(['\n', '\r'], " ")
}

/// What to do about a failure whose message alone does not say it.
fn hint(line: &str) -> Option<&'static str> {
    (line.contains("UnknownIssuer") || line.contains("invalid peer certificate")).then_some(
        " (the server's certificate is not signed by an authority this machine trusts: for a server started with `latchkey serve --tls`, run with SSL_CERT_FILE=<its data dir>/tls/cert.pem)",
    )
}

/// Reports the outcome of a client command and gives its exit code.
pub fn exit(result: Result<(), CliError>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("latchkey: {}", one_line(&e));
            ExitCode::from(e.exit_code())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_exit_1_and_unavailability_3() {
        let refused = CliError::Token {
            client_id: "abc".into(),
            source: ClientError::OAuth {
                status: 400,
                error: "invalid_client".into(),
                description: "invalid client_secret parameter".into(),
            },
        };
        assert_eq!(refused.exit_code(), 1);
        assert_eq!(
            one_line(&refused),
            "cannot get a token for client abc: invalid client_secret parameter (invalid_client, HTTP 400)"
        );
        let busy = CliError::Console(ClientError::Console {
            status: 503,
            code: "unavailable".into(),
            message: "the database does not answer".into(),
        });
        assert_eq!(busy.exit_code(), 3);
        assert_eq!(CliError::MissingOrg.exit_code(), 2);
    }
}

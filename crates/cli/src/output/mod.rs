//! What the client commands print: the API's JSON with `--json`, otherwise aligned tables and
//! `key: value` blocks for people.
//!
//! Output goes to stdout; warnings (a secret shown only once) and transfer progress
//! ([`progress`]) go to stderr so that they reach the person even when stdout is captured.

pub mod progress;
mod time;

pub use progress::Progress;
pub use time::{millis, span};

use std::io::Write;

use serde::Serialize;

use crate::failure::CliError;

/// Writes `args` and a newline to stdout (see [`write_stdout`]).
pub fn line(args: std::fmt::Arguments<'_>) {
    write_stdout(|out| out.write_fmt(args).and_then(|()| out.write_all(b"\n")));
}

/// Writes `bytes` to stdout as they are (see [`write_stdout`]).
pub fn bytes(bytes: &[u8]) {
    write_stdout(|out| out.write_all(bytes));
}

/// Runs `write` on stdout. When stdout is a pipe whose reader has gone (`latchkey assets ls |
/// head -1`), the process ends at once, quietly, with exit code 141 (what a shell reports for a
/// process ended by SIGPIPE), as Unix tools do, rather than panicking.
fn write_stdout(write: impl FnOnce(&mut std::io::StdoutLock<'static>) -> std::io::Result<()>) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = write(&mut out).and_then(|()| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(141);
        }
        eprintln!("latchkey: cannot write to stdout: {e}");
        std::process::exit(3);
    }
}

/// `println!` through [`line`].
macro_rules! outln {
    () => { $crate::output::line(format_args!("")) };
    ($($arg:tt)*) => { $crate::output::line(format_args!($($arg)*)) };
}
pub(crate) use outln;

/// Prints `value` as pretty JSON.
pub fn json<T: Serialize>(value: &T) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value).map_err(CliError::Print)?;
    outln!("{text}");
    Ok(())
}

/// Prints `value` as JSON on one line (one result per line when a command handles many).
pub fn json_line<T: Serialize>(value: &T) -> Result<(), CliError> {
    let text = serde_json::to_string(value).map_err(CliError::Print)?;
    outln!("{text}");
    Ok(())
}

/// Prints a warning on stderr.
pub fn warn(message: &str) {
    eprintln!("latchkey: warning: {message}");
}

/// A table of text: columns as wide as their widest cell, two spaces apart.
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column titles.
    pub fn new(header: &[&str]) -> Self {
        Self {
            header: header.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row (one cell per column).
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// The table as lines of text, without trailing spaces.
    pub fn render(&self) -> String {
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate() {
                if let Some(w) = widths.get_mut(i) {
                    *w = (*w).max(cell.chars().count());
                }
            }
        }
        let mut out = String::new();
        for row in std::iter::once(&self.header).chain(&self.rows) {
            let mut line = String::new();
            for (cell, width) in row.iter().zip(&widths) {
                line.push_str(&format!("{cell:<width$}  "));
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }

    /// Prints the table, or `empty` when it has no rows.
    pub fn print(&self, empty: &str) {
        if self.rows.is_empty() {
            outln!("{empty}");
        } else {
            outln!("{}", self.render().trim_end_matches('\n'));
        }
    }
}

/// Prints `key: value` lines with the values aligned.
pub fn fields(pairs: &[(&str, String)]) {
    let width = pairs.iter().map(|(k, _)| k.len()).max().unwrap_or(0) + 1;
    for (k, v) in pairs {
        outln!("{:<width$} {v}", format!("{k}:"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_on_the_widest_cell() {
        let mut t = Table::new(&["ID", "NAME"]);
        t.row(vec!["1".into(), "demo".into()]);
        t.row(vec!["12".into(), "x".into()]);
        assert_eq!(t.render(), "ID  NAME\n1   demo\n12  x\n");
    }
}

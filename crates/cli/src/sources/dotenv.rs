//! `.env` files as Adobe's samples write them (seed 001: `CLIENT_ID=...`, `CLIENT_SECRET=...`,
//! `SCOPES=...`): read `KEY=value` lines, and change one value in place for `secrets rotate`
//! while keeping every other line, comment and the file's permissions as they were.
//!
//! The syntax is dotenv's common subset: blank lines and `#` comments, an optional `export `
//! prefix, values optionally in single or double quotes.

use std::collections::HashMap;
use std::path::Path;

/// The `KEY=value` pairs of a `.env` text (later lines win, as in dotenv).
pub fn parse(text: &str) -> HashMap<String, String> {
    text.lines().filter_map(parse_line).collect()
}

fn parse_line(line: &str) -> Option<(String, String)> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    let line = line.strip_prefix("export ").unwrap_or(line);
    let (key, value) = line.split_once('=')?;
    let key = key.trim();
    if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    Some((key.to_owned(), unquote(value.trim())))
}

fn unquote(v: &str) -> String {
    for q in ['"', '\''] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            return v[1..v.len() - 1].to_owned();
        }
    }
    // An unquoted value ends at an inline comment.
    match v.find(" #") {
        Some(i) => v[..i].trim_end().to_owned(),
        None => v.to_owned(),
    }
}

/// `text` with `key` set to `value`: the existing line replaced (its `export` kept), or a line
/// appended.
pub fn set(text: &str, key: &str, value: &str) -> String {
    let mut out = Vec::new();
    let mut done = false;
    for line in text.lines() {
        match parse_line(line) {
            Some((k, _)) if k == key && !done => {
                let export = if line.trim_start().starts_with("export ") {
                    "export "
                } else {
                    ""
                };
                out.push(format!("{export}{key}={value}"));
                done = true;
            }
            _ => out.push(line.to_owned()),
        }
    }
    if !done {
        out.push(format!("{key}={value}"));
    }
    let mut s = out.join("\n");
    s.push('\n');
    s
}

/// Reads `path`.
pub fn load(path: &Path) -> std::io::Result<HashMap<String, String>> {
    Ok(parse(&std::fs::read_to_string(path)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# Adobe sample\nCLIENT_ID=abc123\nexport CLIENT_SECRET=\"p8e-old\"\nSCOPES=openid,AdobeID, aem.assets.author # the API\n\nbad line\n";

    #[test]
    fn reads_the_seed_format() {
        let v = parse(SAMPLE);
        assert_eq!(v["CLIENT_ID"], "abc123");
        assert_eq!(v["CLIENT_SECRET"], "p8e-old");
        assert_eq!(v["SCOPES"], "openid,AdobeID, aem.assets.author");
        assert_eq!(v.len(), 3);
    }

    #[test]
    fn set_replaces_one_value_and_keeps_the_rest() {
        let t = set(SAMPLE, "CLIENT_SECRET", "p8e-new");
        assert!(t.contains("export CLIENT_SECRET=p8e-new\n"));
        assert!(t.starts_with("# Adobe sample\nCLIENT_ID=abc123\n"));
        assert!(t.contains("bad line"));
        assert_eq!(parse(&t)["CLIENT_SECRET"], "p8e-new");
        let appended = set("CLIENT_ID=x", "CLIENT_SECRET", "s");
        assert_eq!(appended, "CLIENT_ID=x\nCLIENT_SECRET=s\n");
    }
}

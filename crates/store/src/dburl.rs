//! Database URLs: which backend a URL names, its password (so that no message ever shows it),
//! and the small rewrites the store needs (SQLite create-if-missing, another database name).

use crate::connect::Backend;

/// The backend a URL names, from its scheme (case-insensitive).
pub(crate) fn backend_of(url: &str) -> Option<Backend> {
    let scheme = url.split_once(':')?.0.to_ascii_lowercase();
    match scheme.as_str() {
        "sqlite" => Some(Backend::Sqlite),
        "postgres" | "postgresql" => Some(Backend::Postgres),
        _ => None,
    }
}

/// Byte range of the authority (`user:pass@host:port`) of a `scheme://` URL.
fn authority_range(url: &str) -> Option<(usize, usize)> {
    let start = url.find("://")? + 3;
    let len = url[start..]
        .find(['/', '?', '#'])
        .unwrap_or(url.len() - start);
    Some((start, start + len))
}

/// The password in the URL, if any (as written, i.e. possibly percent-encoded).
pub(crate) fn password_of(url: &str) -> Option<&str> {
    let (start, end) = authority_range(url)?;
    let authority = &url[start..end];
    let userinfo = &authority[..authority.rfind('@')?];
    let (_, password) = userinfo.split_once(':')?;
    (!password.is_empty()).then_some(password)
}

/// The URL with its password replaced by `***`, fit for messages and logs.
pub(crate) fn redact(url: &str) -> String {
    scrub(url, url)
}

/// `text` with every occurrence of the password of `url` (raw or percent-decoded) replaced by
/// `***`.
pub(crate) fn scrub(text: &str, url: &str) -> String {
    let Some(password) = password_of(url) else {
        return text.to_owned();
    };
    let mut out = text.replace(password, "***");
    let decoded = percent_decode(password);
    if !decoded.is_empty() && decoded != password {
        out = out.replace(&decoded, "***");
    }
    out
}

/// Lossy percent-decoding (invalid escapes are kept as written).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether a SQLite URL names an in-memory database.
pub(crate) fn sqlite_is_memory(url: &str) -> bool {
    url.contains(":memory:") || query_params(url).any(|(k, v)| k == "mode" && v == "memory")
}

/// A SQLite URL that creates the database file if it is missing (`mode=rwc`), unless the URL
/// already chooses a mode.
pub(crate) fn sqlite_create_if_missing(url: &str) -> String {
    if sqlite_is_memory(url) || query_params(url).any(|(k, _)| k == "mode") {
        return url.to_owned();
    }
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}mode=rwc")
}

fn query_params(url: &str) -> impl Iterator<Item = (&str, &str)> {
    let query = url
        .split_once('?')
        .map(|(_, q)| q.split('#').next().unwrap_or(""))
        .unwrap_or("");
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")))
}

/// The same server URL naming database `database` instead (path replaced, query kept).
#[cfg(feature = "testing")]
pub(crate) fn with_database(url: &str, database: &str) -> Option<String> {
    let (_, end) = authority_range(url)?;
    let rest = &url[end..];
    let suffix_at = rest.find(['?', '#']).unwrap_or(rest.len());
    Some(format!(
        "{}/{}{}",
        &url[..end],
        database,
        &rest[suffix_at..]
    ))
}

/// Percent-encodes what a SQLite URL path cannot carry literally.
pub(crate) fn encode_sqlite_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~' | b':') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backends_by_scheme() {
        assert_eq!(backend_of("sqlite://x.db"), Some(Backend::Sqlite));
        assert_eq!(backend_of("sqlite::memory:"), Some(Backend::Sqlite));
        assert_eq!(backend_of("postgres://h/db"), Some(Backend::Postgres));
        assert_eq!(backend_of("PostgreSQL://h/db"), Some(Backend::Postgres));
        assert_eq!(backend_of("mysql://h/db"), None);
        assert_eq!(backend_of("no scheme"), None);
    }

    #[test]
    fn passwords_are_found_and_redacted() {
        let url = "postgres://app:s3cr%40t@db.example:5432/latchkey?sslmode=require";
        assert_eq!(password_of(url), Some("s3cr%40t"));
        assert_eq!(
            redact(url),
            "postgres://app:***@db.example:5432/latchkey?sslmode=require"
        );
        assert_eq!(scrub("auth failed for s3cr@t", url), "auth failed for ***");
        assert_eq!(password_of("postgres://app@h/db"), None);
        assert_eq!(password_of("postgres://h/db?x=a:b@c"), None);
        assert_eq!(redact("postgres://h/db"), "postgres://h/db");
    }

    #[test]
    fn sqlite_urls_create_the_file_unless_told_otherwise() {
        assert_eq!(
            sqlite_create_if_missing("sqlite:///a.db"),
            "sqlite:///a.db?mode=rwc"
        );
        assert_eq!(
            sqlite_create_if_missing("sqlite:///a.db?cache=private"),
            "sqlite:///a.db?cache=private&mode=rwc"
        );
        assert_eq!(
            sqlite_create_if_missing("sqlite:///a.db?mode=ro"),
            "sqlite:///a.db?mode=ro"
        );
        assert_eq!(
            sqlite_create_if_missing("sqlite::memory:"),
            "sqlite::memory:"
        );
        assert!(sqlite_is_memory("sqlite://x?mode=memory"));
        assert_eq!(
            encode_sqlite_path("/tmp/a b?#%.db"),
            "/tmp/a%20b%3F%23%25.db"
        );
    }

    #[cfg(feature = "testing")]
    #[test]
    fn database_is_replaced() {
        assert_eq!(
            with_database("postgres://u@h:5432/postgres?sslmode=disable", "t1").as_deref(),
            Some("postgres://u@h:5432/t1?sslmode=disable")
        );
        assert_eq!(
            with_database("postgres://u@h", "t1").as_deref(),
            Some("postgres://u@h/t1")
        );
        assert_eq!(with_database("nonsense", "t1"), None);
    }
}

//! Repository paths under `/content/dam`, the only tree the Assets and Folders APIs address.
//!
//! A [`DamPath`] is absolute, starts at `/content/dam`, has no empty, `.` or `..` segment, no
//! trailing slash, and no control characters, so two spellings of one node cannot exist and no
//! path escapes the DAM. Validation happens once, at the edge; everything after trusts the type.

use std::fmt;

/// The DAM root.
pub const DAM_ROOT: &str = "/content/dam";

/// Longest path accepted, in bytes.
const MAX_PATH: usize = 1024;
/// Longest segment accepted, in bytes.
const MAX_SEGMENT: usize = 150;

/// A validated path at or below `/content/dam`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DamPath(String);

/// Why a path was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DamPathError {
    /// The path is not under `/content/dam`.
    #[error("{0:?} is not under /content/dam: asset and folder paths start with /content/dam/")]
    OutsideDam(String),
    /// A segment is empty, `.` or `..`, or the path ends with `/`.
    #[error(
        "{0:?} has an empty, '.' or '..' segment or a trailing '/': write the path as /content/dam/a/b"
    )]
    BadSegment(String),
    /// A segment holds a character AEM refuses in node names.
    #[error(
        "{0:?} contains a character that is not allowed in AEM node names (control characters and any of * [ ] | : are refused)"
    )]
    BadCharacter(String),
    /// Too long.
    #[error(
        "the path is longer than {MAX_PATH} bytes or has a segment longer than {MAX_SEGMENT} bytes"
    )]
    TooLong,
}

impl DamPath {
    /// The root, `/content/dam`.
    pub fn root() -> Self {
        Self(DAM_ROOT.to_owned())
    }

    /// Validates `raw`.
    pub fn parse(raw: &str) -> Result<Self, DamPathError> {
        if raw.len() > MAX_PATH {
            return Err(DamPathError::TooLong);
        }
        let rest = if raw == DAM_ROOT {
            ""
        } else if let Some(rest) = raw.strip_prefix("/content/dam/") {
            rest
        } else {
            return Err(DamPathError::OutsideDam(raw.to_owned()));
        };
        if raw != DAM_ROOT {
            for segment in rest.split('/') {
                if segment.is_empty() || segment == "." || segment == ".." {
                    return Err(DamPathError::BadSegment(raw.to_owned()));
                }
                if segment.len() > MAX_SEGMENT {
                    return Err(DamPathError::TooLong);
                }
                if segment
                    .chars()
                    .any(|c| c.is_control() || matches!(c, '*' | '[' | ']' | '|' | ':'))
                {
                    return Err(DamPathError::BadCharacter(raw.to_owned()));
                }
            }
        }
        Ok(Self(raw.to_owned()))
    }

    /// The path text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is `/content/dam` itself.
    pub fn is_root(&self) -> bool {
        self.0 == DAM_ROOT
    }

    /// The last segment (`dam` for the root).
    pub fn name(&self) -> &str {
        self.0.rsplit('/').next().unwrap_or_default()
    }

    /// The parent folder; `None` for the root.
    pub fn parent(&self) -> Option<DamPath> {
        if self.is_root() {
            return None;
        }
        let cut = self.0.rfind('/').unwrap_or(0);
        Some(Self(self.0[..cut].to_owned()))
    }

    /// A child path (`name` must be a single valid segment).
    pub fn child(&self, name: &str) -> Result<DamPath, DamPathError> {
        if name.contains('/') {
            return Err(DamPathError::BadSegment(format!("{}/{name}", self.0)));
        }
        Self::parse(&format!("{}/{name}", self.0))
    }

    /// Whether `self` is `other` or lies below it.
    pub fn is_within(&self, other: &str) -> bool {
        let other = other.strip_suffix('/').unwrap_or(other);
        self.0 == other
            || (self.0.len() > other.len()
                && self.0.starts_with(other)
                && self.0.as_bytes()[other.len()] == b'/')
    }
}

impl fmt::Display for DamPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_paths_parse_and_navigate() {
        let p = DamPath::parse("/content/dam/wknd/en/a.jpg").unwrap();
        assert_eq!(p.name(), "a.jpg");
        assert_eq!(p.parent().unwrap().as_str(), "/content/dam/wknd/en");
        assert!(p.is_within("/content/dam"));
        assert!(p.is_within("/content/dam/wknd/"));
        assert!(!p.is_within("/content/dam/wk"));
        assert!(DamPath::root().is_root());
        assert_eq!(DamPath::root().parent(), None);
        assert_eq!(
            DamPath::root().child("x").unwrap().as_str(),
            "/content/dam/x"
        );
    }

    #[test]
    fn escapes_and_odd_spellings_are_refused() {
        for bad in [
            "/content/damx",
            "/content",
            "content/dam/a",
            "/content/dam/",
            "/content/dam//a",
            "/content/dam/a/../../etc",
            "/content/dam/./a",
            "/content/dam/a\u{0}b",
            "/content/dam/a:b",
        ] {
            assert!(DamPath::parse(bad).is_err(), "{bad} accepted");
        }
        assert_eq!(
            DamPath::parse(&format!("/content/dam/{}", "a".repeat(200))),
            Err(DamPathError::TooLong)
        );
        assert!(DamPath::root().child("a/b").is_err());
    }
}

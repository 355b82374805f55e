//! IMS scope lists.
//!
//! IMS writes scopes comma-separated (`openid,AdobeID,aem.assets.author`), Adobe's docs also show
//! `openid, AdobeID` and RFC 6749 §3.3 uses spaces, so items are split on commas and/or spaces and
//! trimmed (reference/adobe-protocol.md §1.2). Each item must be an RFC 6749 `scope-token`
//! (%x21 / %x23-5B / %x5D-7E) without commas; anything else is `invalid_scope`, never silently
//! dropped (SPEC §6). The size caps stop scope bombs cheaply (security T-66).

use std::collections::BTreeSet;

/// Most scopes one request may name.
pub const MAX_SCOPES: usize = 100;
/// Longest single scope.
pub const MAX_SCOPE_LEN: usize = 128;

/// A validated, de-duplicated set of scopes, kept in the order first seen.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScopeList(Vec<String>);

/// Why a scope list was refused. Messages never echo the raw input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScopeError {
    /// More than [`MAX_SCOPES`] items.
    #[error("too many scopes: at most {MAX_SCOPES} may be requested")]
    TooMany,
    /// One item longer than [`MAX_SCOPE_LEN`].
    #[error("a scope is longer than {MAX_SCOPE_LEN} characters")]
    TooLong,
    /// One item contains a character outside the RFC 6749 scope-token set.
    #[error(
        "a scope contains a character that is not allowed: scopes are separated by commas or spaces and use printable ASCII without quotes or backslashes"
    )]
    BadCharacter,
}

fn is_scope_char(b: u8) -> bool {
    matches!(b, 0x21 | 0x23..=0x5B | 0x5D..=0x7E) && b != b','
}

impl ScopeList {
    /// Parses a scope parameter. Empty input gives an empty list.
    pub fn parse(raw: &str) -> Result<Self, ScopeError> {
        let mut items: Vec<String> = Vec::new();
        for item in raw.split([',', ' ']) {
            let item = item.trim_matches(|c: char| c == ' ');
            if item.is_empty() {
                continue;
            }
            if item.len() > MAX_SCOPE_LEN {
                return Err(ScopeError::TooLong);
            }
            if !item.bytes().all(is_scope_char) {
                return Err(ScopeError::BadCharacter);
            }
            if !items.iter().any(|s| s == item) {
                if items.len() == MAX_SCOPES {
                    return Err(ScopeError::TooMany);
                }
                items.push(item.to_owned());
            }
        }
        Ok(Self(items))
    }

    /// Builds a list from trusted items (read back from storage).
    pub fn from_trusted(items: Vec<String>) -> Self {
        Self(items)
    }

    /// The scopes, in order.
    pub fn items(&self) -> &[String] {
        &self.0
    }

    /// Whether no scope is listed.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// IMS form: comma-joined.
    pub fn to_ims_string(&self) -> String {
        self.0.join(",")
    }

    /// RFC 6749 form: space-joined.
    pub fn to_oauth_string(&self) -> String {
        self.0.join(" ")
    }

    /// The first item of `self` that `allowed` does not contain.
    pub fn first_not_in(&self, allowed: &ScopeList) -> Option<&str> {
        let allowed: BTreeSet<&str> = allowed.0.iter().map(String::as_str).collect();
        self.0
            .iter()
            .map(String::as_str)
            .find(|s| !allowed.contains(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commas_spaces_and_trimming() {
        let s = ScopeList::parse("openid, AdobeID,aem.assets.author  aem.folders,,").unwrap();
        assert_eq!(
            s.items(),
            ["openid", "AdobeID", "aem.assets.author", "aem.folders"]
        );
        assert_eq!(
            s.to_ims_string(),
            "openid,AdobeID,aem.assets.author,aem.folders"
        );
        assert!(ScopeList::parse("").unwrap().is_empty());
        assert_eq!(ScopeList::parse("a,a a").unwrap().items(), ["a"]);
    }

    #[test]
    fn grammar_and_size_limits() {
        assert_eq!(
            ScopeList::parse("read\ninjected"),
            Err(ScopeError::BadCharacter)
        );
        assert_eq!(ScopeList::parse("\"x\""), Err(ScopeError::BadCharacter));
        assert_eq!(ScopeList::parse("a\\b"), Err(ScopeError::BadCharacter));
        assert_eq!(ScopeList::parse(&"x".repeat(200)), Err(ScopeError::TooLong));
        let many: Vec<String> = (0..101).map(|i| format!("s{i}")).collect();
        assert_eq!(ScopeList::parse(&many.join(",")), Err(ScopeError::TooMany));
    }

    #[test]
    fn first_not_in_finds_the_disallowed_scope() {
        let allowed = ScopeList::parse("openid,AdobeID").unwrap();
        assert_eq!(
            ScopeList::parse("openid").unwrap().first_not_in(&allowed),
            None
        );
        assert_eq!(
            ScopeList::parse("openid,admin")
                .unwrap()
                .first_not_in(&allowed),
            Some("admin")
        );
    }
}

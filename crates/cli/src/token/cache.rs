//! The token cache of `latchkey token`: one file per identity service, credential and scope
//! set in `$XDG_CACHE_HOME/latchkey/tokens` (or `~/.cache/latchkey/tokens`), so that scripts
//! calling `latchkey token` in a loop reuse one token instead of minting one per call (Adobe
//! throttles integrations that do, reference/adobe-protocol.md §8).
//!
//! A token is a credential: the directory is 0700 and each file 0600, written atomically. File
//! names are SHA-256 digests of the key, so they reveal neither client ids nor scopes. A token
//! is reused until shortly before it expires (the refresh rule of
//! [`latchkey_client::provider::refresh_margin`]).

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use latchkey_client::AccessToken;
use latchkey_client::provider::{DEFAULT_REFRESH_BEFORE, refresh_margin};
use serde::{Deserialize, Serialize};

use crate::sources::dirs;

/// A cached token.
#[derive(Serialize, Deserialize)]
struct Entry {
    access_token: String,
    /// Expiry, seconds since the epoch.
    expires_at: u64,
    /// When to stop reusing it, seconds since the epoch.
    refresh_at: u64,
}

/// A token read from the cache.
pub struct CachedToken {
    /// The token.
    pub access_token: AccessToken,
    /// Its expiry.
    pub expires_at: SystemTime,
}

/// The cache directory.
#[derive(Debug, Clone)]
pub struct TokenCache {
    dir: PathBuf,
}

fn secs(t: SystemTime) -> u64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl TokenCache {
    /// The cache in the user's cache directory, if there is one.
    pub fn default_location() -> Option<Self> {
        dirs::cache_dir().map(|d| Self {
            dir: d.join("tokens"),
        })
    }

    /// The file of `key`.
    pub fn file(&self, key: &str) -> PathBuf {
        let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, key.as_bytes());
        let hex: String = digest.as_ref().iter().map(|b| format!("{b:02x}")).collect();
        self.dir.join(format!("{hex}.json"))
    }

    /// The token cached under `key`, while it may still be reused at `now`.
    pub fn get(&self, key: &str, now: SystemTime) -> Option<CachedToken> {
        let text = std::fs::read_to_string(self.file(key)).ok()?;
        let e: Entry = serde_json::from_str(&text).ok()?;
        (secs(now) < e.refresh_at).then(|| CachedToken {
            access_token: AccessToken::new(e.access_token),
            expires_at: SystemTime::UNIX_EPOCH + Duration::from_secs(e.expires_at),
        })
    }

    /// Caches `token` (expiring at `expires_at`) under `key`.
    pub fn put(
        &self,
        key: &str,
        token: &AccessToken,
        expires_at: SystemTime,
        now: SystemTime,
    ) -> std::io::Result<PathBuf> {
        let lifetime = expires_at.duration_since(now).unwrap_or_default();
        let refresh_at = expires_at - refresh_margin(DEFAULT_REFRESH_BEFORE, lifetime);
        let e = Entry {
            access_token: token.expose_secret().to_owned(),
            expires_at: secs(expires_at),
            refresh_at: secs(refresh_at),
        };
        dirs::private_dir(&self.dir)?;
        let file = self.file(key);
        let json = serde_json::to_vec(&e).map_err(std::io::Error::other)?;
        dirs::write_atomic(&file, &json, 0o600, false)?;
        Ok(file)
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn tokens_are_reused_until_shortly_before_expiry_in_private_files() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = TokenCache {
            dir: tmp.path().join("latchkey/tokens"),
        };
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let exp = now + Duration::from_secs(3600);
        let file = cache.put("k", &AccessToken::new("tok"), exp, now).unwrap();
        assert_eq!(file.file_name().unwrap().len(), 64 + ".json".len());
        let got = cache.get("k", now + Duration::from_secs(3000)).unwrap();
        assert_eq!(got.access_token.expose_secret(), "tok");
        assert!(
            cache.get("k", now + Duration::from_secs(3301)).is_none(),
            "within five minutes of expiry"
        );
        assert!(cache.get("other", now).is_none());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&file), 0o600);
            assert_eq!(mode(cache.dir()), 0o700);
        }
    }
}

//! Time as Latchkey sees it: milliseconds since the Unix epoch.
//!
//! Nothing in this crate reads the clock. The server reads it once at the edge of a request
//! (`UnixMillis::now()` lives in the server) and passes the value down, so every clock-dependent
//! rule can be tested with a fixed time (SPEC §6).

use serde::{Deserialize, Serialize};

/// A point in time, in milliseconds since the Unix epoch (IMS writes times this way).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct UnixMillis(pub i64);

impl UnixMillis {
    /// Whole seconds since the epoch (JWT `iat`/`exp`).
    pub fn as_secs(self) -> i64 {
        self.0.div_euclid(1000)
    }

    /// This instant plus `ms` milliseconds.
    pub fn plus_millis(self, ms: i64) -> Self {
        UnixMillis(self.0.saturating_add(ms))
    }

    /// From whole seconds since the epoch.
    pub fn from_secs(secs: i64) -> Self {
        UnixMillis(secs.saturating_mul(1000))
    }
}

//! The one place the server reads the wall clock.
//!
//! Handlers call [`Clock::now`] once at the start of a request and pass the value down
//! (SPEC §6); tests build the server with [`Clock::fixed`] and move time with [`Clock::set`].

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use latchkey_core::time::UnixMillis;

/// Wall clock, real or fixed.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    fixed: Option<Arc<AtomicI64>>,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Self { fixed: None }
    }

    /// A clock stopped at `at` until [`Clock::set`] moves it.
    pub fn fixed(at: UnixMillis) -> Self {
        Self {
            fixed: Some(Arc::new(AtomicI64::new(at.0))),
        }
    }

    /// Moves a fixed clock (no effect on the system clock).
    pub fn set(&self, at: UnixMillis) {
        if let Some(f) = &self.fixed {
            f.store(at.0, Ordering::SeqCst);
        }
    }

    /// The current time.
    pub fn now(&self) -> UnixMillis {
        match &self.fixed {
            Some(f) => UnixMillis(f.load(Ordering::SeqCst)),
            None => {
                let d = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap_or_default();
                UnixMillis(i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
            }
        }
    }
}

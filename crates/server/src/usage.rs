//! Coalesced `last_used_at` updates of client secrets (SPEC §2: no database write per token
//! request).
//!
//! Each successful authentication records `(secret, now, grant)` in memory; a background task
//! writes the latest use of each secret every `cluster.usage_flush_secs`, and once more at
//! shutdown. A crash loses at most one interval of usage timestamps, never a credential.

use std::collections::HashMap;
use std::sync::Mutex;

use latchkey_core::credentials::SecretUsage;
use latchkey_core::store::Store;
use latchkey_core::time::UnixMillis;

/// Pending usages, latest per secret.
#[derive(Default)]
pub struct UsageRecorder {
    pending: Mutex<HashMap<String, (UnixMillis, &'static str)>>,
}

impl UsageRecorder {
    /// Notes a successful use.
    pub fn record(&self, secret_uuid: &str, now: UnixMillis, grant_type: &'static str) {
        let mut p = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        match p.get_mut(secret_uuid) {
            Some(entry) => {
                if now > entry.0 {
                    *entry = (now, grant_type);
                }
            }
            None => {
                p.insert(secret_uuid.to_owned(), (now, grant_type));
            }
        }
    }

    /// The not yet written use of a secret, if any (so listings are current on this node).
    pub fn pending(&self, secret_uuid: &str) -> Option<(UnixMillis, &'static str)> {
        self.pending
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(secret_uuid)
            .copied()
    }

    /// Writes pending usages; on failure they are put back for the next attempt.
    pub async fn flush(&self, store: &dyn Store) {
        let batch: Vec<SecretUsage> = {
            let mut p = self.pending.lock().unwrap_or_else(|e| e.into_inner());
            p.drain()
                .map(|(uuid, (at, grant))| SecretUsage {
                    secret_uuid: uuid,
                    used_at: at,
                    grant_type: grant.to_owned(),
                })
                .collect()
        };
        if batch.is_empty() {
            return;
        }
        if let Err(e) = store.record_secret_usage(&batch).await {
            tracing::warn!(error = %e, count = batch.len(), "could not record secret usage; will retry");
            for u in batch {
                let grant: &'static str = if u.grant_type == "client_credentials" {
                    "client_credentials"
                } else {
                    "jwt_exchange"
                };
                self.record(&u.secret_uuid, u.used_at, grant);
            }
        }
    }
}

//! A small map whose entries expire: what each node caches of shared state (allowlists, ACLs,
//! profile assignments, token status) so the hot path reads no database, while a change made
//! on another node is seen within the time-to-live (`cluster.credential_cache_ms`).

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::RwLock;
use std::time::{Duration, Instant};

/// Entries kept before the map is emptied (a flood of distinct keys costs memory only up to
/// this bound).
const MAX_ENTRIES: usize = 100_000;

/// A concurrent map with a time-to-live per entry. A zero TTL caches nothing.
pub struct TtlMap<K, V> {
    ttl: Duration,
    map: RwLock<HashMap<K, (Instant, V)>>,
}

impl<K: Eq + Hash, V: Clone> TtlMap<K, V> {
    /// An empty map whose entries live `ttl`.
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            map: RwLock::new(HashMap::new()),
        }
    }

    /// The live value of `key`.
    pub fn get<Q>(&self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Eq + Hash + ?Sized,
    {
        if self.ttl.is_zero() {
            return None;
        }
        let map = self.map.read().unwrap_or_else(|p| p.into_inner());
        map.get(key)
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, v)| v.clone())
    }

    /// Stores `value` under `key`.
    pub fn insert(&self, key: K, value: V) {
        if self.ttl.is_zero() {
            return;
        }
        let mut map = self.map.write().unwrap_or_else(|p| p.into_inner());
        if map.len() >= MAX_ENTRIES {
            map.clear();
        }
        map.insert(key, (Instant::now(), value));
    }

    /// Forgets `key`.
    pub fn remove<Q>(&self, key: &Q)
    where
        K: Borrow<Q>,
        Q: Eq + Hash + ?Sized,
    {
        self.map
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .remove(key);
    }

    /// Forgets everything.
    pub fn clear(&self) {
        self.map.write().unwrap_or_else(|p| p.into_inner()).clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_and_zero_ttl_caches_nothing() {
        let m = TtlMap::new(Duration::from_millis(30));
        m.insert(1, "a");
        assert_eq!(m.get(&1), Some("a"));
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(m.get(&1), None);
        let off = TtlMap::new(Duration::ZERO);
        off.insert(1, "a");
        assert_eq!(off.get(&1), None);
        m.insert(2, "b");
        m.clear();
        assert_eq!(m.get(&2), None);
    }
}

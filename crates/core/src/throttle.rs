//! Throttling at the token endpoint (SPEC §1, security T-61/T-62).
//!
//! Two independent mechanisms, both fixed-window counters fed with the request's `now`:
//! - **Token budget** per credential: Adobe warns it throttles integrations that mint too many
//!   tokens; over budget → 429 with `Retry-After`.
//! - **Failed authentications**, counted per peer address and per client id. A peer over its
//!   failure limit is refused outright. A client over its failure limit is refused only for
//!   peers that themselves failed against it in the window, so an attacker flooding a victim's
//!   client id with bad secrets cannot lock the real owner out (GHSA-3hrr-xwvg-hxvr): a peer
//!   with no recent failure always has its secret checked.
//!
//! The counters live in memory per node (a node's limits are its own); maps are pruned so
//! random client ids cannot grow them without bound.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

use crate::time::UnixMillis;

/// Limits; 0 disables a limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThrottleLimits {
    /// Tokens one credential may obtain per window.
    pub tokens_per_window: u32,
    /// Failed authentications one peer may make per window.
    pub failures_per_peer: u32,
    /// Failed authentications against one client id per window.
    pub failures_per_client: u32,
    /// Window length in milliseconds.
    pub window_ms: i64,
}

/// Entries kept before a prune is forced.
const PRUNE_AT: usize = 50_000;

#[derive(Debug, Clone, Copy)]
struct Window {
    start: i64,
    count: u32,
}

impl Window {
    fn current(&mut self, now: i64, len: i64) -> &mut Self {
        if now >= self.start + len || now < self.start {
            self.start = now;
            self.count = 0;
        }
        self
    }
}

#[derive(Default)]
struct State {
    budgets: HashMap<String, Window>,
    peers: HashMap<IpAddr, Window>,
    clients: HashMap<String, Window>,
    client_peers: HashMap<(String, IpAddr), Window>,
}

/// What was exceeded, and for how long.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Throttled {
    /// Seconds until the window resets.
    pub retry_after_secs: u64,
    /// Which limit.
    pub limit: ThrottleKind,
}

/// The limit that refused a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThrottleKind {
    /// The credential's token budget.
    TokenBudget,
    /// Too many failed authentications from this peer.
    PeerFailures,
    /// Too many failed authentications against this client from this peer.
    ClientFailures,
}

/// Per-node throttle state.
pub struct Throttle {
    limits: ThrottleLimits,
    state: Mutex<State>,
}

fn over(w: Option<&Window>, limit: u32, now: i64, len: i64) -> Option<u64> {
    let w = w?;
    if limit == 0 || now >= w.start + len || now < w.start || w.count < limit {
        return None;
    }
    Some(
        u64::try_from((w.start + len - now + 999) / 1000)
            .unwrap_or(1)
            .max(1),
    )
}

fn bump_str(map: &mut HashMap<String, Window>, key: &str, now: i64, len: i64) -> u32 {
    // Look up by &str first: no allocation for a client already in the map.
    if let Some(w) = map.get_mut(key) {
        let w = w.current(now, len);
        w.count = w.count.saturating_add(1);
        return w.count;
    }
    bump(map, key.to_owned(), now, len)
}

fn bump<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Window>, key: K, now: i64, len: i64) -> u32 {
    let w = map.entry(key).or_insert(Window {
        start: now,
        count: 0,
    });
    let w = w.current(now, len);
    w.count = w.count.saturating_add(1);
    w.count
}

impl Throttle {
    /// A throttle with `limits`.
    pub fn new(limits: ThrottleLimits) -> Self {
        Self {
            limits,
            state: Mutex::new(State::default()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A poisoned lock only means another request panicked mid-update; counters stay usable.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Before checking a secret: may this peer try to authenticate as `client_id`?
    pub fn check_failures(
        &self,
        client_id: &str,
        peer: IpAddr,
        now: UnixMillis,
    ) -> Result<(), Throttled> {
        let l = &self.limits;
        let st = self.lock();
        if let Some(s) = over(st.peers.get(&peer), l.failures_per_peer, now.0, l.window_ms) {
            return Err(Throttled {
                retry_after_secs: s,
                limit: ThrottleKind::PeerFailures,
            });
        }
        let client_over = over(
            st.clients.get(client_id),
            l.failures_per_client,
            now.0,
            l.window_ms,
        );
        if let Some(s) = client_over {
            let key = (client_id.to_owned(), peer);
            let peer_failed = st
                .client_peers
                .get(&key)
                .is_some_and(|w| now.0 < w.start + l.window_ms && w.count > 0);
            if peer_failed {
                return Err(Throttled {
                    retry_after_secs: s,
                    limit: ThrottleKind::ClientFailures,
                });
            }
        }
        Ok(())
    }

    /// Records a failed authentication.
    pub fn record_failure(&self, client_id: &str, peer: IpAddr, now: UnixMillis) {
        let len = self.limits.window_ms;
        let mut st = self.lock();
        if st.peers.len() + st.clients.len() + st.client_peers.len() > PRUNE_AT {
            prune(&mut st, now.0, len);
        }
        bump(&mut st.peers, peer, now.0, len);
        bump(&mut st.clients, client_id.to_owned(), now.0, len);
        bump(
            &mut st.client_peers,
            (client_id.to_owned(), peer),
            now.0,
            len,
        );
    }

    /// Takes one token from the credential's budget.
    pub fn take_token(&self, client_id: &str, now: UnixMillis) -> Result<(), Throttled> {
        let l = &self.limits;
        if l.tokens_per_window == 0 {
            return Ok(());
        }
        let mut st = self.lock();
        if let Some(s) = over(
            st.budgets.get(client_id),
            l.tokens_per_window,
            now.0,
            l.window_ms,
        ) {
            return Err(Throttled {
                retry_after_secs: s,
                limit: ThrottleKind::TokenBudget,
            });
        }
        if st.budgets.len() > PRUNE_AT {
            prune(&mut st, now.0, l.window_ms);
        }
        bump_str(&mut st.budgets, client_id, now.0, l.window_ms);
        Ok(())
    }

    /// Drops windows that have ended.
    pub fn prune(&self, now: UnixMillis) {
        let mut st = self.lock();
        prune(&mut st, now.0, self.limits.window_ms);
    }
}

fn prune(st: &mut State, now: i64, len: i64) {
    let live = |w: &Window| now < w.start + len && now >= w.start;
    st.budgets.retain(|_, w| live(w));
    st.peers.retain(|_, w| live(w));
    st.clients.retain(|_, w| live(w));
    st.client_peers.retain(|_, w| live(w));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttle() -> Throttle {
        Throttle::new(ThrottleLimits {
            tokens_per_window: 3,
            failures_per_peer: 100,
            failures_per_client: 10,
            window_ms: 60_000,
        })
    }

    const T0: UnixMillis = UnixMillis(1_000_000);

    #[test]
    fn token_budget_refuses_then_resets() {
        let t = throttle();
        for _ in 0..3 {
            t.take_token("c", T0).unwrap();
        }
        let e = t.take_token("c", T0.plus_millis(1000)).unwrap_err();
        assert_eq!(e.limit, ThrottleKind::TokenBudget);
        assert_eq!(e.retry_after_secs, 59);
        t.take_token("other", T0).unwrap();
        t.take_token("c", T0.plus_millis(60_000)).unwrap();
    }

    #[test]
    fn eleventh_failure_for_a_client_is_throttled_but_the_owner_is_not() {
        let t = throttle();
        let attacker: IpAddr = "10.0.0.66".parse().unwrap();
        let owner: IpAddr = "10.0.0.1".parse().unwrap();
        for _ in 0..10 {
            t.check_failures("victim", attacker, T0).unwrap();
            t.record_failure("victim", attacker, T0);
        }
        let e = t.check_failures("victim", attacker, T0).unwrap_err();
        assert_eq!(e.limit, ThrottleKind::ClientFailures);
        // The owner, who never failed, still gets its secret checked.
        t.check_failures("victim", owner, T0).unwrap();
        // Next window: everyone may try again.
        t.check_failures("victim", attacker, T0.plus_millis(60_000))
            .unwrap();
    }

    #[test]
    fn a_peer_spraying_many_clients_is_throttled() {
        let t = throttle();
        let peer: IpAddr = "10.0.0.9".parse().unwrap();
        for i in 0..100 {
            t.record_failure(&format!("c{i}"), peer, T0);
        }
        let e = t.check_failures("fresh", peer, T0).unwrap_err();
        assert_eq!(e.limit, ThrottleKind::PeerFailures);
        t.prune(T0.plus_millis(61_000));
        t.check_failures("fresh", peer, T0.plus_millis(61_000))
            .unwrap();
    }
}

//! When signing keys change state (SPEC §1: "rotated with overlap: the next key is published
//! before use, the old one stays published until every token it signed expired").
//!
//! [`plan`] is pure: it reads the stored keys and the time and names the one step due, which
//! the server applies with compare-and-set writes, so any number of nodes may run it at once.
//!
//! ```text
//!  created as Next ──publish_ahead──▶ Active ──(replaced)──▶ Retired ──retire_publish──▶ deleted
//!  (in the JWKS, not signing)        (signs)               (in the JWKS, not signing)
//! ```
//!
//! A key is due to be replaced `rotate_after` after it was created: its successor is created
//! `publish_ahead` earlier, so that resource servers caching the JWKS know it before its first
//! token.

use crate::keys::{KeyState, SigningAlg, StoredKey};
use crate::time::UnixMillis;

/// The rotation schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RotationPolicy {
    /// Age (ms) at which the active key is replaced; `None`: only when an admin asks.
    pub rotate_after_ms: Option<i64>,
    /// How long (ms) a new key is published before it signs.
    pub publish_ahead_ms: i64,
    /// How long (ms) a replaced key stays published: the longest token lifetime plus a margin
    /// for nodes that sign with it until they reload their keys.
    pub retire_publish_ms: i64,
}

/// The one change due now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Generate a key in state [`KeyState::Next`] for the algorithm.
    PublishNext,
    /// `next` starts signing; `active` retires, published until `until`.
    Promote {
        /// The key that starts signing.
        next: String,
        /// The key that stops.
        active: String,
        /// When the retired key leaves the JWKS.
        until: UnixMillis,
    },
    /// Delete retired keys no longer published (their private halves are no use to anyone).
    Prune,
}

/// The active and next key of `alg`, if any.
pub fn active_and_next(
    keys: &[StoredKey],
    alg: SigningAlg,
) -> (Option<&StoredKey>, Option<&StoredKey>) {
    let of = |state| keys.iter().find(|k| k.alg == alg && k.state == state);
    (of(KeyState::Active), of(KeyState::Next))
}

/// When `next` starts signing under `policy`.
pub fn promote_at(next: &StoredKey, policy: &RotationPolicy) -> UnixMillis {
    UnixMillis(next.created_at.0.saturating_add(policy.publish_ahead_ms))
}

/// The step due at `now` for the keys of `alg`, if any.
pub fn plan(
    keys: &[StoredKey],
    alg: SigningAlg,
    now: UnixMillis,
    policy: &RotationPolicy,
) -> Option<Step> {
    let (active, next) = active_and_next(keys, alg);
    if let (Some(active), Some(next)) = (active, next)
        && now >= promote_at(next, policy)
    {
        return Some(Step::Promote {
            next: next.kid.clone(),
            active: active.kid.clone(),
            until: UnixMillis(now.0.saturating_add(policy.retire_publish_ms)),
        });
    }
    if let (Some(active), None, Some(after)) = (active, next, policy.rotate_after_ms) {
        let due = active
            .created_at
            .0
            .saturating_add(after)
            .saturating_sub(policy.publish_ahead_ms);
        if now.0 >= due {
            return Some(Step::PublishNext);
        }
    }
    let expired = keys
        .iter()
        .any(|k| k.state == KeyState::Retired && !k.is_published(now));
    expired.then_some(Step::Prune)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400_000;

    fn key(
        kid: &str,
        alg: SigningAlg,
        state: KeyState,
        created: i64,
        until: Option<i64>,
    ) -> StoredKey {
        StoredKey {
            kid: kid.into(),
            alg,
            state,
            sealed_private_key: vec![],
            public_jwk: "{}".into(),
            created_at: UnixMillis(created),
            publish_until: until.map(UnixMillis),
        }
    }

    fn policy() -> RotationPolicy {
        RotationPolicy {
            rotate_after_ms: Some(90 * DAY),
            publish_ahead_ms: DAY,
            retire_publish_ms: DAY + 600_000,
        }
    }

    #[test]
    fn a_young_active_key_needs_nothing() {
        let keys = [key("a", SigningAlg::Rs256, KeyState::Active, 0, None)];
        assert_eq!(
            plan(
                &keys,
                SigningAlg::Rs256,
                UnixMillis(89 * DAY - 1),
                &policy()
            ),
            None
        );
    }

    #[test]
    fn the_successor_is_published_ahead_of_the_rotation_date() {
        let keys = [key("a", SigningAlg::Rs256, KeyState::Active, 0, None)];
        let at = UnixMillis(89 * DAY);
        assert_eq!(
            plan(&keys, SigningAlg::Rs256, at, &policy()),
            Some(Step::PublishNext)
        );
    }

    #[test]
    fn a_published_successor_signs_only_after_publish_ahead() {
        let keys = [
            key("a", SigningAlg::Rs256, KeyState::Active, 0, None),
            key("b", SigningAlg::Rs256, KeyState::Next, 89 * DAY, None),
        ];
        assert_eq!(
            plan(
                &keys,
                SigningAlg::Rs256,
                UnixMillis(90 * DAY - 1),
                &policy()
            ),
            None
        );
        assert_eq!(
            plan(&keys, SigningAlg::Rs256, UnixMillis(90 * DAY), &policy()),
            Some(Step::Promote {
                next: "b".into(),
                active: "a".into(),
                until: UnixMillis(91 * DAY + 600_000),
            })
        );
    }

    #[test]
    fn an_admin_published_successor_is_promoted_whatever_the_active_key_s_age() {
        let p = RotationPolicy {
            rotate_after_ms: None,
            ..policy()
        };
        let keys = [
            key("a", SigningAlg::Rs256, KeyState::Active, 0, None),
            key("b", SigningAlg::Rs256, KeyState::Next, 5 * DAY, None),
        ];
        assert!(matches!(
            plan(&keys, SigningAlg::Rs256, UnixMillis(6 * DAY), &p),
            Some(Step::Promote { .. })
        ));
    }

    #[test]
    fn without_a_schedule_nothing_rotates_by_itself() {
        let p = RotationPolicy {
            rotate_after_ms: None,
            ..policy()
        };
        let keys = [key("a", SigningAlg::Rs256, KeyState::Active, 0, None)];
        assert_eq!(
            plan(&keys, SigningAlg::Rs256, UnixMillis(1000 * DAY), &p),
            None
        );
    }

    #[test]
    fn keys_of_another_algorithm_are_left_alone() {
        let keys = [
            key("e", SigningAlg::Es256, KeyState::Active, 0, None),
            key("a", SigningAlg::Rs256, KeyState::Active, 100 * DAY, None),
        ];
        assert_eq!(
            plan(&keys, SigningAlg::Rs256, UnixMillis(101 * DAY), &policy()),
            None
        );
    }

    #[test]
    fn retired_keys_are_pruned_once_no_longer_published() {
        let keys = [
            key("a", SigningAlg::Rs256, KeyState::Retired, 0, Some(10 * DAY)),
            key("b", SigningAlg::Rs256, KeyState::Active, 9 * DAY, None),
        ];
        assert_eq!(
            plan(&keys, SigningAlg::Rs256, UnixMillis(10 * DAY), &policy()),
            None
        );
        assert_eq!(
            plan(
                &keys,
                SigningAlg::Rs256,
                UnixMillis(10 * DAY + 1),
                &policy()
            ),
            Some(Step::Prune)
        );
    }
}

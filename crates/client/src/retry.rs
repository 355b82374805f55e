//! When and how long to wait before asking the identity service again.
//!
//! A token request is retried on no answer (connection refused, timeout), on a 5xx and on 429,
//! never on another 4xx: a wrong secret or a refused scope does not get better by asking again,
//! and hammering the token endpoint is exactly what Adobe throttles (reference/adobe-protocol.md
//! §8). The wait is the server's `Retry-After` when it sends one (seconds or an HTTP date, RFC
//! 9110 §10.2.3), else exponential backoff with jitter, the policy of aio-lib-ims (§4.2).

use std::time::{Duration, SystemTime};

use crate::error::Error;

/// How often and how long to retry a token request.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 = never retry).
    pub max_attempts: u32,
    /// Wait after the first failure without `Retry-After`; doubled after each further one.
    pub initial_backoff: Duration,
    /// Longest wait between two attempts, `Retry-After` included: a server asking for more is
    /// answered with its error rather than with a hung caller.
    pub max_wait: Duration,
}

impl Default for RetryPolicy {
    /// Four attempts, 500 ms then 1 s then 2 s (plus jitter), waits of at most 60 s.
    fn default() -> Self {
        Self {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(500),
            max_wait: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn never() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The wait before attempt `attempt + 1` after `failure`, or `None` to give up.
    /// `attempt` counts from 1.
    pub fn wait_after(&self, attempt: u32, failure: &Failure) -> Option<Duration> {
        if attempt >= self.max_attempts || !is_retryable(&failure.error) {
            return None;
        }
        let wait = match failure.retry_after {
            Some(d) => d,
            None => backoff(self.initial_backoff, attempt),
        };
        (wait <= self.max_wait).then_some(wait)
    }
}

/// A failed attempt: the error and the server's `Retry-After`, if it sent one.
#[derive(Debug)]
pub struct Failure {
    /// What went wrong.
    pub error: Error,
    /// How long the server asked to wait.
    pub retry_after: Option<Duration>,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Self {
            error,
            retry_after: None,
        }
    }
}

/// Whether a failure may go away by asking again: no answer, a 5xx or a 429. Never another 4xx.
pub fn is_retryable(e: &Error) -> bool {
    // An answer that does not decode will not decode better the next time.
    e.is_unavailable() && !matches!(e, Error::Decode { .. })
}

/// `initial × 2^(attempt-1)`, plus up to a quarter of jitter so that many clients throttled at
/// once do not all come back in the same millisecond.
fn backoff(initial: Duration, attempt: u32) -> Duration {
    let base = initial.saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let quarter = base / 4;
    let jitter = if quarter.is_zero() {
        Duration::ZERO
    } else {
        Duration::from_nanos(
            u64::from(nanos) % u64::try_from(quarter.as_nanos()).unwrap_or(1).max(1),
        )
    };
    base + jitter
}

/// Parses a `Retry-After` value: delay seconds or an HTTP date (RFC 9110 §10.2.3).
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn oauth(status: u16) -> Failure {
        Failure::from(Error::OAuth {
            status,
            error: "x".into(),
            description: "y".into(),
        })
    }

    #[test]
    fn only_5xx_and_429_are_retried() {
        let p = RetryPolicy::default();
        assert!(p.wait_after(1, &oauth(503)).is_some());
        assert!(p.wait_after(1, &oauth(429)).is_some());
        for status in [400, 401, 403, 404, 409] {
            assert_eq!(p.wait_after(1, &oauth(status)), None, "{status}");
        }
        assert_eq!(p.wait_after(4, &oauth(503)), None, "attempts exhausted");
        assert_eq!(RetryPolicy::never().wait_after(1, &oauth(503)), None);
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_cap() {
        let p = RetryPolicy::default();
        let mut f = oauth(429);
        f.retry_after = Some(Duration::from_secs(7));
        assert_eq!(p.wait_after(1, &f), Some(Duration::from_secs(7)));
        f.retry_after = Some(Duration::from_secs(3600));
        assert_eq!(p.wait_after(1, &f), None, "too long: give the error back");
    }

    #[test]
    fn backoff_doubles() {
        let p = RetryPolicy::default();
        let first = p.wait_after(1, &oauth(500)).unwrap();
        let third = p.wait_after(3, &oauth(500)).unwrap();
        assert!(first >= Duration::from_millis(500) && first < Duration::from_millis(626));
        assert!(third >= Duration::from_secs(2) && third < Duration::from_millis(2501));
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480);
        assert_eq!(
            parse_retry_after(" 12 ", now),
            Some(Duration::from_secs(12))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }
}

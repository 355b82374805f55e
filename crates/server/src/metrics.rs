//! Prometheus metrics, kept per server instance (no global registry, so tests can run many
//! servers in one process) and rendered in the text exposition format at `/metrics`.
//!
//! Labels come from fixed sets only (grant types, failure reasons, status classes), never from
//! request input, so a client cannot blow up the series count and no secret can become a label.

use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Upper bounds of the latency histogram, in seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

#[derive(Default)]
struct Histogram {
    counts: [AtomicU64; BUCKETS.len()],
    sum_micros: AtomicU64,
    count: AtomicU64,
}

impl Histogram {
    fn observe(&self, d: Duration) {
        let s = d.as_secs_f64();
        if let Some(i) = BUCKETS.iter().position(|b| s <= *b) {
            self.counts[i].fetch_add(1, Ordering::Relaxed);
        }
        self.sum_micros.fetch_add(
            u64::try_from(d.as_micros()).unwrap_or(u64::MAX),
            Ordering::Relaxed,
        );
        self.count.fetch_add(1, Ordering::Relaxed);
    }
}

/// The server's metrics.
#[derive(Default)]
pub struct Metrics {
    tokens_issued: AtomicU64,
    failures: Mutex<Vec<(&'static str, u64)>>,
    responses: [AtomicU64; 5],
    token_latency: Histogram,
}

impl Metrics {
    /// Counts an issued token.
    pub fn token_issued(&self) {
        self.tokens_issued.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts a refused token request by reason label.
    pub fn token_failed(&self, reason: &'static str) {
        let mut f = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        match f.iter_mut().find(|(r, _)| *r == reason) {
            Some((_, n)) => *n += 1,
            None => f.push((reason, 1)),
        }
    }

    /// Records the latency of a token request.
    pub fn token_latency(&self, d: Duration) {
        self.token_latency.observe(d);
    }

    /// Counts a response by status class.
    pub fn response(&self, status: u16) {
        let class = usize::from(status / 100).clamp(1, 5) - 1;
        self.responses[class].fetch_add(1, Ordering::Relaxed);
    }

    /// The text exposition.
    pub fn render(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "# HELP latchkey_tokens_issued_total Access tokens issued."
        );
        let _ = writeln!(s, "# TYPE latchkey_tokens_issued_total counter");
        let _ = writeln!(
            s,
            "latchkey_tokens_issued_total{{grant_type=\"client_credentials\"}} {}",
            self.tokens_issued.load(Ordering::Relaxed)
        );
        let _ = writeln!(
            s,
            "# HELP latchkey_token_failures_total Refused token requests by reason."
        );
        let _ = writeln!(s, "# TYPE latchkey_token_failures_total counter");
        for (reason, n) in self
            .failures
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
        {
            let _ = writeln!(
                s,
                "latchkey_token_failures_total{{reason=\"{reason}\"}} {n}"
            );
        }
        let _ = writeln!(
            s,
            "# HELP latchkey_http_responses_total HTTP responses by status class."
        );
        let _ = writeln!(s, "# TYPE latchkey_http_responses_total counter");
        for (i, c) in self.responses.iter().enumerate() {
            let _ = writeln!(
                s,
                "latchkey_http_responses_total{{class=\"{}xx\"}} {}",
                i + 1,
                c.load(Ordering::Relaxed)
            );
        }
        let h = &self.token_latency;
        let _ = writeln!(
            s,
            "# HELP latchkey_token_request_duration_seconds Token endpoint latency."
        );
        let _ = writeln!(
            s,
            "# TYPE latchkey_token_request_duration_seconds histogram"
        );
        let mut cumulative = 0;
        for (b, c) in BUCKETS.iter().zip(&h.counts) {
            cumulative += c.load(Ordering::Relaxed);
            let _ = writeln!(
                s,
                "latchkey_token_request_duration_seconds_bucket{{le=\"{b}\"}} {cumulative}"
            );
        }
        let count = h.count.load(Ordering::Relaxed);
        let _ = writeln!(
            s,
            "latchkey_token_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}"
        );
        let sum = h.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(s, "latchkey_token_request_duration_seconds_sum {sum}");
        let _ = writeln!(s, "latchkey_token_request_duration_seconds_count {count}");
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_a_cumulative_histogram() {
        let m = Metrics::default();
        m.token_issued();
        m.token_failed("wrong_secret");
        m.token_failed("wrong_secret");
        m.token_latency(Duration::from_micros(300));
        m.token_latency(Duration::from_millis(30));
        m.response(200);
        let r = m.render();
        assert!(r.contains("latchkey_tokens_issued_total{grant_type=\"client_credentials\"} 1"));
        assert!(r.contains("latchkey_token_failures_total{reason=\"wrong_secret\"} 2"));
        assert!(r.contains("latchkey_token_request_duration_seconds_bucket{le=\"0.0005\"} 1"));
        assert!(r.contains("latchkey_token_request_duration_seconds_bucket{le=\"+Inf\"} 2"));
        assert!(r.contains("latchkey_http_responses_total{class=\"2xx\"} 1"));
    }
}

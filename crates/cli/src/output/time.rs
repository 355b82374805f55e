//! Instants and durations for people: the API writes instants as strings of milliseconds since
//! the epoch (as Adobe's I/O Management API does); tables show them as UTC dates.

use std::time::Duration;

use latchkey_core::time::{UnixMillis, utc_seconds};

/// `"1714564800000"` → `"2024-05-01 12:00:00 UTC"`; `"0"` → `"never"`; anything else as given.
pub fn millis(ms: &str) -> String {
    match ms.parse::<i64>() {
        Ok(0) => "never".to_owned(),
        Ok(ms) => utc_seconds(UnixMillis(ms)),
        Err(_) => ms.to_owned(),
    }
}

/// A duration as people say it: `45 s`, `10 min`, `23 h 59 min`.
pub fn span(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..60 => format!("{s} s"),
        60..3600 => format!("{} min", s / 60),
        _ => format!("{} h {} min", s / 3600, s % 3600 / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn milliseconds_become_utc_dates() {
        assert_eq!(millis("1714564800000"), "2024-05-01 12:00:00 UTC");
        assert_eq!(millis("1682448485000"), "2023-04-25 18:48:05 UTC");
        assert_eq!(millis("951782400000"), "2000-02-29 00:00:00 UTC");
        assert_eq!(millis("0"), "never");
        assert_eq!(millis("PERMANENT"), "PERMANENT");
    }

    #[test]
    fn spans_read_naturally() {
        assert_eq!(span(Duration::from_secs(45)), "45 s");
        assert_eq!(span(Duration::from_secs(600)), "10 min");
        assert_eq!(span(Duration::from_secs(86_399)), "23 h 59 min");
    }
}

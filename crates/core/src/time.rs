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

/// Calendar fields of an instant (UTC, proleptic Gregorian).
struct Civil {
    year: i64,
    month: i64,
    day: i64,
    weekday: usize,
    seconds_of_day: i64,
    millis: i64,
}

fn civil(t: UnixMillis) -> Civil {
    let millis = t.0.rem_euclid(1000);
    let secs = t.0.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    // Civil-from-days (H. Hinnant).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    Civil {
        year: yoe + era * 400 + i64::from(month <= 2),
        month,
        day: doy - (153 * mp + 2) / 5 + 1,
        weekday: usize::try_from(days.rem_euclid(7)).unwrap_or(0),
        seconds_of_day: secs.rem_euclid(86_400),
        millis,
    }
}

/// Adobe's human date form, as the I/O Management API writes `created_at_str`:
/// `Tue, Apr 25 2023 18:48:05.000 UTC`.
pub fn ims_date_string(t: UnixMillis) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let c = civil(t);
    let sod = c.seconds_of_day;
    format!(
        "{}, {} {} {} {:02}:{:02}:{:02}.{:03} UTC",
        DAYS[c.weekday],
        MONTHS[usize::try_from(c.month - 1).unwrap_or(0)],
        c.day,
        c.year,
        sod / 3600,
        (sod % 3600) / 60,
        sod % 60,
        c.millis
    )
}

/// RFC 3339 in UTC with milliseconds: `2023-04-25T18:48:05.000Z` (AEM's `repo:createDate`).
pub fn rfc3339(t: UnixMillis) -> String {
    let c = civil(t);
    let sod = c.seconds_of_day;
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        c.year,
        c.month,
        c.day,
        sod / 3600,
        (sod % 3600) / 60,
        sod % 60,
        c.millis
    )
}

/// UTC to the second, for people: `2023-04-25 18:48:05 UTC` (the CLI's tables).
pub fn utc_seconds(t: UnixMillis) -> String {
    let c = civil(t);
    let sod = c.seconds_of_day;
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC",
        c.year,
        c.month,
        c.day,
        sod / 3600,
        (sod % 3600) / 60,
        sod % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_strings() {
        assert_eq!(
            rfc3339(UnixMillis(1_682_448_485_007)),
            "2023-04-25T18:48:05.007Z"
        );
        assert_eq!(
            rfc3339(UnixMillis(951_782_400_000)),
            "2000-02-29T00:00:00.000Z"
        );
    }

    #[test]
    fn ims_date_strings_match_adobe_examples() {
        assert_eq!(
            ims_date_string(UnixMillis(1_682_448_485_000)),
            "Tue, Apr 25 2023 18:48:05.000 UTC"
        );
        assert_eq!(
            ims_date_string(UnixMillis(1_683_005_777_000)),
            "Tue, May 2 2023 05:36:17.000 UTC"
        );
        assert_eq!(
            ims_date_string(UnixMillis(0)),
            "Thu, Jan 1 1970 00:00:00.000 UTC"
        );
        assert_eq!(
            ims_date_string(UnixMillis(951_782_400_123)),
            "Tue, Feb 29 2000 00:00:00.123 UTC"
        );
    }
}

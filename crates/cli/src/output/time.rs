//! Instants for people: the API writes them as strings of milliseconds since the epoch (as
//! Adobe's I/O Management API does); tables show them as UTC dates.

/// `"1714564800000"` → `"2024-05-01 12:00:00 UTC"`; `"0"` → `"never"`; anything else as given.
pub fn millis(ms: &str) -> String {
    match ms.parse::<i64>() {
        Ok(0) => "never".to_owned(),
        Ok(ms) => utc(ms.div_euclid(1000)),
        Err(_) => ms.to_owned(),
    }
}

/// Seconds since the epoch as a UTC date and time.
fn utc(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant, "chrono-compatible
/// low-level date algorithms").
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
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
}

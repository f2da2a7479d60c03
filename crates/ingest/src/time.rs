//! Dates and times shared by the readers and the analyses: a UTC formatter and a parser for the
//! time keys of histories (`2024-01-05`, `2024-01-05T02:00:00Z`).

/// Epoch milliseconds as `YYYY-MM-DDTHH:MM:SSZ` (proleptic Gregorian, UTC, whole seconds rounded
/// down); `None` outside the years 1970–9999.
///
/// ```
/// use perfstat_ingest::time::format_utc;
/// assert_eq!(format_utc(1_700_000_000_000.0).as_deref(), Some("2023-11-14T22:13:20Z"));
/// assert_eq!(format_utc(-1.0), None);
/// ```
#[must_use]
pub fn format_utc(epoch_ms: f64) -> Option<String> {
    if !(0.0..253_402_300_800_000.0).contains(&epoch_ms) {
        return None;
    }
    #[allow(clippy::cast_possible_truncation)]
    let secs = (epoch_ms / 1000.0).floor() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    ))
}

/// The civil date (year, month 1–12, day 1–31) of a day count since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// Epoch milliseconds of a date (`YYYY-MM-DD`, midnight UTC) or an RFC 3339 date and time
/// (`YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM]`, `T` or a space between); `None` for anything else.
///
/// ```
/// use perfstat_ingest::time::parse_time_ms;
/// assert_eq!(parse_time_ms("1970-01-02"), Some(86_400_000.0));
/// assert_eq!(parse_time_ms("1970-01-01T00:00:01Z"), Some(1000.0));
/// assert_eq!(parse_time_ms("t1"), None);
/// ```
#[must_use]
pub fn parse_time_ms(text: &str) -> Option<f64> {
    let t = text.trim().as_bytes();
    if t.len() == 10 {
        let mut full = t.to_vec();
        full.extend_from_slice(b"T00:00:00Z");
        return crate::formats::parse_rfc3339_ms(&full);
    }
    crate::formats::parse_rfc3339_ms(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_over_leap_years() {
        for s in [
            "1970-01-01T00:00:00Z",
            "2000-02-29T23:59:59Z",
            "2024-12-31T12:00:00Z",
            "2100-03-01T00:00:00Z",
        ] {
            let ms = parse_time_ms(s).unwrap();
            assert_eq!(format_utc(ms).as_deref(), Some(s));
        }
        assert_eq!(format_utc(253_402_300_800_000.0), None);
        assert_eq!(parse_time_ms("2024-13-01"), None);
    }
}

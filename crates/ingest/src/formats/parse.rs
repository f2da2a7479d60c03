//! Fields of tools' outputs: numbers at a position, HTTP statuses, epoch and RFC 3339 timestamps.

use super::unit::parse_scaled;
use crate::{
    dataset::bad_value_kind,
    error::{Error, Position, Result},
};

/// `n` in decimal, into `buf`.
pub(crate) fn format_u16(n: u16, buf: &mut [u8; 5]) -> &[u8] {
    let mut i = buf.len();
    let mut n = n;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &buf[i..]
}

/// Whether an HTTP status counts as success (k6's default expected statuses: 200–399).
pub(crate) fn ok_status(status: u16) -> bool {
    (200..400).contains(&status)
}

/// An HTTP status: the leading integer of the field (`200`, `Non HTTP response code: ...` → 0).
pub(crate) fn parse_status(bytes: &[u8]) -> u16 {
    let t = bytes.trim_ascii();
    if t.is_empty() || t.len() > 5 || !t.iter().all(u8::is_ascii_digit) {
        return 0;
    }
    std::str::from_utf8(t)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// Parses a value of `column` scaled by `exp10`, as a row error at `line`/`col` (1-based field index).
pub(crate) fn value_at(
    name: &str,
    column: &str,
    bytes: &[u8],
    exp10: i32,
    line: u64,
    col: Option<usize>,
) -> Result<f64> {
    parse_scaled(bytes, exp10).map_err(|bad| {
        let position = Position {
            line,
            column: col.map(|c| c as u64 + 1),
        };
        Error::row(name, position, bad_value_kind(column, bytes, bad))
    })
}

/// An epoch timestamp in milliseconds: a number (seconds, milliseconds, microseconds or nanoseconds,
/// told apart by magnitude) or an RFC 3339 date-time. `None` when it is neither.
pub(crate) fn parse_epoch_ms(bytes: &[u8]) -> Option<f64> {
    let t = bytes.trim_ascii();
    if t.is_empty() {
        return None;
    }
    if t.iter().all(|b| b.is_ascii_digit() || *b == b'.') {
        let v: f64 = fast_float2::parse(t).ok()?;
        let exp10 = if v < 1e11 {
            3
        } else if v < 1e14 {
            0
        } else if v < 1e17 {
            -3
        } else {
            -6
        };
        return parse_scaled(t, exp10).ok();
    }
    parse_rfc3339_ms(t)
}

/// An RFC 3339 date-time (`2025-03-14T10:26:53.0316377+01:00`, `...Z`, a space for `T`) as epoch ms.
pub(crate) fn parse_rfc3339_ms(t: &[u8]) -> Option<f64> {
    fn num(b: &[u8]) -> Option<i64> {
        if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(b.iter().fold(0i64, |n, d| n * 10 + i64::from(d - b'0')))
    }
    if t.len() < 19 {
        return None;
    }
    let (year, month, day) = (num(&t[0..4])?, num(&t[5..7])?, num(&t[8..10])?);
    if t[4] != b'-' || t[7] != b'-' || !matches!(t[10], b'T' | b't' | b' ') {
        return None;
    }
    let (h, m, s) = (num(&t[11..13])?, num(&t[14..16])?, num(&t[17..19])?);
    if t[13] != b':' || t[16] != b':' || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut rest = &t[19..];
    let mut frac_ms = 0.0;
    if let Some(r) = rest.strip_prefix(b".") {
        let n = r.iter().take_while(|b| b.is_ascii_digit()).count();
        if n == 0 {
            return None;
        }
        let digits = &r[..n.min(15)];
        frac_ms = num(digits)? as f64 / 10f64.powi(digits.len() as i32) * 1000.0;
        rest = &r[n..];
    }
    let offset_min = match rest {
        b"Z" | b"z" | b"" => 0,
        [sign @ (b'+' | b'-'), oh1, oh2, b':', om1, om2] => {
            let v = num(&[*oh1, *oh2])? * 60 + num(&[*om1, *om2])?;
            if *sign == b'-' { -v } else { v }
        }
        _ => return None,
    };
    // Days from civil (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + h * 3600 + m * 60 + s - offset_min * 60;
    Some(secs as f64 * 1000.0 + frac_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339() {
        assert_eq!(parse_rfc3339_ms(b"1970-01-01T00:00:00Z"), Some(0.0));
        assert_eq!(
            parse_rfc3339_ms(b"2025-03-14T10:26:53+01:00"),
            Some(1_741_944_413_000.0)
        );
        let v = parse_rfc3339_ms(b"2025-03-14T10:26:53.0316377+01:00").unwrap();
        assert!((v - 1_741_944_413_031.637_7).abs() < 1e-3);
        assert_eq!(parse_rfc3339_ms(b"2025-13-14T10:26:53Z"), None);
        assert_eq!(parse_rfc3339_ms(b"garbage"), None);
    }

    #[test]
    fn epoch_by_magnitude() {
        assert_eq!(parse_epoch_ms(b"1741944413"), Some(1_741_944_413_000.0));
        assert_eq!(parse_epoch_ms(b"1741944413120"), Some(1_741_944_413_120.0));
        assert_eq!(
            parse_epoch_ms(b"1741944413000009171"),
            Some(1_741_944_413_000.009_2)
        );
    }
}

//! Units of time and the decimal scaling that converts values to milliseconds.

use std::{fmt, str::FromStr};

use super::parse::format_u16;
use crate::dataset::BadValue;

/// A unit of time, for [`ReadOptions::unit`](crate::ReadOptions::unit): values of a generic input are converted from it to
/// milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Unit {
    /// Nanoseconds (`ns`).
    Nanoseconds,
    /// Microseconds (`us`, `µs`).
    Microseconds,
    /// Milliseconds (`ms`).
    Milliseconds,
    /// Seconds (`s`).
    Seconds,
}

impl Unit {
    /// The unit's symbol: `ns`, `us`, `ms`, `s`.
    pub fn name(self) -> &'static str {
        match self {
            Unit::Nanoseconds => "ns",
            Unit::Microseconds => "us",
            Unit::Milliseconds => "ms",
            Unit::Seconds => "s",
        }
    }

    /// The power of ten that converts this unit to milliseconds (`s` → 3, `ns` → −6).
    pub fn exp10_to_ms(self) -> i32 {
        match self {
            Unit::Nanoseconds => -6,
            Unit::Microseconds => -3,
            Unit::Milliseconds => 0,
            Unit::Seconds => 3,
        }
    }

    /// Converts a value in this unit to milliseconds, as if the decimal point of its shortest decimal
    /// representation had been moved (so `0.0161` s is exactly the `f64` nearest to `16.1` ms).
    pub fn to_ms(self, value: f64) -> f64 {
        scale_f64(value, self.exp10_to_ms())
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error of parsing a [`Unit`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown unit \"{0}\"; expected one of: ms, s, us, ns")]
pub struct UnknownUnit(pub String);

impl FromStr for Unit {
    type Err = UnknownUnit;

    /// Accepts `ns`, `us` (or `µs`), `ms`, `s` (ASCII case ignored).
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ns" => Ok(Unit::Nanoseconds),
            "us" | "µs" => Ok(Unit::Microseconds),
            "ms" => Ok(Unit::Milliseconds),
            "s" => Ok(Unit::Seconds),
            _ => Err(UnknownUnit(s.to_owned())),
        }
    }
}

/// Parses a decimal number and moves its decimal point by `exp10` places (a unit conversion done in
/// decimal, so `0.0161` with 3 is the `f64` nearest to 16.1). Surrounding ASCII white space is ignored.
pub(crate) fn parse_scaled(bytes: &[u8], exp10: i32) -> Result<f64, BadValue> {
    let t = bytes.trim_ascii();
    if exp10 == 0 || t.len() > 48 || t.iter().any(|&b| b == b'e' || b == b'E') {
        let v = crate::dataset::parse_value(t)?;
        return crate::dataset::to_ms(v, exp10);
    }
    if t.is_empty() {
        return Err(BadValue::NotANumber);
    }
    let mut buf = [0u8; 64];
    buf[..t.len()].copy_from_slice(t);
    let mut n = t.len();
    buf[n] = b'e';
    n += 1;
    let mut exp = [0u8; 5];
    let digits = format_u16(exp10.unsigned_abs() as u16, &mut exp);
    if exp10 < 0 {
        buf[n] = b'-';
        n += 1;
    }
    buf[n..n + digits.len()].copy_from_slice(digits);
    n += digits.len();
    match fast_float2::parse::<f64, _>(&buf[..n]) {
        Ok(v) if v.is_finite() => Ok(v),
        // Finite as written, infinite once scaled: an overflow.
        Ok(_) => match crate::dataset::parse_value(t) {
            Ok(_) => Err(BadValue::Overflow),
            Err(bad) => Err(bad),
        },
        Err(_) => Err(BadValue::NotANumber),
    }
}

/// Moves the decimal point of `v`'s shortest decimal representation by `exp10` places.
pub(crate) fn scale_f64(v: f64, exp10: i32) -> f64 {
    if exp10 == 0 || !v.is_finite() || v == 0.0 {
        return v;
    }
    // Integers (as from JSON) below 2^53 are exact: one correctly rounded operation suffices.
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        let p = 10f64.powi(exp10.abs());
        return if exp10 > 0 { v * p } else { v / p };
    }
    let text = format!("{v:e}");
    let (mantissa, exp) = text.split_once('e').unwrap_or((&text, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    format!("{mantissa}e{}", exp + exp10)
        .parse()
        .unwrap_or(v * 10f64.powi(exp10))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_scaling() {
        assert_eq!(parse_scaled(b"0.0161", 3), Ok(16.1));
        assert_eq!(parse_scaled(b"19130993", -6), Ok(19.130993));
        assert_eq!(parse_scaled(b" 12 ", 0), Ok(12.0));
        assert_eq!(parse_scaled(b"1.5e-3", 3), Ok(1.5));
        assert!(parse_scaled(b"x", 3).is_err());
        assert!(parse_scaled(b"", 3).is_err());
        assert_eq!(parse_scaled(b"1e308", 3), Err(BadValue::Overflow));
        assert_eq!(parse_scaled(b"-1.797e308", 3), Err(BadValue::Overflow));
        let big = format!("1{}", "0".repeat(306));
        assert_eq!(parse_scaled(big.as_bytes(), 3), Err(BadValue::Overflow));
        assert_eq!(parse_scaled(b"1e400", 3), Err(BadValue::NonFinite));
        assert_eq!(parse_scaled(b"5e-324", -6), Ok(0.0));
        assert_eq!(parse_scaled(b"1.797e308", -6), Ok(1.797e302));
        assert_eq!(scale_f64(0.0161, 3), 16.1);
        assert_eq!(scale_f64(19_130_993.0, -6), 19.130993);
    }
}

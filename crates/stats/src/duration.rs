//! One grammar for durations: `800ms`, `0.8s`, `100us`, `100µs`, `250ns`, `2m`, `2min`, `1h`, `1.5e3ms`.
//!
//! A duration is a non-negative decimal number (digits, an optional fraction, an optional exponent;
//! no sign) followed by a unit, optionally separated by spaces. Units (case-insensitive):
//!
//! | unit | meaning |
//! |---|---|
//! | `ns` | nanoseconds |
//! | `us`, `µs` (micro sign or Greek mu) | microseconds |
//! | `ms` | milliseconds |
//! | `s`, `sec` | seconds |
//! | `m`, `min` | minutes |
//! | `h` | hours |
//!
//! What a bare number (`800`) means is the caller's choice, stated in its help: [`parse_duration`]
//! takes it as a [`TimeUnit`], or rejects it with `None` (then a bare number may mean something else to
//! the caller, as a count does for `--warmup 500`). [`Duration`]'s [`FromStr`] requires a unit.
//!
//! ```
//! use perfstat_stats::duration::{Duration, TimeUnit, parse_duration};
//! assert_eq!(parse_duration("1h", None)?.seconds(), 3600.0);
//! assert_eq!(parse_duration("100us", None)?.millis(), 0.1);
//! assert_eq!(parse_duration("800", Some(TimeUnit::Millisecond))?.seconds(), 0.8);
//! assert!(parse_duration("800", None).is_err());
//! let d: Duration = "2min".parse()?;
//! assert_eq!(d.in_unit(TimeUnit::Second), 120.0);
//! # Ok::<(), perfstat_stats::duration::DurationError>(())
//! ```

use std::fmt;
use std::str::FromStr;

/// A unit of time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimeUnit {
    /// `ns`.
    Nanosecond,
    /// `us` / `µs`.
    Microsecond,
    /// `ms`.
    Millisecond,
    /// `s`.
    Second,
    /// `min` (also `m`).
    Minute,
    /// `h`.
    Hour,
}

impl TimeUnit {
    /// Seconds in one of this unit.
    #[must_use]
    pub fn seconds(self) -> f64 {
        match self {
            Self::Nanosecond => 1e-9,
            Self::Microsecond => 1e-6,
            Self::Millisecond => 1e-3,
            Self::Second => 1.0,
            Self::Minute => 60.0,
            Self::Hour => 3600.0,
        }
    }

    /// The unit's canonical name: `ns`, `us`, `ms`, `s`, `min`, `h`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Nanosecond => "ns",
            Self::Microsecond => "us",
            Self::Millisecond => "ms",
            Self::Second => "s",
            Self::Minute => "min",
            Self::Hour => "h",
        }
    }

    /// The unit named `name` (case-insensitive; `µs`/`μs` for microseconds, `m` and `sec` as aliases).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name.trim().to_lowercase().as_str() {
            "ns" => Self::Nanosecond,
            "us" | "µs" | "μs" => Self::Microsecond,
            "ms" => Self::Millisecond,
            "s" | "sec" => Self::Second,
            "m" | "min" => Self::Minute,
            "h" => Self::Hour,
            _ => return None,
        })
    }
}

/// A non-negative, finite span of time.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub struct Duration {
    seconds: f64,
}

impl Duration {
    /// A duration of `seconds` (must be finite and ≥ 0).
    ///
    /// # Errors
    /// [`DurationError`] for a negative, NaN or infinite value.
    pub fn from_seconds(seconds: f64) -> Result<Self, DurationError> {
        if seconds.is_finite() && seconds >= 0.0 {
            Ok(Self { seconds })
        } else {
            Err(DurationError {
                text: seconds.to_string(),
                kind: DurationErrorKind::OutOfRange,
            })
        }
    }

    /// The duration in seconds.
    #[must_use]
    pub fn seconds(self) -> f64 {
        self.seconds
    }

    /// The duration in milliseconds.
    #[must_use]
    pub fn millis(self) -> f64 {
        self.in_unit(TimeUnit::Millisecond)
    }

    /// The duration as a number of `unit`s.
    #[must_use]
    pub fn in_unit(self, unit: TimeUnit) -> f64 {
        match unit {
            // Multiply by the integer factor, so that 0.8 s is exactly 800 ms.
            TimeUnit::Nanosecond => self.seconds * 1e9,
            TimeUnit::Microsecond => self.seconds * 1e6,
            TimeUnit::Millisecond => self.seconds * 1e3,
            other => self.seconds / other.seconds(),
        }
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}s", self.seconds)
    }
}

/// Why a duration did not parse.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid duration {text:?}: {kind}")]
pub struct DurationError {
    /// The text as given.
    pub text: String,
    /// What is wrong with it.
    pub kind: DurationErrorKind,
}

/// What is wrong with a duration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DurationErrorKind {
    /// No number (or a malformed one) before the unit.
    #[error("expected a number followed by a unit (ns, us, ms, s, min, h), e.g. 800ms")]
    Number,
    /// A number without a unit where the caller gives a bare number no meaning.
    #[error("a unit is required (ns, us, ms, s, min, h), e.g. 800ms")]
    MissingUnit,
    /// An unknown unit.
    #[error("unknown unit (use ns, us, ms, s, min or h)")]
    Unit,
    /// Negative, or too large for a number.
    #[error("must be a finite, non-negative duration")]
    OutOfRange,
    /// Zero where a positive duration is needed.
    #[error("must be a positive duration")]
    NotPositive,
}

/// Parses `text` as a duration; a bare number is in `bare` units, or an error
/// ([`DurationErrorKind::MissingUnit`]) when `bare` is `None`.
///
/// # Errors
/// [`DurationError`] naming the text and what is wrong.
pub fn parse_duration(text: &str, bare: Option<TimeUnit>) -> Result<Duration, DurationError> {
    let err = |kind| DurationError {
        text: text.to_owned(),
        kind,
    };
    let t = text.trim();
    let split = number_len(t);
    let (num, unit) = t.split_at(split);
    if num.is_empty() {
        return Err(err(DurationErrorKind::Number));
    }
    let value: f64 = num.parse().map_err(|_| err(DurationErrorKind::Number))?;
    let unit = unit.trim();
    let unit = if unit.is_empty() {
        bare.ok_or_else(|| err(DurationErrorKind::MissingUnit))?
    } else {
        TimeUnit::from_name(unit).ok_or_else(|| {
            if unit.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
                err(DurationErrorKind::Number)
            } else {
                err(DurationErrorKind::Unit)
            }
        })?
    };
    let seconds = match unit {
        // Divide by an exact integer where possible, so that 800ms is exactly 0.8 s as a literal.
        TimeUnit::Nanosecond => value / 1e9,
        TimeUnit::Microsecond => value / 1e6,
        TimeUnit::Millisecond => value / 1e3,
        other => value * other.seconds(),
    };
    if seconds.is_finite() && seconds >= 0.0 {
        Ok(Duration { seconds })
    } else {
        Err(err(DurationErrorKind::OutOfRange))
    }
}

/// A positive duration in seconds; a bare number is seconds (`60s`, `2m`, `1500ms`, `30`).
///
/// # Errors
/// [`DurationError`]: malformed, or not positive ([`DurationErrorKind::NotPositive`]).
pub fn parse_positive_seconds(text: &str) -> Result<f64, DurationError> {
    let v = parse_duration(text, Some(TimeUnit::Second))?.seconds();
    if v > 0.0 {
        Ok(v)
    } else {
        Err(DurationError {
            text: text.to_owned(),
            kind: DurationErrorKind::NotPositive,
        })
    }
}

/// A positive duration in units of `unit_seconds` seconds (`800ms` → 800 for data in ms, 0.8
/// for data in s); a bare number is already in that unit. With `unit_seconds` unknown (`None`),
/// milliseconds are assumed, and the `bool` says so.
///
/// # Errors
/// [`DurationError`]: malformed, or not positive.
pub fn parse_in_unit(text: &str, unit_seconds: Option<f64>) -> Result<(f64, bool), DurationError> {
    if let Ok(v) = text.trim().parse::<f64>() {
        if v.is_finite() && v > 0.0 {
            return Ok((v, false));
        }
        return Err(DurationError {
            text: text.to_owned(),
            kind: DurationErrorKind::NotPositive,
        });
    }
    let seconds = parse_positive_seconds(text)?;
    Ok(match unit_seconds {
        Some(per_unit) => (seconds / per_unit, false),
        None => (seconds / 1e-3, true),
    })
}

/// Length of the leading unsigned decimal number of `t` (digits, `.`, then an exponent `e±d` only
/// when digits follow it, so that `5e` is not mistaken for an exponent).
fn number_len(t: &str) -> usize {
    let b = t.as_bytes();
    let mut i = 0;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
        i += 1;
    }
    if i > 0 && i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        let digits = j;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j > digits {
            i = j;
        }
    }
    i
}

impl FromStr for Duration {
    type Err = DurationError;

    /// A duration with a unit (a bare number is an error).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_duration(s, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positive_seconds_and_units() {
        assert_eq!(parse_positive_seconds("60s").unwrap(), 60.0);
        assert_eq!(parse_positive_seconds("2m").unwrap(), 120.0);
        assert_eq!(parse_positive_seconds("1500ms").unwrap(), 1.5);
        assert_eq!(parse_positive_seconds("30").unwrap(), 30.0);
        assert!(parse_positive_seconds("0s").is_err());
        assert!(parse_positive_seconds("5 parsecs").is_err());
        assert_eq!(parse_in_unit("800ms", Some(1e-3)).unwrap(), (800.0, false));
        assert!((parse_in_unit("800ms", Some(1.0)).unwrap().0 - 0.8).abs() < 1e-12);
        assert_eq!(parse_in_unit("1.5s", Some(1e-3)).unwrap(), (1500.0, false));
        assert_eq!(parse_in_unit("250", Some(1e-3)).unwrap(), (250.0, false));
        assert_eq!(parse_in_unit("1s", None).unwrap(), (1000.0, true));
        assert!(parse_in_unit("0", None).is_err());
    }

    fn secs(s: &str) -> f64 {
        parse_duration(s, None).unwrap().seconds()
    }

    #[test]
    fn every_unit() {
        assert_eq!(secs("250ns"), 250e-9);
        assert_eq!(secs("100us"), 1e-4);
        assert_eq!(secs("100µs"), 1e-4);
        assert_eq!(secs("100μs"), 1e-4);
        assert_eq!(secs("800ms"), 0.8);
        assert_eq!(secs("0.8s"), 0.8);
        assert_eq!(secs("30 sec"), 30.0);
        assert_eq!(secs("2m"), 120.0);
        assert_eq!(secs("2min"), 120.0);
        assert_eq!(secs("1h"), 3600.0);
        assert_eq!(secs("1.5H"), 5400.0);
        assert_eq!(secs("1e3ms"), 1.0);
        assert_eq!(secs("0s"), 0.0);
        assert_eq!(parse_duration("800ms", None).unwrap().millis(), 800.0);
        assert_eq!(parse_duration("1h", None).unwrap().millis(), 3_600_000.0);
    }

    #[test]
    fn bare_numbers_are_the_callers_choice() {
        let ms = Some(TimeUnit::Millisecond);
        assert_eq!(parse_duration("800", ms).unwrap().seconds(), 0.8);
        assert_eq!(
            parse_duration("60", Some(TimeUnit::Second))
                .unwrap()
                .seconds(),
            60.0
        );
        let e = parse_duration("800", None).unwrap_err();
        assert_eq!(e.kind, DurationErrorKind::MissingUnit);
        assert!("800".parse::<Duration>().is_err());
    }

    #[test]
    fn malformed() {
        for (text, kind) in [
            ("", DurationErrorKind::Number),
            ("ms", DurationErrorKind::Number),
            ("-5s", DurationErrorKind::Number),
            ("+5s", DurationErrorKind::Number),
            ("1.2.3s", DurationErrorKind::Number),
            ("5 parsecs", DurationErrorKind::Unit),
            ("5d", DurationErrorKind::Unit),
            ("5e", DurationErrorKind::Unit),
            ("1e400s", DurationErrorKind::OutOfRange),
            ("5s5", DurationErrorKind::Unit),
        ] {
            let e = parse_duration(text, None).unwrap_err();
            assert_eq!(e.kind, kind, "{text:?}");
            assert!(e.to_string().contains(&format!("{text:?}")), "{e}");
        }
    }
}

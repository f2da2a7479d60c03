//! Confidence levels and intervals.

use crate::error::{Error, Result};

/// A confidence level strictly between 0 and 1 (e.g. 0.95).
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub struct Confidence(f64);

impl Confidence {
    /// The conventional 95 % level.
    pub const DEFAULT: Self = Self(0.95);

    /// Validates a level in (0, 1).
    ///
    /// # Errors
    /// [`Error::Confidence`] when `level` is not strictly between 0 and 1.
    pub fn new(level: f64) -> Result<Self> {
        if level > 0.0 && level < 1.0 {
            Ok(Self(level))
        } else {
            Err(Error::Confidence(level))
        }
    }

    /// The level, e.g. 0.95.
    #[must_use]
    pub fn level(self) -> f64 {
        self.0
    }

    /// The two-sided tail probability on each side, (1 − level) / 2.
    #[must_use]
    pub fn tail(self) -> f64 {
        (1.0 - self.0) / 2.0
    }
}

impl std::str::FromStr for Confidence {
    type Err = crate::fraction::FractionError;

    /// `0.95` or `95%` ([`parse_level`](crate::fraction::parse_level)).
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        crate::fraction::parse_level(s).map(Self)
    }
}

impl Default for Confidence {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// A closed interval `[lower, upper]`.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Interval {
    /// Lower bound.
    pub lower: f64,
    /// Upper bound.
    pub upper: f64,
}

impl Interval {
    /// Whether `x` lies in the interval (bounds included).
    #[must_use]
    pub fn contains(&self, x: f64) -> bool {
        self.lower <= x && x <= self.upper
    }
}

/// A point estimate with its interval.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Estimate {
    /// The point estimate.
    pub estimate: f64,
    /// Lower bound of the interval.
    pub lower: f64,
    /// Upper bound of the interval.
    pub upper: f64,
}

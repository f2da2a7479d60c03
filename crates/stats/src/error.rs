//! Errors and the "undefined statistic" value.

/// Why a statistic has no value for this data.
///
/// An undefined statistic is not a program failure: it is reported as `null`
/// with this reason, never replaced by an invented number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Undefined {
    /// The statistic needs more values than the sample has.
    #[error("needs at least {need} values, got {got}")]
    TooFew {
        /// The smallest sample size for which the statistic is defined.
        need: usize,
        /// The sample size at hand.
        got: usize,
    },
    /// The statistic divides by the spread and all values are equal.
    #[error("all values are equal (zero variance)")]
    ZeroVariance,
    /// The median absolute deviation is zero, so modified z-scores are undefined.
    #[error("the median absolute deviation is zero")]
    ZeroMad,
    /// The sample is too small for an interval at the requested confidence.
    #[error("too few values for an interval at this confidence")]
    TooFewForConfidence,
    /// Outside the range over which the method is valid (e.g. Shapiro–Wilk above n = 5000).
    #[error("outside the range where the method is valid")]
    OutOfRange,
    /// The value (or an end of the interval) is beyond the largest finite f64, about ±1.8e308.
    #[error("beyond the floating-point range (magnitude above 1.8e308)")]
    Overflow,
}

/// A statistic that may be undefined for the data at hand.
pub type Stat<T> = Result<T, Undefined>;

/// Errors of the statistics crate: invalid arguments, never undefined statistics.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A sample was built from no values.
    #[error("the sample is empty")]
    Empty,
    /// A sample value is NaN or infinite.
    #[error("value {value} at position {index} is not finite")]
    NonFinite {
        /// 0-based position of the value in the input.
        index: usize,
        /// The value found.
        value: f64,
    },
    /// A confidence level outside (0, 1).
    #[error("confidence must be strictly between 0 and 1, got {0}")]
    Confidence(f64),
    /// A probability (quantile level, alpha) outside its valid range.
    #[error("probability must be within [0, 1], got {0}")]
    Probability(f64),
    /// Another invalid argument, described.
    #[error("invalid argument: {0}")]
    Invalid(String),
}

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

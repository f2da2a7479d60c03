//! Typed errors of the capacity crate.

use thiserror::Error;

/// Result alias of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can be wrong with the input of a capacity analysis.
///
/// The library never panics on user data; every problem is one of these
/// variants, naming the level or source a user needs to fix.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum Error {
    /// Fewer distinct load levels than the Universal Scalability Law has parameters.
    #[error(
        "too few load levels for a scalability fit: got {got}, need at least {need} \
         (the Universal Scalability Law has 3 parameters: λ, σ, κ; 6 or more levels are recommended)"
    )]
    TooFewLevels {
        /// Distinct levels given.
        got: usize,
        /// Distinct levels needed.
        need: usize,
    },
    /// A load level that is not a finite positive number.
    #[error("{run}: load level {level} is not a finite positive number")]
    InvalidLevel {
        /// Where the level came from (a file name or a table row).
        run: String,
        /// The level given.
        level: f64,
    },
    /// Replicates of one level that are not of one kind (per-request runs
    /// and rows of aggregates cannot be merged).
    #[error(
        "load level {level} has a per-request run and a row of aggregates ({first} and \
         {second}): replicates of a level must be of one kind"
    )]
    DuplicateLevel {
        /// The level.
        level: f64,
        /// The first source with this level.
        first: String,
        /// The second source with this level.
        second: String,
    },
    /// A run's duration is not a finite positive number of seconds.
    #[error("{run}: duration {duration_s} s is not a positive number")]
    InvalidDuration {
        /// The run (file name or table row).
        run: String,
        /// The duration given.
        duration_s: f64,
    },
    /// More failed requests than requests.
    #[error("{run}: {failed} failed requests out of {total} in total")]
    FailedExceedTotal {
        /// The run.
        run: String,
        /// Failed requests.
        failed: u64,
        /// All requests.
        total: u64,
    },
    /// A run without requests.
    #[error("{run}: no requests")]
    NoRequests {
        /// The run.
        run: String,
    },
    /// A run's latencies are not a sample (a non-finite value).
    #[error("{run}: {error}")]
    InvalidLatencies {
        /// The run.
        run: String,
        /// Why.
        error: perfstat_stats::Error,
    },
    /// An aggregate (throughput, a percentile, the mean) that is not a finite
    /// non-negative number.
    #[error("{run}: {quantity} {value} is not a finite non-negative number")]
    InvalidAggregate {
        /// The run (file name, table row, or `level N` for a fit point).
        run: String,
        /// `throughput`, `p50`, `p95`, `p99` or `mean`.
        quantity: &'static str,
        /// The value given.
        value: f64,
    },
    /// An error rate outside [0, 1].
    #[error("{run}: error rate {value} is outside [0, 1] (write 2 % as 0.02)")]
    InvalidErrorRate {
        /// The run.
        run: String,
        /// The value given.
        value: f64,
    },
    /// Throughput 0 at every level: nothing to fit.
    #[error("throughput is 0 at every level: nothing to fit")]
    ZeroThroughput,
    /// An objective a level cannot be judged on: the level does not measure
    /// what it constrains.
    #[error("{run}: the objective {objective:?} cannot be judged: {message}")]
    Objective {
        /// The run (file name or table row).
        run: String,
        /// The objective's text.
        objective: String,
        /// What is missing.
        message: String,
    },
    /// The p95 objective is not a positive number.
    #[error("invalid option: the p95 objective must be a positive duration, got {value}")]
    InvalidSloP95 {
        /// The value given.
        value: f64,
    },
    /// An objective whose threshold is not a finite non-negative number.
    #[error(
        "invalid option: the objective {objective:?} has a threshold that is not a finite \
         non-negative number"
    )]
    InvalidThreshold {
        /// The objective's text.
        objective: String,
    },
    /// A minimum success rate outside [0, 1].
    #[error("invalid option: the minimum success rate must be within 0 and 100 %, got {value}")]
    InvalidMinSuccess {
        /// The value given.
        value: f64,
    },
    /// A saturation tolerance outside (0, 1).
    #[error(
        "invalid option: the saturation tolerance must be strictly between 0 and 1, got {value}"
    )]
    InvalidSaturationTolerance {
        /// The value given.
        value: f64,
    },
    /// A latency unit that is not a positive number of seconds.
    #[error("invalid option: the latency unit must be a positive number of seconds, got {value}")]
    InvalidLatencyUnit {
        /// The value given.
        value: f64,
    },
    /// The least-squares fit did not converge.
    #[error("the scalability fit did not converge after {iterations} iterations")]
    NoConvergence {
        /// Iterations done.
        iterations: usize,
    },
}

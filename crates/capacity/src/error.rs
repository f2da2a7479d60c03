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
    /// The same load level was given twice.
    #[error("load level {level} is given twice ({first} and {second}); give one run per level")]
    DuplicateLevel {
        /// The level.
        level: f64,
        /// The first source with this level.
        first: String,
        /// The second source with this level.
        second: String,
    },
    /// A run has no usable measurement.
    #[error("{run}: {message}")]
    InvalidRun {
        /// The run (file name or table row).
        run: String,
        /// What is wrong.
        message: String,
    },
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
    /// An option outside its valid range.
    #[error("invalid option: {0}")]
    InvalidOption(String),
    /// The least-squares fit did not converge.
    #[error("the scalability fit did not converge after {iterations} iterations")]
    NoConvergence {
        /// Iterations done.
        iterations: usize,
    },
}

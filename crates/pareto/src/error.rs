//! Typed errors of the pareto crate.

use thiserror::Error;

/// Result alias of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can be wrong with the input of an analysis.
///
/// The library never panics on user data; every problem is one of these
/// variants, carrying the names (config ids, metric names) a user needs to fix it.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum Error {
    /// No configurations (or no points) were given.
    #[error("no configurations to compare: the input is empty")]
    Empty,
    /// No objectives were given.
    #[error("no objectives given (name at least one metric with a direction)")]
    NoObjectives,
    /// The same objective was named twice.
    #[error("objective `{0}` is given more than once")]
    DuplicateObjective(String),
    /// An objective names a metric that no configuration has.
    #[error("unknown objective `{name}`: no config has this metric; metrics found: {}", found.join(", "))]
    UnknownObjective {
        /// The objective (metric) name that was asked for.
        name: String,
        /// Every metric name present in at least one config, sorted.
        found: Vec<String>,
    },
    /// A constraint names a metric that no configuration has.
    #[error("unknown constraint metric `{name}`: no config has this metric; metrics found: {}", found.join(", "))]
    UnknownConstraintMetric {
        /// The metric the constraint refers to.
        name: String,
        /// Every metric name present in at least one config, sorted.
        found: Vec<String>,
    },
    /// A configuration lacks a metric that other configurations have and that is needed.
    #[error("config `{config}` has no metric `{metric}`")]
    MissingMetric {
        /// Id of the config missing the metric.
        config: String,
        /// The missing metric.
        metric: String,
    },
    /// A metric value is NaN or infinite.
    #[error("config `{config}`: metric `{metric}` is not a finite number ({value})")]
    NonFinite {
        /// Id of the offending config.
        config: String,
        /// Name of the offending metric.
        metric: String,
        /// The value (NaN or ±inf).
        value: f64,
    },
    /// A metric given as repeated measurements has no measurement.
    #[error("config `{config}`: metric `{metric}` is an empty list of measurements")]
    EmptySamples {
        /// Id of the offending config.
        config: String,
        /// Name of the offending metric.
        metric: String,
    },
    /// Two configurations share an id.
    #[error("duplicate config id `{0}`")]
    DuplicateId(String),
    /// The reference point does not have one value per objective.
    #[error("reference point has {got} values but there are {expected} objectives")]
    ReferenceLength {
        /// Number of objectives.
        expected: usize,
        /// Number of values given.
        got: usize,
    },
    /// The reference point names an objective that does not exist.
    #[error("reference point names `{0}`, which is not an objective")]
    UnknownReferenceObjective(String),
    /// A reference point value is NaN or infinite.
    #[error("reference point value for `{objective}` is not finite ({value})")]
    NonFiniteReference {
        /// Objective name.
        objective: String,
        /// The value.
        value: f64,
    },
    /// A flat matrix does not have a whole number of rows.
    #[error("matrix of {len} values is not a whole number of rows of {columns} objectives")]
    Shape {
        /// Number of values given.
        len: usize,
        /// Number of columns (objectives).
        columns: usize,
    },
    /// A value of a [`Points`](crate::Points) matrix is NaN or infinite.
    #[error("point {row}, objective {column}: value is not finite ({value})")]
    NonFinitePoint {
        /// Row (point) index.
        row: usize,
        /// Column (objective) index.
        column: usize,
        /// The value.
        value: f64,
    },
}

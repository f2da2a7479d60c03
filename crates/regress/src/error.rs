//! Errors of the regress crate: data, not preformatted messages; positioned ones display
//! compiler-style, `file:line:col: message`.

use std::fmt;

pub use perfstat_ingest::Position;

/// An error reading or writing a history, or configuring an analysis.
///
/// Undefined statistics are not errors: they are `Err(Undefined)` values
/// inside the results, with a reason.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A table or per-request file could not be read (ingest's positioned error: a bad cell, a
    /// ragged row, invalid UTF-8, …).
    #[error(transparent)]
    Input(#[from] perfstat_ingest::Error),
    /// The history (or the current run) is not usable, at a place or as a whole.
    #[error("{}: {kind}", At(source_name, *position))]
    History {
        /// The input's display name.
        source_name: String,
        /// Where, when it concerns one place.
        position: Option<Position>,
        /// What is wrong.
        kind: HistoryErrorKind,
    },
    /// A file could not be read or written.
    #[error("{source_name}: {source}")]
    Io {
        /// The file's display name.
        source_name: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A setting does not fit the data.
    #[error(transparent)]
    Config(#[from] ConfigError),
}

impl Error {
    pub(crate) fn at(
        source_name: &str,
        position: Option<Position>,
        kind: HistoryErrorKind,
    ) -> Self {
        Self::History {
            source_name: source_name.to_owned(),
            position,
            kind,
        }
    }

    pub(crate) fn whole(source_name: &str, kind: HistoryErrorKind) -> Self {
        Self::at(source_name, None, kind)
    }

    pub(crate) fn io(source_name: &str, source: std::io::Error) -> Self {
        Self::Io {
            source_name: source_name.to_owned(),
            source,
        }
    }
}

/// `name:line:col` or `name`.
struct At<'a>(&'a str, Option<Position>);

impl fmt::Display for At<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.1 {
            Some(p) => write!(f, "{}:{p}", self.0),
            None => f.write_str(self.0),
        }
    }
}

/// What is wrong with a history.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HistoryErrorKind {
    /// The input holds no bytes (or only white space).
    #[error("the file is empty")]
    Empty,
    /// Not UTF-8 text.
    #[error("invalid UTF-8")]
    InvalidUtf8,
    /// A JSON line does not parse.
    #[error("invalid JSON: {}", json_message(.0))]
    InvalidJson(serde_json::Error),
    /// A JSON line is not an object.
    #[error("expected one JSON object per line")]
    NotAnObject,
    /// A JSON field holds an array or an object.
    #[error("expected a number, a string or null in field \"{field}\", found {found}")]
    UnsupportedValue {
        /// The field.
        field: String,
        /// `an array` or `an object`.
        found: &'static str,
    },
    /// A metric value is not a number.
    #[error("expected a number in column \"{column}\", found {found}")]
    NotANumber {
        /// The column or field.
        column: String,
        /// The value as written (JSON).
        found: String,
    },
    /// A metric value is infinite.
    #[error("expected a finite number in column \"{column}\", found {found}")]
    NonFinite {
        /// The column or field.
        column: String,
        /// The value.
        found: String,
    },
    /// A long history's row has no metric name.
    #[error("empty metric name")]
    EmptyMetricName,
    /// A long history measures a metric twice in one run.
    #[error("\"{metric}\" measured twice in the same run (first on line {first_line})")]
    MeasuredTwice {
        /// The metric.
        metric: String,
        /// The line of the first measurement.
        first_line: u64,
    },
    /// A long history without a key column.
    #[error("a long history needs a time (or run id) column besides metric and value")]
    NoLongKey,
    /// A header and no runs.
    #[error("no runs (only a header?)")]
    NoRuns,
    /// No column holds numbers.
    #[error(
        "no metric column found (columns: key {key:?}, attributes {attributes:?}); a metric column holds numbers"
    )]
    NoMetric {
        /// The key column ("" when none).
        key: String,
        /// The attribute columns.
        attributes: Vec<String>,
    },
    /// The current run's file holds several runs.
    #[error("the current run must be one run (one row or object), found {found}")]
    NotOneRun {
        /// Runs found.
        found: usize,
    },
    /// Several rows and no single value column: neither a summary nor samples.
    #[error(
        "expected one run (a summary row) or per-request samples; found {rows} rows and no single value column"
    )]
    NeitherSummaryNorSamples {
        /// Rows read.
        rows: usize,
    },
    /// None of the statistics of per-request samples is a column of the history.
    #[error(
        "per-request samples ({requests} read as {format}): none of {} is a column of the history (columns: {})",
        .tried.join(", "), .columns.join(", ")
    )]
    NoMatchingStatistic {
        /// Requests read.
        requests: u64,
        /// The format they were read as.
        format: perfstat_ingest::InputFormat,
        /// The statistic names tried.
        tried: Vec<String>,
        /// The history's metric columns.
        columns: Vec<String>,
    },
    /// A run cannot be appended: the current run has no key to name it by.
    #[error("the current run has no time or run-id column ({}) to name the run by", crate::history::KEY_NAMES.join(", "))]
    NoKey,
}

/// What does not fit in the settings of an analysis.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A window of 0.
    #[error("the window must be at least 1 run")]
    Window,
    /// An alpha outside (0, 1).
    #[error("alpha must be strictly between 0 and 1, got {0}")]
    Alpha(f64),
    /// An override names no metric and no kind.
    #[error(
        "{setting} {target}: no metric of that name (metrics: {}; or a kind: latency, throughput, quality, cost, other)",
        .metrics.join(", ")
    )]
    UnknownTarget {
        /// `threshold` or `direction`.
        setting: &'static str,
        /// The name given.
        target: String,
        /// The history's metrics.
        metrics: Vec<String>,
    },
    /// A threshold that is not a positive finite fraction.
    #[error("threshold {target}: must be a positive finite fraction, got {value}")]
    Threshold {
        /// The name given.
        target: String,
        /// The value given.
        value: f64,
    },
    /// A history without runs.
    #[error("the history has no runs")]
    NoRuns,
    /// The multiple-testing adjustment failed (a bug).
    #[error("internal: {0}")]
    Adjustment(perfstat_stats::Error),
}

/// serde_json's message without its " at line L column C" suffix (the position is printed first).
fn json_message(err: &serde_json::Error) -> String {
    let text = err.to_string();
    let suffix = format!(" at line {} column {}", err.line(), err.column());
    text.strip_suffix(&suffix)
        .map_or(text.clone(), str::to_owned)
}

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

//! The errors of reading a configs file: where (file, line, column) and what.

use perfstat_ingest::Position;

use crate::objective::ParseObjectiveError;

/// An error reading a configs file.
///
/// It displays compiler-style, the place first: `configs.json:4:31: config `a`: …`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The delimited table (CSV/TSV) is malformed (invalid UTF-8, a ragged row, two
    /// columns of one name…): the table reader's positioned error.
    #[error(transparent)]
    Table(#[from] perfstat_ingest::Error),
    /// A problem in the configs file, at a position when it concerns a place in it.
    #[error("{file}{}: {kind}", position.map(|p| format!(":{p}")).unwrap_or_default())]
    Configs {
        /// The file's display name (the path as given, or `<stdin>`).
        file: String,
        /// The 1-based line and column (a character column in JSON, a field index in
        /// CSV), when the problem has a place.
        position: Option<Position>,
        /// What is wrong (its cause, when it is another reader's error, is reachable
        /// through [`std::error::Error::source`]).
        #[source]
        kind: Box<ErrorKind>,
    },
}

impl Error {
    /// Where in the file the problem is, when it has a place.
    #[must_use]
    pub fn position(&self) -> Option<Position> {
        match self {
            Error::Table(e) => e.position(),
            Error::Configs { position, .. } => *position,
        }
    }

    /// The file's display name.
    #[must_use]
    pub fn file(&self) -> &str {
        match self {
            Error::Table(e) => e.source_name(),
            Error::Configs { file, .. } => file,
        }
    }

    /// What is wrong, for errors of the configs themselves (not of the table reader).
    #[must_use]
    pub fn kind(&self) -> Option<&ErrorKind> {
        match self {
            Error::Table(_) => None,
            Error::Configs { kind, .. } => Some(kind),
        }
    }
}

/// What is wrong with a configs file. Variants carry data; `at` names the place in
/// words (`config `a`: metric `cost``, `record 2: field `tps``, `objectives[1]`).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file cannot be read.
    #[error("cannot read the file: {0}")]
    Io(std::io::Error),
    /// The file is larger than the limit (not a configs file, or an endless stream).
    #[error("the file is larger than {} MiB: is it a configs file?", limit >> 20)]
    TooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// The file holds nothing but white space.
    #[error("the file is empty: no configurations")]
    Empty,
    /// A JSON file is not UTF-8 text.
    #[error("invalid UTF-8: expected JSON or CSV text")]
    InvalidUtf8,
    /// JSON that does not parse (serde_json's message, without its position).
    #[error("malformed JSON: {0}")]
    Json(String),
    /// A key appears twice in one JSON object.
    #[error(
        "duplicate key \"{key}\" (first at {first}): a JSON object may hold a key once; \
         remove or rename one"
    )]
    DuplicateKey {
        /// The key.
        key: String,
        /// The line and column of its first occurrence.
        first: Position,
    },
    /// A JSON value of the wrong type.
    #[error("{at}: expected {expected}, found {found}")]
    Shape {
        /// The place, in words.
        at: String,
        /// What was expected.
        expected: &'static str,
        /// What was found (`a string ("x")`, `an object`).
        found: String,
    },
    /// An element of an array of repeated measurements is not a number.
    #[error(
        "{at}: element {index} of the array is {found}; repeated measurements are an array of \
         numbers{}", if *quoted_number { " (write the number without quotes)" } else { "" }
    )]
    BadElement {
        /// The metric, in words.
        at: String,
        /// The 1-based index of the element.
        index: usize,
        /// What it is.
        found: String,
        /// The element is a string holding a number (`"2"`).
        quoted_number: bool,
    },
    /// A metric string that is not a sample file path.
    #[error(
        "{at}: {text:?} is {reason}; expected a number, an array of numbers (repeated \
         measurements) or the path of a per-request sample file"
    )]
    NotAMetric {
        /// The metric, in words.
        at: String,
        /// The string.
        text: String,
        /// Why it is not a path (`a string holding a number, not a number`, `not an existing file`).
        reason: &'static str,
    },
    /// A sample-file metric whose name does not say which statistic to take.
    #[error(
        "{at}: sample file {path:?}: the metric name must start with the statistic to take from \
         the file: p50_, p90_, p95_, p99_ (any pNN_), mean_ or median_"
    )]
    NoStatistic {
        /// The metric, in words.
        at: String,
        /// The path as written.
        path: String,
    },
    /// A sample file cannot be read.
    #[error("{at}: sample file {path:?}: {error}")]
    SampleFile {
        /// The metric, in words.
        at: String,
        /// The path as written.
        path: String,
        /// The reader's error (with the sample file's own position).
        #[source]
        error: perfstat_ingest::Error,
    },
    /// The statistic of a sample file, or its interval, cannot be computed.
    #[error("{at}: sample file {path:?}: {reason}")]
    SampleStatistic {
        /// The metric, in words.
        at: String,
        /// The path as written.
        path: String,
        /// Why.
        reason: String,
    },
    /// An objective that does not parse.
    #[error("{at}: {error}")]
    Objective {
        /// The place, in words.
        at: String,
        /// The parse error.
        error: ParseObjectiveError,
    },
    /// A table cell that an objective or constraint needs is missing or not a number.
    #[error("{at}: {error}")]
    Cell {
        /// The config and metric, in words.
        at: String,
        /// The table reader's kind (`expected a number in column "cost", found "n/a"`).
        error: perfstat_ingest::ErrorKind,
    },
    /// A field that an objective or constraint needs holds no number in a flat record.
    #[error("{at}: {found} is not a metric value; expected a number or an array of numbers")]
    NotNumeric {
        /// The record and field, in words.
        at: String,
        /// What it holds.
        found: String,
    },
    /// A document without `configs`.
    #[error("no \"configs\" array: expected {{\"objectives\": [...], \"configs\": [...]}}")]
    NoConfigs,
    /// The id field names no field of any record.
    #[error("the id field `{field}` is in no record; fields found: {}", found.join(", "))]
    NoIdField {
        /// The id field asked for.
        field: String,
        /// The fields found, in order of appearance.
        found: Vec<String>,
    },
    /// A record without the id field that other records have.
    #[error("{at} has no `{field}` field (other records have one)")]
    MissingId {
        /// The record, in words.
        at: String,
        /// The id field.
        field: String,
    },
}

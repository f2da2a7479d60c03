//! The error type of every reader: what went wrong, in which input, and where.

use std::{fmt, io};

use crate::InputFormat;

/// A `Result` whose error defaults to this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A place in an input.
///
/// Line numbers start at `1` and count lines of the decompressed text (a CSV record that spans several
/// lines because of a quoted newline is reported at the line where it starts). The column is, for CSV and
/// TSV, the 1-based index of the field; for JSON, the 1-based character column within the line. It is `None`
/// when the error concerns a whole line (a row with the wrong number of fields, an NDJSON line).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Position {
    /// 1-based line number.
    pub line: u64,
    /// 1-based field index (CSV) or character column (JSON), when known.
    pub column: Option<u64>,
}

impl Position {
    /// A position with a line and a column.
    pub fn new(line: u64, column: u64) -> Self {
        Self {
            line,
            column: Some(column),
        }
    }

    /// A position naming a whole line.
    pub fn line(line: u64) -> Self {
        Self { line, column: None }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.column {
            Some(column) => write!(f, "{}:{column}", self.line),
            None => write!(f, "{}", self.line),
        }
    }
}

/// An error reading an input: the input's display name, an optional [`Position`] and an [`ErrorKind`].
///
/// It displays compiler-style, the place first:
///
/// ```text
/// data/a.csv:12:3: expected a number in column "latency_ms", found "n/a"
/// ```
///
/// The kind is boxed so that a `Result` stays one pointer wide on the per-row paths (as in rust-csv).
/// The display includes the message of any underlying I/O or JSON error, so [`std::error::Error::source`]
/// returns `None` (a chain printer such as anyhow's `{:#}` would otherwise repeat it); match on
/// [`Error::kind`] to reach the underlying error.
pub struct Error(Box<Inner>);

struct Inner {
    source: String,
    position: Option<Position>,
    kind: ErrorKind,
    /// The error concerns one data row, which `skip_invalid` skips.
    row: bool,
}

impl Error {
    pub(crate) fn new(source: &str, position: Option<Position>, kind: ErrorKind) -> Self {
        Self(Box::new(Inner {
            source: source.to_owned(),
            position,
            kind,
            row: false,
        }))
    }

    /// An error in one data row: one that `skip_invalid` skips.
    pub(crate) fn row(source: &str, position: Position, kind: ErrorKind) -> Self {
        Self(Box::new(Inner {
            source: source.to_owned(),
            position: Some(position),
            kind,
            row: true,
        }))
    }

    /// An error in one data row whose place is not known (a value of a JSON document read whole).
    pub(crate) fn row_unplaced(source: &str, kind: ErrorKind) -> Self {
        Self(Box::new(Inner {
            source: source.to_owned(),
            position: None,
            kind,
            row: true,
        }))
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0.kind
    }

    /// What went wrong, by value.
    pub fn into_kind(self) -> ErrorKind {
        self.0.kind
    }

    /// Where in the input it went wrong, when that is known.
    pub fn position(&self) -> Option<Position> {
        self.0.position
    }

    /// The input's display name (the path as given, or `<stdin>`).
    pub fn source_name(&self) -> &str {
        &self.0.source
    }

    /// Whether [`ReadOptions::skip_invalid`](crate::ReadOptions::skip_invalid) would have skipped the row
    /// that caused this error (a bad value, a ragged row, a bad NDJSON line); useful for a hint.
    pub fn is_skippable(&self) -> bool {
        self.0.row
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.position {
            Some(position) => write!(f, "{}:{position}: {}", self.0.source, self.0.kind),
            None => write!(f, "{}: {}", self.0.source, self.0.kind),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("source", &self.0.source)
            .field("position", &self.0.position)
            .field("kind", &self.0.kind)
            .finish()
    }
}

impl std::error::Error for Error {}

/// The kinds of [`Error`]. Variants carry data, not preformatted messages. The messages name no command-line
/// flag: a program's advice ("pass --metric NAME") is its own, keyed on the kind.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Opening or reading the input failed.
    #[error("{0}")]
    Io(io::Error),
    /// A gzip stream ended early (the file is truncated).
    #[error("unexpected end of gzip stream (is the file truncated?)")]
    TruncatedGzip,
    /// The data is not valid gzip (a bad header, checksum or deflate stream).
    #[error("invalid gzip data: {0}")]
    Gzip(io::Error),
    /// The input holds no bytes (or only white space).
    #[error("no data: file is empty")]
    Empty,
    /// The input has a header (or an empty JSON array) but no data rows.
    #[error("no data rows")]
    NoDataRows,
    /// Every data row was invalid and skipped.
    #[error("no valid data rows: all {skipped} rows were invalid and skipped")]
    NoValidRows {
        /// How many rows were skipped.
        skipped: u64,
    },
    /// A value is not a number (this includes an empty field).
    #[error("expected a number in column \"{column}\", found \"{found}\"")]
    InvalidNumber {
        /// Name of the column (or JSON field).
        column: String,
        /// The text found, shortened if long.
        found: String,
    },
    /// A value is a number but NaN or infinite.
    #[error("expected a finite number in column \"{column}\", found \"{found}\"")]
    NonFinite {
        /// Name of the column (or JSON field).
        column: String,
        /// The text found.
        found: String,
    },
    /// A finite value that becomes infinite when converted to milliseconds (`1e308` seconds).
    #[error("value \"{found}\" in column \"{column}\" overflows when converted to milliseconds")]
    Overflow {
        /// Name of the column (or JSON field).
        column: String,
        /// The text found.
        found: String,
    },
    /// Text that must be read is not valid UTF-8.
    #[error("invalid UTF-8 in {}", match column { Some(c) => format!("column \"{c}\""), None => "the header".to_owned() })]
    InvalidUtf8 {
        /// The column whose value is not UTF-8; `None` for the header.
        column: Option<String>,
    },
    /// A CSV row has a different number of fields than the header.
    #[error("expected {expected} fields as in the header, found {found}")]
    FieldCount {
        /// Number of fields in the header.
        expected: u64,
        /// Number of fields in this row.
        found: u64,
    },
    /// The requested metric column does not exist.
    #[error(
        "unknown metric column \"{name}\"; available columns: {}",
        list(available)
    )]
    UnknownMetric {
        /// The name asked for.
        name: String,
        /// The columns (or JSON fields) of the input.
        available: Vec<String>,
    },
    /// The requested grouping column does not exist.
    #[error(
        "unknown grouping column \"{name}\"; available columns: {}",
        list(available)
    )]
    UnknownBy {
        /// The name asked for.
        name: String,
        /// The columns (or JSON fields) of the input.
        available: Vec<String>,
    },
    /// No metric was named and several columns are numeric.
    #[error("several numeric columns ({}): name the metric column", list(columns))]
    SeveralNumeric {
        /// The numeric columns.
        columns: Vec<String>,
    },
    /// No metric was named and no column is numeric.
    #[error("no numeric column among ({}): name the metric column", list(columns))]
    NoNumeric {
        /// All columns.
        columns: Vec<String>,
    },
    /// A JSON record lacks the metric or grouping field.
    #[error("missing field \"{name}\"")]
    MissingField {
        /// The field name.
        name: String,
    },
    /// A JSON grouping field holds an object, an array or null.
    #[error("expected a string or number in column \"{column}\", found {found}")]
    InvalidLabel {
        /// The grouping field.
        column: String,
        /// What was found (e.g. `an object`).
        found: String,
    },
    /// JSON that does not parse.
    #[error("{}", json_message(.0))]
    JsonSyntax(serde_json::Error),
    /// JSON of an unexpected shape (e.g. a string where a number or an object was expected).
    #[error("expected {expected}, found {found}")]
    UnexpectedJson {
        /// What was expected.
        expected: &'static str,
        /// What was found.
        found: &'static str,
    },
    /// The top-level JSON value is an object, not an array.
    #[error(
        "expected a JSON array of numbers or of records, found an object{}",
        match arrays.first() { Some(a) => format!(" with array field(s) {}: extract the array first, e.g. `jq '.{a}'`", quoted(arrays)), None => String::new() }
    )]
    NestedJson {
        /// The object's fields that hold arrays.
        arrays: Vec<String>,
    },
    /// Another CSV error.
    #[error("{0}")]
    Csv(csv::Error),
    /// The input is not in the (forced or detected) tool format.
    #[error("not a {} file: {reason}", format.description())]
    NotFormat {
        /// The format the input was read as.
        format: InputFormat,
        /// What did not match (e.g. `no "elapsed" column in the header`).
        reason: String,
    },
    /// The format holds aggregates (already summarised statistics), not per-request values.
    #[error("{} holds aggregates, not per-request samples: {hint}", format.description())]
    AggregateOnly {
        /// The format read.
        format: InputFormat,
        /// What can and cannot be done with it.
        hint: String,
    },
    /// The XML is not well-formed (JMeter JTL XML).
    #[error("invalid XML: {0}")]
    Xml(String),
    /// The format needs a cargo feature this build does not have.
    #[error("this perfstat was built without {} support: rebuild with --features {feature}", format.description())]
    FeatureDisabled {
        /// The format of the input.
        format: InputFormat,
        /// The cargo feature that reads it.
        feature: &'static str,
    },
    /// A Parquet or Arrow IPC input could not be read (the columnar engine's message).
    #[error("cannot read {}: {message}", format.description())]
    Columnar {
        /// The format of the input.
        format: InputFormat,
        /// What went wrong.
        message: String,
    },
    /// A line is longer than [`MAX_LINE_BYTES`](crate::MAX_LINE_BYTES) (an endless line, or a binary file).
    #[error("line {line} is longer than {} MiB: is this a text file?", limit >> 20)]
    LineTooLong {
        /// The 1-based line.
        line: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// A JSON string or number is longer than [`MAX_LINE_BYTES`](crate::MAX_LINE_BYTES).
    #[error("a JSON value longer than {} MiB: is this a JSON file?", limit >> 20)]
    ValueTooLong {
        /// The limit in bytes.
        limit: u64,
    },
    /// A document that is read whole is larger than [`MAX_DOCUMENT_BYTES`](crate::MAX_DOCUMENT_BYTES).
    #[error("the document is larger than {} MiB", limit >> 20)]
    DocumentTooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// A JSON object has the same key twice (serde_json would keep the last value silently).
    #[error("key \"{name}\" appears twice in one object")]
    DuplicateKey {
        /// The key.
        name: String,
    },
    /// Two columns of a header have the same name, so a column named by it would be ambiguous.
    #[error("columns {first} and {second} are both named \"{name}\": rename one")]
    DuplicateColumn {
        /// The name.
        name: String,
        /// The 1-based index of the first column with the name.
        first: u64,
        /// The 1-based index of the second.
        second: u64,
    },
    /// A goose request-log row that corrects an earlier request (`update` = true, from `set_success` /
    /// `set_failure`) whose request is not among the same user's recent rows.
    #[error(
        "an update (\"update\": true) of user {user}'s request \"{request}\" at {elapsed} ms, but no such \
         request of that user precedes it"
    )]
    UnmatchedUpdate {
        /// The goose user.
        user: u64,
        /// The request's name.
        request: String,
        /// The request's `elapsed` (ms since the test started).
        elapsed: u64,
    },
    /// Every request failed, and failures are excluded from the statistics.
    #[error(
        "all {total} requests failed: no successful request to describe (failed requests are excluded)"
    )]
    AllFailed {
        /// Requests read.
        total: u64,
    },
}

fn list(names: &[String]) -> String {
    names.join(", ")
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// serde_json's message without its " at line L column C" suffix (the position is printed first).
fn json_message(err: &serde_json::Error) -> String {
    let text = err.to_string();
    let suffix = format!(" at line {} column {}", err.line(), err.column());
    match text.strip_suffix(&suffix) {
        Some(message) => message.to_owned(),
        None => text,
    }
}

/// Marks an I/O error that came out of the gzip decoder.
#[derive(Debug)]
pub(crate) struct GzipFailure(pub(crate) io::Error);

impl fmt::Display for GzipFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for GzipFailure {}

/// Classifies an I/O error: gzip failures (marked by [`GzipFailure`]) become gzip kinds.
pub(crate) fn io_kind(err: io::Error) -> ErrorKind {
    if let Some(long) = err
        .get_ref()
        .and_then(|e| e.downcast_ref::<crate::limit::LineTooLong>())
    {
        return ErrorKind::LineTooLong {
            line: long.line,
            limit: long.limit,
        };
    }
    if let Some(long) = err
        .get_ref()
        .and_then(|e| e.downcast_ref::<crate::limit::ValueTooLong>())
    {
        return ErrorKind::ValueTooLong { limit: long.limit };
    }
    if err.get_ref().is_some_and(|e| e.is::<GzipFailure>()) {
        let kind = err.kind();
        let inner = err
            .into_inner()
            .and_then(|e| e.downcast::<GzipFailure>().ok());
        match inner {
            Some(_) if kind == io::ErrorKind::UnexpectedEof => ErrorKind::TruncatedGzip,
            Some(g) => ErrorKind::Gzip(g.0),
            None => ErrorKind::Io(io::Error::from(kind)),
        }
    } else {
        ErrorKind::Io(err)
    }
}

/// Classifies a csv error: I/O errors go through [`io_kind`].
pub(crate) fn csv_kind(err: csv::Error) -> ErrorKind {
    if err.is_io_error() {
        match err.into_kind() {
            csv::ErrorKind::Io(e) => io_kind(e),
            // `is_io_error` said it was I/O.
            _ => ErrorKind::Io(io::Error::other("CSV reader failed")),
        }
    } else {
        ErrorKind::Csv(err)
    }
}

//! Errors of the regress crate.

/// An error reading a history or configuring an analysis.
///
/// Undefined statistics are not errors: they are `Err(Undefined)` values
/// inside the results, with a reason.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A cell or line of the input could not be used.
    #[error("{source_name}: line {line}, column {column} ({name:?}): {message}")]
    Parse {
        /// The file name (or `-`).
        source_name: String,
        /// 1-based line number.
        line: u64,
        /// 1-based column number (CSV) or field position (JSON lines).
        column: usize,
        /// The column header or JSON field name.
        name: String,
        /// What is wrong.
        message: String,
    },
    /// The input is not a usable history as a whole (no header, no metric, bad shape).
    #[error("{source_name}: {message}")]
    Shape {
        /// The file name (or `-`).
        source_name: String,
        /// What is wrong.
        message: String,
    },
    /// The input could not be read.
    #[error("{source_name}: {source}")]
    Io {
        /// The file name (or `-`).
        source_name: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// An option does not fit the data (unknown metric, bad window).
    #[error("{0}")]
    Config(String),
}

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

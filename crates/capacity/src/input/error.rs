//! The errors of [`crate::input`].

use std::path::PathBuf;

use perfstat_ingest::Position;

/// Result alias of the input functions.
pub type InputResult<T> = std::result::Result<T, InputError>;

/// What is wrong with an input of a capacity analysis.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// The file could not be read or is malformed (its message has the position).
    #[error(transparent)]
    Read(#[from] perfstat_ingest::Error),
    /// The header has no column for the level or the throughput.
    #[error(
        "{file}:{line}: a table of aggregates needs a {role} column ({}) and a {other} column; \
         found: {}",
        aliases.join(", "),
        found.join(", ")
    )]
    MissingColumn {
        /// The input's display name.
        file: String,
        /// The header's line.
        line: u64,
        /// `level` or `throughput`.
        role: &'static str,
        /// The other required column.
        other: &'static str,
        /// The names accepted for the role.
        aliases: &'static [&'static str],
        /// The header's names.
        found: Vec<String>,
    },
    /// Several columns could hold the level (or the throughput).
    #[error(
        "{file}:{position}: columns {} could each be the {role}: rename the one to use `{role}`",
        columns.join(", ")
    )]
    AmbiguousColumn {
        /// The input's display name.
        file: String,
        /// The header line and the second candidate's column.
        position: Position,
        /// `level` or `throughput`.
        role: &'static str,
        /// The candidates, quoted.
        columns: Vec<String>,
    },
    /// A table without a header that does not have exactly two columns.
    #[error(
        "{file}:{line}: a table without a header has two columns (level, throughput); this one \
         has {width}: add a header line naming them"
    )]
    HeaderlessWidth {
        /// The input's display name.
        file: String,
        /// The first row's line.
        line: u64,
        /// Its columns.
        width: usize,
    },
    /// A row without the level or the throughput.
    #[error("{file}:{position}: no {column} in this row")]
    MissingCell {
        /// The input's display name.
        file: String,
        /// Line and column of the cell.
        position: Position,
        /// The column's name.
        column: String,
    },
    /// A number outside what its column allows.
    #[error("{file}:{position}: {column} {value} is not {expected}")]
    OutOfRange {
        /// The input's display name.
        file: String,
        /// Line and column of the cell.
        position: Position,
        /// The column's name.
        column: String,
        /// The value read.
        value: f64,
        /// What the column takes (`a positive number`, `within 0 and 1 (write 2 % as 0.02 or 2%)`).
        expected: &'static str,
    },
    /// A column named by the caller that the table does not have.
    #[error(
        "{file}:{line}: no column {name:?} for the {role} (a header name, or a column number \
         from 1); found: {}",
        found.join(", ")
    )]
    NoSuchColumn {
        /// The input's display name.
        file: String,
        /// The header's line (the first row's without a header).
        line: u64,
        /// The role (`level`, `throughput`, …).
        role: &'static str,
        /// The name asked for.
        name: String,
        /// The header's names (or the column count without a header).
        found: Vec<String>,
    },
    /// Two rows with the same level (no longer an error: replicates; kept
    /// for callers matching on it).
    #[error("{file}:{position}: load level {level} is given twice (first on line {first_line})")]
    DuplicateLevel {
        /// The input's display name.
        file: String,
        /// Line and column of the second one.
        position: Position,
        /// The level.
        level: f64,
        /// The line of the first one.
        first_line: u64,
    },
    /// No inputs for the levels-from-names scan.
    #[error("no files or directories of runs given")]
    NoFiles,
    /// A directory could not be listed.
    #[error("cannot list {}: {error}", dir.display())]
    ListDir {
        /// The directory.
        dir: PathBuf,
        /// Why.
        error: std::io::Error,
    },
    /// A directory without (non-hidden) files.
    #[error("{}: no files in this directory", dir.display())]
    EmptyDir {
        /// The directory.
        dir: PathBuf,
    },
    /// Files whose name holds no integer.
    #[error(
        "no number in the name of {} (the level is the first integer in a file name, e.g. \
         run-25users.jtl → 25): {}",
        if files.len() == 1 { "this file" } else { "these files" },
        files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>().join(", ")
    )]
    NoNumberInName {
        /// The files.
        files: Vec<PathBuf>,
    },
    /// Two files whose names give the same level.
    #[error("{} and {} have the same level {level}", first.display(), second.display())]
    SameLevel {
        /// The level.
        level: f64,
        /// The first file.
        first: PathBuf,
        /// The second file.
        second: PathBuf,
    },
    /// A request without a value in the level column (JMeter `allThreads` empty or 0).
    #[error("{file}: request {request} has no {column} value (empty or 0)")]
    NoLevelValue {
        /// The input's display name.
        file: String,
        /// The 1-based request.
        request: u64,
        /// The column.
        column: String,
    },
    /// A group label that is not a positive integer.
    #[error("{file}: {column}: {value:?} is not a load level (a positive integer)")]
    NotALevel {
        /// The input's display name.
        file: String,
        /// The column.
        column: String,
        /// The label.
        value: String,
    },
    /// The time each level ran is unknown and no duration was given.
    #[error(
        "{file}: {column}: the time each level ran is unknown from this input (per-request time \
         spans per level are kept for JMeter's allThreads only)"
    )]
    UnknownLevelDurations {
        /// The input's display name.
        file: String,
        /// The column.
        column: String,
    },
    /// A run without timestamps and no duration given.
    #[error(
        "{file}: no timestamps to compute throughput from (a generic CSV/JSON has values only)"
    )]
    NoTimestamps {
        /// The input's display name.
        file: String,
    },
    /// A level of a split file without a time span and no duration given.
    #[error("{file}: level {level}: no time span")]
    NoSpan {
        /// The input's display name.
        file: String,
        /// The level.
        level: f64,
    },
    /// Durations given neither once nor once per level.
    #[error(
        "{given} durations for {levels} levels: give one for all levels or one per level \
         (ascending)"
    )]
    DurationCount {
        /// Durations given.
        given: usize,
        /// Levels.
        levels: usize,
    },
}

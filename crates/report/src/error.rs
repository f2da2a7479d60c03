//! Errors of the report crate.

use std::path::PathBuf;

/// An error while writing a report.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file or folder could not be written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path being written.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A report may not be written there.
    #[error(transparent)]
    Refused(#[from] crate::out_dir::Refusal),
    /// A report folder could not be created or moved into place (`path` is
    /// the target as given, not the temporary folder).
    #[error("report folder {}: {what}: {source}", path.display())]
    OutDir {
        /// The report's path as given.
        path: PathBuf,
        /// What failed, e.g. "cannot create it".
        what: &'static str,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A JSON document could not be serialised.
    #[error("cannot serialise JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// A plot could not be drawn or its input is unusable (no values).
    #[error("cannot plot {}: {message}", path.display())]
    Plot {
        /// The file (or path stem) being drawn.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

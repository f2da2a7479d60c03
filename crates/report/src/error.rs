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

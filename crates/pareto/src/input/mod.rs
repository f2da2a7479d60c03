//! Reading configs files: the `{"objectives", "configs"}` JSON document, a JSON array
//! of flat records, and CSV/TSV tables with a header.
//!
//! - **Document**: `{"objectives": [...], "configs": [{"id", "params", "metrics"}]}`.
//!   An objective is `"NAME"`, `"NAME:min|max"` or `{"name", "direction"}` (a missing
//!   direction is inferred from the name, [`Direction::infer`](crate::Direction::infer)).
//!   A metric is a number, an array of numbers (repeated measurements) or the path of a
//!   per-request sample file ([`samples`]).
//! - **Flat records** (a JSON array of objects, or a table): every numeric field (a number,
//!   or an array of numbers in JSON) is a metric; the fields no objective or constraint
//!   names are the config's parameters; the id field (or the row number) names each.
//!   In tables a cell is missing by [`perfstat_ingest::table::is_missing`]; a cell an
//!   objective or constraint needs must be a finite number.
//!
//! Every error names the file and, for a place in it, the 1-based line and column
//! ([`Error`]): a JSON value at its first character, a table cell at its field index.
//! Duplicate keys in any JSON object are errors (no reader's "last one wins").

mod error;
mod json;
pub mod samples;
mod table;

use std::io::Read as _;
use std::path::{Path, PathBuf};

use perfstat_ingest::Position;
use perfstat_stats::Confidence;

pub use self::error::{Error, ErrorKind};
use crate::analysis::Config;
use crate::constraint::Constraint;
use crate::objective::{Objective, ObjectiveSpec};

/// At most this many bytes are read from a configs file.
pub const MAX_BYTES: u64 = 256 << 20;

/// How to read a configs file.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadOptions {
    /// The field holding each config's id (default `id`); without one, the row number.
    pub id_field: String,
    /// Objectives that replace the file's (the command line's); empty keeps the file's.
    pub objectives: Vec<ObjectiveSpec>,
    /// The constraints: their metrics, like the objectives', must be numbers in flat records.
    pub constraints: Vec<Constraint>,
    /// Confidence level of the intervals of sample-file statistics.
    pub confidence: Confidence,
    /// How per-request sample files are read (metric, unit, format, failures, invalid rows).
    pub samples: perfstat_ingest::ReadOptions,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            id_field: "id".to_owned(),
            objectives: Vec::new(),
            constraints: Vec::new(),
            confidence: Confidence::DEFAULT,
            samples: perfstat_ingest::ReadOptions::default(),
        }
    }
}

/// The shape the configs came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// The `{"objectives", "configs"}` document.
    Document,
    /// A JSON array of flat records.
    Records,
    /// A delimited table.
    Table,
}

/// A configs file read.
#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    /// The file's display name (the path as given, or `<stdin>`).
    pub source: String,
    /// The shape of the file.
    pub shape: Shape,
    /// The objectives: [`ReadOptions::objectives`] when given, else the file's.
    pub objectives: Vec<Objective>,
    /// The names of the objectives whose direction was inferred from the name.
    pub inferred: Vec<String>,
    /// The configs, in file order.
    pub configs: Vec<Config>,
}

/// Reads the configs file at `path` (`-` is standard input). Sample files are resolved
/// against the file's folder (the current directory for standard input).
///
/// # Errors
/// The file cannot be read or is malformed; every error names the file and, for a place
/// in it, the line and column.
pub fn read_path(path: &Path, opts: &ReadOptions) -> Result<Input, Error> {
    let stdin = path.as_os_str() == "-";
    let name = if stdin {
        perfstat_ingest::STDIN_NAME.to_owned()
    } else {
        path.display().to_string()
    };
    let io = |e| Error::Configs {
        file: name.clone(),
        position: None,
        kind: Box::new(ErrorKind::Io(e)),
    };
    let mut bytes = Vec::new();
    let n = if stdin {
        std::io::stdin()
            .lock()
            .take(MAX_BYTES + 1)
            .read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| {
            // Sized up front: a file read into a growing vector touched twice its size.
            let len = f.metadata().map_or(0, |m| m.len()).min(MAX_BYTES + 1);
            bytes.reserve_exact(usize::try_from(len).unwrap_or(0) + 1);
            f.take(MAX_BYTES + 1).read_to_end(&mut bytes)
        })
    }
    .map_err(io)?;
    if n as u64 > MAX_BYTES {
        return Err(Error::Configs {
            file: name,
            position: None,
            kind: Box::new(ErrorKind::TooLarge { limit: MAX_BYTES }),
        });
    }
    let base = match path.parent() {
        Some(dir) if !stdin => dir.to_path_buf(),
        _ => PathBuf::new(),
    };
    read_slice(&name, &bytes, &base, opts)
}

/// Reads configs held in memory, called `name` (its extension picks CSV/TSV or JSON
/// when the content does not), resolving sample files against `base`.
///
/// # Errors
/// As [`read_path`].
pub fn read_slice(
    name: &str,
    bytes: &[u8],
    base: &Path,
    opts: &ReadOptions,
) -> Result<Input, Error> {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first = text.iter().find(|b| !b.is_ascii_whitespace());
    let ext = Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let table = ext == "csv" || ext == "tsv";
    match first {
        None => Err(Error::Configs {
            file: name.to_owned(),
            position: None,
            kind: Box::new(ErrorKind::Empty),
        }),
        Some(b'{' | b'[') if !table => json::read(name, text, base, opts),
        _ if ext == "json" => json::read(name, text, base, opts),
        _ => table::read(name, bytes, opts),
    }
}

/// The objectives to use: the options' when given, else the file's; and which were inferred.
fn resolve_objectives(
    given: &[ObjectiveSpec],
    file: Vec<ObjectiveSpec>,
) -> (Vec<Objective>, Vec<String>) {
    let specs = if given.is_empty() {
        file
    } else {
        given.to_vec()
    };
    let inferred = specs
        .iter()
        .filter(|s| s.direction.is_none())
        .map(|s| s.name.clone())
        .collect();
    (specs.iter().map(ObjectiveSpec::resolve).collect(), inferred)
}

/// The metrics objectives and constraints name (they must be numbers in flat records).
fn needed(opts: &ReadOptions) -> Vec<String> {
    let mut out: Vec<String> = opts.objectives.iter().map(|o| o.name.clone()).collect();
    for k in &opts.constraints {
        if !out.contains(&k.metric) {
            out.push(k.metric.clone());
        }
    }
    out
}

/// The 1-based line and character column of byte `offset` in `text`.
fn position_of(text: &[u8], offset: usize) -> Position {
    let offset = offset.min(text.len());
    let head = &text[..offset];
    let line = head.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    let start = head.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&head[start..]).chars().count() as u64 + 1;
    Position::new(line, column)
}

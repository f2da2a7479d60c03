//! The history of runs: model and readers.
//!
//! A history is a table of runs, oldest first. Each run has an id (its time
//! or run id), optional string attributes (commit, branch, …) and one value
//! per metric. A metric missing from a run is a *gap* (`None`), never zero.
//!
//! Three input shapes are read by [`read_history`], detected from the bytes:
//!
//! - **wide CSV** (or TSV): a key column (time or run id) and one column per
//!   metric, one row per run;
//! - **long CSV**: columns `time` (or another key name), `metric`, `value`,
//!   one row per measurement; runs in order of first appearance;
//! - **JSON lines**: one object per run, numbers are metrics, strings are
//!   attributes, `null` is a gap.
//!
//! The key column is the first one named `time`, `timestamp`, `date`,
//! `datetime`, `run`, `run_id`, `id`, `night`, `build` or `build_id`. Columns
//! named like attributes (`commit`, `sha`, `branch`, `version`, `tag`, `host`,
//! …) and columns holding no number at all are attributes; every other
//! column is a metric, and a cell there that is not a number is an error
//! naming the line and column. Empty cells and `NA`, `N/A`, `null`, `NaN`
//! (any case) are gaps; infinite values are errors.

use std::collections::HashMap;
use std::fmt;
use std::io::Read;
use std::path::Path;

use perfstat_ingest::table::{self, Header, Table, TableOptions, TableRow};

use crate::error::{Error, HistoryErrorKind as Kind, Position, Result};

mod current;
mod write;

pub use self::current::{CurrentOptions, Summary, read_current};
pub use self::write::Appended;

/// Names of the key column (time or run id), lower case.
pub const KEY_NAMES: [&str; 11] = [
    "time",
    "timestamp",
    "date",
    "datetime",
    "run",
    "run_id",
    "id",
    "night",
    "build",
    "build_id",
    "created_at",
];

/// Names of columns that are attributes even when they hold numbers, lower case.
pub const ATTRIBUTE_NAMES: [&str; 16] = [
    "commit", "sha", "git_sha", "hash", "branch", "version", "tag", "ref", "host", "hostname",
    "runner", "machine", "os", "note", "notes", "label",
];

/// The shape a history was read from (used to append in the same shape).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// One row per run, one column per metric.
    Wide,
    /// One row per (run, metric, value).
    Long,
    /// One JSON object per line.
    JsonLines,
}

/// One run: its id and attributes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    /// The key (time or run id) as written, or the 1-based row number when
    /// the input has no key column.
    pub id: String,
    /// Attribute values, aligned with [`History::attributes`] (`None` when absent).
    pub attributes: Vec<Option<String>>,
    /// The 1-based line the run starts on (0 for a run added in memory).
    pub line: u64,
}

/// The values of one metric over the runs.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// The metric name (column header or JSON field).
    pub name: String,
    /// One value per run, `None` for a gap; finite when present.
    pub values: Vec<Option<f64>>,
}

impl Series {
    /// How many runs lack this metric.
    #[must_use]
    pub fn gaps(&self) -> usize {
        self.values.iter().filter(|v| v.is_none()).count()
    }
}

/// A history of runs, oldest first.
#[derive(Clone, Debug, PartialEq)]
pub struct History {
    /// The key column's name (empty when the input had none).
    pub key: String,
    /// Attribute column names (commit, branch, …), in input order.
    pub attributes: Vec<String>,
    /// The runs, oldest first.
    pub runs: Vec<Run>,
    /// One series per metric, in input order; each has one value per run.
    pub metrics: Vec<Series>,
    /// The shape the history was read from.
    pub shape: Shape,
    /// What was accepted but is worth saying: runs put in time order, runs sharing a key.
    pub warnings: Vec<HistoryWarning>,
}

/// Something a history reader accepted and says.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum HistoryWarning {
    /// The keys are times (or integers) out of order: the runs were sorted by key (a stable sort),
    /// so the current run is the latest.
    Sorted {
        /// The input's display name.
        source_name: String,
        /// The key column.
        key: String,
        /// Lines of the runs that came after a later one, in file order.
        lines: Vec<u64>,
        /// The current run's key after sorting.
        current: String,
    },
    /// Several runs share one key (re-runs of one night): kept as separate runs, in file order.
    SharedKey {
        /// The input's display name.
        source_name: String,
        /// The key value.
        value: String,
        /// The lines of the runs that share it.
        lines: Vec<u64>,
    },
    /// The current run's time is not after the history's latest.
    CurrentNotLatest {
        /// The current run's key.
        current: String,
        /// The latest key of the history.
        latest: String,
    },
}

impl fmt::Display for HistoryWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sorted {
                source_name,
                key,
                lines,
                current,
            } => write!(
                f,
                "{source_name}: the runs are not in order of {key}: sorted them, so the current run is the latest ({current}); out of order: {}",
                list_lines(lines)
            ),
            Self::SharedKey {
                source_name,
                value,
                lines,
            } => write!(
                f,
                "{source_name}: {} runs share the key {value} ({}): kept as separate runs, in file order",
                lines.len(),
                list_lines(lines)
            ),
            Self::CurrentNotLatest { current, latest } => write!(
                f,
                "the current run ({current}) is not later than the history's latest run ({latest}); it is analysed as the newest"
            ),
        }
    }
}

/// `lines 3, 5, 9` (at most 10, then `and N more`).
fn list_lines(lines: &[u64]) -> String {
    let shown: Vec<String> = lines.iter().take(10).map(u64::to_string).collect();
    let more = lines.len().saturating_sub(10);
    format!(
        "line{} {}{}",
        if lines.len() == 1 { "" } else { "s" },
        shown.join(", "),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        }
    )
}

/// Sortable keys: all integers, else all times (milliseconds); `None` when neither.
fn key_orders<'a>(ids: impl Iterator<Item = &'a str> + Clone) -> Option<Vec<f64>> {
    #[allow(clippy::cast_precision_loss)]
    ids.clone()
        .map(|id| id.trim().parse::<i64>().ok().map(|i| i as f64))
        .collect::<Option<Vec<f64>>>()
        .or_else(|| ids.map(perfstat_ingest::time::parse_time_ms).collect())
}

impl History {
    /// The attribute `name` of run `index`, if present.
    #[must_use]
    pub fn attribute(&self, index: usize, name: &str) -> Option<&str> {
        let col = self.attributes.iter().position(|a| a == name)?;
        self.runs.get(index)?.attributes.get(col)?.as_deref()
    }

    /// Appends the one run of `current` (a summary read like a history):
    /// metrics and attributes are matched by name; a metric new to the
    /// history gets gaps before this run, a metric the current run lacks
    /// gets a gap in it.
    ///
    /// # Errors
    /// [`Kind::NotOneRun`] when `current` does not hold exactly one run.
    pub fn push_current(&mut self, current: &Self, source_name: &str) -> Result<()> {
        let [run] = current.runs.as_slice() else {
            return Err(Error::whole(
                source_name,
                Kind::NotOneRun {
                    found: current.runs.len(),
                },
            ));
        };
        let ids = self.runs.iter().chain([run]).map(|r| r.id.as_str());
        let latest = key_orders(ids).and_then(|keys| {
            let (now, before) = keys.split_last()?;
            let (i, last) = before
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(b.1))?;
            (now <= last).then_some(i)
        });
        if let Some(i) = latest
            && !current.key.is_empty()
            && !self.key.is_empty()
        {
            let last_id = self.runs[i].id.clone();
            self.warnings.push(HistoryWarning::CurrentNotLatest {
                current: run.id.clone(),
                latest: last_id,
            });
        }
        let n = self.runs.len();
        let mut attributes = vec![None; self.attributes.len()];
        for (name, value) in current.attributes.iter().zip(&run.attributes) {
            let col = match self.attributes.iter().position(|a| a == name) {
                Some(c) => c,
                None => {
                    self.attributes.push(name.clone());
                    for r in &mut self.runs {
                        r.attributes.push(None);
                    }
                    attributes.push(None);
                    self.attributes.len() - 1
                }
            };
            if let Some(slot) = attributes.get_mut(col) {
                slot.clone_from(value);
            }
        }
        let id = if current.key.is_empty() {
            "current".to_owned()
        } else {
            run.id.clone()
        };
        self.runs.push(Run {
            id,
            attributes,
            line: 0,
        });
        for series in &mut self.metrics {
            series.values.push(None);
        }
        for cur in &current.metrics {
            let value = cur.values.first().copied().flatten();
            match self.metrics.iter_mut().find(|s| s.name == cur.name) {
                Some(series) => {
                    if let Some(last) = series.values.last_mut() {
                        *last = value;
                    }
                }
                None => {
                    let mut values = vec![None; n];
                    values.push(value);
                    self.metrics.push(Series {
                        name: cur.name.clone(),
                        values,
                    });
                }
            }
        }
        Ok(())
    }
}

/// Parses a JSON-lines string cell: `Ok(None)` for a gap, `Err(kind)` for text or ±∞.
fn parse_text(column: &str, cell: &str) -> std::result::Result<Option<f64>, Kind> {
    if table::is_missing(cell) {
        return Ok(None);
    }
    let t = cell.trim();
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        Ok(_) => Err(Kind::NonFinite {
            column: column.to_owned(),
            found: format!("{t:?}"),
        }),
        Err(_) => Err(Kind::NotANumber {
            column: column.to_owned(),
            found: format!("{t:?}"),
        }),
    }
}

fn is_key_name(name: &str) -> bool {
    KEY_NAMES
        .iter()
        .any(|k| name.trim().eq_ignore_ascii_case(k))
}

fn is_attribute_name(name: &str) -> bool {
    ATTRIBUTE_NAMES
        .iter()
        .any(|k| name.trim().eq_ignore_ascii_case(k))
}

/// Reads the history in the file at `path` (`-` is standard input), like [`read_history`]; the
/// display name is the path as given.
///
/// # Errors
/// As [`read_history`], and [`Error::Io`] when the file cannot be opened.
pub fn read_history_path(path: &Path) -> Result<History> {
    let name = path.display().to_string();
    if path.as_os_str() == "-" {
        return read_history(std::io::stdin().lock(), &name);
    }
    let file = std::fs::File::open(path).map_err(|e| Error::io(&name, e))?;
    read_history(file, &name)
}

/// Reads a history (wide CSV, long CSV or JSON lines, detected from the
/// bytes) from `reader`; `source_name` names it in errors. Gzip is
/// decompressed; a line longer than 64 MiB is an error naming it.
///
/// CSV is read by [`perfstat_ingest::table`] (the delimiter sniffed, exact
/// lines with CRLF, positions for UTF-8 errors and ragged rows). Runs whose
/// keys are all times or all integers are put in key order (a stable sort;
/// [`HistoryWarning::Sorted`] names the lines that were out of order); runs
/// sharing a key are kept and named ([`HistoryWarning::SharedKey`]).
///
/// ```
/// use perfstat_regress::history::read_history;
/// let csv = "time,commit,p95_latency_ms,throughput_rps\n\
///            2024-01-01,abc,120.5,950\n\
///            2024-01-02,def,,940\n";
/// let h = read_history(csv.as_bytes(), "history.csv")?;
/// assert_eq!(h.runs.len(), 2);
/// assert_eq!(h.attributes, vec!["commit"]);
/// assert_eq!(h.metrics[0].values, vec![Some(120.5), None]);
/// # Ok::<(), perfstat_regress::Error>(())
/// ```
///
/// # Errors
/// [`Error::Input`] for a malformed table or a non-numeric or infinite cell
/// in a metric column (`file:line:col: message`); [`Error::History`] for a
/// malformed JSON line, a duplicate measurement, or an input without runs or
/// metrics; [`Error::Io`] when reading fails.
pub fn read_history(reader: impl Read, source_name: &str) -> Result<History> {
    // Gzip decompressed, the byte-order mark removed, lines bounded (`/dev/zero` is an error).
    let bytes = table::read_bytes(source_name, reader)?;
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    let mut history = match first {
        None => return Err(Error::whole(source_name, Kind::Empty)),
        Some(b'{') => read_json_lines(&bytes, source_name)?,
        Some(_) => {
            let opts = TableOptions {
                delimiter: None,
                header: Header::Present,
            };
            read_csv(&table::parse_table(source_name, &bytes, &opts)?)?
        }
    };
    if history.runs.is_empty() {
        return Err(Error::whole(source_name, Kind::NoRuns));
    }
    if history.metrics.is_empty() {
        return Err(Error::whole(
            source_name,
            Kind::NoMetric {
                key: history.key.clone(),
                attributes: history.attributes.clone(),
            },
        ));
    }
    history.order(source_name);
    Ok(history)
}

impl History {
    /// Sorts the runs by key when every key is a time or an integer, and notes shared keys.
    fn order(&mut self, source_name: &str) {
        if self.key.is_empty() {
            return;
        }
        let Some(keys) = key_orders(self.runs.iter().map(|r| r.id.as_str())) else {
            return;
        };
        let mut latest = f64::NEG_INFINITY;
        let mut late = Vec::new();
        for (run, &k) in self.runs.iter().zip(&keys) {
            if k < latest {
                late.push(run.line);
            }
            latest = latest.max(k);
        }
        if !late.is_empty() {
            let mut order: Vec<usize> = (0..self.runs.len()).collect();
            order.sort_by(|&a, &b| keys[a].total_cmp(&keys[b]));
            self.runs = order.iter().map(|&i| self.runs[i].clone()).collect();
            for series in &mut self.metrics {
                series.values = order.iter().map(|&i| series.values[i]).collect();
            }
            self.warnings.push(HistoryWarning::Sorted {
                source_name: source_name.to_owned(),
                key: self.key.clone(),
                lines: late,
                current: self.runs.last().map(|r| r.id.clone()).unwrap_or_default(),
            });
        }
        let mut shared: Vec<(&str, Vec<u64>)> = Vec::new();
        let mut by_key: HashMap<&str, usize> = HashMap::new();
        for run in &self.runs {
            match by_key.get(run.id.as_str()) {
                Some(&i) => shared[i].1.push(run.line),
                None => {
                    by_key.insert(&run.id, shared.len());
                    shared.push((&run.id, vec![run.line]));
                }
            }
        }
        let warnings: Vec<HistoryWarning> = shared
            .into_iter()
            .filter(|(_, lines)| lines.len() > 1)
            .map(|(value, mut lines)| {
                lines.sort_unstable();
                HistoryWarning::SharedKey {
                    source_name: source_name.to_owned(),
                    value: value.to_owned(),
                    lines,
                }
            })
            .collect();
        self.warnings.extend(warnings);
    }
}

fn read_csv(table: &Table) -> Result<History> {
    let metric_col = table.column("metric");
    let value_col = table.column("value");
    match (metric_col, value_col) {
        (Some(m), Some(v)) if m != v => read_long(table, m, v),
        _ => read_wide(table),
    }
}

/// An attribute cell: trimmed, `None` when empty.
fn attribute(row: &TableRow, c: usize) -> Option<String> {
    row.cells
        .get(c)
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn read_wide(table: &Table) -> Result<History> {
    let header = &table.columns;
    let key_col = header.iter().position(|h| is_key_name(h));
    let mut attr_cols = Vec::new();
    let mut metric_cols = Vec::new();
    for (c, name) in header.iter().enumerate() {
        if Some(c) == key_col {
            continue;
        }
        let any_number = table
            .rows
            .iter()
            .any(|r| r.cells.get(c).is_some_and(|v| table::is_number(v)));
        if is_attribute_name(name) || !any_number {
            attr_cols.push(c);
        } else {
            metric_cols.push(c);
        }
    }
    let n = table.rows.len();
    let mut runs = Vec::with_capacity(n);
    let mut metrics: Vec<Series> = metric_cols
        .iter()
        .map(|&c| Series {
            name: header[c].clone(),
            values: Vec::with_capacity(n),
        })
        .collect();
    for (i, row) in table.rows.iter().enumerate() {
        let id = match key_col {
            Some(k) => row.cells.get(k).map_or("", |s| s.trim()).to_owned(),
            None => (i + 1).to_string(),
        };
        let attributes = attr_cols.iter().map(|&c| attribute(row, c)).collect();
        runs.push(Run {
            id,
            attributes,
            line: row.line,
        });
        for (series, &c) in metrics.iter_mut().zip(&metric_cols) {
            series.values.push(table.number(row, c)?);
        }
    }
    Ok(History {
        key: key_col.map(|k| header[k].clone()).unwrap_or_default(),
        attributes: attr_cols.iter().map(|&c| header[c].clone()).collect(),
        runs,
        metrics,
        shape: Shape::Wide,
        warnings: Vec::new(),
    })
}

fn read_long(table: &Table, metric_col: usize, value_col: usize) -> Result<History> {
    let header = &table.columns;
    let key_col = header
        .iter()
        .enumerate()
        .position(|(c, h)| c != metric_col && c != value_col && is_key_name(h))
        .or_else(|| (0..header.len()).find(|&c| c != metric_col && c != value_col))
        .ok_or_else(|| Error::whole(&table.source, Kind::NoLongKey))?;
    let attr_cols: Vec<usize> = (0..header.len())
        .filter(|&c| c != metric_col && c != value_col && c != key_col)
        .collect();
    let mut run_index: HashMap<String, usize> = HashMap::new();
    let mut runs: Vec<Run> = Vec::new();
    let mut metric_index: HashMap<String, usize> = HashMap::new();
    let mut cells: Vec<(usize, usize, f64)> = Vec::new();
    let mut metric_names: Vec<String> = Vec::new();
    let mut seen: HashMap<(usize, usize), u64> = HashMap::new();
    for row in &table.rows {
        let line = row.line;
        let key = row.cells.get(key_col).map_or("", |s| s.trim()).to_owned();
        let r = *run_index.entry(key.clone()).or_insert_with(|| {
            runs.push(Run {
                id: key,
                attributes: vec![None; attr_cols.len()],
                line,
            });
            runs.len() - 1
        });
        if let Some(run) = runs.get_mut(r) {
            for (slot, &c) in run.attributes.iter_mut().zip(&attr_cols) {
                if slot.is_none() {
                    *slot = attribute(row, c);
                }
            }
        }
        let name = row
            .cells
            .get(metric_col)
            .map_or("", |s| s.trim())
            .to_owned();
        let at = Some(Position::new(line, metric_col as u64 + 1));
        if name.is_empty() {
            return Err(Error::at(&table.source, at, Kind::EmptyMetricName));
        }
        let m = *metric_index.entry(name.clone()).or_insert_with(|| {
            metric_names.push(name.clone());
            metric_names.len() - 1
        });
        let value = table.number(row, value_col)?;
        if let Some(first_line) = seen.insert((r, m), line) {
            return Err(Error::at(
                &table.source,
                at,
                Kind::MeasuredTwice {
                    metric: name,
                    first_line,
                },
            ));
        }
        if let Some(v) = value {
            cells.push((r, m, v));
        }
    }
    let mut metrics: Vec<Series> = metric_names
        .into_iter()
        .map(|name| Series {
            name,
            values: vec![None; runs.len()],
        })
        .collect();
    for (r, m, v) in cells {
        if let Some(slot) = metrics.get_mut(m).and_then(|s| s.values.get_mut(r)) {
            *slot = Some(v);
        }
    }
    Ok(History {
        key: header[key_col].clone(),
        attributes: attr_cols.iter().map(|&c| header[c].clone()).collect(),
        runs,
        metrics,
        shape: Shape::Long,
        warnings: Vec::new(),
    })
}

/// What one JSON field held over all lines.
#[derive(Default)]
struct FieldKinds {
    number: bool,
    /// The first line with a string that is not a number, and the string.
    text: Option<(u64, String)>,
}

/// The 1-based line and character column of byte `offset` of `bytes`.
fn line_col(bytes: &[u8], offset: usize) -> Position {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let col = String::from_utf8_lossy(&before[start..]).chars().count() as u64 + 1;
    Position::new(line, col)
}

fn read_json_lines(bytes: &[u8], source_name: &str) -> Result<History> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        Error::at(
            source_name,
            Some(line_col(bytes, e.valid_up_to())),
            Kind::InvalidUtf8,
        )
    })?;
    let mut objects: Vec<(u64, serde_json::Map<String, serde_json::Value>)> = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut kinds: HashMap<String, FieldKinds> = HashMap::new();
    for (i, line) in text.split('\n').enumerate() {
        let line_no = i as u64 + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value = serde_json::from_str(line).map_err(|e| {
            let col = e.column() as u64;
            Error::at(
                source_name,
                Some(Position::new(line_no, col.max(1))),
                Kind::InvalidJson(e),
            )
        })?;
        let serde_json::Value::Object(map) = value else {
            return Err(Error::at(
                source_name,
                Some(Position::line(line_no)),
                Kind::NotAnObject,
            ));
        };
        for (k, v) in &map {
            if !kinds.contains_key(k) {
                fields.push(k.clone());
            }
            let entry = kinds.entry(k.clone()).or_default();
            match v {
                serde_json::Value::Number(_) => entry.number = true,
                serde_json::Value::String(s) if table::is_number(s) => entry.number = true,
                serde_json::Value::String(s) if table::is_missing(s) => {}
                serde_json::Value::String(s) => {
                    entry.text.get_or_insert((line_no, format!("{s:?}")));
                }
                serde_json::Value::Null | serde_json::Value::Bool(_) => {}
                other => {
                    return Err(Error::at(
                        source_name,
                        Some(Position::line(line_no)),
                        Kind::UnsupportedValue {
                            field: k.clone(),
                            found: if other.is_array() {
                                "an array"
                            } else {
                                "an object"
                            },
                        },
                    ));
                }
            }
        }
        objects.push((line_no, map));
    }
    let key = fields.iter().find(|f| is_key_name(f)).cloned();
    let mut attributes = Vec::new();
    let mut metric_names = Vec::new();
    for f in &fields {
        if Some(f) == key.as_ref() {
            continue;
        }
        let Some(kind) = kinds.get(f) else { continue };
        if is_attribute_name(f) || !kind.number {
            attributes.push(f.clone());
        } else if let Some((line, found)) = &kind.text {
            return Err(Error::at(
                source_name,
                Some(Position::line(*line)),
                Kind::NotANumber {
                    column: f.clone(),
                    found: found.clone(),
                },
            ));
        } else {
            metric_names.push(f.clone());
        }
    }
    let mut runs = Vec::with_capacity(objects.len());
    let mut metrics: Vec<Series> = metric_names
        .iter()
        .map(|name| Series {
            name: name.clone(),
            values: Vec::with_capacity(objects.len()),
        })
        .collect();
    for (row, (line, map)) in objects.iter().enumerate() {
        let id = match key.as_ref().and_then(|k| map.get(k)) {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Null) | None => (row + 1).to_string(),
            Some(v) => v.to_string(),
        };
        let attrs = attributes
            .iter()
            .map(|a| match map.get(a) {
                Some(serde_json::Value::String(s)) => Some(s.clone()),
                Some(serde_json::Value::Null) | None => None,
                Some(v) => Some(v.to_string()),
            })
            .collect();
        runs.push(Run {
            id,
            attributes: attrs,
            line: *line,
        });
        for series in &mut metrics {
            let value = match map.get(&series.name) {
                Some(serde_json::Value::Number(n)) => n.as_f64(),
                Some(serde_json::Value::String(s)) => parse_text(&series.name, s)
                    .map_err(|kind| Error::at(source_name, Some(Position::line(*line)), kind))?,
                _ => None,
            };
            if let Some(v) = value
                && !v.is_finite()
            {
                return Err(Error::at(
                    source_name,
                    Some(Position::line(*line)),
                    Kind::NonFinite {
                        column: series.name.clone(),
                        found: v.to_string(),
                    },
                ));
            }
            series.values.push(value);
        }
    }
    Ok(History {
        key: key.unwrap_or_default(),
        attributes,
        runs,
        metrics,
        shape: Shape::JsonLines,
        warnings: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Endless bytes without a newline, like `/dev/zero`.
    struct Endless;

    impl Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            buf.fill(b'7');
            Ok(buf.len())
        }
    }

    #[test]
    fn an_endless_line_is_an_error_not_unbounded_memory() {
        // Found by scripts/fuzz: `regress /dev/zero` read until the allocator failed.
        let e = read_history(Endless, "/dev/zero").unwrap_err();
        assert!(matches!(e, Error::Input(_)), "{e:?}");
        assert_eq!(
            e.to_string(),
            "/dev/zero: line 1 is longer than 64 MiB: is this a text file?"
        );
    }

    #[test]
    fn a_gzip_history_is_decompressed() {
        // Found by scripts/fuzz: a gzip history was "invalid UTF-8 in column 1".
        let gz = include_bytes!("../../../data/capacity/users-01.jtl.gz");
        let h = read_history(&gz[..], "users-01.jtl.gz").unwrap();
        assert_eq!(h.key, "timeStamp");
        assert_eq!(h.runs.len(), 1520);
        assert!(h.metrics.iter().any(|m| m.name == "elapsed"));
    }

    #[test]
    fn wide_with_gap_and_attribute() {
        let h = read_history(
            "run,commit,latency_ms\n1,a,10\n2,b,\n3,c,12\n".as_bytes(),
            "h",
        )
        .unwrap();
        assert_eq!(h.key, "run");
        assert_eq!(h.attributes, ["commit"]);
        assert_eq!(h.metrics[0].values, [Some(10.0), None, Some(12.0)]);
        assert_eq!(h.attribute(1, "commit"), Some("b"));
    }

    #[test]
    fn wide_bad_cell_names_line_and_column() {
        let e = read_history("time,a,b\n1,1,2\n2,3,x\n".as_bytes(), "h.csv").unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"h.csv:3:3: expected a number in column "b", found "x""#
        );
        // CRLF: the same line numbers.
        let e = read_history("time,a,b\r\n1,1,2\r\n2,3,x\r\n".as_bytes(), "h.csv").unwrap_err();
        assert!(e.to_string().starts_with("h.csv:3:3: "), "{e}");
        // A ragged row names its line, a bad byte its line and column.
        let e = read_history("time,a\n1,1\n2,3,4\n".as_bytes(), "h.csv").unwrap_err();
        assert_eq!(
            e.to_string(),
            "h.csv:3: expected 2 fields as in the header, found 3"
        );
        let e = read_history(&b"time,a\n1,1\n2,\xff\n"[..], "h.csv").unwrap_err();
        assert_eq!(e.to_string(), r#"h.csv:3:2: invalid UTF-8 in column "2""#);
    }

    #[test]
    fn long_shape() {
        let h = read_history("time,metric,value\n1,a,1\n1,b,2\n2,a,3\n".as_bytes(), "h").unwrap();
        assert_eq!(h.shape, Shape::Long);
        assert_eq!(h.runs.len(), 2);
        assert_eq!(h.metrics[1].values, [Some(2.0), None]);
        let e = read_history("time,metric,value\n1,a,1\n1,a,2\n".as_bytes(), "h").unwrap_err();
        assert!(e.to_string().contains("twice"));
        let e = read_history("time,metric,value\n1,a,oops\n".as_bytes(), "h").unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"h:2:3: expected a number in column "value", found "oops""#
        );
    }

    #[test]
    fn json_lines() {
        let h = read_history(
            "{\"time\":\"t1\",\"commit\":\"a\",\"rps\":10}\n{\"time\":\"t2\",\"rps\":null}\n"
                .as_bytes(),
            "h",
        )
        .unwrap();
        assert_eq!(h.shape, Shape::JsonLines);
        assert_eq!(h.metrics[0].values, [Some(10.0), None]);
        assert_eq!(h.runs[1].id, "t2");
        let e = read_history(
            "{\"time\":1,\"rps\":10}\n{\"time\":2,\"rps\":\"fast\"}\n".as_bytes(),
            "h",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"h:2: expected a number in column "rps", found "fast""#
        );
        let e = read_history("{\"time\":1}\n\n{\"time\":2,}\n".as_bytes(), "h").unwrap_err();
        assert_eq!(e.to_string(), "h:3:11: invalid JSON: trailing comma");
        let e = read_history(&b"{\"time\":1,\"a\":1}\n{\"t\xffime\":2}\n"[..], "h").unwrap_err();
        assert_eq!(e.to_string(), "h:2:4: invalid UTF-8");
    }

    #[test]
    fn runs_are_put_in_time_order_and_shared_keys_said() {
        let h = read_history(
            "night,x\n2024-01-03,3\n2024-01-01,1\n2024-01-02,2\n2024-01-04,4\n".as_bytes(),
            "h",
        )
        .unwrap();
        let ids: Vec<&str> = h.runs.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(
            ids,
            ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"]
        );
        assert_eq!(
            h.metrics[0].values,
            [Some(1.0), Some(2.0), Some(3.0), Some(4.0)]
        );
        assert_eq!(
            h.warnings
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            [
                "h: the runs are not in order of night: sorted them, so the current run is the latest (2024-01-04); out of order: lines 3, 4"
            ]
        );
        let h = read_history("run,x\n1,1\n2,2\n2,3\n".as_bytes(), "h").unwrap();
        assert_eq!(h.metrics[0].values, [Some(1.0), Some(2.0), Some(3.0)]);
        assert_eq!(
            h.warnings[0].to_string(),
            "h: 2 runs share the key 2 (lines 3, 4): kept as separate runs, in file order"
        );
        // Keys that are not times or integers keep the file's order.
        let h = read_history("run,x\nb,1\na,2\n".as_bytes(), "h").unwrap();
        assert_eq!(h.runs[1].id, "a");
        assert!(h.warnings.is_empty());
    }

    #[test]
    fn push_current_adds_metrics_and_gaps() {
        let mut h = read_history("time,a\n1,1\n2,2\n".as_bytes(), "h").unwrap();
        let cur = read_history("time,a,b\n3,3,9\n".as_bytes(), "c").unwrap();
        h.push_current(&cur, "c").unwrap();
        assert_eq!(h.runs.len(), 3);
        assert_eq!(h.metrics[1].values, [None, None, Some(9.0)]);
        assert_eq!(h.runs[2].id, "3");
        let two = read_history("time,a\n3,3\n4,4\n".as_bytes(), "c").unwrap();
        assert!(h.push_current(&two, "c").is_err());
    }
}

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
use std::io::Read;

use crate::error::{Error, Result};

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
    /// [`Error::Shape`] when `current` does not hold exactly one run.
    pub fn push_current(&mut self, current: &Self, source_name: &str) -> Result<()> {
        let [run] = current.runs.as_slice() else {
            return Err(Error::Shape {
                source_name: source_name.to_owned(),
                message: format!(
                    "--current must hold exactly one run (one row or object), found {}",
                    current.runs.len()
                ),
            });
        };
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

/// A cell that means "no value": empty, `NA`, `N/A`, `null`, `NaN`, `-`.
fn is_missing(cell: &str) -> bool {
    let c = cell.trim();
    c.is_empty()
        || c == "-"
        || ["na", "n/a", "null", "nan", "none"]
            .iter()
            .any(|m| c.eq_ignore_ascii_case(m))
}

/// Parses a numeric cell: `Ok(None)` for a gap, `Err(message)` for text or ±∞.
fn parse_cell(cell: &str) -> std::result::Result<Option<f64>, String> {
    if is_missing(cell) {
        return Ok(None);
    }
    let t = cell.trim();
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        Ok(_) => Err(format!("{t:?} is not a finite number")),
        Err(_) => Err(format!("{t:?} is not a number")),
    }
}

fn is_number(cell: &str) -> bool {
    matches!(parse_cell(cell), Ok(Some(_)))
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

/// Reads a history (wide CSV, long CSV or JSON lines, detected from the
/// bytes) from `reader`; `source_name` names it in errors.
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
/// [`Error::Parse`] for a non-numeric or infinite cell in a metric column
/// (naming line and column), a malformed CSV row or JSON line, or a
/// duplicate measurement; [`Error::Shape`] for an input without a header,
/// runs or metrics; [`Error::Io`] when reading fails.
pub fn read_history(mut reader: impl Read, source_name: &str) -> Result<History> {
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes).map_err(|source| Error::Io {
        source_name: source_name.to_owned(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|e| Error::Shape {
        source_name: source_name.to_owned(),
        message: format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ),
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let first = text.trim_start().chars().next();
    let history = match first {
        None => {
            return Err(Error::Shape {
                source_name: source_name.to_owned(),
                message: "the file is empty".to_owned(),
            });
        }
        Some('{') => read_json_lines(text, source_name)?,
        Some(_) => read_csv(text, source_name)?,
    };
    if history.runs.is_empty() {
        return Err(Error::Shape {
            source_name: source_name.to_owned(),
            message: "no runs (only a header?)".to_owned(),
        });
    }
    if history.metrics.is_empty() {
        return Err(Error::Shape {
            source_name: source_name.to_owned(),
            message: format!(
                "no metric column found (columns: key {:?}, attributes {:?}); a metric column holds numbers",
                history.key, history.attributes
            ),
        });
    }
    Ok(history)
}

/// The delimiter: a tab when the header line has tabs and no commas, a
/// semicolon likewise, else a comma.
fn sniff_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    if header.contains(',') {
        b','
    } else if header.contains('\t') {
        b'\t'
    } else if header.contains(';') {
        b';'
    } else {
        b','
    }
}

fn read_csv(text: &str, source_name: &str) -> Result<History> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(sniff_delimiter(text))
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let csv_error = |e: csv::Error| {
        let line = e.position().map_or(0, csv::Position::line);
        Error::Parse {
            source_name: source_name.to_owned(),
            line,
            column: 0,
            name: String::new(),
            message: e.to_string(),
        }
    };
    let header: Vec<String> = rdr
        .headers()
        .map_err(csv_error)?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    for (i, h) in header.iter().enumerate() {
        if header[..i].contains(h) {
            return Err(Error::Parse {
                source_name: source_name.to_owned(),
                line: 1,
                column: i + 1,
                name: h.clone(),
                message: "duplicate column name".to_owned(),
            });
        }
    }
    let mut rows: Vec<(u64, csv::StringRecord)> = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(csv_error)?;
        let line = rec.position().map_or(0, csv::Position::line);
        rows.push((line, rec));
    }
    let lower: Vec<String> = header.iter().map(|h| h.to_ascii_lowercase()).collect();
    let metric_col = lower.iter().position(|h| h == "metric");
    let value_col = lower.iter().position(|h| h == "value");
    match (metric_col, value_col) {
        (Some(m), Some(v)) => read_long(&header, &rows, m, v, source_name),
        _ => read_wide(&header, &rows, source_name),
    }
}

fn read_wide(
    header: &[String],
    rows: &[(u64, csv::StringRecord)],
    source_name: &str,
) -> Result<History> {
    let key_col = header.iter().position(|h| is_key_name(h));
    let mut attr_cols = Vec::new();
    let mut metric_cols = Vec::new();
    for (c, name) in header.iter().enumerate() {
        if Some(c) == key_col {
            continue;
        }
        let any_number = rows.iter().any(|(_, r)| r.get(c).is_some_and(is_number));
        if is_attribute_name(name) || !any_number {
            attr_cols.push(c);
        } else {
            metric_cols.push(c);
        }
    }
    let mut runs = Vec::with_capacity(rows.len());
    let mut metrics: Vec<Series> = metric_cols
        .iter()
        .map(|&c| Series {
            name: header.get(c).cloned().unwrap_or_default(),
            values: Vec::with_capacity(rows.len()),
        })
        .collect();
    for (row, (line, rec)) in rows.iter().enumerate() {
        let id = match key_col {
            Some(k) => rec.get(k).unwrap_or("").trim().to_owned(),
            None => (row + 1).to_string(),
        };
        let attributes = attr_cols
            .iter()
            .map(|&c| {
                rec.get(c)
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
            })
            .collect();
        runs.push(Run {
            id,
            attributes,
            line: *line,
        });
        for (series, &c) in metrics.iter_mut().zip(&metric_cols) {
            let cell = rec.get(c).unwrap_or("");
            let value = parse_cell(cell).map_err(|message| Error::Parse {
                source_name: source_name.to_owned(),
                line: *line,
                column: c + 1,
                name: series.name.clone(),
                message,
            })?;
            series.values.push(value);
        }
    }
    Ok(History {
        key: key_col
            .and_then(|k| header.get(k).cloned())
            .unwrap_or_default(),
        attributes: attr_cols
            .iter()
            .filter_map(|&c| header.get(c).cloned())
            .collect(),
        runs,
        metrics,
        shape: Shape::Wide,
    })
}

fn read_long(
    header: &[String],
    rows: &[(u64, csv::StringRecord)],
    metric_col: usize,
    value_col: usize,
    source_name: &str,
) -> Result<History> {
    let key_col = header
        .iter()
        .enumerate()
        .position(|(c, h)| c != metric_col && c != value_col && is_key_name(h))
        .or_else(|| (0..header.len()).find(|&c| c != metric_col && c != value_col))
        .ok_or_else(|| Error::Shape {
            source_name: source_name.to_owned(),
            message: "a long history needs a time (or run id) column besides metric and value"
                .to_owned(),
        })?;
    let attr_cols: Vec<usize> = (0..header.len())
        .filter(|&c| c != metric_col && c != value_col && c != key_col)
        .collect();
    let mut run_index: HashMap<String, usize> = HashMap::new();
    let mut runs: Vec<Run> = Vec::new();
    let mut metric_index: HashMap<String, usize> = HashMap::new();
    let mut cells: Vec<(usize, usize, f64, u64)> = Vec::new();
    let mut metric_names: Vec<String> = Vec::new();
    let mut seen: HashMap<(usize, usize), u64> = HashMap::new();
    for (line, rec) in rows {
        let key = rec.get(key_col).unwrap_or("").trim().to_owned();
        let r = *run_index.entry(key.clone()).or_insert_with(|| {
            runs.push(Run {
                id: key,
                attributes: vec![None; attr_cols.len()],
                line: *line,
            });
            runs.len() - 1
        });
        if let Some(run) = runs.get_mut(r) {
            for (slot, &c) in run.attributes.iter_mut().zip(&attr_cols) {
                if slot.is_none() {
                    *slot = rec
                        .get(c)
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned);
                }
            }
        }
        let name = rec.get(metric_col).unwrap_or("").trim().to_owned();
        if name.is_empty() {
            return Err(Error::Parse {
                source_name: source_name.to_owned(),
                line: *line,
                column: metric_col + 1,
                name: "metric".to_owned(),
                message: "empty metric name".to_owned(),
            });
        }
        let m = *metric_index.entry(name.clone()).or_insert_with(|| {
            metric_names.push(name.clone());
            metric_names.len() - 1
        });
        let value =
            parse_cell(rec.get(value_col).unwrap_or("")).map_err(|message| Error::Parse {
                source_name: source_name.to_owned(),
                line: *line,
                column: value_col + 1,
                name: header.get(value_col).cloned().unwrap_or_default(),
                message,
            })?;
        if let Some(first) = seen.insert((r, m), *line) {
            return Err(Error::Parse {
                source_name: source_name.to_owned(),
                line: *line,
                column: metric_col + 1,
                name: "metric".to_owned(),
                message: format!("{name:?} measured twice in the same run (first on line {first})"),
            });
        }
        if let Some(v) = value {
            cells.push((r, m, v, *line));
        }
    }
    let mut metrics: Vec<Series> = metric_names
        .into_iter()
        .map(|name| Series {
            name,
            values: vec![None; runs.len()],
        })
        .collect();
    for (r, m, v, _) in cells {
        if let Some(slot) = metrics.get_mut(m).and_then(|s| s.values.get_mut(r)) {
            *slot = Some(v);
        }
    }
    Ok(History {
        key: header.get(key_col).cloned().unwrap_or_default(),
        attributes: attr_cols
            .iter()
            .filter_map(|&c| header.get(c).cloned())
            .collect(),
        runs,
        metrics,
        shape: Shape::Long,
    })
}

/// What one JSON field held over all lines.
#[derive(Default)]
struct FieldKinds {
    position: usize,
    number: bool,
    /// The first line with a string that is not a number.
    text_line: Option<u64>,
}

fn read_json_lines(text: &str, source_name: &str) -> Result<History> {
    let mut objects: Vec<(u64, serde_json::Map<String, serde_json::Value>)> = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut kinds: HashMap<String, FieldKinds> = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i as u64 + 1;
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value = serde_json::from_str(line).map_err(|e| Error::Parse {
            source_name: source_name.to_owned(),
            line: line_no,
            column: e.column(),
            name: String::new(),
            message: format!("invalid JSON: {e}"),
        })?;
        let serde_json::Value::Object(map) = value else {
            return Err(Error::Parse {
                source_name: source_name.to_owned(),
                line: line_no,
                column: 1,
                name: String::new(),
                message: "expected one JSON object per line".to_owned(),
            });
        };
        for (k, v) in &map {
            let n = fields.len();
            let entry = kinds.entry(k.clone()).or_insert_with(|| FieldKinds {
                position: n + 1,
                ..FieldKinds::default()
            });
            if entry.position == n + 1 && !fields.contains(k) {
                fields.push(k.clone());
            }
            match v {
                serde_json::Value::Number(_) => entry.number = true,
                serde_json::Value::String(s) if is_number(s) => entry.number = true,
                serde_json::Value::String(s) if is_missing(s) => {}
                serde_json::Value::String(_) => {
                    entry.text_line.get_or_insert(line_no);
                }
                serde_json::Value::Null => {}
                other => {
                    return Err(Error::Parse {
                        source_name: source_name.to_owned(),
                        line: line_no,
                        column: entry.position,
                        name: k.clone(),
                        message: format!("expected a number, a string or null, found {other}"),
                    });
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
        } else if let Some(line) = kind.text_line {
            let value = objects
                .iter()
                .find(|(l, _)| *l == line)
                .and_then(|(_, m)| m.get(f))
                .map(ToString::to_string)
                .unwrap_or_default();
            return Err(Error::Parse {
                source_name: source_name.to_owned(),
                line,
                column: kind.position,
                name: f.clone(),
                message: format!("{value} is not a number"),
            });
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
                Some(serde_json::Value::String(s)) => parse_cell(s).ok().flatten(),
                _ => None,
            };
            if let Some(v) = value
                && !v.is_finite()
            {
                return Err(Error::Parse {
                    source_name: source_name.to_owned(),
                    line: *line,
                    column: kinds.get(&series.name).map_or(0, |k| k.position),
                    name: series.name.clone(),
                    message: format!("{v} is not a finite number"),
                });
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
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let msg = e.to_string();
        assert!(msg.contains("line 3"), "{msg}");
        assert!(msg.contains("column 3"), "{msg}");
        assert!(msg.contains("\"b\""), "{msg}");
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
        assert!(e.to_string().contains("line 2, column 3"), "{e}");
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
        assert!(e.to_string().contains("line 2"), "{e}");
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

//! Appending a run to a history file in its own shape: the inverse of [`super::read_history`].

use std::path::Path;

use perfstat_ingest::table::{self, Delimiter, Header, TableOptions};

use super::{History, Shape};
use crate::error::{Error, HistoryErrorKind as Kind, Result};

/// What [`History::append_run`] did besides adding the row.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Appended {
    /// Columns the history lacked, added at the end (empty in the earlier rows).
    pub added_columns: Vec<String>,
}

impl History {
    /// Appends the one run of `current` to the history file at `path`, which `self` was read from,
    /// in the file's shape: a wide row (columns the history lacks are added at the end and are
    /// empty in earlier rows; earlier cells are kept), long rows (one per metric with a value) or
    /// a JSON line. The delimiter and line ending (LF or CRLF) are the file's.
    ///
    /// The file is replaced atomically ([`crate::atomic::write_atomic`]): through a symbolic
    /// link the real file is updated; its mode (and owner, where allowed) is kept; a kill at any
    /// moment leaves the old history or the new one.
    ///
    /// # Errors
    /// [`Kind::NotOneRun`] or [`Kind::NoKey`] when `current` is not one run with a key;
    /// [`Error::Input`] when the file no longer reads as a table; [`Error::Io`].
    pub fn append_run(&self, path: &Path, current: &Self) -> Result<Appended> {
        let name = path.display().to_string();
        let [run] = current.runs.as_slice() else {
            return Err(Error::whole(
                &name,
                Kind::NotOneRun {
                    found: current.runs.len(),
                },
            ));
        };
        if current.key.is_empty() {
            return Err(Error::whole(&name, Kind::NoKey));
        }
        let original = std::fs::read(path).map_err(|e| Error::io(&name, e))?;
        let crlf = original.windows(2).any(|w| w == b"\r\n");
        let newline: &[u8] = if crlf { b"\r\n" } else { b"\n" };
        let attr = |a: &str| -> String {
            current
                .attributes
                .iter()
                .position(|x| x == a)
                .and_then(|i| run.attributes.get(i).cloned().flatten())
                .unwrap_or_default()
        };
        let value = |m: &str| -> Option<f64> {
            current
                .metrics
                .iter()
                .find(|s| s.name == m)
                .and_then(|s| s.values.first().copied().flatten())
        };
        let cell = |m: &str| value(m).map(|v| v.to_string()).unwrap_or_default();
        let mut text = original.clone();
        if !text.is_empty() && !text.ends_with(b"\n") {
            text.extend_from_slice(newline);
        }
        let mut appended = Appended::default();
        match self.shape {
            Shape::JsonLines => {
                let mut obj = serde_json::Map::new();
                let key = if self.key.is_empty() {
                    &current.key
                } else {
                    &self.key
                };
                obj.insert(key.clone(), serde_json::Value::String(run.id.clone()));
                for a in &current.attributes {
                    obj.insert(a.clone(), serde_json::Value::String(attr(a)));
                }
                for m in &current.metrics {
                    let v = value(&m.name).and_then(serde_json::Number::from_f64);
                    obj.insert(
                        m.name.clone(),
                        v.map_or(serde_json::Value::Null, serde_json::Value::Number),
                    );
                }
                text.extend_from_slice(serde_json::Value::Object(obj).to_string().as_bytes());
                text.extend_from_slice(newline);
            }
            Shape::Wide | Shape::Long => {
                let opts = TableOptions {
                    delimiter: None,
                    header: Header::Present,
                };
                let table = table::parse_table(&name, &original, &opts)?;
                let delimiter = match table.delimiter {
                    Delimiter::Byte(b) => b,
                    Delimiter::Whitespace => b' ',
                };
                let mut w = csv::WriterBuilder::new()
                    .delimiter(delimiter)
                    .terminator(if crlf {
                        csv::Terminator::CRLF
                    } else {
                        csv::Terminator::Any(b'\n')
                    })
                    .from_writer(Vec::new());
                let csv_err = |e: csv::Error| Error::io(&name, std::io::Error::other(e));
                let mut header = table.columns.clone();
                if self.shape == Shape::Long {
                    for m in &current.metrics {
                        let v = cell(&m.name);
                        if v.is_empty() {
                            continue;
                        }
                        let row: Vec<String> = header
                            .iter()
                            .map(|h| {
                                if *h == self.key {
                                    run.id.clone()
                                } else if h.eq_ignore_ascii_case("metric") {
                                    m.name.clone()
                                } else if h.eq_ignore_ascii_case("value") {
                                    v.clone()
                                } else {
                                    attr(h)
                                }
                            })
                            .collect();
                        w.write_record(&row).map_err(csv_err)?;
                    }
                } else {
                    appended.added_columns = current
                        .attributes
                        .iter()
                        .chain(current.metrics.iter().map(|m| &m.name))
                        .filter(|c| !header.contains(c))
                        .cloned()
                        .collect();
                    let is_metric = |c: &str| current.metrics.iter().any(|m| m.name == c);
                    if !appended.added_columns.is_empty() {
                        // Rewrite the table with the new columns.
                        text.clear();
                        let old_len = header.len();
                        header.extend(appended.added_columns.iter().cloned());
                        w.write_record(&header).map_err(csv_err)?;
                        for row in &table.rows {
                            let mut cells = row.cells.clone();
                            cells.resize(old_len, String::new());
                            cells.resize(header.len(), String::new());
                            w.write_record(&cells).map_err(csv_err)?;
                        }
                    }
                    let row: Vec<String> = header
                        .iter()
                        .map(|h| {
                            if *h == self.key {
                                run.id.clone()
                            } else if is_metric(h) {
                                cell(h)
                            } else {
                                attr(h)
                            }
                        })
                        .collect();
                    w.write_record(&row).map_err(csv_err)?;
                }
                let rows = w
                    .into_inner()
                    .map_err(|e| Error::io(&name, e.into_error()))?;
                text.extend_from_slice(&rows);
            }
        }
        crate::atomic::write_atomic(path, &text).map_err(|e| Error::io(&name, e))?;
        Ok(appended)
    }
}

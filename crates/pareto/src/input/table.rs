//! Configs as a delimited table, read by `perfstat_ingest::table`.

use std::sync::Arc;

use perfstat_ingest::table::{Header, Table, TableOptions, is_missing};

use super::{Error, ErrorKind, Input, ReadOptions, Shape, needed, resolve_objectives};
use crate::analysis::{Config, Metric, Metrics};

/// Reads a table of flat records: one row per config.
pub(super) fn read(name: &str, bytes: &[u8], opts: &ReadOptions) -> Result<Input, Error> {
    let options = TableOptions {
        header: Header::Present,
        ..TableOptions::default()
    };
    let table = perfstat_ingest::table::read_table(name, bytes, &options)?;
    let needed = needed(opts);
    let id_col = table.column(&opts.id_field);
    if id_col.is_none() && opts.id_field != "id" {
        return Err(Error::Configs {
            file: name.to_owned(),
            position: table.header_line.map(perfstat_ingest::Position::line),
            kind: Box::new(ErrorKind::NoIdField {
                field: opts.id_field.clone(),
                found: table.columns.clone(),
            }),
        });
    }
    // Rows to configs on all cores (allocation-bound for large tables); the first
    // error in row order wins, as in a sequential read.
    // Each column name once per rayon job, shared by its configs' metrics (one copy per
    // job: the counts of one `Arc` shared by all cores would bounce between their caches).
    let names = || -> Vec<Arc<str>> {
        table
            .columns
            .iter()
            .map(|c| Arc::from(c.as_str()))
            .collect()
    };
    use rayon::prelude::*;
    // The ids are copied, not moved out of the table: taken, they would stay behind as holes in
    // the heap the table frees (measured: ~60 MB more peak memory at a million configs).
    let configs: Vec<Result<Config, Error>> = table
        .rows
        .par_iter()
        .enumerate()
        .with_min_len(4096)
        .map_init(names, |names, (i, row)| {
            let id = match id_col {
                Some(c) if row.cells[c].is_empty() => {
                    return Err(Error::Configs {
                        file: name.to_owned(),
                        position: Some(perfstat_ingest::Position::new(row.line, c as u64 + 1)),
                        kind: Box::new(ErrorKind::MissingId {
                            at: format!("row {}", i + 1),
                            field: table.columns[c].clone(),
                        }),
                    });
                }
                Some(c) => row.cells[c].clone(),
                None => (i + 1).to_string(),
            };
            config(&table, names, row, id_col, id, &needed)
        })
        .collect();
    let configs = configs
        .into_iter()
        .collect::<Result<Vec<Config>, Error>>()?;
    let (objectives, inferred) = resolve_objectives(&opts.objectives, Vec::new());
    Ok(Input {
        source: name.to_owned(),
        shape: Shape::Table,
        objectives,
        inferred,
        configs,
    })
}

/// One row: numbers are metrics; the cells no objective or constraint names are
/// parameters (numbers as numbers, text as strings; empty cells are left out).
fn config(
    table: &Table,
    names: &[Arc<str>],
    row: &perfstat_ingest::table::TableRow,
    id_col: Option<usize>,
    id: String,
    needed: &[String],
) -> Result<Config, Error> {
    let mut metrics = Metrics::new();
    let mut params = Vec::new();
    for (c, (column, cell)) in table.columns.iter().zip(&row.cells).enumerate() {
        if Some(c) == id_col {
            continue;
        }
        if needed.contains(column) {
            match table.number(row, c) {
                Ok(Some(x)) => {
                    metrics.insert(names[c].clone(), Metric::Value(x));
                }
                Ok(None) => {
                    let kind = perfstat_ingest::ErrorKind::InvalidNumber {
                        column: column.clone(),
                        found: cell.clone(),
                    };
                    return Err(cell_error(table, row, c, &id, column, kind));
                }
                Err(e) => {
                    return Err(cell_error(table, row, c, &id, column, e.into_kind()));
                }
            }
            continue;
        }
        if cell.is_empty() {
            continue;
        }
        let number = if is_missing(cell) {
            None
        } else {
            table.number(row, c).ok().flatten()
        };
        match number.and_then(|x| serde_json::Number::from_f64(x).map(|n| (x, n))) {
            Some((x, n)) => {
                metrics.insert(names[c].clone(), Metric::Value(x));
                params.push((column.clone(), serde_json::Value::Number(n)));
            }
            None => params.push((column.clone(), serde_json::Value::String(cell.clone()))),
        }
    }
    Ok(Config {
        id,
        params,
        metrics,
    })
}

fn cell_error(
    table: &Table,
    row: &perfstat_ingest::table::TableRow,
    column: usize,
    id: &str,
    metric: &str,
    error: perfstat_ingest::ErrorKind,
) -> Error {
    Error::Configs {
        file: table.source.clone(),
        position: Some(perfstat_ingest::Position::new(row.line, column as u64 + 1)),
        kind: Box::new(ErrorKind::Cell {
            at: format!("config `{id}`: metric `{metric}`"),
            error,
        }),
    }
}

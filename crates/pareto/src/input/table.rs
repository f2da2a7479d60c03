//! Configs as a delimited table, read by `perfstat_ingest::table`.

use std::sync::Arc;

use perfstat_ingest::table::{Header, RowRef, Table, TableOptions, is_missing};

use super::{Error, ErrorKind, Input, ReadOptions, Shape, needed, resolve_objectives};
use crate::analysis::{Config, Metric, Metrics};

/// Reads a table of flat records: one row per config.
pub(super) fn read(name: &str, bytes: &[u8], opts: &ReadOptions) -> Result<Input, Error> {
    let options = TableOptions {
        header: Header::Present,
        ..TableOptions::default()
    };
    let needed = needed(opts);
    // Rows become configs on all cores, borrowed from the input; the first error in row
    // order wins, as in a sequential read. Each rayon piece names the metrics itself (one
    // `Arc` shared by all cores would bounce between their caches).
    let init = |table: &Table| {
        let names: Vec<Arc<str>> = table
            .columns
            .iter()
            .map(|c| Arc::from(c.as_str()))
            .collect();
        (table.column(&opts.id_field), names)
    };
    let (table, mut configs) = perfstat_ingest::table::map_rows(
        name,
        bytes,
        &options,
        init,
        |(id_col, names), table, row| match *id_col {
            Some(c) if row.cells[c].is_empty() => Err(RowError::MissingId {
                line: row.line,
                column: c,
            }),
            Some(c) => {
                let id = row.cells[c].to_owned();
                config(table, names, row, Some(c), id, &needed).map_err(RowError::Other)
            }
            None => {
                config(table, names, row, None, String::new(), &needed).map_err(RowError::Other)
            }
        },
    )?;
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
    // The first error in row order, then the configs in place (no copy of a million).
    let first_error = configs.iter().position(Result::is_err);
    if let Some((i, Err(error))) = first_error.map(|i| (i, configs.swap_remove(i))) {
        return Err(match error {
            RowError::MissingId { line, column } => Error::Configs {
                file: name.to_owned(),
                position: Some(perfstat_ingest::Position::new(line, column as u64 + 1)),
                kind: Box::new(ErrorKind::MissingId {
                    at: format!("row {}", i + 1),
                    field: table.columns[column].clone(),
                }),
            },
            RowError::Other(e) => e,
        });
    }
    let configs: Vec<Config> = configs
        .into_iter()
        .enumerate()
        .filter_map(|(i, config)| {
            let mut config = config.ok()?;
            if id_col.is_none() {
                config.id = (i + 1).to_string();
            }
            Some(config)
        })
        .collect();
    let (objectives, inferred) = resolve_objectives(&opts.objectives, Vec::new());
    Ok(Input {
        source: name.to_owned(),
        shape: Shape::Table,
        objectives,
        inferred,
        configs,
    })
}

/// Why a row is no config.
enum RowError {
    /// The id cell is empty (its row number is known only once the rows are in order).
    MissingId {
        line: u64,
        column: usize,
    },
    Other(Error),
}

/// One row: numbers are metrics; the cells no objective or constraint names are
/// parameters (numbers as numbers, text as strings; empty cells are left out).
fn config(
    table: &Table,
    names: &[Arc<str>],
    row: RowRef<'_>,
    id_col: Option<usize>,
    id: String,
    needed: &[String],
) -> Result<Config, Error> {
    let numbers = row.cells.iter().filter(|c| !c.is_empty()).count();
    let mut metrics = Metrics::with_capacity(numbers.saturating_sub(usize::from(id_col.is_some())));
    let mut params = Vec::new();
    for (c, (column, &cell)) in table.columns.iter().zip(row.cells).enumerate() {
        if Some(c) == id_col {
            continue;
        }
        if needed.contains(column) {
            match table.cell_number(row.line, c, cell) {
                Ok(Some(x)) => {
                    metrics.insert(names[c].clone(), Metric::Value(x));
                }
                Ok(None) => {
                    let kind = perfstat_ingest::ErrorKind::InvalidNumber {
                        column: column.clone(),
                        found: cell.to_owned(),
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
            table.cell_number(row.line, c, cell).ok().flatten()
        };
        match number.and_then(|x| serde_json::Number::from_f64(x).map(|n| (x, n))) {
            Some((x, n)) => {
                metrics.insert(names[c].clone(), Metric::Value(x));
                params.push((column.clone(), serde_json::Value::Number(n)));
            }
            None => params.push((column.clone(), serde_json::Value::String(cell.to_owned()))),
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
    row: RowRef<'_>,
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

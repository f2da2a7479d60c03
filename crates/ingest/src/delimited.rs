//! CSV, TSV and other delimited text, read with the csv crate's `ByteRecord` (no per-row allocation).

use std::io::Read;

use csv::{ByteRecord, ReaderBuilder};

use crate::{
    InputFormat, ReadOptions,
    dataset::{
        Dataset, Groups, bad_value_kind, choose_by, choose_metric, looks_numeric,
        no_duplicate_columns, parse_value, to_ms,
    },
    error::{Error, ErrorKind, Position, Result, csv_kind},
};

/// Data rows buffered (then replayed) to decide which columns are numeric.
const SAMPLE_ROWS: usize = 100;

/// Reads delimited text. `reader` starts at the header (any byte-order mark already removed).
pub(crate) fn read<R: Read>(
    name: &str,
    reader: R,
    delimiter: u8,
    opts: &ReadOptions,
) -> Result<Dataset> {
    let mut csv = ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        // Records end at LF only: with the default CRLF terminator csv 1.4 reports CRLF records one line
        // early. A CR before the LF stays in the last field, and values, labels and names are trimmed.
        .terminator(csv::Terminator::Any(b'\n'))
        .buffer_capacity(64 * 1024)
        .from_reader(reader);
    let err = |line: u64, column: Option<u64>, kind: ErrorKind| {
        Error::new(name, Some(Position { line, column }), kind)
    };
    let mut next = |record: &mut ByteRecord| -> Result<bool> {
        csv.read_byte_record(record).map_err(|e| {
            let line = e.position().map(|p| p.line());
            Error::new(name, line.map(Position::line), csv_kind(e))
        })
    };

    let mut first = ByteRecord::new();
    if !next(&mut first)? {
        return Err(Error::new(name, None, ErrorKind::Empty));
    }
    let first_line = line_of(&first);
    // A bare list of numbers: no header, one column named "value".
    let headerless = first.len() == 1 && parse_value(&first[0]).is_ok();
    let columns: Vec<String> = if headerless {
        vec!["value".to_owned()]
    } else {
        let mut names = Vec::with_capacity(first.len());
        for (i, f) in first.iter().enumerate() {
            let name = std::str::from_utf8(f).map_err(|_| {
                err(
                    first_line,
                    Some(i as u64 + 1),
                    ErrorKind::InvalidUtf8 { column: None },
                )
            })?;
            names.push(name.trim().to_owned());
        }
        names
    };
    no_duplicate_columns(&columns).map_err(|(column, kind)| err(first_line, Some(column), kind))?;
    let by = match &opts.by {
        Some(by) => Some(choose_by(&columns, by).map_err(|k| err(first_line, None, k))?),
        None => None,
    };

    // Rows read ahead: the first data row of a headerless file, and a sample when the metric is not named.
    let mut pending: Vec<ByteRecord> = Vec::new();
    if headerless {
        pending.push(first);
    }
    let mut done = false;
    let mut choice = None;
    let metric = if opts.metric.is_none() && columns.len() > 1 {
        while pending.len() < SAMPLE_ROWS {
            let mut record = ByteRecord::new();
            if !next(&mut record)? {
                done = true;
                break;
            }
            pending.push(record);
        }
        if pending.is_empty() {
            return Err(err(first_line, None, ErrorKind::NoDataRows));
        }
        let numeric = numeric_columns(columns.len(), &pending);
        choice = crate::dataset::metric_choice(&columns, &numeric, None);
        choose_metric(&columns, &numeric, None).map_err(|k| err(first_line, None, k))?
    } else {
        choose_metric(&columns, &[], opts.metric.as_deref())
            .map_err(|k| err(first_line, None, k))?
    };

    let mut rows = Rows {
        columns: &columns,
        metric,
        by,
        skip_invalid: opts.skip_invalid,
        exp10: opts.unit.map(crate::Unit::exp10_to_ms),
        groups: Groups::default(),
        rows: 0,
        skipped: 0,
    };
    for record in &pending {
        rows.add(record)
            .map_err(|(line, column, kind)| Error::row(name, Position { line, column }, kind))?;
    }
    drop(pending);
    if !done {
        let mut record = ByteRecord::new();
        while next(&mut record)? {
            rows.add(&record).map_err(|(line, column, kind)| {
                Error::row(name, Position { line, column }, kind)
            })?;
        }
    }
    if rows.rows == 0 {
        return Err(err(first_line, None, ErrorKind::NoDataRows));
    }
    if rows.rows == rows.skipped {
        return Err(Error::new(
            name,
            None,
            ErrorKind::NoValidRows {
                skipped: rows.skipped,
            },
        ));
    }
    let mut data = Dataset::generic(
        name,
        columns[metric].clone(),
        rows.groups.finish(),
        rows.rows,
        rows.skipped,
        InputFormat::Csv,
    );
    data.metric_choice = choice;
    Ok(data)
}

fn line_of(record: &ByteRecord) -> u64 {
    record.position().map_or(0, csv::Position::line)
}

/// Whether each column looks numeric in the sample: at least half of its non-empty values parse as numbers.
fn numeric_columns(width: usize, sample: &[ByteRecord]) -> Vec<bool> {
    (0..width)
        .map(|i| {
            let (mut filled, mut numbers) = (0usize, 0usize);
            for field in sample.iter().filter_map(|r| r.get(i)) {
                if !field.trim_ascii().is_empty() {
                    filled += 1;
                    numbers += usize::from(looks_numeric(field));
                }
            }
            filled > 0 && 2 * numbers >= filled
        })
        .collect()
}

/// Accumulates data rows.
struct Rows<'a> {
    columns: &'a [String],
    metric: usize,
    by: Option<usize>,
    skip_invalid: bool,
    /// The conversion to milliseconds ([`ReadOptions::unit`]).
    exp10: Option<i32>,
    groups: Groups,
    rows: u64,
    skipped: u64,
}

type RowError = (u64, Option<u64>, ErrorKind);

impl Rows<'_> {
    #[inline]
    fn add(&mut self, record: &ByteRecord) -> Result<(), RowError> {
        self.rows += 1;
        match self.value(record) {
            Ok(()) => Ok(()),
            Err(_) if self.skip_invalid => {
                self.skipped += 1;
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    #[inline]
    fn value(&mut self, record: &ByteRecord) -> Result<(), RowError> {
        if record.len() != self.columns.len() {
            let kind = ErrorKind::FieldCount {
                expected: self.columns.len() as u64,
                found: record.len() as u64,
            };
            return Err((line_of(record), None, kind));
        }
        let field = record.get(self.metric).unwrap_or_default();
        let value = match self.exp10 {
            None => parse_value(field),
            Some(exp10) => parse_value(field).and_then(|v| to_ms(v, exp10)),
        };
        let value = value.map_err(|bad| {
            let kind = bad_value_kind(&self.columns[self.metric], field, bad);
            (line_of(record), Some(self.metric as u64 + 1), kind)
        })?;
        match self.by {
            None => self.groups.push(value),
            Some(by) => {
                let label = record.get(by).unwrap_or_default().trim_ascii();
                let id = self.groups.id(label).map_err(|()| {
                    let kind = ErrorKind::InvalidUtf8 {
                        column: Some(self.columns[by].clone()),
                    };
                    (line_of(record), Some(by as u64 + 1), kind)
                })?;
                self.groups.push_to(id, value);
            }
        }
        Ok(())
    }
}

//! Headed delimited files of time columns in one unit, without labels (hey, ab).

use std::io::Read;

use csv::ByteRecord;

use super::{
    Request, Sink, csv_header, field_count, is_blank, line_of, next_record, not_format, ok_status,
    parse_status, resolve_by, value_at,
};
use crate::{
    InputFormat, ReadOptions,
    dataset::Dataset,
    error::{Error, ErrorKind, Position, Result},
};

/// What a simple format looks like.
pub(crate) struct Layout {
    pub format: InputFormat,
    pub delimiter: u8,
    /// A column the header must have.
    pub signature: &'static str,
    /// The time columns; the first is the default metric.
    pub metrics: &'static [&'static str],
    /// Power of ten from the file's unit to ms.
    pub exp10: i32,
    /// The status column, if any (a status ≥ 400 is a failure).
    pub status: Option<&'static str>,
    /// The start-time column and its power of ten to ms.
    pub start: Option<(&'static str, i32)>,
}

pub(crate) fn read_simple<R: Read>(
    name: &str,
    reader: R,
    opts: &ReadOptions,
    layout: &Layout,
) -> Result<Dataset> {
    let format = layout.format;
    let mut csv = super::csv_reader(reader, layout.delimiter);
    let mut record = ByteRecord::new();
    let (header, header_line) = csv_header(name, &mut csv, &mut record)?;
    let at = |e: ErrorKind| Error::new(name, Some(Position::line(header_line)), e);
    if header.find(layout.signature).is_none() {
        return Err(not_format(
            name,
            Some(header_line),
            format,
            format!(
                "no \"{}\" column in the header ({})",
                layout.signature,
                super::shorten_list(&header.names)
            ),
        ));
    }
    let wanted = opts.metric.as_deref().unwrap_or(layout.metrics[0]);
    let metric = layout
        .metrics
        .iter()
        .find(|m| m.eq_ignore_ascii_case(wanted))
        .and_then(|m| header.find(m))
        .ok_or_else(|| {
            at(ErrorKind::UnknownMetric {
                name: wanted.to_owned(),
                available: layout
                    .metrics
                    .iter()
                    .filter(|m| header.find(m).is_some())
                    .map(|m| (*m).to_owned())
                    .collect(),
            })
        })?;
    let status_col = layout.status.and_then(|s| header.find(s));
    let start_col = layout
        .start
        .and_then(|(s, e)| header.find(s).map(|i| (i, e)));
    let (by, _) = resolve_by(opts, false, status_col.is_some(), &[]).map_err(at)?;
    let metric_name = header.names[metric].clone();
    let mut sink = Sink::new(name, format, opts, by);
    let width = header.names.len();
    while next_record(name, &mut csv, &mut record)? {
        if record.len() != width {
            if is_blank(&record) {
                continue;
            }
            sink.fail(field_count(name, &record, width))?;
            continue;
        }
        let line = line_of(&record);
        let field = |i: usize| record.get(i).unwrap_or_default();
        let latency = match value_at(
            name,
            &metric_name,
            field(metric),
            layout.exp10,
            line,
            Some(metric),
        ) {
            Ok(v) => v,
            Err(e) => {
                sink.fail(e)?;
                continue;
            }
        };
        let start_ms = match start_col {
            Some((i, exp10)) => super::parse_scaled(field(i), exp10).unwrap_or(f64::NAN),
            None => f64::NAN,
        };
        let status = status_col.map_or(0, |i| parse_status(field(i)));
        let r = Request {
            latency,
            start_ms,
            ok: status_col.is_none() || ok_status(status) || (100..200).contains(&status),
            status,
            ..Request::default()
        };
        if let Err(e) = sink.push(&r, b"", line) {
            sink.fail(e)?;
        }
    }
    sink.finish(metric_name, Some("ms"))
}

//! JMeter JTL results in CSV: any column set, mapped by header name (or JMeter's default columns when the
//! file has no header). Transaction Controller parent rows are skipped unless asked for.

use std::io::{BufRead, BufReader, Read};

use csv::ByteRecord;

use super::{
    By, Header, Request, Sink, field_count, is_blank, line_of, next_record, not_format, ok_status,
    parse_epoch_ms, parse_status, resolve_by, value_at,
};
use crate::{
    InputFormat, ReadOptions,
    dataset::Dataset,
    error::{Error, ErrorKind, Position, Result},
};

/// JMeter's default columns (`jmeter.save.saveservice.*` defaults, JMeter ≥ 3.1).
const DEFAULT_COLUMNS: [&str; 17] = [
    "timeStamp",
    "elapsed",
    "label",
    "responseCode",
    "responseMessage",
    "threadName",
    "dataType",
    "success",
    "failureMessage",
    "bytes",
    "sentBytes",
    "grpThreads",
    "allThreads",
    "URL",
    "Latency",
    "IdleTime",
    "Connect",
];

/// The `responseMessage` of a Transaction Controller parent row.
const TRANSACTION: &[u8] = b"Number of samples in transaction : ";

/// Time columns (milliseconds).
const TIME_COLUMNS: [&str; 4] = ["elapsed", "Latency", "Connect", "IdleTime"];

pub(crate) fn read<R: Read>(name: &str, reader: R, opts: &ReadOptions) -> Result<Dataset> {
    let format = InputFormat::JmeterCsv;
    let mut reader = BufReader::with_capacity(64 * 1024, reader);
    let head = reader
        .fill_buf()
        .map_err(|e| Error::new(name, None, crate::error::io_kind(e)))?;
    let delimiter = crate::format::sniff_delimiter(head, b',');
    let mut csv = super::csv_reader(reader, delimiter);
    let mut record = ByteRecord::new();
    if !next_record(name, &mut csv, &mut record)? {
        return Err(Error::new(name, None, ErrorKind::Empty));
    }
    // Without a header (print_field_names=false) the first field is a timestamp: JMeter's default columns.
    let headerless = record
        .get(0)
        .is_some_and(|f| !f.is_empty() && f.trim_ascii().iter().all(u8::is_ascii_digit));
    let header = if headerless {
        if record.len() != DEFAULT_COLUMNS.len() {
            return Err(not_format(
                name,
                Some(line_of(&record)),
                format,
                format!(
                    "no header, and {} fields instead of JMeter's {} default columns",
                    record.len(),
                    DEFAULT_COLUMNS.len()
                ),
            ));
        }
        Header {
            names: DEFAULT_COLUMNS.map(str::to_owned).to_vec(),
        }
    } else {
        Header::new(&record)
    };
    let header_line = line_of(&record);
    let metric_name = opts.metric.as_deref().unwrap_or("elapsed");
    let Some(metric) = header.find(metric_name) else {
        if opts.metric.is_none() {
            return Err(not_format(
                name,
                Some(header_line),
                format,
                format!(
                    "no \"elapsed\" column in the header ({})",
                    super::shorten_list(&header.names)
                ),
            ));
        }
        return Err(Error::new(
            name,
            Some(Position::line(header_line)),
            ErrorKind::UnknownMetric {
                name: metric_name.to_owned(),
                available: header.names.clone(),
            },
        ));
    };
    let col = |n: &str| header.find(n);
    let (timestamp, label, code, message, success, failure, bytes) = (
        col("timeStamp"),
        col("label"),
        col("responseCode"),
        col("responseMessage"),
        col("success"),
        col("failureMessage"),
        col("bytes"),
    );
    let custom: Vec<&str> = header.names.iter().map(String::as_str).collect();
    let (by, by_col) = resolve_by(opts, label.is_some(), code.is_some(), &custom)
        .map_err(|k| Error::new(name, Some(Position::line(header_line)), k))?;
    let by_col = if by == By::Custom { by_col } else { None };
    let metric_column = header.names[metric].clone();
    let unit = TIME_COLUMNS
        .iter()
        .any(|t| t.eq_ignore_ascii_case(&metric_column))
        .then_some("ms");

    let mut sink = Sink::new(name, format, opts, by);
    // `allThreads` per request kept (with the records), aligned with them.
    let all_threads_col = col("allThreads").filter(|_| opts.keep_records);
    let mut all_threads: Vec<u32> = Vec::new();
    let width = header.names.len();
    let mut pending = headerless;
    loop {
        if pending {
            pending = false;
        } else if !next_record(name, &mut csv, &mut record)? {
            break;
        }
        if record.len() != width {
            if is_blank(&record) {
                continue;
            }
            sink.fail(field_count(name, &record, width))?;
            continue;
        }
        let field = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or_default();
        if !opts.jmeter_transactions && field(message).starts_with(TRANSACTION) {
            continue;
        }
        let line = line_of(&record);
        let value = field(Some(metric));
        let latency = match value_at(name, &metric_column, value, 0, line, Some(metric)) {
            Ok(v) => v,
            Err(e) => {
                sink.fail(e)?;
                continue;
            }
        };
        let status = parse_status(field(code));
        let ok = match field(success).trim_ascii() {
            b"true" | b"TRUE" | b"True" => true,
            b"false" | b"FALSE" | b"False" => false,
            _ => code.is_none() || ok_status(status),
        };
        let failure_text = field(failure);
        let request = Request {
            latency,
            start_ms: parse_epoch_ms(field(timestamp)).unwrap_or(f64::NAN),
            ok,
            status,
            label: field(label).trim_ascii(),
            bytes: std::str::from_utf8(field(bytes).trim_ascii())
                .ok()
                .and_then(|b| b.parse().ok())
                .unwrap_or(0),
            message: if failure_text.trim_ascii().is_empty() {
                field(message)
            } else {
                failure_text
            },
        };
        match sink.push(&request, field(by_col), line) {
            Ok(()) => {
                if all_threads_col.is_some() {
                    all_threads.push(
                        std::str::from_utf8(field(all_threads_col).trim_ascii())
                            .ok()
                            .and_then(|t| t.parse().ok())
                            .unwrap_or(0),
                    );
                }
            }
            Err(e) => sink.fail(e)?,
        }
    }
    let mut dataset = sink.finish(metric_column, unit)?;
    if all_threads_col.is_some()
        && let Some(records) = &mut dataset.records
    {
        records.all_threads = Some(all_threads);
    }
    Ok(dataset)
}

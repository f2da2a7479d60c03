//! JMeter JTL results in CSV: any column set, mapped by header name (or JMeter's default columns when the
//! file has no header). Transaction Controller parent rows are skipped unless asked for.

use std::io::{BufRead, BufReader, Read};

use super::{
    By, Header, Request, Sink, not_format, ok_status, parse_epoch_ms, parse_status, resolve_by,
    rows::Rows, value_at,
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

/// The columns of a header-less JTL (`jmeter.save.saveservice.print_field_names=false`), from the shapes
/// of its first row's `fields`: JMeter writes the enabled fields in a fixed order
/// (`CSVSaveService`: timeStamp, elapsed, label, responseCode, responseMessage, threadName, dataType,
/// success, failureMessage, bytes, sentBytes, grpThreads, allThreads, URL, Latency, IdleTime, Connect), and
/// the defaults changed between versions:
///
/// | fields | versions (defaults) | after `success` |
/// |---|---|---|
/// | 17 | 5.x | failureMessage, bytes, sentBytes, grpThreads, allThreads, URL, Latency, IdleTime, Connect |
/// | 16 | 3.1–4.x | failureMessage, bytes, sentBytes, grpThreads, allThreads, Latency, IdleTime, Connect |
/// | 12–15 | 2.x (2.13: Debian's) | [failureMessage,] bytes, grpThreads, allThreads, [URL,] Latency[, IdleTime[, Connect]] |
///
/// The first eight are always those (`success` is `true`/`false`); after it, a non-numeric field 8 is
/// `failureMessage`, and a non-numeric field after `allThreads` is the URL. `None` when the row does not
/// have these shapes.
pub(crate) fn headerless_columns(fields: &[String]) -> Option<Vec<String>> {
    if !looks_headerless(fields) {
        return None;
    }
    let numeric = |f: &str| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit());
    let mut names: Vec<&str> = DEFAULT_COLUMNS[..8].to_vec();
    let mut rest = &fields[8..];
    if rest.first().is_some_and(|f| !numeric(f)) {
        names.push("failureMessage");
        rest = &rest[1..];
    }
    // Then the rest of `DEFAULT_COLUMNS` less what the version does not write: 5.x writes all 8;
    // 3.1–4.x no URL; 2.x no sentBytes, the URL only when the field after allThreads is not a
    // number, and may stop before IdleTime or Connect.
    let url = rest.len() >= 5 && !numeric(&rest[3]);
    let (sent_bytes, url) = match rest.len() {
        8 => (true, true),
        7 if !url => (true, false),
        4..=7 => (false, url),
        _ => return None,
    };
    let tail = DEFAULT_COLUMNS[9..]
        .iter()
        .filter(|c| (sent_bytes || **c != "sentBytes") && (url || **c != "URL"))
        .take(rest.len());
    names.extend(tail);
    Some(names.into_iter().map(str::to_owned).collect())
}

/// Whether a first row has the shapes of a header-less JTL: an epoch-millisecond `timeStamp` (10 to 16
/// digits), an integer `elapsed`, and `success` (field 8) `true` or `false`.
pub(crate) fn looks_headerless(fields: &[String]) -> bool {
    let digits = |f: &str, min: usize, max: usize| {
        (min..=max).contains(&f.len()) && f.bytes().all(|b| b.is_ascii_digit())
    };
    fields.len() >= 12
        && digits(&fields[0], 10, 16)
        && digits(&fields[1], 1, 12)
        && matches!(fields[7].as_str(), "true" | "false")
}

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
    let io_err = |e: std::io::Error| Error::new(name, None, crate::error::io_kind(e));
    let mut rows = Rows::new(reader, delimiter);
    let Some(header_line) = rows.next_row().map_err(io_err)? else {
        return Err(Error::new(name, None, ErrorKind::Empty));
    };
    let (header, headerless) = read_header(name, &rows, header_line)?;
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
    let all_threads_col = header.find("allThreads").filter(|_| opts.keep_records);
    let mut all_threads: Vec<u32> = Vec::new();
    let width = header.names.len();
    let mut pending = headerless;
    loop {
        let line = if pending {
            pending = false;
            header_line
        } else {
            match rows.next_row().map_err(io_err)? {
                Some(line) => line,
                None => break,
            }
        };
        if rows.len() != width {
            if rows.len() <= 1 && rows.field(0).trim_ascii().is_empty() {
                continue;
            }
            sink.fail(Error::row(
                name,
                Position::line(line),
                ErrorKind::FieldCount {
                    expected: width as u64,
                    found: rows.len() as u64,
                },
            ))?;
            continue;
        }
        let field = |i: Option<usize>| i.map_or(&b""[..], |i| rows.field(i));
        if !opts.jmeter_transactions && field(message).starts_with(TRANSACTION) {
            continue;
        }
        let value = field(Some(metric));
        let latency = match parse_int_ms(value) {
            Some(v) => v,
            None => match value_at(name, &metric_column, value, 0, line, Some(metric)) {
                Ok(v) => v,
                Err(e) => {
                    sink.fail(e)?;
                    continue;
                }
            },
        };
        let status = parse_status(field(code));
        let ok = match field(success).trim_ascii() {
            b"true" | b"TRUE" | b"True" => true,
            b"false" | b"FALSE" | b"False" => false,
            _ => code.is_none() || ok_status(status),
        };
        let failure_text = field(failure);
        let ts = field(timestamp);
        let request = Request {
            latency,
            start_ms: match parse_int_ms(ts) {
                // Epoch milliseconds, JMeter's default.
                Some(v) if (1e11..1e14).contains(&v) => v,
                _ => parse_epoch_ms(ts).unwrap_or(f64::NAN),
            },
            ok,
            status,
            label: field(label).trim_ascii(),
            bytes: parse_u64(field(bytes)).unwrap_or(0),
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
                        parse_u64(field(all_threads_col))
                            .and_then(|n| u32::try_from(n).ok())
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

/// The header row's column names (JMeter's default columns when the first row is data, which is then
/// `true`); duplicate names are an error.
fn read_header<R: Read>(name: &str, rows: &Rows<R>, header_line: u64) -> Result<(Header, bool)> {
    let format = InputFormat::JmeterCsv;
    // Without a header (print_field_names=false) the first field is a timestamp: JMeter's default columns.
    let first = rows.field(0);
    let headerless = !first.is_empty() && first.trim_ascii().iter().all(u8::is_ascii_digit);
    let header = if headerless {
        let fields: Vec<String> = (0..rows.len())
            .map(|i| String::from_utf8_lossy(rows.field(i)).trim().to_owned())
            .collect();
        let Some(names) = headerless_columns(&fields) else {
            return Err(not_format(
                name,
                Some(header_line),
                format,
                format!(
                    "no header, and {} fields that are not one of JMeter's default column sets \
                     (timeStamp, elapsed, label, responseCode, responseMessage, threadName, dataType, \
                     success, ...)",
                    rows.len(),
                ),
            ));
        };
        Header { names }
    } else {
        Header {
            names: (0..rows.len())
                .map(|i| String::from_utf8_lossy(rows.field(i)).trim().to_owned())
                .collect(),
        }
    };
    crate::dataset::no_duplicate_columns(&header.names).map_err(|(column, kind)| {
        Error::new(name, Some(Position::new(header_line, column)), kind)
    })?;
    Ok((header, headerless))
}

/// A plain unsigned integer of at most 15 digits (JMeter's elapsed ms and timestamps), exactly; `None`
/// for anything else (then the general parser decides).
#[inline]
fn parse_int_ms(bytes: &[u8]) -> Option<f64> {
    if bytes.is_empty() || bytes.len() > 15 {
        return None;
    }
    let mut n = 0u64;
    for &b in bytes {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        n = n * 10 + u64::from(d);
    }
    Some(n as f64)
}

/// A plain unsigned integer (surrounding ASCII white space allowed).
#[inline]
fn parse_u64(bytes: &[u8]) -> Option<u64> {
    let t = bytes.trim_ascii();
    if t.is_empty() || t.len() > 19 {
        return None;
    }
    t.iter().try_fold(0u64, |n, &b| {
        let d = b.wrapping_sub(b'0');
        (d <= 9).then(|| n * 10 + u64::from(d))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_fast_paths() {
        assert_eq!(parse_int_ms(b"1741944413002"), Some(1_741_944_413_002.0));
        assert_eq!(parse_int_ms(b"0"), Some(0.0));
        assert_eq!(parse_int_ms(b" 5"), None);
        assert_eq!(parse_int_ms(b"5.5"), None);
        assert_eq!(parse_int_ms(b""), None);
        assert_eq!(parse_u64(b" 1300 "), Some(1300));
        assert_eq!(parse_u64(b"-1"), None);
        assert_eq!(parse_u64(b"99999999999999999999"), None);
    }

    #[test]
    fn rows_split_unquoted_and_quoted_lines() {
        let text = b"a,b,c\n1,\"x,y\",3\n\n4,\"multi\nline \"\"q\"\"\",6\r\n7,8,9";
        let mut rows = Rows::new(&text[..], b',');
        let mut got = Vec::new();
        while let Some(line) = rows.next_row().unwrap() {
            let fields: Vec<String> = (0..rows.len())
                .map(|i| String::from_utf8_lossy(rows.field(i)).into_owned())
                .collect();
            got.push((line, fields));
        }
        let want: Vec<(u64, Vec<&str>)> = vec![
            (1, vec!["a", "b", "c"]),
            (2, vec!["1", "x,y", "3"]),
            (3, vec![""]),
            (4, vec!["4", "multi\nline \"q\"", "6\r"]),
            (6, vec!["7", "8", "9"]),
        ];
        assert_eq!(got.len(), want.len(), "{got:?}");
        for ((l, f), (wl, wf)) in got.iter().zip(&want) {
            assert_eq!(
                (l, f),
                (wl, &wf.iter().map(|s| s.to_string()).collect::<Vec<_>>())
            );
        }
    }

    /// Every column set of the table in [`headerless_columns`]'s docs, written out.
    #[test]
    fn headerless_column_sets_of_every_version() {
        let head = "1741944413120,20,GET /a,200,OK,T 1-1,text,true";
        let after = |fields: &str| {
            let row: Vec<String> = format!("{head},{fields}")
                .split(',')
                .map(str::to_owned)
                .collect();
            headerless_columns(&row).map(|c| c[8..].join(" "))
        };
        for (fields, want) in [
            (
                "x,1,2,3,4,u,5,6,7",
                "failureMessage bytes sentBytes grpThreads allThreads URL Latency IdleTime Connect",
            ),
            (
                "1,2,3,4,u,5,6,7",
                "bytes sentBytes grpThreads allThreads URL Latency IdleTime Connect",
            ),
            (
                "x,1,2,3,4,5,6,7",
                "failureMessage bytes sentBytes grpThreads allThreads Latency IdleTime Connect",
            ),
            (
                "1,2,3,u,5,6,7",
                "bytes grpThreads allThreads URL Latency IdleTime Connect",
            ),
            (
                "1,2,3,u,5,6",
                "bytes grpThreads allThreads URL Latency IdleTime",
            ),
            (
                "1,2,3,4,5,6",
                "bytes grpThreads allThreads Latency IdleTime Connect",
            ),
            ("1,2,3,u,5", "bytes grpThreads allThreads URL Latency"),
            ("1,2,3,4,5", "bytes grpThreads allThreads Latency IdleTime"),
            (
                "x,1,2,3,4",
                "failureMessage bytes grpThreads allThreads Latency",
            ),
        ] {
            assert_eq!(after(fields).as_deref(), Some(want), "{fields}");
        }
        assert_eq!(after("1,2,3,4,5,6,7,8,9"), None);
        assert_eq!(after("1,2,3"), None);
    }
}

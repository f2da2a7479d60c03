//! Readers for benchmark and load-test output: CSV, TSV, JSON and NDJSON, plain or gzip-compressed.
//!
//! Each reader turns one input into a [`Dataset`]: the values of one numeric column (the *metric*), in
//! input order, optionally split into [`Group`]s by the value of another column. Reading streams: only the
//! values are kept (8 bytes each), never the text of the input.
//!
//! - [`read_path`] opens a file (`-` is standard input); [`read_reader`] reads any [`std::io::Read`].
//! - [`ReadOptions`] names the metric and grouping columns, forces a format, and can skip invalid rows.
//! - Errors ([`Error`]) name the input, line and column, compiler-style:
//!   `data/a.csv:12:3: expected a number in column "latency_ms", found "n/a"`.
//!
//! # Example
//!
//! ```
//! use perfstat_ingest::{ReadOptions, read_reader};
//!
//! let csv = "timestamp,latency_ms,label\n1,12.5,a\n2,13.25,b\n3,11.0,a\n";
//! let opts = ReadOptions { metric: Some("latency_ms".into()), by: Some("label".into()), ..Default::default() };
//! let data = read_reader("runs.csv", csv.as_bytes(), &opts)?;
//! assert_eq!(data.metric, "latency_ms");
//! assert_eq!(data.rows, 3);
//! assert_eq!(data.groups[0].label.as_deref(), Some("a"));
//! assert_eq!(data.groups[0].values, [12.5, 11.0]);
//! assert_eq!(data.groups[1].values, [13.25]);
//!
//! // A bad value is an error naming the place.
//! let err = read_reader("runs.csv", "latency_ms\n1\nn/a\n".as_bytes(), &ReadOptions::default()).unwrap_err();
//! assert_eq!(err.to_string(), r#"runs.csv:3:1: expected a number in column "latency_ms", found "n/a""#);
//! # Ok::<(), perfstat_ingest::Error>(())
//! ```
//!
//! # Formats and detection
//!
//! The format is, in order: [`ReadOptions::format`] if set; else the structure of the content's first
//! 64 KiB (the first JSON value's keys and whether another value follows it, so JSON Lines named `.json`
//! is JSON Lines; a delimited header's field names, or a header-less first row's value shapes); else the
//! name's extension (after removing `.gz`): `.csv`/`.tsv`/`.txt`, `.json`, `.ndjson`/`.jsonl`; else the
//! first non-space byte of the content (`[` JSON, `{` NDJSON, anything else CSV). Gzip is recognised by its magic bytes (or a `.gz` name) and
//! decompressed on the fly; concatenated gzip members are read in turn. A UTF-8 byte-order mark is ignored.
//!
//! - **CSV** has a header row. The delimiter is the most frequent of comma, tab, semicolon and pipe in the
//!   header line (outside quotes). Quoted fields, doubled quotes, CRLF line ends and blank lines are
//!   handled by the csv crate. A file whose first line is a single number has no header: it is a bare
//!   list of numbers, one column named `value`.
//! - **JSON** is an array of numbers (metric `value`) or an array of records (objects); records' fields
//!   are the columns. The array is streamed element by element.
//! - **NDJSON** holds one record or one number per line; blank lines are skipped.
//!
//! # Metric and grouping columns
//!
//! [`ReadOptions::metric`] names the metric column (an exact match, else a unique ASCII-case-insensitive
//! match). Without it, a single-column input uses its column; otherwise the first 100 data rows are
//! buffered and the one column in which at least half of the non-empty values are numbers is the metric
//! (in JSON, only JSON numbers count). Among several, the only latency-like name wins over timestamps,
//! ids, status codes and counts ([`Dataset::metric_choice`] records it); no obvious one, or none, is an
//! error listing them.
//! [`ReadOptions::by`] names a column whose values (strings; JSON numbers and booleans as written) label
//! the groups, in order of first appearance.
//!
//! # Values
//!
//! A value is a decimal number with optional surrounding ASCII white space (JSON: a number, or a string
//! holding one). Empty, non-numeric, NaN or infinite values are errors, as are CSV rows whose field count
//! differs from the header's; with [`ReadOptions::skip_invalid`] such rows are skipped and counted in
//! [`Dataset::skipped`] instead. If every row is skipped, that is an error too.

#![warn(clippy::unwrap_used, clippy::expect_used)]

mod columnar;
mod dataset;
mod delimited;
mod error;
mod format;
mod formats;
mod json;
mod limit;
mod swar;
pub mod table;
pub mod time;
mod timeline;
mod warmup;

use std::{
    fs::File,
    io::{self, Cursor, Read},
    path::Path,
};

use flate2::read::MultiGzDecoder;

pub use crate::{
    dataset::{Dataset, Group, MetricChoice, Records, Requests},
    error::{Error, ErrorKind, Position, Result},
    format::{InputFormat, UnknownFormat},
    formats::{Unit, UnknownUnit},
    limit::{MAX_DOCUMENT_BYTES, MAX_LINE_BYTES},
    timeline::{Bucket, BucketError, Timeline},
    warmup::{WarmupCut, WarmupError},
};
use crate::{
    error::{GzipFailure, io_kind},
    format::sniff_delimiter,
    limit::LineLimit,
};

/// How to read an input. `ReadOptions::default()` detects everything and fails on the first invalid row.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// The metric column (or JSON field); `None` picks the only numeric one.
    pub metric: Option<String>,
    /// The column whose values split the data into groups; `None` gives one group.
    pub by: Option<String>,
    /// Skip rows with an invalid value (or the wrong number of fields, or a bad NDJSON line) and count
    /// them in [`Dataset::skipped`], instead of failing.
    pub skip_invalid: bool,
    /// The input format; `None` detects it: a tool's format from the content, else from the name, else
    /// from the content's first byte.
    pub format: Option<InputFormat>,
    /// Keep failed requests in the statistics (tool formats). By default only successful requests are
    /// kept, and [`Dataset::requests`] counts the failures.
    pub include_failures: bool,
    /// The unit of a generic input's values: they are converted to milliseconds and [`Dataset::unit`] is
    /// `"ms"`. Tools' formats have known units and ignore it.
    pub unit: Option<Unit>,
    /// Keep per-request columns ([`Dataset::records`]) for tool formats: timestamp, latency, label id,
    /// success, status and bytes of every request (about 31 bytes per request).
    pub keep_records: bool,
    /// Keep JMeter Transaction Controller parent rows (skipped by default: they aggregate their children).
    pub jmeter_transactions: bool,
}

/// The display name of standard input.
pub const STDIN_NAME: &str = "<stdin>";

/// Reads the file at `path` (`-` for standard input), decompressing gzip.
///
/// The input's display name ([`Dataset::source`] and in errors) is the path as given, or `<stdin>`.
///
/// # Errors
///
/// Any [`ErrorKind`]: the file cannot be opened or read, is not valid gzip, or its content is invalid.
pub fn read_path(path: &Path, opts: &ReadOptions) -> Result<Dataset> {
    if path.as_os_str() == "-" {
        return read_reader(STDIN_NAME, io::stdin().lock(), opts);
    }
    let name = path.display().to_string();
    if path.is_dir() {
        let mut data = columnar::read_dir(path, &name, opts)?;
        apply_unit(&mut data, opts)?;
        return Ok(data);
    }
    let mut file = File::open(path).map_err(|e| Error::new(&name, None, ErrorKind::Io(e)))?;
    // Parquet and Arrow IPC files are scanned from the path (lazily, only the needed columns).
    let mut magic = [0u8; 6];
    let n = read_up_to(&mut file, &mut magic).map_err(|e| Error::new(&name, None, io_kind(e)))?;
    let columnar = opts
        .format
        .filter(|f| f.is_columnar())
        .or_else(|| InputFormat::from_magic(&magic[..n]))
        .or_else(|| InputFormat::from_name(&name).filter(|f| f.is_columnar()));
    if let Some(format) = columnar
        && opts.format.is_none_or(|f| f == format)
    {
        let mut data = columnar::read_file(path, &name, format, opts)?;
        apply_unit(&mut data, opts)?;
        return Ok(data);
    }
    read_reader(&name, Cursor::new(magic[..n].to_vec()).chain(file), opts)
}

/// Reads into `buf` until it is full or the input ends; returns the bytes read.
fn read_up_to<R: Read>(reader: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match reader.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Converts a columnar dataset's values to milliseconds with [`ReadOptions::unit`] (the text readers
/// convert as they read, so that an overflow names its line). A value that overflows is an error (or,
/// with [`ReadOptions::skip_invalid`], a skipped row).
fn apply_unit(data: &mut Dataset, opts: &ReadOptions) -> Result<()> {
    let Some(unit) = opts.unit else {
        return Ok(());
    };
    let exp10 = unit.exp10_to_ms();
    for group in &mut data.groups {
        let mut kept = Vec::with_capacity(group.values.len());
        for &v in &group.values {
            match dataset::to_ms(v, exp10) {
                Ok(ms) => kept.push(ms),
                Err(_) if opts.skip_invalid => data.skipped += 1,
                Err(_) => {
                    let kind = ErrorKind::Overflow {
                        column: data.metric.clone(),
                        found: format!("{v:e}"),
                    };
                    return Err(Error::new(&data.source, None, kind));
                }
            }
        }
        group.values = kept;
    }
    data.groups.retain(|g| !g.values.is_empty());
    if data.groups.is_empty() {
        let kind = ErrorKind::NoValidRows {
            skipped: data.skipped,
        };
        return Err(Error::new(&data.source, None, kind));
    }
    data.unit = Some("ms");
    Ok(())
}

/// Marks a generic dataset read with [`ReadOptions::unit`] as milliseconds.
fn mark_unit(data: &mut Dataset, opts: &ReadOptions) {
    if opts.unit.is_some() {
        data.unit = Some("ms");
    }
}

/// Reads `reader`, an input called `name` (its display name, also used for format detection by
/// extension), decompressing gzip. Buffering is done here: pass a plain `File` or byte slice.
///
/// # Errors
///
/// Any [`ErrorKind`]: reading fails, the data is not valid gzip, or its content is invalid.
pub fn read_reader<R: Read>(name: &str, reader: R, opts: &ReadOptions) -> Result<Dataset> {
    let io_err = |e: io::Error| Error::new(name, None, io_kind(e));
    let (raw_head, reader) = peek(reader, 2).map_err(io_err)?;
    if raw_head.is_empty() {
        return Err(Error::new(name, None, ErrorKind::Empty));
    }
    let reader = decoded(&raw_head, reader);
    let (mut head, mut reader) = peek(reader, 64 * 1024).map_err(io_err)?;
    if head.starts_with(b"\xEF\xBB\xBF") {
        head.drain(..3);
        reader = Cursor::new(head.clone()).chain(reader.into_inner().1);
    }
    if head.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::new(name, None, ErrorKind::Empty));
    }
    let format = opts
        .format
        .or_else(|| formats::detect(&head))
        .or_else(|| InputFormat::from_name(name))
        .unwrap_or_else(|| InputFormat::from_content(&head));
    // Line-oriented formats get a bound on the length of a line. JSON documents may legitimately be one
    // long line: the streamed one bounds the length of a token instead, the others are read whole up to
    // MAX_DOCUMENT_BYTES; binary columnar files have no lines.
    let whole_documents = matches!(
        format,
        InputFormat::Json
            | InputFormat::JmeterXml
            | InputFormat::Hyperfine
            | InputFormat::OhaJson
            | InputFormat::Vllm
            | InputFormat::Llmperf
            | InputFormat::Parquet
            | InputFormat::ArrowIpc
    );
    let reader = LineLimit::new(
        reader,
        if whole_documents {
            u64::MAX
        } else {
            MAX_LINE_BYTES
        },
    );
    let mut data = match format {
        InputFormat::Csv => {
            let tsv = name
                .to_ascii_lowercase()
                .trim_end_matches(".gz")
                .ends_with(".tsv");
            let delimiter = sniff_delimiter(&head, if tsv { b'\t' } else { b',' });
            drop(head);
            delimited::read(name, reader, delimiter, opts)
        }
        InputFormat::Json => json::read_json(name, reader, opts),
        InputFormat::Ndjson => json::read_ndjson(name, reader, opts),
        InputFormat::Parquet | InputFormat::ArrowIpc => {
            drop(head);
            let mut data = columnar::read_bytes(name, reader, format, opts)?;
            apply_unit(&mut data, opts)?;
            return Ok(data);
        }
        tool => {
            drop(head);
            return formats::read(tool, name, reader, opts);
        }
    }?;
    data.format = format;
    mark_unit(&mut data, opts);
    Ok(data)
}

/// `reader` decompressed when its first bytes are gzip's magic number (a `.gz` name with plain content
/// is read as it is).
fn decoded<R: Read>(raw_head: &[u8], reader: R) -> Decoded<R> {
    if raw_head.starts_with(&[0x1f, 0x8b]) {
        Decoded::Gzip(Box::new(GzipReader(MultiGzDecoder::new(reader))))
    } else {
        Decoded::Plain(reader)
    }
}

/// `reader` decompressed if it is gzip (see [`decoded`]).
fn decode<R: Read>(reader: R) -> io::Result<Decoded<Peeked<R>>> {
    let (raw_head, reader) = peek(reader, 2)?;
    Ok(decoded(&raw_head, reader))
}

type Peeked<R> = io::Chain<Cursor<Vec<u8>>, R>;

/// Reads up to `n` bytes, returning them and a reader that yields them again, then the rest.
fn peek<R: Read>(mut reader: R, n: usize) -> io::Result<(Vec<u8>, Peeked<R>)> {
    let mut head = Vec::with_capacity(n.min(64 * 1024));
    reader.by_ref().take(n as u64).read_to_end(&mut head)?;
    Ok((head.clone(), Cursor::new(head).chain(reader)))
}

/// The input, decompressed if it is gzip.
enum Decoded<R> {
    Plain(R),
    Gzip(Box<GzipReader<R>>),
}

impl<R: Read> Read for Decoded<R> {
    #[inline]
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Decoded::Plain(r) => r.read(buf),
            Decoded::Gzip(r) => r.read(buf),
        }
    }
}

/// A gzip decoder whose errors are marked as such (see [`GzipFailure`]).
struct GzipReader<R>(MultiGzDecoder<R>);

impl<R: Read> Read for GzipReader<R> {
    #[inline]
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0
            .read(buf)
            .map_err(|e| io::Error::new(e.kind(), GzipFailure(e)))
    }
}

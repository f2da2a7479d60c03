//! Text input shared by the tool readers: CSV records, numbered lines, whole JSON documents and their
//! errors.

use std::io::{self, BufRead, BufReader, Read};

use csv::{ByteRecord, ReaderBuilder};

use crate::error::{Error, ErrorKind, Position, Result, csv_kind, io_kind};

/// A CSV reader configured as the generic one: flexible, records end at LF (a CR stays in the last
/// field and is trimmed).
pub(crate) fn csv_reader<R: Read>(reader: R, delimiter: u8) -> csv::Reader<R> {
    ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .terminator(csv::Terminator::Any(b'\n'))
        .buffer_capacity(64 * 1024)
        .from_reader(reader)
}

/// Reads the next record; `false` at the end.
pub(crate) fn next_record<R: Read>(
    name: &str,
    csv: &mut csv::Reader<R>,
    record: &mut ByteRecord,
) -> Result<bool> {
    csv.read_byte_record(record).map_err(|e| {
        let line = e.position().map(|p| p.line());
        Error::new(name, line.map(Position::line), csv_kind(e))
    })
}

/// Reads a CSV file's header record into `record`: its column names and line.
///
/// # Errors
/// [`ErrorKind::Empty`] for a file without one, or the reader's error.
pub(crate) fn csv_header<R: Read>(
    name: &str,
    csv: &mut csv::Reader<R>,
    record: &mut ByteRecord,
) -> Result<(Header, u64)> {
    if !next_record(name, csv, record)? {
        return Err(Error::new(name, None, ErrorKind::Empty));
    }
    Ok((Header::new(record), line_of(record)))
}

/// The line where a record starts.
pub(crate) fn line_of(record: &ByteRecord) -> u64 {
    record.position().map_or(0, csv::Position::line)
}

/// Whether a record is a blank line.
pub(crate) fn is_blank(record: &ByteRecord) -> bool {
    record.len() <= 1 && record.get(0).is_none_or(|f| f.trim_ascii().is_empty())
}

/// A header's column names, trimmed.
pub(crate) struct Header {
    pub names: Vec<String>,
}

impl Header {
    pub(crate) fn new(record: &ByteRecord) -> Self {
        Self {
            names: record
                .iter()
                .map(|f| String::from_utf8_lossy(f).trim().to_owned())
                .collect(),
        }
    }

    /// The column's index: exact name, else ASCII case-insensitive.
    pub(crate) fn find(&self, name: &str) -> Option<usize> {
        self.names
            .iter()
            .position(|c| c == name)
            .or_else(|| self.names.iter().position(|c| c.eq_ignore_ascii_case(name)))
    }
}

/// The error for a record whose field count differs from the header's.
pub(crate) fn field_count(name: &str, record: &ByteRecord, expected: usize) -> Error {
    Error::row(
        name,
        Position::line(line_of(record)),
        ErrorKind::FieldCount {
            expected: expected as u64,
            found: record.len() as u64,
        },
    )
}

/// Reads lines with their 1-based numbers; line ends (LF, CRLF) removed.
pub(crate) struct Lines<R> {
    inner: BufReader<R>,
    buf: Vec<u8>,
    number: u64,
}

impl<R: Read> Lines<R> {
    pub(crate) fn new(reader: R) -> Self {
        Self {
            inner: BufReader::with_capacity(64 * 1024, reader),
            buf: Vec::new(),
            number: 0,
        }
    }

    /// The next line and its number, or `None` at the end.
    pub(crate) fn next_line(&mut self, name: &str) -> Result<Option<(u64, &[u8])>> {
        self.buf.clear();
        let n = self
            .inner
            .read_until(b'\n', &mut self.buf)
            .map_err(|e| Error::new(name, None, io_kind(e)))?;
        if n == 0 {
            return Ok(None);
        }
        self.number += 1;
        while self.buf.last().is_some_and(|&b| b == b'\n' || b == b'\r') {
            self.buf.pop();
        }
        Ok(Some((self.number, &self.buf)))
    }
}

/// Reads a whole (small) JSON document: tool result files that are one object.
/// At most [`MAX_DOCUMENT_BYTES`](crate::MAX_DOCUMENT_BYTES) are read.
pub(crate) fn read_all<R: Read>(name: &str, reader: R) -> Result<Vec<u8>> {
    read_all_limited(name, reader, crate::MAX_DOCUMENT_BYTES)
}

/// [`read_all`] with a limit in bytes.
pub(crate) fn read_all_limited<R: Read>(name: &str, reader: R, limit: u64) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::new(name, None, io_kind(e)))?;
    if bytes.len() as u64 > limit {
        return Err(Error::new(
            name,
            None,
            ErrorKind::DocumentTooLarge { limit },
        ));
    }
    Ok(bytes)
}

/// A serde_json error in `text` (a whole document) as an input error with its line and column.
pub(crate) fn json_error(name: &str, err: serde_json::Error, text: &[u8]) -> Error {
    if err.is_io() {
        return Error::new(name, None, io_kind(io::Error::from(err)));
    }
    let position = crate::json::error_position(&err, text);
    Error::new(name, position, ErrorKind::JsonSyntax(err))
}

/// A JSON line error (NDJSON readers, `text` the line numbered `line`): a row error that `skip_invalid`
/// skips.
pub(crate) fn json_line_error(name: &str, err: serde_json::Error, line: u64, text: &[u8]) -> Error {
    let column = crate::json::error_position(&err, text).and_then(|p| p.column);
    Error::row(
        name,
        Position::new(line, column.unwrap_or(1)),
        ErrorKind::JsonSyntax(err),
    )
}

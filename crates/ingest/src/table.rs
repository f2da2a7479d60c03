//! Small delimited tables read whole, with a position for every cell: the one reader behind the inputs
//! that are tables rather than per-request samples (pareto configs, capacity aggregates, regress histories).
//!
//! - The delimiter is [`sniff_delimiter`]'s (comma, tab, semicolon or pipe, the most frequent in the
//!   header line outside quotes); a header line with none of them but white space between its words is
//!   split on runs of white space (the `.txt` tables of R, gnuplot and papers).
//! - Lines end at LF; a CR before it is dropped, so line numbers are exact with CRLF files. A quoted
//!   field may span lines; its row is reported at the line where it starts.
//! - Every cell must be UTF-8 (an error names its line and column), every line at most
//!   [`MAX_LINE_BYTES`], every row as wide as the header.
//! - Two non-empty header names that are equal are an error ([`ErrorKind::DuplicateColumn`]).
//! - [`Header::Auto`] takes the first row for data when every cell of it is a number.
//! - [`is_missing`] is the one rule for a missing cell: empty, `NA`, `N/A`, `null`, `None`, `NaN` or `-`
//!   (any case). What a missing cell means (a gap in a history, an unknown metric) is the caller's.
//!
//! Positions use [`Position`]: the 1-based line and the 1-based field index.

use std::{
    fs::File,
    io::{self, Read},
    path::Path,
};

use crate::{
    STDIN_NAME,
    error::{Error, ErrorKind, Position, Result, csv_kind, io_kind},
    limit::{LineLimit, MAX_LINE_BYTES},
};

/// How the fields of a line are separated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delimiter {
    /// One byte (`,`, `\t`, `;`, `|`), with CSV quoting.
    Byte(u8),
    /// Runs of spaces and tabs, no quoting.
    Whitespace,
}

/// Whether the first row is a header.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Header {
    /// A header unless every cell of the first row is a number.
    #[default]
    Auto,
    /// The first row is a header.
    Present,
    /// There is no header: columns are named `1`, `2`, …
    Absent,
}

/// How to read a table. The default sniffs the delimiter and the header.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TableOptions {
    /// The delimiter; `None` sniffs it from the first line.
    pub delimiter: Option<Delimiter>,
    /// Whether the first row is a header.
    pub header: Header,
}

/// A table: a header and rows of text cells, each row with the line it starts on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    /// The input's display name (the path as given, or `<stdin>`).
    pub source: String,
    /// Column names, trimmed; `1`, `2`, … for a headerless table.
    pub columns: Vec<String>,
    /// The line of the header; `None` when the table has none.
    pub header_line: Option<u64>,
    /// The delimiter used.
    pub delimiter: Delimiter,
    /// The data rows, in input order (blank lines skipped).
    pub rows: Vec<TableRow>,
}

/// One data row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableRow {
    /// The 1-based line the row starts on.
    pub line: u64,
    /// The cells, trimmed of ASCII white space; as many as [`Table::columns`].
    pub cells: Vec<String>,
}

impl Table {
    /// The index of the column called `name`: an exact match, else the only ASCII-case-insensitive one.
    #[must_use]
    pub fn column(&self, name: &str) -> Option<usize> {
        crate::dataset::find_column(&self.columns, name)
    }

    /// An error at `row`'s line and, when given, the 0-based `column`.
    #[must_use]
    pub fn error_at(&self, row: &TableRow, column: Option<usize>, kind: ErrorKind) -> Error {
        Error::new(
            &self.source,
            Some(Position {
                line: row.line,
                column: column.map(|c| c as u64 + 1),
            }),
            kind,
        )
    }

    /// The number in `row`'s cell `column`: `Ok(None)` when the cell is missing ([`is_missing`]),
    /// an [`ErrorKind::InvalidNumber`] or [`ErrorKind::NonFinite`] error at its position otherwise.
    ///
    /// # Errors
    /// When the cell is neither missing nor a finite number.
    pub fn number(&self, row: &TableRow, column: usize) -> Result<Option<f64>> {
        let cell = row.cells.get(column).map_or("", String::as_str);
        self.cell_number(row.line, column, cell)
    }

    /// [`Table::number`] of a `cell` in `column` on `line` (a [`RowRef`]'s).
    ///
    /// # Errors
    /// When the cell is neither missing nor a finite number.
    pub fn cell_number(&self, line: u64, column: usize, cell: &str) -> Result<Option<f64>> {
        if is_missing(cell) {
            return Ok(None);
        }
        match crate::dataset::parse_value(cell.as_bytes()) {
            Ok(v) => Ok(Some(v)),
            Err(bad) => Err(Error::new(
                &self.source,
                Some(Position::new(line, column as u64 + 1)),
                crate::dataset::bad_value_kind(&self.columns[column], cell.as_bytes(), bad),
            )),
        }
    }
}

/// One data row, borrowed from the input (what [`map_rows`] hands its function).
#[derive(Clone, Copy, Debug)]
pub struct RowRef<'a> {
    /// The 1-based line the row starts on.
    pub line: u64,
    /// The cells, trimmed of ASCII white space; as many as [`Table::columns`].
    pub cells: &'a [&'a str],
}

/// Whether a cell means "no value": empty, `NA`, `N/A`, `null`, `None`, `NaN` or `-`, in any case,
/// after trimming ASCII white space.
#[must_use]
pub fn is_missing(cell: &str) -> bool {
    let t = cell.trim_ascii();
    t.is_empty()
        || t == "-"
        || ["na", "n/a", "null", "none", "nan"]
            .iter()
            .any(|m| t.eq_ignore_ascii_case(m))
}

/// Whether a cell is a finite decimal number (after trimming ASCII white space).
#[must_use]
pub fn is_number(cell: &str) -> bool {
    crate::dataset::parse_value(cell.as_bytes()).is_ok()
}

/// The delimiter of a delimited text, sniffed from its first line: whichever of comma, tab, semicolon and
/// pipe occurs most often outside double quotes (ties in that order); `fallback` if none occurs.
#[must_use]
pub fn sniff_delimiter(head: &[u8], fallback: u8) -> u8 {
    crate::format::sniff_delimiter(head, fallback)
}

/// Reads the table in the file at `path` (`-` is standard input; gzip is decompressed; a UTF-8 byte-order
/// mark is ignored). The display name is the path as given.
///
/// # Errors
/// The file cannot be read, or the table is malformed (see the [module docs](self)).
pub fn read_table_path(path: &Path, opts: &TableOptions) -> Result<Table> {
    if path.as_os_str() == "-" {
        return read_table(STDIN_NAME, io::stdin().lock(), opts);
    }
    let name = path.display().to_string();
    let file = File::open(path).map_err(|e| Error::new(&name, None, ErrorKind::Io(e)))?;
    read_table(&name, file, opts)
}

/// Reads a table from `reader`, an input called `name` (gzip is decompressed; a byte-order mark ignored).
///
/// # Errors
/// Reading fails, or the table is malformed (see the [module docs](self)).
pub fn read_table<R: Read>(name: &str, reader: R, opts: &TableOptions) -> Result<Table> {
    let bytes = read_all(name, reader)?;
    parse_table(name, &bytes, opts)
}

/// The whole input, decompressed, without a byte-order mark, with every line within the limit.
fn read_all<R: Read>(name: &str, reader: R) -> Result<Vec<u8>> {
    read_bytes(name, reader)
}

/// The bytes of a line-oriented input called `name`, read as [`read_table`] reads them: gzip is
/// decompressed, a UTF-8 byte-order mark removed, and a line longer than
/// [`MAX_LINE_BYTES`] is an error naming it (so that `/dev/zero` is an error, not an allocation
/// until the process aborts). For readers of other line formats (JSON lines) that share the bound.
///
/// # Errors
/// Reading or decompressing fails, or a line is too long.
pub fn read_bytes<R: Read>(name: &str, reader: R) -> Result<Vec<u8>> {
    let mut raw = Vec::new();
    let reader = crate::decode(reader).map_err(|e| Error::new(name, None, io_kind(e)))?;
    LineLimit::new(reader, MAX_LINE_BYTES)
        .read_to_end(&mut raw)
        .map_err(|e| Error::new(name, None, io_kind(e)))?;
    if raw.starts_with(b"\xEF\xBB\xBF") {
        raw.drain(..3);
    }
    Ok(raw)
}

/// Parses a table held in memory.
///
/// # Errors
/// The table is malformed (see the [module docs](self)).
pub fn parse_table(name: &str, bytes: &[u8], opts: &TableOptions) -> Result<Table> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::new(name, None, ErrorKind::Empty));
    }
    let delimiter = opts.delimiter.unwrap_or_else(|| sniff(name, bytes));
    let mut records = match delimiter {
        Delimiter::Byte(b) => split_delimited(name, bytes, b)?,
        Delimiter::Whitespace => split_whitespace(name, bytes)?,
    };
    if records.is_empty() {
        return Err(Error::new(name, None, ErrorKind::Empty));
    }
    let headerless = match opts.header {
        Header::Present => false,
        Header::Absent => true,
        Header::Auto => records[0].cells.iter().all(|c| is_number(c)),
    };
    let (columns, header_line) = if headerless {
        let width = records[0].cells.len();
        ((1..=width).map(|i| i.to_string()).collect(), None)
    } else {
        let header = records.remove(0);
        check_unique(name, &header)?;
        (header.cells, Some(header.line))
    };
    for row in &records {
        if row.cells.len() != columns.len() {
            return Err(Error::row(
                name,
                Position::line(row.line),
                ErrorKind::FieldCount {
                    expected: columns.len() as u64,
                    found: row.cells.len() as u64,
                },
            ));
        }
    }
    Ok(Table {
        source: name.to_owned(),
        columns,
        header_line,
        delimiter,
        rows: records,
    })
}

/// Reads a table from `bytes` as [`read_table`] does and maps every data row with `f`, without
/// keeping the rows: returns the table without its rows (its header) and `f`'s results in row
/// order. `f` gets a state made by `init` from the header, once per piece of rows (per rayon job). The values and errors are [`read_table`]'s (the same checks in the same order: a cell
/// that is not UTF-8 anywhere, then a duplicate column, then the first row of the wrong width).
///
/// For a plain input (a one-byte delimiter and no `"` anywhere, so that no field is quoted) the
/// rows are split and mapped in pieces on all cores, borrowed from the input: no cell is copied
/// (hand-written: the csv crate reads on one core, into owned records). Other inputs are read by
/// [`read_table`] and their rows mapped.
///
/// The bytes are used where they are unless they need decoding (gzip, a byte-order mark) or
/// hold a line longer than [`MAX_LINE_BYTES`]; then they are read as [`read_table`] reads a
/// file (which names the long line).
///
/// # Errors
/// As [`read_table`].
pub fn map_rows<S, T, I, F>(
    name: &str,
    bytes: &[u8],
    opts: &TableOptions,
    init: I,
    f: F,
) -> Result<(Table, Vec<T>)>
where
    T: Send,
    I: Fn(&Table) -> S + Sync,
    F: Fn(&mut S, &Table, RowRef<'_>) -> T + Sync,
{
    use rayon::prelude::*;
    // Only an input over the limit can hold a line over it.
    let long_line = bytes.len() as u64 > MAX_LINE_BYTES && {
        let mut start = 0;
        memchr::memchr_iter(b'\n', bytes)
            .chain([bytes.len()])
            .any(|end| {
                let long = (end - start) as u64 > MAX_LINE_BYTES;
                start = end + 1;
                long
            })
    };
    let decoded;
    let bytes =
        if bytes.starts_with(&[0x1f, 0x8b]) || bytes.starts_with(b"\xEF\xBB\xBF") || long_line {
            decoded = read_all(name, bytes)?;
            &decoded[..]
        } else {
            bytes
        };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::new(name, None, ErrorKind::Empty));
    }
    let delimiter = opts.delimiter.unwrap_or_else(|| sniff(name, bytes));
    let plain = match delimiter {
        Delimiter::Byte(d) if d != b'"' && memchr::memchr(b'"', bytes).is_none() => Some(d),
        _ => None,
    };
    let Some(d) = plain else {
        let mut table = parse_table(
            name,
            bytes,
            &TableOptions {
                delimiter: Some(delimiter),
                ..*opts
            },
        )?;
        let rows = std::mem::take(&mut table.rows);
        let out = rows
            .par_iter()
            .map_init(
                || init(&table),
                |state, row| {
                    let cells: Vec<&str> = row.cells.iter().map(String::as_str).collect();
                    f(
                        state,
                        &table,
                        RowRef {
                            line: row.line,
                            cells: &cells,
                        },
                    )
                },
            )
            .collect();
        return Ok((table, out));
    };
    plain::map(name, bytes, d, opts.header, &init, &f)
}

/// [`map_rows`] of a plain input: lines end at LF, fields at the delimiter.
mod plain {
    use rayon::prelude::*;

    use super::{Delimiter, Header, RowRef, Table, TableRow, check_unique, is_number};
    use crate::error::{Error, ErrorKind, Position, Result};

    /// Bytes of input per piece mapped on one core (a few in unit tests, to cross pieces).
    #[cfg(not(test))]
    const PIECE_BYTES: usize = 1 << 20;
    #[cfg(test)]
    const PIECE_BYTES: usize = 7;

    /// What one piece found (its rows are written in place).
    struct Piece {
        /// The first cell that is not UTF-8.
        utf8: Option<Error>,
        /// The first row of the wrong width.
        width: Option<Error>,
    }

    /// The lines of `bytes` that are not empty, each without its LF, with csv's line for its
    /// record: the line after the previous record's (a run of empty lines counts to the record
    /// after it). `first` is the first line's number, whose previous line holds a record.
    fn lines(bytes: &[u8], first: u64) -> impl Iterator<Item = (u64, &[u8])> {
        let mut rest = Some(bytes);
        let (mut line, mut last) = (first, first - 1);
        std::iter::from_fn(move || {
            loop {
                let text = rest?;
                let (this, next) = match memchr::memchr(b'\n', text) {
                    Some(i) => (&text[..i], Some(&text[i + 1..])),
                    None if text.is_empty() => return None,
                    None => (text, None),
                };
                rest = next;
                line += 1;
                if !this.is_empty() {
                    let record = last + 1;
                    last = line - 1;
                    return Some((record, this));
                }
            }
        })
    }

    /// A line that is no record: empty, or one field of white space (csv's records).
    fn blank(text: &[u8], d: u8) -> bool {
        text.trim_ascii().is_empty() && memchr::memchr(d, text).is_none()
    }

    /// The cells of a line into `cells`, or the error of the first that is not UTF-8.
    fn split<'a>(
        name: &str,
        line: u64,
        text: &'a [u8],
        d: u8,
        cells: &mut Vec<&'a str>,
    ) -> Result<()> {
        cells.clear();
        for (j, field) in text.split(|&b| b == d).enumerate() {
            let cell = std::str::from_utf8(field.trim_ascii()).map_err(|_| {
                Error::new(
                    name,
                    Some(Position::new(line, j as u64 + 1)),
                    ErrorKind::InvalidUtf8 {
                        column: Some(format!("{}", j + 1)),
                    },
                )
            })?;
            cells.push(cell);
        }
        Ok(())
    }

    pub(super) fn map<S, T, I, F>(
        name: &str,
        bytes: &[u8],
        d: u8,
        header: Header,
        init: &I,
        f: &F,
    ) -> Result<(Table, Vec<T>)>
    where
        T: Send,
        I: Fn(&Table) -> S + Sync,
        F: Fn(&mut S, &Table, RowRef<'_>) -> T + Sync,
    {
        // The first record (its csv line), and the lines after it (from the line after its own).
        let (first_line, first_text, body, body_line) = {
            let mut at = 0;
            let (mut line, mut last) = (1, 0);
            loop {
                if at == bytes.len() {
                    return Err(Error::new(name, None, ErrorKind::Empty));
                }
                let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
                let text = &bytes[at..end];
                let next = (end + 1).min(bytes.len());
                if !text.is_empty() {
                    if !blank(text, d) {
                        break (last + 1, text, &bytes[next..], line + 1);
                    }
                    last = line;
                }
                at = next;
                line += 1;
            }
        };
        let mut first = Vec::new();
        let first_utf8 = split(name, first_line, first_text, d, &mut first).err();
        let headerless = match header {
            Header::Present => false,
            Header::Absent => true,
            Header::Auto => first_utf8.is_none() && first.iter().all(|c| is_number(c)),
        };
        let width = first.len();
        let columns: Vec<String> = if headerless {
            (1..=width).map(|i| i.to_string()).collect()
        } else {
            first.iter().map(|c| (*c).to_owned()).collect()
        };
        let table = Table {
            source: name.to_owned(),
            columns,
            header_line: (!headerless).then_some(first_line),
            delimiter: Delimiter::Byte(d),
            rows: Vec::new(),
        };
        // Pieces of whole lines, each with its first line's number.
        let mut pieces: Vec<(&[u8], u64, u64)> = Vec::new();
        let (mut rest, mut line) = (body, body_line);
        while !rest.is_empty() {
            // A piece ends after a line that is not empty (so the lines of the next start
            // after a record's).
            let mut cut = PIECE_BYTES.min(rest.len());
            while cut < rest.len() {
                match memchr::memchr(b'\n', &rest[cut..]) {
                    Some(i) if cut + i > 0 && rest[cut + i - 1] != b'\n' => {
                        cut += i + 1;
                        break;
                    }
                    Some(i) => cut += i + 1,
                    None => cut = rest.len(),
                }
            }
            let (piece, next) = rest.split_at(cut);
            let newlines = memchr::memchr_iter(b'\n', piece).count() as u64;
            pieces.push((piece, line, newlines));
            line += newlines;
            rest = next;
        }
        // One slot per line of each piece (and one more, for a line without a final LF), the
        // first for a headerless table's first record: the rows are written in place, and
        // the slots of blank lines left empty are dropped in place at the end.
        let mut slots: Vec<Option<T>> = Vec::new();
        slots.resize_with(
            1 + pieces.iter().map(|p| p.2 as usize + 1).sum::<usize>(),
            || None,
        );
        let (first_slot, mut rest_slots) = slots.split_at_mut(1);
        let mut piece_slots = Vec::with_capacity(pieces.len());
        for &(_, _, newlines) in &pieces {
            let (these, next) = rest_slots.split_at_mut(newlines as usize + 1);
            piece_slots.push(these);
            rest_slots = next;
        }
        let mut found: Vec<Piece> = pieces
            .par_iter()
            .zip(piece_slots)
            .map(|(&(piece, first, _), out)| {
                let mut at = 0;
                let (mut utf8, mut width_error) = (None, None);
                let mut cells = Vec::new();
                let mut state = init(&table);
                for (line, text) in lines(piece, first) {
                    if blank(text, d) {
                        continue;
                    }
                    if let Err(e) = split(name, line, text, d, &mut cells) {
                        utf8 = Some(e);
                        break;
                    }
                    if cells.len() != width {
                        width_error.get_or_insert_with(|| {
                            Error::row(
                                name,
                                Position::line(line),
                                ErrorKind::FieldCount {
                                    expected: width as u64,
                                    found: cells.len() as u64,
                                },
                            )
                        });
                    }
                    if width_error.is_none() {
                        out[at] = Some(f(
                            &mut state,
                            &table,
                            RowRef {
                                line,
                                cells: &cells,
                            },
                        ));
                        at += 1;
                    }
                }
                Piece {
                    utf8,
                    width: width_error,
                }
            })
            .collect();
        if let Some(e) = first_utf8.or_else(|| found.iter_mut().find_map(|p| p.utf8.take())) {
            return Err(e);
        }
        if !headerless {
            let header = TableRow {
                line: first_line,
                cells: table.columns.clone(),
            };
            check_unique(name, &header)?;
        } else {
            // A headerless table's first record is a data row.
            first_slot[0] = Some(f(
                &mut init(&table),
                &table,
                RowRef {
                    line: first_line,
                    cells: &first,
                },
            ));
        }
        if let Some(e) = found.iter_mut().find_map(|p| p.width.take()) {
            return Err(e);
        }
        // In place when an `Option<T>` is no larger than a `T` (a niche), else one copy.
        // `filter_map`, not `flatten`: std collects a `FilterMap` into its source's buffer but
        // copied the `Flatten` into a new one (a million pareto configs: 18 k page faults more).
        #[allow(clippy::filter_map_identity)]
        let out: Vec<T> = slots.into_iter().filter_map(|x| x).collect();
        Ok((table, out))
    }
}

fn check_unique(name: &str, header: &TableRow) -> Result<()> {
    for (j, cell) in header.cells.iter().enumerate() {
        if cell.is_empty() {
            continue;
        }
        if let Some(i) = header.cells[..j].iter().position(|c| c == cell) {
            return Err(Error::new(
                name,
                Some(Position::new(header.line, j as u64 + 1)),
                ErrorKind::DuplicateColumn {
                    name: cell.clone(),
                    first: i as u64 + 1,
                    second: j as u64 + 1,
                },
            ));
        }
    }
    Ok(())
}

/// The delimiter of the first non-blank line: a sniffed byte, else white space when the line has
/// several words, else the name's (`.tsv`: tab) or a comma.
fn sniff(name: &str, bytes: &[u8]) -> Delimiter {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map_or(0, |i| {
            bytes[..i]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |n| n + 1)
        });
    let first = &bytes[start..];
    let line = first.split(|&b| b == b'\n').next().unwrap_or_default();
    let tsv = name
        .to_ascii_lowercase()
        .trim_end_matches(".gz")
        .ends_with(".tsv");
    let fallback = if tsv { b'\t' } else { 0 };
    match sniff_delimiter(line, fallback) {
        0 if line
            .trim_ascii()
            .split(u8::is_ascii_whitespace)
            .filter(|w| !w.is_empty())
            .count()
            > 1 =>
        {
            Delimiter::Whitespace
        }
        0 => Delimiter::Byte(b','),
        b => Delimiter::Byte(b),
    }
}

fn cell(name: &str, line: u64, column: usize, bytes: &[u8]) -> Result<String> {
    std::str::from_utf8(bytes.trim_ascii())
        .map(str::to_owned)
        .map_err(|_| {
            Error::new(
                name,
                Some(Position::new(line, column as u64 + 1)),
                ErrorKind::InvalidUtf8 {
                    column: Some(format!("{}", column + 1)),
                },
            )
        })
}

fn split_delimited(name: &str, bytes: &[u8], delimiter: u8) -> Result<Vec<TableRow>> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        // Records end at LF only (csv 1.4 reports CRLF records one line early otherwise); the CR
        // before it is trimmed with the rest of the white space.
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(bytes);
    let mut rows = Vec::new();
    let mut record = csv::ByteRecord::new();
    loop {
        match csv.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(csv::Position::line);
                return Err(Error::new(name, line.map(Position::line), csv_kind(e)));
            }
        }
        let line = record.position().map_or(0, csv::Position::line);
        // A line holding only white space (or a lone CR) is blank.
        if record.len() == 1 && record[0].trim_ascii().is_empty() {
            continue;
        }
        let cells = record
            .iter()
            .enumerate()
            .map(|(i, f)| cell(name, line, i, f))
            .collect::<Result<_>>()?;
        rows.push(TableRow { line, cells });
    }
    Ok(rows)
}

fn split_whitespace(name: &str, bytes: &[u8]) -> Result<Vec<TableRow>> {
    let mut rows = Vec::new();
    for (i, text) in bytes.split(|&b| b == b'\n').enumerate() {
        let line = i as u64 + 1;
        let cells = text
            .split(|b| b.is_ascii_whitespace())
            .filter(|w| !w.is_empty())
            .enumerate()
            .map(|(j, f)| cell(name, line, j, f))
            .collect::<Result<Vec<_>>>()?;
        if !cells.is_empty() {
            rows.push(TableRow { line, cells });
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Table> {
        read_table("t.csv", text.as_bytes(), &TableOptions::default())
    }

    #[test]
    fn crlf_lines_are_exact() {
        let t = read("a,b\r\n1,2\r\n\r\n3,x\r\n").unwrap();
        assert_eq!(t.columns, ["a", "b"]);
        assert_eq!(t.rows[1].line, 4);
        assert_eq!(t.rows[1].cells, ["3", "x"]);
        let err = t.number(&t.rows[1], 1).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"t.csv:4:2: expected a number in column "b", found "x""#
        );
    }

    #[test]
    fn invalid_utf8_names_line_and_column() {
        let err = read_table(
            "t.csv",
            &b"a,b\n1,2\n3,\xff\n"[..],
            &TableOptions::default(),
        )
        .unwrap_err();
        assert_eq!(err.position(), Some(Position::new(3, 2)));
    }

    #[test]
    fn duplicate_columns_are_refused() {
        let err = read("x,y,x\n1,2,3\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"t.csv:1:3: columns 1 and 3 are both named "x": rename one"#
        );
        // Empty names (trailing delimiters, R's index column) are not references.
        assert!(read(",a,\n1,2,3\n").is_ok());
    }

    #[test]
    fn ragged_rows_name_their_line() {
        let err = read("a,b\n1,2\n3\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "t.csv:3: expected 2 fields as in the header, found 1"
        );
    }

    #[test]
    fn whitespace_and_headerless_tables() {
        let t = read("N   X\n1  10.5\n 2\t20\n").unwrap();
        assert_eq!(t.delimiter, Delimiter::Whitespace);
        assert_eq!(t.columns, ["N", "X"]);
        assert_eq!(t.rows[1].cells, ["2", "20"]);
        let t = read("1;10\n2;20\n").unwrap();
        assert_eq!(t.header_line, None);
        assert_eq!(t.columns, ["1", "2"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.delimiter, Delimiter::Byte(b';'));
    }

    #[test]
    fn missing_cells() {
        for m in ["", " ", "NA", "n/a", "null", "None", "NaN", "-"] {
            assert!(is_missing(m), "{m:?}");
        }
        for v in ["0", "x", "--", "nil?"] {
            assert!(!is_missing(v), "{v:?}");
        }
        let t = read("a\nNA\n1e400\n").unwrap();
        assert_eq!(t.number(&t.rows[0], 0).unwrap(), None);
        assert_eq!(
            t.number(&t.rows[1], 0).unwrap_err().to_string(),
            r#"t.csv:3:1: expected a finite number in column "a", found "1e400""#
        );
    }

    #[test]
    fn quoted_fields_and_bom() {
        let t = read("\u{feff}id,\"note\"\n1,\"a,\nb\"\n2,c\n").unwrap();
        assert_eq!(t.columns, ["id", "note"]);
        assert_eq!(t.rows[0].cells[1], "a,\nb");
        assert_eq!(t.rows[1].line, 4);
    }

    #[test]
    fn column_lookup() {
        let t = read("Level,throughput\n1,2\n").unwrap();
        assert_eq!(t.column("level"), Some(0));
        assert_eq!(t.column("Level"), Some(0));
        assert_eq!(t.column("x"), None);
    }

    /// [`map_rows`] collecting every row: what [`read_table`] returns, or its error's text.
    fn mapped(bytes: &[u8], opts: &TableOptions) -> std::result::Result<Table, String> {
        map_rows(
            "t.csv",
            bytes,
            opts,
            |_| (),
            |(), _, row| TableRow {
                line: row.line,
                cells: row.cells.iter().map(|c| (*c).to_owned()).collect(),
            },
        )
        .map(|(mut table, rows)| {
            table.rows = rows;
            table
        })
        .map_err(|e| e.to_string())
    }

    #[test]
    fn mapped_rows_equal_read_table_on_examples() {
        for text in [
            &b"a,b\n1,2\n\n3,4\n"[..],
            b"a,b\r\n1,2\r\n\r\n3,x\r\n",
            b"\n\n  \na;b\n1;2\n3",
            b"a,b\n1,2\n3\n4,5,6\n",
            b"a,b\n1,\xff\n3\n",
            b"x,y,x\n1,2\n",
            b"1,2\n3,4\n",
            b"a,b\n \n\r\n ,\n",
            b"a\tb\n1\t2\n",
            b"N   X\n1  10.5\n",
            b"id,\"q\"\n1,\"a,\nb\"\n",
        ] {
            for header in [Header::Auto, Header::Present, Header::Absent] {
                let opts = TableOptions {
                    header,
                    ..TableOptions::default()
                };
                let expected = read_table("t.csv", text, &opts).map_err(|e| e.to_string());
                assert_eq!(
                    mapped(text, &opts),
                    expected,
                    "{:?}",
                    String::from_utf8_lossy(text)
                );
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]

        /// Random plain (and a few quoted) tables, pieces of a few bytes: the same rows, lines
        /// and errors as the csv reader's.
        #[test]
        fn mapped_rows_equal_read_table(
            bytes in proptest::collection::vec(
                proptest::sample::select(
                    &b"ab1,,,\n\n\n  \r;\xff-"[..]
                ),
                0..80,
            ),
            header in proptest::sample::select(vec![Header::Auto, Header::Present, Header::Absent]),
            quote in proptest::prelude::any::<bool>(),
        ) {
            let mut bytes = bytes;
            if quote && !bytes.is_empty() {
                let at = bytes.len() / 2;
                bytes.insert(at, b'"');
            }
            let opts = TableOptions { header, ..TableOptions::default() };
            let expected = read_table("t.csv", &bytes[..], &opts).map_err(|e| e.to_string());
            proptest::prop_assert_eq!(mapped(&bytes, &opts), expected);
        }
    }
}

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
        if is_missing(cell) {
            return Ok(None);
        }
        match crate::dataset::parse_value(cell.as_bytes()) {
            Ok(v) => Ok(Some(v)),
            Err(bad) => Err(self.error_at(
                row,
                Some(column),
                crate::dataset::bad_value_kind(&self.columns[column], cell.as_bytes(), bad),
            )),
        }
    }
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
}

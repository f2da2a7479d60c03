//! CSV, TSV and other delimited text: a parallel reader for plain rows, the csv crate's for the rest.
//!
//! # The fast path (hand-written, and why)
//!
//! Most inputs are plain: no quote anywhere, one record per line. For them the csv crate's record
//! splitting is most of the reading time, and it runs on one core. The fast path reads the input in
//! blocks of [`BLOCK_BYTES`] ending at a newline, cuts each block at newlines into pieces, and splits the
//! pieces' lines on both cores (rayon), keeping only the metric's (and the grouping column's) cells as
//! they are met; the pieces' groups are appended in input order. Values, labels, row counts and errors
//! are the csv reader's, by construction (the same [`Spec::add`] per row) and by a property test
//! against it:
//!
//! - A line is split at every delimiter; an empty line (nothing between two newlines) is no record, as
//!   in csv; a CR is an ordinary byte (records end at LF, so the CR of CRLF stays in the last field,
//!   and values and labels are trimmed), so CRLF files stay on the fast path.
//! - A record's line is csv's: the line after the previous record's end (blank lines before a record
//!   count to it).
//! - The first quote (`"`) seen hands the rest of the input, from the start of the piece holding it,
//!   to the csv reader, with the rows so far kept and line numbers offset, so a quoted field (which
//!   may hold a delimiter or a newline) is read exactly as before. So do a header or metric sample
//!   that does not fit in the first block.
//! - An I/O error (a line over [`MAX_LINE_BYTES`](crate::MAX_LINE_BYTES), bad gzip) is reported after
//!   the complete lines before it, as the streaming reader reports it.
//!
//! Blocks are read with `read` into two reused buffers rather than memory-mapping the file: the same
//! code serves files, pipes and gzip, needs no `unsafe`, and the memory held is two blocks, whereas a
//! map's pages count to the resident set as they are touched (the whole file, for one pass).
//!
//! The fallback reads with the csv crate's `ByteRecord` (no per-row allocation).

use std::io::{self, Cursor, Read};

use csv::{ByteRecord, ReaderBuilder};
use rayon::prelude::*;

use crate::{
    InputFormat, ReadOptions,
    dataset::{
        Dataset, Groups, bad_value_kind, choose_by, choose_metric, looks_numeric,
        no_duplicate_columns, parse_value, to_ms,
    },
    error::{Error, ErrorKind, Position, Result, io_kind},
    formats::text::next_record,
    swar,
};

/// Data rows buffered (then replayed) to decide which columns are numeric.
const SAMPLE_ROWS: usize = 100;

/// The size of a block of input read at once by the fast path (it grows to hold a longer line).
const BLOCK_BYTES: usize = 4 << 20;

/// A block is cut into pieces of at least this many bytes for the threads.
const PIECE_BYTES: usize = 256 << 10;

/// Reads delimited text. `reader` starts at the header (any byte-order mark already removed).
pub(crate) fn read<R: Read>(
    name: &str,
    reader: R,
    delimiter: u8,
    opts: &ReadOptions,
) -> Result<Dataset> {
    read_fast(name, reader, delimiter, opts, BLOCK_BYTES, PIECE_BYTES)
}

/// The csv crate's reader of `reader`, records ending at LF.
fn csv_reader<R: Read>(reader: R, delimiter: u8) -> csv::Reader<R> {
    ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        // Records end at LF only: with the default CRLF terminator csv 1.4 reports CRLF records one line
        // early. A CR before the LF stays in the last field, and values, labels and names are trimmed.
        .terminator(csv::Terminator::Any(b'\n'))
        .buffer_capacity(64 * 1024)
        .from_reader(reader)
}

/// The column names, the grouping column and whether the first record is data.
struct Header {
    columns: Vec<String>,
    by: Option<usize>,
    headerless: bool,
}

/// The header of an input whose first record is `first`, at line `first_line`.
fn header(name: &str, first: &ByteRecord, first_line: u64, opts: &ReadOptions) -> Result<Header> {
    let err = |column: Option<u64>, kind: ErrorKind| {
        Error::new(
            name,
            Some(Position {
                line: first_line,
                column,
            }),
            kind,
        )
    };
    // A bare list of numbers: no header, one column named "value".
    let headerless = first.len() == 1 && parse_value(&first[0]).is_ok();
    let columns: Vec<String> = if headerless {
        vec!["value".to_owned()]
    } else {
        let mut names = Vec::with_capacity(first.len());
        for (i, f) in first.iter().enumerate() {
            let name = std::str::from_utf8(f)
                .map_err(|_| err(Some(i as u64 + 1), ErrorKind::InvalidUtf8 { column: None }))?;
            names.push(name.trim().to_owned());
        }
        names
    };
    no_duplicate_columns(&columns).map_err(|(column, kind)| err(Some(column), kind))?;
    let by = match &opts.by {
        Some(by) => Some(choose_by(&columns, by).map_err(|k| err(None, k))?),
        None => None,
    };
    Ok(Header {
        columns,
        by,
        headerless,
    })
}

/// Whether the metric is chosen from a sample of the data rows (it is not named, and there are
/// several columns).
fn needs_sample(columns: &[String], opts: &ReadOptions) -> bool {
    opts.metric.is_none() && columns.len() > 1
}

/// The metric column and how it was chosen; `sample` holds the first data rows when
/// [`needs_sample`].
fn metric(
    name: &str,
    columns: &[String],
    sample: &[ByteRecord],
    first_line: u64,
    opts: &ReadOptions,
) -> Result<(usize, Option<crate::dataset::MetricChoice>)> {
    let err = |kind| Error::new(name, Some(Position::line(first_line)), kind);
    if needs_sample(columns, opts) {
        if sample.is_empty() {
            return Err(err(ErrorKind::NoDataRows));
        }
        let numeric = numeric_columns(columns.len(), sample);
        let choice = crate::dataset::metric_choice(columns, &numeric, None);
        let metric = choose_metric(columns, &numeric, None).map_err(err)?;
        Ok((metric, choice))
    } else {
        let metric = choose_metric(columns, &[], opts.metric.as_deref()).map_err(err)?;
        Ok((metric, None))
    }
}

/// The dataset of the rows read.
fn finish(
    name: &str,
    spec: &Spec<'_>,
    rows: Rows,
    first_line: u64,
    choice: Option<crate::dataset::MetricChoice>,
) -> Result<Dataset> {
    if rows.rows == 0 {
        return Err(Error::new(
            name,
            Some(Position::line(first_line)),
            ErrorKind::NoDataRows,
        ));
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
        spec.columns[spec.metric].clone(),
        rows.groups.finish(),
        rows.rows,
        rows.skipped,
        InputFormat::Csv,
    );
    data.metric_choice = choice;
    Ok(data)
}

/// Reads delimited text with the csv crate only (the reader before the fast path, and its fallback
/// from the first block).
fn read_csv<R: Read>(name: &str, reader: R, delimiter: u8, opts: &ReadOptions) -> Result<Dataset> {
    let mut csv = csv_reader(reader, delimiter);
    let mut next =
        |record: &mut ByteRecord| -> Result<bool> { next_record(name, &mut csv, record) };

    let mut first = ByteRecord::new();
    if !next(&mut first)? {
        return Err(Error::new(name, None, ErrorKind::Empty));
    }
    let first_line = line_of(&first);
    let Header {
        columns,
        by,
        headerless,
    } = header(name, &first, first_line, opts)?;

    // Rows read ahead: the first data row of a headerless file, and a sample when the metric is not named.
    let mut pending: Vec<ByteRecord> = Vec::new();
    if headerless {
        pending.push(first);
    }
    let mut done = false;
    if needs_sample(&columns, opts) {
        while pending.len() < SAMPLE_ROWS {
            let mut record = ByteRecord::new();
            if !next(&mut record)? {
                done = true;
                break;
            }
            pending.push(record);
        }
    }
    let (metric, choice) = metric(name, &columns, &pending, first_line, opts)?;

    let spec = Spec::new(&columns, metric, by, opts);
    let mut rows = Rows::default();
    for record in &pending {
        spec.add_record(&mut rows, record, 0)
            .map_err(|e| spec.error(name, e))?;
    }
    drop(pending);
    if !done {
        read_rest(name, &mut csv, &spec, &mut rows, 0, None)?;
    }
    finish(name, &spec, rows, first_line, choice)
}

/// Adds the remaining records of `csv` to `rows`. Their lines are `offset` more than csv's; the first
/// one's is `first_line` when given (the line after the previous record, which csv cannot know).
fn read_rest<R: Read>(
    name: &str,
    csv: &mut csv::Reader<R>,
    spec: &Spec<'_>,
    rows: &mut Rows,
    offset: u64,
    mut first_line: Option<u64>,
) -> Result<()> {
    let mut record = ByteRecord::new();
    while next_record(name, csv, &mut record)? {
        let result = match first_line.take() {
            Some(line) => spec.add(
                rows,
                line,
                record.len(),
                record.get(spec.metric).unwrap_or_default(),
                spec.by.map(|by| record.get(by).unwrap_or_default()),
            ),
            None => spec.add_record(rows, &record, offset),
        };
        result.map_err(|e| spec.error(name, e))?;
    }
    Ok(())
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

/// What to keep of each row.
struct Spec<'a> {
    columns: &'a [String],
    metric: usize,
    by: Option<usize>,
    skip_invalid: bool,
    /// The conversion to milliseconds ([`ReadOptions::unit`]).
    exp10: Option<i32>,
}

/// The rows read so far.
#[derive(Default)]
struct Rows {
    groups: Groups,
    rows: u64,
    skipped: u64,
}

impl Rows {
    /// Appends the rows of a later part of the input.
    fn append(&mut self, other: Rows) {
        self.groups.append(other.groups);
        self.rows += other.rows;
        self.skipped += other.skipped;
    }
}

/// An invalid row: its line, the 1-based column when one cell is at fault, and what is wrong.
type RowError = (u64, Option<u64>, ErrorKind);

impl<'a> Spec<'a> {
    fn new(columns: &'a [String], metric: usize, by: Option<usize>, opts: &ReadOptions) -> Self {
        Self {
            columns,
            metric,
            by,
            skip_invalid: opts.skip_invalid,
            exp10: opts.unit.map(crate::Unit::exp10_to_ms),
        }
    }

    fn error(&self, name: &str, (line, column, kind): RowError) -> Error {
        Error::row(name, Position { line, column }, kind)
    }

    /// Adds a csv record whose line is `offset` more than csv says.
    #[inline]
    fn add_record(
        &self,
        rows: &mut Rows,
        record: &ByteRecord,
        offset: u64,
    ) -> Result<(), RowError> {
        self.add(
            rows,
            line_of(record) + offset,
            record.len(),
            record.get(self.metric).unwrap_or_default(),
            self.by.map(|by| record.get(by).unwrap_or_default()),
        )
    }

    /// Adds a row at `line` of `fields` cells, whose metric cell is `value` and grouping cell `label`
    /// (either may be anything when `fields` is not the header's width).
    #[inline]
    fn add(
        &self,
        rows: &mut Rows,
        line: u64,
        fields: usize,
        value: &[u8],
        label: Option<&[u8]>,
    ) -> Result<(), RowError> {
        rows.rows += 1;
        match self.value(rows, line, fields, value, label) {
            Ok(()) => Ok(()),
            Err(_) if self.skip_invalid => {
                rows.skipped += 1;
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    #[inline]
    fn value(
        &self,
        rows: &mut Rows,
        line: u64,
        fields: usize,
        field: &[u8],
        label: Option<&[u8]>,
    ) -> Result<(), RowError> {
        if fields != self.columns.len() {
            let kind = ErrorKind::FieldCount {
                expected: self.columns.len() as u64,
                found: fields as u64,
            };
            return Err((line, None, kind));
        }
        let value = match self.exp10 {
            None => parse_value(field),
            Some(exp10) => parse_value(field).and_then(|v| to_ms(v, exp10)),
        };
        let value = value.map_err(|bad| {
            let kind = bad_value_kind(&self.columns[self.metric], field, bad);
            (line, Some(self.metric as u64 + 1), kind)
        })?;
        match (self.by, label) {
            (Some(by), Some(label)) => {
                let label = label.trim_ascii();
                let id = rows.groups.id(label).map_err(|()| {
                    let kind = ErrorKind::InvalidUtf8 {
                        column: Some(self.columns[by].clone()),
                    };
                    (line, Some(by as u64 + 1), kind)
                })?;
                rows.groups.push_to(id, value);
            }
            _ => rows.groups.push(value),
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------------
// The fast path.

/// The input in blocks of whole lines (the last line of the input may lack its newline).
struct Blocks<R> {
    reader: R,
    size: usize,
    /// The start of a line read with the previous block.
    carry: Vec<u8>,
    eof: bool,
    /// A read error, reported once the lines before it are read.
    error: Option<io::Error>,
}

impl<R: Read> Blocks<R> {
    fn new(reader: R, size: usize) -> Self {
        Self {
            reader,
            size,
            carry: Vec::new(),
            eof: false,
            error: None,
        }
    }

    /// Fills `buf` with the next lines; `false` when there are none.
    fn fill(&mut self, buf: &mut Vec<u8>) -> bool {
        buf.clear();
        buf.append(&mut self.carry);
        while !self.eof && self.error.is_none() {
            let before = buf.len();
            let want = self.size as u64;
            match (&mut self.reader).take(want).read_to_end(buf) {
                // `read_to_end` reads until the limit or the end.
                Ok(n) => self.eof = (n as u64) < want,
                Err(e) => self.error = Some(e),
            }
            if self.eof {
                break;
            }
            // Whole lines only: the rest is the next block's; after an error, never a record.
            match memchr::memrchr(b'\n', &buf[before..]) {
                Some(nl) => {
                    let end = before + nl + 1;
                    if self.error.is_none() {
                        self.carry.extend_from_slice(&buf[end..]);
                    }
                    buf.truncate(end);
                    break;
                }
                None if self.error.is_some() => buf.clear(),
                // A line longer than the block: read on.
                None => {}
            }
        }
        !buf.is_empty()
    }

    /// The input not yet in a block: the carried partial line, the read error if any, the rest.
    fn into_rest(self) -> impl Read {
        Cursor::new(self.carry).chain(Rest {
            error: self.error,
            reader: self.reader,
        })
    }
}

/// A reader that fails with `error` (once), then reads `reader`.
struct Rest<R> {
    error: Option<io::Error>,
    reader: R,
}

impl<R: Read> Read for Rest<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.error.take() {
            Some(e) => Err(e),
            None => self.reader.read(buf),
        }
    }
}

/// The records of plain lines, split at `delimiter`, for the header and the metric sample. Stops
/// (returns `None`) at the end or at a line holding a quote.
struct PlainRecords<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// Newlines passed.
    newlines: u64,
    delimiter: u8,
    quoted: bool,
}

impl<'a> PlainRecords<'a> {
    fn next(&mut self) -> Option<ByteRecord> {
        while self.pos < self.bytes.len() {
            let rest = &self.bytes[self.pos..];
            let len = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
            let line = &rest[..len];
            self.pos += len;
            if self.pos < self.bytes.len() {
                self.pos += 1;
                self.newlines += 1;
            }
            if memchr::memchr(b'"', line).is_some() {
                self.quoted = true;
                self.pos = self.bytes.len();
                return None;
            }
            if !line.is_empty() {
                return Some(line.split(|&b| b == self.delimiter).collect());
            }
        }
        None
    }
}

/// What one piece of a block held.
#[derive(Default)]
struct Part {
    rows: Rows,
    /// Newlines in the piece.
    newlines: u64,
    /// Newlines up to the end of the piece's last record, if it has one.
    after_last: Option<u64>,
    /// The first invalid row (its line is `None` for the piece's first record, else the newlines
    /// before it in the piece), or where a quote starts a line handed to the csv reader (`Quote`).
    stop: Option<Stop>,
}

enum Stop {
    Row(Option<u64>, Option<u64>, ErrorKind),
    /// A quote in the piece: the piece is read again by the csv reader.
    Quote,
}

/// Reads delimited text, plain rows on the fast path (see the [module docs](self)).
fn read_fast<R: Read>(
    name: &str,
    reader: R,
    delimiter: u8,
    opts: &ReadOptions,
    block: usize,
    piece: usize,
) -> Result<Dataset> {
    if matches!(delimiter, b'"' | b'\n') {
        return read_csv(name, reader, delimiter, opts);
    }
    let mut blocks = Blocks::new(reader, block.max(2));
    let mut buf = Vec::new();
    blocks.fill(&mut buf);
    let fallback = |buf: Vec<u8>, blocks: Blocks<R>| {
        read_csv(
            name,
            Cursor::new(buf).chain(blocks.into_rest()),
            delimiter,
            opts,
        )
    };

    // The header and the metric's sample, from the first block.
    let mut plain = PlainRecords {
        bytes: &buf,
        pos: 0,
        newlines: 0,
        delimiter,
        quoted: false,
    };
    let Some(first) = plain.next() else {
        if plain.quoted || !blocks.eof || blocks.error.is_some() {
            return fallback(buf, blocks);
        }
        return Err(Error::new(name, None, ErrorKind::Empty));
    };
    // csv's first record is at line 1, whatever blank lines precede it.
    let first_line = 1;
    let Header {
        columns,
        by,
        headerless,
    } = header(name, &first, first_line, opts)?;
    // Where the data rows start: the header's line for a headerless input, else the line after it.
    let (data_start, data_newlines) = if headerless {
        (0, 0)
    } else {
        (plain.pos, plain.newlines)
    };
    let mut sample = Vec::new();
    if headerless {
        sample.push(first);
    }
    if needs_sample(&columns, opts) {
        while sample.len() < SAMPLE_ROWS {
            match plain.next() {
                Some(record) => sample.push(record),
                None => break,
            }
        }
        if plain.quoted || (sample.len() < SAMPLE_ROWS && !blocks.eof) {
            return fallback(buf, blocks);
        }
    }
    let (metric, choice) = metric(name, &columns, &sample, first_line, opts)?;
    drop(sample);
    let spec = Spec::new(&columns, metric, by, opts);

    let mut rows = Rows::default();
    // Newlines before the current piece, and the line of the next record.
    let mut base = data_newlines;
    let mut next_line = data_newlines + 1;
    let mut start = data_start;
    loop {
        let parts = parse_block(&spec, delimiter, &buf[start..], piece);
        if parts.iter().all(|(part, _)| part.stop.is_none()) {
            // The values are appended on the pool while this thread reads the next block
            // (both one core's work).
            for (part, _) in &parts {
                if let Some(n) = part.after_last {
                    next_line = base + n + 1;
                }
                base += part.newlines;
            }
            let mut more = false;
            rayon::in_place_scope(|scope| {
                let rows = &mut rows;
                scope.spawn(move |_| {
                    parts
                        .into_iter()
                        .for_each(|(part, _)| rows.append(part.rows))
                });
                more = blocks.fill(&mut buf);
            });
            if !more {
                break;
            }
            start = 0;
            continue;
        }
        let mut offset = start;
        for (part, len) in parts {
            match part.stop {
                Some(Stop::Quote) => {
                    // The rest goes to the csv reader, from this piece's first line.
                    let mut tail = Cursor::new(buf);
                    tail.set_position(offset as u64);
                    let mut csv = csv_reader(tail.chain(blocks.into_rest()), delimiter);
                    read_rest(name, &mut csv, &spec, &mut rows, base, Some(next_line))?;
                    return finish(name, &spec, rows, first_line, choice);
                }
                Some(Stop::Row(at, column, kind)) => {
                    let line = at.map_or(next_line, |n| base + n + 1);
                    return Err(spec.error(name, (line, column, kind)));
                }
                None => {}
            }
            rows.append(part.rows);
            if let Some(n) = part.after_last {
                next_line = base + n + 1;
            }
            base += part.newlines;
            offset += len;
        }
        if !blocks.fill(&mut buf) {
            break;
        }
        start = 0;
    }
    if let Some(e) = blocks.error {
        return Err(Error::new(name, None, io_kind(e)));
    }
    finish(name, &spec, rows, first_line, choice)
}

/// The parts of `bytes` (whole lines), cut into pieces of at least `piece` bytes, read in parallel;
/// each with its length.
fn parse_block(spec: &Spec<'_>, delimiter: u8, bytes: &[u8], piece: usize) -> Vec<(Part, usize)> {
    let threads = rayon::current_num_threads();
    let count = (bytes.len() / piece.max(1)).clamp(1, 4 * threads);
    if count == 1 {
        return vec![(parse_piece(spec, delimiter, bytes), bytes.len())];
    }
    let mut pieces = Vec::with_capacity(count);
    let mut start = 0;
    for i in 1..count {
        let target = (bytes.len() * i / count).max(start);
        let end = memchr::memchr(b'\n', &bytes[target..]).map_or(bytes.len(), |n| target + n + 1);
        if end > start {
            pieces.push(&bytes[start..end]);
            start = end;
        }
    }
    if start < bytes.len() {
        pieces.push(&bytes[start..]);
    }
    pieces
        .into_par_iter()
        .map(|p| (parse_piece(spec, delimiter, p), p.len()))
        .collect()
}

/// The state of [`parse_piece`]'s scan.
struct Scan<'s, 'b> {
    spec: &'s Spec<'s>,
    bytes: &'b [u8],
    part: Part,
    /// The metric's and the grouping column's index (`usize::MAX`: none).
    metric: usize,
    by: usize,
    newlines: u64,
    field: usize,
    field_start: usize,
    line_start: usize,
    value: (usize, usize),
    label: (usize, usize),
}

impl Scan<'_, '_> {
    /// A delimiter or newline at `i`; `false` to stop.
    #[inline(always)]
    fn at(&mut self, i: usize) -> bool {
        if self.field == self.metric {
            self.value = (self.field_start, i);
        }
        if self.field == self.by {
            self.label = (self.field_start, i);
        }
        self.field_start = i + 1;
        if self.bytes[i] == b'\n' {
            self.newlines += 1;
            let ok = i == self.line_start || self.row();
            self.field = 0;
            self.line_start = i + 1;
            ok
        } else {
            self.field += 1;
            true
        }
    }

    /// The row just ended; `false` to stop.
    #[inline(always)]
    fn row(&mut self) -> bool {
        let result = self.spec.add(
            &mut self.part.rows,
            0,
            self.field + 1,
            &self.bytes[self.value.0..self.value.1],
            self.spec
                .by
                .map(|_| &self.bytes[self.label.0..self.label.1]),
        );
        match result {
            Ok(()) => {
                self.part.after_last = Some(self.newlines);
                true
            }
            Err((_, column, kind)) => {
                self.part.stop = Some(Stop::Row(self.part.after_last, column, kind));
                false
            }
        }
    }
}

/// Reads the plain lines of `bytes` (whole lines; the last may lack its newline), stopping at the first
/// invalid row (unless skipped); a piece holding a quote is left to the csv reader.
///
/// The delimiters and newlines are found eight bytes at a time ([`swar`]: a word's byte masks, then
/// their set bits).
fn parse_piece(spec: &Spec<'_>, delimiter: u8, bytes: &[u8]) -> Part {
    if memchr::memchr(b'"', bytes).is_some() {
        return Part {
            stop: Some(Stop::Quote),
            ..Part::default()
        };
    }
    let mut scan = Scan {
        spec,
        bytes,
        part: Part::default(),
        metric: spec.metric,
        by: spec.by.unwrap_or(usize::MAX),
        newlines: 0,
        field: 0,
        field_start: 0,
        line_start: 0,
        value: (0, 0),
        label: (0, 0),
    };
    let (d, nl) = (swar::splat(delimiter), swar::splat(b'\n'));
    let mut base = 0;
    while base + 8 <= bytes.len() {
        let word = swar::word(bytes, base);
        let mut mask = swar::equal_bytes(word, d) | swar::equal_bytes(word, nl);
        while mask != 0 {
            let i = base + (mask.trailing_zeros() / 8) as usize;
            mask &= mask - 1;
            if !scan.at(i) {
                return scan.part;
            }
        }
        base += 8;
    }
    for (i, &b) in bytes.iter().enumerate().skip(base) {
        if (b == delimiter || b == b'\n') && !scan.at(i) {
            return scan.part;
        }
    }
    if scan.line_start < bytes.len() {
        let end = bytes.len();
        if scan.field == scan.metric {
            scan.value = (scan.field_start, end);
        }
        if scan.field == scan.by {
            scan.label = (scan.field_start, end);
        }
        if !scan.row() {
            return scan.part;
        }
    }
    scan.part.newlines = scan.newlines;
    scan.part
}

#[cfg(test)]
mod tests;

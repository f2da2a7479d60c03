//! JSON (one array, streamed element by element) and NDJSON (one value per line).
//!
//! Both feed the same [`State`]: the first element decides the shape (an object → records, anything else →
//! bare numbers). Records are buffered for the first [`SAMPLE_ROWS`] to choose the metric, then replayed;
//! after that, only the metric and grouping fields of each record are kept, the rest is skipped unparsed.

use std::{
    cell::Cell,
    fmt,
    io::{self, BufRead, BufReader, Read},
    rc::Rc,
};

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::{
    InputFormat, ReadOptions,
    dataset::{
        Dataset, Groups, bad_value_kind, choose_by, choose_metric, parse_value, shorten, to_ms,
    },
    error::{Error, ErrorKind, Position, Result, io_kind},
};

/// Records buffered (then replayed) to decide which fields are numeric.
const SAMPLE_ROWS: usize = 100;

/// Reads a JSON document: an array of numbers or of records.
///
/// Memory: the values, plus up to [`SAMPLE_ROWS`] records; the document itself is streamed.
pub(crate) fn read_json<R: Read>(name: &str, reader: R, opts: &ReadOptions) -> Result<Dataset> {
    read_json_limited(name, reader, opts, crate::MAX_LINE_BYTES)
}

/// [`read_json`] with a bound on the length of one token (a string, a number).
fn read_json_limited<R: Read>(
    name: &str,
    reader: R,
    opts: &ReadOptions,
    limit: u64,
) -> Result<Dataset> {
    let here = Rc::new(Cell::new(Cursor {
        line: 1,
        column: 0,
        value_start: (1, 1),
        armed: false,
        ..Cursor::default()
    }));
    let reader = Tracking {
        inner: BufReader::with_capacity(64 * 1024, reader),
        here: Rc::clone(&here),
        limit,
    };
    let mut state = State::new(name, opts, Locator::Stream(Rc::clone(&here)));
    let mut de = serde_json::Deserializer::from_reader(reader);
    let result = Top(&mut state).deserialize(&mut de).and_then(|()| de.end());
    if let Some(failure) = state.failure.take() {
        return Err(failure);
    }
    result.map_err(|e| json_error(name, e, None, Some(here.get())))?;
    state.finish(Position::line(1))
}

/// Reads NDJSON: one record or number per line; blank lines are skipped.
pub(crate) fn read_ndjson<R: Read>(name: &str, reader: R, opts: &ReadOptions) -> Result<Dataset> {
    let mut reader = BufReader::with_capacity(64 * 1024, reader);
    let mut state = State::new(name, opts, Locator::Line(0));
    let mut line = Vec::new();
    let mut number = 0u64;
    let mut first_line = None;
    loop {
        line.clear();
        let n = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| Error::new(name, None, io_kind(e)))?;
        if n == 0 {
            break;
        }
        number += 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        first_line.get_or_insert(number);
        while line.last().is_some_and(|&b| b == b'\n' || b == b'\r') {
            line.pop();
        }
        state.locator = Locator::Line(number);
        let mut de = serde_json::Deserializer::from_slice(&line);
        let result = Element(&mut state)
            .deserialize(&mut de)
            .and_then(|()| de.end());
        if let Some(failure) = state.failure.take() {
            return Err(failure);
        }
        if let Err(e) = result {
            // A line that does not parse is one bad row.
            state.rows += 1;
            if !opts.skip_invalid {
                return Err(json_error(name, e, Some((number, &line)), None));
            }
            state.skipped += 1;
        }
    }
    if first_line.is_none() {
        return Err(Error::new(name, None, ErrorKind::Empty));
    }
    state.finish(Position::line(first_line.unwrap_or(1)))
}

/// A serde_json error with its position. In NDJSON (`line` given) the position is found in the line's
/// text; in a streamed document, a number out of range is placed at its first character (serde_json
/// reports it after the byte that follows it).
fn json_error(
    name: &str,
    err: serde_json::Error,
    line: Option<(u64, &[u8])>,
    cursor: Option<Cursor>,
) -> Error {
    if err.is_io() {
        let kind = match io::Error::from(err) {
            e if e.kind() == io::ErrorKind::InvalidData && e.get_ref().is_none() => {
                ErrorKind::Io(e)
            }
            e => io_kind(e),
        };
        let position = cursor
            .filter(|_| matches!(kind, ErrorKind::ValueTooLong { .. }))
            .map(|c| Position::new(c.token_start.0, c.token_start.1.max(1)));
        return Error::new(name, position, kind);
    }
    match line {
        Some((number, text)) => {
            let column = error_position(&err, text).and_then(|p| p.column);
            Error::row(
                name,
                Position::new(number, column.unwrap_or(1)),
                ErrorKind::JsonSyntax(err),
            )
        }
        None if err.line() == 0 => Error::new(name, None, ErrorKind::JsonSyntax(err)),
        None => {
            let position = match cursor {
                Some(c) if out_of_range(&err) => {
                    let at = (err.line() as u64, err.column() as u64);
                    let (line, column, _) = c
                        .numbers
                        .into_iter()
                        .rev()
                        .find(|&(l, _, b)| (l, b) <= at)
                        .unwrap_or(c.numbers[1]);
                    Position::new(line, column.max(1))
                }
                _ if err.column() == 0 && err.line() > 1 => {
                    // Just after a line end: the end of the previous line (known unless serde_json
                    // read past another line end).
                    let line = err.line() as u64 - 1;
                    match cursor {
                        Some(c) if c.line == line + 1 => {
                            Position::new(line, c.previous_line_end + 1)
                        }
                        _ => Position::line(line),
                    }
                }
                _ => Position::new(err.line() as u64, (err.column() as u64).max(1)),
            };
            Error::new(name, Some(position), ErrorKind::JsonSyntax(err))
        }
    }
}

/// Whether serde_json failed on a number too large for an `f64` (`1e400`).
fn out_of_range(err: &serde_json::Error) -> bool {
    err.is_syntax() && err.to_string().starts_with("number out of range")
}

/// Where serde_json's error is in `text` (the whole input it parsed): 1-based line and character column.
/// A number out of range is placed at its first character; an error just after a line end, at the end
/// of that line.
pub(crate) fn error_position(err: &serde_json::Error, text: &[u8]) -> Option<Position> {
    if err.line() == 0 {
        return None;
    }
    let mut line_start = 0;
    for _ in 1..err.line() {
        line_start += memchr::memchr(b'\n', &text[line_start..])? + 1;
    }
    let mut at = (line_start + err.column()).min(text.len());
    if out_of_range(err) {
        let number = |b: u8| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-');
        // The reader may have consumed the byte after the number.
        if at > 0 && !number(text[at - 1]) {
            at -= 1;
        }
        while at > 0 && number(text[at - 1]) {
            at -= 1;
        }
        at += 1;
    }
    // `at` is 1 past the byte in error (serde_json's column counts the bytes consumed on the line).
    let at = at.max(1);
    let start = memchr::memrchr(b'\n', &text[..at - 1]).map_or(0, |i| i + 1);
    let line = 1 + memchr::memchr_iter(b'\n', &text[..start]).count() as u64;
    if text.get(at - 1) == Some(&b'\n') {
        // The error is at a line end: after the line's last character.
        let content = &text[start..at - 1];
        let content = content.strip_suffix(b"\r").unwrap_or(content);
        return Some(Position::new(line, chars(content) + 1));
    }
    Some(Position::new(line, chars(&text[start..at]).max(1)))
}

/// The 1-based line and character column of byte `offset` of `text`.
pub(crate) fn position_of(text: &[u8], offset: usize) -> Position {
    let offset = offset.min(text.len());
    let start = memchr::memrchr(b'\n', &text[..offset]).map_or(0, |i| i + 1);
    let line = 1 + memchr::memchr_iter(b'\n', &text[..start]).count() as u64;
    Position::new(line, chars(&text[start..offset]) + 1)
}

/// The number of UTF-8 characters in `bytes` (continuation bytes not counted).
fn chars(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count() as u64
}

/// Where the streamed text is, shared between [`Tracking`] and the visitors.
#[derive(Clone, Copy, Debug, Default)]
struct Cursor {
    /// Line and character column of the last byte handed out.
    line: u64,
    column: u64,
    /// Where the first non-space byte after the last [`Locator::arm`] was read: a map value's start.
    value_start: (u64, u64),
    /// Set (by [`Locator::arm`]) right after a map's `:` was consumed: the next non-space byte starts the value.
    armed: bool,
    /// Where the last token (a string, a number, a literal) started.
    token_start: (u64, u64),
    /// Bytes of that token so far, while it lasts.
    token_len: u64,
    /// Inside a token; inside a string; just after a backslash in a string.
    in_token: bool,
    in_string: bool,
    escaped: bool,
    /// Characters on the line before the last line end (not counting a CR).
    previous_line_end: u64,
    /// Bytes since the last line end (serde_json's column).
    byte_column: u64,
    /// Where the last two numbers started: line, character column, byte column. serde_json reads a
    /// little past a value that failed (it looks for the end of the enclosing array or object), so the
    /// failed number is the later one that starts before the error.
    numbers: [(u64, u64, u64); 2],
}

impl Cursor {
    /// Follows one byte; fails when a token grows past `limit` bytes.
    #[inline]
    fn step(&mut self, b: u8, limit: u64) -> io::Result<()> {
        if b == b'\n' {
            self.previous_line_end = self.column;
            self.line += 1;
            self.column = 0;
            self.byte_column = 0;
        } else if (b & 0xC0) != 0x80 {
            self.byte_column += 1;
            if b != b'\r' {
                self.column += 1;
            }
            if self.armed && !b.is_ascii_whitespace() {
                self.value_start = (self.line, self.column);
                self.armed = false;
            }
        } else {
            self.byte_column += 1;
        }
        if self.in_string {
            if self.escaped {
                self.escaped = false;
            } else if b == b'\\' {
                self.escaped = true;
            } else if b == b'"' {
                self.in_string = false;
                self.in_token = false;
            }
        } else if b.is_ascii_whitespace() || matches!(b, b',' | b':' | b'[' | b']' | b'{' | b'}') {
            self.in_token = false;
            return Ok(());
        } else if !self.in_token {
            self.in_token = true;
            self.in_string = b == b'"';
            self.token_start = (self.line, self.column);
            self.token_len = 0;
            if b == b'-' || b.is_ascii_digit() {
                self.numbers = [self.numbers[1], (self.line, self.column, self.byte_column)];
            }
        }
        self.token_len += 1;
        if self.token_len > limit {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                crate::limit::ValueTooLong { limit },
            ));
        }
        Ok(())
    }
}

/// A reader that tracks the line and character column of the bytes handed out, where values start, and
/// bounds the length of one token (a string or a number) by [`MAX_LINE_BYTES`](crate::MAX_LINE_BYTES).
///
/// serde_json reads one byte at a time (and peeks one ahead), so when an array element starts being
/// deserialized, `line`/`column` is the position of its first character. A map value's seed runs just after
/// the `:` was consumed, before the value's first byte is read: it arms the cursor, which then records the
/// next non-space byte's position in `value_start`.
struct Tracking<R> {
    inner: BufReader<R>,
    here: Rc<Cell<Cursor>>,
    limit: u64,
}

impl<R: Read> Read for Tracking<R> {
    #[inline]
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut c = self.here.get();
        let mut result = Ok(n);
        for &b in &buf[..n] {
            if let Err(e) = c.step(b, self.limit) {
                result = Err(e);
                break;
            }
        }
        self.here.set(c);
        result
    }
}

/// Where the current value is.
enum Locator {
    /// Streaming a document: the shared position of [`Tracking`].
    Stream(Rc<Cell<Cursor>>),
    /// NDJSON: the line number.
    Line(u64),
}

impl Locator {
    /// The position of the last character read (the first of an array element about to be read).
    fn here(&self) -> Position {
        match self {
            Locator::Stream(here) => {
                let c = here.get();
                Position::new(c.line, c.column.max(1))
            }
            Locator::Line(line) => Position::line(*line),
        }
    }

    /// Marks that a map value is about to be read (see [`Tracking`]).
    fn arm(&self) {
        if let Locator::Stream(here) = self {
            let mut c = here.get();
            c.armed = true;
            here.set(c);
        }
    }

    /// Where the last token (a key just read) starts.
    fn token_start(&self) -> Position {
        match self {
            Locator::Stream(here) => {
                let (line, column) = here.get().token_start;
                Position::new(line, column.max(1))
            }
            Locator::Line(line) => Position::line(*line),
        }
    }

    /// The start of the map value just read (a scalar: nested values have their own starts).
    fn value_start(&self) -> Position {
        match self {
            Locator::Stream(here) => {
                let (line, column) = here.get().value_start;
                Position::new(line, column.max(1))
            }
            Locator::Line(line) => Position::line(*line),
        }
    }
}

/// A JSON value as far as this reader cares.
#[derive(Clone, Debug)]
enum Scalar {
    Float(f64),
    Int(i128),
    Str(String),
    Bool(bool),
    Null,
    Array,
    Object,
}

impl Scalar {
    fn is_number(&self) -> bool {
        matches!(self, Scalar::Float(_) | Scalar::Int(_))
    }

    /// What it is, for messages.
    fn what(&self) -> &'static str {
        match self {
            Scalar::Float(_) | Scalar::Int(_) => "a number",
            Scalar::Str(_) => "a string",
            Scalar::Bool(_) => "a boolean",
            Scalar::Null => "null",
            Scalar::Array => "an array",
            Scalar::Object => "an object",
        }
    }

    /// As text for a message's `found "..."`.
    fn text(&self) -> String {
        match self {
            // Large and tiny magnitudes as written in a JSON document, not with hundreds of digits.
            Scalar::Float(v) if *v != 0.0 && !(1e-5..1e16).contains(&v.abs()) => format!("{v:e}"),
            Scalar::Float(v) => v.to_string(),
            Scalar::Int(v) => v.to_string(),
            Scalar::Str(s) => shorten(s),
            Scalar::Bool(b) => b.to_string(),
            Scalar::Null => "null".to_owned(),
            Scalar::Array => "[...]".to_owned(),
            Scalar::Object => "{...}".to_owned(),
        }
    }

    /// As a value of `column`, converted to milliseconds by `exp10` places when given.
    fn value(&self, column: &str, exp10: Option<i32>) -> Result<f64, ErrorKind> {
        let v = self.number(column)?;
        match exp10 {
            None => Ok(v),
            Some(exp10) => to_ms(v, exp10).map_err(|bad| {
                let text = match self {
                    Scalar::Str(s) => s.trim().to_owned(),
                    _ => self.text(),
                };
                bad_value_kind(column, text.as_bytes(), bad)
            }),
        }
    }

    /// As a number of `column`.
    fn number(&self, column: &str) -> Result<f64, ErrorKind> {
        match self {
            Scalar::Float(v) if v.is_finite() => Ok(*v),
            Scalar::Int(v) => Ok(*v as f64),
            Scalar::Str(s) => {
                parse_value(s.as_bytes()).map_err(|bad| bad_value_kind(column, s.as_bytes(), bad))
            }
            _ => Err(ErrorKind::InvalidNumber {
                column: column.to_owned(),
                found: self.text(),
            }),
        }
    }
}

/// A field of a buffered record.
struct Field {
    key: String,
    value: Scalar,
    position: Position,
}

/// The two fields of a record that matter, once they are known.
#[derive(Default)]
struct Selected {
    metric: Option<(Scalar, Position)>,
    by: Option<(Scalar, Position)>,
}

/// How records are read.
enum Mode {
    /// The first element has not been seen.
    Start,
    /// Bare numbers: every element is a value.
    Numbers,
    /// Records, buffered until the metric is chosen.
    Sampling(Vec<(Position, Vec<Field>)>),
    /// Records, with the metric (and grouping) field chosen.
    Selecting { metric: String, by: Option<String> },
}

struct State<'a> {
    name: &'a str,
    opts: &'a ReadOptions,
    locator: Locator,
    mode: Mode,
    groups: Groups,
    rows: u64,
    skipped: u64,
    /// Our error, stashed while serde unwinds with a placeholder.
    failure: Option<Error>,
    /// The keys of the record being read, to catch a key given twice.
    keys: KeySet,
    /// How the metric was chosen among several numeric fields.
    metric_choice: Option<crate::MetricChoice>,
}

/// The keys of one object (their buffers reused from object to object).
#[derive(Default)]
struct KeySet {
    keys: Vec<String>,
    count: usize,
    /// A key given twice.
    duplicate: Option<String>,
}

impl KeySet {
    fn clear(&mut self) {
        self.count = 0;
    }

    /// Adds `key`; `false` (and the key kept in `duplicate`) if it is there already.
    fn insert(&mut self, key: &str) -> bool {
        if self.keys[..self.count].iter().any(|k| k == key) {
            self.duplicate = Some(key.to_owned());
            return false;
        }
        if let Some(slot) = self.keys.get_mut(self.count) {
            slot.clear();
            slot.push_str(key);
        } else {
            self.keys.push(key.to_owned());
        }
        self.count += 1;
        true
    }
}

impl<'a> State<'a> {
    fn new(name: &'a str, opts: &'a ReadOptions, locator: Locator) -> Self {
        State {
            name,
            opts,
            locator,
            mode: Mode::Start,
            groups: Groups::default(),
            rows: 0,
            skipped: 0,
            failure: None,
            keys: KeySet::default(),
            metric_choice: None,
        }
    }

    /// The error for the key that [`KeySet::insert`] found twice, at the key.
    fn duplicate_key<E: de::Error>(&mut self) -> E {
        let kind = ErrorKind::DuplicateKey {
            name: self.keys.duplicate.take().unwrap_or_default(),
        };
        let at = self.locator.token_start();
        self.fail(Error::new(self.name, Some(at), kind))
    }

    /// Stashes `err` and returns the error that makes serde stop.
    fn fail<E: de::Error>(&mut self, err: Error) -> E {
        self.failure = Some(err);
        E::custom("stopped by perfstat-ingest")
    }

    /// A row-level problem: skipped with `skip_invalid`, else the reading stops.
    fn bad_row<E: de::Error>(&mut self, position: Position, kind: ErrorKind) -> Result<(), E> {
        if self.opts.skip_invalid {
            self.skipped += 1;
            Ok(())
        } else {
            Err(self.fail(Error::row(self.name, position, kind)))
        }
    }

    /// Decides the shape from the first element.
    fn start<E: de::Error>(&mut self, record: bool, position: Position) -> Result<(), E> {
        if record {
            self.mode = Mode::Sampling(Vec::new());
            return Ok(());
        }
        let columns = ["value".to_owned()];
        if let Some(by) = &self.opts.by {
            let kind = choose_by(&columns, by).err();
            if let Some(kind) = kind {
                return Err(self.fail(Error::new(self.name, Some(position), kind)));
            }
        }
        if let Err(kind) = choose_metric(&columns, &[], self.opts.metric.as_deref()) {
            return Err(self.fail(Error::new(self.name, Some(position), kind)));
        }
        self.mode = Mode::Numbers;
        Ok(())
    }

    /// A bare value (not a record).
    fn value<E: de::Error>(&mut self, value: Scalar, position: Position) -> Result<(), E> {
        if matches!(self.mode, Mode::Start) {
            self.start(false, position)?;
        }
        self.rows += 1;
        if !matches!(self.mode, Mode::Numbers) {
            let kind = ErrorKind::UnexpectedJson {
                expected: "an object",
                found: value.what(),
            };
            return self.bad_row(position, kind);
        }
        match value.value("value", self.opts.unit.map(crate::Unit::exp10_to_ms)) {
            Ok(v) => {
                self.groups.push(v);
                Ok(())
            }
            Err(kind) => self.bad_row(position, kind),
        }
    }

    /// A buffered record; when the buffer is full, chooses the metric and replays it.
    fn sampled<E: de::Error>(&mut self, start: Position, fields: Vec<Field>) -> Result<(), E> {
        if let Mode::Sampling(pending) = &mut self.mode {
            pending.push((start, fields));
            if pending.len() >= SAMPLE_ROWS {
                return self.choose();
            }
        }
        Ok(())
    }

    /// Chooses the metric and grouping fields from the buffered records, then replays them.
    fn choose<E: de::Error>(&mut self) -> Result<(), E> {
        let Mode::Sampling(pending) = std::mem::replace(&mut self.mode, Mode::Start) else {
            return Ok(());
        };
        let mut columns: Vec<String> = Vec::new();
        let mut counts: Vec<(usize, usize)> = Vec::new(); // (non-null values, numbers)
        for (_, fields) in &pending {
            for field in fields {
                let i = match columns.iter().position(|c| *c == field.key) {
                    Some(i) => i,
                    None => {
                        columns.push(field.key.clone());
                        counts.push((0, 0));
                        columns.len() - 1
                    }
                };
                if !matches!(field.value, Scalar::Null) {
                    counts[i].0 += 1;
                    counts[i].1 += usize::from(field.value.is_number());
                }
            }
        }
        let numeric: Vec<bool> = counts.iter().map(|&(n, k)| n > 0 && 2 * k >= n).collect();
        let at = pending.first().map_or(Position::line(1), |(p, _)| *p);
        let by = match &self.opts.by {
            Some(by) => match choose_by(&columns, by) {
                Ok(i) => Some(columns[i].clone()),
                Err(kind) => return Err(self.fail(Error::new(self.name, Some(at), kind))),
            },
            None => None,
        };
        self.metric_choice =
            crate::dataset::metric_choice(&columns, &numeric, self.opts.metric.as_deref());
        let metric = match choose_metric(&columns, &numeric, self.opts.metric.as_deref()) {
            Ok(i) => columns[i].clone(),
            Err(kind) => return Err(self.fail(Error::new(self.name, Some(at), kind))),
        };
        for (start, fields) in pending {
            let mut selected = Selected::default();
            for field in fields {
                if field.key == metric {
                    selected.metric = Some((field.value.clone(), field.position));
                }
                if Some(&field.key) == by.as_ref() {
                    selected.by = Some((field.value, field.position));
                }
            }
            self.add(start, &metric, by.as_deref(), selected)?;
        }
        self.mode = Mode::Selecting { metric, by };
        Ok(())
    }

    /// A record with its metric (and grouping) field picked out.
    fn selected<E: de::Error>(&mut self, start: Position, selected: Selected) -> Result<(), E> {
        let Mode::Selecting { metric, by } = std::mem::replace(&mut self.mode, Mode::Start) else {
            return Ok(());
        };
        let result = self.add(start, &metric, by.as_deref(), selected);
        self.mode = Mode::Selecting { metric, by };
        result
    }

    fn add<E: de::Error>(
        &mut self,
        start: Position,
        metric: &str,
        by: Option<&str>,
        selected: Selected,
    ) -> Result<(), E> {
        self.rows += 1;
        let Some((value, at)) = selected.metric else {
            return self.bad_row(
                start,
                ErrorKind::MissingField {
                    name: metric.to_owned(),
                },
            );
        };
        let value = match value.value(metric, self.opts.unit.map(crate::Unit::exp10_to_ms)) {
            Ok(v) => v,
            Err(kind) => return self.bad_row(at, kind),
        };
        let Some(by) = by else {
            self.groups.push(value);
            return Ok(());
        };
        let label = match selected.by {
            None => {
                return self.bad_row(
                    start,
                    ErrorKind::MissingField {
                        name: by.to_owned(),
                    },
                );
            }
            Some((Scalar::Str(s), _)) => s,
            Some((Scalar::Bool(b), _)) => b.to_string(),
            Some((Scalar::Int(i), _)) => i.to_string(),
            Some((Scalar::Float(f), _)) => f.to_string(),
            Some((other, at)) => {
                let kind = ErrorKind::InvalidLabel {
                    column: by.to_owned(),
                    found: other.what().to_owned(),
                };
                return self.bad_row(at, kind);
            }
        };
        match self.groups.id(label.as_bytes()) {
            Ok(id) => self.groups.push_to(id, value),
            Err(()) => {
                return self.bad_row(
                    start,
                    ErrorKind::InvalidUtf8 {
                        column: Some(by.to_owned()),
                    },
                );
            }
        }
        Ok(())
    }

    fn finish(mut self, first: Position) -> Result<Dataset> {
        if matches!(self.mode, Mode::Sampling(_)) {
            self.choose::<serde_json::Error>().ok();
            if let Some(failure) = self.failure.take() {
                return Err(failure);
            }
        }
        let metric = match &self.mode {
            Mode::Start => return Err(Error::new(self.name, Some(first), ErrorKind::NoDataRows)),
            Mode::Numbers => "value".to_owned(),
            Mode::Selecting { metric, .. } => metric.clone(),
            Mode::Sampling(_) => {
                return Err(Error::new(self.name, Some(first), ErrorKind::NoDataRows));
            }
        };
        if self.rows == self.skipped {
            return Err(Error::new(
                self.name,
                None,
                ErrorKind::NoValidRows {
                    skipped: self.skipped,
                },
            ));
        }
        let mut data = Dataset::generic(
            self.name,
            metric,
            self.groups.finish(),
            self.rows,
            self.skipped,
            InputFormat::Json,
        );
        data.metric_choice = self.metric_choice.take();
        Ok(data)
    }
}

/// The top-level value: must be an array.
struct Top<'s, 'a>(&'s mut State<'a>);

impl<'de> DeserializeSeed<'de> for Top<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Top<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON array")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Element(&mut *self.0))?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let at = self.0.locator.here();
        let mut arrays = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if matches!(map.next_value_seed(ScalarSeed)?, Scalar::Array) {
                arrays.push(key);
            }
        }
        let at = Position {
            column: at.column,
            ..at
        };
        Err(self.0.fail(Error::new(
            self.0.name,
            Some(at),
            ErrorKind::NestedJson { arrays },
        )))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.not_array("a boolean")
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.not_array("a number")
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.not_array("a number")
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.not_array("a number")
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.not_array("a string")
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.not_array("null")
    }
}

impl Top<'_, '_> {
    fn not_array<E: de::Error>(self, found: &'static str) -> Result<(), E> {
        let kind = ErrorKind::UnexpectedJson {
            expected: "a JSON array of numbers or of records",
            found,
        };
        Err(self
            .0
            .fail(Error::new(self.0.name, Some(Position::line(1)), kind)))
    }
}

/// One element: a record or a bare value.
struct Element<'s, 'a>(&'s mut State<'a>);

impl<'de> DeserializeSeed<'de> for Element<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        let start = self.0.locator.here();
        deserializer.deserialize_any(ElementVisitor {
            state: self.0,
            start,
        })
    }
}

struct ElementVisitor<'s, 'a> {
    state: &'s mut State<'a>,
    start: Position,
}

impl<'de> Visitor<'de> for ElementVisitor<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number or an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let state = self.state;
        if matches!(state.mode, Mode::Start) {
            state.start(true, self.start)?;
        }
        state.keys.clear();
        match &state.mode {
            Mode::Sampling(_) => {
                let mut fields = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    if !state.keys.insert(&key) {
                        return Err(state.duplicate_key());
                    }
                    let position = state.locator.here();
                    let value = map.next_value_seed(Located(&state.locator))?;
                    fields.push(Field {
                        key,
                        value: value.0,
                        position: value.1.unwrap_or(position),
                    });
                }
                state.sampled(self.start, fields)
            }
            Mode::Selecting { metric, by } => {
                let mut selected = Selected::default();
                loop {
                    let keys = Keys {
                        metric,
                        by: by.as_deref(),
                        seen: &mut state.keys,
                    };
                    let which = match map.next_key_seed(keys) {
                        Ok(Some(which)) => which,
                        Ok(None) => break,
                        Err(_) if state.keys.duplicate.is_some() => {
                            return Err(state.duplicate_key());
                        }
                        Err(e) => return Err(e),
                    };
                    match which {
                        Which::Metric => {
                            let (v, p) = map.next_value_seed(Located(&state.locator))?;
                            selected.metric = Some((v, p.unwrap_or(self.start)));
                        }
                        Which::By => {
                            let (v, p) = map.next_value_seed(Located(&state.locator))?;
                            selected.by = Some((v, p.unwrap_or(self.start)));
                        }
                        Which::Both => {
                            let (v, p) = map.next_value_seed(Located(&state.locator))?;
                            let p = p.unwrap_or(self.start);
                            selected.by = Some((v.clone(), p));
                            selected.metric = Some((v, p));
                        }
                        Which::Other => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                state.selected(self.start, selected)
            }
            Mode::Numbers | Mode::Start => {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                state.value(Scalar::Object, self.start)
            }
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        self.state.value(Scalar::Array, self.start)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.state.value(Scalar::Bool(v), self.start)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.state.value(Scalar::Int(v.into()), self.start)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.state.value(Scalar::Int(v.into()), self.start)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        self.state.value(Scalar::Float(v), self.start)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.state.value(Scalar::Str(v.to_owned()), self.start)
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.state.value(Scalar::Null, self.start)
    }
}

/// Which of the fields that matter a key names.
#[derive(Clone, Copy)]
enum Which {
    Metric,
    By,
    Both,
    Other,
}

/// Compares keys with the metric and grouping names, and notes them to catch one given twice.
struct Keys<'n> {
    metric: &'n str,
    by: Option<&'n str>,
    seen: &'n mut KeySet,
}

impl<'de> DeserializeSeed<'de> for Keys<'_> {
    type Value = Which;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Which, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Keys<'_> {
    type Value = Which;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Which, E> {
        if !self.seen.insert(key) {
            return Err(E::custom("duplicate key"));
        }
        Ok(match (key == self.metric, self.by == Some(key)) {
            (true, true) => Which::Both,
            (true, false) => Which::Metric,
            (false, true) => Which::By,
            (false, false) => Which::Other,
        })
    }
}

/// A field value with the position where it starts (when streaming).
struct Located<'l>(&'l Locator);

impl<'de> DeserializeSeed<'de> for Located<'_> {
    type Value = (Scalar, Option<Position>);

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        self.0.arm();
        let value = ScalarSeed.deserialize(deserializer)?;
        let position = self.0.value_start();
        Ok((value, Some(position)))
    }
}

/// A value, reduced to a [`Scalar`] (arrays and objects are skipped).
#[derive(Clone, Copy)]
struct ScalarSeed;

impl<'de> DeserializeSeed<'de> for ScalarSeed {
    type Value = Scalar;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Scalar, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ScalarSeed {
    type Value = Scalar;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
        Ok(Scalar::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar::Int(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
        Ok(Scalar::Int(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar::Str(v.to_owned()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar::Array)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar::Object)
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn an_endless_string_or_number_is_an_error_at_its_start() {
        let opts = ReadOptions::default();
        for (head, fill) in [(&b"[1,\n  \"a"[..], b'a'), (&b"[1,\n\n 7"[..], b'7')] {
            let endless = head.chain(io::repeat(fill));
            let err = read_json_limited("j.json", endless, &opts, 1000).unwrap_err();
            assert!(matches!(
                err.kind(),
                ErrorKind::ValueTooLong { limit: 1000 }
            ));
            let at = if fill == b'a' { (2, 3) } else { (3, 2) };
            assert_eq!(err.position(), Some(Position::new(at.0, at.1)), "{err}");
        }
        // Long tokens under the limit are fine.
        let text = format!("[\"{}\", 1]", "x".repeat(900));
        let opts = ReadOptions {
            skip_invalid: true,
            ..ReadOptions::default()
        };
        let d = read_json_limited("j.json", text.as_bytes(), &opts, 1000).unwrap();
        assert_eq!(d.values().collect::<Vec<_>>(), [1.0]);
    }
}

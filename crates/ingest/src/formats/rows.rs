//! A fast delimited-row reader for large tool outputs (JMeter JTL CSV).
//!
//! Rows without a double quote (nearly all rows of a JTL) are split with memchr directly in a large
//! buffer: no copy, no per-row allocation. A row with a quote is parsed by csv-core (quoted delimiters,
//! doubled quotes, quoted newlines), with the same rules as the csv crate used elsewhere: records end at
//! LF, a CR stays in the last field, and rows may have any number of fields.

use std::io::{self, Read};

use csv_core::{ReadRecordResult, ReaderBuilder, Terminator};

/// Bytes read at a time.
const BLOCK: usize = 1 << 20;

/// Reads rows; after [`Rows::next_row`] returns a line number, [`Rows::field`] and [`Rows::len`] give the
/// row's fields.
pub(crate) struct Rows<R> {
    reader: R,
    buf: Vec<u8>,
    /// Start of the unread data in `buf`.
    pos: usize,
    /// End of the data in `buf`.
    end: usize,
    eof: bool,
    delimiter: u8,
    core: csv_core::Reader,
    /// The current row: from `buf` (unquoted) or from `out` (parsed by csv-core).
    quoted: bool,
    row_start: usize,
    row_end: usize,
    /// Field end offsets of the current row (relative to its start).
    ends: Vec<usize>,
    out: Vec<u8>,
    /// Lines consumed before the current row.
    lines: u64,
}

impl<R: Read> Rows<R> {
    pub(crate) fn new(reader: R, delimiter: u8) -> Self {
        Self {
            reader,
            buf: vec![0; BLOCK],
            pos: 0,
            end: 0,
            eof: false,
            delimiter,
            core: ReaderBuilder::new()
                .delimiter(delimiter)
                .terminator(Terminator::Any(b'\n'))
                .build(),
            quoted: false,
            row_start: 0,
            row_end: 0,
            ends: Vec::with_capacity(32),
            out: vec![0; 4096],
            lines: 0,
        }
    }

    /// Moves the unread data to the front and reads more; `false` at the end of the input.
    fn fill(&mut self) -> io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        self.buf.copy_within(self.pos..self.end, 0);
        self.end -= self.pos;
        self.pos = 0;
        if self.buf.len() - self.end < BLOCK / 2 {
            self.buf.resize(self.buf.len() * 2, 0);
        }
        loop {
            match self.reader.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(n) => {
                    self.end += n;
                    return Ok(true);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// Reads the next row; returns the line where it starts, or `None` at the end.
    pub(crate) fn next_row(&mut self) -> io::Result<Option<u64>> {
        loop {
            let data = &self.buf[self.pos..self.end];
            let newline = memchr::memchr(b'\n', data);
            let line_len = match newline {
                Some(n) => n,
                None if !self.eof => {
                    self.fill()?;
                    continue;
                }
                None if data.is_empty() => return Ok(None),
                None => data.len(),
            };
            let line = &data[..line_len];
            self.ends.clear();
            if split_unquoted(line, self.delimiter, &mut self.ends) {
                return self.quoted_row();
            }
            self.lines += 1;
            self.quoted = false;
            self.row_start = self.pos;
            self.row_end = self.pos + line_len;
            self.ends.push(line_len);
            self.pos += (line_len + 1).min(self.end - self.pos);
            return Ok(Some(self.lines));
        }
    }

    /// Parses a row holding a quote with csv-core (it may span lines).
    fn quoted_row(&mut self) -> io::Result<Option<u64>> {
        let start_line = self.lines + 1;
        loop {
            self.core.reset();
            self.ends.clear();
            self.ends.resize(32, 0);
            let (mut nin, mut nout, mut nend) = (0, 0, 0);
            let done = loop {
                let input = &self.buf[self.pos + nin..self.end];
                let (res, i, o, e) =
                    self.core
                        .read_record(input, &mut self.out[nout..], &mut self.ends[nend..]);
                nin += i;
                nout += o;
                nend += e;
                match res {
                    ReadRecordResult::Record => break true,
                    ReadRecordResult::End => break true,
                    ReadRecordResult::OutputFull => {
                        let n = self.out.len() * 2;
                        self.out.resize(n, 0);
                    }
                    ReadRecordResult::OutputEndsFull => {
                        let n = self.ends.len() * 2;
                        self.ends.resize(n, 0);
                    }
                    ReadRecordResult::InputEmpty if self.eof && input.is_empty() => break true,
                    ReadRecordResult::InputEmpty if self.eof => {}
                    ReadRecordResult::InputEmpty => break false,
                }
            };
            if !done {
                // The record continues past the buffer: read more and parse it again.
                self.fill()?;
                continue;
            }
            let consumed = &self.buf[self.pos..self.pos + nin];
            self.lines += memchr::memchr_iter(b'\n', consumed).count() as u64;
            if consumed.last() != Some(&b'\n') {
                self.lines += 1;
            }
            self.pos += nin;
            self.ends.truncate(nend);
            self.quoted = true;
            self.row_start = 0;
            self.row_end = nout;
            if nend == 0 {
                // csv-core skips blank lines; at the end there is no record.
                return if nin == 0 { Ok(None) } else { self.next_row() };
            }
            return Ok(Some(start_line));
        }
    }

    /// Number of fields of the current row.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Field `i` of the current row (empty if there is none).
    #[inline]
    pub(crate) fn field(&self, i: usize) -> &[u8] {
        let Some(&end) = self.ends.get(i) else {
            return b"";
        };
        let start = if i == 0 {
            0
        } else {
            self.ends[i - 1] + usize::from(!self.quoted)
        };
        let bytes = if self.quoted {
            &self.out[..self.row_end]
        } else {
            &self.buf[self.row_start..self.row_end]
        };
        bytes.get(start..end).unwrap_or_default()
    }
}

/// Pushes the offsets of `delimiter` in `line` onto `ends`, 8 bytes at a time (SWAR); returns `true` (and
/// stops) if the line holds a double quote, which needs the full CSV parser.
#[inline]
fn split_unquoted(line: &[u8], delimiter: u8, ends: &mut Vec<usize>) -> bool {
    use crate::swar::{equal_bytes, splat};
    let (d, q) = (splat(delimiter), splat(b'"'));
    let mut chunks = line.chunks_exact(8);
    let mut base = 0;
    for c in &mut chunks {
        let x = crate::swar::word(c, 0);
        if equal_bytes(x, q) != 0 {
            return true;
        }
        let mut m = equal_bytes(x, d);
        while m != 0 {
            ends.push(base + m.trailing_zeros() as usize / 8);
            m &= m - 1;
        }
        base += 8;
    }
    for (i, &b) in chunks.remainder().iter().enumerate() {
        if b == b'"' {
            return true;
        }
        if b == delimiter {
            ends.push(base + i);
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swar_split_matches_a_plain_scan() {
        let lines: [&[u8]; 5] = [
            b"",
            b"a,b",
            b"1741944413002,15,GET /api/items,200,OK,Thread Group 1-1,text,true,,1300,178",
            b",,,,,,,,,,,,,,,,,",
            b"\xff,\x80\xac,\x2c\x2b,",
        ];
        for line in lines {
            for delimiter in [b',', b';', b'\t', 0x80] {
                let mut ends = Vec::new();
                assert!(!split_unquoted(line, delimiter, &mut ends));
                let want: Vec<usize> = (0..line.len()).filter(|&i| line[i] == delimiter).collect();
                assert_eq!(ends, want);
            }
        }
        let mut ends = Vec::new();
        assert!(split_unquoted(b"12345678,\"a\"", b',', &mut ends));
        assert!(split_unquoted(b"1,\"", b',', &mut ends));
    }
}

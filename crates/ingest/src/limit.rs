//! A bound on the length of one line, so that an endless line (`/dev/zero`, a binary file read as text)
//! is an error naming the file and line instead of an allocation that grows until the process aborts.

use std::{fmt, io, io::Read};

/// The longest line a line-oriented reader accepts: 64 MiB.
pub const MAX_LINE_BYTES: u64 = 64 << 20;

/// Wraps a reader and fails once a line grows past the limit.
pub(crate) struct LineLimit<R> {
    inner: R,
    limit: u64,
    /// Bytes since the last newline.
    run: u64,
    /// Newlines seen so far.
    newlines: u64,
}

impl<R> LineLimit<R> {
    pub(crate) fn new(inner: R, limit: u64) -> Self {
        Self {
            inner,
            limit,
            run: 0,
            newlines: 0,
        }
    }
}

impl<R> LineLimit<R> {
    fn too_long(&self) -> io::Error {
        io::Error::new(
            io::ErrorKind::InvalidData,
            LineTooLong {
                line: self.newlines + 1,
                limit: self.limit,
            },
        )
    }
}

impl<R: Read> Read for LineLimit<R> {
    #[inline]
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        // No line of this read can pass the limit: count the newlines (vectorised) instead of
        // visiting each.
        if self.run + n as u64 <= self.limit {
            match memchr::memrchr(b'\n', &buf[..n]) {
                Some(last) => {
                    self.newlines += memchr::memchr_iter(b'\n', &buf[..n]).count() as u64;
                    self.run = (n - last - 1) as u64;
                }
                None => self.run += n as u64,
            }
            return Ok(n);
        }
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', &buf[..n]) {
            if self.run + (end - start) as u64 > self.limit {
                return Err(self.too_long());
            }
            self.newlines += 1;
            self.run = 0;
            start = end + 1;
        }
        self.run += (n - start) as u64;
        if self.run > self.limit {
            return Err(self.too_long());
        }
        Ok(n)
    }
}

/// The error a [`LineLimit`] reader raises (carried inside an [`io::Error`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct LineTooLong {
    pub(crate) line: u64,
    pub(crate) limit: u64,
}

impl fmt::Display for LineTooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {} is longer than {} bytes", self.line, self.limit)
    }
}

impl std::error::Error for LineTooLong {}

/// A JSON token (a string or a number) longer than the limit (carried inside an [`io::Error`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ValueTooLong {
    pub(crate) limit: u64,
}

impl fmt::Display for ValueTooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a value is longer than {} bytes", self.limit)
    }
}

impl std::error::Error for ValueTooLong {}

/// The largest whole document a reader loads into memory (tool result files that are one JSON object):
/// 1 GiB.
pub const MAX_DOCUMENT_BYTES: u64 = 1 << 30;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_fails_and_names_its_line() {
        let text = b"ab\ncdefgh\nij";
        let mut r = LineLimit::new(&text[..], 4);
        let mut out = Vec::new();
        let err = r.read_to_end(&mut out).unwrap_err();
        let inner = err
            .get_ref()
            .unwrap()
            .downcast_ref::<LineTooLong>()
            .unwrap();
        assert_eq!(inner.line, 2);
        let mut ok = LineLimit::new(&b"abcd\nefgh\n"[..], 4);
        out.clear();
        ok.read_to_end(&mut out).unwrap();
        assert_eq!(out.len(), 10);
    }

    #[test]
    fn counts_across_small_reads() {
        struct OneByte<'a>(&'a [u8]);
        impl Read for OneByte<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                match self.0.split_first() {
                    Some((b, rest)) if !buf.is_empty() => {
                        buf[0] = *b;
                        self.0 = rest;
                        Ok(1)
                    }
                    _ => Ok(0),
                }
            }
        }
        let mut r = LineLimit::new(OneByte(b"a\nb\nc\nxxxxxx"), 3);
        let err = r.read_to_end(&mut Vec::new()).unwrap_err();
        let inner = err
            .get_ref()
            .unwrap()
            .downcast_ref::<LineTooLong>()
            .unwrap();
        assert_eq!(inner.line, 4);
    }
}

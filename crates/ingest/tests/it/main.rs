//! Integration tests of perfstat-ingest: one binary (see Cargo.toml).

mod csv;
mod formats;
mod gzip;
mod jmeter_xml;
mod json;
#[cfg(feature = "parquet")]
mod parquet;
#[cfg(not(feature = "parquet"))]
mod parquet_disabled;
mod positions;
mod properties;
mod real;

use perfstat_ingest::{Dataset, Error, ReadOptions, read_reader};

/// Reads `text` as an input called `name` with default options.
pub(crate) fn read(name: &str, text: impl AsRef<[u8]>) -> Result<Dataset, Error> {
    read_reader(name, text.as_ref(), &ReadOptions::default())
}

/// Reads with options.
pub(crate) fn read_with(
    name: &str,
    text: impl AsRef<[u8]>,
    opts: &ReadOptions,
) -> Result<Dataset, Error> {
    read_reader(name, text.as_ref(), opts)
}

/// The error message of reading `text` with `opts`.
pub(crate) fn error_with(name: &str, text: impl AsRef<[u8]>, opts: &ReadOptions) -> String {
    match read_with(name, text, opts) {
        Ok(data) => panic!("expected an error, got {data:?}"),
        Err(e) => e.to_string(),
    }
}

/// The error message of reading `text` with default options.
pub(crate) fn error(name: &str, text: impl AsRef<[u8]>) -> String {
    error_with(name, text, &ReadOptions::default())
}

pub(crate) fn metric(name: &str) -> ReadOptions {
    ReadOptions {
        metric: Some(name.to_owned()),
        ..ReadOptions::default()
    }
}

pub(crate) fn skipping() -> ReadOptions {
    ReadOptions {
        skip_invalid: true,
        ..ReadOptions::default()
    }
}

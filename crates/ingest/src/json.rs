//! JSON and NDJSON readers.

use std::io::Read;

use crate::{
    Dataset, ReadOptions,
    error::{Error, ErrorKind, Result},
};

pub(crate) fn read_json<R: Read>(name: &str, _reader: R, _opts: &ReadOptions) -> Result<Dataset> {
    Err(Error::new(
        name,
        None,
        ErrorKind::Io(std::io::Error::other("JSON input is not supported yet")),
    ))
}

pub(crate) fn read_ndjson<R: Read>(name: &str, _reader: R, _opts: &ReadOptions) -> Result<Dataset> {
    Err(Error::new(
        name,
        None,
        ErrorKind::Io(std::io::Error::other("NDJSON input is not supported yet")),
    ))
}

//! hey `-o csv`: one row per completed request (transport errors are not written), times in seconds,
//! `offset` = start in seconds since the run began. A status of 400 or more is a failure.

use std::io::Read;

use super::simple::{Layout, read_simple};
use crate::{InputFormat, ReadOptions, dataset::Dataset, error::Result};

pub(crate) fn read<R: Read>(name: &str, reader: R, opts: &ReadOptions) -> Result<Dataset> {
    read_simple(
        name,
        reader,
        opts,
        &Layout {
            format: InputFormat::Hey,
            delimiter: b',',
            signature: "response-time",
            metrics: &[
                "response-time",
                "DNS+dialup",
                "DNS",
                "Request-write",
                "Response-delay",
                "Response-read",
            ],
            exp10: 3,
            status: Some("status-code"),
            start: Some(("offset", 3)),
        },
    )
}

//! ApacheBench `ab -g` TSV: one row per request, sorted by total time; times in ms, `seconds` = start in
//! epoch seconds. ab writes no status: every row counts as a success (ab leaves failed connections out).

use std::io::Read;

use super::simple::{Layout, read_simple};
use crate::{InputFormat, ReadOptions, dataset::Dataset, error::Result};

pub(crate) fn read<R: Read>(name: &str, reader: R, opts: &ReadOptions) -> Result<Dataset> {
    read_simple(
        name,
        reader,
        opts,
        &Layout {
            format: InputFormat::ApacheBench,
            delimiter: b'\t',
            signature: "ttime",
            metrics: &["ttime", "ctime", "dtime", "wait"],
            exp10: 0,
            status: None,
            start: Some(("seconds", 3)),
        },
    )
}

//! ApacheBench `ab -g` TSV: one row per request, sorted by total time; times in ms, `seconds` = start in
//! epoch seconds (whole seconds). ab writes no status or error column, so what the file cannot say is
//! marked on the dataset rather than guessed:
//!
//! - failures are unknown ([`Requests::failures_unknown`](crate::Requests::failures_unknown)): every
//!   row is read as a request, but its error rate is `None`, not 0 (ab's own summary counts "Failed
//!   requests" and "Non-2xx responses" that the `-g` file does not mark);
//! - the rows are sorted by total time, not by start ([`Dataset::not_time_ordered`]): no lag-1
//!   autocorrelation, no warm-up cut by row position;
//! - start times are whole seconds ([`Requests::start_resolution_ms`](crate::Requests::start_resolution_ms)
//!   = 1000): the span, and the throughput, are known only to within a second.

use std::io::Read;

use super::simple::{Layout, read_simple};
use crate::{InputFormat, ReadOptions, dataset::Dataset, error::Result};

pub(crate) fn read<R: Read>(name: &str, reader: R, opts: &ReadOptions) -> Result<Dataset> {
    let mut data = read_simple(
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
    )?;
    data.not_time_ordered = Some(
        "ab -g writes its rows sorted by total time, not in the order the requests were made"
            .to_owned(),
    );
    if let Some(r) = &mut data.requests {
        r.failures_unknown = Some(
            "ab -g writes no status or error column: which requests failed is unknown".to_owned(),
        );
        r.start_resolution_ms = Some(1000.0);
    }
    Ok(data)
}

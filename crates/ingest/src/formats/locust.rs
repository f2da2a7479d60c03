//! Locust `_stats_history.csv`: one row per second of *aggregates* (current requests/s, cumulative or
//! windowed percentiles, running totals). It cannot give per-request statistics: without a metric it is an
//! error that says so; with `--metric COLUMN` that column is read as a time series (rows whose value is
//! `N/A` are skipped and counted).

use std::io::Read;

use crate::{
    InputFormat, ReadOptions,
    dataset::Dataset,
    error::{Error, ErrorKind, Result},
};

pub(crate) fn read<R: Read>(name: &str, reader: R, opts: &ReadOptions) -> Result<Dataset> {
    read_aggregates(
        name,
        reader,
        opts,
        InputFormat::LocustHistory,
        "Locust keeps only bucketed aggregates per second, so percentiles, intervals and \
         tests over requests cannot be computed from it; name one column as the metric (e.g. \
         \"Requests/s\", \"95%\", \"Total Average Response Time\") to read it as a time \
         series, or record per-request data (e.g. a request event hook writing CSV)",
    )
}

/// Locust `_stats.csv` (`--csv PREFIX`): one row of totals per endpoint and an `Aggregated` row
/// (`Request Count`, `Failure Count`, `Median Response Time`, `95%`, ...). Like the history, it holds no
/// request: without a metric it is an error saying so; with one, that column is read row by row.
pub(crate) fn read_stats<R: Read>(name: &str, reader: R, opts: &ReadOptions) -> Result<Dataset> {
    read_aggregates(
        name,
        reader,
        opts,
        InputFormat::LocustStats,
        "Locust's _stats.csv holds one row of totals per endpoint (request and failure counts, \
         percentiles rounded to 2 significant digits), not one row per request, so percentiles, \
         intervals and tests over requests cannot be computed from it; record per-request data (a \
         request event hook writing CSV, read as a CSV with its response_time column), or name one \
         column as the metric to read it row by row",
    )
}

fn read_aggregates<R: Read>(
    name: &str,
    reader: R,
    opts: &ReadOptions,
    format: InputFormat,
    hint: &str,
) -> Result<Dataset> {
    let Some(metric) = opts.metric.as_deref() else {
        return Err(Error::new(
            name,
            None,
            ErrorKind::AggregateOnly {
                format,
                hint: hint.to_owned(),
            },
        ));
    };
    let series = ReadOptions {
        skip_invalid: true,
        ..opts.clone()
    };
    let mut data = crate::delimited::read(name, reader, b',', &series)?;
    data.format = format;
    let m = metric.trim_end_matches('%');
    let time = m.parse::<f64>().is_ok() || m.contains("Response Time");
    data.unit = time.then_some("ms");
    Ok(data)
}

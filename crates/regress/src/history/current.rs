//! The current run: a one-run summary, or per-request samples summarised into the history's
//! metrics.

use std::path::Path;

use perfstat_ingest::{Dataset, InputFormat, ReadOptions, Requests};
use perfstat_stats::moments::Moments;
use perfstat_stats::quantile::{QuantileMethod, quantile_sorted};

use super::{History, Run, Series, read_history_path};
use crate::error::{Error, HistoryErrorKind as Kind, Result};

/// How to read the current run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CurrentOptions {
    /// How to read a per-request file (value column, format, unit, failures).
    pub read: ReadOptions,
    /// The base name of the statistics (`p95_NAME`); `None`: `latency_ms` for a load-test tool's
    /// file, else the value column's name.
    pub base: Option<String>,
}

impl CurrentOptions {
    /// Whether the options say the file is per-request samples (a base name, a value column or
    /// a format was given).
    #[must_use]
    pub fn samples(&self) -> bool {
        self.base.is_some() || self.read.metric.is_some() || self.read.format.is_some()
    }
}

/// What summarising per-request samples gave.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    /// The file's display name.
    pub source: String,
    /// Requests (or values) read.
    pub requests: u64,
    /// The format they were read as.
    pub format: InputFormat,
    /// The value column.
    pub metric: String,
    /// History columns filled, with their values.
    pub filled: Vec<(String, f64)>,
    /// History columns whose statistic is unknown for this input.
    pub empty: Vec<String>,
}

/// Reads the current run from `path`: a one-run summary read like a history, or per-request
/// samples summarised with [`History::from_samples`] (then the [`Summary`] is returned too).
///
/// Which reading: with [`CurrentOptions::samples`] the file is samples. Otherwise a load-test
/// tool's format (detected from the content) is samples; else a file holding one run is a
/// summary; else a file with one value column is samples. `-` (stdin) is a summary unless forced.
///
/// # Errors
/// The file reads as neither, or none of the statistics is a column of `history`.
pub fn read_current(
    path: &Path,
    opts: &CurrentOptions,
    history: &History,
) -> Result<(History, Option<Summary>)> {
    let samples = |read: &ReadOptions| -> Result<(History, Option<Summary>)> {
        let ds = perfstat_ingest::read_path(path, read)?;
        let (run, summary) = History::from_samples(&ds, opts.base.as_deref(), history)?;
        Ok((run, Some(summary)))
    };
    if opts.samples() {
        return samples(&opts.read);
    }
    if path.as_os_str() == "-" {
        return Ok((read_history_path(path)?, None));
    }
    let as_samples = perfstat_ingest::read_path(path, &opts.read);
    if let Ok(ds) = &as_samples
        && ds.requests.is_some()
    {
        let (run, summary) = History::from_samples(ds, opts.base.as_deref(), history)?;
        return Ok((run, Some(summary)));
    }
    match read_history_path(path) {
        Ok(cur) if cur.runs.len() == 1 => Ok((cur, None)),
        Ok(cur) => match as_samples {
            Ok(ds) => {
                let (run, summary) = History::from_samples(&ds, opts.base.as_deref(), history)?;
                Ok((run, Some(summary)))
            }
            Err(_) => Err(Error::whole(
                &path.display().to_string(),
                Kind::NeitherSummaryNorSamples {
                    rows: cur.runs.len(),
                },
            )),
        },
        Err(e) => match as_samples {
            Ok(ds) => {
                let (run, summary) = History::from_samples(&ds, opts.base.as_deref(), history)?;
                Ok((run, Some(summary)))
            }
            Err(_) => Err(e),
        },
    }
}

/// The statistics a per-request file gives, by history column name: p50/p95/p99
/// (numpy's linear, type 7) and mean of the values, prefixed to `base`;
/// `error_rate` and `throughput_rps` from the request accounting.
fn statistics(ds: &Dataset, base: &str) -> Vec<(String, Option<f64>)> {
    let mut v: Vec<f64> = ds.values().collect();
    v.sort_by(f64::total_cmp);
    let q = |p: f64| (!v.is_empty()).then(|| quantile_sorted(&v, p, QuantileMethod::Linear));
    let mean = (!v.is_empty()).then(|| Moments::of(&v).mean());
    let requests = ds.requests.as_ref();
    vec![
        (format!("p50_{base}"), q(0.5)),
        (format!("p95_{base}"), q(0.95)),
        (format!("p99_{base}"), q(0.99)),
        (format!("mean_{base}"), mean),
        (
            "error_rate".to_owned(),
            requests.and_then(Requests::error_rate),
        ),
        (
            "throughput_rps".to_owned(),
            requests.and_then(Requests::throughput_rps),
        ),
    ]
}

impl History {
    /// Summarises per-request samples into a one-run history holding the statistics
    /// `p50_BASE`, `p95_BASE`, `p99_BASE`, `mean_BASE`, `error_rate` and `throughput_rps` whose
    /// names are columns of `history` (ASCII case ignored). `base` defaults to `latency_ms` for a
    /// load-test tool's file (or a generic file read in ms), else the value column's name.
    ///
    /// The run's id: the history's last id + 1 when that is an integer, else the first request's
    /// start time (UTC, `YYYY-MM-DDTHH:MM:SSZ`) when the file has timestamps, else the file name.
    ///
    /// # Errors
    /// [`Kind::NoMatchingStatistic`] when no statistic names a history column.
    pub fn from_samples(
        ds: &Dataset,
        base: Option<&str>,
        history: &Self,
    ) -> Result<(Self, Summary)> {
        let base = base.map_or_else(
            || {
                if ds.format.is_tool() || ds.unit == Some("ms") && ds.metric == "value" {
                    "latency_ms".to_owned()
                } else {
                    ds.metric.clone()
                }
            },
            str::to_owned,
        );
        let stats = statistics(ds, &base);
        let mut filled = Vec::new();
        let mut empty = Vec::new();
        let mut metrics = Vec::new();
        for (stat, value) in &stats {
            let column = history
                .metrics
                .iter()
                .find(|m| m.name.eq_ignore_ascii_case(stat));
            match (column, value) {
                (Some(col), Some(v)) => {
                    filled.push((col.name.clone(), *v));
                    metrics.push(Series {
                        name: col.name.clone(),
                        values: vec![Some(*v)],
                    });
                }
                (Some(col), None) => empty.push(col.name.clone()),
                (None, _) => {}
            }
        }
        let requests = ds.requests.as_ref().map_or(ds.len() as u64, |r| r.total);
        if metrics.is_empty() {
            return Err(Error::whole(
                &ds.source,
                Kind::NoMatchingStatistic {
                    requests,
                    format: ds.format,
                    tried: stats.into_iter().map(|(s, _)| s).collect(),
                    columns: history.metrics.iter().map(|m| m.name.clone()).collect(),
                },
            ));
        }
        let run = Self {
            key: if history.key.is_empty() {
                "run".to_owned()
            } else {
                history.key.clone()
            },
            attributes: Vec::new(),
            runs: vec![Run {
                id: run_id(ds, history),
                attributes: Vec::new(),
                line: 0,
            }],
            metrics,
            shape: history.shape,
            warnings: Vec::new(),
        };
        let summary = Summary {
            source: ds.source.clone(),
            requests,
            format: ds.format,
            metric: ds.metric.clone(),
            filled,
            empty,
        };
        Ok((run, summary))
    }
}

/// The id of a run summarised from samples (see [`History::from_samples`]).
fn run_id(ds: &Dataset, history: &History) -> String {
    if let Some(next) = history
        .runs
        .last()
        .and_then(|r| r.id.trim().parse::<i64>().ok())
        .and_then(|i| i.checked_add(1))
    {
        return next.to_string();
    }
    if let Some(start) = ds.requests.as_ref().and_then(|r| r.start_ms)
        && let Some(t) = perfstat_ingest::time::format_utc(start)
    {
        return t;
    }
    Path::new(&ds.source)
        .file_name()
        .map_or_else(|| ds.source.clone(), |n| n.to_string_lossy().into_owned())
}

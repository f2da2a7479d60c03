//! Reading the per-request inputs of a command: every file with the same options, agreeing on the
//! metric, with the warm-up dropped; what was read is said in notes, as it happens.

use std::path::Path;

use perfstat_ingest::{Dataset, ReadOptions, WarmupCut, WarmupError};
use perfstat_stats::warmup::WarmupSpec;
use rayon::prelude::*;

use super::ReadInput;

/// Why the inputs could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// A file could not be read.
    #[error(transparent)]
    Ingest(#[from] perfstat_ingest::Error),
    /// Two files have different value columns.
    #[error(
        "{first} and {other} have different value columns ({first_metric:?} and {other_metric:?})"
    )]
    DifferentMetrics {
        /// The first file.
        first: String,
        /// The file that differs.
        other: String,
        /// The first file's metric.
        first_metric: String,
        /// The other's.
        other_metric: String,
    },
    /// The warm-up could not be dropped.
    #[error("{error}")]
    Warmup {
        /// Why.
        error: WarmupError,
        /// What was asked.
        spec: WarmupSpec,
    },
}

/// A note for the user on what was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Note {
    /// A note with nothing to add.
    Text(String),
    /// What a load-test file held, ending with its failed requests, `included` in the statistics
    /// or not (a caller may add the option that changes it).
    Failures {
        /// The note.
        text: String,
        /// Whether the failed requests are in the statistics.
        included: bool,
    },
    /// The metric was chosen by name among several numeric columns (a caller may add the option
    /// that picks another).
    MetricChosen(String),
}

impl std::fmt::Display for Note {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Text(text) | Self::Failures { text, .. } | Self::MetricChosen(text) => {
                f.write_str(text)
            }
        }
    }
}

/// Reads `files` with `opts` (which keep the records when `warmup` is given), drops the warm-up,
/// keeps the per-request records only when `keep_records`, and calls `note` with what was read.
///
/// # Errors
/// [`ReadError`].
pub fn read_inputs(
    files: &[impl AsRef<Path>],
    opts: &ReadOptions,
    warmup: Option<WarmupSpec>,
    keep_records: bool,
    note: &mut dyn FnMut(Note),
) -> Result<Vec<ReadInput>, ReadError> {
    // The files are read in parallel (each reader also splits its own blocks on all cores), then
    // checked, noted and trimmed in order: the first error in file order is the one returned, as
    // when they were read one after the other.
    let paths: Vec<&Path> = files.iter().map(AsRef::as_ref).collect();
    let read: Vec<_> = paths
        .par_iter()
        .map(|file| perfstat_ingest::read_path(file, opts))
        .collect();
    let mut out: Vec<ReadInput> = Vec::with_capacity(files.len());
    for ds in read {
        let mut ds = ds?;
        if let Some(first) = out.first().map(|r| &r.data)
            && first.metric != ds.metric
        {
            return Err(ReadError::DifferentMetrics {
                first: first.source.clone(),
                other: ds.source,
                first_metric: first.metric.clone(),
                other_metric: ds.metric,
            });
        }
        read_notes(&ds, note);
        let warmup = match warmup {
            Some(spec) => Some(drop_warmup(&mut ds, spec, opts, note)?),
            None => None,
        };
        if !keep_records {
            ds.records = None;
        }
        out.push(ReadInput { data: ds, warmup });
    }
    Ok(out)
}

/// What was read: rows skipped, the format, requests and failures.
fn read_notes(ds: &Dataset, note: &mut dyn FnMut(Note)) {
    if ds.skipped > 0 {
        note(Note::Text(format!(
            "note: {}: skipped {} invalid row{} of {}",
            ds.source,
            ds.skipped,
            if ds.skipped == 1 { "" } else { "s" },
            ds.rows
        )));
    }
    if let Some(choice) = &ds.metric_choice {
        note(Note::MetricChosen(format!(
            "note: {}: metric {} chosen among the numeric columns {} ({})",
            ds.source,
            ds.metric,
            choice.candidates.join(", "),
            choice.reason
        )));
    }
    if let Some(r) = &ds.requests {
        let failures = if let Some(why) = &r.failures_unknown {
            format!("failures unknown ({why})")
        } else if r.failed == 0 {
            "no failures".to_owned()
        } else if r.failures_included {
            format!("{} failed, included", r.failed)
        } else {
            format!("{} failed, excluded from the statistics", r.failed)
        };
        let text = format!(
            "note: {}: read as {} ({}): {} requests, {failures}",
            ds.source,
            ds.format.description(),
            ds.format,
            r.total
        );
        note(if r.failed == 0 {
            Note::Text(text)
        } else {
            Note::Failures {
                text,
                included: r.failures_included,
            }
        });
    } else if ds.format.is_tool() {
        note(Note::Text(format!(
            "note: {}: read as {} ({}), aggregates only: column {:?} as a time series",
            ds.source,
            ds.format.description(),
            ds.format,
            ds.metric
        )));
    }
}

/// Drops the warm-up from `ds` and notes what was dropped.
fn drop_warmup(
    ds: &mut Dataset,
    spec: WarmupSpec,
    opts: &ReadOptions,
    note: &mut dyn FnMut(Note),
) -> Result<WarmupCut, ReadError> {
    let cut = ds
        .drop_warmup(spec, opts)
        .map_err(|error| ReadError::Warmup { error, spec })?;
    let at = cut
        .cut_at_s
        .map(|s| format!(", the first {} s", crate::fmt::sig(s, 4)))
        .unwrap_or_default();
    note(Note::Text(format!(
        "note: {}: warm-up ({}{}): dropped {} {}{at}{}",
        ds.source,
        cut.method,
        if let WarmupSpec::Duration { .. } | WarmupSpec::Count(_) = spec {
            format!(" {spec}")
        } else {
            String::new()
        },
        cut.dropped,
        if ds.requests.is_some() {
            "requests"
        } else {
            "values"
        },
        if cut.at_limit {
            " — the cut is at the end of the first half searched: the run may not have settled"
        } else {
            ""
        }
    )));
    Ok(cut)
}

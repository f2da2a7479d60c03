//! `perfstat capacity`: runs (from a table of aggregates, runs at levels, or one file split by a
//! column) → [`CapacityDoc`].

use std::path::{Path, PathBuf};

use perfstat_capacity::input::{self, InputResult};
use perfstat_capacity::{Analysis, Options, Run, RunData};
use perfstat_ingest::Dataset;

use crate::capacity::CapacityDoc;

/// The runs of a capacity analysis, with what the document says of its inputs.
#[derive(Clone, Debug)]
pub struct CapacityRuns {
    /// One run per load level.
    pub runs: Vec<Run>,
    /// The inputs' names.
    pub inputs: Vec<String>,
    /// The latency metric (per-request inputs).
    pub metric: Option<String>,
    /// The latency unit (`ms`, `s`, …).
    pub unit: Option<String>,
}

impl CapacityRuns {
    /// Seconds in one latency unit, for Little's law (`None`: unknown unit).
    #[must_use]
    pub fn unit_seconds(&self) -> Option<f64> {
        self.unit
            .as_deref()
            .and_then(perfstat_stats::duration::TimeUnit::from_name)
            .map(perfstat_stats::duration::TimeUnit::seconds)
    }
}

/// The latency unit of a dataset: the reader's, else from the metric's name.
fn unit_of(ds: &Dataset) -> Option<String> {
    ds.unit
        .or_else(|| crate::fmt::unit_from_name(&ds.metric))
        .map(str::to_owned)
}

/// Runs from a table of aggregates; its latencies are in `unit` (default ms).
///
/// # Errors
/// The table's positioned [`input::InputError`].
pub fn runs_from_table(
    path: &Path,
    unit: Option<perfstat_ingest::Unit>,
) -> InputResult<CapacityRuns> {
    let t = input::read_aggregates(path)?;
    Ok(CapacityRuns {
        runs: t.runs,
        inputs: vec![t.source],
        metric: None,
        unit: Some(unit.map_or("ms", |u| u.name()).to_owned()),
    })
}

/// Runs from a table of aggregates with columns chosen by the caller, and the reader's notes
/// (columns not used) prefixed `note: `.
///
/// # Errors
/// The table's positioned [`input::InputError`].
pub fn runs_from_table_with(
    path: &Path,
    unit: Option<perfstat_ingest::Unit>,
    columns: &input::Columns,
) -> InputResult<(CapacityRuns, Vec<String>)> {
    let t = input::read_aggregates_with(path, columns)?;
    let notes = t.notes.iter().map(|n| format!("note: {n}")).collect();
    let runs = CapacityRuns {
        runs: t.runs,
        inputs: vec![t.source],
        metric: None,
        unit: Some(unit.map_or("ms", |u| u.name()).to_owned()),
    };
    Ok((runs, notes))
}

/// Runs from one per-request dataset per level (`levels[i]` is `datasets[i]`'s level), each
/// lasting `durations` (none: from the timestamps; one: every run; else one per run). The note
/// says when no error rate is known.
///
/// # Errors
/// [`input::InputError`] for a run without a known duration or a wrong count of durations.
pub fn runs_at_levels(
    levels: &[f64],
    datasets: &[Dataset],
    durations: &[f64],
) -> InputResult<(CapacityRuns, Vec<String>)> {
    let runs = input::runs_from_datasets(levels, datasets, durations)?;
    let mut notes = Vec::new();
    if runs.iter().all(|r| match &r.data {
        RunData::Requests(q) => q.failed.is_none(),
        RunData::Aggregates(_) => false,
    }) {
        let ab = datasets
            .iter()
            .any(|d| d.requests.is_some() && !input::knows_failures(d));
        notes.push(if ab {
            "warning: the inputs do not say which requests failed (ApacheBench -g files have no \
             failure column): the failures are unknown, not zero, and the success rate cannot \
             be checked"
                .to_owned()
        } else {
            "note: the inputs do not say which requests failed (generic CSV/JSON): no error rate"
                .to_owned()
        });
    } else {
        let unknown: Vec<&str> = runs
            .iter()
            .filter(|r| matches!(&r.data, RunData::Requests(q) if q.failed.is_none()))
            .map(|r| r.source.as_str())
            .collect();
        if !unknown.is_empty() {
            notes.push(format!(
                "warning: {} do not say which requests failed: their success rate cannot be \
                 checked",
                unknown.join(", ")
            ));
        }
    }
    let first = datasets.first();
    let runs = CapacityRuns {
        runs,
        inputs: datasets.iter().map(|d| d.source.clone()).collect(),
        metric: first.map(|d| d.metric.clone()),
        unit: first.and_then(unit_of),
    };
    Ok((runs, notes))
}

/// Runs from one per-request file, one level per value of the column `opts.by`.
///
/// # Errors
/// The reader's or [`input::read_by`]'s [`input::InputError`].
pub fn runs_by(
    file: &Path,
    opts: &perfstat_ingest::ReadOptions,
    durations: &[f64],
) -> InputResult<(CapacityRuns, Vec<String>)> {
    let (runs, ds) = input::read_by(file, opts, durations)?;
    let levels: Vec<String> = runs.iter().map(|r| r.level.to_string()).collect();
    let note = format!(
        "note: {}: {} levels from column {:?}: {}",
        ds.source,
        runs.len(),
        opts.by.as_deref().unwrap_or_default(),
        levels.join(", ")
    );
    let runs = CapacityRuns {
        runs,
        inputs: vec![ds.source.clone()],
        metric: Some(ds.metric.clone()),
        unit: unit_of(&ds),
    };
    Ok((runs, vec![note]))
}

/// A load level and its run file.
pub type Level = (f64, PathBuf);

/// The `(level, file)` pairs of run files named by their level (`run-25users.jtl` → 25), with a
/// note per file.
///
/// # Errors
/// [`input::InputError`] when no file is found or a name holds no level.
pub fn levels_from_names(inputs: &[PathBuf]) -> InputResult<(Vec<Level>, Vec<String>)> {
    let pairs = input::levels_from_names(inputs)?;
    let notes = pairs
        .iter()
        .map(|(level, file)| format!("note: {}: level {level}", file.display()))
        .collect();
    Ok((pairs, notes))
}

/// The analysis of `runs` and its document.
///
/// # Errors
/// [`perfstat_capacity::Error`] from the analysis.
pub fn capacity(
    runs: CapacityRuns,
    options: &Options,
) -> perfstat_capacity::Result<(CapacityDoc, Analysis)> {
    let analysis = perfstat_capacity::analyze(&runs.runs, options)?;
    let doc = CapacityDoc::new(&analysis, runs.inputs, runs.metric, runs.unit);
    Ok((doc, analysis))
}

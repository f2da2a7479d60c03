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

/// The `(level, file)` pairs of `N FILE` value pairs (`10 run10.jtl 25 run25.jtl`).
///
/// # Errors
/// [`RunsError::Level`] for a level that is not a number or a value without its pair.
pub fn levels_from_pairs(values: &[String]) -> Result<Vec<Level>, RunsError> {
    let pair = |c: &[String]| match c {
        [n, file] => (n.trim().parse())
            .map(|level| (level, PathBuf::from(file)))
            .map_err(|_| RunsError::Level(format!("{n} {file}: {n:?} is not a number"))),
        _ => Err(RunsError::Level(format!(
            "{}: a level and its file come in pairs",
            c.join(" ")
        ))),
    };
    values.chunks(2).map(pair).collect()
}

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

/// Where the runs of a capacity analysis come from.
#[derive(Clone, Copy, Debug)]
pub enum RunSource<'a> {
    /// One run file per load level.
    Levels(&'a [Level]),
    /// Run files, or directories of them, whose names hold their level (`run-25users.jtl` → 25).
    Named(&'a [PathBuf]),
    /// One per-request file holding every level, one level per value of the reading options'
    /// `by` column.
    By(&'a [PathBuf]),
    /// One table of aggregates, one row per level.
    Table(&'a [PathBuf]),
}

/// How [`read_runs`] reads the runs.
#[derive(Clone, Copy, Debug)]
pub struct RunsOptions<'a> {
    /// How per-request files are read.
    pub read: &'a perfstat_ingest::ReadOptions,
    /// The warm-up dropped from each run file (not with [`RunSource::By`]).
    pub warmup: Option<perfstat_stats::warmup::WarmupSpec>,
    /// How long each run lasted: none (from the timestamps), one for every run, or one per run.
    pub durations: &'a [f64],
    /// The columns of a table of aggregates.
    pub columns: &'a input::Columns,
}

/// Why [`read_runs`] found no runs.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunsError {
    /// An input of the runs.
    #[error(transparent)]
    Input(#[from] input::InputError),
    /// A run file could not be read (or its warm-up dropped).
    #[error(transparent)]
    Read(#[from] super::read::ReadError),
    /// No run file at all.
    #[error("no runs: one file per load level, or a table of aggregates, is needed")]
    NoRuns,
    /// [`RunSource::Table`] with other than one input.
    #[error("one table of aggregates expected, found {count} inputs")]
    TableCount {
        /// The inputs given.
        count: usize,
    },
    /// [`RunSource::By`] with other than one input.
    #[error(
        "the levels split by column {column:?} are read from one per-request file; found {count} inputs"
    )]
    SharedFileCount {
        /// The column splitting the levels.
        column: String,
        /// The inputs given.
        count: usize,
    },
    /// A load level and its file given as values that do not make a pair ([`levels_from_pairs`]).
    #[error("{0}")]
    Level(String),
    /// A warm-up asked for with [`RunSource::By`].
    #[error("the warm-up cannot be dropped when the levels share one file")]
    WarmupOfShared,
}

/// The runs of `source`, calling `note` with what was read.
///
/// # Errors
/// [`RunsError`].
pub fn read_runs(
    source: RunSource<'_>,
    options: &RunsOptions<'_>,
    note: &mut dyn FnMut(super::read::Note),
) -> Result<CapacityRuns, RunsError> {
    let text = |notes: Vec<String>, note: &mut dyn FnMut(super::read::Note)| {
        notes
            .into_iter()
            .for_each(|n| note(super::read::Note::Text(n)));
    };
    let (runs, notes) = match source {
        RunSource::Levels(pairs) => return read_levels(pairs, options, note),
        RunSource::Named(inputs) => {
            let (pairs, notes) = levels_from_names(inputs)?;
            text(notes, note);
            return read_levels(&pairs, options, note);
        }
        RunSource::By(_) if options.warmup.is_some() => return Err(RunsError::WarmupOfShared),
        RunSource::By([file]) => runs_by(file, options.read, options.durations)?,
        RunSource::Table([table]) => {
            runs_from_table_with(table, options.read.unit, options.columns)?
        }
        RunSource::By(inputs) => {
            let column = options.read.by.clone().unwrap_or_default();
            return Err(RunsError::SharedFileCount {
                column,
                count: inputs.len(),
            });
        }
        RunSource::Table(inputs) => {
            return Err(RunsError::TableCount {
                count: inputs.len(),
            });
        }
    };
    text(notes, note);
    Ok(runs)
}

/// The runs of `(level, file)` pairs.
fn read_levels(
    pairs: &[Level],
    options: &RunsOptions<'_>,
    note: &mut dyn FnMut(super::read::Note),
) -> Result<CapacityRuns, RunsError> {
    if pairs.is_empty() {
        return Err(RunsError::NoRuns);
    }
    let files: Vec<&PathBuf> = pairs.iter().map(|p| &p.1).collect();
    let read = super::read::read_inputs(&files, options.read, options.warmup, false, note)?;
    let datasets: Vec<Dataset> = read.into_iter().map(|r| r.data).collect();
    let levels: Vec<f64> = pairs.iter().map(|p| p.0).collect();
    let (runs, notes) = runs_at_levels(&levels, &datasets, options.durations)?;
    notes
        .into_iter()
        .for_each(|n| note(super::read::Note::Text(n)));
    Ok(runs)
}

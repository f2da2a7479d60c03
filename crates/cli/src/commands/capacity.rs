//! `perfstat capacity`: flags, then [`perfstat_capacity::input`] (a table of aggregates, `--level N
//! FILE`, `--level-from-name`, `--by COLUMN FILE`), [`perfstat_capacity::analyze`] and the report's
//! `CapacityDoc`. The input forms and the objectives are described in `docs/capacity.md`;
//! `--fail-on-slo` counts [`perfstat_capacity::Analysis::counted_slo_results`].

use std::path::PathBuf;

use anyhow::{Context as _, anyhow, bail};
use clap::{ArgAction, Args, ValueEnum};
use perfstat_capacity::input::InputError;
use perfstat_capacity::{FitMethod, Options, Workload};
use perfstat_report::build::capacity::{self as build, CapacityRuns};
use perfstat_stats::duration::{parse_in_unit, parse_positive_seconds};
use perfstat_stats::fraction::parse_fraction;

use crate::args::{
    CapacityModelArgs, ConfidenceArg, FitArg, GateArgs, InputArgs, OutputArgs, SloArgs,
};
use crate::output;
use perfstat_report::gate::Condition;

/// Closed or open workload.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub(crate) enum WorkloadArg {
    /// Levels are concurrent users, each waiting for its response.
    #[default]
    Closed,
    /// Levels are arrival rates (requests per second).
    Open,
}

/// `perfstat capacity`.
#[derive(Debug, Args)]
#[command(after_help = crate::args::after_help!(
    "never, slo, slo-uncertain, degradation (a degradation point — p95 above --slo-p95, success \
     below --min-success, or an --slo objective's estimate broken — below the highest level tested)"
))]
pub(crate) struct CapacityArgs {
    /// A table of aggregates (CSV, TSV, or white-space separated), one row per level: columns
    /// `level` (or N, users, threads, vus, …), `throughput` (or X, tps, rps, …), and any of `p50`,
    /// `p95`, `p99`, `mean`, `error_rate`, `requests`, `throughput_stddev` (or sd); without a
    /// header, two columns: level, throughput (or see --level-column). Rows with the same level
    /// are replicates. With
    /// --level-from-name, run files or directories of runs; with --by COLUMN,
    /// one per-request file holding every level.
    #[arg(value_name = "LEVELS_CSV|FILE...", required_unless_present = "levels")]
    pub(crate) table: Vec<PathBuf>,
    /// Take each run's level from the first integer in its file name (`run-25users.jtl` → 25); the
    /// inputs are files or directories (every non-hidden file in them).
    #[arg(long, conflicts_with_all = ["levels", "by"])]
    pub(crate) level_from_name: bool,
    #[command(flatten)]
    pub(crate) gate: GateArgs,
    /// A run at a load level: `--level 10 run10.jtl` (repeatable; at least 3 levels for the
    /// scalability fit).
    #[arg(
        long = "level",
        num_args = 2,
        value_names = ["N", "FILE"],
        action = ArgAction::Append,
        conflicts_with_all = ["table", "by"]
    )]
    pub(crate) levels: Vec<String>,
    /// How long each run lasted (`60s`, `2m`, `1500ms`; a bare number is seconds): once for every
    /// run, or once per `--level` in order. Required for generic CSV/JSON runs (they have no
    /// timestamps); overrides the time span of load-test formats.
    #[arg(long, value_name = "DURATION", action = ArgAction::Append, value_parser = parse_positive_seconds)]
    pub(crate) duration: Vec<f64>,
    /// The p95 latency objective, e.g. `800ms` or `1.5s` (a bare number is in the latency's unit).
    /// Judged as `--slo "p95<=800ms"` would be, but reported in the SLOs column and the JSON's
    /// `slo`.
    #[arg(long, value_name = "DURATION")]
    pub(crate) slo_p95: Option<String>,
    /// The smallest acceptable success rate, e.g. `95%` or `0.99`: judged as `--slo
    /// "error_rate<=5%"` would be; always checked when the error rate is known (`0` turns it off).
    #[arg(long, value_name = "RATE", default_value = "95%", value_parser = parse_fraction)]
    pub(crate) min_success: f64,
    /// Closed (levels are concurrent users) or open (levels are arrival rates).
    #[arg(long, value_enum, value_name = "KIND", default_value_t = WorkloadArg::Closed)]
    pub(crate) workload: WorkloadArg,
    #[command(flatten)]
    pub(crate) confidence: ConfidenceArg,
    #[command(flatten)]
    pub(crate) input: InputArgs,
    #[command(flatten)]
    pub(crate) slo: SloArgs,
    #[command(flatten)]
    pub(crate) model: CapacityModelArgs,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

pub(crate) fn run(args: &CapacityArgs) -> anyhow::Result<bool> {
    use Condition::{Degradation, Slo, SloUncertain};
    let supported = [Slo, SloUncertain, Degradation];
    let gate = args
        .gate
        .gate("capacity", &supported, &[], Some(&args.slo))?;
    let runs = read_runs(args)?;
    let slo_p95 = args
        .slo_p95
        .as_deref()
        .map(|s| parse_in_unit(s, runs.unit_seconds()));
    let slo_p95 = slo_p95.transpose().context("--slo-p95")?;
    if slo_p95.is_some_and(|(_, assumed_ms)| assumed_ms) {
        output::note("note: the latency unit is unknown: --slo-p95 assumes milliseconds");
    }
    let options = Options {
        confidence: args.confidence.confidence,
        slo_p95: slo_p95.map(|(v, _)| v),
        min_success: args.min_success,
        slos: args.slo.slo.clone(),
        workload: match args.workload {
            WorkloadArg::Closed => Workload::Closed,
            WorkloadArg::Open => Workload::Open,
        },
        latency_unit_s: runs.unit_seconds(),
        fit_method: match args.model.fit {
            FitArg::Bounded => FitMethod::Bounded,
            FitArg::Unbounded => FitMethod::Unbounded,
        },
        predict: args.model.predict.clone(),
        ..Options::default()
    };
    let (doc, analysis) = build::capacity(runs, &options)?;
    output::emit(&args.output, "capacity", &doc)?;
    Ok(gate.capacity(&analysis))
}

/// The runs from `--level N FILE`, `--level-from-name`, `--by COLUMN FILE` or a table.
fn read_runs(args: &CapacityArgs) -> anyhow::Result<CapacityRuns> {
    let by = args.input.by.as_deref();
    if !args.levels.is_empty() {
        return read_levels(&level_pairs(&args.levels)?, args);
    }
    if args.level_from_name {
        let (pairs, notes) = build::levels_from_names(&args.table).map_err(|e| match e {
            InputError::NoFiles => anyhow!("--level-from-name needs files or a directory of runs"),
            e => anyhow!("--level-from-name: {e}"),
        })?;
        notes.iter().for_each(|n| output::note(n));
        return read_levels(&pairs, args);
    }
    if let Some(column) = by {
        let [file] = args.table.as_slice() else {
            bail!(
                "--by {column} reads the levels from one per-request file; found {} inputs",
                args.table.len()
            );
        };
        if args.input.warmup.is_some() {
            bail!("--warmup is not supported with --by in capacity (the levels share one file)");
        }
        let opts = super::read_options(&args.input, false);
        let (runs, notes) = build::runs_by(file, &opts, &args.duration).map_err(with_hint)?;
        notes.iter().for_each(|n| output::note(n));
        return Ok(runs);
    }
    let [table] = args.table.as_slice() else {
        bail!(
            "one table of aggregates expected, found {} inputs (several runs: --level N FILE \
             or --level-from-name)",
            args.table.len()
        );
    };
    let (runs, notes) = build::runs_from_table_with(table, args.input.unit, &args.model.columns())?;
    notes.iter().for_each(|n| output::note(n));
    Ok(runs)
}

/// `--level N FILE` pairs.
fn level_pairs(levels: &[String]) -> anyhow::Result<Vec<(f64, PathBuf)>> {
    levels
        .chunks(2)
        .map(|c| {
            let [n, file] = c else {
                bail!("--level takes two values: N FILE");
            };
            let level: f64 = n
                .trim()
                .parse()
                .map_err(|_| anyhow!("--level {n} {file}: {n:?} is not a number"))?;
            Ok((level, PathBuf::from(file)))
        })
        .collect()
}

/// The library's input error with the flag that fixes it, when there is one.
fn with_hint(e: InputError) -> anyhow::Error {
    match e {
        InputError::UnknownLevelDurations { .. } => anyhow!(
            "{e}: pass --duration 60s (once for all levels, or once per level in ascending order)"
        ),
        InputError::NoTimestamps { .. } => {
            anyhow!("{e}: pass --duration 60s (once for all runs, or once per --level)")
        }
        InputError::NoSpan { .. } => anyhow!("{e}: pass --duration 60s"),
        InputError::DurationCount { .. } => anyhow!("--duration: {e}"),
        // The reader's own error, so that `commands::hint` sees it.
        InputError::Read(e) => e.into(),
        e => e.into(),
    }
}

fn read_levels(pairs: &[(f64, PathBuf)], args: &CapacityArgs) -> anyhow::Result<CapacityRuns> {
    if pairs.is_empty() {
        bail!("no runs: give --level N FILE for each load level, or a table of aggregates");
    }
    let files: Vec<&PathBuf> = pairs.iter().map(|p| &p.1).collect();
    let read = super::read_inputs_with(&files, &args.input, false)?;
    let datasets: Vec<_> = read.into_iter().map(|r| r.data).collect();
    let levels: Vec<f64> = pairs.iter().map(|p| p.0).collect();
    let (runs, notes) =
        build::runs_at_levels(&levels, &datasets, &args.duration).map_err(with_hint)?;
    notes.iter().for_each(|n| output::note(n));
    Ok(runs)
}

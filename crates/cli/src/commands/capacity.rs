//! `perfstat capacity`: flags, then [`perfstat_capacity::input`] (a table of aggregates, `--level N
//! FILE`, `--level-from-name`, `--by COLUMN FILE`), [`perfstat_capacity::analyze`] and the report's
//! `CapacityDoc`. The input forms and the objectives are described in `docs/capacity.md`;
//! `--fail-on-slo` counts [`perfstat_capacity::Analysis::counted_slo_results`].

use std::path::PathBuf;

use anyhow::{Context as _, anyhow};
use clap::{ArgAction, Args};
use perfstat_capacity::input::InputError;
use perfstat_capacity::{Options, Workload};
use perfstat_report::build::capacity::{
    self as build, CapacityRuns, RunSource, RunsError, RunsOptions,
};
use perfstat_stats::duration::{parse_in_unit, parse_positive_seconds};
use perfstat_stats::fraction::parse_fraction;

use crate::args::{CapacityModelArgs, ConfidenceArg, GateArgs, InputArgs, OutputArgs, SloArgs};
use crate::output;

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
    /// `closed` (levels are concurrent users, each waiting for its response) or `open` (levels
    /// are arrival rates, requests per second).
    #[arg(long, value_name = "KIND", default_value = "closed", value_parser = str::parse::<Workload>)]
    pub(crate) workload: Workload,
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
    // `--level N FILE`: every second value is a file.
    let levels = args.levels.iter().skip(1).step_by(2);
    let files = args.table.iter().cloned().chain(levels.map(PathBuf::from));
    output::check_out(&args.output, files)?;
    let gate = args.gate.gate("capacity", Some(&args.slo))?;
    let runs = read_runs(args)?;
    let unit = runs.unit_seconds();
    let slo_p95 = args.slo_p95.as_deref().map(|s| parse_in_unit(s, unit));
    let slo_p95 = slo_p95.transpose().context("--slo-p95")?;
    if slo_p95.is_some_and(|(_, assumed_ms)| assumed_ms) {
        output::note("note: the latency unit is unknown: --slo-p95 assumes milliseconds");
    }
    let options = Options {
        confidence: args.confidence.confidence,
        slo_p95: slo_p95.map(|(v, _)| v),
        min_success: args.min_success,
        slos: args.slo.slo.clone(),
        workload: args.workload,
        latency_unit_s: unit,
        fit_method: args.model.fit,
        predict: args.model.predict.clone(),
        ..Options::default()
    };
    let (doc, analysis) = build::capacity(runs, &options)?;
    // The analysis says what is missing; the flags that change it are named here.
    if args.workload == Workload::Closed && analysis.excess_concurrency() {
        output::note("hint: if the levels are arrival rates, pass --workload open");
    }
    if options.slo_p95.is_none() && !options.slos.iter().any(perfstat_capacity::is_latency) {
        output::note("hint: --slo-p95 DURATION (or --slo \"p95<800ms\") sets a latency objective");
    }
    output::emit(&args.output, "capacity", &doc)?;
    Ok(gate.capacity(&analysis))
}

/// The runs from `--level N FILE`, `--level-from-name`, `--by COLUMN FILE` or a table.
fn read_runs(args: &CapacityArgs) -> anyhow::Result<CapacityRuns> {
    let pairs = build::levels_from_pairs(&args.levels).map_err(|e| anyhow!("--level {e}"))?;
    let source = match (&args.input.by, args.level_from_name) {
        _ if !pairs.is_empty() => RunSource::Levels(&pairs),
        (_, true) => RunSource::Named(&args.table),
        (Some(_), _) => RunSource::By(&args.table),
        (None, _) => RunSource::Table(&args.table),
    };
    let options = RunsOptions {
        read: &super::read_options(&args.input, args.input.warmup.is_some()),
        warmup: args.input.warmup,
        durations: &args.duration,
        columns: &args.model.columns(),
    };
    build::read_runs(source, &options, &mut super::read_note).map_err(|e| with_hint(e, args))
}

/// The library's error with the flag that fixes it, when there is one.
fn with_hint(e: RunsError, args: &CapacityArgs) -> anyhow::Error {
    let by = args.input.by.is_some();
    let e = match e {
        RunsError::Read(e) => return super::read_error(e),
        RunsError::Input(e) => e,
        e @ RunsError::TableCount { .. } => {
            return anyhow!("{e} (several runs: --level N FILE or --level-from-name)");
        }
        e @ RunsError::WarmupOfShared => return anyhow!("--warmup with --by: {e}"),
        e => return e.into(),
    };
    match e {
        InputError::UnknownLevelDurations { .. } => anyhow!(
            "{e}: pass --duration 60s (once for all levels, or once per level in ascending order)"
        ),
        InputError::NoTimestamps { .. } => {
            anyhow!("{e}: pass --duration 60s (once for all runs, or once per --level)")
        }
        InputError::NoSpan { .. } => anyhow!("{e}: pass --duration 60s"),
        InputError::DurationCount { .. } => anyhow!("--duration: {e}"),
        // The reader's own error, so that `commands::hint` sees it (a table's rows cannot be
        // skipped: no hint).
        InputError::Read(e) if !args.levels.is_empty() || args.level_from_name || by => e.into(),
        e if args.level_from_name => anyhow!("--level-from-name: {e}"),
        e => e.into(),
    }
}

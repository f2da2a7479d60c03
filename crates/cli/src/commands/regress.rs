//! `perfstat regress`: tonight's run against the baseline window, change points over the whole
//! history, and a CI gate.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use clap::Args;
use clap::builder::RangedU64ValueParser;
use perfstat_regress::analyze::{Cache, Config};
use perfstat_regress::changepoint::{Detector, Scale};
use perfstat_regress::config::{Direction, Overrides, parse_threshold};
use perfstat_regress::history::CurrentOptions;
use perfstat_regress::{Error, HistoryErrorKind};
use perfstat_report::build::regress as build;
use perfstat_stats::compare::NamedDirection;
use perfstat_stats::fraction::parse_alpha;

use crate::args::{Format, GateArgs, InputArgs, OutputArgs};
use crate::output;

/// `perfstat regress`.
#[derive(Debug, Args)]
#[command(after_help = crate::args::after_help!("never, regression (the default; alias regressed), drift"))]
pub(crate) struct RegressArgs {
    /// The history of runs: a wide CSV (a time or run-id column and one column per metric;
    /// commit/branch columns are carried along), a long CSV (time,metric,value) or JSON lines; `-`
    /// is stdin. Runs are put in time order when every key is a time or an integer. Without
    /// --current the latest run is the current one.
    #[arg(value_name = "HISTORY")]
    pub(crate) history: PathBuf,
    /// Tonight's run, compared against the history: a summary with one row (same formats as
    /// HISTORY), or a per-request file (JMeter JTL, k6, a CSV of latencies, … — any input
    /// `describe` reads, with the Input options), summarised into p50_/p95_/p99_/mean_NAME,
    /// error_rate and throughput_rps.
    #[arg(long, value_name = "FILE")]
    pub(crate) current: Option<PathBuf>,
    /// Read --current as per-request samples and name its statistics `p50_NAME`, `p95_NAME`,
    /// `p99_NAME`, `mean_NAME` (default NAME: `latency_ms` for a load-test tool's file, else the
    /// value column's name).
    #[arg(long, value_name = "NAME", requires = "current")]
    pub(crate) current_metric: Option<String>,
    /// The value column of a per-request --current file (as --metric).
    #[arg(
        long,
        value_name = "COLUMN",
        requires = "current",
        conflicts_with = "metric"
    )]
    pub(crate) current_column: Option<String>,
    /// Baseline runs before the current one (runs with a value; gaps skipped).
    #[arg(long, default_value_t = 7, value_name = "RUNS", value_parser = RangedU64ValueParser::<usize>::new().range(2..=100_000), help_heading = "Verdict")]
    pub(crate) window: usize,
    /// Relative threshold of a metric (or a kind: latency, throughput, quality, cost, other), e.g.
    /// `p95_latency_ms=15%`; repeatable. Defaults: latency 15%, throughput 10%, quality 5%, cost
    /// 20%, others 10%.
    #[arg(long = "threshold", value_name = "NAME=PERCENT", value_parser = parse_threshold, help_heading = "Verdict")]
    pub(crate) thresholds: Vec<(String, f64)>,
    /// Which way is better for a metric (or a kind), e.g. `score=higher`; repeatable. Default: from
    /// the metric name's words (docs/regress.md).
    #[arg(long = "direction", value_name = "NAME=lower|higher", value_parser = NamedDirection::parse_named, help_heading = "Verdict")]
    pub(crate) directions: Vec<(String, Direction)>,
    /// False discovery rate (Benjamini–Hochberg over the metrics).
    #[arg(long, default_value_t = 0.05, value_name = "ALPHA", value_parser = parse_alpha, help_heading = "Verdict")]
    pub(crate) alpha: f64,
    #[command(flatten, next_help_heading = "Verdict")]
    pub(crate) gate: GateArgs,
    /// Change-point penalty per change in units of ln n: a number, `bic` (2) or `mbic` (3).
    #[arg(long, default_value = "4", value_name = "K", value_parser = perfstat_regress::changepoint::parse_penalty, help_heading = "Change points")]
    pub(crate) penalty: f64,
    /// Fewest runs in a change-point segment.
    #[arg(long, default_value_t = 3, value_name = "RUNS", value_parser = RangedU64ValueParser::<usize>::new().range(1..=10_000), help_heading = "Change points")]
    pub(crate) min_segment: usize,
    /// Scale of the change-point search: log (relative shifts), linear, or auto (log for positive
    /// series not near 0).
    #[arg(long, default_value = "auto", value_name = "auto|log|linear", value_parser = str::parse::<Scale>, help_heading = "Change points")]
    pub(crate) scale: Scale,
    /// Metrics' change points within RUNS of each other are one joint change (0: each metric
    /// alone).
    #[arg(long, default_value_t = 3, value_name = "RUNS", value_parser = RangedU64ValueParser::<usize>::new().range(0..=1000), help_heading = "Change points")]
    pub(crate) joint_tolerance: usize,
    /// Append the --current run to HISTORY, whatever the verdict: atomically (a kill leaves the old
    /// or the new file), through a symbolic link to the real file, keeping its mode.
    #[arg(long, requires = "current")]
    pub(crate) append: bool,
    /// Save each metric's change-point (PELT) state in FILE (default: HISTORY.pelt-cache, next to
    /// the history) and continue from it next time: after appending a run, long histories (2048
    /// runs or more) skip the work already done. The result is the same as without.
    #[arg(long, value_name = "FILE")]
    #[allow(clippy::option_option)]
    pub(crate) cache: Option<Option<PathBuf>>,
    #[command(flatten)]
    pub(crate) input: InputArgs,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

/// The hint a regress error deserves (CLI flags are named here, not in the library).
fn with_hint(e: Error) -> anyhow::Error {
    let Error::History { kind, .. } = &e else {
        return e.into();
    };
    match kind {
        HistoryErrorKind::NoMatchingStatistic { .. } => {
            anyhow::anyhow!("{e}; pass --current-metric NAME so that p95_NAME names one")
        }
        HistoryErrorKind::NeitherSummaryNorSamples { .. } => {
            anyhow::anyhow!("{e} (pass --current-column COLUMN)")
        }
        _ => e.into(),
    }
}

pub(crate) fn run(args: &RegressArgs) -> anyhow::Result<bool> {
    let cache = cache_path(args)?;
    let inputs = [Some(&args.history), args.current.as_ref(), cache.as_ref()];
    output::check_out(&args.output, inputs.into_iter().flatten())?;
    let gate = args.gate.gate("regress", None)?;
    if args.input.by.is_some() || args.input.skip_invalid || args.input.warmup.is_some() {
        bail!("--by, --skip-invalid and --warmup do not apply to regress");
    }
    if args.append && args.history == Path::new("-") {
        bail!("--append needs a history file, not stdin");
    }
    let current = CurrentOptions {
        read: perfstat_ingest::ReadOptions {
            metric: args.current_column.clone().or(args.input.metric.clone()),
            ..super::read_options(&args.input, false)
        },
        base: args.current_metric.clone(),
    };
    let config = Config {
        window: args.window,
        alpha: args.alpha,
        overrides: Overrides {
            thresholds: args.thresholds.clone(),
            directions: args.directions.clone(),
        },
        detector: Detector {
            penalty: args.penalty,
            min_segment: args.min_segment,
            scale: args.scale,
            ..Detector::default()
        },
        joint_tolerance: args.joint_tolerance,
    };
    let current_file = args.current.as_deref().map(|p| (p, &current));
    let run = build::regress(&args.history, current_file, &config, cache.as_deref())
        .map_err(with_hint)?;
    run.notes.iter().for_each(|n| output::note(n));
    let doc = &run.doc;
    if args.output.format == Format::Json {
        run.gap_notes().iter().for_each(|n| output::note(n));
    }
    let out = output::out_dir(&args.output)?;
    output::report(&args.output, "regress", doc, out)?;
    if args.append {
        let name = args.history.display();
        let notes = run.append(&args.history);
        let notes = notes.with_context(|| format!("cannot append to {name}"))?;
        notes.iter().for_each(|n| output::note(n));
    }
    output::print(&args.output, doc)?;
    Ok(gate.regress(&run.analysis))
}

/// The `--cache` file: the one named, else HISTORY.pelt-cache.
fn cache_path(args: &RegressArgs) -> anyhow::Result<Option<PathBuf>> {
    match &args.cache {
        Some(None) => Cache::default_path(&args.history)
            .map(Some)
            .context("--cache needs a file name when the history is read from stdin"),
        given => Ok(given.clone().flatten()),
    }
}

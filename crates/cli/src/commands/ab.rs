//! `perfstat ab`: compare a treatment sample against a control sample.

use std::path::PathBuf;

use anyhow::Context as _;
use clap::Args;
use clap::builder::RangedU64ValueParser;
use perfstat_report::OutDir;
use perfstat_report::build::{self, AbOptions};
use perfstat_stats::adjust::Adjustment;
use perfstat_stats::compare::{NamedDirection, QuantileBootstrap};
use perfstat_stats::fraction::{parse_alpha, parse_fraction};

use crate::args::{ConfidenceArg, GateArgs, InputArgs, OutputArgs, RunsArgs, SloArgs};
use crate::commands::read_inputs_with;
use crate::output;

/// `perfstat ab`.
#[derive(Debug, Args)]
#[command(after_help = crate::args::after_help!(
    "never, regression (alias regressed), not-improved, slo, slo-uncertain"
))]
pub(crate) struct AbArgs {
    /// The baseline run (A): CSV, TSV, JSON or NDJSON; `.gz` is read transparently.
    #[arg(value_name = "CONTROL", required_unless_present = "control_runs")]
    pub(crate) control: Option<PathBuf>,
    /// The changed run (B), read the same way.
    #[arg(value_name = "TREATMENT", required_unless_present = "treatment_runs")]
    pub(crate) treatment: Option<PathBuf>,
    /// Which way is better: `lower`, `higher`, or `NAME=lower|higher` for the metric NAME; default:
    /// inferred from the metric name (latency, time, cost → lower; throughput, rps, score → higher;
    /// otherwise lower).
    #[arg(long, value_name = "[NAME=]lower|higher", help_heading = "Verdict")]
    pub(crate) direction: Vec<NamedDirection>,
    /// Significance level of the tests.
    #[arg(long, default_value_t = 0.05, value_name = "ALPHA", value_parser = parse_alpha, help_heading = "Verdict")]
    pub(crate) alpha: f64,
    /// The smallest relative change that matters (e.g. 2%): smaller significant changes are not
    /// called regressions, and a change that surely lies within ±this is called equivalent.
    #[arg(long, default_value = "0%", value_name = "PERCENT", value_parser = parse_fraction, help_heading = "Verdict")]
    pub(crate) min_effect: f64,
    #[command(flatten, next_help_heading = "Verdict")]
    pub(crate) gate: GateArgs,
    /// How p-values are adjusted over the groups of --by: `holm` (Holm–Bonferroni, controls the
    /// family-wise error rate) or `bh` (Benjamini–Hochberg, controls the false discovery rate).
    #[arg(long, value_name = "METHOD", default_value = "holm", value_parser = str::parse::<Adjustment>, help_heading = "Verdict")]
    pub(crate) adjust: Adjustment,
    #[command(flatten, next_help_heading = "Verdict")]
    pub(crate) confidence: ConfidenceArg,
    /// Seed of the bootstrap (the same seed gives the same intervals).
    #[arg(
        long,
        default_value_t = 0,
        value_name = "N",
        help_heading = "Bootstrap"
    )]
    pub(crate) seed: u64,
    /// Bootstrap resamples for the median, p95 and p99 differences.
    #[arg(long, default_value_t = 10_000, value_name = "N", value_parser = RangedU64ValueParser::<usize>::new().range(100..=10_000_000), help_heading = "Bootstrap")]
    pub(crate) resamples: usize,
    #[command(flatten)]
    pub(crate) input: InputArgs,
    /// Objectives judged on the treatment (B).
    #[command(flatten)]
    pub(crate) slo: SloArgs,
    #[command(flatten)]
    pub(crate) runs: RunsArgs,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

pub(crate) fn run(args: &AbArgs) -> anyhow::Result<bool> {
    let (c, t, r) = (&args.control, &args.treatment, &args.runs);
    let files = c.iter().chain(t).chain(&r.control).chain(&r.treatment);
    output::check_out(&args.output, files)?;
    let gate = args.gate.gate("ab", Some(&args.slo))?;
    let (Some(control), Some(treatment)) = (&args.control, &args.treatment) else {
        return runs(args, &gate);
    };
    let mut read = read_inputs_with(&[control, treatment], &args.input, false)?;
    let treatment = read.pop().context("internal: two inputs expected")?;
    let control = read.pop().context("internal: two inputs expected")?;
    let options = ab_options(args, &control.data.metric)?;
    let out = output::out_dir(&args.output)?;
    let plots_dir = out.as_ref().map(OutDir::path);
    let (run, notes) = build::ab_with_plots(control, treatment, &options, plots_dir)?;
    notes.iter().for_each(|n| output::note(n));
    output::emit_to(&args.output, "ab", &run, out)?;
    Ok(gate.ab(&run.report))
}

/// The options from the flags, with `--direction` for `metric`.
fn ab_options(args: &AbArgs, metric: &str) -> anyhow::Result<AbOptions> {
    let direction = NamedDirection::for_metric(&args.direction, metric).map_err(|other| {
        anyhow::anyhow!("--direction {other}=…: ab compares one metric, {metric:?}")
    })?;
    Ok(AbOptions {
        direction,
        alpha: args.alpha,
        min_effect: args.min_effect,
        confidence: args.confidence.confidence,
        bootstrap: QuantileBootstrap {
            seed: args.seed,
            resamples: args.resamples,
        },
        by: args.input.by.as_ref().map(|_| args.adjust),
        slos: args.slo.slo.clone(),
    })
}

/// `perfstat ab --control FILE... --treatment FILE...`: every file (or `--run` value) one run.
fn runs(args: &AbArgs, gate: &perfstat_report::gate::Gate) -> anyhow::Result<bool> {
    use perfstat_report::build::ab_runs::{AbRunsOptions, ab_runs, expand_paths};
    let r = &args.runs;
    let control = expand_paths(&r.control)?;
    let files = [control.as_slice(), &expand_paths(&r.treatment)?].concat();
    let input = InputArgs {
        by: r.run.clone(),
        ..args.input.clone()
    };
    let mut treatment = read_inputs_with(&files, &input, false)?;
    let control = treatment.drain(..control.len()).collect();
    let metric = treatment.first().map_or("", |t| t.data.metric.as_str());
    let options = AbRunsOptions {
        stat: r.run_stat.unwrap_or_default(),
        run_cost: r.run_cost,
        target_effect: r.plan_effect,
        assumed_icc: r.icc,
        ..AbRunsOptions::from(&ab_options(args, metric)?)
    };
    let out = output::out_dir(&args.output)?;
    let report = ab_runs(control, treatment, &options)?;
    output::emit_to(&args.output, "ab", &report, out)?;
    Ok(gate.ab_runs(&report))
}

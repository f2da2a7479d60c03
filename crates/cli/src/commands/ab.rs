//! `perfstat ab`: compare a treatment sample against a control sample.

use std::path::PathBuf;

use anyhow::Context as _;
use clap::{Args, ValueEnum};
use perfstat_ingest::Dataset;
use perfstat_report::OutDir;
use perfstat_report::ab::{AbGroup, AbReport, PlotPrefixes, plots_markdown, write_plots};
use perfstat_report::fmt::unit_from_name;
use perfstat_report::json::InputDoc;
use perfstat_stats::adjust::Adjustment;
use perfstat_stats::compare::{
    self, CompareConfig, Direction, Pair, QuantileBootstrap, TimeOrder, Verdict, VerdictConfig,
    adjust_groups, compare_in_order,
};
use perfstat_stats::describe;

use crate::Outcome;
use crate::args::{
    ConfidenceArg, DirectionSpec, GateArgs, InputArgs, OutputArgs, SloArgs, parse_direction,
    parse_percent,
};
use crate::commands::{evaluate_slos, read_inputs_with, sample, slo_gate};
use crate::gate::Condition;
use crate::output;

/// `perfstat ab`.
#[derive(Debug, Args)]
#[command(after_help = crate::args::after_help!(
    "never, regression (alias regressed), not-improved, slo, slo-uncertain"
))]
pub(crate) struct AbArgs {
    /// The baseline run (A): CSV, TSV, JSON or NDJSON; `.gz` is read transparently.
    #[arg(value_name = "CONTROL")]
    pub(crate) control: PathBuf,
    /// The changed run (B), read the same way.
    #[arg(value_name = "TREATMENT")]
    pub(crate) treatment: PathBuf,
    /// Which way is better: `lower`, `higher`, or `NAME=lower|higher` for the metric NAME;
    /// default: inferred from the metric name (latency, time, cost → lower; throughput, rps,
    /// score → higher; otherwise lower).
    #[arg(long, value_name = "[NAME=]lower|higher", value_parser = parse_direction, help_heading = "Verdict")]
    pub(crate) direction: Vec<DirectionSpec>,
    /// Significance level of the tests.
    #[arg(long, default_value_t = 0.05, value_name = "ALPHA", value_parser = parse_alpha, help_heading = "Verdict")]
    pub(crate) alpha: f64,
    /// The smallest relative change that matters (e.g. 2%): smaller significant
    /// changes are not called regressions, and a change that surely lies within
    /// ±this is called equivalent.
    #[arg(long, default_value = "0%", value_name = "PERCENT", value_parser = parse_percent, help_heading = "Verdict")]
    pub(crate) min_effect: f64,
    #[command(flatten, next_help_heading = "Verdict")]
    pub(crate) gate: GateArgs,
    /// How p-values are adjusted over the groups of --by.
    #[arg(long, value_enum, value_name = "METHOD", default_value_t = AdjustArg::Holm, help_heading = "Verdict")]
    pub(crate) adjust: AdjustArg,
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
    #[arg(long, default_value_t = 10_000, value_name = "N", value_parser = clap::value_parser!(u64).range(100..=10_000_000), help_heading = "Bootstrap")]
    pub(crate) resamples: u64,
    #[command(flatten)]
    pub(crate) input: InputArgs,
    /// Objectives judged on the treatment (B).
    #[command(flatten)]
    pub(crate) slo: SloArgs,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

/// `--adjust`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum AdjustArg {
    /// Holm–Bonferroni (controls the family-wise error rate).
    Holm,
    /// Benjamini–Hochberg (controls the false discovery rate).
    Bh,
}

fn parse_alpha(s: &str) -> Result<f64, String> {
    let v = parse_percent(s)?;
    if v > 0.0 && v < 0.5 {
        Ok(v)
    } else {
        Err(format!("must be in (0, 0.5), found {s}"))
    }
}

pub(crate) fn run(args: &AbArgs) -> anyhow::Result<Outcome> {
    use Condition::{NotImproved, Regression, Slo, SloUncertain};
    let gate = args.gate.gate(
        "ab",
        &[Regression, NotImproved, Slo, SloUncertain],
        &[],
        Some(&args.slo),
    )?;
    let confidence = args.confidence.get()?;
    let mut read = read_inputs_with(&[&args.control, &args.treatment], &args.input, false)?;
    let t_read = read.pop().context("internal: two inputs expected")?;
    let c_read = read.pop().context("internal: two inputs expected")?;
    let inputs = [
        InputDoc::new(&c_read.data, c_read.warmup.as_ref(), confidence),
        InputDoc::new(&t_read.data, t_read.warmup.as_ref(), confidence),
    ];
    let (control, treatment) = (c_read.data, t_read.data);
    let t_requests = treatment.requests.clone();
    let metric = control.metric.clone();
    let (direction, direction_inferred) = match direction_of(&args.direction, &metric)? {
        Some(d) => (d, false),
        None => (Direction::infer(&metric), true),
    };
    let config = CompareConfig {
        verdict: VerdictConfig::new(args.alpha, args.min_effect, direction, confidence)?,
        bootstrap: QuantileBootstrap {
            seed: args.seed,
            resamples: usize::try_from(args.resamples).context("--resamples is too large")?,
        },
    };
    let by = args.input.by.is_some();
    let unit = unit_from_name(&metric);
    let out_dir = args.output.out.as_deref().map(OutDir::create).transpose()?;
    let mut plots = Vec::new();
    let mut prefixes = PlotPrefixes::default();
    let mut groups = Vec::new();
    for (label, c_values, t_values) in pair_groups(control, treatment, by)? {
        let (c_name, t_name) = match &label {
            Some(l) => (
                format!("{} · {l}", inputs[0].path),
                format!("{} · {l}", inputs[1].path),
            ),
            None => (inputs[0].path.clone(), inputs[1].path.clone()),
        };
        // The samples sort their values; the time order is kept for the
        // autocorrelation check (one copy, 8 bytes per value).
        let c_sample = sample(&c_name, c_values.clone())?;
        let t_sample = sample(&t_name, t_values.clone())?;
        let pair = Pair {
            control: &c_sample,
            treatment: &t_sample,
        };
        let order = TimeOrder {
            control: &c_values,
            treatment: &t_values,
        };
        let comparison = compare_in_order(pair, order, &config);
        let treatment_slos =
            evaluate_slos(&args.slo.slo, &t_sample, t_requests.as_ref(), confidence)
                .with_context(|| format!("--slo on {t_name}"))?;
        drop((c_values, t_values));
        if let Some(out) = &out_dir {
            let prefix = prefixes.next(label.as_deref());
            let refs = write_plots(
                out.path(),
                &prefix,
                &metric,
                unit,
                confidence,
                &c_sample,
                &t_sample,
            )?;
            plots.push((label.clone(), refs));
        }
        groups.push(AbGroup {
            label,
            control: describe(&c_sample, confidence),
            treatment: describe(&t_sample, confidence),
            verdict: comparison.verdict.verdict,
            comparison,
            adjusted_p_value: None,
            treatment_slos,
        });
    }
    let adjustment = if by {
        let method = match args.adjust {
            AdjustArg::Holm => Adjustment::Holm,
            AdjustArg::Bh => Adjustment::BenjaminiHochberg,
        };
        let adjusted = adjust_groups(groups.iter().map(|g| &g.comparison), method, args.alpha)?;
        for (g, a) in groups.iter_mut().zip(adjusted) {
            g.verdict = a.verdict;
            g.adjusted_p_value = Some(a.adjusted_p_value);
        }
        Some(method.as_str())
    } else {
        None
    };
    let report = AbReport {
        unit: unit.map(str::to_owned),
        metric,
        direction,
        direction_inferred,
        confidence: confidence.level(),
        alpha: args.alpha,
        min_effect: args.min_effect,
        seed: args.seed,
        resamples: config.bootstrap.resamples,
        inputs,
        adjustment,
        groups,
    };
    let json = output::json_doc(&report.to_json())?;
    if let Some(out) = out_dir {
        let markdown = format!("{}\n{}", report.markdown(), plots_markdown(&plots));
        output::finish_report(out, "ab", &markdown, &json)?;
    }
    output::print_result(
        args.output.format,
        || report.table(),
        &json,
        || report.markdown(),
    )?;
    let failed = report.groups.iter().any(|g| {
        slo_gate(&gate, &g.treatment_slos)
            || (gate.on(Regression) && g.verdict == Verdict::Regressed)
            || (gate.on(NotImproved)
                && !matches!(g.verdict, Verdict::Improved | Verdict::Equivalent))
    });
    Ok(if failed {
        Outcome::Finding
    } else {
        Outcome::Success
    })
}

/// The `--direction` of ab's one metric: the last bare one or the last naming `metric`.
fn direction_of(specs: &[DirectionSpec], metric: &str) -> anyhow::Result<Option<Direction>> {
    if let Some(other) = specs
        .iter()
        .find_map(|s| s.name.as_deref().filter(|n| *n != metric))
    {
        anyhow::bail!("--direction {other}=…: ab compares one metric, {metric:?}");
    }
    Ok(specs.last().map(|s| s.direction))
}

/// A group label with the control and treatment values, in file order.
type MatchedGroup = (Option<String>, Vec<f64>, Vec<f64>);

/// Matches the groups of the two files by label (control's order first), noting those not compared.
fn pair_groups(
    control: Dataset,
    treatment: Dataset,
    by: bool,
) -> anyhow::Result<Vec<MatchedGroup>> {
    let first = |ds: Dataset| ds.groups.into_iter().next().map(|g| g.values);
    if !by {
        return Ok(vec![(
            None,
            first(control).unwrap_or_default(),
            first(treatment).unwrap_or_default(),
        )]);
    }
    let paired = compare::pair_groups(
        control.groups.into_iter().map(|g| (g.label, g.values)),
        treatment.groups.into_iter().map(|g| (g.label, g.values)),
    );
    for (names, file) in [
        (&paired.only_control, &control.source),
        (&paired.only_treatment, &treatment.source),
    ] {
        if !names.is_empty() {
            output::note(&format!(
                "note: groups only in {file} are not compared: {}",
                names
                    .iter()
                    .map(|n| format!("{:?}", n.as_deref().unwrap_or_default()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    if paired.matched.is_empty() {
        anyhow::bail!(
            "{} and {} have no --by group in common",
            control.source,
            treatment.source
        );
    }
    Ok(paired.matched)
}

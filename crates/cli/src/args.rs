//! Command-line arguments (clap derive). Doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use perfstat_report::gate::{Condition, Gate};

/// The `--fail-on` conditions of each command, and the exit status (its `after_help`); without
/// conditions, the exit status alone (the top-level help).
macro_rules! after_help {
    () => {
        "Exit status: 0 ran fine and no --fail-on condition holds; 1 a --fail-on condition holds; 2 \
         a usage, input or I/O error; 130 or 143 interrupted (Ctrl-C, SIGTERM)."
    };
    ($conditions:literal) => {
        concat!("--fail-on conditions: ", $conditions, " (docs/cli.md).\n\n", $crate::args::after_help!())
    };
}
pub(crate) use after_help;

#[derive(Debug, Parser)]
#[command(
    name = "perfstat",
    version,
    about = "Statistics for load tests and benchmarks that a performance engineer can defend: \
             describe a sample, compare two runs (ab), rank configurations (pareto), gate a nightly \
             run against its history (regress), and find a service's capacity (capacity).",
    after_help = after_help!(),
    max_term_width = 100
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Describe one sample per file (or per group): percentiles with intervals, normality and
    /// outlier tests.
    Describe(DescribeArgs),
    /// Compare a treatment run against a control run: tests, effect sizes, percentile differences
    /// with intervals, and a verdict.
    Ab(crate::commands::ab::AbArgs),
    /// Pareto fronts over measured configurations (cost, latency, quality, throughput...): ranks,
    /// crowding, hypervolume, knee, constraints, noise.
    Pareto(crate::commands::pareto::ParetoArgs),
    /// Nightly regression report: the current run against the baseline window (thresholds +
    /// significance, BH across metrics), change points over the whole history, and a CI gate (exit
    /// 1 on a regression).
    Regress(crate::commands::regress::RegressArgs),
    /// Capacity from runs at several load levels: throughput and latency against load, a Universal
    /// Scalability Law fit with its peak, Little's law, and the saturation, degradation and SLO
    /// points.
    Capacity(crate::commands::capacity::CapacityArgs),
}

/// Output format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// A table for the terminal.
    #[default]
    Table,
    /// One JSON document (see docs/json-output.md).
    Json,
    /// Markdown, for pull requests and CI job summaries.
    Markdown,
}

/// How input files are read (shared by every command).
#[derive(Debug, Args)]
#[command(next_help_heading = "Input")]
pub(crate) struct InputArgs {
    /// The column (or JSON field) holding the values; default: the only numeric one.
    #[arg(long, short = 'm', value_name = "NAME")]
    pub(crate) metric: Option<String>,
    /// Split each file into one sample per value of this column.
    #[arg(long, value_name = "COLUMN")]
    pub(crate) by: Option<String>,
    /// Skip rows whose value is missing, non-numeric, NaN or infinite (and report how many).
    #[arg(long)]
    pub(crate) skip_invalid: bool,
    /// Read every file as this format instead of detecting it: csv, json, ndjson, k6-json, k6-csv,
    /// jmeter-csv, gatling, vegeta-csv, vegeta-json, hey, ab, locust-history, hyperfine, vllm,
    /// llmperf.
    #[arg(long, value_name = "NAME")]
    pub(crate) input_format: Option<perfstat_ingest::InputFormat>,
    /// Keep failed requests in the statistics (load-test formats); by default only successful
    /// requests are described, and the error rate is reported.
    #[arg(long)]
    pub(crate) include_failures: bool,
    /// The unit of a generic CSV/JSON file's values (ms, s, us, ns): they are converted to ms.
    /// Load-test formats have known units.
    #[arg(long, value_name = "UNIT")]
    pub(crate) unit: Option<perfstat_ingest::Unit>,
    /// Drop the start of each run: `30s` (requests started in the first 30 s; needs timestamps),
    /// `500` (the first 500 requests, in time order), or `auto` (the end of the warm-up transient,
    /// detected with MSER-5 on the latencies; the cut is reported).
    #[arg(long, value_name = "DURATION|COUNT|auto")]
    pub(crate) warmup: Option<perfstat_stats::warmup::WarmupSpec>,
}

/// Service-level objectives (`describe`, and `ab` for the treatment).
#[derive(Debug, Args)]
#[command(next_help_heading = "SLO")]
pub(crate) struct SloArgs {
    /// An objective, judged on its confidence interval: pass only if the whole interval meets it,
    /// fail only if the whole interval misses it, else uncertain. Repeatable. Metrics: p50, p90,
    /// p95, p99, p99.9 (any pNN), median, mean, max (units ms, s, us, ns; bare numbers are ms),
    /// error_rate (1% or 0.01), throughput (100/s, 6000/min). E.g. --slo "p95<800ms".
    #[arg(long = "slo", value_name = "OBJECTIVE")]
    pub(crate) slo: Vec<perfstat_stats::slo::Objective>,
    /// Hidden alias of `--fail-on slo`.
    #[arg(long, hide = true)]
    pub(crate) fail_on_slo: bool,
    /// Hidden alias of `--fail-on slo-uncertain`.
    #[arg(long, hide = true)]
    pub(crate) fail_on_slo_uncertain: bool,
}

/// `--fail-on` (every command; the conditions a command takes are in its `after_help`).
#[derive(Debug, Args)]
pub(crate) struct GateArgs {
    /// Exit with status 1 when one of these conditions holds: comma-separated or repeated
    /// (`--fail-on regression,slo`); the conditions this command takes are listed below.
    #[arg(long, value_name = "CONDITION", value_delimiter = ',')]
    pub(crate) fail_on: Vec<Condition>,
}

impl GateArgs {
    /// The gate of `command`, checked against the conditions it supports, with the hidden
    /// `--fail-on-slo` aliases of `slo` added.
    pub(crate) fn gate(
        &self,
        command: &str,
        supported: &[Condition],
        default: &[Condition],
        slo: Option<&SloArgs>,
    ) -> anyhow::Result<Gate> {
        let gate = Gate::new(command, &self.fail_on, supported, default)
            .map_err(|e| anyhow::anyhow!("--fail-on {e}"))?;
        Ok(match slo {
            Some(s) => gate
                .with(Condition::Slo, s.fail_on_slo)
                .with(Condition::SloUncertain, s.fail_on_slo_uncertain),
            None => gate,
        })
    }
}

/// `--confidence`.
#[derive(Debug, Args)]
pub(crate) struct ConfidenceArg {
    /// Confidence level of the intervals (`0.95` or `95%`), strictly between 0 and 1.
    #[arg(long, default_value = "0.95", value_name = "LEVEL")]
    pub(crate) confidence: perfstat_stats::Confidence,
}

/// Throughput over time (`describe`).
#[derive(Debug, Args)]
#[command(next_help_heading = "Load test")]
pub(crate) struct TimelineArgs {
    /// Add a `throughput_timeline` to the JSON with buckets of this width (e.g. 10s, 500ms; `auto`:
    /// a round width giving about 50 buckets). Off by default: it keeps every request's start time
    /// in memory (about 31 bytes a request instead of 8).
    #[arg(long, value_name = "DURATION|auto")]
    pub(crate) bucket: Option<perfstat_ingest::Bucket>,
}

/// Output options (shared by every command).
#[derive(Debug, Args)]
#[command(next_help_heading = "Output")]
pub(crate) struct OutputArgs {
    /// Output format on stdout.
    #[arg(long, short = 'f', value_enum, value_name = "FORMAT", default_value_t = Format::Table)]
    pub(crate) format: Format,
    /// Also write a report folder (report.md, the JSON, plots), atomically. DIR must be new, an
    /// empty folder, or (with --force) an earlier perfstat report; a file, an input and any other
    /// folder are refused.
    #[arg(long, value_name = "DIR")]
    pub(crate) out: Option<PathBuf>,
    /// Let --out replace an earlier perfstat report (atomically; never anything else).
    #[arg(long, requires = "out")]
    pub(crate) force: bool,
}

impl Command {
    /// The command's output options and every file it reads (or, like the history of `regress
    /// --append` and its cache, rewrites), for the checks of `--out` before the command runs.
    pub(crate) fn output_and_inputs(&self) -> (&OutputArgs, Vec<PathBuf>) {
        match self {
            Self::Describe(a) => (&a.output, a.files.clone()),
            Self::Ab(a) => (&a.output, vec![a.control.clone(), a.treatment.clone()]),
            Self::Pareto(a) => (&a.output, vec![a.file.clone()]),
            Self::Regress(a) => {
                let mut inputs = vec![a.history.clone()];
                inputs.extend(a.current.clone());
                inputs.extend(crate::commands::regress::cache_path(a).ok().flatten());
                (&a.output, inputs)
            }
            Self::Capacity(a) => {
                let mut inputs = a.table.clone();
                // `--level N FILE`: every second value is a file.
                inputs.extend(a.levels.iter().skip(1).step_by(2).map(PathBuf::from));
                (&a.output, inputs)
            }
        }
    }
}

/// `perfstat describe`.
#[derive(Debug, Args)]
#[command(after_help = after_help!("never, slo, slo-uncertain"))]
pub(crate) struct DescribeArgs {
    /// Input files (CSV, TSV, JSON, NDJSON; `.gz` is read transparently; `-` is stdin).
    #[arg(required = true, value_name = "FILE")]
    pub(crate) files: Vec<PathBuf>,
    #[command(flatten)]
    pub(crate) confidence: ConfidenceArg,
    #[command(flatten)]
    pub(crate) gate: GateArgs,
    #[command(flatten)]
    pub(crate) input: InputArgs,
    #[command(flatten)]
    pub(crate) slo: SloArgs,
    #[command(flatten)]
    pub(crate) timeline: TimelineArgs,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory as _;

    #[test]
    fn cli_is_consistent() {
        Cli::command().debug_assert();
    }
}

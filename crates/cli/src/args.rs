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
#[derive(Clone, Debug, Args)]
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
    // The help lists ingest's own list of formats (`InputFormat::ALL`).
    #[arg(long, value_name = "NAME", help = format!(
        "Read every file as this format instead of detecting it: {}",
        perfstat_ingest::InputFormat::ALL.map(perfstat_ingest::InputFormat::name).join(", ")
    ))]
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

/// `ab` over repeated runs (docs/ab-runs.md).
#[derive(Debug, Args)]
#[command(next_help_heading = "Repeated runs")]
pub(crate) struct RunsArgs {
    /// Compare repeated runs: the control's runs, each a file, a directory (its files) or a quoted
    /// glob pattern; every file is one run (or every --run value in it). Instead of CONTROL.
    #[arg(long = "control", id = "control_runs", value_name = "FILE|DIR|GLOB", num_args = 1..,
          conflicts_with_all = ["control", "treatment", "by", "slo"])]
    pub(crate) control: Vec<PathBuf>,
    /// The treatment's runs, given as --control's. Instead of TREATMENT.
    #[arg(long = "treatment", id = "treatment_runs", value_name = "FILE|DIR|GLOB", num_args = 1..,
          conflicts_with_all = ["control", "treatment"])]
    pub(crate) treatment: Vec<PathBuf>,
    /// The column naming the run of each row, for files that hold several runs.
    #[arg(long, value_name = "COLUMN", conflicts_with = "control")]
    pub(crate) run: Option<String>,
    /// The statistic compared per run: mean, median, p95, p99.
    #[arg(long, value_name = "STAT", value_parser = perfstat_stats::hierarchical::RunStat::parse,
          conflicts_with = "control")]
    pub(crate) run_stat: Option<perfstat_stats::hierarchical::RunStat>,
    /// The cost of starting one run, in requests, for the plan (default: the mean run size).
    #[arg(long, value_name = "REQUESTS", conflicts_with = "control")]
    pub(crate) run_cost: Option<f64>,
    /// The relative effect the plan is for (default: --min-effect, or 5% when that is 0).
    #[arg(long, value_name = "PERCENT", value_parser = perfstat_stats::fraction::parse_fraction,
          conflicts_with = "control")]
    pub(crate) plan_effect: Option<f64>,
    /// An intraclass correlation known from an earlier comparison: with one run in an arm, the
    /// warning says what its requests are worth.
    #[arg(long, value_name = "X", conflicts_with = "control")]
    pub(crate) icc: Option<f64>,
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
    /// The gate of `command` (the conditions it takes: `perfstat_report::gate::conditions`), with
    /// the hidden `--fail-on-slo` aliases of `slo` added.
    pub(crate) fn gate(&self, command: &str, slo: Option<&SloArgs>) -> anyhow::Result<Gate> {
        let gate = Gate::for_command(command, &self.fail_on);
        let gate = gate.map_err(|e| anyhow::anyhow!("--fail-on {e}"))?;
        let (fail, uncertain) =
            slo.map_or((false, false), |s| (s.fail_on_slo, s.fail_on_slo_uncertain));
        Ok(gate
            .with(Condition::Slo, fail)
            .with(Condition::SloUncertain, uncertain))
    }
}

/// `--confidence`.
#[derive(Debug, Args)]
pub(crate) struct ConfidenceArg {
    /// Confidence level of the intervals (`0.95` or `95%`), strictly between 0 and 1.
    #[arg(long, default_value = "0.95", value_name = "LEVEL")]
    pub(crate) confidence: perfstat_stats::Confidence,
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
    /// JSON on stdout without whitespace (the report folder's stays indented).
    #[arg(long)]
    pub(crate) compact: bool,
    /// Tables and Markdown show at most N entries of each section that grows with the input
    /// (configs, groups, metrics); the JSON always holds everything.
    #[arg(long, value_name = "N", default_value_t = 20, conflicts_with = "all")]
    pub(crate) limit: usize,
    /// Tables and Markdown show every entry (no --limit).
    #[arg(long)]
    pub(crate) all: bool,
}

impl OutputArgs {
    /// `--limit N` / `--all`.
    pub(crate) fn row_limit(&self) -> perfstat_report::fmt::RowLimit {
        use perfstat_report::fmt::RowLimit;
        if self.all {
            RowLimit::All
        } else {
            RowLimit::First(self.limit)
        }
    }

    /// `--compact`.
    pub(crate) fn layout(&self) -> perfstat_report::json::Layout {
        use perfstat_report::json::Layout;
        if self.compact {
            Layout::Compact
        } else {
            Layout::Pretty
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
    /// Add a `throughput_timeline` to the JSON with buckets of this width (e.g. 10s, 500ms; `auto`:
    /// a round width giving about 50 buckets). Off by default: it keeps every request's start time
    /// in memory (about 31 bytes a request instead of 8).
    #[arg(long, value_name = "DURATION|auto", help_heading = "Load test")]
    pub(crate) bucket: Option<perfstat_ingest::Bucket>,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

/// The scalability model and the columns of a table of aggregates (`capacity`).
#[derive(Debug, Args)]
#[command(next_help_heading = "Model")]
pub(crate) struct CapacityModelArgs {
    /// The least-squares problem of the scalability fit: `bounded` (σ, κ ∈ [0, 1], λ ≥ 0, R
    /// `usl`'s bounds; the unbounded fit is shown beside it when they differ) or `unbounded`
    /// (scipy `curve_fit`).
    #[arg(long, value_name = "KIND", default_value = "bounded", value_parser = str::parse::<perfstat_capacity::FitMethod>)]
    pub(crate) fit: perfstat_capacity::FitMethod,
    /// Loads at which to predict throughput, with a prediction interval (and the mean response
    /// time by Little's law when the levels have latencies): `--predict 96 128`.
    #[arg(long, value_name = "N", num_args = 1.., value_parser = perfstat_capacity::parse_load)]
    pub(crate) predict: Vec<f64>,
    /// The table's level column: a header name (any case) or a column number from 1.
    #[arg(long, value_name = "COLUMN")]
    pub(crate) level_column: Option<String>,
    /// The table's throughput column (name or number).
    #[arg(long, value_name = "COLUMN")]
    pub(crate) throughput_column: Option<String>,
    /// The table's column of the throughput's standard deviation: the fit weighs each row by
    /// 1/sd² (name or number).
    #[arg(long, value_name = "COLUMN")]
    pub(crate) sd_column: Option<String>,
    /// The table's mean latency column, for Little's law (name or number).
    #[arg(long, value_name = "COLUMN")]
    pub(crate) latency_column: Option<String>,
    /// The table's p95 latency column (name or number).
    #[arg(long, value_name = "COLUMN")]
    pub(crate) p95_column: Option<String>,
    /// The table's error rate column (name or number).
    #[arg(long, value_name = "COLUMN")]
    pub(crate) error_column: Option<String>,
}

impl CapacityModelArgs {
    /// The columns chosen for a table of aggregates.
    pub(crate) fn columns(&self) -> perfstat_capacity::input::Columns {
        perfstat_capacity::input::Columns {
            level: self.level_column.clone(),
            throughput: self.throughput_column.clone(),
            throughput_sd: self.sd_column.clone(),
            latency: self.latency_column.clone(),
            p95: self.p95_column.clone(),
            error_rate: self.error_column.clone(),
        }
    }
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

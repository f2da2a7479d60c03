//! `perfstat pareto`: read the configs (`perfstat_pareto::input`), analyse them
//! (`perfstat_pareto::analyze`), build the document (`perfstat_report::pareto::ParetoDoc`)
//! and print it or write the report folder.

use std::path::PathBuf;

use anyhow::{Context as _, bail};
use clap::Args;
use perfstat_pareto::input::{self, ReadOptions};
use perfstat_pareto::{Constraint, ObjectiveSpec, Options};
use perfstat_report::OutDir;
use perfstat_report::pareto::{ParetoDoc, plot};
use perfstat_stats::Confidence;

use crate::Outcome;
use crate::args::{ConfidenceArg, GateArgs, InputArgs, OutputArgs};
use crate::output;

/// `perfstat pareto`.
#[derive(Debug, Args)]
#[command(after_help = crate::args::after_help!("never"))]
pub(crate) struct ParetoArgs {
    /// Configurations: JSON (`{"objectives": [...], "configs": [...]}` or an array of
    /// flat records) or CSV/TSV with a header; `-` is stdin.
    #[arg(value_name = "CONFIGS")]
    pub(crate) file: PathBuf,
    /// An objective and its direction, e.g. `p95_latency_ms:min` (repeatable;
    /// replaces the file's `objectives`). Without `:min`/`:max` the direction is
    /// inferred from the name (latency, cost, error… min; throughput, score… max).
    #[arg(long = "objective", short = 'o', value_name = "NAME[:min|max]")]
    pub(crate) objectives: Vec<ObjectiveSpec>,
    /// A feasibility constraint, e.g. `p95_latency_ms<=500` (`<=`, `>=`, `<`, `>`;
    /// repeatable). Infeasible configs get no rank; the report names what they break.
    #[arg(long = "constraint", short = 'c', value_name = "METRIC<=VALUE")]
    pub(crate) constraints: Vec<Constraint>,
    /// Hypervolume reference point, one value per objective in its own units:
    /// `NAME=VALUE,NAME=VALUE,...`.
    #[arg(long, value_name = "NAME=VALUE,...")]
    pub(crate) reference: Option<String>,
    /// The field holding each config's id; without it, the row number.
    #[arg(long, value_name = "FIELD", default_value = "id")]
    pub(crate) id: String,
    /// Of the intervals of repeated measurements and sample-file statistics.
    #[command(flatten)]
    pub(crate) confidence: ConfidenceArg,
    #[command(flatten)]
    pub(crate) gate: GateArgs,
    /// How per-request sample files named in the configs are read.
    #[command(flatten)]
    pub(crate) input: InputArgs,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

pub(crate) fn run(args: &ParetoArgs) -> anyhow::Result<Outcome> {
    args.gate.gate("pareto", &[], &[], None)?;
    let confidence = args.confidence.get()?;
    let read = read_options(args, confidence)?;
    let input = input::read_path(&args.file, &read)?;
    let source = &input.source;
    for name in &input.inferred {
        if let Some(o) = input.objectives.iter().find(|o| &o.name == name) {
            output::note(&format!(
                "note: objective `{name}`: {} ({}), inferred from its name; write \
                 {name}:min or {name}:max to choose",
                o.direction,
                o.direction.words()
            ));
        }
    }
    if input.objectives.is_empty() {
        bail!(
            "{source}: no objectives: give --objective NAME:min|max (repeatable) or an \
             \"objectives\" list in the file"
        );
    }
    let reference = match &args.reference {
        Some(text) => {
            let pairs = perfstat_pareto::parse_reference(text).context("--reference")?;
            Some(
                perfstat_pareto::reference_from_pairs(&input.objectives, &pairs)
                    .with_context(|| source.clone())?,
            )
        }
        None => None,
    };
    let options = Options {
        constraints: args.constraints.clone(),
        reference,
        confidence,
        dominated_by_limit: None,
    };
    let analysis = perfstat_pareto::analyze(&input.objectives, &input.configs, &options)
        .with_context(|| source.clone())?;
    let doc = ParetoDoc::new(&input, &options, &analysis);
    let json = output::json_doc(&doc)?;
    if let Some(dir) = &args.output.out {
        let out = OutDir::create(dir)?;
        let plots = plot::scatter_plots(&doc, out.path())?;
        output::finish_report(out, "pareto", &doc.markdown(&plots), &json)?;
    }
    output::print_result(
        args.output.format,
        || doc.table(),
        &json,
        || doc.markdown(&[]),
    )?;
    Ok(Outcome::Success)
}

/// The reading options: id field, objectives and constraints (their metrics must be
/// numbers), and how sample files are read (`--metric`, `--unit`, `--input-format`,
/// `--include-failures`, `--skip-invalid`).
fn read_options(args: &ParetoArgs, confidence: Confidence) -> anyhow::Result<ReadOptions> {
    let i = &args.input;
    if i.by.is_some() {
        bail!("--by is not used by pareto: a sample file's requests are pooled into one statistic");
    }
    if i.warmup.is_some() {
        bail!("--warmup is not supported by pareto: trim the sample files first");
    }
    Ok(ReadOptions {
        id_field: args.id.clone(),
        objectives: args.objectives.clone(),
        constraints: args.constraints.clone(),
        confidence,
        samples: perfstat_ingest::ReadOptions {
            metric: i.metric.clone(),
            skip_invalid: i.skip_invalid,
            format: i.input_format,
            include_failures: i.include_failures,
            unit: i.unit,
            ..perfstat_ingest::ReadOptions::default()
        },
    })
}

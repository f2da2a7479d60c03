//! `perfstat pareto`: read the configs (`perfstat_pareto::input`), analyse them
//! (`perfstat_pareto::analyze`), build the document (`perfstat_report::pareto::ParetoDoc`) and
//! print it or write the report folder.

use std::path::PathBuf;

use anyhow::{Context as _, bail};
use clap::Args;
use perfstat_pareto::input::ReadOptions;
use perfstat_pareto::{Constraint, ObjectiveSpec, Options, parse_reference};
use perfstat_report::build::pareto::{self as build, ParetoError};

use crate::args::{ConfidenceArg, GateArgs, InputArgs, OutputArgs};
use crate::output;

/// `perfstat pareto`.
#[derive(Debug, Args)]
#[command(after_help = crate::args::after_help!("never"))]
pub(crate) struct ParetoArgs {
    /// Configurations: JSON (`{"objectives": [...], "configs": [...]}` or an array of flat records)
    /// or CSV/TSV with a header; `-` is stdin.
    #[arg(value_name = "CONFIGS")]
    pub(crate) file: PathBuf,
    /// An objective and its direction, e.g. `p95_latency_ms:min` (repeatable; replaces the file's
    /// `objectives`). Without `:min`/`:max` the direction is inferred from the name (latency, cost,
    /// error… min; throughput, score… max).
    #[arg(long = "objective", short = 'o', value_name = "NAME[:min|max]")]
    pub(crate) objectives: Vec<ObjectiveSpec>,
    /// A feasibility constraint, e.g. `p95_latency_ms<=500` (`<=`, `>=`, `<`, `>`; repeatable).
    /// Infeasible configs get no rank; the report names what they break.
    #[arg(long = "constraint", short = 'c', value_name = "METRIC<=VALUE")]
    pub(crate) constraints: Vec<Constraint>,
    /// Hypervolume reference point, one value per objective in its own units:
    /// `NAME=VALUE,NAME=VALUE,...`.
    #[arg(long, value_name = "NAME=VALUE,...")]
    pub(crate) reference: Option<String>,
    /// At most N ids in each config's `dominated_by` (the closest first), or `all`;
    /// `dominated_by_count` always counts them all.
    #[arg(long, value_name = "N|all", default_value = "5")]
    pub(crate) dominated_by_limit: perfstat_pareto::DominatedByLimit,
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

pub(crate) fn run(args: &ParetoArgs) -> anyhow::Result<bool> {
    output::check_out(&args.output, [&args.file])?;
    args.gate.gate("pareto", None)?;
    let (input, confidence) = (&args.input, args.confidence.confidence);
    if input.by.is_some() {
        bail!("--by is not used by pareto: a sample file's requests are pooled into one statistic");
    }
    if input.warmup.is_some() {
        bail!("--warmup is not supported by pareto: trim the sample files first");
    }
    // Objectives and constraints name numeric fields; sample files are read as the Input flags say.
    let read = ReadOptions {
        id_field: args.id.clone(),
        objectives: args.objectives.clone(),
        constraints: args.constraints.clone(),
        confidence,
        samples: super::read_options(input, false),
    };
    let reference = args.reference.as_deref().map(parse_reference);
    let reference = reference.transpose().context("--reference")?;
    let options = Options {
        constraints: args.constraints.clone(),
        reference: None,
        confidence,
        dominated_by_limit: args.dominated_by_limit.0,
    };
    let note = &mut |n: String| output::note(&n);
    let run = build::pareto(&args.file, &read, reference.as_deref(), options, note);
    let run = run.map_err(|e| match e {
        ParetoError::Read(e) => e.into(),
        ParetoError::NoObjectives { source_name } => anyhow::anyhow!(
            "{source_name}: no objectives: give --objective NAME:min|max (repeatable) or an \
             \"objectives\" list in the file"
        ),
        e => e.into(),
    });
    let run = run?;
    output::emit(&args.output, "pareto", &run)?;
    std::mem::forget(run); // The process exits next: freeing a million configs took 0.15 s.
    Ok(false)
}

//! One module per subcommand: turn arguments into library calls and render.

pub(crate) mod ab;
pub(crate) mod capacity;
pub(crate) mod describe;
pub(crate) mod pareto;
pub(crate) mod regress;

use std::path::Path;

use anyhow::Context as _;
use perfstat_ingest::{Dataset, ReadOptions};

use crate::args::InputArgs;

/// Reads every file with the same options, checking that they agree on the metric.
pub(crate) fn read_inputs(
    files: &[impl AsRef<Path>],
    input: &InputArgs,
) -> anyhow::Result<Vec<Dataset>> {
    let opts = ReadOptions {
        metric: input.metric.clone(),
        by: input.by.clone(),
        skip_invalid: input.skip_invalid,
        format: input.input_format,
        include_failures: input.include_failures,
        unit: input.unit,
        ..ReadOptions::default()
    };
    let mut out: Vec<Dataset> = Vec::with_capacity(files.len());
    for file in files {
        let file = file.as_ref();
        let ds = perfstat_ingest::read_path(file, &opts)?;
        if let Some(first) = out.first()
            && first.metric != ds.metric
        {
            anyhow::bail!(
                "{} and {} have different value columns ({:?} and {:?}): pass --metric NAME",
                first.source,
                ds.source,
                first.metric,
                ds.metric
            );
        }
        if ds.skipped > 0 {
            crate::output::note(&format!(
                "note: {}: skipped {} invalid row{} of {}",
                ds.source,
                ds.skipped,
                if ds.skipped == 1 { "" } else { "s" },
                ds.rows
            ));
        }
        if let Some(r) = &ds.requests {
            let failures = if r.failed == 0 {
                "no failures".to_owned()
            } else if r.failures_included {
                format!("{} failed, included (--include-failures)", r.failed)
            } else {
                format!(
                    "{} failed, excluded from the statistics (--include-failures keeps them)",
                    r.failed
                )
            };
            crate::output::note(&format!(
                "note: {}: read as {} ({}): {} requests, {failures}",
                ds.source,
                ds.format.description(),
                ds.format,
                r.total
            ));
        } else if ds.format.is_tool() {
            crate::output::note(&format!(
                "note: {}: read as {} ({}), aggregates only: column {:?} as a time series",
                ds.source,
                ds.format.description(),
                ds.format,
                ds.metric
            ));
        }
        out.push(ds);
    }
    Ok(out)
}

/// Turns one group of values into a sample, naming the source in errors.
pub(crate) fn sample(source: &str, values: Vec<f64>) -> anyhow::Result<perfstat_stats::Sample> {
    perfstat_stats::Sample::new(values).with_context(|| format!("{source}: no usable values"))
}

/// A hint to print after an error, when there is an obvious next step.
pub(crate) fn hint(err: &anyhow::Error) -> Option<String> {
    let e = err.downcast_ref::<perfstat_ingest::Error>()?;
    perfstat_ingest_hint(e)
}

fn perfstat_ingest_hint(e: &perfstat_ingest::Error) -> Option<String> {
    use perfstat_ingest::ErrorKind;
    match e.kind() {
        ErrorKind::InvalidNumber { .. }
        | ErrorKind::NonFinite { .. }
        | ErrorKind::FieldCount { .. } => {
            Some("pass --skip-invalid to skip such rows (the count is reported)".to_owned())
        }
        ErrorKind::NotFormat { .. } => Some(
            "check the file, or pass --input-format NAME to read it as another format".to_owned(),
        ),
        _ => None,
    }
}

//! One module per subcommand: turn arguments into library calls and render.

pub(crate) mod ab;
pub(crate) mod capacity;
pub(crate) mod describe;
pub(crate) mod pareto;
pub(crate) mod regress;

use std::path::Path;

use perfstat_ingest::{Dataset, ReadOptions, WarmupCut, WarmupError};
use perfstat_report::build::ReadInput;
use perfstat_stats::warmup::WarmupSpec;

use crate::args::InputArgs;

/// Reads every file with the same options, checking that they agree on the metric, and drops the
/// warm-up (`--warmup`).
pub(crate) fn read_inputs(
    files: &[impl AsRef<Path>],
    input: &InputArgs,
) -> anyhow::Result<Vec<Dataset>> {
    Ok(read_inputs_with(files, input, false)?
        .into_iter()
        .map(|r| r.data)
        .collect())
}

/// The reader's options from the Input flags.
pub(crate) fn read_options(input: &InputArgs, keep_records: bool) -> ReadOptions {
    ReadOptions {
        metric: input.metric.clone(),
        by: input.by.clone(),
        skip_invalid: input.skip_invalid,
        format: input.input_format,
        include_failures: input.include_failures,
        unit: input.unit,
        keep_records,
        ..ReadOptions::default()
    }
}

/// [`read_inputs`], keeping per-request records (timestamps, for a throughput timeline) when
/// `keep_records`, and saying what the warm-up removal did.
pub(crate) fn read_inputs_with(
    files: &[impl AsRef<Path>],
    input: &InputArgs,
    keep_records: bool,
) -> anyhow::Result<Vec<ReadInput>> {
    let opts = read_options(input, keep_records || input.warmup.is_some());
    let mut out: Vec<ReadInput> = Vec::with_capacity(files.len());
    for file in files {
        let file = file.as_ref();
        let mut ds = perfstat_ingest::read_path(file, &opts)?;
        if let Some(first) = out.first().map(|r| &r.data)
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
        let warmup = match input.warmup {
            Some(spec) => Some(drop_warmup(&mut ds, spec, &opts)?),
            None => None,
        };
        if !keep_records {
            ds.records = None;
        }
        out.push(ReadInput { data: ds, warmup });
    }
    Ok(out)
}

/// A hint to print after an error, when there is an obvious next step.
pub(crate) fn hint(err: &anyhow::Error) -> Option<String> {
    let e = err
        .chain()
        .find_map(|e| e.downcast_ref::<perfstat_ingest::Error>())?;
    perfstat_ingest_hint(e)
}

/// The CLI's advice for an ingest error, keyed on its kind: the library's messages name no flag.
fn perfstat_ingest_hint(e: &perfstat_ingest::Error) -> Option<String> {
    use perfstat_ingest::{ErrorKind, InputFormat};
    let hint = match e.kind() {
        ErrorKind::InvalidNumber { .. }
        | ErrorKind::NonFinite { .. }
        | ErrorKind::Overflow { .. }
        | ErrorKind::FieldCount { .. } => {
            "pass --skip-invalid to skip such rows (the count is reported)"
        }
        _ if e.is_skippable() => "pass --skip-invalid to skip such rows (the count is reported)",
        ErrorKind::NotFormat { .. } => {
            "check the file, or pass --input-format NAME to read it as another format"
        }
        ErrorKind::SeveralNumeric { .. } => "pass --metric NAME to choose one",
        ErrorKind::NoNumeric { .. } => "pass --metric NAME to name the metric column",
        ErrorKind::AllFailed { .. } => "pass --include-failures to keep failed requests",
        ErrorKind::AggregateOnly {
            format: InputFormat::LocustHistory,
            ..
        } => "pass --metric COLUMN to read one column as a time series",
        _ => return None,
    };
    Some(hint.to_owned())
}

/// Drops the warm-up (`--warmup`) from `ds` and notes what was dropped.
fn drop_warmup(
    ds: &mut Dataset,
    spec: WarmupSpec,
    opts: &ReadOptions,
) -> anyhow::Result<WarmupCut> {
    let cut = ds
        .drop_warmup(spec, opts)
        .map_err(|e| warmup_error(e, spec))?;
    let at = cut
        .cut_at_s
        .map(|s| format!(", the first {} s", perfstat_report::fmt::sig(s, 4)))
        .unwrap_or_default();
    crate::output::note(&format!(
        "note: {}: warm-up ({}{}): dropped {} {}{at}{}",
        ds.source,
        cut.method,
        if let WarmupSpec::Duration { .. } | WarmupSpec::Count(_) = spec {
            format!(" {spec}")
        } else {
            String::new()
        },
        cut.dropped,
        if ds.requests.is_some() {
            "requests"
        } else {
            "values"
        },
        if cut.at_limit {
            " — the cut is at the end of the first half searched: the run may not have settled"
        } else {
            ""
        }
    ));
    Ok(cut)
}

/// A warm-up error in the terms of the command line.
fn warmup_error(e: WarmupError, spec: WarmupSpec) -> anyhow::Error {
    match e {
        WarmupError::NeedsTimestamps { input, format, .. } => anyhow::anyhow!(
            "{input}: --warmup {spec} needs request timestamps, and this input ({format}) has none; \
             pass a count (--warmup 500) or --warmup auto"
        ),
        WarmupError::Mser { group, error } => {
            anyhow::Error::new(error).context(format!("{group}: --warmup auto"))
        }
        WarmupError::DropsAllValues { group, values, .. } => {
            anyhow::anyhow!("{group}: --warmup {spec} drops all {values} values")
        }
        WarmupError::DropsAllRequests {
            input,
            read,
            failures_included,
            ..
        } => anyhow::anyhow!(
            "{input}: --warmup {spec} drops every request{} ({read} read)",
            if failures_included {
                ""
            } else {
                " that succeeded"
            }
        ),
        WarmupError::SeveralValues { input, metric } => anyhow::anyhow!(
            "{input}: --warmup is not supported for the metric {metric:?}: a request has several values"
        ),
        WarmupError::UnsupportedBy { input, by } => anyhow::anyhow!(
            "{input}: --warmup with --by {by} is not supported: group by label or status"
        ),
        e => e.into(),
    }
}

/// Whether `--fail-on slo` (`slo-uncertain`) trips on these results.
pub(crate) fn slo_gate(
    gate: &crate::gate::Gate,
    results: &[perfstat_stats::slo::SloResult],
) -> bool {
    use crate::gate::Condition;
    use perfstat_stats::slo::SloStatus;
    results.iter().any(|r| match r.status {
        SloStatus::Fail => gate.on(Condition::Slo),
        SloStatus::Uncertain => gate.on(Condition::SloUncertain),
        SloStatus::Pass => false,
    })
}

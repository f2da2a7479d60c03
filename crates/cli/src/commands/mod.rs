//! One module per subcommand: turn arguments into library calls and render.

pub(crate) mod ab;
pub(crate) mod capacity;
pub(crate) mod describe;
pub(crate) mod pareto;
pub(crate) mod regress;

use std::path::Path;

use perfstat_ingest::{ReadOptions, WarmupError};
use perfstat_report::build::read::{Note, ReadError};
use perfstat_report::build::{self, ReadInput};

use crate::output::note;

use crate::args::InputArgs;

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

/// Reads every file with the same options, checking that they agree on the metric, and drops the
/// warm-up (`--warmup`, saying what it did); keeps per-request records (timestamps, for a
/// throughput timeline) when `keep_records`.
pub(crate) fn read_inputs_with(
    files: &[impl AsRef<Path>],
    input: &InputArgs,
    keep_records: bool,
) -> anyhow::Result<Vec<ReadInput>> {
    let opts = read_options(input, keep_records || input.warmup.is_some());
    build::read::read_inputs(files, &opts, input.warmup, keep_records, &mut read_note)
        .map_err(read_error)
}

/// A reading note, with the flag that changes what was done.
pub(crate) fn read_note(n: Note) {
    match n {
        Note::Failures {
            text,
            included: true,
        } => note(&format!("{text} (--include-failures)")),
        Note::Failures { text, .. } => note(&format!("{text} (--include-failures keeps them)")),
        Note::MetricChosen(text) => note(&format!("{text}; --metric NAME picks another")),
        Note::Text(text) => note(&text),
    }
}

/// A reading error, with the flag that fixes it.
pub(crate) fn read_error(e: ReadError) -> anyhow::Error {
    match e {
        ReadError::Ingest(e) => e.into(),
        ReadError::Warmup { error, .. } => error.into(),
        e @ ReadError::DifferentMetrics { .. } => anyhow::anyhow!("{e}: pass --metric NAME"),
        e => e.into(),
    }
}

/// A hint to print after an error, when there is an obvious next step.
pub(crate) fn hint(err: &anyhow::Error) -> Option<String> {
    // The ingest error may be the cause of another crate's error (a pareto sample file, a
    // capacity run): the hint is the same.
    err.chain()
        .find_map(|e| match e.downcast_ref::<WarmupError>() {
            Some(WarmupError::NeedsTimestamps { .. }) => {
                Some("pass a count (--warmup 500) or --warmup auto".to_owned())
            }
            _ => perfstat_ingest_hint(e.downcast_ref::<perfstat_ingest::Error>()?),
        })
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
        ErrorKind::SeveralNumeric { .. } | ErrorKind::NoNumeric { .. } => {
            return Some(format!(
                "pass --metric NAME to choose the column, or --input-format FORMAT if this is a tool's \
                 output ({})",
                InputFormat::ALL.map(InputFormat::name).join(", ")
            ));
        }
        ErrorKind::AllFailed { .. } => "pass --include-failures to keep failed requests",
        ErrorKind::AggregateOnly {
            format: InputFormat::LocustHistory | InputFormat::LocustStats,
            ..
        } => "pass --metric COLUMN to read one column as a time series",
        _ => return None,
    };
    Some(hint.to_owned())
}

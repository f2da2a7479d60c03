//! `perfstat describe`.

use perfstat_report::build::{self, DescribeOptions};

use crate::Outcome;
use crate::args::DescribeArgs;
use crate::commands::{read_inputs_with, slo_gate};
use crate::gate::Condition::{Slo, SloUncertain};
use crate::output;

pub(crate) fn run(args: &DescribeArgs) -> anyhow::Result<Outcome> {
    let gate = args
        .gate
        .gate("describe", &[Slo, SloUncertain], &[], Some(&args.slo))?;
    let options = DescribeOptions {
        confidence: args.confidence.confidence,
        slos: args.slo.slo.clone(),
        bucket: args.timeline.bucket.map(perfstat_ingest::Bucket::seconds),
    };
    // The throughput timeline (asked for with --bucket) needs the requests' start times.
    let inputs = read_inputs_with(&args.files, &args.input, options.bucket.is_some())?;
    let report = build::describe(inputs, &options)?;
    output::emit(
        &args.output,
        "describe",
        &report.to_json(),
        || report.table(),
        || report.markdown(),
        |_| Ok(report.markdown()),
    )?;
    Ok(Outcome::from(
        report.slos.iter().any(|r| slo_gate(&gate, r)),
    ))
}

//! `perfstat describe`.

use perfstat_report::build::{self, DescribeOptions};

use crate::args::DescribeArgs;
use crate::commands::read_inputs_with;
use crate::output;
use perfstat_report::gate::Condition::{Slo, SloUncertain};

pub(crate) fn run(args: &DescribeArgs) -> anyhow::Result<bool> {
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
    output::emit(&args.output, "describe", &report)?;
    Ok(gate.describe(&report))
}

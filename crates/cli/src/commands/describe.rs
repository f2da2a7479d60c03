//! `perfstat describe`.

use perfstat_report::build::{self, DescribeOptions};

use crate::args::DescribeArgs;
use crate::commands::read_inputs_with;
use crate::output;

pub(crate) fn run(args: &DescribeArgs) -> anyhow::Result<bool> {
    output::check_out(&args.output, &args.files)?;
    let gate = args.gate.gate("describe", Some(&args.slo))?;
    let options = DescribeOptions {
        confidence: args.confidence.confidence,
        slos: args.slo.slo.clone(),
        bucket: args.bucket.map(perfstat_ingest::Bucket::seconds),
    };
    // The throughput timeline (asked for with --bucket) needs the requests' start times.
    let inputs = read_inputs_with(&args.files, &args.input, options.bucket.is_some())?;
    let report = build::describe(inputs, &options)?;
    output::emit(&args.output, "describe", &report)?;
    Ok(gate.describe(&report))
}

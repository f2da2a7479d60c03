//! `perfstat describe`.

use anyhow::Context as _;
use perfstat_report::OutDir;
use perfstat_report::describe::DescribeReport;
use perfstat_report::fmt::unit_from_name;
use perfstat_report::json::{InputDoc, TimelineDoc};
use perfstat_stats::describe;

use crate::Outcome;
use crate::args::{Bucket, DescribeArgs};
use crate::commands::{evaluate_slos, read_inputs_with, sample, slo_gate};
use crate::output;

pub(crate) fn run(args: &DescribeArgs) -> anyhow::Result<Outcome> {
    use crate::gate::Condition::{Slo, SloUncertain};
    let gate = args
        .gate
        .gate("describe", &[Slo, SloUncertain], &[], Some(&args.slo))?;
    let confidence = args.confidence.get()?;
    // The throughput timeline (asked for with --bucket) needs the requests' start times.
    let inputs_read = read_inputs_with(&args.files, &args.input, args.timeline.bucket.is_some())?;
    let metric = inputs_read
        .first()
        .map(|d| d.data.metric.clone())
        .unwrap_or_default();
    let unit = inputs_read
        .first()
        .and_then(|d| d.data.unit)
        .or_else(|| unit_from_name(&metric));
    let several_files = inputs_read.len() > 1;
    let mut inputs = Vec::with_capacity(inputs_read.len());
    let mut samples = Vec::new();
    let mut slos = Vec::new();
    for read in inputs_read {
        let ds = read.data;
        let mut doc = InputDoc::new(&ds, read.warmup.as_ref(), confidence);
        let width = match args.timeline.bucket {
            Some(Bucket::Seconds(s)) => Some(s),
            _ => None,
        };
        doc.throughput_timeline = ds.throughput_timeline(width).map(TimelineDoc::from);
        inputs.push(doc);
        for group in ds.groups {
            let source = match (&group.label, several_files) {
                (None, _) => ds.source.clone(),
                (Some(label), false) => label.clone(),
                (Some(label), true) => format!("{} · {label}", ds.source),
            };
            let s = sample(&source, group.values)?;
            slos.push(
                evaluate_slos(&args.slo.slo, &s, ds.requests.as_ref(), confidence)
                    .with_context(|| format!("--slo on {source}"))?,
            );
            samples.push((source, describe(&s, confidence)));
        }
    }
    let report = DescribeReport {
        unit: unit.map(str::to_owned),
        metric,
        confidence: confidence.level(),
        inputs,
        samples,
        slos,
    };
    let json = output::json_doc(&report.to_json())?;
    if let Some(dir) = &args.output.out {
        output::finish_report(OutDir::create(dir)?, "describe", &report.markdown(), &json)?;
    }
    output::print_result(
        args.output.format,
        || report.table(),
        &json,
        || report.markdown(),
    )?;
    let failed = report.slos.iter().any(|r| slo_gate(&gate, r));
    Ok(if failed {
        Outcome::Finding
    } else {
        Outcome::Success
    })
}

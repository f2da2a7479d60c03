//! `perfstat describe`.

use anyhow::Context as _;
use perfstat_report::OutDir;
use perfstat_report::describe::DescribeReport;
use perfstat_report::fmt::unit_from_name;
use perfstat_report::json::{FailureDoc, InputDoc, RateDoc};
use perfstat_stats::proportion::wilson_interval;
use perfstat_stats::{Confidence, describe};

use crate::Outcome;
use crate::args::{DescribeArgs, Format};
use crate::commands::{read_inputs, sample};
use crate::output;

pub(crate) fn run(args: &DescribeArgs) -> anyhow::Result<Outcome> {
    let confidence = Confidence::new(args.confidence)?;
    let datasets = read_inputs(&args.files, &args.input)?;
    let metric = datasets
        .first()
        .map(|d| d.metric.clone())
        .unwrap_or_default();
    let unit = datasets
        .first()
        .and_then(|d| d.unit)
        .or_else(|| unit_from_name(&metric));
    let several_files = datasets.len() > 1;
    let mut inputs = Vec::with_capacity(datasets.len());
    let mut samples = Vec::new();
    for ds in datasets {
        inputs.push(input_doc(&ds, confidence.level()));
        for group in ds.groups {
            let source = match (&group.label, several_files) {
                (None, _) => ds.source.clone(),
                (Some(label), false) => label.clone(),
                (Some(label), true) => format!("{} · {label}", ds.source),
            };
            let s = sample(&source, group.values)?;
            samples.push((source, describe(&s, confidence)));
        }
    }
    let report = DescribeReport {
        unit: unit.map(str::to_owned),
        metric,
        confidence: confidence.level(),
        inputs,
        samples,
    };
    let json = || {
        serde_json::to_string_pretty(&report.to_json()).context("cannot serialise the JSON output")
    };
    if let Some(dir) = &args.output.out {
        let out = OutDir::create(dir)?;
        out.write(
            "report.md",
            format!("# perfstat describe\n\n{}", report.markdown()),
        )?;
        out.write("describe.json", json()? + "\n")?;
        let path = out.commit()?;
        output::note(&format!("wrote {}", path.join("report.md").display()));
    }
    match args.output.format {
        Format::Table => output::stdout(&report.table())?,
        Format::Json => output::stdout(&json()?)?,
        Format::Markdown => output::stdout(&report.markdown())?,
    }
    Ok(Outcome::Success)
}

/// What was read from one file, with the load-test accounting when the format has it.
fn input_doc(ds: &perfstat_ingest::Dataset, confidence: f64) -> InputDoc {
    let mut doc = InputDoc {
        path: ds.source.clone(),
        rows: ds.rows,
        skipped: ds.skipped,
        ..InputDoc::default()
    };
    if ds.format.is_tool() {
        doc.format = Some(ds.format.name().to_owned());
    }
    doc.unit = ds.unit.map(str::to_owned);
    if let Some(r) = &ds.requests {
        doc.requests = Some(r.total);
        doc.failures = Some(r.failed);
        doc.failures_included = Some(r.failures_included);
        doc.failures_by = Some(
            r.failures
                .iter()
                .map(|(kind, count)| FailureDoc {
                    kind: kind.clone(),
                    count: *count,
                })
                .collect(),
        );
        doc.error_rate = r.error_rate().and_then(|value| {
            let (lower, upper) = wilson_interval(r.failed, r.total, confidence)?;
            Some(RateDoc {
                value,
                lower,
                upper,
            })
        });
        doc.throughput_rps = r.throughput_rps();
    }
    doc
}

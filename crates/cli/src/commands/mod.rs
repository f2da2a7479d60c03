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

/// One input read: the dataset, and what `--warmup` dropped from it.
pub(crate) struct ReadInput {
    /// The dataset after the warm-up was dropped.
    pub(crate) data: Dataset,
    /// What the warm-up removal did (with `--warmup`).
    pub(crate) warmup: Option<WarmupInfo>,
}

/// [`read_inputs`], keeping per-request records (timestamps, for a throughput timeline) when
/// `keep_records`, and saying what the warm-up removal did.
pub(crate) fn read_inputs_with(
    files: &[impl AsRef<Path>],
    input: &InputArgs,
    keep_records: bool,
) -> anyhow::Result<Vec<ReadInput>> {
    let opts = ReadOptions {
        metric: input.metric.clone(),
        by: input.by.clone(),
        skip_invalid: input.skip_invalid,
        format: input.input_format,
        include_failures: input.include_failures,
        unit: input.unit,
        keep_records: keep_records || input.warmup.is_some(),
        ..ReadOptions::default()
    };
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
            Some(spec) => Some(drop_warmup(&mut ds, spec, input)?),
            None => None,
        };
        if !keep_records {
            ds.records = None;
        }
        out.push(ReadInput { data: ds, warmup });
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

/// What `--warmup` dropped from one input.
#[derive(Clone, Debug)]
pub(crate) struct WarmupInfo {
    /// `time`, `count` or `mser-5`.
    pub(crate) method: &'static str,
    /// Requests (values, for a generic input) dropped.
    pub(crate) dropped: u64,
    /// Seconds from the run's first request start to the first request kept; `None` without timestamps.
    pub(crate) cut_at_s: Option<f64>,
    /// MSER-5's minimum was at the end of the searched half: the run may not have settled.
    pub(crate) at_limit: bool,
}

impl WarmupInfo {
    fn doc(&self) -> perfstat_report::json::WarmupDoc {
        perfstat_report::json::WarmupDoc {
            method: self.method.to_owned(),
            dropped: self.dropped,
            cut_at: self.cut_at_s,
            unsettled: self.at_limit,
        }
    }
}

/// Drops the start of a run (`--warmup`): requests started in the first seconds, the first N requests,
/// or the transient MSER-5 detects on the latencies in time order. A tool's format is rebuilt from its
/// per-request records (groups, request counts, failures, time span); a generic input loses the first
/// values of each group (file order).
fn drop_warmup(
    ds: &mut Dataset,
    spec: perfstat_stats::warmup::WarmupSpec,
    input: &InputArgs,
) -> anyhow::Result<WarmupInfo> {
    use perfstat_stats::warmup::{WarmupSpec, mser5};
    let method = spec.method();
    let info = match ds.records.take() {
        Some(records) if ds.requests.is_some() => drop_warmup_records(ds, records, spec, input)?,
        records => {
            ds.records = records;
            if let WarmupSpec::Duration { .. } = spec {
                anyhow::bail!(
                    "{}: --warmup {spec} needs request timestamps, and this input ({}) has none; \
                     pass a count (--warmup 500) or --warmup auto",
                    ds.source,
                    ds.format
                );
            }
            let mut dropped = 0u64;
            let mut at_limit = false;
            for g in &mut ds.groups {
                let cut = match spec {
                    WarmupSpec::Count(n) => usize::try_from(n).unwrap_or(usize::MAX),
                    _ => {
                        let m = mser5(&g.values).with_context(|| {
                            format!(
                                "{}: --warmup auto",
                                group_name(&ds.source, g.label.as_deref())
                            )
                        })?;
                        at_limit |= m.at_limit;
                        m.truncate
                    }
                };
                if cut >= g.values.len() {
                    anyhow::bail!(
                        "{}: --warmup {spec} drops all {} values",
                        group_name(&ds.source, g.label.as_deref()),
                        g.values.len()
                    );
                }
                g.values.drain(..cut);
                dropped += cut as u64;
            }
            WarmupInfo {
                method,
                dropped,
                cut_at_s: None,
                at_limit,
            }
        }
    };
    let cut = info
        .cut_at_s
        .map(|s| format!(", the first {} s", perfstat_report::fmt::sig(s, 4)))
        .unwrap_or_default();
    crate::output::note(&format!(
        "note: {}: warm-up ({method}{}): dropped {} {}{cut}{}",
        ds.source,
        if let WarmupSpec::Duration { .. } | WarmupSpec::Count(_) = spec {
            format!(" {spec}")
        } else {
            String::new()
        },
        info.dropped,
        if ds.requests.is_some() {
            "requests"
        } else {
            "values"
        },
        if info.at_limit {
            " — the cut is at the end of the first half searched: the run may not have settled"
        } else {
            ""
        }
    ));
    Ok(info)
}

fn group_name(source: &str, label: Option<&str>) -> String {
    match label {
        Some(l) => format!("{source} · {l}"),
        None => source.to_owned(),
    }
}

/// [`drop_warmup`] for a tool's format, from its per-request records.
fn drop_warmup_records(
    ds: &mut Dataset,
    records: perfstat_ingest::Records,
    spec: perfstat_stats::warmup::WarmupSpec,
    input: &InputArgs,
) -> anyhow::Result<WarmupInfo> {
    use perfstat_ingest::{Group, Records};
    use perfstat_stats::warmup::{WarmupSpec, mser5};
    let n = records.len();
    let kept_in_stats = |i: usize| records.success[i] || input.include_failures;
    let kept_values = (0..n).filter(|&i| kept_in_stats(i)).count();
    if kept_values != ds.len() {
        anyhow::bail!(
            "{}: --warmup is not supported for the metric {:?}: a request has several values",
            ds.source,
            ds.metric
        );
    }
    let timed = n > 0 && records.timestamp_ms.iter().all(|t| t.is_finite());
    // Requests in time order (by start; input order without timestamps).
    let mut order: Vec<usize> = (0..n).collect();
    if timed {
        order.sort_by(|&a, &b| records.timestamp_ms[a].total_cmp(&records.timestamp_ms[b]));
    }
    let run_start = order.first().map(|&i| records.timestamp_ms[i]);
    // `first`: the position in `order` of the first request kept.
    let (first, at_limit) = match spec {
        WarmupSpec::Duration { seconds } => {
            let Some(start) = run_start.filter(|_| timed) else {
                anyhow::bail!(
                    "{}: --warmup {spec} needs request timestamps, and this input ({}) has none; \
                     pass a count (--warmup 500) or --warmup auto",
                    ds.source,
                    ds.format
                );
            };
            let cut = start + seconds * 1000.0;
            (
                order.partition_point(|&i| records.timestamp_ms[i] < cut),
                false,
            )
        }
        WarmupSpec::Count(k) => (usize::try_from(k).unwrap_or(usize::MAX).min(n), false),
        WarmupSpec::Auto => {
            let positions: Vec<usize> = (0..n).filter(|&p| kept_in_stats(order[p])).collect();
            let series: Vec<f64> = positions
                .iter()
                .map(|&p| records.latency_ms[order[p]])
                .collect();
            let m = mser5(&series).with_context(|| format!("{}: --warmup auto", ds.source))?;
            let first = if m.truncate == 0 {
                0
            } else {
                positions.get(m.truncate).copied().unwrap_or(n)
            };
            (first, m.at_limit)
        }
    };
    let keep: Vec<usize> = {
        let mut k: Vec<usize> = order[first..].to_vec();
        k.sort_unstable();
        k
    };
    if !keep.iter().any(|&i| kept_in_stats(i)) {
        anyhow::bail!(
            "{}: --warmup {spec} drops every request{} ({n} read)",
            ds.source,
            if input.include_failures {
                ""
            } else {
                " that succeeded"
            }
        );
    }
    let cut_at_s = match (run_start, timed) {
        (Some(start), true) => Some(match spec {
            WarmupSpec::Duration { seconds } => seconds,
            _ => order
                .get(first)
                .map_or(0.0, |&i| (records.timestamp_ms[i] - start) / 1000.0),
        }),
        _ => None,
    };
    // Regroup the kept requests as the reader grouped them.
    let single = ds.groups.len() == 1 && ds.groups[0].label.is_none();
    let by = input.by.as_deref().unwrap_or_default();
    let key = |i: usize| -> Option<String> {
        if single {
            None
        } else if by.eq_ignore_ascii_case("status") {
            Some(records.status[i].to_string())
        } else {
            records
                .labels
                .get(records.label[i] as usize)
                .map(|l| l.trim().to_owned())
        }
    };
    if !single && !by.eq_ignore_ascii_case("label") && !by.eq_ignore_ascii_case("status") {
        anyhow::bail!(
            "{}: --warmup with --by {by} is not supported: group by label or status",
            ds.source
        );
    }
    let mut groups: Vec<Group> = Vec::new();
    let mut failures: Vec<(String, u64)> = Vec::new();
    let old = ds.requests.take().unwrap_or_default();
    let other_kinds: Vec<&String> = old
        .failures
        .iter()
        .map(|(k, _)| k)
        .filter(|k| !k.starts_with("HTTP "))
        .collect();
    let mut out = Records {
        labels: records.labels.clone(),
        ..Records::default()
    };
    let (mut start_ms, mut end_ms) = (f64::INFINITY, f64::NEG_INFINITY);
    let mut failed = 0u64;
    for &i in &keep {
        let ok = records.success[i];
        if kept_in_stats(i) {
            let label = key(i);
            let v = records.latency_ms[i];
            match groups.iter_mut().find(|g| g.label == label) {
                Some(g) => g.values.push(v),
                None => groups.push(Group {
                    label,
                    values: vec![v],
                }),
            }
        }
        if !ok {
            failed += 1;
            let status = records.status[i];
            let kind = if status >= 400 {
                format!("HTTP {status}")
            } else if let [only] = other_kinds.as_slice() {
                (*only).clone()
            } else {
                "failed".to_owned()
            };
            match failures.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, c)) => *c += 1,
                None => failures.push((kind, 1)),
            }
        }
        let t = records.timestamp_ms[i];
        if t.is_finite() {
            start_ms = start_ms.min(t);
            end_ms = end_ms.max(t + records.latency_ms[i].max(0.0));
        }
        out.latency_ms.push(records.latency_ms[i]);
        out.timestamp_ms.push(t);
        out.label.push(records.label[i]);
        out.success.push(ok);
        out.status.push(records.status[i]);
        out.bytes.push(records.bytes[i]);
    }
    failures.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let dropped = (n - keep.len()) as u64;
    ds.groups = groups;
    ds.requests = Some(perfstat_ingest::Requests {
        total: keep.len() as u64,
        failed,
        failures,
        start_ms: timed.then_some(start_ms),
        end_ms: timed.then_some(end_ms),
        ..old
    });
    ds.records = Some(out);
    Ok(WarmupInfo {
        method: spec.method(),
        dropped,
        cut_at_s,
        at_limit,
    })
}

/// What was read from one file, with the load-test accounting when the format has it, and what the
/// warm-up removal dropped.
pub(crate) fn input_doc(
    ds: &Dataset,
    warmup: Option<&WarmupInfo>,
    confidence: f64,
) -> perfstat_report::json::InputDoc {
    use perfstat_report::json::{FailureDoc, InputDoc, RateDoc};
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
            let (lower, upper) =
                perfstat_stats::proportion::wilson_interval(r.failed, r.total, confidence)?;
            Some(RateDoc {
                value,
                lower,
                upper,
            })
        });
        doc.throughput_rps = r.throughput_rps();
    }
    doc.warmup = warmup.map(WarmupInfo::doc);
    doc
}

/// Judges the `--slo` objectives on one sample of `ds` (error rate and throughput are the input's).
pub(crate) fn evaluate_slos(
    objectives: &[perfstat_stats::slo::Objective],
    sample: &perfstat_stats::Sample,
    ds_requests: Option<&perfstat_ingest::Requests>,
    confidence: perfstat_stats::Confidence,
) -> anyhow::Result<Vec<perfstat_stats::slo::SloResult>> {
    use perfstat_stats::slo::{SloData, evaluate};
    let data = SloData {
        sample: Some(sample),
        requests: ds_requests.map(|r| (r.failed, r.total)),
        span: ds_requests.and_then(|r| r.duration_s().map(|d| (r.total, d))),
    };
    objectives
        .iter()
        .map(|o| evaluate(o, &data, confidence).map_err(anyhow::Error::from))
        .collect()
}

/// Whether `--fail-on-slo` (`--fail-on-slo-uncertain`) trips on these results.
pub(crate) fn slo_gate(
    args: &crate::args::SloArgs,
    results: &[perfstat_stats::slo::SloResult],
) -> bool {
    use perfstat_stats::slo::SloStatus;
    results.iter().any(|r| match r.status {
        SloStatus::Fail => args.fail_on_slo || args.fail_on_slo_uncertain,
        SloStatus::Uncertain => args.fail_on_slo_uncertain,
        SloStatus::Pass => false,
    })
}

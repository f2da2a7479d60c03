//! [`InputDoc`] from what was read ([`perfstat_ingest::Dataset`]).

use std::collections::BTreeMap;

use perfstat_ingest::{Dataset, Timeline, WarmupCut};
use perfstat_stats::Confidence;
use perfstat_stats::proportion::wilson_interval;

use crate::json::{FailureDoc, InputDoc, RateDoc, ThroughputRangeDoc, TimelineDoc, WarmupDoc};

impl InputDoc {
    /// What was read from `ds`, with the load-test accounting when the format has it (the error rate
    /// with a Wilson score interval at `confidence`), and what the warm-up removal dropped. The
    /// throughput timeline is left out (set [`InputDoc::throughput_timeline`] from
    /// [`Dataset::throughput_timeline`]).
    #[must_use]
    pub fn new(ds: &Dataset, warmup: Option<&WarmupCut>, confidence: Confidence) -> Self {
        let mut doc = InputDoc {
            path: ds.source.clone(),
            rows: ds.rows,
            skipped: ds.skipped,
            format: ds.format.is_tool().then(|| ds.format.name().to_owned()),
            unit: ds.unit.map(str::to_owned),
            warmup: warmup.map(WarmupDoc::from),
            ..InputDoc::default()
        };
        if let Some(r) = &ds.requests {
            doc.requests = Some(r.total);
            doc.failures = r.failed_if_known();
            if let Some(why) = &r.failures_unknown {
                doc.reasons.insert("failures", why.clone());
                doc.reasons.insert("error_rate", why.clone());
            }
            if let (Some(step), Some((lower, upper))) =
                (r.start_resolution_ms, r.throughput_range())
            {
                doc.throughput_range = Some(ThroughputRangeDoc { lower, upper });
                doc.reasons.insert(
                    "throughput_rps",
                    format!(
                        "start times have a resolution of {} ms, so the span is known to ± that and the \
                         throughput only to within throughput_range",
                        crate::fmt::sig(step, 4)
                    ),
                );
                if upper.is_none() {
                    doc.reasons.insert(
                        "throughput_range.upper",
                        "the span is not longer than the start times' resolution: no upper bound"
                            .to_owned(),
                    );
                }
            }
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
                let (lower, upper) = wilson_interval(r.failed, r.total, confidence.level())?;
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
}

impl From<&WarmupCut> for WarmupDoc {
    fn from(w: &WarmupCut) -> Self {
        WarmupDoc {
            method: w.method.to_owned(),
            dropped: w.dropped,
            cut_at: w.cut_at_s,
            unsettled: w.at_limit,
            reasons: if w.cut_at_s.is_none() {
                BTreeMap::from([(
                    "cut_at",
                    "the input has no request timestamps: the cut has no time".to_owned(),
                )])
            } else {
                BTreeMap::new()
            },
        }
    }
}

impl From<Timeline> for TimelineDoc {
    fn from(t: Timeline) -> Self {
        TimelineDoc {
            bucket_s: t.bucket_s,
            start_ms: t.start_ms,
            requests: t.requests,
            failures: t.failures,
            rps: t.rps,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use perfstat_ingest::{ReadOptions, read_reader};

    #[test]
    fn generic_input_has_no_request_accounting() {
        let ds = read_reader("a.csv", "ms\n1\n2\n".as_bytes(), &ReadOptions::default()).unwrap();
        let doc = InputDoc::new(&ds, None, Confidence::DEFAULT);
        let json = serde_json::to_string(&doc).unwrap();
        assert_eq!(json, r#"{"path":"a.csv","rows":2,"skipped":0}"#);
    }

    #[test]
    fn tool_input_has_the_error_rate_with_wilson_bounds() {
        // hey's CSV: 3 requests, one failed (status 500).
        let csv = "response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset\n\
                   0.1,0,0,0,0.1,0,200,0.0\n0.2,0,0,0,0.2,0,500,0.5\n0.3,0,0,0,0.3,0,200,1.0\n";
        let ds = read_reader("hey.csv", csv.as_bytes(), &ReadOptions::default()).unwrap();
        let cut = WarmupCut {
            method: "count",
            dropped: 2,
            cut_at_s: Some(1.5),
            at_limit: false,
        };
        let doc = InputDoc::new(&ds, Some(&cut), Confidence::DEFAULT);
        assert_eq!(doc.format.as_deref(), Some(ds.format.name()));
        assert_eq!(doc.requests, Some(3));
        assert_eq!(doc.failures, Some(1));
        let rate = doc.error_rate.unwrap();
        let (lower, upper) = wilson_interval(1, 3, 0.95).unwrap();
        assert_eq!(
            (rate.value, rate.lower, rate.upper),
            (1.0 / 3.0, lower, upper)
        );
        let w = doc.warmup.unwrap();
        assert_eq!(
            (w.method.as_str(), w.dropped, w.cut_at),
            ("count", 2, Some(1.5))
        );
    }
}

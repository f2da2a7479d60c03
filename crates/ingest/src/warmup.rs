//! Dropping the start of a run: [`Dataset::drop_warmup`].

use std::collections::HashMap;

use perfstat_stats::warmup::{MserError, WarmupSpec, mser5};

use crate::{Dataset, Group, InputFormat, ReadOptions, Records, Requests};

/// What [`Dataset::drop_warmup`] dropped.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WarmupCut {
    /// `time`, `count` or `mser-5` ([`WarmupSpec::method`]).
    pub method: &'static str,
    /// Requests (values, for a generic input) dropped.
    pub dropped: u64,
    /// Seconds from the run's first request start to the first request kept; `None` without
    /// timestamps.
    pub cut_at_s: Option<f64>,
    /// MSER-5's minimum was at the end of the searched half: the run may not have settled.
    pub at_limit: bool,
}

/// Why the warm-up cannot be dropped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WarmupError {
    /// A cut by time on an input without request timestamps.
    #[error(
        "{input}: a warm-up of {spec} needs request timestamps, and this input ({format}) has none"
    )]
    NeedsTimestamps {
        /// The input's display name.
        input: String,
        /// The warm-up asked for.
        spec: WarmupSpec,
        /// The input's format.
        format: InputFormat,
    },
    /// MSER-5 cannot be computed on a group (or the input's requests).
    #[error("{group}: MSER-5: {error}")]
    Mser {
        /// The input (`input · label` for a group of a generic input).
        group: String,
        /// Why.
        #[source]
        error: MserError,
    },
    /// A generic input's group would lose every value.
    #[error("{group}: a warm-up of {spec} drops all {values} values")]
    DropsAllValues {
        /// The input (`input · label` for a group).
        group: String,
        /// The warm-up asked for.
        spec: WarmupSpec,
        /// Values in the group.
        values: usize,
    },
    /// Every request in the statistics would be dropped.
    #[error("{input}: a warm-up of {spec} drops every request{} ({read} read)",
        if *failures_included { "" } else { " that succeeded" })]
    DropsAllRequests {
        /// The input's display name.
        input: String,
        /// The warm-up asked for.
        spec: WarmupSpec,
        /// Requests read.
        read: usize,
        /// Whether failed requests are in the statistics.
        failures_included: bool,
    },
    /// The metric has several values per request (the records cannot be matched to the values).
    #[error(
        "{input}: the warm-up cannot be dropped for the metric {metric:?}: a request has several values"
    )]
    SeveralValues {
        /// The input's display name.
        input: String,
        /// The metric.
        metric: String,
    },
    /// A cut by count or MSER-5 on an input whose row order is not time order
    /// ([`Dataset::not_time_ordered`]): the first rows are not the first requests.
    #[error("{input}: a warm-up of {spec} needs the requests in time order: {why}")]
    NotTimeOrdered {
        /// The input's display name.
        input: String,
        /// The warm-up asked for.
        spec: WarmupSpec,
        /// Why the order is not time order.
        why: String,
    },
    /// A tool's input grouped by a column other than the label or the status.
    #[error(
        "{input}: the warm-up cannot be dropped with grouping by {by}: group by label or status"
    )]
    UnsupportedBy {
        /// The input's display name.
        input: String,
        /// The grouping column.
        by: String,
    },
}

impl Dataset {
    /// Drops the start of a run: the requests started in the first seconds ([`WarmupSpec::Duration`]),
    /// the first N requests ([`WarmupSpec::Count`]), or the transient [`mser5`] detects on the latencies
    /// in time order ([`WarmupSpec::Auto`]).
    ///
    /// A tool's format with [`Dataset::records`] (read with
    /// [`ReadOptions::keep_records`]) is rebuilt from the records kept, in time order (by start; input
    /// order without timestamps): groups as `opts` grouped them, request and failure counts, time span
    /// and records. Any other input loses the first values of each group (file order); a cut by time is
    /// then an error. `opts` are the options the dataset was read with.
    ///
    /// # Errors
    ///
    /// [`WarmupError`]: a cut by time without timestamps, MSER-5 undefined, a cut that drops everything,
    /// or records that cannot be regrouped.
    pub fn drop_warmup(
        &mut self,
        spec: WarmupSpec,
        opts: &ReadOptions,
    ) -> Result<WarmupCut, WarmupError> {
        if let Some(why) = &self.not_time_ordered
            && !matches!(spec, WarmupSpec::Duration { .. })
        {
            return Err(WarmupError::NotTimeOrdered {
                input: self.source.clone(),
                spec,
                why: why.clone(),
            });
        }
        match self.records.take() {
            Some(records) if self.requests.is_some() => {
                self.drop_warmup_records(records, spec, opts)
            }
            records => {
                self.records = records;
                self.drop_warmup_values(spec)
            }
        }
    }

    /// [`Dataset::drop_warmup`] for an input without per-request records: per group, in file order.
    fn drop_warmup_values(&mut self, spec: WarmupSpec) -> Result<WarmupCut, WarmupError> {
        if let WarmupSpec::Duration { .. } = spec {
            return Err(self.needs_timestamps(spec));
        }
        let mut dropped = 0u64;
        let mut at_limit = false;
        for g in &mut self.groups {
            let name = || match &g.label {
                Some(l) => format!("{} · {l}", self.source),
                None => self.source.clone(),
            };
            let cut = match spec {
                WarmupSpec::Count(n) => usize::try_from(n).unwrap_or(usize::MAX),
                _ => {
                    let m = mser5(&g.values).map_err(|error| WarmupError::Mser {
                        group: name(),
                        error,
                    })?;
                    at_limit |= m.at_limit;
                    m.truncate
                }
            };
            if cut >= g.values.len() {
                return Err(WarmupError::DropsAllValues {
                    group: name(),
                    spec,
                    values: g.values.len(),
                });
            }
            g.values.drain(..cut);
            dropped += cut as u64;
        }
        Ok(WarmupCut {
            method: spec.method(),
            dropped,
            cut_at_s: None,
            at_limit,
        })
    }

    fn needs_timestamps(&self, spec: WarmupSpec) -> WarmupError {
        WarmupError::NeedsTimestamps {
            input: self.source.clone(),
            spec,
            format: self.format,
        }
    }

    /// [`Dataset::drop_warmup`] for a tool's format, from its per-request records.
    fn drop_warmup_records(
        &mut self,
        records: Records,
        spec: WarmupSpec,
        opts: &ReadOptions,
    ) -> Result<WarmupCut, WarmupError> {
        let n = records.len();
        let in_stats = |i: usize| records.success[i] || opts.include_failures;
        if (0..n).filter(|&i| in_stats(i)).count() != self.len() {
            return Err(WarmupError::SeveralValues {
                input: self.source.clone(),
                metric: self.metric.clone(),
            });
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
                    return Err(self.needs_timestamps(spec));
                };
                let cut = start + seconds * 1000.0;
                (
                    order.partition_point(|&i| records.timestamp_ms[i] < cut),
                    false,
                )
            }
            WarmupSpec::Count(k) => (usize::try_from(k).unwrap_or(usize::MAX).min(n), false),
            WarmupSpec::Auto => {
                let positions: Vec<usize> = (0..n).filter(|&p| in_stats(order[p])).collect();
                let series: Vec<f64> = positions
                    .iter()
                    .map(|&p| records.latency_ms[order[p]])
                    .collect();
                let m = mser5(&series).map_err(|error| WarmupError::Mser {
                    group: self.source.clone(),
                    error,
                })?;
                let first = if m.truncate == 0 {
                    0
                } else {
                    positions.get(m.truncate).copied().unwrap_or(n)
                };
                (first, m.at_limit)
            }
        };
        let mut keep: Vec<usize> = order[first..].to_vec();
        keep.sort_unstable();
        if !keep.iter().any(|&i| in_stats(i)) {
            return Err(WarmupError::DropsAllRequests {
                input: self.source.clone(),
                spec,
                read: n,
                failures_included: opts.include_failures,
            });
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
        let single = self.groups.len() == 1 && self.groups[0].label.is_none();
        let by = opts.by.as_deref().unwrap_or_default();
        let by_status = by.eq_ignore_ascii_case("status");
        if !single && !by.eq_ignore_ascii_case("label") && !by_status {
            return Err(WarmupError::UnsupportedBy {
                input: self.source.clone(),
                by: by.to_owned(),
            });
        }
        let key = |i: usize| -> Option<String> {
            if single {
                None
            } else if by_status {
                Some(records.status[i].to_string())
            } else {
                records
                    .labels
                    .get(records.label[i] as usize)
                    .map(|l| l.trim().to_owned())
            }
        };
        let old = self.requests.take().unwrap_or_default();
        let other_kinds: Vec<&String> = old
            .failures
            .iter()
            .map(|(k, _)| k)
            .filter(|k| !k.starts_with("HTTP "))
            .collect();
        let mut groups: Vec<Group> = Vec::new();
        let mut group_ids: HashMap<Option<String>, usize> = HashMap::new();
        let mut failures: Vec<(String, u64)> = Vec::new();
        let mut out = Records {
            labels: records.labels.clone(),
            ..Records::default()
        };
        let (mut start_ms, mut end_ms) = (f64::INFINITY, f64::NEG_INFINITY);
        let mut failed = 0u64;
        for &i in &keep {
            let ok = records.success[i];
            if in_stats(i) {
                let label = key(i);
                let v = records.latency_ms[i];
                match group_ids.get(&label) {
                    Some(&id) => groups[id].values.push(v),
                    None => {
                        group_ids.insert(label.clone(), groups.len());
                        groups.push(Group {
                            label,
                            values: vec![v],
                        });
                    }
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
        self.groups = groups;
        self.requests = Some(Requests {
            total: keep.len() as u64,
            failed,
            failures,
            start_ms: timed.then_some(start_ms),
            end_ms: timed.then_some(end_ms),
            ..old
        });
        self.records = Some(out);
        Ok(WarmupCut {
            method: spec.method(),
            dropped: (n - keep.len()) as u64,
            cut_at_s,
            at_limit,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Six requests, not in time order; the third failed (HTTP 500). Labels a, a, b, b, a, b.
    fn run(timestamps: [f64; 6]) -> Dataset {
        let latency_ms = vec![10.0, 50.0, 11.0, 40.0, 12.0, 30.0];
        let label = vec![0, 0, 1, 1, 0, 1];
        let success = vec![true, true, false, true, true, true];
        Dataset {
            source: "run.jtl".into(),
            metric: "elapsed".into(),
            groups: vec![
                Group {
                    label: Some("a".into()),
                    values: vec![10.0, 50.0, 12.0],
                },
                Group {
                    label: Some("b".into()),
                    values: vec![40.0, 30.0],
                },
            ],
            rows: 6,
            skipped: 0,
            format: InputFormat::JmeterCsv,
            unit: Some("ms"),
            requests: Some(Requests {
                total: 6,
                failed: 1,
                failures: vec![("HTTP 500".into(), 1)],
                start_ms: Some(0.0),
                end_ms: Some(1212.0),
                ..Requests::default()
            }),
            records: Some(Records {
                latency_ms,
                timestamp_ms: timestamps.to_vec(),
                label,
                labels: vec!["a".into(), " b ".into()],
                success,
                status: vec![200, 200, 500, 200, 200, 200],
                bytes: vec![1, 2, 3, 4, 5, 6],
                all_threads: None,
            }),
            not_time_ordered: None,
            metric_choice: None,
        }
    }

    const TIMED: [f64; 6] = [1000.0, 0.0, 1100.0, 100.0, 1200.0, 200.0];

    fn by_label() -> ReadOptions {
        ReadOptions {
            by: Some("label".into()),
            ..ReadOptions::default()
        }
    }

    fn groups(ds: &Dataset) -> Vec<(Option<&str>, Vec<f64>)> {
        ds.groups
            .iter()
            .map(|g| (g.label.as_deref(), g.values.clone()))
            .collect()
    }

    #[test]
    fn by_time_keeps_the_requests_started_after_the_cut() {
        let mut ds = run(TIMED);
        let cut = ds
            .drop_warmup(WarmupSpec::Duration { seconds: 0.5 }, &by_label())
            .unwrap();
        assert_eq!(
            cut,
            WarmupCut {
                method: "time",
                dropped: 3,
                cut_at_s: Some(0.5),
                at_limit: false
            }
        );
        assert_eq!(groups(&ds), [(Some("a"), vec![10.0, 12.0])]);
        let r = ds.requests.as_ref().unwrap();
        assert_eq!((r.total, r.failed), (3, 1));
        assert_eq!(r.failures, [("HTTP 500".to_owned(), 1)]);
        assert_eq!((r.start_ms, r.end_ms), (Some(1000.0), Some(1212.0)));
        let records = ds.records.as_ref().unwrap();
        assert_eq!(records.bytes, [1, 3, 5]);
        assert_eq!(records.timestamp_ms, [1000.0, 1100.0, 1200.0]);
    }

    #[test]
    fn by_count_in_time_order_and_in_input_order_without_timestamps() {
        let mut ds = run(TIMED);
        let cut = ds.drop_warmup(WarmupSpec::Count(2), &by_label()).unwrap();
        assert_eq!((cut.dropped, cut.cut_at_s), (2, Some(0.2)));
        // Labels are trimmed, groups in order of first appearance among the kept requests.
        assert_eq!(
            groups(&ds),
            [(Some("a"), vec![10.0, 12.0]), (Some("b"), vec![30.0])]
        );
        assert_eq!(ds.requests.as_ref().unwrap().start_ms, Some(200.0));

        let mut ds = run([f64::NAN; 6]);
        let cut = ds.drop_warmup(WarmupSpec::Count(2), &by_label()).unwrap();
        assert_eq!((cut.dropped, cut.cut_at_s), (2, None));
        assert_eq!(
            groups(&ds),
            [(Some("b"), vec![40.0, 30.0]), (Some("a"), vec![12.0])]
        );
        let r = ds.requests.as_ref().unwrap();
        assert_eq!(
            (r.total, r.failed, r.start_ms, r.end_ms),
            (4, 1, None, None)
        );

        let err = run([f64::NAN; 6])
            .drop_warmup(WarmupSpec::Duration { seconds: 1.0 }, &by_label())
            .unwrap_err();
        assert!(matches!(err, WarmupError::NeedsTimestamps { .. }), "{err}");
    }

    #[test]
    fn records_errors() {
        let err = run(TIMED)
            .drop_warmup(WarmupSpec::Count(6), &by_label())
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "run.jtl: a warm-up of 6 drops every request that succeeded (6 read)"
        );
        let opts = ReadOptions {
            by: Some("url".into()),
            ..ReadOptions::default()
        };
        let err = run(TIMED)
            .drop_warmup(WarmupSpec::Count(1), &opts)
            .unwrap_err();
        assert!(matches!(err, WarmupError::UnsupportedBy { ref by, .. } if by == "url"));
        // Values that do not match the records one to one.
        let mut ds = run(TIMED);
        ds.groups[0].values.push(1.0);
        let err = ds
            .drop_warmup(WarmupSpec::Count(1), &by_label())
            .unwrap_err();
        assert!(matches!(err, WarmupError::SeveralValues { .. }));
        // MSER-5 needs 20 values.
        let err = run(TIMED)
            .drop_warmup(WarmupSpec::Auto, &by_label())
            .unwrap_err();
        assert!(matches!(err, WarmupError::Mser { .. }));
    }

    #[test]
    fn generic_input_loses_the_first_values_of_each_group() {
        let generic = || {
            let mut ds = run(TIMED);
            ds.records = None;
            ds.requests = None;
            ds.format = InputFormat::Csv;
            ds
        };
        let mut ds = generic();
        let cut = ds.drop_warmup(WarmupSpec::Count(1), &by_label()).unwrap();
        assert_eq!((cut.method, cut.dropped, cut.cut_at_s), ("count", 2, None));
        assert_eq!(
            groups(&ds),
            [(Some("a"), vec![50.0, 12.0]), (Some("b"), vec![30.0])]
        );
        let err = generic()
            .drop_warmup(WarmupSpec::Count(2), &by_label())
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "run.jtl · b: a warm-up of 2 drops all 2 values"
        );
        let err = generic()
            .drop_warmup(WarmupSpec::Duration { seconds: 1.0 }, &by_label())
            .unwrap_err();
        assert!(matches!(err, WarmupError::NeedsTimestamps { .. }));
        // MSER-5 on a level shift after 20 values.
        let mut ds = generic();
        ds.groups = vec![Group {
            label: None,
            values: (0..100)
                .map(|i| {
                    if i < 20 {
                        500.0
                    } else {
                        100.0 + f64::from(i % 3)
                    }
                })
                .collect(),
        }];
        let cut = ds
            .drop_warmup(WarmupSpec::Auto, &ReadOptions::default())
            .unwrap();
        assert_eq!((cut.method, cut.dropped), ("mser-5", 20));
        assert_eq!(ds.groups[0].values.len(), 80);
    }
}

//! General objectives (`p95<800ms`, `error_rate<1%`, `throughput>=100/s`)
//! judged at every level, and the level where each is crossed.
//!
//! The objectives are [`perfstat_stats::slo::Objective`]s, judged as
//! `perfstat describe` judges them ([`perfstat_stats::slo::judge`]: `pass`
//! when the whole interval meets the objective, `fail` when the whole
//! interval misses it, `uncertain` otherwise), on the level's own intervals:
//!
//! - percentiles, `median`, `mean`, `max`: [`perfstat_stats::slo::evaluate`]
//!   on the level's latencies converted to milliseconds (the same
//!   distribution-free percentile intervals as the per-level summary);
//! - `error_rate`: the Wilson interval of the level's failed / requests;
//! - `throughput`: the level's throughput interval (requests ± z·√requests
//!   over the duration).
//!
//! A table of aggregates has estimates without intervals: every objective is
//! `uncertain` there, with a reason; its estimate still counts for the
//! degradation point.

use perfstat_stats::slo::{
    self, Objective, SloData, SloMetric, SloOp, SloResult, SloStatus, evaluate,
};
use perfstat_stats::{Interval, Sample};

use crate::analysis::{LevelSummary, Options, Run, RunData};
use crate::error::{Error, Result};

/// Where one objective of [`Options::slos`] is crossed across the levels.
#[derive(Clone, Debug, PartialEq)]
pub struct SloCrossing {
    /// The objective.
    pub objective: Objective,
    /// The lowest level at which the objective counts (for the degradation
    /// point and `--fail-on-slo`): the lowest level tested for an upper bound
    /// (`<`, `<=`); for a lower bound (`>`, `>=`, e.g. `throughput>=100/s`),
    /// the first level whose estimate meets it, since low loads cannot reach
    /// a throughput floor (the lowest level when no level meets it).
    pub judged_from: f64,
    /// The first level from `judged_from` on whose estimate breaks the
    /// objective; `None` when every such level meets it.
    pub crossed_at: Option<f64>,
}

impl SloCrossing {
    /// A lower-bound objective that no level meets by its estimate.
    #[must_use]
    pub fn never_met(&self) -> bool {
        is_lower_bound(&self.objective) && self.crossed_at == Some(self.judged_from)
    }
}

/// Whether the objective is a lower bound (`>` or `>=`): met from some load
/// on rather than broken from some load on.
#[must_use]
pub fn is_lower_bound(objective: &Objective) -> bool {
    matches!(objective.op, SloOp::Gt | SloOp::Ge)
}

/// Whether the objective constrains latencies (a percentile, the mean or the maximum).
#[must_use]
pub fn is_latency(objective: &Objective) -> bool {
    matches!(
        objective.metric,
        SloMetric::Percentile(_) | SloMetric::Mean | SloMetric::Max
    )
}

/// Judges every objective of `o.slos` on one level. `sample` holds the
/// level's latencies in their unit (none for aggregates or when every
/// request failed).
pub(crate) fn judge_level(
    run: &Run,
    s: &LevelSummary,
    sample: Option<&Sample>,
    o: &Options,
) -> Result<Vec<SloResult>> {
    if o.slos.is_empty() {
        return Ok(Vec::new());
    }
    // Milliseconds per latency unit (unknown: taken as milliseconds).
    let to_ms = o.latency_unit_s.map_or(1.0, |u| u * 1e3);
    let cannot = |objective: &Objective, message: String| Error::Objective {
        run: run.source.clone(),
        objective: objective.text.clone(),
        message,
    };
    let scaled;
    let sample_ms = match sample {
        Some(x) if to_ms != 1.0 && o.slos.iter().any(is_latency) => {
            scaled = Sample::new(x.sorted().iter().map(|v| v * to_ms).collect())
                .map_err(|e| cannot(&o.slos[0], format!("latencies in ms: {e}")))?;
            Some(&scaled)
        }
        other => other,
    };
    o.slos
        .iter()
        .map(|objective| match &run.data {
            RunData::Requests(_) => match objective.metric {
                SloMetric::Throughput => Ok(on_interval(
                    objective,
                    s.throughput.estimate,
                    s.throughput.interval,
                    None,
                )),
                SloMetric::ErrorRate => {
                    let (Some(failed), Some(total)) = (s.failed, s.requests) else {
                        return Err(cannot(
                            objective,
                            "the error rate needs a load-test tool's format (requests and \
                             failures); this input does not say which requests failed"
                                .to_owned(),
                        ));
                    };
                    let data = SloData {
                        requests: Some((failed, total)),
                        ..SloData::default()
                    };
                    evaluate(objective, &data, o.confidence)
                        .map_err(|e| cannot(objective, e.to_string()))
                }
                SloMetric::Percentile(_) | SloMetric::Mean | SloMetric::Max => {
                    let Some(sample) = sample_ms else {
                        return Err(cannot(
                            objective,
                            "no latencies at this level (every request failed, and \
                             failed requests' latencies were left out)"
                                .to_owned(),
                        ));
                    };
                    let data = SloData {
                        sample: Some(sample),
                        ..SloData::default()
                    };
                    evaluate(objective, &data, o.confidence)
                        .map_err(|e| cannot(objective, e.to_string()))
                }
            },
            RunData::Aggregates(a) => {
                let estimate = match objective.metric {
                    SloMetric::Percentile(q) => s.percentile(q).map(|m| m.estimate * to_ms),
                    SloMetric::Mean => a.mean.map(|m| m * to_ms),
                    SloMetric::Max => None,
                    SloMetric::ErrorRate => a.error_rate,
                    SloMetric::Throughput => Some(a.throughput),
                };
                let Some(estimate) = estimate else {
                    return Err(cannot(
                        objective,
                        format!(
                            "a table of aggregates gives p50, p95, p99, mean, error_rate and \
                             throughput, and this row has no {}",
                            objective.metric.name()
                        ),
                    ));
                };
                Ok(on_interval(
                    objective,
                    estimate,
                    None,
                    Some("a table of aggregates has no interval".to_owned()),
                ))
            }
        })
        .collect()
}

/// An objective judged on an estimate and its interval (`uncertain` without one).
fn on_interval(
    objective: &Objective,
    estimate: f64,
    interval: Option<Interval>,
    reason: Option<String>,
) -> SloResult {
    let status = interval.map_or(SloStatus::Uncertain, |i| {
        slo::judge(objective.op, objective.threshold, i.lower, i.upper)
    });
    SloResult {
        objective: objective.clone(),
        estimate,
        lower: interval.map(|i| i.lower),
        upper: interval.map(|i| i.upper),
        status,
        reason,
    }
}

/// Where each objective is crossed, by the estimates (see [`SloCrossing`]).
pub(crate) fn crossings(levels: &[LevelSummary], slos: &[Objective]) -> Vec<SloCrossing> {
    let lowest = levels.first().map_or(0.0, |l| l.level);
    slos.iter()
        .enumerate()
        .map(|(k, o)| {
            let meets = |l: &LevelSummary| {
                l.slos
                    .get(k)
                    .is_some_and(|r| o.op.holds(r.estimate, o.threshold))
            };
            let judged_from = if is_lower_bound(o) {
                levels.iter().find(|l| meets(l)).map_or(lowest, |l| l.level)
            } else {
                lowest
            };
            let crossed_at = levels
                .iter()
                .filter(|l| l.level >= judged_from)
                .find(|l| !meets(l))
                .map(|l| l.level);
            SloCrossing {
                objective: o.clone(),
                judged_from,
                crossed_at,
            }
        })
        .collect()
}

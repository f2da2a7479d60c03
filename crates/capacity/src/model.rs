//! What the analysis adds around the USL fit: replicates merged into one
//! level summary, the fit's points and weights, the bounded/unbounded choice
//! with its warnings, per-level fitted values, residuals and efficiency,
//! predictions (with Little's law response time) and the Amdahl comparison.

use perfstat_stats::dist::t_isf;
use perfstat_stats::{Confidence, Interval};

use crate::analysis::{Aggregates, LevelSummary, Measure, Requests, Run, RunData};
use crate::error::{Error, Result};
use crate::usl::{AmdahlComparison, FitOptions, Predicted, UslFit};

/// Which least-squares problem is solved.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FitMethod {
    /// σ, κ ∈ [0, 1], λ ≥ 0 (R `usl`'s bounds); the unbounded fit is
    /// reported beside it when they differ.
    #[default]
    Bounded,
    /// No bounds (scipy `curve_fit`).
    Unbounded,
}

impl std::str::FromStr for FitMethod {
    type Err = String;

    /// `bounded` or `unbounded`.
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s {
            "bounded" => Ok(Self::Bounded),
            "unbounded" => Ok(Self::Unbounded),
            _ => Err(format!("expected bounded or unbounded, found {s:?}")),
        }
    }
}

/// A load at which to predict throughput: a finite positive number (`96`).
///
/// # Errors
/// Not a number, or not finite and positive.
pub fn parse_load(s: &str) -> std::result::Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 => Ok(v),
        _ => Err(format!("expected a positive number, found {s:?}")),
    }
}

/// The model at one level.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LevelModel {
    /// X̂(N).
    pub fitted: f64,
    /// The level's throughput − X̂(N) (the mean of its replicates).
    pub residual: f64,
    /// X(N) / (N·X(1)): the level's throughput per user relative to one
    /// user's ([`crate::Analysis::efficiency_base`]).
    pub efficiency: f64,
}

/// A prediction of `--predict`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Prediction {
    /// The load.
    pub load: f64,
    /// X̂(N) with the interval of the curve (delta method).
    pub throughput: Predicted,
    /// The interval of a new measurement there (the curve's uncertainty and
    /// the residual variance); `None` for a weighted fit or without a
    /// covariance.
    pub prediction_interval: Option<Interval>,
    /// The mean response time by Little's law, R = N/X(N) (closed workload,
    /// no think time), in the latency unit, with the interval of the curve
    /// carried over; `None` without latencies or a known latency unit.
    pub response_time: Option<Measure>,
}

/// The throughput of one run (requests over duration, or the table's value).
pub(crate) fn run_throughput(run: &Run) -> f64 {
    match &run.data {
        RunData::Requests(r) => r.total as f64 / r.duration_s,
        RunData::Aggregates(a) => a.throughput,
    }
}

/// The throughput's standard deviation given for a run (a table's
/// `throughput_stddev` column).
pub(crate) fn run_sd(run: &Run) -> Option<f64> {
    match &run.data {
        RunData::Requests(_) => None,
        RunData::Aggregates(a) => a.throughput_sd,
    }
}

/// Several runs at one level merged into one: per-request runs pooled
/// (latencies, requests, failures, durations added up), aggregates averaged
/// (request counts added, error rates weighted by requests when every run
/// has them).
///
/// # Errors
/// [`Error::DuplicateLevel`] when per-request runs and aggregates share a level.
pub(crate) fn merge(runs: &[&Run]) -> Result<Run> {
    let level = runs[0].level;
    let source = runs
        .iter()
        .map(|r| r.source.as_str())
        .collect::<Vec<_>>()
        .join(" + ");
    let requests: Vec<&Requests> = runs
        .iter()
        .filter_map(|r| match &r.data {
            RunData::Requests(q) => Some(q),
            RunData::Aggregates(_) => None,
        })
        .collect();
    let data = if requests.len() == runs.len() {
        RunData::Requests(Requests {
            latencies: requests
                .iter()
                .flat_map(|q| q.latencies.iter().copied())
                .collect(),
            total: requests.iter().map(|q| q.total).sum(),
            failed: requests.iter().map(|q| q.failed).sum(),
            duration_s: requests.iter().map(|q| q.duration_s).sum(),
        })
    } else if requests.is_empty() {
        let aggs: Vec<&Aggregates> = runs
            .iter()
            .filter_map(|r| match &r.data {
                RunData::Aggregates(a) => Some(a),
                RunData::Requests(_) => None,
            })
            .collect();
        let mean = |f: &dyn Fn(&Aggregates) -> Option<f64>| -> Option<f64> {
            let v: Option<Vec<f64>> = aggs.iter().map(|a| f(a)).collect();
            v.map(|v| v.iter().sum::<f64>() / v.len() as f64)
        };
        let counts: Option<Vec<u64>> = aggs.iter().map(|a| a.requests).collect();
        let error_rate = match (
            &counts,
            aggs.iter()
                .map(|a| a.error_rate)
                .collect::<Option<Vec<f64>>>(),
        ) {
            (Some(n), Some(e)) if n.iter().sum::<u64>() > 0 => Some(
                n.iter().zip(&e).map(|(&n, e)| n as f64 * e).sum::<f64>()
                    / n.iter().sum::<u64>() as f64,
            ),
            (_, Some(e)) => Some(e.iter().sum::<f64>() / e.len() as f64),
            _ => None,
        };
        RunData::Aggregates(Aggregates {
            throughput: mean(&|a| Some(a.throughput)).unwrap_or(0.0),
            throughput_sd: None,
            p50: mean(&|a| a.p50),
            p95: mean(&|a| a.p95),
            p99: mean(&|a| a.p99),
            mean: mean(&|a| a.mean),
            error_rate,
            requests: counts.map(|n| n.iter().sum()),
        })
    } else {
        return Err(Error::DuplicateLevel {
            level,
            first: runs[0].source.clone(),
            second: runs[1].source.clone(),
        });
    };
    Ok(Run {
        level,
        source,
        data,
    })
}

/// The mean of replicate throughputs with its t interval.
pub(crate) fn replicate_throughput(values: &[f64], confidence: Confidence) -> Measure {
    let k = values.len() as f64;
    let mean = values.iter().sum::<f64>() / k;
    let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (k - 1.0);
    let interval = t_isf(confidence.tail(), k - 1.0).ok().map(|t| {
        let half = t * (var / k).sqrt();
        Interval {
            lower: (mean - half).max(0.0),
            upper: mean + half,
        }
    });
    Measure {
        estimate: mean,
        interval,
    }
}

/// The fit, and the unbounded one beside it when it differs from the bounded.
pub(crate) fn fit(
    runs: &[&Run],
    method: FitMethod,
    confidence: Confidence,
    notes: &mut Vec<String>,
) -> Result<(UslFit, Option<UslFit>)> {
    let points: Vec<(f64, f64)> = runs.iter().map(|r| (r.level, run_throughput(r))).collect();
    let sds: Vec<Option<f64>> = runs.iter().map(|r| run_sd(r)).collect();
    let weights = if sds.iter().all(Option::is_some) {
        Some(sds.iter().map(|s| s.unwrap_or(1.0).powi(-2)).collect())
    } else {
        if sds.iter().any(Option::is_some) {
            notes.push(
                "a throughput standard deviation is missing on some rows: the fit is unweighted"
                    .to_owned(),
            );
        }
        None
    };
    let opts = FitOptions {
        bounded: method == FitMethod::Bounded,
        weights,
        confidence,
    };
    let f = crate::usl::fit_with(&points, &opts)?;
    let unbounded = if f.at_bound.iter().any(Option::is_some) {
        crate::usl::fit_with(
            &points,
            &FitOptions {
                bounded: false,
                ..opts
            },
        )
        .ok()
    } else {
        None
    };
    Ok((f, unbounded))
}

/// The warnings of a fit: a coefficient at a bound or negative, and what it means.
pub(crate) fn bound_notes(f: &UslFit, unbounded: Option<&UslFit>) -> Vec<String> {
    let mut notes = Vec::new();
    let p = f.params;
    let beside = |i: usize| {
        unbounded.map_or(String::new(), |u| {
            let v = u.params.to_array()[i];
            format!(" (unbounded fit: {})", sig(v))
        })
    };
    if f.at_bound[1] == Some(0.0) {
        notes.push(format!(
            "σ is at its bound 0{}: no contention is measurable; throughput grows faster than \
             linearly somewhere between the levels (caches warming, batching) or the data are \
             too noisy to show any",
            beside(1)
        ));
    }
    if f.at_bound[1] == Some(1.0) {
        notes.push(format!(
            "σ is at its bound 1{}: retrograde data, the throughput falls from the lowest \
             levels on; the levels start past the peak",
            beside(1)
        ));
    }
    if f.at_bound[2] == Some(0.0) {
        notes.push(format!(
            "κ is at its bound 0{}: no coherency delay is measurable, the model is Amdahl's law \
             (throughput levels off at λ/σ and never falls)",
            beside(2)
        ));
    }
    if f.at_bound[2] == Some(1.0) {
        notes.push(format!(
            "κ is at its bound 1{}: retrograde data, the throughput collapses right after the \
             lowest level",
            beside(2)
        ));
    }
    if !f.bounded {
        if p.kappa < 0.0 {
            let blow_up = {
                // 1 + σ(N − 1) + κN(N − 1) = 0: κN² + (σ − κ)N + 1 − σ = 0, larger root.
                let (a, b, c) = (p.kappa, p.sigma - p.kappa, 1.0 - p.sigma);
                let disc = b * b - 4.0 * a * c;
                (disc >= 0.0).then(|| (-b - disc.sqrt()) / (2.0 * a))
            };
            notes.push(match blow_up.filter(|n| *n > 0.0) {
                Some(n) => format!(
                    "κ = {} < 0: the curve bends upwards (no coherency delay in the data) and \
                     the model's throughput goes to infinity at N ≈ {}; do not extrapolate it \
                     (the bounded fit holds κ at 0)",
                    sig(p.kappa),
                    sig(n)
                ),
                None => format!(
                    "κ = {} < 0: the curve bends upwards (no coherency delay in the data); do \
                     not extrapolate it (the bounded fit holds κ at 0)",
                    sig(p.kappa)
                ),
            });
        }
        if p.sigma > 1.0 {
            notes.push(format!(
                "σ = {} > 1: retrograde data, the model's throughput falls from N = 1 on",
                sig(p.sigma)
            ));
        }
    }
    notes
}

/// Five significant digits (scientific below 1e-3).
fn sig(v: f64) -> String {
    let short = format!("{v:.4e}");
    if v != 0.0 && v.abs() < 1e-3 {
        return short;
    }
    short
        .parse::<f64>()
        .map_or_else(|_| v.to_string(), |x| x.to_string())
}

/// Per-level fitted values, residuals and efficiency, and the base X(1) of
/// the efficiency (the measured throughput at level 1, else the model's λ)
/// with whether it was measured.
pub(crate) fn per_level(f: &UslFit, levels: &mut [LevelSummary]) -> (f64, bool) {
    let measured = levels
        .iter()
        .find(|l| l.level == 1.0)
        .map(|l| l.throughput.estimate)
        .filter(|x| *x > 0.0);
    let base = measured.unwrap_or(f.params.lambda);
    for l in levels.iter_mut() {
        let fitted = f.params.throughput(l.level);
        l.model = Some(LevelModel {
            fitted,
            residual: l.throughput.estimate - fitted,
            efficiency: l.throughput.estimate / (l.level * base),
        });
    }
    (base, measured.is_some())
}

/// The predictions at `loads`; response times (in the latency unit
/// `latency_unit_s`) when the levels had latencies.
pub(crate) fn predictions(
    f: &UslFit,
    loads: &[f64],
    latency_unit_s: Option<f64>,
    has_latency: bool,
) -> Vec<Prediction> {
    loads
        .iter()
        .map(|&n| {
            let throughput = f.predict(n);
            let response_time = latency_unit_s
                .filter(|_| has_latency && throughput.estimate > 0.0)
                .map(|unit| Measure {
                    estimate: n / throughput.estimate / unit,
                    interval: throughput
                        .interval
                        .filter(|iv| iv.lower > 0.0)
                        .map(|iv| Interval {
                            lower: n / iv.upper / unit,
                            upper: n / iv.lower / unit,
                        }),
                });
            Prediction {
                load: n,
                throughput,
                prediction_interval: f.prediction_interval(n),
                response_time,
            }
        })
        .collect()
}

/// The comparison with Amdahl's law, as a result with its reason.
pub(crate) fn amdahl(f: &UslFit) -> std::result::Result<AmdahlComparison, String> {
    f.compare_amdahl()
}

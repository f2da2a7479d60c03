//! `perfstat capacity`: the JSON wire types, the terminal table, the Markdown
//! report and the plots ([`plot`]).
//!
//! [`CapacityDoc`] is the wire format of the `capacity` JSON contract
//! (`docs/json-output.md`), built from a `perfstat_capacity::Analysis` by
//! [`CapacityDoc::new`]; it is kept apart from the library types so a rename
//! there cannot change the contract. Renderers return strings.

mod model;
pub mod plot;

pub use model::{AmdahlDoc, LevelModelDoc, PredictionsDoc, UnboundedDoc};

use std::collections::BTreeMap;
use std::fmt::Write as _;

use perfstat_capacity::usl::{ParamEstimate, Predicted};
use perfstat_capacity::{Analysis, LittleVerdict, Measure, Workload};
use serde::Serialize;

use crate::fmt::sig;
use crate::json::SloDoc as ObjectiveDoc;

/// An estimate with its interval (`lower`/`upper` null when undefined).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ValueDoc {
    /// The point estimate.
    pub estimate: f64,
    /// Lower bound of the interval.
    pub lower: Option<f64>,
    /// Upper bound of the interval.
    pub upper: Option<f64>,
}

impl From<Measure> for ValueDoc {
    fn from(m: Measure) -> Self {
        Self {
            estimate: m.estimate,
            lower: m.interval.map(|i| i.lower),
            upper: m.interval.map(|i| i.upper),
        }
    }
}

impl From<Predicted> for ValueDoc {
    fn from(m: Predicted) -> Self {
        Self {
            estimate: m.estimate,
            lower: m.interval.map(|i| i.lower),
            upper: m.interval.map(|i| i.upper),
        }
    }
}

/// Latency at one level.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LatencyDoc {
    /// Mean latency of the successful requests.
    pub mean: Option<f64>,
    /// Median with its distribution-free interval.
    pub p50: Option<ValueDoc>,
    /// 95th percentile with its interval.
    pub p95: Option<ValueDoc>,
    /// 99th percentile with its interval.
    pub p99: Option<ValueDoc>,
}

/// Little's law at one level.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LittleDoc {
    /// Mean requests in flight, X·R.
    pub concurrency: f64,
    /// Closed: X·R / level; open: X / level.
    pub ratio: f64,
    /// `consistent`, `generator_bound`, `excess_concurrency` or `below_offered_rate`.
    pub verdict: &'static str,
}

/// The `--slo-p95` and `--min-success` checks of one level (null when not checkable).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SloDoc {
    /// p95 estimate ≤ the objective.
    pub p95_ok: Option<bool>,
    /// p95's upper bound ≤ the objective.
    pub p95_ok_confident: Option<bool>,
    /// Success rate ≥ the minimum.
    pub success_ok: Option<bool>,
    /// The success rate's lower Wilson bound ≥ the minimum.
    pub success_ok_confident: Option<bool>,
}

/// One load level.
#[derive(Clone, Debug, Serialize)]
pub struct LevelDoc {
    /// The load level (users, or requests per second for an open workload).
    pub level: f64,
    /// The run's source.
    pub source: String,
    /// Requests sent.
    pub requests: Option<u64>,
    /// Requests failed.
    pub failed: Option<u64>,
    /// Duration of the run in seconds.
    pub duration_s: Option<f64>,
    /// Requests per second (failed included).
    pub throughput: ValueDoc,
    /// Successful requests per second.
    pub goodput: Option<f64>,
    /// Latency percentiles.
    pub latency: LatencyDoc,
    /// Error rate with its Wilson interval.
    pub error_rate: Option<ValueDoc>,
    /// Little's law check.
    pub little: Option<LittleDoc>,
    /// `--slo-p95` and `--min-success` checks.
    pub slo: SloDoc,
    /// The `--slo` objectives judged on this level, in the order given, as
    /// `describe`'s `samples[].slos` (absent without `--slo`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub slos: Vec<ObjectiveDoc>,
    /// Why each null above is null, by its path from the level (`duration_s`,
    /// `latency.p95.lower`, `slo.p95_ok`, `slos.0.lower`); omitted when empty.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub reasons: BTreeMap<String, String>,
    /// The throughputs of the runs at this level when there are several
    /// (replicates; `throughput` is their mean with a t interval).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub replicates: Vec<f64>,
    /// The throughput's standard deviation from the table (weights 1/sd²).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub throughput_sd: Option<f64>,
    /// Fitted value, residual and efficiency (absent without a model).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<LevelModelDoc>,
}

/// A fitted parameter.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ParamDoc {
    /// The estimate.
    pub estimate: f64,
    /// Its standard error.
    pub std_error: Option<f64>,
    /// Lower bound of the t interval.
    pub lower: Option<f64>,
    /// Upper bound of the t interval.
    pub upper: Option<f64>,
}

impl From<ParamEstimate> for ParamDoc {
    fn from(p: ParamEstimate) -> Self {
        Self {
            estimate: p.estimate,
            std_error: p.std_error,
            lower: p.interval.map(|i| i.lower),
            upper: p.interval.map(|i| i.upper),
        }
    }
}

/// The USL fit.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModelDoc {
    /// `"usl"`.
    pub name: &'static str,
    /// λ: throughput of one user.
    pub lambda: ParamDoc,
    /// σ: contention.
    pub sigma: ParamDoc,
    /// κ: coherency.
    pub kappa: ParamDoc,
    /// 1 − SSR/SST.
    pub r_squared: Option<f64>,
    /// Levels fitted.
    pub points: usize,
    /// Residual degrees of freedom.
    pub dof: usize,
    /// Residual sum of squares.
    pub ssr: f64,
    /// Levenberg–Marquardt iterations.
    pub iterations: usize,
    /// Covariance of (λ, σ, κ), as curve_fit's pcov.
    pub covariance: Option<[[f64; 3]; 3]>,
    /// `"bounded"` (σ, κ ∈ [0, 1], λ ≥ 0) or `"unbounded"`.
    pub fit: &'static str,
    /// Whether the points were weighted by 1/sd².
    pub weighted: bool,
    /// The parameters held at a bound, with the bound (`{"kappa": 0}`).
    pub at_bound: BTreeMap<&'static str, f64>,
    /// The unbounded fit, when the bounded one holds a parameter at a bound.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unbounded: Option<UnboundedDoc>,
    /// Amdahl's law (κ = 0) compared by an F-test and AIC.
    pub amdahl: Option<AmdahlDoc>,
    /// X(1) of the per-level efficiency.
    pub efficiency_base: f64,
    /// Whether X(1) was measured (level 1) or is the model's λ.
    pub efficiency_base_measured: bool,
}

/// The predicted peak.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct PeakDoc {
    /// N* with its delta-method interval.
    pub load: ValueDoc,
    /// X(N*) with its interval.
    pub throughput: ValueDoc,
}

/// The saturation point.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct SaturationDoc {
    /// The first measured level within `tolerance` of the peak.
    pub level: Option<f64>,
    /// Where the model reaches (1 − tolerance) of its peak.
    pub model_load: f64,
    /// Lower end of its delta-method interval.
    pub model_lower: Option<f64>,
    /// Upper end.
    pub model_upper: Option<f64>,
    /// The tolerance (0.05).
    pub tolerance: f64,
}

/// A model prediction.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct PredictionDoc {
    /// The load (twice the highest level measured).
    pub load: f64,
    /// The model's throughput there, with its interval.
    pub throughput: ValueDoc,
}

/// Where one `--slo` objective is crossed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CrossingDoc {
    /// The objective as given (`p95<800ms`).
    pub objective: String,
    /// The lowest level at which it counts: the lowest level tested for `<`
    /// and `<=`; for `>` and `>=` (a throughput floor), the first level whose
    /// estimate meets it (the lowest level when none does).
    pub judged_from: f64,
    /// The first level from `judged_from` on whose estimate breaks it.
    pub crossed_at: Option<f64>,
}

/// The degradation point.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DegradationDoc {
    /// The first level breaking an objective.
    pub level: Option<f64>,
    /// The first level whose p95 exceeds the objective.
    pub p95_slo_crossed_at: Option<f64>,
    /// The first level whose success rate is below the minimum.
    pub errors_start_at: Option<f64>,
    /// Where each `--slo` objective is crossed, in the order given (absent
    /// without `--slo`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub slos: Vec<CrossingDoc>,
}

/// The objectives.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ObjectivesDoc {
    /// The p95 latency objective, in the latency unit.
    pub p95: Option<f64>,
    /// The minimum success rate.
    pub min_success: f64,
    /// The `--slo` objectives as given (absent without `--slo`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub slos: Vec<String>,
}

/// Why a top-level value is null.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ReasonsDoc {
    /// Why `model` is null.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Why `peak` is null.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub peak: Option<String>,
    /// Why any other null of the document is null, by its path (`metric`, `objectives.p95`,
    /// `degradation.level`, `model.sigma.std_error`).
    #[serde(flatten)]
    pub other: BTreeMap<String, String>,
}

/// The `capacity` JSON document.
#[derive(Clone, Debug, Serialize)]
pub struct CapacityDoc {
    /// `"capacity"`.
    pub command: &'static str,
    /// The input files, in the order given.
    pub inputs: Vec<String>,
    /// The latency column read, when per-request files were read.
    pub metric: Option<String>,
    /// The latency unit.
    pub unit: Option<String>,
    /// `closed` or `open`.
    pub workload: &'static str,
    /// Confidence level of every interval.
    pub confidence: f64,
    /// The objectives.
    pub objectives: ObjectivesDoc,
    /// One entry per level, ascending.
    pub levels: Vec<LevelDoc>,
    /// The USL fit.
    pub model: Option<ModelDoc>,
    /// The predicted peak.
    pub peak: Option<PeakDoc>,
    /// The saturation point.
    pub saturation: Option<SaturationDoc>,
    /// The model at twice the highest level.
    pub prediction: Option<PredictionDoc>,
    /// The model at the `--predict` loads (absent without).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub predictions: Vec<PredictionsDoc>,
    /// The degradation point.
    pub degradation: DegradationDoc,
    /// The highest level meeting every objective with confidence (with every lower level).
    pub highest_level_meeting_slos: Option<f64>,
    /// Why `model` or `peak` is null.
    pub reasons: ReasonsDoc,
    /// Assumptions and findings, one sentence each.
    pub notes: Vec<String>,
}

fn verdict_name(v: LittleVerdict) -> &'static str {
    match v {
        LittleVerdict::Consistent => "consistent",
        LittleVerdict::GeneratorBound => "generator_bound",
        LittleVerdict::ExcessConcurrency => "excess_concurrency",
        LittleVerdict::BelowOfferedRate => "below_offered_rate",
    }
}

/// Why the USL fit has no covariance (or why the covariance cannot give intervals).
pub(super) fn no_covariance(a: &Analysis) -> String {
    match &a.fit {
        Err(e) => format!("no model: {e}"),
        Ok(f) if f.dof == 0 => format!(
            "no residual degrees of freedom: {} levels for 3 parameters",
            f.points
        ),
        Ok(f) if f.covariance.is_none() => {
            "the Jacobian is singular: the parameters cannot be separated on these levels"
                .to_owned()
        }
        Ok(_) => "the covariance is not usable for this quantity".to_owned(),
    }
}

/// The reasons of the nulls in `model`.
fn model_reasons(out: &mut BTreeMap<String, String>, m: &ModelDoc, a: &Analysis) {
    let range = "beyond the floating-point range";
    let mut put = |key: String, why: String| {
        out.insert(key, why);
    };
    if m.covariance.is_none() {
        put("model.covariance".into(), no_covariance(a));
    } else if m
        .covariance
        .is_some_and(|c| c.iter().flatten().any(|v| !v.is_finite()))
    {
        put("model.covariance".into(), format!("an entry is {range}"));
    }
    for (name, p) in [("lambda", m.lambda), ("sigma", m.sigma), ("kappa", m.kappa)] {
        if !p.estimate.is_finite() {
            put(format!("model.{name}.estimate"), range.to_owned());
        }
        if let Some(b) = m.at_bound.get(name) {
            if p.std_error.is_none() {
                put(
                    format!("model.{name}.std_error"),
                    format!(
                        "held at its bound {b}: no standard error; the interval is the \
                         profile-likelihood one"
                    ),
                );
            }
        } else if !p.std_error.is_some_and(f64::is_finite) {
            let why = if m.covariance.is_none() {
                no_covariance(a)
            } else {
                "its variance (the covariance diagonal) is negative or not finite".to_owned()
            };
            put(format!("model.{name}.std_error"), why);
        }
        for (end, v) in [("lower", p.lower), ("upper", p.upper)] {
            if !v.is_some_and(f64::is_finite) {
                let why = if v.is_some() {
                    range.to_owned()
                } else if p.std_error.is_none() {
                    format!("no standard error: {}", no_covariance(a))
                } else {
                    no_covariance(a)
                };
                put(format!("model.{name}.{end}"), why);
            }
        }
    }
    if !m.r_squared.is_some_and(f64::is_finite) {
        let why = if m.r_squared.is_some() {
            range.to_owned()
        } else if m.dof == 0 {
            format!(
                "no residual degrees of freedom: {} levels for 3 parameters",
                m.points
            )
        } else {
            "every level has the same throughput: there is no variance to explain".to_owned()
        };
        put("model.r_squared".into(), why);
    }
    if !m.ssr.is_finite() {
        put(
            "model.ssr".into(),
            format!("the residual sum of squares is {range}"),
        );
    }
}

/// The reasons of a level's nulls: the library's (data) and the options' (checks not asked for).
fn level_reasons(
    doc: &LevelDoc,
    l: &perfstat_capacity::LevelSummary,
    a: &Analysis,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let from = |key: &str| l.reasons.get(key).cloned();
    let mut put = |key: &str, why: Option<String>| {
        out.insert(
            key.to_owned(),
            why.unwrap_or_else(|| "not measured at this level".to_owned()),
        );
    };
    if doc.requests.is_none() {
        put("requests", from("requests"));
    }
    if doc.failed.is_none() {
        put("failed", from("failed"));
    }
    if doc.duration_s.is_none() {
        put("duration_s", from("duration_s"));
    }
    if doc.throughput.lower.is_none() {
        put("throughput.lower", from("throughput.interval"));
        put("throughput.upper", from("throughput.interval"));
    }
    if doc.goodput.is_none() {
        put("goodput", None);
    }
    if doc.latency.mean.is_none() {
        put("latency.mean", from("mean_latency"));
    }
    for (key, p) in [
        ("p50", doc.latency.p50),
        ("p95", doc.latency.p95),
        ("p99", doc.latency.p99),
    ] {
        match p {
            None => put(&format!("latency.{key}"), from(key)),
            Some(v) if v.lower.is_none() => {
                let why = from(&format!("{key}.interval"));
                put(&format!("latency.{key}.lower"), why.clone());
                put(&format!("latency.{key}.upper"), why);
            }
            Some(_) => {}
        }
    }
    let error_rate_why = from("error_rate");
    let error_interval_why = from("error_rate.interval");
    match doc.error_rate {
        None => put("error_rate", error_rate_why.clone()),
        Some(v) if v.lower.is_none() => {
            put("error_rate.lower", error_interval_why.clone());
            put("error_rate.upper", error_interval_why.clone());
        }
        Some(_) => {}
    }
    if doc.little.is_none() {
        let why = if doc.latency.mean.is_none() {
            format!(
                "Little's law needs the mean latency: {}",
                from("mean_latency").unwrap_or_else(|| "not measured".to_owned())
            )
        } else {
            "the latency unit is unknown: Little's law needs latencies in seconds".to_owned()
        };
        put("little", Some(why));
    }
    let no_slo_p95 = "no p95 objective given".to_owned();
    let p95_why = from("p95");
    if doc.slo.p95_ok.is_none() {
        put(
            "slo.p95_ok",
            Some(if a.options.slo_p95.is_none() {
                no_slo_p95.clone()
            } else {
                format!(
                    "no p95 at this level: {}",
                    p95_why.clone().unwrap_or_default()
                )
            }),
        );
    }
    if doc.slo.p95_ok_confident.is_none() {
        let why = if a.options.slo_p95.is_none() {
            no_slo_p95
        } else if doc.latency.p95.is_none() {
            format!("no p95 at this level: {}", p95_why.unwrap_or_default())
        } else {
            format!(
                "the p95 has no interval: {}",
                from("p95.interval").unwrap_or_default()
            )
        };
        put("slo.p95_ok_confident", Some(why));
    }
    if doc.slo.success_ok.is_none() {
        put(
            "slo.success_ok",
            Some(format!(
                "no error rate at this level: {}",
                error_rate_why.clone().unwrap_or_default()
            )),
        );
    }
    if doc.slo.success_ok_confident.is_none() {
        let why = if doc.error_rate.is_none() {
            format!(
                "no error rate at this level: {}",
                error_rate_why.unwrap_or_default()
            )
        } else {
            format!(
                "the error rate has no interval: {}",
                error_interval_why.unwrap_or_default()
            )
        };
        put("slo.success_ok_confident", Some(why));
    }
    for (i, r) in doc.slos.iter().enumerate() {
        for (end, v) in [("lower", r.lower), ("upper", r.upper)] {
            if v.is_none() {
                put(&format!("slos.{i}.{end}"), r.reason.clone());
            }
        }
    }
    out
}

/// The reasons of the document's own nulls (`model` and `peak` are in [`ReasonsDoc`]).
fn top_reasons(
    out: &mut BTreeMap<String, String>,
    a: &Analysis,
    aggregates: bool,
    levels: &[LevelDoc],
) {
    let mut put = |key: &str, why: String| {
        out.insert(key.to_owned(), why);
    };
    if aggregates {
        put(
            "metric",
            "the input is a table of aggregates: no per-request latency column was read".to_owned(),
        );
    }
    if a.options.slo_p95.is_none() {
        put("objectives.p95", "no p95 objective given".to_owned());
    }
    let no_peak = match (&a.fit, &a.peak) {
        (Err(e), _) => format!("no model: {e}"),
        (Ok(_), Err(e)) => format!("no peak is claimed: {e}"),
        (Ok(_), Ok(_)) => String::new(),
    };
    if a.saturation.is_none() {
        put("saturation", no_peak);
    } else if a.saturation.is_some_and(|s| s.level.is_none()) {
        put(
            "saturation.level",
            "no measured level is within the tolerance of the model's peak".to_owned(),
        );
    }
    if let (Err(e), None) = (&a.fit, a.prediction) {
        put("prediction", format!("no model: {e}"));
    }
    let range = "beyond the floating-point range";
    if let Some((load, p)) = a.prediction {
        if !load.is_finite() {
            put(
                "prediction.load",
                format!("twice the highest level is {range}"),
            );
        }
        if !p.estimate.is_finite() {
            put("prediction.throughput.estimate", range.to_owned());
        }
        for (end, v) in [
            ("lower", p.interval.map(|i| i.lower)),
            ("upper", p.interval.map(|i| i.upper)),
        ] {
            if !v.is_some_and(f64::is_finite) {
                let why = if v.is_some() {
                    range.to_owned()
                } else {
                    format!("no delta-method interval: {}", no_covariance(a))
                };
                put(&format!("prediction.throughput.{end}"), why);
            }
        }
    }
    if let Ok(p) = &a.peak {
        for (key, m) in [("peak.load", p.load), ("peak.throughput", p.throughput)] {
            if !m.estimate.is_finite() {
                put(&format!("{key}.estimate"), range.to_owned());
            }
            for (end, v) in [
                ("lower", m.interval.map(|i| i.lower)),
                ("upper", m.interval.map(|i| i.upper)),
            ] {
                if !v.is_some_and(f64::is_finite) {
                    let why = if v.is_some() {
                        range.to_owned()
                    } else {
                        format!("no delta-method interval: {}", no_covariance(a))
                    };
                    put(&format!("{key}.{end}"), why);
                }
            }
        }
    }
    let d = &a.degradation;
    if d.p95_slo_crossed_at.is_none() {
        let why = if a.options.slo_p95.is_none() {
            "no p95 objective given".to_owned()
        } else if levels.iter().all(|l| l.slo.p95_ok.is_none()) {
            "no level has a p95 to compare with the p95 objective".to_owned()
        } else {
            "no level's p95 estimate exceeds the p95 objective".to_owned()
        };
        put("degradation.p95_slo_crossed_at", why);
    }
    if d.errors_start_at.is_none() {
        let why = if levels.iter().all(|l| l.slo.success_ok.is_none()) {
            "no level has an error rate to compare with the smallest acceptable success rate"
                .to_owned()
        } else {
            format!(
                "no level's success rate estimate is below the smallest acceptable one, {}",
                a.options.min_success
            )
        };
        put("degradation.errors_start_at", why);
    }
    for (i, c) in d.slos.iter().enumerate() {
        if c.crossed_at.is_none() {
            put(
                &format!("degradation.slos.{i}.crossed_at"),
                format!(
                    "no level from {} on has an estimate breaking {}",
                    c.judged_from, c.objective.text
                ),
            );
        }
    }
    if d.level.is_none() {
        put(
            "degradation.level",
            "no level's estimate breaks an objective".to_owned(),
        );
    }
    if a.highest_confident.is_none() {
        let why = match levels.first() {
            None => "no levels".to_owned(),
            Some(l)
                if l.slo.p95_ok_confident.is_none()
                    && l.slo.success_ok_confident.is_none()
                    && l.slos.is_empty() =>
            {
                format!(
                    "nothing can be confirmed at the lowest level: {}",
                    l.reasons
                        .get("slo.success_ok_confident")
                        .cloned()
                        .unwrap_or_default()
                )
            }
            Some(_) => {
                "no level meets every objective with confidence together with every lower level"
                    .to_owned()
            }
        };
        put("highest_level_meeting_slos", why);
    }
}

impl CapacityDoc {
    /// The document of an analysis.
    #[must_use]
    pub fn new(
        a: &Analysis,
        inputs: Vec<String>,
        metric: Option<String>,
        unit: Option<String>,
    ) -> Self {
        let levels: Vec<LevelDoc> = a
            .levels
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let mut doc = LevelDoc {
                    level: l.level,
                    source: l.source.clone(),
                    requests: l.requests,
                    failed: l.failed,
                    duration_s: l.duration_s,
                    throughput: l.throughput.into(),
                    goodput: l.goodput,
                    latency: LatencyDoc {
                        mean: l.mean_latency,
                        p50: l.percentile(0.5).map(Into::into),
                        p95: l.percentile(0.95).map(Into::into),
                        p99: l.percentile(0.99).map(Into::into),
                    },
                    error_rate: l.error_rate.map(Into::into),
                    little: l.little.map(|x| LittleDoc {
                        concurrency: x.concurrency,
                        ratio: x.ratio,
                        verdict: verdict_name(x.verdict),
                    }),
                    slo: SloDoc {
                        p95_ok: l.slo.p95_ok,
                        p95_ok_confident: l.slo.p95_ok_confident,
                        success_ok: l.slo.success_ok,
                        success_ok_confident: l.slo.success_ok_confident,
                    },
                    slos: l.slos.iter().map(ObjectiveDoc::from).collect(),
                    reasons: BTreeMap::new(),
                    replicates: l.replicates.clone(),
                    throughput_sd: l.throughput_sd,
                    model: model::level_model(a, i),
                };
                doc.reasons = level_reasons(&doc, l, a);
                doc
            })
            .collect();
        let model = a.fit.as_ref().ok().map(|f| ModelDoc {
            name: "usl",
            lambda: f.lambda.into(),
            sigma: f.sigma.into(),
            kappa: f.kappa.into(),
            r_squared: f.r_squared,
            points: f.points,
            dof: f.dof,
            ssr: f.ssr,
            iterations: f.iterations,
            covariance: f.covariance,
            fit: if f.bounded { "bounded" } else { "unbounded" },
            weighted: f.weighted,
            at_bound: model::at_bound(a),
            unbounded: model::unbounded(a),
            amdahl: model::amdahl(a),
            efficiency_base: a.efficiency_base.map_or(f.params.lambda, |b| b.0),
            efficiency_base_measured: a.efficiency_base.is_some_and(|b| b.1),
        });
        let mut reasons = ReasonsDoc {
            model: a.fit.as_ref().err().cloned(),
            peak: match (&a.fit, &a.peak) {
                (Ok(_), Err(e)) => Some(e.clone()),
                (Err(e), _) => Some(format!("no model: {e}")),
                (Ok(_), Ok(_)) => None,
            },
            other: BTreeMap::new(),
        };
        top_reasons(&mut reasons.other, a, metric.is_none(), &levels);
        if let Some(m) = &model {
            model_reasons(&mut reasons.other, m, a);
        }
        let mut doc = Self {
            command: "capacity",
            inputs,
            metric,
            unit,
            workload: match a.options.workload {
                Workload::Closed => "closed",
                Workload::Open => "open",
            },
            confidence: a.options.confidence.level(),
            objectives: ObjectivesDoc {
                p95: a.options.slo_p95,
                min_success: a.options.min_success,
                slos: a.options.slos.iter().map(|o| o.text.clone()).collect(),
            },
            levels,
            model,
            peak: a.peak.as_ref().ok().map(|p| PeakDoc {
                load: p.load.into(),
                throughput: p.throughput.into(),
            }),
            saturation: a.saturation.map(|s| SaturationDoc {
                level: s.level,
                model_load: s.model_load,
                model_lower: s.model_interval.map(|i| i.lower),
                model_upper: s.model_interval.map(|i| i.upper),
                tolerance: a.options.saturation_tolerance,
            }),
            prediction: a.prediction.map(|(load, p)| PredictionDoc {
                load,
                throughput: p.into(),
            }),
            predictions: model::predictions(a),
            degradation: DegradationDoc {
                level: a.degradation.level,
                p95_slo_crossed_at: a.degradation.p95_slo_crossed_at,
                errors_start_at: a.degradation.errors_start_at,
                slos: a
                    .degradation
                    .slos
                    .iter()
                    .map(|c| CrossingDoc {
                        objective: c.objective.text.clone(),
                        judged_from: c.judged_from,
                        crossed_at: c.crossed_at,
                    })
                    .collect(),
            },
            highest_level_meeting_slos: a.highest_confident,
            reasons,
            notes: a.notes.clone(),
        };
        let mut extra = BTreeMap::new();
        model::reasons(&mut extra, &doc, a);
        doc.reasons.other.extend(extra);
        model::level_reasons(&mut doc);
        doc
    }

    fn unit_suffix(&self) -> String {
        self.unit
            .as_deref()
            .map_or(String::new(), |u| format!(" {u}"))
    }

    /// Whether the `k`-th `--slo` objective is a lower bound (`>`, `>=`).
    fn is_lower_bound(&self, k: usize) -> bool {
        self.levels
            .first()
            .and_then(|l| l.slos.get(k))
            .is_some_and(|r| r.op.starts_with('>'))
    }

    fn level_word(&self) -> &'static str {
        if self.workload == "open" {
            "req/s offered"
        } else {
            "users"
        }
    }

    /// The findings in a few sentences (peak, saturation, degradation, SLOs).
    #[must_use]
    pub fn findings(&self) -> Vec<String> {
        let mut out = Vec::new();
        let pct = percent(self.confidence);
        match (&self.model, &self.peak) {
            (Some(m), Some(p)) => out.push(format!(
                "Peak throughput **{}/s** ({pct} interval {}) at **N\\* = {}** {} ({}), from the \
                 Universal Scalability Law fit (R² = {}).",
                num(p.throughput.estimate),
                range(p.throughput),
                num(p.load.estimate),
                self.level_word(),
                range(p.load),
                m.r_squared.map_or("—".into(), |r| sig(r, 5)),
            )),
            (Some(_), None) => out.push(format!(
                "No throughput peak is claimed: {}.",
                self.reasons
                    .peak
                    .as_deref()
                    .unwrap_or("")
                    .trim_start_matches("no peak: ")
            )),
            (None, _) => out.push(format!(
                "No scalability model: {}.",
                self.reasons.model.as_deref().unwrap_or("")
            )),
        }
        if let Some(s) = &self.saturation {
            let model_at = format!(
                "the model reaches {} of its peak at **N ≈ {}** {}{}",
                percent(1.0 - s.tolerance),
                num(s.model_load),
                self.level_word(),
                match (s.model_lower, s.model_upper) {
                    (Some(a), Some(b)) => format!(" ([{}, {}])", num(a), num(b)),
                    _ => String::new(),
                }
            );
            out.push(match s.level {
                Some(l) => format!(
                    "Saturation: {model_at}; the measured throughput is within {} of the peak \
                     from {} {} on.",
                    percent(s.tolerance),
                    num(l),
                    self.level_word(),
                ),
                None => format!(
                    "Saturation: {model_at}; no level measured reaches {} of the peak.",
                    percent(1.0 - s.tolerance),
                ),
            });
        }
        let d = &self.degradation;
        let mut deg = Vec::new();
        if let (Some(l), Some(slo)) = (d.p95_slo_crossed_at, self.objectives.p95) {
            deg.push(format!(
                "p95 crosses {}{} at **{}** {}",
                num(slo),
                self.unit_suffix(),
                num(l),
                self.level_word()
            ));
        }
        if let Some(l) = d.errors_start_at {
            deg.push(format!(
                "the success rate falls below {} at **{}** {}",
                percent(self.objectives.min_success),
                num(l),
                self.level_word()
            ));
        }
        for (k, c) in d.slos.iter().enumerate() {
            let lower_bound = self.is_lower_bound(k);
            match c.crossed_at {
                Some(l) if lower_bound && l == c.judged_from => {
                    deg.push(format!("`{}` is met at no level", c.objective));
                }
                Some(l) => deg.push(format!(
                    "`{}` is broken at **{}** {}{}",
                    c.objective,
                    num(l),
                    self.level_word(),
                    if lower_bound {
                        format!(" (met from {} on)", num(c.judged_from))
                    } else {
                        String::new()
                    }
                )),
                None => {}
            }
        }
        if deg.is_empty() {
            out.push("Degradation: no level breaks an objective.".to_owned());
        } else {
            out.push(format!("Degradation: {}.", deg.join("; ")));
        }
        out.push(match self.highest_level_meeting_slos {
            Some(l) => format!(
                "Highest level meeting every objective with {pct} confidence (and every level \
                 below it): **{}** {}.",
                num(l),
                self.level_word()
            ),
            None => format!(
                "No level meets every objective with {pct} confidence (or the input has no \
                 intervals: aggregates)."
            ),
        });
        if let Some(p) = &self.prediction {
            out.push(format!(
                "At {} {} (twice the highest level) the model predicts {}/s ({}).",
                num(p.load),
                self.level_word(),
                num(p.throughput.estimate),
                range(p.throughput)
            ));
        }
        out.extend(model::findings(self));
        out
    }

    /// The terminal table: one row per level, then the model and the findings.
    #[must_use]
    pub fn table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "capacity · {} levels · {} workload · {} intervals",
            self.levels.len(),
            self.workload,
            percent(self.confidence)
        );
        let u = self.unit_suffix();
        let mut rows: Vec<Vec<String>> = vec![vec![
            "level".into(),
            "requests".into(),
            "throughput/s".into(),
            format!("p50{u}"),
            format!("p95{u}"),
            format!("p99{u}"),
            "errors".into(),
            "X·R".into(),
            "SLOs".into(),
        ]];
        for l in &self.levels {
            let mut row = level_cells(l);
            row.push(l.little.as_ref().map_or("—".into(), |x| {
                let flag = if x.verdict == "consistent" { "" } else { " !" };
                format!("{}{flag}", sig(x.concurrency, 3))
            }));
            row.push(slo_cell(&l.slo));
            rows.push(row);
        }
        out.push_str(&align(&rows));
        out.push('\n');
        if !self.objectives.slos.is_empty() {
            let _ = writeln!(
                out,
                "objectives · pass: the whole {} interval meets it, FAIL: the whole interval \
                 misses it, else uncertain",
                percent(self.confidence)
            );
            let mut rows: Vec<Vec<String>> = vec![
                std::iter::once("level".to_owned())
                    .chain(self.objectives.slos.iter().cloned())
                    .collect(),
            ];
            for l in &self.levels {
                rows.push(
                    std::iter::once(num(l.level))
                        .chain(l.slos.iter().enumerate().map(|(k, r)| {
                            let status = match r.status {
                                "fail" => "FAIL",
                                other => other,
                            };
                            self.objective_cell(status, k, l.level, r)
                        }))
                        .collect(),
                );
            }
            out.push_str(&align(&rows));
            out.push('\n');
        }
        if let Some(m) = &self.model {
            let _ = writeln!(
                out,
                "USL: λ = {}, σ = {}, κ = {}, R² = {}",
                param(m.lambda),
                param(m.sigma),
                param(m.kappa),
                m.r_squared.map_or("—".into(), |r| sig(r, 5))
            );
        }
        for f in self.findings() {
            let _ = writeln!(
                out,
                "{}",
                f.replace("**", "").replace("\\*", "*").replace('`', "")
            );
        }
        for n in &self.notes {
            let _ = writeln!(out, "note: {n}");
        }
        out
    }

    /// The Markdown report; `plots` are the PNG names to link (none on stdout).
    #[must_use]
    pub fn markdown(&self, plots: &[plot::CapacityPlot]) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} load levels, {} workload, {} intervals.\n",
            self.levels.len(),
            self.workload,
            percent(self.confidence)
        );
        for f in self.findings() {
            let _ = writeln!(out, "- {f}");
        }
        out.push('\n');
        let u = self.unit_suffix();
        out.push_str("## Per level\n\n");
        let _ = writeln!(
            out,
            "| level | requests | throughput/s | p50{u} | p95{u} | p99{u} | error rate | X·R | SLOs |"
        );
        out.push_str("|---:|---:|---|---|---|---|---|---:|---|\n");
        for l in &self.levels {
            let mut row = level_cells(l);
            row.push(l.little.as_ref().map_or("—".into(), |x| {
                format!(
                    "{} ({})",
                    sig(x.concurrency, 3),
                    x.verdict.replace('_', " ")
                )
            }));
            row.push(slo_cell(&l.slo));
            let _ = writeln!(out, "| {} |", row.join(" | "));
        }
        out.push('\n');
        let _ = writeln!(
            out,
            "Intervals in brackets: throughput (Poisson count), percentiles \
             (distribution-free, order statistics), error rate (Wilson). SLOs: ✓ met with \
             confidence, ~ met by the estimate only, ✗ broken. Objectives: p95 ≤ {}, success \
             ≥ {}{}.\n",
            self.objectives
                .p95
                .map_or("— (none given)".into(), |v| format!("{}{u}", num(v))),
            percent(self.objectives.min_success),
            if self.objectives.slos.is_empty() {
                String::new()
            } else {
                format!(
                    "; also {}",
                    self.objectives
                        .slos
                        .iter()
                        .map(|o| format!("`{o}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        );
        if !self.objectives.slos.is_empty() {
            out.push_str("## Objectives per level\n\n");
            let _ = writeln!(
                out,
                "| level | {} |",
                self.objectives
                    .slos
                    .iter()
                    .map(|o| format!("`{o}`"))
                    .collect::<Vec<_>>()
                    .join(" | ")
            );
            let _ = writeln!(out, "|---:|{}", "---|".repeat(self.objectives.slos.len()));
            for l in &self.levels {
                let cells: Vec<String> = l
                    .slos
                    .iter()
                    .enumerate()
                    .map(|(k, r)| {
                        let status = match r.status {
                            "pass" => "✅ pass",
                            "fail" => "❌ fail",
                            _ => "❔ uncertain",
                        };
                        self.objective_cell(status, k, l.level, r)
                    })
                    .collect();
                let _ = writeln!(out, "| {} | {} |", num(l.level), cells.join(" | "));
            }
            let _ = writeln!(
                out,
                "\nJudged as `perfstat describe` judges its objectives: pass when the whole {} \
                 interval meets the objective, fail when the whole interval misses it, otherwise \
                 uncertain. Latencies in ms. \"not counted\": a throughput floor (`>`, `>=`) \
                 below the first level whose estimate meets it.\n",
                percent(self.confidence)
            );
        }
        out.push_str("## Scalability model\n\n");
        match &self.model {
            Some(m) => {
                out.push_str(
                    "X(N) = λN / (1 + σ(N − 1) + κN(N − 1)), fitted to throughput by \
                     least squares (Levenberg–Marquardt).\n\n",
                );
                out.push_str("| parameter | estimate | std. error | interval |\n");
                out.push_str("|---|---:|---:|---|\n");
                for (name, p) in [
                    ("λ (throughput of one user, /s)", m.lambda),
                    ("σ (contention)", m.sigma),
                    ("κ (coherency)", m.kappa),
                ] {
                    let _ = writeln!(
                        out,
                        "| {name} | {} | {} | {} |",
                        sig(p.estimate, 4),
                        p.std_error.map_or("—".into(), |s| sig(s, 3)),
                        match (p.lower, p.upper) {
                            (Some(a), Some(b)) => format!("[{}, {}]", sig(a, 4), sig(b, 4)),
                            _ => "—".into(),
                        }
                    );
                }
                let _ = writeln!(
                    out,
                    "\nR² = {}, {} levels, {} residual degrees of freedom.\n",
                    m.r_squared.map_or("—".into(), |r| sig(r, 5)),
                    m.points,
                    m.dof
                );
                out.push_str(&model::markdown_levels(self));
            }
            None => {
                let _ = writeln!(
                    out,
                    "Not fitted: {}.\n",
                    self.reasons.model.as_deref().unwrap_or("")
                );
            }
        }
        if !plots.is_empty() {
            out.push_str("## Plots\n\n");
            for p in plots {
                let _ = writeln!(out, "![{}]({})\n", p.title, p.png_name);
            }
        }
        if !self.notes.is_empty() {
            out.push_str("## Notes\n\n");
            for n in &self.notes {
                let _ = writeln!(out, "- {n}");
            }
            out.push('\n');
        }
        out
    }
}

impl CapacityDoc {
    /// `pass 88.2 ms [87, 90]`: the `k`-th objective at `level`, with `status` as given.
    fn objective_cell(&self, status: &str, k: usize, level: f64, r: &ObjectiveDoc) -> String {
        let v = |x: f64| match r.unit {
            "fraction" => pct_value(x),
            "1/s" => format!("{}/s", num(x)),
            unit => format!("{} {unit}", num(x)),
        };
        let bare = |x: f64| match r.unit {
            "fraction" => pct_value(x),
            _ => num(x),
        };
        let interval = match (r.lower, r.upper) {
            (Some(a), Some(b)) if a == b => " (observed)".to_owned(),
            (Some(a), Some(b)) => format!(" [{}, {}]", bare(a), bare(b)),
            _ => " (no interval)".to_owned(),
        };
        let counted = self
            .degradation
            .slos
            .get(k)
            .is_none_or(|c| level >= c.judged_from);
        format!(
            "{status} {}{interval}{}",
            v(r.estimate),
            if counted { "" } else { " (not counted)" }
        )
    }
}

/// The cells the terminal table and the Markdown share for a level: level, requests,
/// throughput, p50, p95, p99 and error rate, with their intervals.
fn level_cells(l: &LevelDoc) -> Vec<String> {
    let p = |v: &Option<ValueDoc>| v.map_or("—".into(), with_range);
    vec![
        num(l.level),
        l.requests.map_or("—".into(), |n| n.to_string()),
        with_range(l.throughput),
        p(&l.latency.p50),
        p(&l.latency.p95),
        p(&l.latency.p99),
        l.error_rate.map_or("—".into(), |e| {
            let range = match (e.lower, e.upper) {
                (Some(a), Some(b)) => format!(" [{}, {}]", pct_value(a), pct_value(b)),
                _ => String::new(),
            };
            format!("{}{range}", pct_value(e.estimate))
        }),
    ]
}

fn slo_cell(s: &SloDoc) -> String {
    let mark = |ok: Option<bool>, confident: Option<bool>| match (ok, confident) {
        (_, Some(true)) => Some("✓"),
        (Some(true), _) => Some("~"),
        (Some(false), _) => Some("✗"),
        (None, _) => None,
    };
    let mut parts = Vec::new();
    if let Some(m) = mark(s.p95_ok, s.p95_ok_confident) {
        parts.push(format!("p95 {m}"));
    }
    if let Some(m) = mark(s.success_ok, s.success_ok_confident) {
        parts.push(format!("ok {m}"));
    }
    if parts.is_empty() {
        "—".into()
    } else {
        parts.join(" ")
    }
}

/// Left-aligned first column, right-aligned others, two spaces apart.
fn align(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for r in rows {
        let cells: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(c, s)| {
                let pad = widths[c].saturating_sub(s.chars().count());
                format!("{}{s}", " ".repeat(pad))
            })
            .collect();
        let _ = writeln!(out, "{}", cells.join("  ").trim_end());
    }
    out
}

pub(super) fn num(x: f64) -> String {
    let s = sig(x, 4);
    if s.contains('.') && !s.contains('e') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

pub(super) fn range(v: ValueDoc) -> String {
    match (v.lower, v.upper) {
        (Some(a), Some(b)) => format!("[{}, {}]", num(a), num(b)),
        _ => "no interval".into(),
    }
}

fn with_range(v: ValueDoc) -> String {
    match (v.lower, v.upper) {
        (Some(a), Some(b)) => format!("{} [{}, {}]", num(v.estimate), num(a), num(b)),
        _ => num(v.estimate),
    }
}

fn param(p: ParamDoc) -> String {
    match (p.lower, p.upper) {
        (Some(a), Some(b)) => format!("{} [{}, {}]", sig(p.estimate, 4), sig(a, 3), sig(b, 3)),
        _ => sig(p.estimate, 4),
    }
}

fn pct_value(x: f64) -> String {
    let s = sig(100.0 * x, 3);
    let s = if s.contains('.') && !s.contains('e') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    };
    format!("{s}%")
}

pub(super) fn percent(x: f64) -> String {
    format!("{} %", num(100.0 * x))
}

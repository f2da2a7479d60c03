//! Per-level summaries, Little's law, saturation, degradation and SLO points.

use std::collections::BTreeMap;

use perfstat_stats::dist::normal_isf;
use perfstat_stats::interval::quantile_interval;
use perfstat_stats::proportion::wilson_interval;
use perfstat_stats::quantile::{QuantileMethod, quantile_sorted};
use perfstat_stats::slo::{Objective, SloResult};
use perfstat_stats::{Confidence, Interval, Sample};

use crate::error::{Error, Result};
use crate::model::{self, FitMethod, LevelModel, Prediction};
use crate::objectives::{self, SloCrossing};
use crate::usl::{self, AmdahlComparison, NoPeak, Peak, Predicted, UslFit};

/// The percentile levels summarised at every load level.
pub const PERCENTILES: [f64; 3] = [0.5, 0.95, 0.99];

/// How the load generator applied load.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Workload {
    /// Closed: the level is a number of concurrent users (virtual users,
    /// threads), each sending its next request when the previous one returns.
    #[default]
    Closed,
    /// Open: the level is an arrival rate (requests per second) that does not
    /// wait for responses.
    Open,
}

impl std::str::FromStr for Workload {
    type Err = String;

    /// `closed` or `open`.
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s {
            "closed" => Ok(Self::Closed),
            "open" => Ok(Self::Open),
            _ => Err(format!("expected closed or open, found {s:?}")),
        }
    }
}

/// Options of [`analyze`].
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// Confidence level of every interval.
    pub confidence: Confidence,
    /// The p95 latency objective, in the unit of the latencies. Judged like
    /// the objective `p95<=VALUE` in [`Options::slos`], but reported in
    /// [`LevelSummary::slo`].
    pub slo_p95: Option<f64>,
    /// The smallest acceptable success rate in [0, 1] (0.95 by default).
    /// Judged like the objective `error_rate<=(1 − min_success)`, reported
    /// in [`LevelSummary::slo`].
    pub min_success: f64,
    /// General objectives (`p95<800ms`, `error_rate<1%`,
    /// `throughput>=100/s`, parsed by [`perfstat_stats::slo`]), judged at
    /// every level on that level's intervals ([`LevelSummary::slos`]).
    /// Latency thresholds are in milliseconds: the latencies are converted
    /// with [`Options::latency_unit_s`] (taken as milliseconds when unknown).
    pub slos: Vec<Objective>,
    /// Closed (concurrency levels) or open (arrival rates).
    pub workload: Workload,
    /// The seconds one latency unit is (0.001 for milliseconds), for Little's
    /// law; `None` when the unit is unknown (no check).
    pub latency_unit_s: Option<f64>,
    /// The saturation point is the first level whose throughput is within
    /// this share of the model's peak (0.05).
    pub saturation_tolerance: f64,
    /// Bounded (default) or unbounded least squares.
    pub fit_method: FitMethod,
    /// Loads at which to predict throughput (and response time).
    pub predict: Vec<f64>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            confidence: Confidence::DEFAULT,
            slo_p95: None,
            min_success: 0.95,
            slos: Vec::new(),
            workload: Workload::Closed,
            latency_unit_s: Some(0.001),
            saturation_tolerance: 0.05,
            fit_method: FitMethod::Bounded,
            predict: Vec::new(),
        }
    }
}

/// One run at one load level.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    /// The load level: concurrent users (closed) or requests per second (open).
    pub level: f64,
    /// Where the run came from (a file name, `table row 3`).
    pub source: String,
    /// What was measured.
    pub data: RunData,
}

/// The measurements of a run.
#[derive(Clone, Debug, PartialEq)]
pub enum RunData {
    /// Per-request measurements.
    Requests(Requests),
    /// A row of aggregates (Locust stats history, vLLM results, a summary table).
    Aggregates(Aggregates),
}

/// Per-request measurements of one run.
#[derive(Clone, Debug, PartialEq)]
pub struct Requests {
    /// Latencies of the successful requests (any order).
    pub latencies: Vec<f64>,
    /// Requests sent, failed ones included.
    pub total: u64,
    /// Requests that failed; `None` when the input does not say.
    pub failed: Option<u64>,
    /// The run's duration in seconds.
    pub duration_s: f64,
}

/// Aggregates of one run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Aggregates {
    /// Requests per second (failed ones included).
    pub throughput: f64,
    /// The throughput's standard deviation (a `throughput_stddev` column):
    /// the fit weighs the row by 1/sd² when every row has one.
    pub throughput_sd: Option<f64>,
    /// Median latency.
    pub p50: Option<f64>,
    /// 95th percentile latency.
    pub p95: Option<f64>,
    /// 99th percentile latency.
    pub p99: Option<f64>,
    /// Mean latency (for Little's law).
    pub mean: Option<f64>,
    /// Failed requests over all requests, in [0, 1].
    pub error_rate: Option<f64>,
    /// Requests behind the row (for the error rate's Wilson interval).
    pub requests: Option<u64>,
}

/// An estimate with an interval when one is defined.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Measure {
    /// The point estimate.
    pub estimate: f64,
    /// Its interval; `None` for aggregates or too few values.
    pub interval: Option<Interval>,
}

/// One latency percentile at one level.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Percentile {
    /// The level in (0, 1), e.g. 0.95.
    pub level: f64,
    /// The estimate (type 7) and its distribution-free interval.
    pub value: Measure,
}

/// Little's law at one level.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Little {
    /// Mean requests in flight, L = X·R (throughput × mean latency of the
    /// successful requests, in seconds).
    pub concurrency: f64,
    /// Closed: L / N; open: X / offered rate.
    pub ratio: f64,
    /// What the ratio says.
    pub verdict: LittleVerdict,
}

/// What Little's law says about a level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LittleVerdict {
    /// Within 10 % (closed) or at least 95 % of the offered rate (open).
    Consistent,
    /// Closed: fewer requests in flight than users (L < 0.9·N): think time,
    /// or a load generator that could not keep its users busy.
    GeneratorBound,
    /// Closed: more requests in flight than users (L > 1.1·N): the level is
    /// not the concurrency (an open workload, or several requests per user).
    ExcessConcurrency,
    /// Open: throughput below 95 % of the offered rate: the generator could
    /// not send at the rate, or the service could not keep up.
    BelowOfferedRate,
}

/// The SLO checks of one level.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SloCheck {
    /// p95 ≤ SLO (estimate); `None` without an SLO or a p95.
    pub p95_ok: Option<bool>,
    /// p95's interval lies at or below the SLO; `None` without an SLO or an interval.
    pub p95_ok_confident: Option<bool>,
    /// Success rate ≥ `min_success` (estimate); `None` without an error rate.
    pub success_ok: Option<bool>,
    /// The success rate's Wilson interval lies at or above `min_success`.
    pub success_ok_confident: Option<bool>,
}

impl SloCheck {
    /// Every known objective met by its estimate; `None` when nothing is known.
    #[must_use]
    pub fn ok(&self) -> Option<bool> {
        combine(self.p95_ok, self.success_ok)
    }

    /// Every known objective met with confidence; `None` when nothing is known.
    #[must_use]
    pub fn ok_confident(&self) -> Option<bool> {
        combine(self.p95_ok_confident, self.success_ok_confident)
    }
}

fn combine(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (None, None) => None,
        (a, b) => Some(a.unwrap_or(true) && b.unwrap_or(true)),
    }
}

/// The summary of one load level.
#[derive(Clone, Debug, PartialEq)]
pub struct LevelSummary {
    /// The load level.
    pub level: f64,
    /// Where the run came from.
    pub source: String,
    /// Requests (per-request input, or the aggregates' `requests`).
    pub requests: Option<u64>,
    /// Failed requests, when known.
    pub failed: Option<u64>,
    /// Duration in seconds (per-request input).
    pub duration_s: Option<f64>,
    /// Requests per second, failed included; per-request input gets a
    /// Poisson (normal-approximation) interval on the count.
    pub throughput: Measure,
    /// Successful requests per second.
    pub goodput: Option<f64>,
    /// Mean latency of the successful requests.
    pub mean_latency: Option<f64>,
    /// p50, p95, p99.
    pub percentiles: Vec<Percentile>,
    /// Failed over all requests, with a Wilson interval when the count is known.
    pub error_rate: Option<Measure>,
    /// Little's law.
    pub little: Option<Little>,
    /// The `--slo-p95` and `--min-success` checks.
    pub slo: SloCheck,
    /// [`Options::slos`] judged on this level, in the same order: latency
    /// estimates and bounds in milliseconds.
    pub slos: Vec<SloResult>,
    /// Why a measurement above is `None` or has no interval, by field: `requests`, `failed`,
    /// `duration_s`, `throughput.interval`, `mean_latency`, `p50` / `p95` / `p99` (and
    /// `.interval`), `error_rate`, `error_rate.interval`.
    pub reasons: BTreeMap<&'static str, String>,
    /// The throughputs of the runs at this level when there are several
    /// (replicates: each is a point of the fit, and the throughput is their
    /// mean with a t interval); empty for one run.
    pub replicates: Vec<f64>,
    /// The throughput's standard deviation given by the table, when one run.
    pub throughput_sd: Option<f64>,
    /// Fitted value, residual and efficiency, when there is a model.
    pub model: Option<LevelModel>,
}

impl LevelSummary {
    /// The percentile at `level` (e.g. 0.95), if summarised.
    #[must_use]
    pub fn percentile(&self, level: f64) -> Option<Measure> {
        self.percentiles
            .iter()
            .find(|p| (p.level - level).abs() < 1e-12)
            .map(|p| p.value)
    }
}

/// The saturation point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Saturation {
    /// The first measured level whose throughput is within the tolerance of
    /// the model's peak; `None` when no level got there.
    pub level: Option<f64>,
    /// The load at which the model's throughput first reaches
    /// (1 − tolerance)·X(N*).
    pub model_load: f64,
    /// The delta-method interval of `model_load`.
    pub model_interval: Option<Interval>,
}

/// The degradation point.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Degradation {
    /// The first level whose p95 estimate exceeds the SLO.
    pub p95_slo_crossed_at: Option<f64>,
    /// The first level whose success rate estimate is below `min_success`.
    pub errors_start_at: Option<f64>,
    /// Where each of [`Options::slos`] is crossed, in the same order.
    pub slos: Vec<SloCrossing>,
    /// The smallest of them all: the first level that breaks an objective.
    pub level: Option<f64>,
}

/// Everything `perfstat capacity` reports.
#[derive(Clone, Debug, PartialEq)]
pub struct Analysis {
    /// One summary per level, by ascending level.
    pub levels: Vec<LevelSummary>,
    /// The USL fit to throughput against level; `Err` with why it is missing.
    pub fit: std::result::Result<UslFit, String>,
    /// The model's peak; `Err` with why none is claimed.
    pub peak: std::result::Result<Peak, String>,
    /// The saturation point, when a peak is claimed.
    pub saturation: Option<Saturation>,
    /// The model's throughput at twice the highest level.
    pub prediction: Option<(f64, Predicted)>,
    /// The unbounded fit, when the bounded one holds a parameter at a bound.
    pub unbounded_fit: Option<UslFit>,
    /// The USL compared with Amdahl's law (κ = 0); `Err` with why not.
    pub amdahl: std::result::Result<AmdahlComparison, String>,
    /// The predictions at [`Options::predict`].
    pub predictions: Vec<Prediction>,
    /// X(1) of the per-level efficiency and whether it was measured (level
    /// 1) or is the model's λ.
    pub efficiency_base: Option<(f64, bool)>,
    /// The first levels breaking the objectives.
    pub degradation: Degradation,
    /// The highest level that, with every lower level, meets every objective
    /// with confidence; `None` when no level does or nothing can be confirmed.
    pub highest_confident: Option<f64>,
    /// Notes on assumptions and data (one sentence each).
    pub notes: Vec<String>,
    /// The options used.
    pub options: Options,
}

impl Analysis {
    /// Whether Little's law found more requests in flight than users at some level
    /// ([`LittleVerdict::ExcessConcurrency`]: the levels may be arrival rates).
    #[must_use]
    pub fn excess_concurrency(&self) -> bool {
        let excess = |l: &Little| l.verdict == LittleVerdict::ExcessConcurrency;
        self.levels
            .iter()
            .any(|l| l.little.as_ref().is_some_and(excess))
    }

    /// The highest level tested (`None` without levels).
    #[must_use]
    pub fn highest_level(&self) -> Option<f64> {
        self.levels.iter().map(|l| l.level).reduce(f64::max)
    }

    /// Whether the degradation point (p95 above its objective, the success
    /// rate below its minimum, or an objective of [`Options::slos`] crossed)
    /// lies strictly below the highest level tested:
    /// the service breaks an objective inside the range the test covered
    /// (`perfstat capacity --fail-on degradation` exits 1 then). A break at
    /// the highest level only says the test reached the limit, and is not
    /// counted.
    #[must_use]
    pub fn degrades_below_highest_level(&self) -> bool {
        match (self.degradation.level, self.highest_level()) {
            (Some(d), Some(top)) => d < top,
            _ => false,
        }
    }

    /// The results of [`Options::slos`] at the levels each objective is
    /// judged at ([`SloCrossing::judged_from`] on): every level for an upper
    /// bound (`<`, `<=`), the levels from the first one whose estimate meets
    /// it for a lower bound (`>`, `>=`, e.g. `throughput>=100/s`). This is
    /// what `perfstat capacity --fail-on-slo` looks at.
    #[must_use]
    pub fn counted_slo_results(&self) -> Vec<(&LevelSummary, &SloResult)> {
        self.levels
            .iter()
            .flat_map(|l| {
                l.slos
                    .iter()
                    .zip(&self.degradation.slos)
                    .filter(move |(_, c)| l.level >= c.judged_from)
                    .map(move |(r, _)| (l, r))
            })
            .collect()
    }
}

/// Summarises every run, fits the USL and finds the capacity points.
///
/// # Errors
/// [`Error::TooFewLevels`] with fewer than 3 distinct levels;
/// [`Error::InvalidLevel`], [`Error::DuplicateLevel`], [`Error::InvalidDuration`],
/// [`Error::FailedExceedTotal`], [`Error::NoRequests`], [`Error::InvalidLatencies`],
/// [`Error::InvalidAggregate`], [`Error::InvalidErrorRate`] for bad runs;
/// [`Error::InvalidSloP95`], [`Error::InvalidMinSuccess`],
/// [`Error::InvalidSaturationTolerance`], [`Error::InvalidLatencyUnit`] or
/// [`Error::InvalidThreshold`] for an SLO ≤ 0, a `min_success` outside
/// [0, 1], a tolerance outside (0, 1), a latency unit ≤ 0 or an objective
/// whose threshold is not a finite non-negative number; [`Error::Objective`] when
/// a level lacks what an objective of [`Options::slos`] needs (an error
/// rate from a generic CSV, a `p90` or `max` from a table of aggregates).
pub fn analyze(runs: &[Run], options: &Options) -> Result<Analysis> {
    check_options(options)?;
    let mut runs: Vec<&Run> = runs.iter().collect();
    for r in &runs {
        if !(r.level.is_finite() && r.level > 0.0) {
            return Err(Error::InvalidLevel {
                run: r.source.clone(),
                level: r.level,
            });
        }
    }
    runs.sort_by(|a, b| a.level.total_cmp(&b.level));
    let mut groups: Vec<Vec<&Run>> = Vec::new();
    for r in &runs {
        match groups.last_mut() {
            Some(g) if g[0].level == r.level => g.push(r),
            _ => groups.push(vec![r]),
        }
    }
    if groups.len() < usl::MIN_LEVELS {
        return Err(Error::TooFewLevels {
            got: groups.len(),
            need: usl::MIN_LEVELS,
        });
    }
    let mut levels: Vec<LevelSummary> = groups
        .iter()
        .map(|g| summarise_level(g, options))
        .collect::<Result<_>>()?;
    let mut notes = Vec::new();

    let fit = match options.workload {
        Workload::Open => Err(
            "open workload: the levels are arrival rates, and the Universal Scalability Law \
             models throughput against concurrency; no fit"
                .to_owned(),
        ),
        Workload::Closed => {
            match model::fit(&runs, options.fit_method, options.confidence, &mut notes) {
                Ok(f) => Ok(f),
                Err(e @ Error::TooFewLevels { .. }) => return Err(e),
                Err(e) => Err(e.to_string()),
            }
        }
    };
    let (fit, unbounded_fit) = match fit {
        Ok((f, u)) => (Ok(f), u),
        Err(e) => (Err(e), None),
    };
    let peak = match &fit {
        Ok(f) => f.peak().map_err(|e: NoPeak| format!("no peak: {e}")),
        Err(_) => Err("no model".to_owned()),
    };
    let max_level = levels.last().map_or(0.0, |l| l.level);
    if let Ok(f) = &fit {
        if f.dof == 0 {
            notes.push(
                "3 levels: the model passes through every point, so it has no intervals, no R² \
                 and no confirmed peak; measure 6 or more levels"
                    .to_owned(),
            );
        }
        notes.extend(model::bound_notes(f, unbounded_fit.as_ref()));
        if f.params.sigma < 0.0 {
            notes.push(format!(
                "σ = {:.3} < 0: throughput grows faster than linearly between the levels \
                 (caches warming, batching); the model extrapolates poorly",
                f.params.sigma
            ));
        }
    }
    let saturation = match (&fit, &peak) {
        (Ok(f), Ok(p)) => Some(saturation(f, p, &levels, options.saturation_tolerance)),
        _ => None,
    };
    let efficiency_base = fit.as_ref().ok().map(|f| model::per_level(f, &mut levels));
    let has_latency = levels.iter().any(|l| l.mean_latency.is_some());
    let predictions = match &fit {
        Ok(f) => model::predictions(f, &options.predict, options.latency_unit_s, has_latency),
        Err(_) => Vec::new(),
    };
    let amdahl = match &fit {
        Ok(f) => model::amdahl(f),
        Err(e) => Err(format!("no model: {e}")),
    };
    let prediction = fit
        .as_ref()
        .ok()
        .map(|f| (2.0 * max_level, f.predict(2.0 * max_level)));

    let degradation = degradation(&levels, &options.slos);
    let highest_confident = highest_confident(&levels, &options.slos);
    let latency_objective = options.slos.iter().any(objectives::is_latency);
    if options.slo_p95.is_none() && !latency_objective {
        notes.push(
            "no latency objective (a p95 objective, or one such as p95<800ms): only the success \
             rate is checked"
                .to_owned(),
        );
    }
    if latency_objective && options.latency_unit_s.is_none() {
        notes.push(
            "the latency unit is unknown: the latency objectives take the latencies as \
             milliseconds"
                .to_owned(),
        );
    }
    notes.extend(little_notes(&levels, options));
    Ok(Analysis {
        levels,
        fit,
        peak,
        saturation,
        prediction,
        unbounded_fit,
        amdahl,
        predictions,
        efficiency_base,
        degradation,
        highest_confident,
        notes,
        options: options.clone(),
    })
}

fn check_options(o: &Options) -> Result<()> {
    if let Some(slo) = o.slo_p95
        && !(slo.is_finite() && slo > 0.0)
    {
        return Err(Error::InvalidSloP95 { value: slo });
    }
    if let Some(bad) = o
        .slos
        .iter()
        .find(|s| !(s.threshold.is_finite() && s.threshold >= 0.0))
    {
        return Err(Error::InvalidThreshold {
            objective: bad.text.clone(),
        });
    }
    if !(0.0..=1.0).contains(&o.min_success) {
        return Err(Error::InvalidMinSuccess {
            value: o.min_success,
        });
    }
    if !(o.saturation_tolerance > 0.0 && o.saturation_tolerance < 1.0) {
        return Err(Error::InvalidSaturationTolerance {
            value: o.saturation_tolerance,
        });
    }
    if let Some(u) = o.latency_unit_s
        && !(u.is_finite() && u > 0.0)
    {
        return Err(Error::InvalidLatencyUnit { value: u });
    }
    Ok(())
}

/// The summary of the runs at one level: one run as is; replicates merged
/// ([`model::merge`]) with the throughput the mean of theirs and its t interval.
fn summarise_level(runs: &[&Run], o: &Options) -> Result<LevelSummary> {
    if let [run] = runs {
        return summarise(run, o, None);
    }
    // Each replicate is checked on its own (its errors name its source).
    for r in runs {
        summarise(r, o, None)?;
    }
    let merged = model::merge(runs)?;
    let values: Vec<f64> = runs.iter().map(|r| model::run_throughput(r)).collect();
    let tp = model::replicate_throughput(&values, o.confidence);
    let mut s = summarise(&merged, o, Some(tp))?;
    s.reasons.remove("throughput.interval");
    if tp.interval.is_none() {
        s.reasons.insert(
            "throughput.interval",
            "the replicates' t quantile is undefined".to_owned(),
        );
    }
    s.replicates = values;
    Ok(s)
}

fn summarise(run: &Run, o: &Options, throughput: Option<Measure>) -> Result<LevelSummary> {
    let z = normal_isf(o.confidence.tail()).unwrap_or(1.96);
    let (mut s, sample) = match &run.data {
        RunData::Requests(r) => summarise_requests(run, r, o, z)?,
        RunData::Aggregates(a) => (summarise_aggregates(run, a)?, None),
    };
    if let Some(tp) = throughput {
        if let (Some(e), Some(g)) = (s.error_rate, s.goodput.as_mut()) {
            *g = tp.estimate * (1.0 - e.estimate);
        }
        s.throughput = tp;
    }
    // Little's law.
    s.little = match (s.mean_latency, o.latency_unit_s) {
        (Some(r), Some(unit)) => {
            let concurrency = s.throughput.estimate * r * unit;
            Some(match o.workload {
                Workload::Closed => {
                    let ratio = concurrency / s.level;
                    Little {
                        concurrency,
                        ratio,
                        verdict: if ratio < 0.9 {
                            LittleVerdict::GeneratorBound
                        } else if ratio > 1.1 {
                            LittleVerdict::ExcessConcurrency
                        } else {
                            LittleVerdict::Consistent
                        },
                    }
                }
                Workload::Open => {
                    let ratio = s.throughput.estimate / s.level;
                    Little {
                        concurrency,
                        ratio,
                        verdict: if ratio < 0.95 {
                            LittleVerdict::BelowOfferedRate
                        } else {
                            LittleVerdict::Consistent
                        },
                    }
                }
            })
        }
        _ => None,
    };
    // SLO checks.
    let p95 = s.percentile(0.95);
    s.slo = SloCheck {
        p95_ok: o.slo_p95.zip(p95).map(|(slo, p)| p.estimate <= slo),
        p95_ok_confident: o
            .slo_p95
            .zip(p95.and_then(|p| p.interval))
            .map(|(slo, iv)| iv.upper <= slo),
        success_ok: s.error_rate.map(|e| 1.0 - e.estimate >= o.min_success),
        success_ok_confident: s
            .error_rate
            .and_then(|e| e.interval)
            .map(|iv| 1.0 - iv.upper >= o.min_success),
    };
    s.slos = objectives::judge_level(run, &s, sample.as_ref(), o)?;
    Ok(s)
}

/// The summary of a per-request run, and its latencies as a sample (none
/// when every request failed).
fn summarise_requests(
    run: &Run,
    r: &Requests,
    o: &Options,
    z: f64,
) -> Result<(LevelSummary, Option<Sample>)> {
    if !(r.duration_s.is_finite() && r.duration_s > 0.0) {
        return Err(Error::InvalidDuration {
            run: run.source.clone(),
            duration_s: r.duration_s,
        });
    }
    let failed = r.failed;
    if let Some(f) = failed
        && f > r.total
    {
        return Err(Error::FailedExceedTotal {
            run: run.source.clone(),
            failed: f,
            total: r.total,
        });
    }
    if r.total == 0 {
        return Err(Error::NoRequests {
            run: run.source.clone(),
        });
    }
    let n = r.total as f64;
    let x = n / r.duration_s;
    let half = z * n.sqrt() / r.duration_s;
    let throughput = Measure {
        estimate: x,
        interval: Some(Interval {
            lower: (x - half).max(0.0),
            upper: x + half,
        }),
    };
    let ok = failed.map_or(r.total, |f| r.total - f);
    let mut reasons = BTreeMap::new();
    let (percentiles, mean_latency, sample) = if r.latencies.is_empty() {
        let why = "every request failed: there are no successful latencies".to_owned();
        for key in ["mean_latency", "p50", "p95", "p99"] {
            reasons.insert(key, why.clone());
        }
        (Vec::new(), None, None)
    } else {
        let sample = Sample::new(r.latencies.clone()).map_err(|error| Error::InvalidLatencies {
            run: run.source.clone(),
            error,
        })?;
        let sorted = sample.sorted();
        let mean = sorted.iter().sum::<f64>() / sorted.len() as f64;
        let ps = PERCENTILES
            .iter()
            .map(|&q| {
                let interval = quantile_interval(&sample, q, o.confidence);
                if let (Err(e), Some(key)) = (&interval, percentile_interval_key(q)) {
                    reasons.insert(key, e.to_string());
                }
                Percentile {
                    level: q,
                    value: Measure {
                        estimate: quantile_sorted(sorted, q, QuantileMethod::Linear),
                        interval: interval.ok(),
                    },
                }
            })
            .collect();
        (ps, Some(mean), Some(sample))
    };
    let error_rate = failed.map(|f| Measure {
        estimate: f as f64 / n,
        interval: wilson_interval(f, r.total, o.confidence.level())
            .map(|(lower, upper)| Interval { lower, upper }),
    });
    match error_rate {
        None => {
            let why = "the input does not say which requests failed".to_owned();
            reasons.insert("failed", why.clone());
            reasons.insert("error_rate", why);
        }
        Some(Measure { interval: None, .. }) => {
            reasons.insert(
                "error_rate.interval",
                format!(
                    "the Wilson interval is undefined for {} of {}",
                    failed.unwrap_or(0),
                    r.total
                ),
            );
        }
        Some(_) => {}
    }
    let summary = LevelSummary {
        level: run.level,
        source: run.source.clone(),
        requests: Some(r.total),
        failed,
        duration_s: Some(r.duration_s),
        throughput,
        goodput: Some(ok as f64 / r.duration_s),
        mean_latency,
        percentiles,
        error_rate,
        little: None,
        slo: SloCheck::default(),
        slos: Vec::new(),
        reasons,
        replicates: Vec::new(),
        throughput_sd: None,
        model: None,
    };
    Ok((summary, sample))
}

fn summarise_aggregates(run: &Run, a: &Aggregates) -> Result<LevelSummary> {
    if !(a.throughput.is_finite() && a.throughput >= 0.0) {
        return Err(Error::InvalidAggregate {
            run: run.source.clone(),
            quantity: "throughput",
            value: a.throughput,
        });
    }
    for (name, v) in [
        ("p50", a.p50),
        ("p95", a.p95),
        ("p99", a.p99),
        ("mean", a.mean),
    ] {
        if let Some(v) = v
            && !(v.is_finite() && v >= 0.0)
        {
            return Err(Error::InvalidAggregate {
                run: run.source.clone(),
                quantity: name,
                value: v,
            });
        }
    }
    if let Some(e) = a.error_rate
        && !(0.0..=1.0).contains(&e)
    {
        return Err(Error::InvalidErrorRate {
            run: run.source.clone(),
            value: e,
        });
    }
    let percentiles = [(0.5, a.p50), (0.95, a.p95), (0.99, a.p99)]
        .into_iter()
        .filter_map(|(q, v)| {
            v.map(|v| Percentile {
                level: q,
                value: Measure {
                    estimate: v,
                    interval: None,
                },
            })
        })
        .collect();
    let failed = a
        .error_rate
        .zip(a.requests)
        .map(|(e, n)| (e * n as f64).round() as u64);
    let mut reasons = BTreeMap::new();
    let no_per_request = "a table of aggregates has no per-request data";
    reasons.insert(
        "duration_s",
        format!("{no_per_request}: the run's duration is not known"),
    );
    reasons.insert(
        "throughput.interval",
        format!("{no_per_request}: its throughput has no interval"),
    );
    if a.requests.is_none() {
        reasons.insert(
            "requests",
            "the table of aggregates has no request count for this level".to_owned(),
        );
    }
    if a.error_rate.is_none() {
        let why = "the table of aggregates has no error rate for this level".to_owned();
        reasons.insert("failed", why.clone());
        reasons.insert("error_rate", why);
    } else {
        if a.requests.is_none() {
            reasons.insert(
                "failed",
                "the table of aggregates has no request count: the failures cannot be counted from the error rate".to_owned(),
            );
        }
        reasons.insert(
            "error_rate.interval",
            format!("{no_per_request}: its error rate has no interval"),
        );
    }
    if a.mean.is_none() {
        reasons.insert(
            "mean_latency",
            "the table of aggregates has no mean latency for this level".to_owned(),
        );
    }
    for (q, v) in [(0.5, a.p50), (0.95, a.p95), (0.99, a.p99)] {
        match (v, percentile_key(q), percentile_interval_key(q)) {
            (None, Some(key), _) => {
                reasons.insert(
                    key,
                    format!("the table of aggregates has no {key} for this level"),
                );
            }
            (Some(_), _, Some(key)) => {
                reasons.insert(
                    key,
                    format!("{no_per_request}: its latency percentiles have no interval"),
                );
            }
            _ => {}
        }
    }
    Ok(LevelSummary {
        level: run.level,
        source: run.source.clone(),
        requests: a.requests,
        failed,
        duration_s: None,
        throughput: Measure {
            estimate: a.throughput,
            interval: None,
        },
        goodput: Some(a.throughput * (1.0 - a.error_rate.unwrap_or(0.0))),
        mean_latency: a.mean,
        percentiles,
        error_rate: a.error_rate.map(|e| Measure {
            estimate: e,
            interval: None,
        }),
        little: None,
        slo: SloCheck::default(),
        slos: Vec::new(),
        reasons,
        replicates: Vec::new(),
        throughput_sd: a.throughput_sd,
        model: None,
    })
}

/// The [`LevelSummary::reasons`] key of the percentile at `q`.
fn percentile_key(q: f64) -> Option<&'static str> {
    [(0.5, "p50"), (0.95, "p95"), (0.99, "p99")]
        .into_iter()
        .find(|(l, _)| (l - q).abs() < 1e-12)
        .map(|(_, k)| k)
}

/// The [`LevelSummary::reasons`] key of the interval of the percentile at `q`.
fn percentile_interval_key(q: f64) -> Option<&'static str> {
    [
        (0.5, "p50.interval"),
        (0.95, "p95.interval"),
        (0.99, "p99.interval"),
    ]
    .into_iter()
    .find(|(l, _)| (l - q).abs() < 1e-12)
    .map(|(_, k)| k)
}

fn saturation(f: &UslFit, peak: &Peak, levels: &[LevelSummary], tolerance: f64) -> Saturation {
    let target = (1.0 - tolerance) * peak.throughput.estimate;
    let level = levels
        .iter()
        .find(|l| l.throughput.estimate >= target)
        .map(|l| l.level);
    let (model_load, model_interval) = match f.saturation(tolerance) {
        Ok(p) => (p.estimate, p.interval),
        Err(_) => (peak.load.estimate, None),
    };
    Saturation {
        level,
        model_load,
        model_interval,
    }
}

fn degradation(levels: &[LevelSummary], slos: &[Objective]) -> Degradation {
    let p95 = levels
        .iter()
        .find(|l| l.slo.p95_ok == Some(false))
        .map(|l| l.level);
    let errors = levels
        .iter()
        .find(|l| l.slo.success_ok == Some(false))
        .map(|l| l.level);
    let slos = objectives::crossings(levels, slos);
    let level = [p95, errors]
        .into_iter()
        .chain(slos.iter().map(|c| c.crossed_at))
        .flatten()
        .reduce(f64::min);
    Degradation {
        p95_slo_crossed_at: p95,
        errors_start_at: errors,
        slos,
        level,
    }
}

/// The highest level that meets every objective with confidence while every
/// lower level meets the upper-bound ones (`--slo-p95`, `--min-success`,
/// and the `<`/`<=` objectives): a lower-bound objective (`throughput>=…`)
/// is not expected at loads too small to reach it.
fn highest_confident(levels: &[LevelSummary], slos: &[Objective]) -> Option<f64> {
    let mut best = None;
    for l in levels {
        let legacy = l.slo.ok_confident();
        let passes = |lower: bool| {
            slos.iter()
                .zip(&l.slos)
                .filter(|(o, _)| objectives::is_lower_bound(o) == lower)
                .all(|(_, r)| r.status == perfstat_stats::slo::SloStatus::Pass)
        };
        let known = legacy.is_some() || !slos.is_empty();
        if !(known && legacy != Some(false) && passes(false)) {
            break;
        }
        if passes(true) {
            best = Some(l.level);
        }
    }
    best
}

fn little_notes(levels: &[LevelSummary], o: &Options) -> Vec<String> {
    let mut notes = Vec::new();
    match o.workload {
        Workload::Closed => {
            notes.push(
                "closed workload assumed (the level is the number of concurrent users, each \
                 waiting for its response before the next request): Little's law then says \
                 N ≈ X·R when there is no think time"
                    .to_owned(),
            );
        }
        Workload::Open => {
            notes.push(
                "open workload (the level is an arrival rate): Little's law gives the mean \
                 number of requests in flight L = X·R, and the throughput should match the \
                 offered rate"
                    .to_owned(),
            );
        }
    }
    if o.latency_unit_s.is_none() {
        notes.push(
            "the latency unit is unknown: Little's law is not checked (name the column \
             latency_ms or latency_s)"
                .to_owned(),
        );
    }
    for l in levels {
        let Some(little) = l.little else { continue };
        let text = match little.verdict {
            LittleVerdict::Consistent => continue,
            LittleVerdict::GeneratorBound => format!(
                "level {}: X·R = {:.2} requests in flight for {} users ({:.0} %): think time \
                 between requests, or the load generator could not keep its users busy (its own \
                 bottleneck); the service saw less load than the level says",
                l.level,
                little.concurrency,
                l.level,
                100.0 * little.ratio
            ),
            LittleVerdict::ExcessConcurrency => format!(
                "level {}: X·R = {:.2} requests in flight for {} users ({:.0} %): more than one \
                 request per user, so the level is not the concurrency (an open workload, whose \
                 levels are arrival rates?)",
                l.level,
                little.concurrency,
                l.level,
                100.0 * little.ratio
            ),
            LittleVerdict::BelowOfferedRate => format!(
                "level {}: throughput {:.2}/s is {:.0} % of the offered rate: the generator \
                 could not send at the rate, or requests were lost",
                l.level,
                l.throughput.estimate,
                100.0 * little.ratio
            ),
        };
        notes.push(text);
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confident_levels_stop_at_the_first_failure() {
        let mk = |level: f64, ok: bool| LevelSummary {
            level,
            source: String::new(),
            requests: None,
            failed: None,
            duration_s: None,
            throughput: Measure {
                estimate: 1.0,
                interval: None,
            },
            goodput: None,
            mean_latency: None,
            percentiles: Vec::new(),
            error_rate: None,
            little: None,
            slo: SloCheck {
                p95_ok_confident: Some(ok),
                ..SloCheck::default()
            },
            slos: Vec::new(),
            reasons: BTreeMap::new(),
            replicates: Vec::new(),
            throughput_sd: None,
            model: None,
        };
        let ls = [mk(1.0, true), mk(2.0, true), mk(3.0, false), mk(4.0, true)];
        assert_eq!(highest_confident(&ls, &[]), Some(2.0));
    }
}

//! Service-level objectives (`p95<800ms`, `error_rate<1%`, `throughput>=100/s`) judged on intervals.
//!
//! An [`Objective`] is parsed from text ([`FromStr`]) and judged by [`evaluate`] against what a run
//! measured ([`SloData`]). The verdict ([`SloStatus`]) is decided by the confidence interval behind the
//! estimate, not by the estimate alone:
//!
//! - `pass` only when the **whole** interval meets the objective,
//! - `fail` only when the whole interval misses it,
//! - `uncertain` otherwise (the interval straddles the threshold, or no interval is defined).
//!
//! A percentile interval of a small sample may have one end only (a p95 of 60 values has a lower end
//! but no upper one: [`quantile_interval_ends`]); the missing end then stands for "beyond the data"
//! (±∞), so `p95<40ms` still fails when the lower end is above 40 ms, and the reason says which end
//! was used.
//!
//! The intervals, at the given confidence:
//!
//! | metric | estimate | interval |
//! |---|---|---|
//! | `pNN` (`p50`, `p90`, `p95`, `p99`, `p99.9`, any level), `median` | type-7 quantile | distribution-free order-statistic interval ([`crate::interval::quantile_interval`]) |
//! | `mean` | arithmetic mean | Student t ([`crate::interval::mean_interval`]) |
//! | `max` | the largest value | none: judged on the observed value (lower = upper = max) |
//! | `error_rate` | failed / requests | Wilson score ([`crate::proportion::wilson_interval`]) |
//! | `throughput` | requests / time span (s) | Poisson score interval for the count, divided by the span ([`poisson_rate_interval`]) |
//!
//! # Example
//!
//! ```
//! use perfstat_stats::slo::{Objective, SloData, SloStatus, evaluate};
//! use perfstat_stats::{Confidence, Sample};
//!
//! let objective: Objective = "p95<800ms".parse()?;
//! let sample = Sample::new((1..=1000).map(f64::from).collect())?;
//! let data = SloData { sample: Some(&sample), ..SloData::default() };
//! let result = evaluate(&objective, &data, Confidence::DEFAULT)?;
//! assert_eq!(result.status, SloStatus::Fail); // p95 ≈ 950 ms, interval [935, 964]
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::str::FromStr;

use crate::dist::normal_quantile;
use crate::interval::{mean_interval, quantile_interval};
use crate::proportion::wilson_interval;
use crate::{Confidence, Sample};

/// What an objective constrains.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SloMetric {
    /// A percentile of the values: the level as a fraction in (0, 1) (`p95` → 0.95).
    Percentile(f64),
    /// The mean of the values.
    Mean,
    /// The largest value.
    Max,
    /// Failed requests over all requests, a fraction.
    ErrorRate,
    /// Requests per second over the run's time span.
    Throughput,
}

impl SloMetric {
    /// The metric's name in the output: `p95`, `p99.9`, `mean`, `max`, `error_rate`, `throughput`.
    #[must_use]
    pub fn name(&self) -> String {
        match self {
            Self::Percentile(q) => {
                let pct = q * 100.0;
                // Shortest form that round-trips: p95, p99.9, p99.99.
                format!("p{}", trim_number(pct))
            }
            Self::Mean => "mean".to_owned(),
            Self::Max => "max".to_owned(),
            Self::ErrorRate => "error_rate".to_owned(),
            Self::Throughput => "throughput".to_owned(),
        }
    }

    /// The unit of the threshold and estimate: `ms` for latency metrics, `fraction` for the error rate,
    /// `1/s` for throughput.
    #[must_use]
    pub fn unit(&self) -> &'static str {
        match self {
            Self::Percentile(_) | Self::Mean | Self::Max => "ms",
            Self::ErrorRate => "fraction",
            Self::Throughput => "1/s",
        }
    }
}

/// The comparison of an objective: the estimate must be `<`, `<=`, `>` or `>=` the threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SloOp {
    /// Strictly below.
    Lt,
    /// At most.
    Le,
    /// Strictly above.
    Gt,
    /// At least.
    Ge,
}

impl SloOp {
    /// `<`, `<=`, `>` or `>=`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Lt => "<",
            Self::Le => "<=",
            Self::Gt => ">",
            Self::Ge => ">=",
        }
    }

    /// Whether `x` meets the objective `x op threshold`.
    #[must_use]
    pub fn holds(self, x: f64, threshold: f64) -> bool {
        match self {
            Self::Lt => x < threshold,
            Self::Le => x <= threshold,
            Self::Gt => x > threshold,
            Self::Ge => x >= threshold,
        }
    }
}

/// A parsed objective such as `p95<800ms`.
#[derive(Clone, Debug, PartialEq)]
pub struct Objective {
    /// The text as given (trimmed).
    pub text: String,
    /// What is constrained.
    pub metric: SloMetric,
    /// The comparison.
    pub op: SloOp,
    /// The threshold in the metric's unit ([`SloMetric::unit`]): milliseconds, a fraction, or per second.
    pub threshold: f64,
}

/// Why an objective's text is malformed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SloParseError {
    /// No `<`, `<=`, `>` or `>=` in the text.
    #[error(
        "{text:?}: expected METRIC<VALUE, METRIC<=VALUE, METRIC>VALUE or METRIC>=VALUE (e.g. p95<800ms)"
    )]
    NoOperator {
        /// The text given.
        text: String,
    },
    /// The metric is not one of the known ones.
    #[error(
        "{text:?}: unknown metric {metric:?}; expected p50, p90, p95, p99, p99.9 (any pNN), median, mean, max, error_rate or throughput"
    )]
    UnknownMetric {
        /// The text given.
        text: String,
        /// The metric part.
        metric: String,
    },
    /// The threshold is not a finite non-negative number, or its unit does not fit the metric.
    #[error("{text:?}: invalid threshold {value:?}: {why}")]
    BadThreshold {
        /// The text given.
        text: String,
        /// The threshold part.
        value: String,
        /// What was expected.
        why: &'static str,
    },
}

impl FromStr for Objective {
    type Err = SloParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = s.trim().to_owned();
        let (at, op, len) =
            find_operator(&text).ok_or_else(|| SloParseError::NoOperator { text: text.clone() })?;
        let metric_text = text[..at].trim();
        let value_text = text[at + len..].trim();
        let metric = parse_metric(metric_text).ok_or_else(|| SloParseError::UnknownMetric {
            text: text.clone(),
            metric: metric_text.to_owned(),
        })?;
        let bad = |why: &'static str| SloParseError::BadThreshold {
            text: text.clone(),
            value: value_text.to_owned(),
            why,
        };
        let threshold = match metric {
            SloMetric::Percentile(_) | SloMetric::Mean | SloMetric::Max => {
                parse_duration_ms(value_text).ok_or_else(|| {
                    bad("expected a duration such as 800ms, 0.8s, 800us, 1h or 800 (ms)")
                })?
            }
            SloMetric::ErrorRate => {
                let v = parse_fraction(value_text)
                    .ok_or_else(|| bad("expected a fraction such as 1% or 0.01"))?;
                if v > 1.0 {
                    return Err(bad("an error rate is at most 100%"));
                }
                v
            }
            SloMetric::Throughput => parse_rate(value_text)
                .ok_or_else(|| bad("expected a rate such as 100/s, 100rps or 6000/min"))?,
        };
        Ok(Self {
            text,
            metric,
            op,
            threshold,
        })
    }
}

impl fmt::Display for Objective {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// The first comparison operator in `text`: (byte index, operator, its length).
fn find_operator(text: &str) -> Option<(usize, SloOp, usize)> {
    let at = text.find(['<', '>'])?;
    let bytes = text.as_bytes();
    let eq = bytes.get(at + 1) == Some(&b'=');
    let op = match (bytes[at], eq) {
        (b'<', false) => SloOp::Lt,
        (b'<', true) => SloOp::Le,
        (_, false) => SloOp::Gt,
        (_, true) => SloOp::Ge,
    };
    Some((at, op, if eq { 2 } else { 1 }))
}

fn parse_metric(s: &str) -> Option<SloMetric> {
    let lower = s.to_ascii_lowercase();
    match lower.as_str() {
        "mean" | "avg" | "average" => return Some(SloMetric::Mean),
        "max" | "maximum" => return Some(SloMetric::Max),
        "median" => return Some(SloMetric::Percentile(0.5)),
        "error_rate" | "error-rate" | "errors" | "failure_rate" => {
            return Some(SloMetric::ErrorRate);
        }
        "throughput" | "rps" => return Some(SloMetric::Throughput),
        _ => {}
    }
    let level = lower.strip_prefix('p')?;
    if level.is_empty() || !level.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    let pct: f64 = level.parse().ok()?;
    (pct > 0.0 && pct < 100.0).then(|| SloMetric::Percentile(pct / 100.0))
}

/// A non-negative finite number.
fn number(s: &str) -> Option<f64> {
    let s = s.trim();
    if s.is_empty()
        || !s
            .bytes()
            .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
    {
        return None;
    }
    let v: f64 = s.parse().ok()?;
    (v.is_finite() && v >= 0.0).then_some(v)
}

/// `800ms`, `0.8s`, `800us`/`800µs`, `800000ns`, `1min`, `1h` ([`crate::duration`]), or a bare
/// number of milliseconds.
fn parse_duration_ms(s: &str) -> Option<f64> {
    crate::duration::parse_duration(s, Some(crate::duration::TimeUnit::Millisecond))
        .ok()
        .map(crate::duration::Duration::millis)
}

/// `1%` or `0.01`.
fn parse_fraction(s: &str) -> Option<f64> {
    match s.trim().strip_suffix('%') {
        Some(p) => number(p).map(|v| v / 100.0),
        None => number(s),
    }
}

/// `100/s`, `100rps`, `6000/min`, `100` (per second).
fn parse_rate(s: &str) -> Option<f64> {
    let lower = s.trim().to_ascii_lowercase();
    for (suffix, per_s) in [
        ("req/s", 1.0),
        ("/s", 1.0),
        ("rps", 1.0),
        ("/min", 1.0 / 60.0),
        ("rpm", 1.0 / 60.0),
        ("/h", 1.0 / 3600.0),
    ] {
        if let Some(num) = lower.strip_suffix(suffix) {
            return number(num).map(|v| v * per_s);
        }
    }
    number(&lower)
}

/// `95`, `99.9`: the shortest decimal form of a percentage level.
fn trim_number(x: f64) -> String {
    let rounded = (x * 1e9).round() / 1e9;
    format!("{rounded}")
}

/// What a run measured, for [`evaluate`]. Leave out what the input does not have.
#[derive(Clone, Copy, Debug, Default)]
pub struct SloData<'a> {
    /// The values (latencies in ms) for percentile, mean and max objectives.
    pub sample: Option<&'a Sample>,
    /// (failed, total) requests, for `error_rate`.
    pub requests: Option<(u64, u64)>,
    /// (requests, time span in seconds), for `throughput`.
    pub span: Option<(u64, f64)>,
}

/// The verdict on one objective.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SloStatus {
    /// The whole interval meets the objective.
    Pass,
    /// The whole interval misses the objective.
    Fail,
    /// The interval straddles the threshold, or there is none.
    Uncertain,
}

impl SloStatus {
    /// `pass`, `fail` or `uncertain`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::Uncertain => "uncertain",
        }
    }
}

/// An objective judged: the estimate, its interval and the verdict.
#[derive(Clone, Debug, PartialEq)]
pub struct SloResult {
    /// The objective.
    pub objective: Objective,
    /// The point estimate, in the metric's unit.
    pub estimate: f64,
    /// The interval's lower bound; `None` when the interval is undefined (see `reason`).
    pub lower: Option<f64>,
    /// The interval's upper bound; `None` when the interval is undefined.
    pub upper: Option<f64>,
    /// The verdict.
    pub status: SloStatus,
    /// Why the status is `uncertain` without an interval, or how the interval was taken.
    pub reason: Option<String>,
}

/// Why an objective cannot be judged on this input at all.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SloError {
    /// A latency objective without values.
    #[error("{objective}: no values to judge it on")]
    NoValues {
        /// The objective's text.
        objective: String,
    },
    /// `error_rate` on an input without request accounting (a generic CSV/JSON).
    #[error(
        "{objective}: the error rate needs a load-test tool's format (requests and failures); this input has none"
    )]
    NoRequests {
        /// The objective's text.
        objective: String,
    },
    /// `throughput` on an input without timestamps.
    #[error("{objective}: throughput needs request timestamps (a time span); this input has none")]
    NoSpan {
        /// The objective's text.
        objective: String,
    },
}

/// Judges `objective` on `data` at `confidence` (see the [module docs](self) for the intervals).
///
/// # Errors
///
/// [`SloError`] when the input lacks what the objective needs (values, request accounting, timestamps).
pub fn evaluate(
    objective: &Objective,
    data: &SloData<'_>,
    confidence: Confidence,
) -> Result<SloResult, SloError> {
    let text = || objective.text.clone();
    let (estimate, interval, reason) = match objective.metric {
        SloMetric::Percentile(q) => {
            let s = data
                .sample
                .ok_or_else(|| SloError::NoValues { objective: text() })?;
            let estimate = s
                .quantile(q)
                .map_err(|_| SloError::NoValues { objective: text() })?;
            match quantile_interval(s, q, confidence) {
                Ok(i) => (estimate, Some((i.lower, i.upper)), None),
                Err(why) => {
                    // One end may still be defined (a p95 of 60 values has a lower end only): judge
                    // with it, the undefined end standing for "anything beyond the data".
                    let (lower, upper) = quantile_interval_ends(s, q, confidence);
                    return Ok(one_sided(objective, estimate, lower, upper, &why));
                }
            }
        }
        SloMetric::Mean => {
            let s = data
                .sample
                .ok_or_else(|| SloError::NoValues { objective: text() })?;
            let estimate = s.moments().mean();
            match mean_interval(s, confidence) {
                Ok(i) => (estimate, Some((i.lower, i.upper)), None),
                Err(why) => (estimate, None, Some(format!("no interval: {why}"))),
            }
        }
        SloMetric::Max => {
            let s = data
                .sample
                .ok_or_else(|| SloError::NoValues { objective: text() })?;
            let m = s.max();
            (
                m,
                Some((m, m)),
                Some("the observed maximum (a maximum has no interval)".to_owned()),
            )
        }
        SloMetric::ErrorRate => {
            let (failed, total) = data
                .requests
                .filter(|&(_, t)| t > 0)
                .ok_or_else(|| SloError::NoRequests { objective: text() })?;
            let estimate = failed as f64 / total as f64;
            match wilson_interval(failed, total, confidence.level()) {
                Some(i) => (estimate, Some(i), None),
                None => (estimate, None, Some("no interval".to_owned())),
            }
        }
        SloMetric::Throughput => {
            let (count, span_s) = data
                .span
                .filter(|&(_, s)| s > 0.0 && s.is_finite())
                .ok_or_else(|| SloError::NoSpan { objective: text() })?;
            let estimate = count as f64 / span_s;
            match poisson_rate_interval(count, span_s, confidence) {
                Some(i) => (estimate, Some(i), None),
                None => (estimate, None, Some("no interval".to_owned())),
            }
        }
    };
    let status = match interval {
        Some((lo, hi)) => judge(objective.op, objective.threshold, lo, hi),
        None => SloStatus::Uncertain,
    };
    Ok(SloResult {
        objective: objective.clone(),
        estimate,
        lower: interval.map(|i| i.0),
        upper: interval.map(|i| i.1),
        status,
        reason,
    })
}

/// The ends of [`quantile_interval`] taken one at a time, for a sample too small for both: the lower end
/// x₍ₗ₎ with l − 1 the largest k such that P(B ≤ k) ≤ α/2 (it exists when (1 − q)ⁿ ≤ α/2), the upper end
/// x₍ᵤ₎ with u − 1 the smallest k such that P(B > k) ≤ α/2 (it exists when u ≤ n, i.e. qⁿ ≤ α/2); B ~
/// Binomial(n, q). Each end alone has one-sided coverage ≥ 1 − α/2, as in the two-sided interval. Both
/// ranks are found by bisection (both probabilities are monotone in k). `None` for an end that does not
/// exist.
#[must_use]
pub fn quantile_interval_ends(
    sample: &Sample,
    q: f64,
    confidence: Confidence,
) -> (Option<f64>, Option<f64>) {
    use crate::dist::{binomial_cdf, binomial_sf};
    let n = sample.len() as u64;
    if !(q > 0.0 && q < 1.0) || n == 0 {
        return (None, None);
    }
    let tail = confidence.tail();
    let sorted = sample.sorted();
    // Largest k in 0..=n with P(B ≤ k) ≤ tail (P(B ≤ n) = 1 > tail).
    let lower = (binomial_cdf(0, n, q) <= tail).then(|| {
        let (mut lo, mut hi) = (0u64, n); // cdf(lo) ≤ tail < cdf(hi)
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if binomial_cdf(mid, n, q) <= tail {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        lo
    });
    // Smallest k in 0..n with P(B > k) ≤ tail; it must be ≤ n − 1 for x₍ₖ₊₁₎ to exist.
    let upper = (binomial_sf(n - 1, n, q) <= tail).then(|| {
        let (mut lo, mut hi) = (0u64, n - 1); // sf(hi) ≤ tail
        if binomial_sf(0, n, q) <= tail {
            return 0;
        }
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if binomial_sf(mid, n, q) <= tail {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        hi
    });
    (
        lower.and_then(|k| sorted.get(k as usize).copied()),
        upper.and_then(|k| sorted.get(k as usize).copied()),
    )
}

/// The verdict from an interval with (at most) one defined end: the undefined one is taken as −∞ or
/// +∞, so the objective can still fail (or pass) on the end that is known.
fn one_sided(
    objective: &Objective,
    estimate: f64,
    lower: Option<f64>,
    upper: Option<f64>,
    why: &crate::Undefined,
) -> SloResult {
    let lo = lower.unwrap_or(f64::NEG_INFINITY);
    let hi = upper.unwrap_or(f64::INFINITY);
    let status = judge(objective.op, objective.threshold, lo, hi);
    let reason = match (lower, upper) {
        (None, None) => format!("no interval: {why}"),
        (Some(_), None) => {
            format!("the interval's upper end is undefined ({why}): judged on its lower end alone")
        }
        (None, Some(_)) => {
            format!("the interval's lower end is undefined ({why}): judged on its upper end alone")
        }
        (Some(_), Some(_)) => "judged on the interval".to_owned(),
    };
    SloResult {
        objective: objective.clone(),
        estimate,
        lower,
        upper,
        status,
        reason: Some(reason),
    }
}

/// A `throughput` objective when the run's span is known only to within ± `step_s` seconds (start
/// times in whole seconds, as ab `-g` writes): the interval runs from the Poisson lower bound over the
/// longest span (span + step) to the upper bound over the shortest (span − step; none, i.e. +∞, when the
/// span is not longer than one step), so the verdict holds for every span the times allow. Other
/// objectives are [`evaluate`]d unchanged.
///
/// # Errors
///
/// As [`evaluate`].
pub fn evaluate_with_coarse_span(
    objective: &Objective,
    data: &SloData<'_>,
    step_s: f64,
    confidence: Confidence,
) -> Result<SloResult, SloError> {
    let point = evaluate(objective, data, confidence)?;
    let (SloMetric::Throughput, Some((count, span))) = (objective.metric, data.span) else {
        return Ok(point);
    };
    if !(step_s > 0.0 && step_s.is_finite()) {
        return Ok(point);
    }
    let lower = poisson_rate_interval(count, span + step_s, confidence).map(|i| i.0);
    let upper = (span > step_s)
        .then(|| poisson_rate_interval(count, span - step_s, confidence).map(|i| i.1))
        .flatten();
    let status = match lower {
        Some(lo) => judge(
            objective.op,
            objective.threshold,
            lo,
            upper.unwrap_or(f64::INFINITY),
        ),
        None => SloStatus::Uncertain,
    };
    Ok(SloResult {
        lower,
        upper,
        status,
        reason: Some(format!(
            "start times are known to {} s only: the interval covers every span within ± that of the \
             measured {} s{}",
            trim_number(step_s),
            trim_number((span * 1000.0).round() / 1000.0),
            if upper.is_none() {
                " (no upper end: the span may be shorter than one step)"
            } else {
                ""
            }
        )),
        ..point
    })
}

/// `pass` when every value of \[lo, hi\] meets `x op threshold`, `fail` when none does, else `uncertain`.
#[must_use]
pub fn judge(op: SloOp, threshold: f64, lo: f64, hi: f64) -> SloStatus {
    let (lo, hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
    let (worst, best) = match op {
        SloOp::Lt | SloOp::Le => (hi, lo),
        SloOp::Gt | SloOp::Ge => (lo, hi),
    };
    if op.holds(worst, threshold) {
        SloStatus::Pass
    } else if !op.holds(best, threshold) {
        SloStatus::Fail
    } else {
        SloStatus::Uncertain
    }
}

/// Interval for a rate of events per second from `count` events over `span_s` seconds: the Poisson
/// score interval for the expected count, (N + z²/2 ∓ z·√(N + z²/4)), divided by the span.
///
/// It is the Poisson analogue of Wilson's interval (it inverts the score test |N − μ| ≤ z·√μ), stays
/// non-negative, is not degenerate at N = 0, and is close to the exact (Garwood) interval for N ≥ 10.
/// Requests of a closed-loop load test are not a Poisson process (their counts vary less), so the
/// interval is conservative there. `None` when `span_s` is not positive and finite.
///
/// ```
/// use perfstat_stats::{Confidence, slo::poisson_rate_interval};
/// let (lo, hi) = poisson_rate_interval(100, 10.0, Confidence::DEFAULT).unwrap();
/// assert!((lo - 8.222_720).abs() < 1e-6 && (hi - 12.161_426).abs() < 1e-6);
/// ```
#[must_use]
pub fn poisson_rate_interval(
    count: u64,
    span_s: f64,
    confidence: Confidence,
) -> Option<(f64, f64)> {
    if !(span_s > 0.0 && span_s.is_finite()) {
        return None;
    }
    let z = normal_quantile(1.0 - confidence.tail()).ok()?;
    let n = count as f64;
    let z2 = z * z;
    let centre = n + z2 / 2.0;
    let half = z * (n + z2 / 4.0).sqrt();
    let lower = if count == 0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    Some((lower / span_s, (centre + half) / span_s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(s: &str) -> Objective {
        s.parse().unwrap()
    }

    #[test]
    fn parses_the_documented_forms() {
        let o = obj("p95<800ms");
        assert_eq!(o.metric, SloMetric::Percentile(0.95));
        assert_eq!(o.op, SloOp::Lt);
        assert_eq!(o.threshold, 800.0);
        assert_eq!(obj("p99 <= 1.5s").threshold, 1500.0);
        assert_eq!(obj("p99 <= 1.5s").op, SloOp::Le);
        assert_eq!(obj("p99.9<2000us").metric.name(), "p99.9");
        assert!((obj("p99.9<2000us").threshold - 2.0).abs() < 1e-12);
        assert!((obj("p50<500000ns").threshold - 0.5).abs() < 1e-12);
        assert_eq!(obj("p50<250").threshold, 250.0);
        assert_eq!(obj("median<250ms").metric, SloMetric::Percentile(0.5));
        // The one duration grammar (crate::duration): hours and microseconds too.
        assert_eq!(obj("p95<1h").threshold, 3_600_000.0);
        assert_eq!(obj("p95<800us").threshold, 0.8);
        assert_eq!(obj("p95<800").threshold, 800.0);
        assert_eq!(obj("mean<250ms").metric, SloMetric::Mean);
        assert_eq!(obj("max<=2s").metric, SloMetric::Max);
        let e = obj("error_rate<1%");
        assert_eq!(e.metric, SloMetric::ErrorRate);
        assert!((e.threshold - 0.01).abs() < 1e-15);
        assert!((obj("error_rate<0.005").threshold - 0.005).abs() < 1e-15);
        let t = obj("throughput>=100/s");
        assert_eq!(
            (t.metric, t.op, t.threshold),
            (SloMetric::Throughput, SloOp::Ge, 100.0)
        );
        assert_eq!(obj("throughput>6000/min").threshold, 100.0);
        assert_eq!(obj("throughput>50rps").op, SloOp::Gt);
        assert_eq!(obj(" p90 < 1s ").text, "p90 < 1s");
        assert_eq!(SloMetric::Percentile(0.9).name(), "p90");
    }

    #[test]
    fn malformed_objectives_are_typed_errors() {
        assert!(matches!(
            "p95=800ms".parse::<Objective>(),
            Err(SloParseError::NoOperator { .. })
        ));
        assert!(matches!(
            "p100<800ms".parse::<Objective>(),
            Err(SloParseError::UnknownMetric { .. })
        ));
        assert!(matches!(
            "latency<800ms".parse::<Objective>(),
            Err(SloParseError::UnknownMetric { .. })
        ));
        for bad in [
            "p95<800 parsecs",
            "p95<",
            "p95<-3ms",
            "p95<NaNms",
            "error_rate<150%",
            "throughput>fast",
        ] {
            assert!(
                matches!(
                    bad.parse::<Objective>(),
                    Err(SloParseError::BadThreshold { .. })
                ),
                "{bad}"
            );
        }
        let msg = "p95<8x".parse::<Objective>().unwrap_err().to_string();
        assert!(msg.contains("\"p95<8x\""), "{msg}");
    }

    #[test]
    fn judge_uses_the_whole_interval() {
        assert_eq!(judge(SloOp::Lt, 10.0, 5.0, 9.0), SloStatus::Pass);
        assert_eq!(judge(SloOp::Lt, 10.0, 5.0, 10.0), SloStatus::Uncertain);
        assert_eq!(judge(SloOp::Le, 10.0, 5.0, 10.0), SloStatus::Pass);
        assert_eq!(judge(SloOp::Lt, 10.0, 10.0, 12.0), SloStatus::Fail);
        assert_eq!(judge(SloOp::Le, 10.0, 10.0, 12.0), SloStatus::Uncertain);
        assert_eq!(judge(SloOp::Ge, 100.0, 101.0, 120.0), SloStatus::Pass);
        assert_eq!(judge(SloOp::Ge, 100.0, 90.0, 99.0), SloStatus::Fail);
        assert_eq!(judge(SloOp::Gt, 100.0, 90.0, 101.0), SloStatus::Uncertain);
    }

    #[test]
    fn percentiles_pass_fail_and_straddle() {
        let s = Sample::new((1..=1000).map(f64::from).collect()).unwrap();
        let data = SloData {
            sample: Some(&s),
            ..SloData::default()
        };
        let c = Confidence::DEFAULT;
        let r = evaluate(&obj("p95<2s"), &data, c).unwrap();
        assert_eq!(r.status, SloStatus::Pass);
        assert!((r.estimate - 950.05).abs() < 1e-9);
        let (lo, hi) = (r.lower.unwrap(), r.upper.unwrap());
        assert!(lo < 950.05 && hi > 950.05);
        assert_eq!(
            evaluate(&obj("p95<800"), &data, c).unwrap().status,
            SloStatus::Fail
        );
        // 950 lies inside the interval.
        assert_eq!(
            evaluate(&obj("p95<950"), &data, c).unwrap().status,
            SloStatus::Uncertain
        );
        // Too few values for a p99 interval: uncertain, with the reason.
        let small = Sample::new(vec![1.0, 2.0, 3.0]).unwrap();
        let r = evaluate(
            &obj("p99<1s"),
            &SloData {
                sample: Some(&small),
                ..SloData::default()
            },
            c,
        )
        .unwrap();
        assert_eq!(r.status, SloStatus::Uncertain);
        // The lower end exists (x₍₂₎: P(B ≤ 1) = 2.98e-4 ≤ 0.025 < P(B ≤ 2) = 0.0297), the upper does not.
        assert_eq!((r.lower, r.upper), (Some(2.0), None));
        assert!(
            r.reason
                .as_deref()
                .unwrap()
                .contains("upper end is undefined")
        );
        // ... so an objective the lower end already misses fails.
        let r = evaluate(
            &obj("p99<1.5ms"),
            &SloData {
                sample: Some(&small),
                ..SloData::default()
            },
            c,
        )
        .unwrap();
        assert_eq!(r.status, SloStatus::Fail);
    }

    #[test]
    fn throughput_with_a_coarse_span_widens_its_interval() {
        // 300 requests over a measured 1.019 s whose ends are known to 1 s (ab -g): the span lies
        // in [0.019, 2.019] s, so the rate's interval runs from the lower bound over 2.019 s to the
        // upper bound over 0.019 s.
        let data = SloData {
            span: Some((300, 1.019)),
            ..SloData::default()
        };
        let c = Confidence::DEFAULT;
        let exact = evaluate(&obj("throughput>=400/s"), &data, c).unwrap();
        assert_eq!(exact.status, SloStatus::Fail);
        let r = evaluate_with_coarse_span(&obj("throughput>=400/s"), &data, 1.0, c).unwrap();
        assert_eq!(r.status, SloStatus::Uncertain);
        let (lo, _) = poisson_rate_interval(300, 2.019, c).unwrap();
        let (_, hi) = poisson_rate_interval(300, 1.019 - 1.0, c).unwrap();
        assert_eq!((r.lower, r.upper), (Some(lo), Some(hi)));
        assert!(r.reason.unwrap().contains("known to 1 s"));
        // Met even over the longest span: passes whatever the span.
        let r = evaluate_with_coarse_span(&obj("throughput>=100/s"), &data, 1.0, c).unwrap();
        assert_eq!(r.status, SloStatus::Pass);
        // A span not longer than one step: no upper end.
        let short = SloData {
            span: Some((300, 0.5)),
            ..SloData::default()
        };
        let r = evaluate_with_coarse_span(&obj("throughput>=400/s"), &short, 1.0, c).unwrap();
        assert_eq!(r.upper, None);
        assert!(r.reason.unwrap().contains("no upper end"));
        let long = SloData {
            span: Some((3000, 10.0)),
            ..SloData::default()
        };
        let r = evaluate_with_coarse_span(&obj("throughput<200/s"), &long, 1.0, c).unwrap();
        let (_, hi) = poisson_rate_interval(3000, 9.0, c).unwrap();
        assert_eq!(r.upper, Some(hi));
        assert_eq!(r.status, SloStatus::Fail);
        // Other objectives are unchanged.
        let s = Sample::new(vec![1.0, 2.0, 3.0]).unwrap();
        let with_sample = SloData {
            sample: Some(&s),
            ..data
        };
        assert_eq!(
            evaluate_with_coarse_span(&obj("max<5ms"), &with_sample, 1.0, c).unwrap(),
            evaluate(&obj("max<5ms"), &with_sample, c).unwrap()
        );
    }

    #[test]
    fn a_percentile_interval_with_one_end_still_decides() {
        // The issue's case: 60 values with p95 = 58.8 ms (type 7: x₍₅₇₎ + 0.05·(x₍₅₈₎ − x₍₅₇₎) on
        // k·58.8/57.05 ms). For B ~ Bin(60, 0.95) the upper rank is past n (P(B > 59) = 0.046 > 0.025)
        // and the lower is l = 53 (scipy: binom.cdf(52, 60, .95) = 0.00979 ≤ 0.025 <
        // binom.cdf(53, 60, .95) = 0.0297), so the lower end is x₍₅₃₎ = 54.6 ms.
        let values: Vec<f64> = (1..=60).map(|i| f64::from(i) * 58.8 / 57.05).collect();
        let s = Sample::new(values.clone()).unwrap();
        let data = SloData {
            sample: Some(&s),
            ..SloData::default()
        };
        let c = Confidence::DEFAULT;
        let r = evaluate(&obj("p95<40ms"), &data, c).unwrap();
        assert!((r.estimate - 58.8).abs() < 1e-9, "{}", r.estimate);
        assert_eq!(r.lower, Some(values[52]));
        assert_eq!(r.upper, None);
        assert_eq!(r.status, SloStatus::Fail);
        // Above the lower end: the missing upper end leaves it open.
        assert_eq!(
            evaluate(&obj("p95<100ms"), &data, c).unwrap().status,
            SloStatus::Uncertain
        );
        // `>` is decided by the lower end too: p95 > 40 ms holds on the whole (half-open) interval.
        assert_eq!(
            evaluate(&obj("p95>40ms"), &data, c).unwrap().status,
            SloStatus::Pass
        );
        // The ends agree with the two-sided interval where it exists.
        let big = Sample::new((1..=1000).map(f64::from).collect()).unwrap();
        let two = quantile_interval(&big, 0.95, c).unwrap();
        assert_eq!(
            quantile_interval_ends(&big, 0.95, c),
            (Some(two.lower), Some(two.upper))
        );
    }

    #[test]
    fn mean_max_error_rate_and_throughput() {
        let s = Sample::new(vec![1.0, 2.0, 3.0, 4.0]).unwrap();
        let c = Confidence::DEFAULT;
        let data = SloData {
            sample: Some(&s),
            requests: Some((2, 1000)),
            span: Some((1000, 10.0)),
        };
        let r = evaluate(&obj("mean<5ms"), &data, c).unwrap();
        assert_eq!(r.status, SloStatus::Pass); // [0.446, 4.554]
        assert_eq!(
            evaluate(&obj("mean<4ms"), &data, c).unwrap().status,
            SloStatus::Uncertain
        );
        assert_eq!(
            evaluate(&obj("max<4ms"), &data, c).unwrap().status,
            SloStatus::Fail
        );
        assert_eq!(
            evaluate(&obj("max<=4ms"), &data, c).unwrap().status,
            SloStatus::Pass
        );
        // 2/1000: Wilson [0.00055, 0.0073].
        assert_eq!(
            evaluate(&obj("error_rate<1%"), &data, c).unwrap().status,
            SloStatus::Pass
        );
        assert_eq!(
            evaluate(&obj("error_rate<0.5%"), &data, c).unwrap().status,
            SloStatus::Uncertain
        );
        assert_eq!(
            evaluate(&obj("error_rate<0.01%"), &data, c).unwrap().status,
            SloStatus::Fail
        );
        // 100/s from 1000 requests in 10 s: [94.0, 106.4].
        assert_eq!(
            evaluate(&obj("throughput>=90/s"), &data, c).unwrap().status,
            SloStatus::Pass
        );
        assert_eq!(
            evaluate(&obj("throughput>=100/s"), &data, c)
                .unwrap()
                .status,
            SloStatus::Uncertain
        );
        assert_eq!(
            evaluate(&obj("throughput>=110/s"), &data, c)
                .unwrap()
                .status,
            SloStatus::Fail
        );
        let none = SloData::default();
        assert!(matches!(
            evaluate(&obj("error_rate<1%"), &none, c),
            Err(SloError::NoRequests { .. })
        ));
        assert!(matches!(
            evaluate(&obj("throughput>1/s"), &none, c),
            Err(SloError::NoSpan { .. })
        ));
        assert!(matches!(
            evaluate(&obj("p95<1s"), &none, c),
            Err(SloError::NoValues { .. })
        ));
    }

    #[test]
    fn poisson_interval_reference() {
        // Score interval: (N + z²/2 ∓ z√(N + z²/4)) with z = 1.959963984540054.
        let (lo, hi) = poisson_rate_interval(0, 1.0, Confidence::DEFAULT).unwrap();
        assert_eq!(lo, 0.0);
        assert!((hi - 3.841_458_820_694_124).abs() < 1e-9); // z² at N = 0
        let (lo, hi) = poisson_rate_interval(100, 10.0, Confidence::DEFAULT).unwrap();
        assert!((lo - 8.222_720_043_412_788).abs() < 1e-12, "{lo}");
        assert!((hi - 12.161_425_838_656_625).abs() < 1e-12, "{hi}");
        assert!(poisson_rate_interval(5, 0.0, Confidence::DEFAULT).is_none());
    }
}

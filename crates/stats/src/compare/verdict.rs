//! The A/B verdict: improved, regressed, equivalent, no significant change.

use crate::{Confidence, Error, Estimate, Result};
use std::fmt;

/// Which way is better for the metric.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Smaller values are better (latency, duration, cost, errors).
    #[default]
    LowerIsBetter,
    /// Larger values are better (throughput, score, accuracy).
    HigherIsBetter,
}

impl Direction {
    /// The JSON name: `"lower_is_better"` or `"higher_is_better"`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::LowerIsBetter => "lower_is_better",
            Self::HigherIsBetter => "higher_is_better",
        }
    }

    /// The direction a metric name says (see [`Direction::from_name`]), lower-is-better when it says
    /// nothing.
    ///
    /// ```
    /// use perfstat_stats::compare::Direction;
    /// assert_eq!(Direction::infer("latency_ms"), Direction::LowerIsBetter);
    /// assert_eq!(Direction::infer("tokens_per_s"), Direction::HigherIsBetter);
    /// assert_eq!(Direction::infer("Throughput"), Direction::HigherIsBetter);
    /// assert_eq!(Direction::infer("requests/s"), Direction::HigherIsBetter);
    /// assert_eq!(Direction::infer("errors_per_s"), Direction::LowerIsBetter);
    /// assert_eq!(Direction::infer("hit_rate"), Direction::HigherIsBetter);
    /// assert_eq!(Direction::infer("value"), Direction::LowerIsBetter);
    /// ```
    #[must_use]
    pub fn infer(metric_name: &str) -> Self {
        Self::from_name(metric_name).unwrap_or_default()
    }

    /// The direction a metric name says, or `None` when none of its words is known. This is the one
    /// table of metric directions (`ab` and `regress` use it).
    ///
    /// The name is split into words ([`metric_words`]: at every character that is not a letter or a
    /// digit, and at lower-to-upper case changes; `/` reads as `per`). Then:
    ///
    /// 1. **Rates.** `X per T` with T a time unit (`s`, `sec`, `second`, `min`, `minute`, `h`,
    ///    `hour`): lower is better when X counts bad events or money (error, errors, err, failure,
    ///    failures, fail, failed, timeout, timeouts, drop, drops, dropped, retry, retries, miss,
    ///    misses, loss, cost, price, usd, dollar, dollars, spend: `errors_per_s`, `cost_per_hour`),
    ///    else higher (`tokens_per_s`, `requests/s`, `mb_per_sec`). `X per Y` with another Y
    ///    (`cost_per_1k_tokens`, `tokens_per_request`) is decided by X's words alone.
    /// 2. **Otherwise the last known word wins**, read from the end: `throughput_time` is a time
    ///    (lower), `p95_throughput` a throughput (higher), `error_rate` an error rate (lower),
    ///    `hit_rate` a hit rate (higher; `rate` alone says nothing). A unit suffix counts as a word:
    ///    `_ms`, `_us`, `_ns`, `_s`, `_sec`, `_seconds` (a duration) and `_bytes`, `_kb`, `_mb`,
    ///    `_gb`, `_mib` (a size) are lower-is-better.
    ///
    /// Higher-is-better words: throughput, goodput, rps, qps, tps, iops, ops, hit, hits, success,
    /// successes, pass, passed, accuracy, acc, precision, recall, f1, bleu, rouge, auc, score,
    /// quality, availability, uptime, apdex. Words such as `rate`, `utilization`, `mean` or `count`
    /// say nothing.
    /// Lower-is-better words: latency, time, duration, elapsed, wall, ttft, itl, tpot, e2el, rtt,
    /// cost, price, usd, dollar, dollars, spend, error, errors, err, failure, failures, fail, failed,
    /// timeout, timeouts, drop, drops, dropped, retry, retries, loss, miss, misses, wer, cer,
    /// perplexity, memory, mem, rss, heap, cpu, size, bytes and the units above, and percentile
    /// words `p50`, `p95`, `p99`, `p99.9` (`p999`), which name latencies. Words are matched whole
    /// and case-insensitively, never as substrings: `uptime` is not a `time`, `throughput_time`
    /// holds one.
    ///
    /// ```
    /// use perfstat_stats::compare::Direction::{self, HigherIsBetter, LowerIsBetter};
    /// assert_eq!(Direction::from_name("success_rate"), Some(HigherIsBetter));
    /// assert_eq!(Direction::from_name("p95_latency_ms"), Some(LowerIsBetter));
    /// assert_eq!(Direction::from_name("uptime"), Some(HigherIsBetter));
    /// assert_eq!(Direction::from_name("cost_per_1k_tokens"), Some(LowerIsBetter));
    /// assert_eq!(Direction::from_name("widgets"), None);
    /// ```
    #[must_use]
    pub fn from_name(metric_name: &str) -> Option<Self> {
        let words = metric_words(metric_name);
        if let Some(per) = words.iter().rposition(|w| w == "per") {
            let numerator = &words[..per];
            let by_time = words
                .get(per + 1)
                .is_some_and(|w| TIME_UNITS.contains(&w.as_str()));
            if !by_time {
                return last_known(numerator);
            }
            let bad = numerator.iter().any(|w| BAD_EVENTS.contains(&w.as_str()));
            return Some(if bad {
                Self::LowerIsBetter
            } else {
                Self::HigherIsBetter
            });
        }
        last_known(&words)
    }
}

/// Time units: a word after `per` that makes a rate, and a duration suffix (`_ms`).
const TIME_UNITS: [&str; 13] = [
    "s", "sec", "secs", "second", "seconds", "min", "mins", "minute", "minutes", "h", "hr", "hour",
    "hours",
];

/// Words in the numerator of a rate that make it lower-is-better (see [`Direction::from_name`]).
const BAD_EVENTS: [&str; 23] = [
    "error", "errors", "err", "failure", "failures", "fail", "failed", "timeout", "timeouts",
    "drop", "drops", "dropped", "retry", "retries", "miss", "misses", "loss", "cost", "price",
    "usd", "dollar", "dollars", "spend",
];

/// Words that say higher is better (see [`Direction::from_name`]).
const HIGHER_WORDS: [&str; 26] = [
    "throughput",
    "goodput",
    "rps",
    "qps",
    "tps",
    "iops",
    "ops",
    "hit",
    "hits",
    "success",
    "successes",
    "pass",
    "passed",
    "accuracy",
    "acc",
    "precision",
    "recall",
    "f1",
    "bleu",
    "rouge",
    "auc",
    "score",
    "quality",
    "availability",
    "uptime",
    "apdex",
];

/// Words that say lower is better (see [`Direction::from_name`]); units are in [`LOWER_UNITS`].
const LOWER_WORDS: [&str; 45] = [
    "latency",
    "latencies",
    "time",
    "times",
    "duration",
    "elapsed",
    "wall",
    "ttft",
    "itl",
    "tpot",
    "e2el",
    "rtt",
    "cost",
    "price",
    "usd",
    "dollar",
    "dollars",
    "spend",
    "error",
    "errors",
    "err",
    "failure",
    "failures",
    "fail",
    "failed",
    "timeout",
    "timeouts",
    "drop",
    "drops",
    "dropped",
    "retry",
    "retries",
    "loss",
    "miss",
    "misses",
    "wer",
    "cer",
    "perplexity",
    "memory",
    "mem",
    "rss",
    "heap",
    "cpu",
    "size",
    "bytes",
];

/// Unit suffixes that say lower is better: durations and sizes.
const LOWER_UNITS: [&str; 13] = [
    "ms", "us", "µs", "ns", "s", "sec", "secs", "seconds", "kb", "mb", "gb", "mib", "gib",
];

/// The direction of one word, when it has one.
fn word_direction(word: &str) -> Option<Direction> {
    if HIGHER_WORDS.contains(&word) {
        Some(Direction::HigherIsBetter)
    } else if LOWER_WORDS.contains(&word) || LOWER_UNITS.contains(&word) || is_percentile(word) {
        Some(Direction::LowerIsBetter)
    } else {
        None
    }
}

/// `p50`, `p95`, `p999`, `p99.9` (split as `p99`, `9`: the first part counts).
fn is_percentile(word: &str) -> bool {
    word.strip_prefix('p')
        .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
}

/// The direction of the last word that has one.
fn last_known(words: &[String]) -> Option<Direction> {
    words.iter().rev().find_map(|w| word_direction(w))
}

/// The words of a metric name, lower case: split at every character that is not a letter or a digit
/// and where a lower-case letter is followed by an upper-case one; `/` becomes the word `per`.
///
/// ```
/// use perfstat_stats::compare::metric_words;
/// assert_eq!(metric_words("p95_latencyMs"), ["p95", "latency", "ms"]);
/// assert_eq!(metric_words("requests/s"), ["requests", "per", "s"]);
/// ```
#[must_use]
pub fn metric_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut prev_lower = false;
    let flush = |word: &mut String, words: &mut Vec<String>| {
        if !word.is_empty() {
            words.push(std::mem::take(word));
        }
    };
    for c in name.chars() {
        if c == '/' {
            flush(&mut word, &mut words);
            words.push("per".to_owned());
            prev_lower = false;
        } else if c.is_alphanumeric() {
            if c.is_uppercase() && prev_lower {
                flush(&mut word, &mut words);
            }
            prev_lower = c.is_lowercase() || c.is_ascii_digit();
            word.extend(c.to_lowercase());
        } else {
            flush(&mut word, &mut words);
            prev_lower = false;
        }
    }
    flush(&mut word, &mut words);
    words
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::LowerIsBetter => "lower is better",
            Self::HigherIsBetter => "higher is better",
        })
    }
}

/// One `NAME=lower|higher`, or a bare `lower|higher` (for a command's one metric): the one
/// `--direction` syntax of the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedDirection {
    /// The metric (or, in regress, a kind) it applies to; `None`: the one metric.
    pub name: Option<String>,
    /// Which way is better.
    pub direction: Direction,
}

/// A `--direction` that could not be read; the message quotes the text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DirectionError(String);

impl std::str::FromStr for NamedDirection {
    type Err = DirectionError;

    /// `NAME=lower|higher` or `lower|higher` (also `lower_is_better`, `min`, `higher_is_better`,
    /// `max`; any case).
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        let (name, value) = match s.rsplit_once('=') {
            Some((name, value)) if !name.trim().is_empty() => (Some(name.trim().to_owned()), value),
            Some(_) => return Err(DirectionError(format!("empty metric name in {s:?}"))),
            None => (None, s),
        };
        let direction = match value.trim().to_ascii_lowercase().as_str() {
            "lower" | "lower_is_better" | "min" => Direction::LowerIsBetter,
            "higher" | "higher_is_better" | "max" => Direction::HigherIsBetter,
            _ => {
                return Err(DirectionError(format!(
                    "expected NAME=lower|higher, found {s:?}"
                )));
            }
        };
        Ok(Self { name, direction })
    }
}

impl NamedDirection {
    /// Parses `NAME=lower|higher` (the name is required).
    ///
    /// # Errors
    /// Malformed, or without a name.
    pub fn parse_named(s: &str) -> std::result::Result<(String, Direction), DirectionError> {
        match s.parse()? {
            Self {
                name: Some(name),
                direction,
            } => Ok((name, direction)),
            Self { name: None, .. } => Err(DirectionError(format!(
                "expected NAME=lower|higher, found {s:?}"
            ))),
        }
    }

    /// The direction of a command's one metric `metric`: the last of `specs` (bare or naming it).
    ///
    /// # Errors
    /// The name of the first spec that names another metric.
    pub fn for_metric<'a>(
        specs: &'a [Self],
        metric: &str,
    ) -> std::result::Result<Option<Direction>, &'a str> {
        if let Some(other) = specs
            .iter()
            .find_map(|s| s.name.as_deref().filter(|n| *n != metric))
        {
            return Err(other);
        }
        Ok(specs.last().map(|s| s.direction))
    }
}

/// The user's question: significance level, smallest effect that matters,
/// direction and confidence of the reported intervals.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct VerdictConfig {
    alpha: f64,
    min_effect: f64,
    direction: Direction,
    confidence: Confidence,
}

impl Default for VerdictConfig {
    /// α = 0.05, min effect 0, lower is better, 95 %.
    fn default() -> Self {
        Self {
            alpha: 0.05,
            min_effect: 0.0,
            direction: Direction::LowerIsBetter,
            confidence: Confidence::DEFAULT,
        }
    }
}

impl VerdictConfig {
    /// Validates the settings.
    ///
    /// # Errors
    /// [`Error::Probability`] when `alpha` is not in (0, 0.5) (the TOST
    /// interval has confidence 1 − 2α); [`Error::Invalid`] when `min_effect`
    /// is negative or not finite.
    pub fn new(
        alpha: f64,
        min_effect: f64,
        direction: Direction,
        confidence: Confidence,
    ) -> Result<Self> {
        if !(alpha > 0.0 && alpha < 0.5) {
            return Err(Error::Probability(alpha));
        }
        if !(min_effect.is_finite() && min_effect >= 0.0) {
            return Err(Error::Invalid(format!(
                "the minimum effect must be a finite relative change ≥ 0, got {min_effect}"
            )));
        }
        Ok(Self {
            alpha,
            min_effect,
            direction,
            confidence,
        })
    }

    /// Significance level α of the tests.
    #[must_use]
    pub fn alpha(&self) -> f64 {
        self.alpha
    }

    /// Smallest relative change that matters (0.02 = 2 %).
    #[must_use]
    pub fn min_effect(&self) -> f64 {
        self.min_effect
    }

    /// Which way is better.
    #[must_use]
    pub fn direction(&self) -> Direction {
        self.direction
    }

    /// Confidence level of the reported intervals.
    #[must_use]
    pub fn confidence(&self) -> Confidence {
        self.confidence
    }

    /// The confidence 1 − 2α of the interval used by the equivalence test.
    ///
    /// # Errors
    /// Never for a validated config (α < 0.5).
    pub fn tost_confidence(&self) -> Result<Confidence> {
        Confidence::new(1.0 - 2.0 * self.alpha)
    }
}

/// The outcome of an A/B comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// Significantly better by at least the minimum effect.
    Improved,
    /// Significantly worse by at least the minimum effect.
    Regressed,
    /// The (1 − 2α) interval of the relative difference lies within
    /// ±min_effect (two one-sided tests).
    Equivalent,
    /// Neither a significant change of at least the minimum effect nor
    /// demonstrated equivalence.
    NoSignificantChange,
    /// The tests are undefined for these data (too few values, constants).
    InsufficientData,
}

impl Verdict {
    /// The JSON name, e.g. `"no_significant_change"`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Improved => "improved",
            Self::Regressed => "regressed",
            Self::Equivalent => "equivalent",
            Self::NoSignificantChange => "no_significant_change",
            Self::InsufficientData => "insufficient_data",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which evidence leads the verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Driver {
    /// Welch's t-test and the relative difference of means (both samples
    /// look normal enough).
    Means,
    /// The Mann–Whitney test and the median difference (a sample fails a
    /// normality test or is heavily skewed).
    Ranks,
}

impl Driver {
    /// The JSON name: `"means"` or `"ranks"`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Means => "means",
            Self::Ranks => "ranks",
        }
    }
}

impl fmt::Display for Driver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Means => "Welch's t-test on the means",
            Self::Ranks => "the Mann–Whitney rank test and the median",
        })
    }
}

/// The evidence one driver contributes to the verdict.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Evidence {
    /// Which evidence this is.
    pub driver: Driver,
    /// Two-sided p-value of the driver's test.
    pub p_value: f64,
    /// Sign of the test statistic (treatment − control): −1, 0 or +1.
    pub statistic_sign: f64,
    /// Relative effect (treatment − control)/control, with its interval at
    /// confidence 1 − 2α (the equivalence interval); `None` when undefined.
    pub relative_tost: Option<Estimate>,
}

/// The verdict with what decided it.
#[derive(Clone, Debug, PartialEq)]
pub struct VerdictResult {
    /// The verdict.
    pub verdict: Verdict,
    /// Which evidence decided it; `None` for `InsufficientData` without any
    /// defined test.
    pub driver: Option<Driver>,
    /// Why the driver was chosen (e.g. which sample failed which check).
    pub driver_reason: String,
    /// One sentence explaining the verdict, with the numbers behind it.
    pub explanation: String,
}

impl fmt::Display for VerdictResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.explanation)
    }
}

/// Applies the contract's rule to one driver's evidence.
///
/// 1. Significant in a direction: p < α and the relative effect estimate has
///    the sign of the test statistic (a rank test can disagree with the
///    median in sign for oddly shaped data: then no direction is claimed).
/// 2. `Regressed`/`Improved`: significant (by 1.) in the worse/better
///    direction AND |relative effect| ≥ min_effect.
/// 3. Otherwise `Equivalent` when min_effect > 0 and the (1 − 2α) interval of
///    the relative effect lies strictly inside (−min_effect, +min_effect):
///    both one-sided tests of TOST reject at α (Schuirmann 1987).
/// 4. Otherwise `NoSignificantChange`.
///
/// Without a relative effect (control location 0), 2. and 3. cannot be
/// decided and a significant change is reported only when min_effect = 0.
#[must_use]
pub fn decide(evidence: &Evidence, config: &VerdictConfig) -> (Verdict, String) {
    let alpha = config.alpha();
    let delta = config.min_effect();
    let what = match evidence.driver {
        Driver::Means => "mean",
        Driver::Ranks => "median",
    };
    let test = match evidence.driver {
        Driver::Means => "Welch",
        Driver::Ranks => "Mann–Whitney",
    };
    let p = evidence.p_value;
    let rel = evidence.relative_tost;
    let effect_sign = rel.map_or(evidence.statistic_sign, |r| sign(r.estimate));
    let significant = p < alpha && effect_sign != 0.0 && effect_sign == evidence.statistic_sign;
    let big_enough = rel.map_or(delta == 0.0, |r| r.estimate.abs() >= delta);
    let pct = |x: f64| format!("{:+.2}%", 100.0 * x);
    let change = rel.map_or_else(
        || format!("the {what} changed"),
        |r| format!("the {what} changed by {}", pct(r.estimate)),
    );
    if significant && big_enough {
        let worse = match config.direction() {
            Direction::LowerIsBetter => effect_sign > 0.0,
            Direction::HigherIsBetter => effect_sign < 0.0,
        };
        let verdict = if worse {
            Verdict::Regressed
        } else {
            Verdict::Improved
        };
        let min = if delta > 0.0 {
            format!(", at least the minimum effect of {:.2}%", 100.0 * delta)
        } else {
            String::new()
        };
        return (
            verdict,
            format!(
                "{}: {change} ({test} p = {} < α = {alpha}{min}; {}).",
                if worse { "Regressed" } else { "Improved" },
                fmt_p(p),
                config.direction()
            ),
        );
    }
    if let Some(r) = rel
        && delta > 0.0
        && r.lower > -delta
        && r.upper < delta
    {
        return (
            Verdict::Equivalent,
            format!(
                "Equivalent: the {:.0}% interval of the {what} change [{}, {}] lies within ±{:.2}% (two one-sided tests at α = {alpha}).",
                100.0 * (1.0 - 2.0 * alpha),
                pct(r.lower),
                pct(r.upper),
                100.0 * delta
            ),
        );
    }
    let why = if significant {
        format!(
            "{test} p = {} is significant but the change is smaller than the minimum effect of {:.2}%",
            fmt_p(p),
            100.0 * delta
        )
    } else {
        format!(
            "{test} p = {} ≥ α = {alpha} or the direction is unclear",
            fmt_p(p)
        )
    };
    (
        Verdict::NoSignificantChange,
        format!("No significant change: {change} ({why})."),
    )
}

/// A p-value for a sentence: 4 decimals, or scientific below 10⁻⁴.
pub(crate) fn fmt_p(p: f64) -> String {
    if p < 1e-4 {
        format!("{p:.1e}")
    } else {
        format!("{p:.4}")
    }
}

fn sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(p: f64, est: f64, lo: f64, hi: f64) -> Evidence {
        Evidence {
            driver: Driver::Means,
            p_value: p,
            statistic_sign: sign(est),
            relative_tost: Some(Estimate {
                estimate: est,
                lower: lo,
                upper: hi,
            }),
        }
    }

    #[test]
    fn rule() {
        let cfg =
            VerdictConfig::new(0.05, 0.02, Direction::LowerIsBetter, Confidence::DEFAULT).unwrap();
        assert_eq!(
            decide(&ev(1e-5, 0.3, 0.25, 0.35), &cfg).0,
            Verdict::Regressed
        );
        assert_eq!(
            decide(&ev(1e-5, -0.3, -0.35, -0.25), &cfg).0,
            Verdict::Improved
        );
        assert_eq!(
            decide(&ev(1e-5, 0.005, 0.003, 0.007), &cfg).0,
            Verdict::Equivalent
        );
        assert_eq!(
            decide(&ev(0.4, 0.01, -0.03, 0.05), &cfg).0,
            Verdict::NoSignificantChange
        );
        let zero = VerdictConfig::default();
        assert_eq!(
            decide(&ev(0.4, 0.0, -0.001, 0.001), &zero).0,
            Verdict::NoSignificantChange
        );
        let higher =
            VerdictConfig::new(0.05, 0.0, Direction::HigherIsBetter, Confidence::DEFAULT).unwrap();
        assert_eq!(
            decide(&ev(1e-5, 0.3, 0.25, 0.35), &higher).0,
            Verdict::Improved
        );
        assert!(
            VerdictConfig::new(0.5, 0.0, Direction::LowerIsBetter, Confidence::DEFAULT).is_err()
        );
        assert!(
            VerdictConfig::new(0.05, -0.1, Direction::LowerIsBetter, Confidence::DEFAULT).is_err()
        );
    }

    /// The one table of metric directions, pinned: `ab` and `regress` both read it.
    #[test]
    fn metric_directions_by_name() {
        use Direction::{HigherIsBetter as H, LowerIsBetter as L};
        let table = [
            ("hit_rate", H),
            ("success_rate", H),
            ("pass_rate", H),
            ("f1", H),
            ("bleu", H),
            ("accuracy", H),
            ("recall", H),
            ("precision", H),
            ("cache_hit", H),
            ("cacheHitRatio", H),
            ("availability", H),
            ("uptime", H),
            ("apdex", H),
            ("score", H),
            ("answer_quality", H),
            ("tokens_per_s", H),
            ("output_tokens/s", H),
            ("rps", H),
            ("qps", H),
            ("throughput_rps", H),
            ("p95_throughput", H),
            ("mb_per_sec", H),
            ("latency", L),
            ("time", L),
            ("duration", L),
            ("ttft", L),
            ("itl", L),
            ("tpot", L),
            ("cost", L),
            ("cost_per_run", L),
            ("cost_per_1k_tokens", L),
            ("error", L),
            ("errors", L),
            ("error_rate", L),
            ("errors_per_s", L),
            ("failure", L),
            ("failure_rate", L),
            ("memory", L),
            ("rss", L),
            ("cpu", L),
            ("p95", L),
            ("p99.9", L),
            ("p95_latency_ms", L),
            ("resp_ms", L),
            ("throughput_time", L),
            ("peak_rss_mb", L),
        ];
        for (name, want) in table {
            assert_eq!(Direction::from_name(name), Some(want), "{name}");
        }
        for name in [
            "widgets",
            "value",
            "rate",
            "utilization",
            "count",
            "latencyish",
        ] {
            assert_eq!(Direction::from_name(name), None, "{name}");
            assert_eq!(Direction::infer(name), L, "{name}");
        }
    }

    #[test]
    fn words_are_split_at_case_changes_and_separators() {
        assert_eq!(metric_words("HitRate"), ["hit", "rate"]);
        assert_eq!(
            metric_words("p99.9-latency ms"),
            ["p99", "9", "latency", "ms"]
        );
        assert_eq!(metric_words("TTFT"), ["ttft"]);
        assert!(metric_words("__").is_empty());
    }
}

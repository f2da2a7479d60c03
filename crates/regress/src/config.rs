//! Per-metric settings: direction, kind and threshold, inferred from the
//! metric name and overridable.

use std::fmt;

pub use perfstat_stats::compare::Direction;

use crate::error::{ConfigError, Result};

/// What a metric measures; it sets the default threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Latency, duration, time (lower is better; default +15 %).
    Latency,
    /// Throughput, requests or tokens per second (higher is better; default −10 %).
    Throughput,
    /// Quality, score, accuracy (higher is better; default −5 %).
    Quality,
    /// Cost (lower is better; default +20 %).
    Cost,
    /// Anything else, e.g. error rates or memory (default 10 %).
    Other,
}

impl Kind {
    /// The kind a metric name suggests; it sets the default threshold only (the direction is
    /// [`Direction::from_name`]'s, the one table). The name's words
    /// ([`perfstat_stats::compare::metric_words`], matched whole) are checked in this order:
    /// latency/duration/time/ttft/itl/tpot/elapsed/wall or a duration unit (`ms`, `us`, `ns`, `s`,
    /// `sec`, `seconds`) → latency, unless a rate (`per` a time unit); cost/price/usd/dollar/spend →
    /// cost; quality/score/accuracy/f1/bleu/rouge/precision/recall/success/pass/hit → quality;
    /// throughput/goodput/rps/qps/tps or a rate per time unit, when higher is better → throughput
    /// (`errors_per_s` is other); otherwise other.
    ///
    /// ```
    /// use perfstat_regress::config::Kind;
    /// assert_eq!(Kind::infer("p95_latency_ms"), Kind::Latency);
    /// assert_eq!(Kind::infer("throughput_rps"), Kind::Throughput);
    /// assert_eq!(Kind::infer("tokens_per_s"), Kind::Throughput);
    /// assert_eq!(Kind::infer("cost_per_run"), Kind::Cost);
    /// assert_eq!(Kind::infer("eval_quality"), Kind::Quality);
    /// assert_eq!(Kind::infer("hit_rate"), Kind::Quality);
    /// assert_eq!(Kind::infer("uptime"), Kind::Other);
    /// assert_eq!(Kind::infer("error_rate"), Kind::Other);
    /// ```
    #[must_use]
    pub fn infer(name: &str) -> Self {
        const LATENCY: [&str; 15] = [
            "latency", "duration", "time", "ttft", "itl", "tpot", "elapsed", "wall", "ms", "us",
            "ns", "s", "sec", "secs", "seconds",
        ];
        const COST: [&str; 6] = ["cost", "price", "usd", "dollar", "dollars", "spend"];
        const QUALITY: [&str; 13] = [
            "quality",
            "score",
            "accuracy",
            "f1",
            "bleu",
            "rouge",
            "precision",
            "recall",
            "success",
            "pass",
            "hit",
            "hits",
            "auc",
        ];
        const THROUGHPUT: [&str; 5] = ["throughput", "goodput", "rps", "qps", "tps"];
        const PER_TIME: [&str; 9] = [
            "s", "sec", "secs", "second", "seconds", "min", "minute", "h", "hour",
        ];
        let words = perfstat_stats::compare::metric_words(name);
        let per = words.iter().rposition(|w| w == "per");
        let rate = per.is_some_and(|p| {
            words
                .get(p + 1)
                .is_some_and(|w| PER_TIME.contains(&w.as_str()))
        });
        let numerator = per.map_or(&words[..], |p| &words[..p]);
        let has = |list: &[&str]| numerator.iter().any(|w| list.contains(&w.as_str()));
        if !rate && has(&LATENCY) {
            Self::Latency
        } else if has(&COST) {
            Self::Cost
        } else if has(&QUALITY) {
            Self::Quality
        } else if (rate || has(&THROUGHPUT))
            && Direction::from_name(name) == Some(Direction::HigherIsBetter)
        {
            Self::Throughput
        } else {
            Self::Other
        }
    }

    /// The default relative threshold: latency 0.15, throughput 0.10,
    /// quality 0.05, cost 0.20, other 0.10.
    #[must_use]
    pub fn default_threshold(self) -> f64 {
        match self {
            Self::Latency => 0.15,
            Self::Throughput | Self::Other => 0.10,
            Self::Quality => 0.05,
            Self::Cost => 0.20,
        }
    }

    /// The lower-case name (`"latency"`, …), as accepted by [`Kind::parse`].
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Latency => "latency",
            Self::Throughput => "throughput",
            Self::Quality => "quality",
            Self::Cost => "cost",
            Self::Other => "other",
        }
    }

    /// A kind from its name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        [
            Self::Latency,
            Self::Throughput,
            Self::Quality,
            Self::Cost,
            Self::Other,
        ]
        .into_iter()
        .find(|k| k.as_str().eq_ignore_ascii_case(name.trim()))
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a per-metric setting came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Inferred from the metric name.
    Inferred,
    /// The default (the name said nothing).
    Default,
    /// Given by the user.
    Given,
}

impl Source {
    /// `"inferred"`, `"default"` or `"given"`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Inferred => "inferred",
            Self::Default => "default",
            Self::Given => "given",
        }
    }
}

/// The settings of one metric.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MetricSettings {
    /// What it measures.
    pub kind: Kind,
    /// Which way is better.
    pub direction: Direction,
    /// Where the direction came from.
    pub direction_source: Source,
    /// The relative threshold (a magnitude, e.g. 0.15 for 15 %).
    pub threshold: f64,
    /// Where the threshold came from.
    pub threshold_source: Source,
}

/// User overrides: `(target, value)` where the target is a metric name or a
/// kind name (`latency`, `throughput`, `quality`, `cost`, `other`); a metric
/// name wins over a kind name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Overrides {
    /// Relative thresholds (magnitudes; the sign of `-10%` is dropped).
    pub thresholds: Vec<(String, f64)>,
    /// Directions.
    pub directions: Vec<(String, Direction)>,
}

/// A `NAME=PERCENT` threshold (`p95_latency_ms=15%`, `latency=0.1`; the sign of `-10%` is dropped)
/// that could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ThresholdError(String);

/// Parses `NAME=PERCENT` into the name and a positive relative threshold.
///
/// ```
/// use perfstat_regress::config::parse_threshold;
/// assert_eq!(parse_threshold("latency=-15%"), Ok(("latency".to_owned(), 0.15)));
/// assert!(parse_threshold("latency=0").is_err());
/// ```
///
/// # Errors
/// No `=`, an empty name, a value that is not a fraction, or zero.
pub fn parse_threshold(s: &str) -> std::result::Result<(String, f64), ThresholdError> {
    let (name, value) = s
        .rsplit_once('=')
        .ok_or_else(|| ThresholdError(format!("expected NAME=VALUE, found {s:?}")))?;
    let (name, value) = (name.trim(), value.trim());
    if name.is_empty() {
        return Err(ThresholdError(format!("empty metric name in {s:?}")));
    }
    let v = perfstat_stats::fraction::parse_fraction(value.trim_start_matches(['+', '-', '−']))
        .map_err(|e| ThresholdError(e.to_string()))?;
    if v <= 0.0 {
        return Err(ThresholdError(format!(
            "the threshold of {name} must be positive, found {value}"
        )));
    }
    Ok((name.to_owned(), v))
}

impl Overrides {
    /// Checks that every target names a metric in `metrics` or a kind.
    ///
    /// # Errors
    /// [`crate::Error::Config`] naming the unknown target and the known metrics.
    pub fn check(&self, metrics: &[&str]) -> Result<()> {
        let targets = self
            .thresholds
            .iter()
            .map(|(t, _)| (t, "threshold"))
            .chain(self.directions.iter().map(|(t, _)| (t, "direction")));
        for (t, flag) in targets {
            if !metrics.contains(&t.as_str()) && Kind::parse(t).is_none() {
                return Err(ConfigError::UnknownTarget {
                    setting: flag,
                    target: t.clone(),
                    metrics: metrics.iter().map(|&m| m.to_owned()).collect(),
                }
                .into());
            }
        }
        for (t, v) in &self.thresholds {
            if !(v.is_finite() && *v > 0.0) {
                return Err(ConfigError::Threshold {
                    target: t.clone(),
                    value: *v,
                }
                .into());
            }
        }
        Ok(())
    }

    /// The settings of metric `name`: overrides first (metric name, then its
    /// kind), else inferred from the name.
    #[must_use]
    pub fn settings(&self, name: &str) -> MetricSettings {
        let kind = Kind::infer(name);
        let pick = |target: &str| target == name;
        let pick_kind = |target: &str| Kind::parse(target) == Some(kind);
        let given_threshold = self
            .thresholds
            .iter()
            .rev()
            .find(|(t, _)| pick(t))
            .or_else(|| self.thresholds.iter().rev().find(|(t, _)| pick_kind(t)))
            .map(|(_, v)| v.abs());
        let given_direction = self
            .directions
            .iter()
            .rev()
            .find(|(t, _)| pick(t))
            .or_else(|| self.directions.iter().rev().find(|(t, _)| pick_kind(t)))
            .map(|(_, d)| *d);
        let (direction, direction_source) = match given_direction {
            Some(d) => (d, Source::Given),
            None => match Direction::from_name(name) {
                Some(d) => (d, Source::Inferred),
                None => (Direction::default(), Source::Default),
            },
        };
        let (threshold, threshold_source) = match given_threshold {
            Some(t) => (t, Source::Given),
            None => (
                kind.default_threshold(),
                if kind == Kind::Other {
                    Source::Default
                } else {
                    Source::Inferred
                },
            ),
        };
        MetricSettings {
            kind,
            direction,
            direction_source,
            threshold,
            threshold_source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_by_kind() {
        let o = Overrides::default();
        assert_eq!(o.settings("p95_latency_ms").threshold, 0.15);
        assert_eq!(o.settings("throughput_rps").threshold, 0.10);
        assert_eq!(o.settings("answer_quality").threshold, 0.05);
        assert_eq!(o.settings("cost_per_run").threshold, 0.20);
        assert_eq!(o.settings("error_rate").threshold, 0.10);
        assert_eq!(
            o.settings("tokens_per_s").direction,
            Direction::HigherIsBetter
        );
    }

    #[test]
    fn overrides_win_metric_over_kind() {
        let o = Overrides {
            thresholds: vec![("latency".into(), 0.3), ("p99_latency".into(), 0.5)],
            directions: vec![("widgets".into(), Direction::HigherIsBetter)],
        };
        assert_eq!(o.settings("p95_latency").threshold, 0.3);
        assert_eq!(o.settings("p99_latency").threshold, 0.5);
        assert_eq!(o.settings("widgets").direction_source, Source::Given);
        assert!(o.check(&["p99_latency", "widgets"]).is_ok());
        assert!(o.check(&["p99_latency"]).is_err());
    }
}

//! Metrics given as the path of a per-request sample file.
//!
//! In the `{"objectives", "configs"}` document a metric may be a string: the path of a
//! per-request sample file (JMeter JTL, k6, Locust, Gatling, a CSV/JSON column of
//! latencies: anything `perfstat_ingest::read_path` reads), relative to the configs
//! file's folder. It is read with [`ReadOptions::samples`](super::ReadOptions::samples)
//! (all groups pooled). The statistic comes from the metric name's prefix
//! ([`statistic`]); the metric becomes [`Metric::Interval`]: the statistic and its
//! interval at the confidence level, the order-statistic interval
//! ([`perfstat_stats::interval::quantile_interval`]) for a percentile, the Student-t
//! interval ([`perfstat_stats::interval::mean_interval`]) for the mean.
//!
//! A string is taken for a path only when it looks like one (it holds a `/` or `\`, or
//! ends in an extension such as `.csv`) or names an existing file; `"NaN"`, `"12"` or
//! `"fast"` are errors saying what was expected.

use std::path::Path;

use perfstat_stats::{Confidence, Sample};

use super::ErrorKind;
use crate::analysis::Metric;

/// The statistic a sample-file metric stands for, from its name's prefix.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Statistic {
    /// `mean_…`: the mean, with its t interval.
    Mean,
    /// `pNN_…` (0 < NN < 100) or `median_…`: the type-7 quantile at this level, with
    /// the distribution-free order-statistic interval.
    Quantile(f64),
}

/// `p95_latency_ms` → the 0.95 quantile; `p99.9_…`, `median_…`, `mean_…`; `None` otherwise.
#[must_use]
pub fn statistic(metric: &str) -> Option<Statistic> {
    let (head, _) = metric.split_once('_')?;
    let head = head.to_ascii_lowercase();
    match head.as_str() {
        "mean" => Some(Statistic::Mean),
        "median" => Some(Statistic::Quantile(0.5)),
        _ => {
            let pct: f64 = head.strip_prefix('p')?.parse().ok()?;
            (pct > 0.0 && pct < 100.0).then(|| Statistic::Quantile(pct / 100.0))
        }
    }
}

/// Whether a metric string is to be read as a path: it holds a path separator, ends in a
/// file extension, or names an existing file under `base`. A string holding a number
/// (`"12"`, `"NaN"`) never is.
#[must_use]
pub fn is_path(text: &str, base: &Path) -> bool {
    if text.trim().parse::<f64>().is_ok() {
        return false;
    }
    let extension = text.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty()
            && (1..=8).contains(&ext.len())
            && ext.bytes().all(|b| b.is_ascii_alphanumeric())
            && ext.bytes().any(|b| b.is_ascii_alphabetic())
    });
    text.contains('/') || text.contains('\\') || extension || base.join(text).is_file()
}

/// The metric for the string `text` of metric `name` (described as `at`), resolved
/// against `base`.
pub(super) fn metric(
    at: &str,
    name: &str,
    text: &str,
    base: &Path,
    opts: &super::ReadOptions,
) -> Result<Metric, ErrorKind> {
    if !is_path(text, base) {
        let reason = match text.trim().parse::<f64>() {
            Ok(x) if x.is_finite() => "a number in quotes (write it without them)",
            Ok(_) => {
                "not a number: JSON has no NaN or infinity (give a finite number, or leave the \
                 metric out)"
            }
            Err(_) => "neither a number nor the name of an existing file",
        };
        return Err(ErrorKind::NotAMetric {
            at: at.to_owned(),
            text: text.to_owned(),
            reason,
        });
    }
    let stat = statistic(name).ok_or_else(|| ErrorKind::NoStatistic {
        at: at.to_owned(),
        path: text.to_owned(),
    })?;
    let path = base.join(text);
    let bad = |reason: String| ErrorKind::SampleStatistic {
        at: at.to_owned(),
        path: text.to_owned(),
        reason,
    };
    let data = perfstat_ingest::read_path(&path, &opts.samples).map_err(|error| {
        ErrorKind::SampleFile {
            at: at.to_owned(),
            path: text.to_owned(),
            error,
        }
    })?;
    let sample = Sample::new(data.values().collect()).map_err(|e| bad(e.to_string()))?;
    interval_metric(&sample, stat, opts.confidence).map_err(bad)
}

/// The statistic of `sample` and its interval at `confidence`.
fn interval_metric(
    sample: &Sample,
    stat: Statistic,
    confidence: Confidence,
) -> Result<Metric, String> {
    let n = sample.len();
    let (value, iv) = match stat {
        Statistic::Mean => {
            let value = perfstat_stats::moments::Moments::of(sample.sorted()).mean();
            // All values equal (or one value): no spread, the degenerate interval.
            let iv = perfstat_stats::interval::mean_interval(sample, confidence).ok();
            (value, iv)
        }
        Statistic::Quantile(q) => {
            let value = sample.quantile(q).map_err(|e| e.to_string())?;
            let iv = perfstat_stats::interval::quantile_interval(sample, q, confidence).map_err(
                |e| {
                    format!(
                        "no interval for p{} of {n} values at confidence {}: {e}",
                        q * 100.0,
                        confidence.level()
                    )
                },
            )?;
            (value, Some(iv))
        }
    };
    let (lower, upper) = iv.map_or((value, value), |iv| (iv.lower, iv.upper));
    Ok(Metric::Interval {
        value,
        lower,
        upper,
        n,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistic_from_the_metric_prefix() {
        assert_eq!(statistic("p95_latency_ms"), Some(Statistic::Quantile(0.95)));
        assert!(
            matches!(statistic("p99.9_ms"), Some(Statistic::Quantile(q)) if (q - 0.999).abs() < 1e-12)
        );
        assert_eq!(statistic("median_ms"), Some(Statistic::Quantile(0.5)));
        assert_eq!(statistic("mean_ms"), Some(Statistic::Mean));
        assert_eq!(statistic("latency_ms"), None);
        assert_eq!(statistic("p95"), None);
        assert_eq!(statistic("p100_ms"), None);
        assert_eq!(statistic("pfoo_ms"), None);
    }

    #[test]
    fn what_is_a_path() {
        let here = Path::new("/nonexistent-perfstat-dir");
        for p in ["runs/a.jtl", "a.csv", "a.csv.gz", "C:\\runs\\x", "k6.json"] {
            assert!(is_path(p, here), "{p}");
        }
        for s in ["NaN", "nan", "inf", "12", "1.5", "fast", "", "v1.2"] {
            assert!(!is_path(s, here), "{s}");
        }
    }
}

//! All statistics of the `describe` contract for one sample.

use crate::interval::{mean_interval_from, median_interval};

use crate::normality::{self, AndersonDarling, ShapiroWilk, TestResult};
use crate::outliers::{self, MadOutliers, TukeyCounts};
use crate::quantile::{QuantileMethod, quantile_sorted};
use crate::{Confidence, Interval, Sample, Stat};

/// The percentile levels reported by `describe`, as (JSON key, probability).
pub const PERCENTILE_LEVELS: [(&str, f64); 5] = [
    ("p50", 0.50),
    ("p90", 0.90),
    ("p95", 0.95),
    ("p99", 0.99),
    ("p99.9", 0.999),
];

/// Every statistic of the `describe` contract (`docs/json-output.md`).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Description {
    /// Number of values.
    pub n: usize,
    /// Arithmetic mean.
    pub mean: f64,
    /// Sample standard deviation (divisor n − 1); undefined for n < 2.
    pub std_dev: Stat<f64>,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
    /// Median (type-7 quantile at 0.5).
    pub median: f64,
    /// Bias-corrected skewness G1.
    pub skewness: Stat<f64>,
    /// Bias-corrected excess kurtosis G2.
    pub kurtosis: Stat<f64>,
    /// Type-7 percentiles at [`PERCENTILE_LEVELS`], in that order.
    pub percentiles: [f64; 5],
    /// Student-t interval for the mean.
    pub mean_ci: Stat<Interval>,
    /// Distribution-free (binomial order-statistic) interval for the median.
    pub median_ci: Stat<Interval>,
    /// Shapiro–Wilk W and p-value.
    pub shapiro_wilk: Stat<ShapiroWilk>,
    /// Anderson–Darling A² (normal, estimated parameters) and p-value.
    pub anderson_darling: Stat<AndersonDarling>,
    /// D'Agostino–Pearson K² omnibus test.
    pub dagostino_pearson: Stat<TestResult>,
    /// Jarque–Bera test.
    pub jarque_bera: Stat<TestResult>,
    /// Counts outside Tukey's fences.
    pub tukey: TukeyCounts,
    /// Count by modified z-score on the MAD.
    pub mad: Stat<MadOutliers>,
}

/// Computes every statistic of the `describe` contract.
///
/// - Time: O(n) beyond the sort done by [`Sample::new`] (the normality tests
///   are linear on sorted data; the MAD needs one selection).
/// - Memory: O(n) for the MAD's absolute deviations.
#[must_use]
pub fn describe(sample: &Sample, confidence: Confidence) -> Description {
    let sorted = sample.sorted();
    let moments = sample.moments();
    let percentiles =
        PERCENTILE_LEVELS.map(|(_, p)| quantile_sorted(sorted, p, QuantileMethod::Linear));
    Description {
        n: sample.len(),
        mean: moments.mean(),
        std_dev: moments.std_dev(),
        min: sample.min(),
        max: sample.max(),
        median: quantile_sorted(sorted, 0.5, QuantileMethod::Linear),
        skewness: moments.skewness(),
        kurtosis: moments.kurtosis(),
        percentiles,
        mean_ci: mean_interval_from(moments, confidence),
        median_ci: median_interval(sample, confidence),
        shapiro_wilk: normality::shapiro_wilk(sample),
        anderson_darling: normality::anderson_darling(sample),
        dagostino_pearson: normality::dagostino_pearson(sample),
        jarque_bera: normality::jarque_bera(sample),
        tukey: outliers::tukey(sample),
        mad: outliers::mad(sample),
    }
}

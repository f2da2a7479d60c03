//! Advice an expert would give on a sample, each with the number behind it.

use perfstat_stats::Description;

pub use perfstat_stats::thresholds::{HEAVY_SKEW, NORMALITY_ALPHA};
/// Below this many values, intervals are wide and tests weak.
pub const SMALL_N: usize = 20;

/// A warning about a sample, with the number that triggered it.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Warning {
    /// A normality test rejects normality.
    NotNormal {
        /// Which test.
        test: &'static str,
        /// Its p-value.
        p_value: f64,
    },
    /// The distribution is heavily skewed.
    Skewed {
        /// The skewness G1.
        skewness: f64,
    },
    /// Values beyond 3·IQR from the quartiles.
    SevereOutliers {
        /// How many.
        count: usize,
    },
    /// Few values.
    SmallSample {
        /// How many.
        n: usize,
    },
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::fmt::{p_value, sig};
        match self {
            Self::NotNormal { test, p_value: p } => write!(
                f,
                "not normal ({test} p {}): prefer the median and Mann–Whitney",
                if *p < 0.001 {
                    p_value(*p)
                } else {
                    format!("= {}", p_value(*p))
                }
            ),
            Self::Skewed { skewness } => write!(
                f,
                "heavily skewed (skewness {}): the mean is pulled by the tail; compare percentiles",
                sig(*skewness, 3)
            ),
            Self::SevereOutliers { count } => write!(
                f,
                "{count} severe outlier{} (beyond 3·IQR from the quartiles)",
                if *count == 1 { "" } else { "s" }
            ),
            Self::SmallSample { n } => {
                write!(
                    f,
                    "only {n} value{}: intervals are wide and tests weak",
                    if *n == 1 { "" } else { "s" }
                )
            }
        }
    }
}

/// The warnings for one described sample, most important first.
#[must_use]
pub fn warnings(d: &Description) -> Vec<Warning> {
    let mut out = Vec::new();
    if d.n < SMALL_N {
        out.push(Warning::SmallSample { n: d.n });
    }
    let normality = [
        (
            "Shapiro–Wilk",
            d.shapiro_wilk.as_ref().map(|t| t.p_value).ok(),
        ),
        (
            "D'Agostino–Pearson",
            d.dagostino_pearson.as_ref().map(|t| t.p_value).ok(),
        ),
    ];
    if let Some((test, Some(p))) = normality.into_iter().find(|(_, p)| p.is_some())
        && p < NORMALITY_ALPHA
    {
        out.push(Warning::NotNormal { test, p_value: p });
    }
    if let Ok(skewness) = d.skewness
        && skewness.abs() > HEAVY_SKEW
    {
        out.push(Warning::Skewed { skewness });
    }
    let severe = d.tukey.low_severe + d.tukey.high_severe;
    if severe > 0 {
        out.push(Warning::SevereOutliers { count: severe });
    }
    out
}

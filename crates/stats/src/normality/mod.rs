//! Normality tests: Shapiro–Wilk, Anderson–Darling, D'Agostino–Pearson, Jarque–Bera.
//!
//! Each test matches its scipy reference (see `docs/numerics.md`, "Normality
//! tests"): [`shapiro_wilk()`] is `scipy.stats.shapiro`, [`anderson_darling()`]
//! is the A² of `scipy.stats.anderson(x, "norm")` with the D'Agostino–Stephens
//! (1986) p-value, [`dagostino_pearson()`] is `scipy.stats.normaltest` and
//! [`jarque_bera()`] is `scipy.stats.jarque_bera`. All read the sorted values of
//! a [`Sample`]; a test that is undefined for the data is an `Err(Undefined)`.

mod anderson_darling;
mod dagostino_pearson;
mod jarque_bera;
mod shapiro_wilk;

pub use self::anderson_darling::{anderson_darling, anderson_darling_p_value};
pub use self::dagostino_pearson::dagostino_pearson;
pub use self::jarque_bera::jarque_bera;
pub use self::shapiro_wilk::{SHAPIRO_WILK_MAX_VALIDATED_N, shapiro_wilk};

use crate::Sample;
use crate::scale::Scaler;
use crate::{Stat, Undefined};

/// A test statistic with its p-value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TestResult {
    /// The test statistic.
    pub statistic: f64,
    /// The p-value.
    pub p_value: f64,
}

/// Shapiro–Wilk W and its p-value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ShapiroWilk {
    /// W statistic.
    pub statistic: f64,
    /// p-value (Royston 1995).
    pub p_value: f64,
    /// `true` when n > 5000, where the p-value approximation is not validated.
    pub approximate: bool,
}

/// Anderson–Darling A² against a normal with estimated parameters.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AndersonDarling {
    /// A² as `scipy.stats.anderson(x, "norm")`.
    pub statistic: f64,
    /// p-value, where the approximation is defined.
    pub p_value: Stat<f64>,
}

/// Biased (population) central moments m_k = Σ(x − x̄)ᵏ / n, k = 2, 3, 4, as
/// scipy's `_moment`, **of the values scaled by 2ᵏ** (k of [`Moments::exponent`]):
/// only their scale-invariant ratios are used, and they are finite for any
/// finite data (scipy's overflow to inf/NaN beyond about 1e77 cannot happen).
#[derive(Clone, Copy, Debug)]
struct CentralMoments {
    m2: f64,
    m3: f64,
    m4: f64,
}

impl CentralMoments {
    /// Two passes over the scaled values x·2ᵏ: the mean of [`Moments`], then
    /// the centred power sums (scipy's order of operations; for data in the
    /// ordinary range bit for bit the unscaled computation).
    ///
    /// # Undefined
    /// [`Undefined::ZeroVariance`] when all values are equal.
    fn of(sample: &Sample) -> Result<Self, Undefined> {
        let values = sample.sorted();
        let n = values.len() as f64;
        let moments = sample.moments();
        let scaler = Scaler::new(moments.exponent());
        let mean = moments.scaled_mean();
        let (mut s2, mut s3, mut s4) = (0.0, 0.0, 0.0);
        for &x in values {
            let d = scaler.apply(x) - mean;
            let d2 = d * d;
            s2 += d2;
            s3 += d2 * d;
            s4 += d2 * d2;
        }
        if s2 == 0.0 || s2.is_nan() {
            return Err(Undefined::ZeroVariance);
        }
        Ok(Self {
            m2: s2 / n,
            m3: s3 / n,
            m4: s4 / n,
        })
    }

    /// Biased skewness g1 = m3 / m2^1.5 (`scipy.stats.skew(bias=True)`).
    fn skew(&self) -> f64 {
        self.m3 / self.m2.powf(1.5)
    }

    /// Biased kurtosis (Pearson, not excess) b2 = m4 / m2².
    fn kurtosis_pearson(&self) -> f64 {
        self.m4 / (self.m2 * self.m2)
    }
}

impl TestResult {
    /// A test result, or [`Undefined::OutOfRange`] when the statistic is not a
    /// finite number: a p-value is never reported for an undefined statistic.
    fn checked(statistic: f64, p_value: f64) -> Stat<Self> {
        if statistic.is_finite() && (0.0..=1.0).contains(&p_value) {
            Ok(Self { statistic, p_value })
        } else {
            Err(Undefined::OutOfRange)
        }
    }
}

/// Whether every value equals the first (the sample is sorted, so min = max).
fn all_equal(sorted: &[f64]) -> bool {
    sorted.first() == sorted.last()
}

//! Mean, variance, skewness and kurtosis, computed stably.

use crate::{Stat, Undefined};

/// Central moment sums of a sample: the basis of mean, variance, skewness and kurtosis.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Moments {
    n: usize,
    mean: f64,
    /// Σ(x − mean)²
    m2: f64,
    /// Σ(x − mean)³
    m3: f64,
    /// Σ(x − mean)⁴
    m4: f64,
}

impl Moments {
    /// Computes the moments of `values` (any order). STUB: to be made stable.
    #[must_use]
    pub fn of(values: &[f64]) -> Self {
        let n = values.len();
        let mean = values.iter().sum::<f64>() / n as f64;
        let (mut m2, mut m3, mut m4) = (0.0, 0.0, 0.0);
        for &x in values {
            let d = x - mean;
            m2 += d * d;
            m3 += d * d * d;
            m4 += d * d * d * d;
        }
        Self {
            n,
            mean,
            m2,
            m3,
            m4,
        }
    }

    /// Number of values.
    #[must_use]
    pub fn n(&self) -> usize {
        self.n
    }

    /// Arithmetic mean.
    #[must_use]
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// Sample variance, divisor n − 1.
    ///
    /// # Undefined
    /// For n < 2.
    pub fn variance(&self) -> Stat<f64> {
        if self.n < 2 {
            return Err(Undefined::TooFew {
                need: 2,
                got: self.n,
            });
        }
        Ok(self.m2 / (self.n - 1) as f64)
    }

    /// Sample standard deviation, divisor n − 1 (numpy `std(ddof=1)`).
    ///
    /// # Undefined
    /// For n < 2.
    pub fn std_dev(&self) -> Stat<f64> {
        self.variance().map(f64::sqrt)
    }

    /// Bias-corrected skewness G1 (`scipy.stats.skew(bias=False)`). STUB.
    ///
    /// # Undefined
    /// For n < 3 or zero variance.
    pub fn skewness(&self) -> Stat<f64> {
        let _ = (self.m3, self.m4);
        Err(Undefined::OutOfRange)
    }

    /// Bias-corrected excess kurtosis G2 (`scipy.stats.kurtosis(bias=False)`). STUB.
    ///
    /// # Undefined
    /// For n < 4 or zero variance.
    pub fn kurtosis(&self) -> Stat<f64> {
        Err(Undefined::OutOfRange)
    }
}

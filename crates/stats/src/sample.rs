//! The validated, sorted sample every statistic works on.

use crate::error::{Error, Result};
use crate::moments::Moments;
use rayon::slice::ParallelSliceMut;
use std::sync::OnceLock;

/// Samples at least this large are sorted on the rayon pool.
const PARALLEL_SORT_MIN: usize = 1 << 16;

/// A non-empty sample of finite values, sorted once at construction.
///
/// Every order statistic (quantiles, median interval, Shapiro–Wilk,
/// Anderson–Darling, Tukey fences) reads the sorted values; moments do not
/// depend on order. The original order is not kept: callers that need it
/// (lag-1 autocorrelation of a time-ordered load test) compute it from their
/// own vector before building the sample.
///
/// Memory: 8 bytes per value (the input vector is sorted in place).
///
/// The [`Moments`] of the sample are computed once, on first use
/// ([`Sample::moments`]), and shared by every statistic that needs them (mean,
/// variance, skewness, the normality tests, Welch, the effect sizes): the same
/// sums over the same sorted values, so every result is bit-identical to
/// calling [`Moments::of`] on [`Sample::sorted`] each time.
///
/// ```
/// use perfstat_stats::Sample;
/// let s = Sample::new(vec![3.0, 1.0, 2.0])?;
/// assert_eq!(s.sorted(), &[1.0, 2.0, 3.0]);
/// assert_eq!(s.len(), 3);
/// # Ok::<(), perfstat_stats::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Sample {
    sorted: Vec<f64>,
    /// `Moments::of(&sorted)`, filled on first use.
    moments: OnceLock<Moments>,
}

/// Equal when the values are (the moments cache is derived from them).
impl PartialEq for Sample {
    fn eq(&self, other: &Self) -> bool {
        self.sorted == other.sorted
    }
}

impl Sample {
    /// Validates and sorts `values`.
    ///
    /// # Errors
    /// [`Error::Empty`] for no values, [`Error::NonFinite`] for a NaN or infinite value.
    ///
    /// - Time: O(n log n) (parallel above 65 536 values)
    /// - Memory: O(1) beyond `values`
    pub fn new(mut values: Vec<f64>) -> Result<Self> {
        if values.is_empty() {
            return Err(Error::Empty);
        }
        if let Some(index) = values.iter().position(|v| !v.is_finite()) {
            return Err(Error::NonFinite {
                index,
                value: values[index],
            });
        }
        if values.len() >= PARALLEL_SORT_MIN {
            values.par_sort_unstable_by(f64::total_cmp);
        } else {
            values.sort_unstable_by(f64::total_cmp);
        }
        // -0.0 and 0.0 compare unequal under total_cmp but are the same value;
        // normalise so ties are exact ties.
        for v in &mut values {
            if *v == 0.0 {
                *v = 0.0;
            }
        }
        Ok(Self {
            sorted: values,
            moments: OnceLock::new(),
        })
    }

    /// `Moments::of(self.sorted())`, computed on the first call and cached.
    ///
    /// - Time: O(n) once, then O(1).
    #[must_use]
    pub fn moments(&self) -> &Moments {
        self.moments.get_or_init(|| Moments::of(&self.sorted))
    }

    /// The values in ascending order.
    #[must_use]
    pub fn sorted(&self) -> &[f64] {
        &self.sorted
    }

    /// The number of values (at least 1).
    #[must_use]
    pub fn len(&self) -> usize {
        self.sorted.len()
    }

    /// Always `false`: a sample has at least one value. Present for API symmetry.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.sorted.is_empty()
    }

    /// The smallest value.
    #[must_use]
    pub fn min(&self) -> f64 {
        self.sorted[0] // invariant: non-empty by construction
    }

    /// The largest value.
    #[must_use]
    pub fn max(&self) -> f64 {
        self.sorted[self.sorted.len() - 1] // invariant: non-empty by construction
    }

    /// Consumes the sample and returns the sorted values.
    #[must_use]
    pub fn into_sorted(self) -> Vec<f64> {
        self.sorted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_empty_and_non_finite() {
        assert_eq!(Sample::new(vec![]), Err(Error::Empty));
        assert!(matches!(
            Sample::new(vec![1.0, f64::NAN]),
            Err(Error::NonFinite { index: 1, .. })
        ));
        assert!(matches!(
            Sample::new(vec![f64::INFINITY]),
            Err(Error::NonFinite { index: 0, .. })
        ));
    }

    #[test]
    fn sorts_and_normalises_negative_zero() {
        let s = Sample::new(vec![0.0, -0.0, -1.0]).unwrap();
        assert_eq!(s.sorted(), &[-1.0, 0.0, 0.0]);
        assert!(s.sorted()[1].is_sign_positive());
        assert_eq!(s.min(), -1.0);
        assert_eq!(s.max(), 0.0);
    }
}

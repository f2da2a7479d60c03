//! Jarque–Bera test (`scipy.stats.jarque_bera`).

use super::{CentralMoments, TestResult, all_equal};
use crate::dist;
use crate::{Sample, Stat, Undefined};

/// Jarque–Bera JB = n/6 · (g₁² + (b₂ − 3)²/4) with the biased (population)
/// skewness g₁ = m₃/m₂^1.5 and kurtosis b₂ = m₄/m₂²; p = P(χ²₂ > JB), as
/// `scipy.stats.jarque_bera`. The moments are those of the data scaled by an
/// exact power of two ([`crate::scale`]), so JB is defined for any finite,
/// non-constant data (scipy overflows to NaN beyond magnitudes of about 1e77).
///
/// - Time: O(n). Memory: O(1).
///
/// # Undefined
/// [`Undefined::TooFew`] for n < 2; [`Undefined::ZeroVariance`] when all values
/// are equal.
pub fn jarque_bera(sample: &Sample) -> Stat<TestResult> {
    let x = sample.sorted();
    let n = x.len();
    if n < 2 {
        return Err(Undefined::TooFew { need: 2, got: n });
    }
    if all_equal(x) {
        return Err(Undefined::ZeroVariance);
    }
    let m = CentralMoments::of(sample)?;
    let s = m.skew();
    let k = m.kurtosis_pearson() - 3.0;
    let statistic = n as f64 / 6.0 * (s * s + k * k / 4.0);
    TestResult::checked(statistic, dist::chi2_sf(statistic, 2.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_samples_match_scipy() {
        // scipy.stats.jarque_bera([1., 2.]) = (1/3, 0.8464817248906141)
        let r = jarque_bera(&Sample::new(vec![1.0, 2.0]).unwrap()).unwrap();
        assert!((r.statistic - 1.0 / 3.0).abs() < 1e-15);
        assert!((r.p_value / 0.8464817248906141 - 1.0).abs() < 1e-12);
        // scipy.stats.jarque_bera([1., 2., 4.]) = (0.3541362973760933, 0.8377226928751892)
        let r = jarque_bera(&Sample::new(vec![1.0, 2.0, 4.0]).unwrap()).unwrap();
        assert!((r.statistic / 0.3541362973760933 - 1.0).abs() < 1e-12);
        assert!((r.p_value / 0.8377226928751892 - 1.0).abs() < 1e-12);
    }

    #[test]
    fn undefined_cases() {
        let one = Sample::new(vec![1.0]).unwrap();
        assert_eq!(
            jarque_bera(&one),
            Err(Undefined::TooFew { need: 2, got: 1 })
        );
        let flat = Sample::new(vec![2.0; 5]).unwrap();
        assert_eq!(jarque_bera(&flat), Err(Undefined::ZeroVariance));
    }
}

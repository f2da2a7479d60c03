//! D'Agostino–Pearson K² omnibus test (`scipy.stats.normaltest`).

use super::{CentralMoments, TestResult, all_equal};
use crate::dist;
use crate::{Sample, Stat, Undefined};

/// Smallest sample for the K² test (scipy's `normaltest` requires n ≥ 8).
pub const DAGOSTINO_PEARSON_MIN_N: usize = 8;

/// D'Agostino–Pearson K² = Z₁² + Z₂², where Z₁ is D'Agostino's (1970)
/// transformation of the biased skewness √b₁ (`scipy.stats.skewtest`) and Z₂
/// the Anscombe–Glynn (1983) transformation of the biased kurtosis b₂
/// (`scipy.stats.kurtosistest`); p = P(χ²₂ > K²). Formulas and order of
/// operations follow scipy 1.17, including its rule that a skewness of exactly
/// 0 enters the Z₁ transformation as y = 1 (so perfectly symmetric data give
/// Z₁ ≠ 0, as scipy).
///
/// - Time: O(n). Memory: O(1).
///
/// The moments are those of the data scaled by an exact power of two
/// ([`crate::scale`]), so K² is defined for any finite, non-constant data.
/// scipy returns NaN where the variance is below (ε·mean)²; here the
/// corrected two-pass moments keep such a variance accurate, so K² is given
/// (the only departure from scipy, where scipy has no number).
///
/// # Undefined
/// [`Undefined::TooFew`] for n < 8; [`Undefined::ZeroVariance`] when all
/// values are equal; [`Undefined::OutOfRange`] in the degenerate case where
/// the kurtosis transformation divides by zero (scipy returns NaN).
pub fn dagostino_pearson(sample: &Sample) -> Stat<TestResult> {
    let x = sample.sorted();
    let n = x.len();
    if n < DAGOSTINO_PEARSON_MIN_N {
        return Err(Undefined::TooFew {
            need: DAGOSTINO_PEARSON_MIN_N,
            got: n,
        });
    }
    if all_equal(x) {
        return Err(Undefined::ZeroVariance);
    }
    let m = CentralMoments::of(sample)?;
    let nf = n as f64;
    let z1 = skew_z(m.skew(), nf);
    let z2 = kurtosis_z(m.kurtosis_pearson(), nf).ok_or(Undefined::OutOfRange)?;
    let statistic = z1 * z1 + z2 * z2;
    TestResult::checked(statistic, dist::chi2_sf(statistic, 2.0))
}

/// scipy `skewtest` Z for biased skewness `b2` (scipy's name) and size `n`.
fn skew_z(b2: f64, n: f64) -> f64 {
    let mut y = b2 * (((n + 1.0) * (n + 3.0)) / (6.0 * (n - 2.0))).sqrt();
    let beta2 = 3.0 * (n * n + 27.0 * n - 70.0) * (n + 1.0) * (n + 3.0)
        / ((n - 2.0) * (n + 5.0) * (n + 7.0) * (n + 9.0));
    let w2 = -1.0 + (2.0 * (beta2 - 1.0)).sqrt();
    let delta = 1.0 / (0.5 * w2.ln()).sqrt();
    let alpha = (2.0 / (w2 - 1.0)).sqrt();
    if y == 0.0 {
        y = 1.0; // scipy: `y = xp.where(y == 0, 1., y)`
    }
    delta * (y / alpha + ((y / alpha).powi(2) + 1.0).sqrt()).ln()
}

/// scipy `kurtosistest` Z for Pearson kurtosis `b2` and size `n`; `None` when
/// the transformation's denominator is exactly zero.
fn kurtosis_z(b2: f64, n: f64) -> Option<f64> {
    let e = 3.0 * (n - 1.0) / (n + 1.0);
    let varb2 = 24.0 * n * (n - 2.0) * (n - 3.0) / ((n + 1.0) * (n + 1.0) * (n + 3.0) * (n + 5.0));
    let x = (b2 - e) / varb2.sqrt();
    let sqrtbeta1 = 6.0 * (n * n - 5.0 * n + 2.0) / ((n + 7.0) * (n + 9.0))
        * ((6.0 * (n + 3.0) * (n + 5.0)) / (n * (n - 2.0) * (n - 3.0))).sqrt();
    let a =
        6.0 + 8.0 / sqrtbeta1 * (2.0 / sqrtbeta1 + (1.0 + 4.0 / (sqrtbeta1 * sqrtbeta1)).sqrt());
    let term1 = 1.0 - 2.0 / (9.0 * a);
    let denom = 1.0 + x * (2.0 / (a - 4.0)).sqrt();
    if denom == 0.0 {
        return None;
    }
    let term2 = denom.signum() * ((1.0 - 2.0 / a) / denom.abs()).powf(1.0 / 3.0);
    Some((term1 - term2) / (2.0 / (9.0 * a)).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symmetric_data_follow_scipy() {
        // scipy.stats.normaltest(np.arange(1., 11.)) = (2.02697581498966, 0.362950830342156)
        let s = Sample::new((1..=10).map(f64::from).collect()).unwrap();
        let r = dagostino_pearson(&s).unwrap();
        assert!((r.statistic / 2.02697581498966 - 1.0).abs() < 1e-12);
        assert!((r.p_value / 0.362950830342156 - 1.0).abs() < 1e-12);
    }

    #[test]
    fn undefined_cases() {
        let s = Sample::new(vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]).unwrap();
        assert_eq!(
            dagostino_pearson(&s),
            Err(Undefined::TooFew { need: 8, got: 7 })
        );
        let s = Sample::new(vec![3.5; 20]).unwrap();
        assert_eq!(dagostino_pearson(&s), Err(Undefined::ZeroVariance));
    }
}

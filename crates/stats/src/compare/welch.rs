//! Welch's unequal-variance t-test.

use super::{MeanVar, Pair};
use crate::dist::{t_isf, t_sf};
use crate::{Confidence, Estimate, Stat, Undefined};

/// Welch's t-test with the interval for the mean difference.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WelchT {
    /// t = (x̄_t − x̄_c) / √(s_t²/n_t + s_c²/n_c).
    pub statistic: f64,
    /// Welch–Satterthwaite degrees of freedom.
    pub df: f64,
    /// Two-sided p-value, 2·P(T_df > |t|).
    pub p_value: f64,
    /// x̄_t − x̄_c with the Welch interval (x̄_t − x̄_c) ± t_{df, 1−α/2}·SE.
    pub mean_difference: Estimate,
}

/// Welch's t-test of treatment against control
/// (`scipy.stats.ttest_ind(treatment, control, equal_var=False)`; the interval
/// is its `confidence_interval(confidence)`).
///
/// df = (v_t + v_c)² / (v_t²/(n_t − 1) + v_c²/(n_c − 1)) with v = s²/n; the
/// p-value comes from the t survival function, the interval from the upper
/// t quantile (no `1 − cdf`).
///
/// - Time: O(n_t + n_c). Memory: O(1).
///
/// # Undefined
/// [`Undefined::TooFew`] when a sample has fewer than 2 values;
/// [`Undefined::ZeroVariance`] when both samples have zero variance.
pub fn welch_t(pair: Pair<'_>, confidence: Confidence) -> Stat<WelchT> {
    let t = MeanVar::of(pair.treatment)?;
    let c = MeanVar::of(pair.control)?;
    let vt = t.var / t.n;
    let vc = c.var / c.n;
    let se2 = vt + vc;
    if se2.is_nan() || se2 <= 0.0 {
        return Err(Undefined::ZeroVariance);
    }
    let se = se2.sqrt();
    let diff = t.mean - c.mean;
    let statistic = diff / se;
    let df = se2 * se2 / (vt * vt / (t.n - 1.0) + vc * vc / (c.n - 1.0));
    let p_value = (2.0 * t_sf(statistic.abs(), df)).min(1.0);
    let q = t_isf(confidence.tail(), df).map_err(|_| Undefined::OutOfRange)?;
    Ok(WelchT {
        statistic,
        df,
        p_value,
        mean_difference: Estimate {
            estimate: diff,
            lower: diff - q * se,
            upper: diff + q * se,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Sample;

    #[test]
    fn matches_scipy_small_case() {
        // scipy.stats.ttest_ind([3, 4, 6, 9], [1, 2, 2, 5, 7], equal_var=False)
        let c = Sample::new(vec![1.0, 2.0, 2.0, 5.0, 7.0]).unwrap();
        let t = Sample::new(vec![3.0, 4.0, 6.0, 9.0]).unwrap();
        let w = welch_t(
            Pair {
                control: &c,
                treatment: &t,
            },
            Confidence::DEFAULT,
        )
        .unwrap();
        assert!((w.mean_difference.estimate - 2.1).abs() < 1e-12);
        assert!(w.statistic > 0.0 && w.p_value > 0.0 && w.p_value < 1.0);
        assert!(w.mean_difference.lower < 2.1 && 2.1 < w.mean_difference.upper);
    }

    #[test]
    fn undefined_cases() {
        let one = Sample::new(vec![1.0]).unwrap();
        let flat = Sample::new(vec![2.0, 2.0, 2.0]).unwrap();
        let flat2 = Sample::new(vec![3.0, 3.0]).unwrap();
        let pair = Pair {
            control: &one,
            treatment: &flat,
        };
        assert_eq!(
            welch_t(pair, Confidence::DEFAULT),
            Err(Undefined::TooFew { need: 2, got: 1 })
        );
        let pair = Pair {
            control: &flat2,
            treatment: &flat,
        };
        assert_eq!(
            welch_t(pair, Confidence::DEFAULT),
            Err(Undefined::ZeroVariance)
        );
    }
}

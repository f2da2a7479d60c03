//! Anderson–Darling test of normality with estimated mean and variance.

use super::{AndersonDarling, all_equal, for_each_term_in_order};
use crate::dist::{normal_log_cdf, normal_log_sf};

use crate::{Sample, Stat, Undefined};

/// Smallest n for which the D'Agostino–Stephens p-value is given (as R's
/// `nortest::ad.test`, which requires n ≥ 8).
pub const ANDERSON_DARLING_P_MIN_N: usize = 8;

/// Anderson–Darling A² against a normal distribution with the sample mean and
/// standard deviation (divisor n − 1): the statistic of
/// `scipy.stats.anderson(x, "norm")`,
///
/// A² = −n − Σᵢ (2i − 1)/n · [ln Φ(wᵢ) + ln(1 − Φ(w₍ₙ₊₁₋ᵢ₎))], wᵢ = (x₍ᵢ₎ − x̄)/s,
///
/// with both logarithms from [`crate::dist::normal_log_cdf`] /
/// [`crate::dist::normal_log_sf`] (scipy's `logcdf`/`logsf`: no `ln(1 − cdf)`,
/// no underflow to −∞ for extreme values), and the sum compensated
/// (Neumaier) because A² is a small difference of two numbers of size n.
///
/// The z-scores wᵢ are computed on the data scaled by an exact power of two
/// ([`crate::moments::Moments::standardized`]), so A² is defined for any
/// finite, non-constant data (scipy's is NaN or wrong once the standard
/// deviation overflows).
///
/// The p-value is [`anderson_darling_p_value`].
///
/// - Time: O(n) on the sorted sample.
/// - Memory: O(1).
///
/// # Undefined
/// [`Undefined::TooFew`] for n < 2, [`Undefined::ZeroVariance`] when all values
/// are equal. The p-value alone is undefined for n < 8.
pub fn anderson_darling(sample: &Sample) -> Stat<AndersonDarling> {
    let y = sample.sorted();
    let n = y.len();
    if n < 2 {
        return Err(Undefined::TooFew { need: 2, got: n });
    }
    if all_equal(y) {
        return Err(Undefined::ZeroVariance);
    }
    // z-scores on the exactly scaled values: finite for any finite data.
    let moments = sample.moments();
    if !moments.standardized(y[0]).is_finite() {
        return Err(Undefined::ZeroVariance);
    }
    let nf = n as f64;
    let mut sum = Neumaier::default();
    // The terms (two logarithms each) in parallel, summed in index order.
    let term = |i: usize| {
        let w_low = moments.standardized(y[i]);
        let w_high = moments.standardized(y[n - 1 - i]);
        let coef = (2.0 * (i + 1) as f64 - 1.0) / nf;
        coef * (normal_log_cdf(w_low) + normal_log_sf(w_high))
    };
    for_each_term_in_order(n, term, |t| sum.add(t));
    let statistic = -nf - sum.total();
    if !statistic.is_finite() {
        return Err(Undefined::OutOfRange);
    }
    Ok(AndersonDarling {
        statistic,
        p_value: anderson_darling_p_value(statistic, n),
    })
}

/// p-value of the Anderson–Darling normality test with estimated parameters,
/// by D'Agostino & Stephens (1986, *Goodness-of-Fit Techniques*, Table 4.9) on
/// the adjusted statistic A*² = A²·(1 + 0.75/n + 2.25/n²):
///
/// | A*²            | p |
/// |----------------|---|
/// | < 0.2          | 1 − exp(−13.436 + 101.14·A*² − 223.73·A*⁴) |
/// | [0.2, 0.34)    | 1 − exp(−8.318 + 42.796·A*² − 59.938·A*⁴) |
/// | [0.34, 0.6)    | exp(0.9177 − 4.279·A*² − 1.38·A*⁴) |
/// | [0.6, 10)      | exp(1.2937 − 5.709·A*² + 0.0186·A*⁴) |
/// | ≥ 10           | 3.7·10⁻²⁴ (the value at 10: the last formula turns upward beyond its fitted range; as R's `nortest::ad.test`) |
///
/// The `1 − exp(·)` pieces are evaluated as `−expm1(·)`.
///
/// # Undefined
/// [`Undefined::TooFew`] for n < 8, where the approximation is not given.
pub fn anderson_darling_p_value(a2: f64, n: usize) -> Stat<f64> {
    if n < ANDERSON_DARLING_P_MIN_N {
        return Err(Undefined::TooFew {
            need: ANDERSON_DARLING_P_MIN_N,
            got: n,
        });
    }
    let nf = n as f64;
    let a = a2 * (1.0 + 0.75 / nf + 2.25 / (nf * nf));
    let p = if a < 0.2 {
        -(-13.436 + 101.14 * a - 223.73 * a * a).exp_m1()
    } else if a < 0.34 {
        -(-8.318 + 42.796 * a - 59.938 * a * a).exp_m1()
    } else if a < 0.6 {
        (0.9177 - 4.279 * a - 1.38 * a * a).exp()
    } else if a < 10.0 {
        (1.2937 - 5.709 * a + 0.0186 * a * a).exp()
    } else {
        (1.2937 - 5.709 * 10.0 + 0.0186 * 100.0_f64).exp()
    };
    Ok(p.clamp(0.0, 1.0))
}

/// Neumaier's compensated summation.
#[derive(Default)]
struct Neumaier {
    sum: f64,
    c: f64,
}

impl Neumaier {
    fn add(&mut self, x: f64) {
        let t = self.sum + x;
        if self.sum.abs() >= x.abs() {
            self.c += (self.sum - t) + x;
        } else {
            self.c += (x - t) + self.sum;
        }
        self.sum = t;
    }

    fn total(&self) -> f64 {
        self.sum + self.c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p_value_pieces() {
        assert!(anderson_darling_p_value(0.5, 7).is_err());
        let n = 100usize;
        let adj = 1.0 + 0.75 / 100.0 + 2.25 / 10000.0;
        let p = anderson_darling_p_value(0.7 / adj, n).unwrap();
        assert!((p - (1.2937 - 5.709 * 0.7 + 0.0186 * 0.49_f64).exp()).abs() < 1e-12);
        let p = anderson_darling_p_value(0.1 / adj, n).unwrap();
        assert!((p - (1.0 - (-13.436 + 10.114 - 2.2373_f64).exp())).abs() < 1e-12);
        let far = anderson_darling_p_value(1e6, n).unwrap();
        assert!(far > 0.0 && far < 4e-24);
    }
}

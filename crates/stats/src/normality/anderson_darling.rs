//! Anderson–Darling test of normality with estimated mean and variance.

use super::{AndersonDarling, all_equal};
use crate::dist::normal_log_cdf_sf;
use crate::moments::{Moments, Neumaier, map_ranges};

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
/// both from one evaluation, [`crate::dist::normal_log_cdf_sf`],
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
/// - Time: O(n) on the sorted sample, n evaluations of the normal
///   approximation (parallel blocks above 200 000 values; the result does not
///   depend on the thread count).
/// - Memory: O(n / 4096): two compensated sums per block of pairs.
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
    let statistic = -nf - ad_sum(y, moments);
    if !statistic.is_finite() {
        return Err(Undefined::OutOfRange);
    }
    Ok(AndersonDarling {
        statistic,
        p_value: anderson_darling_p_value(statistic, n),
    })
}

/// Σᵢ (2i + 1)/n·(ln Φ(w₍ᵢ₎) + ln(1 − Φ(w₍ₙ₋₁₋ᵢ₎))), i = 0, …, n − 1, compensated.
///
/// Each z-score is needed in both logarithms (at i and at its mirror
/// n − 1 − i), and one evaluation gives both ([`normal_log_cdf_sf`]), so the
/// terms are made in mirrored pairs and nothing is stored: fixed blocks of
/// pairs (in parallel for large n) each keep one compensated sum of their
/// lower terms and one of their upper terms, and these are combined in index
/// order, lower half first. The result depends only on the data, never on the
/// number of threads.
fn ad_sum(y: &[f64], moments: &Moments) -> f64 {
    let n = y.len();
    let nf = n as f64;
    let h = n / 2; // mirrored pairs (i, n − 1 − i) with i < n − 1 − i
    let coef = |i: usize| (2.0 * (i + 1) as f64 - 1.0) / nf;
    // The logarithms of a value, kept for the next one: measured data repeat values (a
    // latency in whole microseconds), and sorted, the repeats are neighbours (the same
    // function of the same value: the same bits).
    let logs = |x: f64, last: &mut Option<(u64, (f64, f64))>| match *last {
        Some((bits, logs)) if bits == x.to_bits() => logs,
        _ => {
            let logs = normal_log_cdf_sf(moments.standardized(x));
            *last = Some((x.to_bits(), logs));
            logs
        }
    };
    let parts = map_ranges(h, PAIR_BLOCK, |r| {
        let (mut low, mut up) = (Neumaier::default(), Neumaier::default());
        let (mut last_i, mut last_j) = (None, None);
        for i in r {
            let j = n - 1 - i;
            let (lc_i, ls_i) = logs(y[i], &mut last_i);
            let (lc_j, ls_j) = logs(y[j], &mut last_j);
            low.add(coef(i) * (lc_i + ls_j));
            up.add(coef(j) * (lc_j + ls_i));
        }
        (low, up)
    });
    let mut sum = Neumaier::default();
    parts.iter().for_each(|&(low, _)| sum.merge(low));
    if n % 2 == 1 {
        let (lc, ls) = normal_log_cdf_sf(moments.standardized(y[h]));
        sum.add(coef(h) * (lc + ls));
    }
    parts.iter().rev().for_each(|&(_, up)| sum.merge(up));
    sum.total()
}

/// Mirrored pairs per block of [`ad_sum`] (fixed: the result does not depend on threads).
const PAIR_BLOCK: usize = 1 << 12;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dist::{normal_log_cdf, normal_log_sf};

    /// The plain loop in index order, which the mirrored, blocked sum regroups.
    fn plain(y: &[f64], moments: &Moments) -> f64 {
        let (n, nf) = (y.len(), y.len() as f64);
        let mut sum = Neumaier::default();
        for i in 0..n {
            let w_low = moments.standardized(y[i]);
            let w_high = moments.standardized(y[n - 1 - i]);
            let coef = (2.0 * (i + 1) as f64 - 1.0) / nf;
            sum.add(coef * (normal_log_cdf(w_low) + normal_log_sf(w_high)));
        }
        -nf - sum.total()
    }

    #[test]
    fn mirrored_blocked_sum_is_the_plain_loops_to_rounding() {
        use crate::moments::PARALLEL_MIN;
        // Odd and even n, one and several blocks, below and above the parallel threshold.
        for n in [
            2,
            3,
            8,
            1001,
            2 * PAIR_BLOCK + 1,
            2 * PARALLEL_MIN + 2 * PAIR_BLOCK + 7,
            2 * PARALLEL_MIN + 8,
        ] {
            // Mostly distinct values, and whole numbers of 97 kinds (runs of repeats, whose
            // logarithms are made once per run).
            let spread = |i: usize| ((i * 7919) % 10007) as f64 / 100.0 + (i % 3) as f64 * 1e-3;
            let whole = |i: usize| ((i * 7919) % 97) as f64;
            for shape in [&spread as &dyn Fn(usize) -> f64, &whole] {
                let s = Sample::new((0..n).map(shape).collect()).unwrap();
                let a = anderson_darling(&s).unwrap();
                let expected = plain(s.sorted(), s.moments());
                // Both sums are compensated: they agree to a few units in the last place of
                // the sum (≈ −n), far below the reference tolerance (1e-8 relative).
                let tol = 8.0 * f64::EPSILON * n as f64;
                assert!(
                    (a.statistic - expected).abs() <= tol,
                    "n = {n}: {} vs {expected}",
                    a.statistic
                );
            }
        }
    }

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

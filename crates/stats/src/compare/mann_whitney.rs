//! Mann–Whitney U (Wilcoxon rank-sum) test.

use super::Pair;
use crate::dist::normal_sf;
use crate::{Stat, Undefined};

/// Samples up to this size (when there are no ties) get the exact test, as
/// scipy's `_mwu_choose_method`.
pub const EXACT_MAX_N: usize = 8;

/// How the Mann–Whitney p-value was computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MannWhitneyMethod {
    /// Exact null distribution of U (no ties, one sample of at most 8 values).
    Exact,
    /// Normal approximation with tie and continuity corrections.
    Asymptotic,
}

impl MannWhitneyMethod {
    /// The JSON name: `"exact"` or `"asymptotic"`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Exact => "exact",
            Self::Asymptotic => "asymptotic",
        }
    }
}

/// Result of the Mann–Whitney U test.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MannWhitneyU {
    /// U of the treatment sample: #{(t, c): t > c} + ½·#{(t, c): t = c}.
    pub statistic: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// Exact or asymptotic.
    pub method: MannWhitneyMethod,
}

/// Two-sided Mann–Whitney U test of treatment against control
/// (`scipy.stats.mannwhitneyu(treatment, control, alternative="two-sided")`
/// with scipy 1.17's default `method="auto"`).
///
/// - U is counted by merging the two sorted samples (mid-ranks for ties), in
///   exact integer arithmetic.
/// - Method: exact when there are no ties and min(n_t, n_c) ≤ 8, otherwise
///   asymptotic (scipy's rule: asymptotic when both samples exceed 8 or when
///   any value is tied, within or across samples).
/// - Exact: p = 2·P(U ≥ max(U_t, U_c)) = 2·P(U ≤ min(U_t, U_c)) under H₀, from
///   the counts of the Gaussian binomial coefficient [n_t + n_c choose m]_q =
///   ∏ᵢ₌₁..ₘ (1 − q^{n+i})/(1 − q^i) (m = the smaller size, n the larger), each
///   factor applied to the series truncated at min(U_t, U_c); capped at 1.
/// - Asymptotic: z = (max(U_t, U_c) − n_t·n_c/2 − ½)/σ with the tie-corrected
///   σ² = n_t·n_c/12·((N + 1) − Σ(t³ − t)/(N(N − 1))); p = 2·P(Z > z),
///   capped at 1.
///
/// - Time: O(n_t + n_c) (the samples are sorted); exact: O(m·min(U_t, U_c)).
/// - Memory: O(1); exact: O(min(U_t, U_c)).
///
/// # Undefined
/// [`Undefined::ZeroVariance`] when every value of both samples is the same
/// (σ = 0; scipy reports p = 1).
pub fn mann_whitney_u(pair: Pair<'_>) -> Stat<MannWhitneyU> {
    let t = pair.treatment.sorted();
    let c = pair.control.sorted();
    let (nt, nc) = (t.len(), c.len());
    let counts = merge_counts(t, c);
    let u_t = counts.twice_u_t as f64 / 2.0;
    let nn = (nt as u128) * (nc as u128);
    let u_max_twice = counts.twice_u_t.max(2 * nn - counts.twice_u_t);
    let method = if nt.min(nc) <= EXACT_MAX_N && !counts.ties {
        MannWhitneyMethod::Exact
    } else {
        MannWhitneyMethod::Asymptotic
    };
    let p_value = match method {
        MannWhitneyMethod::Exact => {
            // No ties: U is an integer; k = min(U_t, U_c) = n_t·n_c − max.
            let k = (2 * nn - u_max_twice) / 2;
            let k = usize::try_from(k).map_err(|_| Undefined::OutOfRange)?;
            2.0 * exact_cdf(nt.min(nc), nt.max(nc), k)
        }
        MannWhitneyMethod::Asymptotic => {
            let (n1, n2) = (nt as f64, nc as f64);
            let n = n1 + n2;
            let s2 = n1 * n2 / 12.0 * ((n + 1.0) - counts.tie_term / (n * (n - 1.0)));
            if s2.is_nan() || s2 <= 0.0 {
                return Err(Undefined::ZeroVariance);
            }
            let z = (u_max_twice as f64 / 2.0 - n1 * n2 / 2.0 - 0.5) / s2.sqrt();
            2.0 * normal_sf(z)
        }
    };
    Ok(MannWhitneyU {
        statistic: u_t,
        p_value: p_value.clamp(0.0, 1.0),
        method,
    })
}

/// What one merge of the sorted samples yields.
struct MergeCounts {
    /// 2·U of the treatment sample (an integer).
    twice_u_t: u128,
    /// Σ(t³ − t) over groups of tied values (both samples together).
    tie_term: f64,
    /// Whether any value occurs more than once.
    ties: bool,
}

/// Walks both ascending samples group by group of equal values.
fn merge_counts(t: &[f64], c: &[f64]) -> MergeCounts {
    let (mut i, mut j) = (0usize, 0usize);
    let mut twice_u_t: u128 = 0;
    let mut tie_term = 0.0;
    let mut ties = false;
    while i < t.len() || j < c.len() {
        let v = match (t.get(i), c.get(j)) {
            (Some(&a), Some(&b)) => a.min(b),
            (Some(&a), None) => a,
            (None, Some(&b)) => b,
            (None, None) => break, // invariant: excluded by the loop condition
        };
        let i0 = i;
        while i < t.len() && t[i] == v {
            i += 1;
        }
        let j0 = j;
        while j < c.len() && c[j] == v {
            j += 1;
        }
        let (ct, cc) = ((i - i0) as u128, (j - j0) as u128);
        // Each treatment value in the group beats the j0 smaller control values
        // and ties with the cc equal ones (counted ½ each).
        twice_u_t += ct * (2 * j0 as u128 + cc);
        let g = ct + cc;
        if g > 1 {
            ties = true;
            let g = g as f64;
            tie_term += g * g * g - g;
        }
    }
    MergeCounts {
        twice_u_t,
        tie_term,
        ties,
    }
}

/// P(U ≤ k) under H₀ for sample sizes m ≤ n without ties.
///
/// The number of arrangements with U = u is the coefficient of q^u in the
/// Gaussian binomial ∏ᵢ₌₁..ₘ (1 − q^{n+i})/(1 − q^i); the factors are applied
/// one at a time to the series truncated at degree k (each intermediate
/// product is itself a Gaussian binomial, so all coefficients stay
/// non-negative), then divided by C(m + n, m).
fn exact_cdf(m: usize, n: usize, k: usize) -> f64 {
    let mut c = vec![0.0_f64; k + 1];
    c[0] = 1.0;
    let mut total = 1.0_f64;
    for i in 1..=m {
        // divide by (1 − q^i): c[u] += c[u − i], ascending
        for u in i..=k {
            c[u] += c[u - i];
        }
        // multiply by (1 − q^{n+i}): c[u] −= c[u − n − i], descending
        let s = n + i;
        if s <= k {
            for u in (s..=k).rev() {
                c[u] -= c[u - s];
            }
        }
        total = total * (n + i) as f64 / i as f64;
    }
    (c.iter().sum::<f64>() / total).min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Sample;

    fn mwu(t: &[f64], c: &[f64]) -> MannWhitneyU {
        let t = Sample::new(t.to_vec()).unwrap();
        let c = Sample::new(c.to_vec()).unwrap();
        mann_whitney_u(Pair {
            control: &c,
            treatment: &t,
        })
        .unwrap()
    }

    #[test]
    fn exact_small_case_matches_scipy() {
        // scipy.stats.mannwhitneyu([1, 4, 5], [2, 3, 6, 7]) = (U=4, p=0.6285714285714286)
        let r = mwu(&[1.0, 4.0, 5.0], &[2.0, 3.0, 6.0, 7.0]);
        assert_eq!(r.statistic, 4.0);
        assert_eq!(r.method, MannWhitneyMethod::Exact);
        assert!((r.p_value - 0.6285714285714286).abs() < 1e-14);
        // complete separation: p = 2 / C(7, 3)
        let r = mwu(&[10.0, 11.0, 12.0], &[1.0, 2.0, 3.0, 4.0]);
        assert_eq!(r.statistic, 12.0);
        assert!((r.p_value - 2.0 / 35.0).abs() < 1e-15);
    }

    #[test]
    fn exact_cdf_sums_to_one() {
        assert!((exact_cdf(3, 5, 15) - 1.0).abs() < 1e-15);
        assert!((exact_cdf(8, 200, 1600) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn ties_switch_to_asymptotic_and_all_equal_is_undefined() {
        let r = mwu(&[1.0, 2.0, 2.0], &[2.0, 3.0, 4.0]);
        assert_eq!(r.method, MannWhitneyMethod::Asymptotic);
        assert_eq!(r.statistic, 1.0);
        let t = Sample::new(vec![5.0; 4]).unwrap();
        let c = Sample::new(vec![5.0; 3]).unwrap();
        let pair = Pair {
            control: &c,
            treatment: &t,
        };
        assert_eq!(mann_whitney_u(pair), Err(Undefined::ZeroVariance));
    }
}

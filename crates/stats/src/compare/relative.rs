//! Relative difference of means, (x̄_t − x̄_c)/x̄_c, with an interval.

use super::{MeanVar, Pair};
use crate::dist::t_isf;
use crate::{Confidence, Estimate, Stat, Undefined};

/// How the interval of a relative difference was built.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RelativeMethod {
    /// Fieller's theorem for the ratio of two independent means.
    Fieller,
    /// First-order Taylor expansion (delta method) of the ratio.
    Delta,
}

impl RelativeMethod {
    /// The name used in reports: `"fieller"` or `"delta"`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Fieller => "fieller",
            Self::Delta => "delta",
        }
    }
}

/// A relative difference (treatment − control)/control with its interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RelativeDifference {
    /// Estimate and interval bounds, as fractions (0.05 = +5 %).
    pub estimate: Estimate,
    /// How the interval was built.
    pub method: RelativeMethod,
    /// Degrees of freedom of the t quantile used for the interval.
    pub df: f64,
}

/// The pieces common to both methods.
struct Parts {
    /// x̄_c
    a: f64,
    /// x̄_t
    b: f64,
    /// s_c²/n_c
    vc: f64,
    /// s_t²/n_t
    vt: f64,
    /// R̂ = x̄_t/x̄_c
    ratio: f64,
    /// Welch–Satterthwaite df of x̄_t − R̂·x̄_c
    df: f64,
    /// t_{df, 1−α/2}
    q: f64,
}

fn parts(pair: Pair<'_>, confidence: Confidence) -> Stat<Parts> {
    let t = MeanVar::of(pair.treatment)?;
    let c = MeanVar::of(pair.control)?;
    let (a, b) = (c.mean, t.mean);
    if a == 0.0 || !a.is_finite() {
        return Err(Undefined::OutOfRange);
    }
    let (vc, vt) = (c.var / c.n, t.var / t.n);
    let ratio = b / a;
    // Variance of the pivot x̄_t − R·x̄_c at R = R̂ and its Welch–Satterthwaite df.
    let (wt, wc) = (vt, ratio * ratio * vc);
    let s2 = wt + wc;
    if s2.is_nan() || s2 <= 0.0 {
        return Err(Undefined::ZeroVariance);
    }
    let df = s2 * s2 / (wt * wt / (t.n - 1.0) + wc * wc / (c.n - 1.0));
    let q = t_isf(confidence.tail(), df).map_err(|_| Undefined::OutOfRange)?;
    Ok(Parts {
        a,
        b,
        vc,
        vt,
        ratio,
        df,
        q,
    })
}

/// Relative difference of means (x̄_t − x̄_c)/x̄_c = R̂ − 1 with a **Fieller**
/// interval (Fieller 1954; the standard exact-under-normality interval for a
/// ratio of independent means).
///
/// The interval is {ρ : (x̄_t − ρ·x̄_c)² ≤ q²·(v_t + ρ²·v_c)} − 1 with
/// v = s²/n and q = t_{ν, 1−α/2}: the roots of
/// (x̄_c² − q²v_c)ρ² − 2x̄_c x̄_t ρ + (x̄_t² − q²v_t) = 0,
/// ρ = (x̄_c x̄_t ± q·√(x̄_c² v_t + x̄_t² v_c − q² v_c v_t)) / (x̄_c² − q² v_c).
/// ν is the Welch–Satterthwaite df of the pivot x̄_t − R̂·x̄_c,
/// ν = (v_t + R̂²v_c)² / (v_t²/(n_t − 1) + R̂⁴v_c²/(n_c − 1)) (evaluated at the
/// point estimate R̂ = x̄_t/x̄_c).
///
/// The set is a bounded interval iff g = q²·v_c/x̄_c² < 1, i.e. iff the control
/// mean is significantly different from zero at this confidence (always the
/// case for latencies and throughputs of any useful sample). Otherwise it is
/// unbounded (the whole line or the complement of an interval) and the
/// result is `Err(Undefined::OutOfRange)`: no finite interval is honest there,
/// and the delta method ([`relative_mean_difference_delta`]) would return a
/// finite but meaningless one. For small g the two methods agree (Fieller →
/// delta as g → 0); Fieller is asymmetric around R̂, as the sampling
/// distribution of a ratio is.
///
/// - Time: O(n_t + n_c). Memory: O(1).
///
/// # Undefined
/// `TooFew` when a sample has fewer than 2 values; `OutOfRange` when x̄_c = 0
/// or the Fieller set is unbounded (g ≥ 1); `ZeroVariance` when both samples
/// are constant.
pub fn relative_mean_difference(
    pair: Pair<'_>,
    confidence: Confidence,
) -> Stat<RelativeDifference> {
    let p = parts(pair, confidence)?;
    let q2 = p.q * p.q;
    let a2 = p.a * p.a;
    let lead = a2 - q2 * p.vc;
    if lead.is_nan() || lead <= 0.0 {
        return Err(Undefined::OutOfRange);
    }
    let disc = a2 * p.vt + p.b * p.b * p.vc - q2 * p.vc * p.vt;
    // invariant: disc·q² = x̄_c²x̄_t² − lead·(x̄_t² − q²v_t) = q²(v_t·lead + x̄_t²v_c) ≥ 0 when lead > 0
    let half = p.q * disc.max(0.0).sqrt();
    let ab = p.a * p.b;
    let r1 = (ab - half) / lead;
    let r2 = (ab + half) / lead;
    Ok(RelativeDifference {
        estimate: Estimate {
            estimate: p.ratio - 1.0,
            lower: r1.min(r2) - 1.0,
            upper: r1.max(r2) - 1.0,
        },
        method: RelativeMethod::Fieller,
        df: p.df,
    })
}

/// Relative difference of means with a **delta-method** interval:
/// (R̂ − 1) ± q·SE with SE = √(v_t + R̂²·v_c)/|x̄_c|, the first-order Taylor
/// expansion of x̄_t/x̄_c, and q = t_{ν, 1−α/2} with the same ν as
/// [`relative_mean_difference`]. Symmetric; accurate when g = q²v_c/x̄_c² is
/// small, too narrow when the control mean is noisy.
///
/// # Undefined
/// `TooFew` when a sample has fewer than 2 values; `OutOfRange` when x̄_c = 0;
/// `ZeroVariance` when both samples are constant.
pub fn relative_mean_difference_delta(
    pair: Pair<'_>,
    confidence: Confidence,
) -> Stat<RelativeDifference> {
    let p = parts(pair, confidence)?;
    let se = (p.vt + p.ratio * p.ratio * p.vc).sqrt() / p.a.abs();
    let est = p.ratio - 1.0;
    Ok(RelativeDifference {
        estimate: Estimate {
            estimate: est,
            lower: est - p.q * se,
            upper: est + p.q * se,
        },
        method: RelativeMethod::Delta,
        df: p.df,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Sample;

    fn pair_of(c: &[f64], t: &[f64]) -> (Sample, Sample) {
        (
            Sample::new(c.to_vec()).unwrap(),
            Sample::new(t.to_vec()).unwrap(),
        )
    }

    #[test]
    fn fieller_close_to_delta_for_precise_control() {
        let c: Vec<f64> = (0..200).map(|i| 100.0 + f64::from(i % 7)).collect();
        let t: Vec<f64> = (0..200).map(|i| 110.0 + f64::from(i % 5)).collect();
        let (c, t) = pair_of(&c, &t);
        let pair = Pair {
            control: &c,
            treatment: &t,
        };
        let f = relative_mean_difference(pair, Confidence::DEFAULT).unwrap();
        let d = relative_mean_difference_delta(pair, Confidence::DEFAULT).unwrap();
        assert!(f.estimate.lower < f.estimate.estimate && f.estimate.estimate < f.estimate.upper);
        assert!((f.estimate.lower - d.estimate.lower).abs() < 1e-4);
        assert!((f.estimate.upper - d.estimate.upper).abs() < 1e-4);
    }

    #[test]
    fn unbounded_fieller_is_undefined() {
        let (c, t) = pair_of(&[-1.0, 1.2, -0.9, 1.0], &[3.0, 4.0, 5.0]);
        let pair = Pair {
            control: &c,
            treatment: &t,
        };
        assert_eq!(
            relative_mean_difference(pair, Confidence::DEFAULT),
            Err(Undefined::OutOfRange)
        );
        assert!(relative_mean_difference_delta(pair, Confidence::DEFAULT).is_ok());
    }
}

//! Standardised mean differences: Cohen's d and Hedges' g.

use super::{MeanVar, Pair};
use crate::dist::normal_isf;
use crate::{Confidence, Estimate, Stat, Undefined};

/// Cohen's d = (x̄_t − x̄_c) / s_pooled with
/// s_pooled = √(((n_t − 1)s_t² + (n_c − 1)s_c²) / (n_t + n_c − 2)).
///
/// Interval: the large-sample normal approximation of Hedges & Olkin (1985,
/// *Statistical Methods for Meta-Analysis*, ch. 5), d ± z_{1−α/2}·SE(d) with
/// SE(d) = √((n_t + n_c)/(n_t·n_c) + d²/(2(n_t + n_c))).
///
/// - Time: O(n_t + n_c). Memory: O(1).
///
/// # Undefined
/// [`Undefined::TooFew`] when a sample has fewer than 2 values;
/// [`Undefined::ZeroVariance`] when the pooled variance is zero.
pub fn cohens_d(pair: Pair<'_>, confidence: Confidence) -> Stat<Estimate> {
    let t = MeanVar::of(pair.treatment)?;
    let c = MeanVar::of(pair.control)?;
    let pooled = ((t.n - 1.0) * t.var + (c.n - 1.0) * c.var) / (t.n + c.n - 2.0);
    if pooled.is_nan() || pooled <= 0.0 {
        return Err(Undefined::ZeroVariance);
    }
    let d = (t.mean - c.mean) / pooled.sqrt();
    let n = t.n + c.n;
    let se = ((n / (t.n * c.n)) + d * d / (2.0 * n)).sqrt();
    let z = normal_isf(confidence.tail()).map_err(|_| Undefined::OutOfRange)?;
    Ok(Estimate {
        estimate: d,
        lower: d - z * se,
        upper: d + z * se,
    })
}

/// The small-sample correction J = 1 − 3/(4(n_t + n_c) − 9) of Hedges' g.
#[must_use]
pub fn hedges_g_correction(n_treatment: usize, n_control: usize) -> f64 {
    1.0 - 3.0 / (4.0 * (n_treatment + n_control) as f64 - 9.0)
}

/// Hedges' g = J·d with J = 1 − 3/(4(n_t + n_c) − 9) ([`hedges_g_correction`]).
///
/// Interval: J times the bounds of the [`cohens_d`] interval, i.e.
/// g ± z_{1−α/2}·J·SE(d) (Var(g) = J²·Var(d), Hedges & Olkin 1985).
///
/// # Undefined
/// As [`cohens_d`].
pub fn hedges_g(pair: Pair<'_>, confidence: Confidence) -> Stat<Estimate> {
    let d = cohens_d(pair, confidence)?;
    let j = hedges_g_correction(pair.treatment.len(), pair.control.len());
    Ok(Estimate {
        estimate: j * d.estimate,
        lower: j * d.lower,
        upper: j * d.upper,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Sample;

    #[test]
    fn sign_is_treatment_minus_control() {
        let c = Sample::new(vec![1.0, 2.0, 3.0]).unwrap();
        let t = Sample::new(vec![4.0, 5.0, 6.0]).unwrap();
        let d = cohens_d(
            Pair {
                control: &c,
                treatment: &t,
            },
            Confidence::DEFAULT,
        )
        .unwrap();
        assert!((d.estimate - 3.0).abs() < 1e-15);
        let g = hedges_g(
            Pair {
                control: &c,
                treatment: &t,
            },
            Confidence::DEFAULT,
        )
        .unwrap();
        assert!((g.estimate - 3.0 * (1.0 - 3.0 / 15.0)).abs() < 1e-15);
        assert!(g.lower < g.estimate && g.estimate < g.upper);
    }
}

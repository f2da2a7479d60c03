//! Multiple-testing adjustment of p-values (one comparison per `--by` group).
//!
//! - [`Adjustment::Holm`] (default): Holm (1979) step-down, controls the
//!   family-wise error rate; equals
//!   `statsmodels.stats.multitest.multipletests(p, method="holm")[1]`.
//! - [`Adjustment::BenjaminiHochberg`]: Benjamini & Hochberg (1995) step-up,
//!   controls the false discovery rate; equals
//!   `scipy.stats.false_discovery_control(p, method="bh")` and
//!   `multipletests(p, method="fdr_bh")[1]`.
//!
//! With p₍₁₎ ≤ … ≤ p₍ₘ₎ (stable order):
//! Holm p̃₍ᵢ₎ = min(1, maxⱼ≤ᵢ (m − j + 1)·p₍ⱼ₎);
//! BH p̃₍ᵢ₎ = min(1, minⱼ≥ᵢ m·p₍ⱼ₎/j).
//! Both are monotone in the raw p-values and never below them. O(m log m).

use crate::{Error, Result, Stat};

/// The adjustment method.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Adjustment {
    /// Holm–Bonferroni step-down (family-wise error rate).
    #[default]
    Holm,
    /// Benjamini–Hochberg step-up (false discovery rate).
    BenjaminiHochberg,
}

impl Adjustment {
    /// The name used on the command line and in reports: `"holm"` or `"bh"`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Holm => "holm",
            Self::BenjaminiHochberg => "bh",
        }
    }
}

impl std::str::FromStr for Adjustment {
    type Err = String;

    /// `holm` or `bh` (as [`Adjustment::as_str`] writes them).
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s {
            "holm" => Ok(Self::Holm),
            "bh" => Ok(Self::BenjaminiHochberg),
            _ => Err(format!("expected holm or bh, found {s:?}")),
        }
    }
}

/// Adjusted p-values, in the order of `p`.
///
/// ```
/// use perfstat_stats::adjust::{Adjustment, adjust};
/// let p = [0.01, 0.04, 0.03, 0.5];
/// let holm = adjust(&p, Adjustment::Holm)?;
/// assert_eq!(holm, vec![0.04, 0.09, 0.09, 0.5]);
/// # Ok::<(), perfstat_stats::Error>(())
/// ```
///
/// # Errors
/// [`Error::Probability`] for a p-value outside \[0, 1\] or NaN.
pub fn adjust(p: &[f64], method: Adjustment) -> Result<Vec<f64>> {
    if let Some(&bad) = p.iter().find(|x| !(0.0..=1.0).contains(*x)) {
        return Err(Error::Probability(bad));
    }
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (p.get(a).copied(), p.get(b).copied());
        x.unwrap_or(0.0).total_cmp(&y.unwrap_or(0.0))
    });
    let mf = m as f64;
    let mut out = vec![0.0; m];
    match method {
        Adjustment::Holm => {
            let mut running = 0.0_f64;
            for (rank, &i) in order.iter().enumerate() {
                let raw = (mf - rank as f64) * p.get(i).copied().unwrap_or(1.0);
                running = running.max(raw);
                if let Some(slot) = out.get_mut(i) {
                    *slot = running.min(1.0);
                }
            }
        }
        Adjustment::BenjaminiHochberg => {
            let mut running = f64::INFINITY;
            for (rank, &i) in order.iter().enumerate().rev() {
                let raw = p.get(i).copied().unwrap_or(1.0) * mf / (rank as f64 + 1.0);
                running = running.min(raw);
                if let Some(slot) = out.get_mut(i) {
                    *slot = running.min(1.0);
                }
            }
        }
    }
    Ok(out)
}

/// [`adjust`] over the defined p-values only: undefined entries stay
/// undefined and do not count in m (a group without a defined test is not
/// a test).
///
/// # Errors
/// As [`adjust`].
pub fn adjust_defined(p: &[Stat<f64>], method: Adjustment) -> Result<Vec<Stat<f64>>> {
    let defined: Vec<f64> = p.iter().filter_map(|x| x.as_ref().ok().copied()).collect();
    let mut adjusted = adjust(&defined, method)?.into_iter();
    Ok(p.iter()
        .map(|x| match x {
            Ok(_) => adjusted.next().ok_or(crate::Undefined::OutOfRange),
            Err(e) => Err(*e),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Undefined;

    #[test]
    fn bh_small_case() {
        // scipy.stats.false_discovery_control([0.01, 0.04, 0.03, 0.5])
        let bh = adjust(&[0.01, 0.04, 0.03, 0.5], Adjustment::BenjaminiHochberg).unwrap();
        let want = [0.04, 0.05333333333333334, 0.05333333333333334, 0.5];
        for (g, w) in bh.iter().zip(want) {
            assert!((g - w).abs() < 1e-15, "{bh:?}");
        }
        assert!(adjust(&[], Adjustment::Holm).unwrap().is_empty());
        assert!(adjust(&[1.5], Adjustment::Holm).is_err());
    }

    #[test]
    fn defined_only() {
        let p = [Ok(0.01), Err(Undefined::ZeroVariance), Ok(0.02)];
        let a = adjust_defined(&p, Adjustment::Holm).unwrap();
        assert_eq!(a, vec![Ok(0.02), Err(Undefined::ZeroVariance), Ok(0.02)]);
    }
}

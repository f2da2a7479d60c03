//! Comparisons over groups (`perfstat ab --by`): matching the two runs' groups by label, and the
//! multiple-testing adjustment of the verdicts.

use std::collections::HashMap;
use std::hash::Hash;

use super::{Comparison, Verdict};
use crate::adjust::{Adjustment, adjust_defined};
use crate::{Result, Stat};

/// The groups of two runs matched by key: [`pair_groups`].
#[derive(Clone, Debug, PartialEq)]
pub struct PairedGroups<K, V> {
    /// Key, control value and treatment value of each key in both runs, in control's order.
    pub matched: Vec<(K, V, V)>,
    /// Keys only in control, in its order.
    pub only_control: Vec<K>,
    /// Keys only in treatment, in its order.
    pub only_treatment: Vec<K>,
}

/// Matches the groups of two runs by key, in O(n) expected time (a hash map).
///
/// A key that occurs several times on both sides matches its occurrences in turn; the rest are left
/// unmatched.
///
/// ```
/// use perfstat_stats::compare::pair_groups;
/// let control = [("a", 1), ("b", 2), ("c", 3)];
/// let treatment = [("c", 30), ("d", 40), ("a", 10)];
/// let p = pair_groups(control, treatment);
/// assert_eq!(p.matched, [("a", 1, 10), ("c", 3, 30)]);
/// assert_eq!(p.only_control, ["b"]);
/// assert_eq!(p.only_treatment, ["d"]);
/// ```
pub fn pair_groups<K, V>(
    control: impl IntoIterator<Item = (K, V)>,
    treatment: impl IntoIterator<Item = (K, V)>,
) -> PairedGroups<K, V>
where
    K: Eq + Hash,
{
    let mut treatment: Vec<Option<(K, V)>> = treatment.into_iter().map(Some).collect();
    // Key → the positions of its treatment groups, last first (popped in order).
    let mut positions: HashMap<&K, Vec<usize>> = HashMap::with_capacity(treatment.len());
    for (i, g) in treatment.iter().enumerate().rev() {
        if let Some((k, _)) = g {
            positions.entry(k).or_default().push(i);
        }
    }
    let mut take: Vec<Option<usize>> = Vec::new();
    let control: Vec<(K, V)> = control.into_iter().collect();
    for (k, _) in &control {
        take.push(positions.get_mut(k).and_then(Vec::pop));
    }
    drop(positions);
    let mut matched = Vec::new();
    let mut only_control = Vec::new();
    for ((k, c), t) in control.into_iter().zip(take) {
        match t.and_then(|i| treatment[i].take()) {
            Some((_, t)) => matched.push((k, c, t)),
            None => only_control.push(k),
        }
    }
    let only_treatment = treatment.into_iter().flatten().map(|(k, _)| k).collect();
    PairedGroups {
        matched,
        only_control,
        only_treatment,
    }
}

/// A group's verdict after the adjustment over all groups ([`adjust_groups`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GroupVerdict {
    /// The driver's p-value adjusted over the groups; undefined where the raw one is.
    pub adjusted_p_value: Stat<f64>,
    /// The verdict: a significant change (improved, regressed) that does not survive the adjustment
    /// (adjusted p ≥ α) becomes "no significant change"; equivalence (two one-sided tests) and the
    /// other verdicts are left as decided.
    pub verdict: Verdict,
}

/// Adjusts the driver p-values ([`Comparison::driver_p_value`]) of one comparison per group with
/// `method` and demotes the significant verdicts that do not survive at `alpha`
/// ([`adjust_verdicts`]), in the order given.
///
/// # Errors
/// [`crate::Error::Probability`] for a p-value outside \[0, 1\].
pub fn adjust_groups<'a>(
    comparisons: impl IntoIterator<Item = &'a Comparison>,
    method: Adjustment,
    alpha: f64,
) -> Result<Vec<GroupVerdict>> {
    let (p, verdicts): (Vec<_>, Vec<_>) = comparisons
        .into_iter()
        .map(|c| (c.driver_p_value(), c.verdict.verdict))
        .unzip();
    adjust_verdicts(&p, &verdicts, method, alpha)
}

/// [`adjust_groups`] from the raw p-values and verdicts (`p[i]` and `verdicts[i]` of group `i`): the
/// defined p-values are adjusted ([`adjust_defined`]), and an improved or regressed verdict whose
/// adjusted p-value is at least `alpha` becomes [`Verdict::NoSignificantChange`].
///
/// ```
/// use perfstat_stats::adjust::Adjustment;
/// use perfstat_stats::compare::{Verdict, adjust_verdicts};
/// let p = [Ok(0.01), Ok(0.04)];
/// let v = [Verdict::Regressed, Verdict::Regressed];
/// let out = adjust_verdicts(&p, &v, Adjustment::Holm, 0.05)?;
/// assert_eq!(out[0].adjusted_p_value, Ok(0.02));
/// assert_eq!(out[0].verdict, Verdict::Regressed);
/// assert_eq!(out[1].adjusted_p_value, Ok(0.04));
/// assert_eq!(out[1].verdict, Verdict::Regressed);
/// # Ok::<(), perfstat_stats::Error>(())
/// ```
///
/// # Errors
/// [`crate::Error::Probability`] for a p-value outside \[0, 1\].
pub fn adjust_verdicts(
    p: &[Stat<f64>],
    verdicts: &[Verdict],
    method: Adjustment,
    alpha: f64,
) -> Result<Vec<GroupVerdict>> {
    let adjusted = adjust_defined(p, method)?;
    Ok(adjusted
        .into_iter()
        .zip(verdicts)
        .map(|(p, &verdict)| GroupVerdict {
            adjusted_p_value: p,
            verdict: if matches!(verdict, Verdict::Improved | Verdict::Regressed)
                && p.is_ok_and(|p| p >= alpha)
            {
                Verdict::NoSignificantChange
            } else {
                verdict
            },
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Undefined;

    /// Five raw p-values, one undefined: both adjustment tests start from them.
    const RAW_P: [Stat<f64>; 5] = [
        Ok(0.03),
        Ok(0.01),
        Err(Undefined::OutOfRange),
        Ok(0.5),
        Ok(0.02),
    ];

    fn close(a: Stat<f64>, b: f64) -> bool {
        a.is_ok_and(|a| (a - b).abs() < 1e-12)
    }

    #[test]
    fn holm_demotes_what_does_not_survive() {
        use Verdict::*;
        // Sorted raw p: 0.01 (×4 = 0.04), 0.02 (×3 = 0.06), 0.03 (×2 = 0.06), 0.5 (×1 → 0.5).
        let p = RAW_P;
        let v = [Improved, Regressed, InsufficientData, Equivalent, Regressed];
        let out = adjust_verdicts(&p, &v, Adjustment::Holm, 0.05).unwrap();
        assert!(close(out[0].adjusted_p_value, 0.06));
        assert!(close(out[1].adjusted_p_value, 0.04));
        assert_eq!(out[2].adjusted_p_value, Err(Undefined::OutOfRange));
        assert!(close(out[3].adjusted_p_value, 0.5));
        assert!(close(out[4].adjusted_p_value, 0.06));
        let verdicts: Vec<Verdict> = out.iter().map(|g| g.verdict).collect();
        assert_eq!(
            verdicts,
            [
                NoSignificantChange,
                Regressed,
                InsufficientData,
                Equivalent,
                NoSignificantChange
            ]
        );
    }

    #[test]
    fn bh_keeps_more() {
        use Verdict::*;
        // BH over m = 4 defined: 0.01·4/1 = 0.04, 0.02·4/2 = 0.04, 0.03·4/3 = 0.04, 0.5·4/4 = 0.5;
        // step-up minima from the top: 0.04, 0.04, 0.04, 0.5.
        let p = RAW_P;
        let v = [Improved, Regressed, InsufficientData, Improved, Regressed];
        let out = adjust_verdicts(&p, &v, Adjustment::BenjaminiHochberg, 0.05).unwrap();
        for i in [0, 1, 4] {
            assert!(close(out[i].adjusted_p_value, 0.04), "{out:?}");
        }
        assert!(close(out[3].adjusted_p_value, 0.5));
        let verdicts: Vec<Verdict> = out.iter().map(|g| g.verdict).collect();
        assert_eq!(
            verdicts,
            [
                Improved,
                Regressed,
                InsufficientData,
                NoSignificantChange,
                Regressed
            ]
        );
        // At α = 0.02 (m = 2: 0.01·2/1 = 0.02, 0.03·2/2 = 0.03) an adjusted p of exactly α does not
        // survive.
        let out = adjust_verdicts(&p[..2], &v[..2], Adjustment::BenjaminiHochberg, 0.02).unwrap();
        assert!(close(out[0].adjusted_p_value, 0.03));
        assert!(close(out[1].adjusted_p_value, 0.02));
        assert_eq!(out[0].verdict, NoSignificantChange);
        assert_eq!(out[1].verdict, NoSignificantChange);
        assert!(adjust_verdicts(&[Ok(1.5)], &[Improved], Adjustment::Holm, 0.05).is_err());
    }

    #[test]
    fn adjust_groups_uses_the_driver_p_value() {
        use crate::compare::{CompareConfig, Pair, compare};
        let control =
            crate::Sample::new((0..40).map(|i| 100.0 + f64::from(i % 7)).collect()).unwrap();
        let slower =
            crate::Sample::new((0..40).map(|i| 110.0 + f64::from(i % 7)).collect()).unwrap();
        let config = CompareConfig::default();
        let a = compare(
            Pair {
                control: &control,
                treatment: &slower,
            },
            &config,
        );
        let b = compare(
            Pair {
                control: &control,
                treatment: &control,
            },
            &config,
        );
        let out = adjust_groups([&a, &b], Adjustment::Holm, 0.05).unwrap();
        let raw = [a.driver_p_value().unwrap(), b.driver_p_value().unwrap()];
        let want = adjust_defined(&[Ok(raw[0]), Ok(raw[1])], Adjustment::Holm).unwrap();
        assert_eq!(out[0].adjusted_p_value, want[0]);
        assert_eq!(out[1].adjusted_p_value, want[1]);
        assert_eq!(out[0].verdict, Verdict::Regressed);
        assert_eq!(out[1].verdict, b.verdict.verdict);
    }

    #[test]
    fn pairing_with_groups_missing_on_either_side() {
        let control = vec![("a", 1), ("b", 2), ("c", 3), ("e", 5)];
        let treatment = vec![("e", 50), ("x", 0), ("c", 30), ("y", 0), ("a", 10)];
        let p = pair_groups(control, treatment);
        assert_eq!(p.matched, [("a", 1, 10), ("c", 3, 30), ("e", 5, 50)]);
        assert_eq!(p.only_control, ["b"]);
        assert_eq!(p.only_treatment, ["x", "y"]);
        // Repeated keys match in turn.
        let p = pair_groups([("a", 1), ("a", 2), ("a", 3)], [("a", 10), ("a", 20)]);
        assert_eq!(p.matched, [("a", 1, 10), ("a", 2, 20)]);
        assert_eq!(p.only_control, ["a"]);
        assert!(p.only_treatment.is_empty());
        let p = pair_groups(Vec::<(u8, u8)>::new(), [(1, 1)]);
        assert!(p.matched.is_empty());
        assert_eq!(p.only_treatment, [1]);
    }

    #[test]
    fn pairing_many_groups() {
        let n = 200_000;
        let control = (0..n).map(|i| (format!("L{i}"), i));
        let treatment = (0..n).rev().map(|i| (format!("L{i}"), i * 2));
        let p = pair_groups(control, treatment);
        assert_eq!(p.matched.len(), n);
        assert!(
            p.matched
                .iter()
                .all(|(k, c, t)| *k == format!("L{c}") && *t == 2 * c)
        );
    }
}

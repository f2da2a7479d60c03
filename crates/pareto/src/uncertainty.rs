//! Uncertainty-aware dominance over repeated measurements.
//!
//! Each objective of each config gets an interval in minimisation space,
//! `[lo, hi]` (`lo` optimistic, `hi` pessimistic):
//!
//! - repeated measurements `x_1..x_n` (n ≥ 2): the Student-t interval of the
//!   mean, `mean ± t_{1−α/2, n−1} · s / √n`, at the chosen confidence `1 − α`
//!   (`perfstat_stats::interval::mean_interval`);
//! - a single value, one measurement, or measurements that are all equal (the t
//!   interval is undefined): the degenerate interval `[x, x]`.
//!
//! The verdict for a feasible config `b`, against every other feasible config `a`:
//!
//! - **dominated** when some `a` dominates `b` *surely*: `a`'s pessimistic
//!   bounds dominate `b`'s optimistic bounds (`hi_a ≤ lo_b` in every objective,
//!   `<` in one). Even in the best case for `b` and the worst for `a`, `b` loses.
//! - **frontier** when no `a` dominates `b` even *possibly*: no `a`'s optimistic
//!   bounds dominate `b`'s pessimistic bounds (`lo_a ≤ hi_b` everywhere, `<` in
//!   one). Even in the worst case for `b`, nobody beats it.
//! - **ambiguous** otherwise: `b` is on the front or not depending on noise.
//!
//! With degenerate intervals (no repeated measurements) this is plain dominance:
//! rank 1 ⇔ frontier, rank > 1 ⇔ dominated. A config that is on the front of
//! the means only by noise is `ambiguous`, never `frontier`. The intervals are
//! per objective and not adjusted for multiplicity (a t interval per metric at
//! the given confidence); the verdict is a screening rule, not a joint test.
//!
//! Time: O(m n²) pairwise comparisons with early exit, O(n) memory.

use serde::{Deserialize, Serialize};

/// Verdict of the uncertainty-aware dominance (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Non-dominated even comparing its pessimistic bounds to everyone's optimistic bounds.
    Frontier,
    /// Neither surely on the front nor surely dominated.
    Ambiguous,
    /// Dominated even comparing its optimistic bounds to a dominator's pessimistic bounds.
    Dominated,
}

impl Status {
    /// The lowercase name, as in the JSON: `frontier`, `ambiguous` or `dominated`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Frontier => "frontier",
            Status::Ambiguous => "ambiguous",
            Status::Dominated => "dominated",
        }
    }
}

#[inline]
fn dominates_slices(a: &[f64], b: &[f64]) -> bool {
    crate::points::dominates(a, b)
}

/// Classifies each of `n` configs given row-major optimistic (`lo`) and
/// pessimistic (`hi`) bounds in minimisation space (`m` columns each).
/// Only configs with `active[i]` are compared and classified (others: `None`).
pub fn classify(lo: &[f64], hi: &[f64], m: usize, active: &[bool]) -> Vec<Option<Status>> {
    let n = active.len();
    let row = |i: usize| i * m..(i + 1) * m;
    (0..n)
        .map(|b| {
            if !active[b] {
                return None;
            }
            let (lo_b, hi_b) = (&lo[row(b)], &hi[row(b)]);
            let mut possibly = false;
            for a in (0..n).filter(|&a| a != b && active[a]) {
                if dominates_slices(&hi[row(a)], lo_b) {
                    return Some(Status::Dominated);
                }
                if !possibly && dominates_slices(&lo[row(a)], hi_b) {
                    possibly = true;
                }
            }
            Some(if possibly {
                Status::Ambiguous
            } else {
                Status::Frontier
            })
        })
        .collect()
}

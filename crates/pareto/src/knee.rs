//! Knee point of a front.

use crate::points::Points;

/// The knee of `front` (indexes into `points`): the point farthest, on the ideal
/// side, from the hyperplane through the front's normalised extremes.
///
/// Definition: each objective is normalised over the front to `[0, 1]`
/// (`(f − ideal) / (nadir − ideal)`, minimisation space; objectives with zero
/// range are left out), and the knee is the point that maximises the distance
/// `(1 − Σ z_j) / √m'` to the hyperplane `Σ z_j = 1`, i.e. minimises the sum of
/// normalised objectives. Ties go to the first point of `front`.
///
/// Why: in two objectives the extremes of a front normalise to (0, 1) and (1, 0),
/// so this is exactly the classic "largest distance to the line joining the
/// extremes" knee (Das 1999; Branke, Deb, Dierolf, Osswald, PPSN 2004) — the point
/// where giving up a little of one objective buys the most of the others. In more
/// objectives the hyperplane through the unit points keeps that meaning without
/// requiring the extremes to be affinely independent (the hyperplane through the
/// actual extremes is often undefined for small or degenerate fronts). It is
/// scale-free (normalised units), O(m f), deterministic, and always defined,
/// unlike a largest-hypervolume-contribution knee, which needs a reference point
/// and exponential time in m.
///
/// `None` for an empty front.
pub fn knee(points: &Points, front: &[usize]) -> Option<usize> {
    let m = points.n_objectives();
    let first = *front.first()?;
    let mut ideal = points.row(first).to_vec();
    let mut nadir = ideal.clone();
    for &i in front {
        for (j, &x) in points.row(i).iter().enumerate() {
            ideal[j] = ideal[j].min(x);
            nadir[j] = nadir[j].max(x);
        }
    }
    let mut best = first;
    let mut best_sum = f64::INFINITY;
    for &i in front {
        let s: f64 = (0..m)
            .filter(|&j| nadir[j] > ideal[j])
            .map(|j| (points.row(i)[j] - ideal[j]) / (nadir[j] - ideal[j]))
            .sum();
        if s < best_sum {
            best_sum = s;
            best = i;
        }
    }
    Some(best)
}

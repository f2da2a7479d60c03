//! Joint change points across the metrics of one history.
//!
//! A release moves many metrics at once, and each metric's detector places the change within a
//! run or two of the others. Detected one metric at a time and united, those become a cluster of
//! near-duplicate change points (each but one a false alarm for whoever reads the union). Here
//! the metrics' change points (history positions) are grouped: sorted by position, a group grows
//! while the next point lies within `2·tolerance` runs of the group's first and belongs to a
//! metric not yet in it. Each group is one joint change at the median of its members' positions
//! (the lower median), attributed to its member metrics; each member's change point is moved
//! there when that keeps the metric's segments at least the minimum length (else it stays).
//! With the tolerance 0 nothing is grouped.
//!
//! This aligns and attributes; it does not lend sensitivity across metrics (a change too small
//! to be found in any one metric is not found jointly).

/// One joint change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JointChange {
    /// History position of the first run after the change.
    pub index: usize,
    /// The metrics (indexes into the history's metrics) that change there, ascending.
    pub metrics: Vec<usize>,
}

/// Groups the change points `per_metric[j]` (ascending history positions of metric j).
///
/// ```
/// use perfstat_regress::joint::group;
/// let g = group(&[vec![100, 300], vec![101], vec![99, 200]], 3);
/// assert_eq!(g[0].index, 100);
/// assert_eq!(g[0].metrics, vec![0, 1, 2]);
/// assert_eq!((g[1].index, g[2].index), (200, 300));
/// ```
#[must_use]
pub fn group(per_metric: &[Vec<usize>], tolerance: usize) -> Vec<JointChange> {
    let mut all: Vec<(usize, usize)> = per_metric
        .iter()
        .enumerate()
        .flat_map(|(j, cps)| cps.iter().map(move |&i| (i, j)))
        .collect();
    all.sort_unstable();
    let mut out: Vec<JointChange> = Vec::new();
    let mut members: Vec<(usize, usize)> = Vec::new();
    let flush = |members: &mut Vec<(usize, usize)>, out: &mut Vec<JointChange>| {
        if members.is_empty() {
            return;
        }
        let index = members.get((members.len() - 1) / 2).map_or(0, |&(i, _)| i);
        let mut metrics: Vec<usize> = members.iter().map(|&(_, j)| j).collect();
        metrics.sort_unstable();
        out.push(JointChange { index, metrics });
        members.clear();
    };
    for (i, j) in all {
        let first = members.first().map(|&(f, _)| f);
        let fits = first.is_some_and(|f| i - f <= 2 * tolerance)
            && tolerance > 0
            && members.iter().all(|&(_, k)| k != j);
        if !fits {
            flush(&mut members, &mut out);
        }
        members.push((i, j));
    }
    flush(&mut members, &mut out);
    out
}

/// Moves the change points `positions` (ascending positions among the metric's values) to
/// `targets` (same length) where the result keeps every segment at least `m` values long up to
/// `end` (the values searched: all, or those before the candidate); others stay.
#[must_use]
pub fn realign(positions: &[usize], targets: &[usize], m: usize, end: usize) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::with_capacity(positions.len());
    for (k, (&p, &t)) in positions.iter().zip(targets).enumerate() {
        let prev = out.last().copied().unwrap_or(0);
        let next = positions.get(k + 1).copied().unwrap_or(end);
        let ok = |q: usize| q >= prev + m && q + m <= next && q + m <= end;
        out.push(if t != p && ok(t) { t } else { p });
    }
    out
}

//! NSGA-II crowding distance (Deb, Pratap, Agarwal, Meyarivan, IEEE TEC 6(2), 2002).

use crate::points::Points;

/// Crowding distance of each point of `front` (indexes into `points`), in the
/// order of `front`. `f64::INFINITY` marks boundary points (written `null`).
///
/// Exactly pymoo 0.6.2's `calc_crowding_distance` (the `"cd"` crowding function
/// of `RankAndCrowding`, which does **not** filter duplicates):
///
/// - fronts of one or two points: every distance is infinite;
/// - per objective, the points are sorted by value with a **stable** sort (ties
///   keep the order of `front`; pass the front in ascending input order, as
///   pymoo does, to get identical boundary choices among tied points); the first
///   and last get an infinite gap, the others `(next − previous) / range`, where
///   the range is max − min of that objective over the front;
/// - an objective whose range is 0 contributes 0 to every point, boundary points
///   included (pymoo divides by NaN and replaces NaN by 0);
/// - the distance is the **mean** of the objectives' contributions (pymoo divides
///   the sum by m; Deb's paper sums — the order of points is the same).
///
/// Exact duplicates get gaps of 0 to each other, so of a group of duplicates
/// inside the front, the interior ones get small distances; this matches pymoo.
///
/// Time O(m f log f) for a front of f points.
pub fn crowding_distance(points: &Points, front: &[usize]) -> Vec<f64> {
    let f = front.len();
    let m = points.n_objectives();
    if f <= 2 {
        return vec![f64::INFINITY; f];
    }
    let mut dist = vec![0.0f64; f];
    // Per objective, the front's values with their place in `front`, sorted by value then
    // place: pymoo's stable sort, as one unstable sort of contiguous pairs.
    let mut order: Vec<(u64, u32)> = Vec::with_capacity(f);
    for j in 0..m {
        order.clear();
        order.extend(
            front
                .iter()
                .enumerate()
                .map(|(s, &i)| (crate::points::total_key(points.row(i)[j]), s as u32)),
        );
        order.sort_unstable();
        let val = |s: usize| points.row(front[order[s].1 as usize])[j];
        let lo = val(0);
        let hi = val(f - 1);
        let range = hi - lo;
        if range == 0.0 || !range.is_finite() {
            continue;
        }
        for s in 0..f {
            let v = val(s);
            let prev = if s == 0 {
                f64::INFINITY
            } else {
                (v - val(s - 1)) / range
            };
            let next = if s + 1 == f {
                f64::INFINITY
            } else {
                (val(s + 1) - v) / range
            };
            dist[order[s].1 as usize] += prev + next;
        }
    }
    for d in &mut dist {
        *d /= m as f64;
    }
    dist
}

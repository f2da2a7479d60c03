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
    let mut order: Vec<usize> = (0..f).collect();
    for j in 0..m {
        let val = |a: usize| points.row(front[a])[j];
        // Ties keep the order of `front` (pymoo's stable mergesort): restart from it.
        order.iter_mut().enumerate().for_each(|(s, o)| *o = s);
        order.sort_by(|&a, &b| val(a).total_cmp(&val(b)));
        let lo = val(order[0]);
        let hi = val(order[f - 1]);
        let range = hi - lo;
        if range == 0.0 || !range.is_finite() {
            continue;
        }
        for (s, &a) in order.iter().enumerate() {
            let prev = if s == 0 {
                f64::INFINITY
            } else {
                (val(a) - val(order[s - 1])) / range
            };
            let next = if s + 1 == f {
                f64::INFINITY
            } else {
                (val(order[s + 1]) - val(a)) / range
            };
            dist[a] += prev + next;
        }
    }
    for d in &mut dist {
        *d /= m as f64;
    }
    dist
}

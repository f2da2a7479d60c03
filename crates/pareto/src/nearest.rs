//! The first-front dominators of a config when the front is large: a k-d tree over the
//! front answers both questions of `dominated_by` — how many front configs dominate a
//! point, and which of them are the closest — without looking at every front config.
//!
//! The scan of [`crate::analysis`] compares each config with every front config whose first
//! objective is not larger: O(n·f) for f front configs, which is fast for the small fronts of
//! random data (a hundred at a million configs) and hours for the large fronts of real
//! trade-offs (27 000 of 200 000 configs spread over a plane took 6.7 s). Here:
//!
//! - **count**: front configs weakly below the point in every objective (a dominated config
//!   equals no front config, so they all dominate it), by orthogonal range counting: a node
//!   whose box lies below the point counts whole, one that lies beside it is skipped;
//! - **closest**: the `limit` nearest of those by the scan's distance (the same sum in the
//!   same order, so the same bits, and the same order of equal distances by index), by a
//!   depth-first search that skips a node whose nearest possible dominator is farther than
//!   the last one kept. The node's bound is made of the same operations on values no
//!   farther than any of its points', and IEEE arithmetic is monotone, so the bound never
//!   exceeds a distance it stands for: nothing that belongs in the list is skipped.
//!
//! Hand-written: the k-d tree crates find nearest neighbours in all of space, not within the
//! orthant of dominators, and do not count.

use crate::points::Points;

/// Points per leaf.
const LEAF: usize = 16;

/// A k-d tree over some points (the first front), in minimisation space.
pub(crate) struct FrontTree {
    m: usize,
    /// The points' coordinates in tree order, row-major.
    coords: Vec<f64>,
    /// The index (into the points) of each point in tree order.
    index: Vec<usize>,
    /// The nodes; the root is the first.
    nodes: Vec<Node>,
    /// Each node's box: `m` lower then `m` upper bounds.
    boxes: Vec<f64>,
}

#[derive(Clone, Copy)]
struct Node {
    /// The node's points: `start..end` in tree order.
    start: usize,
    end: usize,
    /// The children (`None` for a leaf).
    children: Option<(usize, usize)>,
}

impl FrontTree {
    /// The tree of the points `front` (indexes into `points`).
    pub(crate) fn new(points: &Points, front: &[usize]) -> Self {
        let m = points.n_objectives();
        let mut order: Vec<usize> = front.to_vec();
        let mut tree = FrontTree {
            m,
            coords: Vec::new(),
            index: Vec::new(),
            nodes: Vec::new(),
            boxes: Vec::new(),
        };
        tree.build(points, &mut order, 0);
        tree.coords = order
            .iter()
            .flat_map(|&a| points.row(a).iter().copied())
            .collect();
        tree.index = order;
        tree
    }

    /// Builds the node of `order[..]` (which starts at `offset` in tree order), splitting
    /// on its widest objective; returns its number.
    fn build(&mut self, points: &Points, order: &mut [usize], offset: usize) -> usize {
        let m = self.m;
        let id = self.nodes.len();
        let mut lo = vec![f64::INFINITY; m];
        let mut hi = vec![f64::NEG_INFINITY; m];
        for &a in order.iter() {
            for (j, &x) in points.row(a).iter().enumerate() {
                lo[j] = lo[j].min(x);
                hi[j] = hi[j].max(x);
            }
        }
        self.boxes.extend_from_slice(&lo);
        self.boxes.extend_from_slice(&hi);
        self.nodes.push(Node {
            start: offset,
            end: offset + order.len(),
            children: None,
        });
        if order.len() <= LEAF {
            return id;
        }
        let split = (0..m)
            .max_by(|&a, &b| (hi[a] - lo[a]).total_cmp(&(hi[b] - lo[b])))
            .unwrap_or(0);
        let mid = order.len() / 2;
        order.select_nth_unstable_by(mid, |&a, &b| {
            points.row(a)[split].total_cmp(&points.row(b)[split])
        });
        let (left, right) = order.split_at_mut(mid);
        let l = self.build(points, left, offset);
        let r = self.build(points, right, offset + mid);
        self.nodes[id].children = Some((l, r));
        id
    }

    fn lo(&self, node: usize) -> &[f64] {
        &self.boxes[node * 2 * self.m..node * 2 * self.m + self.m]
    }

    fn hi(&self, node: usize) -> &[f64] {
        &self.boxes[node * 2 * self.m + self.m..(node + 1) * 2 * self.m]
    }

    fn point(&self, k: usize) -> &[f64] {
        &self.coords[k * self.m..(k + 1) * self.m]
    }

    /// How many of the points are weakly below `p` in every objective.
    pub(crate) fn count_below(&self, p: &[f64], stack: &mut Vec<usize>) -> usize {
        let mut count = 0;
        stack.clear();
        stack.push(0);
        while let Some(node) = stack.pop() {
            if self.lo(node).iter().zip(p).any(|(l, x)| l > x) {
                continue;
            }
            let n = self.nodes[node];
            if self.hi(node).iter().zip(p).all(|(h, x)| h <= x) {
                count += n.end - n.start;
                continue;
            }
            match n.children {
                Some((l, r)) => stack.extend([l, r]),
                None => {
                    count += (n.start..n.end)
                        .filter(|&k| self.point(k).iter().zip(p).all(|(q, x)| q <= x))
                        .count();
                }
            }
        }
        count
    }

    /// The at most `limit` points weakly below `p` closest to it (squared distance in
    /// objectives multiplied by `scale`, as the scan's), closest first, ties by index, into
    /// `best` as (distance, index).
    pub(crate) fn closest_below(
        &self,
        p: &[f64],
        scale: &[f64],
        limit: usize,
        best: &mut Vec<(f64, usize)>,
        stack: &mut Vec<usize>,
    ) {
        best.clear();
        if limit == 0 {
            return;
        }
        stack.clear();
        stack.push(0);
        while let Some(node) = stack.pop() {
            let Some(bound) = self.bound(node, p, scale) else {
                continue;
            };
            if best.len() == limit && best.last().is_some_and(|w| bound > w.0) {
                continue;
            }
            let n = self.nodes[node];
            match n.children {
                Some((l, r)) => {
                    // The nearer child is searched first (pushed last).
                    let (bl, br) = (self.bound(l, p, scale), self.bound(r, p, scale));
                    match (bl, br) {
                        (Some(bl), Some(br)) if bl <= br => stack.extend([r, l]),
                        (Some(_), Some(_)) => stack.extend([l, r]),
                        (Some(_), None) => stack.push(l),
                        (None, Some(_)) => stack.push(r),
                        (None, None) => {}
                    }
                }
                None => {
                    for k in n.start..n.end {
                        let q = self.point(k);
                        if !q.iter().zip(p).all(|(q, x)| q <= x) {
                            continue;
                        }
                        let mut d = 0.0;
                        for j in 0..self.m {
                            let t = (p[j] - q[j]) * scale[j];
                            d += t * t;
                        }
                        keep(best, limit, d, self.index[k]);
                    }
                }
            }
        }
    }

    /// The smallest distance from `p` of a point of `node`'s box weakly below `p` (a lower
    /// bound of its points' distances); `None` when the box holds no such point.
    fn bound(&self, node: usize, p: &[f64], scale: &[f64]) -> Option<f64> {
        let (lo, hi) = (self.lo(node), self.hi(node));
        let mut d = 0.0;
        for j in 0..self.m {
            if lo[j] > p[j] {
                return None;
            }
            let t = (p[j] - hi[j].min(p[j])) * scale[j];
            d += t * t;
        }
        Some(d)
    }
}

/// Puts point `a` at squared distance `d` into `best` (sorted by distance, then index; at
/// most `limit` long, `limit` > 0).
#[inline]
pub(crate) fn keep(best: &mut Vec<(f64, usize)>, limit: usize, d: f64, a: usize) {
    let before = |x: &(f64, usize)| x.0 < d || (x.0 == d && x.1 < a);
    if best.len() == limit {
        if best.last().is_some_and(before) {
            return;
        }
        best.pop();
    }
    // Insertion from the end: the list is short.
    best.push((d, a));
    let mut k = best.len() - 1;
    while k > 0 && !before(&best[k - 1]) {
        best.swap(k - 1, k);
        k -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::points::dominates;

    /// Every front point, in the scan's way.
    fn brute(
        points: &Points,
        front: &[usize],
        p: &[f64],
        scale: &[f64],
        limit: usize,
    ) -> (Vec<(f64, usize)>, usize) {
        let mut best = Vec::new();
        let mut count = 0;
        for &a in front {
            let q = points.row(a);
            if !dominates(q, p) {
                continue;
            }
            count += 1;
            let mut d = 0.0;
            for j in 0..p.len() {
                let t = (p[j] - q[j]) * scale[j];
                d += t * t;
            }
            if limit > 0 {
                keep(&mut best, limit, d, a);
            }
        }
        (best, count)
    }

    #[test]
    fn the_tree_finds_what_the_scan_finds() {
        let mut next = crate::test_uniforms();
        for (m, n, levels) in [
            (2, 400, 0),
            (3, 600, 0),
            (3, 600, 7),
            (4, 500, 0),
            (4, 500, 4),
        ] {
            // Points near the plane Σ x = 0 (a large front), some quantised (ties).
            let mut data = Vec::with_capacity(n * m);
            for _ in 0..n {
                let row: Vec<f64> = (0..m - 1).map(|_| next()).collect();
                let last = -row.iter().sum::<f64>() + 0.1 * next();
                for x in row.into_iter().chain([last]) {
                    data.push(if levels > 0 {
                        (x * f64::from(levels)).floor()
                    } else {
                        x
                    });
                }
            }
            let points = Points::from_min(data, m).unwrap();
            let ranks = crate::sort::rank(&points);
            let front: Vec<usize> = (0..n).filter(|&i| ranks[i] == 1).collect();
            assert!(front.len() > n / 20, "a large front: {}", front.len());
            let tree = FrontTree::new(&points, &front);
            let scale: Vec<f64> = (0..m).map(|j| 1.0 + j as f64 * 0.5).collect();
            let (mut best, mut stack) = (Vec::new(), Vec::new());
            for i in (0..n).filter(|&i| ranks[i] != 1) {
                let p = points.row(i);
                for limit in [0, 1, 3, 5, usize::MAX] {
                    let (expected, count) = brute(&points, &front, p, &scale, limit);
                    tree.closest_below(p, &scale, limit, &mut best, &mut stack);
                    assert_eq!(
                        best, expected,
                        "m {m} levels {levels} point {i} limit {limit}"
                    );
                    assert_eq!(tree.count_below(p, &mut stack), count);
                }
            }
        }
    }
}

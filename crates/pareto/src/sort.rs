//! Non-dominated sorting into all fronts.
//!
//! Every algorithm starts with the same preprocessing (O(m n log n)):
//! each objective is replaced by its dense integer rank (equal values get equal
//! codes), the points are sorted lexicographically, and exact duplicates are
//! collapsed into one representative (they get the same rank: equal points do not
//! dominate each other). After this, for two distinct unique points `q` before
//! `p` in lexicographic order, **`q` dominates `p` iff `q <= p` in objectives
//! 2..m** — the first objective is taken care of by the order. The algorithms
//! then work on small integers:
//!
//! | m | algorithm | time | memory |
//! |---|---|---|---|
//! | 1 | dense rank of the only objective | O(n log n) | O(n) |
//! | 2 | sweep in lexicographic order, binary search over the last (= smallest) second objective of each front (Jensen 2003; "patience" layers) | O(n log n) | O(n) |
//! | 3 | sweep in lexicographic order; one staircase (sorted blocks of the (f2, f3) projection) per front; a point's rank is found by binary search over the fronts | O(n log n log k), k = number of fronts ≤ n | O(n) |
//! | ≥ 4 | divide & conquer of Jensen (2003) generalised to ties by Fortin, Grenier & Parizeau (2013), in the provably O(n log^{m-1} n) form of Buzdalov & Shalyto (2014) ("Jensen–Fortin–Buzdalov"), with brute-force leaves for small subproblems | O(n log^{m-1} n) | O(n) (plus O(log n) recursion depth) |
//!
//! The naive O(m n²)-time, O(n)-memory [`rank_naive`] is kept as the test oracle.
//! No algorithm allocates anything quadratic.
//!
//! References: M. T. Jensen, "Reducing the run-time complexity of multiobjective
//! EAs: the NSGA-II and other algorithms", IEEE TEC 7(5), 2003. F.-A. Fortin,
//! S. Grenier, M. Parizeau, "Generalizing the improved run-time complexity
//! algorithm for non-dominated sorting", GECCO 2013. M. Buzdalov, A. Shalyto, "A
//! provably asymptotically fast version of the generalized Jensen algorithm for
//! non-dominated sorting", PPSN XIII, 2014.

use crate::points::{Points, dominates, total_key};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Which ranking algorithm to use (see the module docs for complexities).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Algorithm {
    /// The sweep for m ≤ 3, divide & conquer for m ≥ 4.
    #[default]
    Auto,
    /// Divide & conquer (Jensen–Fortin–Buzdalov) for any m ≥ 2.
    DivideAndConquer,
    /// The O(m n²) pairwise oracle (peels fronts using dominance counts computed
    /// front by front; O(n) memory).
    Naive,
}

/// Pareto rank of every point, 1-based: 1 is the first (non-dominated) front,
/// 2 the front once rank 1 is removed, and so on. Exact duplicates share a rank.
///
/// Equals pymoo's `NonDominatedSorting` (moocore's `pareto_rank`) plus one.
pub fn rank(points: &Points) -> Vec<u32> {
    rank_with(points, Algorithm::Auto)
}

/// [`rank`] with an explicit algorithm.
pub fn rank_with(points: &Points, algorithm: Algorithm) -> Vec<u32> {
    let n = points.len();
    if n == 0 {
        return Vec::new();
    }
    if algorithm == Algorithm::Naive {
        return rank_naive(points);
    }
    let c = compress(points);
    let mut urank = vec![0u32; c.u];
    match (c.m, algorithm) {
        (1, _) => {
            // Unique points are sorted by the only objective: rank = position.
            for (i, r) in urank.iter_mut().enumerate() {
                *r = i as u32;
            }
        }
        (2, Algorithm::Auto) => sweep2(&c, &mut urank),
        (3, Algorithm::Auto) => sweep3(&c, &mut urank),
        _ => {
            let mut dc = Dc {
                codes: &c.codes,
                m: c.m,
                rank: &mut urank,
            };
            let all: Vec<u32> = (0..c.u as u32).collect();
            dc.helper_a(&all, c.m - 1);
        }
    }
    c.group.iter().map(|&g| urank[g as usize] + 1).collect()
}

/// The fronts from 1-based ranks: `fronts[r - 1]` lists the indexes of rank `r`,
/// ascending. Ranks of 0 (used by callers for "no rank") are skipped.
pub fn fronts_from_ranks(ranks: &[u32]) -> Vec<Vec<usize>> {
    let k = ranks.iter().copied().max().unwrap_or(0) as usize;
    let mut fronts = vec![Vec::new(); k];
    for (i, &r) in ranks.iter().enumerate() {
        if r > 0 {
            fronts[r as usize - 1].push(i);
        }
    }
    fronts
}

/// Indexes of the first front (the non-dominated points), ascending.
pub fn first_front(points: &Points) -> Vec<usize> {
    rank(points)
        .iter()
        .enumerate()
        .filter(|&(_, &r)| r == 1)
        .map(|(i, _)| i)
        .collect()
}

/// The O(m n²) reference ranking: repeatedly takes the points not dominated by
/// any remaining point. 1-based like [`rank`]. O(n) memory. Meant for tests.
pub fn rank_naive(points: &Points) -> Vec<u32> {
    let n = points.len();
    let mut ranks = vec![0u32; n];
    let mut remaining: Vec<usize> = (0..n).collect();
    let mut r = 0u32;
    while !remaining.is_empty() {
        r += 1;
        let front: Vec<usize> = remaining
            .iter()
            .copied()
            .filter(|&i| {
                !remaining
                    .iter()
                    .any(|&j| dominates(points.row(j), points.row(i)))
            })
            .collect();
        for &i in &front {
            ranks[i] = r;
        }
        remaining.retain(|&i| ranks[i] == 0);
    }
    ranks
}

/// Unique points as dense integer codes, in lexicographic order.
struct Compressed {
    m: usize,
    /// Number of unique points.
    u: usize,
    /// `u × m` codes, row-major, rows in lexicographic order, all distinct.
    codes: Vec<u32>,
    /// For each input point, the index of its unique row.
    group: Vec<u32>,
}

fn compress(points: &Points) -> Compressed {
    let n = points.len();
    let m = points.n_objectives();
    let data = points.as_slice();
    // Each objective's dense ranks, the objectives and their sorts on all cores; and the first
    // objective's order when its values are all distinct (then it is the lexicographic order).
    let (columns, distinct_first): (Vec<Vec<u32>>, Vec<Option<Vec<u32>>>) = (0..m)
        .into_par_iter()
        .map(|j| {
            let mut pairs: Vec<(u64, u32)> = (0..n)
                .map(|i| (total_key(data[i * m + j]), i as u32))
                .collect();
            pairs.par_sort_unstable();
            let mut column = vec![0u32; n];
            let mut c = 0u32;
            let mut prev = pairs.first().map(|p| p.0).unwrap_or(0);
            for &(k, i) in &pairs {
                if k != prev {
                    c += 1;
                    prev = k;
                }
                column[i as usize] = c;
            }
            let distinct = j == 0 && c as usize + 1 == n;
            let order = distinct.then(|| pairs.iter().map(|&(_, i)| i).collect());
            (column, order)
        })
        .unzip();
    let mut codes = vec![0u32; n * m];
    for (j, column) in columns.iter().enumerate() {
        for (row, &c) in codes.chunks_exact_mut(m).zip(column) {
            row[j] = c;
        }
    }
    drop(columns);
    let order = match distinct_first.into_iter().next().flatten() {
        Some(order) => order,
        None => lexicographic_order(&codes, n, m),
    };
    let mut ucodes: Vec<u32> = Vec::with_capacity(n * m);
    let mut group = vec![0u32; n];
    let mut u = 0usize;
    for (pos, &i) in order.iter().enumerate() {
        let row = &codes[i as usize * m..(i as usize + 1) * m];
        let dup = pos > 0 && &ucodes[(u - 1) * m..u * m] == row;
        if !dup {
            ucodes.extend_from_slice(row);
            u += 1;
        }
        group[i as usize] = (u - 1) as u32;
    }
    Compressed {
        m,
        u,
        codes: ucodes,
        group,
    }
}

/// The rows of `codes` (`n` × `m`, each code < n) in lexicographic order, ties by index.
///
/// When a row's codes fit one `u64` (m = 2, or m = 3 with n ≤ 2²¹), the packed rows are
/// sorted with their indexes on all cores; otherwise an LSD radix sort (a stable counting
/// sort per column, O(m n), one core). Both give the same order.
fn lexicographic_order(codes: &[u32], n: usize, m: usize) -> Vec<u32> {
    let bits = match m {
        1 | 2 => 32,
        3 if n <= 1 << 21 => 21,
        _ => 0,
    };
    if bits > 0 {
        let mut keyed: Vec<(u64, u32)> = codes
            .par_chunks_exact(m)
            .enumerate()
            .map(|(i, row)| {
                let key = row.iter().fold(0u64, |k, &c| (k << bits) | u64::from(c));
                (key, i as u32)
            })
            .collect();
        keyed.par_sort_unstable();
        return keyed.into_iter().map(|(_, i)| i).collect();
    }
    let mut order: Vec<u32> = (0..n as u32).collect();
    let mut tmp = vec![0u32; n];
    let mut count = vec![0u32; n + 1];
    for j in (0..m).rev() {
        count.iter_mut().for_each(|c| *c = 0);
        for &i in &order {
            count[codes[i as usize * m + j] as usize + 1] += 1;
        }
        for b in 1..=n {
            count[b] += count[b - 1];
        }
        for &i in &order {
            let c = codes[i as usize * m + j] as usize;
            tmp[count[c] as usize] = i;
            count[c] += 1;
        }
        std::mem::swap(&mut order, &mut tmp);
    }
    order
}

/// m = 2: `last[r]` is the second objective of the last point put in front r,
/// which is that front's minimum; it is non-decreasing in r, so a point goes to
/// the first front whose `last` is greater than its value.
fn sweep2(c: &Compressed, rank: &mut [u32]) {
    let mut last: Vec<u32> = Vec::new();
    for (p, r) in rank.iter_mut().enumerate() {
        let y = c.codes[p * 2 + 1];
        let f = last.partition_point(|&l| l <= y);
        if f == last.len() {
            last.push(y);
        } else {
            last[f] = y;
        }
        *r = f as u32;
    }
}

/// m = 3: one staircase per front over the (f2, f3) projection (key f2 → f3,
/// f3 strictly decreasing in f2). A point is dominated by front r iff the
/// staircase entry with the largest f2 ≤ its f2 has f3 ≤ its f3. Being dominated
/// by front r implies being dominated by front r−1, so binary search applies.
fn sweep3(c: &Compressed, rank: &mut [u32]) {
    let mut stairs: Vec<Staircase> = Vec::new();
    for (p, r) in rank.iter_mut().enumerate() {
        let (y, z) = (c.codes[p * 3 + 1], c.codes[p * 3 + 2]);
        let f = stairs.partition_point(|s| s.covers(y, z));
        *r = f as u32;
        if f == stairs.len() {
            stairs.push(Staircase::default());
        }
        stairs[f].insert(y, z);
    }
}

/// Entries of a [`Staircase`] block at most (a block is split in two beyond twice this).
const STAIR_BLOCK: usize = 128;

/// A staircase of `(key, value)` pairs, keys strictly increasing and values strictly
/// decreasing, in sorted blocks of at most `2 * STAIR_BLOCK` entries: a predecessor query is
/// two binary searches over contiguous memory (a `BTreeMap` range query was most of the m = 3
/// sweep), and an insertion moves at most a block's entries (plus, on a split, the list of
/// blocks), so no sequence of operations is quadratic in the entries.
#[derive(Debug, Default)]
struct Staircase {
    /// The blocks, none empty, in key order.
    blocks: Vec<Vec<(u32, u32)>>,
    /// The first key of each block.
    firsts: Vec<u32>,
}

impl Staircase {
    /// Whether the entry with the largest key ≤ `key` has a value ≤ `value` (the point
    /// `(key, value)` is weakly dominated by the staircase).
    #[inline]
    fn covers(&self, key: u32, value: u32) -> bool {
        let b = self.firsts.partition_point(|&f| f <= key);
        if b == 0 {
            return false;
        }
        let block = &self.blocks[b - 1];
        let i = block.partition_point(|e| e.0 <= key);
        // i ≥ 1: the block's first key is ≤ key.
        block[i - 1].1 <= value
    }

    /// Inserts `(key, value)`, not covered, removing the entries it covers (key ≥ `key`
    /// and value ≥ `value`: a run starting at the first key ≥ `key`).
    fn insert(&mut self, key: u32, value: u32) {
        if self.blocks.is_empty() {
            self.blocks.push(vec![(key, value)]);
            self.firsts.push(key);
            return;
        }
        let b = self.firsts.partition_point(|&f| f <= key).saturating_sub(1);
        let block = &mut self.blocks[b];
        let at = block.partition_point(|e| e.0 < key);
        let end = at + block[at..].partition_point(|e| e.1 >= value);
        let through = end == block.len();
        block.splice(at..end, [(key, value)]);
        self.firsts[b] = block[0].0;
        if through {
            // The covered run may go on into the next blocks.
            let mut gone = b + 1;
            while gone < self.blocks.len() {
                let next = &mut self.blocks[gone];
                let k = next.partition_point(|e| e.1 >= value);
                if k < next.len() {
                    next.drain(..k);
                    self.firsts[gone] = next[0].0;
                    break;
                }
                gone += 1;
            }
            self.blocks.drain(b + 1..gone);
            self.firsts.drain(b + 1..gone);
        }
        if self.blocks[b].len() > 2 * STAIR_BLOCK {
            let tail = self.blocks[b].split_off(STAIR_BLOCK);
            self.firsts.insert(b + 1, tail[0].0);
            self.blocks.insert(b + 1, tail);
        }
    }
}

/// Below this many points, A subproblems are solved by brute force.
const BRUTE_A: usize = 48;
/// Below this many pairs, B subproblems are solved by brute force.
const BRUTE_B: usize = 8192;

/// Jensen–Fortin–Buzdalov divide & conquer on unique, lexicographically sorted
/// points. Objective 0 is represented by the position (index) of a point.
struct Dc<'a> {
    codes: &'a [u32],
    m: usize,
    rank: &'a mut [u32],
}

impl Dc<'_> {
    #[inline]
    fn v(&self, p: u32, k: usize) -> u32 {
        self.codes[p as usize * self.m + k]
    }

    /// `a <= b` in objectives 1..=k.
    #[inline]
    fn leq(&self, a: u32, b: u32, k: usize) -> bool {
        let (ra, rb) = (a as usize * self.m, b as usize * self.m);
        (1..=k).all(|j| self.codes[ra + j] <= self.codes[rb + j])
    }

    /// Splits `s` (sorted by position) by `vals` (its values of the split
    /// objective) around `med` into (<, =, >), each sorted by position.
    fn split3(s: &[u32], vals: &[u32], med: u32) -> (Vec<u32>, Vec<u32>, Vec<u32>) {
        let (mut lt, mut eq, mut gt) = (Vec::new(), Vec::new(), Vec::new());
        for (&p, &x) in s.iter().zip(vals) {
            match x.cmp(&med) {
                std::cmp::Ordering::Less => lt.push(p),
                std::cmp::Ordering::Equal => eq.push(p),
                std::cmp::Ordering::Greater => gt.push(p),
            }
        }
        (lt, eq, gt)
    }

    /// Merges two position-sorted lists.
    fn merge(a: &[u32], b: &[u32]) -> Vec<u32> {
        let mut out = Vec::with_capacity(a.len() + b.len());
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < b.len() {
            if a[i] < b[j] {
                out.push(a[i]);
                i += 1;
            } else {
                out.push(b[j]);
                j += 1;
            }
        }
        out.extend_from_slice(&a[i..]);
        out.extend_from_slice(&b[j..]);
        out
    }

    fn values(&self, s: &[u32], k: usize) -> Vec<u32> {
        s.iter().map(|&p| self.v(p, k)).collect()
    }

    fn min_max(vals: &[u32]) -> (u32, u32) {
        vals.iter()
            .fold((u32::MAX, 0), |(lo, hi), &x| (lo.min(x), hi.max(x)))
    }

    fn median_of(mut vals: Vec<u32>) -> u32 {
        let mid = vals.len() / 2;
        let (_, med, _) = vals.select_nth_unstable(mid);
        *med
    }

    /// Final ranks for the points `s` (sorted by position), all equal in
    /// objectives > k; ranks given by points outside `s` are already in place.
    fn helper_a(&mut self, s: &[u32], k: usize) {
        if s.len() < 2 {
            return;
        }
        if s.len() <= BRUTE_A {
            for (b, &q) in s.iter().enumerate() {
                let mut r = self.rank[q as usize];
                for &p in &s[..b] {
                    if self.rank[p as usize] >= r && self.leq(p, q, k) {
                        r = self.rank[p as usize] + 1;
                    }
                }
                self.rank[q as usize] = r;
            }
            return;
        }
        if k == 1 {
            self.sweep_a(s);
            return;
        }
        let vals = self.values(s, k);
        let (lo, hi) = Self::min_max(&vals);
        if lo == hi {
            self.helper_a(s, k - 1);
            return;
        }
        let med = Self::median_of(vals.clone());
        let (l, e, h) = Self::split3(s, &vals, med);
        drop(vals);
        self.helper_a(&l, k);
        self.helper_b(&l, &e, k - 1);
        self.helper_a(&e, k - 1);
        let le = Self::merge(&l, &e);
        drop((l, e));
        self.helper_b(&le, &h, k - 1);
        drop(le);
        self.helper_a(&h, k);
    }

    /// Raises the ranks of `h` by the (final) ranks of `l`, where every point of
    /// `l` is <= every point of `h` in objectives > k. Both sorted by position.
    fn helper_b(&mut self, l: &[u32], h: &[u32], k: usize) {
        if l.is_empty() || h.is_empty() {
            return;
        }
        if l.len() * h.len() <= BRUTE_B || l.len() == 1 || h.len() == 1 {
            self.brute_b(l, h, k);
            return;
        }
        if k == 1 {
            self.sweep_b(l, h);
            return;
        }
        let lv = self.values(l, k);
        let hv = self.values(h, k);
        let (lmin, lmax) = Self::min_max(&lv);
        let (hmin, hmax) = Self::min_max(&hv);
        if lmax <= hmin {
            self.helper_b(l, h, k - 1);
            return;
        }
        if lmin > hmax {
            return;
        }
        let med = Self::median_of([lv.as_slice(), hv.as_slice()].concat());
        let (l1, lm, l2) = Self::split3(l, &lv, med);
        let (h1, hm, h2) = Self::split3(h, &hv, med);
        drop((lv, hv));
        self.helper_b(&l1, &h1, k);
        drop(h1);
        let le = Self::merge(&l1, &lm);
        let he = Self::merge(&hm, &h2);
        drop((l1, lm, hm));
        self.helper_b(&le, &he, k - 1);
        drop((le, he));
        self.helper_b(&l2, &h2, k);
    }

    /// Brute force for small B subproblems on gathered (contiguous) rows.
    fn brute_b(&mut self, l: &[u32], h: &[u32], k: usize) {
        let m = self.m;
        let mut rows: Vec<u32> = Vec::with_capacity(l.len() * k);
        let mut lranks: Vec<u32> = Vec::with_capacity(l.len());
        for &p in l {
            let b = p as usize * m;
            rows.extend_from_slice(&self.codes[b + 1..b + 1 + k]);
            lranks.push(self.rank[p as usize]);
        }
        for &q in h {
            let b = q as usize * m;
            let qrow = &self.codes[b + 1..b + 1 + k];
            let mut r = self.rank[q as usize];
            for ((&p, &pr), prow) in l.iter().zip(&lranks).zip(rows.chunks_exact(k)) {
                if p >= q {
                    break;
                }
                if pr >= r && prow.iter().zip(qrow).all(|(a, b)| a <= b) {
                    r = pr + 1;
                }
            }
            self.rank[q as usize] = r;
        }
    }

    /// Staircase insert: key → rank with ranks strictly increasing in key.
    fn stair_insert(t: &mut BTreeMap<u32, u32>, key: u32, r: u32, doomed: &mut Vec<u32>) {
        if t.range(..=key).next_back().is_some_and(|(_, &pr)| pr >= r) {
            return;
        }
        doomed.clear();
        doomed.extend(
            t.range(key..)
                .take_while(|&(_, &tr)| tr <= r)
                .map(|(&k, _)| k),
        );
        for k in doomed.iter() {
            t.remove(k);
        }
        t.insert(key, r);
    }

    fn sweep_a(&mut self, s: &[u32]) {
        let mut t: BTreeMap<u32, u32> = BTreeMap::new();
        let mut doomed = Vec::new();
        for &p in s {
            let y = self.v(p, 1);
            let mut r = self.rank[p as usize];
            if let Some((_, &pr)) = t.range(..=y).next_back() {
                r = r.max(pr + 1);
            }
            self.rank[p as usize] = r;
            Self::stair_insert(&mut t, y, r, &mut doomed);
        }
    }

    fn sweep_b(&mut self, l: &[u32], h: &[u32]) {
        let mut t: BTreeMap<u32, u32> = BTreeMap::new();
        let mut doomed = Vec::new();
        let mut li = 0usize;
        for &q in h {
            while li < l.len() && l[li] < q {
                let p = l[li];
                Self::stair_insert(&mut t, self.v(p, 1), self.rank[p as usize], &mut doomed);
                li += 1;
            }
            if let Some((_, &pr)) = t.range(..=self.v(q, 1)).next_back() {
                let r = &mut self.rank[q as usize];
                *r = (*r).max(pr + 1);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The staircase of the m = 3 sweep as a `BTreeMap` (the structure it replaced).
    fn model_covers(t: &BTreeMap<u32, u32>, key: u32, value: u32) -> bool {
        t.range(..=key)
            .next_back()
            .is_some_and(|(_, &v)| v <= value)
    }

    fn model_insert(t: &mut BTreeMap<u32, u32>, key: u32, value: u32) {
        let doomed: Vec<u32> = t
            .range(key..)
            .take_while(|&(_, &v)| v >= value)
            .map(|(&k, _)| k)
            .collect();
        for k in doomed {
            t.remove(&k);
        }
        t.insert(key, value);
    }

    #[test]
    fn packed_order_is_the_stable_lexicographic_order() {
        let mut s = 0x9E37_79B9_7F4A_7C15u64;
        for (n, m, levels) in [(500, 2, 7u64), (500, 3, 5), (700, 3, 700), (300, 1, 9)] {
            let codes: Vec<u32> = (0..n * m)
                .map(|_| {
                    s ^= s << 13;
                    s ^= s >> 7;
                    s ^= s << 17;
                    (s % levels) as u32
                })
                .collect();
            let packed = lexicographic_order(&codes, n, m);
            // A stable sort of the rows: the radix sort's order.
            let mut radix: Vec<u32> = (0..n as u32).collect();
            radix.sort_by_key(|&i| &codes[i as usize * m..(i as usize + 1) * m]);
            assert_eq!(packed, radix, "n {n} m {m}");
        }
    }

    #[test]
    fn staircase_equals_a_btreemap_across_blocks() {
        let mut s = 0x2545_F491_4F6C_DD1Du64;
        let mut next = |bound: u32| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s % u64::from(bound)) as u32
        };
        // Long anti-diagonal runs (many blocks, splits), then random points: covered ones,
        // ties, and points covering long runs (drains across blocks).
        let mut most_blocks = 0;
        for round in 0..12 {
            let (mut stair, mut model) = (Staircase::default(), BTreeMap::new());
            let span = [16, 3_000, 100_000][round % 3];
            for step in 0..4_000u32 {
                let (key, value) = match step % 2_000 {
                    k @ 0..=1_499 => (2 * k + round as u32 % 2, 3_100 - 2 * k),
                    _ => (next(span), next(span)),
                };
                let covered = model_covers(&model, key, value);
                assert_eq!(
                    stair.covers(key, value),
                    covered,
                    "round {round} step {step}"
                );
                if !covered {
                    stair.insert(key, value);
                    model_insert(&mut model, key, value);
                }
                most_blocks = most_blocks.max(stair.blocks.len());
                if step % 16 != 0 {
                    continue;
                }
                let entries: Vec<(u32, u32)> = stair.blocks.iter().flatten().copied().collect();
                let expected: Vec<(u32, u32)> = model.iter().map(|(&k, &v)| (k, v)).collect();
                assert_eq!(entries, expected, "round {round} step {step}");
                assert!(
                    stair
                        .blocks
                        .iter()
                        .all(|b| !b.is_empty() && b.len() <= 2 * STAIR_BLOCK)
                );
                let firsts: Vec<u32> = stair.blocks.iter().map(|b| b[0].0).collect();
                assert_eq!(stair.firsts, firsts);
            }
        }
        assert!(most_blocks >= 4, "{most_blocks}");
    }
}

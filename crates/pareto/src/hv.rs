//! Exact hypervolume (minimisation space).
//!
//! | m | algorithm | time |
//! |---|---|---|
//! | 1 | `ref − min` | O(n) |
//! | 2 | sort + sweep | O(n log n) |
//! | 3 | sweep along the third objective keeping the 2-D staircase of the points seen so far in a balanced tree, its area updated incrementally (Beume, Fonseca, López-Ibáñez, Paquete, Vahrenhold, IEEE TEC 13(5), 2009) | O(n log n) |
//! | ≥ 4 | "hypervolume by slicing objectives" (HSO; While, Hingston, Barone, Huband, IEEE TEC 10(1), 2006; the dimension-sweep recursion of Fonseca, Paquete, López-Ibáñez, CEC 2006): sort by the last objective and sum slab thickness × the (m−1)-D hypervolume of the points below, down to the 3-D sweep | O(n^{m-2} log n) |
//!
//! Points that do not strictly dominate the reference point (in every objective)
//! contribute nothing, as in moocore/pymoo.

use crate::points::Points;
use std::collections::BTreeMap;

/// Hypervolume dominated by the points `subset` of `points` and bounded by
/// `reference` (minimisation space, one value per objective). Dominated and
/// duplicate points are allowed and change nothing.
pub fn hypervolume(points: &Points, subset: &[usize], reference: &[f64]) -> f64 {
    let m = points.n_objectives();
    if reference.len() != m || m == 0 {
        return 0.0;
    }
    let mut flat: Vec<f64> = Vec::with_capacity(subset.len() * m);
    for &i in subset {
        let row = points.row(i);
        if row.iter().zip(reference).all(|(x, r)| x < r) {
            flat.extend_from_slice(row);
        }
    }
    hv_rec(&flat, m, reference)
}

/// Hypervolume of row-major points (each strictly dominating `reference`) in `d`
/// objectives; rows have stride `d` and only the first `d` columns are used.
fn hv_rec(flat: &[f64], d: usize, reference: &[f64]) -> f64 {
    let n = flat.len() / d;
    if n == 0 {
        return 0.0;
    }
    match d {
        1 => {
            let min = flat.iter().copied().fold(f64::INFINITY, f64::min);
            reference[0] - min
        }
        2 => hv2(flat, reference),
        3 => hv3(flat, reference),
        _ => {
            let mut rows: Vec<&[f64]> = flat.chunks_exact(d).collect();
            rows.sort_by(|a, b| a[d - 1].total_cmp(&b[d - 1]));
            let mut acc: Vec<f64> = Vec::with_capacity(n * (d - 1));
            let mut total = 0.0;
            for (i, row) in rows.iter().enumerate() {
                acc.extend_from_slice(&row[..d - 1]);
                let top = if i + 1 < n {
                    rows[i + 1][d - 1]
                } else {
                    reference[d - 1]
                };
                let depth = top - row[d - 1];
                if depth > 0.0 {
                    let slice = acc.clone();
                    total += depth * hv_rec(&slice, d - 1, reference);
                }
            }
            total
        }
    }
}

fn hv2(flat: &[f64], reference: &[f64]) -> f64 {
    let mut pts: Vec<(f64, f64)> = flat.chunks_exact(2).map(|r| (r[0], r[1])).collect();
    pts.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut area = 0.0;
    let mut y = reference[1];
    for (x, py) in pts {
        if py < y {
            area += (reference[0] - x) * (y - py);
            y = py;
        }
    }
    area
}

/// Order-preserving map of a finite f64 to u64.
#[inline]
fn key(x: f64) -> u64 {
    let b = (x + 0.0).to_bits();
    if b >> 63 == 1 { !b } else { b | (1 << 63) }
}

fn hv3(flat: &[f64], reference: &[f64]) -> f64 {
    let mut pts: Vec<[f64; 3]> = flat.chunks_exact(3).map(|r| [r[0], r[1], r[2]]).collect();
    pts.sort_by(|a, b| a[2].total_cmp(&b[2]));
    let (rx, ry) = (reference[0], reference[1]);
    // Staircase: key(x) -> (x, y), y strictly decreasing in x.
    let mut stair: BTreeMap<u64, (f64, f64)> = BTreeMap::new();
    let mut area = 0.0f64;
    let mut volume = 0.0f64;
    let mut doomed: Vec<u64> = Vec::new();
    for i in 0..pts.len() {
        let [x, y, z] = pts[i];
        let kx = key(x);
        let pred = stair.range(..=kx).next_back().map(|(_, &v)| v);
        if !pred.is_some_and(|(_, py)| py <= y) {
            // Height of the staircase to the left of x (ry if none).
            let mut h = pred.map_or(ry, |(_, py)| py);
            let mut cur = x;
            let mut gain = 0.0;
            doomed.clear();
            let mut next_x = rx;
            for (&k, &(qx, qy)) in stair.range(kx..) {
                if qy >= y {
                    gain += (qx - cur) * (h - y);
                    cur = qx;
                    h = qy;
                    doomed.push(k);
                } else {
                    next_x = qx;
                    break;
                }
            }
            gain += (next_x - cur) * (h - y);
            for k in &doomed {
                stair.remove(k);
            }
            stair.insert(kx, (x, y));
            area += gain;
        }
        let top = if i + 1 < pts.len() {
            pts[i + 1][2]
        } else {
            reference[2]
        };
        volume += area * (top - z);
    }
    volume
}

//! Drift: a slow monotonic trend, reported apart from change points.
//!
//! On the runs since the last confirmed change point (at most the last [`MAX_RUNS`], at least
//! [`MIN_RUNS`]):
//!
//! - **Theil–Sen slope** (Theil 1950, Sen 1968): the median of the pairwise slopes
//!   (yⱼ − yᵢ)/(j − i), the intercept median(y) − slope·median(x), and the slope's 95 %
//!   interval by Sen's (1968) eq. 2.6 — as `scipy.stats.theilslopes` (method `separate`).
//! - **Mann–Kendall test** with the **Hamed & Rao (1998)** variance correction for serial
//!   correlation: S = Σᵢ<ⱼ sign(yⱼ − yᵢ), Var S with the tie correction, multiplied by
//!   n/n* = 1 + 2/(n(n−1)(n−2)) · Σₖ (n−k)(n−k−1)(n−k−2)·ρₖ over the lags k whose
//!   autocorrelation ρₖ of the ranks of the detrended series (y − slope·i) lies outside
//!   ±1.96/√n; z = (S − sign S)/√Var S, two-sided normal p-value — as
//!   `pymannkendall.hamed_rao_modification_test` (fixtures: `scripts/reference/gen_drift.py`).
//!   Without the correction, positively autocorrelated noise (a random walk) makes the plain
//!   test call a trend far too often. A correction factor ≤ 0 (possible in small samples with
//!   strong negative correlation) is replaced by 1.
//!
//! Hand-written (O(n²) pairs, n ≤ 300): no maintained Rust crate implements the Hamed–Rao
//! variant, and the pieces are a few lines each.

use perfstat_stats::dist::normal_sf;

/// Fewest runs a drift is tested on.
pub const MIN_RUNS: usize = 10;
/// Most runs a drift is tested on (the newest ones): the statistics are O(n²).
pub const MAX_RUNS: usize = 300;

/// The trend of one stretch of runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Trend {
    /// Runs in the stretch.
    pub runs: usize,
    /// Theil–Sen slope (metric units per run).
    pub slope: f64,
    /// Intercept at the stretch's first run: median(y) − slope·median(x).
    pub intercept: f64,
    /// Lower end of the slope's 95 % interval (Sen 1968).
    pub slope_low: f64,
    /// Upper end of the slope's 95 % interval.
    pub slope_high: f64,
    /// Mann–Kendall S.
    pub s: f64,
    /// Kendall's τ = S / (n(n−1)/2).
    pub tau: f64,
    /// Var S with ties, before the correction.
    pub var_s: f64,
    /// The Hamed–Rao factor n/n* applied to Var S.
    pub correction: f64,
    /// z = (S − sign S)/√(Var S · n/n*).
    pub z: f64,
    /// Two-sided p-value of z.
    pub p_value: f64,
}

/// Theil–Sen slope and Hamed–Rao Mann–Kendall test of `y` (in time order, finite). `None` for
/// fewer than 3 values.
///
/// ```
/// use perfstat_regress::drift::trend;
/// let y: Vec<f64> = (0..40).map(|i| 100.0 + 0.5 * i as f64 + [0.3, -0.2, 0.1, -0.4][i % 4]).collect();
/// let t = trend(&y).unwrap();
/// assert!((t.slope - 0.5).abs() < 0.05);
/// assert!(t.p_value < 1e-6);
/// ```
#[must_use]
pub fn trend(y: &[f64]) -> Option<Trend> {
    let n = y.len();
    if n < 3 {
        return None;
    }
    #[allow(clippy::cast_precision_loss)]
    let nf = n as f64;
    let mut slopes = Vec::with_capacity(n * (n - 1) / 2);
    let mut s = 0.0;
    for i in 0..n {
        let yi = y.get(i).copied().unwrap_or(0.0);
        for j in i + 1..n {
            let yj = y.get(j).copied().unwrap_or(0.0);
            #[allow(clippy::cast_precision_loss)]
            slopes.push((yj - yi) / (j - i) as f64);
            s += sign(yj - yi);
        }
    }
    slopes.sort_by(f64::total_cmp);
    let slope = median_sorted(&slopes);
    let mut sorted = y.to_vec();
    sorted.sort_by(f64::total_cmp);
    let intercept = median_sorted(&sorted) - slope * (nf - 1.0) / 2.0;

    // Ties of y (x = 0..n has none).
    let tie_term: f64 = tie_groups(&sorted)
        .map(|k| k * (k - 1.0) * (2.0 * k + 5.0))
        .sum();
    let var_s = (nf * (nf - 1.0) * (2.0 * nf + 5.0) - tie_term) / 18.0;

    // Sen (1968) eq. 2.6: the interval's ranks in the sorted slopes.
    #[allow(clippy::cast_precision_loss)]
    let nt = slopes.len() as f64;
    let z_half = 1.959_963_984_540_054;
    let sigma = var_s.max(0.0).sqrt();
    let last = slopes.len().saturating_sub(1);
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let (lo, hi) = {
        let ru = ((nt + z_half * sigma) / 2.0).round_ties_even();
        let rl = ((nt - z_half * sigma) / 2.0).round_ties_even() - 1.0;
        (
            (rl.max(0.0) as usize).min(last),
            (ru.max(0.0) as usize).min(last),
        )
    };
    let slope_low = slopes.get(lo).copied().unwrap_or(f64::NAN);
    let slope_high = slopes.get(hi).copied().unwrap_or(f64::NAN);

    // Hamed & Rao: autocorrelation of the ranks of the detrended series.
    #[allow(clippy::cast_precision_loss)]
    let detrended: Vec<f64> = y
        .iter()
        .enumerate()
        .map(|(i, v)| v - (i + 1) as f64 * slope)
        .collect();
    let ranks = average_ranks(&detrended);
    let mean = ranks.iter().sum::<f64>() / nf;
    let c: Vec<f64> = ranks.iter().map(|r| r - mean).collect();
    let c0: f64 = c.iter().map(|v| v * v).sum();
    let bound = z_half / nf.sqrt();
    let mut sum = 0.0;
    if c0 > 0.0 {
        for k in 1..n {
            let ck: f64 = c
                .iter()
                .zip(c.get(k..).unwrap_or(&[]))
                .map(|(a, b)| a * b)
                .sum();
            let rho = ck / c0;
            if rho.abs() > bound {
                #[allow(clippy::cast_precision_loss)]
                let m = (n - k) as f64;
                sum += m * (m - 1.0) * (m - 2.0) * rho;
            }
        }
    }
    let factor = 1.0 + 2.0 / (nf * (nf - 1.0) * (nf - 2.0)) * sum;
    let correction = if factor > 0.0 && factor.is_finite() {
        factor
    } else {
        1.0
    };
    let var = var_s * correction;
    let z = if s == 0.0 || var <= 0.0 {
        0.0
    } else {
        (s - sign(s)) / var.sqrt()
    };
    Some(Trend {
        runs: n,
        slope,
        intercept,
        slope_low,
        slope_high,
        s,
        tau: s / (0.5 * nf * (nf - 1.0)),
        var_s,
        correction,
        z,
        p_value: (2.0 * normal_sf(z.abs())).min(1.0),
    })
}

fn sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        0.0
    }
}

/// Sizes of the groups of equal values in an ascending slice.
fn tie_groups(sorted: &[f64]) -> impl Iterator<Item = f64> + '_ {
    sorted
        .chunk_by(|a, b| a == b)
        .filter(|g| g.len() > 1)
        .map(|g| {
            #[allow(clippy::cast_precision_loss)]
            let k = g.len() as f64;
            k
        })
}

/// Ranks 1..n with ties given their average rank (scipy's `rankdata`, method `average`).
fn average_ranks(v: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..v.len()).collect();
    idx.sort_by(|&a, &b| {
        v.get(a)
            .copied()
            .unwrap_or(0.0)
            .total_cmp(&v.get(b).copied().unwrap_or(0.0))
    });
    let mut ranks = vec![0.0; v.len()];
    let mut i = 0;
    while i < idx.len() {
        let vi = idx.get(i).and_then(|&k| v.get(k)).copied();
        let mut j = i + 1;
        while j < idx.len() && idx.get(j).and_then(|&k| v.get(k)).copied() == vi {
            j += 1;
        }
        #[allow(clippy::cast_precision_loss)]
        let r = (i + j + 1) as f64 / 2.0;
        for &k in idx.get(i..j).unwrap_or(&[]) {
            if let Some(slot) = ranks.get_mut(k) {
                *slot = r;
            }
        }
        i = j;
    }
    ranks
}

fn median_sorted(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let a = sorted.get((n - 1) / 2).copied().unwrap_or(f64::NAN);
    let b = sorted.get(n / 2).copied().unwrap_or(f64::NAN);
    0.5 * (a + b)
}

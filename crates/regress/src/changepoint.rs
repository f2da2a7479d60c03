//! Change points over the whole history: robust PELT, outliers and the
//! candidate at the newest runs.
//!
//! # Method (per metric, on the runs that have a value)
//!
//! 1. **Scale.** Positive series are analysed on the log scale (shifts in
//!    performance data are relative); others as they are.
//! 2. **Noise.** σ̂ = 1.4826 · median |yᵢ₊₁ − yᵢ| / √2 (the MAD of first
//!    differences: a level shift or a spike moves only one or two
//!    differences, so σ̂ ignores them).
//! 3. **Outliers (Hampel filter).** A run is an outlier when it lies more
//!    than 5σ̂ from the median of the 7 runs centred on it. The newest run is
//!    never called an outlier (nothing after it shows whether it reverts),
//!    and the one before only when the newest is back to the level.
//! 4. **Winsorising.** Every value is clipped to its 7-run median ± 4σ̂, so
//!    a spike cannot pull a segment mean.
//! 5. **PELT** (Killick, Fearnhead & Eckley 2012), exact, with the Gaussian
//!    mean-shift cost on the winsorised values in σ̂ units, penalty
//!    β = 4·ln n per change point and a minimum segment of 3 runs: a change
//!    point needs 3 runs on each side, so a lone spike or a shift in the last
//!    1–2 runs is never one. Pruning respects the minimum segment (a
//!    dominated candidate is dropped only once the dominating split is
//!    admissible), so the result is the exact optimum of the penalised cost.
//! 6. **Autocorrelation.** The lag-1 autocorrelation ρ̂ of the residuals
//!    about the segment means is reported; above 0.3 (with ≥ 20 runs) the
//!    detection is redone with the penalty multiplied by (1 + ρ̂)/(1 − ρ̂)
//!    and σ̂ raised to the residuals' robust spread, and the caller warns:
//!    correlated noise makes false change points likely.
//! 7. **Candidate** (decided before step 5). When the last 2 runs both lie
//!    more than 3σ̂ (or the last run alone more than 4σ̂) on the same side of
//!    the median of the up-to-7 runs before them, and the run before them
//!    does not, the first of them is the candidate: a possible shift not yet
//!    confirmed by 3 runs. PELT then runs on the runs before it only, so an
//!    unconfirmed shift never becomes a change point misplaced by a run; it
//!    is confirmed (a change point) or withdrawn as runs arrive.
//!
//! Why PELT and not E-divisive with a permutation test: see `docs/regress.md`
//! (measured F1, false alarms and speed; E-divisive needs O(n²) memory and
//! O(n²·permutations) time, PELT O(n) memory and is deterministic).
//!
//! Cost: O(n) for steps 1–4 and 6–7; PELT is O(n) expected when changes
//! occur throughout, O(n²) worst case on a long stationary stretch (about
//! 0.05 s for 10 000 runs).

/// Settings of the detector.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Detector {
    /// Minimum runs in a segment (≥ 1; default 3).
    pub min_segment: usize,
    /// Penalty per change point, in units of ln n (default 4).
    pub penalty: f64,
    /// Hampel threshold in σ̂ (default 5).
    pub outlier_sigmas: f64,
    /// Winsorising half-width in σ̂ (default 4).
    pub winsor_sigmas: f64,
    /// Lag-1 residual autocorrelation above which the penalty is inflated (default 0.3).
    pub autocorrelation_limit: f64,
}

impl Default for Detector {
    fn default() -> Self {
        Self {
            min_segment: 3,
            penalty: 4.0,
            outlier_sigmas: 5.0,
            winsor_sigmas: 4.0,
            autocorrelation_limit: 0.3,
        }
    }
}

/// What the detector found in one series.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Detection {
    /// Positions of the first run after each change, ascending.
    pub change_points: Vec<usize>,
    /// Positions of single-run spikes.
    pub outliers: Vec<usize>,
    /// Position of the first run of a possible, unconfirmed shift at the end.
    pub candidate: Option<usize>,
    /// σ̂ on the working scale (log when `log_scale`); `None` for fewer than 3 values.
    pub sigma: Option<f64>,
    /// Whether the series was analysed on the log scale.
    pub log_scale: bool,
    /// Lag-1 autocorrelation of the residuals (with ≥ 20 values).
    pub autocorrelation: Option<f64>,
    /// Whether the penalty was inflated for autocorrelation.
    pub penalty_inflated: bool,
}

/// Half-width of the rolling median window (7 runs).
const HALF: usize = 3;

/// Runs the detector on `values` (finite, in time order).
///
/// ```
/// use perfstat_regress::changepoint::{detect, Detector};
/// let mut v: Vec<f64> = (0..60).map(|i| 100.0 + [0.5, -0.3, 0.8, -0.6, 0.1][i % 5]).collect();
/// for x in &mut v[30..] { *x *= 1.3; }   // +30 % from run 30
/// v[10] *= 1.5;                          // a spike
/// let d = detect(&v, &Detector::default());
/// assert_eq!(d.change_points, vec![30]);
/// assert_eq!(d.outliers, vec![10]);
/// ```
#[must_use]
pub fn detect(values: &[f64], det: &Detector) -> Detection {
    let n = values.len();
    let log_scale = n > 0 && values.iter().all(|&v| v > 0.0);
    let mut out = Detection {
        log_scale,
        ..Detection::default()
    };
    if n < 3 {
        return out;
    }
    let y: Vec<f64> = if log_scale {
        values.iter().map(|v| v.ln()).collect()
    } else {
        values.to_vec()
    };
    let Some(sigma) = noise_scale(&y) else {
        // Constant series: no noise, no change.
        out.sigma = Some(0.0);
        return out;
    };
    out.sigma = Some(sigma);
    let med = rolling_median(&y, HALF);
    let deviation = |i: usize| y.get(i).zip(med.get(i)).map_or(0.0, |(a, b)| a - b);

    // Outliers.
    if n >= 5 {
        let limit = det.outlier_sigmas * sigma;
        for i in 0..n - 1 {
            let dev = deviation(i);
            if dev.abs() <= limit {
                continue;
            }
            if i == n - 2 {
                // Only if the newest run is back near the level.
                let next =
                    y.get(n - 1).copied().unwrap_or(0.0) - med.get(i).copied().unwrap_or(0.0);
                if next * dev.signum() > 3.0 * sigma {
                    continue;
                }
            }
            out.outliers.push(i);
        }
    }

    // Candidate at the end: the last 2 runs beyond 3σ̂ (or the last beyond
    // 4σ̂) on one side of the median of the up-to-7 runs before them, the
    // run before them not.
    for (len, k) in [(2usize, 3.0), (1, 4.0)] {
        let Some(first) = n.checked_sub(len) else {
            continue;
        };
        let mut reference: Vec<f64> = (first.saturating_sub(7)..first)
            .filter(|i| out.outliers.binary_search(i).is_err())
            .filter_map(|i| y.get(i).copied())
            .collect();
        if reference.len() < 3 {
            continue;
        }
        reference.sort_by(f64::total_cmp);
        let level = median_sorted(&reference);
        let devs: Vec<f64> = y
            .get(first..)
            .unwrap_or(&[])
            .iter()
            .map(|v| v - level)
            .collect();
        let side = devs.first().copied().unwrap_or(0.0).signum();
        let beyond = |d: f64| d * side > k * sigma;
        let before = y.get(first.wrapping_sub(1)).map_or(0.0, |v| v - level);
        if side != 0.0 && devs.iter().all(|&d| beyond(d)) && !beyond(before) {
            out.candidate = Some(first);
            break;
        }
    }
    // A run that starts the candidate shift is not an outlier.
    if let Some(c) = out.candidate {
        out.outliers.retain(|&i| i < c);
    }
    // Confirmed change points only from the runs before the candidate.
    let settled = out.candidate.unwrap_or(n);

    // Winsorised values in σ units, centred.
    let half_width = det.winsor_sigmas * sigma;
    let w: Vec<f64> = y
        .iter()
        .zip(&med)
        .take(settled)
        .map(|(&v, &m)| v.clamp(m - half_width, m + half_width))
        .collect();
    let mut sorted = w.clone();
    sorted.sort_by(f64::total_cmp);
    let centre = median_sorted(&sorted);
    let z: Vec<f64> = w.iter().map(|v| (v - centre) / sigma).collect();

    #[allow(clippy::cast_precision_loss)]
    let beta = det.penalty * (n as f64).ln().max(1.0);
    let m = det.min_segment.max(1);
    let mut cps = pelt(&z, beta, m);
    if z.len() >= 20 {
        let (rho, spread) = residual_stats(&z, &cps);
        out.autocorrelation = rho;
        if let Some(rho) = rho
            && rho > det.autocorrelation_limit
        {
            let r = rho.min(0.9);
            let inflated = beta * (1.0 + r) / (1.0 - r);
            let scale = spread.max(1.0);
            let z2: Vec<f64> = z.iter().map(|v| v / scale).collect();
            cps = pelt(&z2, inflated, m);
            out.penalty_inflated = true;
        }
    }
    out.change_points = cps;
    out
}

/// σ̂ from the MAD of first differences; falls back to their mean absolute
/// value (× √π/2) when more than half the differences are 0. `None` for a
/// constant series.
fn noise_scale(y: &[f64]) -> Option<f64> {
    let mut d: Vec<f64> = y.windows(2).map(|w| (w[1] - w[0]).abs()).collect();
    if d.is_empty() {
        return None;
    }
    d.sort_by(f64::total_cmp);
    let mad = median_sorted(&d);
    let s = 1.4826 * mad / std::f64::consts::SQRT_2;
    if s > 0.0 && s.is_finite() {
        return Some(s);
    }
    #[allow(clippy::cast_precision_loss)]
    let mean_abs = d.iter().sum::<f64>() / d.len() as f64;
    let s = mean_abs * (std::f64::consts::PI / 2.0).sqrt() / std::f64::consts::SQRT_2;
    (s > 0.0 && s.is_finite()).then_some(s)
}

/// Median of a non-empty ascending slice (NaN for an empty one).
fn median_sorted(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let a = sorted.get((n - 1) / 2).copied().unwrap_or(f64::NAN);
    let b = sorted.get(n / 2).copied().unwrap_or(f64::NAN);
    0.5 * (a + b)
}

/// The median of the window `[i − half, i + half]` (truncated at the ends) for every i.
fn rolling_median(y: &[f64], half: usize) -> Vec<f64> {
    let n = y.len();
    let mut buf = Vec::with_capacity(2 * half + 1);
    (0..n)
        .map(|i| {
            buf.clear();
            buf.extend_from_slice(
                y.get(i.saturating_sub(half)..(i + half + 1).min(n))
                    .unwrap_or(&[]),
            );
            buf.sort_by(f64::total_cmp);
            median_sorted(&buf)
        })
        .collect()
}

/// Lag-1 autocorrelation of the residuals about the segment means (pairs
/// within a segment only) and their robust spread (1.4826·MAD).
fn residual_stats(z: &[f64], cps: &[usize]) -> (Option<f64>, f64) {
    let mut bounds = Vec::with_capacity(cps.len() + 2);
    bounds.push(0);
    bounds.extend_from_slice(cps);
    bounds.push(z.len());
    let mut resid: Vec<f64> = Vec::with_capacity(z.len());
    let (mut num, mut den) = (0.0, 0.0);
    for w in bounds.windows(2) {
        let seg = z.get(w[0]..w[1]).unwrap_or(&[]);
        if seg.is_empty() {
            continue;
        }
        #[allow(clippy::cast_precision_loss)]
        let mean = seg.iter().sum::<f64>() / seg.len() as f64;
        let r: Vec<f64> = seg.iter().map(|v| v - mean).collect();
        den += r.iter().map(|x| x * x).sum::<f64>();
        num += r.windows(2).map(|p| p[0] * p[1]).sum::<f64>();
        resid.extend(r);
    }
    let rho = (den > 0.0).then(|| num / den);
    let mut abs: Vec<f64> = resid.iter().map(|r| r.abs()).collect();
    abs.sort_by(f64::total_cmp);
    (rho, 1.4826 * median_sorted(&abs))
}

/// Exact PELT with the Gaussian mean-shift cost (unit variance), penalty
/// `beta` per change and segments of at least `m` values. Returns the first
/// index of each new segment.
fn pelt(z: &[f64], beta: f64, m: usize) -> Vec<usize> {
    let n = z.len();
    if n < 2 * m {
        return Vec::new();
    }
    let mut s1 = Vec::with_capacity(n + 1);
    let mut s2 = Vec::with_capacity(n + 1);
    let (mut a, mut b) = (0.0, 0.0);
    s1.push(0.0);
    s2.push(0.0);
    for &v in z {
        a += v;
        b += v * v;
        s1.push(a);
        s2.push(b);
    }
    let at = |v: &[f64], i: usize| v.get(i).copied().unwrap_or(0.0);
    // f[t]: optimal penalised cost of z[..t]; f[0] = −β.
    let mut f = vec![f64::INFINITY; n + 1];
    let mut last = vec![0usize; n + 1];
    if let Some(f0) = f.first_mut() {
        *f0 = -beta;
    }
    // Candidate last-change positions, with the first time they may be dropped.
    let mut cand: Vec<usize> = Vec::new();
    let mut cand_f: Vec<f64> = Vec::new();
    let mut cand_s1: Vec<f64> = Vec::new();
    let mut cand_s2: Vec<f64> = Vec::new();
    let mut drop_at: Vec<usize> = Vec::new();
    let mut costs: Vec<f64> = Vec::new();
    for t in m..=n {
        // Drop candidates dominated by a split that is now admissible.
        if drop_at.iter().any(|&d| d <= t) {
            let mut k = 0;
            for j in 0..cand.len() {
                if drop_at.get(j).copied().unwrap_or(usize::MAX) > t {
                    cand.swap(k, j);
                    cand_f.swap(k, j);
                    cand_s1.swap(k, j);
                    cand_s2.swap(k, j);
                    drop_at.swap(k, j);
                    k += 1;
                }
            }
            cand.truncate(k);
            cand_f.truncate(k);
            cand_s1.truncate(k);
            cand_s2.truncate(k);
            drop_at.truncate(k);
        }
        let s_new = t - m;
        if s_new == 0 || (s_new >= m && at(&f, s_new).is_finite()) {
            cand.push(s_new);
            cand_f.push(at(&f, s_new));
            cand_s1.push(at(&s1, s_new));
            cand_s2.push(at(&s2, s_new));
            drop_at.push(usize::MAX);
        }
        let (t1, t2) = (at(&s1, t), at(&s2, t));
        costs.clear();
        costs.extend(
            cand.iter()
                .zip(&cand_f)
                .zip(cand_s1.iter().zip(&cand_s2))
                .map(|((&s, &fs), (&a1, &a2))| {
                    #[allow(clippy::cast_precision_loss)]
                    let len = (t - s) as f64;
                    let d = t1 - a1;
                    fs + (t2 - a2) - d * d / len
                }),
        );
        let mut best = f64::INFINITY;
        let mut arg = 0;
        for (j, &c) in costs.iter().enumerate() {
            if c < best {
                best = c;
                arg = j;
            }
        }
        if let Some(slot) = f.get_mut(t) {
            *slot = best + beta;
        }
        if let Some(slot) = last.get_mut(t) {
            *slot = cand.get(arg).copied().unwrap_or(0);
        }
        let ft = best + beta;
        for (j, &c) in costs.iter().enumerate() {
            // c = F(s) + C(s, t); dominated by t for every T ≥ t + m.
            if c > ft
                && let Some(d) = drop_at.get_mut(j)
                && *d == usize::MAX
            {
                *d = t + m;
            }
        }
    }
    let mut cps = Vec::new();
    let mut t = n;
    while t > 0 {
        let s = at_usize(&last, t);
        if s == 0 {
            break;
        }
        cps.push(s);
        t = s;
    }
    cps.reverse();
    cps
}

fn at_usize(v: &[usize], i: usize) -> usize {
    v.get(i).copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic standard normals (xorshift + Box–Muller).
    fn normals(n: usize, seed: u64) -> Vec<f64> {
        let mut s = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut u = move || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            #[allow(clippy::cast_precision_loss)]
            let x = ((s >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
            x
        };
        (0..n)
            .map(|_| (-2.0 * u().ln()).sqrt() * (2.0 * std::f64::consts::PI * u()).cos())
            .collect()
    }

    fn series(n: usize, shifts: &[(usize, f64)], noise: f64, seed: u64) -> Vec<f64> {
        normals(n, seed)
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let level: f64 = shifts
                    .iter()
                    .filter(|(at, _)| i >= *at)
                    .map(|(_, f)| 1.0 + f)
                    .product();
                100.0 * level * (1.0 + noise * e)
            })
            .collect()
    }

    /// Brute-force optimal partition (O(n²) DP without pruning) to check PELT.
    fn optimal(z: &[f64], beta: f64, m: usize) -> Vec<usize> {
        let n = z.len();
        let cost = |s: usize, t: usize| {
            let seg = &z[s..t];
            let mean = seg.iter().sum::<f64>() / seg.len() as f64;
            seg.iter().map(|v| (v - mean).powi(2)).sum::<f64>()
        };
        let mut f = vec![f64::INFINITY; n + 1];
        let mut last = vec![0; n + 1];
        f[0] = -beta;
        for t in m..=n {
            for s in 0..=t - m {
                if s != 0 && s < m {
                    continue;
                }
                let c = f[s] + cost(s, t) + beta;
                if c < f[t] - 1e-9 {
                    f[t] = c;
                    last[t] = s;
                }
            }
        }
        let mut cps = vec![];
        let mut t = n;
        while last[t] != 0 {
            cps.push(last[t]);
            t = last[t];
        }
        cps.reverse();
        cps
    }

    #[test]
    fn pelt_is_exact() {
        for seed in 0..30 {
            let mut z = normals(60, seed);
            for v in &mut z[20..35] {
                *v += 1.5;
            }
            for beta in [2.0, 5.0, 10.0] {
                assert_eq!(
                    pelt(&z, beta, 3),
                    optimal(&z, beta, 3),
                    "seed {seed} β {beta}"
                );
            }
        }
    }

    #[test]
    fn finds_shifts_ignores_spikes() {
        let mut v = series(120, &[(40, 0.2), (80, -0.15)], 0.02, 7);
        v[60] *= 1.5;
        v[100] *= 1.5;
        let d = detect(&v, &Detector::default());
        assert_eq!(d.change_points, vec![40, 80]);
        assert_eq!(d.outliers, vec![60, 100]);
        assert_eq!(d.candidate, None);
    }

    #[test]
    fn pure_noise_has_no_change_point() {
        let mut false_series = 0;
        for seed in 0..50 {
            let v = series(300, &[], 0.02, seed);
            if !detect(&v, &Detector::default()).change_points.is_empty() {
                false_series += 1;
            }
        }
        assert!(false_series <= 2, "{false_series} of 50");
    }

    #[test]
    fn candidate_at_the_end() {
        let mut v = series(50, &[], 0.02, 3);
        let n = v.len();
        v[n - 1] *= 1.3;
        let d = detect(&v, &Detector::default());
        assert_eq!(d.candidate, Some(n - 1));
        assert!(d.change_points.is_empty());
        v[n - 2] *= 1.3;
        let d = detect(&v, &Detector::default());
        assert_eq!(d.candidate, Some(n - 2));
        assert!(d.outliers.is_empty(), "{:?}", d.outliers);
        // Confirmed by a third run.
        v.push(v[n - 1]);
        let d = detect(&v, &Detector::default());
        assert_eq!(d.change_points, vec![n - 2]);
        assert_eq!(d.candidate, None);
    }

    #[test]
    fn spike_before_last_is_an_outlier_when_it_reverts() {
        let mut v = series(50, &[], 0.02, 4);
        let n = v.len();
        v[n - 2] *= 1.5;
        let d = detect(&v, &Detector::default());
        assert_eq!(d.outliers, vec![n - 2]);
        assert_eq!(d.candidate, None);
    }

    #[test]
    fn short_and_constant_series() {
        assert_eq!(detect(&[], &Detector::default()), Detection::default());
        let d = detect(&[1.0, 2.0], &Detector::default());
        assert!(d.change_points.is_empty());
        let d = detect(&[5.0; 40], &Detector::default());
        assert!(d.change_points.is_empty() && d.outliers.is_empty());
        let mut steps = vec![5.0; 20];
        steps.extend([7.0; 20]);
        let d = detect(&steps, &Detector::default());
        assert_eq!(d.change_points, vec![20]);
    }

    #[test]
    fn autocorrelation_is_measured() {
        let e = normals(400, 9);
        let mut v = Vec::with_capacity(400);
        let mut x = 0.0;
        for z in e {
            x = 0.8 * x + z;
            v.push(100.0 + 2.0 * x);
        }
        let d = detect(&v, &Detector::default());
        assert!(
            d.autocorrelation.is_some_and(|r| r > 0.3),
            "{:?}",
            d.autocorrelation
        );
        assert!(d.penalty_inflated);
    }
}

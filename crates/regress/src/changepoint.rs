//! Change points over the whole history: robust PELT, outliers and the
//! candidate at the newest runs.
//!
//! # Method (per metric, on the runs that have a value)
//!
//! 1. **Scale** ([`Scale`], default auto). Positive series whose smallest
//!    value is at least 1 % of the median are analysed on the log scale
//!    (shifts in performance data are relative); others as they are.
//! 2. **Noise.** σ̂ from the first differences centred at their median (a
//!    linear trend's slope removed): the larger of 1.4826·MAD/√2 and the
//!    90 %-trimmed RMS/√2 (normal-corrected), so a level shift or a spike
//!    (one or two differences) is ignored and ties of a sticky, quantized
//!    series (most differences exactly 0) do not collapse σ̂.
//! 3. **Outliers (Hampel filter).** A run is an outlier when it lies more
//!    than 5σ̂ from the median of the 7 runs centred on it. The newest run is
//!    never called an outlier (nothing after it shows whether it reverts),
//!    and the one before only when the newest is back to the level.
//! 4. **Winsorising.** Every value is clipped to its 7-run median ± 4σ̂, so
//!    a spike cannot pull a segment mean.
//!    **Season** (used by the jump check, 8). A seasonal component of period
//!    p in 2..=min(n/4, 64) is removed from the working values when a one-way
//!    analysis of variance of their first differences by phase t mod p is
//!    significant at 10⁻³ after a Bonferroni correction over the periods
//!    tried (the period with the smallest p-value); the season is the
//!    per-phase medians of the values minus their centred one-period moving
//!    average (`deseasonalise`; [`Detection::period`]). Unremoved, it widens
//!    every 5-run jump, and the jump check drops real shifts. PELT still runs
//!    on the values with their season (a season estimate changes with each
//!    appended run, which would end [`detect_resumable`]'s reuse).
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
//! 8. **Jump check** (after 5–6). A change point of the penalised fit is kept
//!    only when its local jump J_h (mean of the h ≤ 5 runs after minus the h
//!    before) lies more than 4 robust standard deviations (1.4826·MAD) from
//!    the median of J_h over the whole series ([`Detector::jump_sigmas`]).
//!    A trend shifts every J_h alike, a random walk or a season widens their
//!    spread: the staircase a mean-shift model fits to them is ordinary for
//!    the series and is dropped (counted in [`Detection::unconfirmed`]; the
//!    trend is reported as a drift by [`crate::drift`]), while a level shift
//!    stands out. For a Gaussian series of 300 runs (≈ 60 independent
//!    windows of 5) a 4-σ jump occurs by chance with probability ≈ 0.4 %.
//!    Series with fewer than 2h + 30 runs keep the penalised fit.
//! 7. **Candidate** (decided before step 5). When the last 2 runs both lie
//!    more than 3σ̂ (or the last run alone more than 4σ̂) on the same side of
//!    the median of the up-to-7 runs before them, and the run before them
//!    does not, the first of them is the candidate: a possible shift not yet
//!    confirmed by 3 runs. PELT then runs on the runs before it only, so an
//!    unconfirmed shift never becomes a change point misplaced by a run; it
//!    is confirmed (a change point) or withdrawn as runs arrive.
//!
//! **Long series** (≥ [`Detector::block_from`] = 2048 values): σ̂ (step 2),
//! the centre of the working values and the n of the penalty β = 4·ln n are
//! estimated from the first ⌊n/512⌋·512 values only, so they do not move while
//! runs are appended within a block of 512. PELT's state after the values
//! whose winsorised value is final (all but the last 3: their 7-run median is
//! complete) is then a function of data that does not change, and
//! [`detect_resumable`] continues it instead of starting over — exactly,
//! since PELT's state after t values depends only on those t values, β and
//! the minimum segment (checked by a hash of the values, β and m; anything
//! else restarts). Shorter series are unchanged (σ̂ and β from all values).
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
    /// Block size of the estimation prefix for long series (default 512; 0 disables): from
    /// `block_from` values on, σ̂, the centre and the penalty's n are estimated from the first
    /// ⌊n / block⌋·block values only, so they stay the same while runs are appended within a block
    /// and the PELT state can be reused exactly ([`detect_resumable`]).
    pub block: usize,
    /// Series length from which the estimation prefix is blocked (default 2048).
    pub block_from: usize,
    /// Working scale (default [`Scale::Auto`]).
    pub scale: Scale,
    /// A change point is kept only when its local jump stands this many robust standard
    /// deviations out of the series' own local movement (default 4; 0 disables the check).
    pub jump_sigmas: f64,
}

/// The scale the detector works on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Scale {
    /// Log when every value is positive and the smallest is at least 1 % of the median (values
    /// near 0 would dominate on the log scale); linear otherwise.
    #[default]
    Auto,
    /// Natural log (shifts are relative); a series with a value ≤ 0 falls back to linear.
    Log,
    /// The values as they are.
    Linear,
}

impl std::str::FromStr for Scale {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "auto" => Ok(Self::Auto),
            "log" => Ok(Self::Log),
            "linear" => Ok(Self::Linear),
            _ => Err(format!("expected auto, log or linear, found {s:?}")),
        }
    }
}

/// The penalty per change point in units of ln n: a positive number, or `bic` (2: a mean and a
/// location per change, σ̂² units) or `mbic` (3, Zhang & Siegmund 2007 without the segment-length
/// term). The default 4 keeps false change points on 300-run noise under 1 %.
///
/// # Errors
/// Anything else, with what was expected.
pub fn parse_penalty(s: &str) -> Result<f64, String> {
    match s {
        "bic" => Ok(2.0),
        "mbic" => Ok(3.0),
        _ => s
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && *v > 0.0)
            .ok_or_else(|| format!("expected a positive number, bic or mbic, found {s:?}")),
    }
}

impl Scale {
    /// `"auto"`, `"log"` or `"linear"`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Log => "log",
            Self::Linear => "linear",
        }
    }

    /// Whether `values` are analysed on the log scale under this setting.
    #[must_use]
    pub fn uses_log(self, values: &[f64]) -> bool {
        let positive = !values.is_empty() && values.iter().all(|&v| v > 0.0);
        match self {
            Self::Linear => false,
            Self::Log => positive,
            Self::Auto => {
                if !positive {
                    return false;
                }
                let mut sorted = values.to_vec();
                sorted.sort_by(f64::total_cmp);
                let min = sorted.first().copied().unwrap_or(0.0);
                min >= 0.01 * median_sorted(&sorted)
            }
        }
    }
}

impl Default for Detector {
    fn default() -> Self {
        Self {
            min_segment: 3,
            penalty: 4.0,
            outlier_sigmas: 5.0,
            winsor_sigmas: 4.0,
            autocorrelation_limit: 0.3,
            block: 512,
            block_from: 2048,
            scale: Scale::Auto,
            jump_sigmas: 4.0,
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
    /// Change points of the penalised fit that were not confirmed as jumps (their local jump is
    /// ordinary for the series: the steps of a staircase fitted to a trend or a random walk).
    pub unconfirmed: usize,
    /// The period (runs) of a significant seasonal component removed before the jump check
    /// (only looked for when the search found a change point).
    pub period: Option<usize>,
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
    detect_inner(values, det, None)
}

/// [`detect`], reusing and updating the PELT state of an earlier call on a prefix of `values`.
///
/// The result is always exactly [`detect`]'s: the saved state is used only when the values PELT
/// saw before (the working-scale, winsorised values of the runs whose rolling median can no longer
/// change: all but the last 3) hash to the same key with the same penalty and minimum segment,
/// which holds after appending runs to a long series within one estimation block
/// ([`Detector::block`]); otherwise PELT restarts from scratch. [`Resume::reused`] says which.
///
/// ```
/// use perfstat_regress::changepoint::{detect, detect_resumable, Detector, Resume};
/// let det = Detector { block: 32, block_from: 64, ..Detector::default() };
/// let v: Vec<f64> = (0..100).map(|i| 100.0 + ((i * 37) % 11) as f64 * 0.3 + if i >= 50 { 20.0 } else { 0.0 }).collect();
/// let mut resume = Resume::default();
/// let _ = detect_resumable(&v[..99], &det, &mut resume);
/// let d = detect_resumable(&v, &det, &mut resume);
/// assert!(resume.reused());
/// assert_eq!(d, detect(&v, &det));
/// ```
#[must_use]
pub fn detect_resumable(values: &[f64], det: &Detector, resume: &mut Resume) -> Detection {
    detect_inner(values, det, Some(resume))
}

/// How many leading values estimate σ̂, the centre and the penalty's n (see [`Detector::block`]).
fn estimation_len(n: usize, det: &Detector) -> usize {
    if det.block > 0 && n >= det.block_from.max(det.block) {
        n / det.block * det.block
    } else {
        n
    }
}

fn detect_inner(values: &[f64], det: &Detector, mut resume: Option<&mut Resume>) -> Detection {
    if let Some(r) = resume.as_deref_mut() {
        r.reused = false;
    }
    let n = values.len();
    let log_scale = det.scale.uses_log(values);
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
    let est = estimation_len(n, det);
    let Some(sigma) = noise_scale(y.get(..est).unwrap_or(&y)).or_else(|| noise_scale(&y)) else {
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
    // The centre only conditions the sums (the cost ignores a shift); for
    // long series it comes from the estimation prefix so that it is stable.
    let mut sorted = if est < n {
        y.get(..est).unwrap_or(&y).to_vec()
    } else {
        w.clone()
    };
    sorted.sort_by(f64::total_cmp);
    let centre = median_sorted(&sorted);
    let z: Vec<f64> = w.iter().map(|v| (v - centre) / sigma).collect();

    #[allow(clippy::cast_precision_loss)]
    let beta = det.penalty * (est as f64).ln().max(1.0);
    let m = det.min_segment.max(1);
    let b = search_block(n, det);
    let mut cps = search(&z, b, beta, m, resume.map(|r| (r, n.saturating_sub(HALF))));
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
            cps = search(&z2, b, inflated, m, None);
            out.penalty_inflated = true;
        }
    }
    let before = cps.len();
    if det.jump_sigmas > 0.0 && !cps.is_empty() {
        // A significant season is removed before the jump check (it widens every local jump).
        // Not before the search: its estimate changes with every appended run, which would
        // change PELT's input and so end the reuse of its state (`detect_resumable`).
        let adjusted = deseasonalise(&z);
        out.period = adjusted.as_ref().map(|a| a.0);
        cps = confirm_jumps(adjusted.as_ref().map_or(&z, |a| &a.1), cps, det.jump_sigmas);
    }
    out.unconfirmed = before - cps.len();
    out.change_points = cps;
    out
}

/// Nodes of the change-point search of a long series (see [`search_block`]).
const SEARCH_NODES: usize = 1024;

/// Values per block of the change-point search: 1 (every position; exact PELT) below
/// [`Detector::block_from`] runs; from there ⌊estimation length / 1024⌋, so the search runs over
/// about 1 024–2 048 block sums and is fixed while runs are appended within an estimation block.
///
/// Why: with the Gaussian cost PELT prunes a candidate only when a later split beats it, which
/// never happens on a stretch without a change, so its cost is quadratic in the stretch's length
/// (10 000 runs of noise: 5·10⁷ candidate evaluations per metric). Over blocks of b values the
/// same cost is exact for change points on block boundaries (the within-block sum of squares
/// does not depend on the segmentation, so PELT on √b·block means is the optimum restricted to
/// the grid); each change point is then moved to the best position within ±(b − 1) runs
/// between its neighbours ([`refine`]). Segments hold at least 2 blocks (so a history of 10 000
/// runs, b = 9, resolves changes at least 18 runs apart), and the values of an incomplete last
/// block join the last segment until the block is complete.
fn search_block(n: usize, det: &Detector) -> usize {
    if det.block > 0 && n >= det.block_from.max(det.block) {
        (estimation_len(n, det) / SEARCH_NODES).max(1)
    } else {
        1
    }
}

/// PELT over blocks of `b` values of `z` (b = 1: the values), continuing `resume` when given
/// (with the number of stable values), then [`refine`]d.
fn search(
    z: &[f64],
    b: usize,
    beta: f64,
    m: usize,
    resume: Option<(&mut Resume, usize)>,
) -> Vec<usize> {
    if b <= 1 {
        return match resume {
            None => pelt(z, beta, m),
            Some((r, stable)) => r.run(z, stable, beta, m),
        };
    }
    #[allow(clippy::cast_precision_loss)]
    let root = (b as f64).sqrt();
    let blocks: Vec<f64> = z
        .chunks_exact(b)
        .map(|c| c.iter().sum::<f64>() / root)
        .collect();
    // At least 2 blocks per segment: the block that straddles a change is then joined to a side
    // (as its own segment it would pin the change to a block boundary).
    let mb = m.div_ceil(b).max(2);
    let cps: Vec<usize> = match resume {
        None => pelt(&blocks, beta, mb),
        Some((r, stable)) => r.run(&blocks, stable / b, beta, mb),
    }
    .into_iter()
    .map(|c| c * b)
    .collect();
    refine(z, cps, b, m)
}

/// Moves each change point to the split within ±(b − 1) positions that minimises the cost of its
/// two adjacent segments (left to right; segments keep at least `m` values).
fn refine(z: &[f64], mut cps: Vec<usize>, b: usize, m: usize) -> Vec<usize> {
    let n = z.len();
    let sum = range_sum(z);
    // Σ² / len of a segment: the part of its cost that depends on the split.
    #[allow(clippy::cast_precision_loss)]
    let fit = |a: usize, c: usize| {
        let s = sum(a, c);
        if c > a { s * s / (c - a) as f64 } else { 0.0 }
    };
    for i in 0..cps.len() {
        let lo = if i == 0 { 0 } else { at_usize(&cps, i - 1) };
        let hi = cps.get(i + 1).copied().unwrap_or(n);
        let t0 = at_usize(&cps, i);
        let from = t0.saturating_sub(b - 1).max(lo + m);
        let to = (t0 + b - 1).min(hi.saturating_sub(m));
        let mut best = (t0, fit(lo, t0) + fit(t0, hi));
        for t in from..=to {
            let g = fit(lo, t) + fit(t, hi);
            if g > best.1 {
                best = (t, g);
            }
        }
        if let Some(slot) = cps.get_mut(i) {
            *slot = best.0;
        }
    }
    cps
}

/// `sum(a, b)` = z[a] + … + z[b − 1] in O(1), from prefix sums (0 outside the series).
fn range_sum(z: &[f64]) -> impl Fn(usize, usize) -> f64 {
    let mut prefix = Vec::with_capacity(z.len() + 1);
    prefix.push(0.0);
    for &v in z {
        prefix.push(prefix.last().copied().unwrap_or(0.0) + v);
    }
    move |a, b| prefix.get(b).copied().unwrap_or(0.0) - prefix.get(a).copied().unwrap_or(0.0)
}

/// Longest half-window of the local jump statistic.
const JUMP_HALF: usize = 5;

/// Fewest reference positions for the jump check (shorter series keep the penalised fit).
const JUMP_REFERENCE: usize = 30;

/// Keeps the change points whose local jump is extraordinary for the series.
///
/// The local jump at t with half-width h is J_h(t) = mean(z[t..t+h]) − mean(z[t−h..t]). For a
/// change point between segments of lengths a and b, h = min(a, b, 10); the reference is J_h at
/// every position of the series, centred at its median and scaled by 1.4826·MAD (a few real
/// shifts move only 2h positions each, so they do not inflate it). A linear trend moves every
/// J_h by the same slope·h (removed by the median), a random walk or a season widens the MAD:
/// their staircase steps are ordinary and are dropped; a level shift is not. The weakest change
/// point below `k` is dropped and the others re-scored (their segments grew) until all pass.
fn confirm_jumps(z: &[f64], mut cps: Vec<usize>, k: f64) -> Vec<usize> {
    let n = z.len();
    if cps.is_empty() || n < 4 {
        return cps;
    }
    let sum = range_sum(z);
    #[allow(clippy::cast_precision_loss)]
    let jump = |t: usize, h: usize| (sum(t, t + h) - sum(t - h, t)) / h as f64;
    // (centre, scale) of J_h over the series, computed once per h.
    let mut reference: Vec<Option<(f64, f64)>> = vec![None; JUMP_HALF + 1];
    let mut stats = |h: usize| -> Option<(f64, f64)> {
        if let Some(Some(r)) = reference.get(h) {
            return Some(*r);
        }
        if n < 2 * h + JUMP_REFERENCE {
            return None;
        }
        let mut j: Vec<f64> = (h..=n - h).map(|t| jump(t, h)).collect();
        j.sort_by(f64::total_cmp);
        let centre = median_sorted(&j);
        let mut dev: Vec<f64> = j.iter().map(|v| (v - centre).abs()).collect();
        dev.sort_by(f64::total_cmp);
        let r = (centre, 1.4826 * median_sorted(&dev));
        if let Some(slot) = reference.get_mut(h) {
            *slot = Some(r);
        }
        Some(r)
    };
    loop {
        let scores: Vec<f64> = (0..cps.len())
            .map(|i| {
                let lo = if i == 0 { 0 } else { at_usize(&cps, i - 1) };
                let hi = cps.get(i + 1).copied().unwrap_or(n);
                let t = at_usize(&cps, i);
                let h = (t - lo).min(hi - t).min(JUMP_HALF);
                let Some((centre, scale)) = (h > 0).then(|| stats(h)).flatten() else {
                    return f64::INFINITY;
                };
                let dev = (jump(t, h) - centre).abs();
                if scale > 0.0 {
                    dev / scale
                } else if dev > 0.0 {
                    f64::INFINITY
                } else {
                    0.0
                }
            })
            .collect();
        // Drop each failing change point that is no stronger than its neighbours (so a run of
        // failing ones is thinned from its weakest, and the rest re-scored on longer segments).
        let score = |i: Option<usize>| i.and_then(|i| scores.get(i)).copied();
        let drop: Vec<bool> = (0..cps.len())
            .map(|i| {
                let s = score(Some(i)).unwrap_or(f64::INFINITY);
                s < k
                    && score(i.checked_sub(1)).is_none_or(|p| s <= p)
                    && score(Some(i + 1)).is_none_or(|q| s < q)
            })
            .collect();
        if !drop.contains(&true) {
            return cps;
        }
        let mut flags = drop.iter();
        cps.retain(|_| !flags.next().copied().unwrap_or(false));
    }
}

/// Longest period tried by [`deseasonalise`] (a quarter of the series at most).
const SEASON_MAX: usize = 64;

/// Family-wise level of the season test over all candidate periods.
const SEASON_ALPHA: f64 = 1e-3;

/// A seasonal component of `z`, when one is significant: `(period, z − season)`.
///
/// The test and the estimate work on the first differences dₜ = zₜ₊₁ − zₜ (a level shift moves
/// one of them, a trend only their centre, a random walk's are independent), winsorised at 4
/// robust SDs from their median (spikes). For each period p in 2..=min(n/4, 64) a one-way
/// analysis of variance of dₜ grouped by phase t mod p gives F = (SSB/(p−1))/(SSW/(N−p)) and its
/// p-value from F(p−1, N−p); the differences of white noise are independent within a phase
/// (they share no value for p ≥ 2), so the test holds on noise, trends and random walks alike.
/// The period with the smallest p-value is kept when that p-value is below 10⁻³ divided by the
/// number of periods tried (Bonferroni). The season s_φ is then the per-phase median of z minus
/// its centred moving average over one period (robust to shifts and spikes, which move only the
/// p positions around them; not a sum of per-phase differences, whose errors would add up),
/// centred; z − s_{t mod p} is returned.
fn deseasonalise(z: &[f64]) -> Option<(usize, Vec<f64>)> {
    let n = z.len();
    let top = (n / 4).min(SEASON_MAX);
    if top < 2 {
        return None;
    }
    let mut d: Vec<f64> = z.windows(2).map(|w| w[1] - w[0]).collect();
    let mut sorted = d.clone();
    sorted.sort_by(f64::total_cmp);
    let centre = median_sorted(&sorted);
    let mut dev: Vec<f64> = sorted.iter().map(|v| (v - centre).abs()).collect();
    dev.sort_by(f64::total_cmp);
    let limit = 4.0 * 1.4826 * median_sorted(&dev);
    if limit.is_nan() || limit <= 0.0 {
        return None;
    }
    for v in &mut d {
        *v = v.clamp(centre - limit, centre + limit);
    }
    let len = d.len();
    #[allow(clippy::cast_precision_loss)]
    let mean = d.iter().sum::<f64>() / len as f64;
    let total: f64 = d.iter().map(|v| (v - mean) * (v - mean)).sum();
    let mut best: Option<(usize, f64)> = None;
    let mut sums = vec![0.0; top];
    let mut counts = vec![0usize; top];
    for p in 2..=top {
        sums.iter_mut().for_each(|s| *s = 0.0);
        counts.iter_mut().for_each(|c| *c = 0);
        // t mod p by a wrapping counter (a division per value is most of the cost).
        let mut phase = 0;
        for v in &d {
            if let (Some(s), Some(c)) = (sums.get_mut(phase), counts.get_mut(phase)) {
                *s += v;
                *c += 1;
            }
            phase += 1;
            if phase == p {
                phase = 0;
            }
        }
        #[allow(clippy::cast_precision_loss)]
        let between: f64 = sums
            .iter()
            .zip(&counts)
            .take(p)
            .filter(|(_, c)| **c > 0)
            .map(|(s, &c)| {
                let m = s / c as f64 - mean;
                c as f64 * m * m
            })
            .sum();
        let within = total - between;
        if len <= p || within.is_nan() || within <= 0.0 {
            continue;
        }
        #[allow(clippy::cast_precision_loss)]
        let (d1, d2) = ((p - 1) as f64, (len - p) as f64);
        let f = (between / d1) / (within / d2);
        // P(F(d1, d2) > f) = I_{d2/(d2 + d1·f)}(d2/2, d1/2).
        let pv = perfstat_stats::dist::beta_reg(0.5 * d2, 0.5 * d1, d2 / (d2 + d1 * f));
        if pv.is_finite() && best.is_none_or(|(_, b)| pv < b) {
            best = Some((p, pv));
        }
    }
    #[allow(clippy::cast_precision_loss)]
    let bar = SEASON_ALPHA / (top - 1) as f64;
    let (p, pv) = best?;
    if pv >= bar {
        return None;
    }
    // The level: a centred moving average over one period (2×p with half weights at the ends
    // for an even p), which removes the season exactly; the season: per-phase medians of z
    // minus that level (a shift or a spike moves only the p positions around it).
    let half = p / 2;
    let sum = range_sum(z);
    let mut by_phase: Vec<Vec<f64>> = vec![Vec::new(); p];
    for t in half..n.saturating_sub(half) {
        #[allow(clippy::cast_precision_loss)]
        let level = if p % 2 == 1 {
            sum(t - half, t + half + 1) / p as f64
        } else {
            let ends =
                z.get(t - half).copied().unwrap_or(0.0) + z.get(t + half).copied().unwrap_or(0.0);
            (sum(t - half, t + half + 1) - 0.5 * ends) / p as f64
        };
        if let (Some(slot), Some(v)) = (by_phase.get_mut(t % p), z.get(t)) {
            slot.push(v - level);
        }
    }
    let mut season: Vec<f64> = by_phase
        .iter_mut()
        .map(|v| {
            v.sort_by(f64::total_cmp);
            if v.is_empty() { 0.0 } else { median_sorted(v) }
        })
        .collect();
    #[allow(clippy::cast_precision_loss)]
    let level = season.iter().sum::<f64>() / p as f64;
    season.iter_mut().for_each(|v| *v -= level);
    let adjusted = z
        .iter()
        .enumerate()
        .map(|(t, v)| v - season.get(t % p).copied().unwrap_or(0.0))
        .collect();
    Some((p, adjusted))
}

/// σ̂ from the first differences dᵢ = yᵢ₊₁ − yᵢ, centred at their median (which removes a linear
/// trend's slope): the larger of 1.4826·MAD/√2 and the 90 %-trimmed root mean square of the
/// centred |dᵢ| (corrected to a normal's σ: E[d² | |d| ≤ q₀.₉] = 0.6230·σ_d²) over √2. The MAD
/// ignores the few differences a shift or a spike moves but collapses on sticky, quantized series
/// (most differences exactly 0); the trimmed RMS does not (ties count with their size) and is as
/// robust to up to 10 % of moved differences. `None` for a constant series.
fn noise_scale(y: &[f64]) -> Option<f64> {
    let mut d: Vec<f64> = y.windows(2).map(|w| w[1] - w[0]).collect();
    if d.is_empty() {
        return None;
    }
    d.sort_by(f64::total_cmp);
    let centre = median_sorted(&d);
    let mut a: Vec<f64> = d.iter().map(|v| (v - centre).abs()).collect();
    a.sort_by(f64::total_cmp);
    let mad = 1.4826 * median_sorted(&a) / std::f64::consts::SQRT_2;
    #[allow(
        clippy::cast_precision_loss,
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss
    )]
    let keep = ((a.len() as f64 * 0.9).floor() as usize).max(1);
    let kept = a.get(..keep).unwrap_or(&a);
    #[allow(clippy::cast_precision_loss)]
    let ms = kept.iter().map(|v| v * v).sum::<f64>() / kept.len() as f64;
    let trimmed = (ms / 0.6230).sqrt() / std::f64::consts::SQRT_2;
    let s = mad.max(trimmed);
    if s > 0.0 && s.is_finite() {
        return Some(s);
    }
    // Over 90 % of the differences equal: their mean absolute deviation.
    #[allow(clippy::cast_precision_loss)]
    let mean_abs = a.iter().sum::<f64>() / a.len() as f64;
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
    let mut p = Pelt::new(beta, m);
    for &v in z {
        p.push(v);
    }
    p.change_points()
}

/// The state of exact PELT after the values pushed so far: it can be saved
/// and continued with more values, giving exactly what one pass would.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Pelt {
    beta: f64,
    m: usize,
    /// f[t]: optimal penalised cost of z[..t]; f[0] = −β. Entries older than
    /// the last m + 1 are never read again (NaN after loading a saved state).
    f: Vec<f64>,
    /// Prefix sums of z and z² (same rule).
    s1: Vec<f64>,
    s2: Vec<f64>,
    /// Optimal last change before t, for back-tracking.
    last: Vec<usize>,
    /// Candidate last-change positions, with the first time they may be dropped.
    cand: Vec<usize>,
    cand_f: Vec<f64>,
    cand_s1: Vec<f64>,
    cand_s2: Vec<f64>,
    drop_at: Vec<usize>,
    costs: Vec<f64>,
}

impl Pelt {
    fn new(beta: f64, m: usize) -> Self {
        Self {
            beta,
            m,
            f: vec![-beta],
            s1: vec![0.0],
            s2: vec![0.0],
            last: vec![0],
            cand: Vec::new(),
            cand_f: Vec::new(),
            cand_s1: Vec::new(),
            cand_s2: Vec::new(),
            drop_at: Vec::new(),
            costs: Vec::new(),
        }
    }

    /// Values pushed so far.
    fn len(&self) -> usize {
        self.f.len() - 1
    }

    fn push(&mut self, v: f64) {
        let at = |v: &[f64], i: usize| v.get(i).copied().unwrap_or(0.0);
        let (a, b) = (at(&self.s1, self.len()), at(&self.s2, self.len()));
        self.s1.push(a + v);
        self.s2.push(b + v * v);
        self.f.push(f64::INFINITY);
        self.last.push(0);
        let t = self.len();
        let (m, beta) = (self.m, self.beta);
        if t < m {
            return;
        }
        // Drop candidates dominated by a split that is now admissible.
        if self.drop_at.iter().any(|&d| d <= t) {
            let mut k = 0;
            for j in 0..self.cand.len() {
                if self.drop_at.get(j).copied().unwrap_or(usize::MAX) > t {
                    self.cand.swap(k, j);
                    self.cand_f.swap(k, j);
                    self.cand_s1.swap(k, j);
                    self.cand_s2.swap(k, j);
                    self.drop_at.swap(k, j);
                    k += 1;
                }
            }
            self.cand.truncate(k);
            self.cand_f.truncate(k);
            self.cand_s1.truncate(k);
            self.cand_s2.truncate(k);
            self.drop_at.truncate(k);
        }
        let s_new = t - m;
        if s_new == 0 || (s_new >= m && at(&self.f, s_new).is_finite()) {
            self.cand.push(s_new);
            self.cand_f.push(at(&self.f, s_new));
            self.cand_s1.push(at(&self.s1, s_new));
            self.cand_s2.push(at(&self.s2, s_new));
            self.drop_at.push(usize::MAX);
        }
        let (t1, t2) = (at(&self.s1, t), at(&self.s2, t));
        self.costs.clear();
        self.costs.extend(
            self.cand
                .iter()
                .zip(&self.cand_f)
                .zip(self.cand_s1.iter().zip(&self.cand_s2))
                .map(|((&s, &fs), (&a1, &a2))| {
                    #[allow(clippy::cast_precision_loss)]
                    let len = (t - s) as f64;
                    let d = t1 - a1;
                    fs + (t2 - a2) - d * d / len
                }),
        );
        let mut best = f64::INFINITY;
        let mut arg = 0;
        for (j, &c) in self.costs.iter().enumerate() {
            if c < best {
                best = c;
                arg = j;
            }
        }
        if let Some(slot) = self.f.get_mut(t) {
            *slot = best + beta;
        }
        if let Some(slot) = self.last.get_mut(t) {
            *slot = self.cand.get(arg).copied().unwrap_or(0);
        }
        let ft = best + beta;
        for (j, &c) in self.costs.iter().enumerate() {
            // c = F(s) + C(s, t); dominated by t for every T ≥ t + m.
            if c > ft
                && let Some(d) = self.drop_at.get_mut(j)
                && *d == usize::MAX
            {
                *d = t + m;
            }
        }
    }

    /// The optimal segmentation of the values pushed so far.
    fn change_points(&self) -> Vec<usize> {
        let n = self.len();
        if n < 2 * self.m {
            return Vec::new();
        }
        let mut cps = Vec::new();
        let mut t = n;
        while t > 0 {
            let s = at_usize(&self.last, t);
            if s == 0 || s >= t {
                break;
            }
            cps.push(s);
            t = s;
        }
        cps.reverse();
        cps
    }
}

/// Saved PELT work for one series, for [`detect_resumable`]; empty by
/// default. Saved and loaded with [`Resume::write_to`] and [`Resume::read_from`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Resume {
    /// Hash of the values the state has seen, with β and m.
    key: u64,
    state: Option<Pelt>,
    reused: bool,
}

/// FNV-1a over 64-bit words: stable across Rust versions and platforms.
fn fnv(mut h: u64, word: u64) -> u64 {
    for byte in word.to_le_bytes() {
        h ^= u64::from(byte);
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    h
}

const FNV_START: u64 = 0xCBF2_9CE4_8422_2325;

fn key_of(z: &[f64], beta: f64, m: usize) -> u64 {
    let h = fnv(fnv(FNV_START, beta.to_bits()), m as u64);
    z.iter().fold(h, |h, v| fnv(h, v.to_bits()))
}

impl Resume {
    /// Whether the last [`detect_resumable`] call continued a saved state
    /// (instead of running PELT from the first value).
    #[must_use]
    pub fn reused(&self) -> bool {
        self.reused
    }

    /// Values covered by the saved state (0 when there is none).
    #[must_use]
    pub fn len(&self) -> usize {
        self.state.as_ref().map_or(0, Pelt::len)
    }

    /// Whether there is no saved state.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.state.is_none()
    }

    /// PELT on `z`, continuing the saved state when it was computed on
    /// `z[..len]` with the same β and m; saves the state after `z[..stable]`.
    fn run(&mut self, z: &[f64], stable: usize, beta: f64, m: usize) -> Vec<usize> {
        let stable = stable.min(z.len());
        let saved = self.state.take().filter(|p| {
            p.len() <= stable
                && p.m == m
                && p.beta.to_bits() == beta.to_bits()
                && z.get(..p.len())
                    .is_some_and(|prefix| key_of(prefix, beta, m) == self.key)
        });
        self.reused = saved.is_some();
        let mut p = saved.unwrap_or_else(|| Pelt::new(beta, m));
        for &v in z.get(p.len()..stable).unwrap_or(&[]) {
            p.push(v);
        }
        self.key = key_of(z.get(..stable).unwrap_or(z), beta, m);
        self.state = Some(p.clone());
        for &v in z.get(stable..).unwrap_or(&[]) {
            p.push(v);
        }
        p.change_points()
    }

    /// Writes the saved state (little-endian binary; see [`Resume::read_from`]).
    ///
    /// # Errors
    /// Any I/O error of `w`.
    pub fn write_to(&self, w: &mut impl std::io::Write) -> std::io::Result<()> {
        let u = |w: &mut dyn std::io::Write, x: u64| w.write_all(&x.to_le_bytes());
        let Some(p) = &self.state else {
            return u(w, 0);
        };
        u(w, 1)?;
        u(w, self.key)?;
        u(w, p.beta.to_bits())?;
        u(w, p.m as u64)?;
        let n = p.len();
        u(w, n as u64)?;
        // f, s1, s2 from position n − m (never read before it).
        let from = n.saturating_sub(p.m);
        for i in from..=n {
            for v in [&p.f, &p.s1, &p.s2] {
                u(w, v.get(i).copied().unwrap_or(f64::NAN).to_bits())?;
            }
        }
        for i in 1..=n {
            u(w, at_usize(&p.last, i) as u64)?;
        }
        u(w, p.cand.len() as u64)?;
        for j in 0..p.cand.len() {
            u(w, p.cand.get(j).copied().unwrap_or(0) as u64)?;
            for v in [&p.cand_f, &p.cand_s1, &p.cand_s2] {
                u(w, v.get(j).copied().unwrap_or(f64::NAN).to_bits())?;
            }
            u(w, p.drop_at.get(j).copied().unwrap_or(usize::MAX) as u64)?;
        }
        Ok(())
    }

    /// Reads a state written by [`Resume::write_to`].
    ///
    /// # Errors
    /// An I/O error, or [`std::io::ErrorKind::InvalidData`] for a malformed state.
    pub fn read_from(r: &mut impl std::io::Read) -> std::io::Result<Self> {
        let mut word = [0u8; 8];
        let mut u = |r: &mut dyn std::io::Read| -> std::io::Result<u64> {
            r.read_exact(&mut word)?;
            Ok(u64::from_le_bytes(word))
        };
        let bad =
            |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_owned());
        let size = |x: u64| usize::try_from(x).map_err(|_| bad("size out of range"));
        match u(r)? {
            0 => return Ok(Self::default()),
            1 => {}
            _ => return Err(bad("unknown state tag")),
        }
        let key = u(r)?;
        let beta = f64::from_bits(u(r)?);
        let m = size(u(r)?)?;
        let n = size(u(r)?)?;
        if m == 0 || n > 1 << 40 {
            return Err(bad("bad PELT sizes"));
        }
        // Nothing is allocated for sizes the file claims before the file has shown that it holds
        // them: a corrupt `n` or `m` ends in an error at the end of the file, not in an
        // allocation that aborts the process.
        let from = n.saturating_sub(m);
        let mut tail = Vec::new();
        for _ in from..=n {
            tail.push([u(r)?, u(r)?, u(r)?].map(f64::from_bits));
        }
        let mut last = vec![0usize];
        for _ in 0..n {
            last.push(size(u(r)?)?);
        }
        let mut f = vec![f64::NAN; n + 1];
        let mut s1 = vec![f64::NAN; n + 1];
        let mut s2 = vec![f64::NAN; n + 1];
        for (i, [a, b, c]) in (from..=n).zip(tail) {
            (f[i], s1[i], s2[i]) = (a, b, c);
        }
        let k = size(u(r)?)?;
        if k > n + 1 {
            return Err(bad("more candidates than values"));
        }
        let mut p = Pelt::new(beta, m);
        p.f = f;
        p.s1 = s1;
        p.s2 = s2;
        p.last = last;
        for _ in 0..k {
            p.cand.push(size(u(r)?)?);
            p.cand_f.push(f64::from_bits(u(r)?));
            p.cand_s1.push(f64::from_bits(u(r)?));
            p.cand_s2.push(f64::from_bits(u(r)?));
            let d = u(r)?;
            p.drop_at.push(usize::try_from(d).unwrap_or(usize::MAX));
        }
        Ok(Self {
            key,
            state: Some(p),
            reused: false,
        })
    }
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
    fn trends_and_random_walks_are_no_staircase() {
        for seed in 0..10 {
            let e = normals(200, seed);
            // A linear trend: +80 % over 200 runs, 1 % noise.
            let trend: Vec<f64> = e
                .iter()
                .enumerate()
                .map(|(i, z)| 100.0 * (1.0 + 0.004 * i as f64) * (1.0 + 0.01 * z))
                .collect();
            let d = detect(&trend, &Detector::default());
            assert!(
                d.change_points.is_empty(),
                "trend {seed}: {:?}",
                d.change_points
            );
            assert!(d.unconfirmed > 0 || d.change_points.is_empty());
            // A random walk on the log scale.
            let mut x = 0.0;
            let walk: Vec<f64> = e
                .iter()
                .map(|z| {
                    x += 0.02 * z;
                    100.0 * f64::exp(x)
                })
                .collect();
            let d = detect(&walk, &Detector::default());
            assert!(
                d.change_points.is_empty(),
                "walk {seed}: {:?}",
                d.change_points
            );
        }
    }

    #[test]
    fn seasonal_series_keep_their_shifts() {
        let mut found = 0;
        for seed in 0..10 {
            let e = normals(300, 40 + seed);
            // A 12-run season of ±4 %, 2 % noise, +8 % from run 150.
            let season = |i: usize| 0.04 * (std::f64::consts::TAU * i as f64 / 12.0).sin();
            let v: Vec<f64> = e
                .iter()
                .enumerate()
                .map(|(i, z)| {
                    let level = if i < 150 { 100.0 } else { 108.0 };
                    level * (1.0 + season(i) + 0.02 * z)
                })
                .collect();
            let d = detect(&v, &Detector::default());
            assert_eq!(d.period, Some(12), "seed {seed}");
            found += usize::from(
                d.change_points.len() == 1 && d.change_points.iter().all(|c| c.abs_diff(150) <= 2),
            );
            let flat: Vec<f64> = e
                .iter()
                .enumerate()
                .map(|(i, z)| 100.0 * (1.0 + season(i) + 0.02 * z))
                .collect();
            let d = detect(&flat, &Detector::default());
            assert!(
                d.change_points.is_empty(),
                "seed {seed}: {:?}",
                d.change_points
            );
        }
        // The 2 misses (seeds 5, 6): PELT finds the change, but its 5-run jump on the
        // deseasonalised values is not 4 robust SDs beyond the others' (counted unconfirmed).
        assert!(found >= 8, "{found} of 10");
    }

    #[test]
    fn sticky_quantized_series() {
        // Integer timer values, most differences exactly 0, one real shift from 5 to 8.
        let e = normals(240, 11);
        let v: Vec<f64> = e
            .iter()
            .enumerate()
            .map(|(i, z)| (if i < 120 { 5.0 } else { 8.0 } + 0.3 * z).round())
            .collect();
        let zeros = v.windows(2).filter(|w| w[0] == w[1]).count();
        assert!(zeros > 100, "{zeros}");
        let d = detect(&v, &Detector::default());
        assert_eq!(d.change_points, vec![120]);
        let flat: Vec<f64> = e.iter().map(|z| (5.0 + 0.3 * z).round()).collect();
        assert!(detect(&flat, &Detector::default()).change_points.is_empty());
    }

    #[test]
    fn scale_choice() {
        assert!(Scale::Auto.uses_log(&[1.0, 2.0, 3.0]));
        assert!(!Scale::Auto.uses_log(&[0.001, 2.0, 3.0]));
        assert!(!Scale::Auto.uses_log(&[0.0, 2.0, 3.0]));
        assert!(Scale::Log.uses_log(&[0.001, 2.0, 3.0]));
        assert!(!Scale::Log.uses_log(&[-1.0, 2.0]));
        assert!(!Scale::Linear.uses_log(&[1.0, 2.0]));
        let d = detect(
            &[10.0, 11.0, 10.0, 11.0],
            &Detector {
                scale: Scale::Linear,
                ..Detector::default()
            },
        );
        assert!(!d.log_scale);
    }

    #[test]
    fn long_series_search_over_blocks_finds_exact_positions() {
        // 4 096 runs: blocks of 4; shifts of +20 % every 400 runs, off the block grid.
        let shifts: Vec<(usize, f64)> = (1..10)
            .map(|k| (k * 400 + 1, if k % 2 == 1 { 0.2 } else { -1.0 / 6.0 }))
            .collect();
        let v = series(4096, &shifts, 0.02, 5);
        assert_eq!(search_block(v.len(), &Detector::default()), 4);
        let d = detect(&v, &Detector::default());
        let want: Vec<usize> = shifts.iter().map(|s| s.0).collect();
        assert_eq!(d.change_points, want);
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

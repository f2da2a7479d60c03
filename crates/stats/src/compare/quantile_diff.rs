//! Differences of quantiles (median, p95, p99) with bootstrap intervals,
//! resampled through the distribution of order statistics.
//!
//! # Method
//!
//! A bootstrap resample of n values drawn with replacement from the sorted
//! sample x₍₀₎ ≤ … ≤ x₍ₙ₋₁₎ picks index ⌊n·Vᵢ⌋ for n iid uniforms Vᵢ. Both
//! maps are monotone, so the r-th order statistic of the resample (0-based)
//! is exactly x₍⌊n·V₍ᵣ₊₁₎⌋₎, where V₍ᵣ₊₁₎ ~ Beta(r + 1, n − r) is the
//! (r + 1)-th uniform order statistic. Several ranks r₁ < r₂ < … of one
//! resample are drawn jointly and exactly by the Markov property of uniform
//! order statistics: given V₍ₘ₎ = u, the next needed one is
//! V₍ᵣ₊₁₎ = u + (1 − u)·Beta(r + 1 − m, n − r). A type-7 quantile needs the
//! ranks ⌊(n − 1)p⌋ and ⌊(n − 1)p⌋ + 1 (the latter through Beta(1, ·),
//! sampled in closed form). So each resample costs O(k) beta draws for k
//! quantiles instead of O(n) index draws plus a selection: the bootstrap
//! distribution is **identical** to naive resampling (tested against it on a
//! small case), at O(n log n) (the sort, already done by [`Sample`]) +
//! O(B·k) time and O(B·k) memory — 10 000 resamples of 3 quantiles of two
//! 5-million-row samples take milliseconds.
//!
//! Beta variates are X/(X + Y) of two gamma variates (Marsaglia & Tsang
//! 2000, shape ≥ 1 always holds here), Beta(1, β) as −expm1(ln U / β);
//! normals by Box–Muller; uniforms from the top 53 bits of PCG-64 output.
//!
//! # Interval
//!
//! Percentile interval (type-7 quantiles of the B replicates of
//! q_t* − q_c* at α/2 and 1 − α/2). BCa is not used: its acceleration comes
//! from a jackknife, which is inconsistent for quantiles (Efron & Tibshirani
//! 1993, §11.6).
//!
//! # Reproducibility
//!
//! Resample i draws from its own stream `Pcg64::new(seed, i)` (as
//! [`crate::bootstrap`]), control first, then treatment: the result is
//! bit-identical for any rayon thread count.

use super::Pair;
use crate::quantile::{QuantileMethod, quantile_sorted};
use crate::{Confidence, Estimate, Sample, Stat, Undefined};
use rand::Rng;
use rand_pcg::Pcg64;
use rayon::prelude::*;

/// Bootstrap settings of the quantile differences.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuantileBootstrap {
    /// Seed of the per-resample PCG-64 streams.
    pub seed: u64,
    /// Number of resamples B (at least 2; default 10 000).
    pub resamples: usize,
}

impl Default for QuantileBootstrap {
    fn default() -> Self {
        Self {
            seed: 0,
            resamples: 10_000,
        }
    }
}

/// quantile_p(treatment) − quantile_p(control) with its bootstrap interval.
#[derive(Clone, Debug, PartialEq)]
pub struct QuantileDifference {
    /// The quantile level p (0.5 for the median).
    pub p: f64,
    /// Type-7 p-quantile of the control sample.
    pub control: f64,
    /// Type-7 p-quantile of the treatment sample.
    pub treatment: f64,
    /// treatment − control, with the percentile bootstrap interval.
    pub difference: Estimate,
    /// (treatment − control)/control with the percentile bootstrap interval
    /// of the replicate ratios q_t*/q_c* − 1; undefined when the control
    /// quantile or a replicate of it is 0.
    pub relative: Stat<Estimate>,
    /// Standard deviation (ddof = 1) of the difference replicates.
    pub std_error: f64,
    /// Number of resamples.
    pub resamples: usize,
}

/// The bootstrap replicates of the p-quantiles of both samples.
#[derive(Clone, Debug, PartialEq)]
pub struct QuantileReplicates {
    /// The quantile level p.
    pub p: f64,
    /// Type-7 p-quantile of the control sample.
    pub control: f64,
    /// Type-7 p-quantile of the treatment sample.
    pub treatment: f64,
    /// Replicates of the control quantile, resample by resample.
    pub control_replicates: Vec<f64>,
    /// Replicates of the treatment quantile, resample by resample.
    pub treatment_replicates: Vec<f64>,
}

impl QuantileReplicates {
    /// The difference (absolute and relative) with percentile intervals at
    /// `confidence`.
    ///
    /// # Undefined
    /// `TooFew` for fewer than 2 replicates; `OutOfRange` for non-finite ones.
    pub fn difference(&self, confidence: Confidence) -> Stat<QuantileDifference> {
        let b = self.control_replicates.len();
        if b < 2 || self.treatment_replicates.len() != b {
            return Err(Undefined::TooFew { need: 2, got: b });
        }
        let diffs: Vec<f64> = self
            .treatment_replicates
            .iter()
            .zip(&self.control_replicates)
            .map(|(t, c)| t - c)
            .collect();
        let estimate = self.treatment - self.control;
        let bf = b as f64;
        let mean = diffs.iter().sum::<f64>() / bf;
        let std_error =
            (diffs.iter().map(|d| (d - mean) * (d - mean)).sum::<f64>() / (bf - 1.0)).sqrt();
        let difference = percentile_interval(diffs, estimate, confidence)?;
        Ok(QuantileDifference {
            p: self.p,
            control: self.control,
            treatment: self.treatment,
            difference,
            relative: self.relative(confidence),
            std_error,
            resamples: b,
        })
    }

    /// (q_t − q_c)/q_c with the percentile interval of q_t*/q_c* − 1 at
    /// `confidence`.
    ///
    /// # Undefined
    /// `OutOfRange` when the control quantile or one of its replicates is 0;
    /// `TooFew` for fewer than 2 replicates.
    pub fn relative(&self, confidence: Confidence) -> Stat<Estimate> {
        if self.control == 0.0 || self.control_replicates.contains(&0.0) {
            return Err(Undefined::OutOfRange);
        }
        let b = self.control_replicates.len();
        if b < 2 || self.treatment_replicates.len() != b {
            return Err(Undefined::TooFew { need: 2, got: b });
        }
        let ratios: Vec<f64> = self
            .treatment_replicates
            .iter()
            .zip(&self.control_replicates)
            .map(|(t, c)| t / c - 1.0)
            .collect();
        percentile_interval(ratios, self.treatment / self.control - 1.0, confidence)
    }
}

/// Type-7 α/2 and 1 − α/2 quantiles of the replicates around `estimate`.
fn percentile_interval(
    mut replicates: Vec<f64>,
    estimate: f64,
    confidence: Confidence,
) -> Stat<Estimate> {
    if !estimate.is_finite() || replicates.iter().any(|r| !r.is_finite()) {
        return Err(Undefined::OutOfRange);
    }
    replicates.sort_unstable_by(f64::total_cmp);
    let tail = confidence.tail();
    Ok(Estimate {
        estimate,
        lower: quantile_sorted(&replicates, tail, QuantileMethod::Linear),
        upper: quantile_sorted(&replicates, 1.0 - tail, QuantileMethod::Linear),
    })
}

/// Bootstrap replicates of the type-7 quantiles at each level of `ps` for both
/// samples (see the module documentation for the method).
///
/// - Time: O(B·k) for k levels (parallel over resamples). Memory: O(B·k).
///
/// # Undefined
/// `TooFew` when `boot.resamples < 2`; `OutOfRange` for a level outside \[0, 1\].
pub fn quantile_replicates(
    pair: Pair<'_>,
    ps: &[f64],
    boot: QuantileBootstrap,
) -> Stat<Vec<QuantileReplicates>> {
    if boot.resamples < 2 {
        return Err(Undefined::TooFew {
            need: 2,
            got: boot.resamples,
        });
    }
    if ps.iter().any(|p| !(0.0..=1.0).contains(p)) {
        return Err(Undefined::OutOfRange);
    }
    let c_plan = Plan::new(pair.control.len(), ps);
    let t_plan = Plan::new(pair.treatment.len(), ps);
    let k = ps.len();
    let rows: Vec<Vec<f64>> = (0..boot.resamples)
        .into_par_iter()
        .map(|i| {
            let mut rng = Pcg64::new(u128::from(boot.seed), i as u128);
            let mut row = Vec::with_capacity(2 * k);
            c_plan.draw(pair.control.sorted(), &mut rng, &mut row);
            t_plan.draw(pair.treatment.sorted(), &mut rng, &mut row);
            row
        })
        .collect();
    Ok(ps
        .iter()
        .enumerate()
        .map(|(j, &p)| QuantileReplicates {
            p,
            control: type7(pair.control, p),
            treatment: type7(pair.treatment, p),
            control_replicates: rows
                .iter()
                .map(|r| r.get(j).copied().unwrap_or(f64::NAN))
                .collect(),
            treatment_replicates: rows
                .iter()
                .map(|r| r.get(k + j).copied().unwrap_or(f64::NAN))
                .collect(),
        })
        .collect())
}

/// Differences of the type-7 quantiles at the levels `ps` (treatment −
/// control) with percentile bootstrap intervals at `confidence`, one entry
/// per level, in the order given.
///
/// ```
/// use perfstat_stats::compare::{Pair, QuantileBootstrap, quantile_differences};
/// use perfstat_stats::{Confidence, Sample};
/// let control = Sample::new((0..1000).map(|i| 10.0 + f64::from(i % 97) / 10.0).collect())?;
/// let treatment = Sample::new((0..1000).map(|i| 11.0 + f64::from(i % 89) / 10.0).collect())?;
/// let pair = Pair { control: &control, treatment: &treatment };
/// let boot = QuantileBootstrap { seed: 7, resamples: 2000 };
/// let d = quantile_differences(pair, &[0.5, 0.99], Confidence::DEFAULT, boot).expect("defined");
/// assert!(d[0].difference.lower <= d[0].difference.estimate);
/// assert!(d[0].difference.estimate <= d[0].difference.upper);
/// # Ok::<(), perfstat_stats::Error>(())
/// ```
///
/// # Undefined
/// As [`quantile_replicates`], and `OutOfRange` for non-finite replicates.
pub fn quantile_differences(
    pair: Pair<'_>,
    ps: &[f64],
    confidence: Confidence,
    boot: QuantileBootstrap,
) -> Stat<Vec<QuantileDifference>> {
    quantile_replicates(pair, ps, boot)?
        .iter()
        .map(|r| r.difference(confidence))
        .collect()
}

fn type7(sample: &Sample, p: f64) -> f64 {
    quantile_sorted(sample.sorted(), p, QuantileMethod::Linear)
}

/// The order statistics one sample's resample needs, in ascending rank order.
struct Plan {
    n: usize,
    /// Ascending distinct 0-based ranks.
    ranks: Vec<usize>,
    /// Per level: (index of lo rank in `ranks`, index of hi rank or None, γ).
    levels: Vec<(usize, Option<usize>, f64)>,
}

impl Plan {
    fn new(n: usize, ps: &[f64]) -> Self {
        let last = n.saturating_sub(1);
        let positions: Vec<(usize, Option<usize>, f64)> = ps
            .iter()
            .map(|&p| {
                let v = last as f64 * p;
                if v >= last as f64 {
                    (last, None, 0.0)
                } else {
                    let lo = v.floor();
                    let gamma = v - lo;
                    let lo = lo as usize;
                    (lo, (gamma > 0.0).then_some(lo + 1), gamma)
                }
            })
            .collect();
        let mut ranks: Vec<usize> = positions
            .iter()
            .flat_map(|&(lo, hi, _)| std::iter::once(lo).chain(hi))
            .collect();
        ranks.sort_unstable();
        ranks.dedup();
        let find = |r: usize| ranks.binary_search(&r).unwrap_or(0);
        let levels = positions
            .iter()
            .map(|&(lo, hi, g)| (find(lo), hi.map(find), g))
            .collect();
        Self { n, ranks, levels }
    }

    /// Appends one resample's quantiles (one per level) to `out`.
    fn draw(&self, sorted: &[f64], rng: &mut Pcg64, out: &mut Vec<f64>) {
        let n = self.n;
        let nf = n as f64;
        let mut values = Vec::with_capacity(self.ranks.len());
        // V₍ₘ₎ = u: m uniforms are at or below u.
        let (mut u, mut m) = (0.0_f64, 0usize);
        for &r in &self.ranks {
            // V₍ᵣ₊₁₎ = u + (1 − u)·Beta(r + 1 − m, n − r)
            let b = beta(rng, (r + 1 - m) as f64, (n - r) as f64);
            u += (1.0 - u) * b;
            m = r + 1;
            let idx = ((nf * u) as usize).min(n - 1);
            values.push(sorted.get(idx).copied().unwrap_or(f64::NAN));
        }
        for &(lo, hi, g) in &self.levels {
            let a = values.get(lo).copied().unwrap_or(f64::NAN);
            let v = match hi {
                Some(h) => lerp(a, values.get(h).copied().unwrap_or(f64::NAN), g),
                None => a,
            };
            out.push(v);
        }
    }
}

/// numpy's `_lerp` (as `crate::quantile`).
fn lerp(a: f64, b: f64, t: f64) -> f64 {
    let diff = b - a;
    if t >= 0.5 {
        b - diff * (1.0 - t)
    } else {
        a + diff * t
    }
}

/// Uniform in (0, 1) from the top 53 bits.
fn uniform(rng: &mut Pcg64) -> f64 {
    ((rng.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
}

/// Standard normal by Box–Muller (one of the pair).
fn normal(rng: &mut Pcg64) -> f64 {
    let u1 = uniform(rng);
    let u2 = uniform(rng);
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

/// Gamma(shape, 1) for shape ≥ 1 (Marsaglia & Tsang 2000).
fn gamma(rng: &mut Pcg64, shape: f64) -> f64 {
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let x = normal(rng);
        let v = 1.0 + c * x;
        if v <= 0.0 {
            continue;
        }
        let v = v * v * v;
        let u = uniform(rng);
        if u.ln() < 0.5 * x * x + d - d * v + d * v.ln() {
            return d * v;
        }
    }
}

/// Beta(a, b) for a, b ≥ 1.
fn beta(rng: &mut Pcg64, a: f64, b: f64) -> f64 {
    if a == 1.0 {
        // 1 − U^{1/b}, accurate for large b
        -(uniform(rng).ln() / b).exp_m1()
    } else if b == 1.0 {
        uniform(rng).powf(1.0 / a)
    } else {
        let x = gamma(rng, a);
        let y = gamma(rng, b);
        x / (x + y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Naive bootstrap: resample with replacement, sort, type-7 quantile.
    fn naive(sorted: &[f64], p: f64, b: usize, seed: u64) -> Vec<f64> {
        let n = sorted.len();
        (0..b)
            .map(|i| {
                let mut rng = Pcg64::new(u128::from(seed), i as u128);
                let mut r: Vec<f64> = (0..n)
                    .map(|_| sorted[((uniform(&mut rng) * n as f64) as usize).min(n - 1)])
                    .collect();
                r.sort_by(f64::total_cmp);
                quantile_sorted(&r, p, QuantileMethod::Linear)
            })
            .collect()
    }

    /// Two-sample Kolmogorov–Smirnov distance of two replicate sets.
    fn ks(mut a: Vec<f64>, mut b: Vec<f64>) -> f64 {
        a.sort_by(f64::total_cmp);
        b.sort_by(f64::total_cmp);
        let mut all: Vec<f64> = a.iter().chain(&b).copied().collect();
        all.sort_by(f64::total_cmp);
        all.dedup();
        all.iter()
            .map(|&v| {
                let fa = a.partition_point(|&x| x <= v) as f64 / a.len() as f64;
                let fb = b.partition_point(|&x| x <= v) as f64 / b.len() as f64;
                (fa - fb).abs()
            })
            .fold(0.0, f64::max)
    }

    #[test]
    fn order_statistic_sampling_matches_naive_resampling() {
        // Skewed, with ties; n = 37 so p95 and p99 interpolate.
        let x: Vec<f64> = (0..37)
            .map(|i| (f64::from(i % 23) * 1.7).exp().round())
            .collect();
        let s = Sample::new(x).unwrap();
        let pair = Pair {
            control: &s,
            treatment: &s,
        };
        let b = 4000;
        let boot = QuantileBootstrap {
            seed: 11,
            resamples: b,
        };
        let fast = quantile_replicates(pair, &[0.5, 0.95, 0.99], boot).unwrap();
        // KS critical value at α = 0.001 for two samples of 4000: 1.95·√(2/4000) ≈ 0.0436.
        for (j, p) in [0.5, 0.95, 0.99].into_iter().enumerate() {
            let slow = naive(s.sorted(), p, b, 99);
            let d = ks(fast[j].control_replicates.clone(), slow);
            assert!(d < 0.0436, "p = {p}: KS distance {d}");
            // Within a resample p50 ≤ p95 ≤ p99 (joint draws).
        }
        for i in 0..b {
            assert!(fast[0].control_replicates[i] <= fast[1].control_replicates[i]);
            assert!(fast[1].control_replicates[i] <= fast[2].control_replicates[i]);
        }
    }

    #[test]
    fn beta_moments() {
        let mut rng = Pcg64::new(5, 0);
        for (a, b) in [(3.0, 7.0), (1.0, 50.0), (40.0, 1.0), (2.5e5, 2.5e5)] {
            let n = 20_000;
            let xs: Vec<f64> = (0..n).map(|_| beta(&mut rng, a, b)).collect();
            let mean = xs.iter().sum::<f64>() / n as f64;
            let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n as f64;
            let m = a / (a + b);
            let v = a * b / ((a + b) * (a + b) * (a + b + 1.0));
            assert!(
                (mean - m).abs() < 5.0 * (v / n as f64).sqrt(),
                "{a},{b}: {mean} vs {m}"
            );
            assert!((var / v - 1.0).abs() < 0.05, "{a},{b}: {var} vs {v}");
        }
    }
}

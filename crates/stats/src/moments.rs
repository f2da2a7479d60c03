//! Mean, variance, skewness and kurtosis, computed stably.
//!
//! Algorithm (two linear passes, Neumaier-compensated sums):
//!
//! 1. mean₀ = Σx / n with Neumaier's compensated summation (Neumaier 1974);
//! 2. one pass over d = x − mean₀ accumulating Σd (compensated), Σd², Σd³,
//!    Σd⁴; then the correction c = Σd/n gives mean = mean₀ + c (the
//!    "corrected two-pass algorithm" of Chan, Golub & LeVeque 1983) and the
//!    central sums about the corrected mean follow exactly from the binomial
//!    expansion (M₂ = Σd² − n·c², M₃ = Σd³ − 3c·Σd² + 2n·c³,
//!    M₄ = Σd⁴ − 4c·Σd³ + 6c²·Σd² − 3n·c⁴).
//!
//! This meets the NIST StRD univariate certified values (NumAcc1–4: mean to
//! 1e-14 relative, standard deviation to 1e-7) — see `tests/it/nist.rs`.
//!
//! Above [`PARALLEL_MIN`] values each pass runs on the rayon pool over fixed
//! chunks of [`CHUNK`] values, combined left to right: the result depends only
//! on the data, never on the number of threads.
//!
//! The values are first multiplied by the power of two 2ᵏ that brings the
//! largest magnitude into \[0.5, 1) ([`crate::scale`]) — exactly, no rounding —
//! so that Σd⁴ neither overflows nor underflows for any finite data, from
//! subnormals to `f64::MAX`. For data in the ordinary range this changes no
//! bit of any result (scaling by 2ᵏ commutes with every rounding); the mean
//! and standard deviation are scaled back, and skewness and kurtosis do not
//! depend on scale. A variance or standard deviation beyond the f64 range is
//! undefined ([`Undefined::Overflow`]) rather than infinite; the mean always
//! lies in \[min, max\] (clamped there against rounding).
//!
//! - Time: O(n), three passes (the first finds the range). Memory: O(n / CHUNK).

use crate::scale::{Scaler, exponent_for, scale};
use crate::{Stat, Undefined};
use rayon::prelude::*;

/// Chunk length of the parallel reductions (fixed: results are independent of threads).
pub const CHUNK: usize = 1 << 14;
/// From this many values on, the passes run in parallel.
pub const PARALLEL_MIN: usize = 100_000;

/// Neumaier's compensated sum.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Neumaier {
    sum: f64,
    comp: f64,
}

impl Neumaier {
    pub(crate) fn add(&mut self, x: f64) {
        let t = self.sum + x;
        if self.sum.abs() >= x.abs() {
            self.comp += (self.sum - t) + x;
        } else {
            self.comp += (x - t) + self.sum;
        }
        self.sum = t;
    }

    /// Adds another compensated sum (its sum, then its compensation).
    pub(crate) fn merge(&mut self, other: Self) {
        self.add(other.sum);
        self.add(other.comp);
    }

    pub(crate) fn total(self) -> f64 {
        self.sum + self.comp
    }
}

/// Σd (compensated), Σd², Σd³, Σd⁴ of d = x − shift over one chunk.
#[derive(Clone, Copy, Debug, Default)]
struct Powers {
    s1: Neumaier,
    s2: Neumaier,
    s3: f64,
    s4: f64,
}

fn chunk_sum(chunk: &[f64], k: i32) -> Neumaier {
    let scaler = Scaler::new(k);
    let mut s = Neumaier::default();
    for &x in chunk {
        s.add(scaler.apply(x));
    }
    s
}

fn chunk_powers(chunk: &[f64], k: i32, shift: f64) -> Powers {
    let scaler = Scaler::new(k);
    let mut p = Powers::default();
    for &x in chunk {
        let d = scaler.apply(x) - shift;
        let d2 = d * d;
        p.s1.add(d);
        p.s2.add(d2);
        p.s3 += d2 * d;
        p.s4 += d2 * d2;
    }
    p
}

/// Maps fixed chunks (in parallel for large inputs) and returns the per-chunk results in order.
fn map_chunks<T: Send>(values: &[f64], f: impl Fn(&[f64]) -> T + Sync) -> Vec<T> {
    if values.len() >= PARALLEL_MIN {
        values.par_chunks(CHUNK).map(&f).collect()
    } else {
        values.chunks(CHUNK).map(&f).collect()
    }
}

/// Maps the fixed ranges `[k·block, (k + 1)·block)` of `0..len` (on the rayon pool from
/// [`PARALLEL_MIN`] on) and returns their results in order: a reduction over them that combines
/// the results left to right depends only on the data, never on the number of threads.
pub(crate) fn map_ranges<T: Send>(
    len: usize,
    block: usize,
    f: impl Fn(std::ops::Range<usize>) -> T + Sync,
) -> Vec<T> {
    let range = |k: usize| k * block..len.min((k + 1) * block);
    let blocks = len.div_ceil(block);
    if len >= PARALLEL_MIN {
        (0..blocks).into_par_iter().map(|k| f(range(k))).collect()
    } else {
        (0..blocks).map(|k| f(range(k))).collect()
    }
}

/// Central moment sums of a sample: the basis of mean, variance, skewness and kurtosis.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Moments {
    n: usize,
    /// The values were multiplied by 2^k (exact) before any sum.
    k: i32,
    /// The mean of the scaled values.
    mean: f64,
    /// Σ(x − mean)²
    m2: f64,
    /// Σ(x − mean)³
    m3: f64,
    /// Σ(x − mean)⁴
    m4: f64,
}

impl Moments {
    /// Computes the moments of `values` (any order) by the corrected two-pass
    /// algorithm described in the module documentation.
    ///
    /// An empty slice gives n = 0 and a NaN mean (a [`crate::Sample`] is never empty).
    ///
    /// - Time: O(n), two passes (parallel above 100 000 values). Memory: O(n/16 384).
    #[must_use]
    pub fn of(values: &[f64]) -> Self {
        let n = values.len();
        let nf = n as f64;
        let (min, max) = map_chunks(values, |c| {
            c.iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
                    (lo.min(x), hi.max(x))
                })
        })
        .into_iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (a, b)| {
            (lo.min(a), hi.max(b))
        });
        let k = exponent_for(min.abs().max(max.abs()));
        let to_scaled = |x: f64| scale(x, k);
        let mut total = Neumaier::default();
        for part in map_chunks(values, |c| chunk_sum(c, k)) {
            total.add(part.sum);
            total.add(part.comp);
        }
        let mean0 = total.total() / nf;
        let mut s1 = Neumaier::default();
        let mut s2 = Neumaier::default();
        let (mut s3, mut s4) = (0.0, 0.0);
        for part in map_chunks(values, |c| chunk_powers(c, k, mean0)) {
            s1.add(part.s1.sum);
            s1.add(part.s1.comp);
            s2.add(part.s2.sum);
            s2.add(part.s2.comp);
            s3 += part.s3;
            s4 += part.s4;
        }
        let (s1, s2) = (s1.total(), s2.total());
        let c = s1 / nf;
        // The mean lies in [min, max]; rounding must not put it outside (nor beyond f64::MAX once
        // scaled back).
        let (lo, hi) = (to_scaled(min), to_scaled(max));
        let mean = match mean0 + c {
            m if m < lo => lo,
            m if m > hi => hi,
            m => m, // also NaN (values with NaN, or none)
        };
        let m2 = (s2 - nf * c * c).max(0.0);
        let m3 = s3 - 3.0 * c * s2 + 2.0 * nf * c * c * c;
        let m4 = (s4 - 4.0 * c * s3 + 6.0 * c * c * s2 - 3.0 * nf * c * c * c * c).max(0.0);
        Self {
            n,
            k,
            mean,
            m2,
            m3,
            m4,
        }
    }

    /// Number of values.
    #[must_use]
    pub fn n(&self) -> usize {
        self.n
    }

    /// Arithmetic mean.
    #[must_use]
    pub fn mean(&self) -> f64 {
        scale(self.mean, -self.k)
    }

    /// The exponent k of the exact scaling 2ᵏ applied before any sum ([`crate::scale`]).
    #[must_use]
    pub fn exponent(&self) -> i32 {
        self.k
    }

    /// The standardized value (x − mean)/s (s the standard deviation, divisor n − 1), computed on
    /// the scaled values so that it is finite for any finite data whose variance is not zero.
    ///
    /// NaN for n < 2 or zero variance.
    #[must_use]
    pub fn standardized(&self, x: f64) -> f64 {
        if self.n < 2 || self.m2 == 0.0 {
            return f64::NAN;
        }
        (scale(x, self.k) - self.mean) / self.scaled_std_dev()
    }

    /// The biased central moments (m₂, m₃, m₄) = (M₂/n, M₃/n, M₄/n) **of the scaled values** x·2ᵏ
    /// (k = [`Moments::exponent`]): what a scale-invariant ratio such as m₃/m₂^{3/2} needs, finite
    /// for any finite data.
    #[must_use]
    pub fn scaled_central(&self) -> (f64, f64, f64) {
        let n = self.n as f64;
        (self.m2 / n, self.m3 / n, self.m4 / n)
    }

    /// The standard deviation (divisor n − 1) of the scaled values x·2ᵏ; NaN for n < 2.
    #[must_use]
    pub fn scaled_std_dev(&self) -> f64 {
        if self.n < 2 {
            return f64::NAN;
        }
        (self.m2 / (self.n - 1) as f64).sqrt()
    }

    /// The mean of the scaled values x·2ᵏ (see [`Moments::scaled_central`]).
    #[must_use]
    pub fn scaled_mean(&self) -> f64 {
        self.mean
    }

    /// Sample variance, divisor n − 1.
    ///
    /// # Undefined
    /// For n < 2; [`Undefined::Overflow`] when it exceeds the f64 range (a
    /// spread near 1e154 and beyond).
    pub fn variance(&self) -> Stat<f64> {
        if self.n < 2 {
            return Err(Undefined::TooFew {
                need: 2,
                got: self.n,
            });
        }
        let v = scale(self.m2 / (self.n - 1) as f64, -2 * self.k);
        if v.is_finite() {
            Ok(v)
        } else {
            Err(Undefined::Overflow)
        }
    }

    /// Sample standard deviation, divisor n − 1 (numpy `std(ddof=1)`).
    ///
    /// # Undefined
    /// For n < 2; [`Undefined::Overflow`] when it exceeds the f64 range
    /// (possible only for values near ±`f64::MAX`).
    pub fn std_dev(&self) -> Stat<f64> {
        if self.n < 2 {
            return Err(Undefined::TooFew {
                need: 2,
                got: self.n,
            });
        }
        let sd = scale(self.scaled_std_dev(), -self.k);
        if sd.is_finite() {
            Ok(sd)
        } else {
            Err(Undefined::Overflow)
        }
    }

    /// Bias-corrected skewness G1 (`scipy.stats.skew(bias=False)`):
    /// G1 = g1·√(n(n − 1))/(n − 2) with g1 = m₃/m₂^{3/2}, mₖ = Mₖ/n.
    ///
    /// # Undefined
    /// For n < 3, or zero variance (all values equal: M₂ = 0 exactly), where
    /// scipy returns NaN.
    pub fn skewness(&self) -> Stat<f64> {
        if self.n < 3 {
            return Err(Undefined::TooFew {
                need: 3,
                got: self.n,
            });
        }
        if self.m2 == 0.0 {
            return Err(Undefined::ZeroVariance);
        }
        let n = self.n as f64;
        let m2 = self.m2 / n;
        let m3 = self.m3 / n;
        let g1 = m3 / (m2 * m2.sqrt());
        Ok(g1 * (n * (n - 1.0)).sqrt() / (n - 2.0))
    }

    /// Bias-corrected excess kurtosis G2 (`scipy.stats.kurtosis(bias=False)`,
    /// Fisher's definition): G2 = ((n + 1)·g2 + 6)·(n − 1)/((n − 2)(n − 3))
    /// with g2 = m₄/m₂² − 3.
    ///
    /// # Undefined
    /// For n < 4, or zero variance (M₂ = 0 exactly).
    pub fn kurtosis(&self) -> Stat<f64> {
        if self.n < 4 {
            return Err(Undefined::TooFew {
                need: 4,
                got: self.n,
            });
        }
        if self.m2 == 0.0 {
            return Err(Undefined::ZeroVariance);
        }
        let n = self.n as f64;
        let m2 = self.m2 / n;
        let m4 = self.m4 / n;
        // scipy: 1/((n−2)(n−3))·((n²−1)·m4/m2² − 3(n−1)²)
        Ok(
            ((n * n - 1.0) * m4 / (m2 * m2) - 3.0 * (n - 1.0) * (n - 1.0))
                / ((n - 2.0) * (n - 3.0)),
        )
    }

    /// Σ(x − mean)², the second central moment sum (infinite when it
    /// exceeds the f64 range; the ratios above are computed without it).
    #[must_use]
    pub fn m2(&self) -> f64 {
        scale(self.m2, -2 * self.k)
    }

    /// Σ(x − mean)³ (see [`Moments::m2`] on range).
    #[must_use]
    pub fn m3(&self) -> f64 {
        scale(self.m3, -3 * self.k)
    }

    /// Σ(x − mean)⁴ (see [`Moments::m2`] on range).
    #[must_use]
    pub fn m4(&self) -> f64 {
        scale(self.m4, -4 * self.k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_and_tiny_values_do_not_overflow() {
        let x = [1e308, 1.5e308, -1e308, 1.7e308];
        let m = Moments::of(&x);
        let rel = |a: f64, b: f64| ((a - b) / b).abs();
        assert!(rel(m.mean(), 8e307) < 1e-15, "{}", m.mean());
        // numpy: np.std(np.array(x) / 1e308, ddof=1) * 1e308
        assert!(
            rel(m.std_dev().unwrap(), 1.235_583_532_856_709_4e308) < 1e-14,
            "{:?}",
            m.std_dev()
        );
        assert_eq!(m.variance(), Err(Undefined::Overflow));
        let small = Moments::of(&[1.0, 2.0, 4.0, 10.0]);
        let big = Moments::of(&[1e200, 2e200, 4e200, 10e200]);
        let tiny = Moments::of(&[1e-200, 2e-200, 4e-200, 10e-200]);
        for m in [big, tiny] {
            assert!(rel(m.skewness().unwrap(), small.skewness().unwrap()) < 1e-14);
            assert!(rel(m.kurtosis().unwrap(), small.kurtosis().unwrap()) < 1e-14);
        }
        assert!(rel(tiny.std_dev().unwrap(), small.std_dev().unwrap() * 1e-200) < 1e-14);
    }

    #[test]
    fn matches_scipy_on_a_small_sample() {
        // scipy 1.17.1: skew(x, bias=False), kurtosis(x, bias=False), np.std(x, ddof=1)
        let x = [12.0, 15.5, 11.2, 13.9, 14.1, 12.7, 40.0, 13.3];
        let m = Moments::of(&x);
        let rel = |a: f64, b: f64| ((a - b) / b).abs();
        assert!(rel(m.mean(), 16.5875) < 1e-15);
        assert!(rel(m.std_dev().unwrap(), 9.552327689401903) < 1e-13);
        assert!(rel(m.skewness().unwrap(), 2.7207462487345118) < 1e-12);
        assert!(rel(m.kurtosis().unwrap(), 7.543713507650281) < 1e-12);
    }

    #[test]
    fn undefined_cases() {
        let m = Moments::of(&[3.0, 3.0, 3.0, 3.0]);
        assert_eq!(m.skewness(), Err(Undefined::ZeroVariance));
        assert_eq!(m.kurtosis(), Err(Undefined::ZeroVariance));
        assert_eq!(m.std_dev(), Ok(0.0));
        assert!(matches!(
            Moments::of(&[1.0, 2.0]).skewness(),
            Err(Undefined::TooFew { need: 3, got: 2 })
        ));
        assert!(matches!(
            Moments::of(&[1.0, 2.0, 4.0]).kurtosis(),
            Err(Undefined::TooFew { need: 4, got: 3 })
        ));
    }

    #[test]
    fn parallel_and_serial_agree_exactly() {
        let v: Vec<f64> = (0..300_000u64)
            .map(|i| ((i * 7919) % 10007) as f64 * 1e-3 + 1e6)
            .collect();
        let a = Moments::of(&v);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let b = pool.install(|| Moments::of(&v));
        assert_eq!(a, b);
    }
}

//! What experts check before trusting an A/B comparison: time dependence,
//! bimodality, severe outliers, unequal sizes, and power.

use super::{MeanVar, Pair};
use crate::dist::normal_isf;
use crate::moments::Moments;
use crate::outliers::{TukeyCounts, tukey};
use crate::{Sample, Stat, Undefined};
use std::fmt;

/// Lag-1 autocorrelation above which a warning is raised (the effective
/// sample size is then at most 2/3 of n).
pub const AUTOCORRELATION_WARN: f64 = 0.2;
/// Bimodality coefficient threshold: 5/9, the value of a uniform distribution
/// (SAS Institute 1990; Pfister et al. 2013, *Front. Psychol.* 4:700).
pub const BIMODALITY_THRESHOLD: f64 = 5.0 / 9.0;
/// Smallest sample size for the bimodality warning (the coefficient's
/// sampling error is large below it).
pub const BIMODALITY_MIN_N: usize = 50;
/// Size ratio above which the samples are called very unequal.
pub const UNEQUAL_SIZE_RATIO: f64 = 4.0;
/// Power at which the minimum detectable effect is computed.
pub const MDE_POWER: f64 = 0.8;

/// Which sample of the pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Arm {
    /// The control (A) sample.
    Control,
    /// The treatment (B) sample.
    Treatment,
}

impl fmt::Display for Arm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Control => "control",
            Self::Treatment => "treatment",
        })
    }
}

/// A warning about the data behind a comparison, with the number behind it.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum AbWarning {
    /// Strong positive lag-1 autocorrelation of the values in file order.
    Autocorrelation {
        /// Which sample.
        arm: Arm,
        /// Lag-1 autocorrelation.
        lag1: f64,
        /// Number of values.
        n: usize,
        /// Effective sample size n·(1 − r)/(1 + r).
        effective_n: f64,
    },
    /// The bimodality coefficient exceeds 5/9.
    Bimodal {
        /// Which sample.
        arm: Arm,
        /// The bimodality coefficient.
        coefficient: f64,
    },
    /// Values beyond Tukey's outer fences (3·IQR).
    SevereOutliers {
        /// Which sample.
        arm: Arm,
        /// Number of severe outliers (both sides).
        count: usize,
        /// Number of values.
        n: usize,
    },
    /// One sample is more than 4 times larger than the other.
    UnequalSizes {
        /// Control size.
        n_control: usize,
        /// Treatment size.
        n_treatment: usize,
    },
    /// The minimum detectable effect at 80 % power exceeds the minimum effect
    /// asked for.
    Underpowered {
        /// Relative minimum detectable effect.
        mde: f64,
        /// The minimum effect asked for.
        min_effect: f64,
    },
}

impl fmt::Display for AbWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Autocorrelation {
                arm,
                lag1,
                n,
                effective_n,
            } => write!(
                f,
                "{arm}: lag-1 autocorrelation {lag1:.2} — consecutive values are not independent, so the {n} values are worth about {effective_n:.0} independent ones and p-values are too small; interleave the runs, lengthen the warm-up or compare per-run aggregates"
            ),
            Self::Bimodal { arm, coefficient } => write!(
                f,
                "{arm}: bimodality coefficient {coefficient:.2} > 0.555 — the values may come from two modes (cache hits and misses, two hosts, GC pauses); look at the histogram and split the data (e.g. by host or endpoint) before trusting a single mean or median"
            ),
            Self::SevereOutliers { arm, count, n } => write!(
                f,
                "{arm}: {count} of {n} values ({:.2}%) lie beyond 3·IQR from the quartiles — check them for errors or timeouts; the rank test and median lead when the data are skewed",
                100.0 * count as f64 / n as f64
            ),
            Self::UnequalSizes {
                n_control,
                n_treatment,
            } => write!(
                f,
                "very unequal sample sizes ({n_control} control vs {n_treatment} treatment, ratio {:.1}) — power is limited by the smaller sample; collect more of it",
                n_control.max(n_treatment) as f64 / n_control.min(n_treatment).max(1) as f64
            ),
            Self::Underpowered { mde, min_effect } => write!(
                f,
                "too few samples for the asked minimum effect: the smallest change detectable with 80% power is {:.2}%, above the minimum effect of {:.2}% — collect about {:.0}× more values per sample",
                100.0 * mde,
                100.0 * min_effect,
                (mde / min_effect).powi(2).ceil()
            ),
        }
    }
}

/// Per-sample diagnostics.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ArmDiagnostics {
    /// Number of values.
    pub n: usize,
    /// Lag-1 autocorrelation of the values in file order; `None` when the
    /// order was not given.
    pub lag1: Option<Stat<f64>>,
    /// Bimodality coefficient.
    pub bimodality: Stat<f64>,
    /// Tukey fence counts.
    pub tukey: TukeyCounts,
}

/// All diagnostics of a comparison.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Diagnostics {
    /// Control sample diagnostics.
    pub control: ArmDiagnostics,
    /// Treatment sample diagnostics.
    pub treatment: ArmDiagnostics,
    /// Relative minimum detectable effect at 80 % power ([`minimum_detectable_effect`]).
    pub mde: Stat<f64>,
}

/// The values of both samples in file (time) order, for the autocorrelation.
#[derive(Clone, Copy, Debug)]
pub struct TimeOrder<'a> {
    /// Control values in the order they were measured.
    pub control: &'a [f64],
    /// Treatment values in the order they were measured.
    pub treatment: &'a [f64],
}

/// Lag-1 autocorrelation r₁ = Σᵢ(xᵢ − x̄)(xᵢ₊₁ − x̄) / Σᵢ(xᵢ − x̄)² of values
/// in time order (the standard ACF estimator, as `statsmodels.tsa.acf(x)[1]`).
///
/// - Time: O(n). Memory: O(1).
///
/// # Undefined
/// `TooFew` for n < 3; `ZeroVariance` when all values are equal.
pub fn lag1_autocorrelation(values_in_order: &[f64]) -> Stat<f64> {
    let n = values_in_order.len();
    if n < 3 {
        return Err(Undefined::TooFew { need: 3, got: n });
    }
    let mean = Moments::of(values_in_order).mean();
    let mut den = 0.0;
    let mut num = 0.0;
    let mut prev: Option<f64> = None;
    for &x in values_in_order {
        let d = x - mean;
        den += d * d;
        if let Some(p) = prev {
            num += p * d;
        }
        prev = Some(d);
    }
    if den.is_nan() || den <= 0.0 {
        return Err(Undefined::ZeroVariance);
    }
    Ok(num / den)
}

/// Effective sample size n·(1 − r)/(1 + r) of an AR(1)-like series with
/// lag-1 autocorrelation r (the variance inflation of the mean). Larger than
/// n for negative r; NaN for r ≤ −1.
#[must_use]
pub fn effective_sample_size(n: usize, lag1: f64) -> f64 {
    n as f64 * (1.0 - lag1) / (1.0 + lag1)
}

/// Bimodality coefficient BC = (G1² + 1)/(G2 + 3(n − 1)²/((n − 2)(n − 3)))
/// with the bias-corrected skewness G1 and excess kurtosis G2. BC > 5/9
/// suggests bimodality (5/9 is the value of a uniform distribution). Known
/// limits: very heavy-tailed unimodal data (exponential: BC ≈ 5/9) can come
/// close to the threshold; it is a screening number, not a test.
///
/// # Undefined
/// `TooFew` for n < 4; `ZeroVariance` for constant data.
pub fn bimodality_coefficient(sample: &Sample) -> Stat<f64> {
    let m = sample.moments();
    let g1 = m.skewness()?;
    let g2 = m.kurtosis()?;
    let n = sample.len() as f64;
    Ok((g1 * g1 + 1.0) / (g2 + 3.0 * (n - 1.0) * (n - 1.0) / ((n - 2.0) * (n - 3.0))))
}

/// Relative minimum detectable effect of a two-sided test at level α with
/// 80 % power (two-sample normal approximation):
/// MDE = (z_{1−α/2} + z_{0.8})·√(s_c²/n_c + s_t²/n_t) / |x̄_c|.
///
/// # Undefined
/// `TooFew` when a sample has fewer than 2 values; `OutOfRange` when
/// x̄_c = 0 or α is not in (0, 1).
pub fn minimum_detectable_effect(pair: Pair<'_>, alpha: f64) -> Stat<f64> {
    let c = MeanVar::of(pair.control)?;
    let t = MeanVar::of(pair.treatment)?;
    if c.mean == 0.0 || !(alpha > 0.0 && alpha < 1.0) {
        return Err(Undefined::OutOfRange);
    }
    let za = normal_isf(alpha / 2.0).map_err(|_| Undefined::OutOfRange)?;
    let zb = normal_isf(1.0 - MDE_POWER).map_err(|_| Undefined::OutOfRange)?;
    Ok((za + zb) * (c.var / c.n + t.var / t.n).sqrt() / c.mean.abs())
}

fn arm(sample: &Sample, order: Option<&[f64]>) -> ArmDiagnostics {
    ArmDiagnostics {
        n: sample.len(),
        lag1: order.map(lag1_autocorrelation),
        bimodality: bimodality_coefficient(sample),
        tukey: tukey(sample),
    }
}

/// Computes every diagnostic (time order optional).
///
/// - Time: O(n_t + n_c). Memory: O(1).
#[must_use]
pub fn diagnose(pair: Pair<'_>, order: Option<TimeOrder<'_>>, alpha: f64) -> Diagnostics {
    Diagnostics {
        control: arm(pair.control, order.map(|o| o.control)),
        treatment: arm(pair.treatment, order.map(|o| o.treatment)),
        mde: minimum_detectable_effect(pair, alpha),
    }
}

impl Diagnostics {
    /// The warnings these diagnostics call for:
    /// - `Autocorrelation` when r₁ > [`AUTOCORRELATION_WARN`] and r₁ > 1.96/√n
    ///   (beyond the white-noise band);
    /// - `Bimodal` when BC > [`BIMODALITY_THRESHOLD`] and n ≥ [`BIMODALITY_MIN_N`];
    /// - `SevereOutliers` when any value lies beyond Tukey's 3·IQR fences;
    /// - `UnequalSizes` when max(n)/min(n) > [`UNEQUAL_SIZE_RATIO`];
    /// - `Underpowered` when min_effect > 0 and MDE > min_effect.
    #[must_use]
    pub fn warnings(&self, min_effect: f64) -> Vec<AbWarning> {
        let mut out = Vec::new();
        for (which, a) in [
            (Arm::Control, &self.control),
            (Arm::Treatment, &self.treatment),
        ] {
            if let Some(Ok(r)) = a.lag1
                && r > AUTOCORRELATION_WARN
                && r > 1.96 / (a.n as f64).sqrt()
            {
                out.push(AbWarning::Autocorrelation {
                    arm: which,
                    lag1: r,
                    n: a.n,
                    effective_n: effective_sample_size(a.n, r),
                });
            }
            if let Ok(bc) = a.bimodality
                && a.n >= BIMODALITY_MIN_N
                && bc > BIMODALITY_THRESHOLD
            {
                out.push(AbWarning::Bimodal {
                    arm: which,
                    coefficient: bc,
                });
            }
            let severe = a.tukey.low_severe + a.tukey.high_severe;
            if severe > 0 {
                out.push(AbWarning::SevereOutliers {
                    arm: which,
                    count: severe,
                    n: a.n,
                });
            }
        }
        let (nc, nt) = (self.control.n, self.treatment.n);
        if nc.max(nt) as f64 > UNEQUAL_SIZE_RATIO * nc.min(nt) as f64 {
            out.push(AbWarning::UnequalSizes {
                n_control: nc,
                n_treatment: nt,
            });
        }
        if let Ok(mde) = self.mde
            && min_effect > 0.0
            && mde > min_effect
        {
            out.push(AbWarning::Underpowered { mde, min_effect });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn autocorrelation_of_a_trend_and_alternation() {
        let trend: Vec<f64> = (0..100).map(f64::from).collect();
        assert!(lag1_autocorrelation(&trend).unwrap() > 0.9);
        let alt: Vec<f64> = (0..100).map(|i| f64::from(i % 2)).collect();
        assert!(lag1_autocorrelation(&alt).unwrap() < -0.9);
        assert_eq!(
            lag1_autocorrelation(&[1.0; 5]),
            Err(Undefined::ZeroVariance)
        );
        assert!((effective_sample_size(100, 0.5) - 100.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn bimodal_mixture_is_flagged_and_normalish_is_not() {
        let two: Vec<f64> = (0..200)
            .map(|i| if i % 2 == 0 { 10.0 } else { 50.0 } + f64::from(i % 7))
            .collect();
        assert!(bimodality_coefficient(&Sample::new(two).unwrap()).unwrap() > BIMODALITY_THRESHOLD);
        // a triangular-ish unimodal shape
        let one: Vec<f64> = (0..200).map(|i| f64::from(i % 10 + i % 13)).collect();
        assert!(bimodality_coefficient(&Sample::new(one).unwrap()).unwrap() < BIMODALITY_THRESHOLD);
    }
}

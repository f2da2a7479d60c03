//! A/B over repeated runs: the two-level (runs, requests within runs) random-effects analysis of
//! Kalibera & Jones, "Rigorous Benchmarking in Reasonable Time" (ISMM 2013).
//!
//! Requests of one run share its caches, neighbours and machine state, so they are not
//! independent: the model is x_ij = μ + b_i + e_ij with run effects b_i ~ (0, σ_B²) and request
//! noise e_ij ~ (0, σ_W²). This module gives
//!
//! - [`VarianceComponents`]: the one-way random-effects ANOVA of one arm's runs — σ_W² (mean
//!   square within runs, χ² interval), σ_B² = (MSB − MSW)/n₀ (Satterthwaite interval), the
//!   intraclass correlation ICC = σ_B²/(σ_B² + σ_W²) with the F-based interval of Searle (1971),
//!   and the effective sample size N/(1 + (n₀ − 1)·ICC);
//! - [`compare_runs`]: a statistic per run ([`RunStat`]: mean, median, p95, p99), the arms'
//!   estimates (mean of the run statistics), their difference and ratio with intervals by a
//!   seeded **hierarchical bootstrap** (resample runs, then requests within the chosen runs) and
//!   by **Welch's t-test on the run statistics**, and the verdict of [`crate::compare::decide`]
//!   on the run-level evidence;
//! - warnings with numbers ([`RunWarning`]) and a [`Plan`]: runs × requests per run for a
//!   minimum detectable effect at 80 % power with the paper's optimal allocation.
//!
//! Definitions, references and the checks against scipy are in `docs/ab-runs.md`
//! (fixtures: `scripts/reference/gen_hierarchical.py`).
//!
//! # What is hand-written and why
//!
//! The χ² and F quantiles ([`crate::dist::chi2_quantile`], [`crate::dist::f_quantile`]) are
//! bisections on this crate's distribution functions (checked against scipy). No crate offers a
//! two-level bootstrap; it uses the PCG streams of [`crate::bootstrap`].

use crate::compare::{
    Driver, Evidence, Pair, Verdict, VerdictConfig, VerdictResult, decide,
    relative_mean_difference, welch_t,
};
use crate::dist::{chi2_quantile, f_quantile, normal_quantile, t_quantile};
use crate::quantile::{QuantileMethod, quantile_sorted, select_quantiles};
use crate::{Confidence, Error, Estimate, Interval, Result, Sample, Stat, Undefined};
use rand::RngExt;
use rand_pcg::Pcg64;
use rayon::prelude::*;
use std::fmt;

/// The statistic computed on each run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RunStat {
    /// The run's mean.
    #[default]
    Mean,
    /// The run's median (type 7).
    Median,
    /// The run's 95th percentile (type 7).
    P95,
    /// The run's 99th percentile (type 7).
    P99,
}

impl RunStat {
    /// The JSON name: `mean`, `median`, `p95`, `p99`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mean => "mean",
            Self::Median => "median",
            Self::P95 => "p95",
            Self::P99 => "p99",
        }
    }

    /// The statistic named `name` (`mean`, `median`, `p50`, `p95`, `p99`).
    ///
    /// # Errors
    /// [`Error::Invalid`] for any other name.
    pub fn parse(name: &str) -> Result<Self> {
        match name {
            "mean" => Ok(Self::Mean),
            "median" | "p50" => Ok(Self::Median),
            "p95" => Ok(Self::P95),
            "p99" => Ok(Self::P99),
            other => Err(Error::Invalid(format!(
                "unknown run statistic {other:?} (mean, median, p95, p99)"
            ))),
        }
    }

    fn level(self) -> Option<f64> {
        match self {
            Self::Mean => None,
            Self::Median => Some(0.5),
            Self::P95 => Some(0.95),
            Self::P99 => Some(0.99),
        }
    }

    /// The statistic of sorted values.
    fn of_sorted(self, sorted: &[f64]) -> f64 {
        match self.level() {
            None => crate::moments::Moments::of(sorted).mean(),
            Some(p) => quantile_sorted(sorted, p, QuantileMethod::Linear),
        }
    }

    /// The statistic of values in any order (reorders the buffer).
    fn of_buffer(self, buf: &mut [f64]) -> f64 {
        match self.level() {
            None => buf.iter().sum::<f64>() / buf.len() as f64,
            Some(p) => select_quantiles(buf, &[p])
                .first()
                .copied()
                .unwrap_or(f64::NAN),
        }
    }
}

impl fmt::Display for RunStat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One run: its values (sorted) and the per-run summary shown side by side.
#[derive(Clone, Debug, PartialEq)]
pub struct RunSummary {
    /// The run's name (file, or file · run label).
    pub name: String,
    /// Number of requests.
    pub n: usize,
    /// Mean.
    pub mean: f64,
    /// Median (type 7).
    pub median: f64,
    /// 95th percentile (type 7).
    pub p95: f64,
    /// 99th percentile (type 7).
    pub p99: f64,
    /// The chosen [`RunStat`] of this run.
    pub stat: f64,
}

/// The two-level variance decomposition of one arm (one-way random-effects ANOVA on the request
/// values).
#[derive(Clone, Debug, PartialEq)]
pub struct VarianceComponents {
    /// Number of runs k.
    pub runs: usize,
    /// Number of requests N over all runs.
    pub requests: usize,
    /// n₀ = (N − Σnᵢ²/N)/(k − 1), the "average" run size of the unbalanced ANOVA (= n when
    /// balanced).
    pub n0: f64,
    /// σ_W² = MSW = Σᵢⱼ(xᵢⱼ − x̄ᵢ)²/(N − k) with the χ²(N − k) interval.
    pub within: Stat<Estimate>,
    /// σ_B² = (MSB − MSW)/n₀, MSB = Σᵢnᵢ(x̄ᵢ − x̄)²/(k − 1), truncated at 0, with the Satterthwaite
    /// interval (undefined when the raw estimate is ≤ 0).
    pub between: Stat<Estimate>,
    /// The raw (untruncated) σ_B² estimate; negative when runs agree better than their requests
    /// suggest.
    pub between_raw: Stat<f64>,
    /// ICC = σ_B²/(σ_B² + σ_W²) with the F interval of Searle (1971), clipped to \[0, 1\].
    pub icc: Stat<Estimate>,
    /// N/(1 + (n₀ − 1)·ICC): how many independent requests the runs are worth.
    pub effective_n: Stat<f64>,
}

impl VarianceComponents {
    /// The decomposition of `runs` (each run's values, any order).
    ///
    /// - Time: O(N). Memory: O(k).
    ///
    /// Undefined parts: with one run, σ_B², ICC and the effective n are `TooFew`; with
    /// one request per run, σ_W² is `TooFew`; constant data give `ZeroVariance`.
    #[must_use]
    pub fn of(runs: &[&[f64]], confidence: Confidence) -> Self {
        let k = runs.len();
        let total: usize = runs.iter().map(|r| r.len()).sum();
        let nf = total as f64;
        let means: Vec<f64> = runs
            .iter()
            .map(|r| r.iter().sum::<f64>() / r.len() as f64)
            .collect();
        let grand = runs.iter().flat_map(|r| r.iter()).sum::<f64>() / nf;
        let ssw: f64 = runs
            .iter()
            .zip(&means)
            .map(|(r, m)| r.iter().map(|x| (x - m) * (x - m)).sum::<f64>())
            .sum();
        let ssb: f64 = runs
            .iter()
            .zip(&means)
            .map(|(r, m)| r.len() as f64 * (m - grand) * (m - grand))
            .sum();
        let sum_sq: f64 = runs.iter().map(|r| (r.len() * r.len()) as f64).sum();
        let kf = k as f64;
        let n0 = if k > 1 {
            (nf - sum_sq / nf) / (kf - 1.0)
        } else {
            nf
        };
        let df_w = nf - kf;
        let df_b = kf - 1.0;
        let tail = confidence.tail();
        let msw: Stat<f64> = if total <= k {
            Err(Undefined::TooFew {
                need: k + 1,
                got: total,
            })
        } else {
            Ok(ssw / df_w)
        };
        let within = msw.and_then(|msw| {
            Ok(Estimate {
                estimate: msw,
                lower: ssw / chi2_quantile(1.0 - tail, df_w)?,
                upper: ssw / chi2_quantile(tail, df_w)?,
            })
        });
        let msb: Stat<f64> = if k < 2 {
            Err(Undefined::TooFew { need: 2, got: k })
        } else {
            Ok(ssb / df_b)
        };
        let between_raw = match (msb, msw) {
            (Ok(b), Ok(w)) => Ok((b - w) / n0),
            (Err(e), _) | (_, Err(e)) => Err(e),
        };
        let between = (|| {
            let (b, w, raw) = (msb?, msw?, between_raw?);
            if raw <= 0.0 {
                // No interval for a raw estimate ≤ 0 (the raw value is in `between_raw`).
                return Err(Undefined::OutOfRange);
            }
            // Satterthwaite (1946): σ̂_B² ≈ σ_B²·χ²_ν/ν with ν from the mean squares.
            let nu = (b - w) * (b - w) / (b * b / df_b + w * w / df_w);
            Ok(Estimate {
                estimate: raw,
                lower: nu * raw / chi2_quantile(1.0 - tail, nu)?,
                upper: nu * raw / chi2_quantile(tail, nu)?,
            })
        })();
        let icc = (|| {
            let (b, w) = (msb?, msw?);
            if w <= 0.0 {
                return Err(Undefined::ZeroVariance);
            }
            let f = b / w;
            let hi_q = f_quantile(1.0 - tail, df_b, df_w)?;
            let lo_q = f_quantile(tail, df_b, df_w)?;
            let icc_of = |f: f64| ((f - 1.0) / (f + n0 - 1.0)).clamp(0.0, 1.0);
            let raw = ((b - w) / n0).max(0.0);
            Ok(Estimate {
                estimate: raw / (raw + w),
                lower: icc_of(f / hi_q),
                upper: icc_of(f / lo_q),
            })
        })();
        let effective_n = icc
            .as_ref()
            .map(|i| nf / (1.0 + (n0 - 1.0) * i.estimate))
            .map_err(|e| *e);
        let number = |x: f64| {
            if x.is_finite() {
                Ok(x)
            } else {
                Err(Undefined::Overflow)
            }
        };
        Self {
            runs: k,
            requests: total,
            n0,
            within: within.and_then(finite),
            between: between.and_then(finite),
            between_raw: between_raw.and_then(number),
            icc: icc.and_then(finite),
            effective_n: effective_n.and_then(number),
        }
    }
}

/// `Overflow` when a part of the estimate is not finite (sums of squares beyond the f64 range).
fn finite(e: Estimate) -> Stat<Estimate> {
    if e.estimate.is_finite() && e.lower.is_finite() && e.upper.is_finite() {
        Ok(e)
    } else {
        Err(Undefined::Overflow)
    }
}

/// Settings of [`compare_runs`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RunsConfig {
    /// The statistic per run.
    pub stat: RunStat,
    /// α, minimum effect, direction, confidence (as the two-file `ab`).
    pub verdict: VerdictConfig,
    /// Seed of the bootstrap's PCG streams.
    pub seed: u64,
    /// Bootstrap resamples asked for (see [`DRAW_BUDGET`]).
    pub resamples: usize,
    /// Cost of starting one run in units of one request's cost (for the [`Plan`]); `None`: the
    /// mean number of requests per run of the pilot (a run's set-up costs as much as the run).
    pub run_cost: Option<f64>,
    /// The relative effect the [`Plan`] is for; `None`: the minimum effect, or 5 % when it is 0.
    pub target_effect: Option<f64>,
    /// An intraclass correlation known from elsewhere (a previous multi-run comparison), in
    /// \[0, 1\]: with one run in an arm, [`RunWarning::OneRun`] says what its requests are worth.
    pub assumed_icc: Option<f64>,
}

/// The bootstrap draws at most this many request values in all (resamples × requests); above
/// it the number of resamples is lowered to `DRAW_BUDGET / requests` (at least
/// [`MIN_RESAMPLES`]) and the result says how many were used.
pub const DRAW_BUDGET: usize = 1 << 28;
/// The fewest resamples the draw budget lowers to.
pub const MIN_RESAMPLES: usize = 1000;

/// An estimate with the interval by hierarchical bootstrap and by Welch's t on run statistics.
#[derive(Clone, Debug, PartialEq)]
pub struct TwoIntervals {
    /// The estimate with the percentile interval of the hierarchical bootstrap.
    pub bootstrap: Stat<Estimate>,
    /// The estimate with the t interval on the run statistics (Welch for the difference, Fieller
    /// for the ratio).
    pub welch: Stat<Estimate>,
}

/// A run that is an outlier among its arm's runs.
#[derive(Clone, Debug, PartialEq)]
pub struct OutlierRun {
    /// Control or treatment.
    pub arm: &'static str,
    /// The run's name.
    pub name: String,
    /// Which statistic.
    pub statistic: RunStat,
    /// Its statistic.
    pub stat: f64,
    /// The prediction interval from the arm's other runs that it lies outside.
    pub others: Interval,
    /// The interval's level, 1 − 0.05/k (Bonferroni over the k runs).
    pub level: f64,
}

/// What [`compare_runs`] warns about, with the numbers.
#[derive(Clone, Debug, PartialEq)]
pub enum RunWarning {
    /// An arm has one run: between-run variance cannot be estimated and no run-level test exists.
    OneRun {
        /// Control or treatment.
        arm: &'static str,
        /// With an ICC known from elsewhere ([`RunsConfig::assumed_icc`]): the ICC, the run's
        /// requests and what they are worth, N/(1 + (N − 1)·ICC).
        assumed: Option<(f64, usize, f64)>,
    },
    /// Requests within runs are strongly correlated: a per-request test would overstate the
    /// evidence by the design effect.
    HighIcc {
        /// Control or treatment.
        arm: &'static str,
        /// The ICC.
        icc: f64,
        /// The effective sample size.
        effective_n: f64,
        /// The number of requests.
        requests: usize,
    },
    /// A run disagrees with the others of its arm.
    OutlierRun(OutlierRun),
    /// The bootstrap used fewer resamples than asked (the draw budget).
    FewerResamples {
        /// Asked.
        asked: usize,
        /// Used.
        used: usize,
    },
}

/// ICC above which [`RunWarning::HighIcc`] is raised (design effect also > 2 is required).
pub const HIGH_ICC: f64 = 0.1;

impl fmt::Display for RunWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::OneRun { arm, assumed } => {
                write!(
                    f,
                    "the {arm} has one run: the variance between runs cannot be estimated, so no run-level test is possible; repeat the run (at least 2, better 5 per arm)"
                )?;
                if let Some((icc, n, eff)) = assumed {
                    write!(
                        f,
                        "; with the given intraclass correlation {icc}, its {n} requests are worth about {eff:.1} independent ones, so a per-request test would overstate the evidence {:.0}-fold in variance",
                        *n as f64 / eff
                    )?;
                }
                Ok(())
            }
            Self::HighIcc {
                arm,
                icc,
                effective_n,
                requests,
            } => write!(
                f,
                "{arm}: intraclass correlation {icc:.3} — the {requests} requests are worth about {effective_n:.0} independent ones; a per-request test would overstate the evidence"
            ),
            Self::OutlierRun(o) => write!(
                f,
                "{}: run {} disagrees with the other runs ({} = {:.6}, outside the {:.2}% prediction interval [{:.6}, {:.6}] of the others)",
                o.arm,
                o.name,
                o.statistic,
                o.stat,
                100.0 * o.level,
                o.others.lower,
                o.others.upper
            ),
            Self::FewerResamples { asked, used } => write!(
                f,
                "the hierarchical bootstrap used {used} resamples instead of {asked} (at most {DRAW_BUDGET} request draws)"
            ),
        }
    }
}

/// Runs × requests per run for a minimum detectable effect.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// The relative effect planned for (0.05 = 5 %).
    pub target_effect: f64,
    /// The power (0.8).
    pub power: f64,
    /// The run cost in request units used for the allocation.
    pub run_cost: f64,
    /// Requests per run: ⌈√(run_cost·σ_W²/σ_B²)⌉ (Kalibera & Jones) for the mean; the pilot's mean
    /// run size for a percentile statistic.
    pub requests_per_run: usize,
    /// Runs per arm: the smallest k ≥ 2 with (t_{1−α/2,2k−2} + t_{power,2k−2})·√(2v/k) ≤
    /// target·|control|, v the variance of one run's statistic at that run size.
    pub runs_per_arm: usize,
    /// How the run size was chosen (a sentence).
    pub basis: String,
}

/// The largest number of runs a [`Plan`] searches.
pub const PLAN_MAX_RUNS: usize = 100_000;

/// Everything `perfstat ab` reports over repeated runs.
#[derive(Clone, Debug, PartialEq)]
pub struct RunsComparison {
    /// The statistic per run.
    pub stat: RunStat,
    /// Per-run summaries of the control.
    pub control_runs: Vec<RunSummary>,
    /// Per-run summaries of the treatment.
    pub treatment_runs: Vec<RunSummary>,
    /// Variance components of the control.
    pub control_components: VarianceComponents,
    /// Variance components of the treatment.
    pub treatment_components: VarianceComponents,
    /// The control's estimate: the mean of its run statistics.
    pub control_estimate: f64,
    /// The treatment's estimate.
    pub treatment_estimate: f64,
    /// treatment − control.
    pub difference: TwoIntervals,
    /// treatment / control (a ratio, 1 = no change).
    pub ratio: TwoIntervals,
    /// Welch's t-test on the run statistics.
    pub welch: Stat<crate::compare::WelchT>,
    /// Resamples the bootstrap used.
    pub resamples: usize,
    /// The run-level verdict.
    pub verdict: VerdictResult,
    /// The plan from this pilot.
    pub plan: Stat<Plan>,
    /// Warnings with numbers.
    pub warnings: Vec<RunWarning>,
}

/// The summary of one run; `TooFew` for an empty run.
fn summarize(name: &str, values: &[f64], stat: RunStat) -> Result<RunSummary> {
    let sample = Sample::new(values.to_vec())?;
    let s = sample.sorted();
    let q = |p| quantile_sorted(s, p, QuantileMethod::Linear);
    Ok(RunSummary {
        name: name.to_owned(),
        n: s.len(),
        mean: crate::moments::Moments::of(s).mean(),
        median: q(0.5),
        p95: q(0.95),
        p99: q(0.99),
        stat: stat.of_sorted(s),
    })
}

/// One arm's runs: (name, values).
pub type NamedRuns<'a> = [(&'a str, &'a [f64])];

/// Compares the treatment's runs with the control's runs.
///
/// # Errors
/// [`Error::Empty`] when an arm has no runs or a run has no values, [`Error::NonFinite`] for a
/// non-finite value, [`Error::Invalid`] for an assumed ICC outside \[0, 1\], a negative or
/// non-finite run cost, or a planned effect that is not > 0.
pub fn compare_runs(
    control: &NamedRuns<'_>,
    treatment: &NamedRuns<'_>,
    config: &RunsConfig,
) -> Result<RunsComparison> {
    if control.is_empty() || treatment.is_empty() {
        return Err(Error::Empty);
    }
    if let Some(icc) = config.assumed_icc
        && !(0.0..=1.0).contains(&icc)
    {
        return Err(Error::Invalid(format!(
            "an intraclass correlation is in [0, 1], got {icc}"
        )));
    }
    if let Some(c) = config.run_cost
        && !(c.is_finite() && c >= 0.0)
    {
        return Err(Error::Invalid(format!(
            "the cost of a run must be a finite number ≥ 0 (in requests), got {c}"
        )));
    }
    if let Some(e) = config.target_effect
        && !(e.is_finite() && e > 0.0)
    {
        return Err(Error::Invalid(format!(
            "the planned effect must be a finite relative change > 0, got {e}"
        )));
    }
    let stat = config.stat;
    let confidence = config.verdict.confidence();
    let summarize_arm = |runs: &NamedRuns<'_>| -> Result<Vec<RunSummary>> {
        runs.iter().map(|(n, v)| summarize(n, v, stat)).collect()
    };
    let control_runs = summarize_arm(control)?;
    let treatment_runs = summarize_arm(treatment)?;
    let c_values: Vec<&[f64]> = control.iter().map(|r| r.1).collect();
    let t_values: Vec<&[f64]> = treatment.iter().map(|r| r.1).collect();
    let control_components = VarianceComponents::of(&c_values, confidence);
    let treatment_components = VarianceComponents::of(&t_values, confidence);
    let c_stats: Vec<f64> = control_runs.iter().map(|r| r.stat).collect();
    let t_stats: Vec<f64> = treatment_runs.iter().map(|r| r.stat).collect();
    // Σ xᵢ/k: no overflow for run statistics near ±f64::MAX.
    let mean = |x: &[f64]| x.iter().map(|v| v / x.len() as f64).sum::<f64>();
    let control_estimate = mean(&c_stats);
    let treatment_estimate = mean(&t_stats);

    let total: usize = c_values
        .iter()
        .chain(&t_values)
        .map(|r| r.len())
        .sum::<usize>()
        .max(1);
    let mut warnings = Vec::new();
    let resamples = if config.resamples.saturating_mul(total) > DRAW_BUDGET {
        let used = (DRAW_BUDGET / total)
            .max(MIN_RESAMPLES)
            .min(config.resamples);
        if used < config.resamples {
            warnings.push(RunWarning::FewerResamples {
                asked: config.resamples,
                used,
            });
        }
        used
    } else {
        config.resamples
    };
    let c_sample = Sample::new(c_stats.clone())?;
    let t_sample = Sample::new(t_stats.clone())?;
    let pair = Pair {
        control: &c_sample,
        treatment: &t_sample,
    };
    let welch = welch_t(pair, confidence);
    let diff_welch = welch.map(|w| w.mean_difference);
    let ratio_welch = relative_mean_difference(pair, confidence).map(|r| Estimate {
        estimate: 1.0 + r.estimate.estimate,
        lower: 1.0 + r.estimate.lower,
        upper: 1.0 + r.estimate.upper,
    });
    // The t degrees of freedom of the expanded percentile interval: Welch's on the run
    // statistics (k_c + k_t − 2 when Welch is undefined).
    let df = welch.map_or(
        (c_stats.len() + t_stats.len()).saturating_sub(2) as f64,
        |w| w.df,
    );
    let (diff_boot, ratio_boot) = hierarchical_bootstrap(
        [&c_values, &t_values],
        [control_estimate, treatment_estimate],
        stat,
        BootSettings {
            seed: config.seed,
            resamples,
            confidence,
            df,
            target_variance: [
                variance(&c_stats).unwrap_or(0.0) / c_stats.len() as f64,
                variance(&t_stats).unwrap_or(0.0) / t_stats.len() as f64,
            ],
        },
    );
    let diff_boot = diff_boot.map(|iv| Estimate {
        estimate: treatment_estimate - control_estimate,
        lower: iv.lower,
        upper: iv.upper,
    });
    let ratio_boot = if control_estimate == 0.0 {
        Err(Undefined::OutOfRange)
    } else {
        ratio_boot.map(|iv| Estimate {
            estimate: treatment_estimate / control_estimate,
            lower: iv.lower,
            upper: iv.upper,
        })
    };

    let verdict = run_verdict(pair, &welch, &config.verdict);

    for (arm, runs) in [("control", &control_runs), ("treatment", &treatment_runs)] {
        if let [run] = runs.as_slice() {
            let assumed = config.assumed_icc.map(|icc| {
                let n = run.n;
                (icc, n, n as f64 / (1.0 + (n as f64 - 1.0) * icc))
            });
            warnings.push(RunWarning::OneRun { arm, assumed });
        }
    }
    for (arm, comp) in [
        ("control", &control_components),
        ("treatment", &treatment_components),
    ] {
        if let (Ok(icc), Ok(eff)) = (&comp.icc, &comp.effective_n)
            && icc.estimate > HIGH_ICC
            && (comp.requests as f64) > 2.0 * eff
        {
            warnings.push(RunWarning::HighIcc {
                arm,
                icc: icc.estimate,
                effective_n: *eff,
                requests: comp.requests,
            });
        }
    }
    for (arm, runs) in [("control", &control_runs), ("treatment", &treatment_runs)] {
        warnings.extend(
            outlier_runs(arm, runs, stat)
                .into_iter()
                .map(RunWarning::OutlierRun),
        );
    }
    let plan = plan(
        &control_components,
        &treatment_components,
        &c_stats,
        &t_stats,
        &control_runs,
        &treatment_runs,
        control_estimate,
        config,
    );
    Ok(RunsComparison {
        stat,
        control_runs,
        treatment_runs,
        control_components,
        treatment_components,
        control_estimate,
        treatment_estimate,
        difference: TwoIntervals {
            bootstrap: diff_boot.and_then(finite),
            welch: diff_welch.and_then(finite),
        },
        ratio: TwoIntervals {
            bootstrap: ratio_boot.and_then(finite),
            welch: ratio_welch.and_then(finite),
        },
        welch,
        resamples,
        verdict,
        plan,
        warnings,
    })
}

/// The verdict of [`decide`] on Welch's test of the run statistics, with the Fieller interval at
/// 1 − 2α for the equivalence test.
fn run_verdict(
    pair: Pair<'_>,
    welch: &Stat<crate::compare::WelchT>,
    config: &VerdictConfig,
) -> VerdictResult {
    let reason = "the run statistics (one value per run), Welch's t-test".to_owned();
    let Ok(w) = welch else {
        let why = welch.as_ref().err().map(ToString::to_string);
        return VerdictResult {
            verdict: Verdict::InsufficientData,
            driver: None,
            driver_reason: format!(
                "Welch's t-test on the run statistics is undefined: {}",
                why.unwrap_or_default()
            ),
            explanation: "Insufficient data: a run-level test needs at least 2 runs per arm with different statistics.".to_owned(),
        };
    };
    let relative_tost = config
        .tost_confidence()
        .ok()
        .and_then(|c| relative_mean_difference(pair, c).ok())
        .map(|r| r.estimate);
    let evidence = Evidence {
        driver: Driver::Means,
        p_value: w.p_value,
        statistic_sign: if w.statistic == 0.0 {
            0.0
        } else {
            w.statistic.signum()
        },
        relative_tost,
    };
    let (verdict, explanation) = decide(&evidence, config);
    VerdictResult {
        verdict,
        driver: Some(Driver::Means),
        driver_reason: reason,
        explanation,
    }
}

/// Seed, resamples, confidence and t degrees of freedom of [`hierarchical_bootstrap`].
#[derive(Clone, Copy)]
struct BootSettings {
    seed: u64,
    resamples: usize,
    confidence: Confidence,
    df: f64,
    /// S²/k of each arm's run statistics: the variance the replicates are matched to.
    target_variance: [f64; 2],
}

/// Intervals of treatment − control and treatment/control of the mean of run statistics.
///
/// Each resample draws k runs with replacement per arm, then nᵢ requests with replacement within
/// each drawn run (Kalibera & Jones 2013; Davison & Hinkley 1997, §3.8, "strategy 2").
/// Two corrections make the 95 % interval cover 95 % with 5–10 runs per arm whatever the ICC
/// (measured, see `docs/ab-runs.md`):
///
/// 1. **Variance matching.** Resampling at both levels counts the request noise twice (the run
///    statistics already vary by it), and resampling k runs gives (k − 1)/k of the unbiased
///    run-level variance. Each arm's replicates are therefore rescaled about their mean to the
///    unbiased variance S²/k of its run statistics and centred on its estimate: the bootstrap
///    gives the shape (skew, the ratio's asymmetry), the runs give the spread.
/// 2. **Expanded percentiles** (Hesterberg 2015): the percentiles are taken at Φ(−t_{ν,1−α/2})
///    and its complement instead of α/2, ν the Welch degrees of freedom of the run statistics.
///
/// Resample `i` uses `Pcg64::new(seed, i)` (bit-identical for any thread count).
fn hierarchical_bootstrap(
    [control, treatment]: [&[&[f64]]; 2],
    [c_hat, t_hat]: [f64; 2],
    stat: RunStat,
    settings: BootSettings,
) -> (Stat<Interval>, Stat<Interval>) {
    let BootSettings {
        seed,
        resamples,
        confidence,
        df,
        target_variance,
    } = settings;
    let (kc, kt) = (control.len(), treatment.len());
    if kc < 2 || kt < 2 {
        let e = Err(Undefined::TooFew {
            need: 2,
            got: kc.min(kt),
        });
        return (e, e);
    }
    if resamples < 2 {
        let e = Err(Undefined::TooFew {
            need: 2,
            got: resamples,
        });
        return (e, e);
    }
    let longest = control
        .iter()
        .chain(treatment)
        .map(|r| r.len())
        .max()
        .unwrap_or(0);
    let arm = |runs: &[&[f64]], rng: &mut Pcg64, buf: &mut Vec<f64>| -> f64 {
        let k = runs.len();
        let mut sum = 0.0;
        for _ in 0..k {
            let run = runs.get(rng.random_range(0..k)).copied().unwrap_or(&[]);
            let n = run.len();
            buf.clear();
            buf.extend((0..n).map(|_| run.get(rng.random_range(0..n)).copied().unwrap_or(0.0)));
            sum += stat.of_buffer(buf);
        }
        sum / k as f64
    };
    let reps: Vec<(f64, f64)> = (0..resamples)
        .into_par_iter()
        .map_init(
            || Vec::with_capacity(longest),
            |buf, i| {
                let mut rng = Pcg64::new(u128::from(seed), i as u128);
                let c = arm(control, &mut rng, buf);
                (c, arm(treatment, &mut rng, buf))
            },
        )
        .collect();
    let (c_reps, t_reps): (Vec<f64>, Vec<f64>) = reps.into_iter().unzip();
    // Variance matching: the replicates keep their shape, their spread becomes the unbiased
    // run-level one S²/k, centred on the estimate.
    let matched = |reps: Vec<f64>, hat: f64, target: f64| -> Stat<Vec<f64>> {
        let b = reps.len() as f64;
        let mean = reps.iter().sum::<f64>() / b;
        let var = reps.iter().map(|r| (r - mean) * (r - mean)).sum::<f64>() / (b - 1.0);
        if !(var.is_finite() && target.is_finite()) {
            return Err(Undefined::OutOfRange);
        }
        let scale = if var > 0.0 {
            (target / var).sqrt()
        } else {
            0.0
        };
        Ok(reps.iter().map(|r| hat + scale * (r - mean)).collect())
    };
    if target_variance.iter().all(|v| *v <= 0.0) {
        let e = Err(Undefined::ZeroVariance);
        return (e, e);
    }
    let (c_reps, t_reps) = match (
        matched(c_reps, c_hat, target_variance[0]),
        matched(t_reps, t_hat, target_variance[1]),
    ) {
        (Ok(c), Ok(t)) => (c, t),
        (Err(e), _) | (_, Err(e)) => return (Err(e), Err(e)),
    };
    let (d, r): (Vec<f64>, Vec<f64>) = c_reps
        .iter()
        .zip(&t_reps)
        .map(|(c, t)| (t - c, t / c))
        .unzip();
    let Ok(t) = t_quantile(1.0 - confidence.tail(), df.max(1.0)) else {
        let e = Err(Undefined::OutOfRange);
        return (e, e);
    };
    let tail = crate::dist::normal_cdf(-t);
    let interval = |mut v: Vec<f64>| -> Stat<Interval> {
        if v.iter().any(|x| !x.is_finite()) {
            return Err(Undefined::OutOfRange);
        }
        v.sort_unstable_by(f64::total_cmp);
        Ok(Interval {
            lower: quantile_sorted(&v, tail, QuantileMethod::Linear),
            upper: quantile_sorted(&v, 1.0 - tail, QuantileMethod::Linear),
        })
    };
    (interval(d), interval(r))
}

/// Runs whose statistic lies outside the prediction interval of the arm's other runs (at least 3
/// runs): x̄₋ᵢ ± t_{k−2, 1−α/2}·s₋ᵢ·√(1 + 1/(k − 1)) with α = 0.05/k (Bonferroni: a 5 % chance of
/// a false alarm per arm when the run statistics are normal).
fn outlier_runs(arm: &'static str, runs: &[RunSummary], statistic: RunStat) -> Vec<OutlierRun> {
    let k = runs.len();
    if k < 3 {
        return Vec::new();
    }
    let level = 1.0 - 0.05 / k as f64;
    let Ok(t) = t_quantile(1.0 - (1.0 - level) / 2.0, k as f64 - 2.0) else {
        return Vec::new();
    };
    // Leave-one-out mean and sum of squares by downdating, O(k) in all:
    // x̄₋ᵢ = (k·x̄ − xᵢ)/(k − 1), SS₋ᵢ = SS − k/(k − 1)·(xᵢ − x̄)².
    let kf = k as f64;
    let stats: Vec<f64> = runs.iter().map(|r| r.stat).collect();
    let mean = stats.iter().map(|v| v / kf).sum::<f64>();
    let ss: f64 = stats.iter().map(|v| (v - mean) * (v - mean)).sum();
    runs.iter()
        .filter_map(|r| {
            let d = r.stat - mean;
            let m = mean - d / (kf - 1.0);
            let ss_other = (ss - kf / (kf - 1.0) * d * d).max(0.0);
            let sd = (ss_other / (kf - 2.0)).sqrt();
            let half = t * sd * (1.0 + 1.0 / (kf - 1.0)).sqrt();
            let iv = Interval {
                lower: m - half,
                upper: m + half,
            };
            (half.is_finite() && !iv.contains(r.stat)).then(|| OutlierRun {
                arm,
                name: r.name.clone(),
                statistic,
                stat: r.stat,
                others: iv,
                level,
            })
        })
        .collect()
}

/// The sample variance (n − 1) of `x`; `TooFew` below 2 values.
fn variance(x: &[f64]) -> Stat<f64> {
    let n = x.len();
    if n < 2 {
        return Err(Undefined::TooFew { need: 2, got: n });
    }
    let m = x.iter().sum::<f64>() / n as f64;
    Ok(x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (n as f64 - 1.0))
}

/// The plan (see [`Plan`]).
#[allow(clippy::too_many_arguments)]
fn plan(
    c: &VarianceComponents,
    t: &VarianceComponents,
    c_stats: &[f64],
    t_stats: &[f64],
    c_runs: &[RunSummary],
    t_runs: &[RunSummary],
    control_estimate: f64,
    config: &RunsConfig,
) -> Stat<Plan> {
    let power = 0.8;
    let alpha = config.verdict.alpha();
    let target_effect = config
        .target_effect
        .unwrap_or(if config.verdict.min_effect() > 0.0 {
            config.verdict.min_effect()
        } else {
            0.05
        });
    let all: Vec<&RunSummary> = c_runs.iter().chain(t_runs).collect();
    let mean_n = all.iter().map(|r| r.n as f64).sum::<f64>() / all.len() as f64;
    let run_cost = config.run_cost.unwrap_or(mean_n).max(0.0);
    let (requests_per_run, var_one_run, basis) = match config.stat {
        RunStat::Mean => {
            let pool = |a: &Stat<Estimate>, b: &Stat<Estimate>| -> Stat<f64> {
                Ok(0.5
                    * (a.as_ref().map_err(|e| *e)?.estimate + b.as_ref().map_err(|e| *e)?.estimate))
            };
            let sw = pool(&c.within, &t.within)?;
            let sb = 0.5 * (c.between_raw?.max(0.0) + t.between_raw?.max(0.0));
            if sb <= 0.0 {
                // No between-run variance detected: one run of many requests is as good as many.
                let n = mean_n.round().max(2.0) as usize;
                (
                    n,
                    sw / n as f64,
                    format!(
                        "no variance between runs was detected (σ_B² ≤ 0), so the run size is kept at the pilot's {n}; more requests per run are as good as more runs"
                    ),
                )
            } else {
                let n = (run_cost * sw / sb).sqrt().ceil().clamp(1.0, 1e9) as usize;
                (
                    n,
                    sb + sw / n as f64,
                    format!(
                        "requests per run = ⌈√(run cost {run_cost:.0} × σ_W² {sw:.4e} / σ_B² {sb:.4e})⌉ (Kalibera & Jones 2013)"
                    ),
                )
            }
        }
        _ => {
            let v = 0.5 * (variance(c_stats)? + variance(t_stats)?);
            let n = mean_n.round().max(1.0) as usize;
            (
                n,
                v,
                format!(
                    "for a percentile the run size is kept at the pilot's {n} and the variance of the run {} is taken as observed",
                    config.stat
                ),
            )
        }
    };
    let delta = target_effect * control_estimate.abs();
    if !(delta > 0.0 && var_one_run.is_finite()) {
        return Err(Undefined::OutOfRange);
    }
    let mut k = 2usize;
    loop {
        let df = 2.0 * k as f64 - 2.0;
        let za = t_quantile(1.0 - alpha / 2.0, df).map_err(|_| Undefined::OutOfRange)?;
        let zb = t_quantile(power, df).map_err(|_| Undefined::OutOfRange)?;
        if (za + zb) * (2.0 * var_one_run / k as f64).sqrt() <= delta {
            break;
        }
        if k >= PLAN_MAX_RUNS {
            return Err(Undefined::OutOfRange);
        }
        // Jump close to the normal-approximation answer, then step.
        let zn = normal_quantile(1.0 - alpha / 2.0).unwrap_or(1.96)
            + normal_quantile(power).unwrap_or(0.84);
        let guess = (2.0 * var_one_run * zn * zn / (delta * delta)).floor() as usize;
        k = if guess > k + 1 {
            guess.min(PLAN_MAX_RUNS)
        } else {
            k + 1
        };
    }
    Ok(Plan {
        target_effect,
        power,
        run_cost,
        requests_per_run,
        runs_per_arm: k,
        basis,
    })
}

//! Statistics for performance data.
//!
//! `perfstat-stats` turns a sample of measurements (latencies, durations,
//! throughputs) into the numbers a performance engineer defends: descriptive
//! statistics, quantiles with distribution-free intervals, normality and
//! outlier tests, and a seeded, parallel bootstrap.
//!
//! # Brief overview
//!
//! - [`Sample`]: a validated (finite, non-empty) sample, sorted once.
//! - [`describe()`]: every statistic of the `describe` JSON contract at once.
//! - [`Undefined`] / [`Stat`]: a statistic that is undefined for the data
//!   (too few values, zero variance) is an `Err(Undefined)` with the reason,
//!   never an invented number.
//! - [`compare::compare()`]: everything `perfstat ab` reports for a
//!   [`compare::Pair`] of samples — Welch, Mann–Whitney, effect sizes,
//!   relative and quantile differences with intervals, a verdict, warnings.
//! - [`adjust`]: Holm and Benjamini–Hochberg adjusted p-values.
//! - [`bootstrap`]: seeded, parallel percentile and BCa intervals.
//! - [`scale`]: exact power-of-two scaling, so every statistic is defined for
//!   any finite data, from subnormals to ±`f64::MAX`.
//! - [`duration`]: the one duration grammar (`800ms`, `100us`, `1h`); the
//!   caller decides what a bare number means.
//! - [`thresholds`]: when a sample is called "not normal" or "heavily skewed".
//!
//! # Example
//!
//! ```
//! use perfstat_stats::{describe, Confidence, Sample};
//! let sample = Sample::new(vec![12.0, 15.5, 11.2, 13.9, 14.1, 12.7, 40.0, 13.3])?;
//! let d = describe(&sample, Confidence::new(0.95)?);
//! assert_eq!(d.n, 8);
//! assert!((d.median - 13.6).abs() < 1e-12);
//! assert!(d.mean_ci.is_ok());
//! # Ok::<(), perfstat_stats::Error>(())
//! ```
//!
//! # Algorithms and references
//!
//! See `docs/numerics.md` in the repository for each statistic's definition,
//! the reference implementation it is tested against and the tolerance.
//!
//! # What is hand-written and why
//!
//! statrs (without its nalgebra/rand features) is used for `ln Γ`, the
//! regularized incomplete gamma function and `erfc⁻¹`. Written here, because
//! no crate does them right for this job (measured against
//! scipy; figures in `docs/numerics.md`):
//!
//! - the normal distribution function (statrs' `erfc` is 4.5e-11 off at
//!   −1.96; Cody's approximations here are 1e-16), the regularized incomplete
//!   beta (statrs stops after 140 terms: 1e-8 off at 10⁷ degrees of freedom)
//!   and with them the Student t and binomial functions, and a Student t
//!   quantile that stays exact for df = 1 at p = 1e-300 and for df = 1e9
//!   (statrs' is 6.8 % off at df = 1e7 and panics at tiny p) — [`dist`];
//! - Shapiro–Wilk (no Rust crate has it; a port of scipy's `swilk`), the
//!   D'Agostino–Pearson K² test, and Anderson–Darling p-values (statrs'
//!   `anderson_darling` sorts with a panicking comparison) — [`normality`];
//! - Welch's t-test and an O(n log n) Mann–Whitney U (statrs' is O(n²):
//!   5 s at 10⁵ values) — [`compare`];
//! - quantiles of every Hyndman–Fan type as numpy defines them (statrs
//!   implements type 8 only), distribution-free quantile intervals,
//!   Tukey/MAD outliers, the bootstrap, Holm and Benjamini–Hochberg.

mod confidence;
mod describe;
mod error;
mod sample;

pub mod adjust;
pub mod bootstrap;
pub mod compare;
pub mod dist;
pub mod duration;
pub mod fraction;
pub mod interval;
pub mod moments;
pub mod normality;
pub mod outliers;
pub mod proportion;
pub mod quantile;
pub mod scale;
pub mod slo;
pub mod thresholds;
pub mod warmup;

pub use crate::confidence::{Confidence, Estimate, Interval};
pub use crate::describe::{Description, PERCENTILE_LEVELS, describe};
pub use crate::error::{Error, Result, Stat, Undefined};
pub use crate::sample::Sample;

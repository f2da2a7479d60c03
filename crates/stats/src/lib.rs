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

mod confidence;
mod describe;
mod error;
mod sample;

pub mod adjust;
pub mod bootstrap;
pub mod compare;
pub mod dist;
pub mod interval;
pub mod moments;
pub mod normality;
pub mod outliers;
pub mod quantile;

pub use crate::confidence::{Confidence, Estimate, Interval};
pub use crate::describe::{Description, PERCENTILE_LEVELS, describe};
pub use crate::error::{Error, Result, Stat, Undefined};
pub use crate::sample::Sample;

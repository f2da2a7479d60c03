//! Capacity analysis of load tests run at several load levels.
//!
//! Given one run per load level (1, 5, 10, 25, 50 concurrent users, or
//! arrival rates), [`analyze`] answers the questions a capacity review asks:
//!
//! - **Per level**: throughput with an interval, latency percentiles (p50,
//!   p95, p99) with distribution-free intervals
//!   ([`perfstat_stats::interval::quantile_interval`]), the error rate with a
//!   Wilson interval ([`perfstat_stats::proportion::wilson_interval`]), the `--slo-p95` / `--min-success` checks,
//!   and general objectives (`p95<800ms`, `error_rate<1%`,
//!   `throughput>=100/s`: [`Options::slos`]) judged pass / fail / uncertain
//!   on the level's intervals as `perfstat describe` judges them
//!   ([`perfstat_stats::slo`]).
//! - **Model**: Gunther's Universal Scalability Law
//!   X(N) = λN / (1 + σ(N − 1) + κN(N − 1)) fitted to throughput by
//!   Levenberg–Marquardt, bounded (σ, κ ∈ [0, 1]) by default
//!   ([`usl::fit_with`], [`FitMethod`]), replicates as separate points and
//!   optional 1/sd² weights, compared with Amdahl's law, predictions with
//!   prediction intervals ([`Options::predict`]), with curve_fit-equivalent standard
//!   errors and t intervals, R², and the peak N* = √((1 − σ)/κ) — claimed only
//!   when κ's interval lies above 0 ([`usl::UslFit::peak`]).
//! - **Little's law** N ≈ X·R per level, to flag runs whose load generator was
//!   the bottleneck (closed workloads) or could not deliver the offered rate
//!   (open workloads).
//! - **Capacity points**: the saturation point (throughput within 5 % of the
//!   model's peak), the degradation point (first level whose p95 crosses the
//!   SLO, whose success rate falls below the minimum, or whose estimate breaks
//!   an objective: [`SloCrossing`]), and the highest level that meets every
//!   objective with confidence.
//!
//! Typed records in, typed results out: [`analyze`] reads no file, and the
//! crate prints nothing (`perfstat capacity` does). The [`input`] module
//! turns tables of aggregates and per-request datasets into [`Run`]s, with
//! [`InputError`]s naming file, line and column. It never panics on user
//! data; problems are [`Error`]s. A fit needs at least 3 distinct levels (3 parameters); with
//! exactly 3 the curve interpolates the points and no interval, R² or peak is
//! reported. See `docs/capacity.md` for the definitions.
//!
//! ```
//! use perfstat_capacity::{analyze, Aggregates, Options, Run, RunData};
//!
//! // A service with λ = 100/s, σ = 0.05, κ = 0.002 (peak at N* ≈ 21.8).
//! let usl = |n: f64| 100.0 * n / (1.0 + 0.05 * (n - 1.0) + 0.002 * n * (n - 1.0));
//! let runs: Vec<Run> = [1.0, 4.0, 8.0, 16.0, 32.0, 64.0]
//!     .iter()
//!     .enumerate()
//!     .map(|(i, &n)| Run {
//!         level: n,
//!         source: format!("row {}", i + 1),
//!         data: RunData::Aggregates(Aggregates {
//!             // ±0.5 % noise so that the fit has residuals.
//!             throughput: usl(n) * (1.0 + 0.005 * if i % 2 == 0 { 1.0 } else { -1.0 }),
//!             ..Aggregates::default()
//!         }),
//!     })
//!     .collect();
//! let a = analyze(&runs, &Options::default())?;
//! let fit = a.fit.as_ref().unwrap();
//! assert!((fit.params.kappa - 0.002).abs() < 2e-4);
//! let peak = a.peak.as_ref().unwrap();
//! assert!((peak.load.estimate - 21.8).abs() < 1.5);
//! # Ok::<(), perfstat_capacity::Error>(())
//! ```

mod analysis;
mod error;
pub mod input;
mod model;
mod objectives;
pub mod usl;

pub use crate::analysis::{
    Aggregates, Analysis, Degradation, LevelSummary, Little, LittleVerdict, Measure, Options,
    PERCENTILES, Percentile, Requests, Run, RunData, Saturation, SloCheck, Workload, analyze,
};
pub use crate::error::{Error, Result};
pub use crate::input::{InputError, InputResult};
pub use crate::model::{FitMethod, LevelModel, Prediction, parse_load};
pub use crate::objectives::{SloCrossing, is_latency, is_lower_bound};

//! Regression detection for a history of benchmark or load-test runs.
//!
//! `perfstat-regress` answers two questions per metric:
//!
//! 1. **Is tonight worse than last week?** The current (last) run against the
//!    `window` runs before it ([`window`]): change against the baseline mean,
//!    a one-sided prediction-interval t test, a relative threshold per metric
//!    ([`config`]), and Benjamini–Hochberg control of the false discovery
//!    rate across metrics ([`analyze()`]). A regression needs both the
//!    threshold crossed in the worse direction and significance.
//! 2. **When did performance change?** Robust PELT over the whole history
//!    ([`changepoint`]): confirmed change points, single-run spikes as
//!    outliers, and a *candidate* for a shift in the newest runs that is not
//!    yet confirmed.
//!
//! Histories are read by [`history::read_history`] (wide CSV, long CSV,
//! JSON lines); missing values are gaps, never zeros.
//!
//! # Example
//!
//! ```
//! use perfstat_regress::{analyze, Config, Status};
//! use perfstat_regress::history::read_history;
//! let mut csv = String::from("night,commit,throughput_rps\n");
//! for i in 0..8 {
//!     let v = if i == 7 { 780.0 } else { 1000.0 + (i % 3) as f64 * 5.0 };
//!     csv.push_str(&format!("{i},c{i},{v}\n"));
//! }
//! let history = read_history(csv.as_bytes(), "history.csv")?;
//! let analysis = analyze(&history, &Config::default())?;
//! assert_eq!(analysis.metrics[0].status, Status::Regression); // −22 % throughput
//! assert_eq!(analysis.count(Status::Regression), 1);
//! # Ok::<(), perfstat_regress::Error>(())
//! ```
//!
//! Methods, references and measured accuracy: `docs/regress.md`.

pub mod analyze;
pub mod atomic;
pub mod changepoint;
pub mod config;
pub mod drift;
mod error;
pub mod history;
pub mod joint;
pub mod window;

pub use crate::analyze::{
    Analysis, Cache, Config, DriftFinding, DriftStatus, MetricResult, Status, analyze,
    analyze_resumable,
};
pub use crate::error::{ConfigError, Error, HistoryErrorKind, Position, Result};

//! Pareto fronts over measured configurations: dominance with per-objective
//! directions, non-dominated sorting into all fronts, NSGA-II crowding distance,
//! exact hypervolume, a knee point, constraints and uncertainty-aware verdicts.
//!
//! Typed records in, typed results out, and [`input`] reads configs files
//! (JSON documents, flat records, CSV/TSV, per-request sample files) with
//! positioned errors. Nothing is printed.
//!
//! Two levels:
//!
//! - [`analyze`] takes [`Objective`]s and [`Config`]s (metrics by name, single
//!   values or repeated measurements) and returns an [`Analysis`]: per config
//!   feasibility, rank, crowding distance, `dominated_by`, interval and
//!   [`Status`]; the fronts; the hypervolume of the first front; the knee.
//! - The algorithms on a columnar [`Points`] matrix (n × m `f64`, row-major, in
//!   minimisation space — max objectives are negated once by [`Points::new`]):
//!   [`rank`], [`crowding_distance`], [`hypervolume`], [`knee()`].
//!
//! Semantics follow the `pareto` JSON contract: `a` dominates `b` when it is no
//! worse in every objective and strictly better in one; equal points do not
//! dominate each other and share a front. Ranks equal pymoo 0.6.2's
//! `NonDominatedSorting` (moocore's `pareto_rank`) plus one; crowding distances
//! equal pymoo's `calc_crowding_distance`; hypervolumes equal pymoo's `HV`
//! (moocore). See `docs/pareto.md` for algorithms, references and complexities.
//!
//! ```
//! use perfstat_pareto::{analyze, Config, Objective, Options, Status};
//!
//! let objectives = [Objective::min("cost"), Objective::max("tokens_per_s")];
//! let configs = [
//!     Config::new("a", [("cost", 1.0), ("tokens_per_s", 100.0)]),
//!     Config::new("b", [("cost", 2.0), ("tokens_per_s", 300.0)]),
//!     Config::new("c", [("cost", 2.5), ("tokens_per_s", 250.0)]), // worse than b
//! ];
//! let options = Options {
//!     reference: Some(vec![3.0, 0.0]), // cost 3, throughput 0: own units
//!     ..Options::default()
//! };
//! let a = analyze(&objectives, &configs, &options)?;
//! assert_eq!(a.configs[0].rank, Some(1));
//! assert_eq!(a.configs[2].rank, Some(2));
//! assert_eq!(a.configs[2].dominated_by, vec![1]); // "b"
//! assert_eq!(a.configs[2].status, Some(Status::Dominated));
//! assert_eq!(a.fronts, vec![vec![0, 1], vec![2]]);
//! // (3-1)*100 + (3-2)*(300-100)
//! assert_eq!(a.hypervolume, Some(400.0));
//! # Ok::<(), perfstat_pareto::Error>(())
//! ```

mod analysis;
mod constraint;
mod crowding;
mod error;
mod hv;
pub mod input;
mod knee;
mod nearest;
mod objective;
mod points;
pub mod sort;
pub mod uncertainty;

pub use analysis::{
    Analysis, Config, ConfigResult, DOMINATED_BY_LIMIT, DominatedByLimit, Metric, Metrics, Options,
    ParseReferenceError, analyze, parse_reference, reference_from_pairs,
};
pub use constraint::{Constraint, Op, ParseConstraintError};
pub use crowding::crowding_distance;
pub use error::{Error, Result};
pub use hv::hypervolume;
pub use knee::knee;
pub use objective::{Direction, Objective, ObjectiveSpec, ParseObjectiveError};
pub use points::{Points, dominates, dominates_with};
pub use sort::{Algorithm, first_front, fronts_from_ranks, rank, rank_naive, rank_with};
pub use uncertainty::Status;

/// Uniform values in [0, 1) from a fixed xorshift seed, for the unit tests' random points.
#[cfg(test)]
pub(crate) fn test_uniforms() -> impl FnMut() -> f64 {
    let mut s = 0x9E37_79B9_7F4A_7C15u64;
    move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f64 / (1u64 << 53) as f64
    }
}

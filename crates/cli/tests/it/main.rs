//! Integration tests of the `perfstat` binary: one test binary.

mod ab;
mod ab_runs;
mod bad_input;
mod capacity;
mod capacity_input;
mod describe;
mod extreme_values;
mod formats;
mod help;
mod ingest_errors;
mod out_dir;
mod pareto;
mod pareto_input;
mod parity;
mod plots_extreme;
mod regress;
mod regress_direction;
mod regress_reliability;
mod slo;
mod snapshots;
mod util;

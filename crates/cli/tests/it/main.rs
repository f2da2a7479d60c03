//! Integration tests of the `perfstat` binary: one test binary.

mod ab;
mod bad_input;
mod capacity;
mod describe;
mod extreme_values;
mod formats;
mod pareto;
mod regress;
mod slo;
mod snapshots;
mod util;

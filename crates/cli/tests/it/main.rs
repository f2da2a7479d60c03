//! Integration tests of the `perfstat` binary: one test binary.

mod ab;
mod bad_input;
mod capacity;
mod describe;
mod formats;
mod pareto;
mod regress;
mod regress_direction;
mod regress_reliability;
mod slo;
mod snapshots;
mod util;

//! Integration tests of the `perfstat` binary: one test binary.

mod ab;
mod bad_input;
mod describe;
mod pareto;
mod regress;
mod snapshots;
mod util;

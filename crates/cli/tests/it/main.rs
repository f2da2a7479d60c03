//! Integration tests of the `perfstat` binary: one test binary.

mod ab;
mod bad_input;
mod capacity;
mod describe;
mod formats;
mod ingest_errors;
mod pareto;
mod regress;
mod slo;
mod snapshots;
mod util;

//! Integration tests of perfstat-regress: one test binary.

mod analysis;
mod drift;
mod incremental;
mod window;

//! Integration tests of perfstat-regress: one test binary.

mod analysis;
mod incremental;
mod window;

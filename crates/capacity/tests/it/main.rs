//! Integration tests of perfstat-capacity: one test binary.

mod fit;
mod input;
mod points;

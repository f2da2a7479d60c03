//! Integration tests of perfstat-stats: one binary.

mod nist;
mod properties;
mod reference;

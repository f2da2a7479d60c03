//! Integration tests of perfstat-stats: one binary.

mod compare;
mod nist;
mod properties;
mod reference;

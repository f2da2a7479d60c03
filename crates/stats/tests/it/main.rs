//! Integration tests of perfstat-stats: one binary.

mod ab;
mod compare;
mod hierarchical;
mod nist;
mod properties;
mod reference;

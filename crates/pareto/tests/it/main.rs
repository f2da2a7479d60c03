//! Integration tests of perfstat-pareto: one binary.

mod api;
mod properties;
mod reference;

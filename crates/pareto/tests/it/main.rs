//! Integration tests of perfstat-pareto: one binary.

mod api;
mod input;
mod properties;
mod reference;

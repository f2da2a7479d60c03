//! Integration tests of perfstat-report: one binary.

mod plot;
mod plot_extreme;

//! Ranks a few serving configurations on cost (min) and throughput (max).
//!
//! ```text
//! cargo run -p perfstat-examples --example pareto_front
//! ```
#![allow(clippy::print_stdout)]

fn main() -> anyhow::Result<()> {
    print!("{}", perfstat_examples::pareto_front()?);
    Ok(())
}

//! Ranks a few serving configurations on cost (min) and throughput (max).
//!
//! ```text
//! cargo run -p perfstat-examples --example pareto_front
//! ```
#![allow(clippy::print_stdout)]

use perfstat_pareto::{Config, Objective, Options, analyze};

fn main() -> anyhow::Result<()> {
    let objectives = [Objective::min("cost"), Objective::max("tokens_per_s")];
    let configs = [
        Config::new("a", [("cost", 1.0), ("tokens_per_s", 100.0)]),
        Config::new("b", [("cost", 2.0), ("tokens_per_s", 300.0)]),
        Config::new("c", [("cost", 2.5), ("tokens_per_s", 250.0)]),
    ];
    let options = Options {
        reference: Some(vec![3.0, 0.0]),
        ..Options::default()
    };
    let a = analyze(&objectives, &configs, &options)?;
    let ids = |front: &[usize]| {
        front
            .iter()
            .map(|&i| configs[i].id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!("front: {}", ids(&a.fronts[0]));
    for (i, r) in a.configs.iter().enumerate() {
        println!(
            "{}: rank {:?}, dominated by {:?}",
            configs[i].id, r.rank, r.dominated_by
        );
    }
    println!("hypervolume: {:?}", a.hypervolume);
    Ok(())
}

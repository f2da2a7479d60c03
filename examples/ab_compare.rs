//! Compares two files of latencies the way `perfstat ab` does, from the library.
//!
//! ```text
//! cargo run -p perfstat-examples --example ab_compare -- data/control.csv data/treatment.csv
//! ```
#![allow(clippy::print_stdout)]

use std::path::Path;

use perfstat_ingest::{ReadOptions, read_path};
use perfstat_stats::Sample;
use perfstat_stats::compare::{CompareConfig, Pair, compare};

fn values(path: &str) -> anyhow::Result<Sample> {
    let data = read_path(Path::new(path), &ReadOptions::default())?;
    Ok(Sample::new(
        data.groups.into_iter().flat_map(|g| g.values).collect(),
    )?)
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let control = values(&args.next().unwrap_or_else(|| "data/control.csv".to_owned()))?;
    let treatment = values(
        &args
            .next()
            .unwrap_or_else(|| "data/treatment.csv".to_owned()),
    )?;
    let c = compare(
        Pair {
            control: &control,
            treatment: &treatment,
        },
        &CompareConfig::default(),
    );
    println!("verdict: {}", c.verdict.verdict.as_str().replace('_', " "));
    println!("{}", c.verdict.explanation);
    if let Ok(m) = c.median_difference {
        let d = m.difference;
        println!(
            "median difference {:.2} [{:.2}, {:.2}]",
            d.estimate, d.lower, d.upper
        );
    }
    for w in &c.warnings {
        println!("warning: {w}");
    }
    Ok(())
}

//! Reads one column of a CSV/JSON file and prints its main statistics.
//!
//! ```text
//! cargo run -p perfstat-examples --example describe_file -- data/run.csv latency_ms
//! ```
#![allow(clippy::print_stdout)]

use std::path::Path;

use perfstat_ingest::{ReadOptions, read_path};
use perfstat_stats::{Confidence, Sample, describe};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| "data/run.csv".to_owned());
    let metric = args.next();
    let options = ReadOptions {
        metric,
        ..ReadOptions::default()
    };
    let data = read_path(Path::new(&path), &options)?;
    let values: Vec<f64> = data.groups.into_iter().flat_map(|g| g.values).collect();
    let sample = Sample::new(values)?;
    let d = describe(&sample, Confidence::new(0.95)?);
    println!("{} · {path}: n = {}", data.metric, d.n);
    println!(
        "mean {:.3} (95% CI {:?})",
        d.mean,
        d.mean_ci.map(|i| (i.lower, i.upper))
    );
    println!(
        "median {:.3} (95% CI {:?})",
        d.median,
        d.median_ci.map(|i| (i.lower, i.upper))
    );
    println!("p99 {:.3}", d.percentiles[3]);
    match d.shapiro_wilk {
        Ok(sw) => println!(
            "Shapiro–Wilk W = {:.4}, p = {:.3e}",
            sw.statistic, sw.p_value
        ),
        Err(why) => println!("Shapiro–Wilk undefined: {why}"),
    }
    Ok(())
}

//! Reads one column of a CSV/JSON file and prints its main statistics.
//!
//! ```text
//! cargo run -p perfstat-examples --example describe_file -- data/run.csv latency_ms
//! ```
#![allow(clippy::print_stdout)]

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| "data/run.csv".to_owned());
    print!("{}", perfstat_examples::describe_file(&path, args.next())?);
    Ok(())
}

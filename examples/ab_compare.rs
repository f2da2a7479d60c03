//! Compares two files of latencies the way `perfstat ab` does, from the library.
//!
//! ```text
//! cargo run -p perfstat-examples --example ab_compare -- data/control.csv data/treatment.csv
//! ```
#![allow(clippy::print_stdout)]

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let control = args.next().unwrap_or_else(|| "data/control.csv".to_owned());
    let treatment = args
        .next()
        .unwrap_or_else(|| "data/treatment.csv".to_owned());
    print!("{}", perfstat_examples::ab_compare(&control, &treatment)?);
    Ok(())
}

//! Ranks a matrix stored as raw little-endian f64 values, row-major, all objectives
//! minimised (the benchmark script writes it), and prints the timing.
//!
//! Usage: `rank_file FILE M [auto|dc|naive] [RANKS_OUT]`
//!
//! Prints `n m fronts seconds` (seconds of the ranking only, file reading
//! excluded; `Points` construction included). With `RANKS_OUT`, writes the
//! 1-based ranks as little-endian u32 values.

use perfstat_pareto::{Algorithm, Points, rank_with};
use std::io::Write;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        return Err("usage: rank_file FILE M [auto|dc|naive] [RANKS_OUT]".into());
    }
    let bytes = std::fs::read(&args[1])?;
    let m: usize = args[2].parse()?;
    let algorithm = match args.get(3).map(String::as_str) {
        None | Some("auto") => Algorithm::Auto,
        Some("dc") => Algorithm::DivideAndConquer,
        Some("naive") => Algorithm::Naive,
        Some(other) => return Err(format!("unknown algorithm {other}").into()),
    };
    let data: Vec<f64> = bytes
        .chunks_exact(8)
        .map(|c| {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            f64::from_le_bytes(b)
        })
        .collect();
    let start = Instant::now();
    let points = Points::from_min(data, m)?;
    let ranks = rank_with(&points, algorithm);
    let secs = start.elapsed().as_secs_f64();
    let fronts = ranks.iter().copied().max().unwrap_or(0);
    writeln!(
        std::io::stdout(),
        "{} {} {} {:.6}",
        points.len(),
        m,
        fronts,
        secs
    )?;
    if let Some(out) = args.get(4) {
        let buf: Vec<u8> = ranks.iter().flat_map(|r| r.to_le_bytes()).collect();
        std::fs::write(out, buf)?;
    }
    Ok(())
}

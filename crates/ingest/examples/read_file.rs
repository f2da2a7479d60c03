//! Reads one input and prints what was read and how long it took: `cargo run --release -p
//! perfstat-ingest --example read_file -- FILE [METRIC [BY]]`.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::{path::PathBuf, process::ExitCode, time::Instant};

use perfstat_ingest::{ReadOptions, read_path};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next().map(PathBuf::from) else {
        eprintln!("usage: read_file FILE [METRIC [BY]]");
        return ExitCode::from(2);
    };
    let opts = ReadOptions {
        metric: args.next(),
        by: args.next(),
        ..ReadOptions::default()
    };
    let start = Instant::now();
    match read_path(&path, &opts) {
        Ok(data) => {
            let elapsed = start.elapsed();
            let sum: f64 = data.values().sum();
            println!(
                "{}: metric {}, {} rows, {} skipped, {} groups, mean {:.4}, read in {:.3} s",
                data.source,
                data.metric,
                data.rows,
                data.skipped,
                data.groups.len(),
                sum / data.len() as f64,
                elapsed.as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
    }
}

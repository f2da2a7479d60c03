//! `perfstat`: statistics for load tests and benchmarks.
//!
//! Exit status: 0 ran fine and no gate tripped; 1 a condition the user asked to fail on holds (a
//! regression, a failed SLO); 2 a usage, input or I/O error. A closed pipe on stdout (`perfstat … |
//! head`) is not an error, nor is a closed stderr. With `--out`, SIGINT, SIGTERM and SIGHUP remove
//! the report's temporary folder and exit 128 + the signal (130, 143, 129).

mod args;
mod commands;
mod output;

use std::process::ExitCode;

use clap::Parser as _;

use crate::args::{Cli, Command};

fn main() -> ExitCode {
    // clap prints help and the version on stdout (exit 0), usage errors on stderr (exit 2).
    let result = match &Cli::parse().command {
        Command::Describe(args) => commands::describe::run(args),
        Command::Ab(args) => commands::ab::run(args),
        Command::Pareto(args) => commands::pareto::run(args),
        Command::Regress(args) => commands::regress::run(args),
        Command::Capacity(args) => commands::capacity::run(args),
    };
    match result {
        // Ok(true): a --fail-on condition holds.
        Ok(false) => ExitCode::SUCCESS,
        Ok(true) => ExitCode::from(1),
        Err(err) if output::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            output::print_error(&err);
            ExitCode::from(2)
        }
    }
}

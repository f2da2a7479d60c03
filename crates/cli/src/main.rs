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
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help/version to stdout (exit 0) and usage errors to stderr (exit 2).
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    if let Err(err) = check_out(&cli.command) {
        output::print_error(&err);
        return ExitCode::from(2);
    }
    let result = match &cli.command {
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

/// Refuses an `--out` that could lose a file (before anything is read) and, when there is one,
/// removes the report's temporary folder on a signal.
fn check_out(command: &Command) -> anyhow::Result<()> {
    let (output, inputs) = command.output_and_inputs();
    let Some(out) = &output.out else {
        return Ok(());
    };
    perfstat_report::out_dir::check_target(out, &inputs, output.force)?;
    perfstat_report::out_dir::remove_temporaries_on_signal()?;
    Ok(())
}

//! Writing results and errors: the only place that prints.
//!
//! stdout errors (a closed pipe) reach the caller; stderr errors are ignored, so a closed stderr
//! changes nothing but what is seen.

use std::io::Write as _;

use anyhow::Context as _;
use perfstat_report::{OutDir, Render};

use crate::args::{Format, OutputArgs};

/// Writes `text` to stdout (a closed pipe surfaces as an error the caller recognises with
/// [`is_broken_pipe`]).
pub(crate) fn stdout(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    if !text.ends_with('\n') {
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

/// The report folder of `--out`, created (atomically written by [`report`]).
pub(crate) fn out_dir(output: &OutputArgs) -> anyhow::Result<Option<OutDir>> {
    Ok(output.out.as_deref().map(OutDir::create).transpose()?)
}

/// Emits a command's result: the report folder of `--out`, then stdout.
pub(crate) fn emit(output: &OutputArgs, command: &str, result: &impl Render) -> anyhow::Result<()> {
    emit_to(output, command, result, out_dir(output)?)
}

/// [`emit`] into the report folder `out` created earlier (of [`out_dir`]).
pub(crate) fn emit_to(
    output: &OutputArgs,
    command: &str,
    result: &impl Render,
    out: Option<OutDir>,
) -> anyhow::Result<()> {
    report(output, command, result, out)?;
    print(output, result)
}

/// Finishes the report folder (`report.md` with the plots, `COMMAND.json`, moved into place) and
/// says where it is.
pub(crate) fn report(
    output: &OutputArgs,
    command: &str,
    result: &impl Render,
    out: Option<OutDir>,
) -> anyhow::Result<()> {
    let Some(out) = out else { return Ok(()) };
    let markdown = result.report(out.path(), output.row_limit())?;
    let json =
        serde_json::to_string_pretty(&result.json()).context("cannot serialise the JSON output")?;
    let report = out.finish(command, env!("CARGO_PKG_VERSION"), &markdown, &json)?;
    note(&format!("wrote {}", report.display()));
    Ok(())
}

/// Prints a command's result on stdout in the chosen format; JSON is streamed
/// (`perfstat_report::json::write`, `--compact` or indented).
pub(crate) fn print(output: &OutputArgs, result: &impl Render) -> anyhow::Result<()> {
    match output.format {
        Format::Table => stdout(&result.table(output.row_limit())),
        Format::Json => perfstat_report::json::write(
            &result.json_in(output.layout()),
            std::io::stdout().lock(),
            output.layout(),
        )
        .map_err(|e| match e.io_error_kind() {
            Some(kind) => anyhow::Error::from(std::io::Error::from(kind)),
            None => anyhow::Error::from(e).context("cannot serialise the JSON output"),
        }),
        Format::Markdown => stdout(&result.markdown(output.row_limit())),
    }
}

/// A note for the user on stderr (never mixed into the data on stdout).
pub(crate) fn note(text: &str) {
    stderr(&format!("{text}\n"));
}

/// Writes to stderr, ignoring errors (a closed stderr is no reason to fail).
fn stderr(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    let _ = err.flush();
}

/// Whether the error is a closed stdout pipe.
pub(crate) fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Prints `error: …` (one paragraph, no backtrace) and any hints.
pub(crate) fn print_error(err: &anyhow::Error) {
    let mut msg = format!("error: {err}");
    for cause in err.chain().skip(1) {
        let text = cause.to_string();
        if !msg.contains(&text) {
            msg.push_str(": ");
            msg.push_str(&text);
        }
    }
    if let Some(advice) = out_advice(err) {
        msg.push_str(": ");
        msg.push_str(advice);
    }
    // Messages name the report folder as given, never its temporary sibling.
    let mut text = perfstat_report::out_dir::name_targets(&msg);
    text.push('\n');
    if let Some(hint) = crate::commands::hint(err) {
        text.push_str(&format!("\nhint: {hint}\n"));
    }
    stderr(&text);
}

/// What to do when `--out` is refused.
fn out_advice(err: &anyhow::Error) -> Option<&'static str> {
    use perfstat_report::out_dir::Refusal;
    let refusal = err.chain().find_map(|e| match e.downcast_ref() {
        Some(perfstat_report::Error::Refused(r)) => Some(r),
        _ => e.downcast_ref::<Refusal>(),
    })?;
    Some(match refusal {
        Refusal::ExistingReport { .. } => "pass --force to replace it",
        Refusal::NotAReport { .. } => {
            "give --out a new or empty folder (--force replaces only a perfstat report)"
        }
        Refusal::IsInput { .. } | Refusal::ContainsInput { .. } => {
            "give --out a folder that holds no input of the run"
        }
        _ => "give --out the name of a new folder",
    })
}

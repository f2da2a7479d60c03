//! Writing results and errors: the only place that prints.
//!
//! stdout errors (a closed pipe) reach the caller; stderr errors are ignored, so a closed stderr
//! changes nothing but what is seen.

use std::io::Write as _;
use std::path::PathBuf;

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

/// Refuses an `--out` that could lose a file, before anything is read (`inputs`: every file the
/// command reads or, like regress's history and cache, rewrites); when there is one, removes the
/// report's temporary folder on a signal.
pub(crate) fn check_out<P: Into<PathBuf>>(
    output: &OutputArgs,
    inputs: impl IntoIterator<Item = P>,
) -> anyhow::Result<()> {
    let Some(out) = &output.out else {
        return Ok(());
    };
    let inputs: Vec<PathBuf> = inputs.into_iter().map(Into::into).collect();
    perfstat_report::out_dir::check_target(out, &inputs, output.force)?;
    perfstat_report::out_dir::remove_temporaries_on_signal()?;
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
    let report =
        result.write_report(out, command, env!("CARGO_PKG_VERSION"), output.row_limit())?;
    note(&format!("wrote {}", report.display()));
    Ok(())
}

/// Prints a command's result on stdout in the chosen format (JSON streamed, `--compact` or
/// indented).
pub(crate) fn print(output: &OutputArgs, result: &impl Render) -> anyhow::Result<()> {
    match output.format {
        Format::Table => stdout(&result.table(output.row_limit())),
        Format::Json => Ok(result.write_json(std::io::stdout().lock(), output.layout())?),
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
    // The causes not already said, then what to do about a refused --out.
    let causes = err.chain().skip(1).map(ToString::to_string);
    for text in causes.chain(out_advice(err).map(str::to_owned)) {
        if !msg.contains(&text) {
            msg = format!("{msg}: {text}");
        }
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

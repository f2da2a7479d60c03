//! Writing results and errors: the only place that prints.
//!
//! stdout errors (a closed pipe) reach the caller; stderr errors are ignored, so a closed stderr
//! changes nothing but what is seen.

use std::io::Write as _;

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

/// A JSON document of the contract: pretty-printed, numbers at full precision.
pub(crate) fn json_doc(doc: &impl serde::Serialize) -> anyhow::Result<String> {
    use anyhow::Context as _;
    serde_json::to_string_pretty(doc).context("cannot serialise the JSON output")
}

/// Finishes a report folder (`report.md`, `COMMAND.json`, moved into place) and says where it is.
pub(crate) fn finish_report(
    out: perfstat_report::OutDir,
    command: &str,
    markdown: &str,
    json: &str,
) -> anyhow::Result<()> {
    let report = out.finish(command, env!("CARGO_PKG_VERSION"), markdown, json)?;
    note(&format!("wrote {}", report.display()));
    Ok(())
}

/// Emits a command's result: with `--out`, the report folder (`report` draws the plots into the
/// folder and returns the Markdown), then stdout in the chosen format.
pub(crate) fn emit(
    output: &crate::args::OutputArgs,
    command: &str,
    doc: &impl serde::Serialize,
    table: impl FnOnce() -> String,
    markdown: impl FnOnce() -> String,
    report: impl FnOnce(&perfstat_report::OutDir) -> anyhow::Result<String>,
) -> anyhow::Result<()> {
    let json = json_doc(doc)?;
    if let Some(dir) = &output.out {
        let out = perfstat_report::OutDir::create(dir)?;
        let report_markdown = report(&out)?;
        finish_report(out, command, &report_markdown, &json)?;
    }
    print_result(output.format, table, &json, markdown)
}

/// Prints a command's result on stdout in the chosen format.
pub(crate) fn print_result(
    format: crate::args::Format,
    table: impl FnOnce() -> String,
    json: &str,
    markdown: impl FnOnce() -> String,
) -> anyhow::Result<()> {
    match format {
        crate::args::Format::Table => stdout(&table()),
        crate::args::Format::Json => stdout(json),
        crate::args::Format::Markdown => stdout(&markdown()),
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

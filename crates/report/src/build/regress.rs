//! `perfstat regress`: a history (and tonight's run) → the analysis and [`RegressDoc`].

use std::path::Path;

use perfstat_regress::analyze::{Analysis, Cache, Config, analyze, analyze_resumable};
use perfstat_regress::history::{
    CurrentOptions, History, Summary, read_current, read_history_path,
};

use crate::regress::RegressDoc;

/// What [`regress`] built.
#[derive(Debug)]
pub struct RegressRun {
    /// The history, with the current run last.
    pub history: History,
    /// The current run when it came from its own file (what `--append` writes).
    pub current: Option<History>,
    /// The analysis.
    pub analysis: Analysis,
    /// The wire document.
    pub doc: RegressDoc,
    /// Notes and warnings for the user, in order.
    pub notes: Vec<String>,
}

impl RegressRun {
    /// A note for each metric with gaps (runs without a value, not zeros), for outputs that do
    /// not show them (JSON).
    #[must_use]
    pub fn gap_notes(&self) -> Vec<String> {
        let doc = &self.doc;
        doc.metrics
            .iter()
            .filter(|m| m.gaps > 0)
            .map(|m| {
                format!(
                    "note: {}: {} of {} runs have no value (gaps, not zeros)",
                    m.name, m.gaps, doc.runs
                )
            })
            .collect()
    }

    /// Appends the current run, when it came from its own file, to the history file at `path`
    /// (atomically: [`History::append_run`]); returns the notes (columns added, the run appended).
    ///
    /// # Errors
    /// As [`History::append_run`].
    pub fn append(&self, path: &Path) -> perfstat_regress::Result<Vec<String>> {
        let Some(current) = &self.current else {
            return Ok(Vec::new());
        };
        let appended = self.history.append_run(path, current)?;
        let mut notes = Vec::new();
        if !appended.added_columns.is_empty() {
            notes.push(format!(
                "note: added column(s) {} to the history",
                appended.added_columns.join(", ")
            ));
        }
        let (id, name) = (&self.doc.current_run.id, path.display());
        notes.push(format!("appended run {id} to {name}"));
        Ok(notes)
    }
}

/// Reads the history at `history_path` (and the current run from `current`, summarising a
/// per-request file), analyses it (continuing the change-point state saved in `cache`, and saving
/// it there) and builds the document.
///
/// # Errors
/// [`perfstat_regress::Error`] from reading or analysing.
pub fn regress(
    history_path: &Path,
    current: Option<(&Path, &CurrentOptions)>,
    config: &Config,
    cache: Option<&Path>,
) -> perfstat_regress::Result<RegressRun> {
    let mut notes = Vec::new();
    let mut history = read_history_path(history_path)?;
    let current_file = current.map(|(path, _)| path.display().to_string());
    let current = match current {
        Some((path, opts)) => {
            let (cur, summary) = read_current(path, opts, &history)?;
            if let Some(s) = &summary {
                notes.push(summary_note(s));
            }
            history.push_current(&cur, &path.display().to_string())?;
            Some(cur)
        }
        None => None,
    };
    notes.extend(history.warnings.iter().map(|w| format!("warning: {w}")));
    let analysis = match cache {
        None => analyze(&history, config)?,
        Some(path) => {
            let name = path.display();
            let mut saved = Cache::load(path).unwrap_or_else(|e| {
                notes.push(format!(
                    "note: {name}: not a usable cache ({e}): recomputing"
                ));
                Cache::default()
            });
            let analysis = analyze_resumable(&history, config, &mut saved)?;
            notes.push(format!(
                "note: change points: continued the saved state of {} of {} metrics ({name})",
                saved.reused(),
                history.metrics.len()
            ));
            if let Err(e) = saved.save(path) {
                notes.push(format!("note: cannot write the cache {name}: {e}"));
            }
            analysis
        }
    };
    let doc = RegressDoc::new(
        &history,
        &analysis,
        history_path.display().to_string(),
        current_file,
    );
    Ok(RegressRun {
        history,
        current,
        analysis,
        doc,
        notes,
    })
}

/// What summarising a per-request `--current` file filled in.
fn summary_note(s: &Summary) -> String {
    let filled: Vec<String> = s
        .filled
        .iter()
        .map(|(n, v)| format!("{n} = {}", crate::fmt::sig(*v, 6)))
        .collect();
    let empty: Vec<String> = s
        .empty
        .iter()
        .map(|n| format!("{n} (unknown for this input)"))
        .collect();
    format!(
        "note: {}: summarised {} per-request values (read as {}, {:?}): filled {}{}",
        s.source,
        s.requests,
        s.format,
        s.metric,
        filled.join(", "),
        if empty.is_empty() {
            String::new()
        } else {
            format!("; left empty: {}", empty.join(", "))
        }
    )
}

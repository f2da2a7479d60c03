//! One write path for every command's result: its JSON document, its table and Markdown for stdout,
//! and the Markdown of its report folder (which draws the plots into the folder first).

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::ab::{AbReport, PlotRef, plots_markdown};
use crate::ab_runs::{AbRunsReport, write_runs_plot};
use crate::build::pareto::ParetoRun;
use crate::capacity::CapacityDoc;
use crate::describe::DescribeReport;
use crate::fmt::RowLimit;
use crate::pareto::ParetoDoc;
use crate::regress::RegressDoc;

/// A command's result, as every output format shows it.
pub trait Render {
    /// The JSON document (docs/json-output.md).
    fn json(&self) -> impl Serialize + '_;
    /// The JSON document for standard output in `layout` (the same bytes as [`Render::json`]
    /// written in that layout; a result may format a large document on all cores).
    fn json_in(&self, layout: crate::json::Layout) -> impl Serialize + '_ {
        let _ = layout;
        self.json()
    }
    /// The table for the terminal, `limit` entries of each growing section.
    fn table(&self, limit: RowLimit) -> String;
    /// The Markdown for stdout.
    fn markdown(&self, limit: RowLimit) -> String;
    /// The report folder's Markdown, after drawing the plots into `dir`.
    ///
    /// # Errors
    /// When a plot cannot be rendered or written.
    fn report(&self, dir: &Path, limit: RowLimit) -> crate::Result<String>;

    /// Writes the JSON document to `out` in `layout`, streamed; a failed write is the writer's
    /// [`std::io::Error`] (a closed pipe keeps its kind), a document that cannot be serialised an
    /// error of kind [`std::io::ErrorKind::Other`] holding [`crate::Error::Json`].
    ///
    /// # Errors
    /// As said.
    fn write_json(
        &self,
        out: impl std::io::Write,
        layout: crate::json::Layout,
    ) -> std::io::Result<()> {
        crate::json::write(&self.json_in(layout), out, layout).map_err(|e| {
            match e.io_error_kind() {
                Some(kind) => kind.into(),
                None => std::io::Error::other(crate::Error::Json(e)),
            }
        })
    }

    /// Finishes the report folder `out` of `command` (written by perfstat `version`): the plots and
    /// `report.md` with `limit` entries of each growing section, the indented `COMMAND.json`;
    /// returns where `report.md` now is ([`crate::OutDir::finish`]).
    ///
    /// # Errors
    /// When a plot, the JSON or a file cannot be written, or the folder not moved into place.
    fn write_report(
        &self,
        out: crate::OutDir,
        command: &str,
        version: &str,
        limit: RowLimit,
    ) -> crate::Result<PathBuf> {
        let markdown = self.report(out.path(), limit)?;
        let json = serde_json::to_string_pretty(&self.json())?;
        out.finish(command, version, &markdown, &json)
    }
}

impl Render for DescribeReport {
    fn json(&self) -> impl Serialize + '_ {
        self.to_json()
    }
    fn table(&self, limit: RowLimit) -> String {
        self.table_with(limit)
    }
    fn markdown(&self, limit: RowLimit) -> String {
        self.markdown_with(limit)
    }
    fn report(&self, _: &Path, limit: RowLimit) -> crate::Result<String> {
        Ok(self.markdown_with(limit))
    }
}

/// `ab` of two samples with the plots drawn for the report folder (group label, plots).
pub struct AbRun {
    /// The comparison.
    pub report: AbReport,
    /// The plots of each compared group, drawn while the samples were at hand.
    pub plots: Vec<(Option<String>, Vec<PlotRef>)>,
}

impl Render for AbRun {
    fn json(&self) -> impl Serialize + '_ {
        self.report.to_json()
    }
    fn table(&self, limit: RowLimit) -> String {
        self.report.table_with(limit)
    }
    fn markdown(&self, limit: RowLimit) -> String {
        self.report.markdown_with(limit)
    }
    /// The plots of the groups shown (the first `limit`) are listed.
    fn report(&self, _: &Path, limit: RowLimit) -> crate::Result<String> {
        let plots = &self.plots[..limit.shown(self.plots.len())];
        Ok(format!(
            "{}\n{}",
            self.report.markdown_with(limit),
            plots_markdown(plots)
        ))
    }
}

impl Render for AbRunsReport {
    fn json(&self) -> impl Serialize + '_ {
        self.to_json()
    }
    fn table(&self, _: RowLimit) -> String {
        AbRunsReport::table(self)
    }
    fn markdown(&self, _: RowLimit) -> String {
        AbRunsReport::markdown(self)
    }
    fn report(&self, dir: &Path, _: RowLimit) -> crate::Result<String> {
        let refs = write_runs_plot(dir, self)?;
        Ok(format!(
            "{}\n{}",
            AbRunsReport::markdown(self),
            plots_markdown(&[(None, refs)])
        ))
    }
}

impl Render for CapacityDoc {
    fn json(&self) -> impl Serialize + '_ {
        self
    }
    fn table(&self, _: RowLimit) -> String {
        CapacityDoc::table(self)
    }
    fn markdown(&self, _: RowLimit) -> String {
        CapacityDoc::markdown(self, &[])
    }
    fn report(&self, dir: &Path, _: RowLimit) -> crate::Result<String> {
        Ok(CapacityDoc::markdown(
            self,
            &crate::capacity::plot::plots(self, dir)?,
        ))
    }
}

impl Render for ParetoDoc {
    fn json(&self) -> impl Serialize + '_ {
        self
    }
    fn table(&self, limit: RowLimit) -> String {
        self.table_with(limit)
    }
    fn markdown(&self, limit: RowLimit) -> String {
        self.markdown_with(&[], limit)
    }
    fn report(&self, dir: &Path, limit: RowLimit) -> crate::Result<String> {
        let plots = crate::pareto::plot::scatter_plots(self, dir)?;
        Ok(self.markdown_with(&plots, limit))
    }
}

/// The JSON is written borrowed from the analysis ([`ParetoRun::json`], the same bytes as the
/// [`ParetoDoc`]); the owned document is built only for the table, the Markdown and the plots.
impl Render for ParetoRun {
    fn json(&self) -> impl Serialize + '_ {
        ParetoRun::json(self)
    }
    /// JSON (pretty or compact) is formatted on all cores, 16 384 configs at a time
    /// ([`crate::pareto::ParetoJson::with_layout`]).
    fn json_in(&self, layout: crate::json::Layout) -> impl Serialize + '_ {
        ParetoRun::json(self).with_layout(layout)
    }
    fn table(&self, limit: RowLimit) -> String {
        self.doc().table_with(limit)
    }
    fn markdown(&self, limit: RowLimit) -> String {
        self.doc().markdown_with(&[], limit)
    }
    fn report(&self, dir: &Path, limit: RowLimit) -> crate::Result<String> {
        Render::report(&self.doc(), dir, limit)
    }
}

impl Render for RegressDoc {
    fn json(&self) -> impl Serialize + '_ {
        self
    }
    fn table(&self, limit: RowLimit) -> String {
        self.table_with(limit)
    }
    fn markdown(&self, limit: RowLimit) -> String {
        self.markdown_with(&[], limit)
    }
    fn report(&self, dir: &Path, limit: RowLimit) -> crate::Result<String> {
        let plots = crate::regress::plot::time_series_plots(self, dir, limit)?;
        Ok(self.markdown_with(&plots, limit))
    }
}

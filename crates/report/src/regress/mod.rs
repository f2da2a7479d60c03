//! `perfstat regress`: the JSON document, the terminal table and the
//! Markdown of the nightly regression report, and its plots ([`plot`]).
//!
//! The types here *are* the `regress` JSON contract (`docs/json-output.md`);
//! the CLI fills them from `perfstat_regress::Analysis`. Undefined numbers
//! are `null`, and the metric's `reasons` object says why.

pub mod plot;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use perfstat_regress::analyze::{Analysis, DriftStatus, MetricResult, Status};
use perfstat_regress::changepoint::Detection;
use perfstat_regress::history::History;

use crate::fmt::{RowLimit, p_value, sig, value};

/// The document printed by `perfstat regress --format json`.
#[derive(Clone, Debug, Serialize)]
pub struct RegressDoc {
    /// Always `"regress"`.
    pub command: &'static str,
    /// The history file.
    pub history: String,
    /// The `--current` file, if given.
    pub current_file: Option<String>,
    /// Baseline window length (runs).
    pub window: usize,
    /// False discovery rate of the verdicts.
    pub alpha: f64,
    /// Multiple-testing control across metrics: `"bh"`.
    pub adjustment: &'static str,
    /// The window test: `"prediction_interval_t"`.
    pub test: &'static str,
    /// The change-point method: `"robust_pelt"`.
    pub change_point_method: &'static str,
    /// Runs in the history, the current one included.
    pub runs: usize,
    /// The current run: `{ "index", "id" }`.
    pub current_run: RunRef,
    /// One entry per metric, in history order.
    pub metrics: Vec<MetricDoc>,
    /// Metrics with status `regression`.
    pub regressions: usize,
    /// Metrics with status `improvement`.
    pub improvements: usize,
    /// Metrics with status `insufficient_data`.
    pub insufficient_data: usize,
    /// Metrics whose `drift.status` is `worse`.
    pub drifts: usize,
    /// Change points that two or more metrics share (within `detector.joint_tolerance` runs),
    /// oldest first; each metric's `change_points` holds the same index.
    pub joint_change_points: Vec<JointDoc>,
    /// The change-point detector's settings.
    pub detector: DetectorDoc,
    /// What the history reader accepted and says (runs sorted by time, shared keys); omitted
    /// when empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// Why each null above is null (`current_file`); omitted when empty.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub reasons: BTreeMap<&'static str, String>,
}

/// `detector` of the contract: the change-point settings used.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct DetectorDoc {
    /// Penalty per change point in units of ln n (β = penalty · ln n, in σ̂² units).
    pub penalty: f64,
    /// Minimum runs per segment.
    pub min_segment: usize,
    /// `auto`, `log` or `linear` (each metric's `scale` says which was used).
    pub scale: &'static str,
    /// A change point's local jump must stand this many robust SDs out of the series' own.
    pub jump_sigmas: f64,
    /// Metrics' change points within this many runs form one joint change (0: none).
    pub joint_tolerance: usize,
}

/// One joint change of the contract, with its attribution.
#[derive(Clone, Debug, Serialize)]
pub struct JointDoc {
    /// 0-based position of the first run after the change.
    pub index: usize,
    /// That run's time or id.
    pub time: String,
    /// The metrics that change there, each with its `relative_change` (`null`: undefined, the
    /// metric's own change point says why).
    pub metrics: Vec<JointMetricDoc>,
}

/// A metric's share of a joint change.
#[derive(Clone, Debug, Serialize)]
pub struct JointMetricDoc {
    /// Metric name.
    pub name: String,
    /// Its mean_after / mean_before − 1 there.
    pub relative_change: Option<f64>,
}

/// `drift` of a metric: Theil–Sen slope and Hamed–Rao Mann–Kendall test of the runs since the
/// last change point.
#[derive(Clone, Debug, Serialize)]
pub struct DriftDoc {
    /// `worse`, `better` or `none`.
    pub status: &'static str,
    /// 0-based position of the stretch's first run.
    pub from_index: usize,
    /// That run's time or id.
    pub from_time: String,
    /// Runs in the stretch (at most 300, outliers excluded).
    pub runs: usize,
    /// Theil–Sen slope per run (metric units).
    pub slope: f64,
    /// 95 % interval of the slope (Sen 1968).
    pub slope_low: f64,
    /// Upper end.
    pub slope_high: f64,
    /// slope / median of the stretch.
    pub relative_per_run: Option<f64>,
    /// slope · (runs − 1) / median: the fitted change over the stretch.
    pub relative_total: Option<f64>,
    /// Kendall's τ.
    pub tau: f64,
    /// Mann–Kendall z with the Hamed–Rao variance correction.
    pub z: f64,
    /// Its two-sided p-value.
    pub p_value: f64,
    /// `p_value` after Benjamini–Hochberg over the metrics.
    pub q_value: Option<f64>,
    /// The Hamed–Rao factor n/n* applied to Var S (1: no significant serial correlation).
    pub autocorrelation_correction: f64,
}

/// A run by position and id.
#[derive(Clone, Debug, Serialize)]
pub struct RunRef {
    /// 0-based position in the history.
    pub index: usize,
    /// Time or run id.
    pub id: String,
}

/// One metric of the report.
#[derive(Clone, Debug, Serialize)]
pub struct MetricDoc {
    /// Metric name.
    pub name: String,
    /// `lower_is_better` or `higher_is_better`.
    pub direction: &'static str,
    /// `inferred`, `default` or `given`.
    pub direction_source: &'static str,
    /// `latency`, `throughput`, `quality`, `cost` or `other`.
    pub kind: &'static str,
    /// Relative threshold (magnitude, e.g. 0.15).
    pub threshold: f64,
    /// `inferred`, `default` or `given`.
    pub threshold_source: &'static str,
    /// The current run's value.
    pub current: Option<f64>,
    /// The baseline window.
    pub baseline: BaselineDoc,
    /// current − mean and (current − mean)/mean.
    pub change: ChangeDoc,
    /// One-sided prediction-interval t test p-value in the worse direction.
    pub p_value: Option<f64>,
    /// `p_value` after Benjamini–Hochberg over the metrics.
    pub q_value: Option<f64>,
    /// One-sided p-value in the better direction.
    pub p_value_improvement: Option<f64>,
    /// `p_value_improvement` after Benjamini–Hochberg over the metrics.
    pub q_value_improvement: Option<f64>,
    /// `regression`, `improvement`, `ok` or `insufficient_data`.
    pub status: &'static str,
    /// Confirmed change points, oldest first.
    pub change_points: Vec<ChangePointDoc>,
    /// A possible shift in the newest runs, not yet confirmed.
    pub candidate: Option<CandidateDoc>,
    /// 0-based positions of single-run spikes.
    pub outliers: Vec<usize>,
    /// The drift since the last change point (`null` with a reason: too few runs).
    pub drift: Option<DriftDoc>,
    /// `log` or `linear`: the scale the change points were found on.
    pub scale: &'static str,
    /// Change points of the penalised fit dropped by the jump check (a trend's or random
    /// walk's staircase).
    pub unconfirmed_change_points: usize,
    /// Runs without a value for this metric.
    pub gaps: usize,
    /// Lag-1 autocorrelation of the change-point residuals.
    pub autocorrelation: Option<f64>,
    /// Things to know, with their numbers.
    pub warnings: Vec<String>,
    /// Why each null above is null (and why the status is `insufficient_data`); keys are paths
    /// (`baseline.mean`, `change_points.0.p_value`).
    pub reasons: BTreeMap<String, String>,
    /// The series, for plots (not serialised).
    #[serde(skip)]
    pub series: Vec<Option<f64>>,
    /// The baseline's 95 % prediction band `(first index, lower, upper)` for plots.
    #[serde(skip)]
    pub band: Option<(usize, f64, f64)>,
}

/// `baseline` of the contract.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct BaselineDoc {
    /// Runs in the window.
    pub n: usize,
    /// numpy `mean`.
    pub mean: Option<f64>,
    /// numpy `median`.
    pub median: Option<f64>,
    /// numpy `std(ddof=1)`.
    pub std_dev: Option<f64>,
}

/// `change` of the contract.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct ChangeDoc {
    /// current − mean.
    pub absolute: Option<f64>,
    /// (current − mean) / mean.
    pub relative: Option<f64>,
}

/// One confirmed change point.
#[derive(Clone, Debug, Serialize)]
pub struct ChangePointDoc {
    /// 0-based position of the first run after the change.
    pub index: usize,
    /// That run's time or id.
    pub time: String,
    /// That run's commit, when the history has a commit column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// Mean of the segment before (outliers excluded).
    pub mean_before: f64,
    /// Mean of the segment after (outliers excluded).
    pub mean_after: f64,
    /// mean_after / mean_before − 1.
    pub relative_change: Option<f64>,
    /// Welch's two-sided p between the segments (post-selection: ranks, not calibrated).
    pub p_value: Option<f64>,
}

/// The unconfirmed shift at the end.
#[derive(Clone, Debug, Serialize)]
pub struct CandidateDoc {
    /// 0-based position of its first run.
    pub index: usize,
    /// That run's time or id.
    pub time: String,
    /// How many runs deviate so far (1 or 2).
    pub runs: usize,
    /// Their mean relative to the runs before them.
    pub relative_change: Option<f64>,
}

impl RegressDoc {
    /// The document of `analysis` of `history` (read from the file called `history_name`, with
    /// the current run from `current_file` when given).
    #[must_use]
    pub fn new(
        history: &History,
        analysis: &Analysis,
        history_name: String,
        current_file: Option<String>,
    ) -> Self {
        let metrics = analysis
            .metrics
            .iter()
            .zip(&history.metrics)
            .map(|(m, series)| MetricDoc::new(history, m, series.values.clone()))
            .collect();
        let mut reasons = BTreeMap::new();
        if current_file.is_none() {
            reasons.insert(
                "current_file",
                "no current run file: the current run is the last row of the history".to_owned(),
            );
        }
        Self {
            command: "regress",
            history: history_name,
            current_file,
            window: analysis.window,
            alpha: analysis.alpha,
            adjustment: "bh",
            test: "prediction_interval_t",
            change_point_method: "robust_pelt",
            runs: analysis.runs,
            current_run: RunRef {
                index: analysis.current_index,
                id: analysis.current_id.clone(),
            },
            regressions: analysis.count(Status::Regression),
            improvements: analysis.count(Status::Improvement),
            insufficient_data: analysis.count(Status::InsufficientData),
            drifts: analysis.drifts(DriftStatus::Worse),
            detector: DetectorDoc {
                penalty: analysis.detector.penalty,
                min_segment: analysis.detector.min_segment,
                scale: analysis.detector.scale.as_str(),
                jump_sigmas: analysis.detector.jump_sigmas,
                joint_tolerance: analysis.joint_tolerance,
            },
            joint_change_points: analysis
                .joint
                .iter()
                .map(|g| JointDoc {
                    index: g.index,
                    time: history
                        .runs
                        .get(g.index)
                        .map(|r| r.id.clone())
                        .unwrap_or_default(),
                    metrics: g
                        .metrics
                        .iter()
                        .filter_map(|&j| analysis.metrics.get(j))
                        .map(|m| JointMetricDoc {
                            name: m.name.clone(),
                            relative_change: m
                                .change_points
                                .iter()
                                .min_by_key(|c| c.index.abs_diff(g.index))
                                .and_then(|c| c.relative_change.ok())
                                .filter(|v| v.is_finite()),
                        })
                        .collect(),
                })
                .collect(),
            metrics,
            warnings: history.warnings.iter().map(ToString::to_string).collect(),
            reasons,
        }
    }
}

/// Why the lag-1 autocorrelation of a series is undefined (`detection.autocorrelation` is `None`);
/// `values` counts the runs with a value.
fn autocorrelation_reason(detection: &Detection, values: usize) -> String {
    if detection.sigma == Some(0.0) {
        "the series is constant: there are no residuals to correlate".to_owned()
    } else if values < 20 {
        format!("needs at least 20 runs with a value, got {values}")
    } else if detection.candidate.is_some() {
        "measured on the runs before the unconfirmed shift at the end: fewer than 20 of them, \
         or their residuals around the segment means are all zero"
            .to_owned()
    } else {
        "the residuals around the segment means are all zero".to_owned()
    }
}

/// The commit of run `index`, from a commit-like attribute column.
fn commit(history: &History, index: usize) -> Option<String> {
    let col = history.attributes.iter().find(|a| {
        let a = a.to_ascii_lowercase();
        a == "commit" || a == "sha" || a == "git_sha" || a == "hash"
    })?;
    history.attribute(index, col).map(str::to_owned)
}

impl MetricDoc {
    /// The document of one metric's result; `series` is its values over the runs (for plots).
    #[must_use]
    pub fn new(history: &History, m: &MetricResult, series: Vec<Option<f64>>) -> Self {
        let mut reasons = BTreeMap::new();
        let mut note = |key: String, e: Option<String>| {
            if let Some(e) = e {
                reasons.insert(key, e);
            }
        };
        let why =
            |stat: Result<(), &perfstat_stats::Undefined>| stat.err().map(ToString::to_string);
        note("status".into(), m.reason.clone());
        if m.current.is_none() {
            note(
                "current".into(),
                Some("the current run has no value for this metric".to_owned()),
            );
        }
        note(
            "baseline.mean".into(),
            why(m.baseline.mean.as_ref().map(|_| ())),
        );
        note(
            "baseline.median".into(),
            why(m.baseline.median.as_ref().map(|_| ())),
        );
        note(
            "baseline.std_dev".into(),
            why(m.baseline.std_dev.as_ref().map(|_| ())),
        );
        note(
            "change.absolute".into(),
            why(m.change_absolute.as_ref().map(|_| ())),
        );
        note(
            "change.relative".into(),
            why(m.change_relative.as_ref().map(|_| ())),
        );
        note("p_value".into(), why(m.test.as_ref().map(|_| ())));
        note(
            "p_value_improvement".into(),
            why(m.test.as_ref().map(|_| ())),
        );
        note("q_value".into(), why(m.q_worse.as_ref().map(|_| ())));
        note(
            "q_value_improvement".into(),
            why(m.q_better.as_ref().map(|_| ())),
        );
        for (i, cp) in m.change_points.iter().enumerate() {
            note(
                format!("change_points.{i}.relative_change"),
                why(cp.relative_change.as_ref().map(|_| ())),
            );
            note(
                format!("change_points.{i}.p_value"),
                why(cp.p_value.as_ref().map(|_| ())),
            );
        }
        match &m.candidate {
            None => note(
                "candidate".into(),
                Some("no unconfirmed shift in the newest runs".to_owned()),
            ),
            Some(c) => note(
                "candidate.relative_change".into(),
                why(c.relative_change.as_ref().map(|_| ())),
            ),
        }
        match &m.drift {
            None => note(
                "drift".into(),
                Some(format!(
                    "needs at least {} runs with a value since the last change point",
                    perfstat_regress::drift::MIN_RUNS
                )),
            ),
            Some(d) => {
                note(
                    "drift.relative_per_run".into(),
                    why(d.relative_per_run.as_ref().map(|_| ())),
                );
                note(
                    "drift.relative_total".into(),
                    why(d.relative_total.as_ref().map(|_| ())),
                );
                note("drift.q_value".into(), why(d.q_value.as_ref().map(|_| ())));
            }
        }
        if m.detection.autocorrelation.is_none() {
            let values = series.iter().flatten().count();
            note(
                "autocorrelation".into(),
                Some(autocorrelation_reason(&m.detection, values)),
            );
        }
        // A defined value beyond the f64 range is written `null` too.
        let range = "beyond the floating-point range";
        let mut finite = |key: String, v: Option<f64>| {
            if v.is_some_and(|v| !v.is_finite()) {
                reasons.entry(key).or_insert_with(|| range.to_owned());
            }
        };
        finite("current".into(), m.current);
        finite("baseline.mean".into(), m.baseline.mean.ok());
        finite("baseline.median".into(), m.baseline.median.ok());
        finite("baseline.std_dev".into(), m.baseline.std_dev.ok());
        finite("change.absolute".into(), m.change_absolute.ok());
        finite("change.relative".into(), m.change_relative.ok());
        finite("autocorrelation".into(), m.detection.autocorrelation);
        for (i, cp) in m.change_points.iter().enumerate() {
            finite(
                format!("change_points.{i}.mean_before"),
                Some(cp.mean_before),
            );
            finite(format!("change_points.{i}.mean_after"), Some(cp.mean_after));
            finite(
                format!("change_points.{i}.relative_change"),
                cp.relative_change.ok(),
            );
        }
        if let Some(c) = &m.candidate {
            finite("candidate.relative_change".into(), c.relative_change.ok());
        }
        if let Some(d) = &m.drift {
            finite("drift.slope".into(), Some(d.trend.slope));
            finite("drift.slope_low".into(), Some(d.trend.slope_low));
            finite("drift.slope_high".into(), Some(d.trend.slope_high));
            finite("drift.relative_per_run".into(), d.relative_per_run.ok());
            finite("drift.relative_total".into(), d.relative_total.ok());
        }
        let band = m
            .baseline
            .indexes
            .first()
            .and_then(|&first| m.baseline.prediction_band().map(|(lo, hi)| (first, lo, hi)));
        Self {
            name: m.name.clone(),
            direction: m.settings.direction.as_str(),
            direction_source: m.settings.direction_source.as_str(),
            kind: m.settings.kind.as_str(),
            threshold: m.settings.threshold,
            threshold_source: m.settings.threshold_source.as_str(),
            current: m.current,
            baseline: BaselineDoc {
                n: m.baseline.n(),
                mean: m.baseline.mean.ok(),
                median: m.baseline.median.ok(),
                std_dev: m.baseline.std_dev.ok(),
            },
            change: ChangeDoc {
                absolute: m.change_absolute.ok(),
                relative: m.change_relative.ok(),
            },
            p_value: m.test.ok().map(|t| t.p_worse),
            q_value: m.q_worse.ok(),
            p_value_improvement: m.test.ok().map(|t| t.p_better),
            q_value_improvement: m.q_better.ok(),
            status: m.status.as_str(),
            change_points: m
                .change_points
                .iter()
                .map(|cp| ChangePointDoc {
                    index: cp.index,
                    time: cp.time.clone(),
                    commit: commit(history, cp.index),
                    mean_before: cp.mean_before,
                    mean_after: cp.mean_after,
                    relative_change: cp.relative_change.ok(),
                    p_value: cp.p_value.ok(),
                })
                .collect(),
            candidate: m.candidate.as_ref().map(|c| CandidateDoc {
                index: c.index,
                time: c.time.clone(),
                runs: c.runs,
                relative_change: c.relative_change.ok(),
            }),
            outliers: m.outliers.clone(),
            drift: m.drift.as_ref().map(|d| DriftDoc {
                status: d.status.as_str(),
                from_index: d.from_index,
                from_time: d.from_time.clone(),
                runs: d.trend.runs,
                slope: d.trend.slope,
                slope_low: d.trend.slope_low,
                slope_high: d.trend.slope_high,
                relative_per_run: d.relative_per_run.ok(),
                relative_total: d.relative_total.ok(),
                tau: d.trend.tau,
                z: d.trend.z,
                p_value: d.trend.p_value,
                q_value: d.q_value.ok(),
                autocorrelation_correction: d.trend.correction,
            }),
            scale: if m.detection.log_scale {
                "log"
            } else {
                "linear"
            },
            unconfirmed_change_points: m.detection.unconfirmed,
            gaps: m.gaps,
            autocorrelation: m.detection.autocorrelation,
            warnings: m.warnings.clone(),
            reasons,
            series,
            band,
        }
    }
}

impl RegressDoc {
    /// Counts of statuses, for the headline.
    fn counts(&self) -> (usize, usize, usize) {
        (self.regressions, self.improvements, self.insufficient_data)
    }

    /// "2 regressions, 1 improvement in 14 metrics" (+ insufficient data).
    #[must_use]
    pub fn headline(&self) -> String {
        let (r, i, u) = self.counts();
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let mut s = format!(
            "{}, {}",
            plural(r, "regression", "regressions"),
            plural(i, "improvement", "improvements")
        );
        if u > 0 {
            write!(s, ", {u} with insufficient data").ok();
        }
        write!(s, " in {}", plural(self.metrics.len(), "metric", "metrics")).ok();
        s
    }

    /// The settings line under the headline.
    #[must_use]
    pub fn settings_line(&self) -> String {
        format!(
            "run {} (#{}) against the {} runs before it; a regression needs the threshold crossed and Benjamini–Hochberg q ≤ {} (one-sided prediction-interval t test); change points by robust PELT over {} runs",
            self.current_run.id, self.current_run.index, self.window, self.alpha, self.runs
        ) + &self.detector_note()
    }

    /// The detector settings when they are not the defaults (the JSON always has them).
    fn detector_note(&self) -> String {
        let d = self.detector;
        let default = perfstat_regress::changepoint::Detector::default();
        if d.penalty == default.penalty
            && d.min_segment == default.min_segment
            && d.scale == default.scale.as_str()
        {
            return String::new();
        }
        format!(
            " (penalty {}·ln n, min segment {}, scale {})",
            d.penalty, d.min_segment, d.scale
        )
    }

    /// [`table_with`](Self::table_with) the default [`RowLimit`].
    #[must_use]
    pub fn table(&self) -> String {
        self.table_with(RowLimit::DEFAULT)
    }

    /// The terminal table: every metric that is not `ok` (regressions, improvements,
    /// insufficient data), then at most `limit` of the `ok` ones, then a line saying how many
    /// were left out.
    #[must_use]
    pub fn table_with(&self, limit: RowLimit) -> String {
        let header = [
            "metric",
            "current",
            "baseline mean ± sd (n)",
            "change",
            "threshold",
            "q",
            "status",
            "last change point",
        ];
        let (shown, ok) = self.shown(limit);
        let rows: Vec<[String; 8]> = shown.iter().map(|m| row_cells(m)).collect();
        let mut widths = header.map(|h| h.chars().count());
        for r in &rows {
            for (w, c) in widths.iter_mut().zip(r) {
                *w = (*w).max(c.chars().count());
            }
        }
        let mut out = format!(
            "perfstat regress: {}\n{}\n\n",
            self.headline(),
            self.settings_line()
        );
        let line = |cells: &[String]| {
            let mut s = String::new();
            for (k, (c, w)) in cells.iter().zip(widths).enumerate() {
                let pad = w.saturating_sub(c.chars().count());
                if k == 0 || k == 6 || k == 7 {
                    write!(s, "{c}{}", " ".repeat(pad)).ok();
                } else {
                    write!(s, "{}{c}", " ".repeat(pad)).ok();
                }
                if k + 1 < cells.len() {
                    s.push_str("  ");
                }
            }
            s.trim_end().to_owned() + "\n"
        };
        out.push_str(&line(&header.map(str::to_owned)));
        out.push_str(&line(&widths.map(|w| "-".repeat(w))));
        for r in &rows {
            out.push_str(&line(r));
        }
        if let Some(o) = limit.omitted(ok, "metrics with status ok") {
            writeln!(out, "{o}").ok();
        }
        // The notes of the metrics in the table only: they grow with the metrics too.
        let notes = self.notes(&shown);
        if !notes.is_empty() {
            out.push('\n');
            for n in notes {
                writeln!(out, "- {n}").ok();
            }
        }
        out
    }

    /// The metrics a table or Markdown shows: every one that is not `ok` (regressions,
    /// improvements, insufficient data) and at most `limit` of the `ok` ones, in order; and how
    /// many are `ok`.
    pub(crate) fn shown(&self, limit: RowLimit) -> (Vec<&MetricDoc>, usize) {
        let ok = self.metrics.iter().filter(|m| m.status == "ok").count();
        let mut ok_shown = limit.shown(ok);
        let shown = (self.metrics.iter())
            .filter(|m| {
                m.status != "ok"
                    || ok_shown.checked_sub(1).is_some_and(|left| {
                        ok_shown = left;
                        true
                    })
            })
            .collect();
        (shown, ok)
    }

    /// Candidates, reasons and warnings, one line each, prefixed by the metric.
    fn notes(&self, metrics: &[&MetricDoc]) -> Vec<String> {
        let mut out = Vec::new();
        for m in metrics {
            if let Some(c) = &m.candidate {
                out.push(format!(
                    "{}: possible shift from run {} ({}) of {} over {} run{}, not yet confirmed (needs 3)",
                    m.name,
                    c.index,
                    c.time,
                    c.relative_change.map_or_else(|| "?".to_owned(), percent),
                    c.runs,
                    if c.runs == 1 { "" } else { "s" }
                ));
            }
            if let Some(d) = m.drift.as_ref().filter(|d| d.status != "none") {
                let per_run = d.relative_per_run.map_or_else(|| "?".to_owned(), percent);
                out.push(format!(
                    "{}: drift ({}): {} {per_run} per run over the last {} runs, since run {} ({}) (Theil–Sen; Mann–Kendall with the Hamed–Rao correction, q = {})",
                    m.name,
                    d.status,
                    if d.slope > 0.0 { "risen" } else { "fallen" },
                    d.runs,
                    d.from_index,
                    d.from_time,
                    d.q_value.map_or_else(|| "?".to_owned(), p_value)
                ));
            }
            if let Some(r) = m.reasons.get("status") {
                out.push(format!("{}: insufficient data: {r}", m.name));
            }
            for w in &m.warnings {
                out.push(format!("{}: {w}", m.name));
            }
        }
        out
    }

    /// The Markdown report (CI job summary): headline, table, change points,
    /// notes, and the plots when `plots` names their files (`(metric, png)`); at most
    /// [`RowLimit::DEFAULT`] metrics with status `ok`.
    #[must_use]
    pub fn markdown(&self, plots: &[(String, String)]) -> String {
        self.markdown_with(plots, RowLimit::DEFAULT)
    }

    /// [`RegressDoc::markdown`] with the rows cut as in [`RegressDoc::table_with`]: every
    /// metric that is not `ok` and at most `limit` of the `ok` ones, then a line saying how many
    /// were left out; the change points, notes and plots are those of the metrics shown.
    #[must_use]
    pub fn markdown_with(&self, plots: &[(String, String)], limit: RowLimit) -> String {
        let (shown, ok) = self.shown(limit);
        let (r, _, _) = self.counts();
        let icon = if r > 0 { "🔴" } else { "🟢" };
        let mut s = format!(
            "## {icon} {}\n\n{}.\n\n",
            self.headline(),
            self.settings_line()
        );
        s.push_str("| metric | current | baseline mean ± sd (n) | change | threshold | q | status | last change point |\n");
        s.push_str("|---|---:|---:|---:|---:|---:|---|---|\n");
        for m in &shown {
            let c = row_cells(m);
            let status = match m.status {
                "regression" => "🔴 **regression**".to_owned(),
                "improvement" => "🟢 improvement".to_owned(),
                "insufficient_data" => "⚪ insufficient data".to_owned(),
                other => other.to_owned(),
            };
            writeln!(
                s,
                "| `{}` | {} | {} | {} | {} | {} | {status} | {} |",
                c[0], c[1], c[2], c[3], c[4], c[5], c[7]
            )
            .ok();
        }
        if let Some(o) = limit.omitted(ok, "metrics with status ok") {
            writeln!(s, "\n{o}").ok();
        }
        let with_cps: Vec<&MetricDoc> = (shown.iter().copied())
            .filter(|m| !m.change_points.is_empty() || !m.outliers.is_empty())
            .collect();
        if !with_cps.is_empty() {
            s.push_str("\n### Change points and outliers\n\n");
            for m in with_cps {
                let unit = crate::fmt::unit_from_name(&m.name);
                let cps: Vec<String> = m
                    .change_points
                    .iter()
                    .map(|cp| {
                        format!(
                            "run {} ({}{}): {} → {} ({})",
                            cp.index,
                            cp.time,
                            cp.commit
                                .as_deref()
                                .map_or_else(String::new, |c| format!(", `{c}`")),
                            value(cp.mean_before, unit),
                            value(cp.mean_after, unit),
                            cp.relative_change.map_or_else(|| "?".to_owned(), percent)
                        )
                    })
                    .collect();
                write!(s, "- `{}`: ", m.name).ok();
                if cps.is_empty() {
                    s.push_str("no change point");
                } else {
                    s.push_str(&cps.join("; "));
                }
                if !m.outliers.is_empty() {
                    let o: Vec<String> = m.outliers.iter().map(ToString::to_string).collect();
                    write!(s, "; outliers (single-run spikes) at run {}", o.join(", ")).ok();
                }
                s.push('\n');
            }
        }
        let notes = self.notes(&shown);
        if !notes.is_empty() {
            s.push_str("\n### Notes\n\n");
            for n in notes {
                writeln!(s, "- {n}").ok();
            }
        }
        if !plots.is_empty() {
            s.push_str("\n### Plots\n\nEach plot: the history, the baseline's 95 % prediction band, the current run (coloured by status), change points (dashed) and outliers (hollow).\n\n");
            let shown_names: std::collections::HashSet<&str> =
                shown.iter().map(|m| m.name.as_str()).collect();
            for (name, png) in plots
                .iter()
                .filter(|(n, _)| shown_names.contains(n.as_str()))
            {
                writeln!(s, "![{name}]({png})\n").ok();
            }
        }
        s
    }
}

/// `+12.3 %`.
fn percent(x: f64) -> String {
    let v = x * 100.0;
    let s = sig(v, 3);
    if v > 0.0 {
        format!("+{s} %")
    } else {
        format!("{s} %")
    }
}

fn row_cells(m: &MetricDoc) -> [String; 8] {
    let unit = crate::fmt::unit_from_name(&m.name);
    let current = m.current.map_or_else(|| "—".to_owned(), |v| value(v, unit));
    let baseline = match (m.baseline.mean, m.baseline.std_dev) {
        (Some(mean), Some(sd)) => format!("{} ± {} ({})", sig(mean, 4), sig(sd, 2), m.baseline.n),
        (Some(mean), None) => format!("{} ({})", sig(mean, 4), m.baseline.n),
        _ => format!("— ({})", m.baseline.n),
    };
    let change = m.change.relative.map_or_else(|| "—".to_owned(), percent);
    let sign = if m.direction == "lower_is_better" {
        "+"
    } else {
        "-"
    };
    let threshold = format!("{sign}{} %", sig(m.threshold * 100.0, 3));
    let q = m.q_value.map_or_else(|| "—".to_owned(), p_value);
    let q = if m.status == "improvement" {
        m.q_value_improvement.map_or(q, p_value)
    } else {
        q
    };
    let last_cp = m.change_points.last().map_or_else(
        || "—".to_owned(),
        |cp| {
            format!(
                "run {} ({}) {}",
                cp.index,
                cp.time,
                cp.relative_change.map_or_else(String::new, percent)
            )
        },
    );
    [
        m.name.clone(),
        current,
        baseline,
        change,
        threshold,
        q,
        m.status.replace('_', " "),
        last_cp,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metric(name: &str, status: &'static str) -> MetricDoc {
        MetricDoc {
            name: name.to_owned(),
            direction: "lower_is_better",
            direction_source: "inferred",
            kind: "latency",
            threshold: 0.15,
            threshold_source: "inferred",
            current: Some(130.0),
            baseline: BaselineDoc {
                n: 7,
                mean: Some(100.0),
                median: Some(100.0),
                std_dev: Some(2.0),
            },
            change: ChangeDoc {
                absolute: Some(30.0),
                relative: Some(0.3),
            },
            p_value: Some(1e-5),
            q_value: Some(2e-5),
            p_value_improvement: Some(1.0),
            q_value_improvement: Some(1.0),
            status,
            change_points: vec![ChangePointDoc {
                index: 40,
                time: "2024-02-10".to_owned(),
                commit: Some("abc123".to_owned()),
                mean_before: 100.0,
                mean_after: 125.0,
                relative_change: Some(0.25),
                p_value: Some(1e-9),
            }],
            candidate: None,
            outliers: vec![12],
            drift: Some(DriftDoc {
                status: "worse",
                from_index: 40,
                from_time: "2024-02-10".to_owned(),
                runs: 50,
                slope: 0.4,
                slope_low: 0.3,
                slope_high: 0.5,
                relative_per_run: Some(0.004),
                relative_total: Some(0.196),
                tau: 0.6,
                z: 6.1,
                p_value: 1e-9,
                q_value: Some(2e-9),
                autocorrelation_correction: 1.0,
            }),
            scale: "log",
            unconfirmed_change_points: 0,
            gaps: 0,
            autocorrelation: Some(0.05),
            warnings: vec![],
            reasons: BTreeMap::new(),
            series: vec![],
            band: None,
        }
    }

    fn doc() -> RegressDoc {
        RegressDoc {
            command: "regress",
            history: "h.csv".to_owned(),
            current_file: None,
            window: 7,
            alpha: 0.05,
            adjustment: "bh",
            test: "prediction_interval_t",
            change_point_method: "robust_pelt",
            runs: 90,
            current_run: RunRef {
                index: 89,
                id: "2024-03-30".to_owned(),
            },
            metrics: vec![
                metric("p95_latency_ms", "regression"),
                metric("error_rate", "ok"),
            ],
            regressions: 1,
            improvements: 0,
            insufficient_data: 0,
            drifts: 2,
            joint_change_points: vec![],
            detector: DetectorDoc {
                penalty: 4.0,
                min_segment: 3,
                scale: "auto",
                jump_sigmas: 4.0,
                joint_tolerance: 3,
            },
            warnings: Vec::new(),
            reasons: BTreeMap::new(),
        }
    }

    #[test]
    fn headline_counts() {
        assert_eq!(
            doc().headline(),
            "1 regression, 0 improvements in 2 metrics"
        );
    }

    #[test]
    fn table_and_markdown_show_the_essentials() {
        let d = doc();
        let t = d.table();
        assert!(t.contains("p95_latency_ms"), "{t}");
        assert!(t.contains("+30.0 %"), "{t}");
        assert!(t.contains("100.0 ± 2.0 (7)"), "{t}");
        assert!(t.contains("run 40 (2024-02-10) +25.0 %"), "{t}");
        assert!(
            t.contains("drift (worse): risen +0.400 % per run over the last 50 runs"),
            "{t}"
        );
        let md = d.markdown(&[("p95_latency_ms".to_owned(), "p95_latency_ms.png".to_owned())]);
        assert!(md.starts_with("## 🔴 1 regression"), "{md}");
        assert!(md.contains("| `p95_latency_ms` |"), "{md}");
        assert!(md.contains("`abc123`"), "{md}");
        assert!(md.contains("![p95_latency_ms](p95_latency_ms.png)"), "{md}");
        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(json["metrics"][0]["baseline"]["n"], 7);
        assert!(json["metrics"][0].get("series").is_none());
    }

    /// The test document with 30 more metrics of status `ok`, then one more regression.
    fn doc_with_30_more_ok() -> RegressDoc {
        let mut d = doc();
        for k in 0..30 {
            d.metrics.push(metric(&format!("ok_{k:02}"), "ok"));
        }
        d.metrics.push(metric("last_regression", "regression"));
        d
    }

    #[test]
    fn the_row_limit_cuts_ok_metrics_only() {
        let d = doc_with_30_more_ok();
        let t = d.table_with(RowLimit::First(3));
        assert!(
            t.contains("p95_latency_ms") && t.contains("last_regression"),
            "{t}"
        );
        assert!(
            t.contains("error_rate") && t.contains("ok_01") && !t.contains("ok_02"),
            "{t}"
        );
        assert!(
            t.contains("… 28 more metrics with status ok not shown (3 of 31)"),
            "{t}"
        );
        let all = d.table_with(RowLimit::All);
        assert!(all.contains("ok_29") && !all.contains("not shown"), "{all}");
        assert_eq!(d.table(), d.table_with(RowLimit::DEFAULT));
    }

    #[test]
    fn the_markdown_follows_the_row_limit_as_the_table() {
        let d = doc_with_30_more_ok();
        let plots: Vec<(String, String)> = (d.metrics.iter())
            .map(|m| (m.name.clone(), format!("{}.png", m.name)))
            .collect();
        let md = d.markdown_with(&plots, RowLimit::First(3));
        assert!(
            md.contains("`last_regression`") && md.contains("`ok_01`"),
            "{md}"
        );
        assert!(!md.contains("`ok_02`") && !md.contains("ok_02.png"), "{md}");
        assert!(md.contains("last_regression.png"), "{md}");
        assert!(
            md.contains("… 28 more metrics with status ok not shown (3 of 31)"),
            "{md}"
        );
        let all = d.markdown_with(&plots, RowLimit::All);
        assert!(
            all.contains("ok_29.png") && !all.contains("not shown"),
            "{all}"
        );
        assert_eq!(
            d.markdown(&plots),
            d.markdown_with(&plots, RowLimit::DEFAULT)
        );
    }
}

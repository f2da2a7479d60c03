//! `perfstat pareto`: the JSON wire types, the terminal table, the Markdown
//! report and the scatter plots ([`plot`]).
//!
//! The types here are the wire format of the `pareto` JSON contract
//! (`docs/json-output.md`), built from a `perfstat_pareto::Analysis` and its input by
//! [`ParetoDoc::new`]; the library's `Direction` and `Status` serialise as the
//! contract's `"min"`/`"max"` and `"frontier"`/`"ambiguous"`/`"dominated"`.
//! Renderers return strings; nothing is printed here.

pub mod plot;
mod wire;

pub use self::wire::ParetoJson;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::ser::SerializeMap as _;
use serde::{Serialize, Serializer};

use perfstat_pareto::input::Input;
use perfstat_pareto::{Analysis, Config, ConfigResult, Metric, Options};

use crate::fmt::{RowLimit, sig};

pub use perfstat_pareto::{Direction, Status};

/// The former name of [`Direction`] (kept for the plots).
#[doc(hidden)]
pub use perfstat_pareto::Direction as Goal;

/// Name–value pairs serialised as a JSON object in the given order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Named<T>(pub Vec<(String, T)>);

impl<T> Named<T> {
    /// The value for `name`, if any.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&T> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// Whether there is no pair.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<T: Serialize> Serialize for Named<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// One objective of the analysis.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ObjectiveDoc {
    /// The metric name.
    pub name: String,
    /// `min` or `max`.
    pub direction: Direction,
}

/// A confidence interval of a point estimate (repeated measurements).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct IntervalDoc {
    /// Lower bound.
    pub lower: f64,
    /// Upper bound.
    pub upper: f64,
    /// Number of measurements.
    pub n: usize,
}

/// The result for one config.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConfigDoc {
    /// The config's id.
    pub id: String,
    /// Meets every constraint.
    pub feasible: bool,
    /// Pareto rank among feasible configs (1 = the front); `null` when infeasible.
    pub rank: Option<u32>,
    /// NSGA-II crowding distance within its front; infinite (boundary) and
    /// infeasible are `null`.
    #[serde(serialize_with = "finite_or_null")]
    pub crowding_distance: Option<f64>,
    /// How many first-front configs dominate this one (0 on the front and when infeasible).
    pub dominated_by_count: usize,
    /// Ids of the first-front configs that dominate this one, the closest first (distance in
    /// objectives normalised by their range), at most the document's `dominated_by_limit`.
    pub dominated_by: Vec<String>,
    /// The constraints it breaks, as written (`p95_latency_ms<=900`).
    pub violations: Vec<String>,
    /// Uncertainty-aware verdict (plain dominance without repeated
    /// measurements); `null` when infeasible.
    pub status: Option<Status>,
    /// Parameters, as given.
    pub params: Named<serde_json::Value>,
    /// Point estimates (the mean of repeated measurements) of the objectives,
    /// then of the other metrics used by constraints.
    pub metrics: Named<f64>,
    /// Intervals of the objectives measured repeatedly (omitted when none).
    #[serde(skip_serializing_if = "Named::is_empty")]
    pub intervals: Named<IntervalDoc>,
    /// Why each null above is null (`rank`, `status`, `crowding_distance`); omitted when empty.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub reasons: BTreeMap<&'static str, String>,
    /// The metric of each entry of `violations` (same order).
    #[serde(skip)]
    pub violated_metrics: Vec<String>,
    /// The objective values in objective order (point estimates).
    #[serde(skip)]
    pub values: Vec<f64>,
}

/// One config's entry: `r` from the analysis of `c`.
fn config_doc(
    r: &ConfigResult,
    c: &Config,
    shown: &[&str],
    a: &Analysis,
    ids: &[&str],
) -> ConfigDoc {
    ConfigDoc {
        id: r.id.clone(),
        feasible: r.feasible,
        rank: r.rank,
        crowding_distance: r.crowding_distance,
        dominated_by_count: r.dominated_by_count,
        dominated_by: r.dominated_by.iter().map(|&j| ids[j].to_owned()).collect(),
        violations: r.violated.iter().map(ToString::to_string).collect(),
        violated_metrics: r.violated.iter().map(|k| k.metric.clone()).collect(),
        status: r.status,
        params: Named(c.params.clone()),
        metrics: Named(
            shown_points(shown, c)
                .map(|(m, v)| (m.to_owned(), v))
                .collect(),
        ),
        intervals: config_intervals(r, c, a),
        reasons: config_reasons(r),
        values: r.values.clone(),
    }
}

/// The point estimates of the metrics `shown` that `c` has, in that order.
fn shown_points<'a>(shown: &'a [&'a str], c: &'a Config) -> impl Iterator<Item = (&'a str, f64)> {
    shown
        .iter()
        .filter_map(|&m| c.metrics.get(m).map(|v| (m, v.point())))
}

/// The intervals of the objectives of `c` measured more than once.
fn config_intervals(r: &ConfigResult, c: &Config, a: &Analysis) -> Named<IntervalDoc> {
    if !a.has_samples {
        // No objective of any config was measured more than once.
        return Named(Vec::new());
    }
    Named(
        a.objectives
            .iter()
            .zip(&r.intervals)
            .filter_map(|(o, &(lower, upper))| {
                let n = match c.metrics.get(&o.name)? {
                    Metric::Samples(xs) => xs.len(),
                    Metric::Interval { n, .. } => *n,
                    Metric::Value(_) => 1,
                };
                (n > 1).then(|| (o.name.clone(), IntervalDoc { lower, upper, n }))
            })
            .collect(),
    )
}

/// Why the nulls of a config's entry are null.
fn config_reasons(r: &ConfigResult) -> BTreeMap<&'static str, String> {
    let mut reasons = BTreeMap::new();
    if !r.feasible {
        let broken: Vec<String> = r.violated.iter().map(ToString::to_string).collect();
        let why = format!(
            "infeasible (breaks {}): only feasible configs are ranked",
            broken.join(", ")
        );
        reasons.insert("rank", why.clone());
        reasons.insert("status", why.clone());
        reasons.insert("crowding_distance", why);
    } else if let Some(d) = r.crowding_distance.filter(|d| !d.is_finite()) {
        let why = if d.is_nan() {
            "undefined for this front (not a number)".to_owned()
        } else {
            "a boundary point of its front: crowding distance is infinite (JSON has no infinity)"
                .to_owned()
        };
        reasons.insert("crowding_distance", why);
    }
    reasons
}

/// The metrics a document shows: the objectives, then the other metrics the constraints use.
fn shown_metrics<'a>(a: &'a Analysis, options: &'a Options) -> Vec<&'a str> {
    let mut shown: Vec<&str> = a.objectives.iter().map(|o| o.name.as_str()).collect();
    for k in &options.constraints {
        if !shown.contains(&k.metric.as_str()) {
            shown.push(&k.metric);
        }
    }
    shown
}

/// Why the document's nulls are null.
fn doc_reasons(a: &Analysis, options: &Options) -> BTreeMap<&'static str, String> {
    let mut reasons = BTreeMap::new();
    if a.reference.is_none() {
        reasons.insert(
            "reference",
            "no hypervolume reference point given".to_owned(),
        );
        if a.hypervolume.is_none() {
            reasons.insert(
                "hypervolume",
                "no reference point given: the hypervolume needs one".to_owned(),
            );
        }
    }
    if options.dominated_by_limit.is_none() {
        reasons.insert(
            "dominated_by_limit",
            "no limit: dominated_by lists every dominating first-front config".to_owned(),
        );
    }
    if a.knee.is_none() {
        reasons.insert(
            "knee",
            "no config is feasible: the front is empty".to_owned(),
        );
    }
    reasons
}

fn finite_or_null<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(x) if x.is_finite() => s.serialize_f64(*x),
        _ => s.serialize_none(),
    }
}

/// The `pareto` JSON document, and everything the renderers need.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ParetoDoc {
    /// Always `"pareto"`.
    pub command: &'static str,
    /// The input file.
    pub input: String,
    /// The objectives, in order.
    pub objectives: Vec<ObjectiveDoc>,
    /// The constraints, as written.
    pub constraints: Vec<String>,
    /// Confidence level of the intervals of repeated measurements.
    pub confidence: f64,
    /// Whether some objective came as repeated measurements (then `status`
    /// accounts for noise; otherwise it is plain dominance).
    pub repeated_measurements: bool,
    /// At most this many ids in each config's `dominated_by` (`null`: all of them).
    pub dominated_by_limit: Option<usize>,
    /// One entry per config, in input order.
    pub configs: Vec<ConfigDoc>,
    /// Ids per rank; `fronts[0]` is the Pareto front.
    pub fronts: Vec<Vec<String>>,
    /// Hypervolume of the first front for `reference`; `null` without one.
    pub hypervolume: Option<f64>,
    /// The reference point (own units), `null` when not given.
    pub reference: Option<Named<f64>>,
    /// Id of the knee config of the front, `null` when no config is feasible.
    pub knee: Option<String>,
    /// Why each null above is null (`dominated_by_limit`, `hypervolume`, `reference`, `knee`);
    /// omitted when empty.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub reasons: BTreeMap<&'static str, String>,
}

/// The display unit of an objective, from its name: `p95_latency_ms` → `ms`,
/// `throughput_tokens_per_s` → `tokens/s`.
///
/// ```
/// use perfstat_report::pareto::unit;
/// assert_eq!(unit("p95_latency_ms").as_deref(), Some("ms"));
/// assert_eq!(unit("throughput_tokens_per_s").as_deref(), Some("tokens/s"));
/// assert_eq!(unit("quality_score"), None);
/// ```
#[must_use]
pub fn unit(name: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    if let Some((left, right)) = lower.rsplit_once("_per_") {
        if matches!(right, "s" | "sec" | "second") {
            let what = left.rsplit('_').next().unwrap_or(left);
            return Some(format!("{what}/s"));
        }
        return None;
    }
    crate::fmt::unit_from_name(name).map(str::to_owned)
}

/// A number for people: 4 significant digits.
fn num(x: f64) -> String {
    sig(x, 4)
}

/// 4 significant digits without trailing zeros (`6.000` → `6`).
fn short(x: f64) -> String {
    let s = num(x);
    if s.contains('.') && !s.contains('e') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

/// `name (unit) ↓`.
fn heading(o: &ObjectiveDoc) -> String {
    match unit(&o.name) {
        Some(u) => format!("{} ({u}) {}", o.name, o.direction.arrow()),
        None => format!("{} {}", o.name, o.direction.arrow()),
    }
}

/// Relative change from `a` to `b` in percent, `+12%`; an absolute change when `a` is 0.
fn change(a: f64, b: f64) -> String {
    if a == 0.0 {
        let d = b - a;
        let sign = if d < 0.0 { "−" } else { "+" };
        return format!("{sign}{}", sig(d.abs(), 3));
    }
    let r = (b - a) / a.abs() * 100.0;
    if r.abs() < 0.05 {
        return "0%".to_owned();
    }
    let text = if r.abs() >= 10.0 {
        format!("{r:+.0}%")
    } else {
        format!("{r:+.1}%")
    };
    text.replace('-', "−")
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl ParetoDoc {
    /// The document of `analysis`, run with `options` on `input` (its source, params
    /// and measurements). Metrics shown: the objectives, then the other metrics the
    /// constraints use; intervals for the objectives measured more than once.
    #[must_use]
    pub fn new(input: &Input, options: &Options, analysis: &Analysis) -> Self {
        let a = analysis;
        let ids: Vec<&str> = a.configs.iter().map(|c| c.id.as_str()).collect();
        let shown = shown_metrics(a, options);
        let configs = {
            use rayon::prelude::*;
            a.configs
                .par_iter()
                .zip(&input.configs)
                .with_min_len(4096)
                .map(|(r, c)| config_doc(r, c, &shown, a, &ids))
                .collect()
        };
        let reasons = doc_reasons(a, options);
        ParetoDoc {
            command: "pareto",
            input: input.source.clone(),
            objectives: a
                .objectives
                .iter()
                .map(|o| ObjectiveDoc {
                    name: o.name.clone(),
                    direction: o.direction,
                })
                .collect(),
            constraints: options
                .constraints
                .iter()
                .map(ToString::to_string)
                .collect(),
            confidence: options.confidence.level(),
            repeated_measurements: a.has_samples,
            dominated_by_limit: options.dominated_by_limit,
            configs,
            fronts: a
                .fronts
                .iter()
                .map(|f| f.iter().map(|&i| ids[i].to_owned()).collect())
                .collect(),
            hypervolume: a.hypervolume,
            reference: a.reference.as_ref().map(|r| {
                Named(
                    a.objectives
                        .iter()
                        .zip(r)
                        .map(|(o, v)| (o.name.clone(), *v))
                        .collect(),
                )
            }),
            knee: a.knee.map(|k| ids[k].to_owned()),
            reasons,
        }
    }

    /// Indexes of the configs sorted for display: by rank (infeasible last),
    /// then along the first objective (best first), then input order.
    #[must_use]
    pub fn display_order(&self) -> Vec<usize> {
        let goal = self
            .objectives
            .first()
            .map_or(Direction::Min, |o| o.direction);
        let mut idx: Vec<usize> = (0..self.configs.len()).collect();
        idx.sort_by(|&a, &b| {
            let (ca, cb) = (&self.configs[a], &self.configs[b]);
            let ra = ca.rank.unwrap_or(u32::MAX);
            let rb = cb.rank.unwrap_or(u32::MAX);
            let first = |c: &ConfigDoc| {
                let x = c.values.first().copied().unwrap_or(0.0);
                if goal == Direction::Max { -x } else { x }
            };
            ra.cmp(&rb)
                .then(first(ca).total_cmp(&first(cb)))
                .then(a.cmp(&b))
        });
        idx
    }

    /// The first front in display order (along the first objective, best first).
    #[must_use]
    pub fn front_order(&self) -> Vec<usize> {
        self.display_order()
            .into_iter()
            .filter(|&i| self.configs[i].rank == Some(1))
            .collect()
    }

    fn is_knee(&self, c: &ConfigDoc) -> bool {
        self.knee.as_deref() == Some(c.id.as_str())
    }

    fn summary(&self) -> String {
        let front = self.fronts.first().map_or(0, Vec::len);
        let infeasible = self.configs.iter().filter(|c| !c.feasible).count();
        let mut s = format!(
            "{}, {}, {} on the Pareto front",
            plural(self.configs.len(), "config", "configs"),
            plural(self.objectives.len(), "objective", "objectives"),
            front
        );
        if infeasible > 0 {
            let _ = write!(s, ", {infeasible} infeasible");
        }
        s
    }

    fn reference_text(&self) -> Option<String> {
        let r = self.reference.as_ref()?;
        Some(
            r.0.iter()
                .map(|(k, v)| format!("{k}={}", short(*v)))
                .collect::<Vec<_>>()
                .join(", "),
        )
    }

    fn note(&self, c: &ConfigDoc) -> String {
        let mut parts = Vec::new();
        if self.is_knee(c) {
            parts.push("knee".to_owned());
        }
        if !c.feasible {
            parts.push(format!("breaks {}", c.violations.join(", ")));
        }
        if !c.dominated_by.is_empty() {
            let ids = list_ids(&c.dominated_by, 3, c.dominated_by_count);
            parts.push(format!("dominated by {ids}"));
        }
        parts.join("; ")
    }

    /// [`table_with`](Self::table_with) the default [`RowLimit`].
    #[must_use]
    pub fn table(&self) -> String {
        self.table_with(RowLimit::DEFAULT)
    }

    /// The rows a table shows under `limit`, in display order: the front (the knee always
    /// among them), then the dominated configs, then the infeasible ones, at most `limit` of
    /// each section; and one line per section cut short.
    fn limited_rows(&self, limit: RowLimit) -> (Vec<usize>, Vec<String>) {
        let order = self.display_order();
        let mut rows = Vec::new();
        let mut omitted = Vec::new();
        type Keep = fn(&ConfigDoc) -> bool;
        let sections: [(&str, Keep); 3] = [
            ("front configs", |c| c.rank == Some(1)),
            ("dominated configs", |c| c.rank.is_some_and(|r| r > 1)),
            ("infeasible configs", |c| c.rank.is_none()),
        ];
        for (k, (what, keep)) in sections.into_iter().enumerate() {
            let section: Vec<usize> = order
                .iter()
                .copied()
                .filter(|&i| keep(&self.configs[i]))
                .collect();
            let shown = limit.shown(section.len());
            rows.extend_from_slice(&section[..shown]);
            if k == 0
                && !section[..shown]
                    .iter()
                    .any(|&i| self.is_knee(&self.configs[i]))
            {
                rows.extend(
                    section
                        .iter()
                        .copied()
                        .find(|&i| self.is_knee(&self.configs[i])),
                );
            }
            omitted.extend(limit.omitted(section.len(), what));
        }
        (rows, omitted)
    }

    /// `configs per rank: 1: 95 · 2: 180 · …` (the first 20 ranks), for tables cut short.
    fn rank_counts(&self) -> String {
        let mut s = "configs per rank:".to_owned();
        for (r, f) in self.fronts.iter().enumerate().take(20) {
            let sep = if r == 0 { " " } else { " · " };
            let _ = write!(s, "{sep}{}: {}", r + 1, f.len());
        }
        if self.fronts.len() > 20 {
            let _ = write!(s, " · … ({} ranks)", self.fronts.len());
        }
        s
    }

    /// The terminal table: the configs sorted by rank, the front marked `*`, the knee
    /// noted; at most `limit` configs of each section (front, dominated, infeasible), the
    /// knee always, and then the count of configs per rank.
    #[must_use]
    pub fn table_with(&self, limit: RowLimit) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "pareto · {} · {}", self.input, self.summary());
        let dirs: Vec<String> = self
            .objectives
            .iter()
            .map(|o| {
                format!(
                    "{} {} ({})",
                    o.name,
                    o.direction.arrow(),
                    o.direction.words()
                )
            })
            .collect();
        let _ = writeln!(out, "objectives: {}", dirs.join(", "));
        if !self.constraints.is_empty() {
            let _ = writeln!(out, "constraints: {}", self.constraints.join(", "));
        }
        match (self.hypervolume, self.reference_text()) {
            (Some(hv), Some(r)) => {
                let _ = writeln!(out, "hypervolume: {} (reference {r})", num(hv));
            }
            _ => {
                let _ = writeln!(out, "hypervolume: — (give --reference NAME=VALUE,...)");
            }
        }
        if let Some(k) = &self.knee {
            let _ = writeln!(out, "knee: {k}");
        }
        out.push('\n');

        let mut header: Vec<String> = vec![String::new(), "rank".into(), "id".into()];
        header.extend(self.objectives.iter().map(heading));
        header.push("crowding".into());
        if self.repeated_measurements {
            header.push("status".into());
        }
        header.push("note".into());
        let mut rows = vec![header];
        let (shown, omitted) = self.limited_rows(limit);
        for i in shown {
            let c = &self.configs[i];
            let mut row = vec![
                if c.rank == Some(1) { "*" } else { "" }.to_owned(),
                c.rank.map_or_else(|| "—".to_owned(), |r| r.to_string()),
                c.id.clone(),
            ];
            for (j, o) in self.objectives.iter().enumerate() {
                let v = c.values.get(j).copied().unwrap_or(f64::NAN);
                row.push(match c.intervals.get(&o.name) {
                    Some(iv) => format!("{} ±{}", num(v), sig((iv.upper - iv.lower) / 2.0, 2)),
                    None => num(v),
                });
            }
            row.push(match c.crowding_distance {
                Some(d) if d.is_finite() => sig(d, 3),
                Some(_) => "∞".to_owned(),
                None => "—".to_owned(),
            });
            if self.repeated_measurements {
                row.push(c.status.map_or("—", Status::as_str).to_owned());
            }
            row.push(self.note(c));
            rows.push(row);
        }
        let ncol = rows[0].len();
        let widths: Vec<usize> = (0..ncol)
            .map(|j| rows.iter().map(|r| r[j].chars().count()).max().unwrap_or(0))
            .collect();
        for row in &rows {
            let mut line = String::new();
            for (j, cell) in row.iter().enumerate() {
                let pad = widths[j].saturating_sub(cell.chars().count());
                // Numbers right-aligned, text left-aligned.
                let right = j >= 3 && j < 3 + self.objectives.len() + 1;
                if j > 0 {
                    line.push_str("  ");
                }
                if right {
                    line.push_str(&" ".repeat(pad));
                    line.push_str(cell);
                } else {
                    line.push_str(cell);
                    if j + 1 < ncol {
                        line.push_str(&" ".repeat(pad));
                    }
                }
            }
            let _ = writeln!(out, "{}", line.trim_end());
        }
        if !omitted.is_empty() {
            for o in &omitted {
                let _ = writeln!(out, "{o}");
            }
            let _ = writeln!(out, "{}", self.rank_counts());
        }
        out.push_str("\n* = Pareto front (rank 1); ↓ lower is better, ↑ higher is better");
        if self.repeated_measurements {
            let _ = write!(
                out,
                "; ± = half-width of the {} t interval of the mean",
                percent(self.confidence)
            );
        }
        out.push('\n');
        out
    }

    /// The Markdown report: summary, front table, knee, trade-offs along the
    /// first objective, uncertainty, dominated and infeasible configs, and the
    /// plots (relative file names, e.g. `pareto_a_vs_b.png`).
    #[must_use]
    pub fn markdown(&self, plots: &[plot::ScatterPlot]) -> String {
        self.markdown_with(plots, RowLimit::DEFAULT)
    }

    /// [`markdown`](Self::markdown) with at most `limit` configs in each table (front — the
    /// knee always —, trade-offs, ambiguous, dominated, infeasible).
    #[must_use]
    pub fn markdown_with(&self, plots: &[plot::ScatterPlot], limit: RowLimit) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "`{}`: {}.\n", self.input, self.summary());
        let _ = writeln!(out, "| objective | direction | unit |");
        let _ = writeln!(out, "|---|---|---|");
        for o in &self.objectives {
            let _ = writeln!(
                out,
                "| `{}` | {} {} | {} |",
                o.name,
                o.direction.arrow(),
                o.direction.words(),
                unit(&o.name).unwrap_or_else(|| "—".into())
            );
        }
        out.push('\n');
        if !self.constraints.is_empty() {
            let list: Vec<String> = self.constraints.iter().map(|k| format!("`{k}`")).collect();
            let _ = writeln!(out, "Constraints: {}.\n", list.join(", "));
        }
        match (self.hypervolume, self.reference_text()) {
            (Some(hv), Some(r)) => {
                let _ = writeln!(
                    out,
                    "Hypervolume of the front: **{}** (reference point {r}).\n",
                    num(hv)
                );
            }
            _ => out.push_str("Hypervolume: not computed (no `--reference` point).\n\n"),
        }

        let front = self.front_order();
        let _ = writeln!(out, "## Pareto front ({} configs)\n", front.len());
        if front.is_empty() {
            out.push_str("No config meets the constraints.\n\n");
        } else {
            let first = &self.objectives[0];
            let _ = writeln!(
                out,
                "Sorted along `{}` ({}).\n",
                first.name,
                first.direction.words()
            );
            let mut shown = front[..limit.shown(front.len())].to_vec();
            if !shown.iter().any(|&i| self.is_knee(&self.configs[i])) {
                shown.extend(
                    front
                        .iter()
                        .copied()
                        .find(|&i| self.is_knee(&self.configs[i])),
                );
            }
            self.config_table(&mut out, &shown, true);
            if let Some(o) = limit.omitted(front.len(), "front configs") {
                let _ = writeln!(out, "{o}.\n");
            }
        }

        if let Some(k) = self.knee.as_deref()
            && let Some(c) = self.configs.iter().find(|c| c.id == k)
        {
            let vals: Vec<String> = self
                .objectives
                .iter()
                .zip(&c.values)
                .map(|(o, v)| format!("{} {}", o.name, with_unit(*v, &o.name)))
                .collect();
            let _ = writeln!(out, "## Knee: `{k}`\n");
            let _ = writeln!(out, "{}{}.\n", vals.join(", "), params_text(c));
            out.push_str(
                "The knee is the front config with the smallest sum of objectives normalised \
                 to [0, 1] over the front (ideal 0, nadir 1): in two objectives, the point \
                 farthest from the line through the extremes, where giving up a little of one \
                 objective buys the most of the other.\n\n",
            );
        }

        if front.len() >= 2 {
            let _ = writeln!(out, "## Trade-offs along `{}`\n", self.objectives[0].name);
            out.push_str("Each step to the next front config (relative changes):\n\n");
            let mut header = "| from | to |".to_owned();
            let mut rule = "|---|---|".to_owned();
            for o in &self.objectives {
                let _ = write!(header, " {} {} |", o.name, o.direction.arrow());
                rule.push_str("---:|");
            }
            header.push_str(" trade-off |");
            rule.push_str("---|");
            let _ = writeln!(out, "{header}\n{rule}");
            for pair in front[..limit.shown(front.len())].windows(2) {
                let (a, b) = (&self.configs[pair[0]], &self.configs[pair[1]]);
                let mut line = format!("| `{}` | `{}` |", a.id, b.id);
                let mut gains = Vec::new();
                let mut costs = Vec::new();
                for (j, o) in self.objectives.iter().enumerate() {
                    let (x, y) = (a.values[j], b.values[j]);
                    let ch = change(x, y);
                    let _ = write!(line, " {ch} |");
                    if o.direction.better(y, x) {
                        gains.push(format!("{ch} {}", o.name));
                    } else if o.direction.better(x, y) {
                        costs.push(format!("{ch} {}", o.name));
                    }
                }
                let text = match (gains.is_empty(), costs.is_empty()) {
                    (false, false) => format!("{} for {}", gains.join(", "), costs.join(", ")),
                    (false, true) => gains.join(", "),
                    (true, false) => costs.join(", "),
                    (true, true) => "equal".to_owned(),
                };
                let _ = writeln!(line, " {text} |");
                out.push_str(&line);
            }
            out.push('\n');
        }

        if self.repeated_measurements {
            let level = percent(self.confidence);
            let _ = writeln!(out, "## Noise\n");
            let _ = writeln!(
                out,
                "Some metrics are repeated measurements; each gets the {level} Student-t interval \
                 of its mean (t rather than bootstrap: a handful of runs per config). \
                 `frontier`: on the front even with its intervals at their worst; \
                 `dominated`: dominated even at their best; `ambiguous`: on or off the front \
                 depending on noise.\n"
            );
            let ambiguous: Vec<&ConfigDoc> = self
                .configs
                .iter()
                .filter(|c| c.status == Some(Status::Ambiguous))
                .collect();
            if ambiguous.is_empty() {
                out.push_str("No config is ambiguous.\n\n");
            } else {
                let _ = writeln!(out, "| id | rank | status | measured |");
                let _ = writeln!(out, "|---|---:|---|---|");
                let total = ambiguous.len();
                for c in ambiguous.into_iter().take(limit.shown(total)) {
                    let measured: Vec<String> = c
                        .intervals
                        .0
                        .iter()
                        .map(|(k, iv)| {
                            format!("{k} [{}, {}] (n={})", num(iv.lower), num(iv.upper), iv.n)
                        })
                        .collect();
                    let _ = writeln!(
                        out,
                        "| `{}` | {} | ambiguous | {} |",
                        c.id,
                        c.rank.map_or_else(|| "—".into(), |r| r.to_string()),
                        if measured.is_empty() {
                            "—".to_owned()
                        } else {
                            measured.join("; ")
                        }
                    );
                }
                out.push('\n');
                if let Some(o) = limit.omitted(total, "ambiguous configs") {
                    let _ = writeln!(out, "{o}.\n");
                }
            }
        }

        let dominated: Vec<usize> = self
            .display_order()
            .into_iter()
            .filter(|&i| self.configs[i].rank.is_some_and(|r| r > 1))
            .collect();
        if !dominated.is_empty() {
            let _ = writeln!(out, "## Dominated configs ({})\n", dominated.len());
            let shown = limit.shown(dominated.len());
            self.config_table(&mut out, &dominated[..shown], false);
            if let Some(o) = limit.omitted(dominated.len(), "dominated configs") {
                let _ = writeln!(out, "{o}; {}.\n", self.rank_counts());
            }
        }

        let infeasible: Vec<&ConfigDoc> = self.configs.iter().filter(|c| !c.feasible).collect();
        if !infeasible.is_empty() {
            let _ = writeln!(out, "## Infeasible configs ({})\n", infeasible.len());
            let _ = writeln!(out, "| id | breaks | measured |");
            let _ = writeln!(out, "|---|---|---|");
            let total = infeasible.len();
            for c in infeasible.iter().take(limit.shown(total)) {
                let measured: Vec<String> = c
                    .violated_metrics
                    .iter()
                    .filter_map(|m| {
                        c.metrics
                            .get(m)
                            .map(|v| format!("{m} = {}", with_unit(*v, m)))
                    })
                    .collect();
                let breaks: Vec<String> = c.violations.iter().map(|k| format!("`{k}`")).collect();
                let _ = writeln!(
                    out,
                    "| `{}` | {} | {} |",
                    c.id,
                    breaks.join(", "),
                    measured.join(", ")
                );
            }
            out.push('\n');
            if let Some(o) = limit.omitted(total, "infeasible configs") {
                let _ = writeln!(out, "{o}.\n");
            }
        }

        if !plots.is_empty() {
            out.push_str("## Plots\n\n");
            out.push_str(
                "Front configs (all objectives) in colour with their ids, the front of each \
                 pair as a step line, dominated configs faded, infeasible configs crossed, \
                 the knee ringed; ids where there is room.\n\n",
            );
            for p in plots {
                let _ = writeln!(out, "![{}]({})\n", p.title, p.png_name);
            }
        }
        out
    }

    fn config_table(&self, out: &mut String, rows: &[usize], front: bool) {
        let mut header = "| id |".to_owned();
        let mut rule = "|---|".to_owned();
        if !front {
            header.push_str(" rank |");
            rule.push_str("---:|");
        }
        for o in &self.objectives {
            let _ = write!(header, " {} |", heading(o));
            rule.push_str("---:|");
        }
        if front {
            header.push_str(" crowding |");
            rule.push_str("---:|");
        }
        if self.repeated_measurements {
            header.push_str(" status |");
            rule.push_str("---|");
        }
        let any_params = rows.iter().any(|&i| !self.configs[i].params.is_empty());
        if any_params {
            header.push_str(" params |");
            rule.push_str("---|");
        }
        if !front {
            header.push_str(" dominated by |");
            rule.push_str("---|");
        }
        let _ = writeln!(out, "{header}\n{rule}");
        for &i in rows {
            let c = &self.configs[i];
            let id = if self.is_knee(c) {
                format!("**`{}`** (knee)", c.id)
            } else {
                format!("`{}`", c.id)
            };
            let mut line = format!("| {id} |");
            if !front {
                let _ = write!(
                    line,
                    " {} |",
                    c.rank.map_or_else(|| "—".into(), |r| r.to_string())
                );
            }
            for (j, o) in self.objectives.iter().enumerate() {
                let v = c.values.get(j).copied().unwrap_or(f64::NAN);
                match c.intervals.get(&o.name) {
                    Some(iv) => {
                        let _ =
                            write!(line, " {} [{}, {}] |", num(v), num(iv.lower), num(iv.upper));
                    }
                    None => {
                        let _ = write!(line, " {} |", num(v));
                    }
                }
            }
            if front {
                let _ = write!(
                    line,
                    " {} |",
                    match c.crowding_distance {
                        Some(d) if d.is_finite() => sig(d, 3),
                        Some(_) => "∞".to_owned(),
                        None => "—".to_owned(),
                    }
                );
            }
            if self.repeated_measurements {
                let _ = write!(line, " {} |", c.status.map_or("—", Status::as_str));
            }
            if any_params {
                let _ = write!(line, " {} |", params_inline(c));
            }
            if !front {
                let ids: Vec<String> = c.dominated_by.iter().map(|d| format!("`{d}`")).collect();
                let _ = write!(line, " {} |", list_ids(&ids, 4, c.dominated_by_count));
            }
            let _ = writeln!(out, "{line}");
        }
        out.push('\n');
    }
}

fn with_unit(v: f64, name: &str) -> String {
    match unit(name) {
        Some(u) => format!("{} {u}", num(v)),
        None => num(v),
    }
}

fn param_value(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn params_inline(c: &ConfigDoc) -> String {
    c.params
        .0
        .iter()
        .map(|(k, v)| format!("{k}={}", param_value(v)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn params_text(c: &ConfigDoc) -> String {
    if c.params.is_empty() {
        String::new()
    } else {
        format!(" ({})", params_inline(c))
    }
}

/// At most `limit` of `ids` (a list of `count` ids, maybe cut short), then `(+k more)`.
fn list_ids(ids: &[String], limit: usize, count: usize) -> String {
    let shown = ids.len().min(limit);
    let mut s = ids[..shown].join(", ");
    if count > shown {
        let _ = write!(s, " (+{} more)", count - shown);
    }
    s
}

fn percent(confidence: f64) -> String {
    format!(
        "{}%",
        sig(confidence * 100.0, 3)
            .trim_end_matches('0')
            .trim_end_matches('.')
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_signed_percentages() {
        assert_eq!(change(100.0, 112.0), "+12%");
        assert_eq!(change(100.0, 70.0), "−30%");
        assert_eq!(change(100.0, 101.5), "+1.5%");
        assert_eq!(change(0.0, 2.0), "+2.00");
    }

    /// 30 configs on a line `x + y = i` (rank i + 1 … ) plus a 2-D front of 30: every
    /// section longer than a limit of 5.
    fn big_doc() -> ParetoDoc {
        let (input, options, a) = big_run();
        ParetoDoc::new(&input, &options, &a)
    }

    fn big_run() -> (Input, Options, Analysis) {
        use perfstat_pareto::input::Shape;
        use perfstat_pareto::{Constraint, Objective, analyze};
        let objectives = vec![Objective::min("x"), Objective::min("y")];
        let mut configs = Vec::new();
        for i in 0..30 {
            let f = f64::from(i);
            configs.push(Config::new(format!("f{i}"), [("x", f), ("y", 30.0 - f)]));
            configs.push(Config::new(
                format!("d{i}"),
                [("x", 31.0 + f), ("y", 31.0 + f)],
            ));
            configs.push(Config::new(format!("i{i}"), [("x", 100.0 + f), ("y", 1.0)]));
        }
        let options = Options {
            constraints: vec!["x<=99".parse::<Constraint>().expect("constraint")],
            ..Options::default()
        };
        let a = analyze(&objectives, &configs, &options).expect("analysis");
        let input = Input {
            source: "big.csv".into(),
            shape: Shape::Table,
            objectives,
            inferred: Vec::new(),
            configs,
        };
        (input, options, a)
    }

    /// The borrowed serializer writes the owned document's bytes, pretty and compact, also
    /// with params, repeated measurements, a constraint metric that is no objective, an
    /// infeasible config, a reference point and no limit of `dominated_by`.
    #[test]
    fn the_borrowed_json_is_the_documents() {
        use perfstat_pareto::input::Shape;
        use perfstat_pareto::{Constraint, Objective, analyze};
        let same = |input: &Input, options: &Options, a: &Analysis| {
            let doc = ParetoDoc::new(input, options, a);
            let json = ParetoJson::new(input, options, a);
            for layout in [crate::json::Layout::Pretty, crate::json::Layout::Compact] {
                let (mut x, mut y) = (Vec::new(), Vec::new());
                crate::json::write(&doc, &mut x, layout).expect("doc");
                crate::json::write(&json, &mut y, layout).expect("json");
                assert_eq!(String::from_utf8(y).unwrap(), String::from_utf8(x).unwrap());
            }
            // Formatted in parallel batches (of 7 configs in tests, in pieces of 3).
            for layout in [crate::json::Layout::Pretty, crate::json::Layout::Compact] {
                let (mut x, mut y) = (Vec::new(), Vec::new());
                crate::json::write(&doc, &mut x, layout).expect("doc");
                let known = json.with_layout(layout);
                crate::json::write(&known, &mut y, layout).expect("json");
                assert_eq!(String::from_utf8(y).unwrap(), String::from_utf8(x).unwrap());
            }
        };
        let (input, options, a) = big_run();
        same(&input, &options, &a);
        let objectives = vec![Objective::min("p95"), Objective::max("tps")];
        let mut configs = vec![
            Config::new(
                "a",
                [
                    ("p95", Metric::Samples(vec![9.0, 11.0])),
                    ("tps", Metric::Value(5.0)),
                ],
            ),
            Config::new(
                "b",
                [
                    ("p95", Metric::Value(20.0)),
                    ("tps", Metric::Value(9.0)),
                    ("z", Metric::Value(1.0)),
                ],
            ),
            Config::new(
                "c",
                [
                    ("p95", Metric::Value(30.0)),
                    ("tps", Metric::Value(1.0)),
                    ("z", Metric::Value(7.0)),
                ],
            ),
            Config::new(
                "d \"q\"",
                [
                    ("p95", Metric::Value(40.0)),
                    ("tps", Metric::Value(0.5)),
                    ("z", Metric::Value(2.0)),
                ],
            ),
        ];
        configs[0].metrics.insert("z", Metric::Value(0.0));
        configs[1].params = vec![
            ("batch".into(), serde_json::json!(8)),
            ("engine".into(), serde_json::json!("v\u{e9}lo")),
        ];
        let options = Options {
            constraints: vec!["z<=5".parse::<Constraint>().expect("constraint")],
            reference: Some(vec![50.0, 0.0]),
            dominated_by_limit: None,
            ..Options::default()
        };
        let a = analyze(&objectives, &configs, &options).expect("analysis");
        let input = Input {
            source: "small.json".into(),
            shape: Shape::Records,
            objectives,
            inferred: Vec::new(),
            configs,
        };
        assert!(a.has_samples && a.hypervolume.is_some());
        same(&input, &options, &a);
    }

    #[test]
    fn tables_show_the_top_of_each_section_and_the_knee() {
        let doc = big_doc();
        let all = doc.table_with(RowLimit::All);
        let cut = doc.table_with(RowLimit::First(5));
        assert_eq!(doc.table(), doc.table_with(RowLimit::DEFAULT));
        for id in ["f0 ", "f29", "d29", "i29"] {
            assert!(all.contains(id), "{id} in\n{all}");
        }
        assert!(!all.contains("not shown"));
        // The knee (f15 ties broken by order: the front's middle) is kept though it is not
        // among the first five along x.
        let knee = doc.knee.clone().expect("knee");
        assert!(
            cut.contains(&format!("{knee} ")) || cut.contains(&format!("{knee}\n")),
            "{cut}"
        );
        assert!(cut.contains("f4 ") && !cut.contains("f6 "), "{cut}");
        assert!(cut.contains("d4 ") && !cut.contains("d5 "), "{cut}");
        assert!(
            cut.contains("… 25 more front configs not shown (5 of 30)"),
            "{cut}"
        );
        assert!(
            cut.contains("… 25 more dominated configs not shown (5 of 30)"),
            "{cut}"
        );
        assert!(
            cut.contains("… 25 more infeasible configs not shown (5 of 30)"),
            "{cut}"
        );
        assert!(
            cut.contains("configs per rank: 1: 30 · 2: 1 · 3: 1 ·"),
            "{cut}"
        );
        assert!(cut.contains("… (31 ranks)"), "{cut}");
        let md = doc.markdown_with(&[], RowLimit::First(5));
        assert!(md.contains("## Dominated configs (30)"), "{md}");
        assert!(
            md.contains("… 25 more dominated configs not shown (5 of 30)"),
            "{md}"
        );
        assert!(
            md.contains("… 25 more infeasible configs not shown (5 of 30)"),
            "{md}"
        );
        assert!(!md.contains("`d5`") && md.contains("`d4`"), "{md}");
        assert!(!doc.markdown_with(&[], RowLimit::All).contains("not shown"));
    }

    #[test]
    fn units_from_names() {
        assert_eq!(unit("cost_per_1k_tokens"), None);
        assert_eq!(unit("tokens_per_second").as_deref(), Some("tokens/s"));
        assert_eq!(unit("latency_ms").as_deref(), Some("ms"));
    }
}

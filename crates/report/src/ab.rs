//! `perfstat ab`: terminal table, Markdown and JSON of an A/B comparison.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use perfstat_stats::compare::{Comparison, Direction, QuantileDifference, Verdict};
use perfstat_stats::slo::SloResult;
use perfstat_stats::{Description, Estimate, Stat};
use serde::Serialize;

use crate::describe::{slo_line, slo_markdown};
use crate::fmt::{RowLimit, p_value, sig, value};
use crate::json::{InputDoc, SampleDoc};

/// One comparison: the whole run, or one `--by` group.
#[derive(Clone, Debug)]
pub struct AbGroup {
    /// The group label with `--by`.
    pub label: Option<String>,
    /// The control sample's description.
    pub control: Description,
    /// The treatment sample's description.
    pub treatment: Description,
    /// Tests, intervals, verdict and warnings.
    pub comparison: Comparison,
    /// The driving p-value adjusted for the number of groups (with `--by`).
    pub adjusted_p_value: Option<Stat<f64>>,
    /// The verdict after adjustment (with `--by`; else the comparison's).
    pub verdict: Verdict,
    /// The `--slo` objectives judged on the treatment (empty without `--slo`).
    pub treatment_slos: Vec<SloResult>,
}

/// What both forms of `perfstat ab` (two samples, repeated runs) compare and how.
#[derive(Clone, Debug)]
pub struct AbSettings {
    /// The metric compared.
    pub metric: String,
    /// Its display unit, if known.
    pub unit: Option<String>,
    /// Which way is better.
    pub direction: Direction,
    /// Whether `direction` was inferred from the metric name (said in the output).
    pub direction_inferred: bool,
    /// Confidence level of intervals.
    pub confidence: f64,
    /// Significance level.
    pub alpha: f64,
    /// Smallest relative change that matters.
    pub min_effect: f64,
    /// Bootstrap seed.
    pub seed: u64,
}

impl AbSettings {
    /// The JSON's `direction_source`: `"inferred from the metric name"` or `"given"`.
    #[must_use]
    pub fn direction_source(&self) -> &'static str {
        if self.direction_inferred {
            "inferred from the metric name"
        } else {
            "given"
        }
    }

    /// `", inferred from the name"` after the direction in tables and Markdown, or nothing.
    fn inferred(&self) -> &'static str {
        if self.direction_inferred {
            ", inferred from the name"
        } else {
            ""
        }
    }

    /// The settings as the JSON writes them.
    #[must_use]
    pub fn doc(&self) -> SettingsDoc {
        SettingsDoc {
            metric: self.metric.clone(),
            direction: self.direction.as_str(),
            direction_source: self.direction_source(),
            confidence: self.confidence,
            alpha: self.alpha,
            min_effect: self.min_effect,
        }
    }

    /// The direction as the tables and Markdown say it (`lower is better, inferred from the name`).
    pub(crate) fn direction_text(&self) -> String {
        format!("{}{}", self.direction, self.inferred())
    }
}

/// Everything `perfstat ab` reports.
#[derive(Clone, Debug)]
pub struct AbReport {
    /// What is compared and how (shared with the repeated-runs report).
    pub settings: AbSettings,
    /// Bootstrap resamples.
    pub resamples: usize,
    /// Control and treatment files.
    pub inputs: [InputDoc; 2],
    /// `holm` or `bh` with `--by`.
    pub adjustment: Option<&'static str>,
    /// One entry without `--by`; one per group with it.
    pub groups: Vec<AbGroup>,
}

/// The settings at the top of both `ab` documents (flattened into them).
#[derive(Clone, Debug, Serialize)]
pub struct SettingsDoc {
    /// The metric compared.
    pub metric: String,
    /// `lower_is_better` or `higher_is_better`.
    pub direction: &'static str,
    /// `"inferred from the metric name"` or `"given"`.
    pub direction_source: &'static str,
    /// Confidence level of intervals.
    pub confidence: f64,
    /// Significance level.
    pub alpha: f64,
    /// Minimum effect of interest (relative).
    pub min_effect: f64,
}

/// The document printed by `perfstat ab --format json`.
#[derive(Clone, Debug, Serialize)]
pub struct AbDoc {
    /// Always `"ab"`.
    pub command: &'static str,
    /// The metric, direction and levels.
    #[serde(flatten)]
    pub settings: SettingsDoc,
    /// Bootstrap settings.
    pub bootstrap: BootstrapDoc,
    /// Control and treatment files.
    pub inputs: [InputDoc; 2],
    /// Without `--by`: `control`, `treatment`, `comparison`, `warnings`.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub single: Option<GroupDoc>,
    /// With `--by`: the p-value adjustment used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adjustment: Option<&'static str>,
    /// With `--by`: one comparison per group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<GroupDoc>>,
    /// Count of each verdict over the groups (or the one comparison).
    pub summary: BTreeMap<&'static str, usize>,
}

/// Bootstrap settings.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct BootstrapDoc {
    /// Seed.
    pub seed: u64,
    /// Resamples.
    pub resamples: usize,
}

/// One comparison in the document.
#[derive(Clone, Debug, Serialize)]
pub struct GroupDoc {
    /// The group label (with `--by`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The control sample.
    pub control: SampleDoc,
    /// The treatment sample.
    pub treatment: SampleDoc,
    /// The `comparison` object of the contract.
    pub comparison: ComparisonDoc,
    /// Warnings with the numbers behind them.
    pub warnings: Vec<String>,
}

/// `{ "estimate", "lower", "upper" }`.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct EstimateDoc {
    /// Point estimate.
    pub estimate: f64,
    /// Lower bound.
    pub lower: f64,
    /// Upper bound.
    pub upper: f64,
}

/// Welch's t-test.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct WelchDoc {
    /// t.
    pub statistic: f64,
    /// Welch–Satterthwaite df.
    pub df: f64,
    /// Two-sided p.
    pub p_value: f64,
}

/// Mann–Whitney U.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct MannWhitneyDoc {
    /// U of the treatment sample.
    pub statistic: f64,
    /// Two-sided p.
    pub p_value: f64,
    /// `exact` or `asymptotic`.
    pub method: &'static str,
}

/// Relative difference of means.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct RelativeDoc {
    /// Estimate.
    pub estimate: f64,
    /// Lower bound.
    pub lower: f64,
    /// Upper bound.
    pub upper: f64,
    /// `fieller` or `delta`.
    pub method: &'static str,
}

/// A quantile difference with its bootstrap interval.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct QuantileDiffDoc {
    /// treatment − control.
    pub estimate: f64,
    /// Lower bound (percentile bootstrap).
    pub lower: f64,
    /// Upper bound.
    pub upper: f64,
    /// The control quantile.
    pub control: f64,
    /// The treatment quantile.
    pub treatment: f64,
    /// Relative difference and interval, when the control quantile is not 0.
    pub relative: Option<EstimateDoc>,
}

/// The `comparison` object.
#[derive(Clone, Debug, Serialize)]
pub struct ComparisonDoc {
    /// Welch's t-test.
    pub welch_t: Option<WelchDoc>,
    /// Mann–Whitney U.
    pub mann_whitney_u: Option<MannWhitneyDoc>,
    /// Mean difference with the Welch interval.
    pub mean_difference: Option<EstimateDoc>,
    /// Relative mean difference.
    pub relative_mean_difference: Option<RelativeDoc>,
    /// Median difference (bootstrap interval).
    pub median_difference: Option<QuantileDiffDoc>,
    /// p95 difference (bootstrap interval).
    pub p95_difference: Option<QuantileDiffDoc>,
    /// p99 difference (bootstrap interval).
    pub p99_difference: Option<QuantileDiffDoc>,
    /// Cohen's d.
    pub cohens_d: Option<EstimateDoc>,
    /// Hedges' g.
    pub hedges_g: Option<EstimateDoc>,
    /// The verdict.
    pub verdict: &'static str,
    /// `means` or `ranks`: which evidence decided.
    pub driver: Option<&'static str>,
    /// Why that driver.
    pub driver_reason: String,
    /// One sentence.
    pub explanation: String,
    /// With `--by`: the driving p-value adjusted over the groups.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p_value_adjusted: Option<Option<f64>>,
    /// Why each null above is null.
    pub reasons: BTreeMap<&'static str, String>,
}

/// An estimate and its interval as the JSON writes them.
pub(crate) fn est(e: &Estimate) -> EstimateDoc {
    EstimateDoc {
        estimate: e.estimate,
        lower: e.lower,
        upper: e.upper,
    }
}

fn qdiff(q: &QuantileDifference) -> QuantileDiffDoc {
    QuantileDiffDoc {
        estimate: q.difference.estimate,
        lower: q.difference.lower,
        upper: q.difference.upper,
        control: q.control,
        treatment: q.treatment,
        relative: q.relative.as_ref().ok().map(est),
    }
}

/// The value of `s` through `f`, or `None` with the reason recorded under `key`.
pub(crate) fn take<K: Ord, T, U>(
    reasons: &mut BTreeMap<K, String>,
    key: K,
    s: &Stat<T>,
    f: impl FnOnce(&T) -> U,
) -> Option<U> {
    match s {
        Ok(v) => Some(f(v)),
        Err(why) => {
            reasons.insert(key, why.to_string());
            None
        }
    }
}

impl AbGroup {
    fn doc(&self, control: &str, treatment: &str) -> GroupDoc {
        let c = &self.comparison;
        let mut r = BTreeMap::new();
        let comparison = ComparisonDoc {
            welch_t: take(&mut r, "welch_t", &c.welch_t, |w| WelchDoc {
                statistic: w.statistic,
                df: w.df,
                p_value: w.p_value,
            }),
            mann_whitney_u: take(&mut r, "mann_whitney_u", &c.mann_whitney_u, |m| {
                MannWhitneyDoc {
                    statistic: m.statistic,
                    p_value: m.p_value,
                    method: m.method.as_str(),
                }
            }),
            mean_difference: take(&mut r, "mean_difference", &c.mean_difference, est),
            relative_mean_difference: take(
                &mut r,
                "relative_mean_difference",
                &c.relative_mean_difference,
                |d| RelativeDoc {
                    estimate: d.estimate.estimate,
                    lower: d.estimate.lower,
                    upper: d.estimate.upper,
                    method: d.method.as_str(),
                },
            ),
            median_difference: take(&mut r, "median_difference", &c.median_difference, qdiff),
            p95_difference: take(&mut r, "p95_difference", &c.p95_difference, qdiff),
            p99_difference: take(&mut r, "p99_difference", &c.p99_difference, qdiff),
            cohens_d: take(&mut r, "cohens_d", &c.cohens_d, est),
            hedges_g: take(&mut r, "hedges_g", &c.hedges_g, est),
            verdict: self.verdict.as_str(),
            driver: c.verdict.driver.map(|d| d.as_str()),
            driver_reason: c.verdict.driver_reason.clone(),
            explanation: c.verdict.explanation.clone(),
            p_value_adjusted: self
                .adjusted_p_value
                .map(|p| take(&mut r, "p_value_adjusted", &p, |v| *v)),
            reasons: BTreeMap::new(),
        };
        for (key, q) in [
            ("median_difference.relative", &c.median_difference),
            ("p95_difference.relative", &c.p95_difference),
            ("p99_difference.relative", &c.p99_difference),
        ] {
            if let Ok(QuantileDifference {
                relative: Err(why), ..
            }) = q
            {
                r.insert(key, why.to_string());
            }
        }
        if c.verdict.driver.is_none() {
            r.insert("driver", c.verdict.driver_reason.clone());
        }
        GroupDoc {
            group: self.label.clone(),
            control: SampleDoc::new(control, &self.control),
            treatment: SampleDoc::new(treatment, &self.treatment).with_slos(&self.treatment_slos),
            comparison: ComparisonDoc {
                reasons: r,
                ..comparison
            },
            warnings: c.warnings.iter().map(ToString::to_string).collect(),
        }
    }
}

impl AbReport {
    fn verdict_counts(&self) -> BTreeMap<&'static str, usize> {
        let mut m = BTreeMap::new();
        for g in &self.groups {
            *m.entry(g.verdict.as_str()).or_insert(0) += 1;
        }
        m
    }

    fn source_names(&self, g: &AbGroup) -> (String, String) {
        match &g.label {
            None => (self.inputs[0].path.clone(), self.inputs[1].path.clone()),
            Some(l) => (
                format!("{} · {l}", self.inputs[0].path),
                format!("{} · {l}", self.inputs[1].path),
            ),
        }
    }

    /// The JSON document (the `ab` contract; with `--by`, a `groups` array).
    #[must_use]
    pub fn to_json(&self) -> AbDoc {
        let docs: Vec<GroupDoc> = self
            .groups
            .iter()
            .map(|g| {
                let (c, t) = self.source_names(g);
                g.doc(&c, &t)
            })
            .collect();
        let by = self.adjustment.is_some();
        let (single, groups) = if by {
            (None, Some(docs))
        } else {
            (docs.into_iter().next(), None)
        };
        AbDoc {
            command: "ab",
            settings: self.settings.doc(),
            bootstrap: BootstrapDoc {
                seed: self.settings.seed,
                resamples: self.resamples,
            },
            inputs: self.inputs.clone(),
            single,
            adjustment: self.adjustment,
            groups,
            summary: self.verdict_counts(),
        }
    }

    /// One sentence with the verdict, for the top of reports.
    #[must_use]
    pub fn headline(&self) -> String {
        if self.groups.len() == 1 && self.adjustment.is_none() {
            let g = &self.groups[0]; // invariant: len checked
            return format!(
                "**{}** — {}",
                verdict_word(g.verdict),
                g.comparison.verdict.explanation
            );
        }
        let counts = self.verdict_counts();
        let parts: Vec<String> = counts
            .iter()
            .map(|(k, n)| format!("{n} {}", k.replace('_', " ")))
            .collect();
        format!(
            "{} groups compared ({} adjustment of p-values): {}.",
            self.groups.len(),
            self.adjustment.unwrap_or("no"),
            parts.join(", ")
        )
    }

    /// [`table_with`](Self::table_with) the default [`RowLimit`].
    #[must_use]
    pub fn table(&self) -> String {
        self.table_with(RowLimit::DEFAULT)
    }

    /// The terminal table: one block per group, at most `limit` groups (`--by`), then a line
    /// saying how many were left out (the headline counts every group's verdict).
    #[must_use]
    pub fn table_with(&self, limit: RowLimit) -> String {
        let unit = self.settings.unit.as_deref();
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{}: treatment vs control ({}; α = {}, minimum effect {}, {} intervals)",
            self.settings.metric,
            self.settings.direction_text(),
            plain(self.settings.alpha),
            percent(self.settings.min_effect),
            percent(self.settings.confidence),
        );
        for g in self.groups.iter().take(limit.shown(self.groups.len())) {
            out.push('\n');
            if let Some(l) = &g.label {
                let _ = writeln!(out, "[{l}]");
            }
            let c = &g.comparison;
            let _ = writeln!(
                out,
                "  verdict      {}",
                verdict_word(g.verdict).to_uppercase()
            );
            let _ = writeln!(out, "               {}", c.verdict.explanation);
            if let Some(p) = &g.adjusted_p_value {
                let _ = writeln!(
                    out,
                    "               adjusted p ({}) {}",
                    self.adjustment.unwrap_or(""),
                    p.as_ref()
                        .map_or_else(|e| format!("— ({e})"), |p| p_value(*p))
                );
            }
            let _ = writeln!(
                out,
                "  {:<12} {:>14} {:>14}   difference [interval]",
                "", "control", "treatment"
            );
            let row = |out: &mut String, label: &str, a: String, b: String, d: String| {
                let _ = writeln!(out, "  {label:<12} {a:>14} {b:>14}   {d}");
            };
            row(
                &mut out,
                "n",
                g.control.n.to_string(),
                g.treatment.n.to_string(),
                String::new(),
            );
            row(
                &mut out,
                "mean",
                sig(g.control.mean, 4),
                sig(g.treatment.mean, 4),
                diff_text(
                    &c.mean_difference,
                    relative_of(&c.relative_mean_difference),
                    unit,
                ),
            );
            for (label, q) in [
                ("median", &c.median_difference),
                ("p95", &c.p95_difference),
                ("p99", &c.p99_difference),
            ] {
                match q {
                    Ok(q) => row(
                        &mut out,
                        label,
                        sig(q.control, 4),
                        sig(q.treatment, 4),
                        diff_text(&Ok(q.difference), q.relative.as_ref().ok().copied(), unit),
                    ),
                    Err(e) => row(
                        &mut out,
                        label,
                        String::new(),
                        String::new(),
                        format!("— ({e})"),
                    ),
                }
            }
            let sd = |d: &Description| {
                d.std_dev
                    .as_ref()
                    .map_or_else(|_| "—".to_owned(), |v| sig(*v, 4))
            };
            row(
                &mut out,
                "std dev",
                sd(&g.control),
                sd(&g.treatment),
                String::new(),
            );
            let _ = writeln!(out, "  {:<12} {}", "Welch t", welch_text(c));
            let _ = writeln!(out, "  {:<12} {}", "Mann–Whitney", mwu_text(c));
            let _ = writeln!(out, "  {:<12} {}", "effect size", effect_text(c));
            let level = crate::describe::percent(self.settings.confidence);
            for (j, r) in g.treatment_slos.iter().enumerate() {
                let label = if j == 0 { "SLOs (B)" } else { "" };
                let _ = writeln!(out, "  {label:<12} {}", slo_line(r, &level));
            }
            for w in &c.warnings {
                let _ = writeln!(out, "  warning: {w}");
            }
        }
        if let Some(o) = limit.omitted(self.groups.len(), "groups") {
            let _ = writeln!(out, "\n{o}");
        }
        out.push_str(&crate::describe::load_facts_table(
            &self.inputs,
            &crate::describe::percent(self.settings.confidence),
        ));
        out
    }

    /// Markdown: the verdict in one sentence, then a table per comparison,
    /// the tests and the warnings; at most [`RowLimit::DEFAULT`] groups.
    #[must_use]
    pub fn markdown(&self) -> String {
        self.markdown_with(RowLimit::DEFAULT)
    }

    /// [`AbReport::markdown`] with at most `limit` groups (`--by`) in the summary table and
    /// as sections, then a line saying how many were left out (the headline counts every
    /// group's verdict; the JSON has them all).
    #[must_use]
    pub fn markdown_with(&self, limit: RowLimit) -> String {
        let unit = self.settings.unit.as_deref();
        let shown = limit.shown(self.groups.len());
        let omitted = limit.omitted(self.groups.len(), "groups");
        let mut out = String::new();
        let _ = writeln!(out, "{}\n", self.headline());
        let _ = writeln!(
            out,
            "Metric `{}` ({}), α = {}, minimum effect {}, {} intervals; bootstrap: {} resamples, seed {}.\n",
            self.settings.metric,
            self.settings.direction_text(),
            plain(self.settings.alpha),
            percent(self.settings.min_effect),
            percent(self.settings.confidence),
            self.resamples,
            self.settings.seed
        );
        if self.adjustment.is_some() {
            let _ = writeln!(
                out,
                "| group | verdict | median Δ [CI] | p95 Δ [CI] | adjusted p |"
            );
            let _ = writeln!(out, "|---|---|---:|---:|---:|");
            for g in self.groups.iter().take(shown) {
                let c = &g.comparison;
                let q = |q: &Stat<QuantileDifference>| {
                    q.as_ref().map_or_else(
                        |_| "—".to_owned(),
                        |q| diff_text(&Ok(q.difference), q.relative.as_ref().ok().copied(), unit),
                    )
                };
                let adj = g.adjusted_p_value.as_ref().map_or_else(String::new, |p| {
                    p.as_ref().map_or_else(|_| "—".to_owned(), |p| p_value(*p))
                });
                let _ = writeln!(
                    out,
                    "| `{}` | {} | {} | {} | {adj} |",
                    g.label.as_deref().unwrap_or(""),
                    verdict_word(g.verdict),
                    q(&c.median_difference),
                    q(&c.p95_difference)
                );
            }
            if let Some(o) = &omitted {
                let _ = writeln!(out, "\n{o}");
            }
            out.push('\n');
        }
        for g in self.groups.iter().take(shown) {
            let c = &g.comparison;
            if let Some(l) = &g.label {
                let _ = writeln!(out, "### `{l}`: {}\n", verdict_word(g.verdict));
                let _ = writeln!(out, "{}\n", c.verdict.explanation);
            }
            let _ = writeln!(
                out,
                "| | control | treatment | difference [{} CI] |",
                percent(self.settings.confidence)
            );
            let _ = writeln!(out, "|---|---:|---:|---:|");
            let _ = writeln!(out, "| n | {} | {} | |", g.control.n, g.treatment.n);
            let _ = writeln!(
                out,
                "| mean | {} | {} | {} |",
                value(g.control.mean, unit),
                value(g.treatment.mean, unit),
                diff_text(
                    &c.mean_difference,
                    relative_of(&c.relative_mean_difference),
                    unit
                )
            );
            for (label, q) in [
                ("median", &c.median_difference),
                ("p95", &c.p95_difference),
                ("p99", &c.p99_difference),
            ] {
                if let Ok(q) = q {
                    let _ = writeln!(
                        out,
                        "| {label} | {} | {} | {} |",
                        value(q.control, unit),
                        value(q.treatment, unit),
                        diff_text(&Ok(q.difference), q.relative.as_ref().ok().copied(), unit)
                    );
                }
            }
            let sd = |d: &Description| {
                d.std_dev
                    .as_ref()
                    .map_or_else(|_| "—".to_owned(), |v| value(*v, unit))
            };
            let _ = writeln!(
                out,
                "| std dev | {} | {} | |",
                sd(&g.control),
                sd(&g.treatment)
            );
            let _ = writeln!(out, "\n- Welch's t-test: {}", welch_text(c));
            let _ = writeln!(out, "- Mann–Whitney U: {}", mwu_text(c));
            let _ = writeln!(out, "- Effect size: {}", effect_text(c));
            let _ = writeln!(out, "- Verdict driven by {}", c.verdict.driver_reason);
            let (_, t_name) = self.source_names(g);
            let rows: Vec<(&str, &SloResult)> = g
                .treatment_slos
                .iter()
                .map(|r| (t_name.as_str(), r))
                .collect();
            out.push_str(&slo_markdown(
                &rows,
                &crate::describe::percent(self.settings.confidence),
            ));
            if !c.warnings.is_empty() {
                out.push_str("\n**Warnings**\n\n");
                for w in &c.warnings {
                    let _ = writeln!(out, "- ⚠️ {w}");
                }
            }
            out.push('\n');
        }
        if let Some(o) = omitted.filter(|_| shown > 0) {
            let _ = writeln!(out, "{o}\n");
        }
        out.push_str(&crate::describe::load_facts_markdown(
            &self.inputs,
            &crate::describe::percent(self.settings.confidence),
        ));
        out
    }
}

/// A verdict in words.
#[must_use]
pub fn verdict_word(v: Verdict) -> &'static str {
    match v {
        Verdict::Improved => "improved",
        Verdict::Regressed => "regressed",
        Verdict::Equivalent => "equivalent",
        Verdict::NoSignificantChange => "no significant change",
        Verdict::InsufficientData => "insufficient data",
    }
}

fn relative_of(r: &Stat<perfstat_stats::compare::RelativeDifference>) -> Option<Estimate> {
    r.as_ref().ok().map(|r| r.estimate)
}

fn signed(x: f64) -> String {
    if x > 0.0 {
        format!("+{}", sig(x, 3))
    } else {
        sig(x, 3)
    }
}

fn pct(x: f64) -> String {
    format!("{}%", signed(x * 100.0))
}

fn diff_text(d: &Stat<Estimate>, rel: Option<Estimate>, unit: Option<&str>) -> String {
    match d {
        Err(e) => format!("— ({e})"),
        Ok(d) => {
            let mut s = format!(
                "{}{} [{}, {}]",
                signed(d.estimate),
                unit.map(|u| format!(" {u}")).unwrap_or_default(),
                signed(d.lower),
                signed(d.upper)
            );
            if let Some(r) = rel {
                let _ = write!(
                    s,
                    " ({} [{}, {}])",
                    pct(r.estimate),
                    pct(r.lower),
                    pct(r.upper)
                );
            }
            s
        }
    }
}

fn welch_text(c: &Comparison) -> String {
    c.welch_t.as_ref().map_or_else(
        |e| format!("— ({e})"),
        |w| {
            format!(
                "t = {}, df = {}, p {}",
                sig(w.statistic, 4),
                sig(w.df, 4),
                p_text(w.p_value)
            )
        },
    )
}

fn mwu_text(c: &Comparison) -> String {
    c.mann_whitney_u.as_ref().map_or_else(
        |e| format!("— ({e})"),
        |m| {
            format!(
                "U = {}, p {} ({})",
                m.statistic,
                p_text(m.p_value),
                m.method.as_str()
            )
        },
    )
}

fn effect_text(c: &Comparison) -> String {
    let e = |s| interval_text(s, 3);
    format!(
        "Cohen's d {} · Hedges' g {}",
        e(&c.cohens_d),
        e(&c.hedges_g)
    )
}

/// `estimate [lower, upper]` to `digits` significant digits, or `— (why it is undefined)`.
pub(crate) fn interval_text(s: &Stat<Estimate>, digits: usize) -> String {
    s.as_ref().map_or_else(
        |e| format!("— ({e})"),
        |v| {
            let [a, b, c] = [v.estimate, v.lower, v.upper].map(|x| sig(x, digits));
            format!("{a} [{b}, {c}]")
        },
    )
}

/// A parameter as the user would write it (0.05, not 0.0500).
fn plain(x: f64) -> String {
    let s = format!("{:.6}", x);
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// A fraction as a percentage (0.95 → 95%).
fn percent(x: f64) -> String {
    format!("{}%", plain(x * 100.0))
}

fn p_text(p: f64) -> String {
    if p < 0.001 {
        p_value(p)
    } else {
        format!("= {}", p_value(p))
    }
}

/// A plot written into a report folder, for the Markdown to link.
#[derive(Clone, Debug)]
pub struct PlotRef {
    /// What the plot shows.
    pub caption: String,
    /// The file stem inside the report folder (`histogram` for `histogram.svg`).
    pub stem: String,
}

/// The percentile levels of the ladder plot.
pub const LADDER_LEVELS: [f64; 5] = [0.5, 0.9, 0.95, 0.99, 0.999];

/// File-name prefixes for the plots of `--by` groups: [`plot::slug`](crate::plot::slug) of each label
/// (bounded, hash-suffixed when the label is not already a plain name), with `-2`, `-3`, … added when two
/// labels would share a prefix, so every group links to its own plots.
#[derive(Debug, Default)]
pub struct PlotPrefixes {
    used: std::collections::HashSet<String>,
}

impl PlotPrefixes {
    /// The prefix for the next group (`""` for the whole sample).
    pub fn next(&mut self, label: Option<&str>) -> String {
        let Some(label) = label else {
            return String::new();
        };
        let stem = crate::plot::slug(label);
        let mut candidate = stem.clone();
        let mut k = 2;
        while !self.used.insert(candidate.to_ascii_lowercase()) {
            candidate = format!("{stem}-{k}");
            k += 1;
        }
        format!("{candidate}-")
    }
}

/// Writes the four plots of one comparison (SVG and PNG each) into `dir`:
/// overlaid histograms, ECDFs, box plots and the percentile ladder with
/// distribution-free intervals. `prefix` keeps `--by` groups apart.
///
/// # Errors
/// When a plot cannot be rendered or written.
pub fn write_plots(
    dir: &std::path::Path,
    prefix: &str,
    metric: &str,
    unit: Option<&str>,
    confidence: perfstat_stats::Confidence,
    control: &perfstat_stats::Sample,
    treatment: &perfstat_stats::Sample,
) -> crate::Result<Vec<PlotRef>> {
    use crate::plot::{LadderPoint, LadderSeries, PlotSpec, Series};
    use perfstat_stats::interval::quantile_interval;
    use perfstat_stats::quantile::{QuantileMethod, quantile_sorted};

    let series = [
        Series::new("control", control.sorted()),
        Series::new("treatment", treatment.sorted()),
    ];
    let mut refs = Vec::new();
    let mut emit = |kind: &str, caption: String| {
        refs.push(PlotRef {
            caption,
            stem: format!("{prefix}{kind}"),
        });
        dir.join(format!("{prefix}{kind}"))
    };
    let title = format!("{metric}: distribution");
    crate::plot::histogram(
        &emit("histogram", format!("Histograms of `{metric}`")),
        &PlotSpec::new(&title, metric).unit(unit),
        &series,
    )?;
    let title = format!("{metric}: empirical CDF");
    crate::plot::ecdf(
        &emit("ecdf", format!("Empirical CDFs of `{metric}`")),
        &PlotSpec::new(&title, metric).unit(unit),
        &series,
    )?;
    let title = format!("{metric}: box plot (whiskers at 1.5·IQR)");
    crate::plot::boxplot(
        &emit("boxplot", format!("Box plots of `{metric}`")),
        &PlotSpec::new(&title, metric).unit(unit),
        &series,
    )?;
    let ladder_points = |s: &perfstat_stats::Sample| -> Vec<LadderPoint> {
        LADDER_LEVELS
            .iter()
            .map(|&level| LadderPoint {
                level,
                estimate: quantile_sorted(s.sorted(), level, QuantileMethod::Linear),
                interval: quantile_interval(s, level, confidence).ok(),
            })
            .collect()
    };
    let (c_points, t_points) = (ladder_points(control), ladder_points(treatment));
    let ladder = [
        LadderSeries {
            label: "control",
            points: &c_points,
        },
        LadderSeries {
            label: "treatment",
            points: &t_points,
        },
    ];
    let title = format!(
        "{metric}: percentiles with {} intervals",
        percent(confidence.level())
    );
    crate::plot::ladder(
        &emit(
            "ladder",
            format!("Percentile ladder of `{metric}` (p50 … p99.9, distribution-free intervals)"),
        ),
        &PlotSpec::new(&title, metric).unit(unit),
        &ladder,
    )?;
    Ok(refs)
}

/// The Markdown section linking plots (SVG, with the PNG as a fallback link).
#[must_use]
pub fn plots_markdown(groups: &[(Option<String>, Vec<PlotRef>)]) -> String {
    let mut out = String::from("## Plots\n\n");
    for (label, refs) in groups {
        if let Some(l) = label {
            let _ = writeln!(out, "### `{l}`\n");
        }
        for r in refs {
            let _ = writeln!(
                out,
                "![{}]({}.svg)\n\n[PNG]({}.png)\n",
                r.caption, r.stem, r.stem
            );
        }
    }
    out
}

//! `perfstat ab --control FILE... --treatment FILE...`: terminal table, Markdown and JSON of an
//! A/B comparison over repeated runs (the two-level analysis of
//! [`perfstat_stats::hierarchical`]; see `docs/ab-runs.md`).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use perfstat_stats::hierarchical::{RunSummary, RunsComparison, VarianceComponents};
use perfstat_stats::{Estimate, Stat};
use serde::Serialize;

use crate::ab::{EstimateDoc, est, interval_text, take, verdict_word};
use crate::fmt::{p_value, sig};
use crate::json::InputDoc;

/// Everything `perfstat ab` reports over repeated runs.
#[derive(Clone, Debug)]
pub struct AbRunsReport {
    /// What is compared and how (shared with the two-sample report).
    pub settings: crate::ab::AbSettings,
    /// The control's files.
    pub control_inputs: Vec<InputDoc>,
    /// The treatment's files.
    pub treatment_inputs: Vec<InputDoc>,
    /// The analysis.
    pub comparison: RunsComparison,
}

/// The document printed by `perfstat ab --control … --treatment … --format json`.
#[derive(Clone, Debug, Serialize)]
pub struct AbRunsDoc {
    /// Always `"ab"`.
    pub command: &'static str,
    /// Always `"runs"` (the two-file document has no `mode`).
    pub mode: &'static str,
    /// The metric, direction and levels.
    #[serde(flatten)]
    pub settings: crate::ab::SettingsDoc,
    /// The statistic computed per run: `mean`, `median`, `p95`, `p99`.
    pub run_stat: &'static str,
    /// Bootstrap settings (the resamples actually used).
    pub bootstrap: crate::ab::BootstrapDoc,
    /// The files of each arm.
    pub inputs: ArmsDoc<Vec<InputDoc>>,
    /// The runs of each arm, side by side.
    pub runs: ArmsDoc<Vec<RunDoc>>,
    /// The variance decomposition of each arm.
    pub variance_components: ArmsDoc<ComponentsDoc>,
    /// The mean of the run statistics of each arm.
    pub estimate: ArmsDoc<f64>,
    /// treatment − control of the estimates, with both intervals.
    pub difference: IntervalsDoc,
    /// treatment / control, with both intervals.
    pub ratio: IntervalsDoc,
    /// Welch's t-test on the run statistics.
    pub welch_t: Option<crate::ab::WelchDoc>,
    /// The verdict.
    pub verdict: &'static str,
    /// `means` (Welch on the run statistics) or null.
    pub driver: Option<&'static str>,
    /// Why that driver.
    pub driver_reason: String,
    /// One sentence.
    pub explanation: String,
    /// Runs × requests per run for the target effect at 80 % power.
    pub plan: Option<PlanDoc>,
    /// Warnings with numbers.
    pub warnings: Vec<String>,
    /// Why each null above is null (keys as paths, e.g. `variance_components.control.icc`).
    pub reasons: BTreeMap<String, String>,
}

/// A value per arm.
#[derive(Clone, Debug, Serialize)]
pub struct ArmsDoc<T> {
    /// The control's.
    pub control: T,
    /// The treatment's.
    pub treatment: T,
}

/// One run.
#[derive(Clone, Debug, Serialize)]
pub struct RunDoc {
    /// File, or `file · label` with `--run`.
    pub name: String,
    /// Requests.
    pub n: usize,
    /// Mean.
    pub mean: f64,
    /// Median.
    pub median: f64,
    /// p95.
    pub p95: f64,
    /// p99.
    pub p99: f64,
    /// The run statistic compared.
    pub stat: f64,
}

/// The variance components of one arm.
#[derive(Clone, Debug, Serialize)]
pub struct ComponentsDoc {
    /// Runs.
    pub runs: usize,
    /// Requests over all runs.
    pub requests: usize,
    /// The ANOVA's average run size n₀.
    pub n0: f64,
    /// σ_W² with its χ² interval.
    pub within_variance: Option<EstimateDoc>,
    /// σ_B² (raw estimate, may be negative).
    pub between_variance_raw: Option<f64>,
    /// σ_B² with its Satterthwaite interval (null when the raw estimate is ≤ 0).
    pub between_variance: Option<EstimateDoc>,
    /// Intraclass correlation with its F interval.
    pub icc: Option<EstimateDoc>,
    /// N/(1 + (n₀ − 1)·ICC).
    pub effective_n: Option<f64>,
}

/// An estimate with the bootstrap and the Welch (t) interval.
#[derive(Clone, Debug, Serialize)]
pub struct IntervalsDoc {
    /// Hierarchical bootstrap, percentile interval.
    pub bootstrap: Option<EstimateDoc>,
    /// t interval on the run statistics (Welch; Fieller for the ratio).
    pub welch: Option<EstimateDoc>,
}

/// The plan.
#[derive(Clone, Debug, Serialize)]
pub struct PlanDoc {
    /// The relative effect planned for.
    pub target_effect: f64,
    /// The power.
    pub power: f64,
    /// Cost of one run in request units.
    pub run_cost: f64,
    /// Runs per arm.
    pub runs_per_arm: usize,
    /// Requests per run.
    pub requests_per_run: usize,
    /// How the run size was chosen.
    pub basis: String,
}

fn run_doc(r: &RunSummary) -> RunDoc {
    RunDoc {
        name: r.name.clone(),
        n: r.n,
        mean: r.mean,
        median: r.median,
        p95: r.p95,
        p99: r.p99,
        stat: r.stat,
    }
}

fn components_doc(
    c: &VarianceComponents,
    arm: &str,
    r: &mut BTreeMap<String, String>,
) -> ComponentsDoc {
    let key = |k: &str| format!("variance_components.{arm}.{k}");
    let between = take(r, key("between_variance"), &c.between, est);
    if let Ok(raw) = c.between_raw
        && raw <= 0.0
    {
        r.insert(
            key("between_variance"),
            format!(
                "the between-run variance estimate {raw:.4e} is ≤ 0 (the runs agree within their request noise): no interval"
            ),
        );
    }
    ComponentsDoc {
        runs: c.runs,
        requests: c.requests,
        n0: c.n0,
        within_variance: take(r, key("within_variance"), &c.within, est),
        between_variance_raw: take(r, key("between_variance_raw"), &c.between_raw, |v| *v),
        between_variance: between,
        icc: take(r, key("icc"), &c.icc, est),
        effective_n: take(r, key("effective_n"), &c.effective_n, |v| *v),
    }
}

fn pct(x: f64) -> String {
    format!("{:+.2}%", 100.0 * x)
}

impl AbRunsReport {
    /// The JSON document (see `docs/json-output.md`, "ab over repeated runs").
    #[must_use]
    pub fn to_json(&self) -> AbRunsDoc {
        let c = &self.comparison;
        let mut r = BTreeMap::new();
        let variance_components = ArmsDoc {
            control: components_doc(&c.control_components, "control", &mut r),
            treatment: components_doc(&c.treatment_components, "treatment", &mut r),
        };
        let intervals =
            |name: &str, t: &perfstat_stats::hierarchical::TwoIntervals, r: &mut _| IntervalsDoc {
                bootstrap: take(r, format!("{name}.bootstrap"), &t.bootstrap, est),
                welch: take(r, format!("{name}.welch"), &t.welch, est),
            };
        let difference = intervals("difference", &c.difference, &mut r);
        let ratio = intervals("ratio", &c.ratio, &mut r);
        let welch_t = take(&mut r, "welch_t".to_owned(), &c.welch, |w| {
            crate::ab::WelchDoc {
                statistic: w.statistic,
                df: w.df,
                p_value: w.p_value,
            }
        });
        let plan = take(&mut r, "plan".to_owned(), &c.plan, |p| PlanDoc {
            target_effect: p.target_effect,
            power: p.power,
            run_cost: p.run_cost,
            runs_per_arm: p.runs_per_arm,
            requests_per_run: p.requests_per_run,
            basis: p.basis.clone(),
        });
        if c.verdict.driver.is_none() {
            r.insert("driver".to_owned(), c.verdict.driver_reason.clone());
        }
        AbRunsDoc {
            command: "ab",
            mode: "runs",
            settings: self.settings.doc(),
            run_stat: c.stat.as_str(),
            bootstrap: crate::ab::BootstrapDoc {
                seed: self.settings.seed,
                resamples: c.resamples,
            },
            inputs: ArmsDoc {
                control: self.control_inputs.clone(),
                treatment: self.treatment_inputs.clone(),
            },
            runs: ArmsDoc {
                control: c.control_runs.iter().map(run_doc).collect(),
                treatment: c.treatment_runs.iter().map(run_doc).collect(),
            },
            variance_components,
            estimate: ArmsDoc {
                control: c.control_estimate,
                treatment: c.treatment_estimate,
            },
            difference,
            ratio,
            welch_t,
            verdict: c.verdict.verdict.as_str(),
            driver: c.verdict.driver.map(|d| d.as_str()),
            driver_reason: c.verdict.driver_reason.clone(),
            explanation: c.verdict.explanation.clone(),
            plan,
            warnings: c.warnings.iter().map(ToString::to_string).collect(),
            reasons: r,
        }
    }

    /// The lines shared by the table and the Markdown: label, text.
    fn lines(&self) -> Vec<(String, String)> {
        let c = &self.comparison;
        let unit = self.settings.unit.as_deref();
        let mut out = Vec::new();
        // A difference's estimate in the metric's unit; a ratio's (and every bound) to 4 digits.
        let interval = |s: &Stat<Estimate>, ratio: bool| match s {
            Ok(e) if !ratio => format!(
                "{} [{}, {}]",
                crate::fmt::value(e.estimate, unit),
                sig(e.lower, 4),
                sig(e.upper, 4)
            ),
            _ => interval_text(s, 4),
        };
        let stat = c.stat.as_str();
        out.push((
            format!("{stat} (mean of runs)"),
            format!(
                "control {}, treatment {}",
                crate::fmt::value(c.control_estimate, unit),
                crate::fmt::value(c.treatment_estimate, unit)
            ),
        ));
        out.push((
            "difference".to_owned(),
            format!(
                "bootstrap {}; Welch {}",
                interval(&c.difference.bootstrap, false),
                interval(&c.difference.welch, false)
            ),
        ));
        out.push((
            "ratio".to_owned(),
            format!(
                "bootstrap {}; Fieller {}",
                interval(&c.ratio.bootstrap, true),
                interval(&c.ratio.welch, true)
            ),
        ));
        out.push((
            "Welch t".to_owned(),
            c.welch.as_ref().map_or_else(
                |e| format!("— ({e})"),
                |w| {
                    format!(
                        "t = {}, df = {}, p {}",
                        sig(w.statistic, 4),
                        sig(w.df, 4),
                        p_value(w.p_value)
                    )
                },
            ),
        ));
        for (arm, comp) in [
            ("control", &c.control_components),
            ("treatment", &c.treatment_components),
        ] {
            let icc = interval_text(&comp.icc, 3);
            let eff = comp
                .effective_n
                .as_ref()
                .map_or_else(|e| format!("— ({e})"), |v| format!("{v:.0}"));
            let var = |s| interval_text(s, 4);
            out.push((
                format!("ICC ({arm})"),
                format!(
                    "{icc}; σ²_between {}, σ²_within {}; effective n {eff} of {} requests in {} runs",
                    var(&comp.between),
                    var(&comp.within),
                    comp.requests,
                    comp.runs
                ),
            ));
        }
        out.push((
            "plan".to_owned(),
            c.plan.as_ref().map_or_else(
                |e| format!("— ({e})"),
                |p| {
                    format!(
                        "{} runs per arm × {} requests per run detect {} at {:.0}% power ({})",
                        p.runs_per_arm,
                        p.requests_per_run,
                        pct(p.target_effect),
                        100.0 * p.power,
                        p.basis
                    )
                },
            ),
        ));
        out
    }

    fn runs_rows(&self) -> Vec<[String; 7]> {
        let c = &self.comparison;
        c.control_runs
            .iter()
            .map(|r| ("control", r))
            .chain(c.treatment_runs.iter().map(|r| ("treatment", r)))
            .map(|(arm, r)| {
                [
                    arm.to_owned(),
                    r.name.clone(),
                    r.n.to_string(),
                    sig(r.mean, 4),
                    sig(r.median, 4),
                    sig(r.p95, 4),
                    sig(r.p99, 4),
                ]
            })
            .collect()
    }

    /// One sentence with the verdict.
    #[must_use]
    pub fn headline(&self) -> String {
        let v = &self.comparison.verdict;
        format!("**{}** — {}", verdict_word(v.verdict), v.explanation)
    }

    /// The terminal table.
    #[must_use]
    pub fn table(&self) -> String {
        let c = &self.comparison;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{}: treatment vs control over runs ({} control, {} treatment; run statistic {}; {}; α = {}, minimum effect {:.2}%, {:.0}% intervals)",
            self.settings.metric,
            c.control_runs.len(),
            c.treatment_runs.len(),
            c.stat,
            self.settings.direction_text(),
            self.settings.alpha,
            100.0 * self.settings.min_effect,
            100.0 * self.settings.confidence
        );
        let _ = writeln!(
            out,
            "  verdict      {}",
            verdict_word(c.verdict.verdict).to_uppercase()
        );
        let _ = writeln!(out, "               {}", c.verdict.explanation);
        let _ = writeln!(
            out,
            "  {:<10} {:<28} {:>8} {:>12} {:>12} {:>12} {:>12}",
            "arm", "run", "n", "mean", "median", "p95", "p99"
        );
        for row in self.runs_rows() {
            let _ = writeln!(
                out,
                "  {:<10} {:<28} {:>8} {:>12} {:>12} {:>12} {:>12}",
                row[0], row[1], row[2], row[3], row[4], row[5], row[6]
            );
        }
        for (label, text) in self.lines() {
            let _ = writeln!(out, "  {label:<22} {text}");
        }
        for w in &c.warnings {
            let _ = writeln!(out, "  warning: {w}");
        }
        out
    }

    /// Markdown: the verdict, the runs side by side, intervals, ICC, plan, warnings.
    #[must_use]
    pub fn markdown(&self) -> String {
        let c = &self.comparison;
        let mut out = format!(
            "{}\n\nMetric `{}` over runs: ",
            self.headline(),
            self.settings.metric
        );
        let _ = writeln!(
            out,
            "{} control runs, {} treatment runs; run statistic **{}**; {}; α = {}, minimum effect {:.2}%, {:.0}% intervals; bootstrap seed {}, {} resamples.\n",
            c.control_runs.len(),
            c.treatment_runs.len(),
            c.stat,
            self.settings.direction,
            self.settings.alpha,
            100.0 * self.settings.min_effect,
            100.0 * self.settings.confidence,
            self.settings.seed,
            c.resamples
        );
        out.push_str("## Runs\n\n| arm | run | n | mean | median | p95 | p99 |\n|---|---|--:|--:|--:|--:|--:|\n");
        for row in self.runs_rows() {
            let _ = writeln!(
                out,
                "| {} | `{}` | {} | {} | {} | {} | {} |",
                row[0],
                row[1].replace('|', "\\|").replace('`', "'"),
                row[2],
                row[3],
                row[4],
                row[5],
                row[6]
            );
        }
        out.push_str("\n## Comparison\n\n| | |\n|---|---|\n");
        for (label, text) in self.lines() {
            let _ = writeln!(out, "| {label} | {} |", text.replace('|', "\\|"));
        }
        if !c.warnings.is_empty() {
            out.push_str("\n## Warnings\n\n");
            for w in &c.warnings {
                let _ = writeln!(out, "- {w}");
            }
        }
        out
    }
}

/// Writes the strip plot of the run statistics per arm (`runs.svg`, `runs.png`) into `dir` and
/// returns its reference for [`crate::ab::plots_markdown`].
///
/// # Errors
/// When the plot cannot be rendered or written.
pub fn write_runs_plot(
    dir: &std::path::Path,
    report: &AbRunsReport,
) -> crate::Result<Vec<crate::ab::PlotRef>> {
    use crate::plot::{PlotSpec, Series};
    let c = &report.comparison;
    let sorted = |runs: &[RunSummary]| {
        let mut v: Vec<f64> = runs.iter().map(|r| r.stat).collect();
        v.sort_by(f64::total_cmp);
        v
    };
    let (cs, ts) = (sorted(&c.control_runs), sorted(&c.treatment_runs));
    let series = [Series::new("control", &cs), Series::new("treatment", &ts)];
    let metric = &report.settings.metric;
    let title = format!(
        "{metric}: the {} of each run (line: the arm's mean)",
        c.stat
    );
    let quantity = format!("{} of {metric}", c.stat);
    crate::plot::strip(
        &dir.join("runs"),
        &PlotSpec::new(&title, &quantity).unit(report.settings.unit.as_deref()),
        &series,
    )?;
    Ok(vec![crate::ab::PlotRef {
        caption: format!("The {} of `{metric}` in each run, per arm", c.stat),
        stem: "runs".to_owned(),
    }])
}

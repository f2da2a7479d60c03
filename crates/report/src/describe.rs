//! `perfstat describe`: terminal table, Markdown and JSON.

use std::fmt::Write as _;

use perfstat_stats::slo::{SloResult, SloStatus};
use perfstat_stats::{Description, Interval, PERCENTILE_LEVELS, Stat};

use crate::fmt::{RowLimit, p_value, sig, value};
use crate::json::{DescribeDoc, InputDoc, SampleDoc};
use crate::warning::warnings;

/// Everything `perfstat describe` reports.
#[derive(Clone, Debug)]
pub struct DescribeReport {
    /// The metric described.
    pub metric: String,
    /// Its display unit, if known.
    pub unit: Option<String>,
    /// Confidence level of the intervals.
    pub confidence: f64,
    /// What was read from each file.
    pub inputs: Vec<InputDoc>,
    /// (source label, statistics) per sample.
    pub samples: Vec<(String, Description)>,
    /// The `--slo` results of each sample, parallel to `samples` (empty without `--slo`).
    pub slos: Vec<Vec<SloResult>>,
}

impl DescribeReport {
    /// The JSON document of the contract.
    #[must_use]
    pub fn to_json(&self) -> DescribeDoc {
        DescribeDoc {
            command: "describe",
            metric: self.metric.clone(),
            confidence: self.confidence,
            inputs: self.inputs.clone(),
            samples: self
                .samples
                .iter()
                .enumerate()
                .map(|(i, (s, d))| {
                    SampleDoc::new(s.clone(), d).with_slos(self.slos.get(i).map_or(&[], |v| v))
                })
                .collect(),
        }
    }

    /// The terminal table: one block per sample, at most [`RowLimit::DEFAULT`] of them.
    #[must_use]
    pub fn table(&self) -> String {
        self.table_with(RowLimit::DEFAULT)
    }

    /// The terminal table: one block per sample, at most `limit` samples (groups of `--by`),
    /// then a line saying how many were left out.
    #[must_use]
    pub fn table_with(&self, limit: RowLimit) -> String {
        let unit = self.unit.as_deref();
        let level = percent(self.confidence);
        let mut out = String::new();
        let shown = limit.shown(self.samples.len());
        for (i, (source, d)) in self.samples.iter().enumerate().take(shown) {
            if i > 0 {
                out.push('\n');
            }
            let _ = writeln!(out, "{} · {source}", self.metric);
            let mut row = |label: &str, text: String| {
                let _ = writeln!(out, "  {label:<12} {text}");
            };
            row("n", d.n.to_string());
            row("mean", with_ci(d.mean, &d.mean_ci, unit, &level));
            row("median", with_ci(d.median, &d.median_ci, unit, &level));
            row("std dev", stat(&d.std_dev, |v| value(v, unit)));
            row(
                "min … max",
                format!("{} … {}", sig(d.min, 4), value(d.max, unit)),
            );
            let pct: Vec<String> = PERCENTILE_LEVELS
                .iter()
                .zip(d.percentiles)
                .skip(1)
                .map(|((k, _), v)| format!("{k} {}", sig(v, 4)))
                .collect();
            row(
                "percentiles",
                format!(
                    "{}{}",
                    pct.join("   "),
                    unit.map(|u| format!(" {u}")).unwrap_or_default()
                ),
            );
            row(
                "shape",
                format!(
                    "skewness {}   excess kurtosis {}",
                    stat(&d.skewness, |v| sig(v, 3)),
                    stat(&d.kurtosis, |v| sig(v, 3))
                ),
            );
            for (j, (name, text)) in normality_lines(d).into_iter().enumerate() {
                row(
                    if j == 0 { "normality" } else { "" },
                    format!("{name:<20} {text}"),
                );
            }
            row("outliers", outlier_text(d));
            for (j, r) in self.slos.get(i).into_iter().flatten().enumerate() {
                row(if j == 0 { "SLOs" } else { "" }, slo_line(r, &level));
            }
            for w in warnings(d) {
                let _ = writeln!(out, "  warning: {w}");
            }
        }
        if let Some(o) = limit.omitted(self.samples.len(), "samples") {
            let _ = writeln!(out, "\n{o}");
        }
        out.push_str(&load_facts_table(&self.inputs, &level));
        out
    }

    /// Markdown: a table with one column per sample, then the warnings; at most
    /// [`RowLimit::DEFAULT`] samples.
    #[must_use]
    pub fn markdown(&self) -> String {
        self.markdown_with(RowLimit::DEFAULT)
    }

    /// [`DescribeReport::markdown`] with at most `limit` samples (groups of `--by`), then a line
    /// saying how many were left out (the JSON has them all).
    #[must_use]
    pub fn markdown_with(&self, limit: RowLimit) -> String {
        let unit = self.unit.as_deref();
        let level = percent(self.confidence);
        let mut out = String::new();
        let samples = &self.samples[..limit.shown(self.samples.len())];
        let _ = writeln!(out, "## `{}`\n", self.metric);
        let header: Vec<String> = samples.iter().map(|(s, _)| format!("`{s}`")).collect();
        let _ = writeln!(out, "| statistic | {} |", header.join(" | "));
        let _ = writeln!(out, "|---|{}", "---:|".repeat(samples.len()));
        let mut row = |label: String, f: &dyn Fn(&Description) -> String| {
            let cells: Vec<String> = samples.iter().map(|(_, d)| f(d)).collect();
            let _ = writeln!(out, "| {label} | {} |", cells.join(" | "));
        };
        row("n".into(), &|d| d.n.to_string());
        row(format!("mean ({level} CI)"), &|d| {
            with_ci(d.mean, &d.mean_ci, unit, &level)
        });
        row(format!("median ({level} CI)"), &|d| {
            with_ci(d.median, &d.median_ci, unit, &level)
        });
        row("std dev".into(), &|d| stat(&d.std_dev, |v| value(v, unit)));
        row("min".into(), &|d| value(d.min, unit));
        for (i, (key, _)) in PERCENTILE_LEVELS.iter().enumerate().skip(1) {
            row((*key).into(), &|d| value(d.percentiles[i], unit));
        }
        row("max".into(), &|d| value(d.max, unit));
        row("skewness".into(), &|d| stat(&d.skewness, |v| sig(v, 3)));
        row("excess kurtosis".into(), &|d| {
            stat(&d.kurtosis, |v| sig(v, 3))
        });
        row("Shapiro–Wilk W (p)".into(), &|d| {
            stat(&d.shapiro_wilk, |t| {
                format!("{} ({})", sig(t.statistic, 4), p_value(t.p_value))
            })
        });
        row("Anderson–Darling A² (p)".into(), &|d| {
            stat(&d.anderson_darling, |t| {
                format!("{} ({})", sig(t.statistic, 4), stat(&t.p_value, p_value))
            })
        });
        row("D'Agostino K² (p)".into(), &|d| {
            stat(&d.dagostino_pearson, |t| {
                format!("{} ({})", sig(t.statistic, 4), p_value(t.p_value))
            })
        });
        row("Jarque–Bera (p)".into(), &|d| {
            stat(&d.jarque_bera, |t| {
                format!("{} ({})", sig(t.statistic, 4), p_value(t.p_value))
            })
        });
        row("outliers".into(), &|d| outlier_text(d));
        if let Some(o) = limit.omitted(self.samples.len(), "samples") {
            let _ = writeln!(out, "\n{o}");
        }
        let slo_rows: Vec<(&str, &SloResult)> = samples
            .iter()
            .zip(&self.slos)
            .flat_map(|((s, _), rs)| rs.iter().map(move |r| (s.as_str(), r)))
            .collect();
        out.push_str(&slo_markdown(&slo_rows, &level));
        out.push_str(&load_facts_markdown(&self.inputs, &level));
        let mut any = false;
        for (source, d) in samples {
            for w in warnings(d) {
                if !any {
                    out.push_str("\n**Warnings**\n\n");
                    any = true;
                }
                let _ = writeln!(out, "- ⚠️ `{source}`: {w}");
            }
        }
        out
    }
}

/// A fraction as a percentage to 3 significant digits: `0.2` → `20 %`.
fn rate_percent(x: f64) -> String {
    format!("{} %", sig(x * 100.0, 3))
}

/// The load-test facts of one input, as text cells: requests, failures, error rate (with its interval),
/// throughput; `—` and the reason where the format cannot know one. `None` for a generic input.
fn load_facts(input: &InputDoc, level: &str) -> Option<[String; 4]> {
    let requests = input.requests?;
    let reason = |key: &str| input.reasons.get(key).map(String::as_str);
    let failures = match (input.failures, reason("failures")) {
        (Some(f), _) => {
            let included = if input.failures_included == Some(true) {
                ", included"
            } else {
                ""
            };
            format!("{f}{included}")
        }
        (None, Some(why)) => format!("unknown: {why}"),
        (None, None) => "—".to_owned(),
    };
    let error_rate = match &input.error_rate {
        Some(r) => format!(
            "{} [{}, {}] {level}",
            rate_percent(r.value),
            rate_percent(r.lower),
            rate_percent(r.upper)
        ),
        None => "—".to_owned(),
    };
    let throughput = match (input.throughput_rps, &input.throughput_range) {
        (Some(x), Some(range)) => format!(
            "{}/s (between {} and {}/s: coarse start times)",
            sig(x, 4),
            sig(range.lower, 4),
            range.upper.map_or_else(|| "∞".to_owned(), |u| sig(u, 4))
        ),
        (Some(x), None) => format!("{}/s", sig(x, 4)),
        (None, _) => "— (no timestamps)".to_owned(),
    };
    Some([requests.to_string(), failures, error_rate, throughput])
}

/// The terminal block of load-test facts (requests, failures, error rate, throughput), one per input
/// that has them; empty for generic inputs.
#[must_use]
pub fn load_facts_table(inputs: &[InputDoc], level: &str) -> String {
    let mut out = String::new();
    for input in inputs {
        let Some([requests, failures, error_rate, throughput]) = load_facts(input, level) else {
            continue;
        };
        let _ = writeln!(out, "\nrequests · {}", input.path);
        for (label, text) in [
            ("requests", requests),
            ("failures", failures),
            ("error rate", error_rate),
            ("throughput", throughput),
        ] {
            let _ = writeln!(out, "  {label:<12} {text}");
        }
    }
    out
}

/// The Markdown table of load-test facts, one row per input that has them; empty for generic inputs.
#[must_use]
pub fn load_facts_markdown(inputs: &[InputDoc], level: &str) -> String {
    let rows: Vec<(String, [String; 4])> = inputs
        .iter()
        .filter_map(|i| load_facts(i, level).map(|f| (i.path.clone(), f)))
        .collect();
    if rows.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "\n| input | requests | failures | error rate | throughput |\n|---|---:|---:|---:|---:|\n",
    );
    for (path, [requests, failures, error_rate, throughput]) in rows {
        let _ = writeln!(
            out,
            "| `{path}` | {requests} | {failures} | {error_rate} | {throughput} |"
        );
    }
    out
}

/// One SLO result on a line: `p95<800ms   pass   p95 512.3 ms [498.1, 530.2] 95%`.
#[must_use]
pub fn slo_line(r: &SloResult, level: &str) -> String {
    format!(
        "{:<22} {:<10} {}",
        r.objective.text,
        slo_status(r.status),
        slo_estimate(r, level)
    )
}

/// `pass`, `FAIL` or `uncertain` (a failure stands out).
fn slo_status(s: SloStatus) -> &'static str {
    match s {
        SloStatus::Pass => "pass",
        SloStatus::Fail => "FAIL",
        SloStatus::Uncertain => "uncertain",
    }
}

/// The estimate and its interval, in the metric's unit.
#[must_use]
pub fn slo_estimate(r: &SloResult, level: &str) -> String {
    let f = |x: f64| match r.objective.metric.unit() {
        "fraction" => format!("{}%", sig(x * 100.0, 3)),
        "1/s" => format!("{}/s", sig(x, 4)),
        unit => value(x, Some(unit)),
    };
    let name = r.objective.metric.name();
    match (r.lower, r.upper, &r.reason) {
        (Some(lo), Some(hi), _) if lo == hi => format!("{name} {} (observed)", f(r.estimate)),
        (Some(lo), Some(hi), _) => {
            format!("{name} {}  [{}, {}] {level}", f(r.estimate), f(lo), f(hi))
        }
        (_, _, Some(why)) => format!("{name} {}  ({why})", f(r.estimate)),
        _ => format!("{name} {}", f(r.estimate)),
    }
}

/// A Markdown table of SLO results: (sample, result) rows; empty without any.
#[must_use]
pub fn slo_markdown(rows: &[(&str, &SloResult)], level: &str) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "\n**SLOs**\n\n| sample | objective | status | estimate (interval) |\n|---|---|---|---|\n",
    );
    for (sample, r) in rows {
        let status = match r.status {
            SloStatus::Pass => "✅ pass",
            SloStatus::Fail => "❌ fail",
            SloStatus::Uncertain => "❔ uncertain",
        };
        let _ = writeln!(
            out,
            "| `{sample}` | `{}` | {status} | {} |",
            r.objective.text,
            slo_estimate(r, level)
        );
    }
    out
}

/// `95%` for 0.95.
#[must_use]
pub fn percent(confidence: f64) -> String {
    format!(
        "{}%",
        sig(confidence * 100.0, 3)
            .trim_end_matches('0')
            .trim_end_matches('.')
    )
}

fn stat<T: Copy>(s: &Stat<T>, f: impl FnOnce(T) -> String) -> String {
    match s {
        Ok(v) => f(*v),
        Err(_) => "—".to_owned(),
    }
}

fn with_ci(estimate: f64, ci: &Stat<Interval>, unit: Option<&str>, level: &str) -> String {
    match ci {
        Ok(i) => format!(
            "{}  [{}, {}] {level}",
            value(estimate, unit),
            sig(i.lower, 4),
            sig(i.upper, 4)
        ),
        Err(why) => format!("{}  (no interval: {why})", value(estimate, unit)),
    }
}

fn normality_lines(d: &Description) -> Vec<(&'static str, String)> {
    let line = |stat_name: &str, s: f64, p: Option<f64>| match p {
        Some(p) => format!(
            "{stat_name} = {:<8} p {}",
            sig(s, 4),
            if p < 0.001 {
                p_value(p)
            } else {
                format!("= {}", p_value(p))
            }
        ),
        None => format!("{stat_name} = {}", sig(s, 4)),
    };
    let undefined = |why: &perfstat_stats::Undefined| format!("— ({why})");
    vec![
        (
            "Shapiro–Wilk",
            d.shapiro_wilk
                .as_ref()
                .map_or_else(undefined, |t| line("W", t.statistic, Some(t.p_value))),
        ),
        (
            "Anderson–Darling",
            d.anderson_darling
                .as_ref()
                .map_or_else(undefined, |t| line("A²", t.statistic, t.p_value.ok())),
        ),
        (
            "D'Agostino–Pearson",
            d.dagostino_pearson
                .as_ref()
                .map_or_else(undefined, |t| line("K²", t.statistic, Some(t.p_value))),
        ),
        (
            "Jarque–Bera",
            d.jarque_bera
                .as_ref()
                .map_or_else(undefined, |t| line("JB", t.statistic, Some(t.p_value))),
        ),
    ]
}

fn outlier_text(d: &Description) -> String {
    let t = d.tukey;
    let mut parts = Vec::new();
    for (count, what) in [
        (t.low_severe, "low severe"),
        (t.low_mild, "low mild"),
        (t.high_mild, "high mild"),
        (t.high_severe, "high severe"),
    ] {
        if count > 0 {
            parts.push(format!("{count} {what}"));
        }
    }
    let tukey = if parts.is_empty() {
        "none".to_owned()
    } else {
        parts.join(", ")
    };
    let mad = match &d.mad {
        Ok(m) => m.count.to_string(),
        Err(_) => "— (MAD is 0)".to_owned(),
    };
    format!("Tukey: {tukey} · MAD z > 3.5: {mad}")
}

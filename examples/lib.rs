//! Runnable examples of the perfstat library crates; see the `[[example]]`
//! entries of this package. Each example's work is a function here that returns
//! what the example prints, so the tests below run the same code on the shipped
//! data without starting `cargo run`.

use std::fmt::Write as _;
use std::path::Path;

use perfstat_ingest::{ReadOptions, read_path};
use perfstat_pareto::{Config, Objective, Options, analyze};
use perfstat_stats::compare::{CompareConfig, Pair, compare};
use perfstat_stats::{Confidence, Sample, describe};

/// Reads one column of a CSV/JSON file and describes its main statistics.
///
/// # Errors
/// When the file cannot be read or holds no values.
pub fn describe_file(path: &str, metric: Option<String>) -> anyhow::Result<String> {
    let options = ReadOptions {
        metric,
        ..ReadOptions::default()
    };
    let data = read_path(Path::new(path), &options)?;
    let values: Vec<f64> = data.groups.into_iter().flat_map(|g| g.values).collect();
    let sample = Sample::new(values)?;
    let d = describe(&sample, Confidence::new(0.95)?);
    let mut out = String::new();
    writeln!(out, "{} · {path}: n = {}", data.metric, d.n)?;
    writeln!(
        out,
        "mean {:.3} (95% CI {:?})",
        d.mean,
        d.mean_ci.map(|i| (i.lower, i.upper))
    )?;
    writeln!(
        out,
        "median {:.3} (95% CI {:?})",
        d.median,
        d.median_ci.map(|i| (i.lower, i.upper))
    )?;
    writeln!(out, "p99 {:.3}", d.percentiles[3])?;
    match d.shapiro_wilk {
        Ok(sw) => writeln!(
            out,
            "Shapiro–Wilk W = {:.4}, p = {:.3e}",
            sw.statistic, sw.p_value
        )?,
        Err(why) => writeln!(out, "Shapiro–Wilk undefined: {why}")?,
    }
    Ok(out)
}

fn sample(path: &str) -> anyhow::Result<Sample> {
    let data = read_path(Path::new(path), &ReadOptions::default())?;
    Ok(Sample::new(
        data.groups.into_iter().flat_map(|g| g.values).collect(),
    )?)
}

/// Compares two files of latencies the way `perfstat ab` does.
///
/// # Errors
/// When a file cannot be read or holds no values.
pub fn ab_compare(control: &str, treatment: &str) -> anyhow::Result<String> {
    let control = sample(control)?;
    let treatment = sample(treatment)?;
    let c = compare(
        Pair {
            control: &control,
            treatment: &treatment,
        },
        &CompareConfig::default(),
    );
    let mut out = String::new();
    writeln!(
        out,
        "verdict: {}",
        c.verdict.verdict.as_str().replace('_', " ")
    )?;
    writeln!(out, "{}", c.verdict.explanation)?;
    if let Ok(m) = c.median_difference {
        let d = m.difference;
        writeln!(
            out,
            "median difference {:.2} [{:.2}, {:.2}]",
            d.estimate, d.lower, d.upper
        )?;
    }
    for w in &c.warnings {
        writeln!(out, "warning: {w}")?;
    }
    Ok(out)
}

/// Ranks a few serving configurations on cost (min) and throughput (max).
///
/// # Errors
/// When the analysis rejects the input.
pub fn pareto_front() -> anyhow::Result<String> {
    let objectives = [Objective::min("cost"), Objective::max("tokens_per_s")];
    let configs = [
        Config::new("a", [("cost", 1.0), ("tokens_per_s", 100.0)]),
        Config::new("b", [("cost", 2.0), ("tokens_per_s", 300.0)]),
        Config::new("c", [("cost", 2.5), ("tokens_per_s", 250.0)]),
    ];
    let options = Options {
        reference: Some(vec![3.0, 0.0]),
        ..Options::default()
    };
    let a = analyze(&objectives, &configs, &options)?;
    let ids = |front: &[usize]| {
        front
            .iter()
            .map(|&i| configs[i].id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = String::new();
    writeln!(out, "front: {}", ids(&a.fronts[0]))?;
    for (i, r) in a.configs.iter().enumerate() {
        writeln!(
            out,
            "{}: rank {:?}, dominated by {:?}",
            configs[i].id, r.rank, r.dominated_by
        )?;
    }
    writeln!(out, "hypervolume: {:?}", a.hypervolume)?;
    Ok(out)
}

/// The JSON documents of the five commands on the shipped data, built through the library
/// crates alone with the builders the CLI calls (`crates/cli/tests/it/parity.rs` compares them
/// byte for byte with `perfstat … --format json`). Paths are used as given, as the CLI does.
pub mod json {
    use std::path::{Path, PathBuf};

    use perfstat_ingest::{ReadOptions, read_path};
    use perfstat_report::build::{self, AbOptions, DescribeOptions, ReadInput};
    use perfstat_stats::Confidence;
    use perfstat_stats::compare::QuantileBootstrap;

    /// The documents are pretty-printed, as the CLI prints them.
    fn pretty(doc: &impl serde::Serialize) -> anyhow::Result<String> {
        Ok(serde_json::to_string_pretty(doc)?)
    }

    fn read(path: &Path, metric: &str, by: Option<&str>) -> anyhow::Result<ReadInput> {
        let options = ReadOptions {
            metric: Some(metric.to_owned()),
            by: by.map(str::to_owned),
            ..ReadOptions::default()
        };
        Ok(ReadInput {
            data: read_path(path, &options)?,
            warmup: None,
        })
    }

    /// `perfstat describe RUN --metric latency_ms --by endpoint --format json`.
    ///
    /// # Errors
    /// When the file cannot be read or described.
    pub fn describe(run: &Path) -> anyhow::Result<String> {
        let options = DescribeOptions {
            confidence: Confidence::DEFAULT,
            slos: Vec::new(),
            bucket: None,
        };
        let report = build::describe(vec![read(run, "latency_ms", Some("endpoint"))?], &options)?;
        pretty(&report.to_json())
    }

    /// `perfstat ab CONTROL TREATMENT --metric latency_ms [--by endpoint] --format json`.
    ///
    /// # Errors
    /// When a file cannot be read or compared.
    pub fn ab(control: &Path, treatment: &Path, by_endpoint: bool) -> anyhow::Result<String> {
        let by = by_endpoint.then_some("endpoint");
        let options = AbOptions {
            direction: None,
            alpha: 0.05,
            min_effect: 0.0,
            confidence: Confidence::DEFAULT,
            bootstrap: QuantileBootstrap {
                seed: 0,
                resamples: 10_000,
            },
            by: by.map(|_| perfstat_stats::adjust::Adjustment::Holm),
            slos: Vec::new(),
        };
        let (c, t) = (
            read(control, "latency_ms", by)?,
            read(treatment, "latency_ms", by)?,
        );
        let (report, _notes) = build::ab(c, t, &options, |_, _, _| Ok(()))?;
        pretty(&report.to_json())
    }

    /// `perfstat ab --control DIR --treatment DIR --metric latency_ms --format json` (every file
    /// of each folder one run; sorted by name).
    ///
    /// # Errors
    /// When a folder or file cannot be read or the runs compared.
    pub fn ab_runs(control: &Path, treatment: &Path) -> anyhow::Result<String> {
        use perfstat_report::build::ab_runs::{AbRunsOptions, ab_runs, expand_paths};
        let options = AbRunsOptions {
            direction: None,
            alpha: 0.05,
            min_effect: 0.0,
            confidence: Confidence::DEFAULT,
            bootstrap: QuantileBootstrap {
                seed: 0,
                resamples: 10_000,
            },
            stat: perfstat_stats::hierarchical::RunStat::Mean,
            run_cost: None,
            target_effect: None,
            assumed_icc: None,
        };
        let arm = |dir: &Path| -> anyhow::Result<Vec<ReadInput>> {
            expand_paths(&[dir.to_path_buf()])?
                .iter()
                .map(|f| read(f, "latency_ms", None))
                .collect()
        };
        let report = ab_runs(arm(control)?, arm(treatment)?, &options)?;
        pretty(&report.to_json())
    }

    /// `perfstat pareto CONFIGS --constraint p95_latency_ms<=900 --reference … --format json`
    /// (the flags of `scripts/regen-reports.sh`).
    ///
    /// # Errors
    /// When the configs cannot be read or analysed.
    pub fn pareto(configs: &Path) -> anyhow::Result<String> {
        use perfstat_pareto::input::ReadOptions;
        let constraints = vec!["p95_latency_ms<=900".parse()?];
        let read = ReadOptions {
            id_field: "id".to_owned(),
            objectives: Vec::new(),
            constraints: constraints.clone(),
            confidence: Confidence::DEFAULT,
            samples: perfstat_ingest::ReadOptions::default(),
        };
        let reference = perfstat_pareto::parse_reference(
            "cost_per_1k_tokens=0.01,p95_latency_ms=2000,quality_score=0.5,throughput_tokens_per_s=0",
        )?;
        let options = perfstat_pareto::Options {
            constraints,
            reference: None,
            confidence: Confidence::DEFAULT,
            dominated_by_limit: Some(perfstat_pareto::DOMINATED_BY_LIMIT),
        };
        let run = build::pareto::pareto(configs, &read, Some(&reference), options, &mut drop)?;
        pretty(&run.json())
    }

    /// `perfstat regress HISTORY --format json`.
    ///
    /// # Errors
    /// When the history cannot be read or analysed.
    pub fn regress(history: &Path) -> anyhow::Result<String> {
        let config = perfstat_regress::analyze::Config::default();
        let run = perfstat_report::build::regress::regress(history, None, &config, None)?;
        pretty(&run.doc)
    }

    /// `perfstat capacity --level N FILE … --slo-p95 200ms --format json` (the levels of
    /// `scripts/regen-reports.sh`, latencies in ms).
    ///
    /// # Errors
    /// When a run cannot be read or analysed.
    pub fn capacity(levels: &[(f64, PathBuf)]) -> anyhow::Result<String> {
        use perfstat_report::build::capacity::{capacity, runs_at_levels};
        let datasets = levels
            .iter()
            .map(|(_, file)| read_path(file, &ReadOptions::default()))
            .collect::<Result<Vec<_>, _>>()?;
        let numbers: Vec<f64> = levels.iter().map(|l| l.0).collect();
        let (runs, _notes) = runs_at_levels(&numbers, &datasets, &[])?;
        let options = perfstat_capacity::Options {
            // --slo-p95 200ms, in the runs' latency unit.
            slo_p95: Some(0.2 / runs.unit_seconds().unwrap_or(1e-3)),
            latency_unit_s: runs.unit_seconds(),
            ..perfstat_capacity::Options::default()
        };
        pretty(&capacity(runs, &options)?.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(name: &str) -> String {
        format!("{}/../data/{name}", env!("CARGO_MANIFEST_DIR"))
    }

    #[test]
    fn examples_run_on_the_shipped_data() {
        let d = describe_file(&data("run.csv"), Some("latency_ms".into())).unwrap();
        assert!(d.contains("n = 3000"), "{d}");
        let ab = ab_compare(&data("control.csv"), &data("treatment.csv")).unwrap();
        assert!(ab.contains("verdict: improved"), "{ab}");
        let p = pareto_front().unwrap();
        assert!(p.contains("front: a, b"), "{p}");
        assert!(p.contains("c: rank Some(2), dominated by [1]"), "{p}");
    }
}

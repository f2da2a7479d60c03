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

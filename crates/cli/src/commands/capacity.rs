//! `perfstat capacity`: runs at several load levels (or a table of
//! aggregates) → per-level summaries, the Universal Scalability Law fit,
//! Little's law, and the saturation, degradation and SLO points.
//!
//! Inputs:
//!
//! - `--level N FILE` (repeatable, at least 3): one per-request run per
//!   level, read like every other command's inputs (any format the ingest
//!   crate reads). Load-test formats with timestamps (JMeter JTL, k6, …) give
//!   the run's duration and failures; generic CSV/JSON gives latencies only,
//!   so `--duration` is required there and the error rate is unknown.
//! - `--level-from-name DIR|FILE...`: the level is the first integer in
//!   each file name (`run-25users.jtl` → 25); files without one are an error
//!   listing them.
//! - `--by COLUMN FILE`: one per-request file, one level per distinct value
//!   (JMeter `allThreads`: exact per-level counts and spans from the records;
//!   any other column or tag, e.g. k6 `vus`: grouping, with `--duration`).
//! - `LEVELS_CSV`: a table of aggregates, one row per level, with columns
//!   `level`, `throughput` and any of `p50`, `p95`, `p99`, `mean`,
//!   `error_rate` (a fraction, or with `%`), `requests`. Latencies are in
//!   milliseconds unless `--unit` says otherwise.
//!
//! Objectives: `--slo-p95` and `--min-success` (the `slo` checks), and the
//! general `--slo` objectives of `describe` (shared [`SloArgs`]), judged at
//! every level on its intervals. `--fail-on-slo` exits 1 when an `--slo`
//! objective is `fail` at a level where it counts
//! ([`perfstat_capacity::Analysis::counted_slo_results`]).

use std::path::PathBuf;

use anyhow::{Context as _, anyhow, bail};
use clap::{ArgAction, Args, ValueEnum};
use perfstat_capacity::{Aggregates, Options, Requests, Run, RunData, Workload};
use perfstat_report::OutDir;
use perfstat_report::capacity::{CapacityDoc, plot};
use perfstat_stats::Confidence;

use crate::Outcome;
use crate::args::{InputArgs, OutputArgs, SloArgs, parse_confidence, parse_percent};
use crate::output;

/// Closed or open workload.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub(crate) enum WorkloadArg {
    /// Levels are concurrent users, each waiting for its response.
    #[default]
    Closed,
    /// Levels are arrival rates (requests per second).
    Open,
}

/// `--fail-on`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub(crate) enum FailOn {
    /// Exit 1 when the service degrades below the highest level tested.
    Degradation,
    /// Always exit 0 when the analysis ran.
    #[default]
    Never,
}

/// `perfstat capacity`.
#[derive(Debug, Args)]
pub(crate) struct CapacityArgs {
    /// A table of aggregates (CSV/TSV), one row per level: columns `level`,
    /// `throughput`, and any of `p50`, `p95`, `p99`, `mean`, `error_rate`,
    /// `requests`; with --level-from-name, run files or directories of runs;
    /// with --by COLUMN, one per-request file holding every level.
    #[arg(value_name = "LEVELS_CSV|FILE...", required_unless_present = "levels")]
    pub(crate) table: Vec<PathBuf>,
    /// Take each run's level from the first integer in its file name
    /// (`run-25users.jtl` → 25); the inputs are files or directories (every
    /// non-hidden file in them).
    #[arg(long, conflicts_with = "levels")]
    pub(crate) level_from_name: bool,
    /// Exit with status 1 when a degradation point (p95 above --slo-p95,
    /// success below --min-success, or an --slo objective's estimate broken)
    /// lies below the highest level tested.
    #[arg(long, value_enum, default_value_t = FailOn::Never)]
    pub(crate) fail_on: FailOn,
    /// A run at a load level: `--level 10 run10.jtl` (repeatable; at least 3
    /// levels for the scalability fit).
    #[arg(
        long = "level",
        num_args = 2,
        value_names = ["N", "FILE"],
        action = ArgAction::Append,
        conflicts_with = "table"
    )]
    pub(crate) levels: Vec<String>,
    /// How long each run lasted (`60s`, `2m`, `1500ms`; a bare number is
    /// seconds): once for every run, or once per `--level` in order. Required
    /// for generic CSV/JSON runs (they have no timestamps); overrides the
    /// time span of load-test formats.
    #[arg(long, value_name = "DURATION", action = ArgAction::Append)]
    pub(crate) duration: Vec<String>,
    /// The p95 latency objective, e.g. `800ms` or `1.5s` (a bare number is in
    /// the latency's unit). Judged as `--slo "p95<=800ms"` would be, but
    /// reported in the SLOs column and the JSON's `slo`.
    #[arg(long, value_name = "DURATION")]
    pub(crate) slo_p95: Option<String>,
    /// The smallest acceptable success rate, e.g. `95%` or `0.99`: judged as
    /// `--slo "error_rate<=5%"` would be; always checked when the error rate
    /// is known (`0` turns it off).
    #[arg(long, value_name = "RATE", default_value = "95%", value_parser = parse_percent)]
    pub(crate) min_success: f64,
    /// Closed (levels are concurrent users) or open (levels are arrival rates).
    #[arg(long, value_enum, default_value_t = WorkloadArg::Closed)]
    pub(crate) workload: WorkloadArg,
    /// Confidence level of the intervals, strictly between 0 and 1.
    #[arg(long, default_value_t = 0.95, value_name = "LEVEL", value_parser = parse_confidence)]
    pub(crate) confidence: f64,
    #[command(flatten)]
    pub(crate) input: InputArgs,
    #[command(flatten)]
    pub(crate) slo: SloArgs,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

pub(crate) fn run(args: &CapacityArgs) -> anyhow::Result<Outcome> {
    if !args.levels.is_empty() && !args.table.is_empty() {
        bail!("give either --level N FILE for each level or input files, not both");
    }
    let (runs, inputs, metric, unit) = if !args.levels.is_empty() {
        if args.input.by.is_some() {
            bail!("--by splits one file into levels: give that file alone, without --level");
        }
        read_levels(&level_pairs(&args.levels)?, args)?
    } else if args.level_from_name {
        if args.input.by.is_some() {
            bail!("--by and --level-from-name are two ways to find the levels: choose one");
        }
        read_levels(&levels_from_names(&args.table)?, args)?
    } else if let Some(column) = &args.input.by {
        let [file] = args.table.as_slice() else {
            bail!(
                "--by {column} reads the levels from one per-request file; found {} inputs",
                args.table.len()
            );
        };
        read_by(file, column, args)?
    } else {
        let [table] = args.table.as_slice() else {
            bail!(
                "one table of aggregates expected, found {} inputs (several runs: --level N FILE \
                 or --level-from-name)",
                args.table.len()
            );
        };
        read_table(table, args)?
    };
    let slo_p95 = args
        .slo_p95
        .as_deref()
        .map(|s| parse_slo(s, unit.as_deref()))
        .transpose()
        .context("--slo-p95")?;
    let options = Options {
        confidence: Confidence::new(args.confidence)?,
        slo_p95,
        min_success: args.min_success,
        slos: args.slo.slo.clone(),
        workload: match args.workload {
            WorkloadArg::Closed => Workload::Closed,
            WorkloadArg::Open => Workload::Open,
        },
        latency_unit_s: unit.as_deref().and_then(unit_seconds),
        ..Options::default()
    };
    let analysis = perfstat_capacity::analyze(&runs, &options)?;
    let doc = CapacityDoc::new(&analysis, inputs, metric, unit);
    let json = output::json_doc(&doc)?;
    if let Some(dir) = &args.output.out {
        let out = OutDir::create(dir)?;
        let plots = plot::plots(&doc, out.path())?;
        output::finish_report(out, "capacity", &doc.markdown(&plots), &json)?;
    }
    output::print_result(
        args.output.format,
        || doc.table(),
        &json,
        || doc.markdown(&[]),
    )?;
    let counted: Vec<perfstat_stats::slo::SloResult> = analysis
        .counted_slo_results()
        .into_iter()
        .map(|(_, r)| r.clone())
        .collect();
    let failed = super::slo_gate(&args.slo, &counted)
        || match args.fail_on {
            FailOn::Never => false,
            FailOn::Degradation => analysis.degrades_below_highest_level(),
        };
    Ok(if failed {
        Outcome::Finding
    } else {
        Outcome::Success
    })
}

/// `--level N FILE` pairs.
fn level_pairs(levels: &[String]) -> anyhow::Result<Vec<(f64, PathBuf)>> {
    levels
        .chunks(2)
        .map(|c| {
            let [n, file] = c else {
                bail!("--level takes two values: N FILE");
            };
            let level: f64 = n
                .trim()
                .parse()
                .map_err(|_| anyhow!("--level {n} {file}: {n:?} is not a number"))?;
            Ok((level, PathBuf::from(file)))
        })
        .collect()
}

/// The first run of ASCII digits in a file name, as a level (`run-25users.jtl` → 25).
fn level_in_name(name: &str) -> Option<f64> {
    let start = name.find(|c: char| c.is_ascii_digit())?;
    let digits: String = name
        .get(start..)?
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse::<u64>().ok().map(|n| {
        #[allow(clippy::cast_precision_loss)]
        let n = n as f64;
        n
    })
}

/// `--level-from-name`: files (directories expanded to their non-hidden
/// files, sorted) with the level from the first integer in each file name.
fn levels_from_names(inputs: &[PathBuf]) -> anyhow::Result<Vec<(f64, PathBuf)>> {
    if inputs.is_empty() {
        bail!("--level-from-name needs files or a directory of runs");
    }
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut inside: Vec<PathBuf> = std::fs::read_dir(input)
                .with_context(|| format!("cannot list {}", input.display()))?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.is_file()
                        && !p
                            .file_name()
                            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                })
                .collect();
            if inside.is_empty() {
                bail!("{}: no files in this directory", input.display());
            }
            inside.sort();
            files.extend(inside);
        } else {
            files.push(input.clone());
        }
    }
    let mut pairs = Vec::with_capacity(files.len());
    let mut without = Vec::new();
    for f in files {
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match level_in_name(&name) {
            Some(level) => pairs.push((level, f)),
            None => without.push(f.display().to_string()),
        }
    }
    if !without.is_empty() {
        bail!(
            "--level-from-name: no number in the name of {} (the level is the first integer \
             in a file name, e.g. run-25users.jtl → 25): {}",
            if without.len() == 1 {
                "this file"
            } else {
                "these files"
            },
            without.join(", ")
        );
    }
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    if let Some(w) = pairs.windows(2).find(|w| w[0].0 == w[1].0) {
        bail!(
            "--level-from-name: {} and {} have the same level {}",
            w[0].1.display(),
            w[1].1.display(),
            w[0].0
        );
    }
    for (level, file) in &pairs {
        output::note(&format!("note: {}: level {level}", file.display()));
    }
    Ok(pairs)
}

/// Per-level accumulation of one file's requests.
#[derive(Default)]
struct LevelAcc {
    latencies: Vec<f64>,
    total: u64,
    failed: u64,
    start_ms: f64,
    end_ms: f64,
}

/// `--by COLUMN FILE`: one level per distinct value of the column. JMeter's
/// `allThreads` is read per request (exact counts, failures and time span
/// per level); any other column or tag (k6 `--by vus`) goes through the
/// ingest grouping: latencies and request counts per level, with
/// `--duration` for the time each level ran.
fn read_by(file: &std::path::Path, column: &str, args: &CapacityArgs) -> anyhow::Result<Inputs> {
    if args.input.warmup.is_some() {
        bail!("--warmup is not supported with --by in capacity (the levels share one file)");
    }
    let opts = perfstat_ingest::ReadOptions {
        metric: args.input.metric.clone(),
        by: Some(column.to_owned()),
        skip_invalid: args.input.skip_invalid,
        format: args.input.input_format,
        include_failures: args.input.include_failures,
        unit: args.input.unit,
        keep_records: column.eq_ignore_ascii_case("allThreads"),
        ..perfstat_ingest::ReadOptions::default()
    };
    let ds = perfstat_ingest::read_path(file, &opts)?;
    let durations: Vec<f64> = args
        .duration
        .iter()
        .map(|d| parse_duration_s(d).with_context(|| format!("--duration {d}")))
        .collect::<anyhow::Result<_>>()?;
    let metric = Some(ds.metric.clone());
    let unit = ds
        .unit
        .or_else(|| perfstat_report::fmt::unit_from_name(&ds.metric))
        .map(str::to_owned);
    let source = ds.source.clone();
    let mut levels: std::collections::BTreeMap<u64, LevelAcc> = std::collections::BTreeMap::new();
    let mut knows_failures = ds.requests.is_some();
    let threads = ds
        .records
        .as_ref()
        .and_then(|r| r.all_threads.as_ref().map(|t| (r, t)));
    if let Some((records, threads)) = threads {
        for (i, &n) in threads.iter().enumerate() {
            if n == 0 {
                bail!(
                    "{source}: request {} has no allThreads value (empty or 0)",
                    i + 1
                );
            }
            let acc = levels.entry(u64::from(n)).or_insert_with(|| LevelAcc {
                start_ms: f64::INFINITY,
                end_ms: f64::NEG_INFINITY,
                ..LevelAcc::default()
            });
            let ok = records.success.get(i).copied().unwrap_or(true);
            let lat = records.latency_ms.get(i).copied().unwrap_or(f64::NAN);
            let ts = records.timestamp_ms.get(i).copied().unwrap_or(f64::NAN);
            acc.total += 1;
            if !ok {
                acc.failed += 1;
            }
            if ok || args.input.include_failures {
                acc.latencies.push(lat);
            }
            if ts.is_finite() {
                acc.start_ms = acc.start_ms.min(ts);
                acc.end_ms = acc.end_ms.max(ts + lat.max(0.0));
            }
        }
    } else {
        // Request counts per level from a second read with the failures
        // included (the first keeps only what the statistics use).
        let all = if knows_failures && !args.input.include_failures {
            let opts = perfstat_ingest::ReadOptions {
                include_failures: true,
                keep_records: false,
                ..opts.clone()
            };
            perfstat_ingest::read_path(file, &opts).ok()
        } else {
            None
        };
        let level_of = |label: Option<&str>| -> anyhow::Result<u64> {
            let text = label.unwrap_or("").trim();
            text.parse::<u64>().ok().filter(|&n| n > 0).ok_or_else(|| {
                anyhow!(
                    "{source}: --by {column}: {text:?} is not a load level (a positive integer)"
                )
            })
        };
        for g in &ds.groups {
            let acc = levels.entry(level_of(g.label.as_deref())?).or_default();
            acc.latencies.extend_from_slice(&g.values);
            acc.total += g.values.len() as u64;
        }
        if let Some(all) = &all {
            for g in &all.groups {
                let acc = levels.entry(level_of(g.label.as_deref())?).or_default();
                let n = g.values.len() as u64;
                acc.failed = n.saturating_sub(acc.total);
                acc.total = n;
            }
        }
        knows_failures = all.is_some();
        for acc in levels.values_mut() {
            acc.start_ms = f64::NAN;
            acc.end_ms = f64::NAN;
        }
        if durations.is_empty() {
            bail!(
                "{source}: --by {column}: the time each level ran is unknown from this input \
                 (per-request time spans per level are kept for JMeter's allThreads only): \
                 pass --duration 60s (once for all levels, or once per level in ascending order)"
            );
        }
    }
    if durations.len() > 1 && durations.len() != levels.len() {
        bail!(
            "--duration is given {} times for {} levels: give it once for all levels or once per \
             level (ascending)",
            durations.len(),
            levels.len()
        );
    }
    let mut runs = Vec::with_capacity(levels.len());
    for (i, (level, acc)) in levels.into_iter().enumerate() {
        let span = (acc.end_ms > acc.start_ms).then(|| (acc.end_ms - acc.start_ms) / 1000.0);
        let duration_s = durations
            .get(i)
            .or(durations.first())
            .copied()
            .or(span)
            .ok_or_else(|| anyhow!("{source}: level {level}: no time span: pass --duration 60s"))?;
        #[allow(clippy::cast_precision_loss)]
        let level = level as f64;
        runs.push(Run {
            level,
            source: format!("{source} ({column}={level})"),
            data: RunData::Requests(Requests {
                latencies: acc.latencies,
                total: acc.total,
                failed: knows_failures.then_some(acc.failed),
                duration_s,
            }),
        });
    }
    output::note(&format!(
        "note: {source}: {} levels from column {column:?}: {}",
        runs.len(),
        runs.iter()
            .map(|r| r.level.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    Ok((runs, vec![source], metric, unit))
}

type Inputs = (Vec<Run>, Vec<String>, Option<String>, Option<String>);

fn read_levels(pairs: &[(f64, PathBuf)], args: &CapacityArgs) -> anyhow::Result<Inputs> {
    if pairs.is_empty() {
        bail!("no runs: give --level N FILE for each load level, or a table of aggregates");
    }
    let durations: Vec<f64> = args
        .duration
        .iter()
        .map(|d| parse_duration_s(d).with_context(|| format!("--duration {d}")))
        .collect::<anyhow::Result<_>>()?;
    if durations.len() > 1 && durations.len() != pairs.len() {
        bail!(
            "--duration is given {} times for {} runs: give it once for all runs or once per --level",
            durations.len(),
            pairs.len()
        );
    }
    let files: Vec<&PathBuf> = pairs.iter().map(|p| &p.1).collect();
    let datasets = super::read_inputs(&files, &args.input)?;
    let metric = datasets.first().map(|d| d.metric.clone());
    let unit = datasets
        .first()
        .and_then(|d| d.unit)
        .or_else(|| {
            metric
                .as_deref()
                .and_then(perfstat_report::fmt::unit_from_name)
        })
        .map(str::to_owned);
    let mut runs = Vec::with_capacity(pairs.len());
    for (i, ((level, _), ds)) in pairs.iter().zip(&datasets).enumerate() {
        let given = durations.get(i).or(durations.first()).copied();
        let (total, failed, span) = match &ds.requests {
            Some(r) => (r.total, Some(r.failed), r.duration_s()),
            None => (ds.len() as u64, None, None),
        };
        let duration_s = given.or(span).ok_or_else(|| {
            anyhow!(
                "{}: no timestamps to compute throughput from (a generic CSV/JSON has values \
                 only): pass --duration 60s (once for all runs, or once per --level)",
                ds.source
            )
        })?;
        runs.push(Run {
            level: *level,
            source: ds.source.clone(),
            data: RunData::Requests(Requests {
                latencies: ds.values().collect(),
                total,
                failed,
                duration_s,
            }),
        });
    }
    if runs.iter().all(|r| match &r.data {
        RunData::Requests(q) => q.failed.is_none(),
        RunData::Aggregates(_) => false,
    }) {
        output::note(
            "note: the inputs do not say which requests failed (generic CSV/JSON): no error rate",
        );
    }
    let inputs = datasets.iter().map(|d| d.source.clone()).collect();
    Ok((runs, inputs, metric, unit))
}

fn read_table(path: &std::path::Path, args: &CapacityArgs) -> anyhow::Result<Inputs> {
    let source = path.display().to_string();
    let text = if path.as_os_str() == "-" {
        let mut buf = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin().lock(), &mut buf)
            .context("cannot read stdin")?;
        buf
    } else {
        std::fs::read_to_string(path).map_err(|e| anyhow!("{source}: cannot read the file: {e}"))?
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.matches('\t').count() > first.matches(',').count() {
        b'\t'
    } else if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| anyhow!("{source}: {e}"))?
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    let find = |names: &[&str]| header.iter().position(|h| names.contains(&h.as_str()));
    let cols = [
        find(&["level", "concurrency", "users", "vus", "rate"]),
        find(&["throughput", "rps", "requests_per_s", "throughput_rps"]),
        find(&["p50", "p50_ms", "median"]),
        find(&["p95", "p95_ms"]),
        find(&["p99", "p99_ms"]),
        find(&["mean", "mean_ms"]),
        find(&["error_rate", "errors"]),
        find(&["requests", "count"]),
    ];
    let (Some(level_col), Some(tp_col)) = (cols[0], cols[1]) else {
        bail!(
            "{source}: a table of aggregates needs the columns `level` and `throughput` \
             (and any of p50, p95, p99, mean, error_rate, requests); found: {}",
            header.join(", ")
        );
    };
    let mut runs = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| anyhow!("{source}: {e}"))?;
        let line = rec.position().map_or(0, csv::Position::line);
        let cell = |c: Option<usize>| -> anyhow::Result<Option<f64>> {
            let Some(c) = c else { return Ok(None) };
            let text = rec.get(c).unwrap_or("").trim();
            if text.is_empty() {
                return Ok(None);
            }
            let (body, scale) = match text.strip_suffix('%') {
                Some(b) => (b.trim(), 0.01),
                None => (text, 1.0),
            };
            let v: f64 = body.parse().map_err(|_| {
                anyhow!(
                    "{source}:{line}: expected a number in column {:?}, found {text:?}",
                    header[c]
                )
            })?;
            if !v.is_finite() {
                bail!("{source}:{line}: column {:?} is not finite", header[c]);
            }
            Ok(Some(v * scale))
        };
        let level = cell(Some(level_col))?.ok_or_else(|| anyhow!("{source}:{line}: no level"))?;
        let throughput =
            cell(Some(tp_col))?.ok_or_else(|| anyhow!("{source}:{line}: no throughput"))?;
        let requests = cell(cols[7])?
            .map(|n| {
                if n >= 0.0 && n.fract() == 0.0 {
                    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                    Ok(n as u64)
                } else {
                    Err(anyhow!(
                        "{source}:{line}: requests must be a whole number, found {n}"
                    ))
                }
            })
            .transpose()?;
        runs.push(Run {
            level,
            source: format!("{source}:{line}"),
            data: RunData::Aggregates(Aggregates {
                throughput,
                p50: cell(cols[2])?,
                p95: cell(cols[3])?,
                p99: cell(cols[4])?,
                mean: cell(cols[5])?,
                error_rate: cell(cols[6])?,
                requests,
            }),
        });
    }
    let unit = Some(args.input.unit.map_or("ms", |u| u.name()).to_owned());
    Ok((runs, vec![source], None, unit))
}

/// Seconds in one unit of the latencies.
fn unit_seconds(unit: &str) -> Option<f64> {
    match unit {
        "ms" => Some(1e-3),
        "s" => Some(1.0),
        "us" | "µs" => Some(1e-6),
        "ns" => Some(1e-9),
        _ => None,
    }
}

/// A duration with a unit (`60s`, `2m`, `1500ms`, `1h`); a bare number is seconds.
fn parse_duration_s(s: &str) -> anyhow::Result<f64> {
    let t = s.trim();
    let split = t
        .find(|c: char| {
            !(c.is_ascii_digit() || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+')
        })
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let v: f64 = num
        .parse()
        .map_err(|_| anyhow!("expected a duration such as 60s, 2m or 1500ms, found {s:?}"))?;
    let scale = match unit.trim() {
        "" | "s" | "sec" => 1.0,
        "ms" => 1e-3,
        "us" | "µs" => 1e-6,
        "ns" => 1e-9,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        other => bail!("unknown time unit {other:?} in {s:?} (use ns, us, ms, s, m or h)"),
    };
    let v = v * scale;
    if v.is_finite() && v > 0.0 {
        Ok(v)
    } else {
        bail!("must be a positive duration, found {s:?}")
    }
}

/// The p95 objective in the latency unit: `800ms` → 800 for ms data, 0.8 for s data.
fn parse_slo(s: &str, unit: Option<&str>) -> anyhow::Result<f64> {
    let t = s.trim();
    if let Ok(v) = t.parse::<f64>() {
        if v.is_finite() && v > 0.0 {
            return Ok(v);
        }
        bail!("must be a positive duration, found {s:?}");
    }
    let seconds = parse_duration_s(t)?;
    let per_unit = unit.and_then(unit_seconds).unwrap_or_else(|| {
        output::note("note: the latency unit is unknown: --slo-p95 assumes milliseconds");
        1e-3
    });
    Ok(seconds / per_unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration_s("60s").unwrap(), 60.0);
        assert_eq!(parse_duration_s("2m").unwrap(), 120.0);
        assert_eq!(parse_duration_s("1500ms").unwrap(), 1.5);
        assert_eq!(parse_duration_s("30").unwrap(), 30.0);
        assert!(parse_duration_s("0s").is_err());
        assert!(parse_duration_s("5 parsecs").is_err());
    }

    #[test]
    fn slo_in_the_latency_unit() {
        assert_eq!(parse_slo("800ms", Some("ms")).unwrap(), 800.0);
        assert!((parse_slo("800ms", Some("s")).unwrap() - 0.8).abs() < 1e-12);
        assert_eq!(parse_slo("1.5s", Some("ms")).unwrap(), 1500.0);
        assert_eq!(parse_slo("250", Some("ms")).unwrap(), 250.0);
    }
}

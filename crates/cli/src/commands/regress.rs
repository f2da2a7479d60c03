//! `perfstat regress`: tonight's run against the baseline window, change
//! points over the whole history, and a CI gate.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use clap::{Args, ValueEnum};
use perfstat_regress::analyze::{
    Analysis, Cache, Config, MetricResult, Status, analyze, analyze_resumable,
};
use perfstat_regress::config::{Direction, Overrides};
use perfstat_regress::history::{History, Run, Series, Shape, read_history};
use perfstat_report::OutDir;
use perfstat_report::regress::plot::{slug, time_series};
use perfstat_report::regress::{
    BaselineDoc, CandidateDoc, ChangeDoc, ChangePointDoc, MetricDoc, RegressDoc, RunRef,
};
use perfstat_stats::dist::t_isf;

use crate::Outcome;
use crate::args::{Format, OutputArgs};
use crate::output;

/// `perfstat regress`.
#[derive(Debug, Args)]
pub(crate) struct RegressArgs {
    /// The history of runs, oldest first: a wide CSV (a time or run-id column
    /// and one column per metric; commit/branch columns are carried along), a
    /// long CSV (time,metric,value) or JSON lines; `-` is stdin. Without
    /// --current its last run is the current one.
    #[arg(value_name = "HISTORY")]
    pub(crate) history: PathBuf,
    /// Tonight's run, compared against the history: a summary with one row
    /// (same formats as HISTORY), or a per-request file (JMeter JTL, k6, a CSV
    /// of latencies, … — any input `describe` reads), summarised into
    /// p50_/p95_/p99_/mean_NAME, error_rate and throughput_rps.
    #[arg(long, value_name = "FILE")]
    pub(crate) current: Option<PathBuf>,
    /// Read --current as per-request samples and name its statistics
    /// `p50_NAME`, `p95_NAME`, `p99_NAME`, `mean_NAME` (default NAME:
    /// `latency_ms` for a load-test tool's file, else the value column's name).
    #[arg(long, value_name = "NAME", requires = "current")]
    pub(crate) current_metric: Option<String>,
    /// The value column of a per-request --current file (default: the
    /// format's latency, or the only numeric column).
    #[arg(long, value_name = "COLUMN", requires = "current")]
    pub(crate) current_column: Option<String>,
    /// Baseline runs before the current one (runs with a value; gaps skipped).
    #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u64).range(2..=100_000), help_heading = "Verdict")]
    pub(crate) window: u64,
    /// Relative threshold of a metric (or a kind: latency, throughput,
    /// quality, cost, other), e.g. `p95_latency_ms=15%`; repeatable.
    /// Defaults: latency 15%, throughput 10%, quality 5%, cost 20%, others 10%.
    #[arg(long = "threshold", value_name = "NAME=PERCENT", value_parser = parse_threshold, help_heading = "Verdict")]
    pub(crate) thresholds: Vec<(String, f64)>,
    /// Which way is better for a metric (or a kind), e.g. `score=higher`;
    /// repeatable. Default: inferred from the name.
    #[arg(long = "direction", value_name = "NAME=lower|higher", value_parser = parse_direction, help_heading = "Verdict")]
    pub(crate) directions: Vec<(String, Direction)>,
    /// False discovery rate (Benjamini–Hochberg over the metrics).
    #[arg(long, default_value_t = 0.05, value_name = "ALPHA", value_parser = parse_alpha, help_heading = "Verdict")]
    pub(crate) alpha: f64,
    /// Exit with status 1 when a metric has this status.
    #[arg(long, value_enum, default_value_t = FailOn::Regression, help_heading = "Verdict")]
    pub(crate) fail_on: FailOn,
    /// Append the --current run to HISTORY (atomically: temporary file, then
    /// rename), whatever the verdict.
    #[arg(long, requires = "current")]
    pub(crate) append: bool,
    /// Save each metric's change-point (PELT) state in FILE (default:
    /// HISTORY.pelt-cache, next to the history) and continue from it next
    /// time: after appending a run, long histories (2048 runs or more) skip
    /// the work already done. The result is the same as without.
    #[arg(long, value_name = "FILE")]
    #[allow(clippy::option_option)]
    pub(crate) cache: Option<Option<PathBuf>>,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

/// `--fail-on`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum FailOn {
    /// Exit 1 when at least one metric regressed.
    Regression,
    /// Always exit 0 when the analysis ran.
    Never,
}

fn split_pair(s: &str) -> Result<(&str, &str), String> {
    let (name, value) = s
        .rsplit_once('=')
        .ok_or_else(|| format!("expected NAME=VALUE, found {s:?}"))?;
    let name = name.trim();
    if name.is_empty() {
        return Err(format!("empty metric name in {s:?}"));
    }
    Ok((name, value.trim()))
}

fn parse_threshold(s: &str) -> Result<(String, f64), String> {
    let (name, value) = split_pair(s)?;
    let v = value.trim_start_matches(['+', '-', '−']);
    let v = crate::args::parse_percent(v)?;
    if v <= 0.0 {
        return Err(format!(
            "the threshold of {name} must be positive, found {value}"
        ));
    }
    Ok((name.to_owned(), v))
}

fn parse_direction(s: &str) -> Result<(String, Direction), String> {
    let (name, value) = split_pair(s)?;
    let d = match value.to_ascii_lowercase().as_str() {
        "lower" | "lower_is_better" | "min" => Direction::LowerIsBetter,
        "higher" | "higher_is_better" | "max" => Direction::HigherIsBetter,
        _ => return Err(format!("expected lower or higher, found {value:?}")),
    };
    Ok((name.to_owned(), d))
}

fn parse_alpha(s: &str) -> Result<f64, String> {
    let v = crate::args::parse_percent(s)?;
    if v > 0.0 && v < 0.5 {
        Ok(v)
    } else {
        Err(format!("must be in (0, 0.5), found {s}"))
    }
}

fn display_name(path: &Path) -> String {
    path.display().to_string()
}

/// Reads a history or summary file (`-`: stdin).
fn read(path: &Path) -> anyhow::Result<History> {
    let name = display_name(path);
    if path == Path::new("-") {
        return Ok(read_history(std::io::stdin().lock(), &name)?);
    }
    let file = fs::File::open(path).with_context(|| format!("cannot open {name}"))?;
    Ok(read_history(std::io::BufReader::new(file), &name)?)
}

/// Reads `--current`: a one-run summary, or per-request samples summarised
/// into the history's metrics (see [`summarise`]).
fn read_current(path: &Path, args: &RegressArgs, history: &History) -> anyhow::Result<History> {
    let name = display_name(path);
    let forced = args.current_metric.is_some() || args.current_column.is_some();
    if forced {
        let ds = read_samples(path, args.current_column.as_deref())?;
        return summarise(&ds, args.current_metric.as_deref(), history);
    }
    if path == Path::new("-") {
        return read(path);
    }
    // A load-test tool's per-request file (JTL, k6, vegeta, …).
    if let Ok(ds) = read_samples(path, None)
        && ds.requests.is_some()
    {
        return summarise(&ds, None, history);
    }
    match read(path) {
        Ok(cur) if cur.runs.len() == 1 => Ok(cur),
        Ok(cur) => match read_samples(path, None) {
            // Many rows of one value column: per-request samples.
            Ok(ds) => summarise(&ds, None, history),
            Err(_) => bail!(
                "{name}: --current must hold one run (a summary row) or per-request samples; \
                 found {} rows and no single value column (pass --current-column COLUMN)",
                cur.runs.len()
            ),
        },
        Err(e) => match read_samples(path, None) {
            Ok(ds) => summarise(&ds, None, history),
            Err(_) => Err(e),
        },
    }
}

/// Reads per-request samples with the ingest crate (successful requests' values).
fn read_samples(path: &Path, column: Option<&str>) -> anyhow::Result<perfstat_ingest::Dataset> {
    let opts = perfstat_ingest::ReadOptions {
        metric: column.map(str::to_owned),
        ..perfstat_ingest::ReadOptions::default()
    };
    Ok(perfstat_ingest::read_path(path, &opts)?)
}

/// The statistics a per-request file gives, by history column name: p50/p95/p99
/// (numpy's linear, type 7) and mean of the values, prefixed to `base`;
/// `error_rate` and `throughput_rps` from the request accounting.
fn current_statistics(ds: &perfstat_ingest::Dataset, base: &str) -> Vec<(String, Option<f64>)> {
    use perfstat_stats::quantile::{QuantileMethod, quantile_sorted};
    let mut v: Vec<f64> = ds.values().collect();
    v.sort_by(f64::total_cmp);
    let q = |p: f64| (!v.is_empty()).then(|| quantile_sorted(&v, p, QuantileMethod::Linear));
    #[allow(clippy::cast_precision_loss)]
    let mean = (!v.is_empty()).then(|| perfstat_stats::moments::Moments::of(&v).mean());
    let requests = ds.requests.as_ref();
    vec![
        (format!("p50_{base}"), q(0.5)),
        (format!("p95_{base}"), q(0.95)),
        (format!("p99_{base}"), q(0.99)),
        (format!("mean_{base}"), mean),
        (
            "error_rate".to_owned(),
            requests.and_then(perfstat_ingest::Requests::error_rate),
        ),
        (
            "throughput_rps".to_owned(),
            requests.and_then(perfstat_ingest::Requests::throughput_rps),
        ),
    ]
}

/// Summarises per-request samples into a one-run history holding the
/// statistics whose names are history columns (ASCII case ignored).
fn summarise(
    ds: &perfstat_ingest::Dataset,
    base: Option<&str>,
    history: &History,
) -> anyhow::Result<History> {
    let base = base.map_or_else(
        || {
            if ds.format.is_tool() || ds.unit == Some("ms") && ds.metric == "value" {
                "latency_ms".to_owned()
            } else {
                ds.metric.clone()
            }
        },
        str::to_owned,
    );
    let stats = current_statistics(ds, &base);
    let mut filled = Vec::new();
    let mut missing = Vec::new();
    let mut metrics = Vec::new();
    for (stat, value) in &stats {
        let column = history
            .metrics
            .iter()
            .find(|m| m.name.eq_ignore_ascii_case(stat));
        match (column, value) {
            (Some(col), Some(v)) => {
                filled.push(format!(
                    "{} = {}",
                    col.name,
                    perfstat_report::fmt::sig(*v, 6)
                ));
                metrics.push(Series {
                    name: col.name.clone(),
                    values: vec![Some(*v)],
                });
            }
            (Some(col), None) => missing.push(format!("{} (unknown for this input)", col.name)),
            (None, _) => {}
        }
    }
    let n = ds.requests.as_ref().map_or(ds.len() as u64, |r| r.total);
    if metrics.is_empty() {
        bail!(
            "{}: per-request samples ({n} read as {}): none of {} is a column of the history \
             (columns: {}); pass --current-metric NAME so that p95_NAME names one",
            ds.source,
            ds.format,
            stats
                .iter()
                .map(|(s, _)| s.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            history
                .metrics
                .iter()
                .map(|m| m.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    output::note(&format!(
        "note: {}: summarised {n} per-request values (read as {}, {:?}): filled {}{}",
        ds.source,
        ds.format,
        ds.metric,
        filled.join(", "),
        if missing.is_empty() {
            String::new()
        } else {
            format!("; left empty: {}", missing.join(", "))
        }
    ));
    let id = run_id(ds, history);
    Ok(History {
        key: if history.key.is_empty() {
            "run".to_owned()
        } else {
            history.key.clone()
        },
        attributes: Vec::new(),
        runs: vec![Run {
            id,
            attributes: Vec::new(),
            line: 0,
        }],
        metrics,
        shape: history.shape,
    })
}

/// The id of a run summarised from samples: the next integer after the
/// history's last id when that is an integer, else the run's start time
/// (UTC, `YYYY-MM-DDTHH:MM:SSZ`) when the file has timestamps, else the
/// file's name.
fn run_id(ds: &perfstat_ingest::Dataset, history: &History) -> String {
    if let Some(next) = history
        .runs
        .last()
        .and_then(|r| r.id.trim().parse::<i64>().ok())
        .and_then(|i| i.checked_add(1))
    {
        return next.to_string();
    }
    if let Some(start) = ds.requests.as_ref().and_then(|r| r.start_ms)
        && let Some(t) = utc_time(start)
    {
        return t;
    }
    Path::new(&ds.source)
        .file_name()
        .map_or_else(|| ds.source.clone(), |n| n.to_string_lossy().into_owned())
}

/// Epoch milliseconds as `YYYY-MM-DDTHH:MM:SSZ` (proleptic Gregorian, UTC);
/// `None` outside years 1970–9999.
fn utc_time(epoch_ms: f64) -> Option<String> {
    if !(0.0..253_402_300_800_000.0).contains(&epoch_ms) {
        return None;
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let secs = (epoch_ms / 1000.0).floor() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    ))
}

pub(crate) fn run(args: &RegressArgs) -> anyhow::Result<Outcome> {
    let mut history = read(&args.history)?;
    let current = match &args.current {
        Some(path) => {
            let cur = read_current(path, args, &history)?;
            history.push_current(&cur, &display_name(path))?;
            Some(cur)
        }
        None => None,
    };
    let config = Config {
        window: usize::try_from(args.window).context("--window is too large")?,
        alpha: args.alpha,
        overrides: Overrides {
            thresholds: args.thresholds.clone(),
            directions: args.directions.clone(),
        },
        ..Config::default()
    };
    let analysis = match cache_path(args)? {
        None => analyze(&history, &config)?,
        Some(path) => analyze_cached(&history, &config, &path)?,
    };
    let doc = to_doc(&history, &analysis, args);
    for m in doc
        .metrics
        .iter()
        .filter(|_| args.output.format == Format::Json)
    {
        if m.gaps > 0 {
            output::note(&format!(
                "note: {}: {} of {} runs have no value (gaps, not zeros)",
                m.name, m.gaps, doc.runs
            ));
        }
    }
    let json = output::json_doc(&doc)?;

    if let Some(out) = &args.output.out {
        let dir = OutDir::create(out)?;
        let mut plots = Vec::new();
        for m in &doc.metrics {
            let stem = slug(&m.name);
            if m.series.iter().any(Option::is_some) {
                time_series(m, doc.window, doc.alpha, &dir.path().join(&stem))?;
                plots.push((m.name.clone(), format!("{stem}.png")));
            }
        }
        output::finish_report(dir, "regress", &doc.markdown(&plots), &json)?;
    }
    if args.append
        && let Some(cur) = &current
    {
        append(&args.history, &history, cur)?;
        output::note(&format!(
            "appended run {} to {}",
            doc.current_run.id,
            display_name(&args.history)
        ));
    }
    output::print_result(
        args.output.format,
        || doc.table(),
        &json,
        || doc.markdown(&[]),
    )?;
    let failed = match args.fail_on {
        FailOn::Never => false,
        FailOn::Regression => analysis.count(Status::Regression) > 0,
    };
    Ok(if failed {
        Outcome::Finding
    } else {
        Outcome::Success
    })
}

/// The `--cache` file: the one named, else HISTORY.pelt-cache.
fn cache_path(args: &RegressArgs) -> anyhow::Result<Option<PathBuf>> {
    let Some(given) = &args.cache else {
        return Ok(None);
    };
    if let Some(file) = given {
        return Ok(Some(file.clone()));
    }
    if args.history == Path::new("-") {
        bail!("--cache needs a file name when the history is read from stdin");
    }
    let mut name = args.history.as_os_str().to_owned();
    name.push(".pelt-cache");
    Ok(Some(PathBuf::from(name)))
}

/// [`analyze`] continuing the PELT states saved in `path` (an unreadable or
/// stale cache only costs the time: the states that do not apply are
/// recomputed), then saving the new states atomically.
fn analyze_cached(history: &History, config: &Config, path: &Path) -> anyhow::Result<Analysis> {
    let name = display_name(path);
    let mut cache = match fs::File::open(path) {
        Ok(f) => Cache::read_from(&mut std::io::BufReader::new(f)).unwrap_or_else(|e| {
            output::note(&format!(
                "note: {name}: not a usable cache ({e}): recomputing"
            ));
            Cache::default()
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Cache::default(),
        Err(e) => {
            output::note(&format!(
                "note: {name}: cannot read the cache ({e}): recomputing"
            ));
            Cache::default()
        }
    };
    let analysis = analyze_resumable(history, config, &mut cache)?;
    output::note(&format!(
        "note: change points: continued the saved state of {} of {} metrics ({name})",
        cache.reused(),
        history.metrics.len()
    ));
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        path.file_name()
            .map_or_else(|| "cache".into(), |n| n.to_string_lossy()),
        std::process::id()
    ));
    let write = || -> std::io::Result<()> {
        let mut f = std::io::BufWriter::new(fs::File::create(&tmp)?);
        cache.write_to(&mut f)?;
        f.into_inner()
            .map_err(std::io::IntoInnerError::into_error)?
            .sync_all()?;
        fs::rename(&tmp, path)
    };
    if let Err(e) = write() {
        let _ = fs::remove_file(&tmp);
        output::note(&format!("note: cannot write the cache {name}: {e}"));
    }
    Ok(analysis)
}

fn opt<T: Copy>(s: perfstat_stats::Stat<T>) -> Option<T> {
    s.ok()
}

/// The commit of run `index`, from a commit-like attribute column.
fn commit(history: &History, index: usize) -> Option<String> {
    let col = history.attributes.iter().find(|a| {
        let a = a.to_ascii_lowercase();
        a == "commit" || a == "sha" || a == "git_sha" || a == "hash"
    })?;
    history.attribute(index, col).map(str::to_owned)
}

fn to_doc(history: &History, analysis: &Analysis, args: &RegressArgs) -> RegressDoc {
    let metrics: Vec<MetricDoc> = analysis
        .metrics
        .iter()
        .zip(&history.metrics)
        .map(|(m, series)| metric_doc(history, m, series.values.clone()))
        .collect();
    RegressDoc {
        command: "regress",
        history: display_name(&args.history),
        current_file: args.current.as_deref().map(display_name),
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
        metrics,
    }
}

fn metric_doc(history: &History, m: &MetricResult, series: Vec<Option<f64>>) -> MetricDoc {
    let mut reasons = std::collections::BTreeMap::new();
    let mut note = |key: &'static str, e: Option<String>| {
        if let Some(e) = e {
            reasons.insert(key, e);
        }
    };
    note("status", m.reason.clone());
    note(
        "baseline.std_dev",
        m.baseline.std_dev.err().map(|e| e.to_string()),
    );
    note(
        "change.relative",
        m.change_relative.err().map(|e| e.to_string()),
    );
    note("p_value", m.test.err().map(|e| e.to_string()));
    let band = match (
        m.baseline.mean,
        m.baseline.std_dev,
        m.baseline.indexes.first(),
    ) {
        (Ok(mean), Ok(sd), Some(&first)) if m.baseline.n() >= 2 => {
            #[allow(clippy::cast_precision_loss)]
            let n = m.baseline.n() as f64;
            t_isf(0.025, n - 1.0).ok().map(|t| {
                let half = t * sd * (1.0 + 1.0 / n).sqrt();
                (first, mean - half, mean + half)
            })
        }
        _ => None,
    };
    MetricDoc {
        name: m.name.clone(),
        direction: match m.settings.direction {
            Direction::LowerIsBetter => "lower_is_better",
            Direction::HigherIsBetter => "higher_is_better",
        },
        direction_source: m.settings.direction_source.as_str(),
        kind: m.settings.kind.as_str(),
        threshold: m.settings.threshold,
        threshold_source: m.settings.threshold_source.as_str(),
        current: m.current,
        baseline: BaselineDoc {
            n: m.baseline.n(),
            mean: opt(m.baseline.mean),
            median: opt(m.baseline.median),
            std_dev: opt(m.baseline.std_dev),
        },
        change: ChangeDoc {
            absolute: opt(m.change_absolute),
            relative: opt(m.change_relative),
        },
        p_value: m.test.ok().map(|t| t.p_worse),
        q_value: opt(m.q_worse),
        p_value_improvement: m.test.ok().map(|t| t.p_better),
        q_value_improvement: opt(m.q_better),
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
                relative_change: opt(cp.relative_change),
                p_value: opt(cp.p_value),
            })
            .collect(),
        candidate: m.candidate.as_ref().map(|c| CandidateDoc {
            index: c.index,
            time: c.time.clone(),
            runs: c.runs,
            relative_change: opt(c.relative_change),
        }),
        outliers: m.outliers.clone(),
        gaps: m.gaps,
        autocorrelation: m.detection.autocorrelation,
        warnings: m.warnings.clone(),
        reasons,
        series,
        band,
    }
}

/// Appends the current run to the history file in its own shape, through a
/// temporary file in the same folder and a rename.
fn append(path: &Path, history: &History, current: &History) -> anyhow::Result<()> {
    if path == Path::new("-") {
        bail!("--append needs a history file, not stdin");
    }
    let name = display_name(path);
    let Some(run) = current.runs.first() else {
        bail!("--current holds no run");
    };
    if current.key.is_empty() {
        bail!(
            "--append: the --current file has no time or run-id column ({}) to name the run by",
            perfstat_regress::history::KEY_NAMES.join(", ")
        );
    }
    let original = fs::read_to_string(path).with_context(|| format!("cannot read {name}"))?;
    let attr = |a: &str| -> String {
        current
            .attributes
            .iter()
            .position(|x| x == a)
            .and_then(|i| run.attributes.get(i).cloned().flatten())
            .unwrap_or_default()
    };
    let value = |m: &str| -> String {
        current
            .metrics
            .iter()
            .find(|s| s.name == m)
            .and_then(|s| s.values.first().copied().flatten())
            .map(|v| v.to_string())
            .unwrap_or_default()
    };
    let text = match history.shape {
        Shape::Wide => append_wide(&original, &history.key, &run.id, current, &attr, &value)?,
        Shape::Long => {
            let mut rdr = csv::ReaderBuilder::new()
                .delimiter(delimiter(&original))
                .from_reader(original.as_bytes());
            let header: Vec<String> = rdr.headers()?.iter().map(|h| h.trim().to_owned()).collect();
            let mut w = csv::WriterBuilder::new()
                .delimiter(delimiter(&original))
                .from_writer(Vec::new());
            for m in &current.metrics {
                let v = value(&m.name);
                if v.is_empty() {
                    continue;
                }
                let row: Vec<String> = header
                    .iter()
                    .map(|h| {
                        let l = h.to_ascii_lowercase();
                        if *h == history.key {
                            run.id.clone()
                        } else if l == "metric" {
                            m.name.clone()
                        } else if l == "value" {
                            v.clone()
                        } else {
                            attr(h)
                        }
                    })
                    .collect();
                w.write_record(&row)?;
            }
            let rows = String::from_utf8(w.into_inner().context("csv writer")?)?;
            with_newline(&original) + &rows
        }
        Shape::JsonLines => {
            let mut obj = serde_json::Map::new();
            let key = if history.key.is_empty() {
                current.key.clone()
            } else {
                history.key.clone()
            };
            obj.insert(key, serde_json::Value::String(run.id.clone()));
            for a in &current.attributes {
                obj.insert(a.clone(), serde_json::Value::String(attr(a)));
            }
            for m in &current.metrics {
                let v = m.values.first().copied().flatten();
                obj.insert(
                    m.name.clone(),
                    v.and_then(serde_json::Number::from_f64)
                        .map_or(serde_json::Value::Null, serde_json::Value::Number),
                );
            }
            with_newline(&original) + &serde_json::Value::Object(obj).to_string() + "\n"
        }
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        path.file_name()
            .map_or_else(|| "history".into(), |n| n.to_string_lossy()),
        std::process::id()
    ));
    let write = || -> std::io::Result<()> {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    };
    if let Err(e) = write() {
        let _ = fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("cannot append to {name}"));
    }
    Ok(())
}

fn delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    if !header.contains(',') && header.contains('\t') {
        b'\t'
    } else if !header.contains(',') && header.contains(';') {
        b';'
    } else {
        b','
    }
}

fn with_newline(s: &str) -> String {
    if s.is_empty() || s.ends_with('\n') {
        s.to_owned()
    } else {
        format!("{s}\n")
    }
}

/// A wide history with the current run as a new last row; columns the
/// history lacks are added (empty in earlier rows); cells are kept as written.
fn append_wide(
    original: &str,
    key: &str,
    id: &str,
    current: &History,
    attr: &dyn Fn(&str) -> String,
    value: &dyn Fn(&str) -> String,
) -> anyhow::Result<String> {
    let delim = delimiter(original);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delim)
        .from_reader(original.as_bytes());
    let mut header: Vec<String> = rdr.headers()?.iter().map(|h| h.trim().to_owned()).collect();
    let new_cols: Vec<String> = current
        .attributes
        .iter()
        .chain(current.metrics.iter().map(|m| &m.name))
        .filter(|c| !header.contains(c))
        .cloned()
        .collect();
    let is_metric = |c: &str| current.metrics.iter().any(|m| m.name == c);
    let row = |header: &[String]| -> Vec<String> {
        header
            .iter()
            .map(|h| {
                if h == key {
                    id.to_owned()
                } else if is_metric(h) {
                    value(h)
                } else {
                    attr(h)
                }
            })
            .collect()
    };
    if new_cols.is_empty() {
        let mut w = csv::WriterBuilder::new()
            .delimiter(delim)
            .from_writer(Vec::new());
        w.write_record(row(&header))?;
        let line = String::from_utf8(w.into_inner().context("csv writer")?)?;
        return Ok(with_newline(original) + &line);
    }
    output::note(&format!(
        "note: adding column{} {} to the history",
        if new_cols.len() == 1 { "" } else { "s" },
        new_cols.join(", ")
    ));
    let mut w = csv::WriterBuilder::new()
        .delimiter(delim)
        .from_writer(Vec::new());
    let old_len = header.len();
    header.extend(new_cols);
    w.write_record(&header)?;
    for rec in rdr.records() {
        let rec = rec?;
        let mut cells: Vec<String> = rec.iter().map(str::to_owned).collect();
        cells.resize(old_len, String::new());
        cells.resize(header.len(), String::new());
        w.write_record(&cells)?;
    }
    w.write_record(row(&header))?;
    Ok(String::from_utf8(w.into_inner().context("csv writer")?)?)
}

//! Reading the runs of a capacity analysis: a table of aggregates, one
//! per-request [`Dataset`] per level, or one dataset holding every level.
//!
//! - [`read_aggregates`]: a table (CSV, TSV, `;`/`|`-separated, or a
//!   white-space-separated `.txt`) with one row per level, read by
//!   [`perfstat_ingest::table`]: exact lines with CRLF, UTF-8 and ragged-row
//!   errors with their position, missing cells by
//!   [`table::is_missing`]. Columns (any case):
//!
//!   | role | names |
//!   |---|---|
//!   | level | `level`, `N`, `load`, `threads`, `users`, `vus`, `concurrency`, `processors`, `rate` |
//!   | throughput | `throughput`, `X`, `X_N`, `tps`, `rps`, `throughput_rps`, `requests_per_s` |
//!   | p50 | `p50`, `p50_ms`, `median` |
//!   | p95, p99, mean | `p95`, `p95_ms`; `p99`, `p99_ms`; `mean`, `mean_ms` |
//!   | error rate | `error_rate`, `errors` (a fraction, or with `%`) |
//!   | requests | `requests`, `count` |
//!   | throughput's standard deviation | `throughput_stddev`, `throughput_sd`, `throughput_std`, `stddev`, `sd`, `std`, `x_sd` |
//!
//!   A headerless table of two columns is (level, throughput); [`Columns`]
//!   chooses columns by name or number ([`read_aggregates_with`]). Rows with
//!   the same level are replicates, all kept; columns not used are noted.
//! - [`level_in_name`], [`levels_from_names`]: the level from the first
//!   integer in a file name (`run-25users.jtl` → 25).
//! - [`run_from_dataset`]: one per-request run at a given level.
//! - [`runs_from_records`] and [`runs_from_groups`]: one dataset split into
//!   levels by a column (JMeter `allThreads` records, or any grouping).
//!
//! Every error is an [`InputError`] naming the file and, for a table, the
//! line and column. Nothing here names a command-line flag: the CLI adds its
//! hints.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use perfstat_ingest::table::{self, Table, TableOptions, TableRow};
use perfstat_ingest::{Dataset, ErrorKind, Position};

mod error;
pub use error::{InputError, InputResult};

use crate::analysis::{Aggregates, Requests, Run, RunData};

const LEVEL: &[&str] = &[
    "level",
    "n",
    "load",
    "threads",
    "users",
    "vus",
    "concurrency",
    "processors",
    "rate",
];
const THROUGHPUT: &[&str] = &[
    "throughput",
    "x",
    "x_n",
    "tps",
    "rps",
    "throughput_rps",
    "requests_per_s",
];
const P50: &[&str] = &["p50", "p50_ms", "median"];
const P95: &[&str] = &["p95", "p95_ms"];
const P99: &[&str] = &["p99", "p99_ms"];
const MEAN: &[&str] = &["mean", "mean_ms"];
const ERROR_RATE: &[&str] = &["error_rate", "errors"];
const REQUESTS: &[&str] = &["requests", "count"];
const THROUGHPUT_SD: &[&str] = &[
    "throughput_stddev",
    "throughput_sd",
    "throughput_std",
    "stddev",
    "sd",
    "std",
    "x_sd",
];

/// Columns chosen by the caller (a header name, any case, or a column
/// number from 1), instead of the recognised names.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Columns {
    /// The level.
    pub level: Option<String>,
    /// The throughput.
    pub throughput: Option<String>,
    /// The throughput's standard deviation (weights 1/sd²).
    pub throughput_sd: Option<String>,
    /// The mean latency (Little's law).
    pub latency: Option<String>,
    /// The p95 latency.
    pub p95: Option<String>,
    /// The error rate.
    pub error_rate: Option<String>,
}

/// The runs of a table of aggregates and the input's display name.
#[derive(Clone, Debug, PartialEq)]
pub struct TableRuns {
    /// The path as given, or `<stdin>`.
    pub source: String,
    /// One run per row, in the table's order.
    pub runs: Vec<Run>,
    /// What the reader decided (columns ignored), one sentence each.
    pub notes: Vec<String>,
}

/// Reads a table of aggregates from `path` (`-` is standard input, gzip is
/// decompressed): one [`Run`] of [`RunData::Aggregates`] per row, its source
/// `FILE:LINE`.
///
/// # Errors
/// The file cannot be read or is malformed; a required column is missing; a
/// cell is not a number, or outside its column's range; a level repeats.
pub fn read_aggregates(path: &Path) -> InputResult<TableRuns> {
    read_aggregates_with(path, &Columns::default())
}

/// [`read_aggregates`] with columns chosen by the caller.
///
/// # Errors
/// As [`read_aggregates`]; [`InputError::NoSuchColumn`] for a chosen
/// column the table does not have.
pub fn read_aggregates_with(path: &Path, columns: &Columns) -> InputResult<TableRuns> {
    let t = table::read_table_path(path, &TableOptions::default())?;
    let (runs, notes) = aggregates_with(&t, columns)?;
    Ok(TableRuns {
        runs,
        source: t.source,
        notes,
    })
}

/// [`read_aggregates`] on a table in memory called `name`.
///
/// # Errors
/// As [`read_aggregates`].
pub fn parse_aggregates(name: &str, bytes: &[u8]) -> InputResult<Vec<Run>> {
    let t = table::parse_table(name, bytes, &TableOptions::default())?;
    aggregates_from_table(&t)
}

/// The runs of a table already read.
///
/// # Errors
/// As [`read_aggregates`].
pub fn aggregates_from_table(t: &Table) -> InputResult<Vec<Run>> {
    aggregates_with(t, &Columns::default()).map(|(runs, _)| runs)
}

/// The column `name` (a header name, any case, or a number from 1).
fn chosen(t: &Table, role: &'static str, name: &str) -> InputResult<usize> {
    let by_name = t
        .header_line
        .and_then(|_| t.columns.iter().position(|c| c.eq_ignore_ascii_case(name)));
    let by_number = || {
        name.trim()
            .parse::<usize>()
            .ok()
            .filter(|&k| k >= 1 && k <= t.columns.len())
            .map(|k| k - 1)
    };
    by_name
        .or_else(by_number)
        .ok_or_else(|| InputError::NoSuchColumn {
            file: t.source.clone(),
            line: t
                .header_line
                .unwrap_or_else(|| t.rows.first().map_or(1, |r| r.line)),
            role,
            name: name.to_owned(),
            found: if t.header_line.is_some() {
                t.columns.clone()
            } else {
                vec![format!("{} columns without a header", t.columns.len())]
            },
        })
}

/// The runs of a table and the reader's notes, with columns chosen by the caller.
///
/// # Errors
/// As [`read_aggregates_with`].
#[allow(clippy::too_many_lines)]
pub fn aggregates_with(t: &Table, chosen_cols: &Columns) -> InputResult<(Vec<Run>, Vec<String>)> {
    let pick = |role: &'static str, name: &Option<String>| -> InputResult<Option<usize>> {
        name.as_deref().map(|n| chosen(t, role, n)).transpose()
    };
    let level_chosen = pick("level", &chosen_cols.level)?;
    let tp_chosen = pick("throughput", &chosen_cols.throughput)?;
    let (level_col, tp_col) = match (level_chosen, tp_chosen, t.header_line) {
        (Some(l), Some(x), _) => (l, x),
        (_, _, None) => {
            if t.columns.len() != 2 {
                return Err(InputError::HeaderlessWidth {
                    file: t.source.clone(),
                    line: t.rows.first().map_or(1, |r| r.line),
                    width: t.columns.len(),
                });
            }
            (level_chosen.unwrap_or(0), tp_chosen.unwrap_or(1))
        }
        (_, _, Some(line)) => {
            let level = match level_chosen {
                Some(c) => Some(c),
                None => find(t, line, "level", LEVEL)?,
            };
            let tp = match tp_chosen {
                Some(c) => Some(c),
                None => find(t, line, "throughput", THROUGHPUT)?,
            };
            let missing = |role, other, aliases| InputError::MissingColumn {
                file: t.source.clone(),
                line,
                role,
                other,
                aliases,
                found: t.columns.clone(),
            };
            (
                level.ok_or_else(|| missing("level", "throughput", LEVEL))?,
                tp.ok_or_else(|| missing("throughput", "level", THROUGHPUT))?,
            )
        }
    };
    let optional = |role: &'static str, names, given: &Option<String>| match given {
        Some(n) => chosen(t, role, n).map(Some),
        None => match t.header_line {
            Some(line) => find(t, line, role, names),
            None => Ok(None),
        },
    };
    let cols = [
        optional("p50", P50, &None)?,
        optional("p95", P95, &chosen_cols.p95)?,
        optional("p99", P99, &None)?,
        optional("mean", MEAN, &chosen_cols.latency)?,
        optional("error_rate", ERROR_RATE, &chosen_cols.error_rate)?,
        optional("requests", REQUESTS, &None)?,
        optional(
            "throughput_stddev",
            THROUGHPUT_SD,
            &chosen_cols.throughput_sd,
        )?,
    ];
    let used: Vec<usize> = [Some(level_col), Some(tp_col)]
        .into_iter()
        .chain(cols)
        .flatten()
        .collect();
    let ignored: Vec<String> = (0..t.columns.len())
        .filter(|c| !used.contains(c))
        .map(|c| {
            let name = &t.columns[c];
            if name.trim().is_empty() {
                format!("column {} (no name: a row index?)", c + 1)
            } else {
                format!("{name:?}")
            }
        })
        .collect();
    let mut notes = Vec::new();
    if !ignored.is_empty() {
        notes.push(format!(
            "{}: {} not used: {}",
            t.source,
            if ignored.len() == 1 {
                "a column is"
            } else {
                "columns are"
            },
            ignored.join(", ")
        ));
    }
    let mut runs = Vec::with_capacity(t.rows.len());
    for row in &t.rows {
        let at = |c: usize| Position::new(row.line, c as u64 + 1);
        let required = |c: usize| -> InputResult<f64> {
            cell(t, row, c)?.ok_or_else(|| InputError::MissingCell {
                file: t.source.clone(),
                position: at(c),
                column: t.columns[c].clone(),
            })
        };
        let check = |c: usize, v: f64, ok: bool, expected: &'static str| {
            if ok {
                Ok(v)
            } else {
                Err(InputError::OutOfRange {
                    file: t.source.clone(),
                    position: at(c),
                    column: t.columns[c].clone(),
                    value: v,
                    expected,
                })
            }
        };
        let level = required(level_col)?;
        check(level_col, level, level > 0.0, "a positive number")?;
        let throughput = required(tp_col)?;
        check(
            tp_col,
            throughput,
            throughput >= 0.0,
            "a non-negative number",
        )?;
        let latency = |k: usize| -> InputResult<Option<f64>> {
            let Some(c) = cols[k] else { return Ok(None) };
            cell(t, row, c)?
                .map(|v| check(c, v, v >= 0.0, "a non-negative number"))
                .transpose()
        };
        let error_rate = match cols[4] {
            Some(c) => cell(t, row, c)?
                .map(|v| {
                    check(
                        c,
                        v,
                        (0.0..=1.0).contains(&v),
                        "within 0 and 1 (write 2 % as 0.02 or 2%)",
                    )
                })
                .transpose()?,
            None => None,
        };
        let requests = match cols[5] {
            Some(c) => cell(t, row, c)?
                .map(|n| {
                    check(c, n, n >= 0.0 && n.fract() == 0.0, "a whole number").map(|n| {
                        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                        let n = n as u64;
                        n
                    })
                })
                .transpose()?,
            None => None,
        };
        let throughput_sd = match cols[6] {
            Some(c) => cell(t, row, c)?
                .map(|v| check(c, v, v > 0.0, "a positive number (a standard deviation)"))
                .transpose()?,
            None => None,
        };
        runs.push(Run {
            level,
            source: format!("{}:{}", t.source, row.line),
            data: RunData::Aggregates(Aggregates {
                throughput,
                throughput_sd,
                p50: latency(0)?,
                p95: latency(1)?,
                p99: latency(2)?,
                mean: latency(3)?,
                error_rate,
                requests,
            }),
        });
    }
    Ok((runs, notes))
}

/// The column for a role: the only header name among `names` (any case),
/// or the one named exactly like the role when several are.
fn find(t: &Table, line: u64, role: &'static str, names: &[&str]) -> InputResult<Option<usize>> {
    let hits: Vec<usize> = t
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| names.iter().any(|n| c.eq_ignore_ascii_case(n)))
        .map(|(i, _)| i)
        .collect();
    match hits.as_slice() {
        [] => Ok(None),
        [i] => Ok(Some(*i)),
        _ => {
            if let Some(&i) = hits
                .iter()
                .find(|&&i| t.columns[i].eq_ignore_ascii_case(role))
            {
                return Ok(Some(i));
            }
            Err(InputError::AmbiguousColumn {
                file: t.source.clone(),
                position: Position::new(line, hits[1] as u64 + 1),
                role,
                columns: hits
                    .iter()
                    .map(|&i| format!("{:?}", t.columns[i]))
                    .collect(),
            })
        }
    }
}

/// The number in a cell: missing ([`table::is_missing`]) → `None`; a
/// trailing `%` divides by 100; anything else not a finite number is an
/// error at the cell's position.
fn cell(t: &Table, row: &TableRow, c: usize) -> InputResult<Option<f64>> {
    let text = row.cells.get(c).map_or("", String::as_str);
    let Some(body) = text.strip_suffix('%') else {
        return Ok(t.number(row, c)?);
    };
    let body = body.trim_ascii();
    if table::is_number(body) {
        // `is_number` accepted it: a finite decimal, which `parse` reads alike.
        return Ok(body.parse::<f64>().ok().map(|v| v * 0.01));
    }
    let column = t.columns[c].clone();
    let found = text.to_owned();
    let kind = if body.parse::<f64>().is_ok() {
        ErrorKind::NonFinite { column, found }
    } else {
        ErrorKind::InvalidNumber { column, found }
    };
    Err(t.error_at(row, Some(c), kind).into())
}

/// The first run of ASCII digits in a file name, as a level
/// (`run-25users.jtl` → 25); `None` without digits.
#[must_use]
pub fn level_in_name(name: &str) -> Option<f64> {
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

/// Files (a directory stands for its non-hidden files, sorted) with the
/// level from the first integer in each file name ([`level_in_name`]), by
/// ascending level.
///
/// # Errors
/// No inputs; a directory that cannot be listed or has no files; files
/// without a number in their name (all listed). Files with the same level
/// are replicates, all kept.
pub fn levels_from_names(inputs: &[PathBuf]) -> InputResult<Vec<(f64, PathBuf)>> {
    if inputs.is_empty() {
        return Err(InputError::NoFiles);
    }
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut inside = list_files(input).map_err(|error| InputError::ListDir {
                dir: input.clone(),
                error,
            })?;
            if inside.is_empty() {
                return Err(InputError::EmptyDir { dir: input.clone() });
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
            None => without.push(f),
        }
    }
    if !without.is_empty() {
        return Err(InputError::NoNumberInName { files: without });
    }
    // Stable: files with the same level (replicates) keep their order.
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    Ok(pairs)
}

/// The non-hidden files directly inside `dir`.
fn list_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let hidden = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if path.is_file() && !hidden {
            out.push(path);
        }
    }
    Ok(out)
}

/// One per-request run at `level`: its latencies, requests and failures
/// (when the format says), and `duration_s` or else the time span of its
/// timestamps.
///
/// # Errors
/// [`InputError::NoTimestamps`] without a duration or a time span.
pub fn run_from_dataset(level: f64, ds: &Dataset, duration_s: Option<f64>) -> InputResult<Run> {
    let (total, failed, span) = match &ds.requests {
        // Unknown failures (ab -g) are not zero failures.
        Some(r) => (r.total, r.failed_if_known(), r.duration_s()),
        None => (ds.len() as u64, None, None),
    };
    let duration_s = duration_s
        .or(span)
        .ok_or_else(|| InputError::NoTimestamps {
            file: ds.source.clone(),
        })?;
    Ok(Run {
        level,
        source: ds.source.clone(),
        data: RunData::Requests(Requests {
            latencies: ds.values().collect(),
            total,
            failed,
            duration_s,
        }),
    })
}

/// Whether the format of `ds` can say that a request failed. ApacheBench's
/// `-g` file has no failure column: its failures are unknown, not zero
/// (issue 16), so the error rate and the success check are unknown too.
#[must_use]
pub fn knows_failures(ds: &Dataset) -> bool {
    ds.requests
        .as_ref()
        .is_some_and(|r| r.failures_unknown.is_none())
}

/// One run per level from one dataset per level (in the same order), with
/// `durations` (seconds: none, one for all runs, or one per run).
///
/// # Errors
/// A duration count that is neither 0, 1 nor the number of runs; a run
/// without timestamps and no duration ([`run_from_dataset`]).
pub fn runs_from_datasets(
    levels: &[f64],
    datasets: &[Dataset],
    durations: &[f64],
) -> InputResult<Vec<Run>> {
    if durations.len() > 1 && durations.len() != levels.len() {
        return Err(InputError::DurationCount {
            given: durations.len(),
            levels: levels.len(),
        });
    }
    levels
        .iter()
        .zip(datasets)
        .enumerate()
        .map(|(i, (&level, ds))| {
            run_from_dataset(level, ds, durations.get(i).or(durations.first()).copied())
        })
        .collect()
}

/// Reads the per-request file at `path` and splits it into one run per
/// value of `opts.by` (the level column): JMeter's `allThreads` from the
/// records ([`runs_from_records`]; `opts.keep_records` is set for it), any
/// other column or tag by the grouping ([`runs_from_groups`], with a second
/// read counting the failed requests when the format knows them and
/// `opts.include_failures` is off). Returns the runs and the dataset read.
///
/// # Errors
/// `opts.by` is not set; reading fails; as [`runs_from_records`] and
/// [`runs_from_groups`].
pub fn read_by(
    path: &Path,
    opts: &perfstat_ingest::ReadOptions,
    durations: &[f64],
) -> InputResult<(Vec<Run>, Dataset)> {
    let column = opts.by.clone().unwrap_or_default();
    let opts = perfstat_ingest::ReadOptions {
        keep_records: column.eq_ignore_ascii_case("allThreads"),
        ..opts.clone()
    };
    let ds = perfstat_ingest::read_path(path, &opts)?;
    if let Some(runs) = runs_from_records(&ds, &column, opts.include_failures, durations) {
        return Ok((runs?, ds));
    }
    let all = if knows_failures(&ds) && !opts.include_failures {
        let opts = perfstat_ingest::ReadOptions {
            include_failures: true,
            keep_records: false,
            ..opts.clone()
        };
        perfstat_ingest::read_path(path, &opts).ok()
    } else {
        None
    };
    let runs = runs_from_groups(&ds, all.as_ref(), &column, durations)?;
    Ok((runs, ds))
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

/// One run per distinct value of JMeter's `allThreads` in `ds`'s records:
/// exact requests, failures and time span per level. Failed requests'
/// latencies are kept when `include_failures`. `durations` (seconds: none,
/// one for all levels, or one per level in ascending order) override the
/// spans. `None` when `ds` has no `allThreads` records.
///
/// # Errors
/// A request without a level; a duration count that is neither 1 nor the
/// number of levels; a level without a time span and no duration.
pub fn runs_from_records(
    ds: &Dataset,
    column: &str,
    include_failures: bool,
    durations: &[f64],
) -> Option<InputResult<Vec<Run>>> {
    let records = ds.records.as_ref()?;
    let threads = records.all_threads.as_ref()?;
    let mut levels: BTreeMap<u64, LevelAcc> = BTreeMap::new();
    for (i, &n) in threads.iter().enumerate() {
        if n == 0 {
            return Some(Err(InputError::NoLevelValue {
                file: ds.source.clone(),
                request: i as u64 + 1,
                column: column.to_owned(),
            }));
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
        if ok || include_failures {
            acc.latencies.push(lat);
        }
        if ts.is_finite() {
            acc.start_ms = acc.start_ms.min(ts);
            acc.end_ms = acc.end_ms.max(ts + lat.max(0.0));
        }
    }
    Some(finish(ds, column, levels, ds.requests.is_some(), durations))
}

/// One run per group of `ds` (grouped by `column`, each label a positive
/// integer level): latencies and counts per level. `all`, the same input
/// read with the failures included, gives the requests and failures per
/// level; without it the failures are unknown. The levels' time spans are
/// unknown: `durations` (one for all levels, or one per level ascending) are
/// required.
///
/// # Errors
/// A label that is not a positive integer; no durations, or a count that is
/// neither 1 nor the number of levels.
pub fn runs_from_groups(
    ds: &Dataset,
    all: Option<&Dataset>,
    column: &str,
    durations: &[f64],
) -> InputResult<Vec<Run>> {
    let level_of = |label: Option<&str>| -> InputResult<u64> {
        let text = label.unwrap_or("").trim();
        text.parse::<u64>()
            .ok()
            .filter(|&n| n > 0)
            .ok_or_else(|| InputError::NotALevel {
                file: ds.source.clone(),
                column: column.to_owned(),
                value: text.to_owned(),
            })
    };
    let mut levels: BTreeMap<u64, LevelAcc> = BTreeMap::new();
    for g in &ds.groups {
        let acc = levels.entry(level_of(g.label.as_deref())?).or_default();
        acc.latencies.extend_from_slice(&g.values);
        acc.total += g.values.len() as u64;
    }
    if let Some(all) = all {
        for g in &all.groups {
            let acc = levels.entry(level_of(g.label.as_deref())?).or_default();
            let n = g.values.len() as u64;
            acc.failed = n.saturating_sub(acc.total);
            acc.total = n;
        }
    }
    for acc in levels.values_mut() {
        acc.start_ms = f64::NAN;
        acc.end_ms = f64::NAN;
    }
    if durations.is_empty() {
        return Err(InputError::UnknownLevelDurations {
            file: ds.source.clone(),
            column: column.to_owned(),
        });
    }
    finish(ds, column, levels, all.is_some(), durations)
}

fn finish(
    ds: &Dataset,
    column: &str,
    levels: BTreeMap<u64, LevelAcc>,
    knows_failures: bool,
    durations: &[f64],
) -> InputResult<Vec<Run>> {
    if durations.len() > 1 && durations.len() != levels.len() {
        return Err(InputError::DurationCount {
            given: durations.len(),
            levels: levels.len(),
        });
    }
    let mut runs = Vec::with_capacity(levels.len());
    for (i, (level, acc)) in levels.into_iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let level = level as f64;
        let span = (acc.end_ms > acc.start_ms).then(|| (acc.end_ms - acc.start_ms) / 1000.0);
        let duration_s = durations
            .get(i)
            .or(durations.first())
            .copied()
            .or(span)
            .ok_or_else(|| InputError::NoSpan {
                file: ds.source.clone(),
                level,
            })?;
        runs.push(Run {
            level,
            source: format!("{} ({column}={level})", ds.source),
            data: RunData::Requests(Requests {
                latencies: acc.latencies,
                total: acc.total,
                failed: knows_failures.then_some(acc.failed),
                duration_s,
            }),
        });
    }
    Ok(runs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_in_a_file_name() {
        assert_eq!(level_in_name("run-25users.jtl"), Some(25.0));
        assert_eq!(level_in_name("users-05.jtl.gz"), Some(5.0));
        assert_eq!(level_in_name("10x20.csv"), Some(10.0));
        assert_eq!(level_in_name("baseline.jtl"), None);
        assert_eq!(level_in_name(""), None);
    }
}

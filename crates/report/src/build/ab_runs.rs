//! `perfstat ab` over repeated runs: the runs of each arm → [`AbRunsReport`]; and the expansion of
//! an arm's paths (files, directories, glob patterns) into files.

use std::path::{Path, PathBuf};

use perfstat_stats::Confidence;
use perfstat_stats::compare::{Direction, QuantileBootstrap, VerdictConfig};
use perfstat_stats::hierarchical::{RunStat, RunsConfig, compare_runs};

use super::{BuildError, ReadInput};
use crate::ab_runs::AbRunsReport;
use crate::fmt::unit_from_name;
use crate::json::InputDoc;

/// The options of [`ab_runs`].
#[derive(Clone, Debug)]
pub struct AbRunsOptions {
    /// Which way is better; `None`: inferred from the metric's name.
    pub direction: Option<Direction>,
    /// Significance level.
    pub alpha: f64,
    /// The smallest relative change that matters.
    pub min_effect: f64,
    /// Confidence of the intervals.
    pub confidence: Confidence,
    /// Seed and resamples of the hierarchical bootstrap.
    pub bootstrap: QuantileBootstrap,
    /// The statistic per run.
    pub stat: RunStat,
    /// Cost of one run in request units for the plan (`None`: the pilot's mean run size).
    pub run_cost: Option<f64>,
    /// The relative effect of the plan (`None`: the minimum effect, or 5 %).
    pub target_effect: Option<f64>,
    /// An ICC known from elsewhere, for the warning about an arm of one run.
    pub assumed_icc: Option<f64>,
}

/// The settings both `ab` analyses take (direction, significance, minimum effect, confidence,
/// bootstrap) from the two-sample options; the per-run ones at their defaults.
impl From<&super::AbOptions> for AbRunsOptions {
    fn from(o: &super::AbOptions) -> Self {
        Self {
            direction: o.direction,
            alpha: o.alpha,
            min_effect: o.min_effect,
            confidence: o.confidence,
            bootstrap: o.bootstrap,
            stat: RunStat::default(),
            run_cost: None,
            target_effect: None,
            assumed_icc: None,
        }
    }
}

/// Why an arm's paths name no file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExpandError {
    /// A glob pattern is malformed.
    #[error("{pattern}: not a valid pattern: {error}")]
    Pattern {
        /// The pattern.
        pattern: String,
        /// Why.
        error: glob::PatternError,
    },
    /// A pattern or a directory holds no file.
    #[error("{0}: no files")]
    NoFiles(String),
    /// A directory could not be listed.
    #[error("{path}: {error}")]
    Io {
        /// The directory.
        path: String,
        /// Why.
        error: std::io::Error,
    },
}

/// The files an arm's paths name: a file as is, a directory's files (not hidden, not
/// recursive, sorted by name), a pattern with `*`, `?` or `[` its matching files (sorted).
///
/// # Errors
/// [`ExpandError`] for a bad pattern, an unreadable directory, or one that holds no file.
pub fn expand_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>, ExpandError> {
    let mut out = Vec::new();
    for p in paths {
        let text = p.to_string_lossy();
        if p.is_dir() {
            let io = |error| ExpandError::Io {
                path: text.to_string(),
                error,
            };
            let mut files: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(io)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.is_file() && !is_hidden(f))
                .collect();
            files.sort();
            if files.is_empty() {
                return Err(ExpandError::NoFiles(text.to_string()));
            }
            out.extend(files);
        } else if !p.exists() && text.contains(['*', '?', '[']) {
            let matches = glob::glob(&text).map_err(|error| ExpandError::Pattern {
                pattern: text.to_string(),
                error,
            })?;
            let mut files: Vec<PathBuf> = matches
                .filter_map(Result::ok)
                .filter(|f| f.is_file())
                .collect();
            files.sort();
            if files.is_empty() {
                return Err(ExpandError::NoFiles(text.to_string()));
            }
            out.extend(files);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn is_hidden(p: &Path) -> bool {
    p.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.'))
}

/// An arm's runs, named: one per file, or one per group of each file (a `--run` column read as
/// the grouping column).
fn runs_of(
    arm: Vec<ReadInput>,
    confidence: Confidence,
) -> (Vec<InputDoc>, Vec<(String, Vec<f64>)>) {
    let mut docs = Vec::with_capacity(arm.len());
    let mut runs = Vec::new();
    for read in arm {
        docs.push(InputDoc::new(&read.data, read.warmup.as_ref(), confidence));
        let source = read.data.source.clone();
        for g in read.data.groups {
            let name = match g.label {
                Some(l) => format!("{source} · {l}"),
                None => source.clone(),
            };
            runs.push((name, g.values));
        }
    }
    (docs, runs)
}

/// `perfstat ab` over repeated runs: every file (or every group of a file) of `control` and
/// `treatment` is one run.
///
/// # Errors
/// [`BuildError::NoValues`] for a run without values, [`BuildError::Stats`] for an invalid
/// option.
pub fn ab_runs(
    control: Vec<ReadInput>,
    treatment: Vec<ReadInput>,
    options: &AbRunsOptions,
) -> Result<AbRunsReport, BuildError> {
    let confidence = options.confidence;
    let metric = control
        .first()
        .map(|r| r.data.metric.clone())
        .unwrap_or_default();
    let (direction, direction_inferred) = match options.direction {
        Some(d) => (d, false),
        None => (Direction::infer(&metric), true),
    };
    let verdict = VerdictConfig::new(options.alpha, options.min_effect, direction, confidence)?;
    let (control_inputs, c_runs) = runs_of(control, confidence);
    let (treatment_inputs, t_runs) = runs_of(treatment, confidence);
    for (name, values) in c_runs.iter().chain(&t_runs) {
        if values.is_empty() {
            return Err(BuildError::NoValues {
                source_name: name.clone(),
                error: perfstat_stats::Error::Empty,
            });
        }
    }
    let c: Vec<(&str, &[f64])> = c_runs
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_slice()))
        .collect();
    let t: Vec<(&str, &[f64])> = t_runs
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_slice()))
        .collect();
    let config = RunsConfig {
        stat: options.stat,
        verdict,
        seed: options.bootstrap.seed,
        resamples: options.bootstrap.resamples,
        run_cost: options.run_cost,
        target_effect: options.target_effect,
        assumed_icc: options.assumed_icc,
    };
    let comparison = compare_runs(&c, &t, &config)?;
    Ok(AbRunsReport {
        settings: crate::ab::AbSettings {
            unit: unit_from_name(&metric).map(str::to_owned),
            metric,
            direction,
            direction_inferred,
            confidence: confidence.level(),
            alpha: options.alpha,
            min_effect: options.min_effect,
            seed: options.bootstrap.seed,
        },
        control_inputs,
        treatment_inputs,
        comparison,
    })
}

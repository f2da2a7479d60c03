//! Inputs and options → the wire document of each command (`describe` and `ab` here, the others
//! in the submodules): the assembly the CLI and the
//! examples share (`perfstat describe|ab --format json` is `serde_json::to_string_pretty` of
//! [`describe`]'s or [`ab`]'s document's `to_json()`). Reading the files is `perfstat_ingest`'s;
//! notes for the user come back as strings, for the caller to print.

pub mod ab_runs;
pub mod capacity;
pub mod pareto;
pub mod read;
pub mod regress;

use perfstat_ingest::{Dataset, WarmupCut};
use perfstat_stats::compare::{
    self, CompareConfig, Direction, Pair, QuantileBootstrap, TimeOrder, VerdictConfig,
    adjust_groups, compare_in_order,
};
use perfstat_stats::slo::{
    Objective, SloData, SloError, SloResult, evaluate, evaluate_with_coarse_span,
};
use perfstat_stats::{Confidence, Sample, describe as describe_sample};

use crate::ab::{AbGroup, AbReport, AbSettings};
use crate::describe::DescribeReport;
use crate::fmt::unit_from_name;
use crate::json::{InputDoc, TimelineDoc};

/// Why a document could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// A sample (file or group) has no usable values.
    #[error("{source_name}: no usable values")]
    NoValues {
        /// The sample's name (`file`, `file · group`).
        source_name: String,
        /// The statistics' error.
        #[source]
        error: perfstat_stats::Error,
    },
    /// An `--slo` objective cannot be judged on a sample.
    #[error("{source_name}: an objective cannot be judged")]
    Slo {
        /// The sample's name.
        source_name: String,
        /// Why.
        #[source]
        error: SloError,
    },
    /// `ab` with groups: the two files share no group.
    #[error("{control} and {treatment} have no group in common")]
    NoCommonGroup {
        /// The control's source.
        control: String,
        /// The treatment's source.
        treatment: String,
    },
    /// An invalid option or a statistics error.
    #[error(transparent)]
    Stats(#[from] perfstat_stats::Error),
    /// A plot could not be written.
    #[error(transparent)]
    Report(#[from] crate::Error),
}

/// One input as read: the dataset and what the warm-up removal dropped.
pub struct ReadInput {
    /// The dataset (after the warm-up was dropped).
    pub data: Dataset,
    /// What `--warmup` did, if asked.
    pub warmup: Option<WarmupCut>,
}

/// The options of [`describe`].
#[derive(Clone, Debug)]
pub struct DescribeOptions {
    /// Confidence of the intervals.
    pub confidence: Confidence,
    /// Objectives judged on every sample.
    pub slos: Vec<Objective>,
    /// A throughput timeline: `Some(None)` a round width (about 50 buckets), `Some(Some(s))`
    /// buckets of `s` seconds (the datasets must keep their records).
    pub bucket: Option<Option<f64>>,
}

/// A sample from `values`, named `source` in its error.
fn sample(source: &str, values: Vec<f64>) -> Result<Sample, BuildError> {
    Sample::new(values).map_err(|error| BuildError::NoValues {
        source_name: source.to_owned(),
        error,
    })
}

/// Judges `objectives` on one sample (error rate and throughput are the input's).
fn slos(
    objectives: &[Objective],
    source: &str,
    sample: &Sample,
    requests: Option<&perfstat_ingest::Requests>,
    confidence: Confidence,
) -> Result<Vec<SloResult>, BuildError> {
    let data = SloData {
        sample: Some(sample),
        requests: requests.and_then(|r| r.failed_if_known().map(|f| (f, r.total))),
        span: requests.and_then(|r| r.duration_s().map(|d| (r.total, d))),
    };
    objectives
        .iter()
        .map(|o| {
            let step_s = requests
                .and_then(|r| r.start_resolution_ms)
                .map(|ms| ms / 1000.0);
            match step_s {
                Some(step) => evaluate_with_coarse_span(o, &data, step, confidence),
                None => evaluate(o, &data, confidence),
            }
            .map_err(|error| BuildError::Slo {
                source_name: source.to_owned(),
                error,
            })
        })
        .collect()
}

/// `perfstat describe`: one sample per file (or per group), with its SLOs.
///
/// # Errors
/// [`BuildError`] for a sample without values or an objective that cannot be judged.
pub fn describe(
    inputs_read: Vec<ReadInput>,
    options: &DescribeOptions,
) -> Result<DescribeReport, BuildError> {
    let confidence = options.confidence;
    let metric = inputs_read
        .first()
        .map(|d| d.data.metric.clone())
        .unwrap_or_default();
    let unit = inputs_read
        .first()
        .and_then(|d| d.data.unit)
        .or_else(|| unit_from_name(&metric));
    let several_files = inputs_read.len() > 1;
    let mut inputs = Vec::with_capacity(inputs_read.len());
    let mut samples = Vec::new();
    let mut results = Vec::new();
    for read in inputs_read {
        let ds = read.data;
        let mut doc = InputDoc::new(&ds, read.warmup.as_ref(), confidence);
        if let Some(width) = options.bucket {
            doc.throughput_timeline = ds.throughput_timeline(width).map(TimelineDoc::from);
        }
        inputs.push(doc);
        for group in ds.groups {
            let source = match (&group.label, several_files) {
                (None, _) => ds.source.clone(),
                (Some(label), false) => label.clone(),
                (Some(label), true) => format!("{} · {label}", ds.source),
            };
            let s = sample(&source, group.values)?;
            results.push(slos(
                &options.slos,
                &source,
                &s,
                ds.requests.as_ref(),
                confidence,
            )?);
            samples.push((source, describe_sample(&s, confidence)));
        }
    }
    Ok(DescribeReport {
        unit: unit.map(str::to_owned),
        metric,
        confidence: confidence.level(),
        inputs,
        samples,
        slos: results,
    })
}

/// The options of [`ab`].
#[derive(Clone, Debug)]
pub struct AbOptions {
    /// Which way is better; `None`: inferred from the metric's name.
    pub direction: Option<Direction>,
    /// Significance level.
    pub alpha: f64,
    /// The smallest relative change that matters.
    pub min_effect: f64,
    /// Confidence of the intervals.
    pub confidence: Confidence,
    /// The quantile bootstrap (seed, resamples).
    pub bootstrap: QuantileBootstrap,
    /// Compare group by group (`--by`), adjusting p-values with this method.
    pub by: Option<perfstat_stats::adjust::Adjustment>,
    /// Objectives judged on the treatment.
    pub slos: Vec<Objective>,
}

/// `perfstat ab`: the treatment against the control, group by group with `by`. `on_group` sees
/// each compared group's label and samples (to draw plots). Returns the report and notes (groups
/// in one file only).
///
/// # Errors
/// [`BuildError`] for an invalid option, a sample without values, no common group, an objective
/// that cannot be judged, or an error of `on_group`.
pub fn ab(
    control: ReadInput,
    treatment: ReadInput,
    options: &AbOptions,
    mut on_group: impl FnMut(Option<&str>, &Sample, &Sample) -> Result<(), crate::Error>,
) -> Result<(AbReport, Vec<String>), BuildError> {
    let confidence = options.confidence;
    let inputs = [
        InputDoc::new(&control.data, control.warmup.as_ref(), confidence),
        InputDoc::new(&treatment.data, treatment.warmup.as_ref(), confidence),
    ];
    let (control, treatment) = (control.data, treatment.data);
    // Rows not in time order (ab -g sorts by total time): no lag-1 autocorrelation check.
    let time_ordered = control.not_time_ordered.is_none() && treatment.not_time_ordered.is_none();
    let t_requests = treatment.requests.clone();
    let metric = control.metric.clone();
    let (direction, direction_inferred) = match options.direction {
        Some(d) => (d, false),
        None => (Direction::infer(&metric), true),
    };
    let config = CompareConfig {
        verdict: VerdictConfig::new(options.alpha, options.min_effect, direction, confidence)?,
        bootstrap: options.bootstrap,
    };
    let unit = unit_from_name(&metric);
    let mut notes = Vec::new();
    let mut groups = Vec::new();
    for (label, c_values, t_values) in
        pair_groups(control, treatment, options.by.is_some(), &mut notes)?
    {
        let (c_name, t_name) = match &label {
            Some(l) => (
                format!("{} · {l}", inputs[0].path),
                format!("{} · {l}", inputs[1].path),
            ),
            None => (inputs[0].path.clone(), inputs[1].path.clone()),
        };
        // The samples sort their values; the time order is kept for the
        // autocorrelation check (one copy, 8 bytes per value).
        let (c_sample, t_sample) = rayon::join(
            || sample(&c_name, c_values.clone()),
            || sample(&t_name, t_values.clone()),
        );
        let (c_sample, t_sample) = (c_sample?, t_sample?);
        let pair = Pair {
            control: &c_sample,
            treatment: &t_sample,
        };
        let order = TimeOrder {
            control: &c_values,
            treatment: &t_values,
        };
        // The comparison and the two descriptions are independent (pure functions of the
        // samples): computed on all cores at once.
        let (comparison, (control, treatment)) = rayon::join(
            || {
                if time_ordered {
                    compare_in_order(pair, order, &config)
                } else {
                    perfstat_stats::compare::compare(pair, &config)
                }
            },
            || {
                rayon::join(
                    || describe_sample(&c_sample, confidence),
                    || describe_sample(&t_sample, confidence),
                )
            },
        );
        let treatment_slos = slos(
            &options.slos,
            &t_name,
            &t_sample,
            t_requests.as_ref(),
            confidence,
        )?;
        drop((c_values, t_values));
        on_group(label.as_deref(), &c_sample, &t_sample)?;
        groups.push(AbGroup {
            label,
            control,
            treatment,
            verdict: comparison.verdict.verdict,
            comparison,
            adjusted_p_value: None,
            treatment_slos,
        });
    }
    let adjustment = match options.by {
        Some(method) => {
            let adjusted =
                adjust_groups(groups.iter().map(|g| &g.comparison), method, options.alpha)?;
            for (g, a) in groups.iter_mut().zip(adjusted) {
                g.verdict = a.verdict;
                g.adjusted_p_value = Some(a.adjusted_p_value);
            }
            Some(method.as_str())
        }
        None => None,
    };
    let report = AbReport {
        settings: AbSettings {
            unit: unit.map(str::to_owned),
            metric,
            direction,
            direction_inferred,
            confidence: confidence.level(),
            alpha: options.alpha,
            min_effect: options.min_effect,
            seed: options.bootstrap.seed,
        },
        resamples: options.bootstrap.resamples,
        inputs,
        adjustment,
        groups,
    };
    Ok((report, notes))
}

/// [`ab`], drawing each compared group's plots into `plots_dir` (the report folder) when given.
///
/// # Errors
/// As [`ab`], and when a plot cannot be written.
pub fn ab_with_plots(
    control: ReadInput,
    treatment: ReadInput,
    options: &AbOptions,
    plots_dir: Option<&std::path::Path>,
) -> Result<(crate::render::AbRun, Vec<String>), BuildError> {
    let metric = control.data.metric.clone();
    let unit = unit_from_name(&metric);
    let (mut plots, mut prefixes) = (Vec::new(), crate::ab::PlotPrefixes::default());
    let (report, notes) = ab(control, treatment, options, |label, c, t| {
        if let Some(dir) = plots_dir {
            let prefix = prefixes.next(label);
            let refs =
                crate::ab::write_plots(dir, &prefix, &metric, unit, options.confidence, c, t)?;
            plots.push((label.map(str::to_owned), refs));
        }
        Ok(())
    })?;
    Ok((crate::render::AbRun { report, plots }, notes))
}

/// A group label with the control and treatment values, in file order.
type MatchedGroup = (Option<String>, Vec<f64>, Vec<f64>);

/// Matches the groups of the two files by label (control's order first), noting those not compared.
fn pair_groups(
    control: Dataset,
    treatment: Dataset,
    by: bool,
    notes: &mut Vec<String>,
) -> Result<Vec<MatchedGroup>, BuildError> {
    let first = |ds: Dataset| ds.groups.into_iter().next().map(|g| g.values);
    if !by {
        return Ok(vec![(
            None,
            first(control).unwrap_or_default(),
            first(treatment).unwrap_or_default(),
        )]);
    }
    let paired = compare::pair_groups(
        control.groups.into_iter().map(|g| (g.label, g.values)),
        treatment.groups.into_iter().map(|g| (g.label, g.values)),
    );
    for (names, file) in [
        (&paired.only_control, &control.source),
        (&paired.only_treatment, &treatment.source),
    ] {
        if !names.is_empty() {
            notes.push(format!(
                "note: groups only in {file} are not compared: {}",
                names
                    .iter()
                    .map(|n| format!("{:?}", n.as_deref().unwrap_or_default()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    if paired.matched.is_empty() {
        return Err(BuildError::NoCommonGroup {
            control: control.source,
            treatment: treatment.source,
        });
    }
    Ok(paired.matched)
}

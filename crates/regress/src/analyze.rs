//! The whole analysis: every metric's window verdict and change points, with
//! Benjamini–Hochberg control of the false discovery rate across metrics.

use perfstat_stats::adjust::{Adjustment, adjust_defined};
use perfstat_stats::dist::t_sf;
use perfstat_stats::moments::Moments;
use perfstat_stats::{Stat, Undefined};
use rayon::prelude::*;

use crate::changepoint::{Detection, Detector, Resume, detect, detect_resumable};
use crate::config::{Direction, MetricSettings, Overrides};
use crate::drift::{MAX_RUNS, MIN_RUNS, Trend, trend};
use crate::error::{ConfigError, Result};
use crate::history::History;
use crate::joint::{JointChange, group, realign};
use crate::window::{Baseline, WindowTest, prediction_test};

/// Settings of an analysis.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Baseline runs before the current one (default 7).
    pub window: usize,
    /// False discovery rate for regressions and improvements (default 0.05).
    pub alpha: f64,
    /// Threshold and direction overrides.
    pub overrides: Overrides,
    /// The change-point detector.
    pub detector: Detector,
    /// Change points of different metrics within this many runs of each other are one joint
    /// change ([`crate::joint`]; default 3, 0: each metric alone).
    pub joint_tolerance: usize,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            window: 7,
            alpha: 0.05,
            overrides: Overrides::default(),
            detector: Detector::default(),
            joint_tolerance: 3,
        }
    }
}

/// The verdict on the current run of one metric.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    /// Worse than the baseline by at least the threshold, and significant after BH.
    Regression,
    /// Better by at least the threshold, and significant after BH.
    Improvement,
    /// Neither.
    Ok,
    /// Too little history (or no current value) to judge.
    InsufficientData,
}

impl Status {
    /// `"regression"`, `"improvement"`, `"ok"` or `"insufficient_data"`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Regression => "regression",
            Self::Improvement => "improvement",
            Self::Ok => "ok",
            Self::InsufficientData => "insufficient_data",
        }
    }
}

/// A confirmed change point.
#[derive(Clone, Debug, PartialEq)]
pub struct ChangePoint {
    /// History position of the first run after the change.
    pub index: usize,
    /// That run's id (time or run id).
    pub time: String,
    /// Mean of the segment before (outliers excluded).
    pub mean_before: f64,
    /// Mean of the segment after (outliers excluded).
    pub mean_after: f64,
    /// mean_after / mean_before − 1.
    pub relative_change: Stat<f64>,
    /// Welch's two-sided p-value between the two segments. The split was
    /// chosen from the data, so it is smaller than a pre-planned test's
    /// (post-selection); it ranks change points, it is not a calibrated test.
    pub p_value: Stat<f64>,
}

/// A possible shift in the newest runs, not yet confirmed.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    /// History position of the first deviating run.
    pub index: usize,
    /// That run's id.
    pub time: String,
    /// How many runs deviate (1 or 2).
    pub runs: usize,
    /// Mean of the deviating runs / mean of the runs before them in the
    /// segment (up to 7, outliers excluded) − 1.
    pub relative_change: Stat<f64>,
}

/// What a significant drift means for the metric.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DriftStatus {
    /// A significant trend (BH q ≤ alpha) in the worse direction whose fitted change over the
    /// stretch reaches the metric's threshold.
    Worse,
    /// The same in the better direction.
    Better,
    /// Neither.
    None,
}

impl DriftStatus {
    /// `"worse"`, `"better"` or `"none"`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Worse => "worse",
            Self::Better => "better",
            Self::None => "none",
        }
    }
}

/// The trend of the runs since the last change point ([`crate::drift`]).
#[derive(Clone, Debug, PartialEq)]
pub struct DriftFinding {
    /// History position of the stretch's first run.
    pub from_index: usize,
    /// That run's id.
    pub from_time: String,
    /// Theil–Sen slope and the Hamed–Rao Mann–Kendall test on the stretch.
    pub trend: Trend,
    /// slope / median of the stretch (per run).
    pub relative_per_run: Stat<f64>,
    /// slope · (runs − 1) / median: the fitted change over the stretch.
    pub relative_total: Stat<f64>,
    /// The test's p-value after Benjamini–Hochberg over the metrics with a drift test.
    pub q_value: Stat<f64>,
    /// Worse, better or none.
    pub status: DriftStatus,
}

/// The result for one metric.
#[derive(Clone, Debug, PartialEq)]
pub struct MetricResult {
    /// The metric name.
    pub name: String,
    /// Direction, kind and threshold.
    pub settings: MetricSettings,
    /// The current run's value (`None`: a gap in the current run).
    pub current: Option<f64>,
    /// The baseline window.
    pub baseline: Baseline,
    /// current − baseline mean.
    pub change_absolute: Stat<f64>,
    /// (current − mean) / mean.
    pub change_relative: Stat<f64>,
    /// The prediction-interval t test.
    pub test: Stat<WindowTest>,
    /// BH-adjusted p(worse) over the metrics with a defined test.
    pub q_worse: Stat<f64>,
    /// BH-adjusted p(better) over the metrics with a defined test.
    pub q_better: Stat<f64>,
    /// The verdict.
    pub status: Status,
    /// Why the status is `insufficient_data`.
    pub reason: Option<String>,
    /// Confirmed change points, oldest first.
    pub change_points: Vec<ChangePoint>,
    /// The unconfirmed shift at the end, if any.
    pub candidate: Option<Candidate>,
    /// History positions of single-run spikes.
    pub outliers: Vec<usize>,
    /// The drift of the runs since the last change point (`None`: fewer than
    /// [`crate::drift::MIN_RUNS`] of them).
    pub drift: Option<DriftFinding>,
    /// Runs without a value for this metric.
    pub gaps: usize,
    /// The detector's details (σ̂, scale, autocorrelation).
    pub detection: Detection,
    /// Things to know, with their numbers.
    pub warnings: Vec<String>,
}

impl MetricResult {
    /// p(worse), when the test is defined.
    pub fn p_value(&self) -> Stat<f64> {
        self.test.map(|t| t.p_worse)
    }
}

/// The result for the whole history.
#[derive(Clone, Debug, PartialEq)]
pub struct Analysis {
    /// Baseline window length.
    pub window: usize,
    /// False discovery rate.
    pub alpha: f64,
    /// History position of the current run (the last).
    pub current_index: usize,
    /// The current run's id.
    pub current_id: String,
    /// Total runs, current included.
    pub runs: usize,
    /// One result per metric, in history order.
    pub metrics: Vec<MetricResult>,
    /// The change-point detector's settings used.
    pub detector: Detector,
    /// The joint changes (two or more metrics), oldest first.
    pub joint: Vec<JointChange>,
    /// The grouping tolerance used (runs).
    pub joint_tolerance: usize,
}

impl Analysis {
    /// How many metrics have the given status.
    #[must_use]
    pub fn count(&self, status: Status) -> usize {
        self.metrics.iter().filter(|m| m.status == status).count()
    }

    /// How many metrics drift with the given status.
    #[must_use]
    pub fn drifts(&self, status: DriftStatus) -> usize {
        self.metrics
            .iter()
            .filter(|m| m.drift.as_ref().is_some_and(|d| d.status == status))
            .count()
    }
}

/// Analyses every metric of `history`; the last run is the current one.
///
/// ```
/// use perfstat_regress::analyze::{analyze, Config, Status};
/// use perfstat_regress::history::read_history;
/// let mut csv = String::from("night,p95_latency_ms\n");
/// for (i, v) in [100.0, 102.0, 98.0, 101.0, 99.0, 100.0, 101.0, 130.0].iter().enumerate() {
///     csv.push_str(&format!("{i},{v}\n"));
/// }
/// let h = read_history(csv.as_bytes(), "h.csv")?;
/// let a = analyze(&h, &Config::default())?;
/// assert_eq!(a.metrics[0].status, Status::Regression);
/// # Ok::<(), perfstat_regress::Error>(())
/// ```
///
/// # Errors
/// [`crate::Error::Config`] for a window of 0, an alpha outside (0, 1), an
/// override naming no metric, or a history without runs.
pub fn analyze(history: &History, config: &Config) -> Result<Analysis> {
    analyze_impl(history, config, None)
}

/// Saved PELT states by metric name, for [`analyze_resumable`]: re-analysing
/// a history after runs were appended continues each metric's PELT instead
/// of starting over. Stored with [`Cache::write_to`] / [`Cache::read_from`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cache {
    entries: Vec<(String, Resume)>,
}

/// The first bytes of a cache file (format version 1).
const CACHE_MAGIC: &[u8; 32] = b"perfstat-regress pelt cache v1\n\0";

impl Cache {
    /// The default cache file of `history`: `HISTORY.pelt-cache` next to it; `None` for stdin (`-`).
    #[must_use]
    pub fn default_path(history: &std::path::Path) -> Option<std::path::PathBuf> {
        if history == std::path::Path::new("-") {
            return None;
        }
        let mut name = history.as_os_str().to_owned();
        name.push(".pelt-cache");
        Some(name.into())
    }

    /// Metrics with a saved state.
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.iter().filter(|(_, r)| !r.is_empty()).count()
    }

    /// Whether no metric has a saved state.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Metrics whose PELT continued a saved state in the last [`analyze_resumable`].
    #[must_use]
    pub fn reused(&self) -> usize {
        self.entries.iter().filter(|(_, r)| r.reused()).count()
    }

    /// Writes the cache (a version header, then per metric its name and state).
    ///
    /// # Errors
    /// Any I/O error of `w`.
    pub fn write_to(&self, w: &mut impl std::io::Write) -> std::io::Result<()> {
        w.write_all(CACHE_MAGIC)?;
        w.write_all(&(self.entries.len() as u64).to_le_bytes())?;
        for (name, resume) in &self.entries {
            w.write_all(&(name.len() as u64).to_le_bytes())?;
            w.write_all(name.as_bytes())?;
            resume.write_to(w)?;
        }
        Ok(())
    }

    /// Loads the cache saved at `path`; a missing file is an empty cache.
    ///
    /// # Errors
    /// The file cannot be read or is not a cache of this version ([`Cache::read_from`]); callers
    /// usually recompute (an empty cache) and say so.
    pub fn load(path: &std::path::Path) -> std::io::Result<Self> {
        match std::fs::File::open(path) {
            Ok(f) => Self::read_from(&mut std::io::BufReader::new(f)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(e),
        }
    }

    /// Saves the cache at `path` atomically ([`crate::atomic::write_atomic`]).
    ///
    /// # Errors
    /// Any I/O error; the old file is then untouched.
    pub fn save(&self, path: &std::path::Path) -> std::io::Result<()> {
        let mut bytes = Vec::new();
        self.write_to(&mut bytes)?;
        crate::atomic::write_atomic(path, &bytes)
    }

    /// Reads a cache written by [`Cache::write_to`].
    ///
    /// # Errors
    /// An I/O error, or [`std::io::ErrorKind::InvalidData`] for another
    /// format or version or a malformed file.
    pub fn read_from(r: &mut impl std::io::Read) -> std::io::Result<Self> {
        let bad =
            |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_owned());
        let mut magic = [0u8; 32];
        r.read_exact(&mut magic)?;
        if &magic != CACHE_MAGIC {
            return Err(bad("not a perfstat regress cache (or another version)"));
        }
        let mut word = [0u8; 8];
        r.read_exact(&mut word)?;
        let count = u64::from_le_bytes(word);
        let mut entries = Vec::new();
        for _ in 0..count {
            r.read_exact(&mut word)?;
            let len = usize::try_from(u64::from_le_bytes(word))
                .ok()
                .filter(|&l| l <= 1 << 20)
                .ok_or_else(|| bad("metric name too long"))?;
            let mut name = vec![0u8; len];
            r.read_exact(&mut name)?;
            let name = String::from_utf8(name).map_err(|_| bad("metric name not UTF-8"))?;
            entries.push((name, Resume::read_from(r)?));
        }
        Ok(Self { entries })
    }
}

/// [`analyze`], continuing each metric's change-point detection from the
/// state saved in `cache` when it still applies
/// ([`crate::changepoint::detect_resumable`]), and saving the new states
/// there. The result is always exactly [`analyze`]'s.
///
/// # Errors
/// As [`analyze`].
pub fn analyze_resumable(
    history: &History,
    config: &Config,
    cache: &mut Cache,
) -> Result<Analysis> {
    analyze_impl(history, config, Some(cache))
}

fn analyze_impl(history: &History, config: &Config, cache: Option<&mut Cache>) -> Result<Analysis> {
    if config.window == 0 {
        return Err(ConfigError::Window.into());
    }
    if !(config.alpha > 0.0 && config.alpha < 1.0) {
        return Err(ConfigError::Alpha(config.alpha).into());
    }
    let names: Vec<&str> = history.metrics.iter().map(|m| m.name.as_str()).collect();
    config.overrides.check(&names)?;
    let Some(current_index) = history.runs.len().checked_sub(1) else {
        return Err(ConfigError::NoRuns.into());
    };
    let present = |values: &[Option<f64>]| -> Vec<usize> {
        values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|_| i))
            .collect()
    };
    let detect_one = |values: &[Option<f64>], r: Option<&mut Resume>| {
        let xs: Vec<f64> = values.iter().filter_map(|v| *v).collect();
        match r {
            Some(r) => detect_resumable(&xs, &config.detector, r),
            None => detect(&xs, &config.detector),
        }
    };
    let mut detections: Vec<Detection> = match cache {
        None => history
            .metrics
            .par_iter()
            .map(|s| detect_one(&s.values, None))
            .collect(),
        Some(cache) => {
            let mut saved = std::mem::take(&mut cache.entries);
            let mut resumes: Vec<Resume> = history
                .metrics
                .iter()
                .map(|s| {
                    saved
                        .iter()
                        .position(|(name, _)| *name == s.name)
                        .map(|i| saved.swap_remove(i).1)
                        .unwrap_or_default()
                })
                .collect();
            let results = history
                .metrics
                .par_iter()
                .zip(resumes.par_iter_mut())
                .map(|(s, r)| detect_one(&s.values, Some(r)))
                .collect();
            cache.entries = history
                .metrics
                .iter()
                .map(|s| s.name.clone())
                .zip(resumes)
                .collect();
            results
        }
    };

    // Joint changes: group the metrics' change points (history positions), move each member to
    // its group's position where the segments allow.
    let positions: Vec<Vec<usize>> = history.metrics.iter().map(|s| present(&s.values)).collect();
    let per_metric: Vec<Vec<usize>> = detections
        .iter()
        .zip(&positions)
        .map(|(d, p)| {
            d.change_points
                .iter()
                .map(|&c| p.get(c).copied().unwrap_or(0))
                .collect()
        })
        .collect();
    let groups = group(&per_metric, config.joint_tolerance);
    if config.joint_tolerance > 0 {
        let mut target: Vec<Vec<usize>> = per_metric.clone();
        for g in &groups {
            for &j in &g.metrics {
                let Some(list) = target.get_mut(j) else {
                    continue;
                };
                let mine = per_metric.get(j).map_or(&[][..], Vec::as_slice);
                // The member of metric j is its change point closest to the group position.
                if let Some(k) = mine
                    .iter()
                    .enumerate()
                    .min_by_key(|(_, c)| c.abs_diff(g.index))
                    .map(|(k, _)| k)
                    && let Some(slot) = list.get_mut(k)
                {
                    *slot = g.index;
                }
            }
        }
        for ((d, p), t) in detections.iter_mut().zip(&positions).zip(&target) {
            // History positions back to value positions (a gap at the target: the next value).
            let t: Vec<usize> = t.iter().map(|&i| p.partition_point(|&x| x < i)).collect();
            let end = d.candidate.unwrap_or(p.len());
            d.change_points = realign(
                &d.change_points,
                &t,
                config.detector.min_segment.max(1),
                end,
            );
        }
    }
    let joint: Vec<JointChange> = groups.into_iter().filter(|g| g.metrics.len() > 1).collect();

    let mut metrics: Vec<MetricResult> = history
        .metrics
        .par_iter()
        .zip(detections.into_par_iter())
        .map(|(s, d)| analyze_metric(history, &s.name, &s.values, current_index, config, d))
        .collect();

    let p_worse: Vec<Stat<f64>> = metrics.iter().map(|m| m.test.map(|t| t.p_worse)).collect();
    let p_better: Vec<Stat<f64>> = metrics.iter().map(|m| m.test.map(|t| t.p_better)).collect();
    let q_worse =
        adjust_defined(&p_worse, Adjustment::BenjaminiHochberg).map_err(ConfigError::Adjustment)?;
    let q_better = adjust_defined(&p_better, Adjustment::BenjaminiHochberg)
        .map_err(ConfigError::Adjustment)?;
    for ((m, qw), qb) in metrics.iter_mut().zip(q_worse).zip(q_better) {
        m.q_worse = qw;
        m.q_better = qb;
        if m.status != Status::InsufficientData {
            m.status = verdict(m, config.alpha);
        }
    }
    let p_drift: Vec<Stat<f64>> = metrics
        .iter()
        .map(|m| {
            m.drift
                .as_ref()
                .map_or(Err(Undefined::OutOfRange), |d| Ok(d.trend.p_value))
        })
        .collect();
    let q_drift =
        adjust_defined(&p_drift, Adjustment::BenjaminiHochberg).map_err(ConfigError::Adjustment)?;
    for (m, q) in metrics.iter_mut().zip(q_drift) {
        let (direction, threshold) = (m.settings.direction, m.settings.threshold);
        if let Some(d) = m.drift.as_mut() {
            d.q_value = q;
            d.status = drift_status(d, direction, threshold, config.alpha);
        }
    }
    Ok(Analysis {
        window: config.window,
        alpha: config.alpha,
        current_index,
        current_id: history
            .runs
            .get(current_index)
            .map(|r| r.id.clone())
            .unwrap_or_default(),
        runs: history.runs.len(),
        metrics,
        detector: config.detector,
        joint,
        joint_tolerance: config.joint_tolerance,
    })
}

/// Worse / better / none from the drift's q-value and its fitted change against the threshold.
fn drift_status(d: &DriftFinding, direction: Direction, threshold: f64, alpha: f64) -> DriftStatus {
    let (Ok(total), Ok(q)) = (d.relative_total, d.q_value) else {
        return DriftStatus::None;
    };
    if q > alpha || total.abs() < threshold * (1.0 - 1e-9) {
        return DriftStatus::None;
    }
    let worse = match direction {
        Direction::LowerIsBetter => total > 0.0,
        Direction::HigherIsBetter => total < 0.0,
    };
    if worse {
        DriftStatus::Worse
    } else {
        DriftStatus::Better
    }
}

/// Regression / improvement / ok from the threshold and the BH q-values.
fn verdict(m: &MetricResult, alpha: f64) -> Status {
    let Ok(rel) = m.change_relative else {
        return Status::Ok;
    };
    let worse_by = match m.settings.direction {
        Direction::LowerIsBetter => rel,
        Direction::HigherIsBetter => -rel,
    };
    // A relative tolerance so that exactly +15 % counts as crossing 15 %.
    let crosses = |by: f64| by >= m.settings.threshold * (1.0 - 1e-9);
    if crosses(worse_by) && m.q_worse.is_ok_and(|q| q <= alpha) {
        Status::Regression
    } else if crosses(-worse_by) && m.q_better.is_ok_and(|q| q <= alpha) {
        Status::Improvement
    } else {
        Status::Ok
    }
}

fn analyze_metric(
    history: &History,
    name: &str,
    values: &[Option<f64>],
    current_index: usize,
    config: &Config,
    detection: Detection,
) -> MetricResult {
    let settings = config.overrides.settings(name);
    let current = values.get(current_index).copied().flatten();
    let baseline = Baseline::before(values, current_index, config.window);
    let id = |i: usize| {
        history
            .runs
            .get(i)
            .map(|r| r.id.clone())
            .unwrap_or_default()
    };

    // Change points on the runs that have a value.
    let present: Vec<usize> = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|_| i))
        .collect();
    let xs: Vec<f64> = values.iter().filter_map(|v| *v).collect();
    let to_index = |p: usize| present.get(p).copied().unwrap_or(0);
    let outliers: Vec<usize> = detection.outliers.iter().map(|&p| to_index(p)).collect();
    let mut bounds = vec![0];
    bounds.extend_from_slice(&detection.change_points);
    bounds.push(xs.len());
    let clean = |lo: usize, hi: usize| -> Vec<f64> {
        (lo..hi)
            .filter(|p| detection.outliers.binary_search(p).is_err())
            .filter_map(|p| xs.get(p).copied())
            .collect()
    };
    let change_points: Vec<ChangePoint> = bounds
        .windows(3)
        .map(|w| {
            let before = clean(w[0], w[1]);
            let after = clean(w[1], w[2]);
            let (mb, ma) = (mean(&before), mean(&after));
            ChangePoint {
                index: to_index(w[1]),
                time: id(to_index(w[1])),
                mean_before: mb,
                mean_after: ma,
                relative_change: relative(ma, mb),
                p_value: welch_p(&before, &after),
            }
        })
        .collect();
    let candidate = detection.candidate.map(|c| {
        let seg_start = detection.change_points.last().copied().unwrap_or(0);
        let reference = clean(seg_start.max(c.saturating_sub(7)), c);
        let deviating = clean(c, xs.len());
        Candidate {
            index: to_index(c),
            time: id(to_index(c)),
            runs: xs.len() - c,
            relative_change: relative(mean(&deviating), mean(&reference)),
        }
    });

    // Drift: the runs since the last change point (outliers excluded), the newest MAX_RUNS.
    let drift = {
        let start = detection.change_points.last().copied().unwrap_or(0);
        let positions: Vec<usize> = (start..xs.len())
            .filter(|p| detection.outliers.binary_search(p).is_err())
            .collect();
        let positions = positions
            .get(positions.len().saturating_sub(MAX_RUNS)..)
            .unwrap_or(&[]);
        let ys: Vec<f64> = positions
            .iter()
            .filter_map(|&p| xs.get(p).copied())
            .collect();
        (ys.len() >= MIN_RUNS)
            .then(|| trend(&ys))
            .flatten()
            .map(|t| {
                let mut sorted = ys.clone();
                sorted.sort_by(f64::total_cmp);
                let n = sorted.len();
                let median = 0.5
                    * (sorted.get((n - 1) / 2).copied().unwrap_or(f64::NAN)
                        + sorted.get(n / 2).copied().unwrap_or(f64::NAN));
                #[allow(clippy::cast_precision_loss)]
                let span = (t.runs - 1) as f64;
                let first = to_index(positions.first().copied().unwrap_or(0));
                DriftFinding {
                    from_index: first,
                    from_time: id(first),
                    trend: t,
                    relative_per_run: relative(median + t.slope, median),
                    relative_total: relative(median + t.slope * span, median),
                    q_value: Err(Undefined::OutOfRange),
                    status: DriftStatus::None,
                }
            })
    };

    let mut warnings = Vec::new();
    let gaps = values.iter().filter(|v| v.is_none()).count();
    if gaps > 0 {
        warnings.push(format!(
            "{gaps} of {} runs have no value for this metric (gaps, skipped; not zeros)",
            values.len()
        ));
    }
    if let Some(rho) = detection.autocorrelation
        && detection.penalty_inflated
    {
        warnings.push(format!(
            "residuals are autocorrelated (lag-1 r = {rho:.2} > {}): consecutive runs are not independent, which inflates false alarms; the change-point penalty was raised by (1 + r)/(1 − r)",
            config.detector.autocorrelation_limit
        ));
    }
    if let Some(first) = baseline.indexes.first() {
        let inside: Vec<&ChangePoint> = change_points
            .iter()
            .filter(|cp| cp.index > *first && cp.index <= current_index)
            .collect();
        for cp in inside {
            warnings.push(format!(
                "the baseline window straddles a change point at run {} ({}): it mixes two levels",
                cp.index, cp.time
            ));
        }
        let out_in: Vec<String> = outliers
            .iter()
            .filter(|o| baseline.indexes.contains(o))
            .map(ToString::to_string)
            .collect();
        if !out_in.is_empty() {
            warnings.push(format!(
                "the baseline window holds outlier run(s) {} (kept, as numpy would)",
                out_in.join(", ")
            ));
        }
    }
    if let Some(c) = &candidate
        && c.runs == 1
        && c.index == current_index
    {
        warnings.push(
            "the current run deviates alone: a spike or the start of a shift; the next runs will tell"
                .to_owned(),
        );
    }

    let mean_b = baseline.mean;
    let change_absolute = match (current, mean_b) {
        (Some(x), Ok(m)) => Ok(x - m),
        (None, _) => Err(Undefined::TooFew { need: 1, got: 0 }),
        (_, Err(e)) => Err(e),
    };
    let change_relative = match (current, mean_b) {
        (Some(x), Ok(m)) => relative(x, m),
        (None, _) => Err(Undefined::TooFew { need: 1, got: 0 }),
        (_, Err(e)) => Err(e),
    };
    let test = match current {
        Some(x) if baseline.n() >= config.window => {
            prediction_test(x, &baseline, settings.direction)
        }
        Some(_) => Err(Undefined::TooFew {
            need: config.window,
            got: baseline.n(),
        }),
        None => Err(Undefined::TooFew { need: 1, got: 0 }),
    };
    if let Ok(t) = test
        && t.sd_floored
    {
        warnings.push(
            "the baseline values are all equal: its standard deviation was floored at 1e-12 × |mean|"
                .to_owned(),
        );
    }
    let reason = if current.is_none() {
        Some("the current run has no value for this metric".to_owned())
    } else if baseline.n() < config.window {
        Some(format!(
            "needs {} earlier runs with a value, found {}",
            config.window,
            baseline.n()
        ))
    } else if change_relative.is_err() {
        Some("the baseline mean is 0: a relative change is undefined".to_owned())
    } else if let Err(e) = test {
        Some(format!("test undefined: {e}"))
    } else {
        None
    };
    let status = if reason.is_some() {
        Status::InsufficientData
    } else {
        Status::Ok
    };
    MetricResult {
        name: name.to_owned(),
        settings,
        current,
        baseline,
        change_absolute,
        change_relative,
        test,
        q_worse: Err(Undefined::OutOfRange),
        q_better: Err(Undefined::OutOfRange),
        status,
        reason,
        change_points,
        candidate,
        outliers,
        drift,
        gaps,
        detection,
        warnings,
    }
}

fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        f64::NAN
    } else {
        Moments::of(v).mean()
    }
}

/// a / b − 1; undefined when b is 0 or not finite.
fn relative(a: f64, b: f64) -> Stat<f64> {
    if b == 0.0 || !b.is_finite() || !a.is_finite() {
        Err(Undefined::ZeroVariance)
    } else {
        Ok((a - b) / b)
    }
}

/// Welch's two-sided p-value.
fn welch_p(a: &[f64], b: &[f64]) -> Stat<f64> {
    if a.len() < 2 || b.len() < 2 {
        return Err(Undefined::TooFew {
            need: 2,
            got: a.len().min(b.len()),
        });
    }
    let (ma, mb) = (Moments::of(a), Moments::of(b));
    #[allow(clippy::cast_precision_loss)]
    let (na, nb) = (a.len() as f64, b.len() as f64);
    let (va, vb) = (ma.variance()? / na, mb.variance()? / nb);
    let se2 = va + vb;
    if se2.is_nan() || se2 <= 0.0 {
        return Err(Undefined::ZeroVariance);
    }
    let t = (mb.mean() - ma.mean()) / se2.sqrt();
    let df = se2 * se2 / (va * va / (na - 1.0) + vb * vb / (nb - 1.0));
    Ok((2.0 * t_sf(t.abs(), df)).min(1.0))
}

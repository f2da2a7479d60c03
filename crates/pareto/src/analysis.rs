//! The whole analysis of typed configs: feasibility, ranks, fronts, crowding,
//! hypervolume, knee, `dominated_by` and the uncertainty verdicts.

use crate::constraint::Constraint;
use crate::crowding::crowding_distance;
use crate::error::{Error, Result};
use crate::hv::hypervolume;
use crate::knee::knee;
use crate::nearest::FrontTree;
use crate::objective::{Direction, Objective};
use crate::points::{Points, dominates};
use crate::sort::{fronts_from_ranks, rank};
use crate::uncertainty::{Status, classify};
use perfstat_stats::Confidence;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;

/// One metric value: a single number, repeated measurements, or a value with
/// its interval.
#[derive(Debug, Clone, PartialEq)]
pub enum Metric {
    /// One value.
    Value(f64),
    /// Repeated measurements of the same quantity (e.g. one per run); the mean is
    /// the point estimate and a t interval its uncertainty.
    Samples(Vec<f64>),
    /// A point estimate with an interval computed elsewhere (e.g. the
    /// distribution-free interval of a percentile of per-request latencies);
    /// the uncertainty-aware status uses `[lower, upper]` as given.
    Interval {
        /// Point estimate.
        value: f64,
        /// Lower bound of the interval (own units).
        lower: f64,
        /// Upper bound of the interval (own units).
        upper: f64,
        /// Number of observations behind the estimate (informative; an
        /// interval with `n > 1` makes `status` informative).
        n: usize,
    },
}

impl Metric {
    /// Point estimate: the value, or the mean of the measurements (NaN if empty).
    pub fn point(&self) -> f64 {
        match self {
            Metric::Value(x) | Metric::Interval { value: x, .. } => *x,
            Metric::Samples(xs) => xs.iter().sum::<f64>() / xs.len() as f64,
        }
    }
}

impl From<f64> for Metric {
    fn from(x: f64) -> Self {
        Metric::Value(x)
    }
}

impl From<Vec<f64>> for Metric {
    fn from(xs: Vec<f64>) -> Self {
        Metric::Samples(xs)
    }
}

/// A config's metrics by name, sorted by name (a map).
///
/// Hand-written rather than a `BTreeMap<String, Metric>`: a config has a handful of
/// metrics, and a B-tree leaf (room for 11 entries) plus an owned name per metric was
/// most of the heap of a million-config table. Here the entries are one sorted `Vec`
/// and the names are shared `Arc<str>` (a table reader interns each column name once).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Metrics(Vec<(Arc<str>, Metric)>);

impl Metrics {
    /// No metric.
    #[must_use]
    pub fn new() -> Self {
        Metrics(Vec::new())
    }

    /// No metric, with room for `n` (a config's metrics are read a million at a time: a vector
    /// grown from empty would hold four).
    #[must_use]
    pub fn with_capacity(n: usize) -> Self {
        Metrics(Vec::with_capacity(n))
    }

    /// The metric called `name`.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&Metric> {
        if self.0.len() <= 8 {
            // A handful of names: a scan (lengths compare first) beats the binary search.
            return self.0.iter().find(|(k, _)| **k == *name).map(|(_, v)| v);
        }
        self.find(name).ok().map(|k| &self.0[k].1)
    }

    fn find(&self, name: &str) -> std::result::Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| (**k).cmp(name))
    }

    /// Sets the metric `name` (replacing one of that name); returns the one it replaced.
    pub fn insert(&mut self, name: impl Into<Arc<str>>, metric: Metric) -> Option<Metric> {
        let name = name.into();
        match self.find(&name) {
            Ok(k) => Some(std::mem::replace(&mut self.0[k].1, metric)),
            Err(k) => {
                self.0.insert(k, (name, metric));
                None
            }
        }
    }

    /// Removes the metric `name`.
    pub fn remove(&mut self, name: &str) -> Option<Metric> {
        self.find(name).ok().map(|k| self.0.remove(k).1)
    }

    /// The names, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| &**k)
    }

    /// The (name, metric) pairs, sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Metric)> {
        self.0.iter().map(|(k, v)| (&**k, v))
    }

    /// How many metrics.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there is no metric.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// `metrics["cost"]`, as a map's `Index`: the caller knows the name is there ([`Metrics::get`]
/// when it may not be).
///
/// # Panics
/// When no metric has that name.
impl std::ops::Index<&str> for Metrics {
    type Output = Metric;
    fn index(&self, name: &str) -> &Metric {
        // invariant: Index's contract, as BTreeMap's; library code calls `get`.
        self.get(name)
            .unwrap_or_else(|| panic!("no metric called {name:?}")) // invariant: as above
    }
}

impl<K: Into<Arc<str>>> FromIterator<(K, Metric)> for Metrics {
    /// Like a map's: a later entry of the same name replaces an earlier one.
    fn from_iter<I: IntoIterator<Item = (K, Metric)>>(iter: I) -> Self {
        let mut out = Metrics::new();
        for (k, v) in iter {
            out.insert(k, v);
        }
        out
    }
}

/// One measured configuration.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Config {
    /// Unique id.
    pub id: String,
    /// Parameters in input order (carried through untouched, JSON values).
    pub params: Vec<(String, serde_json::Value)>,
    /// Metrics by name.
    pub metrics: Metrics,
}

impl Config {
    /// A config with an id and metrics, no params.
    pub fn new<I, K, V>(id: impl Into<String>, metrics: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<Metric>,
    {
        Config {
            id: id.into(),
            params: Vec::new(),
            metrics: metrics
                .into_iter()
                .map(|(k, v)| (Arc::<str>::from(k.into()), v.into()))
                .collect(),
        }
    }
}

/// Options of [`analyze`].
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Feasibility constraints; infeasible configs get no rank.
    pub constraints: Vec<Constraint>,
    /// Hypervolume reference point, one value per objective in objective order,
    /// in the objectives' own units and directions (see [`reference_from_pairs`]).
    pub reference: Option<Vec<f64>>,
    /// Confidence level of the intervals of repeated measurements (default 0.95).
    pub confidence: Confidence,
    /// At most this many ids in each `dominated_by` list, the closest first
    /// (default [`DOMINATED_BY_LIMIT`]); `None` lists every dominating first-front
    /// config. `dominated_by_count` is always the full count.
    pub dominated_by_limit: Option<usize>,
}

/// A limit on the `dominated_by` lists as given on a command line: a count, or `all` (`None`, no
/// limit), for [`Options::dominated_by_limit`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DominatedByLimit(pub Option<usize>);

impl std::str::FromStr for DominatedByLimit {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "all" => Ok(Self(None)),
            n => n
                .parse()
                .map(|n| Self(Some(n)))
                .map_err(|_| format!("expected a count or `all`, found {n:?}")),
        }
    }
}

impl Default for Options {
    fn default() -> Self {
        Options {
            constraints: Vec::new(),
            reference: None,
            confidence: Confidence::DEFAULT,
            dominated_by_limit: Some(DOMINATED_BY_LIMIT),
        }
    }
}

/// The default cap of each `dominated_by` list: the output stays linear in the
/// number of configs (the full lists are O(n · front)).
pub const DOMINATED_BY_LIMIT: usize = 5;

/// The result for one config.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigResult {
    /// The config's id.
    pub id: String,
    /// Meets every constraint.
    pub feasible: bool,
    /// The constraints it breaks (empty when feasible).
    pub violated: Vec<Constraint>,
    /// 1-based Pareto rank among feasible configs; `None` when infeasible.
    pub rank: Option<u32>,
    /// Crowding distance within its front (`f64::INFINITY` for boundary points,
    /// written `null`); `None` when infeasible.
    pub crowding_distance: Option<f64>,
    /// Indexes (into [`Analysis::configs`]) of first-front configs that dominate
    /// this one, the closest first (Euclidean distance in objectives normalised
    /// by their range over the feasible configs; ties by index), at most
    /// [`Options::dominated_by_limit`]; empty for front and infeasible configs.
    pub dominated_by: Vec<usize>,
    /// How many first-front configs dominate this one (0 for front and
    /// infeasible configs), whatever the limit.
    pub dominated_by_count: usize,
    /// Point estimate of each objective (own units, objective order).
    pub values: Vec<f64>,
    /// Interval `(low, high)` of each objective's point estimate (own units;
    /// degenerate for single values); empty when no config has repeated measurements
    /// ([`Analysis::has_samples`] is false: every interval would be degenerate).
    pub intervals: Vec<(f64, f64)>,
    /// Uncertainty-aware verdict; `None` when infeasible.
    pub status: Option<Status>,
}

/// Result of [`analyze`].
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// The objectives, as given.
    pub objectives: Vec<Objective>,
    /// One result per config, in input order.
    pub configs: Vec<ConfigResult>,
    /// `fronts[r]` lists the indexes of the configs of rank `r + 1`, ascending.
    pub fronts: Vec<Vec<usize>>,
    /// Hypervolume of the first front, when a reference point was given.
    pub hypervolume: Option<f64>,
    /// The reference point used (own units), when given.
    pub reference: Option<Vec<f64>>,
    /// Index of the knee config (see [`knee`](crate::knee())), `None` when no config is feasible.
    pub knee: Option<usize>,
    /// Whether any objective came as repeated measurements or as a
    /// [`Metric::Interval`] with `n > 1` (then `status` is informative).
    pub has_samples: bool,
}

/// Builds a reference point in objective order from `NAME=VALUE` pairs covering
/// every objective.
///
/// # Errors
/// [`Error::UnknownReferenceObjective`], [`Error::ReferenceLength`] when an
/// objective is missing or repeated, [`Error::NonFiniteReference`].
pub fn reference_from_pairs(objectives: &[Objective], pairs: &[(String, f64)]) -> Result<Vec<f64>> {
    let mut out: Vec<Option<f64>> = vec![None; objectives.len()];
    for (name, v) in pairs {
        let j = objectives
            .iter()
            .position(|o| &o.name == name)
            .ok_or_else(|| Error::UnknownReferenceObjective(name.clone()))?;
        if !v.is_finite() {
            return Err(Error::NonFiniteReference {
                objective: name.clone(),
                value: *v,
            });
        }
        if out[j].replace(*v).is_some() {
            return Err(Error::ReferenceLength {
                expected: objectives.len(),
                got: pairs.len(),
            });
        }
    }
    out.into_iter()
        .collect::<Option<Vec<f64>>>()
        .ok_or(Error::ReferenceLength {
            expected: objectives.len(),
            got: pairs.len(),
        })
}

/// Error of [`parse_reference`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseReferenceError {
    /// A part without `=`.
    #[error("expected NAME=VALUE,NAME=VALUE,..., found {0:?}")]
    Pair(String),
    /// A value that is not a number.
    #[error("{value:?} is not a number (in {part:?})")]
    Number {
        /// The value.
        value: String,
        /// The part it is in.
        part: String,
    },
}

/// Parses a reference point written `NAME=VALUE,NAME=VALUE,...` into pairs (empty
/// parts are skipped); [`reference_from_pairs`] puts them in objective order.
///
/// # Errors
/// A part without `=`, or a value that is not a number.
pub fn parse_reference(text: &str) -> std::result::Result<Vec<(String, f64)>, ParseReferenceError> {
    text.split(',')
        .filter(|p| !p.trim().is_empty())
        .map(|part| {
            let (name, value) = part
                .split_once('=')
                .ok_or_else(|| ParseReferenceError::Pair(part.to_owned()))?;
            let v: f64 = value
                .trim()
                .parse()
                .map_err(|_| ParseReferenceError::Number {
                    value: value.trim().to_owned(),
                    part: part.to_owned(),
                })?;
            Ok((name.trim().to_owned(), v))
        })
        .collect()
}

fn lookup<'a>(
    c: &'a Config,
    metric: &str,
    all: &BTreeSet<&str>,
    constraint: bool,
) -> Result<&'a Metric> {
    match c.metrics.get(metric) {
        Some(v) => Ok(v),
        None if all.contains(metric) => Err(Error::MissingMetric {
            config: c.id.clone(),
            metric: metric.to_owned(),
        }),
        None => {
            let found = all.iter().map(|s| s.to_string()).collect();
            Err(if constraint {
                Error::UnknownConstraintMetric {
                    name: metric.to_owned(),
                    found,
                }
            } else {
                Error::UnknownObjective {
                    name: metric.to_owned(),
                    found,
                }
            })
        }
    }
}

fn checked_point(c: &Config, metric: &str, v: &Metric) -> Result<f64> {
    let bad = |value: f64| Error::NonFinite {
        config: c.id.clone(),
        metric: metric.to_owned(),
        value,
    };
    match v {
        Metric::Value(x) if !x.is_finite() => Err(bad(*x)),
        Metric::Samples(xs) if xs.is_empty() => Err(Error::EmptySamples {
            config: c.id.clone(),
            metric: metric.to_owned(),
        }),
        Metric::Samples(xs) => match xs.iter().find(|x| !x.is_finite()) {
            Some(x) => Err(bad(*x)),
            None => Ok(v.point()),
        },
        Metric::Value(x) => Ok(*x),
        Metric::Interval {
            value,
            lower,
            upper,
            ..
        } => match [*value, *lower, *upper]
            .into_iter()
            .find(|x| !x.is_finite())
        {
            Some(x) => Err(bad(x)),
            None => Ok(*value),
        },
    }
}

/// The t interval of the mean of repeated measurements (finite, non-empty) with
/// mean `mean`; the degenerate `[mean, mean]` where it is undefined (one
/// measurement, or all equal: no spread to put a width on).
fn samples_interval(xs: &[f64], mean: f64, confidence: Confidence) -> (f64, f64) {
    perfstat_stats::Sample::new(xs.to_vec())
        .ok()
        .and_then(|s| perfstat_stats::interval::mean_interval(&s, confidence).ok())
        .map_or((mean, mean), |iv| (iv.lower, iv.upper))
}

/// Analyses `configs` over `objectives`.
///
/// Steps: validation (typed errors, nothing is silently dropped) → constraints →
/// ranks of the feasible configs ([`rank`](crate::rank())) → fronts → crowding
/// distance per front → `dominated_by` against the first front → hypervolume of
/// the first front (with a reference point) → knee → uncertainty verdicts.
///
/// `dominated_by` checks, for each dominated config, only the first-front configs
/// whose first objective is no worse (binary search on the front sorted by it):
/// O(n·f·m) worst case for f first-front configs, on all cores (rayon); each
/// list keeps the [`Options::dominated_by_limit`] closest (O(limit) memory per
/// config, so the output stays linear in n).
///
/// # Errors
/// [`Error::Empty`], [`Error::NoObjectives`], [`Error::DuplicateObjective`],
/// [`Error::DuplicateId`], [`Error::UnknownObjective`] (lists the metrics found),
/// [`Error::UnknownConstraintMetric`], [`Error::MissingMetric`] (names the
/// config), [`Error::NonFinite`] (names config and metric),
/// [`Error::EmptySamples`], [`Error::ReferenceLength`],
/// [`Error::NonFiniteReference`].
pub fn analyze(
    objectives: &[Objective],
    configs: &[Config],
    options: &Options,
) -> Result<Analysis> {
    if configs.is_empty() {
        return Err(Error::Empty);
    }
    if objectives.is_empty() {
        return Err(Error::NoObjectives);
    }
    let m = objectives.len();
    let mut seen = HashSet::new();
    for o in objectives {
        if !seen.insert(o.name.as_str()) {
            return Err(Error::DuplicateObjective(o.name.clone()));
        }
    }
    // The ids are checked for duplicates while the metrics are read (the duplicate is the
    // error when there is one, as if checked first).
    // A duplicate id is the error when there is one, as if checked first; it is looked for
    // while the configs are ranked.
    let duplicate_first =
        |e: Error| duplicate_id(configs).map_or(e, |id| Error::DuplicateId(id.to_owned()));
    let (reference, columns) =
        read_points(configs, objectives, options).map_err(duplicate_first)?;
    let PointColumns {
        values,
        intervals,
        violated,
        has_samples,
    } = columns;
    let n = configs.len();
    let dirs: Vec<Direction> = objectives.iter().map(|o| o.direction).collect();

    let feasible_idx: Vec<usize> = (0..n).filter(|&i| violated[i].is_empty()).collect();
    let active: Vec<bool> = violated.iter().map(Vec::is_empty).collect();
    let all_points = Points::new(values.clone(), &dirs).map_err(duplicate_first)?;
    // The ranking (for m = 3 mostly on one core) runs beside the duplicate-id check and the
    // parts of the per-config results that do not depend on it (allocation-bound).
    let (sub_ranks, (mut results, duplicate)) = rayon::join(
        || {
            if feasible_idx.len() == n {
                rank(&all_points)
            } else {
                rank(&all_points.select(&feasible_idx))
            }
        },
        || {
            rayon::join(
                || {
                    configs
                        .par_iter()
                        .zip(violated)
                        .enumerate()
                        .with_min_len(4096)
                        .map(|(i, (c, broken))| ConfigResult {
                            id: c.id.clone(),
                            feasible: broken.is_empty(),
                            violated: broken,
                            rank: None,
                            crowding_distance: None,
                            dominated_by: Vec::new(),
                            dominated_by_count: 0,
                            values: values[i * m..(i + 1) * m].to_vec(),
                            intervals: if has_samples {
                                intervals[i * m..(i + 1) * m].to_vec()
                            } else {
                                Vec::new()
                            },
                            status: None,
                        })
                        .collect::<Vec<ConfigResult>>()
                },
                || duplicate_id(configs),
            )
        },
    );
    if let Some(id) = duplicate {
        return Err(Error::DuplicateId(id.to_owned()));
    }
    let mut ranks: Vec<Option<u32>> = vec![None; n];
    for (s, &i) in feasible_idx.iter().enumerate() {
        ranks[i] = Some(sub_ranks[s]);
    }
    let fronts: Vec<Vec<usize>> = fronts_from_ranks(&sub_ranks)
        .into_iter()
        .map(|f| f.into_iter().map(|s| feasible_idx[s]).collect())
        .collect();

    let mut crowding: Vec<Option<f64>> = vec![None; n];
    let distances: Vec<Vec<f64>> = fronts
        .par_iter()
        .map(|f| crowding_distance(&all_points, f))
        .collect();
    for (f, ds) in fronts.iter().zip(distances) {
        for (&i, d) in f.iter().zip(ds) {
            crowding[i] = Some(d);
        }
    }

    let (dominated_by, dominated_by_count) = dominators(
        &all_points,
        &feasible_idx,
        &ranks,
        fronts.first().map_or(&[][..], Vec::as_slice),
        options.dominated_by_limit,
    );

    let hv = match (&reference, fronts.first()) {
        (Some(r), Some(front)) => {
            let rmin: Vec<f64> = r.iter().zip(&dirs).map(|(x, d)| d.to_min(*x)).collect();
            Some(hypervolume(&all_points, front, &rmin))
        }
        (Some(_), None) => Some(0.0),
        _ => None,
    };
    let knee_idx = fronts.first().and_then(|f| knee(&all_points, f));

    let status = if has_samples {
        // The intervals in minimisation space, lower end first.
        let (mut lo, mut hi) = (Vec::with_capacity(n * m), Vec::with_capacity(n * m));
        for r in &results {
            for (&(l, h), d) in r.intervals.iter().zip(&dirs) {
                let (a, b) = (d.to_min(l), d.to_min(h));
                lo.push(a.min(b));
                hi.push(a.max(b));
            }
        }
        classify(&lo, &hi, m, &active)
    } else {
        ranks
            .iter()
            .map(|r| {
                r.map(|r| {
                    if r == 1 {
                        Status::Frontier
                    } else {
                        Status::Dominated
                    }
                })
            })
            .collect()
    };

    results
        .par_iter_mut()
        .zip(dominated_by)
        .zip(dominated_by_count)
        .enumerate()
        .with_min_len(4096)
        .for_each(|(i, ((r, dominated_by), count))| {
            r.rank = ranks[i];
            r.crowding_distance = crowding[i];
            r.dominated_by = dominated_by;
            r.dominated_by_count = count;
            r.status = status[i];
        });

    Ok(Analysis {
        objectives: objectives.to_vec(),
        configs: results,
        fronts,
        hypervolume: hv,
        reference,
        knee: knee_idx,
        has_samples,
    })
}

/// The metric names' and the reference point's checks, then [`point_columns`]: the reference
/// point and the columns.
fn read_points(
    configs: &[Config],
    objectives: &[Objective],
    options: &Options,
) -> Result<(Option<Vec<f64>>, PointColumns)> {
    let m = objectives.len();
    // Every metric name; consecutive configs mostly share their names, so a config
    // with the same names as the one before adds nothing (O(n·k) comparisons, not
    // O(n·k log k) set insertions).
    let mut all: BTreeSet<&str> = BTreeSet::new();
    let mut previous: Option<&Config> = None;
    for c in configs {
        if !previous.is_some_and(|p| p.metrics.keys().eq(c.metrics.keys())) {
            all.extend(c.metrics.keys());
        }
        previous = Some(c);
    }
    for o in objectives {
        if !all.contains(o.name.as_str()) {
            lookup(&Config::default(), &o.name, &all, false)?;
        }
    }
    for k in &options.constraints {
        if !all.contains(k.metric.as_str()) {
            lookup(&Config::default(), &k.metric, &all, true)?;
        }
    }
    let reference = match &options.reference {
        Some(r) if r.len() != m => {
            return Err(Error::ReferenceLength {
                expected: m,
                got: r.len(),
            });
        }
        Some(r) => {
            if let Some((j, v)) = r.iter().enumerate().find(|(_, v)| !v.is_finite()) {
                return Err(Error::NonFiniteReference {
                    objective: objectives[j].name.clone(),
                    value: *v,
                });
            }
            Some(r.clone())
        }
        None => None,
    };

    let columns = point_columns(
        configs,
        objectives,
        &options.constraints,
        &all,
        options.confidence,
    )?;
    Ok((reference, columns))
}

/// The first id (in order) that an earlier config has.
fn duplicate_id(configs: &[Config]) -> Option<&str> {
    // foldhash: SipHash was a third of this check at a million ids.
    let mut ids =
        HashSet::with_capacity_and_hasher(configs.len(), foldhash::fast::RandomState::default());
    configs
        .iter()
        .map(|c| c.id.as_str())
        .find(|id| !ids.insert(*id))
}

/// The configs' objective values and their intervals (both row-major), and broken constraints.
struct PointColumns {
    values: Vec<f64>,
    intervals: Vec<(f64, f64)>,
    violated: Vec<Vec<Constraint>>,
    has_samples: bool,
}

/// Reads every config's objectives and constraints ([`PointColumns`]), in pieces on all
/// cores, each written in place; the first error in config order wins, as in a sequential
/// read.
fn point_columns(
    configs: &[Config],
    objectives: &[Objective],
    constraints: &[Constraint],
    all: &BTreeSet<&str>,
    confidence: Confidence,
) -> Result<PointColumns> {
    const PIECE: usize = 4096;
    let (n, m) = (configs.len(), objectives.len());
    let mut values = vec![0.0; n * m];
    let mut intervals = vec![(0.0, 0.0); n * m];
    let mut violated: Vec<Vec<Constraint>> = vec![Vec::new(); n];
    let pieces: Vec<Result<bool>> = configs
        .par_chunks(PIECE)
        .zip(values.par_chunks_mut(PIECE * m))
        .zip(intervals.par_chunks_mut(PIECE * m))
        .zip(violated.par_chunks_mut(PIECE))
        .map(|(((piece, values), intervals), violated)| {
            let mut has_samples = false;
            let rows = values
                .chunks_exact_mut(m)
                .zip(intervals.chunks_exact_mut(m));
            for ((c, (values, intervals)), broken) in piece.iter().zip(rows).zip(violated) {
                for ((o, x_out), iv_out) in objectives.iter().zip(values).zip(intervals) {
                    let v = lookup(c, &o.name, all, false)?;
                    let x = checked_point(c, &o.name, v)?;
                    let (l, h) = match v {
                        Metric::Samples(xs) => {
                            has_samples |= xs.len() > 1;
                            samples_interval(xs, x, confidence)
                        }
                        Metric::Value(_) => (x, x),
                        Metric::Interval {
                            lower, upper, n, ..
                        } => {
                            has_samples |= *n > 1;
                            (lower.min(*upper), lower.max(*upper))
                        }
                    };
                    *x_out = x;
                    *iv_out = (l, h);
                }
                for k in constraints {
                    let v = lookup(c, &k.metric, all, true)?;
                    let x = checked_point(c, &k.metric, v)?;
                    if !k.holds(x) {
                        broken.push(k.clone());
                    }
                }
            }
            Ok(has_samples)
        })
        .collect();
    let mut has_samples = false;
    for piece in pieces {
        has_samples |= piece?;
    }
    Ok(PointColumns {
        values,
        intervals,
        violated,
        has_samples,
    })
}

/// Per config: the closest first-front dominators (at most `limit`, closest first,
/// ties by index) and their full count. Distances are Euclidean in minimisation
/// space with each objective divided by its range over the feasible configs (an
/// objective with zero range contributes nothing).
fn dominators(
    points: &Points,
    feasible: &[usize],
    ranks: &[Option<u32>],
    front: &[usize],
    limit: Option<usize>,
) -> (Vec<Vec<usize>>, Vec<usize>) {
    let n = points.len();
    let m = points.n_objectives();
    if front.is_empty() {
        return (vec![Vec::new(); n], vec![0; n]);
    }
    let mut lo = vec![f64::INFINITY; m];
    let mut hi = vec![f64::NEG_INFINITY; m];
    for &i in feasible {
        for (j, &x) in points.row(i).iter().enumerate() {
            lo[j] = lo[j].min(x);
            hi[j] = hi[j].max(x);
        }
    }
    let scale: Vec<f64> = lo
        .iter()
        .zip(&hi)
        .map(|(l, h)| if h > l { 1.0 / (h - l) } else { 0.0 })
        .collect();
    let limit = limit.unwrap_or(usize::MAX);
    if front.len() > TREE_MIN {
        let tree = FrontTree::new(points, front);
        return (0..n)
            .into_par_iter()
            .with_min_len(256)
            .map_init(
                || (Vec::new(), Vec::new()),
                |(best, stack), i| match ranks[i] {
                    Some(r) if r != 1 => {
                        let p = points.row(i);
                        tree.closest_below(p, &scale, limit, best, stack);
                        let closest = best.iter().map(|&(_, a)| a).collect();
                        (closest, tree.count_below(p, stack))
                    }
                    _ => (Vec::new(), 0),
                },
            )
            .unzip();
    }
    let mut sorted = front.to_vec();
    sorted.sort_by(|&a, &b| {
        points.row(a)[0]
            .total_cmp(&points.row(b)[0])
            .then(a.cmp(&b))
    });
    // The front's rows contiguous in that order (cache-friendly scans).
    let rows: Vec<f64> = sorted
        .iter()
        .flat_map(|&a| points.row(a).iter().copied())
        .collect();
    let firsts: Vec<f64> = rows.iter().step_by(m).copied().collect();
    // The same, one objective after the other (the flat scans' layout).
    let columns: Vec<f64> = (0..m)
        .flat_map(|j| rows.iter().skip(j).step_by(m).copied())
        .collect();
    let scan = Scan {
        points,
        sorted: &sorted,
        rows: &rows,
        columns: &columns,
        firsts: &firsts,
        scale: &scale,
        limit,
    };
    // Every feasible config off the front (infeasible ones have no rank), written in place;
    // one scratch list per rayon job.
    (0..n)
        .into_par_iter()
        .with_min_len(1024)
        .map_init(Vec::new, |best, i| match ranks[i] {
            Some(r) if r != 1 => match m {
                2 => scan.one_flat::<2>(i, best),
                3 => scan.one_flat::<3>(i, best),
                _ => scan.one(i, best),
            },
            _ => (Vec::new(), 0),
        })
        .unzip()
}

/// Above this many first-front configs, `dominated_by` searches a k-d tree of the front
/// ([`FrontTree`]) instead of scanning it (a few in unit tests, to test both).
const TREE_MIN: usize = if cfg!(test) { 4 } else { 256 };

/// The `dominated_by` scan of one config against the first front.
struct Scan<'a> {
    points: &'a Points,
    /// The first front, by first objective (ties by index).
    sorted: &'a [usize],
    /// Their rows, in that order.
    rows: &'a [f64],
    /// Their values column after column (objective `j` of the `k`-th at `j * len + k`).
    columns: &'a [f64],
    /// Their first objectives, in that order.
    firsts: &'a [f64],
    /// 1 / range of each objective (0 for a zero range).
    scale: &'a [f64],
    limit: usize,
}

impl Scan<'_> {
    /// The closest dominators of config `i` (at most `limit`) and their count, for any number
    /// of objectives; `best` is scratch.
    fn one(&self, i: usize, best: &mut Vec<(f64, usize)>) -> (Vec<usize>, usize) {
        let p = self.points.row(i);
        let m = p.len();
        let end = self.firsts.partition_point(|&x| x <= p[0]);
        best.clear();
        let mut count = 0;
        for (&a, q) in self.sorted[..end].iter().zip(self.rows.chunks_exact(m)) {
            if !dominates(q, p) {
                continue;
            }
            count += 1;
            if self.limit == 0 {
                continue;
            }
            let mut d = 0.0;
            for j in 0..m {
                let t = (p[j] - q[j]) * self.scale[j];
                d += t * t;
            }
            self.keep(best, d, a);
        }
        (best.iter().map(|&(_, a)| a).collect(), count)
    }

    /// [`Scan::one`] for `M` objectives: the hot loop of large inputs. The front is taken
    /// [`FLAT_CHUNK`] configs at a time: first every distance (infinite for those that do not
    /// dominate `p`) and the count, branch-free over the columns; then the chunk's distances
    /// against the last one kept, which few beat once `limit` are kept. The result does not
    /// depend on the order the front is visited in: the closest by distance, then index.
    fn one_flat<const M: usize>(
        &self,
        i: usize,
        best: &mut Vec<(f64, usize)>,
    ) -> (Vec<usize>, usize) {
        let p: &[f64] = self.points.row(i);
        let p = &p[..M];
        let scale = &self.scale[..M];
        let len = self.sorted.len();
        let end = self.firsts.partition_point(|&x| x <= p[0]);
        best.clear();
        let mut count = 0;
        // The last kept dominator's distance, once `limit` are kept (a dominator further
        // away cannot be kept; one as far may, by its index).
        let mut bar = f64::INFINITY;
        let mut d = [0.0f64; FLAT_CHUNK];
        for from in (0..end).step_by(FLAT_CHUNK) {
            let to = (from + FLAT_CHUNK).min(end);
            let d = &mut d[..to - from];
            let mut chunk_count = 0;
            for (k, dk) in d.iter_mut().enumerate() {
                let (mut no_worse, mut better, mut sum) = (true, false, 0.0);
                for j in 0..M {
                    let q = self.columns[j * len + from + k];
                    no_worse &= q <= p[j];
                    better |= q < p[j];
                    let t = (p[j] - q) * scale[j];
                    sum += t * t;
                }
                let dominated = no_worse & better;
                chunk_count += usize::from(dominated);
                *dk = if dominated { sum } else { f64::INFINITY };
            }
            count += chunk_count;
            if self.limit == 0 || chunk_count == 0 {
                continue;
            }
            for (k, &dk) in d.iter().enumerate() {
                if dk <= bar && dk < f64::INFINITY {
                    self.keep(best, dk, self.sorted[from + k]);
                    if best.len() == self.limit {
                        bar = best[best.len() - 1].0;
                    }
                }
            }
        }
        (best.iter().map(|&(_, a)| a).collect(), count)
    }

    /// Puts dominator `a` at squared distance `d` into `best` (sorted by distance, then
    /// index; at most `limit` long).
    #[inline]
    fn keep(&self, best: &mut Vec<(f64, usize)>, d: f64, a: usize) {
        crate::nearest::keep(best, self.limit, d, a);
    }
}

/// Front configs per step of [`Scan::one_flat`].
const FLAT_CHUNK: usize = 64;

#[cfg(test)]
mod tests {
    use super::*;

    /// The flat scan (chunked, over columns) gives what the plain scan gives: the same
    /// counts and closest dominators, for fronts spanning several chunks, with ties in the
    /// values (a coarse grid) and every limit.
    #[test]
    fn flat_scan_is_the_scan() {
        let mut uniform = crate::test_uniforms();
        // Near the plane Σx = 1 (a large first front), optionally on a coarse grid.
        for (m, n, grid) in [(2, 400, 0), (3, 1000, 0), (3, 1000, 7), (2, 300, 5)] {
            let mut data = Vec::with_capacity(n * m);
            for _ in 0..n {
                let row: Vec<f64> = (0..m - 1).map(|_| uniform() / m as f64).collect();
                let last = 1.0 - row.iter().sum::<f64>() + 0.05 * uniform();
                for x in row.into_iter().chain([last]) {
                    data.push(if grid > 0 {
                        (x * grid as f64).floor()
                    } else {
                        x
                    });
                }
            }
            let points = Points::new(data, &vec![Direction::Min; m]).unwrap();
            let ranks = crate::sort::rank(&points);
            let mut front: Vec<usize> = (0..n).filter(|&i| ranks[i] == 1).collect();
            front.sort_by(|&a, &b| {
                points.row(a)[0]
                    .total_cmp(&points.row(b)[0])
                    .then(a.cmp(&b))
            });
            assert!(
                front.len() > FLAT_CHUNK || grid > 0,
                "m {m}: front {}",
                front.len()
            );
            let rows: Vec<f64> = front.iter().flat_map(|&a| points.row(a).to_vec()).collect();
            let firsts: Vec<f64> = rows.iter().step_by(m).copied().collect();
            let columns: Vec<f64> = (0..m)
                .flat_map(|j| rows.iter().skip(j).step_by(m).copied())
                .collect();
            let scale = vec![1.0; m];
            for limit in [0, 1, 5, usize::MAX] {
                let scan = Scan {
                    points: &points,
                    sorted: &front,
                    rows: &rows,
                    columns: &columns,
                    firsts: &firsts,
                    scale: &scale,
                    limit,
                };
                let mut best = Vec::new();
                for i in 0..n {
                    let plain = scan.one(i, &mut best);
                    let flat = match m {
                        2 => scan.one_flat::<2>(i, &mut best),
                        _ => scan.one_flat::<3>(i, &mut best),
                    };
                    assert_eq!(flat, plain, "m {m}, grid {grid}, limit {limit}, config {i}");
                }
            }
        }
    }

    #[test]
    fn reference_pairs() {
        let p = parse_reference("a=1, b=2.5").unwrap();
        assert_eq!(p, vec![("a".into(), 1.0), ("b".into(), 2.5)]);
        assert!(matches!(
            parse_reference("a:1"),
            Err(ParseReferenceError::Pair(_))
        ));
        assert!(matches!(
            parse_reference("a=x"),
            Err(ParseReferenceError::Number { .. })
        ));
    }

    fn interval(value: f64, lower: f64, upper: f64) -> Metric {
        Metric::Interval {
            value,
            lower,
            upper,
            n: 100,
        }
    }

    #[test]
    fn given_intervals_drive_the_status() {
        let objectives = [Objective::min("p95"), Objective::max("tps")];
        let configs = [
            Config::new(
                "a",
                [("p95", interval(95.0, 90.0, 100.0)), ("tps", 100.0.into())],
            ),
            // Surely worse than a: optimistic p95 101 > a's pessimistic 100.
            Config::new(
                "b",
                [("p95", interval(195.0, 101.0, 200.0)), ("tps", 50.0.into())],
            ),
            // Worse point estimate than a, but the intervals overlap.
            Config::new(
                "c",
                [("p95", interval(96.0, 85.0, 110.0)), ("tps", 90.0.into())],
            ),
        ];
        let a = analyze(&objectives, &configs, &Options::default()).unwrap();
        assert!(a.has_samples);
        assert_eq!(a.configs[0].values, vec![95.0, 100.0]);
        assert_eq!(a.configs[0].intervals[0], (90.0, 100.0));
        let status: Vec<_> = a.configs.iter().map(|c| c.status).collect();
        assert_eq!(
            status,
            [
                Some(Status::Frontier),
                Some(Status::Dominated),
                Some(Status::Ambiguous)
            ]
        );
        assert_eq!(a.configs[2].rank, Some(2));
    }

    #[test]
    fn non_finite_interval_bounds_are_errors() {
        let objectives = [Objective::min("p95")];
        let configs = [Config::new("a", [("p95", interval(1.0, f64::NAN, 2.0))])];
        let err = analyze(&objectives, &configs, &Options::default()).unwrap_err();
        assert!(matches!(err, Error::NonFinite { .. }), "{err}");
    }
}

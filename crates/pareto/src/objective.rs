//! Objectives and their directions.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Whether smaller or larger values of an objective are better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Smaller is better (cost, latency).
    Min,
    /// Larger is better (quality, throughput).
    Max,
}

impl Direction {
    /// The value in minimisation space: `x` for [`Direction::Min`], `-x` for
    /// [`Direction::Max`]. Negation is exact in floating point, so no value changes.
    #[inline]
    pub fn to_min(self, x: f64) -> f64 {
        // `+ 0.0` turns -0.0 into +0.0 so that equal values compare equal bit-for-bit.
        match self {
            Direction::Min => x + 0.0,
            Direction::Max => -x + 0.0,
        }
    }

    /// Inverse of [`Direction::to_min`].
    #[inline]
    pub fn from_min(self, x: f64) -> f64 {
        self.to_min(x)
    }

    /// The direction a metric name suggests, from the one table
    /// [`perfstat_stats::compare::Direction::infer`] (`latency`, `cost`, `error`… → min;
    /// `throughput`, `score`, `quality`… → max; anything else → min).
    #[must_use]
    pub fn infer(metric_name: &str) -> Self {
        match perfstat_stats::compare::Direction::infer(metric_name) {
            perfstat_stats::compare::Direction::LowerIsBetter => Direction::Min,
            perfstat_stats::compare::Direction::HigherIsBetter => Direction::Max,
        }
    }

    /// Whether `a` is strictly better than `b` in this direction.
    #[must_use]
    pub fn better(self, a: f64, b: f64) -> bool {
        match self {
            Direction::Min => a < b,
            Direction::Max => a > b,
        }
    }

    /// The arrow shown next to an objective: `↓` (lower is better) or `↑`.
    #[must_use]
    pub fn arrow(self) -> &'static str {
        match self {
            Direction::Min => "↓",
            Direction::Max => "↑",
        }
    }

    /// `lower is better` or `higher is better`.
    #[must_use]
    pub fn words(self) -> &'static str {
        match self {
            Direction::Min => "lower is better",
            Direction::Max => "higher is better",
        }
    }

    /// `"min"` or `"max"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Min => "min",
            Direction::Max => "max",
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error of [`Direction::from_str`] and [`Objective::from_str`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid objective `{0}`: expected NAME, NAME:min or NAME:max")]
pub struct ParseObjectiveError(pub String);

impl FromStr for Direction {
    type Err = ParseObjectiveError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "min" | "minimize" | "minimise" => Ok(Direction::Min),
            "max" | "maximize" | "maximise" => Ok(Direction::Max),
            _ => Err(ParseObjectiveError(s.to_owned())),
        }
    }
}

/// One objective: a metric name and its direction.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Objective {
    /// Metric name, as found in each config's metrics.
    pub name: String,
    /// Whether smaller or larger is better.
    pub direction: Direction,
}

impl Objective {
    /// An objective to minimise.
    pub fn min(name: impl Into<String>) -> Self {
        Objective {
            name: name.into(),
            direction: Direction::Min,
        }
    }

    /// An objective to maximise.
    pub fn max(name: impl Into<String>) -> Self {
        Objective {
            name: name.into(),
            direction: Direction::Max,
        }
    }
}

/// Parses `NAME:min` or `NAME:max` (the CLI's `--objective`).
impl FromStr for Objective {
    type Err = ParseObjectiveError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (name, dir) = s
            .rsplit_once(':')
            .ok_or_else(|| ParseObjectiveError(s.to_owned()))?;
        let name = name.trim();
        if name.is_empty() {
            return Err(ParseObjectiveError(s.to_owned()));
        }
        let direction = dir.parse().map_err(|_| ParseObjectiveError(s.to_owned()))?;
        Ok(Objective {
            name: name.to_owned(),
            direction,
        })
    }
}

/// An objective as written: a name and, optionally, a direction (`NAME`, `NAME:min`,
/// `NAME:max`). Without a direction, [`ObjectiveSpec::resolve`] infers it from the name
/// ([`Direction::infer`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ObjectiveSpec {
    /// Metric name.
    pub name: String,
    /// The direction given, if any.
    pub direction: Option<Direction>,
}

impl ObjectiveSpec {
    /// The objective, with the given direction or the one inferred from the name.
    #[must_use]
    pub fn resolve(&self) -> Objective {
        Objective {
            name: self.name.clone(),
            direction: self
                .direction
                .unwrap_or_else(|| Direction::infer(&self.name)),
        }
    }
}

/// Parses `NAME`, `NAME:min` or `NAME:max` (the CLI's `--objective`). A colon must be
/// followed by a direction.
impl FromStr for ObjectiveSpec {
    type Err = ParseObjectiveError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if !s.contains(':') {
            let name = s.trim();
            if name.is_empty() {
                return Err(ParseObjectiveError(s.to_owned()));
            }
            return Ok(ObjectiveSpec {
                name: name.to_owned(),
                direction: None,
            });
        }
        let o: Objective = s.parse()?;
        Ok(ObjectiveSpec {
            name: o.name,
            direction: Some(o.direction),
        })
    }
}

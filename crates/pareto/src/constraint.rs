//! Constraints such as `p95_latency_ms<=500`.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Comparison operator of a [`Constraint`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Op {
    /// `<=`
    #[serde(rename = "<=")]
    Le,
    /// `>=`
    #[serde(rename = ">=")]
    Ge,
    /// `<`
    #[serde(rename = "<")]
    Lt,
    /// `>`
    #[serde(rename = ">")]
    Gt,
}

impl Op {
    /// The operator as written: `<=`, `>=`, `<`, `>`.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Le => "<=",
            Op::Ge => ">=",
            Op::Lt => "<",
            Op::Gt => ">",
        }
    }

    /// Whether `x op value` holds.
    pub fn holds(self, x: f64, value: f64) -> bool {
        match self {
            Op::Le => x <= value,
            Op::Ge => x >= value,
            Op::Lt => x < value,
            Op::Gt => x > value,
        }
    }
}

/// A feasibility constraint on one metric: `metric op value`.
///
/// A config is feasible when it meets every constraint; for a metric given as
/// repeated measurements, the mean is compared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Constraint {
    /// Metric name.
    pub metric: String,
    /// Comparison.
    pub op: Op,
    /// Bound, in the metric's own units.
    pub value: f64,
}

impl Constraint {
    /// Whether `x` satisfies the constraint.
    pub fn holds(&self, x: f64) -> bool {
        self.op.holds(x, self.value)
    }
}

impl fmt::Display for Constraint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}{}", self.metric, self.op.as_str(), self.value)
    }
}

/// Why a constraint string could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseConstraintError {
    /// No `<=`, `>=`, `<` or `>` in the string.
    #[error("constraint `{0}` has no operator: expected METRIC<=VALUE, >=, < or >")]
    NoOperator(String),
    /// Nothing before the operator.
    #[error("constraint `{0}` has no metric name before the operator")]
    NoMetric(String),
    /// The bound is not a finite number.
    #[error("constraint `{input}`: `{value}` is not a finite number")]
    BadValue {
        /// The whole constraint.
        input: String,
        /// The text after the operator.
        value: String,
    },
}

impl FromStr for Constraint {
    type Err = ParseConstraintError;

    /// Parses `METRIC<=VALUE` (also `>=`, `<`, `>`; spaces allowed around parts).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let pos = s
            .find(['<', '>'])
            .ok_or_else(|| ParseConstraintError::NoOperator(s.to_owned()))?;
        let rest = &s[pos..];
        let (op, len) = if rest.starts_with("<=") {
            (Op::Le, 2)
        } else if rest.starts_with(">=") {
            (Op::Ge, 2)
        } else if rest.starts_with('<') {
            (Op::Lt, 1)
        } else {
            (Op::Gt, 1)
        };
        let metric = s[..pos].trim();
        if metric.is_empty() {
            return Err(ParseConstraintError::NoMetric(s.to_owned()));
        }
        let text = rest[len..].trim();
        let value: f64 = text
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite())
            .ok_or_else(|| ParseConstraintError::BadValue {
                input: s.to_owned(),
                value: text.to_owned(),
            })?;
        Ok(Constraint {
            metric: metric.to_owned(),
            op,
            value,
        })
    }
}

//! The columnar point matrix in minimisation space, and Pareto dominance.

use crate::error::{Error, Result};
use crate::objective::Direction;

/// `n` points × `m` objectives, row-major, **in minimisation space**.
///
/// Maximised objectives are negated once when the matrix is built
/// ([`Points::new`]), so every algorithm of this crate minimises and users never
/// negate anything themselves. All values are finite (checked on construction)
/// and `-0.0` is stored as `0.0`, so equal values are equal bit for bit.
#[derive(Debug, Clone, PartialEq)]
pub struct Points {
    data: Vec<f64>,
    m: usize,
}

impl Points {
    /// Builds the matrix from row-major values in the objectives' own directions
    /// (`directions.len()` columns).
    ///
    /// # Errors
    /// [`Error::NoObjectives`] without directions, [`Error::Shape`] when `data`
    /// is not a whole number of rows, [`Error::NonFinitePoint`] for NaN or ±inf.
    pub fn new(mut data: Vec<f64>, directions: &[Direction]) -> Result<Self> {
        let m = directions.len();
        if m == 0 {
            return Err(Error::NoObjectives);
        }
        if !data.len().is_multiple_of(m) {
            return Err(Error::Shape {
                len: data.len(),
                columns: m,
            });
        }
        for (k, x) in data.iter_mut().enumerate() {
            if !x.is_finite() {
                return Err(Error::NonFinitePoint {
                    row: k / m,
                    column: k % m,
                    value: *x,
                });
            }
            *x = directions[k % m].to_min(*x);
        }
        Ok(Points { data, m })
    }

    /// Builds the matrix from values that are already to be minimised (`m` columns).
    ///
    /// # Errors
    /// As [`Points::new`].
    pub fn from_min(data: Vec<f64>, m: usize) -> Result<Self> {
        let dirs = vec![Direction::Min; m];
        Points::new(data, &dirs)
    }

    /// Number of points.
    #[inline]
    pub fn len(&self) -> usize {
        self.data.len().checked_div(self.m).unwrap_or(0)
    }

    /// True when there is no point.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// Number of objectives (columns).
    #[inline]
    pub fn n_objectives(&self) -> usize {
        self.m
    }

    /// Point `i` (minimisation space). Panics if `i >= len()` (a caller bug, not user data).
    #[inline]
    pub fn row(&self, i: usize) -> &[f64] {
        &self.data[i * self.m..(i + 1) * self.m]
    }

    /// The whole row-major matrix (minimisation space).
    #[inline]
    pub fn as_slice(&self) -> &[f64] {
        &self.data
    }

    /// A new matrix with the rows `rows`, in that order.
    pub fn select(&self, rows: &[usize]) -> Points {
        let mut data = Vec::with_capacity(rows.len() * self.m);
        for &i in rows {
            data.extend_from_slice(self.row(i));
        }
        Points { data, m: self.m }
    }
}

/// Pareto dominance in minimisation space: `a` is no worse than `b` in every
/// objective and strictly better in at least one. Equal points do not dominate
/// each other. Slices must have the same length.
#[inline]
pub fn dominates(a: &[f64], b: &[f64]) -> bool {
    let mut strictly = false;
    for (x, y) in a.iter().zip(b) {
        if x > y {
            return false;
        }
        if x < y {
            strictly = true;
        }
    }
    strictly
}

/// Pareto dominance of `a` over `b` given in the objectives' own units with
/// per-objective directions (no negation needed).
#[inline]
pub fn dominates_with(a: &[f64], b: &[f64], directions: &[Direction]) -> bool {
    let mut strictly = false;
    for ((x, y), d) in a.iter().zip(b).zip(directions) {
        let (x, y) = (d.to_min(*x), d.to_min(*y));
        if x > y {
            return false;
        }
        if x < y {
            strictly = true;
        }
    }
    strictly
}

/// An order-preserving map of `f64` to `u64`: the order of [`f64::total_cmp`] (sorting
/// the keys, or pairs of a key and an index, sorts the values).
#[inline]
pub(crate) fn total_key(x: f64) -> u64 {
    let b = x.to_bits();
    if b >> 63 == 1 { !b } else { b | (1 << 63) }
}

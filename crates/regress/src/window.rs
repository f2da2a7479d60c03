//! The current run against the baseline window of the runs before it.
//!
//! **Baseline**: the last `window` runs before the current one that have a
//! value for the metric (gaps are skipped, never filled). Its mean, median
//! (type 7) and standard deviation (n − 1) equal numpy's `mean`, `median`
//! and `std(ddof=1)` on those values.
//!
//! **Test**: a one-sided *prediction-interval t test* of one new value
//! against n baseline values (the right test for a single new run: the
//! window's own noise and the uncertainty of its mean both count):
//!
//! t = (x − mean) / (s·√(1 + 1/n)), df = n − 1,
//!
//! p(worse) = P(T ≥ t) when lower is better, P(T ≤ t) when higher is better
//! (`perfstat_stats::dist::t_sf`); p(better) is the other tail. Under
//! independent normal runs with a constant level, t follows Student's t with
//! n − 1 degrees of freedom exactly. A zero `s` is floored at 1e-12·|mean|
//! (and said), so a constant baseline gives a tiny p for any real change
//! instead of a division by zero; with a zero mean too the test is undefined.

use perfstat_stats::dist::t_sf;
use perfstat_stats::moments::Moments;
use perfstat_stats::quantile::{QuantileMethod, quantile_sorted};
use perfstat_stats::{Stat, Undefined};

use crate::config::Direction;

/// Relative floor of the baseline standard deviation in the test.
pub const SD_FLOOR: f64 = 1e-12;

/// The baseline window of one metric.
#[derive(Clone, Debug, PartialEq)]
pub struct Baseline {
    /// History positions of the baseline runs, oldest first.
    pub indexes: Vec<usize>,
    /// Their values, in the same order.
    pub values: Vec<f64>,
    /// Arithmetic mean (numpy `mean`).
    pub mean: Stat<f64>,
    /// Median, type 7 (numpy `median`).
    pub median: Stat<f64>,
    /// Standard deviation, n − 1 (numpy `std(ddof=1)`).
    pub std_dev: Stat<f64>,
}

impl Baseline {
    /// The last `window` present values before position `current` of `values`.
    #[must_use]
    pub fn before(values: &[Option<f64>], current: usize, window: usize) -> Self {
        let mut picked: Vec<(usize, f64)> = values
            .iter()
            .enumerate()
            .take(current)
            .rev()
            .filter_map(|(i, v)| v.map(|v| (i, v)))
            .take(window)
            .collect();
        picked.reverse();
        let indexes: Vec<usize> = picked.iter().map(|p| p.0).collect();
        let values: Vec<f64> = picked.iter().map(|p| p.1).collect();
        let n = values.len();
        if n == 0 {
            let none = Err(Undefined::TooFew { need: 1, got: 0 });
            return Self {
                indexes,
                values,
                mean: none,
                median: none,
                std_dev: Err(Undefined::TooFew { need: 2, got: 0 }),
            };
        }
        let m = Moments::of(&values);
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        Self {
            mean: Ok(m.mean()),
            median: Ok(quantile_sorted(&sorted, 0.5, QuantileMethod::Linear)),
            std_dev: m.std_dev(),
            indexes,
            values,
        }
    }

    /// The two-sided 95 % prediction band of one new run, `(lower, upper)` = mean ∓
    /// t(0.975, n − 1)·s·√(1 + 1/n): the interval [`prediction_test`] tests against (without the
    /// floor of a constant baseline). `None` with fewer than 2 runs.
    #[must_use]
    pub fn prediction_band(&self) -> Option<(f64, f64)> {
        let (Ok(mean), Ok(sd)) = (self.mean, self.std_dev) else {
            return None;
        };
        if self.n() < 2 {
            return None;
        }
        #[allow(clippy::cast_precision_loss)]
        let n = self.n() as f64;
        perfstat_stats::dist::t_isf(0.025, n - 1.0).ok().map(|t| {
            let half = t * sd * (1.0 + 1.0 / n).sqrt();
            (mean - half, mean + half)
        })
    }

    /// Number of baseline runs.
    #[must_use]
    pub fn n(&self) -> usize {
        self.values.len()
    }
}

/// The prediction-interval t test of one value against a baseline.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WindowTest {
    /// t = (x − mean)/(s·√(1 + 1/n)), with s floored (see [`SD_FLOOR`]).
    pub statistic: f64,
    /// Degrees of freedom, n − 1.
    pub df: f64,
    /// One-sided p-value in the worse direction.
    pub p_worse: f64,
    /// One-sided p-value in the better direction.
    pub p_better: f64,
    /// Whether the standard deviation was floored (a constant baseline).
    pub sd_floored: bool,
}

/// Tests value `x` against `baseline` (see the module documentation).
///
/// ```
/// use perfstat_regress::config::Direction;
/// use perfstat_regress::window::{Baseline, prediction_test};
/// let history = [100.0, 102.0, 98.0, 101.0, 99.0, 100.0, 100.0].map(Some);
/// let b = Baseline::before(&history, 7, 7);
/// let t = prediction_test(130.0, &b, Direction::LowerIsBetter)?;
/// assert!(t.p_worse < 1e-6 && t.p_better > 0.99);
/// # Ok::<(), perfstat_stats::Undefined>(())
/// ```
///
/// # Errors
/// [`Undefined::TooFew`] with fewer than 2 baseline values;
/// [`Undefined::ZeroVariance`] for a constant baseline with mean 0.
pub fn prediction_test(x: f64, baseline: &Baseline, direction: Direction) -> Stat<WindowTest> {
    let n = baseline.n();
    let s = baseline.std_dev?;
    let mean = baseline.mean?;
    let floor = SD_FLOOR * mean.abs();
    let sd = s.max(floor);
    if sd <= 0.0 || !sd.is_finite() {
        return Err(Undefined::ZeroVariance);
    }
    #[allow(clippy::cast_precision_loss)]
    let nf = n as f64;
    let statistic = (x - mean) / (sd * (1.0 + 1.0 / nf).sqrt());
    let df = nf - 1.0;
    let upper = t_sf(statistic, df);
    let lower = t_sf(-statistic, df);
    let (p_worse, p_better) = match direction {
        Direction::LowerIsBetter => (upper, lower),
        Direction::HigherIsBetter => (lower, upper),
    };
    Ok(WindowTest {
        statistic,
        df,
        p_worse,
        p_better,
        sd_floored: s < floor,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_are_skipped_and_window_is_bounded() {
        let v = [Some(1.0), None, Some(2.0), Some(3.0), None, Some(10.0)];
        let b = Baseline::before(&v, 5, 2);
        assert_eq!(b.indexes, [2, 3]);
        assert_eq!(b.mean, Ok(2.5));
        let b = Baseline::before(&v, 0, 7);
        assert!(b.mean.is_err());
    }

    #[test]
    fn t_matches_scipy() {
        // scipy: x=[10,11,9,10,12,8,10]; t=(13-mean)/(std(ddof=1)*sqrt(1+1/7));
        // stats.t.sf(t, 6)
        let v = [10.0, 11.0, 9.0, 10.0, 12.0, 8.0, 10.0].map(Some);
        let b = Baseline::before(&v, 7, 7);
        let t = prediction_test(13.0, &b, Direction::LowerIsBetter).unwrap();
        let s = (10.0f64 / 6.0).sqrt();
        let want_t = 3.0 / (s * (8.0f64 / 7.0).sqrt());
        assert!((t.statistic - want_t).abs() < 1e-12);
        assert!((t.p_worse + t.p_better - 1.0).abs() < 1e-12);
        let higher = prediction_test(13.0, &b, Direction::HigherIsBetter).unwrap();
        assert_eq!(higher.p_worse, t.p_better);
    }

    #[test]
    fn constant_baseline_is_floored() {
        let v = [5.0; 7].map(Some);
        let b = Baseline::before(&v, 7, 7);
        let t = prediction_test(6.0, &b, Direction::LowerIsBetter).unwrap();
        assert!(t.sd_floored && t.p_worse < 1e-12);
        let z = [0.0; 7].map(Some);
        let b = Baseline::before(&z, 7, 7);
        assert_eq!(
            prediction_test(1.0, &b, Direction::LowerIsBetter),
            Err(Undefined::ZeroVariance)
        );
    }
}

//! Bounded value axes for any finite data.
//!
//! Every axis of every plot in this crate is a [`ValueAxis`]: a linear or
//! logarithmic coordinate that plotters draws through its [`Ranged`] trait,
//! with the ticks computed here. Nothing in it can overflow, loop without
//! bound or produce a non-finite coordinate, whatever finite values it is
//! given (±`f64::MAX`, subnormals, one value, all values equal):
//!
//! - spans are computed on halves (`hi/2 − lo/2`), which cannot overflow;
//! - padding saturates at ±`f64::MAX` (and at the smallest positive value on
//!   a log axis) instead of reaching infinity or zero;
//! - a range narrower than [`MIN_SPAN`] or than a relative 1e-5 of its
//!   magnitude (all values equal, or differing in the last digits only) is
//!   drawn as a window of ±10 % around its centre (±1 around zero, ±[`MIN_SPAN`]
//!   for subnormal values);
//! - a log axis is used only for positive values, where its decimal
//!   logarithms are finite (they always are for positive finite values);
//! - there are never more than [`MAX_TICKS`] ticks, each loop over candidate
//!   ticks is bounded by that count, and plotters' own tick algorithms (which
//!   loop forever or allocate without bound near `f64::MAX` and on wide log
//!   ranges) are never called.
//!
//! ```
//! use perfstat_report::plot::axis::ValueAxis;
//! let a = ValueAxis::padded(-f64::MAX, f64::MAX, false, (0.04, 0.04));
//! assert_eq!(a.bounds(), (-f64::MAX, f64::MAX));
//! assert!(a.ticks(10).len() <= 10);
//! let b = ValueAxis::padded(5e-324, 5e-324, true, (0.04, 0.04));
//! assert!(b.is_log() && b.bounds().0 > 0.0);
//! ```

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};

/// The most ticks an axis draws, whatever the plot asks for.
pub const MAX_TICKS: usize = 12;

/// The narrowest span of a linear axis.
pub const MIN_SPAN: f64 = 1e-300;

/// The narrowest span of a linear axis relative to its largest magnitude:
/// below it, 6-digit tick labels could not tell the ticks apart.
const MIN_RELATIVE_SPAN: f64 = 1e-5;

/// How far outside the axis (in axis lengths) a coordinate may be mapped:
/// keeps pixel coordinates small for values far off the axis.
const MAP_LIMIT: (f64, f64) = (-2.0, 3.0);

/// A linear or logarithmic axis over `[lo, hi]`, `lo < hi`, both finite
/// (and positive on a log axis).
#[derive(Clone, Debug, PartialEq)]
pub struct ValueAxis {
    lo: f64,
    hi: f64,
    /// `Some((log10 lo, log10 hi))` on a log axis.
    log: Option<(f64, f64)>,
}

impl ValueAxis {
    /// A linear axis over exactly `[lo, hi]` (swapped if reversed); a range
    /// that is empty, too narrow or not finite becomes a window around it as
    /// in [`Self::padded`].
    #[must_use]
    pub fn linear(lo: f64, hi: f64) -> Self {
        let (lo, hi) = finite_pair(lo, hi);
        if wide_enough(lo, hi) {
            Self { lo, hi, log: None }
        } else {
            Self::around(lo, hi)
        }
    }

    /// An axis over the data range `[lo, hi]` with `pad.0` and `pad.1` of the
    /// span added below and above (in log space on a log axis). `log` is
    /// honoured only when `lo > 0`; otherwise the axis is linear.
    #[must_use]
    pub fn padded(lo: f64, hi: f64, log: bool, pad: (f64, f64)) -> Self {
        let (lo, hi) = finite_pair(lo, hi);
        let pad = (clean_pad(pad.0), clean_pad(pad.1));
        if log && lo > 0.0 {
            return Self::padded_log(lo, hi, pad);
        }
        if !wide_enough(lo, hi) {
            return Self::around(lo, hi);
        }
        let span_half = hi / 2.0 - lo / 2.0;
        // pad ≤ 1 and span_half ≤ f64::MAX: each padding is finite; the sums
        // saturate at ±f64::MAX.
        let lo = (lo - span_half * pad.0 * 2.0).max(-f64::MAX);
        let hi = (hi + span_half * pad.1 * 2.0).min(f64::MAX);
        Self { lo, hi, log: None }
    }

    /// A log axis over positive `[lo, hi]`, padded in log space; all values
    /// equal get half a decade each side.
    fn padded_log(lo: f64, hi: f64, pad: (f64, f64)) -> Self {
        let (a, b) = (lo.log10(), hi.log10());
        let (da, db) = if b - a > 1e-9 {
            ((b - a) * pad.0, (b - a) * pad.1)
        } else {
            (0.5, 0.5)
        };
        // Saturate: 10^(a − da) may underflow to 0, 10^(b + db) overflow to ∞.
        let lo_p = 10f64.powf(a - da);
        let lo_p = if lo_p > 0.0 && lo_p <= lo { lo_p } else { lo };
        let hi_p = 10f64.powf(b + db);
        let hi_p = if hi_p.is_finite() && hi_p >= hi {
            hi_p
        } else {
            hi
        };
        let (la, lb) = (lo_p.log10(), hi_p.log10());
        if la.is_finite() && lb.is_finite() && lb > la {
            Self {
                lo: lo_p,
                hi: hi_p,
                log: Some((la, lb)),
            }
        } else {
            Self::linear(lo, hi)
        }
    }

    /// The window around a range too narrow to draw: ±10 % of its centre,
    /// ±1 around zero, at least ±[`MIN_SPAN`]; saturated at ±`f64::MAX`.
    fn around(lo: f64, hi: f64) -> Self {
        let mid = lo / 2.0 + hi / 2.0;
        let half = if mid == 0.0 && lo == hi {
            1.0
        } else {
            (mid.abs() * 0.1).max(MIN_SPAN)
        };
        let lo = (mid - half).max(-f64::MAX);
        let hi = (mid + half).min(f64::MAX);
        Self { lo, hi, log: None }
    }

    /// The bounds `(lo, hi)` of the axis.
    #[must_use]
    pub fn bounds(&self) -> (f64, f64) {
        (self.lo, self.hi)
    }

    /// Whether the axis is logarithmic.
    #[must_use]
    pub fn is_log(&self) -> bool {
        self.log.is_some()
    }

    /// The position of `v` on the axis: 0 at `lo`, 1 at `hi`, clamped to a
    /// few axis lengths outside (NaN maps to 0).
    #[must_use]
    pub fn fraction(&self, v: f64) -> f64 {
        let t = match self.log {
            Some((a, b)) => (v.log10() - a) / (b - a),
            None => (v / 2.0 - self.lo / 2.0) / (self.hi / 2.0 - self.lo / 2.0),
        };
        if t.is_nan() {
            0.0
        } else {
            t.clamp(MAP_LIMIT.0, MAP_LIMIT.1)
        }
    }

    /// The value at fraction `t` of the axis (0 → `lo`, 1 → `hi`), within
    /// the bounds for `t` in [0, 1].
    #[must_use]
    pub fn at(&self, t: f64) -> f64 {
        match self.log {
            Some((a, b)) => 10f64
                .powf(a + (b - a) * t)
                .clamp(self.lo.min(self.hi), self.hi),
            None => lerp(self.lo, self.hi, t),
        }
    }

    /// At most `max` (and at most [`MAX_TICKS`]) ticks within the bounds.
    #[must_use]
    pub fn ticks(&self, max: usize) -> Vec<f64> {
        let max = max.min(MAX_TICKS);
        if self.log.is_some() {
            log_ticks(self.lo, self.hi, max)
        } else {
            linear_ticks(self.lo, self.hi, max)
        }
    }
}

impl Ranged for ValueAxis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let t = self.fraction(*value);
        let length = f64::from(limit.1) - f64::from(limit.0);
        // As plotters' linear coordinates do, so pictures stay the same.
        let offset = if length >= 0.0 {
            (length * t + 1e-3).floor()
        } else {
            (length * t - 1e-3).ceil()
        };
        // invariant: |offset| ≤ 3 · |length| ≤ 3 · 2^32, and saturating.
        #[allow(clippy::cast_possible_truncation)]
        let offset = offset as i32;
        limit.0.saturating_add(offset)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        // Light grid lines are not drawn by any plot here.
        if hint.weight().allow_light_points() {
            return Vec::new();
        }
        self.ticks(hint.max_num_points())
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

/// `lo + (hi − lo)·t` without overflow, within `[lo, hi]` for `t` in [0, 1].
#[must_use]
pub fn lerp(lo: f64, hi: f64, t: f64) -> f64 {
    let v = lo * (1.0 - t) + hi * t;
    let (a, b) = if lo <= hi { (lo, hi) } else { (hi, lo) };
    if (0.0..=1.0).contains(&t) {
        v.clamp(a, b)
    } else {
        v.clamp(-f64::MAX, f64::MAX)
    }
}

/// The smallest and largest of finite `values` (`None` if there is none).
#[must_use]
pub fn finite_bounds(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

/// `(lo, hi)` ordered, with non-finite ends replaced (±∞ by ±`f64::MAX`, NaN
/// by the other end or 0).
fn finite_pair(lo: f64, hi: f64) -> (f64, f64) {
    let fix = |v: f64, other: f64| {
        if v.is_nan() {
            if other.is_nan() { 0.0 } else { other }
        } else {
            v.clamp(-f64::MAX, f64::MAX)
        }
    };
    let (a, b) = (fix(lo, hi), fix(hi, lo));
    let (a, b) = (fix(a, b), fix(b, a));
    if a <= b { (a, b) } else { (b, a) }
}

/// A padding fraction in [0, 1] (NaN → 0).
fn clean_pad(p: f64) -> f64 {
    if p.is_nan() { 0.0 } else { p.clamp(0.0, 1.0) }
}

/// Whether `[lo, hi]` is wide enough to be a linear axis of its own.
fn wide_enough(lo: f64, hi: f64) -> bool {
    let half = hi / 2.0 - lo / 2.0;
    let magnitude = lo.abs().max(hi.abs());
    half * 2.0 >= MIN_SPAN && half >= magnitude * (MIN_RELATIVE_SPAN / 2.0)
}

/// At most `max` ticks on a linear axis `[lo, hi]`: multiples of 1, 2 or 5
/// times a power of ten.
#[must_use]
pub fn linear_ticks(lo: f64, hi: f64, max: usize) -> Vec<f64> {
    if !(lo < hi && lo.is_finite() && hi.is_finite()) || max == 0 {
        return Vec::new();
    }
    #[allow(clippy::cast_precision_loss)]
    let n = max.max(2) as f64;
    // The step for `max` intervals, computed on halves: finite and positive.
    let raw = (hi / 2.0 - lo / 2.0) / (n / 2.0);
    if !(raw > 0.0 && raw.is_finite()) {
        return Vec::new();
    }
    #[allow(clippy::cast_possible_truncation)]
    let exponent = raw.log10().floor() as i32;
    let magnitude = pow10(exponent);
    let mut step = [1.0, 2.0, 5.0, 10.0, 20.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| s.is_finite() && *s >= raw)
        .unwrap_or(raw);
    let mut first = (lo / step).ceil();
    let mut count = (hi / step).floor() - first + 1.0;
    // Rounding in the power of ten can leave a few too many: widen (bounded).
    for _ in 0..4 {
        #[allow(clippy::cast_precision_loss)]
        if count <= max as f64 || !(step * 2.0).is_finite() {
            break;
        }
        step *= 2.0;
        first = (lo / step).ceil();
        count = (hi / step).floor() - first + 1.0;
    }
    let mut ticks: Vec<f64> = Vec::with_capacity(max);
    for i in 0..max {
        #[allow(clippy::cast_precision_loss)]
        let k = first + i as f64;
        let v = k * step;
        // Exact zero, not -0 or 1e-17 from rounding.
        let v = if k == 0.0 { 0.0 } else { v };
        if v > hi || !v.is_finite() {
            break;
        }
        if v >= lo && ticks.last().is_none_or(|&last| v > last) {
            ticks.push(v);
        }
    }
    ticks
}

/// At most `max` ticks on a log axis over positive `[lo, hi]`: powers of ten
/// (every d-th decade when more than `max` decades show), with 2 and 5 (then
/// 3, then every digit) between them when fewer than four fit.
#[must_use]
pub fn log_ticks(lo: f64, hi: f64, max: usize) -> Vec<f64> {
    const STEPS: [&[u8]; 4] = [
        &[1],
        &[1, 2, 5],
        &[1, 2, 3, 5],
        &[1, 2, 3, 4, 5, 6, 7, 8, 9],
    ];
    if !(lo > 0.0 && hi > lo && hi.is_finite()) || max == 0 {
        return Vec::new();
    }
    // invariant: decimal logarithms of positive finite values lie in
    // [-324, 309], so the loops below run at most ~630 · 9 times.
    #[allow(clippy::cast_possible_truncation)]
    let (first, last) = (lo.log10().floor() as i32, hi.log10().ceil() as i32);
    let decades = usize::try_from(last - first + 1).unwrap_or(1);
    // Every d-th decade, d a round number.
    let needed = decades.div_ceil(max);
    let stride: i32 = [1, 2, 3, 4, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000]
        .into_iter()
        .find(|&d| usize::try_from(d).is_ok_and(|d| d >= needed))
        .unwrap_or(1000);
    let mut best: Vec<f64> = Vec::new();
    for (i, multiples) in STEPS.iter().enumerate() {
        if i > 0 && stride > 1 {
            break;
        }
        let mut ticks: Vec<f64> = (first..=last)
            .filter(|k| k.rem_euclid(stride) == 0)
            .flat_map(|k| multiples.iter().map(move |&m| scaled_pow10(m, k)))
            .filter(|&v| lo <= v && v <= hi)
            .collect();
        // Subnormal multiples round together (2e-324 and 3e-324 are 5e-324).
        ticks.dedup_by(|b, a| *b <= *a);
        if ticks.len() > max {
            break;
        }
        best = ticks;
        if best.len() >= 4 {
            break;
        }
    }
    best
}

/// 10^k, exact to the nearest double (including subnormal and overflowing
/// ends: 0 and ∞).
fn pow10(k: i32) -> f64 {
    scaled_pow10(1, k)
}

/// m · 10^k rounded once, as the decimal literal `me{k}` parses.
fn scaled_pow10(m: u8, k: i32) -> f64 {
    format!("{m}e{k}").parse().unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finite_and_ordered(a: &ValueAxis) {
        let (lo, hi) = a.bounds();
        assert!(lo.is_finite() && hi.is_finite() && lo < hi, "{a:?}");
        if a.is_log() {
            assert!(lo > 0.0, "{a:?}");
        }
    }

    #[test]
    fn extremes_give_finite_axes() {
        let cases = [
            (-f64::MAX, f64::MAX),
            (f64::MAX, f64::MAX),
            (-f64::MAX, -f64::MAX),
            (5e-324, 5e-324),
            (0.0, 5e-324),
            (-5e-324, 5e-324),
            (0.0, 0.0),
            (1e-300, 1e300),
            (5e-324, f64::MAX),
            (7.0, 7.0),
            (1e300, 1e300 * (1.0 + f64::EPSILON)),
        ];
        for (lo, hi) in cases {
            for log in [false, true] {
                let a = ValueAxis::padded(lo, hi, log, (0.04, 0.62));
                finite_and_ordered(&a);
                assert!(a.bounds().0 <= lo && a.bounds().1 >= hi, "{lo} {hi}: {a:?}");
                assert_eq!(a.is_log(), log && lo > 0.0);
                let ticks = a.ticks(10);
                assert!(ticks.len() <= 10, "{lo} {hi}: {ticks:?}");
                assert!(!ticks.is_empty(), "{lo} {hi} log {log}: no ticks {a:?}");
                assert!(
                    ticks.windows(2).all(|w| w[0] < w[1]),
                    "{lo} {hi} {log}: {ticks:?}"
                );
                let (l, h) = a.bounds();
                assert!(ticks.iter().all(|t| (l..=h).contains(t)));
                for v in [lo, hi, l, h, 0.0, -f64::MAX, f64::MAX] {
                    let t = a.fraction(v);
                    assert!(t.is_finite() && (-2.0..=3.0).contains(&t));
                }
            }
        }
    }

    #[test]
    fn equal_values_get_a_window() {
        assert_eq!(
            ValueAxis::padded(7.0, 7.0, false, (0.04, 0.04)).bounds(),
            (7.0 - 0.7, 7.0 + 0.7)
        );
        assert_eq!(
            ValueAxis::padded(0.0, 0.0, false, (0.04, 0.04)).bounds(),
            (-1.0, 1.0)
        );
        let (lo, hi) = ValueAxis::padded(f64::MAX, f64::MAX, false, (0.0, 0.0)).bounds();
        assert_eq!(hi, f64::MAX);
        assert!((lo - f64::MAX * 0.9).abs() <= f64::MAX * 1e-15);
        let (lo, hi) = ValueAxis::padded(5e-324, 5e-324, false, (0.04, 0.04)).bounds();
        assert!(lo < 0.0 && hi > 0.0 && hi - lo >= MIN_SPAN);
        let (lo, hi) = ValueAxis::padded(5e-324, 5e-324, true, (0.04, 0.04)).bounds();
        assert_eq!(lo, 5e-324);
        assert!(hi > 1e-323 && hi < 1e-322);
    }

    #[test]
    fn full_range_maps_without_overflow() {
        let a = ValueAxis::linear(-f64::MAX, f64::MAX);
        assert_eq!(a.fraction(0.0), 0.5);
        assert_eq!(a.fraction(f64::MAX), 1.0);
        assert_eq!(a.fraction(-f64::MAX), 0.0);
        assert_eq!(a.map(&0.0, (0, 800)), 400);
        assert_eq!(a.map(&f64::MAX, (100, 900)), 900);
        assert_eq!(a.map(&f64::INFINITY, (0, 100)), 300);
        assert_eq!(a.map(&f64::NAN, (0, 100)), 0);
        assert_eq!(
            linear_ticks(-f64::MAX, f64::MAX, 10),
            vec![-1.5e308, -1e308, -5e307, 0.0, 5e307, 1e308, 1.5e308]
        );
        assert_eq!(lerp(-f64::MAX, f64::MAX, 0.5), 0.0);
        assert_eq!(lerp(f64::MAX, f64::MAX, 0.3), f64::MAX);
    }

    #[test]
    fn linear_ticks_are_round() {
        assert_eq!(
            linear_ticks(0.0, 10.0, 10),
            vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
        );
        assert_eq!(linear_ticks(-1.0, 1.0, 5), vec![-1.0, -0.5, 0.0, 0.5, 1.0]);
        assert_eq!(linear_ticks(0.0, 5e-324, 10), Vec::<f64>::new());
        assert!(linear_ticks(1.0, 1.0, 10).is_empty());
        assert!(linear_ticks(0.0, 1.0, 0).is_empty());
        for max in 1..=12 {
            for (lo, hi) in [(0.0, 1.0), (-3.7, 1e6), (1e300, 1.7e308), (-1e-300, 1e-300)] {
                assert!(linear_ticks(lo, hi, max).len() <= max, "{lo} {hi} {max}");
            }
        }
    }

    #[test]
    fn log_ticks_adapt_to_the_range() {
        assert_eq!(
            log_ticks(3.0, 800.0, 10),
            vec![5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0]
        );
        assert_eq!(
            log_ticks(0.9, 1.0e4, 10),
            vec![1.0, 10.0, 100.0, 1000.0, 10000.0]
        );
        assert_eq!(log_ticks(15.0, 40.0, 10), vec![20.0, 30.0, 40.0]);
        assert_eq!(log_ticks(1e-3, 1e20, 10).len(), 8);
        assert!(log_ticks(0.0, 1.0, 10).is_empty());
        let all = log_ticks(5e-324, f64::MAX, 10);
        assert!(!all.is_empty() && all.len() <= 10, "{all:?}");
        assert!(all.iter().all(|t| *t > 0.0 && t.is_finite()));
        let tiny = log_ticks(5e-324, 1e-320, 10);
        assert!(
            !tiny.is_empty() && tiny.iter().all(|t| *t > 0.0),
            "{tiny:?}"
        );
    }
}

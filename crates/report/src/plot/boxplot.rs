//! Box plots with Tukey whiskers.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{
    Axis, Body, DrawResult, Figure, PlotFiles, PlotSpec, Series, ValueAxis, ValueChart,
    category_axis, category_labels, checked_axis, draw_body, draw_legend, draw_mesh, quantile,
    render, swatch, theme,
};
use crate::error::Result;

/// The most outliers drawn per series; beyond it, an evenly spaced sample by
/// rank (always including the most extreme value on each side) is drawn.
pub const MAX_OUTLIERS: usize = 300;

/// Half the width of a box, in category units.
const HALF_BOX: f64 = 0.25;
/// Half the width of a whisker cap, in category units.
const HALF_CAP: f64 = 0.12;

/// Writes one box per series to `stem.svg` and `stem.png`.
///
/// The box spans the type-7 quartiles (`perfstat_stats::quantile`) with a
/// line at the median; whiskers reach the most extreme values within
/// 1.5·IQR of the box (Tukey); values beyond are drawn as circles, at most
/// [`MAX_OUTLIERS`] per series. The value axis is vertical, log-scaled as
/// for [`super::histogram`].
///
/// - Time: O(log n) per series plus O(n) for the input check.
///
/// # Errors
/// [`crate::Error::Plot`] for no series, an empty or unsorted series, or a
/// drawing failure; [`crate::Error::Io`] when a file cannot be written.
pub fn boxplot(stem: &Path, spec: &PlotSpec<'_>, series: &[Series<'_>]) -> Result<PlotFiles> {
    let axis = checked_axis(stem, spec, series)?;
    let boxes = series.iter().map(|s| TukeyBox::new(s.sorted)).collect();
    render(
        stem,
        &BoxPlot {
            spec,
            series,
            axis,
            boxes,
        },
    )
}

/// The five numbers and the (sampled) outliers of one box.
#[derive(Debug, PartialEq)]
struct TukeyBox {
    low_whisker: f64,
    q1: f64,
    median: f64,
    q3: f64,
    high_whisker: f64,
    outliers: Vec<f64>,
}

impl TukeyBox {
    /// The box of non-empty ascending values.
    fn new(sorted: &[f64]) -> Self {
        let q = |p| quantile(sorted, p);
        let (q1, median, q3) = (q(0.25), q(0.5), q(0.75));
        // On halves, so the fences of values near ±f64::MAX do not overflow
        // (a fence beyond ±f64::MAX is ±∞, which keeps every value).
        let half_iqr = q3 / 2.0 - q1 / 2.0;
        let (low_fence, high_fence) = (q1 - 3.0 * half_iqr, q3 + 3.0 * half_iqr);
        let lo = sorted.partition_point(|&x| x < low_fence);
        let hi = sorted.partition_point(|&x| x <= high_fence);
        // The quartiles lie within the fences, so lo < hi; fall back to the
        // quartiles rather than index out of range.
        let low_whisker = sorted.get(lo).copied().unwrap_or(q1).min(q1);
        let high_whisker = hi
            .checked_sub(1)
            .and_then(|i| sorted.get(i))
            .copied()
            .unwrap_or(q3)
            .max(q3);
        let (low, high) = (&sorted[..lo], &sorted[hi.max(lo)..]);
        Self {
            low_whisker,
            q1,
            median,
            q3,
            high_whisker,
            outliers: sample_by_rank(low, high, MAX_OUTLIERS),
        }
    }
}

/// All of `low` then `high` if they hold at most `cap` values, else `cap`
/// values evenly spaced by rank over both (first and last included).
fn sample_by_rank(low: &[f64], high: &[f64], cap: usize) -> Vec<f64> {
    let total = low.len() + high.len();
    let at = |i: usize| {
        if i < low.len() {
            low[i]
        } else {
            high[i - low.len()]
        }
    };
    if total <= cap {
        return (0..total).map(at).collect();
    }
    (0..cap)
        .map(|k| {
            // Integer arithmetic: exact, and the last k gives total - 1.
            at(k * (total - 1) / (cap - 1))
        })
        .collect()
}

/// Boxes ready to draw.
struct BoxPlot<'a> {
    spec: &'a PlotSpec<'a>,
    series: &'a [Series<'a>],
    /// The value axis.
    axis: ValueAxis,
    boxes: Vec<TukeyBox>,
}

impl Figure for BoxPlot<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<(), DB> {
        let x = category_axis(self.series.len());
        draw_body(root, self.spec.title, x, self.axis.clone(), self)
    }
}

impl Body for BoxPlot<'_> {
    fn body<'c, DB: DrawingBackend + 'c>(
        &self,
        root: &DrawingArea<DB, Shift>,
        chart: &mut ValueChart<'c, DB>,
    ) -> DrawResult<(), DB> {
        let y_desc = self.spec.axis_label(self.axis.is_log());
        draw_mesh(chart, (Axis::Category, ""), (Axis::Value, &y_desc))?;
        for (i, (s, b)) in self.series.iter().zip(&self.boxes).enumerate() {
            let color = theme::series_color(i);
            #[allow(clippy::cast_precision_loss)]
            let x = i as f64;
            let line = color.stroke_width(2);
            let mut shapes: Vec<DynElement<'_, DB, (f64, f64)>> = vec![
                Rectangle::new(
                    [(x - HALF_BOX, b.q1), (x + HALF_BOX, b.q3)],
                    color.mix(theme::FILL_OPACITY).filled(),
                )
                .into_dyn(),
                Rectangle::new([(x - HALF_BOX, b.q1), (x + HALF_BOX, b.q3)], line).into_dyn(),
                PathElement::new(
                    vec![(x - HALF_BOX, b.median), (x + HALF_BOX, b.median)],
                    theme::INK.stroke_width(3),
                )
                .into_dyn(),
            ];
            for (from, to) in [(b.q1, b.low_whisker), (b.q3, b.high_whisker)] {
                shapes.push(PathElement::new(vec![(x, from), (x, to)], line).into_dyn());
                shapes.push(
                    PathElement::new(vec![(x - HALF_CAP, to), (x + HALF_CAP, to)], line).into_dyn(),
                );
            }
            shapes.extend(
                b.outliers
                    .iter()
                    .map(|&v| Circle::new((x, v), 3, color.stroke_width(1)).into_dyn()),
            );
            chart
                .draw_series(shapes)?
                .label(super::short_label(s.label))
                .legend(swatch(color));
        }
        category_labels(root, chart, self.series.iter().map(|s| s.label))?;
        draw_legend(chart, SeriesLabelPosition::UpperRight)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tukey_box_of_known_data() {
        // Q1 = 10, Q3 = 14 (type 7), IQR = 4: fences 4 … 20.
        let a = [
            0.0, 5.0, 10.0, 10.0, 11.0, 11.0, 12.0, 13.0, 13.0, 17.0, 20.25, 30.0,
        ];
        let b = TukeyBox::new(&a);
        assert_eq!(b.q1, 10.0);
        assert_eq!(b.q3, 14.0);
        assert_eq!(b.low_whisker, 5.0);
        assert_eq!(b.high_whisker, 17.0);
        assert_eq!(b.outliers, vec![0.0, 20.25, 30.0]);
    }

    #[test]
    fn one_value() {
        let b = TukeyBox::new(&[7.0]);
        assert_eq!((b.low_whisker, b.median, b.high_whisker), (7.0, 7.0, 7.0));
        assert!(b.outliers.is_empty());
    }

    #[test]
    fn outliers_are_capped_with_extremes() {
        let low: Vec<f64> = (0..1000).map(f64::from).collect();
        let high: Vec<f64> = (5000..6000).map(f64::from).collect();
        let s = sample_by_rank(&low, &high, 300);
        assert_eq!(s.len(), 300);
        assert_eq!(s.first(), Some(&0.0));
        assert_eq!(s.last(), Some(&5999.0));
        assert!(s.windows(2).all(|w| w[0] < w[1]));
    }
}

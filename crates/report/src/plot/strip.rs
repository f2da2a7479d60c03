//! Strip plots: one dot per value (a run's statistic) per series, with the series mean.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{
    Axis, Body, DrawResult, Figure, PlotFiles, PlotSpec, Series, ValueAxis, ValueChart,
    category_axis, category_labels, checked_axis, draw_body, draw_legend, draw_mesh, render,
    swatch, theme,
};
use crate::error::Result;

/// The most dots drawn per series (an evenly spaced sample by rank beyond it).
pub const MAX_STRIP_POINTS: usize = 1000;

/// Half the width over which the dots of one series are spread, in category units.
const HALF_SPREAD: f64 = 0.2;
/// Half the width of the mean line.
const HALF_MEAN: f64 = 0.3;

/// Writes one column of dots per series to `stem.svg` and `stem.png`, with a line at each
/// series' mean. The dots are spread sideways by rank (deterministic, no random jitter) so equal
/// values stay visible. The value axis is vertical, log-scaled as for [`super::histogram`].
///
/// - Time: O(n) per series.
///
/// # Errors
/// [`crate::Error::Plot`] for no series, an empty or unsorted series, or a drawing failure;
/// [`crate::Error::Io`] when a file cannot be written.
pub fn strip(stem: &Path, spec: &PlotSpec<'_>, series: &[Series<'_>]) -> Result<PlotFiles> {
    let axis = checked_axis(stem, spec, series)?;
    render(stem, &Strip { spec, series, axis })
}

struct Strip<'a> {
    spec: &'a PlotSpec<'a>,
    series: &'a [Series<'a>],
    axis: ValueAxis,
}

impl Figure for Strip<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<(), DB> {
        let x = category_axis(self.series.len());
        draw_body(root, self.spec.title, x, self.axis.clone(), self)
    }
}

/// Sideways offsets in [−HALF_SPREAD, HALF_SPREAD] for `n` dots, alternating around the centre.
fn offsets(n: usize) -> impl Iterator<Item = f64> {
    #[allow(clippy::cast_precision_loss)]
    (0..n).map(move |i| {
        if n < 2 {
            0.0
        } else {
            // Rank i of n spread evenly, then interleaved so neighbours in value sit apart.
            let slot = if i % 2 == 0 { i / 2 } else { n - 1 - i / 2 };
            -HALF_SPREAD + 2.0 * HALF_SPREAD * slot as f64 / (n - 1) as f64
        }
    })
}

impl Body for Strip<'_> {
    fn body<'c, DB: DrawingBackend + 'c>(
        &self,
        root: &DrawingArea<DB, Shift>,
        chart: &mut ValueChart<'c, DB>,
    ) -> DrawResult<(), DB> {
        let y_desc = self.spec.axis_label(self.axis.is_log());
        draw_mesh(chart, (Axis::Category, ""), (Axis::Value, &y_desc))?;
        for (i, s) in self.series.iter().enumerate() {
            let color = theme::series_color(i);
            #[allow(clippy::cast_precision_loss)]
            let x = i as f64;
            let n = s.sorted.len();
            let step = n.div_ceil(MAX_STRIP_POINTS).max(1);
            let shown: Vec<f64> = s.sorted.iter().step_by(step).copied().collect();
            #[allow(clippy::cast_precision_loss)]
            let mean = s.sorted.iter().sum::<f64>() / n as f64;
            let mut shapes: Vec<DynElement<'_, DB, (f64, f64)>> = shown
                .iter()
                .zip(offsets(shown.len()))
                .map(|(&v, dx)| Circle::new((x + dx, v), 5, color.filled()).into_dyn())
                .collect();
            if mean.is_finite() {
                shapes.push(
                    PathElement::new(
                        vec![(x - HALF_MEAN, mean), (x + HALF_MEAN, mean)],
                        theme::INK.stroke_width(2),
                    )
                    .into_dyn(),
                );
            }
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
    fn offsets_are_spread_and_bounded() {
        let o: Vec<f64> = offsets(5).collect();
        assert_eq!(o.len(), 5);
        assert!(o.iter().all(|d| d.abs() <= HALF_SPREAD + 1e-12));
        let mut sorted = o.clone();
        sorted.sort_by(f64::total_cmp);
        sorted.dedup();
        assert_eq!(sorted.len(), 5, "{o:?}");
        assert_eq!(offsets(1).collect::<Vec<_>>(), [0.0]);
    }
}

//! Empirical cumulative distribution functions as step lines.

use std::path::Path;

use perfstat_stats::quantile::{QuantileMethod, quantile_sorted};
use plotters::coord::Shift;
use plotters::prelude::*;

use super::{
    Axis, Body, DrawResult, Figure, PlotFiles, PlotSpec, Series, ValueAxis, ValueChart,
    checked_axis, draw_body, draw_legend, draw_mesh, render, theme,
};
use crate::error::Result;

/// The most steps drawn per series; larger samples are drawn at this many
/// quantiles, finer than a pixel on a 500 px high plot.
pub const MAX_ECDF_POINTS: usize = 2000;

/// Writes the ECDFs of `series` as step lines to `stem.svg` and `stem.png`.
///
/// A series of at most [`MAX_ECDF_POINTS`] distinct values is drawn exactly.
/// A larger one is drawn through the minimum and its inverted-CDF quantiles
/// at k / [`MAX_ECDF_POINTS`], k = 1 … [`MAX_ECDF_POINTS`], each at its exact
/// ECDF height: every corner drawn lies on the true ECDF and no step is
/// taller than 1/2000, so the picture is the same. Log-x as for
/// [`super::histogram`].
///
/// - Time: O(min(n, 2000) · log n) per series plus O(n) for the input check.
///
/// # Errors
/// [`crate::Error::Plot`] for no series, an empty or unsorted series, or a
/// drawing failure; [`crate::Error::Io`] when a file cannot be written.
pub fn ecdf(stem: &Path, spec: &PlotSpec<'_>, series: &[Series<'_>]) -> Result<PlotFiles> {
    let window = checked_axis(stem, spec, series)?;
    let points = series.iter().map(|s| ecdf_points(s.sorted)).collect();
    render(
        stem,
        &Ecdf {
            spec,
            series,
            window,
            points,
        },
    )
}

/// Corners of the ECDF: `(x, F(x))` at ascending distinct x, the last at F = 1.
fn ecdf_points(sorted: &[f64]) -> Vec<(f64, f64)> {
    let n = sorted.len();
    #[allow(clippy::cast_precision_loss)]
    let nf = n as f64;
    let height = |x: f64| {
        #[allow(clippy::cast_precision_loss)]
        let at_most = sorted.partition_point(|&v| v <= x) as f64;
        at_most / nf
    };
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(n.min(MAX_ECDF_POINTS) + 1);
    let mut push = |x: f64, f: f64| match out.last_mut() {
        Some(last) if last.0 == x => last.1 = f,
        _ => out.push((x, f)),
    };
    if n <= MAX_ECDF_POINTS {
        for (i, &x) in sorted.iter().enumerate() {
            #[allow(clippy::cast_precision_loss)]
            push(x, (i + 1) as f64 / nf);
        }
    } else {
        if let Some(&min) = sorted.first() {
            push(min, height(min));
        }
        for k in 1..=MAX_ECDF_POINTS {
            #[allow(clippy::cast_precision_loss)]
            let p = k as f64 / MAX_ECDF_POINTS as f64;
            let x = quantile_sorted(sorted, p, QuantileMethod::InvertedCdf);
            push(x, height(x));
        }
    }
    out
}

/// ECDFs ready to draw.
struct Ecdf<'a> {
    spec: &'a PlotSpec<'a>,
    series: &'a [Series<'a>],
    /// The x axis.
    window: ValueAxis,
    points: Vec<Vec<(f64, f64)>>,
}

impl Figure for Ecdf<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<(), DB> {
        let y = ValueAxis::linear(-0.02, 1.04);
        draw_body(root, self.spec.title, self.window.clone(), y, self)
    }
}

impl Body for Ecdf<'_> {
    fn body<'c, DB: DrawingBackend + 'c>(
        &self,
        _root: &DrawingArea<DB, Shift>,
        chart: &mut ValueChart<'c, DB>,
    ) -> DrawResult<(), DB> {
        let x_desc = self.spec.axis_label(self.window.is_log());
        draw_mesh(
            chart,
            (Axis::Value, &x_desc),
            (Axis::Value, "share of values ≤ x (ECDF)"),
        )?;
        let (x0, x1) = self.window.bounds();
        for (i, (s, points)) in self.series.iter().zip(&self.points).enumerate() {
            let color = theme::series_color(i);
            let mut path = Vec::with_capacity(2 * points.len() + 2);
            path.push((x0, 0.0));
            let mut previous = 0.0;
            for &(x, f) in points {
                path.push((x, previous));
                path.push((x, f));
                previous = f;
            }
            path.push((x1, previous));
            chart
                .draw_series(std::iter::once(PathElement::new(
                    path,
                    color.stroke_width(2),
                )))?
                .label(super::short_label(s.label))
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(3))
                });
        }
        draw_legend(chart, SeriesLabelPosition::LowerRight)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_samples_are_exact() {
        assert_eq!(
            ecdf_points(&[1.0, 2.0, 2.0, 4.0]),
            vec![(1.0, 0.25), (2.0, 0.75), (4.0, 1.0)]
        );
        assert_eq!(ecdf_points(&[3.0]), vec![(3.0, 1.0)]);
    }

    #[test]
    fn large_samples_are_downsampled_on_the_ecdf() {
        let a: Vec<f64> = (0..100_000).map(|i| f64::from(i / 3)).collect();
        let points = ecdf_points(&a);
        assert!(points.len() <= MAX_ECDF_POINTS + 1);
        assert_eq!(points.first().map(|p| p.0), Some(0.0));
        assert_eq!(points.last(), Some(&(33_333.0, 1.0)));
        for &(x, f) in &points {
            #[allow(clippy::cast_precision_loss)]
            let exact = a.partition_point(|&v| v <= x) as f64 / a.len() as f64;
            assert_eq!(f, exact);
        }
        // No gap in F larger than 1/2000 (+ one tie group).
        assert!(
            points
                .windows(2)
                .all(|w| w[1].1 - w[0].1 <= 1.0 / 2000.0 + 3e-5)
        );
    }
}

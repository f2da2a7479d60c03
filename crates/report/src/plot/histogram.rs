//! Overlaid histograms on shared bins.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{
    Axis, Body, DrawResult, Figure, PlotFiles, PlotSpec, Series, ValueAxis, ValueChart,
    checked_axis, data_range, draw_body, draw_legend, draw_mesh, quartiles, render, swatch, theme,
};
use crate::error::Result;

/// The most bins a histogram has (Freedman–Diaconis is capped here).
pub const MAX_BINS: usize = 100;

/// Writes overlaid histograms of `series` to `stem.svg` and `stem.png`.
///
/// All series share the same bins: Freedman–Diaconis width (2·IQR·n^(−1/3),
/// the narrowest over the series), at most [`MAX_BINS`] bins, Sturges' count
/// when every IQR is zero. The bars show the share of each series' values
/// (%), so samples of different sizes compare. With a log axis (see
/// [`super::Scale`]) the bins are equal in log space. Bars are semi-transparent
/// fills with a step outline per series, drawn in bin order.
///
/// - Time: O(bins · log n) per series (bin counts by binary search on the
///   sorted values) plus O(n) for the input check.
///
/// # Errors
/// [`crate::Error::Plot`] for no series, an empty or unsorted series, or a
/// drawing failure; [`crate::Error::Io`] when a file cannot be written.
pub fn histogram(stem: &Path, spec: &PlotSpec<'_>, series: &[Series<'_>]) -> Result<PlotFiles> {
    let window = checked_axis(stem, spec, series)?;
    let edges = bin_edges(series, &window);
    let shares = series.iter().map(|s| shares(s.sorted, &edges)).collect();
    render(
        stem,
        &Histogram {
            spec,
            series,
            window,
            edges,
            shares,
        },
    )
}

/// Bin edges shared by all series (strictly ascending, at least two).
///
/// The bins are computed on the positions of the values along `window`
/// (0 at its start, 1 at its end; equal in log space on a log axis), so
/// nothing overflows whatever the values.
fn bin_edges(series: &[Series<'_>], window: &ValueAxis) -> Vec<f64> {
    let (min, max) = data_range(series);
    let (lo, hi) = (window.fraction(min), window.fraction(max));
    if hi - lo <= 1e-9 {
        // One value: a single bar a twentieth of the axis window wide.
        let a = window.at(lo - 0.025).min(min);
        let b = window.at(hi + 0.025).max(max);
        return if a < b { vec![a, b] } else { vec![min, max] };
    }
    let width = series
        .iter()
        .filter_map(|s| {
            let (q1, q3) = quartiles(s.sorted);
            let iqr = window.fraction(q3) - window.fraction(q1);
            #[allow(clippy::cast_precision_loss)]
            let n = s.sorted.len() as f64;
            (iqr > 0.0).then(|| 2.0 * iqr / n.cbrt())
        })
        .fold(f64::INFINITY, f64::min);
    let count = if width.is_finite() {
        (hi - lo) / width
    } else {
        // Sturges on the pooled size when every IQR is zero.
        let n: usize = series.iter().map(|s| s.sorted.len()).sum();
        #[allow(clippy::cast_precision_loss)]
        let n = n as f64;
        n.log2() + 1.0
    };
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let count = (count.ceil().clamp(1.0, MAX_BINS as f64)) as usize;
    let mut edges: Vec<f64> = (0..=count)
        .map(|i| {
            #[allow(clippy::cast_precision_loss)]
            let t = lo + (hi - lo) * (i as f64) / (count as f64);
            window.at(t)
        })
        .collect();
    // Exact ends, so the extreme values fall in the first and last bins.
    edges[0] = min;
    edges[count] = max;
    // Rounding near the resolution of f64 may merge neighbours: keep them apart.
    edges.dedup_by(|b, a| *b <= *a);
    if edges.len() < 2 {
        return vec![min, max];
    }
    edges
}

/// The share (%) of `sorted` in each bin `[edges[i], edges[i+1])`, the last
/// bin closed; values outside all bins are not counted.
fn shares(sorted: &[f64], edges: &[f64]) -> Vec<f64> {
    let below = |e: f64| sorted.partition_point(|&x| x < e);
    // invariant: `bin_edges` returns at least two edges.
    let bins = edges.len().saturating_sub(1);
    let mut cum: Vec<usize> = edges.iter().map(|&e| below(e)).collect();
    cum[bins] = sorted.partition_point(|&x| x <= edges[bins]);
    #[allow(clippy::cast_precision_loss)]
    let n = sorted.len() as f64;
    cum.windows(2)
        .map(|w| {
            #[allow(clippy::cast_precision_loss)]
            let c = (w[1] - w[0]) as f64;
            100.0 * c / n
        })
        .collect()
}

/// A histogram ready to draw.
struct Histogram<'a> {
    spec: &'a PlotSpec<'a>,
    series: &'a [Series<'a>],
    /// The x axis.
    window: ValueAxis,
    edges: Vec<f64>,
    shares: Vec<Vec<f64>>,
}

impl Figure for Histogram<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<(), DB> {
        let top = self.shares.iter().flatten().fold(0.0f64, |a, &b| a.max(b));
        let y = ValueAxis::linear(0.0, (top * 1.1).max(1.0));
        draw_body(root, self.spec.title, self.window.clone(), y, self)
    }
}

impl Body for Histogram<'_> {
    fn body<'c, DB: DrawingBackend + 'c>(
        &self,
        _root: &DrawingArea<DB, Shift>,
        chart: &mut ValueChart<'c, DB>,
    ) -> DrawResult<(), DB> {
        let x_desc = self.spec.axis_label(self.window.is_log());
        draw_mesh(
            chart,
            (Axis::Value, &x_desc),
            (Axis::Value, "share of values (%)"),
        )?;
        for (i, (s, shares)) in self.series.iter().zip(&self.shares).enumerate() {
            let color = theme::series_color(i);
            let fill = color.mix(theme::FILL_OPACITY).filled();
            let bars = shares
                .iter()
                .enumerate()
                .filter(|&(_, &h)| h > 0.0)
                .map(|(j, &h)| {
                    Rectangle::new([(self.edges[j], 0.0), (self.edges[j + 1], h)], fill)
                });
            chart
                .draw_series(bars)?
                .label(super::short_label(s.label))
                .legend(swatch(color));
            let mut outline = Vec::with_capacity(2 * shares.len() + 2);
            outline.push((self.edges[0], 0.0));
            for (j, &h) in shares.iter().enumerate() {
                outline.push((self.edges[j], h));
                outline.push((self.edges[j + 1], h));
            }
            outline.push((self.edges[shares.len()], 0.0));
            chart.draw_series(std::iter::once(PathElement::new(
                outline,
                color.stroke_width(2),
            )))?;
        }
        draw_legend(chart, SeriesLabelPosition::UpperRight)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::padded_axis;

    #[test]
    fn shares_cover_everything() {
        let a = [1.0, 2.0, 2.0, 3.0, 4.0, 10.0];
        let s = [Series::new("a", &a)];
        for log in [false, true] {
            let edges = bin_edges(&s, &padded_axis(1.0, 10.0, log));
            assert!(edges.windows(2).all(|w| w[0] < w[1]), "{edges:?}");
            let total: f64 = shares(&a, &edges).iter().sum();
            assert!((total - 100.0).abs() < 1e-9);
        }
    }

    #[test]
    fn one_value_gives_one_bin() {
        let a = [5.0];
        let edges = bin_edges(&[Series::new("a", &a)], &padded_axis(5.0, 5.0, false));
        assert_eq!(edges.len(), 2);
        assert_eq!(shares(&a, &edges), vec![100.0]);
    }

    #[test]
    fn bins_are_capped() {
        // Freedman–Diaconis asks for ~10 000 bins here.
        let mut a: Vec<f64> = (0..1000).map(f64::from).collect();
        a.push(1.0e6);
        let edges = bin_edges(&[Series::new("a", &a)], &padded_axis(0.0, 1.0e6, false));
        assert_eq!(edges.len(), MAX_BINS + 1);
        // Uniform data: width 2·IQR/n^(1/3) = 100 000 / 46.4, so 47 bins.
        let u: Vec<f64> = (0..=100_000).map(f64::from).collect();
        let window = padded_axis(0.0, 1.0e5, false);
        assert_eq!(bin_edges(&[Series::new("u", &u)], &window).len(), 48);
    }
}

//! A percentile ladder: high percentiles of each series with intervals.

use std::path::Path;

use perfstat_stats::Interval;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::axis::finite_bounds;
use super::{
    Axis, Body, DrawResult, Figure, PlotFiles, PlotSpec, Scale, ValueAxis, ValueChart,
    category_axis, category_labels, draw_body, draw_legend, draw_mesh, level_label, padded_axis,
    plot_error, render, theme,
};
use crate::error::Result;

/// One percentile of one series.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LadderPoint {
    /// The level in (0, 1), e.g. 0.99 for p99.
    pub level: f64,
    /// The estimate of the percentile.
    pub estimate: f64,
    /// Its confidence interval, if one is defined (drawn as an error bar).
    pub interval: Option<Interval>,
}

/// The percentiles of one series.
#[derive(Clone, Copy, Debug)]
pub struct LadderSeries<'a> {
    /// The legend label, e.g. `"treatment"`.
    pub label: &'a str,
    /// Its percentiles, in any order.
    pub points: &'a [LadderPoint],
}

/// Writes a percentile ladder to `stem.svg` and `stem.png`: one column per
/// level (p50, p90, …, p99.9), each series' estimate as a dot with its
/// interval as an error bar, side by side, the dots of a series joined.
///
/// The value axis is logarithmic under [`Scale::Auto`] when all values are
/// positive and the largest is more than 10 times the smallest.
///
/// A non-finite estimate (a percentile that overflowed or is undefined) is
/// not drawn, nor is a non-finite interval; the rest of the ladder is.
///
/// # Errors
/// [`crate::Error::Plot`] for no series, a series without points, a level
/// outside (0, 1), an interval with lower > upper, or a drawing failure;
/// [`crate::Error::Io`] when a file cannot be written.
pub fn ladder(stem: &Path, spec: &PlotSpec<'_>, series: &[LadderSeries<'_>]) -> Result<PlotFiles> {
    if series.is_empty() {
        return Err(plot_error(stem, "no series to plot"));
    }
    for s in series {
        if s.points.is_empty() {
            return Err(plot_error(
                stem,
                format!("series \"{}\" has no percentiles", s.label),
            ));
        }
        for p in s.points {
            let level_ok = p.level > 0.0 && p.level < 1.0;
            let ordered = p
                .interval
                .is_none_or(|i| i.lower <= i.upper || i.lower.is_nan() || i.upper.is_nan());
            if !(level_ok && ordered) {
                return Err(plot_error(
                    stem,
                    format!(
                        "series \"{}\": invalid percentile {:?} (level in (0, 1), lower ≤ upper)",
                        s.label, p
                    ),
                ));
            }
        }
    }
    let mut levels: Vec<f64> = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.level))
        .collect();
    levels.sort_by(f64::total_cmp);
    levels.dedup();
    let values = series.iter().flat_map(|s| {
        s.points.iter().flat_map(|p| {
            let (lo, hi) = finite_interval(p).unwrap_or((p.estimate, p.estimate));
            [lo, p.estimate, hi]
        })
    });
    let (min, max) = finite_bounds(values).unwrap_or((0.0, 0.0));
    let log = min > 0.0
        && match spec.scale {
            Scale::Linear => false,
            Scale::Log => true,
            Scale::Auto => max / min > 10.0,
        };
    render(
        stem,
        &Ladder {
            spec,
            series,
            levels,
            axis: padded_axis(min, max, log),
        },
    )
}

/// The interval of `p` if it has one with finite bounds.
fn finite_interval(p: &LadderPoint) -> Option<(f64, f64)> {
    p.interval
        .map(|i| (i.lower, i.upper))
        .filter(|(a, b)| a.is_finite() && b.is_finite())
}

/// A ladder ready to draw.
struct Ladder<'a> {
    spec: &'a PlotSpec<'a>,
    series: &'a [LadderSeries<'a>],
    levels: Vec<f64>,
    /// The value axis.
    axis: ValueAxis,
}

impl Figure for Ladder<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<(), DB> {
        let x = category_axis(self.levels.len());
        draw_body(root, self.spec.title, x, self.axis.clone(), self)
    }
}

impl Body for Ladder<'_> {
    fn body<'c, DB: DrawingBackend + 'c>(
        &self,
        root: &DrawingArea<DB, Shift>,
        chart: &mut ValueChart<'c, DB>,
    ) -> DrawResult<(), DB> {
        let y_desc = self.spec.axis_label(self.axis.is_log());
        draw_mesh(
            chart,
            (Axis::Category, "percentile"),
            (Axis::Value, &y_desc),
        )?;
        #[allow(clippy::cast_precision_loss)]
        let k = self.series.len() as f64;
        let step = (0.5 / k).min(0.18);
        let cap = (step * 0.35).min(0.06);
        for (i, s) in self.series.iter().enumerate() {
            let color = theme::series_color(i);
            #[allow(clippy::cast_precision_loss)]
            let offset = (i as f64 - (k - 1.0) / 2.0) * step;
            let mut points: Vec<(f64, LadderPoint)> = s
                .points
                .iter()
                .filter(|p| p.estimate.is_finite())
                .map(|p| {
                    let column = self.levels.partition_point(|&l| l < p.level);
                    #[allow(clippy::cast_precision_loss)]
                    let x = column as f64 + offset;
                    (x, *p)
                })
                .collect();
            points.sort_by(|a, b| a.0.total_cmp(&b.0));
            let line = color.stroke_width(2);
            chart.draw_series(std::iter::once(PathElement::new(
                points
                    .iter()
                    .map(|(x, p)| (*x, p.estimate))
                    .collect::<Vec<_>>(),
                color.mix(0.5).stroke_width(1),
            )))?;
            let mut shapes: Vec<DynElement<'_, DB, (f64, f64)>> = Vec::new();
            for &(x, p) in &points {
                if let Some((lower, upper)) = finite_interval(&p) {
                    shapes.push(PathElement::new(vec![(x, lower), (x, upper)], line).into_dyn());
                    for b in [lower, upper] {
                        shapes.push(
                            PathElement::new(vec![(x - cap, b), (x + cap, b)], line).into_dyn(),
                        );
                    }
                }
                shapes.push(Circle::new((x, p.estimate), 4, color.filled()).into_dyn());
            }
            chart
                .draw_series(shapes)?
                .label(super::short_label(s.label))
                .legend(move |(x, y)| Circle::new((x + 7, y), 4, color.filled()));
        }
        category_labels(root, chart, self.levels.iter().map(|&l| level_label(l)))?;
        draw_legend(chart, SeriesLabelPosition::UpperLeft)
    }
}

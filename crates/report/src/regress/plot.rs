//! The time-series plot of one metric: its history, the baseline's 95 %
//! prediction band over the window, the current run coloured by status,
//! change points as dashed vertical lines with their relative change, and
//! outliers as hollow circles. SVG and PNG (900 × 500) with the embedded font
//! and the theme of [`crate::plot`]; deterministic output.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{MetricDoc, RegressDoc, percent};
use crate::error::Result;
pub use crate::plot::slug;
use crate::plot::{
    DrawResult, Figure, HEIGHT, PlotFiles, ValueAxis, WIDTH, axis::finite_bounds, axis::lerp,
    build_chart, draw_legend, draw_value_mesh, plot_error, render_sized, theme, unique_stems,
};

/// Regression red.
const RED: RGBColor = RGBColor(198, 40, 40);
/// Improvement green.
const GREEN: RGBColor = RGBColor(46, 125, 50);
/// Neutral grey for ok / insufficient data.
const GREY: RGBColor = RGBColor(97, 97, 97);

/// One metric's history, as a [`Figure`].
struct TimeSeries<'a> {
    m: &'a MetricDoc,
    window: usize,
    alpha: f64,
}

impl Figure for TimeSeries<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<(), DB> {
        draw(root, self.m, self.window, self.alpha)
    }
}

/// Writes the plot of `m` to `stem.svg` and `stem.png`; `window` and `alpha`
/// are printed in the corner.
///
/// # Errors
/// [`Error::Plot`](crate::Error::Plot) when the metric has no value at all or drawing fails;
/// [`Error::Io`](crate::Error::Io) when a file cannot be written.
pub fn time_series(m: &MetricDoc, window: usize, alpha: f64, stem: &Path) -> Result<PlotFiles> {
    if !m.series.iter().any(Option::is_some) {
        return Err(plot_error(stem, format!("{}: no values to plot", m.name)));
    }
    render_sized(stem, (WIDTH, HEIGHT), &TimeSeries { m, window, alpha })
}

/// Writes the time-series plot of every metric the Markdown shows under `limit` (see
/// [`RegressDoc::markdown_with`]) and that has a value into `dir`, one file per metric named
/// by its [`slug`] (unique within the report, see [`unique_stems`]), and returns `(metric
/// name, PNG file name)` pairs for the Markdown. Metrics without any value get no plot.
///
/// # Errors
/// As [`time_series`].
pub fn time_series_plots(
    doc: &RegressDoc,
    dir: &Path,
    limit: crate::fmt::RowLimit,
) -> Result<Vec<(String, String)>> {
    let drawn: Vec<&MetricDoc> = (doc.shown(limit).0.into_iter())
        .filter(|m| m.series.iter().any(Option::is_some))
        .collect();
    let stems = unique_stems(drawn.iter().map(|m| slug(&m.name)));
    let mut out = Vec::with_capacity(drawn.len());
    for (m, stem) in drawn.into_iter().zip(stems) {
        time_series(m, doc.window, doc.alpha, &dir.join(&stem))?;
        out.push((m.name.clone(), format!("{stem}.png")));
    }
    Ok(out)
}

#[allow(clippy::too_many_lines, clippy::cast_precision_loss)]
fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    m: &MetricDoc,
    window: usize,
    alpha: f64,
) -> DrawResult<(), DB> {
    let n = m.series.len();
    let points: Vec<(f64, f64)> = m
        .series
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| (i as f64, v)))
        .collect();
    // A band or mean that overflowed (values near ±f64::MAX) is not drawn.
    let band = m
        .band
        .filter(|&(_, l, h)| l.is_finite() && h.is_finite() && l <= h);
    let mean = m.baseline.mean.filter(|v| v.is_finite());
    let values = points
        .iter()
        .map(|p| p.1)
        .chain(band.iter().flat_map(|&(_, l, h)| [l, h]));
    let (lo, hi) = finite_bounds(values).unwrap_or((0.0, 0.0));
    // Headroom for the legend (upper left) above the data.
    let y_axis = ValueAxis::padded(lo, hi, false, (0.08, 0.62));
    let (y0, y1) = y_axis.bounds();
    let x1 = (n.max(2) - 1) as f64;
    let (x0, x1) = (-0.02 * x1 - 0.5, x1 * 1.02 + 0.5);

    let status_word = m.status.replace('_', " ");
    let change = m
        .change
        .relative
        .map_or_else(String::new, |r| format!(" ({})", percent(r)));
    let title = format!("{} — {status_word}{change}", m.name);
    let unit = crate::fmt::unit_from_name(&m.name);
    let y_desc = match unit {
        Some(u) => format!("{} ({u})", m.name),
        None => m.name.clone(),
    };
    // The value axis's label area regress's plots have always had: 80 px, not the usual 72.
    let mut chart = build_chart(root, &title, ValueAxis::linear(x0, x1), y_axis, 80)?;
    draw_value_mesh(&mut chart, ("run (oldest → newest)", &y_desc), (10, 8))?;

    let current_index = n.saturating_sub(1) as f64;
    // Baseline band over the window, extended to the current run.
    if let Some((first, l, h)) = band {
        let band_color = theme::CONTROL.mix(0.18);
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(first as f64 - 0.4, l), (current_index + 0.4, h)],
                band_color.filled(),
            )))?
            .label(format!("baseline 95 % prediction band ({window} runs)"))
            .legend(|(x, y)| {
                Rectangle::new(
                    [(x, y - 6), (x + 14, y + 6)],
                    theme::CONTROL.mix(0.3).filled(),
                )
            });
        if let Some(mean) = mean {
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(first as f64 - 0.4, mean), (current_index + 0.4, mean)],
                theme::CONTROL.stroke_width(1),
            )))?;
        }
    }

    // Change points: dashed vertical lines between the runs, labelled.
    let label_style = (theme::FONT_FAMILY, theme::LABEL_SIZE)
        .into_font()
        .color(&theme::TREATMENT)
        .pos(Pos::new(HPos::Left, VPos::Top));
    for (k, cp) in m.change_points.iter().enumerate() {
        let x = cp.index as f64 - 0.5;
        let dashes: Vec<PathElement<(f64, f64)>> = (0..40)
            .filter(|i| i % 2 == 0)
            .map(|i| {
                let a = lerp(y0, y1, f64::from(i) / 40.0);
                let b = lerp(y0, y1, f64::from(i + 1) / 40.0);
                PathElement::new(vec![(x, a), (x, b)], theme::TREATMENT.stroke_width(2))
            })
            .collect();
        let series = chart.draw_series(dashes)?;
        if k == 0 {
            series.label("change point").legend(|(x, y)| {
                PathElement::new(
                    vec![(x, y - 7), (x, y + 7)],
                    theme::TREATMENT.stroke_width(2),
                )
            });
        }
        let (px, py) = chart.backend_coord(&(x, y1));
        let text = cp.relative_change.map_or_else(String::new, percent);
        root.draw(&Text::new(text, (px + 5, py + 4), &label_style))?;
    }

    // The history: lines between consecutive runs with values (gaps break the line).
    let mut segment: Vec<(f64, f64)> = Vec::new();
    let mut segments: Vec<Vec<(f64, f64)>> = Vec::new();
    for (i, v) in m.series.iter().enumerate() {
        match v {
            Some(v) if m.outliers.binary_search(&i).is_err() => segment.push((i as f64, *v)),
            Some(_) => {}
            None => {
                if !segment.is_empty() {
                    segments.push(std::mem::take(&mut segment));
                }
            }
        }
    }
    if !segment.is_empty() {
        segments.push(segment);
    }
    for (k, s) in segments.into_iter().enumerate() {
        let series = chart.draw_series(std::iter::once(PathElement::new(
            s,
            theme::CONTROL.mix(0.8).stroke_width(1),
        )))?;
        if k == 0 {
            series.label("history").legend(|(x, y)| {
                PathElement::new(vec![(x, y), (x + 14, y)], theme::CONTROL.stroke_width(2))
            });
        }
    }
    let dot = if n > 400 { 1 } else { 2 };
    chart.draw_series(
        points
            .iter()
            .filter(|p| {
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let i = p.0 as usize;
                m.outliers.binary_search(&i).is_err() && i + 1 < n
            })
            .map(|&p| Circle::new(p, dot, theme::CONTROL.filled())),
    )?;
    if !m.outliers.is_empty() {
        chart
            .draw_series(m.outliers.iter().filter_map(|&i| {
                m.series
                    .get(i)
                    .copied()
                    .flatten()
                    .map(|v| Circle::new((i as f64, v), 5, theme::CONTROL.stroke_width(2)))
            }))?
            .label("outlier (single-run spike)")
            .legend(|(x, y)| Circle::new((x + 7, y), 5, theme::CONTROL.stroke_width(2)));
    }
    if let Some(Some(v)) = m.series.last() {
        let color = match m.status {
            "regression" => RED,
            "improvement" => GREEN,
            _ => GREY,
        };
        chart
            .draw_series(std::iter::once(Circle::new(
                (current_index, *v),
                7,
                color.filled(),
            )))?
            .label(format!("current run: {status_word}"))
            .legend(move |(x, y)| Circle::new((x + 7, y), 6, color.filled()));
    }
    draw_legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
    // Parameters in the lower right corner.
    let sign = if m.direction == "lower_is_better" {
        "+"
    } else {
        "-"
    };
    let params = format!(
        "window {window} · threshold {sign}{} % · BH q ≤ {alpha} · robust PELT",
        crate::fmt::sig(m.threshold * 100.0, 3),
    );
    let (px, py) = chart.backend_coord(&(x1, y0));
    root.draw(&Text::new(
        params,
        (px - 8, py - 8),
        (theme::FONT_FAMILY, theme::LABEL_SIZE - 2)
            .into_font()
            .color(&theme::INK.mix(0.7))
            .pos(Pos::new(HPos::Right, VPos::Bottom)),
    ))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("p95_latency_ms"), "p95_latency_ms");
        assert!(slug("GET /search p95").starts_with("get-search-p95-"));
        assert!(slug("///").starts_with("plot-"));
    }
}

//! Plots of a capacity analysis against load: throughput (measured points
//! with intervals, the USL curve and its peak), latency percentiles (with the
//! p95 objective) and the error rate (with the allowed maximum).
//!
//! Every plot is written as SVG and PNG (900 × 500) with the embedded DejaVu
//! Sans of [`crate::plot::font`] and the colours of [`crate::plot::theme`];
//! the same input gives byte-identical files.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::CapacityDoc;
use crate::error::Result;
use crate::plot::{
    DrawResult, Figure, HEIGHT, PlotFiles, ValueAxis, WIDTH, Y_LABEL_AREA, axis::finite_bounds,
    axis::lerp, build_chart, draw_legend, draw_value_mesh, render_sized, short_tick, theme,
};

/// Measured points.
const MEASURED: RGBColor = RGBColor(0, 114, 178);
/// The model curve.
const MODEL: RGBColor = theme::TREATMENT;
/// The unbounded fit's curve, beside a bounded fit that holds a parameter at a bound.
const UNBOUNDED: RGBColor = RGBColor(120, 120, 120);
/// Objective lines.
const LIMIT: RGBColor = RGBColor(200, 40, 40);

/// One plot written by [`plots`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CapacityPlot {
    /// The alt text in the Markdown.
    pub title: String,
    /// The PNG's file name (relative to the report folder).
    pub png_name: String,
    /// The files written.
    pub files: PlotFiles,
}

/// One measured point: x, estimate, optional interval.
type Point = (f64, f64, Option<(f64, f64)>);

/// A series of measured points.
struct Line {
    label: String,
    color: RGBColor,
    points: Vec<Point>,
}

/// Everything one chart shows.
struct Chart {
    title: String,
    x_desc: String,
    y_desc: String,
    lines: Vec<Line>,
    /// The model curve and its legend label.
    curve: Option<(String, Vec<(f64, f64)>)>,
    /// The unbounded fit's curve and its label, when it differs from the model's.
    unbounded: Option<(String, Vec<(f64, f64)>)>,
    /// A horizontal objective line and its label.
    limit: Option<(f64, String)>,
    /// A marked point (the peak) and its label.
    marker: Option<((f64, f64), String)>,
    /// Whether to join the measured points (not when a model curve is shown).
    join: bool,
    /// Where the legend goes (away from the data).
    legend: SeriesLabelPosition,
}

/// Writes `throughput`, `latency` and `errors` plots (SVG and PNG) into
/// `dir`; latency and errors only when the levels have them.
///
/// # Errors
/// [`Error::Plot`](crate::Error::Plot) on a drawing failure, [`Error::Io`](crate::Error::Io) when a file cannot be written.
pub fn plots(doc: &CapacityDoc, dir: &Path) -> Result<Vec<CapacityPlot>> {
    let x_desc = if doc.workload == "open" {
        "offered load (requests/s)".to_owned()
    } else {
        "load (concurrent users)".to_owned()
    };
    let mut charts = Vec::new();

    // Throughput.
    let measured = Line {
        label: "measured".into(),
        color: MEASURED,
        points: doc
            .levels
            .iter()
            .map(|l| {
                (
                    l.level,
                    l.throughput.estimate,
                    l.throughput.lower.zip(l.throughput.upper),
                )
            })
            .collect(),
    };
    let max_level = doc
        .levels
        .iter()
        .map(|l| l.level)
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let end = doc
        .peak
        .map(|p| p.load.estimate)
        .filter(|v| v.is_finite())
        .map_or(max_level, |p| p.max(max_level));
    // The curves reach the `--predict` loads too.
    let end = doc
        .predictions
        .iter()
        .map(|p| p.load)
        .filter(|v| v.is_finite())
        .fold(end, f64::max);
    // 5 % beyond the last level, saturating at f64::MAX.
    let end = (end + end * 0.05).min(f64::MAX);
    let usl_curve = |what: &str, (lambda, sigma, kappa): (f64, f64, f64)| {
        let pts: Vec<(f64, f64)> = (0..=200)
            .map(|i| {
                let n = lerp(0.0, end, f64::from(i) / 200.0);
                let d = 1.0 + sigma * (n - 1.0) + kappa * n * (n - 1.0);
                (n, if d > 0.0 { lambda * n / d } else { f64::NAN })
            })
            .filter(|p| p.0.is_finite() && p.1.is_finite() && p.1 >= 0.0)
            .collect();
        (
            format!(
                "{what}: λ = {}, σ = {}, κ = {}",
                crate::fmt::sig(lambda, 3),
                crate::fmt::sig(sigma, 3),
                crate::fmt::sig(kappa, 3)
            ),
            pts,
        )
    };
    let curve = doc.model.as_ref().map(|m| {
        usl_curve(
            "USL",
            (m.lambda.estimate, m.sigma.estimate, m.kappa.estimate),
        )
    });
    let unbounded = doc.model.as_ref().and_then(|m| m.unbounded).map(|u| {
        usl_curve(
            "unbounded fit",
            (u.lambda.estimate, u.sigma.estimate, u.kappa.estimate),
        )
    });
    let marker = doc.peak.map(|p| {
        (
            (p.load.estimate, p.throughput.estimate),
            format!(
                "peak: {}/s at N* = {}",
                crate::fmt::sig(p.throughput.estimate, 3),
                crate::fmt::sig(p.load.estimate, 3)
            ),
        )
    });
    charts.push((
        "throughput",
        Chart {
            title: "Throughput vs load".into(),
            x_desc: x_desc.clone(),
            y_desc: "throughput (requests/s)".into(),
            join: curve.is_none(),
            lines: vec![measured],
            curve,
            unbounded,
            limit: None,
            marker,
            legend: SeriesLabelPosition::LowerRight,
        },
    ));

    // Latency percentiles.
    let unit = doc.unit.clone();
    let pick = |k: usize| -> Vec<Point> {
        doc.levels
            .iter()
            .filter_map(|l| {
                let v = [l.latency.p50, l.latency.p95, l.latency.p99][k]?;
                Some((l.level, v.estimate, v.lower.zip(v.upper)))
            })
            .collect()
    };
    let lat_lines: Vec<Line> = ["p50", "p95", "p99"]
        .iter()
        .enumerate()
        .map(|(k, name)| Line {
            label: (*name).to_owned(),
            color: [theme::CONTROL, MEASURED, theme::EXTRA[1]][k],
            points: pick(k),
        })
        .filter(|l| !l.points.is_empty())
        .collect();
    if !lat_lines.is_empty() {
        let u = unit.as_deref().map_or(String::new(), |u| format!(" ({u})"));
        charts.push((
            "latency",
            Chart {
                title: "Latency percentiles vs load".into(),
                x_desc: x_desc.clone(),
                y_desc: format!("latency{u}"),
                lines: lat_lines,
                curve: None,
                unbounded: None,
                limit: p95_objective(doc).map(|v| {
                    (
                        v,
                        format!(
                            "p95 objective: {}{}",
                            short_tick(v),
                            unit.as_deref().map_or(String::new(), |u| format!(" {u}"))
                        ),
                    )
                }),
                marker: None,
                join: true,
                legend: SeriesLabelPosition::UpperLeft,
            },
        ));
    }

    // Error rate.
    let err_points: Vec<Point> = doc
        .levels
        .iter()
        .filter_map(|l| {
            let e = l.error_rate?;
            Some((
                l.level,
                100.0 * e.estimate,
                e.lower.zip(e.upper).map(|(a, b)| (100.0 * a, 100.0 * b)),
            ))
        })
        .collect();
    if !err_points.is_empty() {
        let max_err = 100.0 * (1.0 - doc.objectives.min_success);
        charts.push((
            "errors",
            Chart {
                title: "Error rate vs load".into(),
                x_desc,
                y_desc: "error rate (%)".into(),
                lines: vec![Line {
                    label: "error rate".into(),
                    color: theme::TREATMENT,
                    points: err_points,
                }],
                curve: None,
                unbounded: None,
                limit: Some((max_err, format!("allowed: {} %", short_tick(max_err)))),
                marker: None,
                join: true,
                legend: SeriesLabelPosition::UpperLeft,
            },
        ));
    }

    let mut out = Vec::new();
    for (stem, chart) in charts {
        let files = render_sized(&dir.join(stem), (WIDTH, HEIGHT), &chart)?;
        out.push(CapacityPlot {
            title: chart.title.clone(),
            png_name: format!("{stem}.png"),
            files,
        });
    }
    Ok(out)
}

impl Figure for Chart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<(), DB> {
        draw(root, self)
    }
}

/// The axis of values from 0 (or the smallest, if negative) to the largest,
/// padded by `pad` of the span at the top; `0..1` without positive values.
fn axis_from_zero(values: impl IntoIterator<Item = f64>, pad: f64) -> ValueAxis {
    match finite_bounds(values) {
        Some((lo, hi)) if hi > 0.0 => ValueAxis::padded(lo.min(0.0), hi, false, (0.0, pad)),
        Some((lo, _)) if lo < 0.0 => ValueAxis::padded(lo, 0.0, false, (pad, 0.0)),
        _ => ValueAxis::linear(0.0, 1.0),
    }
}

fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, c: &Chart) -> DrawResult<(), DB> {
    let xs = c
        .lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.0))
        .chain(c.curve.iter().flat_map(|(_, pts)| pts.iter().map(|p| p.0)))
        .chain(
            c.unbounded
                .iter()
                .flat_map(|(_, pts)| pts.iter().map(|p| p.0)),
        )
        .chain(c.marker.iter().map(|m| m.0.0));
    let ys = c
        .lines
        .iter()
        .flat_map(|l| {
            l.points
                .iter()
                .map(|p| p.2.map_or(p.1, |(_, hi)| hi.max(p.1)))
        })
        .chain(c.curve.iter().flat_map(|(_, pts)| pts.iter().map(|p| p.1)))
        .chain(
            c.unbounded
                .iter()
                .flat_map(|(_, pts)| pts.iter().map(|p| p.1)),
        )
        .chain(c.limit.iter().map(|l| l.0))
        .chain(c.marker.iter().map(|m| m.0.1));
    let (x_axis, y_axis) = (axis_from_zero(xs, 0.05), axis_from_zero(ys, 0.12));
    let (x0, x1) = x_axis.bounds();
    let y0 = y_axis.bounds().0;

    let mut chart = build_chart(root, &c.title, x_axis, y_axis, Y_LABEL_AREA)?;
    draw_value_mesh(&mut chart, (&c.x_desc, &c.y_desc), (10, 8))?;

    if let Some((y, label)) = &c.limit {
        let style = LIMIT.stroke_width(2);
        // Dashed: short segments.
        let n = 60;
        chart
            .draw_series((0..n).filter(|i| i % 2 == 0).map(|i| {
                let a = lerp(x0, x1, f64::from(i) / f64::from(n));
                let b = lerp(x0, x1, f64::from(i + 1) / f64::from(n));
                PathElement::new(vec![(a, *y), (b, *y)], style)
            }))?
            .label(label.as_str())
            .legend(move |(px, py)| PathElement::new(vec![(px, py), (px + 14, py)], style));
    }
    if let Some((label, pts)) = &c.unbounded {
        let style = UNBOUNDED.stroke_width(1);
        chart
            .draw_series(std::iter::once(PathElement::new(pts.clone(), style)))?
            .label(label.as_str())
            .legend(move |(px, py)| PathElement::new(vec![(px, py), (px + 14, py)], style));
    }
    if let Some((label, pts)) = &c.curve {
        let style = MODEL.stroke_width(2);
        chart
            .draw_series(std::iter::once(PathElement::new(pts.clone(), style)))?
            .label(label.as_str())
            .legend(move |(px, py)| PathElement::new(vec![(px, py), (px + 14, py)], style));
    }
    // Half a whisker cap: 0.6 % of the axis, on halves so it cannot overflow.
    let cap = (x1 / 2.0 - x0 / 2.0) * 0.012;
    for l in &c.lines {
        let color = l.color;
        let line = color.stroke_width(2);
        if c.join {
            chart.draw_series(std::iter::once(PathElement::new(
                l.points.iter().map(|p| (p.0, p.1)).collect::<Vec<_>>(),
                color.mix(0.5).stroke_width(1),
            )))?;
        }
        let mut shapes: Vec<DynElement<'_, DB, (f64, f64)>> = Vec::new();
        for &(x, y, iv) in &l.points {
            if let Some((lo, hi)) = iv {
                shapes.push(PathElement::new(vec![(x, lo), (x, hi)], line).into_dyn());
                for b in [lo, hi] {
                    shapes.push(
                        PathElement::new(
                            vec![((x - cap).max(x0), b), ((x + cap).min(x1), b)],
                            line,
                        )
                        .into_dyn(),
                    );
                }
            }
            shapes.push(Circle::new((x, y), 4, color.filled()).into_dyn());
        }
        chart
            .draw_series(shapes)?
            .label(l.label.as_str())
            .legend(move |(px, py)| Circle::new((px + 7, py), 4, color.filled()));
    }
    if let Some(((x, y), label)) = &c.marker {
        let style = MODEL.stroke_width(1);
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(*x, y0.max(0.0)), (*x, *y)],
            style,
        )))?;
        chart
            .draw_series(std::iter::once(TriangleMarker::new(
                (*x, *y),
                8,
                MODEL.filled(),
            )))?
            .label(label.as_str())
            .legend(|(px, py)| TriangleMarker::new((px + 7, py), 6, MODEL.filled()));
        let (px, py) = chart.backend_coord(&(*x, *y));
        let style = (theme::FONT_FAMILY, 13)
            .into_font()
            .color(&theme::INK)
            .pos(Pos::new(HPos::Center, VPos::Bottom));
        root.draw(&Text::new(
            format!("N* = {}", short_tick(*x)),
            (px, py - 12),
            &style,
        ))?;
    }
    draw_legend(&mut chart, c.legend.clone())
}

/// The p95 objective in the latency unit: `--slo-p95`, else the first `--slo`
/// objective on p95 (its threshold is in ms).
fn p95_objective(doc: &CapacityDoc) -> Option<f64> {
    doc.objectives.p95.or_else(|| {
        let k = doc
            .levels
            .first()?
            .slos
            .iter()
            .position(|r| r.metric == "p95")?;
        let ms_per_unit = match doc.unit.as_deref() {
            Some("s") => 1e3,
            Some("us" | "µs") => 1e-3,
            Some("ns") => 1e-6,
            _ => 1.0,
        };
        Some(doc.levels.first()?.slos.get(k)?.threshold / ms_per_unit)
    })
}

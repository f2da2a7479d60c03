//! Scatter plots of a Pareto analysis, one per pair of objectives.
//!
//! Each plot shows every config at its point estimates for the two objectives:
//! configs on the front (of all objectives) in colour with their ids; the front
//! *of the pair* as a step line (the boundary of the region it dominates in
//! those two objectives); dominated configs faded; infeasible configs as
//! crosses; the knee ringed. Axes read `name (unit), ↓ lower is better`.
//!
//! Text uses the embedded DejaVu Sans of [`crate::plot::font`], so no system
//! font is needed; the same input gives byte-identical files.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{Goal, ParetoDoc, unit};
use crate::error::Result;
use crate::plot::{
    DrawResult, Figure, PlotFiles, ValueAxis, draw_value_mesh, render_sized, slug, theme,
    unique_stems,
};

/// At most this many objective pairs are plotted (all pairs of 4 objectives).
pub const MAX_PAIRS: usize = 6;
/// Width of a scatter plot in pixels.
pub const WIDTH: u32 = 960;
/// Height of a scatter plot in pixels.
pub const HEIGHT: u32 = 640;

/// Front configs (all objectives).
const FRONT: RGBColor = RGBColor(0, 114, 178);
/// The step line of the pair's front.
const STEP: RGBColor = RGBColor(239, 108, 0);
/// Dominated configs.
const FADED: RGBColor = RGBColor(150, 150, 150);
/// Infeasible configs.
const INFEASIBLE: RGBColor = RGBColor(200, 40, 40);
/// The knee's ring.
const KNEE: RGBColor = RGBColor(0, 158, 115);

/// One scatter plot written by [`scatter_plots`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScatterPlot {
    /// `y vs x`, for the Markdown alt text.
    pub title: String,
    /// The PNG's file name (relative to the report folder).
    pub png_name: String,
    /// The files written.
    pub files: PlotFiles,
}

/// The objective pairs `(x, y)` plotted for `m` objectives: all `i < j`, at
/// most [`MAX_PAIRS`].
#[must_use]
pub fn pairs(m: usize) -> Vec<(usize, usize)> {
    (0..m)
        .flat_map(|i| (i + 1..m).map(move |j| (i, j)))
        .take(MAX_PAIRS)
        .collect()
}

/// Writes one scatter plot (SVG and PNG) per objective pair into `dir`, named
/// `pareto_Y_vs_X.{svg,png}` with X and Y the [`slug`]s of the objective
/// names (made unique by [`unique_stems`]). Nothing is written for a single
/// objective.
///
/// # Errors
/// [`Error::Plot`](crate::Error::Plot) on a drawing failure, [`Error::Io`](crate::Error::Io) when a file cannot be written.
pub fn scatter_plots(doc: &ParetoDoc, dir: &Path) -> Result<Vec<ScatterPlot>> {
    let pairs = pairs(doc.objectives.len());
    let stems = unique_stems(pairs.iter().map(|&(x, y)| {
        let (ox, oy) = (&doc.objectives[x], &doc.objectives[y]);
        format!("pareto_{}_vs_{}", slug(&oy.name), slug(&ox.name))
    }));
    let mut out = Vec::new();
    for ((x, y), stem) in pairs.into_iter().zip(stems) {
        let (ox, oy) = (&doc.objectives[x], &doc.objectives[y]);
        let title = format!("{} vs {}", oy.name, ox.name);
        let files = scatter(doc, x, y, &dir.join(&stem), &title)?;
        out.push(ScatterPlot {
            title,
            png_name: format!("{stem}.png"),
            files,
        });
    }
    Ok(out)
}

/// Writes the scatter of objective `y` against objective `x` to `stem.svg` and `stem.png`.
///
/// # Errors
/// As [`scatter_plots`].
pub fn scatter(doc: &ParetoDoc, x: usize, y: usize, stem: &Path, title: &str) -> Result<PlotFiles> {
    render_sized(stem, (WIDTH, HEIGHT), &Scatter { doc, x, y, title })
}

/// One objective pair of a Pareto document, as a [`Figure`].
struct Scatter<'a> {
    doc: &'a ParetoDoc,
    x: usize,
    y: usize,
    title: &'a str,
}

impl Figure for Scatter<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<(), DB> {
        draw(root, self.doc, self.x, self.y, self.title)
    }
}

fn axis_label(name: &str, goal: Goal) -> String {
    match unit(name) {
        Some(u) => format!("{name} ({u}), {} {}", goal.arrow(), goal.words()),
        None => format!("{name}, {} {}", goal.arrow(), goal.words()),
    }
}

/// The axis of one objective: its data range padded 6 % each side.
fn padded(lo: f64, hi: f64) -> ValueAxis {
    ValueAxis::padded(lo, hi, false, (0.06, 0.06))
}

/// The pair's front among `pts` (point estimates of feasible configs, own
/// units) sorted along `x` best first, as the corners of its step line.
fn step_line(mut pts: Vec<(f64, f64)>, gx: Goal, gy: Goal) -> Vec<(f64, f64)> {
    let key = |v: f64, g: Goal| if g == Goal::Max { -v } else { v };
    pts.sort_by(|a, b| {
        key(a.0, gx)
            .total_cmp(&key(b.0, gx))
            .then(key(a.1, gy).total_cmp(&key(b.1, gy)))
    });
    let mut front: Vec<(f64, f64)> = Vec::new();
    for p in pts {
        match front.last() {
            Some(last) if !gy.better(p.1, last.1) => {}
            _ => front.push(p),
        }
    }
    let mut line = Vec::with_capacity(front.len() * 2);
    for (k, p) in front.iter().enumerate() {
        if k > 0 {
            line.push((p.0, front[k - 1].1));
        }
        line.push(*p);
    }
    line
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    doc: &ParetoDoc,
    x: usize,
    y: usize,
    title: &str,
) -> DrawResult<(), DB> {
    let (ox, oy) = (&doc.objectives[x], &doc.objectives[y]);
    let point = |i: usize| {
        let v = &doc.configs[i].values;
        (
            v.get(x).copied().unwrap_or(f64::NAN),
            v.get(y).copied().unwrap_or(f64::NAN),
        )
    };
    let n = doc.configs.len();
    let all: Vec<(f64, f64)> = (0..n)
        .map(point)
        .filter(|p| p.0.is_finite() && p.1.is_finite())
        .collect();
    let fold = |f: fn(&(f64, f64)) -> f64| {
        all.iter()
            .map(f)
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                (lo.min(v), hi.max(v))
            })
    };
    let (x_lo, x_hi) = fold(|p| p.0);
    let (y_lo, y_hi) = fold(|p| p.1);
    if !(x_lo.is_finite() && y_lo.is_finite()) {
        // Nothing to place: say so on the picture rather than leave it blank.
        let style = (theme::FONT_FAMILY, theme::TITLE_SIZE)
            .into_font()
            .color(&theme::INK)
            .pos(Pos::new(HPos::Center, VPos::Center));
        let (w, h) = root.dim_in_pixel();
        let centre = (
            i32::try_from(w / 2).unwrap_or(0),
            i32::try_from(h / 2).unwrap_or(0),
        );
        root.draw(&Text::new(
            format!("{title}: no config has finite values for both objectives"),
            centre,
            &style,
        ))?;
        return Ok(());
    }
    let (x_axis, y_axis) = (padded(x_lo, x_hi), padded(y_lo, y_hi));
    let ((x0, x1), (y0, y1)) = (x_axis.bounds(), y_axis.bounds());

    let mut chart = ChartBuilder::on(root)
        .caption(
            crate::plot::short_label(title),
            (theme::FONT_FAMILY, theme::TITLE_SIZE)
                .into_font()
                .color(&theme::INK),
        )
        .margin(16)
        .margin_right(32)
        .x_label_area_size(56)
        .y_label_area_size(90)
        .build_cartesian_2d(x_axis, y_axis)?;
    draw_value_mesh(
        &mut chart,
        (
            &axis_label(&ox.name, ox.direction),
            &axis_label(&oy.name, oy.direction),
        ),
        (8, 8),
    )?;

    let feasible: Vec<usize> = (0..n).filter(|&i| doc.configs[i].feasible).collect();
    let front: Vec<usize> = (0..n).filter(|&i| doc.configs[i].rank == Some(1)).collect();
    let dominated: Vec<usize> = (0..n)
        .filter(|&i| doc.configs[i].rank.is_some_and(|r| r > 1))
        .collect();
    let infeasible: Vec<usize> = (0..n).filter(|&i| !doc.configs[i].feasible).collect();

    // Dominated: faded circles.
    chart
        .draw_series(
            dominated
                .iter()
                .map(|&i| Circle::new(point(i), 4, FADED.mix(0.55).filled())),
        )?
        .label("dominated")
        .legend(|(px, py)| Circle::new((px + 7, py), 4, FADED.mix(0.55).filled()));

    // Infeasible: crosses.
    chart
        .draw_series(
            infeasible
                .iter()
                .map(|&i| Cross::new(point(i), 5, INFEASIBLE.stroke_width(2))),
        )?
        .label("infeasible (breaks a constraint)")
        .legend(|(px, py)| Cross::new((px + 7, py), 5, INFEASIBLE.stroke_width(2)));

    // The pair's front as a step line.
    let mut line = step_line(
        feasible.iter().map(|&i| point(i)).collect(),
        ox.direction,
        oy.direction,
    );
    // Close the staircase to the worse edges of the plot: the boundary of the
    // region the pair's front dominates.
    if let (Some(&first), Some(&last)) = (line.first(), line.last()) {
        let y_worst = if oy.direction == Goal::Min { y1 } else { y0 };
        let x_worst = if ox.direction == Goal::Min { x1 } else { x0 };
        line.insert(0, (first.0, y_worst));
        line.push((x_worst, last.1));
    }
    chart
        .draw_series(std::iter::once(PathElement::new(
            line,
            STEP.stroke_width(2),
        )))?
        .label("front of these two objectives")
        .legend(|(px, py)| PathElement::new(vec![(px, py), (px + 14, py)], STEP.stroke_width(2)));

    // Front of all objectives: solid points with labels.
    chart
        .draw_series(
            front
                .iter()
                .map(|&i| Circle::new(point(i), 5, FRONT.filled())),
        )?
        .label("Pareto front (all objectives)")
        .legend(|(px, py)| Circle::new((px + 7, py), 5, FRONT.filled()));
    let label_style = (theme::FONT_FAMILY, 12).into_font().color(&theme::INK);
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    // Pixel boxes to keep labels off: the points, then each label placed.
    let mut taken: Vec<(i32, i32, i32, i32)> = (0..n)
        .map(|i| {
            let (px, py) = chart.backend_coord(&point(i));
            (px - 5, py - 5, px + 5, py + 5)
        })
        .collect();
    let overlaps = |a: &(i32, i32, i32, i32), b: &(i32, i32, i32, i32)| {
        a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
    };
    let mut labels = Vec::new();
    for &i in &front {
        let text = doc.configs[i].id.as_str();
        let (w, h) = root.estimate_text_size(text, &label_style)?;
        let (w, h) = (i32::try_from(w).unwrap_or(0), i32::try_from(h).unwrap_or(0));
        let (px, py) = chart.backend_coord(&point(i));
        // Right-above, right-below, left-above, left-below the point.
        let candidates = [
            (px + 7, py - h - 3),
            (px + 7, py + 3),
            (px - 7 - w, py - h - 3),
            (px - 7 - w, py + 3),
        ];
        let placed = candidates
            .iter()
            .map(|&(x, y)| (x, y, x + w, y + h))
            .find(|b| {
                b.0 >= xr.start
                    && b.2 <= xr.end
                    && b.1 >= yr.start
                    && b.3 <= yr.end
                    && !taken.iter().any(|t| overlaps(t, b))
            });
        if let Some(b) = placed {
            taken.push(b);
            labels.push((text, b));
        }
    }
    for (text, b) in &labels {
        root.draw(&Text::new(*text, (b.0, b.1), &label_style))?;
    }

    // The knee: a ring.
    if let Some(k) = doc
        .knee
        .as_deref()
        .and_then(|k| doc.configs.iter().position(|c| c.id == k))
    {
        chart
            .draw_series(std::iter::once(Circle::new(
                point(k),
                11,
                KNEE.stroke_width(3),
            )))?
            .label("knee")
            .legend(|(px, py)| Circle::new((px + 7, py), 6, KNEE.stroke_width(2)));
    }

    // Legend in the corner with the fewest points and labels under it.
    let (lw, lh) = (300, 150);
    let corners = [
        (
            SeriesLabelPosition::UpperRight,
            (xr.end - lw, yr.start, xr.end, yr.start + lh),
        ),
        (
            SeriesLabelPosition::LowerRight,
            (xr.end - lw, yr.end - lh, xr.end, yr.end),
        ),
        (
            SeriesLabelPosition::UpperLeft,
            (xr.start, yr.start, xr.start + lw, yr.start + lh),
        ),
        (
            SeriesLabelPosition::LowerLeft,
            (xr.start, yr.end - lh, xr.start + lw, yr.end),
        ),
    ];
    let position = corners
        .iter()
        .min_by_key(|(_, b)| taken.iter().filter(|t| overlaps(t, b)).count())
        .map_or(SeriesLabelPosition::UpperRight, |(p, _)| p.clone());
    chart
        .configure_series_labels()
        .position(position)
        .margin(12)
        .background_style(WHITE.mix(0.85))
        .border_style(theme::INK.mix(0.4))
        .label_font(
            (theme::FONT_FAMILY, theme::LABEL_SIZE)
                .into_font()
                .color(&theme::INK),
        )
        .draw()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_capped() {
        assert_eq!(pairs(1), vec![]);
        assert_eq!(pairs(2), vec![(0, 1)]);
        assert_eq!(pairs(4).len(), 6);
        assert_eq!(pairs(5).len(), MAX_PAIRS);
    }

    #[test]
    fn step_line_min_max() {
        // x min, y max: best x first; y must increase along the front.
        let pts = vec![(1.0, 10.0), (2.0, 30.0), (1.5, 5.0), (3.0, 20.0)];
        let line = step_line(pts, Goal::Min, Goal::Max);
        assert_eq!(line, vec![(1.0, 10.0), (2.0, 10.0), (2.0, 30.0)]);
    }
}

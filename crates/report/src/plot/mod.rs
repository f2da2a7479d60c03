//! Plots of samples and comparisons, written as SVG and PNG.
//!
//! Every function takes data and a path *stem* and writes `stem.svg` and
//! `stem.png` (900 × 500 px) next to each other:
//!
//! - [`histogram`]: overlaid histograms on shared bins (log-x for skewed data);
//! - [`ecdf`]: empirical cumulative distribution functions as step lines;
//! - [`boxplot`]: one Tukey box per series with outliers as points;
//! - [`ladder`]: a percentile ladder (p50 … p99.9) with interval error bars;
//! - [`strip`]: one dot per value (the runs of `ab` over runs) with the mean.
//!
//! Samples come in as [`Series`]: a label and the values in ascending order
//! (as `perfstat_stats::Sample::sorted` gives them). No statistic is computed
//! here beyond binning; quantiles come from `perfstat_stats::quantile`.
//!
//! Text is drawn with an embedded DejaVu Sans ([`font`]) through plotters'
//! `ab_glyph` backend, so nothing depends on system fonts or fontconfig. The
//! SVG names the family `sans-serif` and the viewer picks its own sans font;
//! the embedded font only measures the layout there. Output is deterministic:
//! the same input gives byte-identical SVG and PNG files.
//!
//! The first series takes the control colour (blue-grey), the second the
//! treatment colour (orange); see [`theme`].
//!
//! # Example
//!
//! ```no_run
//! use perfstat_report::plot::{self, PlotSpec, Series};
//! let control = [1.0, 2.0, 2.5, 3.0];
//! let treatment = [1.5, 2.5, 3.0, 4.0];
//! let series = [
//!     Series::new("control", &control),
//!     Series::new("treatment", &treatment),
//! ];
//! let spec = PlotSpec::new("Latency", "latency").unit(Some("ms"));
//! let files = plot::histogram(std::path::Path::new("out/histogram"), &spec, &series)?;
//! assert!(files.svg.ends_with("histogram.svg"));
//! # Ok::<(), perfstat_report::Error>(())
//! ```

pub mod axis;
mod boxplot;
mod ecdf;
pub mod font;
mod histogram;
mod ladder;
mod strip;
pub mod theme;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::coord::ranged1d::ValueFormatter;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub use axis::ValueAxis;

use perfstat_stats::quantile::{QuantileMethod, quantile_sorted};

use crate::error::{Error, Result};

pub use boxplot::{MAX_OUTLIERS, boxplot};
pub use ecdf::{MAX_ECDF_POINTS, ecdf};
pub use histogram::{MAX_BINS, histogram};
pub use ladder::{LadderPoint, LadderSeries, ladder};
pub use strip::{MAX_STRIP_POINTS, strip};

/// Width of every plot in pixels (PNG) or user units (SVG).
pub const WIDTH: u32 = 900;
/// Height of every plot in pixels (PNG) or user units (SVG).
pub const HEIGHT: u32 = 500;

/// One sample to plot: a legend label and its values in ascending order.
#[derive(Clone, Copy, Debug)]
pub struct Series<'a> {
    /// The legend label, e.g. `"control"`.
    pub label: &'a str,
    /// The values, finite and in ascending order (`perfstat_stats::Sample::sorted`).
    pub sorted: &'a [f64],
}

impl<'a> Series<'a> {
    /// A series from a label and ascending values.
    #[must_use]
    pub fn new(label: &'a str, sorted: &'a [f64]) -> Self {
        Self { label, sorted }
    }
}

/// The longest text drawn on a plot (title, axis description, legend label), in characters: a
/// longer one (a metric named by a 1 MB header cell) is cut with an ellipsis, so that laying out
/// the text stays cheap and the plot readable.
pub const MAX_LABEL_CHARS: usize = 120;

/// `text`, cut to [`MAX_LABEL_CHARS`] characters with an ellipsis when longer.
#[must_use]
pub fn short_label(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(MAX_LABEL_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]).into(),
        None => text.into(),
    }
}

/// How the value axis is scaled.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Scale {
    /// Logarithmic when the data is skewed (see [`is_skewed`]) and all
    /// values are positive, else linear.
    #[default]
    Auto,
    /// Always linear.
    Linear,
    /// Logarithmic if all values are positive, else linear.
    Log,
}

/// The words on a plot and the scale of its value axis.
#[derive(Clone, Copy, Debug)]
pub struct PlotSpec<'a> {
    /// The title above the plot.
    pub title: &'a str,
    /// What the values are, e.g. `"latency"`; the value axis reads
    /// `latency (ms)` with a unit.
    pub quantity: &'a str,
    /// The unit of the values, if known.
    pub unit: Option<&'a str>,
    /// The scale of the value axis.
    pub scale: Scale,
}

impl<'a> PlotSpec<'a> {
    /// A spec with a title and a quantity name, no unit and [`Scale::Auto`].
    #[must_use]
    pub fn new(title: &'a str, quantity: &'a str) -> Self {
        Self {
            title,
            quantity,
            unit: None,
            scale: Scale::Auto,
        }
    }

    /// Sets the unit of the values.
    #[must_use]
    pub fn unit(mut self, unit: Option<&'a str>) -> Self {
        self.unit = unit;
        self
    }

    /// Sets the scale of the value axis.
    #[must_use]
    pub fn scale(mut self, scale: Scale) -> Self {
        self.scale = scale;
        self
    }

    /// The value axis description: `quantity (unit)` or `quantity`.
    #[must_use]
    pub fn value_label(&self) -> String {
        match self.unit {
            Some(unit) if !unit.is_empty() => format!("{} ({unit})", self.quantity),
            _ => self.quantity.to_owned(),
        }
    }

    /// The value axis description, marked when the axis is logarithmic.
    #[must_use]
    pub fn axis_label(&self, log: bool) -> String {
        if log {
            format!("{} — log scale", self.value_label())
        } else {
            self.value_label()
        }
    }
}

/// The two files a plot function wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlotFiles {
    /// `stem.svg`.
    pub svg: PathBuf,
    /// `stem.png`.
    pub png: PathBuf,
}

/// Whether a series is skewed enough for a log axis: max / median > 10.
///
/// The ratio is the one that matters for a picture: above it, linear bins
/// squeeze most of the data into the first few percent of the axis. Needs
/// positive values (a non-positive minimum gives `false`).
#[must_use]
pub fn is_skewed(sorted: &[f64]) -> bool {
    let (Some(&min), Some(&max)) = (sorted.first(), sorted.last()) else {
        return false;
    };
    if min <= 0.0 {
        return false;
    }
    let median = quantile(sorted, 0.5);
    median > 0.0 && max / median > 10.0
}

/// Whether the value axis is logarithmic for these series under `scale`.
fn use_log(scale: Scale, series: &[Series<'_>]) -> bool {
    let positive = series
        .iter()
        .all(|s| s.sorted.first().is_some_and(|&v| v > 0.0));
    match scale {
        Scale::Linear => false,
        Scale::Log => positive,
        Scale::Auto => positive && series.iter().any(|s| is_skewed(s.sorted)),
    }
}

/// `stem` with `.ext` appended (a dot in the stem is kept: `a.v2` → `a.v2.svg`).
pub(crate) fn with_ext(stem: &Path, ext: &str) -> PathBuf {
    let mut s = OsString::from(stem.as_os_str());
    s.push(".");
    s.push(ext);
    PathBuf::from(s)
}

/// A plot error naming the file it was for.
pub(crate) fn plot_error(path: &Path, message: impl std::fmt::Display) -> Error {
    Error::Plot {
        path: path.to_path_buf(),
        message: message.to_string(),
    }
}

/// Checks the series ([`validate`]) and returns the value axis they share: their range, padded,
/// log-scaled when `spec.scale` and the data allow ([`use_log`]). The set-up of every plot of
/// series (box, strip, ECDF, histogram).
fn checked_axis(stem: &Path, spec: &PlotSpec<'_>, series: &[Series<'_>]) -> Result<ValueAxis> {
    validate(stem, series)?;
    let (min, max) = data_range(series);
    Ok(padded_axis(min, max, use_log(spec.scale, series)))
}

/// Checks that there is at least one series and that each is non-empty,
/// finite and ascending.
fn validate(stem: &Path, series: &[Series<'_>]) -> Result<()> {
    if series.is_empty() {
        return Err(plot_error(stem, "no series to plot"));
    }
    for s in series {
        check_values(stem, s.label, s.sorted)?;
    }
    Ok(())
}

/// Checks one series' values: non-empty, finite, ascending.
fn check_values(stem: &Path, label: &str, sorted: &[f64]) -> Result<()> {
    let (Some(first), Some(last)) = (sorted.first(), sorted.last()) else {
        return Err(plot_error(
            stem,
            format!("series \"{label}\" has no values"),
        ));
    };
    // Ascending (NaN fails `<=`) with finite ends means every value is finite.
    if !first.is_finite() || !last.is_finite() || !sorted.is_sorted_by(|a, b| a <= b) {
        return Err(plot_error(
            stem,
            format!("series \"{label}\" is not finite and in ascending order"),
        ));
    }
    Ok(())
}

/// The type-7 quantile of non-empty ascending finite `sorted`, finite even
/// where interpolating between values near ±`f64::MAX` overflows.
pub(crate) fn quantile(sorted: &[f64], p: f64) -> f64 {
    let q = quantile_sorted(sorted, p, QuantileMethod::Linear);
    if q.is_finite() || sorted.is_empty() {
        return q;
    }
    #[allow(clippy::cast_precision_loss)]
    let h = (sorted.len() - 1) as f64 * p.clamp(0.0, 1.0);
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let i = (h.floor() as usize).min(sorted.len() - 1);
    let j = (i + 1).min(sorted.len() - 1);
    #[allow(clippy::cast_precision_loss)]
    axis::lerp(sorted[i], sorted[j], h - i as f64)
}

/// The first and third quartiles of `sorted`, as [`quantile`].
pub(crate) fn quartiles(sorted: &[f64]) -> (f64, f64) {
    (quantile(sorted, 0.25), quantile(sorted, 0.75))
}

/// The smallest and largest value over all series (±∞ for no values; callers
/// have run [`validate`]).
fn data_range(series: &[Series<'_>]) -> (f64, f64) {
    let min = series
        .iter()
        .filter_map(|s| s.sorted.first())
        .fold(f64::INFINITY, |a, &b| a.min(b));
    let max = series
        .iter()
        .filter_map(|s| s.sorted.last())
        .fold(f64::NEG_INFINITY, |a, &b| a.max(b));
    (min, max)
}

/// The drawing shared by the SVG and the PNG of one plot.
pub(crate) trait Figure {
    /// Draws the whole plot on `root` (already filled white).
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> std::result::Result<(), DrawingAreaErrorKind<DB::ErrorType>>;
}

/// Renders `figure` to `stem.svg` and `stem.png` at the default size.
fn render(stem: &Path, figure: &impl Figure) -> Result<PlotFiles> {
    render_sized(stem, (WIDTH, HEIGHT), figure)
}

/// Renders `figure` on a white background to `stem.svg` and `stem.png`
/// (`size` in pixels), with the embedded font registered: the one renderer of
/// every plot in this crate.
pub(crate) fn render_sized(
    stem: &Path,
    size: (u32, u32),
    figure: &impl Figure,
) -> Result<PlotFiles> {
    font::register().map_err(|e| plot_error(stem, e))?;
    let svg_path = with_ext(stem, "svg");
    let png_path = with_ext(stem, "png");

    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE).map_err(|e| plot_error(&svg_path, e))?;
        figure.draw(&root).map_err(|e| plot_error(&svg_path, e))?;
        root.present().map_err(|e| plot_error(&svg_path, e))?;
    }
    std::fs::write(&svg_path, svg).map_err(|source| Error::Io {
        path: svg_path.clone(),
        source,
    })?;

    {
        let root = BitMapBackend::new(&png_path, size).into_drawing_area();
        root.fill(&WHITE).map_err(|e| plot_error(&png_path, e))?;
        figure.draw(&root).map_err(|e| plot_error(&png_path, e))?;
        root.present().map_err(|e| plot_error(&png_path, e))?;
    }
    Ok(PlotFiles {
        svg: svg_path,
        png: png_path,
    })
}

/// The result of drawing on a backend `DB`.
pub(crate) type DrawResult<T, DB> =
    std::result::Result<T, DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// A chart on two value axes, as every plot here draws.
pub(crate) type ValueChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<ValueAxis, ValueAxis>>;

/// A chart with the title, margins and label areas every plot uses (the value axis's label area
/// `y_label_area` pixels wide: [`Y_LABEL_AREA`] unless its ticks are wider).
pub(crate) fn build_chart<'a, DB: DrawingBackend>(
    root: &'a DrawingArea<DB, Shift>,
    title: &str,
    x: ValueAxis,
    y: ValueAxis,
    y_label_area: u32,
) -> DrawResult<ValueChart<'a, DB>, DB> {
    ChartBuilder::on(root)
        .caption(
            short_label(title),
            (theme::FONT_FAMILY, theme::TITLE_SIZE)
                .into_font()
                .color(&theme::INK),
        )
        .margin(16)
        .margin_right(28)
        .x_label_area_size(56)
        .y_label_area_size(y_label_area)
        .build_cartesian_2d(x, y)
}

/// The usual width of a value axis's label area, in pixels.
pub(crate) const Y_LABEL_AREA: u32 = 72;

/// What a plot draws once its chart exists.
trait Body {
    /// Draws mesh, series and legend on `chart`.
    fn body<'c, DB: DrawingBackend + 'c>(
        &self,
        root: &DrawingArea<DB, Shift>,
        chart: &mut ValueChart<'c, DB>,
    ) -> DrawResult<(), DB>;
}

/// Builds the chart on axes `x` and `y` and draws `body` on it.
fn draw_body<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    x: ValueAxis,
    y: ValueAxis,
    body: &impl Body,
) -> DrawResult<(), DB> {
    body.body(root, &mut build_chart(root, title, x, y, Y_LABEL_AREA)?)
}

/// How an axis gets its ticks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Axis {
    /// The bounded ticks of its [`ValueAxis`] (linear or log).
    Value,
    /// No ticks: the plot draws category labels with [`category_labels`].
    Category,
}

/// Draws grid, axes, tick labels and axis descriptions.
fn draw_mesh<'c, DB, X, Y>(
    chart: &mut ChartContext<'c, DB, Cartesian2d<X, Y>>,
    (x_axis, x_desc): (Axis, &str),
    (y_axis, y_desc): (Axis, &str),
) -> DrawResult<(), DB>
where
    DB: DrawingBackend + 'c,
    X: Ranged<ValueType = f64> + ValueFormatter<f64>,
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let label_style = (theme::FONT_FAMILY, theme::LABEL_SIZE)
        .into_font()
        .color(&theme::INK);
    let desc_style = (theme::FONT_FAMILY, theme::AXIS_DESC_SIZE)
        .into_font()
        .color(&theme::INK);
    let mut mesh = chart.configure_mesh();
    mesh.x_desc(short_label(x_desc))
        .y_desc(short_label(y_desc))
        .label_style(label_style)
        .axis_desc_style(desc_style)
        .x_label_formatter(&|v| tick(*v))
        .y_label_formatter(&|v| tick(*v))
        .x_labels(10)
        .y_labels(8)
        .bold_line_style(theme::GRID)
        .light_line_style(TRANSPARENT)
        .axis_style(theme::INK);
    if x_axis == Axis::Category {
        mesh.disable_x_mesh().x_labels(0);
    }
    if y_axis == Axis::Category {
        mesh.disable_y_mesh().y_labels(0);
    }
    mesh.draw()
}

/// The x axis of `n` categories at 0, 1, …, n − 1 (with room at both ends).
fn category_axis(n: usize) -> ValueAxis {
    #[allow(clippy::cast_precision_loss)]
    ValueAxis::linear(-0.6, n as f64 - 0.4)
}

/// Draws the `i`-th label centred under category `i` of a categorical x axis.
fn category_labels<'c, DB, X, Y>(
    root: &DrawingArea<DB, Shift>,
    chart: &ChartContext<'c, DB, Cartesian2d<X, Y>>,
    labels: impl IntoIterator<Item = impl AsRef<str>>,
) -> DrawResult<(), DB>
where
    DB: DrawingBackend + 'c,
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    let y_bottom = chart.y_range().start;
    let style = (theme::FONT_FAMILY, theme::LABEL_SIZE)
        .into_font()
        .color(&theme::INK)
        .pos(Pos::new(HPos::Center, VPos::Top));
    for (i, label) in labels.into_iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let (px, py) = chart.backend_coord(&(i as f64, y_bottom));
        root.draw(&Text::new(label.as_ref(), (px, py + 8), &style))?;
    }
    Ok(())
}

/// Draws the legend of the labelled series at `position`.
pub(crate) fn draw_legend<'c, DB, X, Y>(
    chart: &mut ChartContext<'c, DB, Cartesian2d<X, Y>>,
    position: SeriesLabelPosition,
) -> DrawResult<(), DB>
where
    DB: DrawingBackend + 'c,
    X: Ranged,
    Y: Ranged,
{
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
        .draw()
}

/// The legend swatch of a series: a filled square in its colour.
fn swatch(color: RGBColor) -> impl Fn((i32, i32)) -> Rectangle<(i32, i32)> {
    move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], color.filled())
}

/// The axis of the data range `[lo, hi]`: padded 4 % each side (in log
/// space on a log axis), a window around a single value.
fn padded_axis(lo: f64, hi: f64, log: bool) -> ValueAxis {
    ValueAxis::padded(lo, hi, log, (0.04, 0.04))
}

/// Grid, axes, short tick labels and axis descriptions of a chart with two
/// value axes (the scatter, time-series and capacity plots).
pub(crate) fn draw_value_mesh<'c, DB, X, Y>(
    chart: &mut ChartContext<'c, DB, Cartesian2d<X, Y>>,
    (x_desc, y_desc): (&str, &str),
    (x_labels, y_labels): (usize, usize),
) -> DrawResult<(), DB>
where
    DB: DrawingBackend + 'c,
    X: Ranged<ValueType = f64> + ValueFormatter<f64>,
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    chart
        .configure_mesh()
        .x_desc(short_label(x_desc))
        .y_desc(short_label(y_desc))
        .label_style(
            (theme::FONT_FAMILY, theme::LABEL_SIZE)
                .into_font()
                .color(&theme::INK),
        )
        .axis_desc_style(
            (theme::FONT_FAMILY, theme::AXIS_DESC_SIZE)
                .into_font()
                .color(&theme::INK),
        )
        .x_label_formatter(&|v| short_tick(*v))
        .y_label_formatter(&|v| short_tick(*v))
        .x_labels(x_labels)
        .y_labels(y_labels)
        .bold_line_style(theme::GRID)
        .light_line_style(TRANSPARENT)
        .axis_style(theme::INK)
        .draw()
}

/// A short tick label: 4 significant digits (fewer for subnormal values, see
/// [`digits`]), trailing zeros trimmed (the scatter, time-series
/// and capacity plots).
pub(crate) fn short_tick(v: f64) -> String {
    trim_zeros(&crate::fmt::sig(v, digits(v, 4)))
}

/// A tick label: up to 6 significant digits (fewer for subnormal values),
/// trailing zeros trimmed.
pub(crate) fn tick(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return crate::fmt::sig(if v == 0.0 { 0.0 } else { v }, 1);
    }
    trim_zeros(&crate::fmt::sig(v, digits(v, 6)))
}

/// `normal` significant digits, fewer for a subnormal `v`: as many as its
/// precision holds (1 for 5e-324, 3 from about 1e-321).
fn digits(v: f64, normal: usize) -> usize {
    if v == 0.0 || v.abs() >= f64::MIN_POSITIVE {
        return normal;
    }
    let ulps = (v.abs() / 5e-324).log10().floor();
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let d = ulps.clamp(0.0, 2.0) as usize + 1;
    d.min(normal)
}

/// Removes trailing zeros after a decimal point (`"2.500"` → `"2.5"`,
/// `"3.000e-7"` → `"3e-7"`).
fn trim_zeros(s: &str) -> String {
    let (mantissa, exponent) = match s.find('e') {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    };
    let mantissa = if mantissa.contains('.') {
        mantissa.trim_end_matches('0').trim_end_matches('.')
    } else {
        mantissa
    };
    format!("{mantissa}{exponent}")
}

/// The longest name [`slug`] returns, in bytes: a file name built from two
/// slugs, a prefix and an extension stays well within 255 bytes.
pub const MAX_SLUG_LEN: usize = 64;

/// The one file-name form of a metric, objective or group name, for every
/// plot file.
///
/// A name made only of lowercase ASCII letters, digits, `_` and `-` (not at
/// either end), at most [`MAX_SLUG_LEN`] bytes, is used as it is
/// (`p95_latency_ms`). Any other name is lowercased, each run of other
/// characters becomes one `-`, the result is cut to fit, and a hash of the
/// whole name is appended (`GET /search` → `get-search-1c5b9e0a`), so names
/// that differ only in case or punctuation (`lat/x`, `lat-x`, `lat x`, `Lat-X`)
/// get different files even on case-insensitive file systems, and names of
/// any length give a short file name. Deterministic across runs and
/// platforms (64-bit FNV-1a folded to 32 bits). [`unique_stems`] removes
/// the remaining (hash) collisions within one report.
///
/// ```
/// use perfstat_report::plot::slug;
/// assert_eq!(slug("p95_latency_ms"), "p95_latency_ms");
/// assert!(slug("GET /search").starts_with("get-search-"));
/// assert_ne!(slug("lat/x"), slug("lat x"));
/// assert!(slug(&"é".repeat(300)).len() <= 64);
/// ```
#[must_use]
pub fn slug(name: &str) -> String {
    let mut base = String::with_capacity(name.len().min(MAX_SLUG_LEN));
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            base.push(c.to_ascii_lowercase());
        } else if !base.is_empty() && !base.ends_with('-') {
            base.push('-');
        }
        if base.len() > MAX_SLUG_LEN {
            break;
        }
    }
    let trimmed = base.trim_end_matches('-');
    if trimmed == name && !trimmed.is_empty() && trimmed.len() <= MAX_SLUG_LEN {
        return trimmed.to_owned();
    }
    // The base is ASCII: cutting at any byte is cutting at a char boundary.
    let keep = MAX_SLUG_LEN - 9;
    let cut = trimmed.get(..keep.min(trimmed.len())).unwrap_or(trimmed);
    let cut = cut.trim_end_matches('-');
    let cut = if cut.is_empty() { "plot" } else { cut };
    format!("{cut}-{:08x}", name_hash(name))
}

/// 64-bit FNV-1a of `name`, folded to 32 bits: a stable short hash for
/// [`slug`] (not `std`'s `DefaultHasher`, whose output may change between
/// Rust releases).
fn name_hash(name: &str) -> u32 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    #[allow(clippy::cast_possible_truncation)]
    let folded = (h ^ (h >> 32)) as u32;
    folded
}

/// `stems` made unique within one report, compared without case: a stem
/// seen before gets `-2`, `-3`, … (the first free one), in order.
/// Deterministic; stems already unique are unchanged.
#[must_use]
pub fn unique_stems(stems: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for stem in stems {
        let mut candidate = stem.clone();
        let mut k = 2usize;
        while !seen.insert(candidate.to_lowercase()) {
            candidate = format!("{stem}-{k}");
            k += 1;
        }
        out.push(candidate);
    }
    out
}

/// A percentile label for a level in (0, 1): 0.5 → `p50`, 0.999 → `p99.9`.
#[must_use]
pub fn level_label(level: f64) -> String {
    format!("p{}", trim_zeros(&format!("{:.4}", level * 100.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_short() {
        assert_eq!(tick(0.0), "0");
        assert_eq!(tick(2.5), "2.5");
        assert_eq!(tick(100.0), "100");
        assert_eq!(tick(0.1 + 0.2), "0.3");
        assert_eq!(tick(-1.5), "-1.5");
        assert_eq!(tick(1e7), "1e7");
        assert_eq!(tick(1e-320), "1e-320");
        assert_eq!(tick(5e-324), "5e-324");
        assert_eq!(tick(f64::MAX), "1.79769e308");
        assert_eq!(short_tick(1.5e308), "1.5e308");
        assert_eq!(short_tick(2.5), "2.5");
        assert_eq!(short_tick(1000.0), "1000");
    }

    #[test]
    fn slugs_are_unique_and_short() {
        assert_eq!(slug("p95_latency_ms"), "p95_latency_ms");
        assert_eq!(slug("lat-x"), "lat-x");
        let names = [
            "lat/x", "lat-x", "lat x", "Lat-X", "lat--x", "-lat-x", "lat-x-",
        ];
        let slugs: Vec<String> = names.iter().map(|n| slug(n)).collect();
        for (i, a) in slugs.iter().enumerate() {
            assert!(a.starts_with("lat-x"), "{a}");
            for b in &slugs[i + 1..] {
                assert_ne!(a.to_lowercase(), b.to_lowercase());
            }
        }
        assert_eq!(slug("GET /search p95"), slug("GET /search p95"));
        assert!(slug("GET /search p95").starts_with("get-search-p95-"));
        assert!(slug("///").starts_with("plot-"));
        assert!(slug("").starts_with("plot-"));
        assert!(slug("延迟").starts_with("plot-"));
        let long = "x".repeat(300);
        let s = slug(&long);
        assert!(s.len() <= MAX_SLUG_LEN && s.starts_with("xxxx"), "{s}");
        assert_ne!(s, slug(&"x".repeat(301)));
        let multibyte = format!("{}é", "a".repeat(254));
        assert!(slug(&multibyte).len() <= MAX_SLUG_LEN);
        for name in ["a b", &long, "Ω/µs", "x\0y"] {
            let s = slug(name);
            assert!(
                s.bytes().all(|b| b.is_ascii_lowercase()
                    || b.is_ascii_digit()
                    || b == b'-'
                    || b == b'_')
            );
        }
    }

    #[test]
    fn stems_are_made_unique() {
        let stems = ["a", "b", "A", "a", "a-2"].map(str::to_owned);
        assert_eq!(unique_stems(stems), vec!["a", "b", "A-2", "a-3", "a-2-2"]);
    }

    #[test]
    fn quantiles_do_not_overflow() {
        let v = [-f64::MAX, f64::MAX];
        assert_eq!(quantile(&v, 0.5), 0.0);
        let (q1, q3) = quartiles(&v);
        assert!((q1 + f64::MAX / 2.0).abs() < 1e293 && (q3 - f64::MAX / 2.0).abs() < 1e293);
        assert_eq!(quantile(&[1.0, 2.0, 3.0], 0.5), 2.0);
    }

    #[test]
    fn level_labels() {
        assert_eq!(level_label(0.5), "p50");
        assert_eq!(level_label(0.999), "p99.9");
        assert_eq!(level_label(0.9999), "p99.99");
        assert_eq!(level_label(0.95), "p95");
    }

    #[test]
    fn ext_is_appended() {
        assert_eq!(
            with_ext(Path::new("a/b.v2"), "svg"),
            PathBuf::from("a/b.v2.svg")
        );
    }

    #[test]
    fn skew_rule() {
        assert!(!is_skewed(&[1.0]));
        assert!(!is_skewed(&[1.0, 2.0, 3.0]));
        assert!(is_skewed(&[1.0, 1.0, 1.0, 50.0]));
        assert!(!is_skewed(&[-1.0, 1.0, 1.0, 50.0]));
    }

    #[test]
    fn empty_input_is_an_error() {
        let stem = Path::new("never-written");
        assert!(validate(stem, &[]).is_err());
        assert!(validate(stem, &[Series::new("a", &[])]).is_err());
        assert!(validate(stem, &[Series::new("a", &[2.0, 1.0])]).is_err());
        assert!(validate(stem, &[Series::new("a", &[1.0, f64::NAN])]).is_err());
        assert!(validate(stem, &[Series::new("a", &[1.0, f64::INFINITY])]).is_err());
        assert!(validate(stem, &[Series::new("a", &[1.0])]).is_ok());
    }
}

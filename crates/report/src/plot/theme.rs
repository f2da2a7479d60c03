//! Colours, sizes and fonts shared by every plot.
//!
//! The first series is the control (blue-grey), the second the treatment
//! (orange); further series, if any, take the colours after them.

use plotters::style::RGBColor;

/// The control series: blue-grey (Material Blue Grey 600).
pub const CONTROL: RGBColor = RGBColor(84, 110, 122);
/// The treatment series: orange (Material Orange 800).
pub const TREATMENT: RGBColor = RGBColor(239, 108, 0);
/// Colours of the series after the first two (a colour-blind-safe set).
pub const EXTRA: [RGBColor; 4] = [
    RGBColor(0, 114, 178),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
];

/// Opacity of filled areas (histogram bars, boxes) so overlaps stay visible.
pub const FILL_OPACITY: f64 = 0.35;
/// Colour of the grid lines.
pub const GRID: RGBColor = RGBColor(225, 225, 225);
/// Colour of axes, text and legend borders.
pub const INK: RGBColor = RGBColor(40, 40, 40);

/// Font family of all text; registered by [`super::font::register`].
pub const FONT_FAMILY: &str = "sans-serif";
/// Title size (plotters draws sizes at about 0.81 of the nominal value).
pub const TITLE_SIZE: u32 = 24;
/// Axis description size.
pub const AXIS_DESC_SIZE: u32 = 17;
/// Tick and legend label size.
pub const LABEL_SIZE: u32 = 15;

/// The colour of the `index`-th series: control, treatment, then [`EXTRA`] in turn.
#[must_use]
pub fn series_color(index: usize) -> RGBColor {
    match index {
        0 => CONTROL,
        1 => TREATMENT,
        i => EXTRA[(i - 2) % EXTRA.len()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_two_are_control_and_treatment() {
        assert_eq!(series_color(0), CONTROL);
        assert_eq!(series_color(1), TREATMENT);
        assert_eq!(series_color(2), EXTRA[0]);
        assert_eq!(series_color(6), EXTRA[0]);
    }
}

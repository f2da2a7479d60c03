//! The embedded font: DejaVu Sans, so plots need no system fonts.
//!
//! plotters is built without its `ttf` feature (font-kit, fontconfig); text
//! goes through `ab_glyph` with fonts registered by name. DejaVu Sans 2.37
//! (Debian `fonts-dejavu-core`) is embedded with its licence next to it in
//! `assets/DejaVuSans-LICENSE.txt` (Bitstream Vera licence; DejaVu changes in
//! the public domain). It covers "—", "≈", "µ" and "±".
//!
//! Only `sans-serif` in [`FontStyle::Normal`] is registered, and it is the
//! only family and style the plots ask for (plotters falls back to Normal for
//! other styles of a registered family).

use std::sync::OnceLock;

use plotters::style::FontStyle;

use super::theme::FONT_FAMILY;

/// DejaVu Sans 2.37 (regular).
pub static DEJAVU_SANS: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");

/// The licence of [`DEJAVU_SANS`], to ship with anything that embeds it.
pub static DEJAVU_SANS_LICENSE: &str = include_str!("../../assets/DejaVuSans-LICENSE.txt");

/// Registers the embedded font as `sans-serif` once per process; later calls
/// return the first result.
///
/// # Errors
/// A message if the embedded font does not parse (it does; tested).
pub fn register() -> Result<(), String> {
    static REGISTERED: OnceLock<Result<(), String>> = OnceLock::new();
    REGISTERED
        .get_or_init(|| {
            plotters::style::register_font(FONT_FAMILY, FontStyle::Normal, DEJAVU_SANS)
                .map_err(|_| "the embedded DejaVu Sans font does not parse".to_owned())
        })
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registers_and_measures_text() {
        register().unwrap();
        register().unwrap();
        let font = plotters::style::FontDesc::new(
            plotters::style::FontFamily::SansSerif,
            20.0,
            FontStyle::Normal,
        );
        let (w, h) = font.box_size("µs ≈ — ±").unwrap();
        assert!(w > 20 && h > 5, "{w}×{h}");
        assert!(DEJAVU_SANS_LICENSE.contains("Bitstream"));
    }
}

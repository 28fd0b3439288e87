//! Plots through plotters, PNG or SVG by file extension, with text drawn in
//! the DejaVu Sans shipped inside the binary, so that a PNG has the same
//! bytes on every machine (no system fonts).

pub mod curves;
pub mod profile;

use std::path::Path;
use std::sync::Once;

use plotters::style::FontStyle;

use crate::error::{Error, Result};

static FONT: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");

/// The font family every plot uses.
pub const FAMILY: &str = "sans-serif";

/// The Okabe–Ito palette (colour-blind safe), black left out.
pub const PALETTE: [(u8, u8, u8); 7] = [
    (230, 159, 0),
    (86, 180, 233),
    (0, 158, 115),
    (240, 228, 66),
    (0, 114, 178),
    (213, 94, 0),
    (204, 121, 167),
];

/// Register the shipped font as `sans-serif` (once per process).
pub fn register_font() {
    static REGISTER: Once = Once::new();
    REGISTER.call_once(|| {
        // The font is a fixed, valid TTF compiled into the binary: parsing it
        // cannot fail for a user's input.
        plotters::style::register_font(FAMILY, FontStyle::Normal, FONT)
            .unwrap_or_else(|_| panic!("the shipped DejaVuSans.ttf is a valid font"));
    });
}

/// The image kinds a plot can be written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    Png,
    Svg,
}

impl ImageFormat {
    /// The format a file name asks for; an error names the file otherwise.
    pub fn of(path: &Path) -> Result<ImageFormat> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("png") => Ok(ImageFormat::Png),
            Some("svg") => Ok(ImageFormat::Svg),
            _ => Err(Error::usage(format!(
                "cannot tell the image format of {}: use a .png or .svg file name",
                path.display()
            ))),
        }
    }
}

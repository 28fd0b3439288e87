//! The font every plot is drawn with: DejaVu Sans, shipped in the binary
//! (`assets/DejaVuSans.ttf`, Bitstream Vera licence, see `assets/`), so text renders
//! the same with no system fonts.

use std::sync::OnceLock;

use plotters::style::FontStyle;

use crate::error::{Error, Result};

/// The family name plots ask for; plotters resolves it to the shipped font.
pub const FAMILY: &str = "sans-serif";

static FONT: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");
static REGISTERED: OnceLock<bool> = OnceLock::new();

/// Registers the shipped font with plotters (once per process; later calls are free).
pub fn register() -> Result<()> {
    let ok = *REGISTERED
        .get_or_init(|| plotters::style::register_font(FAMILY, FontStyle::Normal, FONT).is_ok());
    if ok {
        Ok(())
    } else {
        Err(Error::usage(
            "the font shipped in xreport could not be loaded",
        ))
    }
}

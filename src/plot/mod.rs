//! Figures through plotters, PNG or SVG by file extension, with the DejaVu Sans
//! shipped inside the binary, so the same input gives the same bytes on any
//! machine (no system fonts) and any thread count.
//!
//! Every figure implements [`Figure`]; [`render`] and [`write`] are the only
//! places that pick a backend, encode a PNG and write a file.

pub mod curves;
pub mod font;
pub mod palette;
pub mod profile;
pub mod scatter;
pub mod seeds;

use std::borrow::Cow;
use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::error::{Error, Result};

/// The most characters of a name (a label, a condition, a method) a figure
/// draws. Laying out text costs time per character: a 10 MB label took
/// minutes to draw in a legend.
pub const MAX_SHOWN_CHARS: usize = 64;

/// `name` as a figure draws it: at most [`MAX_SHOWN_CHARS`] characters.
pub fn shown(name: &str) -> Cow<'_, str> {
    shorten(name, MAX_SHOWN_CHARS)
}

/// `name` cut to `max` (≥ 2) characters: its start and its end around "…",
/// since names that differ often differ at the end (a seed, a size).
pub fn shorten(name: &str, max: usize) -> Cow<'_, str> {
    if name.chars().nth(max).is_none() {
        return name.into();
    }
    let head = (max - 1) * 3 / 5;
    let tail = max - 1 - head;
    let head_end = name.char_indices().nth(head).map_or(name.len(), |(i, _)| i);
    let tail_start = match tail.checked_sub(1) {
        Some(last) => name.char_indices().rev().nth(last).map_or(0, |(i, _)| i),
        None => name.len(),
    };
    format!("{}…{}", &name[..head_end], &name[tail_start..]).into()
}

/// The image formats a plot can be written in, by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    Png,
    Svg,
}

impl ImageFormat {
    /// `.png` or `.svg` (any case); a usage error for anything else.
    pub fn of(path: &Path) -> Result<Self> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("png") => Ok(ImageFormat::Png),
            Some("svg") => Ok(ImageFormat::Svg),
            _ => Err(Error::usage(format!(
                "cannot tell the image format of {}: the plot file must end in .png or .svg",
                path.display()
            ))),
        }
    }
}

/// What drawing on a plotters backend returns.
pub type DrawResult<DB> =
    std::result::Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// A figure that can draw itself on any plotters backend.
pub trait Figure {
    /// Width and height in pixels.
    fn size(&self) -> (u32, u32);
    /// Why the figure cannot be drawn from what its data holds, checked
    /// before drawing; `None` when it can.
    fn unplottable(&self) -> Option<String> {
        None
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB>;
}

/// Most pixels a figure may have: 100 megapixels is a 300 MB bitmap, and
/// far past any figure a paper or screen shows. The size of a figure grows
/// with what the input holds (a panel per metric, a column per condition),
/// so it is checked before anything is drawn.
const MAX_PIXELS: u64 = 100_000_000;

/// Whether an axis can hold `values` with room around them: the span of the
/// finite ones, padded, is itself a finite number. Values of ±1.7e308 are
/// finite but 3.4e308 apart, and an axis over an infinite span never ends
/// its ticks.
pub fn span_fits(values: impl Iterator<Item = f64>) -> bool {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    lo > hi || ((hi - lo) * 1.25 + hi.abs().max(lo.abs()) * 0.25).is_finite()
}

/// The message of a panel whose values no axis can hold.
pub fn span_too_wide(panel: &str) -> String {
    format!(
        "the values of `{panel}` span more than the largest floating-point number; no axis can hold them"
    )
}

/// The figure as PNG or SVG bytes.
fn render(figure: &impl Figure, format: ImageFormat, path: &Path) -> Result<Vec<u8>> {
    font::register()?;
    let size = figure.size();
    let pixels = u64::from(size.0) * u64::from(size.1);
    if pixels > MAX_PIXELS {
        return Err(Error::input(
            path,
            format!(
                "the figure would be {} × {} pixels, more than the {} million drawn: plot fewer metrics or conditions (--metric GLOB), or a smaller size",
                size.0,
                size.1,
                MAX_PIXELS / 1_000_000
            ),
        ));
    }
    if let Some(reason) = figure.unplottable() {
        return Err(Error::input(
            path,
            format!("cannot draw the plot: {reason}"),
        ));
    }
    let fail = |e: String| Error::usage(format!("cannot draw the plot: {e}"));
    match format {
        ImageFormat::Svg => {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
                figure.draw(&root).map_err(|e| fail(e.to_string()))?;
                root.present().map_err(|e| fail(e.to_string()))?;
            }
            Ok(svg.into_bytes())
        }
        ImageFormat::Png => {
            let mut rgb = vec![0u8; size.0 as usize * size.1 as usize * 3];
            {
                let root = BitMapBackend::with_buffer(&mut rgb, size).into_drawing_area();
                figure.draw(&root).map_err(|e| fail(e.to_string()))?;
                root.present().map_err(|e| fail(e.to_string()))?;
            }
            encode_png(&rgb, size).map_err(fail)
        }
    }
}

/// Draw the figure to `path` (format from its extension), atomically.
pub fn write(figure: &impl Figure, path: &Path) -> Result<()> {
    let bytes = render(figure, ImageFormat::of(path)?, path)?;
    crate::render::write_output(&bytes, Some(path))
}

/// The figure as SVG text, to inline in the page `page` (`xreport report`).
pub fn svg(figure: &impl Figure, page: &Path) -> Result<String> {
    let bytes = render(figure, ImageFormat::Svg, page)?;
    String::from_utf8(bytes).map_err(|e| Error::usage(format!("cannot draw the plot: {e}")))
}

/// PNG with fixed encoder settings and no time stamp: same pixels, same bytes.
fn encode_png(rgb: &[u8], (w, h): (u32, u32)) -> std::result::Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Default);
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    writer.write_image_data(rgb).map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())?;
    Ok(out)
}

// `xreport rank`'s figure (DESIGN section 11).
pub mod cd_diagram;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_longer_than_the_limit_keep_their_start_and_end() {
        let fits = "é".repeat(MAX_SHOWN_CHARS);
        assert_eq!(shown(&fits), fits);
        let long = format!("{}{}", "a".repeat(100), "z".repeat(100));
        let cut = shown(&long);
        assert_eq!(cut.chars().count(), MAX_SHOWN_CHARS);
        assert_eq!(cut, format!("{}…{}", "a".repeat(37), "z".repeat(26)));
        assert_eq!(shorten("abcdef", 5), "ab…ef");
        assert_eq!(shorten("abcdé", 5), "abcdé");
        assert_eq!(shown(""), "");
    }
}

//! Colours for categories: the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal
//! Design"), distinguishable under the common forms of colour blindness. Beyond 8
//! categories the colours repeat with another marker shape, so no two categories
//! share both colour and shape up to 24.

use plotters::style::RGBColor;

/// Okabe–Ito, ordered so the low-contrast yellow comes late.
pub const OKABE_ITO: [RGBColor; 8] = [
    RGBColor(0x00, 0x72, 0xB2), // blue
    RGBColor(0xE6, 0x9F, 0x00), // orange
    RGBColor(0x00, 0x9E, 0x73), // bluish green
    RGBColor(0xD5, 0x5E, 0x00), // vermillion
    RGBColor(0xCC, 0x79, 0xA7), // reddish purple
    RGBColor(0x56, 0xB4, 0xE9), // sky blue
    RGBColor(0xF0, 0xE4, 0x42), // yellow
    RGBColor(0x00, 0x00, 0x00), // black
];

/// The colour of folded or unlabelled-remainder points ("other").
pub const OTHER: RGBColor = RGBColor(0xBB, 0xBB, 0xBB);

/// The marker shape of a category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Circle,
    Triangle,
    Square,
}

/// Colour and shape of category `i` (0-based, in legend order).
pub fn category(i: usize) -> (RGBColor, Shape) {
    let shape = match (i / OKABE_ITO.len()) % 3 {
        0 => Shape::Circle,
        1 => Shape::Triangle,
        _ => Shape::Square,
    };
    (OKABE_ITO[i % OKABE_ITO.len()], shape)
}

/// The colour of line or series `i`: Okabe–Ito without black, repeating.
pub fn line(i: usize) -> RGBColor {
    OKABE_ITO[i % (OKABE_ITO.len() - 1)]
}

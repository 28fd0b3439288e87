//! Plots (PNG and SVG) through plotters, with a font shipped in the binary so
//! the same inputs give the same bytes on every machine (DESIGN section 5).

pub mod curves;

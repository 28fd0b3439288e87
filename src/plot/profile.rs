//! Performance profiles (Agarwal et al. 2021, Fig. 5): for each method, the
//! fraction of runs whose normalised score exceeds τ, against τ, with its
//! stratified bootstrap band.

use std::path::Path;

use plotters::prelude::*;

use plotters::coord::Shift;

use super::font::FAMILY;
use super::{DrawResult, Figure, palette};
use crate::error::Result;

/// One method's profile: fractions at the τ grid, and the band when defined.
#[derive(Debug, Clone)]
pub struct Curve<'a> {
    pub method: &'a str,
    pub taus: &'a [f64],
    pub fraction: &'a [f64],
    pub band: Option<Vec<[f64; 2]>>,
}

const SIZE: (u32, u32) = (900, 560);

/// Performance profiles of several methods.
pub struct Profiles<'a> {
    pub curves: &'a [Curve<'a>],
    pub x_label: &'a str,
}

impl Figure for Profiles<'_> {
    fn size(&self) -> (u32, u32) {
        SIZE
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        draw(root, self.curves, self.x_label)
    }
}

/// Draw the profiles to `path` (PNG or SVG by extension), atomically.
pub fn write(path: &Path, curves: &[Curve<'_>], x_label: &str) -> Result<()> {
    super::write(&Profiles { curves, x_label }, path)
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    curves: &[Curve<'_>],
    x_label: &str,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let taus = curves.first().map(|c| c.taus).unwrap_or(&[]);
    let lo = taus.first().copied().unwrap_or(0.0);
    let hi = taus.last().copied().filter(|&h| h > lo).unwrap_or(lo + 1.0);
    let mut chart = ChartBuilder::on(root)
        .margin(20)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d(lo..hi, 0.0..1.0)?;
    chart
        .configure_mesh()
        .x_desc(x_label)
        .y_desc("Fraction of runs with score > τ")
        .label_style((FAMILY, 16))
        .axis_desc_style((FAMILY, 18))
        .light_line_style(WHITE)
        .draw()?;
    for (i, curve) in curves.iter().enumerate() {
        let colour = palette::line(i);
        if let Some(band) = &curve.band {
            let mut outline: Vec<(f64, f64)> = curve
                .taus
                .iter()
                .zip(band)
                .map(|(&t, ci)| (t, ci[1]))
                .collect();
            outline.extend(curve.taus.iter().zip(band).rev().map(|(&t, ci)| (t, ci[0])));
            chart.draw_series(std::iter::once(Polygon::new(outline, colour.mix(0.2))))?;
        }
        chart
            .draw_series(LineSeries::new(
                curve
                    .taus
                    .iter()
                    .copied()
                    .zip(curve.fraction.iter().copied()),
                colour.stroke_width(2),
            ))?
            .label(curve.method)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 24, y)], colour.stroke_width(3))
            });
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .label_font((FAMILY, 16))
        .draw()?;
    Ok(())
}

//! Performance profiles (Agarwal et al. 2021, Fig. 5): for each method, the
//! fraction of runs whose normalised score exceeds τ, against τ, with its
//! stratified bootstrap band.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::font::FAMILY;
use super::{DrawResult, Figure, palette};
use crate::analysis::aggregate::AggregateReport;

/// One method's profile: fractions at the τ grid, and the band when defined.
#[derive(Debug, Clone)]
pub struct Curve {
    pub method: String,
    pub taus: Vec<f64>,
    pub fraction: Vec<f64>,
    pub band: Option<Vec<[f64; 2]>>,
}

const SIZE: (u32, u32) = (900, 560);

/// Performance profiles of several methods.
pub struct Profiles {
    pub curves: Vec<Curve>,
    pub x_label: &'static str,
}

/// The profiles of an aggregate report.
pub fn from(report: &AggregateReport) -> Profiles {
    let curves = report
        .profiles
        .iter()
        .map(|p| Curve {
            method: p.method.clone(),
            taus: p.points.iter().map(|q| q.tau).collect(),
            fraction: p.points.iter().map(|q| q.fraction).collect(),
            band: p.points.iter().map(|q| q.ci).collect(),
        })
        .collect();
    let x_label = if report.normalization.random.is_some() {
        "Normalised score τ"
    } else {
        "Score τ"
    };
    Profiles { curves, x_label }
}

impl Figure for Profiles {
    fn size(&self) -> (u32, u32) {
        SIZE
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        draw(root, &self.curves, self.x_label)
    }
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    curves: &[Curve],
    x_label: &str,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let taus: &[f64] = curves.first().map_or(&[], |c| &c.taus);
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
            .label(super::shown(&curve.method))
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

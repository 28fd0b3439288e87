//! The learning-curve figure of `xreport curves`: one panel per metric, the
//! mean over seeds of each condition as a line with its bootstrap CI band,
//! Okabe–Ito colours, a legend, the band and smoothing stated in the caption.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::font::FAMILY;
use super::{DrawResult, Figure, palette};
use crate::analysis::curves::{Curve, CurvesReport};

const WIDTH: u32 = 900;
const PANEL_HEIGHT: u32 = 520;

/// The learning-curve figure of a report.
pub struct CurvesFigure<'a>(&'a CurvesReport);

/// The learning curves of a report.
pub fn from(report: &CurvesReport) -> CurvesFigure<'_> {
    CurvesFigure(report)
}

impl Figure for CurvesFigure<'_> {
    fn size(&self) -> (u32, u32) {
        // Saturating: a size past the pixel limit is refused before drawing.
        let panels = u32::try_from(self.0.metrics.len().max(1)).unwrap_or(u32::MAX);
        (WIDTH, PANEL_HEIGHT.saturating_mul(panels))
    }

    fn unplottable(&self) -> Option<String> {
        let report = self.0;
        report
            .metrics
            .iter()
            .find(|metric| {
                let values = report
                    .curves
                    .iter()
                    .filter(|c| c.metric == metric.name)
                    .flat_map(|c| &c.points)
                    .flat_map(|p| std::iter::once(p.mean).chain(p.ci.into_iter().flatten()));
                !super::span_fits(values)
            })
            .map(|metric| super::span_too_wide(&metric.name))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        draw(self.0, root)
    }
}

fn draw<DB: DrawingBackend>(
    report: &CurvesReport,
    root: &DrawingArea<DB, Shift>,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let lines = crate::render::curves::caption_parts(report);
    let footer_height = 10 + 20 * lines.len() as u32;
    let (body, footer) = root.split_vertically(root.dim_in_pixel().1 - footer_height);
    for (i, line) in lines.into_iter().enumerate() {
        footer.draw(&Text::new(
            line,
            (12, 4 + 20 * i as i32),
            (FAMILY, 14).into_font().color(&BLACK.mix(0.8)),
        ))?;
    }
    let panels = body.split_evenly((report.metrics.len().max(1), 1));
    let colours = condition_colours(report);
    for (panel, info) in panels.iter().zip(&report.metrics) {
        let curves: Vec<&Curve> = report
            .curves
            .iter()
            .filter(|c| c.metric == info.name)
            .collect();
        draw_panel(panel, &info.label, &curves, &colours, report)?;
    }
    Ok(())
}

/// Each condition keeps its colour in every panel: the order of first appearance.
fn condition_colours(report: &CurvesReport) -> Vec<(String, RGBColor)> {
    let mut out: Vec<(String, RGBColor)> = Vec::new();
    for c in &report.curves {
        if !out.iter().any(|(name, _)| *name == c.condition) {
            let colour = palette::line(out.len());
            out.push((c.condition.clone(), colour));
        }
    }
    out
}

fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    label: &str,
    curves: &[&Curve],
    colours: &[(String, RGBColor)],
    report: &CurvesReport,
) -> std::result::Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let points = curves.iter().flat_map(|c| &c.points);
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for p in points {
        let (lo, hi) = p.ci.map_or((p.mean, p.mean), |c| (c[0], c[1]));
        x0 = x0.min(p.step as f64);
        x1 = x1.max(p.step as f64);
        y0 = y0.min(lo);
        y1 = y1.max(hi);
    }
    if x0 > x1 {
        (x0, x1, y0, y1) = (0.0, 1.0, 0.0, 1.0);
    }
    if x1 <= x0 {
        x1 = x0 + 1.0;
    }
    let pad = if y1 > y0 { (y1 - y0) * 0.05 } else { 1.0 };
    let (y0, y1) = (y0 - pad, y1 + pad);
    let mut chart = ChartBuilder::on(area)
        .caption(super::shown(label), (FAMILY, 22))
        .margin(12)
        .x_label_area_size(42)
        .y_label_area_size(72)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    chart
        .configure_mesh()
        .light_line_style(BLACK.mix(0.06))
        .bold_line_style(BLACK.mix(0.12))
        .x_desc("step")
        .y_desc(super::shown(label))
        .label_style((FAMILY, 14))
        .axis_desc_style((FAMILY, 16))
        .x_label_formatter(&|x| step_label(*x))
        .y_label_formatter(&|y| axis_number(*y))
        .draw()?;
    for curve in curves {
        let colour = colours
            .iter()
            .find(|(name, _)| *name == curve.condition)
            .map_or(palette::line(0), |(_, c)| *c);
        let band: Vec<(f64, f64)> = curve
            .points
            .iter()
            .filter_map(|p| p.ci.map(|c| (p.step as f64, c[1])))
            .chain(
                curve
                    .points
                    .iter()
                    .rev()
                    .filter_map(|p| p.ci.map(|c| (p.step as f64, c[0]))),
            )
            .collect();
        if band.len() > 2 {
            chart.draw_series(std::iter::once(Polygon::new(
                band,
                colour.mix(0.2).filled(),
            )))?;
        }
        let label = report
            .labels
            .get(&curve.condition)
            .map_or_else(|| super::shown(&curve.condition), |l| super::shown(l))
            .into_owned();
        chart
            .draw_series(LineSeries::new(
                curve.points.iter().map(|p| (p.step as f64, p.mean)),
                colour.stroke_width(2),
            ))?
            .label(label)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(3))
            });
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .label_font((FAMILY, 15))
        .draw()?;
    Ok(())
}

/// Axis numbers without trailing zeros: 3500, 0.25.
fn axis_number(y: f64) -> String {
    let text = crate::render::format::fixed(y, 4);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text.is_empty() || text == "-" {
        "0".into()
    } else {
        text.to_string()
    }
}

/// Axis labels for step counts: 250k, 1M, 1.5M.
fn step_label(x: f64) -> String {
    let a = x.abs();
    let (value, unit) = if a >= 1e6 {
        (x / 1e6, "M")
    } else if a >= 1e3 {
        (x / 1e3, "k")
    } else {
        (x, "")
    };
    format!("{}{unit}", axis_number(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_labels_are_short() {
        assert_eq!(step_label(1_000_000.0), "1M");
        assert_eq!(step_label(250_000.0), "250k");
        assert_eq!(step_label(1_500_000.0), "1.5M");
        assert_eq!(step_label(0.0), "0");
    }
}

//! The learning-curve figure of `xreport curves`: one panel per metric, the
//! mean over seeds of each condition as a line with its bootstrap CI band,
//! Okabe–Ito colours, a legend, the band and smoothing stated in the caption.

use std::path::Path;
use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

use crate::analysis::curves::{Curve, CurvesReport};
use crate::error::{Error, Result};

/// DejaVu Sans (its licence in `assets/DejaVuSans.LICENSE`), registered with
/// plotters' `ab_glyph` backend: no system fonts, so no machine-dependent text.
static FONT: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");
const FAMILY: &str = "sans-serif";

/// Okabe & Ito (2008) colour-blind-safe palette, black left out for the lines.
const PALETTE: [RGBColor; 7] = [
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0xF0, 0xE4, 0x42),
];

const WIDTH: u32 = 900;
const PANEL_HEIGHT: u32 = 520;

/// The figure formats, by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Image {
    Png,
    Svg,
}

impl Image {
    pub fn of(path: &Path) -> Option<Image> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "png" => Some(Image::Png),
            "svg" => Some(Image::Svg),
            _ => None,
        }
    }
}

fn register_font() -> Result<()> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED
        .get_or_init(|| plotters::style::register_font(FAMILY, FontStyle::Normal, FONT).is_ok());
    if ok {
        Ok(())
    } else {
        Err(Error::usage("the shipped font could not be loaded"))
    }
}

/// Draw the report's curves as PNG or SVG bytes.
pub fn render(report: &CurvesReport, image: Image) -> Result<Vec<u8>> {
    register_font()?;
    let panels = report.metrics.len().max(1) as u32;
    let size = (WIDTH, PANEL_HEIGHT * panels);
    let plot_error = |e: String| Error::usage(format!("cannot draw the curves: {e}"));
    match image {
        Image::Svg => {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
                draw(report, &root).map_err(plot_error)?;
                root.present().map_err(|e| plot_error(e.to_string()))?;
            }
            Ok(svg.into_bytes())
        }
        Image::Png => {
            let mut rgb = vec![0u8; (size.0 * size.1 * 3) as usize];
            {
                let root = BitMapBackend::with_buffer(&mut rgb, size).into_drawing_area();
                draw(report, &root).map_err(plot_error)?;
                root.present().map_err(|e| plot_error(e.to_string()))?;
            }
            encode_png(&rgb, size).map_err(plot_error)
        }
    }
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

fn draw<DB: DrawingBackend>(
    report: &CurvesReport,
    root: &DrawingArea<DB, Shift>,
) -> std::result::Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    root.fill(&WHITE).map_err(err)?;
    let lines = report.caption_parts();
    let footer_height = 10 + 20 * lines.len() as u32;
    let (body, footer) = root.split_vertically(root.dim_in_pixel().1 - footer_height);
    for (i, line) in lines.into_iter().enumerate() {
        footer
            .draw(&Text::new(
                line,
                (12, 4 + 20 * i as i32),
                (FAMILY, 14).into_font().color(&BLACK.mix(0.8)),
            ))
            .map_err(err)?;
    }
    let panels = body.split_evenly((report.metrics.len().max(1), 1));
    let colours = condition_colours(report);
    for (panel, info) in panels.iter().zip(&report.metrics) {
        let curves: Vec<&Curve> = report
            .curves
            .iter()
            .filter(|c| c.metric == info.name)
            .collect();
        draw_panel(panel, &info.label, &curves, &colours, report).map_err(err)?;
    }
    Ok(())
}

/// Each condition keeps its colour in every panel: the order of first appearance.
fn condition_colours(report: &CurvesReport) -> Vec<(String, RGBColor)> {
    let mut out: Vec<(String, RGBColor)> = Vec::new();
    for c in &report.curves {
        if !out.iter().any(|(name, _)| *name == c.condition) {
            let colour = PALETTE[out.len() % PALETTE.len()];
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
        .caption(label, (FAMILY, 22))
        .margin(12)
        .x_label_area_size(42)
        .y_label_area_size(72)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    chart
        .configure_mesh()
        .light_line_style(BLACK.mix(0.06))
        .bold_line_style(BLACK.mix(0.12))
        .x_desc("step")
        .y_desc(label)
        .label_style((FAMILY, 14))
        .axis_desc_style((FAMILY, 16))
        .x_label_formatter(&|x| step_label(*x))
        .y_label_formatter(&|y| axis_number(*y))
        .draw()?;
    for curve in curves {
        let colour = colours
            .iter()
            .find(|(name, _)| *name == curve.condition)
            .map_or(PALETTE[0], |(_, c)| *c);
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
            .unwrap_or(&curve.condition)
            .clone();
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

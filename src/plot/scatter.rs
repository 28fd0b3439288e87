//! Small-multiple scatter plots coloured by category, with one legend for the figure.
//!
//! Sizes are given in inches and points and converted with the figure's dpi, so a
//! figure keeps its proportions at any resolution; the SVG uses the same pixel
//! geometry as the PNG.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::palette::{self, Shape};
use super::{DrawResult, font};
use crate::analysis::pca::PcaReport;
use crate::analysis::pca_figure::{Figure, Panel};
use crate::error::{Error, Result};
use crate::render::format;

/// Size and marks, resolved.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Style {
    pub width_in: f64,
    pub height_in: f64,
    pub dpi: u32,
    /// Marker diameter in points (1/72 inch).
    pub point_size: f64,
    /// Marker opacity in [0, 1].
    pub alpha: f64,
}

impl Style {
    fn px(&self, points: f64) -> f64 {
        points * f64::from(self.dpi) / 72.0
    }

    fn font(&self, points: f64) -> TextStyle<'static> {
        (font::FAMILY, self.px(points)).into_font().color(&BLACK)
    }

    fn pixels(&self) -> Result<(u32, u32)> {
        let to_px = |inches: f64| (inches * f64::from(self.dpi)).round();
        let (w, h) = (to_px(self.width_in), to_px(self.height_in));
        let ok = |v: f64| (16.0..=20_000.0).contains(&v);
        if !ok(w) || !ok(h) {
            return Err(Error::usage(format!(
                "a {}×{} in figure at {} dpi is {w}×{h} pixels: expected 16 to 20,000 per side",
                self.width_in, self.height_in, self.dpi
            )));
        }
        Ok((w as u32, h as u32))
    }
}

/// What the user asked of the figure's size and marks (`xreport pca`'s flags).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Marks {
    /// Inches; default 3.4 per panel column plus 1.2 for the legend.
    pub width: Option<f64>,
    /// Inches; default 3.0 per panel row plus 0.3 for the title.
    pub height: Option<f64>,
    pub dpi: u32,
    /// Marker diameter in points (1/72 inch).
    pub point_size: f64,
    /// Marker opacity in [0, 1].
    pub alpha: f64,
}

/// A scatter figure with its style, drawable on any backend.
pub struct Scatter<'a> {
    fig: &'a Figure,
    style: Style,
    size: (u32, u32),
}

impl super::Figure for Scatter<'_> {
    fn size(&self) -> (u32, u32) {
        self.size
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        draw(root, self.fig, &self.style)
    }
}

/// The figure of a PCA report with `marks`; an error when there is nothing
/// to draw or the size is out of bounds.
pub fn from<'a>(report: &'a PcaReport, marks: &Marks) -> Result<Scatter<'a>> {
    let fig = &report.figure;
    if fig.panels.is_empty() {
        return Err(Error::usage("a plot needs --components 2 or more"));
    }
    let columns = fig.columns.max(1);
    let rows = fig.panels.len().div_ceil(columns).max(1);
    let legend = if fig.classes.is_empty() { 0.0 } else { 1.2 };
    let title = if fig.title.is_some() { 0.3 } else { 0.0 };
    let style = Style {
        width_in: marks.width.unwrap_or(3.4 * columns as f64 + legend),
        height_in: marks.height.unwrap_or(3.0 * rows as f64 + title),
        dpi: marks.dpi,
        point_size: marks.point_size,
        alpha: marks.alpha,
    };
    let size = style.pixels()?;
    Ok(Scatter { fig, style, size })
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    fig: &Figure,
    style: &Style,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let mut body = root.clone();
    if let Some(title) = &fig.title {
        let band = style.px(16.0) as u32;
        let (top, rest) = body.split_vertically(band);
        top.draw(&Text::new(
            title.clone(),
            (top.dim_in_pixel().0 as i32 / 2, band as i32 / 2),
            style.font(10.0).pos(Pos::new(HPos::Center, VPos::Center)),
        ))?;
        body = rest;
    }
    if !fig.classes.is_empty() {
        let width = legend_width(&body, fig, style)?;
        let (plots, legend) = body.split_horizontally(body.dim_in_pixel().0.saturating_sub(width));
        draw_legend(&legend, fig, style)?;
        body = plots;
    }
    let columns = fig.columns.max(1);
    let rows = fig.panels.len().div_ceil(columns).max(1);
    for (cell, panel) in body.split_evenly((rows, columns)).iter().zip(&fig.panels) {
        draw_panel(cell, panel, fig, style)?;
    }
    Ok(())
}

fn legend_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    fig: &Figure,
    style: &Style,
) -> std::result::Result<u32, DrawingAreaErrorKind<DB::ErrorType>> {
    let font = style.font(8.0);
    let mut widest = 0;
    for name in &fig.classes {
        widest = widest.max(area.estimate_text_size(&super::shown(name), &font)?.0);
    }
    Ok(widest + style.px(24.0) as u32)
}

fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    fig: &Figure,
    style: &Style,
) -> DrawResult<DB> {
    let line = style.px(12.0) as i32;
    let top = area.dim_in_pixel().1 as i32 / 2 - line * fig.classes.len() as i32 / 2;
    let x = style.px(8.0) as i32;
    for (i, name) in fig.classes.iter().enumerate() {
        let y = top + line * i as i32 + line / 2;
        let (colour, shape) = class_style(fig, i);
        area.draw(&marker::<DB, _>(
            (x, y),
            shape,
            style.px(6.0),
            colour.filled(),
        ))?;
        area.draw(&Text::new(
            super::shown(name).into_owned(),
            (x + style.px(8.0) as i32, y),
            style.font(8.0).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    Ok(())
}

fn class_style(fig: &Figure, i: usize) -> (RGBColor, Shape) {
    if fig.has_other && i + 1 == fig.classes.len() {
        (palette::OTHER, Shape::Circle)
    } else {
        palette::category(i)
    }
}

/// A marker about `size` pixels across, centred on `at`.
fn marker<'a, DB, C>(at: C, shape: Shape, size: f64, style: ShapeStyle) -> DynElement<'a, DB, C>
where
    DB: DrawingBackend + 'a,
    C: Clone + 'a,
{
    let r = (size / 2.0).round().max(1.0) as i32;
    match shape {
        Shape::Circle => (EmptyElement::at(at) + Circle::new((0, 0), r, style)).into_dyn(),
        Shape::Triangle => {
            (EmptyElement::at(at) + TriangleMarker::new((0, 0), r + 1, style)).into_dyn()
        }
        Shape::Square => {
            (EmptyElement::at(at) + Rectangle::new([(-r, -r), (r, r)], style)).into_dyn()
        }
    }
}

fn draw_panel<DB: DrawingBackend>(
    cell: &DrawingArea<DB, Shift>,
    panel: &Panel,
    fig: &Figure,
    style: &Style,
) -> DrawResult<DB> {
    let mut area = cell.clone();
    if let Some(caption) = &panel.caption {
        let band = style.px(11.0) as u32;
        let (top, bottom) = area.split_vertically(area.dim_in_pixel().1.saturating_sub(band));
        bottom.draw(&Text::new(
            caption.clone(),
            (bottom.dim_in_pixel().0 as i32 / 2, band as i32 / 2),
            style.font(6.5).pos(Pos::new(HPos::Center, VPos::Center)),
        ))?;
        area = top;
    }
    let xr = range(panel.points.iter().map(|p| p.0));
    let yr = range(panel.points.iter().map(|p| p.1));
    let (x_tick, y_tick) = (tick_format(&xr), tick_format(&yr));
    let mut chart = ChartBuilder::on(&area)
        .caption(super::shown(&panel.title), style.font(9.0))
        .margin(style.px(4.0) as u32)
        .x_label_area_size(style.px(24.0) as u32)
        .y_label_area_size(style.px(34.0) as u32)
        .build_cartesian_2d(xr, yr)?;
    chart
        .configure_mesh()
        .x_desc(panel.x_label.as_str())
        .y_desc(panel.y_label.as_str())
        .x_labels(5)
        .y_labels(5)
        .x_label_formatter(&x_tick)
        .y_label_formatter(&y_tick)
        .label_style(style.font(7.0))
        .axis_desc_style(style.font(8.0))
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(0xE5, 0xE5, 0xE5))
        .draw()?;
    let size = style.px(style.point_size);
    let alpha = style.alpha.clamp(0.0, 1.0);
    let other = fig.has_other.then(|| fig.classes.len() as u32 - 1);
    // "other" first, underneath; then every point in row order (grouped by marker
    // shape beyond 8 classes), so no class is systematically painted over another.
    let r = (size / 2.0).round().max(1.0) as i32;
    for pass_other in [true, false] {
        for shape in [Shape::Circle, Shape::Triangle, Shape::Square] {
            let points = panel
                .points
                .iter()
                .zip(&panel.classes)
                .filter(|(_, c)| (Some(**c) == other) == pass_other)
                .map(|(&p, &c)| {
                    let (colour, shape) = if fig.classes.is_empty() {
                        palette::category(0)
                    } else {
                        class_style(fig, c as usize)
                    };
                    (p, shape, colour.mix(alpha).filled())
                })
                .filter(|(_, s, _)| *s == shape);
            match shape {
                Shape::Circle => {
                    chart.draw_series(points.map(|(p, _, st)| Circle::new(p, r, st)))?
                }
                Shape::Triangle => {
                    chart.draw_series(points.map(|(p, _, st)| TriangleMarker::new(p, r + 1, st)))?
                }
                Shape::Square => chart.draw_series(points.map(|(p, _, st)| {
                    EmptyElement::at(p) + Rectangle::new([(-r, -r), (r, r)], st)
                }))?,
            };
        }
    }
    Ok(())
}

/// Tick labels with as many decimals as the tick spacing needs (about 5 ticks),
/// in scientific notation for very small or large spacings; never `-0`.
fn tick_format(range: &std::ops::Range<f64>) -> impl Fn(&f64) -> String + use<> {
    let step = (range.end - range.start) / 5.0;
    let scientific = !(1e-4..1e6).contains(&step);
    let decimals = (-step.log10().floor()).clamp(0.0, 6.0) as usize;
    move |v: &f64| {
        // A tick at 0 computed as start + i·step carries rounding dust (-8.5e-22).
        let v = if v.abs() < 1e-6 * step { 0.0 } else { *v };
        if scientific && v != 0.0 {
            format::scientific(v, 1)
        } else {
            format::fixed(v, decimals)
        }
    }
}

/// Data range padded by 5 % each side; ±1 around a single value.
fn range(values: impl Iterator<Item = f64>) -> std::ops::Range<f64> {
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if !lo.is_finite() || !hi.is_finite() {
        return -1.0..1.0;
    }
    let pad = if hi > lo { 0.05 * (hi - lo) } else { 1.0 };
    (lo - pad)..(hi + pad)
}

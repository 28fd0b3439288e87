//! `xreport compare --plot`: per metric, every seed's value as a dot per
//! condition, with the mean (a bar) and its bootstrap CI (a line), the
//! baseline drawn grey and named so.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::font::FAMILY;
use super::{DrawResult, Figure, palette};
use crate::analysis::compare::CompareReport;
use crate::analysis::direction::Direction;
use crate::render::format;

/// One condition of a panel.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub label: String,
    pub values: Vec<f64>,
    pub mean: Option<f64>,
    pub ci: Option<[f64; 2]>,
    pub baseline: bool,
}

/// One metric.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    pub title: String,
    pub columns: Vec<Column>,
}

/// Panels stacked vertically, with a caption line under them.
#[derive(Debug, Clone, PartialEq)]
pub struct SeedsFigure {
    pub panels: Vec<Panel>,
    pub caption: String,
}

const PANEL_HEIGHT: u32 = 420;
const CAPTION_HEIGHT: u32 = 36;

/// The figure of a compare report: its baseline first, then the treatments.
pub fn from(report: &CompareReport) -> SeedsFigure {
    let mut panels = Vec::new();
    for info in &report.metrics {
        let arrow = if info.direction == Direction::Lower {
            "↓"
        } else {
            "↑"
        };
        let mut conditions: Vec<&str> = Vec::new();
        for c in report.comparisons.iter().filter(|c| c.metric == info.name) {
            if conditions.is_empty() {
                conditions.push(&c.baseline);
            }
            conditions.push(&c.treatment);
        }
        let columns = conditions
            .iter()
            .enumerate()
            .filter_map(|(i, condition)| {
                let g = report
                    .groups
                    .iter()
                    .find(|g| g.condition == *condition && g.metric == info.name)?;
                let label = report
                    .labels
                    .get(*condition)
                    .map_or(*condition, String::as_str);
                Some(Column {
                    label: if i == 0 {
                        format!("{label} (baseline)")
                    } else {
                        label.to_string()
                    },
                    values: g.values.clone(),
                    mean: g.mean,
                    ci: g.bootstrap_ci,
                    baseline: i == 0,
                })
            })
            .collect();
        panels.push(Panel {
            title: format!("{} {arrow}", info.label),
            columns,
        });
    }
    let caption = format!(
        "Dots: one per seed. Bar: mean; line: {}% {} bootstrap CI ({} resamples, seed {}).",
        format::percent(report.settings.confidence),
        report.settings.ci_method.name(),
        report.settings.resamples,
        report.settings.seed
    );
    SeedsFigure { panels, caption }
}

impl Figure for SeedsFigure {
    fn size(&self) -> (u32, u32) {
        let columns = self
            .panels
            .iter()
            .map(|p| p.columns.len())
            .max()
            .map_or(1, |n| u32::try_from(n).unwrap_or(u32::MAX));
        // Room for the longest condition label under each column (~8 px a character).
        let longest = self
            .panels
            .iter()
            .flat_map(|p| &p.columns)
            .map(|c| c.label.chars().count())
            .max();
        // Saturating: a size past the pixel limit is refused before drawing.
        let longest = u32::try_from(longest.unwrap_or(0)).unwrap_or(u32::MAX);
        let per_column = longest.saturating_mul(8).saturating_add(20).max(180);
        let panels = u32::try_from(self.panels.len().max(1)).unwrap_or(u32::MAX);
        (
            per_column
                .saturating_mul(columns)
                .saturating_add(160)
                .max(640),
            PANEL_HEIGHT
                .saturating_mul(panels)
                .saturating_add(CAPTION_HEIGHT),
        )
    }

    fn unplottable(&self) -> Option<String> {
        self.panels
            .iter()
            .find(|p| {
                let values = p.columns.iter().flat_map(|c| {
                    c.values
                        .iter()
                        .copied()
                        .chain(c.mean)
                        .chain(c.ci.into_iter().flatten())
                });
                !super::span_fits(values)
            })
            .map(|p| super::span_too_wide(&p.title))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        root.fill(&WHITE)?;
        let (body, footer) = root.split_vertically(root.dim_in_pixel().1 - CAPTION_HEIGHT);
        footer.draw(&Text::new(
            self.caption.clone(),
            (12, 8),
            (FAMILY, 15).into_font().color(&BLACK),
        ))?;
        for (area, panel) in body
            .split_evenly((self.panels.len().max(1), 1))
            .iter()
            .zip(&self.panels)
        {
            draw_panel(area, panel)?;
        }
        Ok(())
    }
}

fn draw_panel<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, panel: &Panel) -> DrawResult<DB> {
    let all = panel
        .columns
        .iter()
        .flat_map(|c| c.values.iter().copied().chain(c.ci.into_iter().flatten()));
    let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let (lo, hi) = if lo.is_finite() && hi > lo {
        (lo, hi)
    } else if lo.is_finite() {
        (lo - 1.0, lo + 1.0)
    } else {
        (0.0, 1.0)
    };
    let pad = (hi - lo) * 0.08;
    let k = panel.columns.len().max(1);
    let labels: Vec<String> = panel
        .columns
        .iter()
        .map(|c| super::shown(&c.label).into_owned())
        .collect();
    let mut chart = ChartBuilder::on(area)
        .caption(super::shown(&panel.title), (FAMILY, 20))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(70)
        .build_cartesian_2d(-0.5..(k as f64 - 0.5), (lo - pad)..(hi + pad))?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(BLACK.mix(0.06))
        .bold_line_style(BLACK.mix(0.12))
        .x_labels(k)
        .x_label_formatter(&|x| {
            let i = x.round();
            if (x - i).abs() < 1e-6 && i >= 0.0 {
                labels.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .label_style((FAMILY, 14))
        .draw()?;
    for (i, column) in panel.columns.iter().enumerate() {
        let x = i as f64;
        let colour = if column.baseline {
            RGBColor(0x88, 0x88, 0x88)
        } else {
            palette::line(i - 1)
        };
        // Seeds spread sideways in a fixed pattern so equal values stay visible.
        let n = column.values.len();
        let dots = column.values.iter().enumerate().map(|(j, &v)| {
            let offset = if n > 1 {
                (j as f64 / (n - 1) as f64 - 0.5) * 0.3
            } else {
                0.0
            };
            Circle::new((x + offset, v), 5, colour.mix(0.8).filled())
        });
        chart.draw_series(dots)?;
        if let Some([ci_lo, ci_hi]) = column.ci {
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(x + 0.22, ci_lo), (x + 0.22, ci_hi)],
                BLACK.stroke_width(2),
            )))?;
        }
        if let Some(mean) = column.mean {
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(x - 0.25, mean), (x + 0.25, mean)],
                BLACK.stroke_width(3),
            )))?;
        }
    }
    Ok(())
}

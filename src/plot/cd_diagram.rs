//! The critical-difference diagram (Demšar 2006, Fig. 1): the rank axis 1…k
//! with the best at the left, each method's mean rank marked and its name
//! on the side it is nearest (the better half left, the worse half right),
//! a bar under the axis for each clique of methods not significantly
//! different, and for Nemenyi the CD as a bar over the axis. The test, α,
//! the tasks and the direction are stated above.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::font::FAMILY;
use super::{DrawResult, Figure};
use crate::analysis::options::Posthoc;
use crate::analysis::rank::RankReport;
use crate::render::format;

/// Names longer than this many characters lose their middle to an ellipsis
/// (the end often tells variants apart: `…_v2`, `…_seedless`).
const MAX_NAME: usize = 40;
const NAME_SIZE: u32 = 16;
const TICK_SIZE: u32 = 14;
const ROW: i32 = 24;
const CLIQUE_ROW: i32 = 9;

/// A critical-difference diagram, laid out in pixels.
pub struct CdDiagram {
    /// (label, mean rank) in rank order, best first.
    methods: Vec<(String, f64)>,
    /// (lowest, highest) mean rank of each clique.
    cliques: Vec<(f64, f64)>,
    cd: Option<f64>,
    title: String,
    /// Pixels left and right of the axis for the names.
    left: i32,
    right: i32,
    axis: i32,
}

/// The diagram of a rank report.
pub fn from(report: &RankReport) -> CdDiagram {
    // The layout measures names in the shipped font; should it fail to
    // load, `plot::write` reports it (and the widths are estimated meanwhile).
    let _ = super::font::register();
    let methods: Vec<(String, f64)> = report
        .methods
        .iter()
        .map(|m| {
            (
                super::shorten(&m.method, MAX_NAME).into_owned(),
                m.mean_rank,
            )
        })
        .collect();
    let rank_of = |name: &str| {
        report
            .methods
            .iter()
            .find(|m| m.method == name)
            .map_or(f64::NAN, |m| m.mean_rank)
    };
    let cliques = report
        .cliques
        .iter()
        .map(|c| {
            let ranks: Vec<f64> = c.iter().map(|name| rank_of(name)).collect();
            let lo = ranks.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = ranks.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            (lo, hi)
        })
        .collect();
    let test = match report.posthoc.method {
        Posthoc::Nemenyi => "Nemenyi test".to_string(),
        Posthoc::WilcoxonHolm => format!(
            "Wilcoxon signed-rank, {}",
            report.settings.correction.map_or("none", |c| c.name())
        ),
        Posthoc::BonferroniDunn => format!(
            "Bonferroni–Dunn vs {}, {}",
            report.settings.control.as_deref().unwrap_or_default(),
            report.settings.correction.map_or("none", |c| c.name())
        ),
    };
    let title = format!(
        "{test}, α = {} · {} tasks · {} {} is better · Friedman p {}",
        report.posthoc.alpha,
        report.tasks.len(),
        report.direction.name(),
        report.metric,
        match format::p_value(report.friedman.p_value) {
            p if p.starts_with('<') => p,
            p => format!("= {p}"),
        }
    );
    let k = methods.len();
    let half = k.div_ceil(2);
    let widest = |side: &[(String, f64)], right: bool| {
        side.iter()
            .map(|(name, rank)| text_width(&label(name, *rank, right), NAME_SIZE))
            .max()
            .unwrap_or(0)
    };
    let left = widest(&methods[..half], false) + 40;
    let right = widest(&methods[half..], true) + 40;
    let axis = (60 * (k as i32 - 1)).clamp(420, 900);
    let title_width = text_width(&title, TICK_SIZE) + 20;
    let extra = (title_width - (left + axis + right)).max(0);
    CdDiagram {
        methods,
        cliques,
        cd: report.posthoc.cd,
        title,
        left: left + extra / 2,
        right: right + extra - extra / 2,
        axis,
    }
}

/// A name and its mean rank as drawn on its side.
fn label(name: &str, rank: f64, right: bool) -> String {
    let rank = format::fixed(rank, 2);
    if right {
        format!("({rank}) {name}")
    } else {
        format!("{name} ({rank})")
    }
}

/// The width of `text` in the shipped font, in pixels.
fn text_width(text: &str, size: u32) -> i32 {
    match (FAMILY, size).into_font().box_size(text) {
        Ok((w, _)) => w as i32,
        // an estimate, should the font not measure (it is registered first)
        Err(_) => (text.chars().count() as u32 * size * 6 / 10) as i32,
    }
}

impl CdDiagram {
    fn k(&self) -> usize {
        self.methods.len()
    }

    /// The x pixel of a rank.
    fn x(&self, rank: f64) -> i32 {
        let span = (self.k().max(2) - 1) as f64;
        self.left + ((rank - 1.0) / span * self.axis as f64).round() as i32
    }

    /// The y of the axis line.
    fn axis_y(&self) -> i32 {
        if self.cd.is_some() { 100 } else { 70 }
    }

    /// The y of the first name row.
    fn first_row(&self) -> i32 {
        self.axis_y() + 24 + CLIQUE_ROW * self.cliques.len() as i32 + 16
    }
}

impl Figure for CdDiagram {
    fn size(&self) -> (u32, u32) {
        let rows = self.k().div_ceil(2) as i32;
        let width = self.left + self.axis + self.right;
        let height = self.first_row() + (rows - 1) * ROW + 24;
        (width as u32, height as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        root.fill(&WHITE)?;
        let (width, _) = self.size();
        let text = |size: u32, h: HPos, v: VPos| {
            (FAMILY, size).into_font().color(&BLACK).pos(Pos::new(h, v))
        };
        let line = |points: Vec<(i32, i32)>, width: u32| {
            PathElement::new(points, BLACK.stroke_width(width))
        };
        root.draw(&Text::new(
            self.title.clone(),
            (width as i32 / 2, 18),
            text(TICK_SIZE, HPos::Center, VPos::Center),
        ))?;
        let k = self.k();
        let y = self.axis_y();
        // The axis with a tick at every rank and a small one at every half rank.
        root.draw(&line(vec![(self.x(1.0), y), (self.x(k as f64), y)], 1))?;
        for step in 0..(2 * k - 1) {
            let rank = 1.0 + step as f64 / 2.0;
            let x = self.x(rank);
            let long = step % 2 == 0;
            root.draw(&line(vec![(x, y), (x, y - if long { 8 } else { 4 })], 1))?;
            if long {
                root.draw(&Text::new(
                    format!("{}", step / 2 + 1),
                    (x, y - 12),
                    text(TICK_SIZE, HPos::Center, VPos::Bottom),
                ))?;
            }
        }
        if let Some(cd) = self.cd {
            let (x0, x1, cy) = (self.x(1.0), self.x(1.0 + cd), y - 52);
            root.draw(&line(vec![(x0, cy), (x1, cy)], 2))?;
            root.draw(&line(vec![(x0, cy - 5), (x0, cy + 5)], 1))?;
            root.draw(&line(vec![(x1, cy - 5), (x1, cy + 5)], 1))?;
            root.draw(&Text::new(
                format!("CD = {}", format::fixed(cd, 3)),
                ((x0 + x1) / 2, cy - 6),
                text(TICK_SIZE, HPos::Center, VPos::Bottom),
            ))?;
        }
        for (row, &(lo, hi)) in self.cliques.iter().enumerate() {
            let cy = y + 20 + CLIQUE_ROW * row as i32;
            root.draw(&line(vec![(self.x(lo) - 4, cy), (self.x(hi) + 4, cy)], 4))?;
        }
        // The better half on the left, best at the top; the worse half on the
        // right, worst at the top: lines never cross.
        let half = k.div_ceil(2);
        let first = self.first_row();
        for (i, (name, rank)) in self.methods.iter().enumerate() {
            let x = self.x(*rank);
            let (row, right) = if i < half {
                (i, false)
            } else {
                (k - 1 - i, true)
            };
            let ry = first + ROW * row as i32;
            let end = if right {
                self.left + self.axis + 20
            } else {
                self.left - 20
            };
            root.draw(&line(vec![(x, y), (x, ry), (end, ry)], 1))?;
            root.draw(&Circle::new((x, y), 3, BLACK.filled()))?;
            let (anchor, at) = if right {
                (HPos::Left, end + 6)
            } else {
                (HPos::Right, end - 6)
            };
            root.draw(&Text::new(
                label(name, *rank, right),
                (at, ry),
                text(NAME_SIZE, anchor, VPos::Center),
            ))?;
        }
        Ok(())
    }
}

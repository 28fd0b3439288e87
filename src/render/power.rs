//! The layout of `xreport power`: power against seeds per group on a
//! readable grid, the seeds needed marked, the pilot and the effect noted.

use serde_json::{Value, json};

use super::format::{self, Style};
use super::table::{self, Table};
use super::{Output, Report, notes};
use crate::analysis::power::PowerReport;

/// The rows of the printed curve: every n up to 10, then a coarser grid,
/// always the seeds needed and the last n (the JSON has every n).
fn shown(n: usize, needed: Option<usize>, last: usize) -> bool {
    let on_grid = match n {
        0..=10 => true,
        11..=50 => n.is_multiple_of(5),
        51..=250 => n.is_multiple_of(25),
        _ => n.is_multiple_of(100),
    };
    on_grid || Some(n) == needed || n == last
}

impl Report for PowerReport {
    fn kind(&self) -> &'static str {
        "power"
    }

    fn table(&self, style: Style, output: &Output) -> Table {
        let mut table = Table::new(vec![
            table::right("Seeds per group"),
            table::right("Power"),
            table::left(""),
        ]);
        let last = self.curve.last().map_or(0, |p| p.n);
        for point in self
            .curve
            .iter()
            .filter(|p| shown(p.n, self.seeds_needed, last))
        {
            let marker = if Some(point.n) == self.seeds_needed {
                let target = format!("target {}%", format::percent(self.target_power));
                format!("{} {}", style.left_arrow(), style.escape(&target))
            } else {
                String::new()
            };
            table.rows.push(vec![
                point.n.to_string(),
                format::fixed(point.power, 3),
                marker,
            ]);
        }
        notes::frame(&mut table, style, output);
        if let Some(p) = &self.pilot {
            table.notes.push(style.escape(&format!(
                "Pilot: {} vs {} on {} ({} and {} seeds).",
                p.treatment, p.baseline, p.metric, p.n_treatment, p.n_baseline
            )));
        }
        table
            .notes
            .extend(self.notes.iter().map(|n| style.escape(n)));
        table
    }

    fn records(&self) -> Vec<Value> {
        self.curve
            .iter()
            .map(|p| json!({"n": p.n, "power": p.power}))
            .collect()
    }
}

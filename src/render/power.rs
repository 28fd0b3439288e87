//! The layout of `xreport power`: power against seeds per group on a
//! readable grid, the seeds needed marked, the pilot and the effect noted.

use serde_json::{Value, json};

use super::format::{self, Style};
use super::table::{self, Table};
use super::{Output, Report, notes};
use crate::analysis::power::PowerReport;

/// The rows of the printed curve: every n up to 10, then a coarser grid,
/// always the first n (past 2 for a small `--ratio`), the seeds needed and
/// the last n (the JSON has every n).
fn shown(n: usize, needed: Option<usize>, (first, last): (usize, usize)) -> bool {
    let on_grid = match n {
        0..=10 => true,
        11..=50 => n.is_multiple_of(5),
        51..=250 => n.is_multiple_of(25),
        _ => n.is_multiple_of(100),
    };
    on_grid || Some(n) == needed || n == first || n == last
}

impl Report for PowerReport {
    fn kind(&self) -> &'static str {
        "power"
    }

    fn table(&self, style: Style, output: &Output) -> Table {
        // with --ratio the groups differ: a column for each
        let mut columns = match self.ratio {
            Some(_) => vec![
                table::right("Baseline seeds"),
                table::right("Treatment seeds"),
            ],
            None => vec![table::right("Seeds per group")],
        };
        columns.extend([table::right("Power"), table::left("")]);
        let mut table = Table::new(columns);
        let ends = (
            self.curve.first().map_or(0, |p| p.n),
            self.curve.last().map_or(0, |p| p.n),
        );
        for point in self
            .curve
            .iter()
            .filter(|p| shown(p.n, self.seeds_needed, ends))
        {
            let marker = if Some(point.n) == self.seeds_needed {
                let target = format!("target {}%", format::percent(self.target_power));
                format!("{} {}", style.left_arrow(), style.escape(&target))
            } else {
                String::new()
            };
            let mut row = vec![point.n.to_string()];
            row.extend(point.n_treatment.map(|n| n.to_string()));
            row.extend([format::fixed(point.power, 3), marker]);
            table.rows.push(row);
        }
        notes::frame(&mut table, style, output);
        if let Some(p) = &self.pilot {
            let pairs = p
                .n_pairs
                .map_or(String::new(), |n| format!(", {n} paired by seed id"));
            table.notes.push(style.escape(&format!(
                "Pilot: {} vs {} on {} ({} and {} seeds{pairs}).",
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
            .map(|p| match p.n_treatment {
                Some(n_treatment) => {
                    json!({"n": p.n, "n_treatment": n_treatment, "power": p.power})
                }
                None => json!({"n": p.n, "power": p.power}),
            })
            .collect()
    }
}

//! The layout of `xreport check`: one row per rule, then the tally and the
//! verdict, the compute total, the role notes, and each finding that does
//! not pass with its evidence and fix.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::Output;
use super::Report;
use super::format::Style;
use super::notes;
use super::table::{self, Table};
use crate::check::{CheckReport, Status};

impl Report for CheckReport {
    fn kind(&self) -> &'static str {
        "check"
    }

    fn table(&self, style: Style, output: &Output) -> Table {
        table_with_evidence(self, style, output, usize::MAX)
    }

    fn records(&self) -> Vec<Value> {
        self.findings
            .iter()
            .map(|f| {
                json!({
                    "id": f.id,
                    "status": f.status.name(),
                    "level": f.level,
                    "message": f.message,
                    "evidence": f.evidence.join("; "),
                    "fix": f.fix,
                })
            })
            .collect()
    }
}

/// The table with at most `evidence` lines of evidence per finding, the
/// rest counted in one line (`xreport report` of a large study: 11,000
/// lines of within-noise comparisons are the comparisons table again).
pub fn table_with_evidence(
    report: &CheckReport,
    style: Style,
    output: &Output,
    evidence: usize,
) -> Table {
    let mut table = Table::new(vec![
        table::left("Status"),
        table::left("Rule"),
        table::left("Finding"),
    ]);
    for f in &report.findings {
        table.rows.push(vec![
            f.status.name().to_string(),
            style.escape(&f.id),
            style.escape(&f.message),
        ]);
    }
    notes::frame(&mut table, style, output);
    let mut counts: BTreeMap<Status, usize> = BTreeMap::new();
    for f in &report.findings {
        *counts.entry(f.status).or_default() += 1;
    }
    let tally: Vec<String> = [
        Status::Fail,
        Status::Warn,
        Status::Manual,
        Status::Skip,
        Status::Pass,
    ]
    .iter()
    .map(|s| format!("{} {}", counts.get(s).copied().unwrap_or(0), s.name()))
    .collect();
    let verdict = if report.failed() {
        "the checklist fails"
    } else {
        "the checklist passes"
    };
    table.notes.push(style.escape(&format!(
        "{}: {verdict}{}.",
        tally.join(", "),
        if report.settings.strict {
            " (strict: warnings fail too)"
        } else {
            ""
        }
    )));
    table
        .notes
        .push(style.escape(&format!("Compute: {}", report.compute.sentence())));
    for note in &report.roles.notes {
        table.notes.push(style.escape(&format!("Note: {note}")));
    }
    for f in report.findings.iter().filter(|f| f.status != Status::Pass) {
        let head = style.escape(&format!("{} {}", f.status.name(), f.id));
        table.notes.push(format!(
            "{}: {}",
            style.bold(&head),
            style.escape(&f.message)
        ));
        for e in f.evidence.iter().take(evidence) {
            table.notes.push(style.escape(&format!("  - {e}")));
        }
        if f.evidence.len() > evidence {
            table.notes.push(style.escape(&format!(
                "  - … and {} more (`xreport check` lists every one)",
                f.evidence.len() - evidence
            )));
        }
        if f.status != Status::Skip {
            table.notes.push(style.escape(&format!("  fix: {}", f.fix)));
        }
    }
    table
}

//! The terminal view of `xreport pca`: one aligned row per input (rows,
//! dims, explained variance, effective rank, dead dims, verdict), then the
//! numbers behind each verdict in a sentence.

use super::format::{self, Style};
use super::table::{self, Table};
use crate::analysis::pca::{InputReport, PcaReport};
use crate::stats::pca::{self as stats_pca, Diagnostics};

/// The terminal view: one aligned row per input, then the reason for each verdict.
pub fn text(report: &PcaReport) -> String {
    let mut rows = vec![header(report)];
    rows.extend(report.inputs.iter().map(row));
    let mut out = aligned(&rows);
    out.push('\n');
    for input in &report.inputs {
        out.push_str(&format!(
            "{}: {}\n",
            input.path,
            reason(&input.diagnostics, input.dims)
        ));
    }
    if let Some(shared) = &report.shared_basis {
        out.push_str(&format!(
            "shared basis fitted on {} stacked rows\n",
            shared.rows
        ));
    }
    out
}

/// The column names: input, rows, dims, one per component, the rank,
/// dead dims and the verdict.
fn header(report: &PcaReport) -> Vec<String> {
    let k = report.settings.components;
    let mut header: Vec<String> = ["input", "rows", "dims"].map(String::from).to_vec();
    header.extend((1..=k).map(|i| format!("PC{i}")));
    header.extend(["eff. rank", "dead dims", "verdict"].map(String::from));
    header
}

fn row(input: &InputReport) -> Vec<String> {
    let d = &input.diagnostics;
    let mut row = vec![
        input.path.clone(),
        input.rows.to_string(),
        input.dims.to_string(),
    ];
    row.extend(input.explained_variance_ratio.iter().map(|r| match r {
        Some(r) => format!("{} %", format::percent_fixed(*r, 1)),
        None => format::UNDEFINED.to_string(),
    }));
    row.push(format::opt(d.effective_rank, 1));
    row.push(d.dead_dims.to_string());
    row.push(verdict_name(d.verdict).to_string());
    row
}

/// The terminal view's rows as a [`Table`] (the HTML report), each verdict's
/// reason a note under it.
pub fn table(report: &PcaReport, style: Style) -> Table {
    let header = header(report);
    let last = header.len() - 1;
    let mut out = Table::new(
        header
            .iter()
            .enumerate()
            .map(|(i, h)| match i {
                0 => table::left(style.escape(h)),
                i if i == last => table::left(style.escape(h)),
                _ => table::right(style.escape(h)),
            })
            .collect(),
    );
    for input in &report.inputs {
        out.rows
            .push(row(input).iter().map(|c| style.escape(c)).collect());
        out.notes.push(style.escape(&sentence(input)));
    }
    if let Some(shared) = &report.shared_basis {
        out.notes.push(style.escape(&format!(
            "Shared basis fitted on {} stacked rows.",
            shared.rows
        )));
    }
    out
}

/// One input's verdict and the numbers behind it, in a sentence.
pub fn sentence(input: &InputReport) -> String {
    format!(
        "{}: {} rows × {} dims; {}.",
        input.path,
        input.rows,
        input.dims,
        reason(&input.diagnostics, input.dims)
    )
}

fn verdict_name(v: stats_pca::Verdict) -> &'static str {
    match v {
        stats_pca::Verdict::Healthy => "healthy",
        stats_pca::Verdict::DimensionalCollapse => "dimensional collapse",
        stats_pca::Verdict::Collapse => "collapse",
    }
}

/// The numbers that led to a verdict, in a sentence.
fn reason(d: &Diagnostics, dims: usize) -> String {
    let sci = |v: f64| format::scientific(v, 2);
    let rank = format::opt(d.effective_rank, 1);
    match d.verdict {
        stats_pca::Verdict::Collapse => format!(
            "collapse: total variance {} ≤ {} × mean squared row norm {} (every row is nearly the same point)",
            sci(d.total_variance),
            sci(stats_pca::COLLAPSE_FRACTION),
            sci(d.mean_squared_norm)
        ),
        stats_pca::Verdict::DimensionalCollapse => format!(
            "dimensional collapse: effective rank {rank} < {} of {dims} dims; {} dead dims",
            format::fixed(d.rank_threshold, 1),
            d.dead_dims
        ),
        stats_pca::Verdict::Healthy => format!(
            "healthy: effective rank {rank} ≥ {} of {dims} dims; {} dead dims",
            format::fixed(d.rank_threshold, 1),
            d.dead_dims
        ),
    }
}

/// Left-aligned columns separated by two spaces, no trailing spaces.
fn aligned(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if c + 1 < row.len() {
                line.push_str(&" ".repeat(widths[c] - cell.chars().count() + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

//! The terminal view of `xreport pca`: one aligned row per input (rows,
//! dims, explained variance, effective rank, dead dims, verdict), then the
//! numbers behind each verdict in a sentence.

use super::format;
use crate::analysis::pca::PcaReport;
use crate::stats::pca::{self as stats_pca, Diagnostics};

/// The terminal view: one aligned row per input, then the reason for each verdict.
pub fn text(report: &PcaReport) -> String {
    let k = report.settings.components;
    let mut header: Vec<String> = ["input", "rows", "dims"].map(String::from).to_vec();
    header.extend((1..=k).map(|i| format!("PC{i}")));
    header.extend(["eff. rank", "dead dims", "verdict"].map(String::from));
    let mut rows = vec![header];
    for input in &report.inputs {
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
        rows.push(row);
    }
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

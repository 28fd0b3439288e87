//! The layout of `xreport table`: one row per method, a `\multicolumn`
//! header per task with `\cmidrule(lr)` under it, a column per metric (and
//! its Δ% with `--relative`); best bold, second underlined, † against the
//! baseline; siunitx `S` columns on request, whose bold and underline keep
//! the decimal alignment.

use serde_json::{Value, json};

use super::format::{self, Style};
use super::table::{self, Table};
use super::{Output, Report, notes};
use crate::analysis::direction::Direction;
use crate::analysis::main_table::{CellKind, MainTableReport, TableCell, TableColumn};
use crate::analysis::options::Family;
use crate::stats::inference::TestKind;
use crate::stats::proportion::ProportionMethod;

/// The options of every siunitx column: text-mode numbers (`mode = match`),
/// so `\bfseries` reaches every digit, and the uncertainty aligned too.
const SIUNITX: &str =
    "mode=match, reset-text-series=false, separate-uncertainty=true, table-align-uncertainty=true";

impl Report for MainTableReport {
    fn kind(&self) -> &'static str {
        "table"
    }

    fn table(&self, style: Style, output: &Output) -> Table {
        // mean[ci] cells, and cells with a proportion interval beside them,
        // are not numbers siunitx can align: they stay text.
        let siunitx = output.siunitx
            && style == Style::Latex
            && self.cell != CellKind::MeanBracketCi
            && !self.show_proportion_ci;
        let tasks = self.columns.iter().any(|c| c.task.is_some());
        let per_metric = if self.marks.relative { 2 } else { 1 };
        let formats: Vec<String> = self
            .columns
            .iter()
            .enumerate()
            .map(|(j, c)| self.table_format(j, c))
            .collect();

        let mut columns = vec![table::left("Method")];
        for column in &self.columns {
            let mut title = format!(
                "{} {}",
                style.escape(&column.label),
                style.arrow(column.direction == Direction::Lower)
            );
            if tasks && style != Style::Latex {
                let task = column.task.as_deref().unwrap_or_default();
                title = format!("{} · {title}", style.escape(task));
            }
            columns.push(table::right(braced(siunitx, title)));
            if self.marks.relative {
                columns.push(table::right(style.escape("Δ%")));
            }
        }
        let mut table = Table::new(columns);
        if siunitx {
            table.spec = std::iter::once("l".to_string())
                .chain(formats.iter().flat_map(|f| {
                    let s = format!("S[table-format={f}, {SIUNITX}]");
                    if per_metric == 2 {
                        vec![s, "r".to_string()]
                    } else {
                        vec![s]
                    }
                }))
                .collect();
            table.setup.push("\\robustify\\bfseries".to_string());
        }
        if tasks && style == Style::Latex {
            table.header.push(String::new());
            let mut first = 2;
            for (task, n) in self.task_spans() {
                let width = n * per_metric;
                table.header.push(format!(
                    "\\multicolumn{{{width}}}{{c}}{{{}}}",
                    style.escape(task.unwrap_or_default())
                ));
                table
                    .cmidrules
                    .push(format!("{first}-{}", first + width - 1));
                first += width;
            }
        }

        for (i, row) in self.rows.iter().enumerate() {
            let mut cells = vec![style.escape(&row.label)];
            for (j, column) in self.columns.iter().enumerate() {
                let cell = self.cell(i, j);
                cells.push(self.cell_text(cell, column, style, siunitx.then_some(&formats[j])));
                if self.marks.relative {
                    cells.push(match &cell.relative {
                        Some(r) => format!(
                            "{} {}",
                            format::signed(r.percent, 1),
                            format::interval(r.ci, 1)
                        ),
                        None => format::UNDEFINED.to_string(),
                    });
                }
            }
            table.rows.push(cells);
        }
        table.rules_after = self
            .rows
            .windows(2)
            .enumerate()
            .filter(|(_, pair)| pair[0].group != pair[1].group)
            .map(|(i, _)| i)
            .collect();

        let caption = output.caption.clone().unwrap_or_else(|| {
            let names: Vec<&str> = self.task_spans().iter().filter_map(|(t, _)| *t).collect();
            if names.is_empty() {
                "Main results.".to_string()
            } else {
                format!("Main results on {}.", names.join(", "))
            }
        });
        table.caption = Some(style.escape(&caption));
        table.label = output.label.clone().or_else(|| Some("tab:main".into()));
        table.fragment = output.fragment;
        table.wide = output.wide;
        table.fit = output.fit;
        table.notes.push(style.escape(&self.legend()));
        table.notes.extend(notes::common(
            style,
            &self.settings.describe(),
            &self.skipped,
            &[],
        ));
        table
            .notes
            .extend(self.notes.iter().map(|n| style.escape(n)));
        table
            .notes
            .extend(self.statistics_notes.iter().map(|n| style.escape(n)));
        table
    }

    fn records(&self) -> Vec<Value> {
        let mut out = Vec::new();
        for (i, row) in self.rows.iter().enumerate() {
            for (j, column) in self.columns.iter().enumerate() {
                let c = self.cell(i, j);
                out.push(json!({
                    "condition": row.condition,
                    "label": row.label,
                    "group": row.group,
                    "task": column.task,
                    "metric": column.metric,
                    "direction": column.direction,
                    "n": c.n,
                    "mean": c.mean,
                    "std": c.std,
                    "sem": c.sem,
                    "ci_lo": c.ci.map(|ci| ci[0]),
                    "ci_hi": c.ci.map(|ci| ci[1]),
                    "best": c.best,
                    "second": c.second,
                    "significant": c.significant,
                    "p_adjusted": c.p_adjusted,
                    "dagger": c.dagger,
                    "not_worse_than_best": c.not_worse_than_best,
                    "relative": c.relative.as_ref().map(|r| r.percent),
                    "relative_lo": c.relative.as_ref().and_then(|r| r.ci).map(|ci| ci[0]),
                    "relative_hi": c.relative.as_ref().and_then(|r| r.ci).map(|ci| ci[1]),
                }));
            }
        }
        out
    }
}

/// siunitx takes a non-number in an `S` column in braces.
fn braced(siunitx: bool, text: String) -> String {
    if siunitx { format!("{{{text}}}") } else { text }
}

impl MainTableReport {
    /// The spread a cell shows after its mean, by `--cell`.
    fn spread(&self, cell: &TableCell) -> Option<f64> {
        match self.cell {
            CellKind::MeanStd => cell.std,
            CellKind::MeanSem => cell.sem,
            CellKind::MeanCi => cell.ci.map(|[lo, hi]| (hi - lo) / 2.0),
            CellKind::MeanBracketCi | CellKind::Mean => None,
        }
    }

    /// One cell with its marks; `siunitx`: the column's `table-format`.
    fn cell_text(
        &self,
        cell: &TableCell,
        column: &TableColumn,
        style: Style,
        siunitx: Option<&String>,
    ) -> String {
        let d = column.decimals;
        let Some(mean) = cell.mean else {
            return braced(siunitx.is_some(), format::UNDEFINED.to_string());
        };
        let spread = self.spread(cell);
        let core = match self.cell {
            CellKind::Mean => format::fixed(mean, d),
            CellKind::MeanBracketCi => {
                format!(
                    "{} {}",
                    format::fixed(mean, d),
                    format::interval(cell.ci, d)
                )
            }
            _ => style.mean_std(Some(mean), spread, d),
        };
        let bold = cell.best || cell.not_worse_than_best == Some(true);
        let underline = cell.second && !bold;
        let dagger = if cell.dagger { style.dagger() } else { "" };
        let Some(table_format) = siunitx else {
            let marked = if bold {
                style.strong(&core)
            } else if underline {
                style.underline(&core)
            } else {
                core
            };
            return format!("{marked}{dagger}{}", self.proportion_text(cell, d));
        };
        let numeric = self.cell == CellKind::Mean || spread.is_some();
        if !numeric {
            // n = 1: no spread, so not a number siunitx parses.
            let marked = if bold { style.bold(&core) } else { core };
            return format!("{{{marked}{dagger}}}");
        }
        // Inside an S column the sign is siunitx's, not math mode's.
        let number = core.replace(style.pm(), "\\pm");
        let dagger = if cell.dagger {
            format!("\\rlap{{{dagger}}}")
        } else {
            String::new()
        };
        if bold {
            format!("\\bfseries {number}{dagger}")
        } else if underline {
            // \underline takes an argument, which an S cell cannot parse: a
            // \tablenum of the column's own format has the column's width, so
            // the braced cell, centred, keeps the alignment.
            let boxed = format!("\\tablenum[table-format={table_format}, {SIUNITX}]{{{number}}}");
            format!("{{{}{dagger}}}", style.underline(&boxed))
        } else {
            format!("{number}{dagger}")
        }
    }

    /// The 0/1 accuracy's interval printed after the cell (` [lo, hi]`), as
    /// papers give a test-set interval beside a score; empty unless
    /// `--proportion-ci` asked for it and the cell's scores are 0/1.
    fn proportion_text(&self, cell: &TableCell, decimals: usize) -> String {
        let ci = cell.examples.as_ref().and_then(|e| e.proportion_ci);
        match ci {
            Some(ci) if self.show_proportion_ci => {
                format!(" {}", format::interval(Some(ci), decimals))
            }
            _ => String::new(),
        }
    }

    /// The interval the cells print beside 0/1 accuracies, when any does.
    fn proportion_method(&self) -> Option<ProportionMethod> {
        if !self.show_proportion_ci {
            return None;
        }
        self.cells
            .iter()
            .filter_map(|c| c.examples.as_ref())
            .find(|e| e.proportion_ci.is_some())
            .and_then(|e| e.proportion_method)
    }

    /// siunitx's `table-format` of column `j`: integer digits and sign of
    /// the means, the column's decimals, and the spread's digits.
    fn table_format(&self, j: usize, column: &TableColumn) -> String {
        let d = column.decimals;
        let digits = |v: f64| {
            let text = format::fixed(v.abs(), d);
            text.split('.').next().map_or(1, str::len)
        };
        let cells: Vec<&TableCell> = (0..self.rows.len()).map(|i| self.cell(i, j)).collect();
        let means: Vec<f64> = cells.iter().filter_map(|c| c.mean).collect();
        let sign = if means.iter().any(|m| format::fixed(*m, d).starts_with('-')) {
            "-"
        } else {
            ""
        };
        let whole = means.iter().map(|m| digits(*m)).max().unwrap_or(1);
        let part = |n: usize| {
            if d == 0 {
                n.to_string()
            } else {
                format!("{n}.{d}")
            }
        };
        let spreads: Vec<f64> = cells.iter().filter_map(|c| self.spread(c)).collect();
        match spreads.iter().map(|s| digits(*s)).max() {
            Some(u) => format!("{sign}{}({})", part(whole), part(u)),
            None => format!("{sign}{}", part(whole)),
        }
    }

    /// The sentence that explains the cells and marks; in LaTeX it joins
    /// the caption.
    fn legend(&self) -> String {
        let s = &self.settings;
        let level = format::percent(s.confidence);
        let std = if s.ddof == 1 {
            "sample std, ddof = 1"
        } else {
            "population std, ddof = 0"
        };
        let cell = match self.cell {
            CellKind::MeanStd => format!("Mean ± std over seeds ({std})."),
            CellKind::MeanSem => format!("Mean ± standard error (std/√n, {std}) over seeds."),
            CellKind::MeanCi => {
                format!("Mean ± half-width of the {level}% t-interval over seeds.")
            }
            CellKind::MeanBracketCi => format!("Mean [{level}% t-interval] over seeds."),
            CellKind::Mean => format!("Mean over seeds ({std} decides the decimals)."),
        };
        let mut text = vec![cell];
        let mut marks = "Bold: best per column".to_string();
        if self.marks.second {
            marks.push_str("; underlined: second best");
        }
        marks.push_str(" (by each metric's direction, ↑ higher or ↓ lower is better; equal printed values share a mark).");
        text.push(marks);
        if self.marks.not_worse_than_best {
            let scope = match s.family {
                Family::Metric => "within each column",
                Family::All => "across every comparison with a column's best",
            };
            let (worse, correction) = if s.test == TestKind::Aso {
                (
                    "not almost stochastically dominated by",
                    "ASO ε_min < τ, Bonferroni".to_string(),
                )
            } else {
                (
                    "not significantly worse than",
                    format!("{} correction", s.correction.name()),
                )
            };
            text.push(format!(
                "Also bold: {worse} the column's best ({correction} {scope})."
            ));
        }
        let seeds: Vec<(String, usize)> = self
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let n = (0..self.columns.len())
                    .map(|j| self.cell(i, j).n)
                    .max()
                    .unwrap_or(0);
                (r.label.clone(), n)
            })
            .collect();
        if let Some(baseline) = &self.baseline {
            let label = self
                .rows
                .iter()
                .find(|r| &r.condition == baseline)
                .map_or(baseline.as_str(), |r| r.label.as_str());
            if self.marks.baseline {
                text.push(if s.test == TestKind::Aso {
                    format!("† almost stochastically dominates {label} (ASO ε_min < τ).")
                } else {
                    format!("† significantly better than {label} after correction.")
                });
            }
            if self.marks.baseline || self.marks.not_worse_than_best {
                text.push(notes::test(s, "methods on each task", false));
            }
            if self.marks.relative {
                text.push(format!(
                    "Δ% = 100 × (method − {label}) / |{label}| per metric, with the {level}% {} bootstrap CI of the difference scaled the same way.",
                    s.ci_method.name()
                ));
            }
        } else if self.marks.not_worse_than_best {
            text.push(notes::test(s, "methods on each task", false));
        }
        if let Some(method) = self.proportion_method() {
            let name = match method {
                ProportionMethod::Wilson => "Wilson score",
                ProportionMethod::ClopperPearson => "Clopper–Pearson (exact binomial)",
            };
            text.push(format!(
                "Brackets after an accuracy: its {level}% {name} interval over the test examples (per-example 0/1 scores)."
            ));
        }
        let listed: Vec<String> = seeds.iter().map(|(c, n)| format!("{c} {n}")).collect();
        text.push(format!("Seeds per method: {}.", listed.join(", ")));
        text.join(" ")
    }
}

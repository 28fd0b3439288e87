//! `xreport ablation`: the full model, one row per removed component, Δ to
//! the full model per metric with significance after correction across the
//! rows, the importance order, and the components that do not earn their place.

use serde::Serialize;
use serde_json::{Value, json};

use super::compare::{self, Comparison, Settings, Verdict};
use super::direction::Direction;
use super::groups::{self, SeedValues};
use super::options::{Describe, Inference, Metrics};
use super::report::{self, MetricInfo, SeedStyle};
use super::roles::{Roles, StudyRoles};
use super::summary::{self, GroupStats};
use crate::error::{Error, Result};
use crate::load::{Skipped, Study};
use crate::render::Output;
use crate::render::Report;
use crate::render::format::{self, Style};
use crate::render::table::{self, Table};
use crate::study_file::Located;

/// How the table is ordered and typeset.
#[derive(Debug, Default)]
pub struct AblationOptions {
    /// Sort rows by impact instead of the given order.
    pub sort_impact: bool,
    /// LaTeX `S` columns (siunitx).
    pub siunitx: bool,
}

#[derive(Debug, Serialize)]
pub struct AblationReport {
    pub xreport_version: &'static str,
    pub schema: &'static str,
    pub skipped: Vec<Skipped>,
    pub settings: Settings,
    pub metrics: Vec<MetricInfo>,
    /// The full model's condition.
    pub full: String,
    /// Table order, full model first.
    pub rows: Vec<Row>,
    pub groups: Vec<GroupStats>,
    pub comparisons: Vec<Comparison>,
    /// Ablated conditions from the largest harm of removing the component to
    /// the smallest, on the first metric (direction-aware).
    pub importance: Vec<String>,
    /// Components whose removal is within noise on every metric.
    pub not_earning: Vec<String>,
    #[serde(skip)]
    siunitx: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub condition: String,
    pub label: String,
}

/// `no_auxiliary_loss` → "Without auxiliary loss"; `smaller_codebook` → "Smaller codebook".
pub fn label_from_folder(condition: &str) -> String {
    let name = condition.rsplit('/').next().unwrap_or(condition);
    let words: Vec<&str> = name
        .split(['_', '-', ' '])
        .filter(|w| !w.is_empty())
        .collect();
    let (prefix, rest) = match words.first().map(|w| w.to_ascii_lowercase()).as_deref() {
        Some("no" | "without" | "wo" | "minus") => ("Without", &words[1..]),
        _ => ("", &words[..]),
    };
    let text = rest.join(" ");
    if prefix.is_empty() {
        let mut chars = text.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
            .unwrap_or_default()
    } else {
        format!("{prefix} {text}")
    }
}

/// The ablation table of the full model and rows that `roles` resolved.
pub fn run(
    study: &Study,
    roles: &StudyRoles,
    options: &AblationOptions,
    metrics: &Metrics,
    describe: &Describe,
    inference: &Inference,
) -> Result<AblationReport> {
    let (full, named_rows) = roles.ablation()?;
    let mut rows: Vec<Row> = named_rows
        .iter()
        .map(|r| Row {
            condition: r.condition.clone(),
            label: r
                .label
                .clone()
                .unwrap_or_else(|| label_from_folder(&r.condition)),
        })
        .collect();
    let seeds = SeedStyle::of(study);
    let all = groups::seed_values(study, &describe.reduce, &|m| metrics.direction(m));
    let conditions: Vec<&String> = std::iter::once(&full)
        .chain(rows.iter().map(|r| &r.condition))
        .collect();
    let selected: Vec<&SeedValues> = all
        .iter()
        .filter(|g| metrics.includes(&g.metric) && conditions.contains(&&g.condition))
        .collect();
    let names: Vec<String> = groups::metric_names(&all)
        .into_iter()
        .filter(|m| {
            metrics.includes(m)
                && selected
                    .iter()
                    .any(|g| &g.metric == m && g.condition == full)
        })
        .collect();
    if names.is_empty() {
        return Err(Error::usage(format!(
            "the full model `{full}` has no metric to compare (check --metric)"
        )));
    }
    let roles = Roles {
        baseline: full.clone(),
        treatments: rows.iter().map(|r| r.condition.clone()).collect(),
    };
    let (group_stats, comparisons) = compare::compare_groups(
        &selected, &roles, &names, metrics, describe, inference, seeds,
    );
    let importance = importance_order(&rows, &comparisons, &names, metrics);
    if options.sort_impact {
        rows.sort_by_key(|r| importance.iter().position(|c| *c == r.condition));
    }
    let not_earning = rows
        .iter()
        .filter(|r| {
            let mine: Vec<&Comparison> = comparisons
                .iter()
                .filter(|c| c.treatment == r.condition)
                .collect();
            !mine.is_empty() && mine.iter().all(|c| c.verdict == Verdict::WithinNoise)
        })
        .map(|r| r.condition.clone())
        .collect();
    let mut table_rows = vec![Row {
        condition: full.clone(),
        label: "Full model".into(),
    }];
    table_rows.extend(rows);
    Ok(AblationReport {
        xreport_version: report::VERSION,
        schema: "xreport.ablation/1",
        skipped: study.skipped.clone(),
        settings: Settings::of(describe, inference, &all),
        metrics: report::metric_info(&names, metrics),
        full,
        rows: table_rows,
        groups: group_stats,
        comparisons,
        importance,
        not_earning,
        siunitx: options.siunitx,
    })
}

/// Rows by the harm of removing the component on the first metric: the
/// largest degradation (by direction) first; ties keep the given order.
fn importance_order(
    rows: &[Row],
    comparisons: &[Comparison],
    names: &[String],
    metrics: &Metrics,
) -> Vec<String> {
    let Some(primary) = names.first() else {
        return Vec::new();
    };
    let sign = match metrics.direction(primary) {
        Direction::Lower => 1.0,
        Direction::Higher => -1.0,
    };
    let harm = |condition: &str| {
        comparisons
            .iter()
            .find(|c| c.treatment == condition && &c.metric == primary)
            .and_then(|c| c.diff)
            .map_or(f64::NEG_INFINITY, |d| sign * d)
    };
    let mut order: Vec<String> = rows.iter().map(|r| r.condition.clone()).collect();
    order.sort_by(|a, b| harm(b).total_cmp(&harm(a)));
    order
}

impl AblationReport {
    fn group(&self, condition: &str, metric: &str) -> Option<(usize, &GroupStats)> {
        self.groups
            .iter()
            .enumerate()
            .find(|(_, g)| g.condition == condition && g.metric == metric)
    }

    fn comparison(&self, condition: &str, metric: &str) -> Option<&Comparison> {
        self.comparisons
            .iter()
            .find(|c| c.treatment == condition && c.metric == metric)
    }

    fn label_of<'a>(&'a self, condition: &'a str) -> &'a str {
        self.rows
            .iter()
            .find(|r| r.condition == condition)
            .map_or(condition, |r| r.label.as_str())
    }
}

impl Report for AblationReport {
    fn kind(&self) -> &'static str {
        "ablation"
    }

    fn table(&self, style: Style, output: &Output) -> Table {
        let siunitx = self.siunitx && style == Style::Latex;
        // siunitx S columns take non-numbers in braces.
        let text = |s: String| if siunitx { format!("{{{s}}}") } else { s };
        let mut columns = vec![table::left("Configuration")];
        for info in &self.metrics {
            columns.push(table::right(text(format!(
                "{} {}",
                style.escape(&info.label),
                style.arrow(info.direction == Direction::Lower)
            ))));
            columns.push(table::right(text(style.escape("Δ"))));
        }
        let mut table = Table::new(columns);
        if siunitx {
            // Bold must reach siunitx's math font: text-series-to-math (siunitx v3).
            let numeric = "S[separate-uncertainty=true, table-align-uncertainty=true, reset-text-series=false, text-series-to-math=true, propagate-math-font=true]";
            table.spec = std::iter::once("l".to_string())
                .chain(
                    self.metrics
                        .iter()
                        .flat_map(|_| [numeric.to_string(), "l".to_string()]),
                )
                .collect();
        }
        let best = summary::best_means(&self.groups, &self.metrics);
        for (r, row) in self.rows.iter().enumerate() {
            let mut cells = vec![style.escape(&row.label)];
            for info in &self.metrics {
                let full_std = self.group(&self.full, &info.name).and_then(|(_, g)| g.std);
                let d = format::decimals(full_std, output.digits);
                let Some((i, g)) = self.group(&row.condition, &info.name) else {
                    cells.push(text(format::UNDEFINED.into()));
                    cells.push(text(format::UNDEFINED.into()));
                    continue;
                };
                let mut cell = style.mean_std(g.mean, g.std, d);
                if siunitx {
                    cell = cell.replace("$\\pm$", "\\pm");
                }
                if best.contains(&i) {
                    cell = if siunitx {
                        format!("\\bfseries {cell}")
                    } else {
                        style.bold(&cell)
                    };
                }
                if siunitx && g.std.is_none() {
                    cell = text(cell);
                }
                cells.push(cell);
                let delta = match (r, self.comparison(&row.condition, &info.name)) {
                    (0, _) | (_, None) => format::UNDEFINED.to_string(),
                    (_, Some(c)) => {
                        let mut s = c.diff.map_or_else(
                            || format::UNDEFINED.to_string(),
                            |v| format::signed(v, d),
                        );
                        if c.significant {
                            s.push_str(style.dagger());
                        }
                        s
                    }
                };
                cells.push(if siunitx { text(delta) } else { delta });
            }
            table.rows.push(cells);
        }
        table.rules_after = vec![0];
        let seeds: Vec<(String, usize)> = self
            .rows
            .iter()
            .map(|r| {
                let n = self
                    .groups
                    .iter()
                    .filter(|g| g.condition == r.condition)
                    .map(|g| g.n)
                    .max();
                (r.label.clone(), n.unwrap_or(0))
            })
            .collect();
        let caption = output.caption.clone().unwrap_or_else(|| {
            format!(
                "Ablation of {}: mean ± std over seeds; Δ = configuration − full model.",
                self.full
            )
        });
        table.caption = Some(style.escape(&caption));
        table.label = output.label.clone().or_else(|| Some("tab:ablation".into()));
        table.fragment = output.fragment;
        table.notes.push(style.escape(&compare::method_note(
            &self.settings,
            &seeds,
            "ablation rows",
        )));
        if !self.not_earning.is_empty() {
            let names: Vec<&str> = self.not_earning.iter().map(|c| self.label_of(c)).collect();
            table.notes.push(style.escape(&format!(
                "Not earning their place (removal within noise on every metric): {}.",
                names.join(", ")
            )));
        }
        for c in &self.comparisons {
            for note in &c.notes {
                table.notes.push(style.escape(&format!(
                    "{} / {}: {note}",
                    self.label_of(&c.treatment),
                    c.metric
                )));
            }
        }
        for s in &self.skipped {
            table
                .notes
                .push(style.escape(&format!("Skipped: {} — {}", s.path, s.reason)));
        }
        table
    }

    fn records(&self) -> Vec<Value> {
        let mut out = Vec::new();
        for row in &self.rows {
            for info in &self.metrics {
                let g = self.group(&row.condition, &info.name).map(|(_, g)| g);
                let c = self.comparison(&row.condition, &info.name);
                out.push(json!({
                    "condition": row.condition,
                    "label": row.label,
                    "metric": info.name,
                    "n": g.map(|g| g.n),
                    "mean": g.and_then(|g| g.mean),
                    "std": g.and_then(|g| g.std),
                    "diff": c.and_then(|c| c.diff),
                    "p_value": c.and_then(|c| c.p_value),
                    "p_adjusted": c.and_then(|c| c.p_adjusted),
                    "significant": c.map(|c| c.significant),
                    "verdict": c.map(|c| c.verdict.name()),
                }));
            }
        }
        out
    }
}

/// The study file's ablation caption and label, when flags give none.
pub fn output_defaults(output: &mut Output, file: Option<&Located>) {
    let section = file.map(|f| &f.file.ablation);
    if output.caption.is_none() {
        output.caption = section.and_then(|s| s.caption.clone());
    }
    if output.label.is_none() {
        output.label = section.and_then(|s| s.label.clone());
    }
}

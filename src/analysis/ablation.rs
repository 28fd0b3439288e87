//! `xreport ablation`: the full model, one row per removed component, Δ to
//! the full model per metric with significance after correction across the
//! rows, the importance order, and the components that do not earn their place.

use serde::Serialize;

use super::compare::{self, Comparison, Settings, Verdict};
use super::direction::Direction;
use super::groups::{self, SeedValues};
use super::options::{Describe, Inference, Metrics};
use super::report::{self, MetricInfo, SeedStyle};
use super::roles::{Roles, StudyRoles};
use super::summary::GroupStats;
use crate::error::{Error, Result};
use crate::load::{Skipped, Study};

/// How the table is ordered and typeset.
#[derive(Debug, Default)]
pub struct AblationOptions {
    /// Sort rows by impact instead of the given order.
    pub sort_impact: bool,
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
    /// Components that do not earn their place: their removal is within
    /// noise on every metric or, under `--equivalence`, shown equivalent to
    /// the full model (TOST) on every metric.
    pub not_earning: Vec<String>,
    /// Under `--equivalence`: components whose removal is neither significant
    /// on any metric nor equivalent on every one (more seeds decide them).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub undecided: Option<Vec<String>>,
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
    let earning = Earning::of(&rows, &comparisons, inference.equivalence.is_some());
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
        not_earning: earning.not_earning,
        undecided: earning.undecided,
    })
}

/// Which components earn their place.
struct Earning {
    not_earning: Vec<String>,
    undecided: Option<Vec<String>>,
}

impl Earning {
    /// Without a margin, a component whose removal is `within-noise` on every
    /// metric does not earn its place (the reviewers' heuristic). With one,
    /// TOST decides: equivalent on every metric does not earn it, even when a
    /// tiny difference is also significant (the margin says what matters);
    /// no significant difference and not equivalent everywhere is undecided.
    fn of(rows: &[Row], comparisons: &[Comparison], tost: bool) -> Earning {
        let equivalent = |c: &&Comparison| c.equivalence.as_ref().is_some_and(|e| e.equivalent);
        let mut not_earning = Vec::new();
        let mut undecided = Vec::new();
        for row in rows {
            let mine: Vec<&Comparison> = comparisons
                .iter()
                .filter(|c| c.treatment == row.condition)
                .collect();
            if mine.is_empty() {
                continue;
            }
            let idle = if tost {
                mine.iter().all(equivalent)
            } else {
                mine.iter().all(|c| c.verdict == Verdict::WithinNoise)
            };
            if idle {
                not_earning.push(row.condition.clone());
            } else if tost && !mine.iter().any(|c| c.significant) {
                undecided.push(row.condition.clone());
            }
        }
        Earning {
            not_earning,
            undecided: tost.then_some(undecided),
        }
    }
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
    /// The statistics of `condition` on `metric`, with their index in `groups`.
    pub fn group_of(&self, condition: &str, metric: &str) -> Option<(usize, &GroupStats)> {
        self.groups
            .iter()
            .enumerate()
            .find(|(_, g)| g.condition == condition && g.metric == metric)
    }

    /// The comparison of the row `condition` with the full model on `metric`.
    pub fn comparison_of(&self, condition: &str, metric: &str) -> Option<&Comparison> {
        self.comparisons
            .iter()
            .find(|c| c.treatment == condition && c.metric == metric)
    }

    /// The row label of `condition`.
    pub fn label_of<'a>(&'a self, condition: &'a str) -> &'a str {
        self.rows
            .iter()
            .find(|r| r.condition == condition)
            .map_or(condition, |r| r.label.as_str())
    }
}

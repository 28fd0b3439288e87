//! Many methods over many tasks (DESIGN section 11): a study that claims its
//! method is the best of k ≥ 3 over N ≥ 2 tasks needs a significant Friedman
//! test on the ranks (Demšar 2006), else the mean ranks may not differ at all.

use std::collections::BTreeMap;

use super::kit::{Context, Finding, Level, Rule, list, plural};
use crate::analysis::direction::Direction;
use crate::load::{natural_cmp, tidy};
use crate::render::format;
use crate::stats::friedman::{Friedman, friedman};
use crate::stats::{describe, ranks};

const POSTHOC: Rule = Rule {
    id: "rank.posthoc",
    level: Level::Warn,
    fix: "claim the best method only when Friedman's test over the tasks is significant (more tasks help); report the mean ranks, the test and a post-hoc comparison (`xreport rank`)",
};

/// One claim metric ranked over its tasks.
struct Ranked {
    metric: String,
    /// (method, mean rank), best first (ties by name).
    methods: Vec<(String, f64)>,
    tasks: Vec<String>,
    /// Tasks left out because a method has no score there, with those methods.
    dropped: Vec<(String, Vec<String>)>,
    /// `None` when every task ties every method.
    friedman: Option<Friedman>,
}

impl Ranked {
    fn significant(&self, alpha: f64) -> bool {
        self.friedman.is_some_and(|f| f.p_value < alpha)
    }

    /// `χ²(3) = 7.40, p = 0.060`.
    fn test(&self) -> String {
        match &self.friedman {
            Some(f) => {
                let p = format::p_value(Some(f.p_value));
                let p = if p.starts_with('<') {
                    format!("p {p}")
                } else {
                    format!("p = {p}")
                };
                format!("χ²({}) = {}, {p}", f.df, format::fixed(f.statistic, 2))
            }
            None => "χ² undefined (every task ties every method)".to_string(),
        }
    }

    /// The metric, its tasks, the mean ranks and Friedman's test.
    fn evidence(&self) -> String {
        let ranks: Vec<String> = self
            .methods
            .iter()
            .map(|(m, r)| format!("{m} {}", format::fixed(*r, 2)))
            .collect();
        let mut line = format!(
            "{}: mean ranks over {} ({}): {}; Friedman {}",
            self.metric,
            plural(self.tasks.len(), "task"),
            list(&self.tasks),
            ranks.join(", "),
            self.test()
        );
        if !self.dropped.is_empty() {
            let dropped: Vec<String> = self
                .dropped
                .iter()
                .map(|(task, missing)| format!("{task} (no score for {})", list(missing)))
                .collect();
            line.push_str(&format!("; dropped {}", dropped.join(", ")));
        }
        line
    }
}

/// The treatment whose claim is judged: the only treatment, else the full
/// model when it is one of them.
fn claimed<'c>(ctx: &'c Context<'_>) -> Option<&'c str> {
    match ctx.roles.treatments.as_slice() {
        [one] => Some(one),
        several => ctx
            .roles
            .full
            .as_deref()
            .filter(|full| several.iter().any(|t| t == full)),
    }
}

/// A condition's mean over seeds on each task of `metric` (a seed's value
/// is the mean of its rows: per-example scores), for every condition with
/// a task row of the metric.
fn scores(ctx: &Context, metric: &str) -> BTreeMap<String, BTreeMap<String, f64>> {
    let mut seeds: BTreeMap<(&str, &str), BTreeMap<&str, Vec<f64>>> = BTreeMap::new();
    for row in tidy::rows(&ctx.study.results).filter(|r| r.metric == metric) {
        let Some(task) = row.task else { continue };
        let values = seeds
            .entry((row.condition, task))
            .or_default()
            .entry(row.seed)
            .or_default();
        values.extend(row.value);
    }
    let mut out: BTreeMap<String, BTreeMap<String, f64>> = BTreeMap::new();
    for ((condition, task), by_seed) in seeds {
        let per_seed: Vec<f64> = by_seed.values().filter_map(|v| describe::mean(v)).collect();
        let entry = out.entry(condition.to_string()).or_default();
        if let Some(mean) = describe::mean(&per_seed) {
            entry.insert(task.to_string(), mean);
        }
    }
    out
}

/// Rank the main conditions (ablation rows left out) on `metric` over the
/// tasks every one of them has a score on; the reason when the rule does not
/// apply to it.
fn rank(ctx: &Context, metric: &str, claimed: &str) -> Result<Ranked, String> {
    let scores = scores(ctx, metric);
    let methods: Vec<&String> = ctx
        .study
        .conditions
        .iter()
        .filter(|c| !ctx.roles.ablation_rows.contains(c) && scores.contains_key(*c))
        .collect();
    if methods.len() < 3 {
        return Err(format!(
            "{} ({}): the rule needs at least 3 methods over at least 2 tasks",
            plural(methods.len(), "method"),
            methods
                .iter()
                .map(|m| m.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let Some(c) = methods.iter().position(|m| *m == claimed) else {
        return Err(format!("{claimed} has no score on a task"));
    };
    let mut all_tasks: Vec<&String> = scores.values().flat_map(|t| t.keys()).collect();
    all_tasks.sort_by(|a, b| natural_cmp(a, b));
    all_tasks.dedup();
    let mut tasks = Vec::new();
    let mut rows = Vec::new();
    let mut dropped = Vec::new();
    for task in all_tasks {
        let row: Vec<Option<f64>> = methods
            .iter()
            .map(|m| scores[*m].get(task).copied())
            .collect();
        if row.iter().all(Option::is_some) {
            tasks.push(task.clone());
            rows.push(row.into_iter().flatten().collect::<Vec<f64>>());
        } else {
            let missing = methods
                .iter()
                .zip(&row)
                .filter(|(_, v)| v.is_none())
                .map(|(m, _)| (*m).clone())
                .collect();
            dropped.push((task.clone(), missing));
        }
    }
    if tasks.len() < 2 {
        return Err(format!(
            "{} with a score for every method: the rule needs at least 3 methods over at least 2 tasks",
            plural(tasks.len(), "task")
        ));
    }
    let lower = ctx.metrics.direction(metric) == Direction::Lower;
    let task_ranks: Vec<Vec<f64>> = rows
        .iter()
        .map(|r| ranks::average_ranks(r, lower))
        .collect();
    let mean_ranks = ranks::mean_ranks(&task_ranks);
    if mean_ranks.iter().any(|&r| r < mean_ranks[c]) {
        let best = (0..methods.len())
            .min_by(|&i, &j| mean_ranks[i].total_cmp(&mean_ranks[j]))
            .unwrap_or(c);
        return Err(format!(
            "no claim of the best method: {claimed} has mean rank {}, {} has {}",
            format::fixed(mean_ranks[c], 2),
            methods[best],
            format::fixed(mean_ranks[best], 2)
        ));
    }
    let mut order: Vec<usize> = (0..methods.len()).collect();
    order.sort_by(|&i, &j| {
        mean_ranks[i]
            .total_cmp(&mean_ranks[j])
            .then_with(|| natural_cmp(methods[i], methods[j]))
    });
    Ok(Ranked {
        metric: metric.to_string(),
        methods: order
            .into_iter()
            .map(|i| (methods[i].clone(), mean_ranks[i]))
            .collect(),
        tasks,
        dropped,
        friedman: friedman(&task_ranks),
    })
}

/// When the claimed method has the best mean rank of ≥ 3 methods over ≥ 2
/// tasks on a claim metric, Friedman's test there is significant at α.
/// Absent from the report when no claim metric has a task (a single-task
/// study); skipped, with the reason, where it does not apply.
pub fn posthoc(ctx: &Context) -> Option<Finding> {
    let metrics: Vec<&String> = ctx
        .roles
        .claim_metrics
        .iter()
        .filter(|m| {
            tidy::rows(&ctx.study.results).any(|r| r.metric == m.as_str() && r.task.is_some())
        })
        .collect();
    if metrics.is_empty() {
        return None;
    }
    let Some(claimed) = claimed(ctx) else {
        return Some(POSTHOC.skip(format!(
            "no single claimed method among the treatments ({}): name it with --treatment",
            list(&ctx.roles.treatments)
        )));
    };
    let mut ranked = Vec::new();
    let mut reasons = Vec::new();
    for metric in metrics {
        match rank(ctx, metric, claimed) {
            Ok(r) => ranked.push(r),
            Err(reason) => reasons.push(format!("{metric}: {reason}")),
        }
    }
    if ranked.is_empty() {
        return Some(POSTHOC.skip(reasons.join("; ")));
    }
    let alpha = ctx.alpha();
    let mut evidence: Vec<String> = ranked.iter().map(Ranked::evidence).collect();
    evidence.extend(reasons);
    let tests = |rs: &[&Ranked]| -> String {
        rs.iter()
            .map(|r| format!("{} ({})", r.metric, r.test()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (significant, not): (Vec<&Ranked>, Vec<&Ranked>) =
        ranked.iter().partition(|r| r.significant(alpha));
    if not.is_empty() {
        return Some(POSTHOC.pass(
            format!(
                "{claimed} has the best mean rank and Friedman's test is significant at α = {alpha} on {}",
                tests(&significant)
            ),
            evidence,
        ));
    }
    Some(POSTHOC.trip(
        format!(
            "{claimed} has the best mean rank, but Friedman's test is not significant at α = {alpha} on {}: the mean ranks may not differ at all",
            tests(&not)
        ),
        evidence,
    ))
}

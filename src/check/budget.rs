//! The training budget: steps, epochs and GPU-hours agree across compared
//! conditions, so no treatment wins by training longer.

use std::collections::BTreeMap;

use serde_json::Value;

use super::diff::effective_config;
use super::keys::{gpu_hours, is_budget_key};
use super::kit::{Context, Finding, Level, Rule, plural};
use crate::render::format;
use crate::stats::describe;

/// Budgets agree when the larger is at most this fraction above the smaller.
pub const TOLERANCE: f64 = 0.10;

const SAME: Rule = Rule {
    id: "budget.same",
    level: Level::Fail,
    fix: "train every compared condition for the same steps/epochs and compute, or report the difference",
};

/// The mean of each budget quantity of a condition: config keys, compute-file
/// keys, and GPU-hours.
fn budget_of(ctx: &Context, condition: &str) -> BTreeMap<String, f64> {
    let mut values: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for run in ctx.runs_of(condition) {
        let config = effective_config(run);
        for (key, value) in config.iter().chain(run.compute.iter()) {
            if is_budget_key(key)
                && let Some(v) = number(value)
            {
                values.entry(key.clone()).or_default().push(v);
            }
        }
        // Training length recorded as a result (`train.steps`, `global_step`;
        // the trainer's counters are set aside as metadata, not metrics).
        let recorded = run
            .metrics
            .iter()
            .map(|(k, v)| (k, *v))
            .chain(run.metadata.iter().map(|(k, v)| (k, v.as_f64())));
        for (key, value) in recorded {
            let last = key.rsplit('.').next().unwrap_or(key).to_ascii_lowercase();
            if let Some(v) = value
                && (is_budget_key(key)
                    || matches!(last.as_str(), "steps" | "global_step" | "epoch"))
            {
                values.entry(key.clone()).or_default().push(v);
            }
        }
        if let Some(h) = gpu_hours(run) {
            values.entry("GPU-hours".into()).or_default().push(h);
        }
    }
    values
        .into_iter()
        .filter_map(|(k, v)| describe::mean(&v).map(|m| (k, m)))
        .collect()
}

fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
    .filter(|v: &f64| v.is_finite())
}

/// Same steps/epochs and GPU-hours (within 10 %) for each compared pair.
pub fn same(ctx: &Context) -> Finding {
    let pairs = ctx.pairs();
    if pairs.is_empty() {
        return SAME.skip("no baseline and treatment to compare");
    }
    let mut bigger = Vec::new();
    let mut smaller = Vec::new();
    let mut agreeing = Vec::new();
    let mut compared = 0;
    for (condition, reference) in &pairs {
        let a = budget_of(ctx, condition);
        let b = budget_of(ctx, reference);
        for (key, &va) in &a {
            let Some(&vb) = b.get(key) else { continue };
            compared += 1;
            let line = format!(
                "{key}: {condition} {} vs {reference} {}",
                show(va),
                show(vb)
            );
            if va > vb * (1.0 + TOLERANCE) {
                bigger.push(format!(
                    "{line} ({}× the budget)",
                    format::fixed(va / vb, 2)
                ));
            } else if vb > va * (1.0 + TOLERANCE) {
                smaller.push(format!(
                    "{line} ({}× the budget)",
                    format::fixed(va / vb, 2)
                ));
            } else {
                agreeing.push(line);
            }
        }
    }
    if compared == 0 {
        return SAME.warn(
            "no training budget recorded (max_steps/epochs in configs, gpu_hours in compute.json)",
            Vec::new(),
        );
    }
    if !bigger.is_empty() {
        let n = bigger.len();
        bigger.extend(smaller);
        return SAME.trip(
            format!(
                "a compared condition trained with a bigger budget ({} beyond {}%)",
                plural(n, "value"),
                format::percent(TOLERANCE)
            ),
            bigger,
        );
    }
    if !smaller.is_empty() {
        return SAME.warn(
            format!(
                "a compared condition trained with a smaller budget (beyond {}%)",
                format::percent(TOLERANCE)
            ),
            smaller,
        );
    }
    SAME.pass(
        format!(
            "budgets agree within {}% ({} compared)",
            format::percent(TOLERANCE),
            plural(compared, "budget value")
        ),
        Vec::new(),
    )
}

/// A budget number: integers as such, else 3 significant decimals.
fn show(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format::fixed(v, 0)
    } else {
        format::fixed(v, 2)
    }
}

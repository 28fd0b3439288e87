//! Configs: logged for every run, and one studied change per comparison.

use super::diff::{Change, ablated_alone, changed_keys};
use super::kit::{Context, Finding, Level, Rule, list, plural};
use crate::load::{Run, display_path};

const LOGGED: Rule = Rule {
    id: "config.logged",
    level: Level::Fail,
    fix: "save the resolved config with every run (config.yaml, .hydra/config.yaml, hparams.yaml or params.json)",
};

const ONE_CHANGE: Rule = Rule {
    id: "config.one-change",
    level: Level::Fail,
    fix: "change one thing per comparison, or add an ablation row for each changed key",
};

/// Every run records its config.
pub fn logged(ctx: &Context) -> Finding {
    let runs: Vec<&Run> = ctx.all_runs().collect();
    let missing: Vec<String> = runs
        .iter()
        .filter(|r| r.config_files.is_empty())
        .map(|r| {
            if r.overrides.is_empty() {
                format!("{}: no config file", display_path(&r.path))
            } else {
                format!(
                    "{}: only Hydra overrides, no resolved config",
                    display_path(&r.path)
                )
            }
        })
        .collect();
    if runs.is_empty() {
        return LOGGED.skip("no run folders (a results table has no configs)");
    }
    if missing.is_empty() {
        return LOGGED.pass(
            format!("all {} record their config", plural(runs.len(), "run")),
            Vec::new(),
        );
    }
    LOGGED.trip(
        format!(
            "{} of {} without a config",
            plural(missing.len(), "run"),
            runs.len()
        ),
        missing,
    )
}

/// Each comparison changes one studied key; more need an ablation per key.
pub fn one_change(ctx: &Context) -> Finding {
    let pairs = ctx.pairs();
    if pairs.is_empty() {
        return ONE_CHANGE.skip("no baseline and treatment to compare");
    }
    let full = ctx.roles.full.as_deref();
    let mut ok = Vec::new();
    let mut bad = Vec::new();
    let mut unknown = Vec::new();
    let mut none = Vec::new();
    for (condition, reference) in &pairs {
        let Some(changes) = changed_keys(ctx, condition, reference) else {
            unknown.push(format!("{condition} vs {reference}: no config to compare"));
            continue;
        };
        let shown: Vec<String> = changes.iter().map(Change::describe).collect();
        match changes.len() {
            0 => none.push(format!(
                "{condition} vs {reference}: no studied config key differs"
            )),
            1 => ok.push(format!("{condition} vs {reference}: {}", shown[0])),
            n => {
                // Several changes are fine for the full model when each has its ablation row.
                let uncovered: Vec<String> = changes
                    .iter()
                    .filter(|c| {
                        Some(condition.as_str()) != full || !ablated_alone(ctx, condition, &c.key)
                    })
                    .map(|c| c.key.clone())
                    .collect();
                let line = format!(
                    "{condition} vs {reference}: {n} changed keys: {}",
                    shown.join("; ")
                );
                if uncovered.is_empty() {
                    ok.push(format!("{line} (each has an ablation row)"));
                } else {
                    bad.push(format!(
                        "{line}; without an ablation row: {}",
                        list(&uncovered)
                    ));
                }
            }
        }
    }
    if !bad.is_empty() {
        let n = bad.len();
        bad.extend(unknown);
        return ONE_CHANGE.trip(
            format!(
                "{} change more than one config key without an ablation for each",
                plural(n, "comparison")
            ),
            bad,
        );
    }
    if !none.is_empty() || !unknown.is_empty() {
        let mut evidence = none;
        evidence.extend(unknown);
        evidence.extend(ok);
        return ONE_CHANGE.warn(
            "some comparisons show no config change (is the change logged in the config?)",
            evidence,
        );
    }
    ONE_CHANGE.pass(
        format!(
            "each of {} changes one studied config key",
            plural(pairs.len(), "comparison")
        ),
        ok,
    )
}

//! `xreport check`: the pre-submission checklist (DESIGN section 6). Each rule
//! is a small function over the loaded study that returns one [`Finding`]
//! with its evidence (paths, values, seeds, config keys) and a one-line fix.
//!
//! The kit (`kit.rs`: rule, finding, context) and the key vocabulary
//! (`keys.rs`, with config diffs in `diff.rs`) are shared; each rule family
//! has its file (`seeds`, `compare`, `examples`, `rank`, `config`, `budget`, `eval`,
//! `ablation`, `env`, `runs`, `manual`). This module is the runner: it resolves the
//! roles, builds the context and runs the rules in the documented order;
//! `render/check.rs` lays the report out.

mod ablation;
mod budget;
mod compare;
mod config;
mod diff;
mod env;
mod eval;
mod examples;
mod keys;
mod kit;
mod manual;
mod options;
mod rank;
mod runs;
mod seeds;

use serde::Serialize;

use crate::analysis::ablation::AblationOptions;
use crate::analysis::compare::{Settings as CompareSettings, compare_groups};
use crate::analysis::groups::{self, SeedValues};
use crate::analysis::options::{Describe, Inference, Metrics};
use crate::analysis::report::{self, SeedStyle};
use crate::analysis::roles::{self, Named, StudyRoles};
use crate::error::Result;
use crate::load::{Skipped, Study};
use kit::Context;
pub use kit::{CheckRoles, Compute, Finding, Level, Status};
pub use options::CheckOptions;

/// The thresholds the rules used.
#[derive(Debug, Clone, Serialize)]
pub struct CheckSettings {
    pub min_seeds: usize,
    pub max_cv: f64,
    pub budget_tolerance: f64,
    pub strict: bool,
    pub ignore_keys: Vec<String>,
    #[serde(flatten)]
    pub stats: CompareSettings,
}

#[derive(Debug, Serialize)]
pub struct CheckReport {
    pub xreport_version: &'static str,
    pub schema: &'static str,
    pub skipped: Vec<Skipped>,
    pub settings: CheckSettings,
    pub roles: CheckRoles,
    pub findings: Vec<Finding>,
    pub compute: Compute,
}

impl CheckReport {
    /// Whether the checklist fails: a failed rule, or with `--strict` a warning too.
    pub fn failed(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.status == Status::Fail || (self.settings.strict && f.status == Status::Warn))
    }
}

/// Run every rule over the study.
pub fn run(
    study: &Study,
    named: &Named,
    metrics: &Metrics,
    describe: &Describe,
    inference: &Inference,
    check: &CheckOptions,
) -> Result<CheckReport> {
    let groups = groups::seed_values(study, &describe.reduce, &|m| metrics.direction(m));
    let stats = CompareSettings::of(describe, inference, &groups);
    let resolved = roles::resolve(study, named)?;
    let roles = check_roles(study, &resolved, claim_metrics(&groups, metrics));
    let claim: Vec<&SeedValues> = groups
        .iter()
        .filter(|g| roles.claim_metrics.contains(&g.metric))
        .collect();
    let comparisons = match resolved.comparison() {
        Ok(pair) => {
            compare_groups(
                &claim,
                &pair,
                &roles.claim_metrics,
                metrics,
                describe,
                inference,
                SeedStyle::of(study),
            )
            .1
        }
        Err(_) => Vec::new(),
    };
    // The ablation rules read `xreport ablation`'s own report, so the two never disagree.
    let ablation = crate::analysis::ablation::run(
        study,
        &resolved,
        &AblationOptions::default(),
        metrics,
        describe,
        inference,
    )
    .ok();
    let ctx = Context {
        study,
        check,
        roles,
        groups,
        comparisons,
        ablation,
        seeds: SeedStyle::of(study),
        inference,
        metrics,
        row_labels: resolved
            .rows
            .iter()
            .filter_map(|r| Some((r.condition.clone(), r.label.clone()?)))
            .collect(),
    };
    let mut findings = vec![
        seeds::min(&ctx),
        seeds::repeats(&ctx),
        seeds::shared(&ctx),
        seeds::varied(&ctx),
        seeds::stable(&ctx),
        compare::noise(&ctx),
        compare::significant(&ctx),
        compare::power(&ctx),
    ];
    // Only studies with per-example scores pair them.
    findings.extend(examples::paired(&ctx));
    findings.extend(examples::coverage(&ctx));
    // Only multi-task studies claim a best method over tasks.
    findings.extend(rank::posthoc(&ctx));
    findings.extend([
        config::logged(&ctx),
        config::one_change(&ctx),
        budget::same(&ctx),
        eval::eval_same(&ctx),
        ablation::ablation_present(&ctx),
        ablation::earns_place(&ctx),
        env::captured(&ctx),
        env::deps_pinned(&ctx)?,
        env::compute_reported(&ctx),
        eval::splits_fixed(&ctx),
        runs::failed(&ctx),
        runs::test_once(&ctx),
    ]);
    findings.extend(manual::items(&ctx));
    Ok(CheckReport {
        xreport_version: report::VERSION,
        schema: "xreport.check/1",
        skipped: study.skipped.clone(),
        settings: CheckSettings {
            min_seeds: check.min_seeds,
            max_cv: check.max_cv,
            budget_tolerance: budget::TOLERANCE,
            strict: check.strict,
            ignore_keys: check.ignore_keys.clone(),
            stats,
        },
        compute: env::compute(&ctx),
        roles: ctx.roles,
        findings,
    })
}

/// The roles as the report shows them, with a note for each missing one
/// saying how to name it (the rules that need it are skipped).
fn check_roles(study: &Study, resolved: &StudyRoles, claim_metrics: Vec<String>) -> CheckRoles {
    let mut notes = Vec::new();
    if resolved.baseline.is_none() {
        notes.push(format!(
            "no baseline: name it with --baseline or `baseline` in xreport.toml (conditions: {}); the rules that compare with it are skipped",
            study.conditions.join(", ")
        ));
    }
    if resolved.full.is_none() && !resolved.rows.is_empty() {
        notes.push(
            "no full model for the ablation rows: name it in `[ablation] full` (xreport.toml)"
                .to_string(),
        );
    }
    CheckRoles {
        baseline: resolved.baseline.clone(),
        treatments: resolved.treatments.clone(),
        full: resolved.full.clone(),
        ablation_rows: resolved.rows.iter().map(|r| r.condition.clone()).collect(),
        claim_metrics,
        notes,
    }
}

/// The metrics a claim is made on: `--metric` globs, else the metrics the
/// study file describes, else the test metrics, else every metric.
fn claim_metrics(groups: &[SeedValues], metrics: &Metrics) -> Vec<String> {
    let all = groups::metric_names(groups);
    let selected: Vec<String> = all
        .iter()
        .filter(|m| metrics.includes(m))
        .cloned()
        .collect();
    if selected.len() < all.len() {
        return selected;
    }
    let described: Vec<String> = all
        .iter()
        .filter(|m| metrics.described(m))
        .cloned()
        .collect();
    if !described.is_empty() {
        return described;
    }
    let test: Vec<String> = all
        .iter()
        .filter(|m| keys::names_split(m, &["test"]))
        .cloned()
        .collect();
    if test.is_empty() { all } else { test }
}

//! `xreport check`: the pre-submission checklist (DESIGN section 6). Each rule
//! is a small function over the loaded study that returns one [`Finding`]
//! with its evidence (paths, values, seeds, config keys) and a one-line fix.
//! Rule families live in their own files; this module resolves the roles,
//! runs the rules in the documented order and renders the report.

mod budget;
mod compare;
mod config;
mod env;
mod manual;
mod options;
mod runs;
mod seeds;

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Value, json};

use crate::analysis::ablation::{self, AblationOptions, AblationReport};
use crate::analysis::compare::{Comparison, Settings as CompareSettings, compare_groups};
use crate::analysis::groups::{self, SeedValues};
use crate::analysis::options::{Describe, Inference, Metrics};
use crate::analysis::report::{self, SeedStyle};
use crate::analysis::roles::{self, Named, StudyRoles};
use crate::error::Result;
use crate::load::{Run, Skipped, Study};
use crate::render::Output;
use crate::render::Report;
use crate::render::format::Style;
use crate::render::table::{self, Table};
pub use options::CheckOptions;

/// What a rule concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Skip,
    Manual,
    Warn,
    Fail,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Skip => "skip",
            Status::Manual => "manual",
            Status::Warn => "warn",
            Status::Fail => "fail",
        }
    }
}

/// How serious a rule is when it does not pass (DESIGN section 6: fail /
/// warn / info). Manual items are `info`: listed, never failing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Fail,
    Warn,
    Info,
}

impl Level {
    /// The status of a rule of this level that found a problem.
    fn tripped(self) -> Status {
        match self {
            Level::Fail => Status::Fail,
            Level::Warn => Status::Warn,
            Level::Info => Status::Manual,
        }
    }
}

/// One rule's result.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub id: String,
    pub level: Level,
    pub status: Status,
    pub message: String,
    pub evidence: Vec<String>,
    pub fix: String,
}

/// The static part of a rule: its id, level and fix.
pub struct Rule {
    pub id: &'static str,
    pub level: Level,
    pub fix: &'static str,
}

impl Rule {
    pub fn pass(&self, message: impl Into<String>, evidence: Vec<String>) -> Finding {
        self.finding(Status::Pass, message, evidence)
    }

    /// The rule's own level: fail or warn.
    pub fn trip(&self, message: impl Into<String>, evidence: Vec<String>) -> Finding {
        self.finding(self.level.tripped(), message, evidence)
    }

    /// A milder status than the rule's level (a warning from a fail-level rule).
    pub fn warn(&self, message: impl Into<String>, evidence: Vec<String>) -> Finding {
        self.finding(Status::Warn, message, evidence)
    }

    pub fn skip(&self, message: impl Into<String>) -> Finding {
        self.finding(Status::Skip, message, Vec::new())
    }

    fn finding(
        &self,
        status: Status,
        message: impl Into<String>,
        evidence: Vec<String>,
    ) -> Finding {
        Finding {
            id: self.id.to_string(),
            level: self.level,
            status,
            message: message.into(),
            evidence,
            fix: self.fix.to_string(),
        }
    }
}

/// Compute for the paper: runs, GPU-hours and GPU types.
#[derive(Debug, Clone, Serialize)]
pub struct Compute {
    pub runs: usize,
    pub gpu_hours: Option<f64>,
    pub gpus: Vec<String>,
}

/// Who plays which part in the study.
#[derive(Debug, Clone, Serialize)]
pub struct CheckRoles {
    pub baseline: Option<String>,
    pub treatments: Vec<String>,
    pub full: Option<String>,
    pub ablation_rows: Vec<String>,
    /// The metrics the compare rules judge (the claim).
    pub claim_metrics: Vec<String>,
    pub notes: Vec<String>,
}

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

/// Everything the rules read.
pub struct Context<'a> {
    pub study: &'a Study,
    pub check: &'a CheckOptions,
    pub roles: CheckRoles,
    /// Per-seed values of every condition × metric.
    pub groups: Vec<SeedValues>,
    /// Treatments against the baseline on the claim metrics (as `xreport compare`).
    pub comparisons: Vec<Comparison>,
    /// `xreport ablation`'s report of the rows against the full model, when it runs.
    pub ablation: Option<AblationReport>,
    pub seeds: SeedStyle,
    pub inference: &'a Inference,
    /// The labels the user gave ablation rows (`[ablation] rows`).
    pub row_labels: BTreeMap<String, String>,
}

impl Context<'_> {
    pub fn alpha(&self) -> f64 {
        self.inference.alpha
    }

    pub fn correction(&self) -> &'static str {
        self.inference.correction.name()
    }

    pub fn target_power(&self) -> f64 {
        self.inference.target_power
    }

    pub fn max_seeds(&self) -> usize {
        self.inference.max_seeds
    }

    /// The label the user gave an ablation row.
    pub fn row_label(&self, row: &str) -> Option<&str> {
        self.row_labels.get(row).map(String::as_str)
    }

    /// Every finished run: the seeds counted and their repeats.
    pub fn all_runs(&self) -> impl Iterator<Item = &Run> {
        self.study.runs.iter().chain(&self.study.repeats)
    }

    pub fn runs_of<'b>(&'b self, condition: &'b str) -> impl Iterator<Item = &'b Run> + 'b {
        self.all_runs().filter(move |r| r.condition == condition)
    }

    /// (compared, reference) pairs: each treatment against the baseline and
    /// each ablation row against the full model.
    pub fn pairs(&self) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        if let Some(b) = &self.roles.baseline {
            pairs.extend(self.roles.treatments.iter().map(|t| (t.clone(), b.clone())));
        }
        if let Some(full) = &self.roles.full {
            pairs.extend(
                self.roles
                    .ablation_rows
                    .iter()
                    .map(|r| (r.clone(), full.clone())),
            );
        }
        pairs
    }

    /// The conditions compared with one another: baseline, treatments, full model, ablation rows.
    pub fn compared_conditions(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let all = self
            .roles
            .baseline
            .iter()
            .chain(&self.roles.treatments)
            .chain(&self.roles.full)
            .chain(&self.roles.ablation_rows);
        for c in all {
            if !out.contains(c) {
                out.push(c.clone());
            }
        }
        if out.is_empty() {
            out = self.study.conditions.clone();
        }
        out
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
    let ablation = ablation::run(
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
        row_labels: resolved
            .rows
            .iter()
            .filter_map(|r| Some((r.condition.clone(), r.label.clone()?)))
            .collect(),
    };
    let findings = vec![
        seeds::min(&ctx),
        seeds::repeats(&ctx),
        seeds::shared(&ctx),
        seeds::varied(&ctx),
        seeds::stable(&ctx),
        compare::noise(&ctx),
        compare::significant(&ctx),
        compare::power(&ctx),
        config::logged(&ctx),
        config::one_change(&ctx),
        budget::same(&ctx),
        config::eval_same(&ctx),
        compare::ablation_present(&ctx),
        compare::earns_place(&ctx),
        env::captured(&ctx),
        env::deps_pinned(&ctx)?,
        env::compute_reported(&ctx),
        config::splits_fixed(&ctx),
        runs::failed(&ctx),
        runs::test_once(&ctx),
    ];
    let mut findings = findings;
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
        .filter(|m| config::names_split(m, &["test"]))
        .cloned()
        .collect();
    if test.is_empty() { all } else { test }
}

/// `a, b, c` for a list of names, natural order kept.
pub fn list(items: &[String]) -> String {
    items.join(", ")
}

/// Seeds as `42, 43, 44`.
pub fn seed_list(seeds: &[String]) -> String {
    seeds.join(", ")
}

/// Count words: `1 run`, `3 runs`.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

impl Report for CheckReport {
    fn kind(&self) -> &'static str {
        "check"
    }

    fn table(&self, style: Style, output: &Output) -> Table {
        let mut table = Table::new(vec![
            table::left("Status"),
            table::left("Rule"),
            table::left("Finding"),
        ]);
        for f in &self.findings {
            table.rows.push(vec![
                f.status.name().to_string(),
                style.escape(&f.id),
                style.escape(&f.message),
            ]);
        }
        table.caption = output.caption.clone().map(|c| style.escape(&c));
        table.label = output.label.clone();
        table.fragment = output.fragment;
        let mut counts: BTreeMap<Status, usize> = BTreeMap::new();
        for f in &self.findings {
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
        let verdict = if self.failed() {
            "the checklist fails"
        } else {
            "the checklist passes"
        };
        table.notes.push(style.escape(&format!(
            "{}: {verdict}{}.",
            tally.join(", "),
            if self.settings.strict {
                " (strict: warnings fail too)"
            } else {
                ""
            }
        )));
        table.notes.push(style.escape(&format!(
            "Compute: {}",
            env::compute_sentence(&self.compute)
        )));
        for note in &self.roles.notes {
            table.notes.push(style.escape(&format!("Note: {note}")));
        }
        for f in self.findings.iter().filter(|f| f.status != Status::Pass) {
            let head = style.escape(&format!("{} {}", f.status.name(), f.id));
            table.notes.push(format!(
                "{}: {}",
                style.bold(&head),
                style.escape(&f.message)
            ));
            for e in &f.evidence {
                table.notes.push(style.escape(&format!("  - {e}")));
            }
            if f.status != Status::Skip {
                table.notes.push(style.escape(&format!("  fix: {}", f.fix)));
            }
        }
        table
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

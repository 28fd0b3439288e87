//! The rule kit: what a rule is (an id, a level and a fix), what it
//! concludes (a [`Finding`] with its evidence), the evidence types the report
//! carries, and the [`Context`] every rule reads. Rules live in their family's
//! file; the key vocabulary they share lives in `keys.rs`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::options::CheckOptions;
use crate::analysis::ablation::AblationReport;
use crate::analysis::compare::Comparison;
use crate::analysis::groups::SeedValues;
use crate::analysis::options::{Inference, Metrics};
use crate::analysis::report::SeedStyle;
use crate::load::{Run, Study};
use crate::render::format;
use crate::stats::correction::Correction;

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

impl Compute {
    /// "37 runs, 125.8 GPU-hours on NVIDIA A100-SXM4-40GB".
    pub fn sentence(&self) -> String {
        let mut text = plural(self.runs, "run");
        if let Some(h) = self.gpu_hours {
            text.push_str(&format!(", {} GPU-hours", format::fixed(h, 1)));
        }
        if !self.gpus.is_empty() {
            text.push_str(&format!(" on {}", self.gpus.join(", ")));
        }
        text
    }
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
    /// The metrics' directions.
    pub metrics: &'a Metrics,
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

    /// Whether p-values (or ASO's confidence) are corrected over the family.
    pub fn corrected(&self) -> bool {
        self.inference.correction != Correction::None
    }

    /// `--aso-threshold` τ when the test is ASO.
    pub fn aso_threshold(&self) -> Option<f64> {
        self.inference.aso_threshold
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

/// `cond / metric: Δ −1.20 (std 0.40 vs 0.30), p (holm) 0.0017, improvement`,
/// with the TOST when a margin is set: `…, TOST ±0.2 p 0.003 (corrected 0.006)`.
pub fn describe(c: &Comparison) -> String {
    let d = format::decimals(c.std_baseline, None);
    let tost = c.equivalence.as_ref().map_or_else(String::new, |e| {
        format!(
            ", TOST ±{} p {} (corrected {})",
            format::opt(e.margin, 4),
            format::p_value(e.p_value),
            format::p_value(e.p_adjusted)
        )
    });
    format!(
        "{} / {}: Δ {} (std {} vs {}), p {} (corrected {}), power {}{tost}, {}",
        c.treatment,
        c.metric,
        c.diff
            .map_or_else(|| format::UNDEFINED.to_string(), |v| format::signed(v, d)),
        format::opt(c.std_baseline, d),
        format::opt(c.std_treatment, d),
        format::p_value(c.p_value),
        format::p_value(c.p_adjusted),
        format::opt(c.power, 2),
        c.verdict.name()
    )
}

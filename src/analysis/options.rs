//! What the statistics of a report depend on, resolved from flags and the
//! study file by `settings`: bootstrap and std settings, the hypothesis
//! test and its correction, and per metric its selection, direction and label.

use std::collections::BTreeMap;

use globset::GlobSet;
use serde::{Deserialize, Serialize};

use super::direction::Direction;
use super::reduce::Reduce;
use crate::stats::bootstrap::CiMethod;
use crate::stats::correction::Correction;
use crate::stats::inference::{Alternative, MwuMethod, TestKind};
use crate::stats::proportion::ProportionMethod;

/// Descriptive and bootstrap settings.
#[derive(Debug, Clone)]
pub struct Describe {
    pub confidence: f64,
    pub resamples: usize,
    pub ci_method: CiMethod,
    pub seed: u64,
    pub ddof: usize,
    /// Bootstrap resamples of ASO's σ̂: `--resamples`, else 1000 (deepsig's default).
    pub aso_resamples: usize,
    /// How training histories become one value per seed.
    pub reduce: Reduce,
}

/// Hypothesis test, correction and power settings.
#[derive(Debug, Clone)]
pub struct Inference {
    pub alpha: f64,
    pub test: TestKind,
    pub alternative: Alternative,
    pub correction: Correction,
    pub family: Family,
    pub target_power: f64,
    pub max_seeds: usize,
    /// `--equivalence`: the TOST margin of compare (DESIGN section 13).
    pub equivalence: Option<Margin>,
    /// `--mwu-method`, and the continuity correction unless `--no-continuity`.
    pub mwu_method: MwuMethod,
    pub continuity: bool,
    /// `--test-train-ratio`: n_test/n_train of the folds (corrected t-test).
    pub test_train_ratio: Option<f64>,
    /// `--rope`: the Bayesian correlated t-test of compare.
    pub rope: Option<Rope>,
    /// `--aso-threshold` τ, with `--test aso` (default 0.2).
    pub aso_threshold: Option<f64>,
}

/// A region of practical equivalence ±margin around Δ = 0 and the
/// correlation ρ of the paired differences (0 for seeds).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rope {
    pub margin: Margin,
    pub rho: f64,
}

/// An equivalence margin: in the metric's unit, or a percentage of the
/// baseline's mean.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Margin {
    Absolute(f64),
    Percent(f64),
}

impl Margin {
    /// The half-width in the metric's unit; `None` for a percentage of a
    /// baseline mean that is zero or unknown.
    pub fn resolve(self, baseline_mean: Option<f64>) -> Option<f64> {
        match self {
            Margin::Absolute(m) => Some(m),
            Margin::Percent(p) => baseline_mean
                .map(|m| m.abs() * p / 100.0)
                .filter(|m| *m > 0.0 && m.is_finite()),
        }
    }

    /// As the user wrote it: `0.2` or `1%`.
    pub fn text(self) -> String {
        match self {
            Margin::Absolute(m) => format!("{m}"),
            Margin::Percent(p) => format!("{p}%"),
        }
    }

    /// Parses `0.2` or `1%`; the error names `what` (the flag or key).
    pub fn parse(text: &str, what: &str) -> Result<Margin, String> {
        let text = text.trim();
        let (number, percent) = match text.strip_suffix('%') {
            Some(n) => (n.trim(), true),
            None => (text, false),
        };
        let value: f64 = number.parse().map_err(|_| {
            format!("{what} must be a positive number or a percentage such as 1%, got {text:?}")
        })?;
        Margin::checked(value, percent, what)
    }

    /// A positive, finite margin, or an error naming `what`.
    pub fn checked(value: f64, percent: bool, what: &str) -> Result<Margin, String> {
        if !(value > 0.0 && value.is_finite()) {
            return Err(format!(
                "{what} must be a positive, finite margin, got {value}"
            ));
        }
        Ok(if percent {
            Margin::Percent(value)
        } else {
            Margin::Absolute(value)
        })
    }
}

/// Per-example scores (DESIGN section 12): how a system's example score is
/// formed over its seeds, what the interval of a comparison resamples, which
/// interval a 0/1 accuracy gets, and what a missing example score means.
#[derive(Debug, Clone)]
pub struct ExampleOptions {
    pub reduce: ExampleReduce,
    /// `None`: `--proportion-ci none`.
    pub proportion_ci: Option<ProportionMethod>,
    /// `None`: the default rule (`both` when every compared condition has ≥ 2
    /// seeds and the examples are shared).
    pub unit: Option<Unit>,
    pub missing: MissingScores,
    /// McNemar's mid-p instead of the exact p.
    pub mid_p: bool,
    /// `--cluster-col`, so that an input without that column is an error.
    pub cluster_col: Option<String>,
}

impl Default for ExampleOptions {
    fn default() -> Self {
        ExampleOptions {
            reduce: ExampleReduce::Mean,
            proportion_ci: Some(ProportionMethod::Wilson),
            unit: None,
            missing: MissingScores::Fail,
            mid_p: false,
            cluster_col: None,
        }
    }
}

/// The per-example settings a report states.
#[derive(Debug, Clone, Serialize)]
pub struct ExampleSettings {
    pub example_reduce: ExampleReduce,
    pub missing: MissingScores,
    pub proportion_ci: Option<ProportionMethod>,
    pub mid_p: bool,
    /// Whether examples were clustered (`--cluster-col`).
    pub clusters: bool,
}

impl ExampleSettings {
    pub fn of(options: &ExampleOptions, clusters: bool) -> ExampleSettings {
        ExampleSettings {
            example_reduce: options.reduce,
            missing: options.missing,
            proportion_ci: options.proportion_ci,
            mid_p: options.mid_p,
            clusters,
        }
    }
}

/// A system's score on one example, over its seeds (`--example-reduce`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExampleReduce {
    /// The mean over seeds (not 0/1 when seeds disagree).
    Mean,
    /// 1 when more than half of the seeds score 1, else 0 (a tie is no majority).
    Majority,
}

/// What a comparison's interval (and test) resample: seeds, test examples,
/// or both at once (the two-way seeds × examples interval).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    Seeds,
    Examples,
    Both,
}

/// An example some system did not score (`--missing`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MissingScores {
    /// Stop, naming the first missing example and its file.
    Fail,
    /// Keep only the examples every system scored.
    Drop,
    /// Count a missing score as 0 (wrong), keeping the denominator.
    Zero,
}

/// Which comparisons are corrected together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// The treatments compared on one metric.
    Metric,
    /// Every comparison in the call.
    All,
}

impl Family {
    /// The name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Family::Metric => "metric",
            Family::All => "all",
        }
    }
}

/// What the study file says of one metric (`[metrics."name"]`).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricSpec {
    pub label: Option<String>,
    pub direction: Option<Direction>,
    pub digits: Option<usize>,
}

/// Metric selection, directions and labels.
#[derive(Debug)]
pub struct Metrics {
    include: Option<GlobSet>,
    lower: GlobSet,
    higher: GlobSet,
    specs: BTreeMap<String, MetricSpec>,
    /// Directions the results files state (lm-eval's `higher_is_better`).
    logged: BTreeMap<String, Direction>,
}

impl Metrics {
    /// `include`: `--metric` globs (`None`: every metric); `lower`/`higher`:
    /// the direction flags; `specs`: the study file's metric sections.
    pub fn new(
        include: Option<GlobSet>,
        lower: GlobSet,
        higher: GlobSet,
        specs: BTreeMap<String, MetricSpec>,
    ) -> Metrics {
        Metrics {
            include,
            lower,
            higher,
            specs,
            logged: BTreeMap::new(),
        }
    }

    /// Whether the study file describes the metric (`[metrics."name"]`).
    pub fn described(&self, metric: &str) -> bool {
        self.specs.contains_key(metric)
    }

    pub fn includes(&self, metric: &str) -> bool {
        self.include.as_ref().is_none_or(|g| g.is_match(metric))
    }

    /// Take the directions the loaded results files state.
    pub fn learn_directions(&mut self, study: &crate::load::Study) {
        for run in &study.runs {
            self.learn_stated(&run.directions);
        }
    }

    /// Take stated directions (metric → higher is better); the first stated wins.
    pub fn learn_stated(&mut self, directions: &BTreeMap<String, bool>) {
        for (metric, higher) in directions {
            let direction = if *higher {
                Direction::Higher
            } else {
                Direction::Lower
            };
            self.logged.entry(metric.clone()).or_insert(direction);
        }
    }

    /// Flags first, then the study file, then what the results files state,
    /// then the name rule.
    pub fn direction(&self, metric: &str) -> Direction {
        if self.lower.is_match(metric) {
            return Direction::Lower;
        }
        if self.higher.is_match(metric) {
            return Direction::Higher;
        }
        self.specs
            .get(metric)
            .and_then(|m| m.direction)
            .or_else(|| self.logged.get(metric).copied())
            .unwrap_or_else(|| Direction::infer(metric))
    }

    /// The label shown in table headers.
    pub fn label(&self, metric: &str) -> String {
        self.specs
            .get(metric)
            .and_then(|m| m.label.clone())
            .unwrap_or_else(|| metric.to_string())
    }

    pub fn digits(&self, metric: &str) -> Option<usize> {
        self.specs.get(metric).and_then(|m| m.digits)
    }

    /// The position of the first `--metric` glob that `metric` matches, so
    /// that tables can order their columns as the user listed the metrics.
    pub fn order(&self, metric: &str) -> Option<usize> {
        self.include
            .as_ref()
            .and_then(|g| g.matches(metric).into_iter().min())
    }
}

/// `xreport rank`'s post-hoc test (`--posthoc`, DESIGN section 11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Posthoc {
    /// All pairs by the Nemenyi critical difference (the default).
    Nemenyi,
    /// Pairwise Wilcoxon signed-rank tests on the per-task scores, corrected.
    WilcoxonHolm,
    /// Each method against `--control` on mean ranks, corrected.
    BonferroniDunn,
}

impl Posthoc {
    /// The test as a sentence names it.
    pub fn title(self) -> &'static str {
        match self {
            Posthoc::Nemenyi => "Nemenyi",
            Posthoc::WilcoxonHolm => "Wilcoxon signed-rank",
            Posthoc::BonferroniDunn => "Bonferroni–Dunn",
        }
    }
}

/// What `xreport rank` does with a task that lacks a method (`--missing`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Missing {
    /// Leave the task out of the ranking, and list it.
    Drop,
    /// Rank the missing method last on that task.
    Worst,
}

/// What `xreport rank` ranks and tests with.
#[derive(Debug, Clone)]
pub struct RankOptions {
    /// The metric's name, as the report states it.
    pub metric: String,
    pub direction: Direction,
    pub posthoc: Posthoc,
    pub alpha: f64,
    /// The correction of Wilcoxon and Bonferroni–Dunn p-values.
    pub correction: Correction,
    /// The control of Bonferroni–Dunn.
    pub control: Option<String>,
    pub missing: Missing,
}

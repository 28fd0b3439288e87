//! The sentences tables share: the std and bootstrap convention, how
//! histories were reduced, skipped runs, repeats, per-group notes and the
//! footnote that names the test, α and the correction.

use super::Output;
use super::format::{self, Style};
use super::table::Table;
use crate::analysis::compare::Settings;
use crate::analysis::options::Family;
use crate::analysis::report::Repeat;
use crate::analysis::summary::{DescribeSettings, GroupStats};
use crate::load::Skipped;
use crate::stats::correction::Correction;
use crate::stats::inference::TestKind;

/// Caption, label and fragment as the user gave them.
pub fn frame(table: &mut Table, style: Style, output: &Output) {
    table.caption = output.caption.as_ref().map(|c| style.escape(c));
    table.label = output.label.clone();
    table.fragment = output.fragment;
}

/// A run left out, and why.
pub fn skipped(s: &Skipped) -> String {
    format!("Skipped: {} — {}", s.path, s.reason)
}

/// [`skipped`] as a note under a table. In LaTeX it is always a `%` comment
/// for the author (never the caption's first note), so it keeps the path as
/// the file system spells it (`seed_3`, not `seed\_3`) on one line.
pub fn skipped_note(style: Style, s: &Skipped) -> String {
    match style {
        Style::Latex => skipped(s).replace(['\n', '\r'], " "),
        _ => style.escape(&skipped(s)),
    }
}

/// The std convention, the bootstrap, the reduction of histories, skipped
/// runs and repeats: the notes under every table of per-seed statistics.
pub fn common(
    style: Style,
    settings: &DescribeSettings,
    skipped: &[Skipped],
    repeats: &[Repeat],
) -> Vec<String> {
    let mut notes = vec![style.escape(&format!(
        "std: {} (ddof = {}); intervals at {}% confidence; bootstrap: {}, {} resamples, seed {}.",
        if settings.ddof == 1 {
            "sample"
        } else {
            "population"
        },
        settings.ddof,
        format::percent(settings.confidence),
        settings.ci_method.name(),
        settings.resamples,
        settings.seed
    ))];
    if let Some(rule) = &settings.reduce {
        let cut = settings
            .max_step
            .map(|m| format!(", after cutting them at step {m}"))
            .unwrap_or_default();
        notes.push(style.escape(&format!(
            "Training histories reduced to one value per seed by --reduce {rule}{cut}; curves aligned on the steps every seed shares, ties to the earliest step."
        )));
    }
    notes.extend(skipped.iter().map(|s| skipped_note(style, s)));
    for r in repeats.iter().filter(|r| r.spread.is_some_and(|s| s > 0.0)) {
        notes.push(style.escape(&format!(
            "Repeats of seed {} in {} (not counted as seeds): {} differs by {} across {} runs (nondeterminism).",
            r.seed,
            r.condition,
            r.metric,
            format::fixed(r.spread.unwrap_or_default(), 4),
            r.values.len()
        )));
    }
    notes
}

/// Each group's own notes, prefixed by its condition and metric.
pub fn groups(style: Style, groups: &[GroupStats]) -> Vec<String> {
    groups
        .iter()
        .flat_map(|g| {
            g.notes
                .iter()
                .map(move |note| style.escape(&format!("{} / {}: {note}", g.condition, g.metric)))
        })
        .collect()
}

/// The footnote every comparison table carries: test, α, correction, family
/// and seeds per condition. `compared` names what the family's members are
/// ("treatments", "ablation rows"); `over_examples`: every comparison was
/// tested over paired test examples (one seed per condition).
pub fn method(
    settings: &Settings,
    seeds: &[(String, usize)],
    compared: &str,
    over_examples: bool,
) -> String {
    let ci = format!("{} bootstrap", settings.ci_method.name());
    method_with_ci(settings, seeds, compared, over_examples, &ci)
}

/// [`method`] naming the interval of Δ (`ci`, e.g. "two-way Satterthwaite t").
pub fn method_with_ci(
    settings: &Settings,
    seeds: &[(String, usize)],
    compared: &str,
    over_examples: bool,
    ci: &str,
) -> String {
    let seeds: Vec<String> = seeds.iter().map(|(c, n)| format!("{c} {n}")).collect();
    let dagger = if settings.test == TestKind::Aso {
        "† one system almost stochastically dominates (ε_min < τ)."
    } else {
        "† significant after correction."
    };
    format!(
        "{dagger} {} Δ = treatment − baseline with its {}% {ci} CI. Seeds per condition: {}.",
        test(settings, compared, over_examples),
        format::percent(settings.confidence),
        seeds.join(", ")
    )
}

/// The test, α, correction and family of [`method`], as one sentence.
pub fn test(settings: &Settings, compared: &str, over_examples: bool) -> String {
    let mid_p = settings.examples.as_ref().is_some_and(|e| e.mid_p);
    let clustered = settings.examples.as_ref().is_some_and(|e| e.clusters);
    let test = match settings.test {
        // ε_min has a confidence, not a p-value's α and correction
        TestKind::Aso => return aso_test(settings, compared),
        TestKind::Mcnemar if mid_p => "mid-p McNemar test over test examples",
        TestKind::Mcnemar => "exact McNemar test over test examples",
        _ if over_examples && clustered => {
            "cluster-robust (CR1) t-test over test examples, G − 1 df"
        }
        _ if over_examples => "paired t-test over test examples",
        TestKind::Welch => "Welch's t-test",
        TestKind::Student => "Student's t-test",
        TestKind::Paired => "paired t-test",
        TestKind::MannWhitney => "Mann–Whitney U test",
        TestKind::Permutation => "permutation test",
        TestKind::Wilcoxon => "Wilcoxon signed-rank test",
        TestKind::CorrectedT => "Nadeau–Bengio corrected t-test",
    };
    format!(
        "Test: {test} ({}), α = {}, {} correction across {} (family: {}).",
        settings.alternative.name(),
        settings.alpha,
        settings.correction.name(),
        family_phrase(settings, compared),
        settings.family.name(),
    )
}

/// What a correction family holds, as a phrase.
fn family_phrase(settings: &Settings, compared: &str) -> String {
    match settings.family {
        Family::Metric => format!("the {compared} of each metric"),
        Family::All => "every comparison in the table".to_string(),
    }
}

/// [`test`] for `--test aso`: ε_min's confidence, τ and the correction.
fn aso_test(settings: &Settings, compared: &str) -> String {
    let corrected = match settings.correction {
        Correction::None => "1 − α, no correction".to_string(),
        _ => format!(
            "Bonferroni's 1 − α/m across {}",
            family_phrase(settings, compared)
        ),
    };
    format!(
        "Test: Almost Stochastic Order (deepsig's ε_min, violation ratio integrated exactly, {} bootstrap resamples), τ = {}, confidence {corrected} (α = {}); ε_min is treatment over baseline, ε_min reverse baseline over treatment, each in the metric's direction.",
        settings.aso_resamples.unwrap_or_default(),
        settings.aso_threshold.unwrap_or_default(),
        settings.alpha,
    )
}

/// Seeds per condition, in table order.
pub fn seeds_per_condition(groups: &[GroupStats]) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    for g in groups {
        match out.iter_mut().find(|(c, _)| *c == g.condition) {
            Some(entry) => entry.1 = entry.1.max(g.n),
            None => out.push((g.condition.clone(), g.n)),
        }
    }
    out
}

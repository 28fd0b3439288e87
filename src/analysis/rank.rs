//! `xreport rank` (DESIGN section 11): k methods over N tasks as Demšar
//! (2006) compares classifiers over data sets. A method's score on a task is
//! its mean over seeds; the methods are ranked within each task (1 = best,
//! ties averaged); Friedman's test and Iman–Davenport's F ask whether the
//! mean ranks differ at all; a post-hoc test says which pairs do; cliques
//! and letters group the methods that are not significantly different.

use std::collections::BTreeMap;

use serde::Serialize;

use super::direction::Direction;
use super::options::{Missing, Posthoc, RankOptions};
use crate::error::{Error, Result};
use crate::load::multitask::MethodScores;
use crate::load::{Skipped, natural_cmp};
use crate::stats::correction::{self, Correction};
use crate::stats::inference::Alternative;
use crate::stats::{describe, friedman, posthoc, ranks, wilcoxon};

#[derive(Debug, Serialize)]
pub struct RankReport {
    pub xreport_version: &'static str,
    pub schema: &'static str,
    pub skipped: Vec<Skipped>,
    pub settings: RankSettings,
    pub metric: String,
    pub direction: Direction,
    /// The tasks ranked, in natural order.
    pub tasks: Vec<String>,
    /// Tasks left out because a method has no score there (`--missing drop`).
    pub dropped_tasks: Vec<DroppedTask>,
    /// In rank order: the best mean rank first (ties by name).
    pub methods: Vec<MethodRank>,
    pub friedman: FriedmanResult,
    pub posthoc: PosthocResult,
    /// Maximal runs of methods adjacent in rank order, no pair of which is
    /// significantly different; best first.
    pub cliques: Vec<Vec<String>>,
    /// Every method × task: the mean over seeds and its rank there.
    pub scores: Vec<TaskScore>,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RankSettings {
    pub posthoc: Posthoc,
    pub alpha: f64,
    /// The correction of Wilcoxon and Bonferroni–Dunn p-values (`null` for
    /// Nemenyi, which holds α over all pairs itself).
    pub correction: Option<Correction>,
    pub control: Option<String>,
    pub missing: Missing,
}

#[derive(Debug, Clone, Serialize)]
pub struct DroppedTask {
    pub task: String,
    /// The methods without a score on it.
    pub missing: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MethodRank {
    pub method: String,
    pub mean_rank: f64,
    /// Compact letter display: methods sharing a letter are not
    /// significantly different.
    pub letters: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FriedmanResult {
    /// χ² with the tie correction; `null` when every task ties every method.
    pub statistic: Option<f64>,
    pub df: f64,
    pub p_value: Option<f64>,
    /// `null` when infinite (every task ranks the methods identically) or undefined.
    pub iman_davenport_f: Option<f64>,
    pub iman_davenport_df: [f64; 2],
    pub iman_davenport_p: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PosthocResult {
    pub method: Posthoc,
    pub alpha: f64,
    /// The Nemenyi critical difference; `null` for the other tests.
    pub cd: Option<f64>,
    pub pairs: Vec<Pair>,
}

/// One comparison. Nemenyi and Wilcoxon: every pair, `a` the better-ranked;
/// Bonferroni–Dunn: `a` is the control.
#[derive(Debug, Clone, Serialize)]
pub struct Pair {
    pub a: String,
    pub b: String,
    /// Nemenyi: the studentized range q = |R_a − R_b|·√2/√(k(k+1)/(6N));
    /// Wilcoxon: min(W⁺, W⁻) of a − b; Bonferroni–Dunn: z = (R_b − R_a)/√(k(k+1)/(6N)).
    pub statistic: Option<f64>,
    pub p_value: Option<f64>,
    pub p_adjusted: Option<f64>,
    pub significant: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct TaskScore {
    pub method: String,
    pub task: String,
    /// Seeds (runs) with a finite score.
    pub n: usize,
    pub mean: Option<f64>,
    /// Sample std over seeds (ddof = 1).
    pub std: Option<f64>,
    /// Its rank on the task; `null` on a dropped task.
    pub rank: Option<f64>,
}

/// The names of the files the methods came from, for errors about them all.
fn sources(methods: &[MethodScores]) -> String {
    let mut out: Vec<&str> = Vec::new();
    for m in methods {
        if !out.contains(&m.source.as_str()) {
            out.push(&m.source);
        }
    }
    out.join(", ")
}

/// Rank the methods and run the tests.
pub fn run(
    methods: Vec<MethodScores>,
    skipped: Vec<Skipped>,
    options: &RankOptions,
) -> Result<RankReport> {
    if methods.is_empty() {
        return Err(Error::usage("no methods to rank"));
    }
    if methods.len() < 2 {
        return Err(Error::input(
            &methods[0].source,
            format!(
                "only one method (`{}`): ranking needs at least 2 methods over at least 2 tasks (give one file per method, or a table with several conditions)",
                methods[0].method
            ),
        ));
    }
    for m in &methods {
        if m.tasks.values().all(|scores| scores.is_empty()) {
            return Err(Error::input(
                &m.source,
                format!(
                    "method `{}` has no finite score on any task (every value is missing or NaN)",
                    m.method
                ),
            ));
        }
    }
    if let Some(already) = methods.iter().find(|m| m.normalized)
        && let Some(raw) = methods.iter().find(|m| !m.normalized)
    {
        return Err(Error::input(
            &already.source,
            format!(
                "`{}` holds already-normalised scores (HNS) but `{}` ({}) raw ones: ranks compare scores on one scale, so give every method on the same scale",
                already.method, raw.method, raw.source
            ),
        ));
    }
    let mut task_names: Vec<String> = methods
        .iter()
        .flat_map(|m| m.tasks.keys().cloned())
        .collect();
    task_names.sort_by(|a, b| natural_cmp(a, b));
    task_names.dedup();
    if task_names.len() < 2 {
        return Err(Error::input(
            sources(&methods),
            format!(
                "only one task ({}): ranking needs at least 2 tasks (a task column with several values, or several tasks per JSON file)",
                task_names
                    .iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    if let Some(control) = &options.control
        && !methods.iter().any(|m| &m.method == control)
    {
        return Err(Error::usage(format!(
            "--control {control}: no such method (methods: {})",
            methods
                .iter()
                .map(|m| m.method.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let lower = options.direction == Direction::Lower;
    // The score that ranks last: "missing worst" is an infinitely bad score,
    // so ranks, Friedman and the signed-rank test all see it as the worst.
    let worst = if lower {
        f64::INFINITY
    } else {
        f64::NEG_INFINITY
    };
    let mean_of = |m: &MethodScores, task: &str| m.tasks.get(task).and_then(|s| describe::mean(s));
    let mut kept: Vec<String> = Vec::new();
    let mut rows: Vec<Vec<f64>> = Vec::new();
    let mut dropped_tasks = Vec::new();
    let mut notes = Vec::new();
    for task in &task_names {
        let means: Vec<Option<f64>> = methods.iter().map(|m| mean_of(m, task)).collect();
        let missing: Vec<String> = methods
            .iter()
            .zip(&means)
            .filter(|(_, v)| v.is_none())
            .map(|(m, _)| m.method.clone())
            .collect();
        let all_missing = missing.len() == methods.len();
        if !missing.is_empty() && (options.missing == Missing::Drop || all_missing) {
            dropped_tasks.push(DroppedTask {
                task: task.clone(),
                missing,
            });
            continue;
        }
        if !missing.is_empty() {
            notes.push(format!(
                "{task}: no score for {}, ranked last there (--missing worst).",
                missing.join(", ")
            ));
        }
        kept.push(task.clone());
        rows.push(means.iter().map(|v| v.unwrap_or(worst)).collect());
    }
    if kept.len() < 2 {
        let hint = match options.missing {
            Missing::Drop => " (or rank a missing method last with --missing worst)",
            Missing::Worst => "",
        };
        return Err(Error::input(
            sources(&methods),
            format!(
                "only {} of {} tasks have a score for every method, and ranking needs at least 2: give the missing scores{hint}",
                kept.len(),
                task_names.len()
            ),
        ));
    }
    let k = methods.len();
    let n = kept.len();
    let task_ranks: Vec<Vec<f64>> = rows
        .iter()
        .map(|r| ranks::average_ranks(r, lower))
        .collect();
    let mean_ranks = ranks::mean_ranks(&task_ranks);
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&i, &j| {
        mean_ranks[i]
            .total_cmp(&mean_ranks[j])
            .then_with(|| natural_cmp(&methods[i].method, &methods[j].method))
    });
    let friedman = friedman_result(&task_ranks, k, n, &mut notes);
    if friedman.p_value.is_some_and(|p| p >= options.alpha) {
        notes.push(format!(
            "Friedman's test is not significant at α = {}: the mean ranks may not differ at all, so no post-hoc difference should be claimed (Demšar 2006).",
            options.alpha
        ));
    }
    let tested = Tested {
        methods: &methods,
        order: &order,
        mean_ranks: &mean_ranks,
        rows: &rows,
        n,
    };
    let (posthoc, significant) = match options.posthoc {
        Posthoc::Nemenyi => tested.nemenyi(options.alpha),
        Posthoc::WilcoxonHolm => tested.wilcoxon(options, &mut notes),
        Posthoc::BonferroniDunn => {
            let control = options.control.as_deref().ok_or_else(|| {
                Error::usage("--posthoc bonferroni-dunn needs --control METHOD: the method the others are compared with")
            })?;
            let c = methods
                .iter()
                .position(|m| m.method == control)
                .unwrap_or(0);
            tested.dunn(c, options)
        }
    };
    let runs = match options.posthoc {
        Posthoc::BonferroniDunn => {
            let c = options
                .control
                .as_deref()
                .and_then(|name| order.iter().position(|&i| methods[i].method == name))
                .unwrap_or(0);
            control_run(&order, c, &significant)
        }
        _ => maximal_runs(&order, &significant),
    };
    let letters = letters(k, &runs, options.posthoc == Posthoc::BonferroniDunn);
    if options.posthoc == Posthoc::BonferroniDunn {
        notes.push(format!(
            "Bonferroni–Dunn compares each method with {} only: letter a marks the methods not significantly different from it.",
            options.control.as_deref().unwrap_or_default()
        ));
    }
    let cliques: Vec<Vec<String>> = runs
        .iter()
        .filter(|(s, e)| e > s)
        .map(|&(s, e)| {
            order[s..=e]
                .iter()
                .map(|&i| methods[i].method.clone())
                .collect()
        })
        .collect();
    let method_ranks = order
        .iter()
        .enumerate()
        .map(|(position, &i)| MethodRank {
            method: methods[i].method.clone(),
            mean_rank: mean_ranks[i],
            letters: letters[position].clone(),
        })
        .collect();
    let scores = task_scores(&methods, &task_names, &kept, &task_ranks, &order);
    notes.extend(reader_notes(&methods));
    Ok(RankReport {
        xreport_version: super::report::VERSION,
        schema: "xreport.rank/1",
        skipped,
        settings: RankSettings {
            posthoc: options.posthoc,
            alpha: options.alpha,
            correction: match options.posthoc {
                Posthoc::Nemenyi => None,
                _ => Some(options.correction),
            },
            control: options.control.clone(),
            missing: options.missing,
        },
        metric: options.metric.clone(),
        direction: options.direction,
        tasks: kept,
        dropped_tasks,
        methods: method_ranks,
        friedman,
        posthoc,
        cliques,
        scores,
        notes,
    })
}

fn friedman_result(
    task_ranks: &[Vec<f64>],
    k: usize,
    n: usize,
    notes: &mut Vec<String>,
) -> FriedmanResult {
    let df = (k - 1) as f64;
    let df_f = [df, df * (n - 1) as f64];
    match friedman::friedman(task_ranks) {
        Some(f) => {
            if f.iman_davenport_f.is_none() {
                notes.push(
                    "Every task ranks the methods the same way: the Iman–Davenport F is infinite (p = 0).".to_string(),
                );
            }
            FriedmanResult {
                statistic: Some(f.statistic),
                df,
                p_value: Some(f.p_value),
                iman_davenport_f: f.iman_davenport_f,
                iman_davenport_df: df_f,
                iman_davenport_p: Some(f.iman_davenport_p),
            }
        }
        None => {
            notes.push("Every task ties every method: there is no ranking to test.".to_string());
            FriedmanResult {
                statistic: None,
                df,
                p_value: None,
                iman_davenport_f: None,
                iman_davenport_df: df_f,
                iman_davenport_p: None,
            }
        }
    }
}

/// What the post-hoc tests read: methods, their rank order and mean ranks,
/// the per-task scores (rows of kept tasks, missing-worst filled in).
struct Tested<'a> {
    methods: &'a [MethodScores],
    order: &'a [usize],
    mean_ranks: &'a [f64],
    rows: &'a [Vec<f64>],
    n: usize,
}

/// significant[i][j] for method indices (symmetric).
type Significance = Vec<Vec<bool>>;

impl Tested<'_> {
    fn k(&self) -> usize {
        self.methods.len()
    }

    fn name(&self, i: usize) -> String {
        self.methods[i].method.clone()
    }

    /// Pairs (i, j) of method indices with i before j in rank order.
    fn ordered_pairs(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for (p, &i) in self.order.iter().enumerate() {
            for &j in &self.order[p + 1..] {
                out.push((i, j));
            }
        }
        out
    }

    /// Nemenyi: significant when the mean ranks differ by more than the CD.
    fn nemenyi(&self, alpha: f64) -> (PosthocResult, Significance) {
        let (k, n) = (self.k(), self.n);
        let cd = posthoc::nemenyi_cd(alpha, k, n);
        let mut significant = vec![vec![false; k]; k];
        let pairs = self
            .ordered_pairs()
            .into_iter()
            .map(|(i, j)| {
                let (q, p) = posthoc::nemenyi_pair(self.mean_ranks[i], self.mean_ranks[j], k, n);
                let s = (self.mean_ranks[i] - self.mean_ranks[j]).abs() > cd;
                significant[i][j] = s;
                significant[j][i] = s;
                Pair {
                    a: self.name(i),
                    b: self.name(j),
                    statistic: Some(q),
                    p_value: Some(p),
                    p_adjusted: Some(p),
                    significant: s,
                }
            })
            .collect();
        let result = PosthocResult {
            method: Posthoc::Nemenyi,
            alpha,
            cd: Some(cd),
            pairs,
        };
        (result, significant)
    }

    /// Pairwise signed-rank tests on the per-task scores, corrected over
    /// the pairs whose test is defined.
    fn wilcoxon(
        &self,
        options: &RankOptions,
        notes: &mut Vec<String>,
    ) -> (PosthocResult, Significance) {
        let k = self.k();
        let column = |i: usize| -> Vec<f64> { self.rows.iter().map(|r| r[i]).collect() };
        let pairs = self.ordered_pairs();
        let results: Vec<Option<wilcoxon::SignedRank>> = pairs
            .iter()
            .map(|&(i, j)| {
                wilcoxon::signed_rank_pair(&column(i), &column(j), Alternative::TwoSided)
            })
            .collect();
        let defined: Vec<f64> = results.iter().flatten().map(|r| r.p_value).collect();
        let adjusted = correction::adjust(&defined, options.correction, options.alpha);
        let rejected = correction::reject(&defined, options.correction, options.alpha);
        let mut significant = vec![vec![false; k]; k];
        let mut at = 0;
        let mut out = Vec::new();
        let mut methods_used: Vec<wilcoxon::SignedRankMethod> = Vec::new();
        for (&(i, j), result) in pairs.iter().zip(&results) {
            let pair = match result {
                Some(r) => {
                    let (p_adjusted, s) = (adjusted[at], rejected[at]);
                    at += 1;
                    significant[i][j] = s;
                    significant[j][i] = s;
                    if !methods_used.contains(&r.method) {
                        methods_used.push(r.method);
                    }
                    Pair {
                        a: self.name(i),
                        b: self.name(j),
                        statistic: Some(r.statistic),
                        p_value: Some(r.p_value),
                        p_adjusted: Some(p_adjusted),
                        significant: s,
                    }
                }
                None => {
                    notes.push(format!(
                        "{} and {} have the same score on every task: their signed-rank test is undefined, and they are not significantly different.",
                        self.name(i),
                        self.name(j)
                    ));
                    Pair {
                        a: self.name(i),
                        b: self.name(j),
                        statistic: None,
                        p_value: None,
                        p_adjusted: None,
                        significant: false,
                    }
                }
            };
            out.push(pair);
        }
        let how: Vec<&str> = methods_used
            .iter()
            .map(|m| match m {
                wilcoxon::SignedRankMethod::Exact => "exact (no ties or zero differences)",
                wilcoxon::SignedRankMethod::Enumeration => {
                    "exact by enumerating sign flips (ties or zero differences, N ≤ 13)"
                }
                wilcoxon::SignedRankMethod::Normal => {
                    "normal approximation with the tie correction"
                }
            })
            .collect();
        notes.push(format!(
            "Wilcoxon signed-rank tests on the per-task mean scores, two-sided, zero differences dropped, as scipy.stats.wilcoxon: {}; {} correction over the {} pairs.",
            how.join("; "),
            options.correction.name(),
            defined.len()
        ));
        let result = PosthocResult {
            method: Posthoc::WilcoxonHolm,
            alpha: options.alpha,
            cd: None,
            pairs: out,
        };
        (result, significant)
    }

    /// Each method against the control `c` (a method index), corrected over the k − 1.
    fn dunn(&self, c: usize, options: &RankOptions) -> (PosthocResult, Significance) {
        let (k, n) = (self.k(), self.n);
        let others: Vec<usize> = self.order.iter().copied().filter(|&i| i != c).collect();
        let tests: Vec<(f64, f64)> = others
            .iter()
            .map(|&i| posthoc::dunn(self.mean_ranks[c], self.mean_ranks[i], k, n))
            .collect();
        let raw: Vec<f64> = tests.iter().map(|t| t.1).collect();
        let adjusted = correction::adjust(&raw, options.correction, options.alpha);
        let rejected = correction::reject(&raw, options.correction, options.alpha);
        let mut significant = vec![vec![false; k]; k];
        let pairs = others
            .iter()
            .enumerate()
            .map(|(at, &i)| {
                significant[c][i] = rejected[at];
                significant[i][c] = rejected[at];
                Pair {
                    a: self.name(c),
                    b: self.name(i),
                    statistic: Some(tests[at].0),
                    p_value: Some(tests[at].1),
                    p_adjusted: Some(adjusted[at]),
                    significant: rejected[at],
                }
            })
            .collect();
        let result = PosthocResult {
            method: Posthoc::BonferroniDunn,
            alpha: options.alpha,
            cd: None,
            pairs,
        };
        (result, significant)
    }
}

/// The maximal runs [start, end] of positions in rank order whose every
/// pair is not significantly different, singletons included, by start.
/// A run is never split by the order: it is a contiguous block of it.
fn maximal_runs(order: &[usize], significant: &Significance) -> Vec<(usize, usize)> {
    let k = order.len();
    let mut runs = Vec::new();
    let mut previous_end = None;
    for start in 0..k {
        let mut end = start;
        while end + 1 < k && (start..=end).all(|p| !significant[order[p]][order[end + 1]]) {
            end += 1;
        }
        // ends never decrease with the start, so a run is maximal exactly
        // when it reaches further than the previous one
        if previous_end.is_none_or(|e| end > e) {
            runs.push((start, end));
        }
        previous_end = Some(end);
    }
    runs
}

/// Bonferroni–Dunn: the run around the control (position `c`) of methods
/// not significantly different from it.
fn control_run(order: &[usize], c: usize, significant: &Significance) -> Vec<(usize, usize)> {
    let control = order[c];
    let (mut start, mut end) = (c, c);
    while start > 0 && !significant[control][order[start - 1]] {
        start -= 1;
    }
    while end + 1 < order.len() && !significant[control][order[end + 1]] {
        end += 1;
    }
    vec![(start, end)]
}

/// Letters per position in rank order: one letter per run, in order of its
/// start (a, b, …, z, aa, ab, …). With `only_runs` (Bonferroni–Dunn),
/// positions outside every run get none.
fn letters(k: usize, runs: &[(usize, usize)], only_runs: bool) -> Vec<String> {
    let mut out = vec![String::new(); k];
    for (index, &(start, end)) in runs.iter().enumerate() {
        if only_runs && end == start && runs.len() == 1 {
            // a control alone is not a group
            continue;
        }
        let letter = letter(index);
        for cell in &mut out[start..=end] {
            cell.push_str(&letter);
        }
    }
    out
}

/// The `index`-th letter name: a … z, aa, ab, …
fn letter(index: usize) -> String {
    let mut name = Vec::new();
    let mut i = index + 1;
    while i > 0 {
        i -= 1;
        name.push(b'a' + (i % 26) as u8);
        i /= 26;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// Every method × task (methods in rank order, tasks in natural order).
fn task_scores(
    methods: &[MethodScores],
    task_names: &[String],
    kept: &[String],
    task_ranks: &[Vec<f64>],
    order: &[usize],
) -> Vec<TaskScore> {
    let mut out = Vec::new();
    for &i in order {
        let m = &methods[i];
        for task in task_names {
            let values: &[f64] = m.tasks.get(task).map_or(&[], |v| v.as_slice());
            let rank = kept
                .iter()
                .position(|t| t == task)
                .map(|row| task_ranks[row][i]);
            out.push(TaskScore {
                method: m.method.clone(),
                task: task.clone(),
                n: values.len(),
                mean: describe::mean(values),
                std: describe::std(values, 1),
                rank,
            });
        }
    }
    out
}

/// What the readers chose or left out: a note every method shares once,
/// the others prefixed by their method.
fn reader_notes(methods: &[MethodScores]) -> Vec<String> {
    let mut by_note: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut first_seen: Vec<&str> = Vec::new();
    for m in methods {
        for note in &m.notes {
            if !by_note.contains_key(note.as_str()) {
                first_seen.push(note);
            }
            by_note.entry(note).or_default().push(&m.method);
        }
    }
    let mut out = Vec::new();
    for note in first_seen {
        let who = &by_note[note];
        if who.len() == methods.len() {
            out.push(note.to_string());
        } else {
            out.extend(who.iter().map(|m| format!("{m}: {note}")));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_stop_where_a_pair_inside_them_differs() {
        // 0–1, 1–2 alike, 0–2 different: two runs [0,1] and [1,2]
        let mut s = vec![vec![false; 3]; 3];
        s[0][2] = true;
        s[2][0] = true;
        assert_eq!(maximal_runs(&[0, 1, 2], &s), vec![(0, 1), (1, 2)]);
        assert_eq!(letters(3, &[(0, 1), (1, 2)], false), vec!["a", "ab", "b"]);
    }

    #[test]
    fn letters_go_past_z() {
        assert_eq!(letter(0), "a");
        assert_eq!(letter(25), "z");
        assert_eq!(letter(26), "aa");
        assert_eq!(letter(27), "ab");
    }
}

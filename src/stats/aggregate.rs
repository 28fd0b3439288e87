//! Aggregates of scores across tasks (Agarwal et al., "Deep Reinforcement
//! Learning at the Edge of the Statistical Precipice", NeurIPS 2021), defined
//! as `rliable.metrics` computes them on a runs × tasks score matrix, and their
//! stratified bootstrap intervals.
//!
//! Scores come as one slice per task (the runs of that task). Tasks may hold
//! different numbers of runs; the "flattened" statistics then weight each
//! task by its run count, as the rliable functions do on a ragged list.

use crate::stats::bootstrap::{self, CiMethod, Interval};
use crate::stats::{describe, rng};

/// Resamples drawn from one random stream: fixed, never derived from the
/// thread count, so that the replicates are the same for any number of threads.
pub const CHUNK_RESAMPLES: usize = 64;

/// An aggregate across tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregate {
    /// Mean of every run × task score (`rliable.metrics.aggregate_mean`).
    Mean,
    /// Median over tasks of the per-task mean score (`aggregate_median`).
    Median,
    /// Interquartile mean: the 25 % trimmed mean of every run × task score
    /// (`aggregate_iqm`, i.e. `scipy.stats.trim_mean(x, 0.25, axis=None)`).
    Iqm,
    /// Mean of max(γ − x, 0) over every run × task score (`aggregate_optimality_gap`).
    OptimalityGap,
}

impl Aggregate {
    /// Every aggregate, in the order `xreport aggregate` reports them by default.
    pub const ALL: [Aggregate; 4] = [
        Aggregate::Mean,
        Aggregate::Median,
        Aggregate::Iqm,
        Aggregate::OptimalityGap,
    ];

    /// The name used in the JSON output and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Aggregate::Mean => "mean",
            Aggregate::Median => "median",
            Aggregate::Iqm => "iqm",
            Aggregate::OptimalityGap => "optimality_gap",
        }
    }

    /// Whether smaller is better: the optimality gap is a shortfall.
    pub fn lower_is_better(self) -> bool {
        self == Aggregate::OptimalityGap
    }
}

/// Every score of every task, task after task.
pub fn flatten(tasks: &[&[f64]]) -> Vec<f64> {
    tasks.iter().flat_map(|t| t.iter().copied()).collect()
}

/// The per-task means; `None` when a task has no runs.
pub fn task_means(tasks: &[&[f64]]) -> Option<Vec<f64>> {
    tasks.iter().map(|t| describe::mean(t)).collect()
}

/// The 25 % trimmed mean, as `scipy.stats.trim_mean(x, 0.25)`: with n values
/// and k = ⌊0.25·n⌋, the mean of the values ranked k + 1 to n − k (whole
/// values cut, no fractional weights; n < 4 cuts nothing). Reorders `x`
/// (two O(n) selections, no sort). `None` when `x` is empty.
pub fn iqm(x: &mut [f64]) -> Option<f64> {
    let n = x.len();
    if n == 0 {
        return None;
    }
    let k = n / 4;
    let kept = n - 2 * k;
    let middle: &mut [f64] = if k == 0 {
        x
    } else {
        let (_, _, above) = x.select_nth_unstable_by(k - 1, f64::total_cmp);
        // `above` holds the n − k largest values; keep its `kept` smallest.
        if kept < above.len() {
            above.select_nth_unstable_by(kept, f64::total_cmp);
        }
        &mut above[..kept]
    };
    describe::mean(middle)
}

/// Mean of max(γ − x, 0) over the values (`rliable.metrics.aggregate_optimality_gap`,
/// γ = 1 for human-normalised scores). `None` when `x` is empty.
pub fn optimality_gap(x: &[f64], gamma: f64) -> Option<f64> {
    if x.is_empty() {
        return None;
    }
    Some(describe::pairwise_sum(x.len(), &mut |i| (gamma - x[i]).max(0.0)) / x.len() as f64)
}

/// The number of tasks whose mean score is at least `threshold` (with
/// human-normalised scores and threshold 1: "superhuman" tasks).
pub fn tasks_above(tasks: &[&[f64]], threshold: f64) -> usize {
    tasks
        .iter()
        .filter_map(|t| describe::mean(t))
        .filter(|&m| m >= threshold)
        .count()
}

/// The point estimate of `which` on the scores of `tasks`; `None` when there
/// are no tasks or a task has no runs.
pub fn estimate(which: Aggregate, tasks: &[&[f64]], gamma: f64) -> Option<f64> {
    if tasks.is_empty() || tasks.iter().any(|t| t.is_empty()) {
        return None;
    }
    let mut flat = flatten(tasks);
    match which {
        Aggregate::Mean => describe::mean(&flat),
        Aggregate::Median => describe::median(&task_means(tasks)?),
        Aggregate::Iqm => iqm(&mut flat),
        Aggregate::OptimalityGap => optimality_gap(&flat, gamma),
    }
}

/// Settings of a stratified bootstrap.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StratifiedConfig {
    pub resamples: usize,
    pub confidence: f64,
    /// Percentile or basic (BCa needs a jackknife over a stratified sample,
    /// which rliable does not define either).
    pub method: CiMethod,
    pub seed: u64,
    pub gamma: f64,
}

/// Stratified bootstrap intervals of several aggregates, as
/// `rliable.library.get_interval_estimates` (`StratifiedBootstrap`): each
/// replicate resamples, with replacement, the runs of every task on its own
/// (n_t draws from the n_t runs of task t) and computes every aggregate of
/// `which` on that one resample. The interval is formed by
/// [`bootstrap::interval_from_replicates`] (percentile as rliable, or basic).
///
/// Chunk c of [`CHUNK_RESAMPLES`] replicates draws from `rng::stream(seed,
/// key, c)`, tasks in order, runs in order, so the replicates are the same on
/// any machine and for any thread count.
///
/// `None` (for every aggregate) when there is nothing to resample: no tasks, a
/// task without runs, every task with a single run, a non-finite score, or no
/// resamples. Tasks whose runs are all equal are resampled like the others
/// and contribute their constant value.
pub fn stratified_intervals(
    tasks: &[&[f64]],
    which: &[Aggregate],
    cfg: &StratifiedConfig,
    key: u64,
) -> Option<Vec<Interval>> {
    if tasks.is_empty()
        || cfg.resamples == 0
        || tasks
            .iter()
            .any(|t| t.is_empty() || u32::try_from(t.len()).is_err())
        || tasks.iter().all(|t| t.len() < 2)
        || !tasks.iter().flat_map(|t| t.iter()).all(|v| v.is_finite())
    {
        return None;
    }
    let points: Vec<f64> = which
        .iter()
        .map(|&w| estimate(w, tasks, cfg.gamma))
        .collect::<Option<_>>()?;
    let m = which.len();
    let layout = Layout::new(tasks);
    let mut replicates = vec![0.0; cfg.resamples * m];
    rng::fill_in_chunks(
        &mut replicates,
        CHUNK_RESAMPLES * m,
        cfg.seed,
        key,
        |rng, slots| {
            let mut scratch = Scratch::new(&layout, tasks.len());
            for row in slots.chunks_mut(m) {
                scratch.resample(tasks, &layout, cfg.gamma, rng);
                for (slot, &w) in row.iter_mut().zip(which) {
                    *slot = scratch.statistic(w, &layout);
                }
            }
        },
    );
    let intervals = (0..m)
        .map(|j| {
            let mut column: Vec<f64> = replicates.iter().skip(j).step_by(m).copied().collect();
            bootstrap::interval_from_replicates(
                points[j],
                &mut column,
                cfg.confidence,
                cfg.method,
                0.0,
            )
        })
        .collect();
    Some(intervals)
}

/// The performance profile (score distribution) of Agarwal et al. 2021: for
/// each τ of `taus`, the fraction of all run × task scores above τ
/// (`rliable.library.create_performance_profile` with the run-score
/// distribution). `None` when there are no scores.
pub fn profile(tasks: &[&[f64]], taus: &[f64]) -> Option<Vec<f64>> {
    let flat = flatten(tasks);
    if flat.is_empty() {
        return None;
    }
    let n = flat.len() as f64;
    Some(
        taus.iter()
            .map(|&tau| flat.iter().filter(|&&x| x > tau).count() as f64 / n)
            .collect(),
    )
}

/// Stratified bootstrap bands of [`profile`]: one interval per τ, from the
/// same resamples, streams and chunks as [`stratified_intervals`]. `None`
/// under the same conditions.
pub fn profile_intervals(
    tasks: &[&[f64]],
    taus: &[f64],
    cfg: &StratifiedConfig,
    key: u64,
) -> Option<Vec<Interval>> {
    if tasks.is_empty()
        || taus.is_empty()
        || cfg.resamples == 0
        || tasks.iter().any(|t| t.is_empty())
        || u32::try_from(tasks.iter().map(|t| t.len()).sum::<usize>()).is_err()
        || tasks.iter().all(|t| t.len() < 2)
        || !tasks.iter().flat_map(|t| t.iter()).all(|v| v.is_finite())
    {
        return None;
    }
    let points = profile(tasks, taus)?;
    let m = taus.len();
    let layout = Layout::new(tasks);
    let total = layout.sorted.len() as f64;
    let mut descending: Vec<usize> = (0..m).collect();
    descending.sort_by(|&a, &b| taus[b].total_cmp(&taus[a]));
    let mut replicates = vec![0.0; cfg.resamples * m];
    rng::fill_in_chunks(
        &mut replicates,
        CHUNK_RESAMPLES * m,
        cfg.seed,
        key,
        |rng, slots| {
            let mut scratch = Scratch::new(&layout, tasks.len());
            for row in slots.chunks_mut(m) {
                scratch.resample(tasks, &layout, cfg.gamma, rng);
                // Draws at sorted positions ≥ p, walked from the top.
                let mut above = 0u64;
                let mut p = layout.sorted.len();
                for &j in &descending {
                    while p > 0 && layout.sorted[p - 1] > taus[j] {
                        p -= 1;
                        above += u64::from(scratch.counts[p]);
                    }
                    row[j] = above as f64 / total;
                }
            }
        },
    );
    Some(
        (0..m)
            .map(|j| {
                let mut column: Vec<f64> = replicates.iter().skip(j).step_by(m).copied().collect();
                bootstrap::interval_from_replicates(
                    points[j],
                    &mut column,
                    cfg.confidence,
                    cfg.method,
                    0.0,
                )
            })
            .collect(),
    )
}

/// Where each run's score sits in the sorted scores of all runs, so that a
/// resample can be kept as counts per sorted position: the IQM of a resample
/// is then one pass over the counts instead of two selections over a copy of
/// it. (Measured on 26 tasks × 100 runs × 10,000 resamples: the selections
/// took 60 % of the bootstrap.)
struct Layout {
    sorted: Vec<f64>,
    /// Per task, per run: the run's position in `sorted`.
    rank: Vec<Vec<u32>>,
}

impl Layout {
    fn new(tasks: &[&[f64]]) -> Layout {
        let mut order: Vec<(f64, usize, usize)> = tasks
            .iter()
            .enumerate()
            .flat_map(|(t, runs)| runs.iter().enumerate().map(move |(i, &v)| (v, t, i)))
            .collect();
        order.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut rank: Vec<Vec<u32>> = tasks.iter().map(|t| vec![0; t.len()]).collect();
        for (position, &(_, t, i)) in order.iter().enumerate() {
            // Total runs fit in u32: every task's count does and the caller
            // checks the total.
            rank[t][i] = position as u32;
        }
        Layout {
            sorted: order.iter().map(|o| o.0).collect(),
            rank,
        }
    }
}

/// One stratified resample, reused across the replicates of a chunk: how
/// often each sorted score was drawn, the per-task means, and the running
/// sums of the scores and of their shortfall below γ.
struct Scratch {
    counts: Vec<u32>,
    means: Vec<f64>,
    work: Vec<f64>,
    sum: f64,
    gap: f64,
}

impl Scratch {
    fn new(layout: &Layout, tasks: usize) -> Scratch {
        Scratch {
            counts: vec![0; layout.sorted.len()],
            means: Vec::with_capacity(tasks),
            work: Vec::with_capacity(tasks),
            sum: 0.0,
            gap: 0.0,
        }
    }

    /// Draw n_t runs with replacement from every task t, in task order; a
    /// task with one run is held fixed and draws nothing.
    fn resample(&mut self, tasks: &[&[f64]], layout: &Layout, gamma: f64, rng: &mut rng::Stream) {
        self.counts.fill(0);
        self.means.clear();
        self.sum = 0.0;
        self.gap = 0.0;
        for (task, ranks) in tasks.iter().zip(&layout.rank) {
            let n = task.len();
            let mut task_sum = 0.0;
            for _ in 0..n {
                let i = if n == 1 {
                    0
                } else {
                    // n fits in u32: checked by the caller.
                    rng.index(n as u32) as usize
                };
                let x = task[i];
                self.counts[ranks[i] as usize] += 1;
                task_sum += x;
                self.gap += (gamma - x).max(0.0);
            }
            self.sum += task_sum;
            self.means.push(task_sum / n as f64);
        }
    }

    fn statistic(&mut self, which: Aggregate, layout: &Layout) -> f64 {
        let total = layout.sorted.len() as f64;
        match which {
            Aggregate::Mean => self.sum / total,
            Aggregate::OptimalityGap => self.gap / total,
            Aggregate::Median => {
                self.work.clear();
                self.work.extend_from_slice(&self.means);
                // The resample has at least one task (checked by the caller).
                median_in_place(&mut self.work).unwrap_or(f64::NAN)
            }
            Aggregate::Iqm => self.iqm(layout),
        }
    }

    /// [`iqm`] of the resample from its counts: skip the k lowest draws, sum
    /// the next n − 2k.
    fn iqm(&self, layout: &Layout) -> f64 {
        let n = layout.sorted.len();
        let k = n / 4;
        let kept = n - 2 * k;
        let (mut skip, mut left, mut sum) = (k, kept, 0.0);
        for (&count, &value) in self.counts.iter().zip(&layout.sorted) {
            let mut c = count as usize;
            if skip > 0 {
                let cut = skip.min(c);
                skip -= cut;
                c -= cut;
            }
            let take = c.min(left);
            if take > 0 {
                sum += take as f64 * value;
                left -= take;
                if left == 0 {
                    break;
                }
            }
        }
        sum / kept as f64
    }
}

/// Draw n_t runs with replacement from every task t, in task order, into
/// `out` (a task with one run is held fixed and draws nothing).
fn resample_into(tasks: &[&[f64]], rng: &mut rng::Stream, out: &mut Vec<f64>) {
    out.clear();
    for task in tasks {
        let n = task.len();
        if n == 1 {
            out.push(task[0]);
            continue;
        }
        for _ in 0..n {
            // n fits in u32: checked by the caller.
            out.push(task[rng.index(n as u32) as usize]);
        }
    }
}

/// The median (mean of the two middle values for even n) by selection; the
/// slice is non-empty and is reordered.
fn median_in_place(x: &mut [f64]) -> Option<f64> {
    let n = x.len();
    if n == 0 {
        return None;
    }
    let (below, &mut mid, _) = x.select_nth_unstable_by(n / 2, f64::total_cmp);
    if n % 2 == 1 {
        return Some(mid);
    }
    let lower = below.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    Some(lower + (mid - lower) * 0.5)
}

/// Probability of improvement of X over Y across tasks (Agarwal et al. 2021,
/// `rliable.metrics.probability_of_improvement`): the mean over tasks of
/// P(X_t > Y_t) + ½·P(X_t = Y_t), the Mann–Whitney U statistic of task t's
/// runs divided by n_x·n_y. Both methods must have the same tasks, in the same
/// order. `None` when there are no tasks, the counts differ, or a task of
/// either method has no runs.
pub fn probability_of_improvement(x: &[&[f64]], y: &[&[f64]]) -> Option<f64> {
    if x.is_empty() || x.len() != y.len() {
        return None;
    }
    let per_task: Vec<f64> = x
        .iter()
        .zip(y)
        .map(|(xt, yt)| crate::stats::effect::prob_improvement(yt, xt, true))
        .collect::<Option<_>>()?;
    describe::mean(&per_task)
}

/// Stratified bootstrap interval of [`probability_of_improvement`]: each
/// replicate resamples the runs of every task of X and of Y on their own (X's
/// tasks first, then Y's), as rliable's `StratifiedIndependentBootstrap`.
/// Stream and chunking as [`stratified_intervals`]. `None` when the estimate
/// is undefined or neither method has a task with two runs.
pub fn probability_of_improvement_interval(
    x: &[&[f64]],
    y: &[&[f64]],
    cfg: &StratifiedConfig,
    key: u64,
) -> Option<Interval> {
    let point = probability_of_improvement(x, y)?;
    if cfg.resamples == 0
        || x.iter().chain(y).all(|t| t.len() < 2)
        || x.iter().chain(y).any(|t| u32::try_from(t.len()).is_err())
    {
        return None;
    }
    let mut replicates = vec![0.0; cfg.resamples];
    rng::fill_in_chunks(
        &mut replicates,
        CHUNK_RESAMPLES,
        cfg.seed,
        key,
        |rng, slots| {
            let (mut fx, mut fy) = (Vec::new(), Vec::new());
            for slot in slots {
                resample_into(x, rng, &mut fx);
                resample_into(y, rng, &mut fy);
                let xs = split(&fx, x);
                let ys = split(&fy, y);
                *slot = probability_of_improvement(&xs, &ys).unwrap_or(f64::NAN);
            }
        },
    );
    Some(bootstrap::interval_from_replicates(
        point,
        &mut replicates,
        cfg.confidence,
        cfg.method,
        0.0,
    ))
}

/// `flat` cut into slices of the task lengths of `shape`.
fn split<'a>(flat: &'a [f64], shape: &[&[f64]]) -> Vec<&'a [f64]> {
    let mut out = Vec::with_capacity(shape.len());
    let mut start = 0;
    for t in shape {
        out.push(&flat[start..start + t.len()]);
        start += t.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iqm_cuts_whole_values_as_scipy_trim_mean() {
        // n = 8: cut 2 each side, mean of the middle 4.
        let mut x = [8.0, 1.0, 7.0, 2.0, 6.0, 3.0, 5.0, 4.0];
        assert_eq!(iqm(&mut x), Some(4.5));
        // n = 5: k = 1, mean of 2, 3, 4.
        let mut x = [5.0, 100.0, -100.0, 3.0, 4.0];
        assert_eq!(iqm(&mut x), Some(4.0));
        // n < 4 cuts nothing.
        let mut x = [1.0, 2.0, 6.0];
        assert_eq!(iqm(&mut x), Some(3.0));
        assert_eq!(iqm(&mut []), None);
    }

    #[test]
    fn optimality_gap_counts_only_the_shortfall_below_gamma() {
        assert_eq!(optimality_gap(&[0.5, 1.5, 1.0, 0.0], 1.0), Some(0.375));
    }

    #[test]
    fn median_is_over_task_means() {
        let a = [1.0, 3.0];
        let b = [10.0];
        let c = [0.0, 0.0, 3.0];
        assert_eq!(estimate(Aggregate::Median, &[&a, &b, &c], 1.0), Some(2.0));
        let mut even = [4.0, 1.0, 3.0, 2.0];
        assert_eq!(median_in_place(&mut even), Some(2.5));
    }

    #[test]
    fn single_run_tasks_have_no_interval() {
        let cfg = StratifiedConfig {
            resamples: 100,
            confidence: 0.95,
            method: CiMethod::Percentile,
            seed: 0,
            gamma: 1.0,
        };
        let (a, b) = ([1.0], [2.0]);
        assert!(stratified_intervals(&[&a, &b], &[Aggregate::Mean], &cfg, 1).is_none());
    }

    #[test]
    fn intervals_do_not_depend_on_the_thread_count() {
        let cfg = StratifiedConfig {
            resamples: 1000,
            confidence: 0.95,
            method: CiMethod::Percentile,
            seed: 7,
            gamma: 1.0,
        };
        let a: Vec<f64> = (0..10).map(|i| f64::from(i) * 0.1).collect();
        let b: Vec<f64> = (0..7).map(|i| f64::from(i * i) * 0.05).collect();
        let tasks = [a.as_slice(), b.as_slice()];
        let which = [Aggregate::Iqm, Aggregate::Median];
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap()
            .install(|| stratified_intervals(&tasks, &which, &cfg, 3));
        let many = rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build()
            .unwrap()
            .install(|| stratified_intervals(&tasks, &which, &cfg, 3));
        assert_eq!(one, many);
    }

    #[test]
    fn a_resample_kept_as_counts_gives_the_statistics_of_the_drawn_values() {
        let a: Vec<f64> = (0..9).map(|i| f64::from(i * 7 % 5) * 0.3).collect();
        let b = [2.0];
        let c: Vec<f64> = (0..6).map(|i| 1.5 - f64::from(i) * 0.4).collect();
        let tasks = [a.as_slice(), &b, c.as_slice()];
        let layout = Layout::new(&tasks);
        let mut scratch = Scratch::new(&layout, tasks.len());
        let mut flat = Vec::new();
        for r in 0..20 {
            scratch.resample(&tasks, &layout, 1.0, &mut rng::stream(1, 2, r));
            resample_into(&tasks, &mut rng::stream(1, 2, r), &mut flat);
            let drawn = split(&flat, &tasks);
            for which in [
                Aggregate::Mean,
                Aggregate::Median,
                Aggregate::Iqm,
                Aggregate::OptimalityGap,
            ] {
                let direct = estimate(which, &drawn, 1.0).unwrap();
                let counted = scratch.statistic(which, &layout);
                assert!(
                    (direct - counted).abs() < 1e-12,
                    "{which:?}: {direct} vs {counted}"
                );
            }
        }
    }

    #[test]
    fn profile_counts_scores_strictly_above_tau() {
        let (a, b) = ([0.0, 0.5, 1.0], [2.0]);
        assert_eq!(
            profile(&[&a, &b], &[-1.0, 0.5, 1.0, 3.0]),
            Some(vec![1.0, 0.5, 0.25, 0.0])
        );
    }

    #[test]
    fn probability_of_improvement_averages_mann_whitney_over_tasks() {
        let (x1, y1) = ([2.0, 3.0], [1.0, 2.0]); // 3.5 of 4 pairs
        let (x2, y2) = ([0.0], [1.0]); // 0 of 1
        let p = probability_of_improvement(&[&x1, &x2], &[&y1, &y2]);
        assert_eq!(p, Some((3.5 / 4.0 + 0.0) / 2.0));
    }
}

//! What the user typed: clap definitions only. `settings` resolves these
//! with the study file and defaults; nothing else in the crate sees clap.

use std::path::PathBuf;

use clap::builder::RangedU64ValueParser;
use clap::{Args, Parser, Subcommand, ValueEnum};

/// Ranges of the numeric flags whose value sizes work or memory, declared
/// once: clap holds the flags to them, and `settings` holds the study file's
/// values to the same bounds.
pub mod bounds {
    use std::ops::RangeInclusive;

    /// `--digits`: decimals printed; an f64 holds about 17 significant digits.
    pub const DIGITS: RangeInclusive<u64> = 0..=20;
    /// `--resamples`: each costs a pass over the data; a million resamples
    /// resolve a 95% interval's ends far below any printed digit.
    pub const RESAMPLES: RangeInclusive<u64> = 100..=1_000_000;
    /// `--max-seeds`: the search for seeds needed stops here.
    pub const MAX_SEEDS: RangeInclusive<u64> = 2..=100_000;
    /// `pca --point-size`: marker diameter in points.
    pub const POINT_SIZE: RangeInclusive<f64> = 0.1..=100.0;
}

/// A `usize` flag within `range`.
fn ranged(range: std::ops::RangeInclusive<u64>) -> RangedU64ValueParser<usize> {
    RangedU64ValueParser::<usize>::new().range(range)
}

/// `pca --point-size`: a finite size within [`bounds::POINT_SIZE`].
fn point_size(text: &str) -> Result<f64, String> {
    let size: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number"))?;
    if bounds::POINT_SIZE.contains(&size) {
        Ok(size)
    } else {
        Err(format!(
            "{text} is not in {}..={} (points)",
            bounds::POINT_SIZE.start(),
            bounds::POINT_SIZE.end()
        ))
    }
}

/// LaTeX's special characters; the braces written as escapes so that the
/// source's own braces stay balanced for tests/it/architecture.rs.
const LATEX_SPECIAL: &str = "%#\\~^&$\u{7b}\u{7d}";

/// Characters that end or break a LaTeX `\label{}` (a comment, a group, a
/// macro, an active character) or that TeX cannot match in `\ref{}`.
pub fn latex_label(text: &str) -> Result<String, String> {
    match text
        .chars()
        .find(|c| LATEX_SPECIAL.contains(*c) || c.is_whitespace() || c.is_control())
    {
        Some(c) => Err(format!(
            "{c:?} cannot appear in a LaTeX label: only letters, digits and :-_./ belong in one (e.g. tab:main)"
        )),
        None if text.is_empty() => Err("a LaTeX label cannot be empty".into()),
        None => Ok(text.to_string()),
    }
}

#[derive(Debug, Parser)]
#[command(
    name = "xreport",
    version,
    about = "Statistics, paper tables and a pre-submission checklist for multi-seed ML experiments",
    long_about = None
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Per condition and metric: n, mean ± std, sem, median, min/max, t-interval and bootstrap CI
    Summary(SummaryArgs),
    /// Each treatment against the baseline: difference, CI, test, corrected p, effect size, power, verdict
    Compare(CompareArgs),
    /// A-priori power: seeds needed per group, from pilot runs or from numbers
    Power(PowerArgs),
    /// Learning curves: mean over seeds per condition against steps, with a bootstrap CI band (-o FILE.png or .svg draws them)
    Curves(CurvesArgs),
    /// The ablation table: full model, one row per removed component, Δ and significance
    Ablation(AblationArgs),
    /// PCA scatter plots of latent spaces, coloured by label, with collapse diagnostics
    Pca(PcaArgs),
    /// The pre-submission checklist: each rule passes, warns or fails with evidence; exit 1 on a failure
    Check(CheckArgs),
    /// How the inputs were understood: conditions and where each came from, seeds, runs, metrics, what was set aside or skipped
    Runs(RunsArgs),
    /// Multi-task aggregates: normalised scores, mean / median / IQM / optimality gap with stratified bootstrap CIs
    Aggregate(AggregateArgs),
    /// The paper's main table: one row per method, a column group per task, a column per metric; best bold, second underlined, † against the baseline
    Table(TableArgs),
    /// Many methods over many tasks: mean ranks, Friedman / Iman–Davenport, post-hoc tests, letters, critical-difference diagram (-o FILE.png or .svg)
    Rank(RankArgs),
    /// The whole study on one self-contained HTML page: overview, main table, comparisons, ablation, curves, PCA, ranks, checklist, provenance (-o report.html)
    Report(ReportArgs),
}

/// The runs a command reads, and how to read them.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Run folders, run trees or result tables (CSV, TSV, JSON lines, Parquet)
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub read: ReadArgs,
}

/// How inputs are read: the study file, runs without seeds or with bad
/// files, how conditions are formed, and the names of table columns.
#[derive(Debug, Args)]
#[command(next_help_heading = "Reading")]
pub struct ReadArgs {
    /// The study file (default: ./xreport.toml, else beside the runs)
    #[arg(long, value_name = "FILE")]
    pub study: Option<PathBuf>,
    /// Count runs without a known seed, using the folder name as seed id
    #[arg(long)]
    pub allow_unseeded: bool,
    /// Skip runs whose results or config file is malformed (listed under the table) instead of stopping
    #[arg(long)]
    pub skip_bad: bool,
    /// Conditions from these config keys (comma-separated globs; `path` = the folder rule), e.g. model,optim.lr
    #[arg(long, value_name = "KEYS")]
    pub group_by: Option<String>,
    #[command(flatten)]
    pub columns: ColumnArgs,
}

/// The columns of result tables.
#[derive(Debug, Args)]
#[command(next_help_heading = "Table columns")]
pub struct ColumnArgs {
    /// Table column holding the condition
    #[arg(long, value_name = "NAME")]
    pub condition_col: Option<String>,
    /// Table column holding the seed
    #[arg(long, value_name = "NAME")]
    pub seed_col: Option<String>,
    /// Long-table column holding the metric name
    #[arg(long, value_name = "NAME")]
    pub metric_col: Option<String>,
    /// Long-table column holding the value
    #[arg(long, value_name = "NAME")]
    pub value_col: Option<String>,
    /// Table column holding the task
    #[arg(long, value_name = "NAME")]
    pub task_col: Option<String>,
    /// Table column holding the example id
    #[arg(long, value_name = "NAME")]
    pub example_col: Option<String>,
    /// Table column holding the training step
    #[arg(long, value_name = "NAME")]
    pub step_col: Option<String>,
    /// Table column naming each example's cluster (passage, video): cluster-robust CR1 errors, t with G−1 df, cluster bootstrap
    #[arg(long, value_name = "NAME")]
    pub cluster_col: Option<String>,
}

/// Per-example scores: the example score over seeds, the interval of a 0/1
/// accuracy, and what a missing example score means.
#[derive(Debug, Args)]
#[command(next_help_heading = "Per-example scores")]
pub struct ExampleArgs {
    /// A system's score on an example over its seeds: mean (default) or majority (1 when more than half the seeds score 1; for McNemar)
    #[arg(long, value_enum, value_name = "RULE")]
    pub example_reduce: Option<ExampleReduceArg>,
    /// Interval of an accuracy whose per-example scores are all 0/1 (default wilson)
    #[arg(long, value_enum, value_name = "METHOD")]
    pub proportion_ci: Option<ProportionCiArg>,
    /// An example a system did not score: fail (default; names the example and file), drop (keep the examples every system scored) or zero (count it as 0)
    #[arg(long, value_enum, value_name = "MODE")]
    pub missing: Option<MissingScoresArg>,
}

/// Per-example comparisons: what the interval resamples, and McNemar's mid-p.
#[derive(Debug, Args)]
#[command(next_help_heading = "Per-example scores")]
pub struct PairedExampleArgs {
    /// What the CI of Δ resamples: seeds, examples (paired), or both (two-way: examples shared, seeds per system, Satterthwaite t; default when every condition has ≥ 2 seeds and shared examples)
    #[arg(long, value_enum)]
    pub unit: Option<UnitArg>,
    /// With --test mcnemar: the mid-p version of the exact test
    #[arg(long)]
    pub mid_p: bool,
}

/// Which metrics to report, and which way is better.
#[derive(Debug, Args)]
#[command(next_help_heading = "Metrics")]
pub struct MetricArgs {
    /// Only metrics matching these globs (repeatable), e.g. 'test.*'; metadata keys they match are read as metrics
    #[arg(long = "metric", value_name = "GLOB")]
    pub metrics: Vec<String>,
    /// Metrics (globs) where lower is better, overriding the name rule
    #[arg(long, value_name = "GLOB")]
    pub lower_is_better: Vec<String>,
    /// Metrics (globs) where higher is better, overriding the name rule
    #[arg(long, value_name = "GLOB")]
    pub higher_is_better: Vec<String>,
}

/// How to print the result.
#[derive(Debug, Args)]
#[command(next_help_heading = "Output")]
pub struct OutputArgs {
    /// Output format (default: from the -o extension, else text)
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// Write to this file (atomically) instead of standard output
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Fixed number of decimals (default: std to 2 significant digits, mean to the same place)
    #[arg(long, value_name = "N", value_parser = ranged(bounds::DIGITS))]
    pub digits: Option<usize>,
    /// Your own tera template for md/latex output, fed the same context
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
    /// LaTeX: table caption
    #[arg(long)]
    pub caption: Option<String>,
    /// LaTeX: table label
    #[arg(long, value_parser = latex_label)]
    pub label: Option<String>,
    /// LaTeX: the bare tabular, without the table environment
    #[arg(long)]
    pub fragment: bool,
}

/// The bootstrap: interval level, resamples, method and seed.
#[derive(Debug, Args)]
#[command(next_help_heading = "Bootstrap")]
pub struct BootstrapArgs {
    /// Confidence level of intervals
    #[arg(long, value_name = "LEVEL")]
    pub confidence: Option<f64>,
    /// Bootstrap resamples (default 10000; 1000 for the ε_min of --test aso)
    #[arg(long, value_name = "N", value_parser = ranged(bounds::RESAMPLES))]
    pub resamples: Option<usize>,
    /// Bootstrap interval method
    #[arg(long, value_enum)]
    pub ci_method: Option<CiMethodArg>,
    /// Seed of the bootstrap random streams
    #[arg(long)]
    pub seed: Option<u64>,
}

/// Descriptive statistics: the std, and the bootstrap.
#[derive(Debug, Args)]
#[command(next_help_heading = "Statistics")]
pub struct DescribeArgs {
    /// Standard deviation: 1 = sample (default), 0 = population
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=1))]
    pub ddof: Option<u8>,
    #[command(flatten)]
    pub bootstrap: BootstrapArgs,
}

/// How a training history becomes one value per seed.
#[derive(Debug, Args)]
#[command(next_help_heading = "Training histories")]
pub struct ReduceArgs {
    /// One value per seed from a training history: last, best-mean (best step of the mean curve), per-seed-best (optimistic) or step=N (last step ≤ N)
    #[arg(long, value_name = "RULE")]
    pub reduce: Option<String>,
    #[command(flatten)]
    pub steps: StepArgs,
}

/// Where training histories are cut.
#[derive(Debug, Args)]
#[command(next_help_heading = "Training histories")]
pub struct StepArgs {
    /// Cut training histories at this step (rows with a larger step are dropped) before anything else
    #[arg(long, value_name = "N")]
    pub max_step: Option<i64>,
}

/// The hypothesis test and its multiple-comparison correction.
#[derive(Debug, Args)]
#[command(next_help_heading = "Tests")]
pub struct TestArgs {
    /// Hypothesis test
    #[arg(long, value_enum)]
    pub test: Option<TestArg>,
    /// The seeds of the two groups are matched by id: shorthand for --test paired (or with wilcoxon, corrected-t)
    #[arg(long)]
    pub paired: bool,
    /// With --test corrected-t: n_test/n_train of each fold or split (0.25 for 80/20 splits, 1/(k−1) for k-fold)
    #[arg(long, value_name = "R", allow_hyphen_values = true)]
    pub test_train_ratio: Option<f64>,
    /// With --test mannwhitney: how p is computed (scipy's method; auto: exact for ≤ 8 seeds without ties)
    #[arg(long, value_enum, value_name = "METHOD")]
    pub mwu_method: Option<MwuMethodArg>,
    /// With --test mannwhitney: no continuity correction in the normal approximation
    #[arg(long)]
    pub no_continuity: bool,
    /// With --test aso: ε_min below which one system almost stochastically dominates the other, in (0, 0.5] (default 0.2)
    #[arg(long, value_name = "TAU", allow_hyphen_values = true)]
    pub aso_threshold: Option<f64>,
    /// Alternative hypothesis about treatment − baseline
    #[arg(long, value_enum)]
    pub alternative: Option<AlternativeArg>,
    /// Multiple-comparison correction
    #[arg(long, value_enum)]
    pub correction: Option<CorrectionArg>,
    /// The family corrected together: the treatments of one metric, or every comparison
    #[arg(long, value_enum)]
    pub family: Option<FamilyArg>,
}

/// The significance level, and the power that "seeds needed" aims for.
#[derive(Debug, Args)]
#[command(next_help_heading = "Significance and power")]
pub struct PowerTargetArgs {
    /// Significance level
    #[arg(long)]
    pub alpha: Option<f64>,
    /// Power that "seeds needed" aims for
    #[arg(long, value_name = "POWER")]
    pub target_power: Option<f64>,
    /// Largest number of seeds per group considered
    #[arg(long, value_name = "N", value_parser = ranged(bounds::MAX_SEEDS))]
    pub max_seeds: Option<usize>,
}

#[derive(Debug, Args)]
pub struct RunsArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub metric: MetricArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct SummaryArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub metric: MetricArgs,
    #[command(flatten)]
    pub describe: DescribeArgs,
    #[command(flatten)]
    pub examples: ExampleArgs,
    #[command(flatten)]
    pub reduce: ReduceArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The baseline condition (default: the study file's, else the first folder's)
    #[arg(long)]
    pub baseline: Option<String>,
    /// Treatment conditions (repeatable; default: every other condition)
    #[arg(long = "treatment", value_name = "CONDITION")]
    pub treatments: Vec<String>,
    /// Also draw every seed's value per condition with the mean and CI, one panel per metric (.png or .svg)
    #[arg(long, value_name = "FILE")]
    pub plot: Option<PathBuf>,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub metric: MetricArgs,
    #[command(flatten)]
    pub test: TestArgs,
    /// Equivalence test (TOST): is Δ within ±MARGIN? A number in the metric's unit, or P% of the baseline mean
    #[arg(long, value_name = "MARGIN", allow_hyphen_values = true)]
    pub equivalence: Option<String>,
    /// Bayesian correlated t-test on paired seeds: P(Δ < −MARGIN), P(inside ±MARGIN), P(Δ > MARGIN); a number or P% of the baseline mean
    #[arg(long, value_name = "MARGIN", allow_hyphen_values = true)]
    pub rope: Option<String>,
    /// With --rope: correlation of the paired differences (0 for seeds; default from --test-train-ratio R: R/(1+R))
    #[arg(long, value_name = "RHO", allow_hyphen_values = true)]
    pub rho: Option<f64>,
    #[command(flatten)]
    pub target: PowerTargetArgs,
    #[command(flatten)]
    pub describe: DescribeArgs,
    #[command(flatten)]
    pub examples: ExampleArgs,
    #[command(flatten)]
    pub paired: PairedExampleArgs,
    #[command(flatten)]
    pub reduce: ReduceArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct AblationArgs {
    /// The full model's condition (default: the study file's, else the one treatment)
    #[arg(long)]
    pub full: Option<String>,
    /// An ablation row, `LABEL=CONDITION` or `CONDITION` (repeatable; default: everything under ablations/)
    #[arg(long = "row", value_name = "LABEL=CONDITION")]
    pub rows: Vec<String>,
    /// Row order: as given, or by the harm of removing the component on the first metric
    #[arg(long, value_enum, default_value = "given")]
    pub sort: SortArg,
    /// Shorthand for --format latex
    #[arg(long, conflicts_with = "format")]
    pub latex: bool,
    /// LaTeX: siunitx `S` columns aligned on the decimal point
    #[arg(long)]
    pub siunitx: bool,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub metric: MetricArgs,
    #[command(flatten)]
    pub test: TestArgs,
    /// Equivalence test (TOST) of each removal: within ±MARGIN of the full model on every metric = does not earn its place. A number in the metric's unit, or P% of the full model's mean
    #[arg(long, value_name = "MARGIN", allow_hyphen_values = true)]
    pub equivalence: Option<String>,
    #[command(flatten)]
    pub target: PowerTargetArgs,
    #[command(flatten)]
    pub describe: DescribeArgs,
    #[command(flatten)]
    pub reduce: ReduceArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct PcaArgs {
    /// Embeddings: .npy, .npz, or CSV/TSV/Parquet numeric columns (one panel each)
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Write the plot here (.png or .svg)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Diagnostics on standard output: text (default) or json
    #[arg(long, value_enum)]
    pub format: Option<PcaFormatArg>,
    /// Labels, one per line, for every input's rows
    #[arg(long, value_name = "FILE")]
    pub labels: Option<PathBuf>,
    /// Table column holding the labels
    #[arg(long, value_name = "NAME")]
    pub label_column: Option<String>,
    /// The .npz member to read (default: its only array)
    #[arg(long)]
    pub key: Option<String>,
    /// Table columns to use (globs, repeatable; default: every numeric column)
    #[arg(long = "columns", value_name = "GLOB")]
    pub columns: Vec<String>,
    /// Components fitted and reported
    #[arg(long, default_value_t = 2)]
    pub components: usize,
    /// One panel per pair of components (PC1-PC2, PC1-PC3, ...)
    #[arg(long)]
    pub pairs: bool,
    /// Scale each component to unit variance in the plot
    #[arg(long)]
    pub whiten: bool,
    /// Fit one PCA on all inputs stacked, so the panels share axes
    #[arg(long)]
    pub shared_basis: bool,
    /// Labels beyond this many classes fold into "other"
    #[arg(long, default_value_t = 10)]
    pub max_classes: usize,
    /// Points drawn per input (a deterministic, label-stratified subsample; statistics use every row)
    #[arg(long, default_value_t = 50_000)]
    pub max_points: usize,
    /// A dimension is dead when its std is below this fraction of the largest
    #[arg(long, default_value_t = 1e-6)]
    pub dead_std: f64,
    /// Dimensional collapse when the effective rank is below this fraction of dims
    #[arg(long, default_value_t = 0.1)]
    pub min_rank_fraction: f64,
    /// Seed of the plotted subsample
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Figure title
    #[arg(long)]
    pub title: Option<String>,
    /// Figure width in inches (default 3.4 per panel column, plus the legend)
    #[arg(long)]
    pub width: Option<f64>,
    /// Figure height in inches (default 3.0 per panel row)
    #[arg(long)]
    pub height: Option<f64>,
    /// Resolution of the PNG
    #[arg(long, default_value_t = 300)]
    pub dpi: u32,
    /// Marker diameter in points
    #[arg(long, default_value_t = 2.5, value_parser = point_size)]
    pub point_size: f64,
    /// Marker opacity, 0 to 1
    #[arg(long, default_value_t = 0.6)]
    pub alpha: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PcaFormatArg {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortArg {
    Given,
    Impact,
}

#[derive(Debug, Args)]
#[command(
    after_help = "With --pilot, the --metric globs must leave exactly one metric of the pilot runs."
)]
pub struct PowerArgs {
    /// Pilot runs: baseline then treatment (run folders, a run tree or a table)
    #[arg(long, num_args = 1.., value_name = "RUNS")]
    pub pilot: Vec<PathBuf>,
    /// Expected difference of means (treatment − baseline)
    #[arg(long, allow_hyphen_values = true)]
    pub diff: Option<f64>,
    /// Expected std across seeds (both groups, or the baseline's with --std-treatment; with --paired the std of the per-seed differences)
    #[arg(long)]
    pub std: Option<f64>,
    /// Expected std of the treatment, when it differs from the baseline's
    #[arg(long)]
    pub std_treatment: Option<f64>,
    /// Standardised effect size (Cohen's d), instead of --diff and --std (with --paired: the mean over the std of the differences, d_z)
    #[arg(long, allow_hyphen_values = true)]
    pub effect_size: Option<f64>,
    /// The planned test: two-sided (default), or one-sided at level α, greater = the treatment larger, less = smaller
    #[arg(long, value_enum)]
    pub alternative: Option<AlternativeArg>,
    /// Treatment seeds per baseline seed (n_treatment / n_baseline, statsmodels' ratio): n counts the baseline's seeds, the treatment gets R·n rounded up
    #[arg(long, value_name = "R", allow_hyphen_values = true)]
    pub ratio: Option<f64>,
    /// Power of the paired t-test on the same seed ids in both conditions: --std is the std of the per-seed differences (treatment − baseline), a pilot is paired by seed id
    #[arg(long)]
    pub paired: bool,
    /// Baseline condition among the pilot runs
    #[arg(long)]
    pub baseline: Option<String>,
    /// Treatment condition among the pilot runs
    #[arg(long)]
    pub treatment: Option<String>,
    // Pilot runs are read like any runs; `--metric` must leave one metric.
    #[command(flatten)]
    pub read: ReadArgs,
    #[command(flatten)]
    pub metric: MetricArgs,
    #[command(flatten)]
    pub target: PowerTargetArgs,
    #[command(flatten)]
    pub reduce: ReduceArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The baseline condition (default: the study file's, else inferred when unambiguous)
    #[arg(long)]
    pub baseline: Option<String>,
    /// Treatment conditions (repeatable; default: the study file's, else every other condition outside ablations/)
    #[arg(long = "treatment", value_name = "CONDITION")]
    pub treatments: Vec<String>,
    /// Fewest distinct seeds per condition (default 3)
    #[arg(long, value_name = "N")]
    pub min_seeds: Option<usize>,
    /// Largest std/|mean| across seeds before the spread counts as unstable (default 0.05)
    #[arg(long, value_name = "RATIO")]
    pub max_cv: Option<f64>,
    /// Config keys (globs) ignored when comparing configs (repeatable; adds to the study file's)
    #[arg(long = "ignore-key", value_name = "GLOB")]
    pub ignore_keys: Vec<String>,
    /// Components of the method, each needing an ablation row (repeatable; default: the changed config keys)
    #[arg(long = "component", value_name = "NAME")]
    pub components: Vec<String>,
    /// Warnings fail the checklist too (exit 1), for CI
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub metric: MetricArgs,
    #[command(flatten)]
    pub test: TestArgs,
    /// Equivalence margin (TOST) for compare.noise and ablation.earns-place: a number in the metric's unit, or P% of the baseline's mean
    #[arg(long, value_name = "MARGIN", allow_hyphen_values = true)]
    pub equivalence: Option<String>,
    #[command(flatten)]
    pub target: PowerTargetArgs,
    #[command(flatten)]
    pub describe: DescribeArgs,
    #[command(flatten)]
    pub reduce: ReduceArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TestArg {
    Welch,
    Student,
    Paired,
    Mannwhitney,
    Permutation,
    /// Exact McNemar on per-example 0/1 scores (discordant pairs)
    Mcnemar,
    /// Wilcoxon signed-rank test of the paired per-seed differences
    Wilcoxon,
    /// Nadeau–Bengio corrected t-test of paired fold scores (needs --test-train-ratio)
    CorrectedT,
    /// Almost Stochastic Order: deepsig's ε_min, Bonferroni-corrected; dominance when ε_min < --aso-threshold
    Aso,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MwuMethodArg {
    Auto,
    Exact,
    Asymptotic,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExampleReduceArg {
    Mean,
    Majority,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProportionCiArg {
    Wilson,
    ClopperPearson,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MissingScoresArg {
    Fail,
    Drop,
    Zero,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum UnitArg {
    Seeds,
    Examples,
    Both,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AlternativeArg {
    TwoSided,
    Greater,
    Less,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CorrectionArg {
    Holm,
    Bonferroni,
    Sidak,
    HolmSidak,
    Hochberg,
    Hommel,
    Bh,
    By,
    /// Two-stage Benjamini–Hochberg (statsmodels fdr_tsbh); adjusted p-values depend on --alpha
    FdrTsbh,
    /// Two-stage Benjamini–Krieger–Yekutieli (statsmodels fdr_tsbky); adjusted p-values depend on --alpha
    FdrTsbky,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FamilyArg {
    Metric,
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Text,
    Md,
    Latex,
    Json,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CiMethodArg {
    Percentile,
    Basic,
    Bca,
}

#[derive(Debug, Args)]
#[command(
    after_help = "In per-method JSON files and records the column flags name record keys. \
By default the task is a record's task, game, env or environment key; the method its method, agent, \
algorithm or condition key, else the file stem; the score its value, score, return or HNS key."
)]
pub struct AggregateArgs {
    /// Scores: per-method JSON files {task: [score per run]} (the method is the file stem),
    /// JSON arrays of records {task|game, seed, value|score|HNS}, or tables / run trees with a task column
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Reference scores for (x − random)/(human − random): two files RANDOM HUMAN
    /// ({task: [score]}, {task: score} or a task,score table), or one file with both per task
    #[arg(long, num_args = 1..=2, value_name = "FILE")]
    pub normalize: Vec<PathBuf>,
    /// Aggregates to report, comma-separated
    #[arg(long, value_enum, value_delimiter = ',', value_name = "LIST")]
    pub metrics: Vec<AggregateMetricArg>,
    /// γ of the optimality gap: mean of max(γ − x, 0)
    #[arg(long, allow_hyphen_values = true)]
    pub gamma: Option<f64>,
    /// Count the tasks whose mean score is at least this ("superhuman" at 1 with human-normalised scores)
    #[arg(long, allow_hyphen_values = true)]
    pub threshold: Option<f64>,
    /// P(METHOD > other) across tasks, with a stratified bootstrap CI, for every other method
    #[arg(long, value_name = "METHOD")]
    pub prob_improvement: Option<String>,
    /// Draw performance profiles (fraction of runs with score > τ, with stratified bootstrap bands) to FILE.png or FILE.svg
    #[arg(long, value_name = "FILE")]
    pub profile: Option<PathBuf>,
    /// Tables and run trees: the metric holding the score (needed when there are several)
    #[arg(long = "metric", value_name = "NAME")]
    pub metric: Option<String>,
    #[command(flatten)]
    pub read: ReadArgs,
    #[command(flatten)]
    pub describe: DescribeArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AggregateMetricArg {
    Mean,
    Median,
    Iqm,
    OptimalityGap,
}

#[derive(Debug, Args)]
pub struct CurvesArgs {
    /// Smooth each seed's curve by an exponential moving average with this weight of the previous point (0 ≤ W < 1)
    #[arg(long, value_name = "W")]
    pub smooth: Option<f64>,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub metric: MetricArgs,
    #[command(flatten)]
    pub steps: StepArgs,
    #[command(flatten)]
    pub bootstrap: BootstrapArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Rows come from [table] rows and groups in xreport.toml, else every condition in natural order. \
Tasks come from a task column of result tables (--task-col), or --task-key: a config or results key of run folders \
(data.name), or path:N, the Nth part (from 0) of the condition's folder path (Hopper-v3/sac with path:0 is task Hopper-v3, method sac)."
)]
pub struct TableArgs {
    /// Where the task of a run comes from: a config or results key, or path:N
    #[arg(long, value_name = "KEY")]
    pub task_key: Option<String>,
    /// What a cell shows
    #[arg(long, value_enum)]
    pub cell: Option<CellArg>,
    /// Marks: † on cells significantly better than the baseline (default when a baseline is known), bold on cells not significantly worse than the best, or none (comma-separated)
    #[arg(long, value_enum, value_delimiter = ',', value_name = "MARKS")]
    pub mark: Vec<MarkArg>,
    /// The second-best value of each column: underlined, or not marked
    #[arg(long, value_enum)]
    pub second: Option<SecondArg>,
    /// Add per metric the Δ% to the baseline with its bootstrap CI
    #[arg(long)]
    pub relative: bool,
    /// The baseline of † and Δ% (default: the study file's, else a condition named baseline)
    #[arg(long)]
    pub baseline: Option<String>,
    /// Shorthand for --format latex
    #[arg(long, conflicts_with = "format")]
    pub latex: bool,
    /// LaTeX: a table* spanning both columns of a two-column paper
    #[arg(long)]
    pub wide: bool,
    /// LaTeX: scale the tabular to the line width (\resizebox)
    #[arg(long)]
    pub fit: bool,
    /// LaTeX: siunitx `S` columns aligned on the decimal point (needs siunitx and etoolbox)
    #[arg(long)]
    pub siunitx: bool,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub metric: MetricArgs,
    #[command(flatten)]
    pub test: TestArgs,
    #[command(flatten)]
    pub target: PowerTargetArgs,
    #[command(flatten)]
    pub describe: DescribeArgs,
    #[command(flatten)]
    pub examples: ExampleArgs,
    #[command(flatten)]
    pub paired: PairedExampleArgs,
    #[command(flatten)]
    pub reduce: ReduceArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CellArg {
    #[value(name = "mean±std", alias = "mean-std")]
    MeanStd,
    #[value(name = "mean±sem", alias = "mean-sem")]
    MeanSem,
    #[value(name = "mean±ci", alias = "mean-ci")]
    MeanCi,
    #[value(name = "mean[ci]", alias = "mean-bracket-ci")]
    MeanBracketCi,
    Mean,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MarkArg {
    Baseline,
    Best,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SecondArg {
    Underline,
    None,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Scores are read as by `xreport aggregate`: per-method JSON files, JSON records, or tables \
and run trees with a task column (--task-col) or a --task-key. A method's score on a task is its mean over seeds. \
-o FILE.png or FILE.svg draws the critical-difference diagram and prints the table; any other -o writes the table."
)]
pub struct RankArgs {
    /// Scores: per-method JSON files {task: [score per run]} (the method is the file stem),
    /// JSON arrays of records {task, method, seed, value}, or tables / run trees with a task column
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Tables and run trees: the metric to rank by (needed when there are several)
    #[arg(long = "metric", value_name = "NAME")]
    pub metric: Option<String>,
    /// Run trees and tables: the task of a run from a config or results key (data.name), or path:N, the Nth part of its condition's path
    #[arg(long, value_name = "KEY")]
    pub task_key: Option<String>,
    /// Lower scores are better (default: from the metric's name, e.g. error, loss, wer)
    #[arg(long, conflicts_with = "higher_is_better")]
    pub lower_is_better: bool,
    /// Higher scores are better
    #[arg(long)]
    pub higher_is_better: bool,
    /// Post-hoc test after the Friedman test
    #[arg(long, value_enum)]
    pub posthoc: Option<PosthocArg>,
    /// The method the others are compared with by --posthoc bonferroni-dunn
    #[arg(long, value_name = "METHOD")]
    pub control: Option<String>,
    /// A task lacking a method: drop the task (listed), or rank the missing method last on it
    #[arg(long, value_enum)]
    pub missing: Option<MissingArg>,
    /// Significance level
    #[arg(long)]
    pub alpha: Option<f64>,
    /// Correction of the wilcoxon-holm and bonferroni-dunn p-values (default holm)
    #[arg(long, value_enum)]
    pub correction: Option<CorrectionArg>,
    /// Also show each task's mean score
    #[arg(long)]
    pub per_task: bool,
    #[command(flatten)]
    pub read: ReadArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PosthocArg {
    Nemenyi,
    WilcoxonHolm,
    BonferroniDunn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MissingArg {
    Drop,
    Worst,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Each section is there when the study has what it needs: comparisons a baseline and treatments, \
the ablation rows under ablations/ or named in xreport.toml and a full model, learning curves training histories, \
PCA --latents, ranks two tasks or more (a task column, --task-key or [table] task_key); the overview lists \
what was left out and why. The page loads nothing from the network and is the same bytes for the same inputs \
and --seed (no date unless --stamp)."
)]
pub struct ReportArgs {
    /// Write the page here (atomically)
    #[arg(short = 'o', long = "output", value_name = "FILE", required = true)]
    pub output: PathBuf,
    /// The page's title (default: the study's folder name)
    #[arg(long)]
    pub title: Option<String>,
    /// Add today's date (UTC) to the page; without it the page has no date, so the same inputs give the same bytes
    #[arg(long)]
    pub stamp: bool,
    /// Your own tera template for the page, fed `page` and `report` (see templates/report.html.tera)
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
    /// Fixed number of decimals (default: std to 2 significant digits, mean to the same place)
    #[arg(long, value_name = "N")]
    pub digits: Option<usize>,
    /// The baseline condition (default: the study file's, else inferred as by compare)
    #[arg(long)]
    pub baseline: Option<String>,
    /// Treatment conditions (repeatable; default: the study file's, else every other main condition)
    #[arg(long = "treatment", value_name = "CONDITION")]
    pub treatments: Vec<String>,
    /// The full model of the ablation (default: the study file's, else the one treatment)
    #[arg(long)]
    pub full: Option<String>,
    /// An ablation row, `LABEL=CONDITION` or `CONDITION` (repeatable; default: the study file's, else everything under ablations/)
    #[arg(long = "row", value_name = "LABEL=CONDITION")]
    pub rows: Vec<String>,
    /// Where the task of a run comes from: a config or results key, or path:N (as xreport table)
    #[arg(long, value_name = "KEY")]
    pub task_key: Option<String>,
    /// Embeddings for the PCA section: files or quoted globs ('runs/*/seed_42/latents.npy'), repeatable
    #[arg(long, value_name = "FILES")]
    pub latents: Vec<String>,
    /// Labels of the embeddings' rows, one per line
    #[arg(long, value_name = "FILE", requires = "latents")]
    pub labels: Option<PathBuf>,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub metric: MetricArgs,
    #[command(flatten)]
    pub test: TestArgs,
    #[command(flatten)]
    pub target: PowerTargetArgs,
    #[command(flatten)]
    pub describe: DescribeArgs,
    #[command(flatten)]
    pub examples: ExampleArgs,
    #[command(flatten)]
    pub paired: PairedExampleArgs,
    #[command(flatten)]
    pub reduce: ReduceArgs,
}

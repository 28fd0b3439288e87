//! What the user typed: clap definitions only. `settings` resolves these
//! with the study file and defaults; nothing else in the crate sees clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
}

/// Where the runs come from and how to read them.
#[derive(Debug, Args, Clone)]
pub struct InputArgs {
    /// Run folders, run trees or result tables (CSV, TSV, JSON lines, Parquet)
    pub inputs: Vec<PathBuf>,
    /// Only metrics matching these globs (repeatable), e.g. 'test.*'
    #[arg(long = "metric", value_name = "GLOB")]
    pub metrics: Vec<String>,
    /// Metrics (globs) where lower is better, overriding the name rule
    #[arg(long, value_name = "GLOB")]
    pub lower_is_better: Vec<String>,
    /// Metrics (globs) where higher is better, overriding the name rule
    #[arg(long, value_name = "GLOB")]
    pub higher_is_better: Vec<String>,
    /// Count runs without a known seed, using the folder name as seed id
    #[arg(long)]
    pub allow_unseeded: bool,
    /// Skip runs whose results or config file is malformed (listed under the table) instead of stopping
    #[arg(long)]
    pub skip_bad: bool,
    /// The study file (default: ./xreport.toml, else beside the runs)
    #[arg(long, value_name = "FILE")]
    pub study: Option<PathBuf>,
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
}

/// How to print the result.
#[derive(Debug, Args, Clone)]
pub struct OutputArgs {
    /// Output format (default: from the -o extension, else text)
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// Write to this file (atomically) instead of standard output
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Fixed number of decimals (default: std to 2 significant digits, mean to the same place)
    #[arg(long, value_name = "N")]
    pub digits: Option<usize>,
    /// Your own tera template for md/latex output, fed the same context
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
    /// LaTeX: table caption
    #[arg(long)]
    pub caption: Option<String>,
    /// LaTeX: table label
    #[arg(long)]
    pub label: Option<String>,
    /// LaTeX: the bare tabular, without the table environment
    #[arg(long)]
    pub fragment: bool,
}

/// Bootstrap and descriptive settings.
#[derive(Debug, Args, Clone)]
pub struct DescribeArgs {
    /// Confidence level of intervals
    #[arg(long, value_name = "LEVEL")]
    pub confidence: Option<f64>,
    /// Bootstrap resamples
    #[arg(long, value_name = "N")]
    pub resamples: Option<usize>,
    /// Bootstrap interval method
    #[arg(long, value_enum)]
    pub ci_method: Option<CiMethodArg>,
    /// Seed of the bootstrap random streams
    #[arg(long)]
    pub seed: Option<u64>,
    /// Standard deviation: 1 = sample (default), 0 = population
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=1))]
    pub ddof: Option<u8>,
}

#[derive(Debug, Args)]
pub struct SummaryArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub describe: DescribeArgs,
    #[command(flatten)]
    pub output: OutputArgs,
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

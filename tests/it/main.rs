//! One integration-test binary (linked once): CLI end to end, golden
//! outputs, and statistics against committed scipy/statsmodels references.

mod ablation_equivalence;
mod aggregate;
mod architecture;
mod check;
mod cli_ablation;
mod cli_compare;
mod cli_errors;
mod cli_pca;
mod cli_power;
mod cli_summary;
mod common;
mod compare_plot;
mod equivalence;
mod examples;
mod fuzz_readers;
mod histories;
mod hostile;
mod inspect_ai;
mod latex;
mod loaders;
mod main_table;
mod pca;
mod per_example;
mod rank;
mod real_runs;
mod report;
mod roles;
mod stats_aso;
mod stats_bootstrap;
mod stats_describe;
mod stats_inference;
mod stats_power;
mod stats_rank;
mod stats_tost;

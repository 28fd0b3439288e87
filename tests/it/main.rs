//! One integration-test binary (linked once): CLI end to end, golden
//! outputs, and statistics against committed scipy/statsmodels references.

mod cli_errors;
mod cli_summary;
mod common;
mod histories;
mod loaders;
mod stats_inference;
mod stats_power;

//! One file per command, each the same four steps: resolve the flags
//! (`settings`), load the inputs, analyse, emit. The steps commands share
//! live here.

pub mod ablation;
pub mod aggregate;
pub mod check;
pub mod compare;
pub mod curves;
pub mod pca;
pub mod power;
pub mod rank;
pub mod report;
pub mod runs;
pub mod summary;
pub mod table;

use std::path::PathBuf;

use crate::analysis::options::Metrics;
use crate::error::Result;
use crate::load::{self, LoadOptions, Study};

/// Load the inputs of a command that reports metrics, and take the
/// directions the results files state (lm-eval's `higher_is_better`).
fn load_measured(paths: &[PathBuf], options: &LoadOptions, metrics: &mut Metrics) -> Result<Study> {
    let study = load_study(paths, options)?;
    metrics.learn_directions(&study);
    Ok(study)
}

/// Load the inputs and tell the user, on standard error, what they should
/// know about how runs were read (a log cut short); `xreport runs` lists
/// the same notes in its report.
fn load_study(paths: &[PathBuf], options: &LoadOptions) -> Result<Study> {
    let study = load::load(paths, options)?;
    for run in study.runs.iter().chain(&study.repeats) {
        for note in &run.notes {
            eprintln!("note: {}: {note}", load::display_path(&run.path));
        }
    }
    Ok(study)
}

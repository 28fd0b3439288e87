//! `xreport aggregate RESULTS...`: multi-task aggregates (mean, median,
//! IQM, optimality gap) of optionally normalised scores, with stratified
//! bootstrap CIs; `--profile` draws performance profiles.

use std::process::ExitCode;

use crate::analysis;
use crate::cli::AggregateArgs;
use crate::error::Result;
use crate::load::multitask;
use crate::plot;
use crate::render;
use crate::settings;

pub fn run(args: AggregateArgs) -> Result<ExitCode> {
    let settings = settings::aggregate(&args)?;
    let output = settings::output(&args.output)?;
    let inputs = &settings.inputs;
    let scores = multitask::read_inputs(
        &inputs.paths,
        &inputs.load,
        settings.metric.as_deref(),
        &settings.explicit,
    )?;
    let reference = if settings.normalize.is_empty() {
        None
    } else {
        Some(multitask::read_reference(
            &settings.normalize,
            &inputs.load.columns.task,
        )?)
    };
    let report = analysis::aggregate::run(
        scores.methods,
        scores.skipped,
        reference.as_ref(),
        &settings.options,
    )?;
    if let Some(path) = &settings.profile {
        plot::write(&plot::profile::from(&report), path)?;
    }
    render::emit(&report, &output)?;
    Ok(ExitCode::SUCCESS)
}

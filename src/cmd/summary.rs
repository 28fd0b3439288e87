//! `xreport summary RUNS...`: per condition × metric, n, mean ± std, sem,
//! median, min/max, t-interval and bootstrap CI.

use std::process::ExitCode;

use crate::analysis;
use crate::cli::SummaryArgs;
use crate::error::Result;
use crate::render;
use crate::settings;

pub fn run(args: SummaryArgs) -> Result<ExitCode> {
    let (inputs, mut metrics) = settings::inputs(&args.input, &args.metric)?;
    let describe = settings::describe(&args.describe, &args.reduce, inputs.study.as_ref())?;
    let output = settings::output(&args.output)?;
    let examples = settings::examples(&args.examples, None, &inputs);
    let mut study = super::load_measured(&inputs.paths, &inputs.load, &mut metrics)?;
    let sources = analysis::examples::sources(&study, &inputs.paths);
    let coverage = analysis::examples::prepare(&mut study, &examples, false, &sources)?;
    let report = analysis::summary::run_with(&study, &metrics, &describe, &examples, &coverage);
    render::emit(&report, &output)?;
    Ok(ExitCode::SUCCESS)
}

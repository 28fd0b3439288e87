//! `xreport table [RUNS] --latex`: the paper's main results table, methods
//! × tasks × metrics, with the marks of DESIGN section 14.

use std::process::ExitCode;

use crate::analysis;
use crate::cli::TableArgs;
use crate::error::Result;
use crate::render;
use crate::settings;
use crate::stats::inference::TestKind;

pub fn run(args: TableArgs) -> Result<ExitCode> {
    let (inputs, mut metrics) = settings::inputs(&args.input, &args.metric)?;
    let study_file = inputs.study.as_ref();
    let describe = settings::describe(&args.describe, &args.reduce, study_file)?;
    let inference = settings::inference(Some(&args.test), &args.target, study_file)?;
    let mut output = settings::output(&args.output)?;
    let options = settings::table(&args, &mut output, study_file)?;
    let examples = settings::examples(&args.examples, Some(&args.paired), &inputs);
    let mut study = super::load_measured(&inputs.paths, &inputs.load, &mut metrics)?;
    let sources = analysis::examples::sources(&study, &inputs.paths);
    let mcnemar = inference.test == TestKind::Mcnemar;
    let coverage = analysis::examples::prepare(&mut study, &examples, mcnemar, &sources)?;
    let named = settings::named(options.baseline.as_deref(), &[], None, &[], study_file);
    let context = (&examples, &coverage);
    let report = analysis::main_table::run_with(
        &study, &options, &named, &metrics, &describe, &inference, context,
    )?;
    render::emit(&report, &output)?;
    Ok(ExitCode::SUCCESS)
}

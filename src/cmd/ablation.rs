//! `xreport ablation [RUNS] --latex`: the full model's row, one row per
//! removed component, Δ to the full model and its significance.

use std::process::ExitCode;

use crate::analysis;
use crate::analysis::ablation::AblationOptions;
use crate::cli::{AblationArgs, SortArg};
use crate::error::Result;
use crate::render::{self, Format};
use crate::settings;

pub fn run(args: AblationArgs) -> Result<ExitCode> {
    let (inputs, mut metrics) = settings::inputs(&args.input, &args.metric)?;
    let study_file = inputs.study.as_ref();
    let describe = settings::describe(&args.describe, &args.reduce, study_file)?;
    let mut inference = settings::inference(Some(&args.test), &args.target, study_file)?;
    settings::equivalence_test(&mut inference, args.equivalence.as_deref(), study_file)?;
    settings::no_mcnemar(&inference, "ablation")?;
    let mut output = settings::output(&args.output)?;
    if args.latex {
        output.format = Format::Latex;
    }
    output.siunitx = args.siunitx;
    settings::ablation_output(&mut output, study_file);
    let study = super::load_measured(&inputs.paths, &inputs.load, &mut metrics)?;
    let named = settings::named(None, &[], args.full.as_deref(), &args.rows, study_file);
    let roles = analysis::roles::resolve(&study, &named)?;
    let options = AblationOptions {
        sort_impact: args.sort == SortArg::Impact,
    };
    let report =
        analysis::ablation::run(&study, &roles, &options, &metrics, &describe, &inference)?;
    render::emit(&report, &output)?;
    Ok(ExitCode::SUCCESS)
}

//! `xreport check [RUNS]`: the pre-submission checklist. Each rule passes,
//! warns or fails with evidence; a failure (or, with `--strict`, a warning)
//! exits 1.

use std::process::ExitCode;

use crate::check;
use crate::cli::CheckArgs;
use crate::error::{Error, Result};
use crate::render::{self, Format};
use crate::settings;

pub fn run(args: CheckArgs) -> Result<ExitCode> {
    let (inputs, mut metrics) = settings::inputs(&args.input, &args.metric)?;
    let study_file = inputs.study.as_ref();
    let describe = settings::describe(&args.describe, &args.reduce, study_file)?;
    let mut inference = settings::inference(Some(&args.test), &args.target, study_file)?;
    settings::equivalence_test(&mut inference, args.equivalence.as_deref(), study_file)?;
    settings::no_mcnemar(&inference, "check")?;
    let check = settings::check(&args, study_file)?;
    let output = settings::output(&args.output)?;
    if output.format == Format::Latex {
        return Err(Error::usage(
            "the checklist prints as text, md, json or csv, not latex",
        ));
    }
    let study = super::load_measured(&inputs.paths, &inputs.load, &mut metrics)?;
    let named = settings::named(
        args.baseline.as_deref(),
        &args.treatments,
        None,
        &[],
        study_file,
    );
    let report = check::run(&study, &named, &metrics, &describe, &inference, &check)?;
    render::emit(&report, &output)?;
    Ok(if report.failed() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

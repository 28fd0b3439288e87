//! `xreport compare BASELINE TREATMENT...`: each treatment against the
//! baseline, per metric; `--plot` also draws every seed's value.

use std::process::ExitCode;

use crate::analysis;
use crate::cli::CompareArgs;
use crate::error::Result;
use crate::plot;
use crate::render;
use crate::settings;
use crate::stats::inference::TestKind;

pub fn run(args: CompareArgs) -> Result<ExitCode> {
    let (inputs, mut metrics) = settings::inputs(&args.input, &args.metric)?;
    let study_file = inputs.study.as_ref();
    let describe = settings::describe(&args.describe, &args.reduce, study_file)?;
    let mut inference = settings::inference(Some(&args.test), &args.target, study_file)?;
    settings::equivalence_test(&mut inference, args.equivalence.as_deref(), study_file)?;
    settings::rope_test(&mut inference, args.rope.as_deref(), args.rho)?;
    let output = settings::output(&args.output)?;
    if let Some(path) = &args.plot {
        plot::ImageFormat::of(path)?;
    }
    let examples = settings::examples(&args.examples, Some(&args.paired), &inputs);
    let mut study = super::load_measured(&inputs.paths, &inputs.load, &mut metrics)?;
    let sources = analysis::examples::sources(&study, &inputs.paths);
    let mcnemar = inference.test == TestKind::Mcnemar;
    let coverage = analysis::examples::prepare(&mut study, &examples, mcnemar, &sources)?;
    let named = settings::named(
        args.baseline.as_deref(),
        &args.treatments,
        None,
        &[],
        study_file,
    );
    let roles = analysis::roles::resolve(&study, &named)?.comparison()?;
    let report = analysis::compare::run_with(
        &study, &roles, &metrics, &describe, &inference, &examples, &coverage,
    );
    if let Some(path) = &args.plot {
        plot::write(&plot::seeds::from(&report), path)?;
    }
    render::emit(&report, &output)?;
    Ok(ExitCode::SUCCESS)
}

//! `xreport curves RUNS...`: the mean over seeds per condition against
//! steps with a bootstrap band; `-o FILE.png|svg` draws it, any other
//! output prints the numbers.

use std::process::ExitCode;

use crate::analysis;
use crate::cli::CurvesArgs;
use crate::error::Result;
use crate::plot;
use crate::render;
use crate::settings;

pub fn run(args: CurvesArgs) -> Result<ExitCode> {
    let (inputs, mut metrics) = settings::inputs(&args.input, &args.metric)?;
    let describe = settings::curves(&args.bootstrap, &args.steps, inputs.study.as_ref())?;
    let smooth = analysis::curves::check_smooth(args.smooth)?;
    // An image extension without --format draws; anything else prints.
    let image = match (&args.output.output, args.output.format) {
        (Some(path), None) if plot::ImageFormat::of(path).is_ok() => Some(path),
        _ => None,
    };
    let output = match image {
        Some(_) => None,
        None => Some(settings::output(&args.output)?),
    };
    let study = super::load_measured(&inputs.paths, &inputs.load, &mut metrics)?;
    let report = analysis::curves::run(&study, &metrics, &describe, smooth)?;
    if let Some(path) = image {
        plot::write(&plot::curves::from(&report), path)?;
    } else if let Some(output) = &output {
        render::emit(&report, output)?;
    }
    Ok(ExitCode::SUCCESS)
}

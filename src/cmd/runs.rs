//! `xreport runs RUNS...`: how the inputs were understood, before any
//! statistic (DESIGN section 10). Notes on how runs were read are part of
//! the report, not printed on standard error.

use std::process::ExitCode;

use crate::analysis;
use crate::cli::RunsArgs;
use crate::error::{Error, Result};
use crate::load;
use crate::render::{self, Format};
use crate::settings;

pub fn run(args: RunsArgs) -> Result<ExitCode> {
    let (inputs, _) = settings::inputs(&args.input, &args.metric)?;
    let output = settings::output(&args.output)?;
    if output.format == Format::Latex {
        return Err(Error::usage(
            "the runs overview prints as text, md, json or csv, not latex",
        ));
    }
    let study = load::load(&inputs.paths, &inputs.load)?;
    render::emit(&analysis::runs::run(&study), &output)?;
    Ok(ExitCode::SUCCESS)
}

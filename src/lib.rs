//! xreport: statistics, paper tables and a pre-submission checklist for
//! machine-learning experiments run over several seeds.
//!
//! Flow (DESIGN section 3): `load` → tidy table + run metadata; `stats` →
//! pure numbers; `analysis` → report structs; `render` → every format.

pub mod analysis;
pub mod cli;
pub mod error;
pub mod load;
pub mod render;
pub mod settings;
pub mod stats;
pub mod study_file;

use std::process::ExitCode;

use cli::{Cli, Command};
use error::Result;

/// Run a parsed command line; the exit code is 0, or 1 when a check fails.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Summary(args) => {
            let inputs = settings::inputs(&args.input)?;
            let describe = settings::describe(&args.describe, inputs.study.as_ref())?;
            let metrics = settings::metrics(&args.input, inputs.study.as_ref())?;
            let output = settings::output(&args.output)?;
            let study = load::load(&inputs.paths, &inputs.load)?;
            let report = analysis::summary::run(&study, &metrics, &describe);
            render::emit(&report, &output)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

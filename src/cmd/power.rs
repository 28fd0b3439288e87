//! `xreport power`: a-priori power of Welch's test against seeds per group,
//! and the seeds needed for the target power, from pilot runs (`--pilot`)
//! or from numbers (`--diff` and `--std`, or `--effect-size`).

use std::process::ExitCode;

use crate::analysis::power::{self, Source};
use crate::cli::PowerArgs;
use crate::error::{Error, Result};
use crate::render;
use crate::settings;

pub fn run(args: PowerArgs) -> Result<ExitCode> {
    let study_file = settings::study(&args.read, &args.pilot)?;
    let inference = settings::inference(None, &args.target, study_file.as_ref())?;
    let output = settings::output(&args.output)?;
    let report = match (&args.pilot[..], args.effect_size, args.diff, args.std) {
        ([], Some(d), None, None) => power::run(
            Source::Numbers {
                diff: d,
                std_baseline: 1.0,
                std_treatment: 1.0,
            },
            &inference,
        )?,
        ([], None, Some(diff), Some(std)) => power::run(
            Source::Numbers {
                diff,
                std_baseline: std,
                std_treatment: args.std_treatment.unwrap_or(std),
            },
            &inference,
        )?,
        ([_, ..], None, None, None) => {
            let (load, mut metrics) =
                settings::reading(&args.read, &args.metric, study_file.as_ref())?;
            let study = super::load_measured(&args.pilot, &load, &mut metrics)?;
            power::run(
                Source::Pilot {
                    study: &study,
                    metrics: &metrics,
                    named: &settings::named(
                        args.baseline.as_deref(),
                        &args.treatment.iter().cloned().collect::<Vec<_>>(),
                        None,
                        &[],
                        study_file.as_ref(),
                    ),
                    reduce: settings::reduce(&args.reduce)?,
                },
                &inference,
            )?
        }
        _ => {
            return Err(Error::usage(
                "give either --pilot RUNS..., or --diff and --std, or --effect-size",
            ));
        }
    };
    render::emit(&report, &output)?;
    Ok(ExitCode::SUCCESS)
}

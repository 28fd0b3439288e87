//! `xreport power`: a-priori power of Welch's test (or the paired t-test)
//! against seeds per group, and the seeds needed for the target power, from
//! pilot runs (`--pilot`) or from numbers (`--diff` and `--std`, or
//! `--effect-size`), for the test `--alternative`, `--ratio` and `--paired`
//! plan.

use std::process::ExitCode;

use crate::analysis::power::{self, Plan, Source};
use crate::cli::{AlternativeArg, PowerArgs};
use crate::error::{Error, Result};
use crate::render;
use crate::settings;
use crate::stats::inference::Alternative;

pub fn run(args: PowerArgs) -> Result<ExitCode> {
    let study_file = settings::study(&args.read, &args.pilot)?;
    let inference = settings::inference(None, &args.target, study_file.as_ref())?;
    let output = settings::output(&args.output)?;
    let plan = Plan {
        alternative: match args.alternative {
            None | Some(AlternativeArg::TwoSided) => Alternative::TwoSided,
            Some(AlternativeArg::Greater) => Alternative::Greater,
            Some(AlternativeArg::Less) => Alternative::Less,
        },
        ratio: args.ratio,
        paired: args.paired,
    };
    let numbers =
        |diff: f64, std: f64, std_treatment: Option<f64>| match (args.paired, std_treatment) {
            (true, None) => Source::PairedNumbers {
                diff,
                std_diff: std,
            },
            // --paired with --std-treatment: refused by power::run
            (_, std_treatment) => Source::Numbers {
                diff,
                std_baseline: std,
                std_treatment: std_treatment.unwrap_or(std),
            },
        };
    let report = match (&args.pilot[..], args.effect_size, args.diff, args.std) {
        ([], Some(d), None, None) => power::run(numbers(d, 1.0, None), &inference, plan)?,
        ([], None, Some(diff), Some(std)) => {
            power::run(numbers(diff, std, args.std_treatment), &inference, plan)?
        }
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
                plan,
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

//! xreport: statistics, paper tables and a pre-submission checklist for
//! machine-learning experiments run over several seeds.
//!
//! Flow (DESIGN section 3): `load` → tidy table + run metadata; `stats` →
//! pure numbers; `analysis` → report structs; `render` → every format.

pub mod analysis;
pub mod check;
pub mod cli;
pub mod error;
pub mod load;
pub mod plot;
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
            let mut metrics = settings::metrics(&args.input, inputs.study.as_ref())?;
            let output = settings::output(&args.output)?;
            let study = load_measured(&inputs, &mut metrics)?;
            let report = analysis::summary::run(&study, &metrics, &describe);
            render::emit(&report, &output)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Runs(args) => {
            let inputs = settings::inputs(&args.input)?;
            let output = settings::output(&args.output)?;
            if output.format == render::Format::Latex {
                return Err(error::Error::usage(
                    "the runs overview prints as text, md, json or csv, not latex",
                ));
            }
            let study = load::load(&inputs.paths, &inputs.load)?;
            render::emit(&analysis::runs::run(&study), &output)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Compare(args) => {
            let inputs = settings::inputs(&args.input)?;
            let study_file = inputs.study.as_ref();
            let describe = settings::describe(&args.describe, study_file)?;
            let inference = settings::inference(&args.inference, study_file)?;
            let mut metrics = settings::metrics(&args.input, study_file)?;
            let output = settings::output(&args.output)?;
            let study = load_measured(&inputs, &mut metrics)?;
            let named = settings::named(
                args.baseline.as_deref(),
                &args.treatments,
                None,
                &[],
                study_file,
            );
            let roles = analysis::roles::resolve(&study, &named)?.comparison()?;
            if let Some(path) = &args.plot {
                plot::ImageFormat::of(path)?;
            }
            let report = analysis::compare::run(&study, &roles, &metrics, &describe, &inference);
            if let Some(path) = &args.plot {
                plot::write(&plot::seeds::from_compare(&report), path)?;
            }
            render::emit(&report, &output)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Curves(args) => {
            let inputs = settings::inputs(&args.input)?;
            let describe = settings::curves(&args, inputs.study.as_ref())?;
            let smooth = analysis::curves::check_smooth(args.smooth)?;
            let mut metrics = settings::metrics(&args.input, inputs.study.as_ref())?;
            let image = match (&args.output.output, args.output.format) {
                (Some(path), None) => plot::ImageFormat::of(path).ok(),
                _ => None,
            };
            let output = match image {
                Some(_) => None,
                None => Some(settings::output(&args.output)?),
            };
            let study = load_measured(&inputs, &mut metrics)?;
            let report = analysis::curves::run(&study, &metrics, &describe, smooth)?;
            if let Some(image) = image {
                let bytes = plot::render(&plot::curves::CurvesFigure(&report), image)?;
                render::write_output(&bytes, args.output.output.as_deref())?;
            } else if let Some(output) = &output {
                render::emit(&report, output)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Ablation(args) => {
            let inputs = settings::inputs(&args.input)?;
            let study_file = inputs.study.as_ref();
            let describe = settings::describe(&args.describe, study_file)?;
            let inference = settings::inference(&args.inference, study_file)?;
            let mut metrics = settings::metrics(&args.input, study_file)?;
            let mut output = settings::output(&args.output)?;
            if args.latex {
                output.format = render::Format::Latex;
            }
            analysis::ablation::output_defaults(&mut output, study_file);
            let study = load_measured(&inputs, &mut metrics)?;
            let named = settings::named(None, &[], args.full.as_deref(), &args.rows, study_file);
            let roles = analysis::roles::resolve(&study, &named)?;
            let options = analysis::ablation::AblationOptions {
                sort_impact: args.sort == cli::SortArg::Impact,
                siunitx: args.siunitx,
            };
            let report =
                analysis::ablation::run(&study, &roles, &options, &metrics, &describe, &inference)?;
            render::emit(&report, &output)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Pca(args) => {
            let options = analysis::pca::PcaOptions {
                labels: args.labels.clone(),
                label_column: args.label_column.clone(),
                key: args.key.clone(),
                columns: args.columns.clone(),
                components: args.components,
                pairs: args.pairs,
                whiten: args.whiten,
                shared_basis: args.shared_basis,
                max_classes: args.max_classes,
                max_points: args.max_points,
                dead_std: args.dead_std,
                min_rank_fraction: args.min_rank_fraction,
                seed: args.seed,
                title: args.title.clone(),
                width: args.width,
                height: args.height,
                dpi: args.dpi,
                point_size: args.point_size,
                alpha: args.alpha,
            };
            if let Some(path) = &args.output {
                plot::ImageFormat::of(path)?;
            }
            let report = analysis::pca::run(&args.inputs, &options)?;
            if let Some(path) = &args.output {
                analysis::pca::write_plot(&report, path, &options)?;
            }
            let text = match args.format {
                Some(cli::PcaFormatArg::Json) => render::json(&report)?,
                _ => analysis::pca::render_text(&report),
            };
            render::write_output(text.as_bytes(), None)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Power(args) => {
            let study_file = study_file::locate(args.study.as_deref(), &args.pilot)?;
            let inference = settings::power(&args, study_file.as_ref())?;
            let output = settings::output(&args.output)?;
            let report = match (&args.pilot[..], args.effect_size, args.diff, args.std) {
                ([], Some(d), None, None) => analysis::power::run(
                    analysis::power::Source::Numbers {
                        diff: d,
                        std_baseline: 1.0,
                        std_treatment: 1.0,
                    },
                    &inference,
                )?,
                ([], None, Some(diff), Some(std)) => analysis::power::run(
                    analysis::power::Source::Numbers {
                        diff,
                        std_baseline: std,
                        std_treatment: args.std_treatment.unwrap_or(std),
                    },
                    &inference,
                )?,
                ([_, ..], None, None, None) => {
                    let options = load::LoadOptions {
                        allow_unseeded: args.allow_unseeded,
                        ..Default::default()
                    };
                    let study = load_study(&args.pilot, &options)?;
                    let treatments: Vec<String> = args.treatment.iter().cloned().collect();
                    let named = settings::named(
                        args.baseline.as_deref(),
                        &treatments,
                        None,
                        &[],
                        study_file.as_ref(),
                    );
                    analysis::power::run(
                        analysis::power::Source::Pilot {
                            study: &study,
                            named: &named,
                            metric: args.metric.as_deref(),
                            reduce: analysis::reduce::Reduce {
                                rule: settings::reduce_rule(args.reduce.as_deref())?,
                                max_step: args.max_step,
                            },
                        },
                        &inference,
                    )?
                }
                _ => {
                    return Err(error::Error::usage(
                        "give either --pilot RUNS..., or --diff and --std, or --effect-size",
                    ));
                }
            };
            render::emit(&report, &output)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Check(args) => {
            let inputs = settings::inputs(&args.input)?;
            let study_file = inputs.study.as_ref();
            let describe = settings::describe(&args.describe, study_file)?;
            let inference = settings::inference(&args.inference, study_file)?;
            let mut metrics = settings::metrics(&args.input, study_file)?;
            let check = settings::check(&args, study_file)?;
            let output = settings::output(&args.output)?;
            if output.format == render::Format::Latex {
                return Err(error::Error::usage(
                    "the checklist prints as text, md, json or csv, not latex",
                ));
            }
            let study = load_measured(&inputs, &mut metrics)?;
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
        Command::Aggregate(args) => {
            let settings = settings::aggregate(&args)?;
            let output = settings::output(&args.output)?;
            let (methods, skipped) = load::multitask::read_inputs(
                &settings.inputs.paths,
                &settings.inputs.load,
                settings.metric.as_deref(),
                &settings.explicit,
            )?;
            let reference = if settings.normalize.is_empty() {
                None
            } else {
                Some(load::multitask::read_reference(
                    &settings.normalize,
                    &settings.inputs.load.columns.task,
                )?)
            };
            let report =
                analysis::aggregate::run(methods, skipped, reference.as_ref(), &settings.options)?;
            if let Some(path) = &settings.profile {
                analysis::aggregate::write_profile(&report, path)?;
            }
            render::emit(&report, &output)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Load the inputs of a command that reports metrics, and take the
/// directions the results files state (lm-eval's `higher_is_better`).
fn load_measured(
    inputs: &settings::Inputs,
    metrics: &mut analysis::options::Metrics,
) -> Result<load::Study> {
    let study = load_study(&inputs.paths, &inputs.load)?;
    metrics.learn_directions(&study);
    Ok(study)
}

/// Load the inputs and tell the user, on standard error, what they should
/// know about how runs were read (a log cut short); `xreport runs` lists
/// the same notes in its report.
fn load_study(paths: &[std::path::PathBuf], options: &load::LoadOptions) -> Result<load::Study> {
    let study = load::load(paths, options)?;
    for run in study.runs.iter().chain(&study.repeats) {
        for note in &run.notes {
            eprintln!("note: {}: {note}", load::display_path(&run.path));
        }
    }
    Ok(study)
}

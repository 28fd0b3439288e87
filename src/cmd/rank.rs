//! `xreport rank RESULTS...`: many methods over many tasks (DESIGN section
//! 11): mean ranks, Friedman / Iman–Davenport, a post-hoc test, cliques and
//! letters; `-o FILE.png|svg` draws the critical-difference diagram.
//!
//! Tasks come from a task column or a multitask JSON, read as `xreport
//! aggregate` reads them, or with `--task-key` from a config or results key
//! or a path part of run trees, split as `xreport table` splits them.

use std::process::ExitCode;

use crate::analysis;
use crate::analysis::reduce::Reduce;
use crate::analysis::tasks::{self, TaskKey};
use crate::cli::RankArgs;
use crate::error::{Error, Result};
use crate::load::multitask::MethodScores;
use crate::load::{Skipped, multitask};
use crate::plot;
use crate::render;
use crate::settings;

pub fn run(args: RankArgs) -> Result<ExitCode> {
    let mut setup = settings::rank(&args)?;
    let (methods, skipped, found) = match setup.task_key.clone() {
        Some(key) => by_task_key(&mut setup, &key)?,
        None => {
            let inputs = &setup.inputs;
            let scores = multitask::read_inputs(
                &inputs.paths,
                &inputs.load,
                setup.metric.as_deref(),
                &setup.explicit,
            )?;
            setup.metrics.learn_stated(&scores.directions);
            (scores.methods, scores.skipped, scores.metrics)
        }
    };
    let metric = match (&setup.metric, found.as_slice()) {
        (Some(m), _) => m.clone(),
        (None, [one]) => one.clone(),
        // per-method JSON files and records name no metric
        _ => "score".to_string(),
    };
    let direction = setup.metrics.direction(&metric);
    let options = setup.options(metric, direction);
    let report = analysis::rank::run(methods, skipped, &options)?;
    if let Some(path) = &setup.diagram {
        plot::write(&plot::cd_diagram::from(&report), path)?;
    }
    render::emit(&report, &setup.output)?;
    Ok(ExitCode::SUCCESS)
}

/// Scores per method and task from run trees or tables split by
/// `--task-key`, the skipped runs, and the metrics found.
fn by_task_key(
    setup: &mut settings::RankSetup,
    key: &TaskKey,
) -> Result<(Vec<MethodScores>, Vec<Skipped>, Vec<String>)> {
    let study = super::load_measured(&setup.inputs.paths, &setup.inputs.load, &mut setup.metrics)?;
    let (split, _) = tasks::split(&study, Some(key))?;
    let found = tasks::metrics(&split);
    let metric = match (&setup.metric, found.as_slice()) {
        (Some(m), _) if found.contains(m) => m.clone(),
        (Some(m), _) => {
            return Err(Error::usage(format!(
                "--metric {m}: no such metric in these runs; they have: {}",
                found.join(", ")
            )));
        }
        (None, [one]) => one.clone(),
        (None, _) => {
            return Err(Error::usage(format!(
                "name the metric to rank by with --metric; these runs have: {}",
                found.join(", ")
            )));
        }
    };
    let direction = |m: &str| setup.metrics.direction(m);
    let methods = tasks::method_scores(&split, &metric, &Reduce::default(), &direction);
    setup.metric = Some(metric);
    Ok((methods, study.skipped.clone(), found))
}

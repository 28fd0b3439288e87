//! `xreport rank RESULTS...`: many methods over many tasks (DESIGN section
//! 11): mean ranks, Friedman / Iman–Davenport, a post-hoc test, cliques and
//! letters; `-o FILE.png|svg` draws the critical-difference diagram.
//!
//! Tasks come from a task column or a multitask JSON, read as `xreport
//! aggregate` reads them.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::analysis;
use crate::analysis::options::Metrics;
use crate::cli::RankArgs;
use crate::error::Result;
use crate::load::{self, LoadOptions, multitask, natural_cmp};
use crate::plot;
use crate::render;
use crate::settings;

pub fn run(args: RankArgs) -> Result<ExitCode> {
    let mut setup = settings::rank(&args)?;
    let inputs = &setup.inputs;
    let (methods, skipped) = multitask::read_inputs(
        &inputs.paths,
        &inputs.load,
        setup.metric.as_deref(),
        &setup.explicit,
    )?;
    let found = table_metrics(&inputs.paths, &inputs.load, &mut setup.metrics)?;
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

/// The metrics of the tables and run trees among `paths` (not the JSON
/// score files), and the directions their results files state (lm-eval's
/// `higher_is_better`): the metric's name decides which way is better.
fn table_metrics(
    paths: &[PathBuf],
    options: &LoadOptions,
    metrics: &mut Metrics,
) -> Result<Vec<String>> {
    let tables: Vec<PathBuf> = paths
        .iter()
        .filter(|p| {
            p.is_dir()
                || !p
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        })
        .cloned()
        .collect();
    if tables.is_empty() {
        return Ok(Vec::new());
    }
    let study = load::load(&tables, options)?;
    metrics.learn_directions(&study);
    let mut names: Vec<String> = load::tidy::rows(&study.results)
        .map(|r| r.metric.to_string())
        .collect();
    names.sort_by(|a, b| natural_cmp(a, b));
    names.dedup();
    Ok(names)
}

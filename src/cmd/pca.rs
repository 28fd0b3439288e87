//! `xreport pca EMB... [-o latent.png]`: PCA of latent spaces, with
//! collapse diagnostics on standard output and, with `-o`, scatter plots
//! coloured by label.

use std::process::ExitCode;

use crate::analysis;
use crate::analysis::pca::PcaOptions;
use crate::cli::{PcaArgs, PcaFormatArg};
use crate::error::Result;
use crate::plot;
use crate::render;

pub fn run(args: PcaArgs) -> Result<ExitCode> {
    let options = PcaOptions {
        labels: args.labels,
        label_column: args.label_column,
        key: args.key,
        columns: args.columns,
        components: args.components,
        pairs: args.pairs,
        whiten: args.whiten,
        shared_basis: args.shared_basis,
        max_classes: args.max_classes,
        max_points: args.max_points,
        dead_std: args.dead_std,
        min_rank_fraction: args.min_rank_fraction,
        seed: args.seed,
        title: args.title,
    };
    let marks = plot::scatter::Marks {
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
        plot::write(&plot::scatter::from(&report, &marks)?, path)?;
    }
    let text = match args.format {
        Some(PcaFormatArg::Json) => render::json(&report)?,
        _ => render::pca::text(&report),
    };
    render::write_output(text.as_bytes(), None)?;
    Ok(ExitCode::SUCCESS)
}

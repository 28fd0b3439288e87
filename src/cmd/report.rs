//! `xreport report [RUNS...] -o report.html`: the whole study on one
//! self-contained HTML page (DESIGN section 15). The runs are loaded once;
//! each section is the report its own command computes, with the flags,
//! study file and roles resolved exactly as that command resolves them, and
//! is left out (the page says why) when the study lacks what it needs: a
//! baseline and treatments, ablation rows and a full model, training
//! histories, `--latents`, two tasks or more (ranks, aggregates), a study
//! not split by task (comparisons: `compare` pools tasks). Per-example
//! scores go through `--missing` once, as in `compare` and `table`. Input
//! errors are the commands' own (exit 2), and nothing is written unless the
//! whole page is.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use globset::GlobBuilder;

use crate::analysis;
use crate::analysis::ablation::AblationOptions;
use crate::analysis::aggregate::AggregateOptions;
use crate::analysis::direction::Direction;
use crate::analysis::options::{Missing, Posthoc, RankOptions};
use crate::analysis::pca::PcaOptions;
use crate::analysis::tasks;
use crate::check;
use crate::cli::ReportArgs;
use crate::error::{Error, Result};
use crate::load::{self, fingerprint, tidy};
use crate::plot;
use crate::render::report::{Figures, MetricAggregates, Omitted, SCHEMA, Section, StudyReport};
use crate::render::{self, Format, Output};
use crate::settings::{self, CheckFlags, TableFlags};
use crate::stats::aggregate::Aggregate;
use crate::stats::inference::TestKind;

/// The per-seed figure is drawn up to this many conditions, with a panel
/// for each of the first this many metrics; past it the panels are too
/// small to read (and the SVG too large).
const SEEDS_FIGURE_CONDITIONS: usize = 20;
const SEEDS_FIGURE_METRICS: usize = 12;
/// Points per PCA panel in the page (`pca --max-points` is 50,000 for a
/// PNG; as SVG each point is an element).
const PCA_POINTS: usize = 5_000;

pub fn run(args: ReportArgs) -> Result<ExitCode> {
    let (inputs, mut metrics) = settings::inputs(&args.input, &args.metric)?;
    let study_file = inputs.study.as_ref();
    let describe = settings::describe(&args.describe, &args.reduce, study_file)?;
    let curve_settings =
        settings::curves(&args.describe.bootstrap, &args.reduce.steps, study_file)?;
    let mut inference = settings::inference(Some(&args.test), &args.target, study_file)?;
    settings::equivalence_test(&mut inference, None, study_file)?;
    let check_options = settings::check_options(&CheckFlags::default(), study_file)?;
    let output = Output {
        format: Format::Text,
        path: Some(args.output.clone()),
        digits: args.digits,
        template: args.template.clone(),
        caption: None,
        label: None,
        fragment: false,
        siunitx: false,
        per_task: false,
        wide: false,
        fit: false,
    };
    let mut table_output = output.clone();
    settings::table_output(&mut table_output, study_file);
    let table_flags = TableFlags {
        task_key: args.task_key.clone(),
        baseline: args.baseline.clone(),
        ..TableFlags::default()
    };
    let table_options = settings::table_options(&table_flags, args.digits, study_file)?;
    if let Some(path) = &args.template {
        std::fs::metadata(path).map_err(|e| Error::io(path, &e))?;
    }
    let latents = expand_globs(&args.latents)?;

    let examples = settings::examples(&args.examples, Some(&args.paired), &inputs);
    let mut study = super::load_measured(&inputs.paths, &inputs.load, &mut metrics)?;
    // Per-example scores as `xreport compare` and `table` take them: `--missing`
    // applied once, so every section is over the same examples.
    let sources = analysis::examples::sources(&study, &inputs.paths);
    let mcnemar = inference.test == TestKind::Mcnemar;
    let coverage = analysis::examples::prepare(&mut study, &examples, mcnemar, &sources)?;
    let mut omitted = Vec::new();
    let mut figures = Figures::default();

    let runs = analysis::runs::run(&study);
    let summary = analysis::summary::run_with(&study, &metrics, &describe, &examples, &coverage);
    let (split, methods) = tasks::split(
        &study,
        analysis::main_table::task_key(&study, &table_options),
    )?;
    let task_names: Vec<&str> = split.iter().filter_map(|t| t.task.as_deref()).collect();

    let named = settings::named(
        args.baseline.as_deref(),
        &args.treatments,
        None,
        &[],
        study_file,
    );
    // `xreport compare` pools a condition's runs over tasks: on a study split
    // by task that is not a comparison anyone asked for.
    let compare = if task_names.len() >= 2 {
        omitted.push(Omitted::new(
            Section::Comparisons,
            format!(
                "the study is split over {} tasks ({}) and `xreport compare` pools a condition's runs over tasks; the main table's † marks compare each method with the baseline per task, and `xreport compare` on one task's runs gives its table",
                task_names.len(),
                task_names.join(", ")
            ),
        ));
        None
    } else {
        match analysis::roles::resolve(&study, &named)?.comparison() {
            Ok(roles) => Some(analysis::compare::run_with(
                &study, &roles, &metrics, &describe, &inference, &examples, &coverage,
            )),
            Err(why) => {
                omitted.push(Omitted::new(Section::Comparisons, why.to_string()));
                None
            }
        }
    };
    if let Some(compare) = &compare {
        let conditions = compare
            .groups
            .iter()
            .map(|g| &g.condition)
            .collect::<std::collections::BTreeSet<_>>();
        if conditions.len() <= SEEDS_FIGURE_CONDITIONS {
            let mut figure = plot::seeds::from(compare);
            figure.panels.truncate(SEEDS_FIGURE_METRICS);
            figures.seeds_metrics = figure.panels.len();
            figures.seeds = Some(plot::svg(&figure, &args.output)?);
        }
    }

    let named = settings::named(None, &[], args.full.as_deref(), &args.rows, study_file);
    let roles = analysis::roles::resolve(&study, &named)?;
    let ablation = match roles.ablation() {
        Ok(_) => Some(analysis::ablation::run(
            &study,
            &roles,
            &AblationOptions { sort_impact: false },
            &metrics,
            &describe,
            &inference,
        )?),
        Err(why) => {
            omitted.push(Omitted::new(Section::Ablation, why.to_string()));
            None
        }
    };

    let named = settings::named(
        table_options.baseline.as_deref(),
        &[],
        None,
        &[],
        study_file,
    );
    let table = analysis::main_table::run_with(
        &study,
        &table_options,
        &named,
        &metrics,
        &describe,
        &inference,
        (&examples, &coverage),
    )?;

    let histories = tidy::rows(&study.results).any(|r| r.step.is_some());
    let curves = if histories {
        let report = analysis::curves::run(&study, &metrics, &curve_settings, None)?;
        figures.curves = Some(plot::svg(&plot::curves::from(&report), &args.output)?);
        Some(report)
    } else {
        omitted.push(Omitted::new(
            Section::Curves,
            "no training histories among the inputs (a metric logged over steps)",
        ));
        None
    };

    let pca = if latents.is_empty() {
        omitted.push(Omitted::new(
            Section::Pca,
            "no embeddings given: add --latents FILES (and --labels FILE)",
        ));
        None
    } else {
        let options = PcaOptions {
            labels: args.labels.clone(),
            max_points: PCA_POINTS,
            ..PcaOptions::default()
        };
        let report = analysis::pca::run(&latents, &options)?;
        let marks = plot::scatter::Marks {
            width: None,
            height: None,
            dpi: 100,
            point_size: 2.5,
            alpha: 0.6,
        };
        figures.pca = Some(plot::svg(
            &plot::scatter::from(&report, &marks)?,
            &args.output,
        )?);
        Some(report)
    };

    let ranks = ranks(
        &study,
        &split,
        &methods,
        &metrics,
        &describe,
        &inference,
        &mut omitted,
    )?;
    for rank in &ranks {
        figures
            .cd
            .push(plot::svg(&plot::cd_diagram::from(rank), &args.output)?);
    }

    let aggregates = aggregates(&args, study_file, &split, &metrics, &describe, &mut omitted)?;

    let named = settings::named(
        args.baseline.as_deref(),
        &args.treatments,
        None,
        &[],
        study_file,
    );
    let check = check::run(
        &study,
        &named,
        &metrics,
        &describe,
        &inference,
        &check_options,
    )?;

    let mut sources = inputs.paths.clone();
    sources.extend(inputs.study.as_ref().map(|s| s.path.clone()));
    sources.extend(latents.iter().cloned());
    sources.extend(args.labels.iter().cloned());
    sources.extend(args.template.iter().cloned());
    let report = StudyReport {
        xreport_version: analysis::report::VERSION,
        schema: SCHEMA,
        title: args.title.clone().unwrap_or_else(|| title(&inputs)),
        stamp: args.stamp.then(today),
        inputs: fingerprint::files(&sources)?,
        skipped: study.skipped.clone(),
        omitted,
        runs,
        summary: Some(summary),
        table: Some(table),
        compare,
        ablation,
        curves,
        pca,
        ranks,
        aggregates,
        check: Some(check),
        figures,
    };
    let page = render::report::html(&report, &table_output)?;
    render::write_output(page.as_bytes(), Some(&args.output))?;
    Ok(ExitCode::SUCCESS)
}

/// One rank report per metric over the tasks of the main table (a task
/// column, `--task-key` or the study file's `task_key`), as `xreport rank
/// --task-key` computes it; none with fewer than two tasks or methods.
fn ranks(
    study: &load::Study,
    split: &[tasks::TaskStudy],
    methods: &[String],
    metrics: &analysis::options::Metrics,
    describe: &analysis::options::Describe,
    inference: &analysis::options::Inference,
    omitted: &mut Vec<Omitted>,
) -> Result<Vec<analysis::rank::RankReport>> {
    let named_tasks = split.iter().filter(|t| t.task.is_some()).count();
    if named_tasks < 2 || methods.len() < 2 {
        omitted.push(Omitted::new(
            Section::Ranks,
            format!(
                "ranks need two tasks or more and two methods or more (a task column, --task-key or [table] task_key in xreport.toml); the study has {named_tasks} tasks and {} methods",
                methods.len()
            ),
        ));
        return Ok(Vec::new());
    }
    let direction = |m: &str| metrics.direction(m);
    let mut out = Vec::new();
    for metric in tasks::metrics(split)
        .into_iter()
        .filter(|m| metrics.includes(m))
    {
        let scores = tasks::method_scores(split, &metric, &describe.reduce, &direction);
        let options = RankOptions {
            direction: metrics.direction(&metric),
            metric: metric.clone(),
            posthoc: Posthoc::Nemenyi,
            alpha: inference.alpha,
            correction: inference.correction,
            control: None,
            missing: Missing::Drop,
        };
        // Too few complete tasks for this metric is a gap of the study, not an input error.
        match analysis::rank::run(scores, study.skipped.clone(), &options) {
            Ok(report) => out.push(report),
            Err(why) => omitted.push(Omitted::new(Section::Ranks, format!("{metric}: {why}"))),
        }
    }
    Ok(out)
}

/// One aggregate report per metric over the tasks, as `xreport aggregate
/// --metric M` computes it from raw scores (mean, median, IQM and
/// optimality gap with stratified bootstrap CIs); none with fewer than two
/// tasks. A study `aggregate` refuses (a method missing a task, `--ci-method
/// bca`) is a gap of the page, said in the overview.
fn aggregates(
    args: &ReportArgs,
    study_file: Option<&crate::study_file::Located>,
    split: &[tasks::TaskStudy],
    metrics: &analysis::options::Metrics,
    describe: &analysis::options::Describe,
    omitted: &mut Vec<Omitted>,
) -> Result<Vec<MetricAggregates>> {
    let named_tasks = split.iter().filter(|t| t.task.is_some()).count();
    if named_tasks < 2 {
        omitted.push(Omitted::new(
            Section::Aggregates,
            format!(
                "aggregates over tasks need two tasks or more (a task column, --task-key or [table] task_key in xreport.toml); the study has {named_tasks} tasks"
            ),
        ));
        return Ok(Vec::new());
    }
    let options = match settings::aggregate_describe(&args.describe, study_file) {
        Ok(bootstrap) => AggregateOptions {
            describe: bootstrap,
            metrics: Aggregate::ALL.to_vec(),
            gamma: 1.0,
            threshold: 1.0,
            prob_improvement: None,
            profiles: false,
        },
        Err(why) => {
            omitted.push(Omitted::new(Section::Aggregates, why.to_string()));
            return Ok(Vec::new());
        }
    };
    let direction = |m: &str| metrics.direction(m);
    let mut out = Vec::new();
    for metric in tasks::metrics(split)
        .into_iter()
        .filter(|m| metrics.includes(m))
    {
        if metrics.direction(&metric) == Direction::Lower {
            omitted.push(Omitted::new(
                Section::Aggregates,
                format!(
                    "{metric}: lower is better, and the aggregates (optimality gap, tasks above the threshold) take higher scores as better"
                ),
            ));
            continue;
        }
        let scores = tasks::method_scores(split, &metric, &describe.reduce, &direction);
        match analysis::aggregate::run(scores, Vec::new(), None, &options) {
            Ok(aggregate) => out.push(MetricAggregates { metric, aggregate }),
            Err(why) => omitted.push(Omitted::new(
                Section::Aggregates,
                format!("{metric}: {why}"),
            )),
        }
    }
    Ok(out)
}

/// The page's default title: the study file's folder, else the first input's name.
fn title(inputs: &settings::Inputs) -> String {
    let folder = match &inputs.study {
        Some(study) => study.path.parent().map(Path::to_path_buf),
        None => inputs.paths.first().cloned(),
    };
    let name = folder
        .as_deref()
        .map(|p| {
            let shown = load::display_path(p);
            let named = Path::new(&shown)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned());
            named.unwrap_or(shown)
        })
        .filter(|n| !n.is_empty() && n != "." && n != "..")
        .unwrap_or_else(|| "study".to_string());
    format!("{name}: study report")
}

/// `--latents` values: a path as given, or a glob (`*`, `?`, `[`, `{`)
/// expanded below its literal leading folders, in natural order. `*` does
/// not cross `/`; `**` does. A glob that matches nothing is an error.
fn expand_globs(patterns: &[String]) -> Result<Vec<PathBuf>> {
    let is_glob = |s: &str| s.contains(['*', '?', '[', '{']);
    let mut out = Vec::new();
    for pattern in patterns {
        if !is_glob(pattern) {
            out.push(PathBuf::from(pattern));
            continue;
        }
        let matcher = GlobBuilder::new(pattern)
            .literal_separator(true)
            .build()
            .map_err(|e| Error::usage(format!("--latents {pattern:?} is not a valid glob: {e}")))?
            .compile_matcher();
        let mut root = PathBuf::new();
        for part in Path::new(pattern).components() {
            if is_glob(&part.as_os_str().to_string_lossy()) {
                break;
            }
            root.push(part);
        }
        let mut files = Vec::new();
        let start = if root.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            root.clone()
        };
        walk(&start, &mut files);
        let mut matched: Vec<PathBuf> = files
            .into_iter()
            .map(|f| match f.strip_prefix("./") {
                Ok(rest) if root.as_os_str().is_empty() => rest.to_path_buf(),
                _ => f,
            })
            .filter(|f| matcher.is_match(f))
            .collect();
        if matched.is_empty() {
            return Err(Error::usage(format!(
                "--latents {pattern:?} matches no file"
            )));
        }
        matched.sort_by(|a, b| load::natural_cmp(&a.to_string_lossy(), &b.to_string_lossy()));
        out.extend(matched);
    }
    Ok(out)
}

/// Every file below `dir` (symbolic links to folders not followed).
fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let link = entry.file_type().is_ok_and(|t| t.is_symlink());
        if path.is_dir() {
            if !link {
                walk(&path, out);
            }
        } else {
            out.push(path);
        }
    }
}

/// Today's date in UTC, `YYYY-MM-DD` (civil from days, H. Hinnant's algorithm).
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

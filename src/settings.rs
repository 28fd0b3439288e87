//! Resolved settings: flags, then the study file, then defaults, one
//! function per flag group of `cli`. The commands (`cmd/`) call these;
//! nothing below them sees clap's structs.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::analysis::aggregate::AggregateOptions;
use crate::analysis::options::{
    Describe, ExampleOptions, ExampleReduce, Family, Inference, Margin, Metrics, MissingScores,
    Rope, Unit,
};
use crate::analysis::reduce::{Reduce, Rule};
use crate::analysis::roles::{Named, Names, Row};
use crate::check::CheckOptions;

use crate::cli::{
    AlternativeArg, BootstrapArgs, CheckArgs, CiMethodArg, CorrectionArg, DescribeArgs,
    ExampleArgs, ExampleReduceArg, FamilyArg, FormatArg, InputArgs, MetricArgs, MissingScoresArg,
    MwuMethodArg, OutputArgs, PairedExampleArgs, PowerTargetArgs, ProportionCiArg, ReadArgs,
    ReduceArgs, StepArgs, TestArg, TestArgs, UnitArg,
};
use crate::error::{Error, Result};
use crate::load::LoadOptions;
use crate::load::condition::GroupBy;
use crate::load::table::ColumnNames;
use crate::render::{Format, Output};
use crate::stats::bootstrap::CiMethod;
use crate::stats::correction::Correction;
use crate::stats::inference::{Alternative, MwuMethod, TestKind};
use crate::stats::proportion::ProportionMethod;
use crate::study_file::{self, Located, MarginValue, ProportionCi};

/// Where the inputs are and how to read them.
#[derive(Debug)]
pub struct Inputs {
    pub paths: Vec<PathBuf>,
    pub load: LoadOptions,
    pub study: Option<Located>,
}

/// Resolve the runs of a command and its metric flags: the given paths (a
/// study's folder, holding the study file, stands for the runs root that file
/// names), else the study file's runs root, else `./runs`.
pub fn inputs(args: &InputArgs, metric: &MetricArgs) -> Result<(Inputs, Metrics)> {
    let study = study(&args.read, &args.inputs)?;
    let paths = if !args.inputs.is_empty() {
        args.inputs
            .iter()
            .map(|input| match &study {
                Some(located) if located.path == input.join(study_file::FILE_NAME) => {
                    located.runs_root()
                }
                _ => input.clone(),
            })
            .collect()
    } else if let Some(located) = &study {
        vec![located.runs_root()]
    } else if Path::new("runs").is_dir() {
        vec![PathBuf::from("runs")]
    } else {
        return Err(Error::usage(
            "no runs given: name run folders, a runs root or a results table, or run beside an xreport.toml or a runs/ folder",
        ));
    };
    let (load, metrics) = reading(&args.read, metric, study.as_ref())?;
    Ok((Inputs { paths, load, study }, metrics))
}

/// The study file: `--study`, else found beside `paths`.
pub fn study(args: &ReadArgs, paths: &[PathBuf]) -> Result<Option<Located>> {
    study_file::locate(args.study.as_deref(), paths)
}

/// How to read the runs and which metrics to report. The `--metric` globs
/// are compiled once: they select the reported metrics and tell the loader
/// which metadata keys are metrics.
pub fn reading(
    read: &ReadArgs,
    metric: &MetricArgs,
    study: Option<&Located>,
) -> Result<(LoadOptions, Metrics)> {
    let include = if metric.metrics.is_empty() {
        None
    } else {
        Some(glob_set(&metric.metrics, "--metric")?)
    };
    let load = load(read, study, include.clone())?;
    let metrics = Metrics::new(
        include,
        glob_set(&metric.lower_is_better, "--lower-is-better")?,
        glob_set(&metric.higher_is_better, "--higher-is-better")?,
        study.map(|s| s.file.metrics.clone()).unwrap_or_default(),
    );
    Ok((load, metrics))
}

/// The reading flags, with `explicit_metrics`: metadata keys read as metrics.
pub fn load(
    args: &ReadArgs,
    study: Option<&Located>,
    explicit_metrics: Option<GlobSet>,
) -> Result<LoadOptions> {
    let defaults = ColumnNames::default();
    let pick = |flag: &Option<String>, default: String| flag.clone().unwrap_or(default);
    let flags = &args.columns;
    let columns = ColumnNames {
        condition: pick(&flags.condition_col, defaults.condition),
        seed: pick(&flags.seed_col, defaults.seed),
        metric: pick(&flags.metric_col, defaults.metric),
        value: pick(&flags.value_col, defaults.value),
        task: pick(&flags.task_col, defaults.task),
        example: pick(&flags.example_col, defaults.example),
        step: pick(&flags.step_col, defaults.step),
        cluster: flags
            .cluster_col
            .clone()
            .or_else(|| study.and_then(|s| s.file.examples.cluster_col.clone())),
    };
    Ok(LoadOptions {
        columns,
        allow_unseeded: args.allow_unseeded,
        skip_bad: args.skip_bad,
        group_by: group_by(args.group_by.as_deref(), study)?,
        explicit_metrics,
    })
}

/// `--group-by`, else the study file's `group_by`.
fn group_by(flag: Option<&str>, study: Option<&Located>) -> Result<GroupBy> {
    let keys: Vec<String> = match flag {
        Some(text) => text.split(',').map(|k| k.trim().to_string()).collect(),
        None => match study.and_then(|s| s.file.group_by.as_ref()) {
            Some(keys) => keys.keys(),
            None => return Ok(GroupBy::default()),
        },
    };
    let keys: Vec<String> = keys.into_iter().filter(|k| !k.is_empty()).collect();
    if keys.is_empty() {
        return Err(Error::usage(
            "--group-by needs config keys, e.g. --group-by model,optim.lr (or `path`)",
        ));
    }
    let path = keys.iter().any(|k| k == "path");
    let globs: Vec<String> = keys.iter().filter(|k| *k != "path").cloned().collect();
    Ok(GroupBy {
        keys: if globs.is_empty() && path {
            None
        } else {
            Some(glob_set(&globs, "--group-by")?)
        },
        path,
        text: keys.join(","),
    })
}

/// The std and bootstrap flags, and the reduction of training histories.
pub fn describe(
    args: &DescribeArgs,
    reduce: &ReduceArgs,
    study: Option<&Located>,
) -> Result<Describe> {
    let file_method = study.and_then(|s| s.file.stats.ci_method);
    let method = ci_method(args.bootstrap.ci_method)
        .or(file_method)
        .unwrap_or(CiMethod::Bca);
    statistics(
        &args.bootstrap,
        method,
        args.ddof,
        self::reduce(reduce)?,
        study,
    )
}

/// `xreport curves`'s bootstrap settings and step cut (no reduction, no std).
pub fn curves(args: &BootstrapArgs, steps: &StepArgs, study: Option<&Located>) -> Result<Describe> {
    let file_method = study.and_then(|s| s.file.stats.ci_method);
    let method = ci_method(args.ci_method)
        .or(file_method)
        .unwrap_or(CiMethod::Bca);
    let reduce = Reduce {
        rule: Rule::default(),
        max_step: steps.max_step,
    };
    statistics(args, method, None, reduce, study)
}

/// Descriptive settings from the bootstrap flags, the interval method
/// already chosen, `--ddof` and the reduction, each flag before the study file.
fn statistics(
    args: &BootstrapArgs,
    ci_method: CiMethod,
    ddof: Option<u8>,
    reduce: Reduce,
    study: Option<&Located>,
) -> Result<Describe> {
    let file = study.map(|s| &s.file.stats);
    let confidence = args
        .confidence
        .or(file.and_then(|f| f.confidence))
        .unwrap_or(0.95);
    if !(confidence > 0.0 && confidence < 1.0) {
        return Err(Error::usage(format!(
            "--confidence must be between 0 and 1, got {confidence}"
        )));
    }
    let given_resamples = args.resamples.or(file.and_then(|f| f.resamples));
    let resamples = given_resamples.unwrap_or(10_000);
    if resamples < 100 {
        return Err(Error::usage(format!(
            "--resamples must be at least 100, got {resamples}"
        )));
    }
    let ddof = ddof
        .map(usize::from)
        .or(file.and_then(|f| f.ddof))
        .unwrap_or(1);
    if ddof > 1 {
        return Err(study_value_error(
            study,
            "stats.ddof",
            &ddof.to_string(),
            "0, 1",
        ));
    }
    let aso_resamples = given_resamples.unwrap_or(1000);
    Ok(Describe {
        confidence,
        resamples,
        aso_resamples,
        ci_method,
        seed: args.seed.or(file.and_then(|f| f.seed)).unwrap_or(0),
        ddof,
        reduce,
    })
}

/// The `--ci-method` flag.
fn ci_method(flag: Option<CiMethodArg>) -> Option<CiMethod> {
    flag.map(|m| match m {
        CiMethodArg::Percentile => CiMethod::Percentile,
        CiMethodArg::Basic => CiMethod::Basic,
        CiMethodArg::Bca => CiMethod::Bca,
    })
}

/// `--reduce` and `--max-step`.
pub fn reduce(args: &ReduceArgs) -> Result<Reduce> {
    Ok(Reduce {
        rule: reduce_rule(args.reduce.as_deref())?,
        max_step: args.steps.max_step,
    })
}

/// The `--reduce` rule; `last` by default.
fn reduce_rule(text: Option<&str>) -> Result<Rule> {
    match text {
        None => Ok(Rule::default()),
        Some(text) => Rule::parse(text).ok_or_else(|| {
            Error::usage(format!(
                "--reduce {text:?} is not one of last, best-mean, per-seed-best, step=N"
            ))
        }),
    }
}

/// An invalid value in the study file.
pub fn study_value_error(study: Option<&Located>, key: &str, value: &str, expected: &str) -> Error {
    let path = study
        .map(|s| s.path.clone())
        .unwrap_or_else(|| PathBuf::from(study_file::FILE_NAME));
    Error::input(
        path,
        format!("`{key}` = {value:?} is not one of {expected}"),
    )
}

fn glob_set(patterns: &[String], flag: &str) -> Result<GlobSet> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = Glob::new(pattern)
            .map_err(|e| Error::usage(format!("{flag} {pattern:?} is not a valid glob: {e}")))?;
        builder.add(glob);
    }
    builder
        .build()
        .map_err(|e| Error::usage(format!("{flag}: {e}")))
}

pub fn output(args: &OutputArgs) -> Result<Output> {
    let format = match args.format {
        Some(FormatArg::Text) => Format::Text,
        Some(FormatArg::Md) => Format::Markdown,
        Some(FormatArg::Latex) => Format::Latex,
        Some(FormatArg::Json) => Format::Json,
        Some(FormatArg::Csv) => Format::Csv,
        None => match &args.output {
            Some(path) => Format::from_extension(path).ok_or_else(|| {
                Error::usage(format!(
                    "cannot tell the format of {} from its extension: add --format text|md|latex|json|csv",
                    path.display()
                ))
            })?,
            None => Format::Text,
        },
    };
    Ok(Output {
        format,
        path: args.output.clone(),
        digits: args.digits,
        template: args.template.clone(),
        caption: args.caption.clone(),
        label: args.label.clone(),
        fragment: args.fragment,
        siunitx: false,
        wide: false,
        fit: false,
        per_task: false,
    })
}

/// The test flags (`None`: a command without them, such as `power`, takes
/// the study file's or the defaults) and the significance and power flags.
pub fn inference(
    test: Option<&TestArgs>,
    target: &PowerTargetArgs,
    study: Option<&Located>,
) -> Result<Inference> {
    let file = study.map(|s| &s.file.stats);
    let alpha = target.alpha.or(file.and_then(|f| f.alpha)).unwrap_or(0.05);
    if !(alpha > 0.0 && alpha < 1.0) {
        return Err(Error::usage(format!(
            "--alpha must be between 0 and 1, got {alpha}"
        )));
    }
    let target_power = target
        .target_power
        .or(file.and_then(|f| f.target_power))
        .unwrap_or(0.8);
    if !(target_power > 0.0 && target_power < 1.0) {
        return Err(Error::usage(format!(
            "--target-power must be between 0 and 1, got {target_power}"
        )));
    }
    let max_seeds = target
        .max_seeds
        .or(file.and_then(|f| f.max_seeds))
        .unwrap_or(1000);
    if max_seeds < 2 {
        return Err(Error::usage("--max-seeds must be at least 2"));
    }
    let kind = test_kind(test, file.and_then(|f| f.test))?;
    Ok(Inference {
        alpha,
        test: kind,
        alternative: match test.and_then(|t| t.alternative) {
            Some(AlternativeArg::TwoSided) => Alternative::TwoSided,
            Some(AlternativeArg::Greater) => Alternative::Greater,
            Some(AlternativeArg::Less) => Alternative::Less,
            None => file
                .and_then(|f| f.alternative)
                .unwrap_or(Alternative::TwoSided),
        },
        correction: match test.and_then(|t| t.correction) {
            Some(CorrectionArg::Holm) => Correction::Holm,
            Some(CorrectionArg::Bonferroni) => Correction::Bonferroni,
            Some(CorrectionArg::Sidak) => Correction::Sidak,
            Some(CorrectionArg::HolmSidak) => Correction::HolmSidak,
            Some(CorrectionArg::Hochberg) => Correction::Hochberg,
            Some(CorrectionArg::Hommel) => Correction::Hommel,
            Some(CorrectionArg::Bh) => Correction::Bh,
            Some(CorrectionArg::By) => Correction::By,
            Some(CorrectionArg::FdrTsbh) => Correction::FdrTsbh,
            Some(CorrectionArg::FdrTsbky) => Correction::FdrTsbky,
            Some(CorrectionArg::None) => Correction::None,
            None => file.and_then(|f| f.correction).unwrap_or(Correction::Holm),
        },
        family: match test.and_then(|t| t.family) {
            Some(FamilyArg::Metric) => Family::Metric,
            Some(FamilyArg::All) => Family::All,
            None => file.and_then(|f| f.family).unwrap_or(Family::Metric),
        },
        target_power,
        max_seeds,
        equivalence: None,
        mwu_method: mwu_method(test, kind)?,
        continuity: !test.is_some_and(|t| t.no_continuity),
        test_train_ratio: test_train_ratio(test, kind)?,
        rope: None,
        aso_threshold: aso_threshold(test, kind)?,
    })
}

/// `--test`, else `--paired` (the paired t-test), else the study file's test,
/// else Welch's. `--paired` with a test of independent groups is an error.
fn test_kind(test: Option<&TestArgs>, file: Option<TestKind>) -> Result<TestKind> {
    let paired = test.is_some_and(|t| t.paired);
    let kind = match test.and_then(|t| t.test) {
        Some(TestArg::Welch) => TestKind::Welch,
        Some(TestArg::Student) => TestKind::Student,
        Some(TestArg::Paired) => TestKind::Paired,
        Some(TestArg::Mannwhitney) => TestKind::MannWhitney,
        Some(TestArg::Permutation) => TestKind::Permutation,
        Some(TestArg::Mcnemar) => TestKind::Mcnemar,
        Some(TestArg::Wilcoxon) => TestKind::Wilcoxon,
        Some(TestArg::CorrectedT) => TestKind::CorrectedT,
        Some(TestArg::Aso) => TestKind::Aso,
        None if paired => TestKind::Paired,
        None => file.unwrap_or(TestKind::Welch),
    };
    if paired && !kind.is_paired() {
        return Err(Error::usage(format!(
            "--paired matches seeds by id, but --test {} compares independent groups: use --test paired, wilcoxon or corrected-t",
            kind.name()
        )));
    }
    Ok(kind)
}

/// `--mwu-method`, which only Mann–Whitney has (as `--no-continuity`).
fn mwu_method(test: Option<&TestArgs>, kind: TestKind) -> Result<MwuMethod> {
    let Some(args) = test else {
        return Ok(MwuMethod::Auto);
    };
    if kind != TestKind::MannWhitney {
        let flag = match (args.mwu_method.is_some(), args.no_continuity) {
            (true, _) => Some("--mwu-method"),
            (false, true) => Some("--no-continuity"),
            (false, false) => None,
        };
        if let Some(flag) = flag {
            return Err(Error::usage(format!(
                "{flag} applies to --test mannwhitney, not --test {}",
                kind.name()
            )));
        }
    }
    Ok(match args.mwu_method {
        Some(MwuMethodArg::Auto) | None => MwuMethod::Auto,
        Some(MwuMethodArg::Exact) => MwuMethod::Exact,
        Some(MwuMethodArg::Asymptotic) => MwuMethod::Asymptotic,
    })
}

/// `--test-train-ratio R` in (0, 1), which the corrected t-test needs and
/// only it takes.
fn test_train_ratio(test: Option<&TestArgs>, kind: TestKind) -> Result<Option<f64>> {
    let ratio = test.and_then(|t| t.test_train_ratio);
    match (ratio, kind) {
        (Some(r), TestKind::CorrectedT) if r > 0.0 && r < 1.0 => Ok(Some(r)),
        (Some(r), TestKind::CorrectedT) => Err(Error::usage(format!(
            "--test-train-ratio must be between 0 and 1 (n_test/n_train of a fold), got {r}"
        ))),
        (None, TestKind::CorrectedT) => Err(Error::usage(
            "--test corrected-t needs --test-train-ratio R: n_test/n_train of each fold or split (0.25 for 80/20 splits, 1/(k−1) for k-fold)",
        )),
        (Some(_), other) => Err(Error::usage(format!(
            "--test-train-ratio applies to --test corrected-t, not --test {}",
            other.name()
        ))),
        (None, _) => Ok(None),
    }
}

/// `--aso-threshold τ` with `--test aso` (default 0.2), in (0, 0.5]: ε_min
/// of one direction plus the other's is at least 1 (both are upper bounds
/// of complementary ratios), so with τ ≤ ½ at most one system dominates.
/// ASO is two-sided by construction (both directions are reported), so it
/// takes no `--alternative`.
fn aso_threshold(test: Option<&TestArgs>, kind: TestKind) -> Result<Option<f64>> {
    let threshold = test.and_then(|t| t.aso_threshold);
    if kind != TestKind::Aso {
        return match threshold {
            Some(_) => Err(Error::usage(format!(
                "--aso-threshold applies to --test aso, not --test {}",
                kind.name()
            ))),
            None => Ok(None),
        };
    }
    if let Some(alternative) = test.and_then(|t| t.alternative)
        && alternative != AlternativeArg::TwoSided
    {
        return Err(Error::usage(
            "--test aso reports ε_min in both directions and takes no --alternative: the verdict names the dominant system",
        ));
    }
    match threshold.unwrap_or(0.2) {
        t if t > 0.0 && t <= 0.5 => Ok(Some(t)),
        t => Err(Error::usage(format!(
            "--aso-threshold must be in (0, 0.5], got {t} (deepsig recommends 0.2; above 0.5 both systems could dominate)"
        ))),
    }
}

/// Sets `inference.rope` from `--rope MARGIN` and `--rho`: the posterior is
/// over paired differences, so the test must pair seeds; ρ is `--rho`, else
/// R/(1 + R) for the corrected t-test's ratio R (the test share of the data,
/// Nadeau and Bengio's correlation of overlapping folds), else 0.
pub fn rope_test(inference: &mut Inference, rope: Option<&str>, rho: Option<f64>) -> Result<()> {
    let Some(text) = rope else {
        if rho.is_some() {
            return Err(Error::usage("--rho applies to --rope"));
        }
        return Ok(());
    };
    let margin = Margin::parse(text, "--rope").map_err(Error::usage)?;
    if !inference.test.is_paired() {
        return Err(Error::usage(format!(
            "--rope needs paired seeds, but --test {} compares independent groups: add --paired (or --test wilcoxon or corrected-t)",
            inference.test.name()
        )));
    }
    let rho = match (rho, inference.test_train_ratio) {
        (Some(r), Some(_)) => {
            return Err(Error::usage(format!(
                "--rho {r} and --test-train-ratio both set the folds' correlation: give one"
            )));
        }
        (Some(r), None) if (0.0..1.0).contains(&r) => r,
        (Some(r), None) => {
            return Err(Error::usage(format!("--rho must be in [0, 1), got {r}")));
        }
        (None, Some(ratio)) => ratio / (1.0 + ratio),
        (None, None) => 0.0,
    };
    inference.rope = Some(Rope { margin, rho });
    Ok(())
}

/// Sets `inference.equivalence` from `--equivalence MARGIN`, else the study
/// file's `stats.equivalence`; refuses a margin with α ≥ 1/2, since TOST at
/// α reads off the 1 − 2α interval.
pub fn equivalence_test(
    inference: &mut Inference,
    flag: Option<&str>,
    study: Option<&Located>,
) -> Result<()> {
    inference.equivalence = equivalence(flag, study)?;
    if inference.equivalence.is_some() && inference.alpha >= 0.5 {
        return Err(Error::usage(format!(
            "--equivalence needs --alpha below 0.5, got {}",
            inference.alpha
        )));
    }
    Ok(())
}

/// `--equivalence MARGIN`, else the study file's `stats.equivalence` (a
/// number, or a string such as "1%").
fn equivalence(flag: Option<&str>, study: Option<&Located>) -> Result<Option<Margin>> {
    if let Some(text) = flag {
        return Margin::parse(text, "--equivalence")
            .map(Some)
            .map_err(Error::usage);
    }
    let Some(located) = study else {
        return Ok(None);
    };
    let what = format!("{}: stats.equivalence", located.path.display());
    match &located.file.stats.equivalence {
        None => Ok(None),
        Some(MarginValue::Number(v)) => Margin::checked(*v, false, &what)
            .map(Some)
            .map_err(Error::usage),
        Some(MarginValue::Text(t)) => Margin::parse(t, &what).map(Some).map_err(Error::usage),
    }
}

/// The per-example flags (DESIGN section 12); `paired` for the commands that
/// compare (`--unit`, `--mid-p`); `inputs` gives `--cluster-col`.
pub fn examples(
    args: &ExampleArgs,
    paired: Option<&PairedExampleArgs>,
    inputs: &Inputs,
) -> ExampleOptions {
    let file = inputs.study.as_ref().map(|s| &s.file.examples);
    ExampleOptions {
        cluster_col: inputs.load.columns.cluster.clone(),
        reduce: match args.example_reduce {
            Some(ExampleReduceArg::Majority) => ExampleReduce::Majority,
            Some(ExampleReduceArg::Mean) => ExampleReduce::Mean,
            None => file
                .and_then(|f| f.example_reduce)
                .unwrap_or(ExampleReduce::Mean),
        },
        proportion_ci: match proportion_ci(args, inputs.study.as_ref()) {
            Some(ProportionCi::Wilson) | None => Some(ProportionMethod::Wilson),
            Some(ProportionCi::ClopperPearson) => Some(ProportionMethod::ClopperPearson),
            Some(ProportionCi::None) => None,
        },
        // the comparing commands only
        unit: paired.and_then(|p| match p.unit {
            Some(UnitArg::Seeds) => Some(Unit::Seeds),
            Some(UnitArg::Examples) => Some(Unit::Examples),
            Some(UnitArg::Both) => Some(Unit::Both),
            None => file.and_then(|f| f.unit),
        }),
        missing: match args.missing {
            Some(MissingScoresArg::Fail) => MissingScores::Fail,
            Some(MissingScoresArg::Drop) => MissingScores::Drop,
            Some(MissingScoresArg::Zero) => MissingScores::Zero,
            None => file.and_then(|f| f.missing).unwrap_or(MissingScores::Fail),
        },
        mid_p: paired.is_some_and(|p| p.mid_p || file.and_then(|f| f.mid_p) == Some(true)),
    }
}

/// `--proportion-ci`, else the study file's `[examples] proportion_ci`;
/// `None` when neither is given (the default interval is Wilson's).
fn proportion_ci(args: &ExampleArgs, study: Option<&Located>) -> Option<ProportionCi> {
    match args.proportion_ci {
        Some(ProportionCiArg::Wilson) => Some(ProportionCi::Wilson),
        Some(ProportionCiArg::ClopperPearson) => Some(ProportionCi::ClopperPearson),
        Some(ProportionCiArg::None) => Some(ProportionCi::None),
        None => study.and_then(|s| s.file.examples.proportion_ci),
    }
}

/// Refuse `--test mcnemar` where a command has no per-example comparison.
pub fn no_mcnemar(inference: &Inference, command: &str) -> Result<()> {
    if inference.test == TestKind::Mcnemar {
        return Err(Error::usage(format!(
            "--test mcnemar compares per-example 0/1 scores: use it with `xreport compare` or `xreport table`, not `xreport {command}`"
        )));
    }
    Ok(())
}

/// `xreport check`'s threshold flags as plain data: `xreport report` runs
/// the checklist with none given.
#[derive(Debug, Default)]
pub struct CheckFlags {
    pub min_seeds: Option<usize>,
    pub max_cv: Option<f64>,
    pub strict: bool,
    pub ignore_keys: Vec<String>,
    pub components: Vec<String>,
}

/// `xreport check`'s thresholds and lists: flags, then `[check]` of the study file, then defaults.
pub fn check(args: &CheckArgs, study: Option<&Located>) -> Result<CheckOptions> {
    let flags = CheckFlags {
        min_seeds: args.min_seeds,
        max_cv: args.max_cv,
        strict: args.strict,
        ignore_keys: args.ignore_keys.clone(),
        components: args.components.clone(),
    };
    check_options(&flags, study)
}

/// The checklist's options from `flags`, then the study file, then defaults.
pub fn check_options(args: &CheckFlags, study: Option<&Located>) -> Result<CheckOptions> {
    let file = study.map(|s| &s.file.check);
    let min_seeds = args
        .min_seeds
        .or(file.and_then(|f| f.min_seeds))
        .unwrap_or(3);
    if min_seeds < 1 {
        return Err(Error::usage("--min-seeds must be at least 1"));
    }
    let max_cv = args.max_cv.or(file.and_then(|f| f.max_cv)).unwrap_or(0.05);
    if !(max_cv > 0.0 && max_cv.is_finite()) {
        return Err(Error::usage(format!(
            "--max-cv must be a positive number, got {max_cv}"
        )));
    }
    let mut ignore_keys = file.and_then(|f| f.ignore_keys.clone()).unwrap_or_default();
    ignore_keys.extend(args.ignore_keys.iter().cloned());
    for pattern in &ignore_keys {
        Glob::new(pattern).map_err(|e| {
            Error::usage(format!("ignore key {pattern:?} is not a valid glob: {e}"))
        })?;
    }
    let components = if args.components.is_empty() {
        file.and_then(|f| f.components.clone())
    } else {
        Some(args.components.clone())
    };
    Ok(CheckOptions {
        min_seeds,
        max_cv,
        strict: args.strict,
        ignore_keys,
        components,
        manual: file.map(|f| f.manual.clone()).unwrap_or_default(),
    })
}

/// `xreport aggregate`'s resolved settings: what to read, and how to aggregate.
#[derive(Debug)]
pub struct AggregateSettings {
    pub inputs: Inputs,
    pub normalize: Vec<PathBuf>,
    /// Where to draw the performance profiles.
    pub profile: Option<PathBuf>,
    pub metric: Option<String>,
    pub explicit: crate::load::multitask::ExplicitColumns,
    pub options: AggregateOptions,
}

/// The bootstrap of `xreport aggregate` (and the report's aggregates):
/// rliable's intervals are percentile intervals, and BCa is not defined for
/// a stratified bootstrap here, so the default differs from the other
/// commands and `--ci-method bca` is refused.
pub fn aggregate_describe(args: &DescribeArgs, study: Option<&Located>) -> Result<Describe> {
    let file_method = study.and_then(|s| s.file.stats.ci_method);
    let method = ci_method(args.bootstrap.ci_method)
        .or(file_method.filter(|m| *m != CiMethod::Bca))
        .unwrap_or(CiMethod::Percentile);
    let describe = statistics(&args.bootstrap, method, args.ddof, Reduce::default(), study)?;
    if describe.ci_method == CiMethod::Bca {
        return Err(Error::usage(
            "--ci-method bca is not available for stratified bootstrap aggregates: use percentile (as rliable) or basic",
        ));
    }
    Ok(describe)
}

pub fn aggregate(args: &crate::cli::AggregateArgs) -> Result<AggregateSettings> {
    use crate::cli::AggregateMetricArg;
    use crate::stats::aggregate::Aggregate;
    let study = study(&args.read, &args.inputs)?;
    let load = load(&args.read, study.as_ref(), None)?;
    let describe = aggregate_describe(&args.describe, study.as_ref())?;
    if let Some(path) = &args.profile {
        crate::plot::ImageFormat::of(path)?;
    }
    let gamma = args.gamma.unwrap_or(1.0);
    let threshold = args.threshold.unwrap_or(1.0);
    if !gamma.is_finite() || !threshold.is_finite() {
        return Err(Error::usage(
            "--gamma and --threshold must be finite numbers",
        ));
    }
    let mut metrics: Vec<Aggregate> = Vec::new();
    for m in &args.metrics {
        let which = match m {
            AggregateMetricArg::Mean => Aggregate::Mean,
            AggregateMetricArg::Median => Aggregate::Median,
            AggregateMetricArg::Iqm => Aggregate::Iqm,
            AggregateMetricArg::OptimalityGap => Aggregate::OptimalityGap,
        };
        if !metrics.contains(&which) {
            metrics.push(which);
        }
    }
    if metrics.is_empty() {
        metrics = Aggregate::ALL.to_vec();
    }
    let columns = &args.read.columns;
    Ok(AggregateSettings {
        explicit: crate::load::multitask::ExplicitColumns {
            task: columns.task_col.is_some(),
            seed: columns.seed_col.is_some(),
            value: columns.value_col.is_some(),
            condition: columns.condition_col.is_some(),
        },
        inputs: Inputs {
            paths: args.inputs.clone(),
            load,
            study,
        },
        normalize: args.normalize.clone(),
        profile: args.profile.clone(),
        metric: args.metric.clone(),
        options: AggregateOptions {
            describe,
            metrics,
            gamma,
            threshold,
            prob_improvement: args.prob_improvement.clone(),
            profiles: args.profile.is_some(),
        },
    })
}

/// The study file's ablation caption and label, when flags give none.
pub fn ablation_output(output: &mut Output, file: Option<&Located>) {
    let section = file.map(|f| &f.file.ablation);
    if output.caption.is_none() {
        output.caption = section.and_then(|s| s.caption.clone());
    }
    if output.label.is_none() {
        output.label = section.and_then(|s| s.label.clone());
    }
}

/// The conditions the user named for each role, as plain data for
/// `analysis::roles`: the flags (`--baseline`, `--treatment`, `--full`,
/// `--row LABEL=CONDITION`), and the study file's.
pub fn named(
    baseline: Option<&str>,
    treatments: &[String],
    full: Option<&str>,
    rows: &[String],
    study: Option<&Located>,
) -> Named {
    let flags = Names {
        baseline: baseline.map(str::to_string),
        treatments: treatments.to_vec(),
        full: full.map(str::to_string),
        rows: rows
            .iter()
            .map(|spec| match spec.split_once('=') {
                Some((label, name)) => Row {
                    condition: name.trim().to_string(),
                    label: Some(label.trim().to_string()),
                },
                None => Row {
                    condition: spec.clone(),
                    label: None,
                },
            })
            .collect(),
    };
    let file = study
        .map(|s| &s.file)
        .map_or_else(Names::default, |f| Names {
            baseline: f.baseline.clone(),
            treatments: f.treatments.clone().unwrap_or_default(),
            full: f.ablation.full.clone(),
            rows: f
                .ablation
                .rows
                .iter()
                .flatten()
                .map(|(condition, label)| Row {
                    condition: condition.clone(),
                    label: Some(label.clone()),
                })
                .collect(),
        });
    Named { flags, file }
}

/// `xreport table`'s flags that shape the table, as plain data:
/// `xreport report` gives only the task key and the baseline.
#[derive(Debug, Default)]
pub struct TableFlags {
    pub task_key: Option<String>,
    pub cell: Option<crate::cli::CellArg>,
    pub second: Option<crate::cli::SecondArg>,
    pub mark: Vec<crate::cli::MarkArg>,
    pub relative: bool,
    pub baseline: Option<String>,
}

/// `xreport table`'s options: flags, then the study file's `[table]`, then
/// defaults; and its LaTeX switches and caption into `output`.
pub fn table(
    args: &crate::cli::TableArgs,
    output: &mut Output,
    study: Option<&Located>,
) -> Result<crate::analysis::main_table::TableOptions> {
    if args.latex {
        output.format = Format::Latex;
    }
    output.siunitx = args.siunitx;
    output.wide = args.wide;
    output.fit = args.fit;
    table_output(output, study);
    let flags = TableFlags {
        task_key: args.task_key.clone(),
        cell: args.cell,
        second: args.second,
        mark: args.mark.clone(),
        relative: args.relative,
        baseline: args.baseline.clone(),
    };
    let mut options = table_options(&flags, output.digits, study)?;
    // an interval asked for by name (flag or study file) is printed
    options.show_proportion_ci =
        proportion_ci(&args.examples, study).is_some_and(|p| p != ProportionCi::None);
    Ok(options)
}

/// The study file's `[table]` caption and label, when flags give none.
pub fn table_output(output: &mut Output, study: Option<&Located>) {
    let section = study.map(|s| &s.file.table);
    if output.caption.is_none() {
        output.caption = section.and_then(|s| s.caption.clone());
    }
    if output.label.is_none() {
        output.label = section.and_then(|s| s.label.clone());
    }
}

/// The main table's options from `args`, then the study file's `[table]`,
/// then defaults; `digits` fixes every column's decimals.
pub fn table_options(
    args: &TableFlags,
    digits: Option<usize>,
    study: Option<&Located>,
) -> Result<crate::analysis::main_table::TableOptions> {
    use crate::analysis::main_table::{CellKind, Mark, RowSpec, Second, TableOptions};
    use crate::cli::{CellArg, MarkArg, SecondArg};
    use crate::study_file::TableRow;
    let section = study.map(|s| &s.file.table);
    let task = args.task_key.as_deref().map(task_key).transpose()?;
    let file_task = section
        .and_then(|s| s.task_key.as_deref())
        .map(task_key)
        .transpose()?;
    let cell = match args.cell {
        Some(CellArg::MeanStd) => CellKind::MeanStd,
        Some(CellArg::MeanSem) => CellKind::MeanSem,
        Some(CellArg::MeanCi) => CellKind::MeanCi,
        Some(CellArg::MeanBracketCi) => CellKind::MeanBracketCi,
        Some(CellArg::Mean) => CellKind::Mean,
        None => section.and_then(|s| s.cell).unwrap_or(CellKind::MeanStd),
    };
    let second = match args.second {
        Some(SecondArg::Underline) => Second::Underline,
        Some(SecondArg::None) => Second::None,
        None => section.and_then(|s| s.second).unwrap_or(Second::Underline),
    };
    let marks = if args.mark.is_empty() {
        section.and_then(|s| s.mark.as_ref()).map(|m| m.marks())
    } else {
        Some(
            args.mark
                .iter()
                .map(|m| match m {
                    MarkArg::Baseline => Mark::Baseline,
                    MarkArg::Best => Mark::Best,
                    MarkArg::None => Mark::None,
                })
                .collect(),
        )
    };
    let rows = section
        .and_then(|s| s.rows.as_ref())
        .map(|rows| {
            rows.iter()
                .map(|r| match r {
                    TableRow::Condition(c) => RowSpec {
                        condition: c.clone(),
                        label: None,
                    },
                    TableRow::Labelled { condition, label } => RowSpec {
                        condition: condition.clone(),
                        label: Some(label.clone()),
                    },
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(TableOptions {
        task,
        file_task,
        rows,
        groups: section.and_then(|s| s.groups.clone()).unwrap_or_default(),
        cell,
        second,
        marks,
        relative: args.relative || section.and_then(|s| s.relative).unwrap_or(false),
        baseline: args.baseline.clone(),
        digits,
        show_proportion_ci: false,
    })
}

/// `--task-key`: `path:N` or a config or results key.
fn task_key(text: &str) -> Result<crate::analysis::tasks::TaskKey> {
    use crate::analysis::tasks::TaskKey;
    match text.strip_prefix("path:") {
        Some(n) => n.trim().parse().map(TaskKey::Path).map_err(|_| {
            Error::usage(format!(
                "--task-key {text:?}: path:N needs a part number N (from 0), e.g. path:0"
            ))
        }),
        None if text.trim().is_empty() => Err(Error::usage(
            "--task-key needs a config or results key (data.name) or path:N",
        )),
        None => Ok(TaskKey::Key(text.trim().to_string())),
    }
}

/// `xreport rank`'s resolved settings: what to read, where to draw, how to test.
#[derive(Debug)]
pub struct RankSetup {
    pub inputs: Inputs,
    /// `--metric`: the metric of tables and run trees.
    pub metric: Option<String>,
    /// `--task-key`: tasks from a config or results key or a path part.
    pub task_key: Option<crate::analysis::tasks::TaskKey>,
    pub explicit: crate::load::multitask::ExplicitColumns,
    /// Where to draw the critical-difference diagram (`-o FILE.png|svg`).
    pub diagram: Option<PathBuf>,
    /// The table: to `-o` unless it is the diagram, else to standard output.
    pub output: Output,
    /// The direction flags and the study file's metric sections.
    pub metrics: Metrics,
    pub posthoc: crate::analysis::options::Posthoc,
    pub alpha: f64,
    pub correction: Correction,
    pub control: Option<String>,
    pub missing: crate::analysis::options::Missing,
}

impl RankSetup {
    /// The analysis options once the metric's name and direction are known.
    pub fn options(
        &self,
        metric: String,
        direction: crate::analysis::direction::Direction,
    ) -> crate::analysis::options::RankOptions {
        crate::analysis::options::RankOptions {
            metric,
            direction,
            posthoc: self.posthoc,
            alpha: self.alpha,
            correction: self.correction,
            control: self.control.clone(),
            missing: self.missing,
        }
    }
}

pub fn rank(args: &crate::cli::RankArgs) -> Result<RankSetup> {
    use crate::analysis::options::{Missing, Posthoc};
    use crate::cli::{MissingArg, PosthocArg};
    let study = study(&args.read, &args.inputs)?;
    let load = load(&args.read, study.as_ref(), None)?;
    // α and the correction as every command resolves them (flag, study file, default).
    let tests = TestArgs {
        test: None,
        paired: false,
        test_train_ratio: None,
        mwu_method: None,
        no_continuity: false,
        aso_threshold: None,
        alternative: None,
        correction: args.correction,
        family: None,
    };
    let target = PowerTargetArgs {
        alpha: args.alpha,
        target_power: None,
        max_seeds: None,
    };
    let inference = inference(Some(&tests), &target, study.as_ref())?;
    let posthoc = match args.posthoc {
        None | Some(PosthocArg::Nemenyi) => Posthoc::Nemenyi,
        Some(PosthocArg::WilcoxonHolm) => Posthoc::WilcoxonHolm,
        Some(PosthocArg::BonferroniDunn) => Posthoc::BonferroniDunn,
    };
    match (posthoc, &args.control) {
        (Posthoc::BonferroniDunn, None) => {
            return Err(Error::usage(
                "--posthoc bonferroni-dunn needs --control METHOD: the method the others are compared with",
            ));
        }
        (Posthoc::Nemenyi | Posthoc::WilcoxonHolm, Some(_)) => {
            return Err(Error::usage(
                "--control is the reference of --posthoc bonferroni-dunn; Nemenyi and Wilcoxon compare every pair",
            ));
        }
        _ => {}
    }
    if posthoc == Posthoc::Nemenyi && args.correction.is_some() {
        return Err(Error::usage(
            "--correction applies to --posthoc wilcoxon-holm and bonferroni-dunn; the Nemenyi test holds α over all pairs itself",
        ));
    }
    // An image extension draws the diagram; the table then goes to standard output.
    let diagram = args
        .output
        .output
        .clone()
        .filter(|path| crate::plot::ImageFormat::of(path).is_ok());
    let table_args = OutputArgs {
        format: args.output.format,
        output: match diagram {
            Some(_) => None,
            None => args.output.output.clone(),
        },
        digits: args.output.digits,
        template: args.output.template.clone(),
        caption: args.output.caption.clone(),
        label: args.output.label.clone(),
        fragment: args.output.fragment,
    };
    let all = || glob_set(&["*".to_string()], "--lower-is-better");
    let none = || glob_set(&[], "--higher-is-better");
    let metrics = Metrics::new(
        None,
        if args.lower_is_better {
            all()?
        } else {
            none()?
        },
        if args.higher_is_better {
            all()?
        } else {
            none()?
        },
        study
            .as_ref()
            .map(|s| s.file.metrics.clone())
            .unwrap_or_default(),
    );
    let columns = &args.read.columns;
    Ok(RankSetup {
        explicit: crate::load::multitask::ExplicitColumns {
            task: columns.task_col.is_some(),
            seed: columns.seed_col.is_some(),
            value: columns.value_col.is_some(),
            condition: columns.condition_col.is_some(),
        },
        inputs: Inputs {
            paths: args.inputs.clone(),
            load,
            study,
        },
        metric: args.metric.clone(),
        task_key: args.task_key.as_deref().map(task_key).transpose()?,
        diagram,
        output: Output {
            per_task: args.per_task,
            ..output(&table_args)?
        },
        metrics,
        posthoc,
        alpha: inference.alpha,
        correction: inference.correction,
        control: args.control.clone(),
        missing: match args.missing {
            None | Some(MissingArg::Drop) => Missing::Drop,
            Some(MissingArg::Worst) => Missing::Worst,
        },
    })
}

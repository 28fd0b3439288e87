//! `xreport.toml`: the study file (DESIGN section 1). Flags override it.
//! An unknown key is an error that names it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::analysis::options::{ExampleReduce, Family, MetricSpec, MissingScores, Unit};
use crate::cli::{bounds, latex_label};
use crate::error::{Error, Result};
use crate::stats::bootstrap::CiMethod;
use crate::stats::correction::Correction;
use crate::stats::inference::{Alternative, TestKind};

pub const FILE_NAME: &str = "xreport.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StudyFile {
    /// Runs root, relative to the study file.
    pub runs: Option<String>,
    pub baseline: Option<String>,
    pub treatments: Option<Vec<String>>,
    /// Config keys (globs) that name conditions, as `--group-by`.
    pub group_by: Option<GroupByKeys>,
    #[serde(default)]
    pub stats: StatsSection,
    #[serde(default)]
    pub metrics: BTreeMap<String, MetricSpec>,
    #[serde(default)]
    pub ablation: AblationSection,
    #[serde(default)]
    pub check: CheckSection,
    #[serde(default)]
    pub table: TableSection,
    #[serde(default)]
    pub examples: ExamplesSection,
}

/// `group_by = "model, optim.lr"` or `group_by = ["model", "optim.lr"]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum GroupByKeys {
    Text(String),
    List(Vec<String>),
}

impl GroupByKeys {
    pub fn keys(&self) -> Vec<String> {
        match self {
            GroupByKeys::Text(text) => text.split(',').map(|k| k.trim().to_string()).collect(),
            GroupByKeys::List(list) => list.clone(),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatsSection {
    pub alpha: Option<f64>,
    pub confidence: Option<f64>,
    pub correction: Option<Correction>,
    pub family: Option<Family>,
    pub test: Option<TestKind>,
    pub alternative: Option<Alternative>,
    pub ci_method: Option<CiMethod>,
    pub resamples: Option<usize>,
    pub seed: Option<u64>,
    pub target_power: Option<f64>,
    pub max_seeds: Option<usize>,
    pub ddof: Option<usize>,
    /// The TOST margin of compare: a number, or "P%" of the baseline mean.
    pub equivalence: Option<MarginValue>,
}

/// `stats.equivalence` as written: `0.2` or `"1%"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum MarginValue {
    Number(f64),
    Text(String),
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AblationSection {
    pub full: Option<String>,
    /// Condition → row label.
    pub rows: Option<BTreeMap<String, String>>,
    pub caption: Option<String>,
    pub label: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckSection {
    pub min_seeds: Option<usize>,
    /// Coefficient of variation above which the spread across seeds is unstable.
    pub max_cv: Option<f64>,
    /// Method components that each need an ablation row.
    pub components: Option<Vec<String>>,
    /// Config keys (globs) ignored when comparing configs.
    pub ignore_keys: Option<Vec<String>>,
    /// Manual checklist items: id → done.
    #[serde(default)]
    pub manual: BTreeMap<String, bool>,
}

/// `[table]`: the main results table (`xreport table`, DESIGN section 14).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableSection {
    /// Row order: `"CONDITION"` or `{ condition = "...", label = "..." }`.
    pub rows: Option<Vec<TableRow>>,
    /// Row groups in the order written: `{ "Baselines" = [...], "Ours" = [...] }`.
    #[serde(default, deserialize_with = "ordered_groups")]
    pub groups: Option<Vec<RowGroup>>,
    pub cell: Option<crate::analysis::main_table::CellKind>,
    /// `"baseline"`, `"best"`, `"none"`, or a list of them.
    pub mark: Option<TableMarks>,
    pub second: Option<crate::analysis::main_table::Second>,
    pub relative: Option<bool>,
    /// As `--task-key`: a config or results key, or `path:N`.
    pub task_key: Option<String>,
    pub caption: Option<String>,
    pub label: Option<String>,
}

/// `[examples]`: per-example scores (DESIGN section 12), each key as the flag
/// of the same name (`--test mcnemar` is `[stats] test = "mcnemar"`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExamplesSection {
    pub example_reduce: Option<ExampleReduce>,
    pub proportion_ci: Option<ProportionCi>,
    pub cluster_col: Option<String>,
    pub unit: Option<Unit>,
    pub missing: Option<MissingScores>,
    pub mid_p: Option<bool>,
}

/// `proportion_ci = "wilson" | "clopper-pearson" | "none"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProportionCi {
    Wilson,
    ClopperPearson,
    None,
}

/// A row group of `[table] groups`: its name and its conditions.
pub type RowGroup = (String, Vec<String>);

/// A row of `[table] rows`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum TableRow {
    Condition(String),
    Labelled { condition: String, label: String },
}

/// `mark = "baseline"` or `mark = ["baseline", "best"]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum TableMarks {
    One(crate::analysis::main_table::Mark),
    List(Vec<crate::analysis::main_table::Mark>),
}

impl TableMarks {
    pub fn marks(&self) -> Vec<crate::analysis::main_table::Mark> {
        match self {
            TableMarks::One(mark) => vec![*mark],
            TableMarks::List(list) => list.clone(),
        }
    }
}

/// The groups table in the order the file writes it (a map would sort it).
fn ordered_groups<'de, D>(deserializer: D) -> std::result::Result<Option<Vec<RowGroup>>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct Groups;
    impl<'de> serde::de::Visitor<'de> for Groups {
        type Value = Vec<RowGroup>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a table of group name = [conditions]")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> std::result::Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(entry) = map.next_entry::<String, Vec<String>>()? {
                out.push(entry);
            }
            Ok(out)
        }
    }
    deserializer.deserialize_map(Groups).map(Some)
}

/// A study file and the folder it was found in.
#[derive(Debug)]
pub struct Located {
    pub path: PathBuf,
    pub file: StudyFile,
}

impl Located {
    /// The runs root it names (default `runs/` beside it when that exists, else its folder).
    pub fn runs_root(&self) -> PathBuf {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        match &self.file.runs {
            Some(runs) => dir.join(runs),
            None if dir.join("runs").is_dir() => dir.join("runs"),
            None => dir.to_path_buf(),
        }
    }
}

/// Parse a study file.
pub fn read(path: &Path) -> Result<StudyFile> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, &e))?;
    let file: StudyFile = toml::from_str(&text).map_err(|e| {
        let location = e.span().map(|span| {
            let line = text[..span.start].matches('\n').count() + 1;
            format!("line {line}")
        });
        let message = format!("invalid study file: {}", e.message());
        match location {
            Some(at) => Error::input_at(path, at, message),
            None => Error::input(path, message),
        }
    })?;
    within_bounds(&file).map_err(|m| Error::input(path, m))?;
    Ok(file)
}

/// The study file's values held to the flags' bounds ([`bounds`]).
fn within_bounds(file: &StudyFile) -> std::result::Result<(), String> {
    let check = |key: &str, value: Option<usize>, range: std::ops::RangeInclusive<u64>| match value
    {
        Some(v) if !range.contains(&(v as u64)) => Err(format!(
            "`{key}` = {v} is not in {}..={}",
            range.start(),
            range.end()
        )),
        _ => Ok(()),
    };
    check("stats.resamples", file.stats.resamples, bounds::RESAMPLES)?;
    check("stats.max_seeds", file.stats.max_seeds, bounds::MAX_SEEDS)?;
    for (metric, spec) in &file.metrics {
        check(
            &format!("metrics.{metric}.digits"),
            spec.digits,
            bounds::DIGITS,
        )?;
    }
    for (key, label) in [
        ("ablation.label", &file.ablation.label),
        ("table.label", &file.table.label),
    ] {
        if let Some(label) = label {
            latex_label(label).map_err(|m| format!("`{key}` = {label:?}: {m}"))?;
        }
    }
    Ok(())
}

/// Find the study file: an explicit path, else the current folder, else beside
/// (or one folder above) each input folder.
pub fn locate(explicit: Option<&Path>, inputs: &[PathBuf]) -> Result<Option<Located>> {
    if let Some(path) = explicit {
        return Ok(Some(Located {
            path: path.to_path_buf(),
            file: read(path)?,
        }));
    }
    let mut candidates = vec![PathBuf::from(FILE_NAME)];
    for input in inputs.iter().filter(|p| p.is_dir()) {
        candidates.push(input.join(FILE_NAME));
        if let Some(parent) = input.parent() {
            candidates.push(parent.join(FILE_NAME));
        }
    }
    for path in candidates {
        if path.is_file() {
            let file = read(&path)?;
            return Ok(Some(Located { path, file }));
        }
    }
    Ok(None)
}

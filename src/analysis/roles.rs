//! Who plays which part in a study — the baseline, the treatments compared
//! with it, the full model and its ablation rows — decided here and only
//! here, for `compare`, `ablation`, `check` and `power --pilot`.
//!
//! The rule (DESIGN sections 1 and 6, and where they are silent, this):
//! - Flags override the study file. A condition named by a flag must be
//!   loaded; the study file's names apply to the conditions loaded, so
//!   running on two folders beside an `xreport.toml` compares those two.
//! - Ablation rows: `--row`, else `[ablation] rows`, else every condition
//!   under `ablations/` (or `ablation/`). The main conditions are the others
//!   outside those folders.
//! - Baseline: `--baseline`, else `baseline`, else the first argument's
//!   condition when several were given (its plain condition when it holds
//!   override sets), else the one main condition named as a baseline
//!   (`baseline`, `control`, `exp0_baseline`; two such names are an error),
//!   else the only main condition.
//! - Treatments: `--treatment`, else `treatments`, else every main condition
//!   but the baseline, override sets (`exp1@a3f8c1`) included.
//! - Full model: `--full`, else `[ablation] full`, else the one treatment (of
//!   several, the only one that is not an override set); with no treatment,
//!   the baseline (a model and its ablations). Never a guess among several:
//!   the study file's first treatment is not the full model by default.
//! - `power --pilot` compares the baseline with that same one treatment.

use crate::error::{Error, Result};
use crate::load::Study;

/// The baseline and the treatments compared with it, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roles {
    pub baseline: String,
    pub treatments: Vec<String>,
}

/// An ablation row: its condition and the label the user gave it, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub condition: String,
    pub label: Option<String>,
}

/// Conditions named for each role, as the user wrote them.
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub baseline: Option<String>,
    pub treatments: Vec<String>,
    pub full: Option<String>,
    pub rows: Vec<Row>,
}

/// What the user named: by flags (each must be a loaded condition) and in
/// the study file (each applies when it is loaded).
#[derive(Debug, Clone, Default)]
pub struct Named {
    pub flags: Names,
    pub file: Names,
}

/// Every role of a study, resolved.
#[derive(Debug, Clone)]
pub struct StudyRoles {
    /// `None` when neither named nor inferable.
    pub baseline: Option<String>,
    pub treatments: Vec<String>,
    /// `None` when neither named nor inferable.
    pub full: Option<String>,
    pub rows: Vec<Row>,
    /// What to tell the user when the baseline or the full model is missing.
    no_baseline: String,
    no_full: String,
}

/// Resolve every role. Errors: a condition named by a flag that is not
/// loaded (listing the conditions), a named full model that is also a row,
/// and two conditions named as baselines when none was named.
pub fn resolve(study: &Study, named: &Named) -> Result<StudyRoles> {
    let loaded = |name: &String| find(study, name, "").ok();
    let named_rows = |rows: &[Row], strict: bool| -> Result<Vec<Row>> {
        let mut out = Vec::new();
        for row in rows {
            let condition = if strict {
                find(study, &row.condition, "ablation row")?
            } else {
                match loaded(&row.condition) {
                    Some(c) => c,
                    None => continue,
                }
            };
            out.push(Row {
                condition,
                label: row.label.clone(),
            });
        }
        Ok(out)
    };
    let mut rows = named_rows(&named.flags.rows, true)?;
    if rows.is_empty() {
        rows = named_rows(&named.file.rows, false)?;
    }
    if rows.is_empty() {
        rows = study
            .conditions
            .iter()
            .filter(|c| is_ablation_folder(c))
            .map(|c| Row {
                condition: c.clone(),
                label: None,
            })
            .collect();
    }
    let is_row = |c: &String| rows.iter().any(|r| &r.condition == c);
    let main: Vec<&String> = study
        .conditions
        .iter()
        .filter(|c| !is_row(c) && !is_ablation_folder(c))
        .collect();

    let baseline = match &named.flags.baseline {
        Some(name) => Some(find(study, name, "baseline")?),
        None => match named.file.baseline.as_ref().and_then(loaded) {
            Some(name) => Some(name),
            None => infer_baseline(study, &main)?,
        },
    };

    let mut treatments: Vec<String> = named
        .flags
        .treatments
        .iter()
        .map(|t| find(study, t, "treatment"))
        .collect::<Result<_>>()?;
    if treatments.is_empty() {
        treatments = named.file.treatments.iter().filter_map(loaded).collect();
    }
    if treatments.is_empty() {
        treatments = main
            .iter()
            .filter(|c| Some(**c) != baseline.as_ref())
            .map(|c| (*c).clone())
            .collect();
    }

    let full = match &named.flags.full {
        Some(name) => Some(find(study, name, "full model")?),
        None => named.file.full.as_ref().and_then(loaded),
    };
    if let Some(full) = &full
        && is_row(full)
    {
        return Err(Error::usage(format!(
            "`{full}` is both the full model and an ablation row"
        )));
    }
    let full = full.or_else(|| match treatments.as_slice() {
        [] => baseline.clone(),
        _ => sole(&treatments).filter(|t| !is_row(t)).cloned(),
    });

    let no_baseline = format!(
        "which condition is the baseline? name it with --baseline (or `baseline` in xreport.toml); the conditions are: {}",
        listing(study)
    );
    let candidates: Vec<&String> = treatments.iter().filter(|t| !is_variant(t)).collect();
    let no_full = format!(
        "which condition is the full model? name it with --full (or [ablation] full in xreport.toml); candidates: {}",
        candidates
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(StudyRoles {
        baseline,
        treatments,
        full,
        rows,
        no_baseline,
        no_full,
    })
}

impl StudyRoles {
    /// The baseline and the treatments, as `xreport compare` needs them.
    pub fn comparison(&self) -> Result<Roles> {
        let baseline = self.baseline()?;
        if self.treatments.is_empty() {
            return Err(Error::usage(format!(
                "nothing to compare with the baseline `{baseline}`: give treatment runs too"
            )));
        }
        Ok(Roles {
            baseline,
            treatments: self.treatments.clone(),
        })
    }

    /// The full model and the rows, as `xreport ablation` needs them.
    pub fn ablation(&self) -> Result<(String, &[Row])> {
        if self.rows.is_empty() {
            return Err(Error::usage(
                "no ablation rows: put them under ablations/ in the runs root, or name them with --row LABEL=CONDITION or [ablation] rows in xreport.toml",
            ));
        }
        let full = self
            .full
            .clone()
            .ok_or_else(|| Error::usage(self.no_full.clone()))?;
        Ok((full, &self.rows))
    }

    /// The baseline and the one treatment of a pilot study.
    pub fn pilot(&self) -> Result<(String, String)> {
        let roles = self.comparison()?;
        match sole(&roles.treatments) {
            Some(treatment) => Ok((roles.baseline, treatment.clone())),
            None => Err(Error::usage(format!(
                "which pilot condition is the treatment? name it with --treatment; candidates: {}",
                roles.treatments.join(", ")
            ))),
        }
    }

    fn baseline(&self) -> Result<String> {
        self.baseline
            .clone()
            .ok_or_else(|| Error::usage(self.no_baseline.clone()))
    }
}

/// The one treatment: the only one, or of several the only one that is not
/// an override set (the others being its variants).
fn sole(treatments: &[String]) -> Option<&String> {
    if let [one] = treatments {
        return Some(one);
    }
    let plain: Vec<&String> = treatments.iter().filter(|t| !is_variant(t)).collect();
    match plain.as_slice() {
        [one] => Some(one),
        _ => None,
    }
}

/// An override set of a condition (`exp1_new_masking@a3f8c1`, DESIGN section 2).
fn is_variant(condition: &str) -> bool {
    condition.contains('@')
}

/// A condition under `ablations/` (DESIGN section 1) or `ablation/`.
fn is_ablation_folder(condition: &str) -> bool {
    condition.starts_with("ablations/") || condition.starts_with("ablation/")
}

/// A condition by name, or an error listing the candidates.
pub fn find(study: &Study, name: &str, role: &str) -> Result<String> {
    if study.conditions.iter().any(|c| c == name) {
        return Ok(name.to_string());
    }
    // `model=a,optim.lr=0.1` for the condition `model=a, optim.lr=0.1`.
    let spaced = |c: &str| c.replace(", ", ",");
    if let Some(c) = study.conditions.iter().find(|c| spaced(c) == spaced(name)) {
        return Ok(c.clone());
    }
    // A folder path given as a name: match on its last part.
    let trimmed = name.trim_end_matches('/');
    let by_suffix: Vec<&String> = study
        .conditions
        .iter()
        .filter(|c| {
            trimmed.ends_with(c.as_str()) && trimmed[..trimmed.len() - c.len()].ends_with('/')
        })
        .collect();
    if let [one] = by_suffix.as_slice() {
        return Ok((*one).clone());
    }
    Err(Error::usage(format!(
        "the {role} `{name}` is not a condition of these runs; the conditions are: {}",
        listing(study)
    )))
}

/// The baseline nobody named: the first argument's condition, else the one
/// main condition named as a baseline, else the only main condition; `None`
/// when none of these tells, an error when several conditions are named as
/// baselines.
fn infer_baseline(study: &Study, main: &[&String]) -> Result<Option<String>> {
    if study.per_input.len() > 1 {
        let first: Vec<&String> = study.per_input[0]
            .iter()
            .filter(|c| main.contains(c))
            .collect();
        let plain: Vec<&String> = first.iter().copied().filter(|c| !is_variant(c)).collect();
        if let ([one], _) | (_, [one]) = (first.as_slice(), plain.as_slice()) {
            return Ok(Some((*one).clone()));
        }
    }
    let named: Vec<&str> = main
        .iter()
        .filter(|c| !is_variant(c) && is_baseline_name(c))
        .map(|c| c.as_str())
        .collect();
    match (named.as_slice(), main) {
        ([one], _) => Ok(Some(one.to_string())),
        ([], [only]) => Ok(Some((*only).clone())),
        ([], _) => Ok(None),
        _ => Err(Error::usage(format!(
            "more than one condition is named as a baseline ({}): name the one with --baseline (or `baseline` in xreport.toml)",
            named.join(", ")
        ))),
    }
}

/// `baseline`, `base`, `control`, or a name with the word `baseline`
/// (`exp0_baseline`, `exp0_baseline_hubert`), as the condition's last
/// path part or as a value of its config keys (`model=baseline`).
fn is_baseline_name(condition: &str) -> bool {
    let last = condition.rsplit('/').next().unwrap_or(condition);
    let is_name = |word: &str| {
        let word = word.trim().to_ascii_lowercase();
        matches!(word.as_str(), "baseline" | "base" | "control")
            || word.split(['_', '-']).any(|w| w == "baseline")
    };
    if last.contains('=') {
        let pairs: Vec<&str> = last.split(", ").collect();
        pairs.len() == 1 && pairs[0].split_once('=').is_some_and(|(_, v)| is_name(v))
    } else {
        is_name(last)
    }
}

/// The conditions for a message, each quoted: names may hold `, `.
fn listing(study: &Study) -> String {
    let quoted: Vec<String> = study.conditions.iter().map(|c| format!("`{c}`")).collect();
    quoted.join(", ")
}

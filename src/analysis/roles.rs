//! Which condition is the baseline and which are treatments: flags, then the
//! study file, then the arguments (the first folder is the baseline).

use crate::error::{Error, Result};
use crate::load::Study;
use crate::study_file::Located;

/// The baseline and the treatments compared with it, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roles {
    pub baseline: String,
    pub treatments: Vec<String>,
}

/// Resolve the roles; every named condition must exist in the study.
pub fn resolve(
    study: &Study,
    baseline: Option<&str>,
    treatments: &[String],
    file: Option<&Located>,
) -> Result<Roles> {
    // The study file's roles apply to the conditions loaded: running on two
    // folders beside an xreport.toml compares those two.
    let present = |name: &&str| find(study, name, "").is_ok();
    let file_baseline = file
        .and_then(|f| f.file.baseline.as_deref())
        .filter(present);
    let baseline = match baseline.or(file_baseline) {
        Some(name) => find(study, name, "baseline")?,
        None => infer_baseline(study)?,
    };
    let named: Vec<String> = if !treatments.is_empty() {
        treatments.to_vec()
    } else {
        let listed = file.and_then(|f| f.file.treatments.clone());
        let listed = listed.unwrap_or_default().into_iter();
        listed.filter(|t| present(&t.as_str())).collect()
    };
    let treatments = if named.is_empty() {
        study
            .conditions
            .iter()
            .filter(|c| **c != baseline)
            .cloned()
            .collect()
    } else {
        named
            .iter()
            .map(|t| find(study, t, "treatment"))
            .collect::<Result<Vec<_>>>()?
    };
    if treatments.is_empty() {
        return Err(Error::usage(format!(
            "nothing to compare with the baseline `{baseline}`: give treatment runs too"
        )));
    }
    Ok(Roles {
        baseline,
        treatments,
    })
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

/// The first argument's condition when several were given and it is
/// exactly one; else the condition named as a baseline (DESIGN 10).
fn infer_baseline(study: &Study) -> Result<String> {
    if study.per_input.len() <= 1
        && let Some(named) = named_baseline(study.conditions.iter())?
    {
        return Ok(named);
    }
    match study.per_input.first().map(Vec::as_slice) {
        Some([one]) if study.per_input.len() > 1 || study.conditions.len() == 1 => Ok(one.clone()),
        Some(first) if study.per_input.len() > 1 && !first.is_empty() => {
            // A condition folder with override sets: its plain condition is the baseline.
            let plain: Vec<&String> = first.iter().filter(|c| !c.contains('@')).collect();
            match plain.as_slice() {
                [one] => Ok((*one).clone()),
                _ => Err(ambiguous(study)),
            }
        }
        _ => Err(ambiguous(study)),
    }
}

/// The one condition among `candidates` named as a baseline; `None` when
/// none is, an error naming them when several are.
pub fn named_baseline<'a>(candidates: impl Iterator<Item = &'a String>) -> Result<Option<String>> {
    let named: Vec<&String> = candidates.filter(|c| is_baseline_name(c)).collect();
    match named.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some((*one).clone())),
        _ => {
            let names: Vec<&str> = named.iter().map(|c| c.as_str()).collect();
            Err(Error::usage(format!(
                "more than one condition is named as a baseline ({}): name the one with --baseline (or `baseline` in xreport.toml)",
                names.join(", ")
            )))
        }
    }
}

/// `baseline`, `base`, `control`, or a name with the word `baseline`
/// (`exp0_baseline`, `exp0_baseline_hubert`), as the condition's last
/// path part or as a value of its config keys (`model=baseline`).
pub fn is_baseline_name(condition: &str) -> bool {
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

fn ambiguous(study: &Study) -> Error {
    Error::usage(format!(
        "which condition is the baseline? name it with --baseline (or `baseline` in xreport.toml); the conditions are: {}",
        listing(study)
    ))
}

/// The conditions for a message, each quoted: names may hold `, `.
fn listing(study: &Study) -> String {
    let quoted: Vec<String> = study.conditions.iter().map(|c| format!("`{c}`")).collect();
    quoted.join(", ")
}

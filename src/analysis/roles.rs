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
        study.conditions.join(", ")
    )))
}

/// The first argument's condition, when it is exactly one.
fn infer_baseline(study: &Study) -> Result<String> {
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

fn ambiguous(study: &Study) -> Error {
    Error::usage(format!(
        "which condition is the baseline? name it with --baseline (or `baseline` in xreport.toml); the conditions are: {}",
        study.conditions.join(", ")
    ))
}

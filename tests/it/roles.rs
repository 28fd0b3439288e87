//! Roles agree across commands: `xreport ablation`, `check`, `compare` and
//! `power --pilot` pick the same baseline, treatments, full model and
//! ablation rows on the same tree, because one module decides them.

use serde_json::Value;

use crate::common::{tree, xreport};

/// What one tree should resolve to.
struct Expected<'a> {
    baseline: &'a str,
    treatments: &'a [&'a str],
    /// `None`: no full model can be told, and `xreport ablation` says so.
    full: Option<&'a str>,
    rows: &'a [&'a str],
    /// The pilot treatment `xreport power` compares with the baseline;
    /// `None`: it asks for --treatment.
    pilot: Option<&'a str>,
}

/// Three seeds of `condition` (a folder under `runs/`) with distinct values.
fn seeds(files: &mut Vec<(String, String)>, folder: &str, base: f64) {
    for (i, seed) in [1, 2, 3].into_iter().enumerate() {
        files.push((
            format!("runs/{folder}/seed_{seed}/results.json"),
            format!(
                r#"{{"acc": {}}}"#,
                base + 0.3 * i as f64 + 0.1 * (i * i) as f64
            ),
        ));
    }
}

/// `xreport <args> <runs> --format json` in the tree; the exit code and the JSON.
fn json(dir: &tempfile::TempDir, args: &[&str], extra: &[&str]) -> (i32, Value, String) {
    let out = xreport()
        .current_dir(dir.path())
        .args(args)
        .arg("runs")
        .args(extra)
        .args(["--format", "json"])
        .output()
        .expect("xreport runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    let value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap_or(-1), value, stderr)
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("a list: {value}"))
        .iter()
        .map(|v| v.as_str().expect("a string").to_string())
        .collect()
}

/// Run the four commands on the tree and assert each picks the expected roles.
fn assert_agree(files: &[(String, String)], expected: &Expected) {
    let pairs: Vec<(&str, &str)> = files
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let dir = tree(&pairs);
    let fast = ["--resamples", "1000"];

    let (_, check, stderr) = json(&dir, &["check"], &fast);
    let roles = &check["roles"];
    assert_eq!(
        roles["baseline"], expected.baseline,
        "check baseline\n{stderr}"
    );
    assert_eq!(
        strings(&roles["treatments"]),
        expected.treatments,
        "check treatments"
    );
    assert_eq!(roles["full"].as_str(), expected.full, "check full model");
    assert_eq!(
        strings(&roles["ablation_rows"]),
        expected.rows,
        "check rows"
    );

    let (code, compare, stderr) = json(&dir, &["compare"], &fast);
    assert_eq!(code, 0, "compare\n{stderr}");
    let comparisons = compare["comparisons"].as_array().expect("comparisons");
    assert!(
        comparisons
            .iter()
            .all(|c| c["baseline"] == expected.baseline),
        "compare baseline: {comparisons:?}"
    );
    let mut treatments: Vec<String> = Vec::new();
    for c in comparisons {
        let t = c["treatment"].as_str().unwrap().to_string();
        if !treatments.contains(&t) {
            treatments.push(t);
        }
    }
    assert_eq!(treatments, expected.treatments, "compare treatments");

    let (code, ablation, stderr) = json(&dir, &["ablation"], &fast);
    match expected.full {
        Some(full) => {
            assert_eq!(code, 0, "ablation\n{stderr}");
            assert_eq!(ablation["full"], full, "ablation full model");
            let rows: Vec<String> = ablation["rows"]
                .as_array()
                .unwrap()
                .iter()
                .skip(1)
                .map(|r| r["condition"].as_str().unwrap().to_string())
                .collect();
            assert_eq!(rows, expected.rows, "ablation rows");
        }
        None => {
            assert_eq!(code, 2, "ablation without a full model\n{stderr}");
            assert!(
                stderr.contains("which condition is the full model? name it with --full"),
                "{stderr}"
            );
        }
    }

    let (code, power, stderr) = json(&dir, &["power", "--metric", "acc", "--pilot"], &[]);
    match expected.pilot {
        Some(treatment) => {
            assert_eq!(code, 0, "power\n{stderr}");
            assert_eq!(
                power["pilot"]["baseline"], expected.baseline,
                "power baseline"
            );
            assert_eq!(power["pilot"]["treatment"], treatment, "power treatment");
        }
        None => {
            assert_eq!(code, 2, "power with several treatments\n{stderr}");
            assert!(stderr.contains("name it with --treatment"), "{stderr}");
        }
    }
}

#[test]
fn rows_under_ablation_singular_are_ablation_rows_for_every_command() {
    let mut files = Vec::new();
    seeds(&mut files, "exp0_baseline", 70.0);
    seeds(&mut files, "exp1_new_masking", 75.0);
    seeds(&mut files, "ablation/no_masking", 71.0);
    assert_agree(
        &files,
        &Expected {
            baseline: "exp0_baseline",
            treatments: &["exp1_new_masking"],
            full: Some("exp1_new_masking"),
            rows: &["ablation/no_masking"],
            pilot: Some("exp1_new_masking"),
        },
    );
}

#[test]
fn a_single_treatment_is_the_full_model_for_every_command() {
    let mut files = Vec::new();
    seeds(&mut files, "exp0_baseline", 70.0);
    seeds(&mut files, "exp1_new_masking", 75.0);
    seeds(&mut files, "ablations/no_aux_loss", 74.0);
    seeds(&mut files, "ablations/no_span", 71.0);
    assert_agree(
        &files,
        &Expected {
            baseline: "exp0_baseline",
            treatments: &["exp1_new_masking"],
            full: Some("exp1_new_masking"),
            rows: &["ablations/no_aux_loss", "ablations/no_span"],
            pilot: Some("exp1_new_masking"),
        },
    );
}

#[test]
fn the_study_files_treatments_and_baseline_hold_for_every_command() {
    let mut files = Vec::new();
    seeds(&mut files, "control", 70.0);
    seeds(&mut files, "exp1_new_masking", 75.0);
    seeds(&mut files, "exp2_other", 72.0);
    seeds(&mut files, "ablations/no_span", 71.0);
    files.push((
        "xreport.toml".into(),
        "baseline = \"control\"\ntreatments = [\"exp1_new_masking\"]\n".into(),
    ));
    assert_agree(
        &files,
        &Expected {
            baseline: "control",
            treatments: &["exp1_new_masking"],
            full: Some("exp1_new_masking"),
            rows: &["ablations/no_span"],
            pilot: Some("exp1_new_masking"),
        },
    );
}

#[test]
fn two_named_treatments_leave_the_full_model_to_be_named_for_every_command() {
    let mut files = Vec::new();
    seeds(&mut files, "exp0_baseline", 70.0);
    seeds(&mut files, "exp1_new_masking", 75.0);
    seeds(&mut files, "exp2_bigger_codebook", 72.0);
    seeds(&mut files, "ablations/no_span", 71.0);
    files.push((
        "xreport.toml".into(),
        "treatments = [\"exp1_new_masking\", \"exp2_bigger_codebook\"]\n".into(),
    ));
    assert_agree(
        &files,
        &Expected {
            baseline: "exp0_baseline",
            treatments: &["exp1_new_masking", "exp2_bigger_codebook"],
            full: None,
            rows: &["ablations/no_span"],
            pilot: None,
        },
    );
}

#[test]
fn override_sets_are_treatments_but_the_plain_condition_is_the_full_model() {
    let mut files = Vec::new();
    seeds(&mut files, "exp0_baseline", 70.0);
    seeds(&mut files, "exp1_new_masking", 75.0);
    files.push((
        "runs/exp1_new_masking/index.yaml".into(),
        "a3f8c1: {model.latent_dim: 512}\n".into(),
    ));
    for (seed, acc) in [(1, 76.0), (2, 76.4), (3, 75.7)] {
        files.push((
            format!("runs/exp1_new_masking/seed_{seed}_a3f8c1/results.json"),
            format!(r#"{{"acc": {acc}}}"#),
        ));
    }
    seeds(&mut files, "ablations/no_span", 71.0);
    assert_agree(
        &files,
        &Expected {
            baseline: "exp0_baseline",
            treatments: &["exp1_new_masking", "exp1_new_masking@a3f8c1"],
            full: Some("exp1_new_masking"),
            rows: &["ablations/no_span"],
            pilot: Some("exp1_new_masking"),
        },
    );
}

//! `xreport ablation --equivalence` and the checklist under a margin (issue
//! 18): TOST decides which components do not earn their place, and
//! `compare.noise` / `ablation.earns-place` cite it. On the speech-SSL example
//! the smaller codebook moves CER by +0.032 and WER by +0.10 (std ≈ 0.1 and
//! 0.35 over 5 seeds): equivalent within 5% of the full model, undecided within 1%.

use serde_json::Value;

use crate::common::{assert_golden, tree, xreport};

const SMALLER: &str = "ablations/smaller_codebook";

fn in_example(command: &str, args: &[&str]) -> assert_cmd::assert::Assert {
    xreport()
        .current_dir(crate::common::root().join("examples/speech-ssl"))
        .args([command, "--metric", "test.*"])
        .args(args)
        .assert()
}

fn ablation_json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let out = in_example("ablation", &all).success();
    serde_json::from_slice(&out.get_output().stdout).expect("JSON parses")
}

fn names(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {value}"))
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

#[test]
fn a_removal_equivalent_on_every_metric_does_not_earn_its_place() {
    let report = ablation_json(&["--equivalence", "5%"]);
    assert_eq!(names(&report["not_earning"]), [SMALLER]);
    assert!(names(&report["undecided"]).is_empty());
    for c in report["comparisons"].as_array().unwrap() {
        let e = &c["equivalence"];
        let mean = c["mean_baseline"].as_f64().unwrap();
        assert!((e["margin"].as_f64().unwrap() - 0.05 * mean).abs() < 1e-12);
        // only the smaller codebook is within ±5% of the full model
        assert_eq!(e["equivalent"], c["treatment"] == SMALLER, "{c}");
    }
}

#[test]
fn a_removal_neither_significant_nor_equivalent_is_undecided() {
    let report = ablation_json(&["--equivalence", "1%"]);
    assert!(names(&report["not_earning"]).is_empty());
    assert_eq!(names(&report["undecided"]), [SMALLER]);
    // without a margin the heuristic names it (within noise on both metrics)
    let heuristic = ablation_json(&[]);
    assert_eq!(names(&heuristic["not_earning"]), [SMALLER]);
    assert!(heuristic.get("undecided").is_none());
}

#[test]
fn ablation_equivalence_tables_match_golden_files() {
    for (format, ext) in [("md", "md"), ("csv", "csv")] {
        let out = in_example("ablation", &["--equivalence", "5%", "--format", format]).success();
        assert_golden(
            &format!("ablation/equivalence.{ext}"),
            &out.get_output().stdout,
        );
    }
}

#[test]
fn the_ablation_equivalence_latex_table_compiles() {
    if !crate::latex::pdflatex_available() {
        return;
    }
    let out = in_example("ablation", &["--equivalence", "5%", "--latex"]).success();
    let body = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(body.contains("Not earning their place"));
    let dir = crate::latex::compile(&["booktabs"], &body);
    assert!(dir.path().join("tables.pdf").is_file());
}

fn check_finding(args: &[&str], id: &str) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let out = in_example("check", &all).get_output().stdout.clone();
    let report: Value = serde_json::from_slice(&out).expect("JSON parses");
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == id)
        .unwrap_or_else(|| panic!("no finding {id}"))
        .clone()
}

#[test]
fn check_cites_the_tost_for_the_ablation_rows() {
    let earns = check_finding(&["--equivalence", "5%"], "ablation.earns-place");
    assert_eq!(earns["status"], "warn");
    let message = earns["message"].as_str().unwrap();
    assert!(
        message.contains("equivalent to exp1_new_masking within ±5% on every metric (TOST"),
        "{message}"
    );
    let evidence = earns["evidence"].to_string();
    assert!(evidence.contains("TOST ±"), "{evidence}");
    // within 1% nothing is shown equivalent: the rule passes and names the undecided row
    let earns = check_finding(&["--equivalence", "1%"], "ablation.earns-place");
    assert_eq!(earns["status"], "pass");
    let message = earns["message"].as_str().unwrap();
    assert!(message.contains("undecided"), "{message}");
    assert!(message.contains(SMALLER), "{message}");
}

#[test]
fn compare_noise_fails_a_treatment_shown_equivalent_to_the_baseline() {
    let dir = tree(&[(
        "results.csv",
        "condition,seed,acc\n\
         base,1,80.1\nbase,2,80.3\nbase,3,79.9\nbase,4,80.2\nbase,5,80.0\nbase,6,80.4\n\
         same,1,80.2\nsame,2,80.0\nsame,3,80.3\nsame,4,80.1\nsame,5,80.2\nsame,6,80.0\n",
    )]);
    let finding = |margin: Option<&str>| -> Value {
        let mut cmd = xreport();
        cmd.current_dir(dir.path()).args([
            "check",
            "results.csv",
            "--baseline",
            "base",
            "--format",
            "json",
        ]);
        if let Some(m) = margin {
            cmd.args(["--equivalence", m]);
        }
        let out = cmd.assert().get_output().stdout.clone();
        let report: Value = serde_json::from_slice(&out).unwrap();
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == "compare.noise")
            .unwrap()
            .clone()
    };
    let tost = finding(Some("0.5"));
    assert_eq!(tost["status"], "fail");
    let message = tost["message"].as_str().unwrap();
    assert!(
        message.contains("equivalent to the baseline (TOST ±0.5"),
        "{message}"
    );
    assert!(tost["evidence"][0].as_str().unwrap().contains("equivalent"));
    // the same pair without a margin is within noise, as before
    let plain = finding(None);
    assert_eq!(plain["status"], "fail");
    assert!(!plain["message"].as_str().unwrap().contains("TOST"));
}

#[test]
fn the_study_files_margin_reaches_ablation_and_check() {
    let dir = tree(&[
        (
            "results.csv",
            "condition,seed,acc\nfull,1,80.1\nfull,2,80.3\nfull,3,79.9\n\
             no_x,1,80.2\nno_x,2,80.0\nno_x,3,80.3\n",
        ),
        (
            "xreport.toml",
            "[stats]\nequivalence = 0.5\n[ablation]\nfull = \"full\"\nrows = { \"no_x\" = \"Without x\" }\n",
        ),
    ]);
    let out = xreport()
        .current_dir(dir.path())
        .args(["ablation", "results.csv", "--format", "json"])
        .assert()
        .success();
    let report: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(report["settings"]["equivalence"], "0.5");
    assert!(report["comparisons"][0]["equivalence"]["p_value"].is_number());
    assert!(report["undecided"].is_array());
}

#[test]
fn a_bad_margin_exits_2_in_ablation_and_check() {
    for command in ["ablation", "check"] {
        for margin in ["0", "-1", "abc%"] {
            let out = in_example(command, &["--equivalence", margin]).code(2);
            let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
            assert!(
                err.contains("--equivalence must be"),
                "{command} {margin}: {err}"
            );
        }
        let out = in_example(command, &["--equivalence", "1%", "--alpha", "0.5"]).code(2);
        let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(
            err.contains("--equivalence needs --alpha below 0.5"),
            "{err}"
        );
    }
}

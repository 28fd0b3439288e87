//! `xreport compare --equivalence` (TOST, DESIGN section 13) end to end: the
//! JSON against the TOST of stats::tost (itself checked against statsmodels),
//! the three outcomes in golden md and LaTeX, and bad margins.

use serde_json::Value;

use crate::common::{assert_golden, tree, xreport};

const RESULTS: &str = "tests/fixtures/equivalence/results.csv";

fn compare(args: &[&str]) -> Vec<u8> {
    let out = xreport()
        .args(["compare", RESULTS, "--baseline", "base"])
        .args(args)
        .assert()
        .success();
    out.get_output().stdout.clone()
}

fn json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    serde_json::from_slice(&compare(&all)).expect("JSON parses")
}

fn by_treatment<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["comparisons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["treatment"] == name)
        .unwrap_or_else(|| panic!("no comparison of {name}"))
}

#[test]
fn equivalent_different_and_inconclusive_pairs_get_their_verdicts() {
    let report = json(&["--equivalence", "0.5"]);
    assert_eq!(report["settings"]["equivalence"], "0.5");
    let same = by_treatment(&report, "same");
    assert_eq!(same["verdict"], "equivalent");
    assert_eq!(same["equivalence"]["equivalent"], true);
    let worse = by_treatment(&report, "worse");
    assert_eq!(worse["verdict"], "regression");
    assert_eq!(worse["equivalence"]["equivalent"], false);
    let noisy = by_treatment(&report, "noisy");
    assert_eq!(noisy["equivalence"]["equivalent"], false);
    assert!(["within-noise", "no-evidence"].contains(&noisy["verdict"].as_str().unwrap()));
    // The TOST p is the larger one-sided p, and holm over the 3 treatments
    // multiplies the smallest by 3.
    let mut ps: Vec<(f64, f64)> = ["same", "worse", "noisy"]
        .iter()
        .map(|t| {
            let e = &by_treatment(&report, t)["equivalence"];
            let p = e["p_value"].as_f64().unwrap();
            let larger = e["p_lower"]
                .as_f64()
                .unwrap()
                .max(e["p_upper"].as_f64().unwrap());
            assert_eq!(p, larger);
            (p, e["p_adjusted"].as_f64().unwrap())
        })
        .collect();
    ps.sort_by(|a, b| a.0.total_cmp(&b.0));
    assert!((ps[0].1 - 3.0 * ps[0].0).abs() < 1e-15);
    // Same numbers as the library function on the fixture's values.
    let base = [80.1, 80.3, 79.9, 80.2, 80.0, 80.4];
    let same_values = [80.2, 80.0, 80.3, 80.1, 80.2, 80.0];
    let r = xreport::stats::tost::tost(
        &base,
        &same_values,
        -0.5,
        0.5,
        0.05,
        xreport::stats::tost::TostKind::Welch,
    )
    .unwrap();
    let e = &same["equivalence"];
    assert!((e["p_value"].as_f64().unwrap() - r.p_value).abs() < 1e-12);
    assert!((e["ci"][0].as_f64().unwrap() - r.interval[0]).abs() < 1e-12);
}

#[test]
fn a_percentage_margin_is_of_the_baseline_mean() {
    let report = json(&["--equivalence", "1%"]);
    let margin = by_treatment(&report, "same")["equivalence"]["margin"]
        .as_f64()
        .unwrap();
    let mean = (80.1 + 80.3 + 79.9 + 80.2 + 80.0 + 80.4) / 6.0;
    assert!((margin - mean / 100.0).abs() < 1e-12, "{margin}");
}

#[test]
fn equivalence_outputs_match_golden_files() {
    for (format, ext) in [("md", "md"), ("latex", "tex")] {
        let out = compare(&["--equivalence", "0.5", "--format", format]);
        assert_golden(&format!("compare/equivalence.{ext}"), &out);
    }
}

#[test]
fn the_equivalence_latex_table_compiles() {
    if !crate::latex::pdflatex_available() {
        return;
    }
    let body = String::from_utf8(compare(&["--equivalence", "0.5", "--format", "latex"])).unwrap();
    let dir = crate::latex::compile(&["booktabs"], &body);
    assert!(dir.path().join("tables.pdf").is_file());
}

fn usage_error(args: &[&str]) -> String {
    let out = xreport()
        .args(["compare", RESULTS, "--baseline", "base"])
        .args(args)
        .assert()
        .code(2);
    String::from_utf8_lossy(&out.get_output().stderr).into_owned()
}

#[test]
fn a_bad_margin_exits_2_naming_the_flag() {
    for margin in ["0", "-0.2", "inf", "NaN", "-1%", "abc", "%"] {
        let err = usage_error(&["--equivalence", margin]);
        assert!(err.contains("--equivalence must be"), "{margin}: {err}");
    }
}

#[test]
fn a_bad_margin_in_the_study_file_exits_2_naming_the_key() {
    let dir = tree(&[
        (
            "results.csv",
            "condition,seed,acc\nbase,1,1.0\nbase,2,2.0\nt,1,1.5\nt,2,2.5\n",
        ),
        (
            "xreport.toml",
            "baseline = \"base\"\n[stats]\nequivalence = -1\n",
        ),
    ]);
    let out = xreport()
        .current_dir(dir.path())
        .args(["compare", "results.csv"])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr);
    assert!(err.contains("stats.equivalence must be"), "{err}");
}

#[test]
fn the_study_file_sets_the_margin() {
    let dir = tree(&[
        (
            "results.csv",
            "condition,seed,acc\nbase,1,1.0\nbase,2,2.0\nt,1,1.5\nt,2,2.5\n",
        ),
        (
            "xreport.toml",
            "baseline = \"base\"\n[stats]\nequivalence = \"5%\"\n",
        ),
    ]);
    let out = xreport()
        .current_dir(dir.path())
        .args(["compare", "results.csv", "--format", "json"])
        .assert()
        .success();
    let report: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(report["settings"]["equivalence"], "5%");
    let margin = report["comparisons"][0]["equivalence"]["margin"]
        .as_f64()
        .unwrap();
    assert!((margin - 0.075).abs() < 1e-12);
}

#[test]
fn one_seed_gives_an_undefined_equivalence_with_its_reason() {
    let dir = tree(&[(
        "results.csv",
        "condition,seed,acc\nbase,1,1.0\nt,1,1.5\nt,2,2.5\n",
    )]);
    let out = xreport()
        .current_dir(dir.path())
        .args([
            "compare",
            "results.csv",
            "--baseline",
            "base",
            "--equivalence",
            "0.2",
            "--format",
            "json",
        ])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(!text.contains("NaN"));
    let report: Value = serde_json::from_str(&text).unwrap();
    let c = &report["comparisons"][0];
    assert_eq!(c["verdict"], "undefined");
    assert!(c["equivalence"]["p_value"].is_null());
    let reason = c["equivalence"]["undefined"].as_str().unwrap();
    assert!(reason.contains("at least 2 seeds"), "{reason}");
}

#[test]
fn csv_has_the_tost_columns_only_under_equivalence() {
    let with = String::from_utf8(compare(&["--equivalence", "0.5", "--format", "csv"])).unwrap();
    let header = with.lines().next().unwrap();
    assert!(
        header
            .ends_with("equivalence_margin,equivalence_p_value,equivalence_p_adjusted,equivalent"),
        "{header}"
    );
    let same = with.lines().find(|l| l.starts_with("base,same,")).unwrap();
    assert!(same.ends_with(",true"), "{same}");
    let without = String::from_utf8(compare(&["--format", "csv"])).unwrap();
    assert!(!without.contains("equivalen"));
}

#[test]
fn equivalence_with_alpha_of_one_half_or_more_exits_2() {
    let err = usage_error(&["--equivalence", "0.5", "--alpha", "0.6"]);
    assert!(
        err.contains("--equivalence needs --alpha below 0.5"),
        "{err}"
    );
}

/// With per-example scores `compare` concludes twice (over seeds, then with
/// the examples attached): the TOST and ASO notes are written once each.
#[test]
fn concluding_again_replaces_its_notes() {
    let scores = "examples/per-example/scores.csv";
    for (test, start) in [("welch", "equivalence (TOST"), ("aso", "ASO ")] {
        let report = crate::common::command_json(
            "compare",
            [
                scores,
                "--baseline",
                "gpt-small",
                "--equivalence",
                "0.01",
                "--test",
                test,
            ],
        );
        for c in report["comparisons"].as_array().unwrap() {
            let notes = c["notes"].as_array().unwrap();
            let count = |s: &str| {
                notes
                    .iter()
                    .filter(|n| n.as_str().unwrap().starts_with(s))
                    .count()
            };
            assert_eq!(count("equivalence (TOST"), 1, "{test}: {notes:?}");
            assert_eq!(count(start), 1, "{test}: {notes:?}");
        }
    }
}

//! `xreport compare` and `summary` on per-example scores (a long table with an
//! `example` column) against golden/reference/examples.json, written by
//! golden/reference_examples.py with scipy.

use serde_json::Value;

use crate::common::{reference, tree, xreport};

fn num(v: &Value) -> f64 {
    v.as_f64().expect("a number")
}

/// The case's rows as a tidy CSV, example ids zero-padded.
fn csv(case: &Value) -> String {
    let mut out = String::from("condition,seed,example,metric,value\n");
    for row in case["rows"].as_array().expect("rows") {
        let r = row.as_array().expect("a row");
        out.push_str(&format!(
            "{},{},ex{:05},score,{}\n",
            r[0].as_str().expect("condition"),
            r[1],
            r[2].as_u64().expect("example"),
            num(&r[3])
        ));
    }
    out
}

fn case(name: &str) -> Value {
    reference("examples.json")["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["name"] == name)
        .cloned()
        .expect("the case")
}

/// The JSON report of `xreport COMMAND scores.csv ARGS... --format json` on `table`.
fn report_json(command: &str, table: &str, args: &[&str]) -> Value {
    crate::common::table_json(command, table, args)
}

fn compare_json(table: &str, extra: &[&str]) -> Value {
    let mut args = vec!["--baseline", "sys_a"];
    args.extend_from_slice(extra);
    report_json("compare", table, &args)
}

fn close(got: f64, want: f64, tol: f64, what: &str) {
    assert!(
        (got - want).abs() <= tol,
        "{what}: {got} vs {want} (tolerance {tol})"
    );
}

/// The paired per-example block against scipy: closed forms to 1e-10, the BCa
/// interval within 6 Monte Carlo standard deviations of the difference of two
/// independent runs (at least one atom of a discrete score, 1/n).
fn check_paired(ex: &Value, want: &Value) {
    let n = want["n"].as_u64().expect("n");
    assert_eq!(ex["n"].as_u64(), Some(n));
    assert_eq!(ex["unmatched"].as_u64(), Some(0));
    close(num(&ex["diff"]), num(&want["diff"]), 1e-12, "diff");
    close(num(&ex["statistic"]), num(&want["statistic"]), 1e-9, "t");
    close(num(&ex["df"]), num(&want["df"]), 1e-12, "df");
    close(num(&ex["p_value"]), num(&want["p_value"]), 1e-10, "p");
    for i in 0..2 {
        let sd = num(&want["diff_ci_mc_sd"][i]);
        let tol = (6.0 * std::f64::consts::SQRT_2 * sd).max(1.0 / n as f64 + 1e-12);
        close(
            num(&ex["diff_ci"][i]),
            num(&want["diff_ci"][i]),
            tol,
            "diff_ci",
        );
    }
}

#[test]
fn one_seed_per_system_is_compared_over_paired_examples() {
    let case = case("one_seed");
    let report = compare_json(&csv(&case), &[]);
    let c = &report["comparisons"][0];
    assert_eq!(c["unit"], "examples");
    check_paired(&c["examples"], &case["paired"]);
    // the comparison's own interval and test are the examples'
    assert_eq!(c["diff_ci"], c["examples"]["diff_ci"]);
    assert_eq!(c["p_value"], c["examples"]["p_value"]);
    assert_eq!(c["verdict"], "improvement");
    assert_eq!(c["n_baseline"], 1);
    let notes = c["notes"].as_array().expect("notes");
    assert!(
        notes.iter().any(|n| n
            .as_str()
            .is_some_and(|n| n.contains("400 paired test examples"))),
        "{notes:?}"
    );
}

#[test]
fn the_text_table_names_the_test_over_examples() {
    let dir = tree(&[("scores.csv", &csv(&case("one_seed")))]);
    let out = xreport()
        .arg("compare")
        .arg(dir.path().join("scores.csv"))
        .args(["--baseline", "sys_a"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("Test: paired t-test over test examples"),
        "{text}"
    );
    assert!(!text.contains("Welch"), "{text}");
}

#[test]
fn with_two_seeds_the_seeds_are_the_unit_and_examples_are_reported_beside() {
    let case = case("two_seeds");
    let report = compare_json(&csv(&case), &["--unit", "seeds"]);
    let c = &report["comparisons"][0];
    assert_eq!(c["unit"], "seeds");
    // per-seed values are the means over examples: Welch on them as scipy
    close(
        num(&c["statistic"]),
        num(&case["welch"]["statistic"]),
        1e-9,
        "welch t",
    );
    close(num(&c["df"]), num(&case["welch"]["df"]), 1e-9, "welch df");
    close(
        num(&c["p_value"]),
        num(&case["welch"]["p_value"]),
        1e-10,
        "welch p",
    );
    for group in report["groups"].as_array().expect("groups") {
        assert_eq!(group["n"], 2, "{group}");
        for want in case["per_seed"].as_array().expect("per seed") {
            if want["condition"] == group["condition"] {
                let seed = want["seed"].as_u64().expect("seed");
                let i = group["seeds"]
                    .as_array()
                    .expect("seeds")
                    .iter()
                    .position(|s| s.as_u64() == Some(seed))
                    .expect("the seed");
                close(
                    num(&group["values"][i]),
                    num(&want["value"]),
                    1e-12,
                    "per-seed mean",
                );
            }
        }
    }
    check_paired(&c["examples"], &case["paired"]);
}

#[test]
fn summary_counts_seeds_not_examples() {
    let report = report_json("summary", &csv(&case("two_seeds")), &[]);
    for group in report["groups"].as_array().expect("groups") {
        assert_eq!(group["n"], 2, "{group}");
    }
}

const GAPPY: &str = "condition,seed,example,metric,value\n\
                 sys_a,0,e1,acc,1\nsys_a,0,e2,acc,0\nsys_a,0,e3,acc,1\nsys_a,0,e4,acc,NaN\nsys_a,0,e5,acc,1\n\
                 sys_b,0,e1,acc,1\nsys_b,0,e2,acc,1\nsys_b,0,e3,acc,1\nsys_b,0,e4,acc,1\nsys_b,0,e9,acc,0\n";

fn notes_of(report: &Value) -> Vec<String> {
    report["comparisons"][0]["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

#[test]
fn with_two_seeds_the_default_unit_is_both_seeds_and_examples() {
    let report = compare_json(&csv(&case("two_seeds")), &["--resamples", "1000"]);
    let c = &report["comparisons"][0];
    assert_eq!(c["unit"], "both");
    assert_eq!(c["diff_ci"], c["examples"]["two_way_ci"]);
    assert!(
        notes_of(&report)
            .iter()
            .any(|n| n.contains("carries test-set and seed noise")),
        "{:?}",
        notes_of(&report)
    );
}

#[test]
fn a_missing_example_fails_by_default_naming_the_example_and_the_file() {
    let dir = tree(&[("scores.csv", GAPPY)]);
    let out = xreport()
        .arg("compare")
        .arg(dir.path().join("scores.csv"))
        .args(["--baseline", "sys_a"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("scores.csv"), "{err}");
    assert!(err.contains("example `e4`"), "{err}");
    assert!(err.contains("--missing drop"), "{err}");
}

#[test]
fn missing_drop_keeps_the_examples_every_system_scored_and_states_coverage() {
    let report = compare_json(GAPPY, &["--resamples", "1000", "--missing", "drop"]);
    let ex = &report["comparisons"][0]["examples"];
    // e4 is missing for sys_a, e5 for sys_b, e9 for sys_a: e1, e2, e3 are left
    assert_eq!(ex["n"], 3);
    assert_eq!(ex["unmatched"], 0);
    close(num(&ex["diff"]), 1.0 / 3.0, 1e-15, "diff");
    assert_eq!(ex["coverage"]["sys_a"], serde_json::json!([4, 6]));
    assert_eq!(ex["coverage"]["sys_b"], serde_json::json!([5, 6]));
    // the per-seed values are over the same three examples
    let groups = report["groups"].as_array().expect("groups");
    close(num(&groups[0]["mean"]), 2.0 / 3.0, 1e-15, "sys_a accuracy");
    close(num(&groups[1]["mean"]), 1.0, 1e-15, "sys_b accuracy");
}

#[test]
fn missing_zero_counts_unscored_examples_as_wrong_in_the_denominator() {
    let report = compare_json(GAPPY, &["--resamples", "1000", "--missing", "zero"]);
    let ex = &report["comparisons"][0]["examples"];
    assert_eq!(ex["n"], 6);
    close(num(&ex["diff"]), 1.0 / 6.0, 1e-15, "diff");
    let groups = report["groups"].as_array().expect("groups");
    close(num(&groups[0]["mean"]), 3.0 / 6.0, 1e-15, "sys_a accuracy");
    close(num(&groups[1]["mean"]), 4.0 / 6.0, 1e-15, "sys_b accuracy");
    assert_eq!(groups[0]["examples"]["coverage"], serde_json::json!([4, 6]));
}

//! Every class of bad input exits 2 with a message naming the file; no panic.

use crate::common::{tree, xreport};

/// Run summary on `path` (relative to `dir`) and return stderr, asserting exit 2.
fn fails(dir: &tempfile::TempDir, path: &str, extra: &[&str]) -> String {
    let out = xreport()
        .arg("summary")
        .arg(dir.path().join(path))
        .args(extra)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

#[test]
fn malformed_results_json_exits_2_naming_the_file_and_line() {
    let dir = tree(&[("c/seed_1/results.json", "{\"acc\": 1,\n}")]);
    let err = fails(&dir, "c", &[]);
    assert!(
        err.contains("c/seed_1/results.json:2:1: malformed JSON"),
        "{err}"
    );
}

#[test]
fn malformed_results_json_is_skipped_with_skip_bad() {
    let dir = tree(&[
        ("c/seed_1/results.json", "{\"acc\": 1,\n}"),
        ("c/seed_2/results.json", r#"{"acc": 2}"#),
    ]);
    let out = xreport()
        .arg("summary")
        .arg(dir.path().join("c"))
        .args(["--skip-bad", "--format", "json"])
        .assert()
        .success();
    let report: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert!(
        report["skipped"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("malformed JSON")
    );
}

#[test]
fn results_json_that_is_not_an_object_names_the_json_path() {
    let dir = tree(&[("c/seed_1/results.json", "[1, 2]")]);
    let err = fails(&dir, "c", &[]);
    assert!(
        err.contains("results.json:$: expected a JSON object"),
        "{err}"
    );
}

#[test]
fn malformed_yaml_config_exits_2_naming_the_file_and_line() {
    let dir = tree(&[
        ("c/seed_1/results.json", r#"{"acc": 1}"#),
        ("c/seed_1/config.yaml", "model:\n  dim: [1, 2\n"),
    ]);
    let err = fails(&dir, "c", &[]);
    assert!(
        err.contains("c/seed_1/config.yaml:") && err.contains("malformed YAML"),
        "{err}"
    );
}

#[test]
fn malformed_index_yaml_exits_2() {
    let dir = tree(&[
        ("c/seed_1_abcd12/results.json", r#"{"acc": 1}"#),
        ("c/index.yaml", "- just\n- a list\n"),
    ]);
    let err = fails(&dir, "c", &[]);
    assert!(
        err.contains("index.yaml") && err.contains("expected a mapping"),
        "{err}"
    );
}

#[test]
fn malformed_csv_exits_2_naming_the_file() {
    let dir = tree(&[(
        "t.csv",
        "condition,seed,metric,value\na,1,acc,0.5\na,2,acc,0.6,extra,cells\n",
    )]);
    let err = fails(&dir, "t.csv", &[]);
    assert!(err.contains("t.csv"), "{err}");
}

#[test]
fn empty_folder_exits_2_saying_no_runs_were_found() {
    let dir = tree(&[("empty/.keep", "")]);
    let err = fails(&dir, "empty", &[]);
    assert!(err.contains("empty: no runs found"), "{err}");
}

#[test]
fn missing_path_exits_2_naming_it() {
    let dir = tree(&[]);
    let err = fails(&dir, "does/not/exist", &[]);
    assert!(
        err.contains("does/not/exist: no such file or folder"),
        "{err}"
    );
}

#[test]
fn run_without_a_seed_exits_2_unless_allowed() {
    let dir = tree(&[("runs/c/final/results.json", r#"{"acc": 1}"#)]);
    let err = fails(&dir, "runs", &[]);
    assert!(err.contains("runs/c/final: unknown seed"), "{err}");
    xreport()
        .arg("summary")
        .arg(dir.path().join("runs"))
        .arg("--allow-unseeded")
        .assert()
        .success();
}

#[test]
fn duplicate_seed_exits_2_naming_both_runs() {
    let dir = tree(&[
        ("c/seed_1/results.json", r#"{"acc": 1}"#),
        ("c/seed=1/results.json", r#"{"acc": 2}"#),
    ]);
    let err = fails(&dir, "c", &[]);
    assert!(
        err.contains("duplicate seed 1") && err.contains("seed=1") && err.contains("seed_1"),
        "{err}"
    );
}

#[test]
fn duplicate_seed_in_a_table_exits_2_naming_the_line() {
    let dir = tree(&[(
        "t.csv",
        "condition,seed,metric,value\na,1,acc,0.5\na,1,acc,0.6\n",
    )]);
    let err = fails(&dir, "t.csv", &[]);
    assert!(err.contains("t.csv:line 3: duplicate seed 1"), "{err}");
}

#[test]
fn unreadable_results_file_exits_2_naming_it() {
    let dir = tree(&[("c/seed_1/results.json", "")]);
    std::fs::write(dir.path().join("c/seed_1/results.json"), [0xff, 0xfe, 0x00]).unwrap();
    let err = fails(&dir, "c", &[]);
    assert!(
        err.contains("c/seed_1/results.json: cannot read it"),
        "{err}"
    );
}

#[test]
fn table_missing_columns_exits_2_listing_what_it_has() {
    let dir = tree(&[("t.csv", "algo,seed,acc\nA,1,0.5\n")]);
    let err = fails(&dir, "t.csv", &[]);
    assert!(
        err.contains("missing column `condition` (the table has `algo`, `seed`, `acc`)"),
        "{err}"
    );
}

#[test]
fn non_numeric_value_exits_2_naming_the_line_and_column() {
    let dir = tree(&[(
        "t.csv",
        "condition,seed,metric,value\na,1,acc,0.5\na,2,acc,high\n",
    )]);
    let err = fails(&dir, "t.csv", &[]);
    assert!(
        err.contains("t.csv:line 3: non-numeric value \"high\" in column `value`"),
        "{err}"
    );
}

#[test]
fn unknown_table_extension_exits_2() {
    let dir = tree(&[("t.xlsx", "x")]);
    let err = fails(&dir, "t.xlsx", &[]);
    assert!(err.contains("unknown table format"), "{err}");
}

#[test]
fn unknown_study_file_key_exits_2_naming_the_key() {
    let dir = tree(&[
        ("xreport.toml", "baseline = \"a\"\nbasline_typo = 1\n"),
        ("runs/a/seed_1/results.json", r#"{"acc": 1}"#),
    ]);
    let out = xreport()
        .current_dir(dir.path())
        .arg("summary")
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("xreport.toml:line 2") && err.contains("basline_typo"),
        "{err}"
    );
}

#[test]
fn unknown_study_file_value_exits_2_naming_the_line_and_the_choices() {
    let dir = tree(&[
        (
            "xreport.toml",
            "[stats]\nalpha = 0.05\ncorrection = \"holmes\"\n\n[metrics.acc]\ndirection = \"up\"\n",
        ),
        ("runs/a/seed_1/results.json", r#"{"acc": 1}"#),
    ]);
    let out = xreport()
        .current_dir(dir.path())
        .arg("summary")
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("xreport.toml:line 3") && err.contains("holmes") && err.contains("`holm`"),
        "{err}"
    );
    std::fs::write(
        dir.path().join("xreport.toml"),
        "[metrics.acc]\ndirection = \"up\"\n",
    )
    .unwrap();
    let out = xreport()
        .current_dir(dir.path())
        .arg("summary")
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("xreport.toml:line 2") && err.contains("`up`") && err.contains("`higher`"),
        "{err}"
    );
}

//! `xreport compare` end to end: every field of the JSON against
//! scipy/statsmodels on random studies (golden/reference_compare.py writes the
//! studies and the reference), golden outputs of the example study, the
//! method statement of every format, and bad input.

use serde_json::Value;

use crate::common::{assert_golden, reference, tree, xreport};

const EXAMPLE: [&str; 3] = [
    "examples/speech-ssl/runs/exp0_baseline_hubert",
    "examples/speech-ssl/runs/exp1_new_masking",
    "examples/speech-ssl/runs/exp2_bigger_codebook",
];

/// Relative tolerance of closed forms and p-values.
const EXACT: f64 = 1e-10;
/// Relative tolerance of the power (noncentral t, DESIGN section 4).
const POWER: f64 = 1e-8;

fn compare(args: &[&str]) -> Vec<u8> {
    let out = xreport().arg("compare").args(args).assert().success();
    out.get_output().stdout.clone()
}

fn compare_json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    serde_json::from_slice(&compare(&all)).expect("compare JSON parses")
}

/// The `compare` arguments of a reference case: its table, then its flags.
fn case_args(case: &Value) -> Vec<String> {
    let mut args = vec![case["study"].as_str().expect("study path").to_string()];
    for a in case["args"].as_array().expect("args") {
        args.push(a.as_str().expect("arg").to_string());
    }
    args
}

fn run_case(case: &Value, extra: &[&str]) -> Value {
    let args = case_args(case);
    let mut refs: Vec<&str> = args.iter().map(String::as_str).collect();
    refs.extend(extra);
    compare_json(&refs)
}

/// `actual` equals `expected`: null exactly where the reference is undefined,
/// integers, strings and booleans exactly, other numbers to `rel` relative
/// tolerance, arrays element by element.
fn assert_matches(actual: &Value, expected: &Value, rel: f64, what: &str) {
    match expected {
        Value::Null => assert!(
            actual.is_null(),
            "{what}: {actual} where the reference is null"
        ),
        Value::Number(e) if e.is_f64() => {
            let e = e.as_f64().expect("reference number");
            let a = actual
                .as_f64()
                .unwrap_or_else(|| panic!("{what}: {actual} where the reference is {e}"));
            assert!(
                (a - e).abs() <= rel * e.abs().max(1e-300),
                "{what}: {a} != {e} (rel tol {rel})"
            );
        }
        Value::Array(items) => {
            let got = actual
                .as_array()
                .unwrap_or_else(|| panic!("{what}: {actual} where the reference is {expected}"));
            assert_eq!(got.len(), items.len(), "{what}: length");
            for (i, (a, e)) in got.iter().zip(items).enumerate() {
                assert_matches(a, e, rel, &format!("{what}[{i}]"));
            }
        }
        _ => assert_eq!(actual, expected, "{what}"),
    }
}

/// Every key of each reference record equals the report's record with the
/// same `keys`.
fn assert_records(actual: &Value, expected: &Value, keys: [&str; 2], tag: &str) {
    let actual = actual.as_array().expect("report records");
    let expected = expected.as_array().expect("reference records");
    assert_eq!(actual.len(), expected.len(), "{tag}: number of records");
    for e in expected {
        let a = actual
            .iter()
            .find(|a| keys.iter().all(|k| a[k] == e[k]))
            .unwrap_or_else(|| panic!("{tag}: no record for {} / {}", e[keys[0]], e[keys[1]]));
        let record = format!("{tag}: {} / {}", e[keys[0]], e[keys[1]]);
        for (key, value) in e.as_object().expect("reference record") {
            let rel = if key == "power" { POWER } else { EXACT };
            let field = a
                .get(key)
                .unwrap_or_else(|| panic!("{record}: field `{key}` missing"));
            assert_matches(field, value, rel, &format!("{record} {key}"));
        }
    }
}

#[test]
fn compare_json_matches_scipy_and_statsmodels_on_every_reference_case() {
    let reference = reference("compare_cases.json");
    let cases = reference["cases"].as_array().expect("cases");
    assert!(
        cases.len() >= 40,
        "the reference covers every flag combination"
    );
    for case in cases {
        let tag = case_args(case).join(" ");
        // no bootstrap interval is checked here: fewer resamples keep the debug
        // build fast, and every permutation case is still enumerated exactly
        let report = run_case(case, &["--resamples", "1000"]);
        assert_eq!(report["schema"], "xreport.compare/1", "{tag}");
        for (key, value) in case["settings"].as_object().expect("settings") {
            assert_matches(
                &report["settings"][key],
                value,
                EXACT,
                &format!("{tag}: settings.{key}"),
            );
        }
        let metrics: Vec<(&Value, &Value)> = report["metrics"]
            .as_array()
            .expect("metrics")
            .iter()
            .map(|m| (&m["name"], &m["direction"]))
            .collect();
        let expected: Vec<(&Value, &Value)> = case["metrics"]
            .as_array()
            .expect("reference metrics")
            .iter()
            .map(|m| (&m["name"], &m["direction"]))
            .collect();
        assert_eq!(metrics, expected, "{tag}: metrics and directions");
        assert_records(
            &report["groups"],
            &case["groups"],
            ["condition", "metric"],
            &tag,
        );
        assert_records(
            &report["comparisons"],
            &case["comparisons"],
            ["treatment", "metric"],
            &tag,
        );
    }
}

#[test]
fn difference_intervals_agree_with_scipy_bootstrap_within_monte_carlo_tolerance() {
    let cases = reference("compare_cases.json");
    let boot = reference("compare_bootstrap.json");
    let intervals = boot["intervals"].as_array().expect("intervals");
    let mut checked = 0;
    // one run per (study, paired, confidence): the intervals depend on nothing else
    let mut seen = Vec::new();
    for case in cases["cases"].as_array().expect("cases") {
        let key = (
            case["name"].clone(),
            case["settings"]["test"] == "paired",
            case["settings"]["confidence"].clone(),
        );
        if seen.contains(&key) {
            continue;
        }
        let report = run_case(case, &[]);
        for expected in intervals
            .iter()
            .filter(|i| i["study"] == key.0 && i["paired"] == key.1 && i["confidence"] == key.2)
        {
            let what = format!(
                "{} {} / {} (paired {})",
                key.0, expected["treatment"], expected["metric"], key.1
            );
            let c = report["comparisons"]
                .as_array()
                .expect("comparisons")
                .iter()
                .find(|c| {
                    c["treatment"] == expected["treatment"] && c["metric"] == expected["metric"]
                })
                .unwrap_or_else(|| panic!("{what}: comparison missing"));
            if expected["ci"].is_null() {
                assert!(
                    c["diff_ci"].is_null(),
                    "{what}: {} where scipy has none",
                    c["diff_ci"]
                );
                continue;
            }
            for end in 0..2 {
                let a = c["diff_ci"][end]
                    .as_f64()
                    .unwrap_or_else(|| panic!("{what}: diff_ci null"));
                let e = expected["ci"][end].as_f64().expect("reference end");
                let tol = expected["tolerance"][end].as_f64().expect("tolerance");
                assert!(
                    (a - e).abs() <= tol,
                    "{what}: diff_ci[{end}] = {a}, scipy {e} ± {tol}"
                );
                checked += 1;
            }
        }
        seen.push(key);
    }
    assert!(checked >= 100, "only {checked} interval ends checked");
}

#[test]
fn compare_says_why_a_comparison_is_undefined() {
    let tiny = compare_json(&[
        "golden/reference/compare_studies/tiny.csv",
        "--baseline",
        "base",
    ]);
    let find = |report: &Value, treatment: &str, metric: &str| -> Value {
        report["comparisons"]
            .as_array()
            .expect("comparisons")
            .iter()
            .find(|c| c["treatment"] == treatment && c["metric"] == metric)
            .cloned()
            .unwrap_or_else(|| panic!("{treatment} / {metric} missing"))
    };
    let constant = find(&tiny, "t1", "const");
    assert_eq!(constant["verdict"], "undefined");
    let notes = constant["notes"].to_string();
    assert!(
        notes.contains("no variance across seeds — was the seed applied?"),
        "{notes}"
    );
    assert_eq!(
        constant["diff_ci"],
        serde_json::json!([0.0, 0.0]),
        "two constant groups: the point difference"
    );
    let mixed = compare_json(&[
        "golden/reference/compare_studies/mixed.csv",
        "--baseline",
        "base",
    ]);
    let one = find(&mixed, "t_one", "acc");
    assert_eq!(one["verdict"], "undefined");
    let notes = one["notes"].to_string();
    assert!(
        notes.contains("needs at least 2 seeds per group"),
        "{notes}"
    );
}

#[test]
fn compare_says_when_significance_is_unreachable_with_so_few_seeds() {
    // 3 vs 5 seeds under the exact permutation test: the smallest two-sided p is 2/56
    let report = compare_json(&[
        "golden/reference/compare_studies/tiny.csv",
        "--baseline",
        "base",
        "--test",
        "permutation",
        "--alpha",
        "0.01",
        "--metric",
        "latency",
    ]);
    let c = report["comparisons"]
        .as_array()
        .expect("comparisons")
        .iter()
        .find(|c| c["treatment"] == "t1")
        .expect("t1 / latency");
    let notes = c["notes"].to_string();
    assert!(
        notes.contains("with 5 vs 3 seeds the smallest p this test can give is"),
        "{notes}"
    );
    assert!(notes.contains("significance is unreachable"), "{notes}");
}

#[test]
fn compare_json_has_every_field_of_the_schema() {
    let report = compare_json(&EXAMPLE);
    for key in [
        "xreport_version",
        "schema",
        "skipped",
        "settings",
        "metrics",
        "groups",
        "comparisons",
    ] {
        assert!(report.get(key).is_some(), "top level `{key}` missing");
    }
    for key in [
        "alpha",
        "correction",
        "family",
        "test",
        "ci_method",
        "confidence",
        "resamples",
        "seed",
    ] {
        assert!(
            report["settings"].get(key).is_some(),
            "settings.{key} missing"
        );
    }
    let group_keys = [
        "condition",
        "metric",
        "n",
        "seeds",
        "values",
        "mean",
        "std",
        "sem",
        "median",
        "min",
        "max",
        "t_ci",
        "bootstrap_ci",
    ];
    for g in report["groups"].as_array().expect("groups") {
        for key in group_keys {
            assert!(g.get(key).is_some(), "groups[].{key} missing");
        }
        assert!(
            g["seeds"]
                .as_array()
                .expect("seeds")
                .iter()
                .all(Value::is_i64)
        );
    }
    let comparison_keys = [
        "baseline",
        "treatment",
        "metric",
        "diff",
        "diff_ci",
        "diff_t_ci",
        "statistic",
        "df",
        "p_value",
        "p_adjusted",
        "significant",
        "hedges_g",
        "cohens_d",
        "prob_improvement",
        "power",
        "seeds_needed",
        "verdict",
        "underpowered",
        "notes",
    ];
    for c in report["comparisons"].as_array().expect("comparisons") {
        for key in comparison_keys {
            assert!(c.get(key).is_some(), "comparisons[].{key} missing");
        }
    }
    assert_eq!(
        report["skipped"][0]["path"],
        "examples/speech-ssl/runs/exp1_new_masking/seed_47"
    );
}

#[test]
fn compare_of_example_study_matches_golden_files_in_every_format() {
    for (format, ext) in [
        ("text", "txt"),
        ("md", "md"),
        ("latex", "tex"),
        ("json", "json"),
        ("csv", "csv"),
    ] {
        let mut args = EXAMPLE.to_vec();
        args.extend(["--metric", "test.*", "--format", format]);
        assert_golden(&format!("compare/speech-ssl.{ext}"), &compare(&args));
    }
}

#[test]
fn compare_tables_state_test_alpha_correction_and_family() {
    let cases = [
        (
            vec![],
            [
                "Welch's t-test (two-sided)",
                "0.05",
                "holm correction",
                "family: metric",
            ],
        ),
        (
            vec![
                "--test",
                "mannwhitney",
                "--alpha",
                "0.1",
                "--correction",
                "bh",
                "--family",
                "all",
            ],
            [
                "Mann–Whitney U test (two-sided)",
                "0.1",
                "bh correction",
                "family: all",
            ],
        ),
        (
            vec![
                "--test",
                "student",
                "--alternative",
                "less",
                "--correction",
                "hommel",
            ],
            [
                "Student's t-test (less)",
                "0.05",
                "hommel correction",
                "family: metric",
            ],
        ),
        (
            vec![
                "--test",
                "permutation",
                "--correction",
                "none",
                "--alpha",
                "0.01",
            ],
            [
                "permutation test (two-sided)",
                "0.01",
                "none correction",
                "family: metric",
            ],
        ),
    ];
    for (flags, statements) in cases {
        for (format, alpha) in [("text", "α = "), ("md", "α = "), ("latex", "$\\alpha$ = ")] {
            let mut args = EXAMPLE.to_vec();
            args.extend(["--metric", "test.wer", "--format", format]);
            args.extend(flags.iter().copied());
            let out = String::from_utf8(compare(&args)).expect("UTF-8 output");
            let [test, level, correction, family] = statements;
            let alpha = format!("{alpha}{level}");
            for statement in [test, alpha.as_str(), correction, family] {
                assert!(
                    out.contains(statement),
                    "{format} output with {flags:?} does not state `{statement}`:\n{out}"
                );
            }
        }
    }
}

#[test]
fn wide_and_long_tables_give_the_same_comparisons() {
    let key = |c: &Value| (c["treatment"].to_string(), c["metric"].to_string());
    let sorted = |report: &Value| {
        let mut records = report["comparisons"]
            .as_array()
            .expect("comparisons")
            .clone();
        records.sort_by_key(key);
        records
    };
    let long = compare_json(&[
        "golden/reference/compare_studies/tiny.csv",
        "--baseline",
        "base",
    ]);
    let wide = compare_json(&[
        "golden/reference/compare_studies/tiny_wide.csv",
        "--baseline",
        "base",
    ]);
    assert_eq!(sorted(&long), sorted(&wide));
}

/// Run `xreport compare` with `args`, assert exit 2 without a panic, and
/// return the error message.
fn usage_error(args: &[&str]) -> String {
    let out = xreport().arg("compare").args(args).assert().code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

#[test]
fn unknown_baseline_exits_2_listing_the_conditions() {
    let mut args = EXAMPLE.to_vec();
    args.extend(["--baseline", "exp9_missing"]);
    let err = usage_error(&args);
    assert!(
        err.contains("the baseline `exp9_missing` is not a condition of these runs"),
        "{err}"
    );
    assert!(
        err.contains("the conditions are: `exp0_baseline_hubert`, `exp1_new_masking`, `exp1_new_masking@a3f8c1`, `exp2_bigger_codebook`, `exp2_bigger_codebook@b71e09`"),
        "{err}"
    );
}

#[test]
fn unknown_treatment_exits_2_listing_the_conditions() {
    let err = usage_error(&[
        "golden/reference/compare_studies/tiny.csv",
        "--baseline",
        "base",
        "--treatment",
        "t9",
    ]);
    assert!(
        err.contains("the treatment `t9` is not a condition"),
        "{err}"
    );
    for condition in ["base", "t1", "t2", "t3"] {
        assert!(err.contains(condition), "{err}");
    }
}

#[test]
fn a_single_condition_exits_2_asking_for_treatments() {
    let err = usage_error(&[EXAMPLE[0]]);
    assert!(
        err.contains(
            "nothing to compare with the baseline `exp0_baseline_hubert`: give treatment runs too"
        ),
        "{err}"
    );
}

#[test]
fn an_ambiguous_baseline_exits_2_asking_for_baseline() {
    let dir = tree(&[
        ("runs/a/seed_1/results.json", r#"{"acc": 0.5}"#),
        ("runs/a/seed_2/results.json", r#"{"acc": 0.6}"#),
        ("runs/b/seed_1/results.json", r#"{"acc": 0.7}"#),
        ("runs/b/seed_2/results.json", r#"{"acc": 0.8}"#),
    ]);
    let runs = dir.path().join("runs");
    let err = usage_error(&[runs.to_str().unwrap()]);
    assert!(err.contains("name it with --baseline"), "{err}");
    assert!(err.contains("the conditions are: `a`, `b`"), "{err}");
}

#[test]
fn a_condition_named_base_is_the_default_baseline() {
    let json = compare_json(&["golden/reference/compare_studies/tiny.csv"]);
    let baselines: Vec<&str> = json["comparisons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["baseline"].as_str().unwrap())
        .collect();
    assert!(!baselines.is_empty());
    assert!(baselines.iter().all(|b| *b == "base"), "{baselines:?}");
}

#[test]
fn two_conditions_named_as_baselines_exit_2_naming_both() {
    let dir = tree(&[
        ("runs/baseline/seed_1/results.json", r#"{"acc": 0.5}"#),
        ("runs/baseline/seed_2/results.json", r#"{"acc": 0.6}"#),
        ("runs/exp0_baseline/seed_1/results.json", r#"{"acc": 0.5}"#),
        ("runs/exp0_baseline/seed_2/results.json", r#"{"acc": 0.6}"#),
        ("runs/new/seed_1/results.json", r#"{"acc": 0.7}"#),
        ("runs/new/seed_2/results.json", r#"{"acc": 0.8}"#),
    ]);
    let runs = dir.path().join("runs");
    let err = usage_error(&[runs.to_str().unwrap()]);
    assert!(
        err.contains("more than one condition is named as a baseline (baseline, exp0_baseline)"),
        "{err}"
    );
}

#[test]
fn alpha_outside_zero_one_exits_2() {
    let mut args = EXAMPLE.to_vec();
    args.extend(["--alpha", "1.5"]);
    let err = usage_error(&args);
    assert!(
        err.contains("--alpha must be between 0 and 1, got 1.5"),
        "{err}"
    );
}

#[test]
fn a_study_folder_stands_for_the_runs_its_study_file_names() {
    let run = |input: &str| {
        let out = xreport()
            .args(["compare", input, "--resamples", "200", "--format", "md"])
            .assert()
            .success();
        String::from_utf8_lossy(&out.get_output().stdout).into_owned()
    };
    let from_folder = run("examples/speech-ssl");
    assert!(
        from_folder.contains("exp0_baseline_hubert (baseline)"),
        "{from_folder}"
    );
    assert_eq!(from_folder, run("examples/speech-ssl/runs"));
}

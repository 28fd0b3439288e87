//! `xreport power` end to end: the power curve and seeds needed against
//! scipy.stats.nct and statsmodels TTestIndPower (golden/reference_compare.py
//! writes golden/reference/compare_power.json), the `xreport.power/1` JSON,
//! golden Markdown and bad input.

use serde_json::Value;

use crate::common::{assert_close, assert_golden, reference, tree, xreport};

const BASELINE: &str = "examples/speech-ssl/runs/exp0_baseline_hubert";
const TREATMENT: &str = "examples/speech-ssl/runs/exp2_bigger_codebook";

fn power(args: &[&str]) -> Vec<u8> {
    let out = xreport().arg("power").args(args).assert().success();
    out.get_output().stdout.clone()
}

fn power_json(args: &[String]) -> Value {
    let mut all: Vec<&str> = args.iter().map(String::as_str).collect();
    all.extend(["--format", "json"]);
    serde_json::from_slice(&power(&all)).expect("power JSON parses")
}

fn args_of(case: &Value) -> Vec<String> {
    case["args"]
        .as_array()
        .expect("args")
        .iter()
        .map(|a| a.as_str().expect("arg").to_string())
        .collect()
}

fn number(v: &Value, what: &str) -> f64 {
    v.as_f64()
        .unwrap_or_else(|| panic!("{what}: {v} is not a number"))
}

#[test]
fn power_curve_and_seeds_needed_match_scipy_and_statsmodels() {
    let reference = reference("compare_power.json");
    for case in reference["cases"].as_array().expect("cases") {
        let args = args_of(case);
        let tag = args.join(" ");
        let report = power_json(&args);
        assert_eq!(report["schema"], "xreport.power/1", "{tag}");
        assert_eq!(report["alpha"], case["alpha"], "{tag}: alpha");
        assert_eq!(
            report["target_power"], case["target_power"],
            "{tag}: target power"
        );
        for key in ["diff", "std_baseline", "std_treatment", "effect_size"] {
            assert_close(
                number(&report["effect"][key], &tag),
                number(&case["effect"][key], &tag),
                1e-10,
                &format!("{tag}: effect.{key}"),
            );
        }
        assert_eq!(
            report["seeds_needed"], case["seeds_needed"],
            "{tag}: seeds needed"
        );
        if let Some(n) = case.get("statsmodels_seeds_needed") {
            assert_eq!(&report["seeds_needed"], n, "{tag}: statsmodels solve_power");
        }
        let curve = report["curve"].as_array().expect("curve");
        let expected = case["curve"].as_array().expect("reference curve");
        let ns = |c: &[Value]| c.iter().map(|p| p["n"].clone()).collect::<Vec<_>>();
        assert_eq!(
            ns(curve),
            ns(expected),
            "{tag}: seeds per group of the curve"
        );
        for (i, (point, want)) in curve.iter().zip(expected).enumerate() {
            let what = format!("{tag}: power at n = {}", point["n"]);
            let p = number(&point["power"], &what);
            assert_close(p, number(&want["power"], &what), 1e-8, &what);
            if let Some(sm) = case.get("statsmodels_curve") {
                assert_close(
                    p,
                    number(&sm[i], &what),
                    1e-8,
                    &format!("{what} (statsmodels)"),
                );
            }
        }
    }
}

#[test]
fn pilot_runs_give_the_conditions_metric_and_seed_counts() {
    let report = power_json(&[
        "--pilot".into(),
        BASELINE.into(),
        TREATMENT.into(),
        "--metric".into(),
        "test.wer".into(),
    ]);
    let pilot = &report["pilot"];
    assert_eq!(pilot["baseline"], "exp0_baseline_hubert");
    assert_eq!(pilot["treatment"], "exp2_bigger_codebook");
    assert_eq!(pilot["metric"], "test.wer");
    assert_eq!(pilot["n_baseline"], 5);
    assert_eq!(pilot["n_treatment"], 5);
}

#[test]
fn power_json_has_every_field_of_the_schema() {
    let report = power_json(&["--diff".into(), "0.3".into(), "--std".into(), "0.5".into()]);
    for key in [
        "xreport_version",
        "schema",
        "alpha",
        "target_power",
        "effect",
        "curve",
        "seeds_needed",
    ] {
        assert!(report.get(key).is_some(), "`{key}` missing");
    }
    for key in ["diff", "std_baseline", "std_treatment", "effect_size"] {
        assert!(report["effect"].get(key).is_some(), "effect.{key} missing");
    }
    assert!(report["seeds_needed"].is_u64());
    assert!(report["pilot"].is_null(), "no pilot when numbers are given");
}

#[test]
fn an_effect_too_small_for_max_seeds_gives_null_seeds_needed_and_says_so() {
    let report = power_json(&[
        "--effect-size".into(),
        "0.05".into(),
        "--max-seeds".into(),
        "100".into(),
    ]);
    assert!(report["seeds_needed"].is_null());
    let notes = report["notes"].to_string();
    assert!(notes.contains("More than 100 seeds per group"), "{notes}");
}

#[test]
fn power_tables_match_golden_markdown() {
    assert_golden(
        "power/effect-size-0.8.md",
        &power(&["--effect-size", "0.8", "--format", "md"]),
    );
    assert_golden(
        "power/pilot-test-wer.md",
        &power(&[
            "--pilot", BASELINE, TREATMENT, "--metric", "test.wer", "--format", "md",
        ]),
    );
}

/// Run `xreport power` with `args`, assert exit 2 without a panic, and
/// return the error message.
fn usage_error(args: &[&str]) -> String {
    let out = xreport().arg("power").args(args).assert().code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

#[test]
fn power_without_a_source_exits_2_naming_the_choices() {
    for args in [vec![], vec!["--diff", "0.3"], vec!["--std", "0.5"]] {
        let err = usage_error(&args);
        assert!(
            err.contains("give either --pilot RUNS..., or --diff and --std, or --effect-size"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn pilot_with_several_metrics_and_no_metric_flag_exits_2_listing_them() {
    let err = usage_error(&["--pilot", BASELINE, TREATMENT]);
    assert!(
        err.contains("choose one pilot metric with --metric"),
        "{err}"
    );
    assert!(
        err.contains("dev.cer, dev.wer, test.cer, test.wer"),
        "{err}"
    );
}

#[test]
fn a_zero_std_exits_2() {
    let err = usage_error(&["--diff", "0.3", "--std", "0"]);
    assert!(err.contains("--std must be positive"), "{err}");
}

#[test]
fn a_pilot_of_one_condition_exits_2() {
    let err = usage_error(&["--pilot", BASELINE, "--metric", "test.wer"]);
    assert!(
        err.contains("nothing to compare with the baseline `exp0_baseline_hubert`"),
        "{err}"
    );
}

#[test]
fn a_pilot_metric_matching_nothing_exits_2_listing_the_metrics() {
    let err = usage_error(&["--pilot", BASELINE, TREATMENT, "--metric", "bleu"]);
    assert!(
        err.contains("0 match: dev.cer, dev.wer, test.cer, test.wer"),
        "{err}"
    );
}

/// Two conditions of training histories of `t.score` (a name the rule reads
/// as higher-is-better): with `--reduce best-mean` each condition's best step
/// is step 20 when higher is better (Δ = 5.3 − 3.2) and step 10 when lower is
/// better (Δ = 2.2 − 1.1).
const PILOT_HISTORIES: &str = "condition,seed,step,t.score
a,0,10,1.0
a,0,20,3.0
a,1,10,1.2
a,1,20,3.4
b,0,10,2.0
b,0,20,5.0
b,1,10,2.4
b,1,20,5.6
";

/// The pilot Δ of [`PILOT_HISTORIES`] reduced by best-mean, with `extra` arguments.
fn best_mean_pilot_diff(dir: &std::path::Path, inputs: &[&str], extra: &[&str]) -> f64 {
    let mut args: Vec<String> = vec!["--pilot".into()];
    args.extend(
        inputs
            .iter()
            .map(|i| dir.join(i).to_str().expect("utf-8 path").to_string()),
    );
    for a in [
        "--baseline",
        "a",
        "--treatment",
        "b",
        "--reduce",
        "best-mean",
    ]
    .iter()
    .chain(extra)
    {
        args.push((*a).to_string());
    }
    let report = power_json(&args);
    number(&report["effect"]["diff"], "effect.diff")
}

#[test]
fn pilot_histories_reduce_in_the_direction_the_name_rule_gives_by_default() {
    let dir = tree(&[("pilot.csv", PILOT_HISTORIES)]);
    assert_close(
        best_mean_pilot_diff(dir.path(), &["pilot.csv"], &[]),
        2.1,
        1e-12,
        "Δ, higher is better",
    );
}

#[test]
fn pilot_histories_reduce_in_the_direction_of_lower_is_better() {
    let dir = tree(&[("pilot.csv", PILOT_HISTORIES)]);
    let diff = best_mean_pilot_diff(dir.path(), &["pilot.csv"], &["--lower-is-better", "t.*"]);
    assert_close(diff, 1.1, 1e-12, "Δ, lower is better");
}

#[test]
fn pilot_histories_reduce_in_the_direction_the_study_file_names() {
    let dir = tree(&[
        ("pilot.csv", PILOT_HISTORIES),
        (
            "xreport.toml",
            "[metrics.\"t.score\"]\ndirection = \"lower\"\n",
        ),
    ]);
    let study = dir.path().join("xreport.toml");
    let study = study.to_str().expect("utf-8 path");
    let diff = best_mean_pilot_diff(dir.path(), &["pilot.csv"], &["--study", study]);
    assert_close(diff, 1.1, 1e-12, "Δ, lower is better by the study file");
}

#[test]
fn pilot_histories_reduce_in_the_direction_the_results_files_state() {
    // An lm-eval results file beside the histories states that lower
    // `t.score` is better (`higher_is_better`).
    let dir = tree(&[
        ("pilot.csv", PILOT_HISTORIES),
        (
            "lm/seed_0/model/results_2026-01-01T00-00-00.000000.json",
            r#"{"results": {"t": {"score,none": 0.5}}, "higher_is_better": {"t": {"score": false}}, "config": {"seed": 0}}"#,
        ),
    ]);
    let diff = best_mean_pilot_diff(dir.path(), &["pilot.csv", "lm"], &[]);
    assert_close(diff, 1.1, 1e-12, "Δ, lower is better by lm-eval");
}

#[test]
fn pilot_tables_are_read_with_the_column_flags() {
    let mut csv = String::from("method,run,name,score\n");
    for (method, values) in [("a", [1.0, 1.2, 1.1]), ("b", [2.0, 2.4, 2.2])] {
        for (run, v) in values.iter().enumerate() {
            csv.push_str(&format!("{method},{run},t.score,{v}\n"));
        }
    }
    let dir = tree(&[("pilot.csv", &csv)]);
    let path = dir.path().join("pilot.csv");
    let report = power_json(
        &[
            "--pilot",
            path.to_str().expect("utf-8 path"),
            "--baseline",
            "a",
            "--treatment",
            "b",
            "--condition-col",
            "method",
            "--seed-col",
            "run",
            "--metric-col",
            "name",
            "--value-col",
            "score",
        ]
        .map(String::from),
    );
    assert_eq!(report["pilot"]["metric"], "t.score");
    assert_eq!(report["pilot"]["n_baseline"], 3);
    assert_close(
        number(&report["effect"]["diff"], "diff"),
        1.1,
        1e-12,
        "Δ of the table read by the column flags",
    );
}

#[test]
fn pilot_runs_skip_a_malformed_run_with_skip_bad() {
    let dir = tree(&[
        ("pilot/a/seed_0/results.json", r#"{"acc": 0.50}"#),
        ("pilot/a/seed_1/results.json", r#"{"acc": 0.52}"#),
        ("pilot/a/seed_2/results.json", r#"{"acc": 0.51}"#),
        ("pilot/b/seed_0/results.json", r#"{"acc": 0.60}"#),
        ("pilot/b/seed_1/results.json", r#"{"acc": 0.63}"#),
        ("pilot/b/seed_2/results.json", r#"{"acc": 0.61}"#),
        ("pilot/b/seed_3/results.json", r#"{"acc": "#),
    ]);
    let root = dir.path().join("pilot");
    let report = power_json(
        &[
            "--pilot",
            root.to_str().expect("utf-8 path"),
            "--baseline",
            "a",
            "--treatment",
            "b",
            "--skip-bad",
        ]
        .map(String::from),
    );
    assert_eq!(report["pilot"]["n_baseline"], 3);
    assert_eq!(report["pilot"]["n_treatment"], 3, "seed_3 is skipped");
}

#[test]
fn pilot_conditions_follow_group_by() {
    let mut files = Vec::new();
    for (seed, lr, acc) in [
        (0, 1, "0.50"),
        (1, 1, "0.52"),
        (2, 2, "0.61"),
        (3, 2, "0.64"),
    ] {
        files.push((format!("a/seed_{seed}/config.yaml"), format!("lr: {lr}\n")));
        files.push((
            format!("a/seed_{seed}/results.json"),
            format!(r#"{{"acc": {acc}}}"#),
        ));
    }
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, c)| (p.as_str(), c.as_str()))
        .collect();
    let dir = tree(&files);
    let root = dir.path().join("a");
    let report = power_json(
        &[
            "--pilot",
            root.to_str().expect("utf-8 path"),
            "--group-by",
            "lr",
            "--baseline",
            "lr=1",
            "--treatment",
            "lr=2",
        ]
        .map(String::from),
    );
    assert_eq!(report["pilot"]["baseline"], "lr=1");
    assert_eq!(report["pilot"]["treatment"], "lr=2");
    assert_eq!(report["pilot"]["n_baseline"], 2);
    assert_eq!(report["pilot"]["n_treatment"], 2);
}

/// |actual − expected| ≤ 1e-9 for a power (a probability).
fn assert_power(actual: &Value, expected: &Value, what: &str) {
    let (a, e) = (number(actual, what), number(expected, what));
    assert!((a - e).abs() <= 1e-9, "{what}: {a} != {e}");
}

#[test]
fn alternative_ratio_and_paired_match_scipy_and_statsmodels_end_to_end() {
    let reference = reference("compare_power.json");
    let cases = reference["design_cases"].as_array().expect("design cases");
    let (mut points, mut statsmodels) = (0, 0);
    for case in cases {
        let args = args_of(case);
        let tag = args.join(" ");
        let report = power_json(&args);
        assert_eq!(report["schema"], "xreport.power/1", "{tag}");
        assert_eq!(report["alpha"], case["alpha"], "{tag}: alpha");
        assert_eq!(report["target_power"], case["target_power"], "{tag}");
        // the design is stated when it is not the default
        let alternative = case["alternative"].as_str().expect("alternative");
        match report.get("alternative") {
            Some(a) => assert_eq!(a, alternative, "{tag}"),
            None => assert_eq!(alternative, "two-sided", "{tag}: alternative missing"),
        }
        assert_eq!(
            report.get("ratio").unwrap_or(&Value::Null),
            &case["ratio"],
            "{tag}: ratio"
        );
        assert_eq!(
            report.get("paired").unwrap_or(&Value::Bool(false)),
            &case["paired"],
            "{tag}: paired"
        );
        for (key, want) in case["effect"].as_object().expect("effect") {
            assert_close(
                number(&report["effect"][key], &tag),
                number(want, &tag),
                1e-10,
                &format!("{tag}: effect.{key}"),
            );
        }
        if case["paired"] == true && case.get("pilot").is_none() {
            assert!(report["effect"]["std_baseline"].is_null(), "{tag}");
        }
        if let Some(pilot) = case.get("pilot") {
            for (key, want) in pilot.as_object().expect("pilot") {
                assert_eq!(&report["pilot"][key], want, "{tag}: pilot.{key}");
            }
        }
        assert_eq!(report["seeds_needed"], case["seeds_needed"], "{tag}");
        assert_eq!(
            report.get("seeds_needed_treatment").unwrap_or(&Value::Null),
            &case["seeds_needed_treatment"],
            "{tag}: seeds needed by the treatment"
        );
        if let Some(n) = case.get("statsmodels_seeds_needed") {
            assert_eq!(&report["seeds_needed"], n, "{tag}: statsmodels solve_power");
        }
        let curve = report["curve"].as_array().expect("curve");
        let expected = case["curve"].as_array().expect("reference curve");
        let sizes = |c: &[Value]| {
            c.iter()
                .map(|p| (p["n"].clone(), p.get("n_treatment").cloned()))
                .collect::<Vec<_>>()
        };
        assert_eq!(sizes(curve), sizes(expected), "{tag}: seeds of the curve");
        for (i, (point, want)) in curve.iter().zip(expected).enumerate() {
            let what = format!("{tag}: power at n = {}", point["n"]);
            assert_power(&point["power"], &want["power"], &what);
            points += 1;
            if let Some(sm) = case.get("statsmodels_curve") {
                assert_power(&point["power"], &sm[i], &format!("{what} (statsmodels)"));
                statsmodels += 1;
            }
        }
    }
    assert!(cases.len() >= 13 && points >= 500 && statsmodels >= 400);
}

#[test]
fn a_one_sided_power_against_the_difference_never_reaches_the_target_and_says_so() {
    let report = power_json(&[
        "--diff".into(),
        "0.3".into(),
        "--std".into(),
        "0.5".into(),
        "--alternative".into(),
        "less".into(),
    ]);
    assert!(report["seeds_needed"].is_null());
    // Δ > 0 against "less": the power falls below α as seeds are added
    let curve = report["curve"].as_array().expect("curve");
    let last = number(&curve[curve.len() - 1]["power"], "last");
    assert!(last < 1e-4, "{last}");
    let notes = report["notes"].to_string();
    assert!(notes.contains("one-sided, treatment less"), "{notes}");
    assert!(
        notes.contains("points against the one-sided alternative"),
        "{notes}"
    );
}

#[test]
fn ratio_tables_show_the_seeds_of_each_group() {
    let text = String::from_utf8(power(&[
        "--diff", "0.3", "--std", "0.5", "--ratio", "2", "--format", "md",
    ]))
    .expect("utf-8");
    assert!(text.contains("Baseline seeds"), "{text}");
    assert!(text.contains("Treatment seeds"), "{text}");
    // statsmodels-checked in compare_power.json: 34 baseline and 68 treatment seeds
    assert!(
        text.contains("Seeds needed for 80% power: 34 for the baseline and 68 for the treatment."),
        "{text}"
    );
    let row = text
        .lines()
        .find(|l| l.contains("| 34 ") || l.starts_with("| 34"))
        .unwrap_or_else(|| panic!("no row for 34 seeds: {text}"));
    assert!(row.contains("68"), "{row}");
}

#[test]
fn paired_power_states_the_std_of_the_differences_and_the_pairs() {
    let text = String::from_utf8(power(&[
        "--pilot", BASELINE, TREATMENT, "--metric", "test.wer", "--paired",
    ]))
    .expect("utf-8");
    assert!(text.contains("5 paired by seed id"), "{text}");
    assert!(
        text.contains("Power of the paired t-test (two-sided"),
        "{text}"
    );
    assert!(text.contains("of the per-seed differences"), "{text}");
    assert!(
        text.contains("Seeds needed for 80% power: 145 per group."),
        "{text}"
    );
}

#[test]
fn a_ratio_that_is_not_a_positive_number_exits_2() {
    for ratio in ["0", "-1.5", "nan", "inf", "-inf"] {
        let err = usage_error(&["--diff", "0.3", "--std", "0.5", "--ratio", ratio]);
        assert!(
            err.contains("--ratio must be a positive number (treatment seeds per baseline seed)"),
            "{ratio}: {err}"
        );
    }
    let err = usage_error(&["--effect-size", "0.5", "--ratio", "1e9"]);
    assert!(
        err.contains("--ratio must be between 1e-5 and 1e5"),
        "{err}"
    );
    let err = usage_error(&["--effect-size", "0.5", "--ratio", "0.001"]);
    assert!(
        err.contains(
            "leaves the treatment fewer than 2 seeds for every baseline up to --max-seeds 1000"
        ),
        "{err}"
    );
    let err = usage_error(&["--effect-size", "0.5", "--ratio", "abc"]);
    assert!(
        err.contains("invalid value 'abc' for '--ratio <R>'"),
        "{err}"
    );
}

#[test]
fn paired_with_a_ratio_or_a_treatment_std_exits_2() {
    let err = usage_error(&["--effect-size", "0.5", "--paired", "--ratio", "2"]);
    assert!(
        err.contains("--paired runs the same seeds in both conditions: it takes no --ratio"),
        "{err}"
    );
    let err = usage_error(&[
        "--diff",
        "0.3",
        "--std",
        "0.5",
        "--std-treatment",
        "1",
        "--paired",
    ]);
    assert!(err.contains("without --std-treatment"), "{err}");
    let err = usage_error(&[
        "--pilot", BASELINE, TREATMENT, "--metric", "test.wer", "--paired", "--ratio", "3",
    ]);
    assert!(err.contains("it takes no --ratio"), "{err}");
}

#[test]
fn power_help_names_the_new_flags_and_what_std_means_when_paired() {
    let out = xreport().args(["power", "--help"]).assert().success();
    // clap wraps the text: compare with the whitespace collapsed
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let help = stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    for needle in [
        "--alternative <ALTERNATIVE>",
        "[possible values: two-sided, greater, less]",
        "--ratio <R>",
        "n_treatment / n_baseline",
        "--paired",
        "--std is the std of the per-seed differences",
    ] {
        assert!(help.contains(needle), "`{needle}` missing from:\n{help}");
    }
}

//! `xreport power` end to end: the power curve and seeds needed against
//! scipy.stats.nct and statsmodels TTestIndPower (golden/reference_compare.py
//! writes golden/reference/compare_power.json), the `xreport.power/1` JSON,
//! golden Markdown and bad input.

use serde_json::Value;

use crate::common::{assert_close, assert_golden, reference, xreport};

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

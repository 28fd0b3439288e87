//! `xreport compare --test aso` end to end on the real Tianshou Hopper-v3
//! curves, against deepsig 1.2.8 (golden/reference/aso_cli.json, written by
//! golden/reference_aso_cli.py): ε_min in both directions for a higher- and
//! a lower-is-better reading of the metric, at Bonferroni's 1 − α/3 and
//! uncorrected, within the Monte Carlo tolerance of tests/it/stats_aso.rs;
//! the verdicts in a golden file; determinism across thread counts; and the
//! bad input.

use serde_json::Value;

use crate::common::{assert_golden, command_json, reference, xreport};
use crate::stats_aso::floats;

const HOPPER: &str = "examples/tianshou-mujoco/Hopper-v3";
const READ: [&str; 6] = [
    "--baseline",
    "td3",
    "--max-step",
    "1000000",
    "--reduce",
    "last",
];

/// `got` against one direction's reference (tests/it/stats_aso.rs's tolerance).
fn assert_within_monte_carlo(got: f64, want: &Value, what: &str) {
    let deepsig = want["deepsig"].as_f64().unwrap();
    let (grid, exact) = (floats(&want["grid"]), floats(&want["exact"]));
    crate::stats_aso::assert_within_monte_carlo(got, &grid, &exact, deepsig, what);
}

fn aso_report(extra: &[&str]) -> Value {
    let args = [HOPPER, "--test", "aso"]
        .into_iter()
        .chain(READ)
        .chain(extra.iter().copied());
    command_json("compare", args)
}

#[test]
fn eps_min_of_every_pair_matches_deepsig_on_real_curves() {
    let data = reference("aso_cli.json");
    let cases = data["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 12);
    for case in cases {
        let (treatment, correction, direction) = (
            case["treatment"].as_str().unwrap(),
            case["correction"].as_str().unwrap(),
            case["direction"].as_str().unwrap(),
        );
        let mut extra = vec![];
        if correction == "none" {
            extra.extend(["--correction", "none"]);
        }
        if direction == "lower" {
            extra.extend(["--lower-is-better", "test_rew"]);
        }
        let report = aso_report(&extra);
        let c = report["comparisons"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["treatment"] == treatment)
            .unwrap();
        let what = format!("{treatment} vs td3, {correction}, {direction} is better");
        let confidence = case["confidence"].as_f64().unwrap();
        assert!((c["aso_confidence"].as_f64().unwrap() - confidence).abs() <= 1e-12);
        assert_within_monte_carlo(
            c["eps_min"].as_f64().unwrap(),
            &case["forward"],
            &format!("{what}: eps_min"),
        );
        assert_within_monte_carlo(
            c["eps_min_reverse"].as_f64().unwrap(),
            &case["reverse"],
            &format!("{what}: eps_min_reverse"),
        );
        assert!(c["p_value"].is_null() && c["statistic"].is_null());
    }
}

#[test]
fn aso_decides_the_verdict_by_the_threshold() {
    let report = aso_report(&[]);
    let settings = &report["settings"];
    assert_eq!(settings["test"], "aso");
    assert_eq!(settings["aso_threshold"], 0.2);
    assert_eq!(settings["aso_resamples"], 1000);
    let verdict = |name: &str| {
        let c = report["comparisons"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["treatment"] == name)
            .unwrap()
            .clone();
        (c["verdict"].as_str().unwrap().to_string(), c)
    };
    // td3 dominates ddpg: ε_min reverse near 0.01
    let (v, ddpg) = verdict("ddpg");
    assert_eq!(v, "regression");
    assert_eq!(ddpg["significant"], true);
    assert!(ddpg["eps_min_reverse"].as_f64().unwrap() < 0.2);
    // sac's ε_min ≈ 0.26 at 1 − 0.05/3: not below τ = 0.2 …
    let (v, sac) = verdict("sac");
    assert_ne!(v, "improvement");
    assert_eq!(sac["significant"], false);
    // … but below τ = 0.3
    let loose = aso_report(&["--aso-threshold", "0.3"]);
    let sac = loose["comparisons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["treatment"] == "sac")
        .unwrap();
    assert_eq!(sac["verdict"], "improvement");
}

#[test]
fn aso_outputs_match_golden_files() {
    let out = xreport()
        .args(["compare", HOPPER, "--test", "aso"])
        .args(READ)
        .args(["--format", "md"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_golden("compare/aso.md", &out.stdout);
}

#[test]
fn aso_is_the_same_bit_for_bit_on_any_thread_count() {
    let run = |threads: &str| {
        let out = xreport()
            .env("RAYON_NUM_THREADS", threads)
            .args(["compare", HOPPER, "--test", "aso"])
            .args(READ)
            .args(["--format", "json", "--seed", "3"])
            .output()
            .unwrap();
        assert!(out.status.success());
        out.stdout
    };
    let one = run("1");
    assert_eq!(one, run("2"));
    assert_eq!(one, run("5"));
}

#[test]
fn one_seed_leaves_aso_undefined_with_the_reason() {
    let table = "condition,seed,acc\nbase,0,0.70\nbase,1,0.72\nbase,2,0.71\nnew,0,0.75\n";
    let report =
        crate::common::table_json("compare", table, &["--baseline", "base", "--test", "aso"]);
    let c = &report["comparisons"][0];
    assert_eq!(c["verdict"], "undefined");
    assert!(c["eps_min"].is_null() && c["eps_min_reverse"].is_null());
    let reason = c["aso_undefined"].as_str().unwrap();
    assert!(reason.contains("at least 2 seeds"), "{reason}");
}

fn refused(args: &[&str], message: &str) {
    let base = [&["compare", HOPPER][..], &READ].concat();
    crate::common::assert_usage_error(&base, args, message);
}

#[test]
fn bad_aso_options_are_usage_errors() {
    for tau in ["0", "-0.1", "0.6", "NaN"] {
        refused(
            &["--test", "aso", "--aso-threshold", tau],
            "--aso-threshold must be in (0, 0.5]",
        );
    }
    refused(
        &["--aso-threshold", "0.2"],
        "--aso-threshold applies to --test aso",
    );
    refused(
        &["--test", "aso", "--alternative", "greater"],
        "takes no --alternative",
    );
    refused(
        &["--test", "aso", "--resamples", "10"],
        "10 is not in 100..=",
    );
    refused(
        &["--test", "aso", "--paired"],
        "--paired matches seeds by id",
    );
}

#[test]
fn the_main_table_marks_dominance_under_aso() {
    let out = xreport()
        .args(["table", "examples/tianshou-mujoco", "--task-key", "path:0"])
        .args([
            "--reduce",
            "last",
            "--max-step",
            "1000000",
            "--baseline",
            "ddpg",
        ])
        .args(["--test", "aso", "--format", "md"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("† almost stochastically dominates ddpg (ASO ε_min"));
    assert!(!text.contains("significantly better than"));
    // td3 and sac dominate ddpg on Hopper at τ = 0.2 (see the JSON tests' reverse ε_min)
    assert!(text.matches('†').count() >= 3, "{text}");
}

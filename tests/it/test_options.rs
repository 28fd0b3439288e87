//! The test options of DESIGN section 13 end to end: `--rope` with
//! `--paired`, `--test corrected-t` on real cross-validation folds,
//! `--test wilcoxon`, `--mwu-method`/`--no-continuity`, one-sided intervals,
//! and every class of bad flag. The numbers are the library's, which
//! stats_test_options checks against scipy and baycomp.

use serde_json::Value;
use xreport::stats::inference::{
    Alternative, MwuMethod, TestConfig, TestKind, diff_interval, run_test,
};
use xreport::stats::rope::correlated_t;

use crate::common::{assert_golden, command_json, xreport};

const EQUIVALENCE: &str = "tests/fixtures/equivalence/results.csv";
/// scikit-learn 5-fold × 2 cross-validation scores (golden/fixtures_cv_folds.py).
const FOLDS: &str = "examples/folds/folds.csv";

const BASE: [f64; 6] = [80.1, 80.3, 79.9, 80.2, 80.0, 80.4];
const SAME: [f64; 6] = [80.2, 80.0, 80.3, 80.1, 80.2, 80.0];
const NOISY: [f64; 6] = [79.0, 81.5, 80.9, 78.8, 81.9, 79.6];

fn by_treatment<'a>(report: &'a Value, name: &str, metric: &str) -> &'a Value {
    report["comparisons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["treatment"] == name && c["metric"] == metric)
        .unwrap_or_else(|| panic!("no comparison of {name} on {metric}"))
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// Per-fold values of `condition` on `metric` in examples/folds/folds.csv, in fold order.
fn fold_scores(condition: &str, metric: &str) -> Vec<f64> {
    let text = std::fs::read_to_string(crate::common::root().join(FOLDS)).unwrap();
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            (cells[0] == condition && cells[2] == metric).then(|| cells[3].parse().unwrap())
        })
        .collect()
}

#[test]
fn rope_gives_equivalent_different_and_inconclusive_verdicts() {
    let report = command_json(
        "compare",
        [
            EQUIVALENCE,
            "--baseline",
            "base",
            "--rope",
            "0.5",
            "--paired",
        ],
    );
    assert_eq!(report["settings"]["test"], "paired");
    assert_eq!(report["settings"]["rope"], "0.5");
    assert_eq!(report["settings"]["rho"], 0.0);
    let same = by_treatment(&report, "same", "accuracy");
    assert_eq!(same["verdict"], "equivalent");
    let want = correlated_t(&BASE, &SAME, 0.5, 0.0).unwrap();
    assert!((num(&same["rope"]["inside"]) - want.inside).abs() < 1e-15);
    assert!(want.inside >= 0.95);
    assert_eq!(
        by_treatment(&report, "worse", "accuracy")["verdict"],
        "regression"
    );
    let noisy = by_treatment(&report, "noisy", "accuracy");
    let want = correlated_t(&BASE, &NOISY, 0.5, 0.0).unwrap();
    assert!((num(&noisy["rope"]["left"]) - want.left).abs() < 1e-15);
    assert!(want.left.max(want.inside).max(want.right) < 0.95);
    assert!(["within-noise", "no-evidence"].contains(&noisy["verdict"].as_str().unwrap()));
}

#[test]
fn rope_outputs_match_golden_files() {
    let out = xreport()
        .args([
            "compare",
            EQUIVALENCE,
            "--baseline",
            "base",
            "--rope",
            "0.5",
        ])
        .args(["--paired", "--format", "md"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_golden("compare/rope.md", &out.stdout);
}

#[test]
fn corrected_t_on_cross_validation_folds_matches_the_library() {
    let report = command_json(
        "compare",
        [
            FOLDS,
            "--seed-col",
            "fold",
            "--baseline",
            "svm",
            "--test",
            "corrected-t",
            "--test-train-ratio",
            "0.25",
        ],
    );
    assert_eq!(report["settings"]["test"], "corrected-t");
    assert_eq!(report["settings"]["test_train_ratio"], 0.25);
    let (b, t) = (
        fold_scores("svm", "test.accuracy"),
        fold_scores("tree", "test.accuracy"),
    );
    assert_eq!(b.len(), 10);
    let config = TestConfig {
        test_train_ratio: Some(0.25),
        ..TestConfig::seeded(10_000, 0, 0)
    };
    let want = run_test(TestKind::CorrectedT, &b, &t, Alternative::TwoSided, &config).unwrap();
    let tree = by_treatment(&report, "tree", "test.accuracy");
    assert_eq!(num(&tree["p_value"]), want.p_value);
    assert_eq!(num(&tree["df"]), 9.0);
    // the plain paired t on the same folds claims much more
    let plain = run_test(TestKind::Paired, &b, &t, Alternative::TwoSided, &config).unwrap();
    assert!(plain.p_value < want.p_value / 10.0);
    let interval = diff_interval(
        TestKind::CorrectedT,
        &b,
        &t,
        0.95,
        Alternative::TwoSided,
        &config,
    )
    .unwrap();
    assert_eq!(num(&tree["diff_t_ci"][0]), interval[0].unwrap());
    assert!(tree["notes"].to_string().contains("too narrow"));
}

#[test]
fn corrected_t_with_rope_takes_rho_from_the_ratio() {
    let report = command_json(
        "compare",
        [
            FOLDS,
            "--seed-col",
            "fold",
            "--baseline",
            "svm",
            "--test",
            "corrected-t",
            "--test-train-ratio",
            "0.25",
            "--rope",
            "0.01",
            "--metric",
            "test.accuracy",
        ],
    );
    assert_eq!(report["settings"]["rho"], 0.2);
    let (b, t) = (
        fold_scores("svm", "test.accuracy"),
        fold_scores("tree", "test.accuracy"),
    );
    let want = correlated_t(&b, &t, 0.01, 0.2).unwrap();
    let tree = by_treatment(&report, "tree", "test.accuracy");
    assert_eq!(num(&tree["rope"]["left"]), want.left);
    assert_eq!(tree["verdict"], "regression");
}

#[test]
fn wilcoxon_and_one_sided_intervals_over_seeds() {
    let report = command_json(
        "compare",
        [
            EQUIVALENCE,
            "--baseline",
            "base",
            "--test",
            "wilcoxon",
            "--alternative",
            "less",
        ],
    );
    let worse = by_treatment(&report, "worse", "accuracy");
    // six negative differences: W⁺ = 0, exact p = 1/2⁶
    assert_eq!(num(&worse["statistic"]), 0.0);
    assert!((num(&worse["p_value"]) - 1.0 / 64.0).abs() < 1e-15);
    // a `less` alternative bounds Δ from above only
    assert!(worse["diff_t_ci"][0].is_null());
    let worse_values = [78.1, 78.4, 77.9, 78.2, 78.0, 78.3];
    let want = diff_interval(
        TestKind::Wilcoxon,
        &BASE,
        &worse_values,
        0.95,
        Alternative::Less,
        &TestConfig::seeded(0, 0, 0),
    )
    .unwrap();
    assert_eq!(num(&worse["diff_t_ci"][1]), want[1].unwrap());
}

#[test]
fn mann_whitney_method_and_continuity_reach_the_test() {
    let args = |extra: &[&'static str]| {
        let mut a = vec![EQUIVALENCE, "--baseline", "base", "--test", "mannwhitney"];
        a.extend_from_slice(extra);
        command_json("compare", a)
    };
    let auto = args(&[]);
    let asymptotic = args(&["--mwu-method", "asymptotic", "--no-continuity"]);
    assert_eq!(asymptotic["settings"]["mwu_method"], "asymptotic");
    assert_eq!(asymptotic["settings"]["continuity"], false);
    let config = TestConfig {
        mwu_method: MwuMethod::Asymptotic,
        continuity: false,
        ..TestConfig::seeded(0, 0, 0)
    };
    let worse = [78.1, 78.4, 77.9, 78.2, 78.0, 78.3];
    let want = run_test(
        TestKind::MannWhitney,
        &BASE,
        &worse,
        Alternative::TwoSided,
        &config,
    )
    .unwrap();
    let got = by_treatment(&asymptotic, "worse", "accuracy");
    assert_eq!(num(&got["p_value"]), want.p_value);
    // 6 vs 6 without ties is exact under auto: every split below, p = 2/C(12, 6)
    let exact = num(&by_treatment(&auto, "worse", "accuracy")["p_value"]);
    assert!((exact - 2.0 / 924.0).abs() < 1e-15, "{exact}");
    assert!((want.p_value - exact).abs() > 1e-4);
}

/// Runs `compare` on the equivalence fixture with `args`; it must exit 2 and
/// say `message` on stderr.
fn refused(args: &[&str], message: &str) {
    crate::common::assert_usage_error(
        &["compare", EQUIVALENCE, "--baseline", "base"],
        args,
        message,
    );
}

#[test]
fn bad_test_options_are_usage_errors() {
    refused(&["--rope", "0.5"], "--rope needs paired seeds");
    refused(
        &["--rope", "0.5", "--test", "welch"],
        "--rope needs paired seeds",
    );
    refused(&["--rope", "0", "--paired"], "--rope must be a positive");
    refused(&["--rope", "-0.5", "--paired"], "--rope must be a positive");
    refused(
        &["--rope", "0.5", "--paired", "--rho", "1"],
        "--rho must be in [0, 1)",
    );
    refused(&["--rho", "0.1"], "--rho applies to --rope");
    refused(
        &["--paired", "--test", "welch"],
        "--paired matches seeds by id",
    );
    refused(&["--test", "corrected-t"], "needs --test-train-ratio");
    for ratio in ["0", "1", "1.5", "-0.2", "NaN"] {
        refused(
            &["--test", "corrected-t", "--test-train-ratio", ratio],
            "--test-train-ratio must be between 0 and 1",
        );
    }
    refused(
        &["--test-train-ratio", "0.25"],
        "applies to --test corrected-t",
    );
    refused(
        &["--mwu-method", "exact"],
        "--mwu-method applies to --test mannwhitney",
    );
    refused(
        &["--no-continuity", "--test", "paired"],
        "--no-continuity applies",
    );
    refused(
        &[
            "--test",
            "corrected-t",
            "--test-train-ratio",
            "0.25",
            "--rope",
            "0.5",
            "--rho",
            "0.1",
        ],
        "give one",
    );
}

#[test]
fn a_fold_column_is_the_seed_column_when_there_is_no_seed_column() {
    let args = [
        "--baseline",
        "svm",
        "--test",
        "corrected-t",
        "--test-train-ratio",
        "0.25",
    ];
    let implicit = command_json("compare", std::iter::once(FOLDS).chain(args));
    let explicit = command_json(
        "compare",
        [FOLDS, "--seed-col", "fold"].into_iter().chain(args),
    );
    assert_eq!(implicit["comparisons"], explicit["comparisons"]);
    assert_eq!(implicit["comparisons"][0]["n_baseline"], 10);
}

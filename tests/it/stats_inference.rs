//! Hypothesis tests, corrections and effect sizes against scipy/statsmodels
//! reference numbers (golden/reference/{inference,correction}.json, written by
//! golden/reference_inference.py), plus property tests.

use proptest::prelude::*;
use serde_json::Value;
use xreport::stats::correction::{Correction, adjust, reject};
use xreport::stats::effect::{cohens_d, hedges_g, prob_improvement};
use xreport::stats::inference::{
    Alternative, TestConfig, TestKind, TestResult, Undefined, diff_interval, min_p_value, run_test,
};

fn reference(name: &str) -> Value {
    let path = format!("{}/golden/reference/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_f64().expect("number"))
        .collect()
}

fn num(v: &Value) -> f64 {
    v.as_f64().expect("number")
}

/// |got − want| ≤ rel·|want| + abs.
fn close(got: f64, want: f64, rel: f64, abs: f64) -> bool {
    (got - want).abs() <= rel * want.abs() + abs
}

fn alternative(name: &str) -> Alternative {
    match name {
        "two-sided" => Alternative::TwoSided,
        "greater" => Alternative::Greater,
        "less" => Alternative::Less,
        other => panic!("unknown alternative {other}"),
    }
}

fn kind(name: &str) -> TestKind {
    match name {
        "welch" => TestKind::Welch,
        "student" => TestKind::Student,
        "paired" => TestKind::Paired,
        "mannwhitney" => TestKind::MannWhitney,
        "permutation" => TestKind::Permutation,
        other => panic!("unknown test {other}"),
    }
}

const CONFIG: TestConfig = TestConfig::seeded(10_000, 0, 17);

/// Runs every reference case of `kind_name` with `resamples`, checking each
/// with `check` and returning how many there were.
fn for_each_case(kind_name: &str, check: impl Fn(&Value, &TestResult)) -> usize {
    let data = reference("inference.json");
    let mut seen = 0;
    for case in data["tests"].as_array().expect("tests") {
        if case["kind"] != kind_name {
            continue;
        }
        let config = TestConfig {
            resamples: case["resamples"].as_u64().unwrap_or(CONFIG.resamples),
            ..CONFIG
        };
        let result = run_test(
            kind(kind_name),
            &floats(&case["baseline"]),
            &floats(&case["treatment"]),
            alternative(case["alternative"].as_str().expect("alternative")),
            &config,
        )
        .unwrap_or_else(|e| panic!("{}: {e}", case["label"]));
        check(case, &result);
        seen += 1;
    }
    seen
}

fn check_t_test(case: &Value, got: &TestResult) {
    let label = format!("{} {}", case["label"], case["alternative"]);
    let (t, df, p) = (
        num(&case["statistic"]),
        num(&case["df"]),
        num(&case["p_value"]),
    );
    assert!(
        close(got.statistic, t, 1e-10, 1e-12),
        "{label}: t {} vs {t}",
        got.statistic
    );
    assert!(
        close(got.df.expect("df"), df, 1e-10, 0.0),
        "{label}: df {:?} vs {df}",
        got.df
    );
    assert!(
        close(got.p_value, p, 1e-10, 1e-300),
        "{label}: p {} vs {p}",
        got.p_value
    );
    assert!(got.min_p_value.is_none() && !got.exact);
}

#[test]
fn welch_matches_scipy_on_reference_cases() {
    assert!(for_each_case("welch", check_t_test) >= 200);
}

#[test]
fn student_matches_scipy_on_reference_cases() {
    assert!(for_each_case("student", check_t_test) >= 200);
}

#[test]
fn paired_matches_scipy_ttest_rel_on_reference_cases() {
    assert!(for_each_case("paired", check_t_test) >= 100);
}

#[test]
fn mann_whitney_matches_scipy_method_auto_on_reference_cases() {
    let seen = for_each_case("mannwhitney", |case, got| {
        let label = format!("{} {}", case["label"], case["alternative"]);
        assert_eq!(got.statistic, num(&case["statistic"]), "{label}: U");
        let p = num(&case["p_value"]);
        assert!(
            close(got.p_value, p, 1e-10, 1e-300),
            "{label}: p {} vs {p}",
            got.p_value
        );
        assert_eq!(got.exact, case["exact"] == true, "{label}: exact");
        assert_eq!(got.min_p_value.is_some(), got.exact, "{label}: min p");
    });
    assert!(seen >= 200);
}

#[test]
fn exact_permutation_test_matches_scipy_permutation_test() {
    let seen = for_each_case("permutation", |case, got| {
        if case["exact"] != true {
            return;
        }
        let label = format!("{} {}", case["label"], case["alternative"]);
        let (stat, p) = (num(&case["statistic"]), num(&case["p_value"]));
        assert!(
            close(got.statistic, stat, 1e-10, 1e-14),
            "{label}: statistic"
        );
        assert!(got.exact, "{label}: exact");
        assert!(
            close(got.p_value, p, 1e-12, 0.0),
            "{label}: p {} vs {p}",
            got.p_value
        );
    });
    assert!(seen >= 100);
}

#[test]
fn monte_carlo_permutation_test_agrees_with_scipy_within_sampling_error() {
    let seen = for_each_case("permutation", |case, got| {
        if case["exact"] == true {
            return;
        }
        let label = format!("{} {}", case["label"], case["alternative"]);
        let resamples = num(&case["resamples"]);
        let p = num(&case["p_value"]);
        // two independent estimates of one p: 5 standard errors of their difference
        let tolerance = 5.0 * (2.0 * p * (1.0 - p) / resamples).sqrt() + 4.0 / resamples;
        assert!(!got.exact, "{label}: should be Monte Carlo");
        assert!(
            (got.p_value - p).abs() <= tolerance,
            "{label}: p {} vs {p}",
            got.p_value
        );
        let tails = if case["alternative"] == "two-sided" {
            2.0
        } else {
            1.0
        };
        assert_eq!(
            got.min_p_value,
            Some(tails / (resamples + 1.0)),
            "{label}: min p"
        );
    });
    assert!(seen >= 9);
}

#[test]
fn monte_carlo_permutation_p_is_identical_for_1_2_and_8_threads() {
    let baseline: Vec<f64> = (0..12).map(|i| (i as f64 * 0.37).sin()).collect();
    let treatment: Vec<f64> = (0..12).map(|i| 0.3 + (i as f64 * 0.91).cos()).collect();
    let config = TestConfig::seeded(20_000, 3, 99);
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        pool.install(|| {
            run_test(
                TestKind::Permutation,
                &baseline,
                &treatment,
                Alternative::TwoSided,
                &config,
            )
            .expect("defined")
        })
    };
    let one = run(1);
    assert!(!one.exact);
    assert_eq!(one, run(2));
    assert_eq!(one, run(8));
    let other_seed = TestConfig { seed: 4, ..config };
    let moved = run_test(
        TestKind::Permutation,
        &baseline,
        &treatment,
        Alternative::TwoSided,
        &other_seed,
    )
    .expect("defined");
    assert_ne!(one.p_value, moved.p_value, "the seed reaches the stream");
}

#[test]
fn min_p_value_matches_completely_separated_groups_in_scipy() {
    let data = reference("inference.json");
    for case in data["min_p"].as_array().expect("min_p") {
        let nb = case["n_baseline"].as_u64().expect("n") as usize;
        let nt = case["n_treatment"].as_u64().expect("n") as usize;
        let alt = alternative(case["alternative"].as_str().expect("alternative"));
        let mw = min_p_value(TestKind::MannWhitney, nb, nt, alt).expect("exact");
        assert!(
            close(mw, num(&case["mannwhitney"]), 1e-12, 0.0),
            "{nb}v{nt} {alt:?}"
        );
        if let Some(perm) = case.get("permutation") {
            let got = min_p_value(TestKind::Permutation, nb, nt, alt).expect("exact");
            assert!(close(got, num(perm), 1e-12, 0.0), "{nb}v{nt} {alt:?}");
        }
    }
}

#[test]
fn three_versus_three_exact_permutation_cannot_reach_five_percent() {
    let result = run_test(
        TestKind::Permutation,
        &[1.0, 2.0, 3.0],
        &[4.0, 5.0, 6.0],
        Alternative::TwoSided,
        &CONFIG,
    )
    .expect("defined");
    assert!(result.exact);
    assert!(close(result.p_value, 0.1, 1e-15, 0.0));
    assert_eq!(result.min_p_value, Some(0.1));
    assert!(!result.can_reach(0.05));
    assert!(result.can_reach(0.1));
    assert_eq!(
        min_p_value(TestKind::Permutation, 3, 3, Alternative::TwoSided),
        Some(0.1)
    );
    assert_eq!(
        min_p_value(TestKind::Welch, 3, 3, Alternative::TwoSided),
        None
    );
    assert_eq!(
        min_p_value(TestKind::MannWhitney, 9, 9, Alternative::TwoSided),
        None
    );
}

#[test]
fn welch_interval_of_the_difference_matches_the_t_test() {
    let (b, t) = ([0.80, 0.82, 0.81, 0.79], [0.84, 0.85, 0.83, 0.86, 0.84]);
    let welch = |b: &[f64], t: &[f64]| {
        diff_interval(TestKind::Welch, b, t, 0.95, Alternative::TwoSided, &CONFIG)
    };
    let [Some(lo), Some(hi)] = welch(&b, &t).expect("defined") else {
        panic!("a two-sided interval has both ends");
    };
    // scipy.stats.ttest_ind(t, b, equal_var=False).confidence_interval(0.95)
    assert!(close(lo, 0.018969980833318387, 1e-9, 0.0), "{lo}");
    assert!(close(hi, 0.05903001916668146, 1e-9, 0.0), "{hi}");
    assert_eq!(welch(&[1.0, 1.0], &[2.0, 2.0]), None);
    assert_eq!(welch(&[1.0], &[2.0, 3.0]), None);
}

#[test]
fn undefined_tests_say_why_instead_of_printing_a_number() {
    let kinds = [
        TestKind::Welch,
        TestKind::Student,
        TestKind::Paired,
        TestKind::MannWhitney,
        TestKind::Permutation,
    ];
    for kind in kinds {
        let run = |b: &[f64], t: &[f64]| run_test(kind, b, t, Alternative::TwoSided, &CONFIG);
        assert_eq!(
            run(&[0.5], &[0.6]),
            Err(Undefined::TooFewSeeds {
                n_baseline: 1,
                n_treatment: 1
            })
        );
        assert_eq!(
            run(&[0.5, 0.5, 0.5], &[0.7, 0.7, 0.7]),
            Err(Undefined::NoVariance)
        );
        assert_eq!(
            run(&[0.5, f64::NAN], &[0.7, 0.8]),
            Err(Undefined::NonFinite)
        );
    }
    let paired =
        |b: &[f64], t: &[f64]| run_test(TestKind::Paired, b, t, Alternative::TwoSided, &CONFIG);
    assert_eq!(
        paired(&[0.1, 0.2, 0.3], &[0.1, 0.2]),
        Err(Undefined::Unpaired {
            n_baseline: 3,
            n_treatment: 2
        })
    );
    assert_eq!(
        paired(&[0.1, 0.2, 0.3], &[1.1, 1.2, 1.3]),
        Err(Undefined::NoVariance)
    );
    assert_eq!(
        Undefined::NoVariance.to_string(),
        "no variance across seeds — was the seed applied?"
    );
    assert!(
        Undefined::TooFewSeeds {
            n_baseline: 1,
            n_treatment: 3
        }
        .to_string()
        .starts_with("needs at least 2 seeds per group")
    );
}

#[test]
fn names_match_the_command_line_and_json() {
    assert_eq!(TestKind::MannWhitney.name(), "mannwhitney");
    assert_eq!(
        serde_json::to_value(TestKind::MannWhitney).unwrap(),
        "mannwhitney"
    );
    assert_eq!(Alternative::TwoSided.name(), "two-sided");
    assert_eq!(
        serde_json::to_value(Alternative::TwoSided).unwrap(),
        "two-sided"
    );
    assert_eq!(Correction::HolmSidak.name(), "holm-sidak");
    assert_eq!(
        serde_json::to_value(Correction::HolmSidak).unwrap(),
        "holm-sidak"
    );
    for c in Correction::ALL {
        assert_eq!(serde_json::to_value(c).unwrap(), c.name());
    }
}

fn correction(name: &str) -> Correction {
    Correction::ALL
        .into_iter()
        .find(|c| c.name() == name)
        .unwrap_or_else(|| panic!("unknown correction {name}"))
}

#[test]
fn corrections_match_statsmodels_multipletests() {
    let data = reference("correction.json");
    let cases = data["cases"].as_array().expect("cases");
    for case in cases {
        let p = floats(&case["p"]);
        let method = correction(case["method"].as_str().expect("method"));
        let alpha = num(&case["alpha"]);
        let want = floats(&case["adjusted"]);
        for (got, want) in adjust(&p, method, alpha).iter().zip(&want) {
            assert!(
                close(*got, *want, 1e-12, 1e-300),
                "{method:?} {p:?}: {got} vs {want}"
            );
        }
        let want: Vec<bool> = case["reject"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v == true)
            .collect();
        assert_eq!(
            reject(&p, method, alpha),
            want,
            "{method:?} α={alpha} {p:?}"
        );
    }
    assert!(cases.len() >= 300);
}

#[test]
fn two_stage_corrections_are_checked_at_many_levels_and_depend_on_alpha() {
    let data = reference("correction.json");
    let cases = data["cases"].as_array().expect("cases");
    let two_stage: Vec<_> = cases
        .iter()
        .filter(|c| {
            c["method"]
                .as_str()
                .is_some_and(|m| m.starts_with("fdr-ts"))
        })
        .collect();
    assert!(
        two_stage.len() >= 100,
        "{} two-stage cases",
        two_stage.len()
    );
    let mut levels: Vec<f64> = two_stage.iter().map(|c| num(&c["alpha"])).collect();
    levels.sort_by(f64::total_cmp);
    levels.dedup();
    assert!(levels.len() >= 4, "levels {levels:?}");
    // Stage 1 at α = 0.05 rejects 0.001 (≤ 0.05/2), so m₀ = 1 of 2 true
    // nulls and the BH values [0.002, 0.9] are halved; at α = 1e-4 stage 1
    // rejects nothing and they stay BH's.
    let p = [0.9, 0.001];
    assert_eq!(adjust(&p, Correction::FdrTsbh, 0.05), vec![0.45, 0.001]);
    assert_eq!(reject(&p, Correction::FdrTsbh, 0.05), vec![false, true]);
    assert_eq!(adjust(&p, Correction::FdrTsbh, 1e-4), vec![0.9, 0.002]);
    assert_eq!(reject(&p, Correction::FdrTsbh, 1e-4), vec![false, false]);
    // BKY: the same, times 1 + α
    assert_eq!(
        adjust(&p, Correction::FdrTsbky, 0.05),
        vec![0.45 * 1.05, 0.001 * 1.05]
    );
}

#[test]
fn no_correction_leaves_p_values_alone() {
    let p = [0.04, 0.01, 0.5];
    assert_eq!(adjust(&p, Correction::None, 0.05), p.to_vec());
    assert_eq!(reject(&p, Correction::None, 0.05), vec![true, true, false]);
    assert!(adjust(&[], Correction::Hommel, 0.05).is_empty());
    assert!(adjust(&[], Correction::FdrTsbky, 0.05).is_empty());
    assert!(reject(&[], Correction::FdrTsbh, 0.05).is_empty());
}

#[test]
fn effect_sizes_match_the_reference_formulas() {
    let data = reference("inference.json");
    for case in data["effects"].as_array().expect("effects") {
        let (b, t) = (floats(&case["baseline"]), floats(&case["treatment"]));
        let label = &case["label"];
        let d = cohens_d(&b, &t).expect("defined");
        assert!(close(d, num(&case["cohens_d"]), 1e-10, 1e-13), "{label}: d");
        let g = hedges_g(&b, &t).expect("defined");
        assert!(close(g, num(&case["hedges_g"]), 1e-10, 1e-13), "{label}: g");
        let higher = prob_improvement(&b, &t, true).expect("defined");
        assert!(
            close(higher, num(&case["prob_improvement_higher"]), 1e-14, 0.0),
            "{label}"
        );
        let lower = prob_improvement(&b, &t, false).expect("defined");
        assert!(
            close(lower, num(&case["prob_improvement_lower"]), 1e-14, 0.0),
            "{label}"
        );
    }
}

#[test]
fn effect_sizes_are_undefined_without_variance_or_seeds() {
    assert_eq!(cohens_d(&[1.0, 1.0], &[2.0, 2.0]), None);
    assert_eq!(hedges_g(&[1.0], &[2.0, 3.0]), None);
    assert_eq!(prob_improvement(&[], &[1.0], true), None);
    assert_eq!(prob_improvement(&[1.0], &[1.0], true), Some(0.5));
    assert_eq!(
        prob_improvement(&[0.2, 0.1], &[0.1, 0.3], false),
        Some(0.375)
    );
}

fn group(len: std::ops::Range<usize>) -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(-10.0..10.0f64, len).prop_filter("needs spread", |v| {
        xreport::stats::describe::std(v, 1).is_some_and(|s| s > 0.1)
    })
}

proptest! {
    #[test]
    fn shifting_both_groups_leaves_t_and_p_unchanged(
        b in group(2..12), t in group(2..12), shift in -100.0..100.0f64,
    ) {
        for kind in [TestKind::Welch, TestKind::Student, TestKind::MannWhitney] {
            let before = run_test(kind, &b, &t, Alternative::TwoSided, &CONFIG).unwrap();
            let (bs, ts): (Vec<f64>, Vec<f64>) =
                (b.iter().map(|v| v + shift).collect(), t.iter().map(|v| v + shift).collect());
            let after = run_test(kind, &bs, &ts, Alternative::TwoSided, &CONFIG).unwrap();
            prop_assert!(close(after.statistic, before.statistic, 1e-8, 1e-8), "{kind:?}");
            prop_assert!(close(after.p_value, before.p_value, 1e-7, 1e-9), "{kind:?}");
        }
    }

    #[test]
    fn swapping_groups_flips_t_and_the_one_sided_alternative(b in group(2..12), t in group(2..12)) {
        for kind in [TestKind::Welch, TestKind::Student] {
            let forward = run_test(kind, &b, &t, Alternative::Greater, &CONFIG).unwrap();
            let swapped = run_test(kind, &t, &b, Alternative::Less, &CONFIG).unwrap();
            prop_assert!(close(swapped.statistic, -forward.statistic, 1e-12, 1e-12));
            prop_assert!(close(swapped.p_value, forward.p_value, 1e-10, 1e-300));
        }
    }

    #[test]
    fn adjusted_p_is_at_least_raw_at_most_one_and_monotone(
        p in prop::collection::vec(0.0..=1.0f64, 1..30),
    ) {
        for method in Correction::ALL {
            let adjusted = adjust(&p, method, 0.05);
            // the two-stage methods scale by the estimated share of true
            // nulls (< 1), so their adjusted p may fall below the raw one
            let two_stage = matches!(method, Correction::FdrTsbh | Correction::FdrTsbky);
            for (a, raw) in adjusted.iter().zip(&p) {
                prop_assert!(*a >= 0.0 && *a <= 1.0, "{method:?}: {a} from {raw}");
                prop_assert!(two_stage || *a >= *raw - 1e-15, "{method:?}: {a} from {raw}");
            }
            for i in 0..p.len() {
                for j in 0..p.len() {
                    if p[i] <= p[j] {
                        prop_assert!(adjusted[i] <= adjusted[j] + 1e-15, "{method:?} not monotone");
                    }
                }
            }
        }
    }
}

//! The test options of DESIGN section 13 against scipy 1.17.1 and baycomp
//! 1.0.3 (golden/reference_test_options.py): Mann–Whitney's methods and
//! continuity, the one-sided Wilcoxon, the t intervals of every test and
//! alternative, the correlated t-test's ROPE probabilities and the
//! Nadeau–Bengio corrected t.

use serde_json::Value;
use xreport::stats::inference::{
    Alternative, MwuMethod, TestConfig, TestKind, diff_interval, run_test,
};
use xreport::stats::rope::correlated_t;

fn reference() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/golden/reference/test_options.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn alternative(c: &Value) -> Alternative {
    match c["alternative"].as_str().unwrap() {
        "two-sided" => Alternative::TwoSided,
        "greater" => Alternative::Greater,
        "less" => Alternative::Less,
        other => panic!("unknown alternative {other}"),
    }
}

/// |got − want| ≤ tol·max(|want|, 1): relative for large values, absolute
/// near 0 (tail probabilities).
fn close(got: f64, want: f64, tol: f64) -> bool {
    (got - want).abs() <= tol * want.abs().max(1.0)
}

fn cases<'a>(reference: &'a Value, key: &str, at_least: usize) -> &'a Vec<Value> {
    let cases = reference[key].as_array().unwrap();
    assert!(cases.len() >= at_least, "{key}: {} cases", cases.len());
    cases
}

const CONFIG: TestConfig = TestConfig::seeded(10_000, 0, 0);

#[test]
fn mann_whitney_matches_scipy_for_every_method_and_continuity() {
    let reference = reference();
    let mut exact_with_ties = 0;
    for (i, c) in cases(&reference, "mannwhitney", 500).iter().enumerate() {
        let config = TestConfig {
            mwu_method: match c["method"].as_str().unwrap() {
                "auto" => MwuMethod::Auto,
                "exact" => MwuMethod::Exact,
                "asymptotic" => MwuMethod::Asymptotic,
                other => panic!("unknown method {other}"),
            },
            continuity: c["continuity"].as_bool().unwrap(),
            ..CONFIG
        };
        let (b, t) = (floats(&c["baseline"]), floats(&c["treatment"]));
        let got = run_test(TestKind::MannWhitney, &b, &t, alternative(c), &config).unwrap();
        let (u, p) = (
            c["statistic"].as_f64().unwrap(),
            c["p_value"].as_f64().unwrap(),
        );
        assert!(
            close(got.statistic, u, 1e-12),
            "case {i}: U {} vs {u}",
            got.statistic
        );
        assert!(
            close(got.p_value, p, 1e-9),
            "case {i}: p {} vs {p}",
            got.p_value
        );
        if c["method"] == "exact"
            && got
                .notes
                .iter()
                .any(|n| n.contains("not corrected for ties"))
        {
            exact_with_ties += 1;
        }
    }
    assert!(exact_with_ties > 0, "no exact case with ties was exercised");
}

#[test]
fn wilcoxon_matches_scipy_for_every_alternative() {
    let reference = reference();
    for (i, c) in cases(&reference, "wilcoxon", 200).iter().enumerate() {
        let (b, t) = (floats(&c["baseline"]), floats(&c["treatment"]));
        let got = run_test(TestKind::Wilcoxon, &b, &t, alternative(c), &CONFIG).unwrap();
        let (w, p) = (
            c["statistic"].as_f64().unwrap(),
            c["p_value"].as_f64().unwrap(),
        );
        assert!(
            close(got.statistic, w, 1e-12),
            "case {i}: W {} vs {w}",
            got.statistic
        );
        assert!(
            close(got.p_value, p, 1e-9),
            "case {i}: p {} vs {p}",
            got.p_value
        );
    }
}

#[test]
fn t_intervals_follow_the_test_and_the_alternative_as_scipy() {
    let reference = reference();
    let mut one_sided = 0;
    for (i, c) in cases(&reference, "intervals", 150).iter().enumerate() {
        let kind = match c["kind"].as_str().unwrap() {
            "welch" => TestKind::Welch,
            "student" => TestKind::Student,
            "paired" => TestKind::Paired,
            other => panic!("unknown kind {other}"),
        };
        let (b, t) = (floats(&c["baseline"]), floats(&c["treatment"]));
        let confidence = c["confidence"].as_f64().unwrap();
        let got = diff_interval(kind, &b, &t, confidence, alternative(c), &CONFIG).unwrap();
        for (end, name) in got.iter().zip(["low", "high"]) {
            match (end, c[name].as_f64()) {
                (Some(g), Some(w)) => assert!(close(*g, w, 1e-10), "case {i} {name}: {g} vs {w}"),
                (None, None) => one_sided += 1,
                (g, w) => panic!("case {i} {name}: {g:?} vs {w:?}"),
            }
        }
    }
    assert!(one_sided >= 100);
}

#[test]
fn rope_probabilities_match_baycomp() {
    let reference = reference();
    let mut from_baycomp_runs = 0;
    for (i, c) in cases(&reference, "rope", 100).iter().enumerate() {
        let (b, t) = (floats(&c["baseline"]), floats(&c["treatment"]));
        let num = |k: &str| c[k].as_f64().unwrap();
        let got = correlated_t(&b, &t, num("rope"), num("rho")).unwrap();
        for (g, name) in [
            (got.left, "left"),
            (got.inside, "inside"),
            (got.right, "right"),
        ] {
            // baycomp takes 1 − cdf for the right tail: absolute digits only
            assert!(
                (g - num(name)).abs() <= 1e-12,
                "case {i} {name}: {g} vs {}",
                num(name)
            );
        }
        from_baycomp_runs += usize::from(c["source"] == "CorrelatedTTest");
    }
    assert!(from_baycomp_runs >= 50);
}

#[test]
fn corrected_t_matches_the_nadeau_bengio_formula() {
    let reference = reference();
    for (i, c) in cases(&reference, "corrected_t", 100).iter().enumerate() {
        let (b, t) = (floats(&c["baseline"]), floats(&c["treatment"]));
        let num = |k: &str| c[k].as_f64().unwrap();
        let config = TestConfig {
            test_train_ratio: Some(num("ratio")),
            ..CONFIG
        };
        let alt = alternative(c);
        let got = run_test(TestKind::CorrectedT, &b, &t, alt, &config).unwrap();
        assert!(close(got.statistic, num("statistic"), 1e-10), "case {i}: t");
        assert_eq!(got.df, Some(num("df")));
        assert!(close(got.p_value, num("p_value"), 1e-9), "case {i}: p");
        let interval = diff_interval(
            TestKind::CorrectedT,
            &b,
            &t,
            num("confidence"),
            alt,
            &config,
        )
        .unwrap();
        for (end, name) in interval.iter().zip(["low", "high"]) {
            match (end, c[name].as_f64()) {
                (Some(g), Some(w)) => assert!(close(*g, w, 1e-10), "case {i} {name}: {g} vs {w}"),
                (None, None) => {}
                (g, w) => panic!("case {i} {name}: {g:?} vs {w:?}"),
            }
        }
    }
}

#[test]
fn the_corrected_t_without_a_ratio_is_undefined_not_a_plain_t() {
    let (b, t) = ([0.1, 0.2, 0.3], [0.2, 0.4, 0.5]);
    let r = run_test(TestKind::CorrectedT, &b, &t, Alternative::TwoSided, &CONFIG);
    assert!(r.is_err());
}

//! Noncentral t CDF and Welch power against scipy/statsmodels reference
//! numbers (golden/reference/{nct,power}.json, written by
//! golden/reference_inference.py), plus property tests.

use proptest::prelude::*;
use serde_json::Value;
use xreport::stats::inference::Alternative;
use xreport::stats::nct::{nct_cdf, nct_sf, t_cdf, t_sf};
use xreport::stats::power::{
    SeedsNeeded, Spread, design_power, fewest_seeds, paired_power, power_curve, power_curve_for,
    power_curve_from_effect_size, power_from_effect_size, seeds_needed, seeds_needed_for,
    seeds_needed_from_effect_size, treatment_seeds, welch_power, welch_power_with,
};

fn reference(name: &str) -> Value {
    let path = format!("{}/golden/reference/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn num(v: &Value) -> f64 {
    v.as_f64().expect("number")
}

fn count(v: &Value) -> usize {
    v.as_u64().expect("count") as usize
}

#[test]
fn nct_cdf_matches_scipy_to_1e_8_over_the_reference_grid() {
    let data = reference("nct.json");
    let cases = data["cases"].as_array().expect("cases");
    for case in cases {
        let c: Vec<f64> = case.as_array().expect("row").iter().map(num).collect();
        let (x, df, ncp, want) = (c[0], c[1], c[2], c[3]);
        let got = nct_cdf(x, df, ncp);
        assert!(
            (got - want).abs() <= 1e-8,
            "nct.cdf({x}, {df}, {ncp}) = {got}, scipy {want}"
        );
        let sf = nct_sf(x, df, ncp);
        assert!(
            (sf - (1.0 - want)).abs() <= 1e-8,
            "nct.sf({x}, {df}, {ncp}) = {sf}"
        );
    }
    assert!(cases.len() >= 5000);
}

#[test]
fn nct_with_zero_ncp_is_the_central_t() {
    for df in [1.0, 2.5, 10.0, 300.0] {
        for x in [-50.0, -2.0, -0.3, 0.0, 0.7, 4.0] {
            assert!(
                (nct_cdf(x, df, 0.0) - t_cdf(x, df)).abs() < 1e-14,
                "{x} {df}"
            );
        }
    }
    // scipy.stats.t.sf(1000, 3): the far tail keeps its relative digits
    let far = t_sf(1000.0, 3.0);
    assert!(
        (far - 1.102653821288296e-9).abs() <= 1e-10 * 1.102653821288296e-9,
        "{far}"
    );
    assert_eq!(nct_cdf(f64::INFINITY, 5.0, 2.0), 1.0);
    assert_eq!(nct_cdf(f64::NEG_INFINITY, 5.0, 2.0), 0.0);
    // df = ∞ is the normal: Φ(1 − 0.5)
    assert!((nct_cdf(1.0, f64::INFINITY, 0.5) - 0.6914624612740131).abs() < 1e-15);
}

#[test]
fn welch_power_matches_scipy_nct_including_unequal_stds() {
    let data = reference("power.json");
    let cases = data["welch"].as_array().expect("welch");
    for case in cases {
        let got = welch_power(
            num(&case["diff"]),
            num(&case["sd_baseline"]),
            num(&case["sd_treatment"]),
            count(&case["n_baseline"]),
            count(&case["n_treatment"]),
            num(&case["alpha"]),
        )
        .expect("defined");
        let want = num(&case["power"]);
        assert!((got - want).abs() <= 1e-8, "{case}: {got}");
    }
    assert!(cases.len() >= 300);
}

#[test]
fn power_with_equal_stds_matches_statsmodels_ttest_ind_power() {
    let data = reference("power.json");
    for case in data["ttest_ind_power"].as_array().expect("cases") {
        let n = count(&case["n"]);
        let got = power_from_effect_size(num(&case["effect_size"]), n, n, num(&case["alpha"]))
            .expect("defined");
        let want = num(&case["power"]);
        assert!((got - want).abs() <= 1e-8, "{case}: {got}");
    }
}

#[test]
fn seeds_needed_is_statsmodels_solve_power_rounded_up() {
    let data = reference("power.json");
    for case in data["solve_power"].as_array().expect("cases") {
        let got = seeds_needed_from_effect_size(
            num(&case["effect_size"]),
            num(&case["alpha"]),
            num(&case["target_power"]),
            1000,
        );
        assert_eq!(
            got,
            Some(SeedsNeeded::Exactly(count(&case["seeds_needed"]))),
            "{case}"
        );
    }
}

#[test]
fn seeds_needed_reports_more_than_the_maximum_when_out_of_reach() {
    assert_eq!(
        seeds_needed_from_effect_size(0.01, 0.05, 0.8, 1000),
        Some(SeedsNeeded::MoreThan(1000))
    );
    assert_eq!(
        seeds_needed(0.0, 1.0, 2.0, 0.05, 0.8, 50),
        Some(SeedsNeeded::MoreThan(50))
    );
    // statsmodels: power(5.0, nobs1=2) = 0.719, power(5.0, nobs1=3) = 0.993
    assert_eq!(
        seeds_needed_from_effect_size(5.0, 0.05, 0.8, 1000),
        Some(SeedsNeeded::Exactly(3))
    );
    assert_eq!(
        seeds_needed_from_effect_size(8.0, 0.05, 0.8, 1000),
        Some(SeedsNeeded::Exactly(2))
    );
    assert_eq!(seeds_needed(1.0, 0.0, 0.0, 0.05, 0.8, 1000), None);
    assert_eq!(seeds_needed(1.0, 1.0, 1.0, 0.05, 1.5, 1000), None);
}

#[test]
fn power_at_zero_difference_is_alpha_and_zero_stds_are_undefined() {
    let power = welch_power(0.0, 1.0, 3.0, 5, 7, 0.05).expect("defined");
    assert!((power - 0.05).abs() < 1e-10, "{power}");
    assert_eq!(welch_power(0.3, 0.0, 0.0, 5, 5, 0.05), None);
    assert_eq!(welch_power(0.3, 1.0, 1.0, 1, 5, 0.05), None);
    assert_eq!(welch_power(0.3, 1.0, 1.0, 5, 5, 0.0), None);
    assert_eq!(welch_power(0.3, f64::NAN, 1.0, 5, 5, 0.05), None);
    assert!(welch_power(0.3, 0.0, 1.0, 5, 5, 0.05).is_some());
}

#[test]
fn power_curve_runs_from_two_seeds_to_the_maximum() {
    let curve = power_curve_from_effect_size(0.8, 0.05, 40);
    assert_eq!(curve.len(), 39);
    assert_eq!(curve[0].0, 2);
    assert_eq!(curve[38].0, 40);
    let at_26 = power_from_effect_size(0.8, 26, 26, 0.05).expect("defined");
    assert_eq!(curve[24], (26, at_26));
    assert!(power_curve(1.0, 0.0, 0.0, 0.05, 40).is_empty());
}

fn alternative(v: &Value) -> Alternative {
    match v.as_str().expect("alternative") {
        "two-sided" => Alternative::TwoSided,
        "greater" => Alternative::Greater,
        "less" => Alternative::Less,
        other => panic!("unknown alternative {other}"),
    }
}

fn groups(sd_baseline: f64, sd_treatment: f64, ratio: f64) -> Spread {
    Spread::Groups {
        sd_baseline,
        sd_treatment,
        ratio,
    }
}

/// `None` in the reference (past 1000 seeds) is `MoreThan(1000)`.
fn needed(v: &Value) -> SeedsNeeded {
    v.as_u64().map_or(SeedsNeeded::MoreThan(1000), |n| {
        SeedsNeeded::Exactly(n as usize)
    })
}

#[test]
fn one_sided_power_matches_statsmodels_larger_and_smaller() {
    let data = reference("power.json");
    let cases = data["one_sided"].as_array().expect("one_sided");
    for case in cases {
        let (d, n) = (num(&case["effect_size"]), count(&case["n"]));
        let alt = alternative(&case["alternative"]);
        let got = welch_power_with(d, 1.0, 1.0, n, n, num(&case["alpha"]), alt).expect("defined");
        let want = num(&case["power"]);
        assert!((got - want).abs() <= 1e-9, "{case}: {got}");
    }
    assert!(cases.len() >= 150, "{}", cases.len());
}

#[test]
fn one_sided_seeds_needed_is_statsmodels_solve_power_rounded_up() {
    let data = reference("power.json");
    for case in data["one_sided_solve"].as_array().expect("cases") {
        let got = seeds_needed_for(
            num(&case["effect_size"]),
            groups(1.0, 1.0, 1.0),
            num(&case["alpha"]),
            alternative(&case["alternative"]),
            num(&case["target_power"]),
            1000,
        );
        assert_eq!(got, Some(needed(&case["seeds_needed"])), "{case}");
    }
}

#[test]
fn unequal_group_sizes_match_scipy_and_statsmodels_with_welch_df() {
    let data = reference("power.json");
    let cases = data["ratio"].as_array().expect("ratio");
    let mut statsmodels = 0;
    for case in cases {
        let (n_b, ratio) = (count(&case["n_baseline"]), num(&case["ratio"]));
        let n_t = treatment_seeds(n_b, ratio);
        assert_eq!(n_t, count(&case["n_treatment"]), "{case}");
        let spread = groups(num(&case["sd_baseline"]), num(&case["sd_treatment"]), ratio);
        let (diff, alpha, alt) = (
            num(&case["diff"]),
            num(&case["alpha"]),
            alternative(&case["alternative"]),
        );
        let got = design_power(diff, spread, n_b, alpha, alt).expect("defined");
        assert!((got - num(&case["power"])).abs() <= 1e-9, "{case}: {got}");
        if let Some(want) = case.get("statsmodels_power") {
            assert!((got - num(want)).abs() <= 1e-9, "{case}: {got}");
            statsmodels += 1;
        }
    }
    assert!(cases.len() >= 150 && statsmodels >= 150, "{}", cases.len());
}

#[test]
fn seeds_needed_with_a_ratio_is_the_exhaustive_search() {
    let data = reference("power.json");
    for case in data["ratio_seeds_needed"].as_array().expect("cases") {
        let ratio = num(&case["ratio"]);
        let got = seeds_needed_for(
            num(&case["diff"]),
            groups(num(&case["sd_baseline"]), num(&case["sd_treatment"]), ratio),
            num(&case["alpha"]),
            alternative(&case["alternative"]),
            num(&case["target_power"]),
            1000,
        );
        assert_eq!(got, Some(needed(&case["seeds_needed"])), "{case}");
        if let Some(n) = case["seeds_needed"].as_u64() {
            assert_eq!(
                treatment_seeds(n as usize, ratio),
                count(&case["seeds_needed_treatment"]),
                "{case}"
            );
        }
    }
}

#[test]
fn paired_power_matches_statsmodels_ttest_power() {
    let data = reference("power.json");
    let cases = data["paired"].as_array().expect("paired");
    for case in cases {
        let (d, n, alpha) = (
            num(&case["effect_size"]),
            count(&case["n"]),
            num(&case["alpha"]),
        );
        let alt = alternative(&case["alternative"]);
        let got = paired_power(d, 1.0, n, alpha, alt).expect("defined");
        assert!((got - num(&case["power"])).abs() <= 1e-9, "{case}: {got}");
        // the std of the differences only scales Δ: d = Δ/s_d
        let scaled = paired_power(d * 0.25, 0.25, n, alpha, alt).expect("defined");
        assert!((scaled - got).abs() <= 1e-12, "{case}: scale");
    }
    assert!(cases.len() >= 150, "{}", cases.len());
}

#[test]
fn paired_seeds_needed_is_statsmodels_solve_power_rounded_up() {
    let data = reference("power.json");
    for case in data["paired_solve"].as_array().expect("cases") {
        let got = seeds_needed_for(
            num(&case["effect_size"]),
            Spread::Paired { sd_diff: 1.0 },
            num(&case["alpha"]),
            alternative(&case["alternative"]),
            num(&case["target_power"]),
            1000,
        );
        assert_eq!(got, Some(needed(&case["seeds_needed"])), "{case}");
    }
}

#[test]
fn treatment_seeds_round_up_to_whole_seeds_but_not_past_an_integer() {
    assert_eq!(treatment_seeds(10, 1.1), 11);
    assert_eq!(treatment_seeds(3, 1.5), 5);
    assert_eq!(treatment_seeds(4, 0.5), 2);
    assert_eq!(treatment_seeds(3, 0.5), 2);
    assert_eq!(treatment_seeds(7, 1.0), 7);
    assert_eq!(fewest_seeds(groups(1.0, 1.0, 0.5)), Some(3));
    // 0.1 × 10 is one seed, 0.1 × 11 rounds up to two
    assert_eq!(fewest_seeds(groups(1.0, 1.0, 0.1)), Some(11));
    assert_eq!(fewest_seeds(groups(1.0, 1.0, 0.25)), Some(5));
    assert_eq!(fewest_seeds(groups(1.0, 1.0, 2.0)), Some(2));
    assert_eq!(fewest_seeds(groups(1.0, 1.0, 0.0)), None);
    assert_eq!(fewest_seeds(groups(1.0, 1.0, f64::NAN)), None);
    assert_eq!(fewest_seeds(Spread::Paired { sd_diff: 1.0 }), Some(2));
    // the curve starts where the treatment has two seeds
    let curve = power_curve_for(1.0, groups(1.0, 1.0, 0.1), 0.05, Alternative::TwoSided, 25);
    assert_eq!(curve.first().map(|p| p.0), Some(11));
    assert_eq!(curve.len(), 15);
}

#[test]
fn one_sided_power_at_zero_difference_is_alpha_and_against_it_never_reaches_the_target() {
    for alt in [Alternative::Greater, Alternative::Less] {
        let power = welch_power_with(0.0, 1.0, 2.0, 5, 9, 0.05, alt).expect("defined");
        assert!((power - 0.05).abs() < 1e-10, "{power}");
        let paired = paired_power(0.0, 1.0, 9, 0.05, alt).expect("defined");
        assert!((paired - 0.05).abs() < 1e-10, "{paired}");
    }
    assert_eq!(
        seeds_needed_for(
            -1.0,
            groups(1.0, 1.0, 1.0),
            0.05,
            Alternative::Greater,
            0.8,
            200
        ),
        Some(SeedsNeeded::MoreThan(200))
    );
    assert_eq!(paired_power(1.0, 0.0, 5, 0.05, Alternative::TwoSided), None);
    assert_eq!(paired_power(1.0, 1.0, 1, 0.05, Alternative::TwoSided), None);
    assert_eq!(
        design_power(1.0, groups(1.0, 1.0, -2.0), 5, 0.05, Alternative::TwoSided),
        None
    );
}

proptest! {
    #[test]
    fn power_rises_with_n(
        diff in -5.0..5.0f64, sd_b in 0.01..3.0f64, sd_t in 0.0..3.0f64, alpha in 0.001..0.2f64,
    ) {
        let curve = power_curve(diff, sd_b, sd_t, alpha, 60);
        prop_assert_eq!(curve.len(), 59);
        for pair in curve.windows(2) {
            prop_assert!(pair[1].1 >= pair[0].1 - 1e-12, "{:?}", pair);
        }
    }
}

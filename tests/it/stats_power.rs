//! Noncentral t CDF and Welch power against scipy/statsmodels reference
//! numbers (golden/reference/{nct,power}.json, written by
//! golden/reference_inference.py), plus property tests.

use proptest::prelude::*;
use serde_json::Value;
use xreport::stats::nct::{nct_cdf, nct_sf, t_cdf, t_sf};
use xreport::stats::power::{
    SeedsNeeded, power_curve, power_curve_from_effect_size, power_from_effect_size, seeds_needed,
    seeds_needed_from_effect_size, welch_power,
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

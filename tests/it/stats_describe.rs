//! `stats::describe` against numpy/scipy numbers in golden/reference/describe.json
//! (written by golden/reference_bootstrap.py).

use serde_json::Value;
use xreport::stats::describe;

const REL: f64 = 1e-10;

fn reference() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/golden/reference/describe.json"
    );
    let text = std::fs::read_to_string(path).expect("golden/reference/describe.json is readable");
    serde_json::from_str(&text).expect("describe.json is valid JSON")
}

fn cases() -> Vec<Value> {
    reference()["cases"]
        .as_array()
        .expect("cases is an array")
        .clone()
}

fn num(v: &Value) -> f64 {
    v.as_f64().expect("a number")
}

/// Sample values are decimal strings in the JSON so that they parse to the
/// exact bits numpy used (serde_json's float parser is not correctly rounded).
fn values(case: &Value) -> Vec<f64> {
    case["values"]
        .as_array()
        .expect("values")
        .iter()
        .map(|v| {
            v.as_str()
                .expect("a decimal string")
                .parse()
                .expect("a float")
        })
        .collect()
}

/// Relative agreement; exact agreement required when the expected value is 0.
fn assert_close(actual: f64, expected: f64, what: &str) {
    assert!(
        actual == expected || (actual - expected).abs() <= REL * expected.abs(),
        "{what}: {actual:e} vs reference {expected:e}"
    );
}

fn assert_option_close(actual: Option<f64>, expected: &Value, what: &str) {
    match (actual, expected.as_f64()) {
        (Some(a), Some(e)) => assert_close(a, e, what),
        (None, None) => {}
        (a, _) => panic!("{what}: {a:?} vs reference {expected}"),
    }
}

#[test]
fn mean_median_min_max_and_quantiles_match_numpy_on_reference_samples() {
    for case in cases() {
        let x = values(&case);
        let name = case["name"].as_str().unwrap_or("?");
        assert_option_close(describe::mean(&x), &case["mean"], &format!("{name} mean"));
        assert_option_close(
            describe::median(&x),
            &case["median"],
            &format!("{name} median"),
        );
        let (lo, hi) = describe::min_max(&x).expect("non-empty sample");
        assert_close(lo, num(&case["min"]), &format!("{name} min"));
        assert_close(hi, num(&case["max"]), &format!("{name} max"));
        for (q, key) in [(0.1, "quantile_0_1"), (0.9, "quantile_0_9")] {
            assert_option_close(
                describe::quantile(&x, q),
                &case[key],
                &format!("{name} {key}"),
            );
        }
    }
}

#[test]
fn std_and_sem_match_numpy_and_scipy_on_reference_samples() {
    for case in cases() {
        let x = values(&case);
        let name = case["name"].as_str().unwrap_or("?");
        assert_option_close(
            describe::std(&x, 0),
            &case["std_ddof0"],
            &format!("{name} std0"),
        );
        assert_option_close(
            describe::std(&x, 1),
            &case["std_ddof1"],
            &format!("{name} std1"),
        );
        assert_option_close(describe::sem(&x, 1), &case["sem"], &format!("{name} sem"));
    }
}

#[test]
fn t_interval_matches_scipy_at_90_and_95_percent() {
    for case in cases() {
        let x = values(&case);
        let name = case["name"].as_str().unwrap_or("?");
        for (confidence, key) in [(0.95, "t_interval_95"), (0.9, "t_interval_90")] {
            let actual = describe::t_interval(&x, confidence);
            match case[key].as_array() {
                None => assert_eq!(actual, None, "{name} {key}"),
                Some(ends) => {
                    let (lo, hi) = actual.expect("an interval for n >= 2");
                    assert_close(lo, num(&ends[0]), &format!("{name} {key} lo"));
                    assert_close(hi, num(&ends[1]), &format!("{name} {key} hi"));
                }
            }
        }
    }
}

#[test]
fn t_quantile_matches_40_digit_reference_to_1e_10() {
    // mpmath at 40 digits; scipy's t.ppf (also in the table) loses digits near p = 1/2.
    let table = reference()["t_quantiles"]
        .as_array()
        .expect("t_quantiles")
        .clone();
    assert!(table.len() >= 100);
    for row in table {
        let (p, df, q) = (num(&row["p"]), num(&row["df"]), num(&row["q"]));
        let actual = describe::t_quantile(p, df).expect("a quantile for p in (0, 1), df > 0");
        assert_close(actual, q, &format!("t_quantile({p}, {df})"));
    }
}

#[test]
fn t_quantile_is_none_outside_its_domain() {
    for (p, df) in [
        (0.0, 5.0),
        (1.0, 5.0),
        (-0.1, 5.0),
        (1.5, 5.0),
        (f64::NAN, 5.0),
        (0.5, 0.0),
        (0.5, -1.0),
    ] {
        assert_eq!(describe::t_quantile(p, df), None, "t_quantile({p}, {df})");
    }
    for confidence in [1.5, 1.0, 0.0, -0.5, f64::NAN] {
        assert_eq!(describe::t_interval(&[1.0, 2.0, 3.0], confidence), None);
    }
}

#[test]
fn one_value_has_a_mean_but_no_std_sem_or_interval() {
    let x = [3.5];
    assert_eq!(describe::mean(&x), Some(3.5));
    assert_eq!(describe::std(&x, 1), None);
    assert_eq!(describe::std(&x, 0), Some(0.0));
    assert_eq!(describe::sem(&x, 1), None);
    assert_eq!(describe::t_interval(&x, 0.95), None);
}

#[test]
fn empty_sample_has_no_statistics() {
    let x: [f64; 0] = [];
    assert_eq!(describe::mean(&x), None);
    assert_eq!(describe::median(&x), None);
    assert_eq!(describe::min_max(&x), None);
    assert_eq!(describe::variance(&x, 0), None);
}

#[test]
fn zero_variance_t_interval_is_the_point() {
    assert_eq!(describe::t_interval(&[0.25; 4], 0.95), Some((0.25, 0.25)));
}

#[test]
fn mean_sums_in_numpy_pairwise_order() {
    // numpy.mean([1e16] + [1.0] * 8) == 1.0000000000000008e16 / 9: the 8-way
    // pairwise sum keeps the ones that a left-to-right sum rounds away.
    let mut x = vec![1e16];
    x.extend([1.0; 8]);
    assert_eq!(describe::mean(&x), Some(1.000_000_000_000_000_8e16 / 9.0));
    let mut long = vec![1e16];
    long.extend([1.0; 200]);
    assert_eq!(
        describe::mean(&long),
        Some(1.000_000_000_000_018_8e16 / 201.0)
    );
}

//! `stats::rng` and `stats::bootstrap` against golden/reference/bootstrap.json
//! (written by golden/reference_bootstrap.py with scipy and a pure-Python
//! ChaCha8), plus determinism and edge cases.

use rand::Rng;
use serde_json::Value;
use xreport::stats::bootstrap::{
    self, BootstrapConfig, CiMethod, Interval, interval_from_replicates, jackknife_acceleration,
    mean_acceleration, mean_ci, mean_diff_acceleration, mean_diff_ci, paired_mean_diff_ci,
};
use xreport::stats::{describe, rng};

const METHODS: [CiMethod; 3] = [CiMethod::Percentile, CiMethod::Basic, CiMethod::Bca];

fn reference() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/golden/reference/bootstrap.json"
    );
    let text = std::fs::read_to_string(path).expect("golden/reference/bootstrap.json is readable");
    serde_json::from_str(&text).expect("bootstrap.json is valid JSON")
}

fn array(v: &Value) -> &Vec<Value> {
    v.as_array().expect("an array")
}

fn num(v: &Value) -> f64 {
    v.as_f64().expect("a number")
}

fn int(v: &Value) -> u64 {
    v.as_u64().expect("an unsigned integer")
}

/// Exact values are decimal strings: `str::parse` is correctly rounded, so they
/// get numpy's bits (serde_json's default float parser is not).
fn exact(v: &Value) -> f64 {
    v.as_str()
        .expect("a decimal string")
        .parse()
        .expect("a float")
}

fn exact_vec(v: &Value) -> Vec<f64> {
    array(v).iter().map(exact).collect()
}

fn samples(case: &Value) -> Vec<Vec<f64>> {
    array(&case["samples"]).iter().map(exact_vec).collect()
}

fn config(resamples: usize, confidence: f64, method: CiMethod, seed: u64) -> BootstrapConfig {
    BootstrapConfig {
        resamples,
        confidence,
        method,
        seed,
    }
}

fn assert_close(actual: f64, expected: f64, tol: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= tol,
        "{what}: {actual:e} vs reference {expected:e} (tolerance {tol:e})"
    );
}

#[test]
fn stream_key_is_fnv1a_64_with_zero_byte_separators() {
    for row in array(&reference()["rng"]["stream_keys"]) {
        let parts: Vec<&str> = array(&row["parts"])
            .iter()
            .map(|p| p.as_str().expect("a part"))
            .collect();
        assert_eq!(rng::stream_key(&parts), int(&row["key"]), "{parts:?}");
    }
    assert_ne!(rng::stream_key(&["a", "b"]), rng::stream_key(&["ab"]));
}

#[test]
fn chacha_streams_match_an_independent_chacha8_implementation() {
    for row in array(&reference()["rng"]["chacha8"]) {
        let (seed, key, chunk) = (int(&row["seed"]), int(&row["key"]), int(&row["chunk"]));
        let mut stream = rng::chacha(seed, key, chunk);
        let words: Vec<u64> = array(&row["words"]).iter().map(int).collect();
        let drawn: Vec<u64> = words.iter().map(|_| u64::from(stream.next_u32())).collect();
        assert_eq!(drawn, words, "stream ({seed}, {key}, {chunk})");
    }
}

#[test]
fn streams_match_an_independent_xoshiro256pp_seeded_by_chacha8() {
    for row in array(&reference()["rng"]["streams"]) {
        let (seed, key, chunk) = (int(&row["seed"]), int(&row["key"]), int(&row["chunk"]));
        let mut stream = rng::stream(seed, key, chunk);
        let words: Vec<u64> = array(&row["words"]).iter().map(int).collect();
        let drawn: Vec<u64> = words.iter().map(|_| u64::from(stream.next_u32())).collect();
        assert_eq!(drawn, words, "stream ({seed}, {key}, {chunk})");
    }
}

#[test]
fn uniform_index_matches_reference_lemire_draws() {
    for row in array(&reference()["rng"]["uniform_index"]) {
        let n = u32::try_from(int(&row["n"])).expect("n fits in u32");
        let mut stream = rng::stream(int(&row["seed"]), int(&row["key"]), int(&row["chunk"]));
        for expected in array(&row["indices"]) {
            assert_eq!(u64::from(stream.index(n)), int(expected), "n = {n}");
        }
    }
}

#[test]
fn uniform_index_is_uniform_over_small_ranges() {
    let mut stream = rng::stream(11, rng::stream_key(&["uniformity"]), 0);
    for n in [2u32, 3, 7, 10] {
        let draws = 200_000;
        let mut counts = vec![0u32; n as usize];
        for _ in 0..draws {
            counts[stream.index(n) as usize] += 1;
        }
        // Each count is Binomial(draws, 1/n); 6 standard deviations bound it.
        let expected = f64::from(draws) / f64::from(n);
        let sd = (expected * (1.0 - 1.0 / f64::from(n))).sqrt();
        for (i, &c) in counts.iter().enumerate() {
            assert!(
                (f64::from(c) - expected).abs() < 6.0 * sd,
                "n = {n}, index {i}: {c}"
            );
        }
    }
}

#[test]
fn uniform_index_of_one_or_zero_values_is_zero() {
    let mut stream = rng::stream(0, 0, 0);
    assert!((0..100).all(|_| stream.index(1) == 0));
    assert_eq!(stream.index(0), 0);
}

/// The acceleration scipy's `_bca_interval` would compute for an exact case.
fn acceleration_of(case: &Value, data: &[Vec<f64>]) -> Option<f64> {
    let paired = case["paired"].as_bool().expect("paired flag");
    match (case["statistic"].as_str().expect("statistic"), paired) {
        ("mean", false) => mean_acceleration(&data[0]),
        ("mean_diff", false) => mean_diff_acceleration(&data[1], &data[0]),
        ("mean_diff", true) => {
            let diffs: Vec<f64> = data[0].iter().zip(&data[1]).map(|(t, b)| t - b).collect();
            mean_acceleration(&diffs)
        }
        ("median", false) => jackknife_acceleration(&[&data[0]], |s| median(s[0])),
        ("median_diff", false) => {
            jackknife_acceleration(&[&data[0], &data[1]], |s| median(s[0]) - median(s[1]))
        }
        (other, _) => panic!("unknown statistic {other}"),
    }
}

fn median(x: &[f64]) -> f64 {
    describe::median(x).expect("a non-empty sample")
}

#[test]
fn acceleration_matches_scipy_jackknife_on_exact_cases() {
    for case in array(&reference()["exact_cases"]) {
        let name = case["name"].as_str().expect("name");
        let a = acceleration_of(case, &samples(case)).expect("a defined acceleration");
        assert_close(a, num(&case["a_hat"]), 1e-10, &format!("{name} a_hat"));
    }
}

#[test]
fn interval_from_replicates_matches_scipy_on_exact_cases() {
    for case in array(&reference()["exact_cases"]) {
        let name = case["name"].as_str().expect("name");
        let a = acceleration_of(case, &samples(case)).expect("a defined acceleration");
        let theta_hat = exact(&case["theta_hat"]);
        let confidence = num(&case["confidence"]);
        let replicates = exact_vec(&case["replicates"]);
        for method in METHODS {
            let ends = &case["intervals"][method.name()];
            let (lo, hi) = (exact(&ends[0]), exact(&ends[1]));
            let tol = 1e-10 * (lo.abs().max(hi.abs()) + (hi - lo));
            let got =
                interval_from_replicates(theta_hat, &mut replicates.clone(), confidence, method, a);
            assert_close(got.lo, lo, tol, &format!("{name} {} lo", method.name()));
            assert_close(got.hi, hi, tol, &format!("{name} {} hi", method.name()));
            assert_eq!(got.note, None, "{name}");
        }
    }
}

#[test]
fn general_jackknife_of_the_mean_equals_the_closed_forms() {
    let t = [0.81, 0.84, 0.79, 0.9, 0.86, 0.83];
    let b = [0.8, 0.78, 0.82, 0.77, 0.79];
    let mean = |x: &[f64]| describe::mean(x).expect("non-empty");
    let one = jackknife_acceleration(&[&t], |s| mean(s[0])).expect("defined");
    assert_close(
        one,
        mean_acceleration(&t).expect("defined"),
        1e-12,
        "one sample",
    );
    let two = jackknife_acceleration(&[&t, &b], |s| mean(s[0]) - mean(s[1])).expect("defined");
    assert_close(
        two,
        mean_diff_acceleration(&b, &t).expect("defined"),
        1e-12,
        "two samples",
    );
}

#[test]
fn acceleration_is_none_when_the_jackknife_values_are_all_equal() {
    assert_eq!(mean_acceleration(&[2.0; 4]), None);
    assert_eq!(mean_acceleration(&[2.0]), None);
    assert_eq!(mean_diff_acceleration(&[1.0; 3], &[2.0; 3]), None);
    assert_eq!(
        jackknife_acceleration(&[&[1.0, 1.0, 1.0]], |s| median(s[0])),
        None
    );
}

/// The interval a Monte Carlo case asks of the Rust bootstrap.
fn bootstrap_of(case: &Value, data: &[Vec<f64>], cfg: &BootstrapConfig) -> Interval {
    let name = case["name"].as_str().expect("name");
    let key = rng::stream_key(&["reference", name]);
    let interval = match case["statistic"].as_str().expect("statistic") {
        "mean" => mean_ci(&data[0], cfg, key),
        "mean_diff" => mean_diff_ci(&data[1], &data[0], cfg, key, key ^ 1),
        other => panic!("unknown statistic {other}"),
    };
    interval.expect("an interval for n >= 2")
}

#[test]
fn mean_and_mean_diff_cis_match_scipy_bootstrap_within_monte_carlo_error() {
    let reference = reference();
    let mc = &reference["monte_carlo"];
    let resamples = usize::try_from(int(&mc["test_resamples"])).expect("a count");
    assert!(resamples >= 20_000);
    for case in array(&mc["cases"]) {
        let name = case["name"].as_str().expect("name");
        let data = samples(case);
        for method in METHODS {
            let cfg = config(resamples, num(&case["confidence"]), method, 0);
            let got = bootstrap_of(case, &data, &cfg);
            let ends = &case["reference"][method.name()];
            let tol = &case["tolerance"][method.name()];
            assert_close(
                got.lo,
                num(&ends[0]),
                num(&tol[0]),
                &format!("{name} {} lo", method.name()),
            );
            assert_close(
                got.hi,
                num(&ends[1]),
                num(&tol[1]),
                &format!("{name} {} hi", method.name()),
            );
            assert_eq!(got.note, None, "{name}");
        }
    }
}

/// A deterministic right-skewed sample; `stride` permutes which values appear.
fn skewed_sample(n: usize, shift: f64, stride: usize) -> Vec<f64> {
    (0..n)
        .map(|i| shift + ((i * stride % 101) as f64 / 101.0).powi(3))
        .collect()
}

fn all_three_intervals(cfg: &BootstrapConfig) -> [Interval; 3] {
    let b = skewed_sample(37, 0.0, 37);
    let t = skewed_sample(23, 0.1, 37);
    let p = skewed_sample(37, 0.05, 41);
    let key = rng::stream_key(&["threads"]);
    [
        mean_ci(&b, cfg, key).expect("interval"),
        mean_diff_ci(&b, &t, cfg, key, key ^ 1).expect("interval"),
        paired_mean_diff_ci(&b, &p, cfg, key).expect("interval"),
    ]
}

#[test]
fn intervals_are_bit_identical_for_1_2_and_8_threads() {
    // 3,000 resamples: 12 chunks, the last one partial.
    let cfg = config(3_000, 0.95, CiMethod::Bca, 7);
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a thread pool")
            .install(|| all_three_intervals(&cfg))
    };
    let one = run(1);
    for threads in [2, 8] {
        let other = run(threads);
        for (a, b) in one.iter().zip(&other) {
            assert_eq!(a.lo.to_bits(), b.lo.to_bits(), "{threads} threads");
            assert_eq!(a.hi.to_bits(), b.hi.to_bits(), "{threads} threads");
        }
    }
}

#[test]
fn same_seed_gives_the_same_bits_and_another_seed_another_interval() {
    let first = all_three_intervals(&config(2_000, 0.9, CiMethod::Percentile, 1));
    let again = all_three_intervals(&config(2_000, 0.9, CiMethod::Percentile, 1));
    let other = all_three_intervals(&config(2_000, 0.9, CiMethod::Percentile, 2));
    assert_eq!(first, again);
    for (a, b) in first.iter().zip(&other) {
        assert_ne!((a.lo, a.hi), (b.lo, b.hi));
    }
}

#[test]
fn different_keys_draw_different_resamples_of_large_samples() {
    // above 128 values (and many distinct ones) each key has its own stream
    let x = skewed_sample(300, 0.0, 37);
    let cfg = config(2_000, 0.95, CiMethod::Basic, 0);
    let a = mean_ci(&x, &cfg, rng::stream_key(&["acc", "lr=0.1"])).expect("interval");
    let b = mean_ci(&x, &cfg, rng::stream_key(&["acc", "lr=0.2"])).expect("interval");
    assert_ne!((a.lo, a.hi), (b.lo, b.hi));
}

#[test]
fn samples_of_one_size_share_resample_counts_and_a_difference_stays_independent() {
    let cfg = config(4_000, 0.95, CiMethod::Percentile, 3);
    let x = skewed_sample(15, 0.0, 37);
    let shifted: Vec<f64> = x.iter().map(|v| v + 1.0).collect();
    let own = bootstrap::mean_replicates(&x, &cfg, 1).expect("replicates");
    // the key does not matter: every 15-value sample takes the same counts
    assert_eq!(
        own,
        bootstrap::mean_replicates(&x, &cfg, 2).expect("replicates")
    );
    let moved = bootstrap::mean_replicates(&shifted, &cfg, 2).expect("replicates");
    for (a, b) in own.iter().zip(&moved) {
        assert!(
            (b - a - 1.0).abs() < 1e-12,
            "the same resample of x + 1: {a} vs {b}"
        );
    }
    // a baseline's side of a difference is drawn independently
    let base_side = bootstrap::baseline_mean_replicates(&x, &cfg, 1).expect("replicates");
    assert_ne!(own, base_side);
    // so the difference of x + 1 and x is a two-sample interval about 1, √2 as
    // wide as one mean's, and not the point 1 that shared counts would give
    let single = mean_ci(&x, &cfg, 1).expect("interval");
    let diff = mean_diff_ci(&x, &shifted, &cfg, 1, 2).expect("interval");
    let ratio = (diff.hi - diff.lo) / (single.hi - single.lo);
    assert!((ratio - 2f64.sqrt()).abs() < 0.15, "width ratio {ratio}");
    assert!(diff.lo < 1.0 && diff.hi > 1.0);
}

#[test]
fn constant_data_gives_the_point_itself_with_a_note() {
    let cfg = config(1_000, 0.95, CiMethod::Bca, 0);
    let one = mean_ci(&[0.1; 5], &cfg, 0).expect("a point");
    assert_eq!((one.lo, one.hi), (0.1, 0.1));
    assert!(one.note.is_some());
    let diff = mean_diff_ci(&[0.5; 3], &[0.75; 4], &cfg, 0, 1).expect("a point");
    assert_eq!((diff.lo, diff.hi), (0.25, 0.25));
    assert!(diff.note.is_some());
    let paired = paired_mean_diff_ci(&[1.0, 2.0, 3.0], &[1.5, 2.5, 3.5], &cfg, 0).expect("a point");
    assert_eq!((paired.lo, paired.hi), (0.5, 0.5));
    assert!(paired.note.is_some());
}

#[test]
fn one_constant_group_still_gives_an_interval() {
    let cfg = config(4_000, 0.95, CiMethod::Bca, 0);
    let got = mean_diff_ci(&[0.5; 5], &[0.6, 0.7, 0.65, 0.9, 0.62], &cfg, 0, 1).expect("interval");
    assert!(got.lo < got.hi && got.note.is_none(), "{got:?}");
    assert!(got.lo >= 0.1 && got.hi <= 0.4, "{got:?}");
}

#[test]
fn fewer_than_two_values_or_bad_input_gives_none() {
    let cfg = config(1_000, 0.95, CiMethod::Bca, 0);
    assert_eq!(mean_ci(&[1.0], &cfg, 0), None);
    assert_eq!(mean_ci(&[], &cfg, 0), None);
    assert_eq!(mean_ci(&[1.0, f64::NAN, 2.0], &cfg, 0), None);
    assert_eq!(mean_diff_ci(&[1.0], &[1.0, 2.0], &cfg, 0, 1), None);
    assert_eq!(mean_diff_ci(&[1.0, 2.0], &[3.0], &cfg, 0, 1), None);
    assert_eq!(
        paired_mean_diff_ci(&[1.0, 2.0], &[1.0, 2.0, 3.0], &cfg, 0),
        None
    );
    assert_eq!(paired_mean_diff_ci(&[1.0], &[2.0], &cfg, 0), None);
    assert_eq!(
        mean_ci(&[1.0, 2.0], &config(0, 0.95, CiMethod::Bca, 0), 0),
        None
    );
    for confidence in [0.0, 1.0, 1.5, f64::NAN] {
        let cfg = config(100, confidence, CiMethod::Percentile, 0);
        assert_eq!(mean_diff_ci(&[1.0, 2.0], &[2.0, 4.0], &cfg, 0, 1), None);
    }
}

#[test]
fn bca_falls_back_to_percentile_when_every_replicate_is_above_the_estimate() {
    let mut replicates = [1.0, 2.0, 3.0, 4.0, 5.0];
    let got = interval_from_replicates(0.0, &mut replicates, 0.5, CiMethod::Bca, 0.1);
    assert_eq!((got.lo, got.hi), (2.0, 4.0));
    assert!(got.note.is_some());
}

#[test]
fn no_replicates_give_the_point_with_a_note() {
    let got = interval_from_replicates(1.5, &mut [], 0.95, CiMethod::Percentile, 0.0);
    assert_eq!((got.lo, got.hi), (1.5, 1.5));
    assert!(got.note.is_some());
}

#[test]
fn percentile_and_basic_use_linear_quantiles_of_the_replicates() {
    // q(0.1) of 0..=10 is 1 and q(0.9) is 9 (numpy "linear"); unsorted input.
    let mut replicates: Vec<f64> = (0..=10).rev().map(f64::from).collect();
    let pct = interval_from_replicates(4.0, &mut replicates, 0.8, CiMethod::Percentile, 0.0);
    assert_close(pct.lo, 1.0, 1e-12, "percentile lo");
    assert_close(pct.hi, 9.0, 1e-12, "percentile hi");
    let basic = interval_from_replicates(4.0, &mut replicates, 0.8, CiMethod::Basic, 0.0);
    assert_close(basic.lo, -1.0, 1e-12, "basic lo");
    assert_close(basic.hi, 7.0, 1e-12, "basic hi");
    let mut between = [0.0, 1.0, 2.0, 3.0];
    let got = interval_from_replicates(1.5, &mut between, 0.5, CiMethod::Percentile, 0.0);
    assert_eq!((got.lo, got.hi), (0.75, 2.25));
}

#[test]
fn ci_method_names_and_json_are_lowercase() {
    for (method, name) in METHODS.iter().zip(["percentile", "basic", "bca"]) {
        assert_eq!(method.name(), name);
        assert_eq!(
            serde_json::to_string(method).expect("serializes"),
            format!("\"{name}\"")
        );
    }
    assert_eq!(bootstrap::CHUNK_RESAMPLES, 256);
}

#[test]
fn paired_ci_is_the_one_sample_ci_of_the_differences() {
    let b = skewed_sample(40, 0.0, 37);
    let t = skewed_sample(40, 0.02, 41);
    let diffs: Vec<f64> = t.iter().zip(&b).map(|(t, b)| t - b).collect();
    let cfg = config(3_000, 0.9, CiMethod::Bca, 3);
    assert_eq!(
        paired_mean_diff_ci(&b, &t, &cfg, 9),
        mean_ci(&diffs, &cfg, 9)
    );
}
